"""Checks on the revisions a fieldwork file holds, made on its private copy before the merge.

A file from outside could hold a revision of a kind or field a fieldwork file never writes,
a revision whose key points at another value (another assessor's answer), a clock stamp that
is not one (or lies far in the future, to win every comparison), or a value the question's
scale does not allow. Any of these refuses the whole file. These checks need nothing from the
master but its framework, so each file is checked on its own connection, alongside the others.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable, Iterator

from inspector_app.core import ids
from inspector_app.core.framework import Framework
from inspector_app.core.profile import FIELDS_BY_NAME
from inspector_app.core.revisions import Kind
from inspector_app.core.storage.dbapi import Connection

FIELDWORK_KINDS = (Kind.ANSWER, Kind.PROFILE, Kind.STATUS)

# A laptop's clock may be off by hours; a stamp more than a week ahead is not a clock error.
_MAX_AHEAD_MS = 7 * 24 * 3600 * 1000
_NAMESPACE = ids.NAMESPACE.bytes
# "<13-digit milliseconds>.<6-digit counter>.<replica id in lowercase hex>" (unhex is NULL
# unless the replica id is whole bytes of hex digits, and the pattern makes it non-empty)
_STAMP_SHAPE = "[0-9]" * 13 + "." + "[0-9]" * 6 + ".?*"
_BAD_STAMP = (
    f"NOT (typeof(hlc) = 'text' AND length(hlc) <= 85 AND hlc GLOB '{_STAMP_SHAPE}'"
    " AND unhex(substr(hlc, 22)) IS NOT NULL AND hlc = lower(hlc))"
)


def revisions_problem(conn: Connection, framework: Framework) -> str | None:
    """The first problem with the revisions in `conn`'s file, in words, or None. Their keys
    are checked apart, once the file's current values are worked out (`key_problem`)."""
    return _row_problem(conn, framework) or _link_problem(conn) or _value_problem(conn, framework)


def _row_problem(conn: Connection, framework: Framework) -> str | None:
    """Kinds and fields; then clock stamps and values, counted in one pass over the file."""
    codes = [q.code for q in framework.questions()]
    wrong_kind = conn.execute(
        f"SELECT kind, field FROM revision WHERE kind NOT IN ({_marks(FIELDWORK_KINDS)})"
        f" OR (kind = ? AND field NOT IN ({_marks(codes)}))"
        f" OR (kind = ? AND field NOT IN ({_marks(FIELDS_BY_NAME)}))"
        " LIMIT 1",
        (*FIELDWORK_KINDS, Kind.ANSWER, *codes, Kind.PROFILE, *FIELDS_BY_NAME),
    ).fetchone()
    if wrong_kind:
        kind, field = wrong_kind
        return f"holds a {kind} revision for '{field}', which a fieldwork file cannot hold"
    limit = time.time_ns() // 1_000_000 + _MAX_AHEAD_MS
    bad_stamps, ahead, unreadable = conn.execute(
        f"SELECT ifnull(sum({_BAD_STAMP}), 0),"
        " ifnull(sum(CAST(substr(hlc, 1, 13) AS INTEGER) > ?), 0),"
        " ifnull(sum(value IS NOT NULL AND NOT json_valid(value)), 0) FROM revision",
        (limit,),
    ).fetchone()
    if bad_stamps:
        stamp = conn.execute(f"SELECT hlc FROM revision WHERE {_BAD_STAMP} LIMIT 1").fetchone()
        return f"a revision has an invalid time stamp ({str(stamp[0])[:30]!r})"
    if ahead:
        return f"{ahead} revision(s) are dated more than a week in the future"
    if unreadable:
        field = conn.execute(
            "SELECT field FROM revision WHERE value IS NOT NULL AND NOT json_valid(value) LIMIT 1"
        ).fetchone()
        return f"the value of '{field[0]}' is not readable"
    return None


