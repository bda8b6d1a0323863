"""Work that waits until a widget has been painted: what the user sees first comes first.

A slow step (opening a file, building a screen not on show yet) run on the event loop's next
turn would still come before the paint it follows, since a paint is itself queued; run after
the widget's next paint, it never delays what is on screen.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget


class _NextPaint(QObject):
    """Runs `fn` on the turn after `widget`'s next paint event, once."""

    def __init__(self, widget: QWidget, fn: Callable[[], object]) -> None:
        super().__init__(widget)
        self._widget, self._fn = widget, fn
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._widget and event.type() == QEvent.Type.Paint:
            self._widget.removeEventFilter(self)
            QTimer.singleShot(0, self._fn)  # after this paint has reached the screen
            self.deleteLater()
        return False


def after_next_paint(widget: QWidget, fn: Callable[[], object]) -> None:
    """Run `fn` once `widget` has next been painted (never, if it is destroyed first)."""
    _NextPaint(widget, fn)
