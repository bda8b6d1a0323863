"""The window's actions in one registry, and the keyboard reference (F1) generated from it.

Every command with a shortcut is registered here with the words F1 shows for it, so the
reference can never list a key that does nothing or miss one that works. Keys that widgets
handle themselves (the answer letters, the arrows in a question) are declared beside it in
`WIDGET_KEYS`, with the widget that handles them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from inspector_app.gui.translation import QT_TRANSLATE_NOOP

Shortcut = QKeySequence | str | QKeySequence.StandardKey


@dataclass(frozen=True)
class KeyHelp:
    """One row of the keyboard reference: the keys as the user presses them, and what they
    do."""

    keys: str
    what: str


# Keys the case review handles in its own widgets (gui/question_row.py, the note editor), and
# those of one screen or window.
# Marked for the catalogue here and translated in `reference`: what each does, and the names
# of the keys (as Qt translates the actions' shortcuts). The letters are the keys the widgets
# listen for, so they are not for a translator to change.
WIDGET_KEYS: tuple[KeyHelp, ...] = (
    KeyHelp(
        "Y / N / A",
        QT_TRANSLATE_NOOP(
            "actions", "Answer the focused question (other scales: their key letters)"
        ),
    ),
    KeyHelp(
        QT_TRANSLATE_NOOP("actions", "Delete"),
        QT_TRANSLATE_NOOP("actions", "Clear the focused answer"),
    ),
    KeyHelp(
        QT_TRANSLATE_NOOP("actions", "Up / Down"),
        QT_TRANSLATE_NOOP("actions", "Previous / next question"),
    ),
    KeyHelp(
        QT_TRANSLATE_NOOP("actions", "Enter"),
        QT_TRANSLATE_NOOP("actions", "Write the evidence note of the focused question"),
    ),
    KeyHelp(
        QT_TRANSLATE_NOOP("actions", "Esc"),
        QT_TRANSLATE_NOOP("actions", "Leave the note, back to the question"),
    ),
    KeyHelp(
        "G",
        QT_TRANSLATE_NOOP("actions", "Show or hide the focused question's guidance"),
    ),
    # Keys one screen or window handles in its own widgets: the allocation board, the
    # Conflicts window, the Report screen (gui/report_view.SETTINGS_SHORTCUT).
    KeyHelp(
        "M / S",
        QT_TRANSLATE_NOOP(
            "actions", "Allocation board: move the chosen cases / give them a second reader"
        ),
    ),
    KeyHelp("C", QT_TRANSLATE_NOOP("actions", "Allocation board: set the person's capacity")),
    KeyHelp(
        QT_TRANSLATE_NOOP("actions", "Ctrl+Left / Ctrl+Right"),
        QT_TRANSLATE_NOOP("actions", "Allocation board: the previous / next person's column"),
    ),
    KeyHelp(
        "Alt+1 / Alt+2",
        QT_TRANSLATE_NOOP("actions", "Conflicts: take the first / second answer"),
    ),
    KeyHelp("Ctrl+,", QT_TRANSLATE_NOOP("actions", "Report: the report settings")),
    KeyHelp(
        "Ctrl+K",
        QT_TRANSLATE_NOOP("actions", "Report: keep the chosen proposal as written"),
    ),
)


def key_text(action: QAction) -> str:
    """An action's shortcuts as the platform writes them ("Ctrl+Shift+M"), joined by " / ".
    The dedicated keys some keyboards have ("Open", "Back", "Undo") are left out: most laptops
    have none, and a list of them reads like noise."""
    texts = [s.toString(QKeySequence.SequenceFormat.NativeText) for s in action.shortcuts()]
    typed = [t for t in texts if "+" in t or re.fullmatch(r"F\d{1,2}|.", t)]
    return " / ".join(typed or texts)


class ActionRegistry:
    """The actions of one window: each made once, with its shortcuts (working on every screen
    of the window) and the words the keyboard reference shows for it (the caller's words,
    already translated)."""

    def __init__(self, window: QWidget) -> None:
        self._window = window
        self._help: list[tuple[QAction, str]] = []

    def add(
        self,
        text: str,
        slot: Callable[..., object],
        shortcuts: Sequence[Shortcut] = (),
        *,
        tip: str = "",
        help: str = "",
    ) -> QAction:
        action = QAction(text, self._window)
        sequences: list[QKeySequence] = []
        for shortcut in shortcuts:
            if isinstance(shortcut, QKeySequence.StandardKey):
                found = QKeySequence.keyBindings(shortcut)
            else:
                found = [QKeySequence(shortcut)]
            sequences += [k for k in found if not k.isEmpty() and k not in sequences]
        action.setShortcuts(sequences)
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(slot)
        self._window.addAction(action)  # shortcuts work on every screen
        if sequences:
            self._help.append((action, help or text.replace("&", "").rstrip("…")))
        return action

    def reference(self) -> list[KeyHelp]:
        """The keyboard reference: the widgets' own keys, then every action with a shortcut,
        in the order they were registered."""
        rows = [
            KeyHelp(
                QCoreApplication.translate("actions", row.keys),
                QCoreApplication.translate("actions", row.what),
            )
            for row in WIDGET_KEYS
        ]
        rows += [KeyHelp(key_text(action), what) for action, what in self._help]
        return rows
