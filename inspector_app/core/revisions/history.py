"""A fieldwork file's history as the merge remembers it: how many revisions and parent links
it held up to its newest clock stamp, and a digest of them; and, when the file comes back,
what it holds up to that stamp compared with what it held then.

A file's own clock moves past every stamp the file holds, so whatever it writes after it was
merged is stamped after the newest stamp it held then. When it comes back, the revisions
stamped after that stamp (and their links) are all it can have added: they are copied into a
file of their own (`copy_sent_after`), checked there in full and merged from there. What it
held up to that stamp is read once, here, in SQL, and must digest as it did; a revision
removed, changed or slipped in among them, or a link of one added, removed or changed, shows
as a difference.

Rows are read as stored, by table scans (never through a secondary index, which an altered
file could make lie): revisions in the order they were written (rowid: copies and upgrades
keep that order), links in their key's order. Each row is read as a JSON array of its
columns, so text, numbers and NULL stay apart and no value can pass for two.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlalchemy import LargeBinary, Table, case, cast, func, insert, null, or_, select
from sqlalchemy.sql.elements import ColumnElement

from inspector_app.core.revisions.tables import (
    PARENT,
    REVISION,
    exists_in,
    first_row,
    in_schema,
    rowid,
)
from inspector_app.core.storage.dbapi import Connection, sqlite_version
from inspector_app.core.storage.statements import const, param, sqlite_sql

if TYPE_CHECKING:
    from hashlib import _Hash

# The alias the file a sent file's new revisions are copied into is attached under, to the
# sent file's connection.
ADDED = "added"
_REVISION_COLUMNS = [column.name for column in REVISION.columns]
_LINK_COLUMNS = [column.name for column in PARENT.columns]
_ROWS = const("\n")  # JSON text holds no line break of its own: one row per line
_ROWS_BYTES = b"\n"


class History(NamedTuple):
    """A file's revisions and links up to `stamp` (its newest: None when it holds none)."""

    stamp: str | None
    revisions: int
    links: int
    digest: str


class SentAgain(NamedTuple):
    """A file sent again: what it holds up to the stamp it was merged at (`before`, to
    compare with what it held then), all it holds now (`now`, to remember), how many
    revisions it holds on the cases its new ones are on, with its report-level ones (at
    least as many as any one of those cases holds), and how many revisions it held then
    are repeated, under the same key, among the new ones (which no file written by the app
    holds: a revision's key is unique)."""

    before: History
    now: History
    on_new_cases: int
    repeated: int


# Which SQLite wrote the JSON a digest was taken of: another version might write a value's
# text differently (its escapes), so a digest is compared only with one the same SQLite took.
_READER = f"sqlite-{sqlite_version}:"


def _digest(revisions: _Hash, links: bytes) -> str:
    """The digest of revisions (hashed so far) and links: a copy of the revisions' hash goes
    on, so the same revisions are hashed once for two digests."""
    digest = revisions.copy()
    digest.update(b"\0")
    digest.update(links)
    return _READER + digest.hexdigest()


def read_alike(digest: str) -> bool:
    """Whether `digest` was taken by the SQLite this app runs now, so that a difference in
    it is a difference in the rows."""
    return digest.startswith(_READER)


def _as_json(source: Table, columns: list[str]) -> ColumnElement[str]:
    return func.json_array(*(source.c[name] for name in columns))


def _lines(rows: ColumnElement[Any]) -> ColumnElement[bytes]:
    """The rows (NULL ones left out), one per line, as the bytes the digest reads (NULL for
    none)."""
    return cast(func.group_concat(rows, _ROWS), LargeBinary)


# -- a whole file, when it is first merged -----------------------------------------------------


def _whole_history(schema: str) -> tuple[str, str]:
    """A table scan reads a rowid table in rowid order (no index holds every column, so the
    table itself is read), and a table keyed WITHOUT ROWID in its key's order."""
    revision, parent = in_schema(schema).revision, in_schema(schema).revision_parent
    return (
        sqlite_sql(
            select(
                _lines(_as_json(revision, _REVISION_COLUMNS)),
                func.count(),
                func.max(revision.c.hlc),
            )
        ),
        sqlite_sql(select(_lines(_as_json(parent, _LINK_COLUMNS)), func.count())),
    )


_WHOLE_REVISIONS, _WHOLE_LINKS = _whole_history("main")


def whole_history(conn: Connection) -> History:
    """The history of the file open on `conn` (a checked private copy), to remember once
    it is merged."""
    return _history(conn, _WHOLE_REVISIONS, _WHOLE_LINKS)


def _history(conn: Connection, revisions_sql: str, links_sql: str) -> History:
    revisions, count, newest = conn.execute(revisions_sql).fetchone()
    links, link_count = conn.execute(links_sql).fetchone()
    return History(
        newest, count, link_count, _digest(hashlib.sha256(revisions or b""), links or b"")
    )


# -- a file sent again ---------------------------------------------------------------------------

_sent = in_schema("main")
_new = in_schema(ADDED)
_s, _n = _sent.revision, _new.revision
_OLD = _s.c.hlc <= param("stamp")  # held when merged; NULL (no stamp at all) counts as new


