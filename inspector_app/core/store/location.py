"""Where the store is: an address as a user gives it, turned into an SQLAlchemy URL.

`postgresql+psycopg://user@host/db?sslmode=require` (or `postgresql://`, `postgres://`) is an
office server: what the address leaves out, libpq takes from the usual places (PGHOST, PGPORT,
PGUSER, PGDATABASE, PGSSLMODE, PGPASSWORD, ~/.pgpass or PGPASSFILE), so
`postgresql+psycopg://` alone works where the PG* variables are set. `sqlite:///path` or a plain
path is a store file. No address: the store in the user's data folder.

A password given in the address is used for the connection only: `shown` hides it (messages,
logs) and `without_password` is what may be remembered.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import sqlalchemy as sa
import sqlalchemy.exc

from inspector_app.core.files.paths import data_dir
from inspector_app.core.store.errors import StoreRefused

DEFAULT_STORE_FILE = "store.sqlite"
POSTGRES_DRIVER = "postgresql+psycopg"
_POSTGRES_NAMES = ("postgresql", "postgres", POSTGRES_DRIVER)

Engine = Literal["sqlite", "postgresql"]


@dataclass(frozen=True)
class StoreLocation:
    """A store's address. `default` marks the store file in the user's data folder, which is
    made on first use (every other store is made with `store init`)."""

    url: sa.URL
    default: bool = False

    @property
    def engine(self) -> Engine:
        return "postgresql" if self.url.get_backend_name() == "postgresql" else "sqlite"

    @property
    def path(self) -> Path | None:
        """The store file (SQLite), else None."""
        return Path(self.url.database or "") if self.engine == "sqlite" else None

    @property
    def password(self) -> str | None:
        return self.url.password if isinstance(self.url.password, str) else None

    @property
    def shown(self) -> str:
        """The address fit for messages and logs: never the password."""
        if self.path is not None:
            return str(self.path)
        return self.url.render_as_string(hide_password=True)

    @property
    def without_password(self) -> str:
        """The address as it may be written to the settings."""
        if self.path is not None:
            return f"sqlite:///{self.path}"
        url = self.url
        bare = sa.URL.create(
            url.drivername, url.username, None, url.host, url.port, url.database, url.query
        )
        return bare.render_as_string(hide_password=False)


def parse_location(text: str) -> StoreLocation:
    """A store address as a user types it; StoreRefused says what is wrong with it."""
    text = text.strip()
    if not text:
        raise StoreRefused("no store address given")
    if "://" not in text:
        return _sqlite(Path(text))
    try:
        url = sa.make_url(text)
    except sqlalchemy.exc.ArgumentError as exc:
        raise StoreRefused(f"'{_hide(text)}' is not a store address ({exc})") from None
    if url.drivername in _POSTGRES_NAMES:
        url = url.set(drivername=POSTGRES_DRIVER)
        if "password" in url.query:  # libpq's keyword: moved where it is hidden and never kept
            url = url.set(password=str(url.query["password"])).difference_update_query(["password"])
        return StoreLocation(url)
    if url.get_backend_name() == "postgresql":
        raise StoreRefused(
            f"{url.render_as_string(hide_password=True)}: use the psycopg driver "
            "(postgresql+psycopg://...)"
        )
    if url.drivername == "sqlite" and url.database and url.database != ":memory:":
        return _sqlite(Path(url.database))
    raise StoreRefused(
        f"'{url.render_as_string(hide_password=True)}' is not a store address: give "
        "postgresql+psycopg://USER@HOST/DATABASE or a store file (sqlite:///PATH)"
    )


def default_location() -> StoreLocation:
    """The store file in the user's data folder: no set-up, works offline."""
    return StoreLocation(
        sa.URL.create("sqlite", database=str(data_dir() / DEFAULT_STORE_FILE)), True
    )


def _sqlite(path: Path) -> StoreLocation:
    path = path.expanduser().absolute()
    if path.is_dir():
        raise StoreRefused(f"{path}: is a folder; give the store file's name")
    default = path == data_dir() / DEFAULT_STORE_FILE
    return StoreLocation(sa.URL.create("sqlite", database=str(path)), default)


def _hide(text: str) -> str:
    """An unparseable address shown without what may be a password (user:password@host)."""
    scheme, _, rest = text.partition("://")
    if "@" in rest:
        credentials, _, host = rest.rpartition("@")
        user = credentials.split(":", 1)[0]
        return f"{scheme}://{user}:***@{host}"
    return text
