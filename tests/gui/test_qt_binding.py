"""Guard against the PySide6 6.12.0 defect that drops a reference to None on every Qt call
returning nothing: on Python 3.11 the interpreter aborts after a few thousand calls. The
dependency pin excludes it; this test fails if a release with the defect is ever installed."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel


def test_qt_calls_keep_none_alive(qtbot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for _ in range(5000):
        label.setText("x")
    assert sys.getrefcount(None) - before > -100
