"""The revision log: every edited value is an immutable revision; current values are heads.

An edit's parents are the heads it saw, so sequential edits form a chain with one head, and
two people changing the same value from the same starting point leave two heads: if their
values differ that is a conflict, kept until someone resolves it. Merging is then a union of
revisions followed by `recompute` for the keys that received new revisions.

All functions work on a raw SQLite connection inside the caller's transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple

from inspector_app.core.revisions.ids import new_id
from inspector_app.core.storage.dbapi import Connection


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


_HEADS_OF_KEY = (
    "SELECT r.id FROM revision r WHERE r.record_key = ?"
    " AND NOT EXISTS (SELECT 1 FROM revision_parent p"
    " WHERE p.record_key = r.record_key AND p.parent_id = r.id)"
)


def current_heads(conn: Connection, record_key: str) -> list[str]:
    """The revisions of a key that no other revision replaced."""
    single = conn.execute(
        "SELECT revision_id, head_count FROM current_value WHERE record_key = ?", (record_key,)
    ).fetchone()
    if single is None:
        return []
    if single[1] == 1:
        return [single[0]]
    return sorted(r[0] for r in conn.execute(_HEADS_OF_KEY, (record_key,)))


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
        "INSERT INTO revision (id, record_key, kind, case_key, field, value, note, reason,"
        " author, hlc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (revision_id, record_key, kind, case_key, field, value_json, note, reason, author, hlc),
    )
    if parents:
        conn.executemany(
            "INSERT INTO revision_parent (record_key, parent_id, revision_id) VALUES (?, ?, ?)",
            [(record_key, p, revision_id) for p in parents],
        )
    if saw_every_head or set(current_heads(conn, record_key)) <= set(parents):
        # The common case: this edit saw every head, so it is now the only one.
        conn.execute(
            "INSERT OR REPLACE INTO current_value (record_key, kind, case_key, field, value,"
            " revision_id, head_count, conflicted) VALUES (?, ?, ?, ?, ?, ?, 1, 0)",
            (record_key, kind, case_key, field, value_json, revision_id),
        )
    else:
        recompute(conn, [record_key])
    return revision_id


class Settled(NamedTuple):
    """Current values worked out elsewhere (for a merge: in a checked file's private copy),
    from exactly the revisions their keys now have here. `table` has current_value's columns
    and holds a row for every key touched with this source; `exact` when it holds no other."""

    table: str
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
    copied = ", ".join(str(int(source)) for source in settled)
    rest = f"ifnull(t.source, -1) NOT IN ({copied})" if copied else "1"
    keys, unsettled = conn.execute(
        f"SELECT count(*), ifnull(sum({rest}), 0) FROM temp.touched_keys t"
    ).fetchone()
    if unsettled:  # a settled key is new here: it has no current value to delete
        conn.execute(
            "DELETE FROM current_value WHERE record_key IN"
            f" (SELECT t.record_key FROM temp.touched_keys t WHERE {rest})"
        )
    with _case_index_rebuilt(conn, _is_bulk(conn, keys)):
        written = _copy_settled(conn, settled, every_key_settled=not unsettled)
        if unsettled:
            written += conn.execute(_INSERT_WINNERS.format(**_touched_keys(rest))).rowcount
    return written, keys


def _copy_settled(
    conn: Connection, settled: Mapping[int, Settled], *, every_key_settled: bool
) -> int:
    """Copy the settled rows in one statement. Each table is in key order: SQLite merges
    them (no sort), so current_value is filled in its own order, not at random places. A
    table is read whole when it is exact and no key was left to work out here (none was
    taken from it by another file)."""
    if not settled:
        return 0
    arms = []
    for source, (table, exact) in settled.items():
        arm = f"SELECT {_CURRENT_COLUMNS} FROM {table} s"
        if not (exact and every_key_settled):
            arm += (
                " WHERE EXISTS (SELECT 1 FROM temp.touched_keys t"
                f" WHERE t.record_key = s.record_key AND t.source = {int(source)})"
            )
        arms.append(arm)
    written: int = conn.execute(
        f"INSERT INTO current_value ({_CURRENT_COLUMNS}) {' UNION ALL '.join(arms)}"
        " ORDER BY record_key"
    ).rowcount
    return written


def recompute_all(conn: Connection) -> tuple[int, int]:
    """Rebuild every current value of a file from its revisions alone (nothing the file
    said of them is kept). Returns (values written, keys): fewer values than keys means
    some key's revisions replace one another in a loop, leaving it no head."""
    conn.execute("DELETE FROM current_value")
    keys = conn.execute(
        "SELECT count(*) FROM (SELECT 1 FROM revision GROUP BY record_key)"
    ).fetchone()[0]
    with _case_index_rebuilt(conn, keys >= BULK_MIN_VALUES):
        written = conn.execute(_INSERT_WINNERS.format(**_EVERY_KEY)).rowcount
    return written, keys


def _is_bulk(conn: Connection, values: int) -> bool:
    """Whether writing `values` current values is a bulk write: more than the file holds (a
    first merge). The case index is then built once afterwards, from sorted keys, instead
    of entry by entry in random order: the same index, at a fraction of the cost."""
    if values < BULK_MIN_VALUES:  # the usual case (an edit, a small merge): no more reads
        return False
    held: int = conn.execute("SELECT count(*) FROM current_value").fetchone()[0]
    return values >= held


@contextmanager
def _case_index_rebuilt(conn: Connection, rebuild: bool) -> Iterator[None]:
    """With `rebuild`, drop the case index for the block and build it again after it
    (inside the caller's transaction)."""
    row = None
    if rebuild:
        row = conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?", (_CASE_INDEX,)
        ).fetchone()
    if row is None:
        yield
        return
    conn.execute(_DROP_CASE_INDEX)
    yield
    conn.execute(row[0])  # exactly as the migration created it


