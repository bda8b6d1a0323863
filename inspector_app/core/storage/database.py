"""Opening, creating and upgrading inspection files.

A `Database` is one open file: the single connection that `connection.connect` made, with an
SQLAlchemy engine over it once a statement needs one (the raw SQL paths never do). Write
transactions start with BEGIN IMMEDIATE so they are all-or-nothing and never deadlock on a
lock upgrade, and never before the file is found sound (damage_check.py).
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from inspector_app.core.errors import FileRefused, PassphraseNeeded
from inspector_app.core.storage import connection as sqlite_connection
from inspector_app.core.storage import sql_text
from inspector_app.core.storage.connection import APPLICATION_ID, read_header
from inspector_app.core.storage.damage_check import (
    CHECK_BESIDE_BYTES,
    DamageCheck,
    quick_check,
    running_for,
)
from inspector_app.core.storage.dbapi import (
    SQLITE_BUSY,
    SQLITE_FULL,
    SQLITE_LOCKED,
    SQLITE_READONLY,
    Connection,
    DatabaseError,
    driver,
    error_code,
)
from inspector_app.core.storage.safe_write import create_private

if TYPE_CHECKING:
    import sqlalchemy
    import sqlalchemy.exc
    from sqlalchemy import Engine
    from sqlmodel import Session

# Alembic revision -> the schema generation written to `user_version`. Append, never edit.
SCHEMA_GENERATIONS: dict[str, int] = {"0001": 1, "0002": 2, "0003": 3, "0004": 4, "0005": 5}
CURRENT_GENERATION = max(SCHEMA_GENERATIONS.values())
_HEAD_REVISION = max(SCHEMA_GENERATIONS, key=SCHEMA_GENERATIONS.__getitem__)
# Alembic's `op` and `context` are process-wide: one migration runs at a time (a merge checks
# several files side by side, and an older one is upgraded in its private copy).
_MIGRATION_LOCK = threading.Lock()


class Database:
    """An open inspection file.

    SQLAlchemy only runs statements here: this class begins, commits and rolls back, on the
    raw connection (which stays in the driver's autocommit mode, whose rollbacks SQLAlchemy is
    told to leave alone). So raw SQL and SQLAlchemy statements share one transaction, and a
    transaction opened inside another joins it."""

    def __init__(
        self, path: Path, raw: Connection, *, readonly: bool, passphrase: str | None = None
    ) -> None:
        self.path = path
        self.readonly = readonly
        self.passphrase = passphrase  # kept only while the file is open, never stored
        self._raw = raw
        self._engine: Engine | None = None
        self._begin_sql = "BEGIN" if readonly else "BEGIN IMMEDIATE"
        self._open = False  # a transaction is in progress on the raw connection
        self._active: sqlalchemy.Connection | None = None  # its SQLAlchemy connection, if any
        # A big file's damage check, while it runs beside the first screen (damage_check.py),
        # and what waits for it besides the writes.
        self.damage_check: DamageCheck | None = None
        self._when_checked: list[Callable[[], object]] = []
        self._settling = False  # running what waited for the check

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine over the raw connection, made when first needed: opening a
        file, reading its cases and saving an answer run raw SQL and never import SQLAlchemy
        (a fifth of a second of a start)."""
        if self._engine is None:
            from sqlalchemy import create_engine
            from sqlalchemy.pool import StaticPool

            raw = self._raw
            self._engine = create_engine(
                "sqlite://",
                module=driver,
                creator=lambda: raw,
                poolclass=StaticPool,
                skip_autocommit_rollback=True,
            )
        return self._engine

    @property
    def encrypted(self) -> bool:
        return self.passphrase is not None

    @property
    def raw(self) -> Connection:
        """The raw SQLite connection, for SQL-level work (merge, bulk copies)."""
        return self._raw

    @contextmanager
    def transaction(self) -> Iterator[sqlalchemy.Connection]:
        """One all-or-nothing unit of work through SQLAlchemy: committed on success, rolled
        back on any error (a driver error as `storage_error` tells it). Opened inside another
        (or inside `write`), it joins it and the outer one commits or rolls back the whole."""
        if self._active is not None:
            yield self._active
            return
        with self._raw_transaction(), self._connection() as conn:
            self._active = conn
            try:
                # No SQL: shows Alembic and ORM sessions a transaction is open. Closing the
                # connection leaves it to the raw one (its rollback is skipped in autocommit).
                conn.begin()
                yield conn
            finally:
                self._active = None

    @contextmanager
    def write(self, *, before_check: bool = False) -> Iterator[Connection]:
        """A write transaction (see `transaction`) on the raw connection, for the SQL-level
        hot paths. Only the session marker is written `before_check` (see session_marker):
        every other write waits for a big file's damage check."""
        with self._raw_transaction(before_check=before_check):
            yield self._raw

    def wait_for_check(self) -> None:
        """Return once the file is found sound (at once, for a file checked as it opened),
        having first run what waited for that; FileRefused, naming the damage, if it is not.
        Every write but the session marker's comes through here, and so does every use of
        the file that writes something else from it (a fieldwork file, a merge)."""
        check = self.damage_check
        if check is None or self._settling:
            return
        check.wait()
        self._settling = True
        try:
            while self._when_checked:  # each kept until it has run, to be tried again
                self._when_checked[0]()
                self._when_checked.pop(0)
        finally:
            self._settling = False
        self.damage_check = None

    def when_checked(self, action: Callable[[], object]) -> None:
        """Run `action` once the file is found sound, before its first write (now, if it
        has been)."""
        if self.damage_check is None:
            action()
        else:
            self._when_checked.append(action)

    @contextmanager
    def _raw_transaction(self, *, before_check: bool = False) -> Iterator[None]:
        """BEGIN ... COMMIT on the raw connection, rolled back on any error; inside another,
        nothing: the outer one decides. Never before the file is found sound, unless
        `before_check`."""
        if self._open:
            yield
            return
        if not before_check:
            self.wait_for_check()
        self._raw.execute(self._begin_sql)
        self._open = True
        try:
            yield
            self._raw.execute("COMMIT")
        except DatabaseError as exc:
            self._rollback()
            raise storage_error(self.path, exc) from exc
        except BaseException as exc:
            self._rollback()
            wrapped = _wrapped_driver_error(exc)
            if wrapped is not None:
                raise storage_error(self.path, wrapped) from exc
            raise
        finally:
            self._open = False

    @contextmanager
    def connect(self) -> Iterator[sqlalchemy.Connection]:
        """A connection to read through: the open transaction's, so a read sees what it
        wrote; else one on which each statement reads what is committed, as raw SQL does.
        Its errors are the driver's own, as raw SQL raises them."""
        if self._active is not None:
            yield self._active
            return
        with self._connection() as conn:
            try:
                yield conn
            except Exception as exc:
                wrapped = _wrapped_driver_error(exc)
                if wrapped is None:
                    raise
                raise wrapped from exc

    @contextmanager
    def session(self) -> Iterator[Session]:
        """An ORM session inside a write transaction (joining the open one): what it adds is
        flushed at the end and committed with the transaction."""
        from sqlmodel import Session

        with self.transaction() as conn, Session(bind=conn, expire_on_commit=False) as session:
            yield session
            session.flush()

    def close(self) -> None:
        if self.damage_check is not None:
            # Ended before the checkpoint: its read-only connection, the last to close,
            # would leave the log files beside the file.
            self.damage_check.stop()
        if self._engine is not None:  # the raw connection is closed here, after its checkpoint
            self._engine.dispose(close=False)
        if self.readonly:
            self._raw.close()
        else:
            sqlite_connection.checkpoint_and_close(self._raw)

    def _connection(self) -> sqlalchemy.Connection:
        """A new SQLAlchemy connection over the raw one (a closed file: the driver's error)."""
        engine = self.engine
        try:
            return engine.connect()
        except Exception as exc:
            wrapped = _wrapped_driver_error(exc)
            if wrapped is None:
                raise
            raise wrapped from exc

    def _rollback(self) -> None:
        if self._raw.in_transaction:
            self._raw.execute("ROLLBACK")


