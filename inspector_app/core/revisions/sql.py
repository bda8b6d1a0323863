"""The statements of the revision log that a file open for editing runs, declared in
SQLAlchemy Core over the tables of models.py, and compiled ahead into compiled.py.

Why ahead: the modules that run them (log, current, reads, authors, review_records) load when
a file opens, and importing the models (SQLModel, pydantic) would add a quarter of a second
to every start; each keystroke's save must not compile anything either. So this module is
imported only to write compiled.py (`python -m inspector_app.core.revisions.sql`), by the test
that checks compiled.py is current, and by a merge, for the statements shaped by its sources
(`recompute_settled_sql`, `copy_settled_sql`: compiled once per shape).

Each fixed statement is listed in FIXED with the names of its ?s, in the order a caller passes
their values. The comments on a statement say why it is shaped so; plans matter here, since a
merge runs these over hundreds of thousands of revisions.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Delete,
    Insert,
    Select,
    Table,
    and_,
    delete,
    distinct,
    func,
    insert,
    null,
    select,
    union_all,
)
from sqlalchemy.dialects.sqlite import insert as upsert
from sqlalchemy.schema import CreateTable, DropIndex
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import FromClause, Join

from inspector_app.core.revisions.tables import (
    CASE_INDEX,
    CURRENT,
    PARENT,
    REVISION,
    SQLITE_MASTER,
    TOUCHED,
    exists_in,
    first_row,
    flag,
    listed,
    rowid,
)
from inspector_app.core.storage.statements import (
    Fixed,
    compiled_module,
    const,
    cross_join,
    param,
    sqlite_sql,
)

r = REVISION.alias("r")
p = PARENT.alias("p")
c = CURRENT.alias("c")
t = TOUCHED.alias("t")


def is_head(revision: FromClause) -> ColumnElement[bool]:
    """No revision of the same value names `revision` as its parent (the parent table is
    keyed by value, then parent: one probe)."""
    return ~exists_in(p, p.c.record_key == revision.c.record_key, p.c.parent_id == revision.c.id)


def _with_winning_revision(current: FromClause) -> Join:
    """A current value joined to the revision that won (its note, author and stamp)."""
    return current.join(
        r, and_(r.c.record_key == current.c.record_key, r.c.id == current.c.revision_id)
    )


# -- log: writing -----------------------------------------------------------------------------

CURRENT_HEAD_OF_KEY = select(CURRENT.c.revision_id, CURRENT.c.head_count).where(
    CURRENT.c.record_key == param("record_key")
)
HEADS_OF_KEY = select(r.c.id).where(r.c.record_key == param("record_key"), is_head(r))
_REVISION_PARAMS = tuple(column.name for column in REVISION.columns)
INSERT_REVISION = insert(REVISION).values({name: param(name) for name in _REVISION_PARAMS})
_PARENT_PARAMS = ("record_key", "parent_id", "revision_id")
INSERT_PARENT = insert(PARENT).values({name: param(name) for name in _PARENT_PARAMS})
# An edit that saw every head is the value's only head.
_SOLE_HEAD_PARAMS = ("record_key", "kind", "case_key", "field", "value", "revision_id")
SET_SOLE_HEAD = (
    insert(CURRENT)
    .prefix_with("OR REPLACE")
    .values(
        {name: param(name) for name in _SOLE_HEAD_PARAMS}
        | {"head_count": const(1), "conflicted": const(0)}
    )
)

# -- log: recomputing current values ----------------------------------------------------------

_CURRENT_COLUMNS = [column.name for column in CURRENT.columns]


def _insert_winners(
    source: FromClause, group: ColumnElement[object], *where: ColumnElement[bool]
) -> Insert:
    """Key by key, from each key's heads, in key order (so no sorting, and current_value is
    filled in its own order). The winner is the newest by clock stamp, then by id: SQLite
    takes the bare columns from the row holding the one max(); a stamp holds only digits,
    dots and hex letters, so the space keeps (stamp, id) order."""
    heads = (
        select(
            r.c.record_key,
            r.c.kind,
            r.c.case_key,
            r.c.field,
            r.c.value,
            r.c.id,
            func.max(r.c.hlc + const(" ") + r.c.id),
            func.count().label("heads"),
            func.count(distinct(func.ifnull(r.c.value, const("")))).label("values_"),
        )
        .select_from(source)
        .where(*where, is_head(r))
        .group_by(group)
        .subquery("head")
    )
    winners = select(
        heads.c.record_key,
        heads.c.kind,
        heads.c.case_key,
        heads.c.field,
        heads.c.value,
        heads.c.id,
        heads.c.heads,
        heads.c.values_ > const(1),
    )
    return insert(CURRENT).from_select(_CURRENT_COLUMNS, winners)


def _recompute_touched(*unsettled: ColumnElement[bool]) -> tuple[Select[Any], Delete, Insert]:
    """How many keys are touched and how many of them are left to work out here (those that
    meet `unsettled`; without, all); deleting their current values; working them out from
    their heads."""
    counted = func.ifnull(func.sum(and_(*unsettled)), const(0)) if unsettled else func.count()
    left = select(t.c.record_key).where(*unsettled)
    # The touched keys drive the loop (CROSS JOIN keeps them outside), in their own order.
    winners = _insert_winners(
        cross_join(t, r, r.c.record_key == t.c.record_key), t.c.record_key, *unsettled
    )
    return (
        select(func.count(), counted).select_from(t),
        delete(CURRENT).where(CURRENT.c.record_key.in_(left)),
        winners,
    )


COUNT_TOUCHED, DELETE_TOUCHED, INSERT_WINNERS_OF_TOUCHED = _recompute_touched()


@cache
def recompute_settled_sql(sources: tuple[int, ...]) -> tuple[str, str, str]:
    """The SQL of `_recompute_touched` for the touched keys of none of the `sources` (the
    others take the current values worked out in their copy), compiled once per set."""
    unsettled = func.ifnull(t.c.source, const(-1)).not_in([const(s) for s in sources])
    count, delete_, insert_winners = _recompute_touched(unsettled)
    return sqlite_sql(count), sqlite_sql(delete_), sqlite_sql(insert_winners)


INSERT_WINNERS_OF_EVERY_KEY = _insert_winners(r, r.c.record_key)
DELETE_EVERY_CURRENT = delete(CURRENT)
COUNT_KEYS = select(func.count()).select_from(
    select(const(1)).select_from(REVISION).group_by(REVISION.c.record_key).subquery()
)
COUNT_CURRENT = select(func.count()).select_from(CURRENT)
CASE_INDEX_DEFINITION = select(SQLITE_MASTER.c.sql).where(
    SQLITE_MASTER.c.type == const("index"), SQLITE_MASTER.c.name == const(str(CASE_INDEX.name))
)
DROP_CASE_INDEX = DropIndex(CASE_INDEX)
CREATE_TOUCHED = CreateTable(TOUCHED, if_not_exists=True)
CLEAR_TOUCHED = delete(TOUCHED)
# A key a union appended to is worked out here, whatever source another file claimed. (The
# WHERE also tells SQLite's parser that ON CONFLICT is no join's ON.)
ADD_TOUCHED_FROM_ROWS = (
    upsert(TOUCHED)
    .from_select(
        ["record_key"],
        select(REVISION.c.record_key).where(rowid(REVISION).between(param("first"), param("last"))),
    )
    .on_conflict_do_update(index_elements=[TOUCHED.c.record_key], set_={"source": null()})
)
TOUCH_KEY = insert(TOUCHED).prefix_with("OR IGNORE").values(record_key=param("record_key"))


def copy_settled(arms: tuple[tuple[int, Table, bool], ...]) -> Insert:
    """Copy, in one statement, the current values worked out elsewhere: for each (source,
    table, whole) the table's rows, all of them when `whole`, else those of the keys touched
    with that source. Each table is in key order: SQLite merges them (no sort), so
    current_value is filled in its own order."""
    selects = []
    for source, table, whole in arms:
        s = table.alias("s")
        rows = select(*(s.c[name] for name in _CURRENT_COLUMNS))
        if not whole:
            rows = rows.where(
                exists_in(t, t.c.record_key == s.c.record_key, t.c.source == const(source))
            )
        selects.append(rows)
    return insert(CURRENT).from_select(_CURRENT_COLUMNS, union_all(*selects).order_by("record_key"))


@cache
def copy_settled_sql(arms: tuple[tuple[int, Table, bool], ...]) -> str:
    """`copy_settled`, compiled once per shape (the same sources are attached again in the
    next merge)."""
    return sqlite_sql(copy_settled(arms))


# -- log: reading -------------------------------------------------------------------------------

PARENT_LINKS_OF_KEY = select(PARENT.c.revision_id, PARENT.c.parent_id).where(
    PARENT.c.record_key == param("record_key")
)
HISTORY = (
    select(REVISION)
    .where(REVISION.c.record_key == param("record_key"))
    .order_by(REVISION.c.hlc, REVISION.c.id)
)
HEAD_REVISIONS = (
    select(r)
    .where(r.c.record_key == param("record_key"), is_head(r))
    .order_by(r.c.hlc.desc(), r.c.id.desc())
)
LATEST_STAMP = select(func.max(REVISION.c.hlc))

# -- current values -----------------------------------------------------------------------------

_CASE_VALUE = select(
    c.c.case_key,
    c.c.kind,
    c.c.field,
    c.c.value,
    r.c.note,
    r.c.author,
    r.c.hlc,
    c.c.conflicted,
).select_from(_with_winning_revision(c))
CASE_VALUES = _CASE_VALUE.where(c.c.case_key.is_not(None))
CASE_VALUES_OF = _CASE_VALUE.where(c.c.case_key.in_(listed("case_keys")))
# Every current value without its revision, for a summary of every case: one pass over the
# table in its own order (through the case index it would cost a probe per value, and the
# join with the revision two more). Values of no case come too; the caller skips them.
EVERY_VALUE = select(
    CURRENT.c.case_key, CURRENT.c.kind, CURRENT.c.field, CURRENT.c.value, CURRENT.c.conflicted
)
# The current values of a kind whose field and value (as stored), joined by a unit separator,
# are one of `pairs`, and whose winning revision's note may be blank (it holds no letter or
# digit), with that note: where a summary needs to know whether a note was written.
# Revisions first, in their own order, so only those few probe current_value.
MAYBE_BLANK_NOTES = (
    select(c.c.case_key, c.c.field, r.c.note)
    .select_from(
        cross_join(r, c, and_(c.c.record_key == r.c.record_key, c.c.revision_id == r.c.id))
    )
    .where(
        r.c.kind == param("kind"),
        ~r.c.note.op("GLOB", is_comparison=True)(const("*[A-Za-z0-9]*")),
        (r.c.field + func.char(const(31)) + r.c.value).in_(listed("pairs")),
    )
)
VALUE_AND_NOTE = (
    select(c.c.value, r.c.note, c.c.conflicted)
    .select_from(_with_winning_revision(c))
    .where(c.c.record_key == param("record_key"))
)
VALUE_OF = select(CURRENT.c.value, CURRENT.c.conflicted).where(
    CURRENT.c.record_key == param("record_key")
)
REPORT_VALUES = select(CURRENT.c.field, CURRENT.c.value, CURRENT.c.conflicted).where(
    CURRENT.c.kind == param("kind"), CURRENT.c.case_key.is_(None)
)
VALUES_BY_CASE = select(CURRENT.c.case_key, CURRENT.c.value).where(
    CURRENT.c.kind == param("kind"),
    CURRENT.c.field == param("field"),
    CURRENT.c.case_key.is_not(None),
)
CONFLICTED_KEYS = select(CURRENT.c.record_key).where(flag(CURRENT.c.conflicted))
CONFLICTED_VALUES = select(
    CURRENT.c.record_key, CURRENT.c.case_key, CURRENT.c.kind, CURRENT.c.field
).where(flag(CURRENT.c.conflicted))
CURRENT_REVISION = select(
    CURRENT.c.revision_id,
    CURRENT.c.conflicted,
    CURRENT.c.case_key,
    CURRENT.c.kind,
    CURRENT.c.field,
).where(CURRENT.c.record_key == param("record_key"))

# -- what other areas ask of the revisions ------------------------------------------------------

COUNT_AND_NEWEST = select(func.count(), func.max(REVISION.c.hlc))
CASE_HAS_REVISIONS = first_row(
    select(const(1)).select_from(REVISION).where(REVISION.c.case_key == param("case_key"))
)


def _readers_latest_answers(*within: ColumnElement[bool]) -> Select[Any]:
    """Each author's own latest answer per key; a resolution (it has a reason) is no
    reading."""
    x = REVISION.alias("x")
    latest = (
        select(func.max(x.c.hlc))
        .where(x.c.record_key == r.c.record_key, x.c.author == r.c.author)
        .where(x.c.reason == const(""))
        .scalar_subquery()
    )
    return select(r.c.record_key, r.c.case_key, r.c.author, r.c.value).where(
        r.c.kind == param("kind"), r.c.reason == const(""), *within, r.c.hlc == latest
    )


READERS_LATEST_ANSWERS = _readers_latest_answers()
READERS_LATEST_ANSWERS_OF = _readers_latest_answers(r.c.case_key.in_(listed("case_keys")))
# A resolution is written with a reason, on top of two or more heads at once.
RESOLUTIONS = select(r.c.record_key, r.c.id, r.c.hlc).where(
    r.c.reason != const(""),
    select(func.count())
    .select_from(p)
    .where(p.c.record_key == r.c.record_key, p.c.revision_id == r.c.id)
    .scalar_subquery()
    >= const(2),
)

# -- authors ----------------------------------------------------------------------------------

WORK_BY_AUTHOR = select(REVISION.c.author, func.count(), func.max(REVISION.c.hlc)).group_by(
    REVISION.c.author
)
HAS_WRITTEN = first_row(
    select(const(1)).select_from(REVISION).where(REVISION.c.author == param("author"))
)
CASES_WRITTEN_BY = (
    select(REVISION.c.case_key)
    .distinct()
    .where(REVISION.c.author == param("author"), REVISION.c.case_key.in_(listed("case_keys")))
)

# -- review records -----------------------------------------------------------------------------

_REVIEW_VALUE = select(
    c.c.case_key, c.c.field, c.c.value, r.c.author, r.c.hlc, c.c.conflicted
).select_from(_with_winning_revision(c))
REVIEW_VALUES = _REVIEW_VALUE.where(c.c.kind == param("kind"))
REVIEW_VALUES_OF_CASE = _REVIEW_VALUE.where(
    c.c.case_key == param("case_key"), c.c.kind == param("kind")
)
FIRST_WRITTEN = (
    select(REVISION.c.field, func.min(REVISION.c.hlc), func.count())
    .where(REVISION.c.case_key == param("case_key"), REVISION.c.kind == param("kind"))
    .group_by(REVISION.c.record_key)
)
SIGNED_OFF = (
    select(c.c.case_key, r.c.author, r.c.hlc)
    .select_from(_with_winning_revision(c))
    .where(
        c.c.kind == param("kind"),
        c.c.field == param("field"),
        c.c.value == const("true"),
        c.c.case_key.is_not(None),
    )
)

# -- the fixed statements, by the name compiled.py gives their SQL ----------------------------

FIXED: dict[str, Fixed] = {
    "CURRENT_HEAD_OF_KEY": (CURRENT_HEAD_OF_KEY, ("record_key",)),
    "HEADS_OF_KEY": (HEADS_OF_KEY, ("record_key",)),
    "INSERT_REVISION": (INSERT_REVISION, _REVISION_PARAMS),
    "INSERT_PARENT": (INSERT_PARENT, _PARENT_PARAMS),
    "SET_SOLE_HEAD": (SET_SOLE_HEAD, _SOLE_HEAD_PARAMS),
    "COUNT_TOUCHED": (COUNT_TOUCHED, ()),
    "DELETE_TOUCHED": (DELETE_TOUCHED, ()),
    "INSERT_WINNERS_OF_TOUCHED": (INSERT_WINNERS_OF_TOUCHED, ()),
    "INSERT_WINNERS_OF_EVERY_KEY": (INSERT_WINNERS_OF_EVERY_KEY, ()),
    "DELETE_EVERY_CURRENT": (DELETE_EVERY_CURRENT, ()),
    "COUNT_KEYS": (COUNT_KEYS, ()),
    "COUNT_CURRENT": (COUNT_CURRENT, ()),
    "CASE_INDEX_DEFINITION": (CASE_INDEX_DEFINITION, ()),
    "DROP_CASE_INDEX": (DROP_CASE_INDEX, ()),
    "CREATE_TOUCHED": (CREATE_TOUCHED, ()),
    "CLEAR_TOUCHED": (CLEAR_TOUCHED, ()),
    "ADD_TOUCHED_FROM_ROWS": (ADD_TOUCHED_FROM_ROWS, ("first", "last")),
    "TOUCH_KEY": (TOUCH_KEY, ("record_key",)),
    "PARENT_LINKS_OF_KEY": (PARENT_LINKS_OF_KEY, ("record_key",)),
    "HISTORY": (HISTORY, ("record_key",)),
    "HEAD_REVISIONS": (HEAD_REVISIONS, ("record_key",)),
    "LATEST_STAMP": (LATEST_STAMP, ()),
    "CASE_VALUES": (CASE_VALUES, ()),
    "CASE_VALUES_OF": (CASE_VALUES_OF, ("case_keys",)),
    "EVERY_VALUE": (EVERY_VALUE, ()),
    "MAYBE_BLANK_NOTES": (MAYBE_BLANK_NOTES, ("kind", "pairs")),
    "VALUE_AND_NOTE": (VALUE_AND_NOTE, ("record_key",)),
    "VALUE_OF": (VALUE_OF, ("record_key",)),
    "REPORT_VALUES": (REPORT_VALUES, ("kind",)),
    "VALUES_BY_CASE": (VALUES_BY_CASE, ("kind", "field")),
    "CONFLICTED_KEYS": (CONFLICTED_KEYS, ()),
    "CONFLICTED_VALUES": (CONFLICTED_VALUES, ()),
    "CURRENT_REVISION": (CURRENT_REVISION, ("record_key",)),
    "COUNT_AND_NEWEST": (COUNT_AND_NEWEST, ()),
    "CASE_HAS_REVISIONS": (CASE_HAS_REVISIONS, ("case_key",)),
    "READERS_LATEST_ANSWERS": (READERS_LATEST_ANSWERS, ("kind",)),
    "READERS_LATEST_ANSWERS_OF": (READERS_LATEST_ANSWERS_OF, ("kind", "case_keys")),
    "RESOLUTIONS": (RESOLUTIONS, ()),
    "WORK_BY_AUTHOR": (WORK_BY_AUTHOR, ()),
    "HAS_WRITTEN": (HAS_WRITTEN, ("author",)),
    "CASES_WRITTEN_BY": (CASES_WRITTEN_BY, ("author", "case_keys")),
    "REVIEW_VALUES": (REVIEW_VALUES, ("kind",)),
    "REVIEW_VALUES_OF_CASE": (REVIEW_VALUES_OF_CASE, ("case_key", "kind")),
    "FIRST_WRITTEN": (FIRST_WRITTEN, ("case_key", "kind")),
    "SIGNED_OFF": (SIGNED_OFF, ("kind", "field")),
}

COMPILED = Path(__file__).with_name("compiled.py")
DOC = """The SQL of the revision log's fixed statements, compiled from their Core declarations
in sql.py: generated by `python -m inspector_app.core.revisions.sql`, never edited by hand
(tests/core/test_revision_sql.py fails when it is not current). Each constant's ?s are named,
in order, in sql.FIXED.
"""


def write_compiled() -> None:
    """Write compiled.py afresh from FIXED."""
    COMPILED.write_text(compiled_module(DOC, FIXED), encoding="utf-8")


if __name__ == "__main__":
    write_compiled()