_CASE_INDEX = "ix_current_value_case_key"
_DROP_CASE_INDEX = f"DROP INDEX {_CASE_INDEX}"
# Below this many values, the index is kept and updated in place.
BULK_MIN_VALUES = 1000


# Key by key, in key order (so no sorting, and current_value is filled in its own order),
# from each key's heads: the revisions no other revision names as parent. The winner is the
# newest by clock stamp, then by id (SQLite takes the bare columns from the row holding the
# max); a stamp holds only digits, dots and hex letters, so the space keeps (stamp, id) order.
# `{keys}` picks the keys (every key of the file, or the touched ones), `{group}` their order.
_CURRENT_COLUMNS = "record_key, kind, case_key, field, value, revision_id, head_count, conflicted"
_INSERT_WINNERS = f"""
    INSERT INTO current_value ({_CURRENT_COLUMNS})
    SELECT record_key, kind, case_key, field, value, id, heads, values_ > 1 FROM (
      SELECT r.record_key, r.kind, r.case_key, r.field, r.value, r.id,
             max(r.hlc || ' ' || r.id), count(*) AS heads,
             count(DISTINCT ifnull(r.value, '')) AS values_
      {{keys}} AND NOT EXISTS (SELECT 1 FROM revision_parent p
                            WHERE p.record_key = r.record_key AND p.parent_id = r.id)
      GROUP BY {{group}})"""
_EVERY_KEY = {"keys": "FROM revision r WHERE 1", "group": "r.record_key"}


def _touched_keys(condition: str) -> dict[str, str]:
    """The touched keys that meet `condition`, grouped in the touched table's order."""
    return {
        "keys": "FROM temp.touched_keys t CROSS JOIN revision r ON r.record_key = t.record_key"
        f" WHERE {condition}",
        "group": "t.record_key",
    }


def clear_touched(conn: Connection) -> None:
    """Start an empty temp.touched_keys: the keys whose current values must be recomputed,
    each with the `source` that alone holds all its revisions, where one does (see
    recompute's `settled`), else NULL."""
    conn.execute(
        "CREATE TEMP TABLE IF NOT EXISTS touched_keys (record_key TEXT PRIMARY KEY, source INTEGER)"
    )
    conn.execute("DELETE FROM temp.touched_keys")


def add_touched_from_rows(conn: Connection, first_rowid: int, last_rowid: int) -> None:
    """Add to temp.touched_keys the keys of the revisions with rowids first..last (the ones
    a union just appended): only those keys' current values can have changed. Their
    current values are worked out here, whatever source another file claimed."""
    conn.execute(
        "INSERT INTO temp.touched_keys (record_key) SELECT record_key FROM revision"
        " WHERE rowid BETWEEN ? AND ? ON CONFLICT (record_key) DO UPDATE SET source = NULL",
        (first_rowid, last_rowid),
    )


def _fill_touched(conn: Connection, record_keys: Iterable[str]) -> None:
    clear_touched(conn)
    conn.executemany(
        "INSERT OR IGNORE INTO temp.touched_keys (record_key) VALUES (?)",
        [(k,) for k in record_keys],
    )


def _parents_by_revision(conn: Connection, record_key: str) -> dict[str, tuple[str, ...]]:
    """Parent links of a key's revisions."""
    links: dict[str, list[str]] = {}
    for revision_id, parent_id in conn.execute(
        "SELECT revision_id, parent_id FROM revision_parent WHERE record_key = ?",
        (record_key,),
    ):
        links.setdefault(revision_id, []).append(parent_id)
    return {k: tuple(sorted(v)) for k, v in links.items()}


# A revision row as stored (REVISION_COLUMNS): the value is its JSON text, None when cleared.
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


REVISION_COLUMNS = (
    "id",
    "record_key",
    "kind",
    "case_key",
    "field",
    "value",
    "note",
    "reason",
    "author",
    "hlc",
)
_COLUMNS = ", ".join(REVISION_COLUMNS)


def history(conn: Connection, record_key: str) -> list[RevisionRow]:
    """Every revision of a value, oldest first."""
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM revision WHERE record_key = ? ORDER BY hlc, id", (record_key,)
    ).fetchall()
    parents = _parents_by_revision(conn, record_key)
    return [_row(r, parents) for r in rows]


def head_revisions(conn: Connection, record_key: str) -> list[RevisionRow]:
    """The heads of a value, newest first; two or more with different values is a conflict."""
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM revision r WHERE r.record_key = ?"
        " AND NOT EXISTS (SELECT 1 FROM revision_parent p"
        " WHERE p.record_key = r.record_key AND p.parent_id = r.id)"
        " ORDER BY r.hlc DESC, r.id DESC",
        (record_key,),
    ).fetchall()
    parents = _parents_by_revision(conn, record_key)
    return [_row(r, parents) for r in rows]


def latest_stamp(conn: Connection) -> str | None:
    """The newest clock stamp in the file, so the clock resumes past it."""
    row = conn.execute("SELECT max(hlc) FROM revision").fetchone()
    return row[0] if row else None
