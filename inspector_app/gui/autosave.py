"""Typed text waiting for its pause: the one autosave buffer of the case review and the report
narrative alike.

Text is saved after a short pause in typing, and at once when the user moves elsewhere
(`flush`). Text that could not be saved (a full or failing disk) stays here and is tried again
on its own, quietly: its owner told the user once, and says "Not saved" until it is.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from PySide6.QtCore import QObject, QTimer

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

PAUSE_MS = 800
RETRY_MS = 5000


class PendingText(QObject, Generic[K, V]):
    """Keyed values waiting to be saved by `save(key, value)`, which returns False when the
    value could not be saved (having reported why)."""

    def __init__(
        self,
        save: Callable[[K, V], bool],
        parent: QObject | None = None,
        *,
        pause_ms: int = PAUSE_MS,
        retry_ms: int = RETRY_MS,
    ) -> None:
        super().__init__(parent)
        self._save = save
        self._values: dict[K, V] = {}
        self.retrying = False  # a quiet retry is running: its failure is not told again
        self.pause_timer = QTimer(self)
        self.pause_timer.setSingleShot(True)
        self.pause_timer.setInterval(pause_ms)
        self.pause_timer.timeout.connect(self.flush)
        self.retry_timer = QTimer(self)
        self.retry_timer.setSingleShot(True)
        self.retry_timer.setInterval(retry_ms)
        self.retry_timer.timeout.connect(self._try_again)

    def put(self, key: K, value: V) -> None:
        """The latest text of `key`, saved after the pause unless more is typed."""
        self._values[key] = value
        self.pause_timer.start()

    def get(self, key: K) -> V | None:
        return self._values.get(key)

    def discard(self, key: K) -> None:
        self._values.pop(key, None)

    def items(self) -> list[tuple[K, V]]:
        """Everything waiting, in the order typed."""
        return list(self._values.items())

    def clear(self) -> None:
        """Forget everything waiting (the file it belonged to has gone)."""
        self.pause_timer.stop()
        self.retry_timer.stop()
        self._values = {}

    def __bool__(self) -> bool:
        return bool(self._values)

    def flush(self) -> bool:
        """Save everything now, in the order typed. False if something could not be saved:
        it stays waiting, and is tried again after a while."""
        self.pause_timer.stop()
        self.retry_timer.stop()
        while self._values:
            key, value = next(iter(self._values.items()))
            del self._values[key]  # a flush from inside the save does not save it twice
            if not self._save(key, value):
                self._values.setdefault(key, value)  # unless newer text came meanwhile
                self.retry_timer.start()
                return False
        return True

    def retry_later(self) -> None:
        """Another save failed while text waits: try the text again after a while."""
        if self._values:
            self.retry_timer.start()

    def _try_again(self) -> None:
        self.retrying = True
        try:
            self.flush()
        finally:
            self.retrying = False
