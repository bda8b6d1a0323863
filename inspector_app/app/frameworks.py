"""The frameworks a lead can choose: those shipped with the app and those installed into the
user's data folder, and checking and installing a framework file.

A framework is data, so a new edition of the standards arrives as a file: `check` tells its
author the first problem with its line, and `install` copies a file that loads into the data
folder, where the wizard and `new --framework` find it.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from inspector_app.core.errors import FrameworkError
from inspector_app.core.files.paths import data_dir
from inspector_app.core.framework import Framework, builtin_frameworks, load_framework

SHIPPED = "shipped"
INSTALLED = "installed"


@dataclass(frozen=True)
class FrameworkEntry:
    """One framework a new inspection can use."""

    id: str
    version: str
    title: str
    origin: str  # SHIPPED or INSTALLED
    path: Path
    programme: str = ""  # the inspection programme it is made for

    def to_json(self) -> dict[str, str]:
        return {
            "id": self.id,
            "version": self.version,
            "title": self.title,
            "origin": self.origin,
            "path": str(self.path),
        }


def user_frameworks_dir() -> Path:
    """Where installed framework files live (one file per framework, named after its id)."""
    return data_dir() / "frameworks"


def installed_frameworks() -> list[FrameworkEntry]:
    """Shipped frameworks, then installed ones, each by id; an installed file that no longer
    loads is left out (`check` says why), and never shadows a shipped id."""
    entries = [_entry(path, SHIPPED) for path in builtin_frameworks().values()]
    shipped = {entry.id for entry in entries}
    folder = user_frameworks_dir()
    for path in sorted(folder.glob("*.toml")) if folder.is_dir() else []:
        try:
            entry = _entry(path, INSTALLED)
        except FrameworkError:
            continue
        if entry.id not in shipped and entry.id == path.stem:
            entries.append(entry)
    return entries


def load_installed(framework_id: str) -> Framework:
    """A shipped or installed framework by id."""
    for entry in installed_frameworks():
        if entry.id == framework_id:
            return load_framework(entry.path)
    names = ", ".join(entry.id for entry in installed_frameworks()) or "none"
    raise FrameworkError(f"no framework {framework_id!r} (available: {names})")


def check_framework_file(path: Path) -> Framework:
    """The framework in `path`, or the FrameworkError naming its first problem and line."""
    return load_framework(path)


def install_framework(path: Path, *, replace: bool = False) -> FrameworkEntry:
    """Copy a framework file that loads into the data folder, as `<id>.toml`. A shipped id is
    refused (a shipped framework is changed by a new release, never by a copy), and so is an
    installed one unless `replace`."""
    framework = check_framework_file(path)
    if framework.id in builtin_frameworks():
        raise FrameworkError(
            f"{path.name}: '{framework.id}' is a framework shipped with the app; give the file "
            "its own id to install it"
        )
    folder = user_frameworks_dir()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{framework.id}.toml"
    if target.exists() and not replace:
        raise FrameworkError(
            f"{path.name}: a framework '{framework.id}' is already installed; replace it to "
            "install this one"
        )
    _write_whole(target, framework.source)
    return FrameworkEntry(
        framework.id, framework.version, framework.title, INSTALLED, target, framework.programme
    )


def _entry(path: Path, origin: str) -> FrameworkEntry:
    framework = load_framework(path)
    return FrameworkEntry(
        framework.id, framework.version, framework.title, origin, path, framework.programme
    )


def _write_whole(target: Path, text: str) -> None:
    """All or nothing: a reader never sees half a framework file."""
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".install-", suffix=".toml")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
