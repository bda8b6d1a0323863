"""Mappings remembered per organisation, so the next list from the same trust maps itself.

Kept in the user's data folder as one TOML file per organisation; a mapping holds headings and
spellings only, never a case's data.
"""

from __future__ import annotations

import re
from pathlib import Path

from inspector_app.core.errors import ValidationError
from inspector_app.core.files.paths import data_dir
from inspector_app.core.framework.profile import ProfileDefinition
from inspector_app.core.sample.mapping import SampleMapping, load_mapping
from inspector_app.core.storage.safe_write import write_file_atomically


def mapping_path(organisation: str) -> Path:
    slug = re.sub(r"[^a-z0-9]+", "-", organisation.casefold()).strip("-")[:80] or "organisation"
    return data_dir() / "mappings" / f"{slug}.toml"


def remembered_mapping(organisation: str, definition: ProfileDefinition) -> SampleMapping | None:
    """The mapping last confirmed for this organisation, or None (also when it no longer fits
    the profile: a stale memory is forgotten, not an error)."""
    path = mapping_path(organisation)
    if not path.is_file():
        return None
    try:
        remembered = load_mapping(path, definition)
    except ValidationError:
        return None
    remembered.sheet = None  # the next export may be laid out differently
    remembered.header_row = None
    return remembered


def remember_mapping(organisation: str, mapping: SampleMapping) -> Path:
    path = mapping_path(organisation)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_file_atomically(path, mapping.to_toml().encode("utf-8"))
    return path
