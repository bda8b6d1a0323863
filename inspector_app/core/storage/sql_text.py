"""SQL text the app builds itself, in one place: the few statements SQLite takes no parameters
for (a passphrase in PRAGMA key or ATTACH ... KEY, a schema alias, a pragma's value), built
here and checked, so no caller puts text into SQL itself. Plain Python: opening a file needs
these and nothing of SQLAlchemy (statements.py compiles the declared statements)."""

from __future__ import annotations

import re

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}\Z")
_PRAGMA_WORDS = frozenset({"DELETE", "WAL", "ON", "OFF", "NONE", "FULL", "NORMAL", "MEMORY"})


def identifier(name: str) -> str:
    """A schema, table or pragma name known to the code, checked to be a plain word (never
    text from a file or a person)."""
    if not _IDENTIFIER.match(name):
        raise ValueError(f"not a plain SQL name: {name!r}")
    return name


def literal(text: str) -> str:
    """A string as an SQL literal, its quotes doubled."""
    return "'" + text.replace("'", "''") + "'"


def key_pragma(passphrase: str) -> str:
    return f"PRAGMA key = {literal(passphrase)}"


def attach(alias: str, key: str | None = None) -> str:
    """ATTACH with the path as the one parameter; `key` (SQLCipher) as a literal, since ATTACH
    takes no parameter there. An empty key attaches a plain file to an encrypted one."""
    statement = f"ATTACH DATABASE ? AS {identifier(alias)}"
    return statement if key is None else f"{statement} KEY {literal(key)}"


def detach(alias: str) -> str:
    return f"DETACH DATABASE {identifier(alias)}"


def reindex(table: str) -> str:
    return f'REINDEX "{identifier(table)}"'


def set_pragma(name: str, value: int | str, schema: str | None = None) -> str:
    """PRAGMA [schema.]name = value, for an integer or one of the few words the app sets."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError(f"not a pragma value: {value!r}")
    if isinstance(value, str) and value.upper() not in _PRAGMA_WORDS:
        raise ValueError(f"not a pragma value: {value!r}")
    target = identifier(name) if schema is None else f"{identifier(schema)}.{identifier(name)}"
    return f"PRAGMA {target} = {int(value) if isinstance(value, int) else value.upper()}"
