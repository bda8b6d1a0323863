"""Opening, creating and upgrading inspection files.

A `Database` is one open file: an SQLAlchemy engine over the single connection that
`connection.connect` made. Write transactions start with BEGIN IMMEDIATE so they are
all-or-nothing and never deadlock on a lock upgrade.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.pool import StaticPool
from sqlmodel import Session

from inspector_app.core.errors import FileRefused
from inspector_app.core.storage import connection as sqlite_connection
from inspector_app.core.storage.connection import APPLICATION_ID, read_header

# Alembic revision -> the schema generation written to `user_version`. Append, never edit.
SCHEMA_GENERATIONS: dict[str, int] = {"0001": 1}
CURRENT_GENERATION = max(SCHEMA_GENERATIONS.values())
_HEAD_REVISION = max(SCHEMA_GENERATIONS, key=SCHEMA_GENERATIONS.__getitem__)


class Database:
    """An open inspection file."""

    def __init__(self, path: Path, raw: sqlite3.Connection, *, readonly: bool) -> None:
        self.path = path
        self.readonly = readonly
        self._raw = raw
        self.engine: Engine = create_engine(
            "sqlite://", creator=lambda: raw, poolclass=StaticPool, future=True
        )
        begin_sql = "BEGIN" if readonly else "BEGIN IMMEDIATE"

        @event.listens_for(self.engine, "begin")
        def _begin(conn: Connection) -> None:
            conn.exec_driver_sql(begin_sql)

    @property
    def raw(self) -> sqlite3.Connection:
        """The sqlite3 connection, for SQL-level work (merge, bulk copies)."""
        return self._raw

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One all-or-nothing unit of work: committed on success, rolled back on any error."""
        with self.engine.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction on the raw connection, for the SQL-level hot paths."""
        self._raw.execute("BEGIN IMMEDIATE")
        try:
            yield self._raw
        except BaseException:
            self._raw.execute("ROLLBACK")
            raise
        self._raw.execute("COMMIT")

    @contextmanager
    def session(self) -> Iterator[Session]:
        """An ORM session for simple reads and writes; commit explicitly to write."""
        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    def close(self) -> None:
        self.engine.dispose()
        if self.readonly:
            self._raw.close()
        else:
            sqlite_connection.checkpoint_and_close(self._raw)


def check_header(path: Path) -> int:
    """Refuse anything that is not an inspection file this version can read; return its
    schema generation. Reads only the header, so nothing is created or changed."""
    if not path.exists():
        raise FileRefused(f"{path.name}: no such file ({path})")
    if path.is_dir():
        raise FileRefused(f"{path.name}: is a folder, not an inspection file")
    try:
        header = read_header(path)
    except OSError as exc:
        raise FileRefused(f"{path.name}: cannot be read ({exc.strerror or exc})") from exc
    if header.size == 0:
        raise FileRefused(f"{path.name}: the file is empty, not an inspection file")
    if not header.is_sqlite:
        raise FileRefused(f"{path.name}: not an inspection file (it is not an SQLite database)")
    if header.application_id != APPLICATION_ID:
        raise FileRefused(
            f"{path.name}: an SQLite database from another application, not an inspection file"
        )
    if header.user_version > CURRENT_GENERATION:
        raise FileRefused(
            f"{path.name}: made by a newer version of Inspector (file format "
            f"{header.user_version}; this version reads up to {CURRENT_GENERATION}). "
            "Install the latest version to open it."
        )
    if header.user_version < 1:
        raise FileRefused(f"{path.name}: the file was never completely created (no schema)")
    return header.user_version


def open_database(path: Path, *, readonly: bool = False, untrusted: bool = False) -> Database:
    """Open an existing inspection file, upgrading an older one after backing it up."""
    path = Path(path)
    generation = check_header(path)
    raw = sqlite_connection.connect(path, readonly=readonly, untrusted=untrusted)
    try:
        _quick_check(raw, path)
        db = Database(path, raw, readonly=readonly)
    except BaseException:
        raw.close()
        raise
    if generation < CURRENT_GENERATION:
        if db.readonly:
            db.close()
            raise FileRefused(
                f"{path.name}: uses an older file format; open it for editing once to upgrade it"
            )
        backup_before_upgrade(db, generation)
        upgrade(db)
    return db


def create_database(path: Path) -> Database:
    """Create a new, empty inspection file at `path` with the current schema."""
    path = Path(path)
    if path.exists():
        raise FileRefused(f"{path.name}: already exists; choose another name")
    raw = sqlite_connection.connect(path)
    db = Database(path, raw, readonly=False)
    upgrade(db)
    return db


def upgrade(db: Database) -> None:
    """Run the pending migrations in one transaction and stamp the header inside it."""
    config = Config()
    config.set_main_option("script_location", "inspector_app.core.storage:migrations")
    with db.transaction() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, _HEAD_REVISION)
        revision = MigrationContext.configure(conn).get_current_revision()
        generation = SCHEMA_GENERATIONS[str(revision)]
        conn.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.exec_driver_sql(f"PRAGMA user_version = {generation}")


def backup_before_upgrade(db: Database, generation: int) -> Path:
    """Keep a copy of the file as it was before an upgrade, beside it."""
    target = db.path.with_name(f"{db.path.stem}.format{generation}-backup{db.path.suffix}")
    counter = 1
    while target.exists():
        counter += 1
        target = db.path.with_name(
            f"{db.path.stem}.format{generation}-backup{counter}{db.path.suffix}"
        )
    db.raw.execute("VACUUM INTO ?", (str(target),))
    return target


def _quick_check(raw: sqlite3.Connection, path: Path) -> None:
    try:
        rows = raw.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as exc:
        raise FileRefused(f"{path.name}: the file is damaged ({exc})") from exc
    if rows != [("ok",)]:
        detail = "; ".join(str(r[0]) for r in rows[:3])
        raise FileRefused(f"{path.name}: the file is damaged ({detail})")
