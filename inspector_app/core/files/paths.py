"""Where the app keeps its own files: Qt-free, overridable for tests and development.

INSPECTOR_APP_HOME, when set, holds everything (data, logs, settings) in one folder.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "inspector-app"


def _home_override() -> Path | None:
    value = os.environ.get("INSPECTOR_APP_HOME")
    return Path(value) if value else None


def data_dir() -> Path:
    """User data: the demo inspection and working copies."""
    override = _home_override()
    path = override / "data" if override else Path(platformdirs.user_data_dir(APP_NAME, False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def log_dir() -> Path:
    override = _home_override()
    path = override / "logs" if override else Path(platformdirs.user_log_dir(APP_NAME, False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def demo_dir() -> Path:
    return data_dir() / "demo"
