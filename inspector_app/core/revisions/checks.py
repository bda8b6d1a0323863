"""The SQL that checks an untrusted file's revision log, on its private copy, before a merge.

Each function reads what one check needs and returns plain values; what counts as a problem,
and how a refusal says so, is the merge's (merge/validation.py, merge/checks.py). A clock stamp
is checked here as text, in SQL, so a file's revisions are read in as few passes as possible.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from functools import cache

from inspector_app.core.revisions import hlc
from inspector_app.core.storage.dbapi import Connection

# Tables whose rows a check never trusts, so never reindexes: they are deleted and worked out
# afresh from the revisions (`log.recompute_all`), their indexes with them.
REBUILT_FROM_REVISIONS = frozenset({"current_value"})

# "<13-digit milliseconds>.<6-digit counter>.<replica id in lowercase hex>" (unhex is NULL
# unless the replica id is whole bytes of hex digits, and the pattern makes it non-empty)
_STAMP_SHAPE = "[0-9]" * 13 + "." + "[0-9]" * 6 + ".?*"
_BAD_STAMP = (
    f"NOT (typeof(hlc) = 'text' AND length(hlc) <= 85 AND hlc GLOB '{_STAMP_SHAPE}'"
    " AND unhex(substr(hlc, 22)) IS NOT NULL AND hlc = lower(hlc))"
)
_FIRST_BAD_STAMP = f"SELECT hlc FROM revision WHERE {_BAD_STAMP} LIMIT 1"
# A stamp whose counter an earlier version let grow past six digits: 13 digits, a dot, and at
# least seven more digits (the seventh stands where the second dot belongs). Whether all of it
# reads as a stamp is for hlc.normalise to say; what it cannot read stays, and is refused.
_WIDE_COUNTER = "hlc GLOB '" + "[0-9]" * 13 + "." + "[0-9]" * 7 + "*' AND typeof(hlc) = 'text'"

# A value as stored and the key it belongs to: (record key, case key, kind, field).
ValueKey = tuple[str, str | None, str, str]


def _marks(values: Iterable[object]) -> str:
    return ", ".join("?" for _ in values)


# -- rows --------------------------------------------------------------------------------------


def first_revision_outside(
    conn: Connection,
    fields_by_kind: Mapping[str, Sequence[str]],
    patterns_by_kind: Mapping[str, str] | None = None,
) -> tuple[str, str] | None:
    """The (kind, field) of a revision whose kind is not in `fields_by_kind` (nor in
    `patterns_by_kind`), or whose field is neither among its kind's fields nor, whole, a match
    of its kind's regular expression, if there is one: what a file could never have written.
    Fields with ids in them (review notes) are few: only their kind's rows meet the pattern."""
    patterns = dict(patterns_by_kind or {})
    kinds = list(dict.fromkeys([*fields_by_kind, *patterns]))
    condition = f"kind NOT IN ({_marks(kinds)})"
    params: list[object] = list(kinds)
    for kind in kinds:
        fields = fields_by_kind.get(kind, ())
        condition += f" OR (kind = ? AND field NOT IN ({_marks(fields)})"
        params += [kind, *fields]
        if kind in patterns:  # as bytes: the driver hands text over up to a NUL only
            condition += (
                " AND NOT (typeof(field) = 'text'"
                " AND inspector_field_matches(CAST(field AS BLOB), ?))"
            )
            params.append(patterns[kind])
        condition += ")"
    conn.create_function("inspector_field_matches", 2, _field_matches, deterministic=True)
    try:
        row: tuple[str, str] | None = conn.execute(
            f"SELECT kind, field FROM revision WHERE {condition} LIMIT 1", params
        ).fetchone()
    finally:
        conn.create_function("inspector_field_matches", 2, None)
    return row


def _field_matches(field: object, pattern: str) -> bool:
    """Whether a field (its UTF-8 bytes) is text the pattern matches whole, to its last
    character: a trailing line break or a NUL and what follows it included."""
    if not isinstance(field, bytes):
        return False
    try:
        text = field.decode()
    except UnicodeDecodeError:
        return False
    return _compiled(pattern).fullmatch(text) is not None


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def revisions_signed_by_owner(conn: Connection, kind: str, field: str) -> list[tuple[str, str]]:
    """The (record key, id) of the revisions of `kind` and `field` signed by the file's own
    owner (its file_info's): what a fieldwork file's owner may not write, unless the master
    wrote it (a lead's own fieldwork file carries the lead's revisions)."""
    rows: list[tuple[str, str]] = conn.execute(
        "SELECT r.record_key, r.id FROM revision r WHERE r.kind = ? AND r.field = ?"
        " AND r.author IN (SELECT owner_id FROM file_info)",
        (kind, field),
    ).fetchall()
    return rows


