"""Closing the app's other windows from the keyboard: Ctrl+W (and the platform's Close keys)
closes every dialog, as Esc already does, wherever the keyboard focus is in it; a window of
its own beside the main one (the Conflicts window) gets Esc as well.

Dialogs get the keys the first time the focus enters them (`install`, once for the app), so
every dialog has them, Qt's message boxes included, without each one asking.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QDialog, QWidget

_HAS_KEYS = "closesOnKeys"  # a window property: its keys are set (never twice: ambiguous)


def close_on_keys(window: QWidget, close: Callable[[], object], *, escape: bool = True) -> None:
    """Ctrl+W (and the platform's Close keys) call `close`, as the window's Close button
    does, wherever its focus is; Esc too unless `escape` is False (a dialog, whose Esc
    already cancels or does more than close)."""
    if window.property(_HAS_KEYS):
        return
    window.setProperty(_HAS_KEYS, True)
    keys = [QKeySequence("Ctrl+W"), *QKeySequence.keyBindings(QKeySequence.StandardKey.Close)]
    if escape:
        keys.insert(0, QKeySequence(Qt.Key.Key_Escape))
    for text in dict.fromkeys(k.toString() for k in keys if not k.isEmpty()):
        QShortcut(
            QKeySequence(text),
            window,
            close,
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )


def _equip(_old: QWidget | None, new: QWidget | None) -> None:
    window = new.window() if new is not None else None
    if isinstance(window, QDialog) and not window.property(_HAS_KEYS):
        close_on_keys(window, window.reject, escape=False)


def install(app: QCoreApplication | None = None) -> None:
    """Give every dialog of the app Ctrl+W, from now on (once per app)."""
    app = app or QApplication.instance()
    if not isinstance(app, QApplication) or app.property(_HAS_KEYS):
        return
    app.setProperty(_HAS_KEYS, True)
    app.focusChanged.connect(_equip)
