"""The revision log: every edited value is an immutable revision; current values are heads.

An edit's parents are the heads it saw, so sequential edits form a chain with one head, and
two people changing the same value from the same starting point leave two heads: if their
values differ that is a conflict, kept until someone resolves it. Merging is then a union of
revisions followed by `recompute` for the keys that received new revisions.

All functions work on a raw SQLite connection inside the caller's transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from inspector_app.core.ids import new_id
from inspector_app.core.storage.dbapi import Connection


class Kind:
    ANSWER = "answer"
    PROFILE = "profile"
    STATUS = "status"
    NARRATIVE = "narrative"


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
    " AND NOT EXISTS (SELECT 1 FROM revision_parent p WHERE p.parent_id = r.id)"
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
            "INSERT INTO revision_parent (revision_id, parent_id) VALUES (?, ?)",
            [(revision_id, p) for p in parents],
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


def recompute(conn: Connection, record_keys: Iterable[str] | None = None) -> None:
    """Rebuild the current values (winner, head count, conflict) for some keys (or, with
    None, the keys listed in
    the temp table `touched_keys`, which the caller filled)."""
    if record_keys is not None:
        _fill_touched(conn, record_keys)
    # One statement per execute: executescript would COMMIT the caller's transaction.
    for statement in _RECOMPUTE_STATEMENTS:
        conn.execute(statement)


_RECOMPUTE_STATEMENTS = (
    "DELETE FROM current_value WHERE record_key IN (SELECT record_key FROM temp.touched_keys)",
    """INSERT INTO current_value (record_key, kind, case_key, field, value, revision_id,
                                 head_count, conflicted)
       SELECT record_key, kind, case_key, field, value, id, n, disputed
       FROM (
         SELECT r.*,
                count(*) OVER w AS n,
                min(ifnull(r.value, '')) OVER w <> max(ifnull(r.value, '')) OVER w AS disputed,
                row_number() OVER (PARTITION BY r.record_key ORDER BY r.hlc DESC, r.id DESC)
                  AS rank
         FROM temp.touched_keys t JOIN revision r ON r.record_key = t.record_key
         WHERE NOT EXISTS (SELECT 1 FROM revision_parent p WHERE p.parent_id = r.id)
         WINDOW w AS (PARTITION BY r.record_key)
       ) WHERE rank = 1""",
)


# After a union, a key's heads are among its previous heads and the revisions just added, and
# of those only the ones an added revision names as parent were replaced: a revision's
# parents always travel with it (they were in the file it was written in), so nothing already
# in the master can name a newly added revision. Looking only at these keeps a merge's cost
# proportional to what it brings, not to the size of the master. The caller fills
# temp.incoming (the added revisions) and temp.incoming_parent (their parent links).
_RECOMPUTE_AFTER_UNION = (
    "DROP TABLE IF EXISTS temp.candidate",
    "DROP TABLE IF EXISTS temp.replaced",
    """CREATE TEMP TABLE replaced (parent_id TEXT PRIMARY KEY) WITHOUT ROWID""",
    "INSERT OR IGNORE INTO temp.replaced SELECT parent_id FROM temp.incoming_parent",
    # Keyed by id: an added revision is found again among a multi-head key's revisions.
    """CREATE TEMP TABLE candidate (record_key TEXT, id TEXT PRIMARY KEY, kind TEXT,
       case_key TEXT, field TEXT, value TEXT, hlc TEXT)""",
    """INSERT INTO temp.candidate
       SELECT record_key, id, kind, case_key, field, value, hlc FROM temp.incoming""",
    """INSERT OR IGNORE INTO temp.candidate
       SELECT c.record_key, c.revision_id, c.kind, c.case_key, c.field, c.value, r.hlc
       FROM temp.touched_keys t JOIN current_value c ON c.record_key = t.record_key
       JOIN revision r ON r.id = c.revision_id WHERE c.head_count = 1""",
    """INSERT OR IGNORE INTO temp.candidate
       SELECT r.record_key, r.id, r.kind, r.case_key, r.field, r.value, r.hlc
       FROM revision r
       WHERE r.record_key IN (
         SELECT c.record_key FROM temp.touched_keys t
         JOIN current_value c ON c.record_key = t.record_key WHERE c.head_count > 1)
       AND NOT EXISTS (SELECT 1 FROM revision_parent p WHERE p.parent_id = r.id)""",
    "DELETE FROM current_value WHERE record_key IN (SELECT record_key FROM temp.touched_keys)",
    """INSERT INTO current_value (record_key, kind, case_key, field, value, revision_id,
                                 head_count, conflicted)
       SELECT record_key, kind, case_key, field, value, id, n, disputed
       FROM (
         SELECT h.*,
                count(*) OVER w AS n,
                min(ifnull(h.value, '')) OVER w <> max(ifnull(h.value, '')) OVER w AS disputed,
                row_number() OVER (PARTITION BY h.record_key ORDER BY h.hlc DESC, h.id DESC)
                  AS rank
         FROM temp.candidate h
         WHERE NOT EXISTS (SELECT 1 FROM temp.replaced p WHERE p.parent_id = h.id)
         WINDOW w AS (PARTITION BY h.record_key)
       ) WHERE rank = 1""",
    "DROP TABLE temp.candidate",
    "DROP TABLE temp.replaced",
)


def recompute_after_union(conn: Connection) -> None:
    """Recompute current values after the revisions in temp.incoming were added (their keys
    listed in temp.touched_keys, their parent links in temp.incoming_parent); the same result
    as `recompute`, at a fraction of the cost."""
    for statement in _RECOMPUTE_AFTER_UNION:
        conn.execute(statement)


def _fill_touched(conn: Connection, record_keys: Iterable[str]) -> None:
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS touched_keys (record_key TEXT PRIMARY KEY)")
    conn.execute("DELETE FROM temp.touched_keys")
    conn.executemany(
        "INSERT OR IGNORE INTO temp.touched_keys (record_key) VALUES (?)",
        [(k,) for k in record_keys],
    )


def _parents_by_revision(conn: Connection, record_key: str) -> dict[str, tuple[str, ...]]:
    """Parent links of a key's revisions (a revision's parents are of the same key, so the
    links are found from the parent side, which is how the table is keyed)."""
    links: dict[str, list[str]] = {}
    for revision_id, parent_id in conn.execute(
        "SELECT p.revision_id, p.parent_id FROM revision r"
        " JOIN revision_parent p ON p.parent_id = r.id WHERE r.record_key = ?",
        (record_key,),
    ):
        links.setdefault(revision_id, []).append(parent_id)
    return {k: tuple(sorted(v)) for k, v in links.items()}


def _row(row: tuple, parents: dict[str, tuple[str, ...]]) -> RevisionRow:
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
        " AND NOT EXISTS (SELECT 1 FROM revision_parent p WHERE p.parent_id = r.id)"
        " ORDER BY r.hlc DESC, r.id DESC",
        (record_key,),
    ).fetchall()
    parents = _parents_by_revision(conn, record_key)
    return [_row(r, parents) for r in rows]


def latest_stamp(conn: Connection) -> str | None:
    """The newest clock stamp in the file, so the clock resumes past it."""
    row = conn.execute("SELECT max(hlc) FROM revision").fetchone()
    return row[0] if row else None
