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