def _wrapped_driver_error(exc: BaseException) -> Exception | None:
    """The driver's error inside an SQLAlchemy DBAPIError, so callers see what raw SQL raises;
    None for any other error (SQLAlchemy not even imported: it can be none of its)."""
    errors = sys.modules.get("sqlalchemy.exc")
    if errors is None or not isinstance(exc, errors.DBAPIError):
        return None
    return driver_error(exc)


def driver_error(exc: sqlalchemy.exc.DBAPIError) -> Exception:
    """The driver's error that SQLAlchemy wrapped, so callers see what raw SQL raises."""
    return exc.orig if isinstance(exc.orig, Exception) else exc


def storage_error(path: Path, exc: Exception) -> Exception:
    """A user-fit error for what SQLite says went wrong while writing (else the original),
    told apart by SQLite's result code."""
    code = error_code(exc)
    if code == SQLITE_FULL:
        return FileRefused(
            f"{path.name}: the disk is full; nothing of this change was saved. Free some space "
            "and try again."
        )
    if code == SQLITE_READONLY:
        return FileRefused(f"{path.name}: the file or its folder is read-only; nothing was saved")
    if code in (SQLITE_BUSY, SQLITE_LOCKED):
        return FileRefused(
            f"{path.name}: is busy in another program or window; nothing was saved, try again"
        )
    return exc


