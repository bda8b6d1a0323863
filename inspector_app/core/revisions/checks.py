"""The SQL that checks an untrusted file's revision log, on its private copy, before a merge.

Each function reads what one check needs and returns plain values; what counts as a problem,
and how a refusal says so, is the merge's (merge/validation.py, merge/checks.py). A clock stamp
is checked here as text, in SQL, so a file's revisions are read in as few passes as possible.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from functools import cache

from sqlalchemy import (
    Column,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
    and_,
    case,
    cast,
    func,
    insert,
    not_,
    or_,
    select,
    update,
)
from sqlalchemy.schema import CreateTable
from sqlalchemy.sql.elements import ColumnElement

from inspector_app.core.revisions import hlc
from inspector_app.core.revisions.tables import (
    CURRENT,
    FILE_INFO,
    PARENT,
    REVISION,
    TEMP,
    exists_in,
    first_row,
    in_schema,
)
from inspector_app.core.storage.dbapi import Connection
from inspector_app.core.storage.statements import const, param, sqlite_call, sqlite_sql

# Tables whose rows a check never trusts, so never reindexes: they are deleted and worked out
# afresh from the revisions (`log.recompute_all`), their indexes with them.
REBUILT_FROM_REVISIONS = frozenset({"current_value"})

# A value as stored and the key it belongs to: (record key, case key, kind, field).
ValueKey = tuple[str, str | None, str, str]

_HLC = REVISION.c.hlc
_VALUE = REVISION.c.value
_FIELD = REVISION.c.field


def _glob(text: ColumnElement[str], pattern: str) -> ColumnElement[bool]:
    return text.op("GLOB", is_comparison=True)(const(pattern))


# "<13-digit milliseconds>.<6-digit counter>.<replica id in lowercase hex>" (unhex is NULL
# unless the replica id is whole bytes of hex digits, and the pattern makes it non-empty)
_STAMP_SHAPE = "[0-9]" * 13 + "." + "[0-9]" * 6 + ".?*"
_BAD_STAMP = not_(
    and_(
        func.typeof(_HLC) == const("text"),
        func.length(_HLC) <= const(85),
        _glob(_HLC, _STAMP_SHAPE),
        func.unhex(func.substr(_HLC, const(22))).is_not(None),
        func.lower(_HLC) == _HLC,
    )
)
# A stamp whose counter an earlier version let grow past six digits: 13 digits, a dot, and at
# least seven more digits (the seventh stands where the second dot belongs). Whether all of it
# reads as a stamp is for hlc.normalise to say; what it cannot read stays, and is refused.
_WIDE_COUNTER = and_(
    _glob(_HLC, "[0-9]" * 13 + "." + "[0-9]" * 7 + "*"), func.typeof(_HLC) == const("text")
)
_STAMP_MS = cast(func.substr(_HLC, const(1), const(13)), Integer)
_UNREADABLE = and_(_VALUE.is_not(None), not_(func.json_valid(_VALUE)))


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
    shape = tuple((kind, tuple(fields_by_kind.get(kind, ())), patterns.get(kind)) for kind in kinds)
    conn.create_function("inspector_field_matches", 2, _field_matches, deterministic=True)
    try:
        row: tuple[str, str] | None = conn.execute(*_revision_outside(shape)).fetchone()
    finally:
        conn.create_function("inspector_field_matches", 2, None)
    return row


@cache
def _revision_outside(
    kinds: tuple[tuple[str, tuple[str, ...], str | None], ...],
) -> tuple[str, tuple[object, ...]]:
    """The statement for `first_revision_outside`, with its values: (kind, its fields, its
    pattern or None) for each kind a file may hold (the same for every file of a merge)."""
    wrong: list[ColumnElement[bool]] = [
        REVISION.c.kind.not_in([kind for kind, _fields, _pattern in kinds])
    ]
    for kind, fields, pattern in kinds:
        condition: list[ColumnElement[bool]] = [REVISION.c.kind == kind]
        if fields:  # NOT IN an empty list holds for every row: Core would run a subquery
            condition.append(_FIELD.not_in(fields))
        if pattern is not None:  # as bytes: the driver hands text over up to a NUL only
            matches = func.inspector_field_matches(cast(_FIELD, LargeBinary), pattern)
            condition.append(not_(and_(func.typeof(_FIELD) == const("text"), matches)))
        wrong.append(and_(*condition))
    return sqlite_call(first_row(select(REVISION.c.kind, _FIELD).where(or_(*wrong))))


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


_r = REVISION.alias("r")
_SIGNED_BY_OWNER = sqlite_sql(
    select(_r.c.record_key, _r.c.id).where(
        _r.c.kind == param("kind"),
        _r.c.field == param("field"),
        _r.c.author.in_(select(FILE_INFO.c.owner_id)),
    ),
    ("kind", "field"),
)


def revisions_signed_by_owner(conn: Connection, kind: str, field: str) -> list[tuple[str, str]]:
    """The (record key, id) of the revisions of `kind` and `field` signed by the file's own
    owner (its file_info's): what a fieldwork file's owner may not write, unless the master
    wrote it (a lead's own fieldwork file carries the lead's revisions)."""
    rows: list[tuple[str, str]] = conn.execute(_SIGNED_BY_OWNER, (kind, field)).fetchall()
    return rows


_STAMP_AND_VALUE_PROBLEMS = sqlite_sql(
    select(
        func.ifnull(func.sum(_BAD_STAMP), const(0)),
        func.ifnull(func.sum(param("limit_ms") < _STAMP_MS), const(0)),
        func.ifnull(func.sum(_UNREADABLE), const(0)),
    ),
    ("limit_ms",),
)


def count_stamp_and_value_problems(conn: Connection, limit_ms: int) -> tuple[int, int, int]:
    """In one pass over the revisions: how many clock stamps are not valid stamps, how many
    lie beyond `limit_ms`, and how many values are not readable JSON."""
    counts: tuple[int, int, int] = conn.execute(_STAMP_AND_VALUE_PROBLEMS, (limit_ms,)).fetchone()
    return counts


_FIRST_BAD_STAMP = sqlite_sql(first_row(select(_HLC).where(_BAD_STAMP)))


def first_bad_stamp(conn: Connection) -> object:
    """A clock stamp that is not a valid stamp, as stored (perhaps not even text), to quote in
    a refusal; None if there is none."""
    row = conn.execute(_FIRST_BAD_STAMP).fetchone()
    return None if row is None else row[0]


_FIRST_UNREADABLE_VALUE = sqlite_sql(first_row(select(_FIELD).where(_UNREADABLE)))


def first_unreadable_value(conn: Connection) -> str | None:
    """The field of a revision whose value is not readable JSON, if there is one."""
    row = conn.execute(_FIRST_UNREADABLE_VALUE).fetchone()
    return None if row is None else str(row[0])


_STAMPED_AFTER = sqlite_sql(
    select(REVISION.c.record_key, REVISION.c.id, _STAMP_MS).where(param("limit_ms") < _STAMP_MS),
    ("limit_ms",),
)


def stamped_after(conn: Connection, limit_ms: int) -> list[tuple[str, str, int]]:
    """The (record key, id, milliseconds) of every revision stamped beyond `limit_ms`."""
    rows: list[tuple[str, str, int]] = conn.execute(_STAMPED_AFTER, (limit_ms,)).fetchall()
    return rows


_REPAIR_WIDE_COUNTERS = sqlite_sql(
    update(REVISION).values(hlc=func.inspector_stamp(_HLC)).where(_WIDE_COUNTER)
)


def repair_wide_counters(conn: Connection) -> int:
    """Rewrite, in a private copy, every stamp whose counter an earlier version let grow past
    six digits as the valid stamp it stands for (hlc.normalise: the counter carries into the
    milliseconds, so the order is kept). Such a file is not altered: its own clock was dragged
    to a counter's limit by a stamp it was given. Returns how many stamps were rewritten."""
    conn.create_function("inspector_stamp", 1, _repaired, deterministic=True)
    try:
        rewritten: int = conn.execute(_REPAIR_WIDE_COUNTERS).rowcount
        return rewritten
    finally:
        conn.create_function("inspector_stamp", 1, None)


def _repaired(stamp: str) -> str:
    parts = hlc.normalise(stamp)
    return stamp if parts is None else hlc.encode(*parts)


_LENGTHS = [func.length(REVISION.c[name]) for name in ("note", "reason", "value")]
_FIRST_OVERSIZED = sqlite_sql(
    first_row(
        select(_FIELD, *_LENGTHS).where(
            or_(
                _LENGTHS[0] > param("note_chars"),
                _LENGTHS[1] > param("reason_chars"),
                _LENGTHS[2] > param("value_chars"),
            )
        )
    ),
    ("note_chars", "reason_chars", "value_chars"),
)


def first_oversized(
    conn: Connection, max_note_chars: int, max_value_chars: int
) -> tuple[str, int | None, int | None, int | None] | None:
    """The (field, note length, reason length, value length) of a revision whose note or
    reason is longer than `max_note_chars`, or whose value is longer than `max_value_chars`,
    if there is one."""
    row: tuple[str, int | None, int | None, int | None] | None = conn.execute(
        _FIRST_OVERSIZED, (max_note_chars, max_note_chars, max_value_chars)
    ).fetchone()
    return row


_CASE_REVISIONS_OVER = sqlite_sql(
    first_row(
        select(func.count().label("n"))
        .select_from(REVISION)
        .group_by(REVISION.c.case_key)
        .having(func.count() > param("limit"))
    ),
    ("limit",),
)


def case_revisions_over(conn: Connection, limit: int) -> int | None:
    """How many revisions a case holds, for a case that holds more than `limit`, if any."""
    row = conn.execute(_CASE_REVISIONS_OVER, (limit,)).fetchone()
    return None if row is None else int(row[0])


# -- links -------------------------------------------------------------------------------------

_p = PARENT.alias("p")
_LINK_PROBLEMS = sqlite_sql(
    select(
        func.ifnull(
            func.sum(
                ~exists_in(_r, _r.c.record_key == _p.c.record_key, _r.c.id == _p.c.revision_id)
            ),
            const(0),
        ),
        func.ifnull(func.sum(_p.c.parent_id == _p.c.revision_id), const(0)),
    ).select_from(_p)
)


def link_problems(conn: Connection) -> tuple[int, int]:
    """How many parent links belong to no revision of the file of the same value, and how
    many name their own revision as its parent."""
    dangling, own = conn.execute(_LINK_PROBLEMS).fetchone()
    return int(dangling), int(own)


# -- keys (once the copy's current values are worked out afresh) -------------------------------

_c = CURRENT.alias("c")
_FIRST_ASTRAY_FIELD = sqlite_sql(
    first_row(
        select(_r.c.field)
        .select_from(_r.join(_c, _c.c.record_key == _r.c.record_key))
        .where(
            or_(
                _c.c.case_key.is_distinct_from(_r.c.case_key),
                _c.c.kind != _r.c.kind,
                _c.c.field != _r.c.field,
            )
        )
    )
)


def first_astray_field(conn: Connection) -> str | None:
    """The field of a revision whose case, kind or field differs from its key's current
    value's (so from the key's other revisions), if there is one."""
    row = conn.execute(_FIRST_ASTRAY_FIELD).fetchone()
    return None if row is None else str(row[0])


_VALUE_KEYS = sqlite_sql(
    select(CURRENT.c.record_key, CURRENT.c.case_key, CURRENT.c.kind, CURRENT.c.field)
)


def value_keys(conn: Connection) -> Iterator[ValueKey]:
    """Every key the copy holds, once, with the case, kind and field it must be made of."""
    rows: Iterator[ValueKey] = conn.execute(_VALUE_KEYS)
    return rows


# -- values ------------------------------------------------------------------------------------


def distinct_values(
    conn: Connection, kinds: Sequence[str]
) -> Iterator[tuple[str, str, str | None, str | None]]:
    """Each distinct (kind, field, value) among revisions of `kinds`, with one case it is
    on (the first by key): values are checked once each, however many cases hold them."""
    rows: Iterator[tuple[str, str, str | None, str | None]] = conn.execute(
        *_distinct_values(tuple(kinds))
    )
    return rows


@cache
def _distinct_values(kinds: tuple[str, ...]) -> tuple[str, tuple[object, ...]]:
    kind = REVISION.c.kind
    return sqlite_call(
        select(kind, _FIELD, _VALUE, func.min(REVISION.c.case_key))
        .where(kind.in_(kinds))
        .group_by(kind, _FIELD, _VALUE)
    )


_ALLOWED = Table(
    "allowed_answer",
    MetaData(),
    Column("field", Text),
    Column("value", Text),
    PrimaryKeyConstraint("field", "value"),
    schema=TEMP,
    prefixes=["TEMPORARY"],
    sqlite_with_rowid=False,
)
_CREATE_ALLOWED = sqlite_sql(CreateTable(_ALLOWED, if_not_exists=True))
_CLEAR_ALLOWED = sqlite_sql(_ALLOWED.delete())
# An option is stored as its canonical JSON text, as an answer's value is.
_ALLOW = sqlite_sql(
    insert(_ALLOWED)
    .inline()  # nothing returned: the key is the row itself
    .prefix_with("OR IGNORE")
    .values(field=param("field"), value=func.json_quote(param("option"))),
    ("field", "option"),
)


def first_answer_outside_scales(
    conn: Connection,
    kind: str,
    allowed: Iterable[tuple[str, str]],
    free_text: Collection[str],
) -> tuple[str | None, str, str] | None:
    """The (case key, field, value) of a revision of `kind` whose value is neither one its
    field allows (`allowed`: (field, option) pairs) nor, for a field in `free_text`, text;
    None if every one is. A cleared value (NULL) is always allowed."""
    conn.execute(_CREATE_ALLOWED)
    conn.execute(_CLEAR_ALLOWED)
    conn.executemany(_ALLOW, allowed)
    outside = _answer_outside_scales(kind, tuple(free_text) or ("",))
    row: tuple[str | None, str, str] | None = conn.execute(*outside).fetchone()
    return row


@cache
def _answer_outside_scales(kind: str, free_text: tuple[str, ...]) -> tuple[str, tuple[object, ...]]:
    """The statement for `first_answer_outside_scales`, with its values."""
    i, a = REVISION.alias("i"), _ALLOWED.alias("a")
    text_problem = func.json_type(i.c.value).op("IS NOT", is_comparison=True)(const("text"))
    not_allowed = ~exists_in(a, a.c.field == i.c.field, a.c.value == i.c.value)
    outside = first_row(
        select(i.c.case_key, i.c.field, i.c.value).where(
            i.c.kind == kind,
            i.c.value.is_not(None),
            case((i.c.field.in_(free_text), text_problem), else_=not_allowed),
        )
    )
    return sqlite_call(outside)


# -- what the merge needs of a copy that passed ----------------------------------------------

_REVISIONS_SUMMARY = sqlite_sql(
    select(
        func.count(),
        func.max(_HLC),
        func.ifnull(func.sum(REVISION.c.author != param("owner_id")), const(0)),
    ),
    ("owner_id",),
)


def revisions_summary(conn: Connection, owner_id: str) -> tuple[int, str | None, int]:
    """How many revisions the copy holds, its newest stamp, and how many are signed by
    someone other than `owner_id`: gathered while checking, so the merge reads less."""
    count, newest, foreign = conn.execute(_REVISIONS_SUMMARY, (owner_id,)).fetchone()
    return int(count), newest, int(foreign)


_CASE_KEYS_WITH_VALUES = sqlite_sql(select(CURRENT.c.case_key).distinct())


def case_keys_with_values(conn: Connection) -> frozenset[str | None]:
    """The cases the copy holds values of (None for a report-level value), read from the
    case index of its current values."""
    return frozenset(r[0] for r in conn.execute(_CASE_KEYS_WITH_VALUES))


_ASKED = Table(
    "asked",
    MetaData(),
    Column("record_key", Text),
    Column("id", Text),
    schema=TEMP,
    prefixes=["TEMPORARY"],
)
_CREATE_ASKED = sqlite_sql(CreateTable(_ASKED))
_ASK = sqlite_sql(
    insert(_ASKED).values(record_key=param("record_key"), id=param("id")), ("record_key", "id")
)
_held = _ASKED.alias("a")
_m = in_schema("main").revision.alias("r")
_HELD = sqlite_sql(
    select(_held.c.record_key, _held.c.id).where(
        exists_in(_m, _m.c.record_key == _held.c.record_key, _m.c.id == _held.c.id)
    )
)


def held_revisions(conn: Connection, keys: Sequence[tuple[str, str]]) -> set[tuple[str, str]]:
    """Which of these revisions (record key, id) `conn`'s file holds (its own connection:
    a temp table of the keys asked is made on it)."""
    conn.execute(_CREATE_ASKED)
    conn.executemany(_ASK, keys)
    return set(conn.execute(_HELD))
