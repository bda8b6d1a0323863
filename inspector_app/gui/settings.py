"""Window geometry and recent files in QSettings; nothing else lives there (STYLE 9).

With INSPECTOR_APP_HOME set (tests, development) the settings are an INI file in that folder,
so a test run never reads or writes a real user's configuration.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings

ORGANISATION = "Inspector"
APPLICATION = "Inspector"
MAX_RECENT = 8
_RECENT_KEY = "files/recent"


def app_settings() -> QSettings:
    home = os.environ.get("INSPECTOR_APP_HOME")
    if home:
        return QSettings(str(Path(home) / "settings.ini"), QSettings.Format.IniFormat)
    return QSettings(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANISATION, APPLICATION
    )


def recent_files() -> list[Path]:
    value = app_settings().value(_RECENT_KEY, [])
    if isinstance(value, str):  # QSettings gives a lone string for a one-item list
        value = [value]
    return [Path(v) for v in value or [] if v]


def remember_recent(path: Path) -> list[Path]:
    """Put `path` first in the recent files list; returns the new list."""
    path = Path(path).resolve()
    paths = [path, *(p for p in recent_files() if p != path)][:MAX_RECENT]
    _store(paths)
    return paths


def forget_recent(path: Path) -> list[Path]:
    path = Path(path).resolve()
    paths = [p for p in recent_files() if p != path]
    _store(paths)
    return paths


def clear_recent() -> None:
    _store([])


def _store(paths: list[Path]) -> None:
    settings = app_settings()
    settings.setValue(_RECENT_KEY, [str(p) for p in paths])
    settings.sync()
