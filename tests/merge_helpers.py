"""Helpers for merge tests: canonical content of a file, and closed-file hashing."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.conftest import file_hash


def content(path: Path) -> tuple:
    """What a merge may change, in a canonical order (not the file's replica or pages)."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return (
            tuple(conn.execute("SELECT * FROM revision ORDER BY id")),
            tuple(
                conn.execute(
                    "SELECT * FROM revision_parent ORDER BY revision_id, parent_id, record_key"
                )
            ),
            tuple(conn.execute("SELECT * FROM current_value ORDER BY record_key")),
        )
    finally:
        conn.close()


def closed_hash(path: Path) -> str:
    """Hash of a closed file (no WAL beside it), so 'byte-for-byte unchanged' is meaningful."""
    assert not Path(str(path) + "-wal").exists() or Path(str(path) + "-wal").stat().st_size == 0
    return file_hash(path)
