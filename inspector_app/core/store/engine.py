"""An open store: one SQLAlchemy engine over its location, the same interface on both engines.

Every unit of work is a transaction (`begin`): committed whole or rolled back whole, with
the database's refusal turned into a StoreRefused that names the store without its password.
On SQLite a write transaction starts with BEGIN IMMEDIATE (all-or-nothing, no lock upgrade
to deadlock on) and reads with a plain BEGIN, so a comparison never waits on a publish.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
import sqlalchemy.exc
from sqlalchemy import event

from inspector_app.core.store.errors import refusal
from inspector_app.core.store.location import Engine, StoreLocation

log = logging.getLogger(__name__)

APPLICATION_NAME = "inspector-app"  # what the server's pg_stat_activity shows
CONNECT_TIMEOUT_SECONDS = 10
_WRITE = "store_write"  # execution option: this transaction writes


class Store:
    """A store at one location. Close it (or use it in a `with`) to release its connections."""

    def __init__(self, location: StoreLocation) -> None:
        self.location = location
        self.engine: sa.Engine = (
            _postgres_engine(location)
            if location.engine == "postgresql"
            else _sqlite_engine(location)
        )
        log.info("store %s (%s)", location.shown, location.engine)

    @property
    def kind(self) -> Engine:
        return self.location.engine

    @property
    def shown(self) -> str:
        return self.location.shown

    @contextmanager
    def begin(self, *, write: bool = False) -> Iterator[sa.Connection]:
        """One transaction: committed when the block ends, rolled back on any error."""
        try:
            with self.engine.connect() as conn:
                if write:
                    conn = conn.execution_options(**{_WRITE: True})
                with conn.begin():
                    yield conn
        except sqlalchemy.exc.DBAPIError as exc:
            raise refusal(exc, self.shown, secret=self.location.password) from exc

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _postgres_engine(location: StoreLocation) -> sa.Engine:
    defaults: dict[str, object] = {
        "application_name": APPLICATION_NAME,
        "connect_timeout": CONNECT_TIMEOUT_SECONDS,
    }
    # What the address says wins over the defaults; what it leaves out libpq reads from PG*.
    connect_args = {k: v for k, v in defaults.items() if k not in location.url.query}
    # hide_parameters: a failed statement's message never carries the published values.
    return sa.create_engine(location.url, connect_args=connect_args, hide_parameters=True)


def _sqlite_engine(location: StoreLocation) -> sa.Engine:
    engine = sa.create_engine(location.url, hide_parameters=True)
    event.listen(engine, "connect", _on_sqlite_connect)
    event.listen(engine, "begin", _on_sqlite_begin)
    return engine


def _on_sqlite_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    # The driver's own transaction handling is switched off: `_on_sqlite_begin` begins.
    dbapi_connection.isolation_level = None
    dbapi_connection.execute("PRAGMA foreign_keys = ON")
    dbapi_connection.execute("PRAGMA busy_timeout = 10000")
    dbapi_connection.execute("PRAGMA journal_mode = WAL")
    dbapi_connection.execute("PRAGMA synchronous = FULL")


def _on_sqlite_begin(conn: sa.Connection) -> None:
    writes = conn.get_execution_options().get(_WRITE, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")