def _when_old(value: ColumnElement[Any], otherwise: ColumnElement[Any] | None = None) -> Any:
    """`value` for a revision held when merged, else `otherwise` (NULL)."""
    return case((_OLD, value), else_=null() if otherwise is None else otherwise)


_COPY_REVISIONS_AFTER = sqlite_sql(
    insert(_n).from_select(
        _REVISION_COLUMNS,
        select(*(_s.c[name] for name in _REVISION_COLUMNS))
        .where(func.ifnull(_OLD, const(0)) == const(0))
        .order_by(rowid(_s)),
    ),
    ("stamp",),
)
# The links of the revisions just copied. Every link is read (a scan: a probe by key could
# miss a row of a table whose keys an altered file put out of order) and few are kept.
_p = _sent.revision_parent
_new_child = exists_in(_n, _n.c.record_key == _p.c.record_key, _n.c.id == _p.c.revision_id)
_COPY_NEW_LINKS = sqlite_sql(
    insert(_new.revision_parent).from_select(
        _LINK_COLUMNS, select(*(_p.c[name] for name in _LINK_COLUMNS)).where(_new_child)
    )
)
# One pass over the sent file's revisions, in their order: those held when merged, as the
# digest reads them; how many it holds; the first one added since; how many it holds on the
# cases (and report-level values) the new ones are on, which bounds any one case's; and how
# many of those it held are repeated (their key) among the new ones.
_repeated = exists_in(_n, _n.c.record_key == _s.c.record_key, _n.c.id == _s.c.id)
_SENT_REVISIONS_SPLIT = sqlite_sql(
    select(
        _lines(_when_old(_as_json(_s, _REVISION_COLUMNS))),
        func.count(),
        func.min(_when_old(null(), rowid(_s))),
        func.count(
            case((or_(_s.c.case_key.in_(select(_n.c.case_key)), _s.c.case_key.is_(None)), const(1)))
        ),
        func.count(_when_old(case((_repeated, const(1))))),
    ),
    ("stamp", "stamp", "stamp"),
)
# The rows from the first one added on: only those added, when no old one comes after them.
_SENT_FROM = sqlite_sql(
    select(_lines(_as_json(_s, _REVISION_COLUMNS)), func.count(_when_old(const(1)))).where(
        rowid(_s) >= param("first")
    ),
    ("stamp", "first"),
)
_NEWEST_COPIED = sqlite_sql(select(func.max(_n.c.hlc)))
_SENT_LINKS_SPLIT = sqlite_sql(
    select(
        _lines(case((~_new_child, _as_json(_p, _LINK_COLUMNS)), else_=null())),
        _lines(_as_json(_p, _LINK_COLUMNS)),
        func.count(),
    )
)


def copy_sent_after(conn: Connection, stamp: str) -> SentAgain:
    """Copy the revisions of the file open on `conn` stamped after `stamp`, with their
    links, into the file attached as ADDED (inside the caller's transaction); and read what
    the sent file holds up to `stamp`, and all it holds."""
    added = conn.execute(_COPY_REVISIONS_AFTER, (stamp,)).rowcount
    added_links = conn.execute(_COPY_NEW_LINKS).rowcount
    split = conn.execute(_SENT_REVISIONS_SPLIT, (stamp, stamp, stamp))
    old, count, first_added, on_new_cases, repeated = split.fetchone()
    old_links, links, link_count = conn.execute(_SENT_LINKS_SPLIT).fetchone()
    old_links, links = old_links or b"", links or b""
    rows = hashlib.sha256(old or b"")
    before = History(stamp, count - added, link_count - added_links, _digest(rows, old_links))
    if not added:
        now = History(stamp, count, link_count, _digest(rows, links))
        return SentAgain(before, now, on_new_cases, repeated)
    new, old_among_new = conn.execute(_SENT_FROM, (stamp, first_added)).fetchone()
    if old_among_new:  # an old revision sits among the new ones: read the file in its order
        now = _history(conn, _WHOLE_REVISIONS, _WHOLE_LINKS)
        return SentAgain(before, now, on_new_cases, repeated)
    newest = conn.execute(_NEWEST_COPIED).fetchone()[0]
    rows.update(_ROWS_BYTES + new if old else new)  # the same lines, in the file's order
    now = History(newest, count, link_count, _digest(rows, links))
    return SentAgain(before, now, on_new_cases, repeated)


_CASE_REVISIONS_OVER = sqlite_sql(
    first_row(
        select(func.count())
        .select_from(_s)
        .where(or_(_s.c.case_key.in_(select(_n.c.case_key)), _s.c.case_key.is_(None)))
        .group_by(_s.c.case_key)
        .having(func.count() > param("limit"))
    ),
    ("limit",),
)


def sent_case_revisions_over(conn: Connection, limit: int) -> int | None:
    """How many revisions the sent file holds on a case, for a case that holds more than
    `limit` among those the new revisions are on (and report-level values), if any: the
    others hold only what was checked before."""
    row = conn.execute(_CASE_REVISIONS_OVER, (limit,)).fetchone()
    return None if row is None else int(row[0])
