"""What the screens need of files on disk, without reaching into the storage layer (the
import contracts forbid gui -> core.storage): the errors a save can fail with, whether a file
is encrypted, writing an output safely, and the database engine's version.
"""

from __future__ import annotations

from pathlib import Path

from inspector_app.core.errors import InspectorError
from inspector_app.core.storage.connection import read_header
from inspector_app.core.storage.dbapi import driver
from inspector_app.core.storage.safe_write import write_file_atomically

# What saving can fail with: a refusal fit to show as it is, the database driver's own errors
# (sqlcipher3's DB-API classes, which are not the standard library's sqlite3.Error: a disk I/O
# error is one of them) and the operating system's.
SAVE_ERRORS: tuple[type[BaseException], ...] = (InspectorError, driver.Error, OSError)


def looks_encrypted(path: Path) -> bool:
    """True when the file does not start with SQLite's plain header (an encrypted inspection
    file, or not one of ours at all: opening it tells which)."""
    return not read_header(Path(path)).is_sqlite


def save_output(path: Path, payload: bytes) -> None:
    """Write an export (a spreadsheet, a report) completely or not at all, owner-only, never
    over an inspection file."""
    write_file_atomically(Path(path), payload)


def engine_version() -> str:
    """The SQLite version inside the driver (SQLCipher's), for the About box."""
    return str(driver.sqlite_version)