def check_header(path: Path, *, encrypted_ok: bool = False) -> None:
    """Refuse anything that is not an inspection file this version can read, before SQLite
    opens it. Reads only the header, so nothing is created or changed (an encrypted file's
    header is ciphertext: its stamps are checked once it is open)."""
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
        if encrypted_ok:
            return
        raise PassphraseNeeded(
            f"{path.name}: not an inspection file, or an encrypted one (it needs its passphrase)"
        )
    _check_stamps(path, header.application_id, header.user_version)


def _check_stamps(path: Path, application_id: int, user_version: int) -> None:
    if application_id != APPLICATION_ID:
        raise FileRefused(
            f"{path.name}: an SQLite database from another application, not an inspection file"
        )
    if user_version > CURRENT_GENERATION:
        raise FileRefused(
            f"{path.name}: made by a newer version of Inspector (file format "
            f"{user_version}; this version reads up to {CURRENT_GENERATION}). "
            "Install the latest version to open it."
        )
    if user_version < 1:
        raise FileRefused(f"{path.name}: the file was never completely created (no schema)")


def open_database(
    path: Path,
    *,
    readonly: bool = False,
    untrusted: bool = False,
    passphrase: str | None = None,
    checked: bool = False,
    check_beside: bool = False,
    read_when_sound: Callable[[Connection], object] | None = None,
) -> Database:
    """Open an existing inspection file, upgrading an older one after backing it up.
    `checked`: a second reader of a file this process has just opened (and so checked for
    damage) skips the check, which reads the whole file (seconds at 100,000 cases).
    `check_beside`: a big file of the current format, opened for editing, opens at once and
    is checked beside (damage_check.py; `read_when_sound` then runs on the checking
    connection, its result the check's `result`)."""
    path = Path(path)
    check_header(path, encrypted_ok=passphrase is not None)
    raw = sqlite_connection.connect(
        path, readonly=readonly, untrusted=untrusted, passphrase=passphrase
    )
    try:
        # Read again through SQLite: an encrypted header is readable only now, and the header
        # on disk lags behind while a change (an upgrade) is still in the file's WAL.
        application_id = raw.execute("PRAGMA application_id").fetchone()[0]
        generation = raw.execute("PRAGMA user_version").fetchone()[0]
        _check_stamps(path, application_id, generation)
        beside = (
            not checked
            and check_beside
            and not readonly
            and generation == CURRENT_GENERATION
            and path.stat().st_size >= CHECK_BESIDE_BYTES
        )
        if checked:
            # This process checked it: wait for that check if it is still running.
            running = running_for(path)
            if running is not None:
                running.wait()
        elif not beside:
            quick_check(raw, path)
        db = Database(path, raw, readonly=readonly, passphrase=passphrase)
        if beside:
            db.damage_check = DamageCheck(path, passphrase, read_when_sound)
    except BaseException:
        raw.close()
        raise
    if generation < CURRENT_GENERATION:
        if db.readonly:
            db.close()
            raise FileRefused(
                f"{path.name}: uses an older file format; open it for editing once to upgrade it"
            )
        try:
            backup_before_upgrade(db, generation)
            upgrade(db)
        except BaseException:
            db.close()  # the upgrade rolled back; the file is as it was
            raise
    return db


