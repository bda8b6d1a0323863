"""The union of revision logs, in SQL: a checked copy's revisions and parent links appended
to the master, and the keys they touched listed for `recompute`.

A source's rows are read where they are, its copy attached read-only, or, for a batch too big
to attach at once, from temp tables they were staged in. A `SourceRows` says which; it is made
here, from a checked alias, never from text a person gave. Everything runs on the master's
connection inside the merge's transaction (staging excepted: it comes before it).

The statements are declared in SQLAlchemy Core. Those over the master alone are compiled
once, at import; those over a source's tables once per table (the same aliases are attached
again by the next merge), never per call.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from sqlalchemy import Table, and_, case, distinct, func, insert, null, or_, select, true
from sqlalchemy.dialects.sqlite import insert as upsert
from sqlalchemy.schema import CreateTable
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import FromClause

from inspector_app.core.revisions.aliases import schema_alias
from inspector_app.core.revisions.log import Settled, add_touched_from_rows
from inspector_app.core.revisions.tables import (
    CURRENT,
    PARENT,
    REVISION,
    TEMP_MASTER,
    TOUCHED,
    exists_in,
    flag,
    in_schema,
    rowid,
    scratch_copy,
)
from inspector_app.core.storage import sql_text
from inspector_app.core.storage.connection import deny_trigger_and_view_actions
from inspector_app.core.storage.dbapi import Connection
from inspector_app.core.storage.statements import const, param, sqlite_sql

_STAGING_ALIAS = "staging_source"
_STAGED_REVISIONS = scratch_copy(REVISION, "staged_revision")
_STAGED_LINKS = scratch_copy(PARENT, "staged_parent")
_REVISION_COLUMNS = [column.name for column in REVISION.columns]
_LINK_COLUMNS = [column.name for column in PARENT.columns]
_MAIN = in_schema("main")
# The ?s that pick a source's share of staged rows: its first and last rowids.
_SHARE = ("first", "last")


@dataclass(frozen=True)
class SourceRows:
    """Where, inside the merge's transaction, a checked source's rows are read from: its
    attached copy (every row), or its share of the rows staged in memory (the rowids
    `revision_rowids` and `link_rowids`)."""

    revisions: Table
    links: Table
    count: int
    current_values: Table | None = None  # the copy's own, worked out when it was checked
    revision_rowids: tuple[int, int] | None = None
    link_rowids: tuple[int, int] | None = None

    @property
    def staged(self) -> bool:
        return self.revision_rowids is not None

    def share(self) -> tuple[int, ...]:
        """The values of the ?s picking this source's revisions (none when attached)."""
        return self.revision_rowids or ()

    def all_new(self, first: int, last: int) -> bool:
        """Whether the rowids first..last the union appended are every revision of the
        source: then what was gathered while checking it describes them exactly."""
        return last - first + 1 == self.count


def _share_of(source: FromClause, staged: bool) -> list[ColumnElement[bool]]:
    """The condition picking a source's share of `source`'s rows: all of an attached copy,
    the rowids `_SHARE` of the staged rows."""
    return [rowid(source).between(param("first"), param("last"))] if staged else []


# -- attaching and staging -----------------------------------------------------------------


def attach_copy(conn: Connection, copy: Path, alias: str, passphrase: str | None) -> None:
    """Attach a checked private copy read-only under `alias` (ATTACH takes its key as text,
    not as a parameter: it is quoted as a literal)."""
    conn.execute(
        sql_text.attach(schema_alias(alias), passphrase or ""),
        (copy.resolve().as_uri() + "?mode=ro",),
    )


def detach(conn: Connection, alias: str) -> None:
    conn.execute(sql_text.detach(schema_alias(alias)))


def attached_rows(alias: str, count: int) -> SourceRows:
    """The rows of a copy attached under `alias`, which holds `count` revisions, with the
    current values its check worked out."""
    tables = in_schema(alias)
    return SourceRows(
        tables.revision, tables.revision_parent, count, current_values=tables.current_value
    )


_CREATE_STAGING = tuple(
    sqlite_sql(CreateTable(table, if_not_exists=True))
    for table in (_STAGED_REVISIONS, _STAGED_LINKS)
)
_IS_TEMP_TABLE = sqlite_sql(
    select(const(1)).select_from(TEMP_MASTER).where(TEMP_MASTER.c.name == param("name")),
    ("name",),
)
_EMPTY = {table.name: sqlite_sql(table.delete()) for table in (_STAGED_REVISIONS, _STAGED_LINKS)}
_NEXT_ROWID = {
    table.name: sqlite_sql(select(func.ifnull(func.max(rowid(table)), const(0)) + const(1)))
    for table in (_STAGED_REVISIONS, _STAGED_LINKS)
}


