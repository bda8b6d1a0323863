"""Helpers for merge tests: canonical content of a file, closed-file hashing, and an open
conflict made directly in a file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.revisions import ids
from inspector_app.core.revisions.log import Kind, write_revision
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


def make_conflict(
    file: InspectionFile,
    case_key: str,
    field: str,
    values: tuple[object, ...] = ("yes", "no"),
    kind: str = Kind.ANSWER,
) -> None:
    """Concurrent edits (by the file's author) that all started from nothing: an open
    conflict when the values differ."""
    record = ids.record_key(case_key, kind, field)
    with file.db.write() as conn:
        for value in values:
            write_revision(
                conn,
                record_key=record,
                kind=kind,
                case_key=case_key,
                field=field,
                value=value,
                note="Evidence on the case record.",
                author=file.author_id(),
                hlc=file.clock.tick(),
                parents=[],
            )
