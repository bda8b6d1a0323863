"""Checks on the revisions a fieldwork file brings, beyond who wrote them and where.

A file from outside could hold a revision whose key points at another assessor's answer, a
clock stamp that is not one (or lies far in the future, to win every comparison), or a value
the question's scale does not allow. Any of these refuses the whole file.
"""

from __future__ import annotations

import hashlib
import time

from inspector_app.core import ids
from inspector_app.core.framework import Framework
from inspector_app.core.revisions import Kind
from inspector_app.core.storage.dbapi import Connection

# A laptop's clock may be off by hours; a stamp more than a week ahead is not a clock error.
_MAX_AHEAD_MS = 7 * 24 * 3600 * 1000
_NAMESPACE = ids.NAMESPACE.bytes


def _record_key(case_key: str | None, kind: str, field: str) -> str:
    """ids.record_key computed directly (the same uuid5), fast enough to check every row."""
    name = "\x1f".join(("record", case_key or "", kind, field)).encode()
    digest = bytearray(hashlib.sha1(_NAMESPACE + name).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50
    digest[8] = (digest[8] & 0x3F) | 0x80
    return digest.hex()


def register_key_function(conn: Connection) -> None:
    conn.create_function("app_record_key", 3, _record_key, deterministic=True)


def incoming_problem(conn: Connection, framework: Framework) -> str | None:
    """The first problem with the rows in temp.incoming, in words, or None."""
    # Each key repeats across a value's revisions: check every distinct one once.
    for record_key, case_key, kind, field in conn.execute(
        "SELECT DISTINCT record_key, case_key, kind, field FROM temp.incoming"
    ):
        if record_key != _record_key(case_key, kind, field):
            return f"a revision of '{field}' carries the key of another value"
    bad_stamp = conn.execute(
        "SELECT hlc FROM temp.incoming WHERE NOT (typeof(hlc) = 'text'"
        " AND length(hlc) BETWEEN 22 AND 85"
        " AND substr(hlc, 14, 1) = '.' AND substr(hlc, 21, 1) = '.'"
        " AND substr(hlc, 1, 13) NOT GLOB '*[^0-9]*'"
        " AND substr(hlc, 15, 6) NOT GLOB '*[^0-9]*'"
        " AND substr(hlc, 22) NOT GLOB '*[^0-9a-f]*') LIMIT 1"
    ).fetchone()
    if bad_stamp:
        return f"a revision has an invalid time stamp ({str(bad_stamp[0])[:30]!r})"
    limit = time.time_ns() // 1_000_000 + _MAX_AHEAD_MS
    ahead = conn.execute(
        "SELECT count(*) FROM temp.incoming WHERE CAST(substr(hlc, 1, 13) AS INTEGER) > ?",
        (limit,),
    ).fetchone()[0]
    if ahead:
        return f"{ahead} revision(s) are dated more than a week in the future"
    not_json = conn.execute(
        "SELECT field FROM temp.incoming WHERE value IS NOT NULL AND NOT json_valid(value) LIMIT 1"
    ).fetchone()
    if not_json:
        return f"the value of '{not_json[0]}' is not readable"
    return _value_problem(conn, framework)


def _value_problem(conn: Connection, framework: Framework) -> str | None:
    conn.execute(
        "CREATE TEMP TABLE IF NOT EXISTS allowed_answer"
        " (field TEXT, value TEXT, PRIMARY KEY (field, value)) WITHOUT ROWID"
    )
    conn.execute("DELETE FROM temp.allowed_answer")
    free_text = []
    for question in framework.questions():
        scale = framework.scale_of(question)
        if scale.kind == "text":
            free_text.append(question.code)
        for option in scale.options:
            conn.execute(
                "INSERT OR IGNORE INTO temp.allowed_answer VALUES (?, json_quote(?))",
                (question.code, option.value),
            )
    placeholders = ", ".join("?" * len(free_text)) or "''"
    bad = conn.execute(
        "SELECT i.field, i.value FROM temp.incoming i WHERE i.kind = ? AND i.value IS NOT NULL"
        f" AND i.field NOT IN ({placeholders})"
        " AND NOT EXISTS (SELECT 1 FROM temp.allowed_answer a"
        "                 WHERE a.field = i.field AND a.value = i.value) LIMIT 1",
        (Kind.ANSWER, *free_text),
    ).fetchone()
    if bad:
        return f"the answer to {bad[0]} is {str(bad[1])[:40]}, which its scale does not allow"
    bad_status = conn.execute(
        "SELECT value FROM temp.incoming WHERE kind = ? AND value NOT IN ('true', 'false') LIMIT 1",
        (Kind.STATUS,),
    ).fetchone()
    if bad_status:
        return "a case status is neither complete nor open"
    return None