def prepare_staging(conn: Connection) -> None:
    """Make the empty temp tables a batch too big to attach is staged in (the master's
    columns, none of its rules)."""
    for create in _CREATE_STAGING:
        conn.execute(create)
    clear_staging(conn)


def clear_staging(conn: Connection) -> None:
    """Empty the staging tables, where they exist (the rows staged are offenders' data)."""
    for name, empty in _EMPTY.items():
        if conn.execute(_IS_TEMP_TABLE, (name,)).fetchone():
            conn.execute(empty)


def _staging_copies() -> tuple[str, str]:
    """Copy the attached staging source's revisions (in their order) and links."""
    source = in_schema(_STAGING_ALIAS)
    revisions = select(*(source.revision.c[name] for name in _REVISION_COLUMNS)).order_by(
        rowid(source.revision)
    )
    links = select(*(source.revision_parent.c[name] for name in _LINK_COLUMNS))
    return (
        sqlite_sql(insert(_STAGED_REVISIONS).from_select(_REVISION_COLUMNS, revisions)),
        sqlite_sql(insert(_STAGED_LINKS).from_select(_LINK_COLUMNS, links)),
    )


_STAGE_REVISIONS, _STAGE_LINKS = _staging_copies()


def stage_copy(conn: Connection, copy: Path, passphrase: str | None) -> SourceRows:
    """Copy a checked copy's revisions and links into the staging tables, attaching it only
    while copying (nothing of the file is run: triggers and views are denied)."""
    first_revision = _next_rowid(conn, _STAGED_REVISIONS)
    first_link = _next_rowid(conn, _STAGED_LINKS)
    attach_copy(conn, copy, _STAGING_ALIAS, passphrase)
    conn.set_authorizer(deny_trigger_and_view_actions)
    try:
        conn.execute(_STAGE_REVISIONS)
        conn.execute(_STAGE_LINKS)
    finally:
        conn.set_authorizer(None)
        detach(conn, _STAGING_ALIAS)
    last_revision = _next_rowid(conn, _STAGED_REVISIONS) - 1
    last_link = _next_rowid(conn, _STAGED_LINKS) - 1
    return SourceRows(
        _STAGED_REVISIONS,
        _STAGED_LINKS,
        last_revision - first_revision + 1,
        revision_rowids=(first_revision, last_revision),
        link_rowids=(first_link, last_link),
    )


def _next_rowid(conn: Connection, table: Table) -> int:
    return int(conn.execute(_NEXT_ROWID[table.name]).fetchone()[0])


# -- appending -------------------------------------------------------------------------------

_LAST_ROWID = sqlite_sql(select(func.ifnull(func.max(rowid(_MAIN.revision)), const(0))))


def last_rowid(conn: Connection) -> int:
    """The master's last revision rowid: what a merge appends comes after it."""
    return int(conn.execute(_LAST_ROWID).fetchone()[0])


@cache
def _append_revisions(source: Table, staged: bool) -> str:
    s = source.alias("s")
    rows = select(*(s.c[name] for name in _REVISION_COLUMNS)).where(*_share_of(s, staged))
    append = insert(_MAIN.revision).prefix_with("OR IGNORE")
    return sqlite_sql(append.from_select(_REVISION_COLUMNS, rows), _SHARE if staged else ())


def append_revisions(conn: Connection, rows: SourceRows) -> tuple[int, int]:
    """Append the source's revisions the master lacks (one it holds keeps the master's row).
    Appended rows take the next rowids: returns the first and last, last < first if none."""
    first = last_rowid(conn) + 1
    conn.execute(_append_revisions(rows.revisions, rows.staged), rows.share())
    return first, last_rowid(conn)


@cache
def _append_links(links: Table, staged: bool, only_new: bool) -> str:
    p, m = links.alias("p"), _MAIN.revision.alias("m")
    where = _share_of(p, staged)
    params: tuple[str, ...] = _SHARE if staged else ()
    if only_new:
        where.append(
            exists_in(
                m,
                m.c.record_key == p.c.record_key,
                m.c.id == p.c.revision_id,
                rowid(m) > param("before"),
            )
        )
        params += ("before",)
    rows = select(*(p.c[name] for name in _LINK_COLUMNS)).where(*where)
    append = insert(_MAIN.revision_parent).prefix_with("OR IGNORE")
    return sqlite_sql(append.from_select(_LINK_COLUMNS, rows), params)


