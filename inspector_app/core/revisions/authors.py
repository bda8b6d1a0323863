"""Who wrote what: each team member's number of revisions and the newest of them, for the
lead's dashboard and for refusing to remove someone whose work is in the file."""

from __future__ import annotations

import json
from dataclasses import dataclass

from inspector_app.core.revisions import compiled
from inspector_app.core.storage.dbapi import Connection


@dataclass(frozen=True)
class AuthorWork:
    revisions: int
    newest_stamp: str | None  # the clock stamp of the newest, None when nothing is written


def work_by_author(conn: Connection) -> dict[str, AuthorWork]:
    """Every author's revisions in the file, by member id (the whole log: one pass)."""
    return {
        author: AuthorWork(count, newest)
        for author, count, newest in conn.execute(compiled.WORK_BY_AUTHOR)
    }


def has_written(conn: Connection, member_id: str) -> bool:
    return conn.execute(compiled.HAS_WRITTEN, (member_id,)).fetchone() is not None


def cases_written_by(conn: Connection, member_id: str, case_keys: list[str]) -> set[str]:
    """Which of these cases hold something the member wrote (a case moved away from them
    would strand it: their next file is refused for writing on a case not theirs)."""
    return {
        key
        for (key,) in conn.execute(
            compiled.CASES_WRITTEN_BY, (member_id, json.dumps(list(case_keys)))
        )
    }