def count_stamp_and_value_problems(conn: Connection, limit_ms: int) -> tuple[int, int, int]:
    """In one pass over the revisions: how many clock stamps are not valid stamps, how many
    lie beyond `limit_ms`, and how many values are not readable JSON."""
    counts: tuple[int, int, int] = conn.execute(
        f"SELECT ifnull(sum({_BAD_STAMP}), 0),"
        " ifnull(sum(CAST(substr(hlc, 1, 13) AS INTEGER) > ?), 0),"
        " ifnull(sum(value IS NOT NULL AND NOT json_valid(value)), 0) FROM revision",
        (limit_ms,),
    ).fetchone()
    return counts


def first_bad_stamp(conn: Connection) -> object:
    """A clock stamp that is not a valid stamp, as stored (perhaps not even text), to quote in
    a refusal; None if there is none."""
    row = conn.execute(_FIRST_BAD_STAMP).fetchone()
    return None if row is None else row[0]


def first_unreadable_value(conn: Connection) -> str | None:
    """The field of a revision whose value is not readable JSON, if there is one."""
    row = conn.execute(
        "SELECT field FROM revision WHERE value IS NOT NULL AND NOT json_valid(value) LIMIT 1"
    ).fetchone()
    return None if row is None else str(row[0])


def stamped_after(conn: Connection, limit_ms: int) -> list[tuple[str, str, int]]:
    """The (record key, id, milliseconds) of every revision stamped beyond `limit_ms`."""
    rows: list[tuple[str, str, int]] = conn.execute(
        "SELECT record_key, id, CAST(substr(hlc, 1, 13) AS INTEGER) FROM revision"
        " WHERE CAST(substr(hlc, 1, 13) AS INTEGER) > ?",
        (limit_ms,),
    ).fetchall()
    return rows


def repair_wide_counters(conn: Connection) -> int:
    """Rewrite, in a private copy, every stamp whose counter an earlier version let grow past
    six digits as the valid stamp it stands for (hlc.normalise: the counter carries into the
    milliseconds, so the order is kept). Such a file is not altered: its own clock was dragged
    to a counter's limit by a stamp it was given. Returns how many stamps were rewritten."""
    conn.create_function("inspector_stamp", 1, _repaired, deterministic=True)
    try:
        rewritten: int = conn.execute(
            f"UPDATE revision SET hlc = inspector_stamp(hlc) WHERE {_WIDE_COUNTER}"
        ).rowcount
        return rewritten
    finally:
        conn.create_function("inspector_stamp", 1, None)


def _repaired(stamp: str) -> str:
    parts = hlc.normalise(stamp)
    return stamp if parts is None else hlc.encode(*parts)


def first_oversized(
    conn: Connection, max_note_chars: int, max_value_chars: int
) -> tuple[str, int | None, int | None, int | None] | None:
    """The (field, note length, reason length, value length) of a revision whose note or
    reason is longer than `max_note_chars`, or whose value is longer than `max_value_chars`,
    if there is one."""
    row: tuple[str, int | None, int | None, int | None] | None = conn.execute(
        "SELECT field, length(note), length(reason), length(value) FROM revision"
        " WHERE length(note) > ? OR length(reason) > ? OR length(value) > ? LIMIT 1",
        (max_note_chars, max_note_chars, max_value_chars),
    ).fetchone()
    return row


def case_revisions_over(conn: Connection, limit: int) -> int | None:
    """How many revisions a case holds, for a case that holds more than `limit`, if any."""
    row = conn.execute(
        "SELECT count(*) AS n FROM revision GROUP BY case_key HAVING n > ? LIMIT 1", (limit,)
    ).fetchone()
    return None if row is None else int(row[0])


# -- links -------------------------------------------------------------------------------------


def link_problems(conn: Connection) -> tuple[int, int]:
    """How many parent links belong to no revision of the file of the same value, and how
    many name their own revision as its parent."""
    dangling, own = conn.execute(
        "SELECT ifnull(sum(NOT EXISTS (SELECT 1 FROM revision r"
        "                  WHERE r.record_key = p.record_key AND r.id = p.revision_id)), 0),"
        " ifnull(sum(p.parent_id = p.revision_id), 0) FROM revision_parent p"
    ).fetchone()
    return int(dangling), int(own)


