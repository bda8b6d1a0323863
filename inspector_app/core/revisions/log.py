"""The revision log: every edited value is an immutable revision; current values are heads.

An edit's parents are the heads it saw, so sequential edits form a chain with one head, and
two people changing the same value from the same starting point leave two heads: if their
values differ that is a conflict, kept until someone resolves it. Merging is then a union of
revisions followed by `recompute` for the keys that received new revisions.

All functions work on a raw SQLite connection inside the caller's transaction. Their SQL is
declared in SQLAlchemy Core (sql.py) and compiled ahead (compiled.py), so an edit runs the
statements and nothing else.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, NamedTuple

from inspector_app.core.revisions import compiled
from inspector_app.core.revisions.ids import new_id
from inspector_app.core.storage.dbapi import Connection

if TYPE_CHECKING:
    from sqlalchemy import Table


class Kind(StrEnum):
    """What a revision is a revision of."""

    ANSWER = "answer"
    PROFILE = "profile"
    STATUS = "status"
    NARRATIVE = "narrative"
    REVIEW = "review"  # review notes, their replies and addressed flags (core/cases/review.py)


@dataclass(frozen=True)
class RevisionRow:
    id: str
    record_key: str
    kind: str
    case_key: str | None
    field: str
    value: object
    note: str
    reason: str
    author: str
    hlc: str
    parents: tuple[str, ...] = ()


def encode_value(value: object) -> str | None:
    """Canonical JSON, so equal values compare equal as text (conflict detection in SQL)."""
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def decode_value(text: str | None) -> object:
    return None if text is None else json.loads(text)


def current_heads(conn: Connection, record_key: str) -> list[str]:
    """The revisions of a key that no other revision replaced."""
    single = conn.execute(compiled.CURRENT_HEAD_OF_KEY, (record_key,)).fetchone()
    if single is None:
        return []
    if single[1] == 1:
        return [single[0]]
    return sorted(r[0] for r in conn.execute(compiled.HEADS_OF_KEY, (record_key,)))


def write_revision(
    conn: Connection,
    *,
    record_key: str,
    kind: str,
    case_key: str | None,
    field: str,
    value: object,
    note: str,
    author: str,
    hlc: str,
    reason: str = "",
    parents: Sequence[str] | None = None,
) -> str:
    """Append one revision that supersedes `parents` (by default every current head)."""
    saw_every_head = parents is None
    if parents is None:
        parents = current_heads(conn, record_key)
    revision_id = new_id()
    value_json = encode_value(value)
    conn.execute(
        compiled.INSERT_REVISION,
        (revision_id, record_key, kind, case_key, field, value_json, note, reason, author, hlc),
    )
    if parents:
        conn.executemany(compiled.INSERT_PARENT, [(record_key, p, revision_id) for p in parents])
    if saw_every_head or set(current_heads(conn, record_key)) <= set(parents):
        # The common case: this edit saw every head, so it is now the only one.
        conn.execute(
            compiled.SET_SOLE_HEAD, (record_key, kind, case_key, field, value_json, revision_id)
        )
    else:
        recompute(conn, [record_key])
    return revision_id


class Settled(NamedTuple):
    """Current values worked out elsewhere (for a merge: in a checked file's private copy),
    from exactly the revisions their keys now have here. `table` has current_value's columns
    and holds a row for every key touched with this source; `exact` when it holds no other."""

    table: Table
    exact: bool


def recompute(
    conn: Connection,
    record_keys: Iterable[str] | None = None,
    *,
    settled: Mapping[int, Settled] | None = None,
) -> tuple[int, int]:
    """Rebuild the current values (winner, head count, conflict) for some keys (or, with
    None, the keys listed in the temp table `touched_keys`, which the caller filled).
    A touched key whose `source` is in `settled` takes its row from there; the others are
    worked out from their heads. Returns (values written, keys): fewer values than keys
    means some key has no head."""
    if record_keys is not None:
        _fill_touched(conn, record_keys)
    settled = settled or {}
    touched = _recompute_statements(tuple(int(source) for source in settled))
    keys, unsettled = conn.execute(touched.counts).fetchone()
    if unsettled:  # a settled key is new here: it has no current value to delete
        conn.execute(touched.delete)
    with _case_index_rebuilt(conn, _is_bulk(conn, keys)):
        written = _copy_settled(conn, settled, every_key_settled=not unsettled)
        if unsettled:
            written += conn.execute(touched.insert_winners).rowcount
    return written, keys


class _Touched(NamedTuple):
    """How many keys are touched and how many are left to work out here; deleting those
    keys' current values; working them out from their heads."""

    counts: str
    delete: str
    insert_winners: str


_EVERY_TOUCHED = _Touched(
    compiled.COUNT_TOUCHED, compiled.DELETE_TOUCHED, compiled.INSERT_WINNERS_OF_TOUCHED
)


def _recompute_statements(sources: tuple[int, ...]) -> _Touched:
    """The statements recomputing the touched keys whose source is none of `sources`."""
    if not sources:
        return _EVERY_TOUCHED
    # Shaped by a merge's sources: built in Core (importing the models) only for a merge.
    from inspector_app.core.revisions.sql import recompute_settled_sql

    return _Touched(*recompute_settled_sql(sources))


def _copy_settled(
    conn: Connection, settled: Mapping[int, Settled], *, every_key_settled: bool
) -> int:
    """Copy the settled rows in one statement. A table is read whole when it is exact and
    no key was left to work out here (none was taken from it by another file)."""
    if not settled:
        return 0
    # Shaped by the merge's sources: built in Core (importing the models) only for a merge.
    from inspector_app.core.revisions.sql import copy_settled_sql

    arms = tuple(
        (int(source), table, exact and every_key_settled)
        for source, (table, exact) in settled.items()
    )
    written: int = conn.execute(copy_settled_sql(arms)).rowcount
    return written


def recompute_all(conn: Connection) -> tuple[int, int]:
    """Rebuild every current value of a file from its revisions alone (nothing the file
    said of them is kept). Returns (values written, keys): fewer values than keys means
    some key's revisions replace one another in a loop, leaving it no head."""
    conn.execute(compiled.DELETE_EVERY_CURRENT)
    keys = conn.execute(compiled.COUNT_KEYS).fetchone()[0]
    with _case_index_rebuilt(conn, keys >= BULK_MIN_VALUES):
        written = conn.execute(compiled.INSERT_WINNERS_OF_EVERY_KEY).rowcount
    return written, keys


def _is_bulk(conn: Connection, values: int) -> bool:
    """Whether writing `values` current values is a bulk write: more than the file holds (a
    first merge). The case index is then built once afterwards, from sorted keys, instead
    of entry by entry in random order: the same index, at a fraction of the cost."""
    if values < BULK_MIN_VALUES:  # the usual case (an edit, a small merge): no more reads
        return False
    held: int = conn.execute(compiled.COUNT_CURRENT).fetchone()[0]
    return values >= held


@contextmanager
def _case_index_rebuilt(conn: Connection, rebuild: bool) -> Iterator[None]:
    """With `rebuild`, drop the case index for the block and build it again after it
    (inside the caller's transaction)."""
    row = None
    if rebuild:
        row = conn.execute(compiled.CASE_INDEX_DEFINITION).fetchone()
    if row is None:
        yield
        return
    conn.execute(compiled.DROP_CASE_INDEX)
    yield
    conn.execute(row[0])  # the index's own definition, exactly as the migration created it


# Below this many values, the index is kept and updated in place.
BULK_MIN_VALUES = 1000


def clear_touched(conn: Connection) -> None:
    """Start an empty temp.touched_keys: the keys whose current values must be recomputed,
    each with the `source` that alone holds all its revisions, where one does (see
    recompute's `settled`), else NULL."""
    conn.execute(compiled.CREATE_TOUCHED)
    conn.execute(compiled.CLEAR_TOUCHED)


def add_touched_from_rows(conn: Connection, first_rowid: int, last_rowid: int) -> None:
    """Add to temp.touched_keys the keys of the revisions with rowids first..last (the ones
    a union just appended): only those keys' current values can have changed. Their
    current values are worked out here, whatever source another file claimed."""
    conn.execute(compiled.ADD_TOUCHED_FROM_ROWS, (first_rowid, last_rowid))


def _fill_touched(conn: Connection, record_keys: Iterable[str]) -> None:
    clear_touched(conn)
    conn.executemany(compiled.TOUCH_KEY, [(k,) for k in record_keys])


def _parents_by_revision(conn: Connection, record_key: str) -> dict[str, tuple[str, ...]]:
    """Parent links of a key's revisions."""
    links: dict[str, list[str]] = {}
    for revision_id, parent_id in conn.execute(compiled.PARENT_LINKS_OF_KEY, (record_key,)):
        links.setdefault(revision_id, []).append(parent_id)
    return {k: tuple(sorted(v)) for k, v in links.items()}


# A revision row as stored (the revision table's columns, in order): the value is its JSON
# text, None when cleared.
_StoredRevision = tuple[str, str, str, str | None, str, str | None, str, str, str, str]


def _row(row: _StoredRevision, parents: dict[str, tuple[str, ...]]) -> RevisionRow:
    return RevisionRow(
        id=row[0],
        record_key=row[1],
        kind=row[2],
        case_key=row[3],
        field=row[4],
        value=decode_value(row[5]),
        note=row[6],
        reason=row[7],
        author=row[8],
        hlc=row[9],
        parents=parents.get(row[0], ()),
    )


def history(conn: Connection, record_key: str) -> list[RevisionRow]:
    """Every revision of a value, oldest first."""
    rows = conn.execute(compiled.HISTORY, (record_key,)).fetchall()
    parents = _parents_by_revision(conn, record_key)
    return [_row(r, parents) for r in rows]


def head_revisions(conn: Connection, record_key: str) -> list[RevisionRow]:
    """The heads of a value, newest first; two or more with different values is a conflict."""
    rows = conn.execute(compiled.HEAD_REVISIONS, (record_key,)).fetchall()
    parents = _parents_by_revision(conn, record_key)
    return [_row(r, parents) for r in rows]


def latest_stamp(conn: Connection) -> str | None:
    """The newest clock stamp in the file, so the clock resumes past it."""
    row = conn.execute(compiled.LATEST_STAMP).fetchone()
    return row[0] if row else None
