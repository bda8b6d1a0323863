"""Files in the first schema generation, for upgrade tests: real content, old layout.

The content is made with today's services and then copied, table by table, into a file
created by the generation-1 migration alone, exactly as a file from the first release.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from inspector_app.core.storage import connection
from inspector_app.core.storage.database import Database, upgrade


def downgrade_to_generation_one(current: Path, target: Path) -> Path:
    """Write `target` as a generation-1 file holding everything `current` (closed) holds."""
    return downgrade(current, target, "0001", _generation_one_source)


def _generation_one_source(table: str, columns: list[str]) -> list[str]:
    """Generation 1 kept a column per profile field; today a case keeps JSON."""
    if table != "case_record":
        return columns
    return [c if c in ("key", "sample_no") else f"json_extract(profile, '$.{c}')" for c in columns]


def downgrade(
    current: Path,
    target: Path,
    revision: str,
    source: Callable[[str, list[str]], list[str]] = lambda _table, columns: columns,
) -> Path:
    """Write `target` as a file of the format Alembic `revision` made, holding what `current`
    (closed) holds in the columns that format has; `source` says how to read a table's
    columns from today's file where they differ."""
    target.parent.mkdir(parents=True, exist_ok=True)
    raw = connection.connect(target)
    db = Database(target, raw, readonly=False)
    try:
        upgrade(db, to_revision=revision)
    finally:
        db.close()
    conn = sqlite3.connect(target, isolation_level=None)
    try:
        conn.execute("ATTACH DATABASE ? AS current", (str(current),))
        tables = [
            name
            for (name,) in conn.execute(
                "SELECT name FROM main.sqlite_master WHERE type = 'table'"
                " AND name NOT LIKE 'sqlite_%' AND name <> 'alembic_version'"
            )
        ]
        conn.execute("BEGIN")
        for table in tables:
            columns = [
                name for _cid, name, *_rest in conn.execute(f"PRAGMA main.table_info({table})")
            ]
            conn.execute(
                f"INSERT INTO main.{table} ({', '.join(columns)})"
                f" SELECT {', '.join(source(table, columns))} FROM current.{table}"
            )
        conn.execute("COMMIT")
        conn.execute("DETACH DATABASE current")
        conn.execute("PRAGMA journal_mode = DELETE")
    finally:
        conn.close()
    return target
