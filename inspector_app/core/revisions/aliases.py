"""The one name the revision SQL writes into its text: an attached file's schema alias.

SQLite takes no parameter for a schema name, so an alias is checked against a fixed pattern
before any statement uses it; nothing a person typed can reach the SQL this way.
"""

from __future__ import annotations

import re

_ALIAS = re.compile(r"[a-z_][a-z0-9_]*")


def schema_alias(name: str) -> str:
    """`name`, if it is a plain lowercase identifier (as the merge and the fieldwork export
    attach files under); else ValueError."""
    if not _ALIAS.fullmatch(name):
        raise ValueError(f"not a schema alias: {name!r}")
    return name
