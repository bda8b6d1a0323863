"""What a big file's damage check found, told on the window's thread.

A big file opens before SQLite has checked it for damage (core.storage.damage_check): the
check runs on a thread of its own, and this object carries its finding back, as a queued
signal, to the window that opened the file.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QObject, Signal


class _Check(Protocol):
    def when_done(self, listener: Callable[[Any], None]) -> None: ...


class DamageWatch(QObject):
    """Calls `on_found(self, finding)` once, on the thread this object lives on: the finding
    is None when the file is sound, else the refusal naming the damage."""

    found = Signal(object)

    def __init__(
        self, check: _Check, parent: QObject, on_found: Callable[[DamageWatch, object], None]
    ) -> None:
        super().__init__(parent)
        self.found.connect(lambda finding: on_found(self, finding))
        check.when_done(self.found.emit)  # from the checking thread: queued to this one