def append_links(conn: Connection, rows: SourceRows, first: int, last: int) -> None:
    """Append the source's parent links of the revisions just appended (rowids first..last).
    The checks proved that every link joins two revisions of one value in the file. Only
    the links of revisions added now are taken: a link naming an older revision as child
    would replace a value behind the back of whoever wrote it."""
    only_new = not rows.all_new(first, last)  # every revision was new: so is every link
    params = (*(rows.link_rowids or ()), *((first - 1,) if only_new else ()))
    conn.execute(_append_links(rows.links, rows.staged, only_new), params)


_CASES_APPENDED = sqlite_sql(
    select(func.count(distinct(_MAIN.revision.c.case_key))).where(
        rowid(_MAIN.revision) > param("before")
    ),
    ("before",),
)


def cases_appended(conn: Connection, first: int) -> int:
    """How many cases the revisions appended from rowid `first` on are of (a report-level
    value counts as none)."""
    cases: int = conn.execute(_CASES_APPENDED, (first - 1,)).fetchone()[0]
    return cases


_NEWEST_STAMP_APPENDED = sqlite_sql(
    select(func.max(_MAIN.revision.c.hlc)).where(
        rowid(_MAIN.revision).between(param("first"), param("last"))
    ),
    _SHARE,
)


def newest_stamp_appended(conn: Connection, first: int, last: int) -> str | None:
    """The newest clock stamp of the revisions with rowids first..last, as the master holds
    them."""
    newest = conn.execute(_NEWEST_STAMP_APPENDED, (first, last)).fetchone()[0]
    return str(newest) if newest is not None else None


def _new_to_master(s: FromClause) -> ColumnElement[bool]:
    """A revision the master does not hold yet."""
    m = _MAIN.revision.alias("m")
    return ~exists_in(m, m.c.record_key == s.c.record_key, m.c.id == s.c.id)


@cache
def _count_new_signed_by_others(source: Table, staged: bool) -> str:
    s = source.alias("s")
    count = select(func.count()).select_from(s)
    count = count.where(*_share_of(s, staged), s.c.author != param("author"), _new_to_master(s))
    return sqlite_sql(count, (*(_SHARE if staged else ()), "author"))


def count_new_signed_by_others(conn: Connection, rows: SourceRows, author: str) -> int:
    """How many of the source's revisions the master lacks are signed by someone other than
    `author` (a file's owner answers only for what it adds)."""
    sql = _count_new_signed_by_others(rows.revisions, rows.staged)
    foreign: int = conn.execute(sql, (*rows.share(), author)).fetchone()[0]
    return foreign


@cache
def _count_new_review_not_theirs(source: Table, staged: bool) -> str:
    s, m, o = source.alias("s"), _MAIN.revision.alias("m"), source.alias("o")
    reply_for_another = and_(
        s.c.field.like(const("reply:%")), s.c.field.not_like(const("%:") + s.c.author)
    )
    note_of_another = and_(
        s.c.field.like(const("note:%")),
        or_(
            exists_in(m, m.c.record_key == s.c.record_key, m.c.author != s.c.author),
            exists_in(o, o.c.record_key == s.c.record_key, o.c.author != s.c.author),
        ),
    )
    count = select(func.count()).select_from(s)
    count = count.where(
        *_share_of(s, staged),
        s.c.kind == const("review"),
        or_(reply_for_another, note_of_another),
        _new_to_master(s),
    )
    return sqlite_sql(count, _SHARE if staged else ())


def count_new_review_not_theirs(conn: Connection, rows: SourceRows) -> int:
    """How many of the source's new review records speak for someone else: a reply filed
    under another member's name, or a revision of a note that someone else wrote (its author
    alone may edit or withdraw it). The owner signs every new revision; this is what their
    signature may not claim."""
    sql = _count_new_review_not_theirs(rows.revisions, rows.staged)
    count: int = conn.execute(sql, rows.share()).fetchone()[0]
    return count


@cache
def _case_keys_new_to_master(source: Table, staged: bool) -> str:
    s = source.alias("s")
    keys = select(s.c.case_key).distinct().where(*_share_of(s, staged), _new_to_master(s))
    return sqlite_sql(keys, _SHARE if staged else ())