def _link_problem(conn: Connection) -> str | None:
    """A parent link belongs to a revision of the file, of the same value (a link with no
    such revision could replace someone else's answer with nothing), and never to itself.
    The parent may be missing: a second reader's file leaves out the first reader's
    revisions that theirs replaced."""
    dangling, own = conn.execute(
        "SELECT ifnull(sum(NOT EXISTS (SELECT 1 FROM revision r"
        "                  WHERE r.record_key = p.record_key AND r.id = p.revision_id)), 0),"
        " ifnull(sum(p.parent_id = p.revision_id), 0) FROM revision_parent p"
    ).fetchone()
    if dangling:
        return f"{dangling} link(s) between revisions belong to no revision it holds"
    if own:
        return f"{own} revision(s) name themselves as the revision they replace"
    return None


def key_problem(conn: Connection) -> str | None:
    """Every revision's key must be the one its case, kind and field give (ids.record_key).
    Needs the file's current values worked out afresh from its revisions (recompute_all):
    one row per key, so each key is hashed once, and every revision must agree with its
    key's row."""
    astray = conn.execute(
        "SELECT r.field FROM revision r JOIN current_value c ON c.record_key = r.record_key"
        " WHERE c.case_key IS NOT r.case_key OR c.kind <> r.kind OR c.field <> r.field LIMIT 1"
    ).fetchone()
    if astray:
        return f"a revision of '{astray[0]}' carries the key of another value"
    rows = conn.execute("SELECT record_key, case_key, kind, field FROM current_value")
    for _record_key, _case_key, _kind, field in _wrong_keys(rows):
        return f"a revision of '{field}' carries the key of another value"
    return None


def _wrong_keys(rows: Iterable[tuple[str, str | None, str, str]]) -> Iterator[tuple]:
    """ids.record_key (a uuid5) computed inline: fast enough to check every distinct key."""
    sha1, prefix = hashlib.sha1, _NAMESPACE + b"record\x1f"
    for row in rows:
        record_key, case_key, kind, field = row
        key = bytearray(sha1(prefix + f"{case_key or ''}\x1f{kind}\x1f{field}".encode()).digest())
        key[6] = (key[6] & 0x0F) | 0x50  # uuid5: version 5
        key[8] = (key[8] & 0x3F) | 0x80  # and the RFC 4122 variant
        if key[:16].hex() != record_key:
            yield row


def _value_problem(conn: Connection, framework: Framework) -> str | None:
    conn.execute(
        "CREATE TEMP TABLE IF NOT EXISTS allowed_answer"
        " (field TEXT, value TEXT, PRIMARY KEY (field, value)) WITHOUT ROWID"
    )
    conn.execute("DELETE FROM temp.allowed_answer")
    free_text = []
    allowed = []
    for question in framework.questions():
        scale = framework.scale_of(question)
        if scale.kind == "text":
            free_text.append(question.code)
        allowed.extend((question.code, option.value) for option in scale.options)
    conn.executemany("INSERT OR IGNORE INTO temp.allowed_answer VALUES (?, json_quote(?))", allowed)
    text_fields = _marks(free_text) or "''"
    bad = conn.execute(
        "SELECT i.field, i.value FROM revision i WHERE i.kind = ? AND i.value IS NOT NULL"
        f" AND i.field NOT IN ({text_fields})"
        " AND NOT EXISTS (SELECT 1 FROM temp.allowed_answer a"
        "                 WHERE a.field = i.field AND a.value = i.value) LIMIT 1",
        (Kind.ANSWER, *free_text),
    ).fetchone()
    if bad:
        return f"the answer to {bad[0]} is {str(bad[1])[:40]}, which its scale does not allow"
    bad_status = conn.execute(
        "SELECT value FROM revision WHERE kind = ? AND value NOT IN ('true', 'false') LIMIT 1",
        (Kind.STATUS,),
    ).fetchone()
    if bad_status:
        return "a case status is neither complete nor open"
    return None


def _marks(values: Iterable[object]) -> str:
    return ", ".join("?" for _ in values)