# -- keys (once the copy's current values are worked out afresh) -------------------------------


def first_astray_field(conn: Connection) -> str | None:
    """The field of a revision whose case, kind or field differs from its key's current
    value's (so from the key's other revisions), if there is one."""
    row = conn.execute(
        "SELECT r.field FROM revision r JOIN current_value c ON c.record_key = r.record_key"
        " WHERE c.case_key IS NOT r.case_key OR c.kind <> r.kind OR c.field <> r.field LIMIT 1"
    ).fetchone()
    return None if row is None else str(row[0])


def value_keys(conn: Connection) -> Iterator[ValueKey]:
    """Every key the copy holds, once, with the case, kind and field it must be made of."""
    rows: Iterator[ValueKey] = conn.execute(
        "SELECT record_key, case_key, kind, field FROM current_value"
    )
    return rows


# -- values ------------------------------------------------------------------------------------


def distinct_values(
    conn: Connection, kinds: Sequence[str]
) -> Iterator[tuple[str, str, str | None, str | None]]:
    """Each distinct (kind, field, value) among revisions of `kinds`, with one case it is
    on (the first by key): values are checked once each, however many cases hold them."""
    rows: Iterator[tuple[str, str, str | None, str | None]] = conn.execute(
        f"SELECT kind, field, value, min(case_key) FROM revision WHERE kind IN ({_marks(kinds)})"
        " GROUP BY kind, field, value",
        tuple(kinds),
    )
    return rows


def first_answer_outside_scales(
    conn: Connection,
    kind: str,
    allowed: Iterable[tuple[str, str]],
    free_text: Collection[str],
) -> tuple[str | None, str, str] | None:
    """The (case key, field, value) of a revision of `kind` whose value is neither one its
    field allows (`allowed`: (field, option) pairs) nor, for a field in `free_text`, text;
    None if every one is. A cleared value (NULL) is always allowed."""
    conn.execute(
        "CREATE TEMP TABLE IF NOT EXISTS allowed_answer"
        " (field TEXT, value TEXT, PRIMARY KEY (field, value)) WITHOUT ROWID"
    )
    conn.execute("DELETE FROM temp.allowed_answer")
    conn.executemany("INSERT OR IGNORE INTO temp.allowed_answer VALUES (?, json_quote(?))", allowed)
    text_fields = _marks(free_text) or "''"
    row: tuple[str | None, str, str] | None = conn.execute(
        "SELECT i.case_key, i.field, i.value FROM revision i WHERE i.kind = ?"
        " AND i.value IS NOT NULL AND CASE WHEN i.field IN"
        f" ({text_fields}) THEN json_type(i.value) IS NOT 'text'"
        " ELSE NOT EXISTS (SELECT 1 FROM temp.allowed_answer a"
        "                  WHERE a.field = i.field AND a.value = i.value) END LIMIT 1",
        (kind, *free_text),
    ).fetchone()
    return row


# -- what the merge needs of a copy that passed ----------------------------------------------


def revisions_summary(conn: Connection, owner_id: str) -> tuple[int, str | None, int]:
    """How many revisions the copy holds, its newest stamp, and how many are signed by
    someone other than `owner_id`: gathered while checking, so the merge reads less."""
    count, newest, foreign = conn.execute(
        "SELECT count(*), max(hlc), ifnull(sum(author <> ?), 0) FROM revision", (owner_id,)
    ).fetchone()
    return int(count), newest, int(foreign)


def case_keys_with_values(conn: Connection) -> frozenset[str | None]:
    """The cases the copy holds values of (None for a report-level value), read from the
    case index of its current values."""
    return frozenset(r[0] for r in conn.execute("SELECT DISTINCT case_key FROM current_value"))


def held_revisions(conn: Connection, keys: Sequence[tuple[str, str]]) -> set[tuple[str, str]]:
    """Which of these revisions (record key, id) `conn`'s file holds (its own connection:
    a temp table of the keys asked is made on it)."""
    conn.execute("CREATE TEMP TABLE asked (record_key TEXT, id TEXT)")
    conn.executemany("INSERT INTO temp.asked VALUES (?, ?)", keys)
    return set(
        conn.execute(
            "SELECT a.record_key, a.id FROM temp.asked a WHERE EXISTS (SELECT 1"
            " FROM main.revision r WHERE r.record_key = a.record_key AND r.id = a.id)"
        )
    )
