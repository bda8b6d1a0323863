"""The one place that opens SQLite connections to inspection files and sets their pragmas.

Every connection, the GUI's, a worker's, the CLI's or a merge's, goes through `connect`, so a
file is never touched without foreign keys, WAL, full sync and secure delete.
"""

from __future__ import annotations

import contextlib
import sqlite3
import struct
from dataclasses import dataclass
from pathlib import Path

from inspector_app.core.errors import FileRefused

# 'IAPP' in the SQLite header marks a file as ours (header offset 68).
APPLICATION_ID = 0x49415050
SQLITE_MAGIC = b"SQLite format 3\x00"
_HEADER_SIZE = 100

# Tables and indexes a file of ours may contain; anything else (a trigger, a view, a stranger's
# table) is refused when a file from outside is checked.
SQLITE_INTERNAL_PREFIX = "sqlite_"


@dataclass(frozen=True)
class Header:
    """What the first 100 bytes of a file say, read without opening it as a database."""

    is_sqlite: bool
    application_id: int
    user_version: int
    size: int


def read_header(path: Path) -> Header:
    """Read the SQLite header so a foreign or newer file can be refused before SQLite sees it."""
    with open(path, "rb") as handle:
        head = handle.read(_HEADER_SIZE)
    size = path.stat().st_size
    if len(head) < _HEADER_SIZE or not head.startswith(SQLITE_MAGIC):
        return Header(is_sqlite=False, application_id=0, user_version=0, size=size)
    user_version, application_id = (
        struct.unpack(">i", head[60:64])[0],
        struct.unpack(">I", head[68:72])[0],
    )
    return Header(True, application_id, user_version, size)


def deny_trigger_and_view_actions(
    action: int, arg1: str | None, arg2: str | None, db: str | None, inner: str | None
) -> int:
    """Authorizer: refuse anything SQLite would run on behalf of a trigger or a view."""
    if inner:
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


def connect(
    path: Path | str, *, readonly: bool = False, untrusted: bool = False
) -> sqlite3.Connection:
    """Open `path` with the pragmas every inspection file needs.

    The connection is in autocommit mode (`isolation_level=None`): callers open transactions
    explicitly with BEGIN, so a migration or a merge is all-or-nothing.
    `untrusted` is for files from outside (a USB stick): nothing runs on behalf of a trigger
    or a view, and damaged cells are detected. Paths are passed as URIs so that a merge can
    ATTACH a source read-only.
    """
    path = Path(path)
    uri = path.resolve().as_uri() + ("?mode=ro" if readonly else "")
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=True)
    try:
        _apply_pragmas(conn, readonly=readonly, untrusted=untrusted)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise FileRefused(
            f"{path.name}: the file is damaged or not an inspection file ({exc})"
        ) from exc
    return conn


def _apply_pragmas(conn: sqlite3.Connection, *, readonly: bool, untrusted: bool) -> None:
    conn.execute("PRAGMA trusted_schema = OFF")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA secure_delete = ON")
    conn.execute("PRAGMA busy_timeout = 5000")
    # Merges insert hundreds of thousands of rows into keyed B-trees: a page cache that holds
    # the indexes (allocated only as used) keeps them off the disk; temp tables stay in memory.
    conn.execute("PRAGMA cache_size = -131072")
    conn.execute("PRAGMA temp_store = MEMORY")
    if untrusted:
        conn.execute("PRAGMA cell_size_check = ON")
        conn.set_authorizer(deny_trigger_and_view_actions)
    if not readonly:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")


def set_header(conn: sqlite3.Connection, user_version: int) -> None:
    """Mark a file as ours and record its schema generation (inside the caller's transaction)."""
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {int(user_version)}")


def checkpoint_and_close(conn: sqlite3.Connection) -> None:
    """Fold the WAL back into the file before closing, so a closed file is a single file."""
    with contextlib.suppress(sqlite3.DatabaseError):
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