def create_database(path: Path, *, passphrase: str | None = None) -> Database:
    """Create a new, empty inspection file at `path` with the current schema (encrypted
    from its first page when a passphrase is given)."""
    path = Path(path)
    if path.exists():
        raise FileRefused(f"{path.name}: already exists; choose another name")
    raw = (
        sqlite_connection.connect(path, passphrase=passphrase)
        if passphrase
        else (sqlite_connection.connect(path))
    )
    db = Database(path, raw, readonly=False, passphrase=passphrase)
    upgrade(db)
    return db


def upgrade(db: Database, *, to_revision: str = _HEAD_REVISION) -> None:
    """Run the pending migrations (up to the newest, or `to_revision`) in one transaction
    and stamp the header inside it. Alembic is imported here, not at start-up: most opens
    find nothing to migrate."""
    from alembic import command
    from alembic.config import Config
    from alembic.runtime.migration import MigrationContext

    config = Config()
    config.set_main_option("script_location", "inspector_app.core.storage:migrations")
    with _MIGRATION_LOCK, db.transaction() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, to_revision)
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
    copy_database(db, target)
    return target


def copy_database(db: Database, target: Path, *, passphrase: str | None = ...) -> None:  # type: ignore[assignment]
    """A compact single-file copy of an open file (VACUUM INTO for plain files; for encrypted
    ones an encrypted export, so no plaintext copy ever touches the disk). By default the
    copy keeps the file's own passphrase; pass None for a plain copy or another passphrase."""
    db.wait_for_check()  # nothing is copied out of a file not yet found sound
    key = db.passphrase if passphrase is ... else passphrase
    _copy_connection(db.raw, db.passphrase is not None, target, key)


def copy_committed(path: Path, passphrase: str | None, target: Path) -> None:
    """Copy what is committed in the file at `path`, through a reader of its own: the caller
    may hold the file's write lock in an open transaction (the merge takes its undo copy so,
    and no other writer can commit between the copy and the merge)."""
    raw = sqlite_connection.connect(Path(path), readonly=True, passphrase=passphrase)
    try:
        _copy_connection(raw, passphrase is not None, target, passphrase)
    finally:
        raw.close()


def _copy_connection(raw: Connection, encrypted: bool, target: Path, key: str | None) -> None:
    if not Path(target).exists():
        create_private(Path(target))  # owner-only before a byte is copied into it
    if not encrypted and key is None:
        raw.execute("VACUUM INTO ?", (str(target),))
        return
    raw.execute(sql_text.attach("export_target", key or ""), (str(target),))
    try:
        raw.execute("SELECT sqlcipher_export('export_target')")
        version = raw.execute("PRAGMA user_version").fetchone()[0]
        application_id = raw.execute("PRAGMA application_id").fetchone()[0]
        raw.execute(sql_text.set_pragma("user_version", int(version), "export_target"))
        raw.execute(sql_text.set_pragma("application_id", int(application_id), "export_target"))
    finally:
        raw.execute("DETACH DATABASE export_target")
