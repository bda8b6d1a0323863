"""F1 lists every shortcut the window has, with the keys as they work, and nothing else."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from inspector_app.gui.actions import WIDGET_KEYS, key_text
from inspector_app.gui.dialogs import ShortcutsDialog
from inspector_app.gui.main_window import MainWindow


def test_f1_lists_every_shortcut_of_the_window_with_its_real_keys(
    qtbot, window: MainWindow
) -> None:
    reference = window.actions_registry.reference()
    listed = {row.keys for row in reference}
    with_keys = [a for a in window.actions() if a.shortcuts()]
    assert len(with_keys) >= 20
    for action in with_keys:
        assert key_text(action) in listed, action.text()
    assert len(reference) == len(WIDGET_KEYS) + len(with_keys)
    # The keys the case review handles itself, the guidance key among them.
    assert {"Y / N / A", "G", "Enter", "Esc"} <= listed
    merge = next(a for a in with_keys if a is window.merge_action)
    assert key_text(merge) == QKeySequence("Ctrl+Shift+M").toString(
        QKeySequence.SequenceFormat.NativeText
    )

    shown: list[ShortcutsDialog] = []

    def close_it() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, ShortcutsDialog):
            shown.append(dialog)
            dialog.reject()
        else:
            QTimer.singleShot(20, close_it)

    QTimer.singleShot(0, close_it)
    QTest.keyClick(window, Qt.Key.Key_F1)
    assert shown and [r.keys for r in shown[0].rows][: len(WIDGET_KEYS)] == [
        k.keys for k in WIDGET_KEYS
    ]
    assert [r.keys for r in shown[0].rows] == [r.keys for r in reference]
