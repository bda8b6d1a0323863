"""What the other areas ask of the revisions themselves (not of their current values): how
many there are, whether a case has any, each reader's own answers, the lead's resolutions.
"""

from __future__ import annotations

import json
from collections.abc import Collection

from inspector_app.core.revisions.log import Kind
from inspector_app.core.storage.dbapi import Connection

# (record key, case key, author, value as stored JSON): one reader's latest answer to a key.
ReaderAnswer = tuple[str, str, str, str | None]
# (record key, revision id, clock stamp) of a revision that settled a conflict.
Resolution = tuple[str, str, str]


def count_and_newest_stamp(conn: Connection) -> tuple[int, str | None]:
    """How many revisions the file holds and its newest clock stamp: together they tell
    whether anything was written since they were last read (undoing a merge asks)."""
    count, newest = conn.execute("SELECT count(*), max(hlc) FROM revision").fetchone()
    return int(count), newest


def case_has_revisions(conn: Connection, case_key: str) -> bool:
    """Whether anything was ever written on a case (answers, corrections, its status): such a
    case holds fieldwork, which must never be thrown away."""
    row = conn.execute("SELECT 1 FROM revision WHERE case_key = ? LIMIT 1", (case_key,)).fetchone()
    return row is not None


def readers_latest_answers(
    conn: Connection, case_keys: Collection[str] | None = None
) -> list[ReaderAnswer]:
    """Each author's own latest answer per answer key, of the cases in `case_keys` (None:
    every case). Resolutions (which carry a reason) are the lead's settlement, not a reading,
    and are left out: this is what double reading compares."""
    within = ""
    params: tuple[object, ...] = (Kind.ANSWER,)
    if case_keys is not None:
        within = " AND r.case_key IN (SELECT value FROM json_each(?))"
        params += (json.dumps(sorted(case_keys)),)
    rows: list[ReaderAnswer] = conn.execute(
        "SELECT r.record_key, r.case_key, r.author, r.value FROM revision r"
        " WHERE r.kind = ? AND r.reason = ''" + within + " AND r.hlc ="
        " (SELECT max(x.hlc) FROM revision x WHERE x.record_key = r.record_key"
        "  AND x.author = r.author AND x.reason = '')",
        params,
    ).fetchall()
    return rows


def resolutions(conn: Connection) -> list[Resolution]:
    """The revisions that settled a conflict: written with a reason, on top of two or more
    heads at once."""
    rows: list[Resolution] = conn.execute(
        "SELECT r.record_key, r.id, r.hlc FROM revision r WHERE r.reason != ''"
        " AND (SELECT count(*) FROM revision_parent p"
        "      WHERE p.record_key = r.record_key AND p.revision_id = r.id) >= 2"
    ).fetchall()
    return rows
