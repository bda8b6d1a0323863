"""Which store the app uses when none is named: the one `store init` last set up.

Precedence: an address given to the command (`--store`), else INSPECTOR_APP_STORE, else the
remembered one, else the store file in the user's data folder. The remembered address is
kept in the data folder's `store.toml` without its password (the password lives in ~/.pgpass
or PGPASSWORD, where libpq reads it).
"""

from __future__ import annotations

import json
import os
import tomllib
from pathlib import Path

from inspector_app.core.files.paths import data_dir
from inspector_app.core.storage.safe_write import write_file_atomically
from inspector_app.core.store.location import StoreLocation, default_location, parse_location

ENVIRONMENT_VARIABLE = "INSPECTOR_APP_STORE"
SETTINGS_FILE = "store.toml"


def settings_path() -> Path:
    return data_dir() / SETTINGS_FILE


def resolve_location(address: str | None = None) -> StoreLocation:
    """The store to use: `address`, or the configured one (see the module's docstring)."""
    if address:
        return parse_location(address)
    from_environment = os.environ.get(ENVIRONMENT_VARIABLE, "").strip()
    if from_environment:
        return parse_location(from_environment)
    remembered = remembered_address()
    if remembered:
        return parse_location(remembered)
    return default_location()


def remembered_address() -> str | None:
    """The address `store init` remembered, or None (also for an unreadable settings file:
    the default store serves until `store init` writes it again)."""
    try:
        settings = tomllib.loads(settings_path().read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    address = settings.get("url")
    return address if isinstance(address, str) and address.strip() else None


def remember(location: StoreLocation) -> Path:
    """Make `location` the app's store, written without its password."""
    # A JSON string with only ASCII in it is also a TOML basic string.
    address = json.dumps(location.without_password)
    text = f"# The store 'inspector-app store init' set up last\nurl = {address}\n"
    path = settings_path()
    write_file_atomically(path, text.encode("utf-8"))
    return path