def case_keys_new_to_master(conn: Connection, rows: SourceRows) -> set[str | None]:
    """The case keys (None for a report-level value) of the source's revisions the master
    lacks: the caller checks them against the owner's allocation."""
    sql = _case_keys_new_to_master(rows.revisions, rows.staged)
    return {row[0] for row in conn.execute(sql, rows.share())}


# -- the keys touched ----------------------------------------------------------------------


@cache
def _mark_touched(current_values: Table, every_revision_new: bool) -> str:
    """The keys of the revisions just appended, each marked as the source's (`index`) when
    the master held no current value of it (so no revision) before."""
    c = _MAIN.current_value.alias("c")

    def source_if_new(s: FromClause) -> ColumnElement[object]:
        held = exists_in(c, c.c.record_key == s.c.record_key)
        return case((held, null()), else_=param("index"))

    if every_revision_new:  # the copy's current values list exactly their keys
        s: FromClause = current_values.alias("s")
        where: list[ColumnElement[bool]] = [true()]
        params: tuple[str, ...] = ("index",)
    else:
        s = _MAIN.revision.alias("s")
        where = [rowid(s).between(param("first"), param("last"))]
        params = ("index", *_SHARE)
    mark = upsert(TOUCHED).from_select(
        ["record_key", "source"], select(s.c.record_key, source_if_new(s)).where(*where)
    )
    # A key another file also touched keeps a source only if it is the same one.
    mark = mark.on_conflict_do_update(
        index_elements=[TOUCHED.c.record_key],
        set_={"source": case((TOUCHED.c.source == mark.excluded.source, TOUCHED.c.source))},
    )
    return sqlite_sql(mark, params)


def mark_touched(
    conn: Connection, rows: SourceRows, index: int, first: int, last: int
) -> Settled | None:
    """List the keys of the revisions just appended (rowids first..last) as touched. A key
    the master held no revision of before the batch, which no other file touches, has exactly
    the revisions of this source's copy: it is marked as the source's (`index`), and its
    current value is the copy's: returned as recompute's `settled`, if any may be."""
    if rows.current_values is None:  # staged: the copies are gone by the time it matters
        add_touched_from_rows(conn, first, last)
        return None
    # The master holds a current value for every key it has revisions of (every write and
    # every merge keeps it so: a key left with no head refuses the merge), so a key without
    # one has no revision there; probing the current values, small in a first merge, is cheap.
    every_revision_new = rows.all_new(first, last)
    params = (int(index),) if every_revision_new else (int(index), first, last)
    conn.execute(_mark_touched(rows.current_values, every_revision_new), params)
    return Settled(rows.current_values, exact=every_revision_new)


_t = TOUCHED.alias("t")
_c = CURRENT.alias("c")
_r = REVISION.alias("r")
_CONFLICTED_TOUCHED_KEYS = sqlite_sql(
    select(_c.c.record_key).where(
        flag(_c.c.conflicted), exists_in(_t, _t.c.record_key == _c.c.record_key)
    )
)


def conflicted_touched_keys(conn: Connection) -> list[str]:
    """The touched keys whose current value is a conflict (conflicts are few: the conflicted
    values are read and the touched ones kept)."""
    return [row[0] for row in conn.execute(_CONFLICTED_TOUCHED_KEYS)]


_ROWIDS_OF_KEY_AFTER = sqlite_sql(
    select(rowid(_MAIN.revision)).where(
        _MAIN.revision.c.record_key == param("record_key"),
        rowid(_MAIN.revision) > param("after"),
    ),
    ("record_key", "after"),
)


def rowids_of_key_after(conn: Connection, record_key: str, after: int) -> list[int]:
    """The rowids past `after` of a key's revisions: which sources brought them."""
    return [row[0] for row in conn.execute(_ROWIDS_OF_KEY_AFTER, (record_key, after))]


_ROWIDS_LEFT_WITHOUT_VALUE = sqlite_sql(
    select(rowid(_r))
    .select_from(_t.join(_r, _r.c.record_key == _t.c.record_key))
    .where(rowid(_r) > param("after"), ~exists_in(_c, _c.c.record_key == _t.c.record_key)),
    ("after",),
)


def rowids_left_without_value(conn: Connection, after: int) -> list[int]:
    """The rowids past `after` of revisions of touched keys that were left with no current
    value (revisions that replace one another in a loop): which sources brought them."""
    return [row[0] for row in conn.execute(_ROWIDS_LEFT_WITHOUT_VALUE, (after,))]
