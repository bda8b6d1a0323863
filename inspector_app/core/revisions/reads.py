"""What the other areas ask of the revisions themselves (not of their current values): how
many there are, whether a case has any, each reader's own answers, the lead's resolutions.
"""

from __future__ import annotations

import json
from collections.abc import Collection

from inspector_app.core.revisions import compiled
from inspector_app.core.revisions.log import Kind
from inspector_app.core.storage.dbapi import Connection

# (record key, case key, author, value as stored JSON): one reader's latest answer to a key.
ReaderAnswer = tuple[str, str, str, str | None]
# (record key, revision id, clock stamp) of a revision that settled a conflict.
Resolution = tuple[str, str, str]


def count_and_newest_stamp(conn: Connection) -> tuple[int, str | None]:
    """How many revisions the file holds and its newest clock stamp: together they tell
    whether anything was written since they were last read (undoing a merge asks)."""
    count, newest = conn.execute(compiled.COUNT_AND_NEWEST).fetchone()
    return int(count), newest


def case_has_revisions(conn: Connection, case_key: str) -> bool:
    """Whether anything was ever written on a case (answers, corrections, its status): such a
    case holds fieldwork, which must never be thrown away."""
    row = conn.execute(compiled.CASE_HAS_REVISIONS, (case_key,)).fetchone()
    return row is not None


def readers_latest_answers(
    conn: Connection, case_keys: Collection[str] | None = None
) -> list[ReaderAnswer]:
    """Each author's own latest answer per answer key, of the cases in `case_keys` (None:
    every case). Resolutions (which carry a reason) are the lead's settlement, not a reading,
    and are left out: this is what double reading compares."""
    if case_keys is None:
        every: list[ReaderAnswer] = conn.execute(
            compiled.READERS_LATEST_ANSWERS, (Kind.ANSWER,)
        ).fetchall()
        return every
    rows: list[ReaderAnswer] = conn.execute(
        compiled.READERS_LATEST_ANSWERS_OF, (Kind.ANSWER, json.dumps(sorted(case_keys)))
    ).fetchall()
    return rows


def resolutions(conn: Connection) -> list[Resolution]:
    """The revisions that settled a conflict: written with a reason, on top of two or more
    heads at once."""
    rows: list[Resolution] = conn.execute(compiled.RESOLUTIONS).fetchall()
    return rows
