"""Where the shipped data lives (frameworks, icons, fonts, translations).

A module of its own, importing nothing of the app, so the window's icon can be found before
the framework (and the profile it reads) is loaded: start-up paints the window first.
"""

from __future__ import annotations

import importlib.resources
import os
from pathlib import Path

RESOURCES_ENV = "INSPECTOR_APP_RESOURCES"


def resources_dir() -> Path:
    """The folder of shipped data: $INSPECTOR_APP_RESOURCES, else the package's own
    `resources` (package data, so a wheel, an editable install and the desktop bundle all
    carry it)."""
    override = os.environ.get(RESOURCES_ENV)
    if override:
        return Path(override)
    return Path(str(importlib.resources.files("inspector_app") / "resources"))
