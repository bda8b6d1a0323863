"""The SQLite driver every connection uses: SQLCipher's build of SQLite (sqlcipher3).

One driver for plain and encrypted files alike, so the same exceptions, the same SQLite
version and the same pragmas hold everywhere. A file without a passphrase is an ordinary
SQLite database.
"""

from __future__ import annotations

from sqlcipher3 import dbapi2 as driver

Connection = driver.Connection
DatabaseError = driver.DatabaseError
IntegrityError = driver.IntegrityError
OperationalError = driver.OperationalError
SQLITE_DENY = driver.SQLITE_DENY
SQLITE_OK = driver.SQLITE_OK
sqlite_version = driver.sqlite_version

# The primary result codes the app tells apart (https://sqlite.org/rescode.html); an extended
# code keeps its primary code in its low byte.
SQLITE_BUSY = 5
SQLITE_LOCKED = 6
SQLITE_READONLY = 8
SQLITE_IOERR = 10
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14
SQLITE_NOTADB = 26


def error_code(exc: BaseException) -> int | None:
    """The primary SQLite result code of a driver error (None for anything else): errors are
    told apart by code, never by their English text."""
    code = getattr(exc, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None
