"""The one place that opens SQLite connections to inspection files and sets their pragmas.

Every connection, the GUI's, a worker's, the CLI's or a merge's, goes through `connect`, so a
file is never touched without its key (when encrypted), foreign keys, WAL, full sync and
secure delete.
"""

from __future__ import annotations

import contextlib
import os
import stat
import struct
from dataclasses import dataclass
from pathlib import Path

from inspector_app.core.errors import FileRefused, WrongPassphrase
from inspector_app.core.storage import sql_text
from inspector_app.core.storage.dbapi import (
    SQLITE_CANTOPEN,
    SQLITE_DENY,
    SQLITE_NOTADB,
    SQLITE_OK,
    Connection,
    DatabaseError,
    driver,
    error_code,
)
from inspector_app.core.storage.safe_write import create_private, journal_fits, special_kind

# 'IAPP' in the SQLite header marks a file as ours (header offset 68).
APPLICATION_ID = 0x49415050
SQLITE_MAGIC = b"SQLite format 3\x00"
_HEADER_SIZE = 100


@dataclass(frozen=True)
class Header:
    """What the first 100 bytes of a file say, read without opening it as a database.
    An encrypted file's header is ciphertext: `is_sqlite` is False."""

    is_sqlite: bool
    application_id: int
    user_version: int
    size: int


def read_header(path: Path) -> Header:
    """Read the SQLite header so a foreign or newer file can be refused before SQLite sees it.
    Anything but an ordinary file (a folder, a named pipe, a device) is refused (FileRefused)
    without waiting on it: a pipe is opened without blocking and never read."""
    path = Path(path)
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise FileRefused(f"{path.name}: {special_kind(info.st_mode)}, not an inspection file")
        head = os.read(fd, _HEADER_SIZE)
    finally:
        os.close(fd)
    size = info.st_size
    if len(head) < _HEADER_SIZE or not head.startswith(SQLITE_MAGIC):
        return Header(is_sqlite=False, application_id=0, user_version=0, size=size)
    user_version = struct.unpack(">i", head[60:64])[0]
    application_id = struct.unpack(">I", head[68:72])[0]
    return Header(True, application_id, user_version, size)


def deny_trigger_and_view_actions(
    action: int, arg1: str | None, arg2: str | None, db: str | None, inner: str | None
) -> int:
    """Authorizer: refuse anything SQLite would run on behalf of a trigger or a view."""
    return int(SQLITE_DENY) if inner else int(SQLITE_OK)


def connect(
    path: Path | str,
    *,
    readonly: bool = False,
    untrusted: bool = False,
    passphrase: str | None = None,
) -> Connection:
    """Open `path` with the pragmas every inspection file needs.

    The connection is in autocommit mode (`isolation_level=None`): callers open transactions
    explicitly with BEGIN, so a migration or a merge is all-or-nothing.
    `untrusted` is for files from outside (a USB stick): nothing runs on behalf of a trigger
    or a view, and damaged cells are detected. Paths are passed as URIs so that a merge can
    ATTACH a source read-only. With a passphrase the file is encrypted (SQLCipher); a wrong
    passphrase raises WrongPassphrase.
    """
    path = Path(path)
    if passphrase is not None and not passphrase:
        raise WrongPassphrase(f"{path.name}: the passphrase is empty")
    created = False
    if not readonly and not path.exists():
        # A new file is made owner-only before SQLite writes to it; the journal and WAL
        # SQLite puts beside it take the file's mode.
        try:
            create_private(path)
        except OSError as exc:
            raise FileRefused(f"{path.parent}: cannot write here ({exc.strerror or exc})") from exc
        created = True
    try:
        conn = _open(path, readonly, passphrase)
    except DatabaseError as exc:
        if created:
            path.unlink(missing_ok=True)
        if passphrase is not None and error_code(exc) == SQLITE_NOTADB:
            raise WrongPassphrase(
                f"{path.name}: wrong passphrase or not an inspection file"
            ) from exc
        if error_code(exc) == SQLITE_CANTOPEN:
            raise FileRefused(
                f"{path.name}: cannot be opened here ({path.parent} is read-only, missing or full)"
            ) from exc
        raise FileRefused(
            f"{path.name}: the file is damaged or not an inspection file ({exc})"
        ) from exc
    try:
        _apply_pragmas(conn, readonly=readonly, untrusted=untrusted)
    except DatabaseError as exc:
        conn.close()
        if not readonly and error_code(exc) == SQLITE_CANTOPEN and not journal_fits(path):
            raise FileRefused(
                f"{path.name}: the name is too long for the file to be changed here (SQLite "
                "needs room for its journal beside it); give it a shorter name"
            ) from exc
        raise FileRefused(
            f"{path.name}: the file is damaged or not an inspection file ({exc})"
        ) from exc
    return conn


def _open(path: Path, readonly: bool, passphrase: str | None) -> Connection:
    """The raw connection, keyed and proven readable. A file on write-protected media (a
    locked SD card, a read-only share) cannot get the shared-memory file WAL needs beside it;
    a read-only open of a file closed cleanly (no journal left) then reads it as immutable."""
    uri = path.resolve().as_uri()
    try:
        return _keyed(uri + ("?mode=ro" if readonly else ""), passphrase)
    except DatabaseError as exc:
        wal = path.with_name(path.name + "-wal")
        clean = not (wal.exists() and wal.stat().st_size > 0)
        if readonly and clean and error_code(exc) == SQLITE_CANTOPEN:
            return _keyed(uri + "?mode=ro&immutable=1", passphrase)
        raise


def _keyed(uri: str, passphrase: str | None) -> Connection:
    conn = driver.connect(uri, uri=True, isolation_level=None, check_same_thread=True)
    try:
        # A wrong passphrase is reported as an error to the user, not logged by SQLCipher.
        conn.execute("PRAGMA cipher_log_level = NONE")
        if passphrase is not None:
            conn.execute(sql_text.key_pragma(passphrase))
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except BaseException:
        conn.close()
        raise
    return conn


def _apply_pragmas(conn: Connection, *, readonly: bool, untrusted: bool) -> None:
    conn.execute("PRAGMA trusted_schema = OFF")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA secure_delete = ON")
    conn.execute("PRAGMA busy_timeout = 5000")
    # Merges insert hundreds of thousands of rows into keyed B-trees: a page cache that holds
    # the indexes (allocated only as used) keeps them off the disk; temp tables stay in memory
    # (so nothing decrypted is ever written to a temporary file).
    conn.execute("PRAGMA cache_size = -131072")
    conn.execute("PRAGMA temp_store = MEMORY")
    if untrusted:
        conn.execute("PRAGMA cell_size_check = ON")
        conn.set_authorizer(deny_trigger_and_view_actions)
    if not readonly:
        # A file from outside is only ever a private copy, attached read-only once checked:
        # it stays a single file, with no WAL beside it.
        conn.execute(sql_text.set_pragma("journal_mode", "DELETE" if untrusted else "WAL"))
        conn.execute("PRAGMA synchronous = FULL")


def checkpoint_and_close(conn: Connection) -> None:
    """Fold the WAL back into the file before closing, so a closed file is a single file."""
    with contextlib.suppress(DatabaseError):
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
