"""An uncaught exception is logged with its traceback and shown in a dialog; the app runs on."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from logging.handlers import RotatingFileHandler
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPushButton

from inspector_app import __version__
from inspector_app.gui import error_reporting
from inspector_app.gui.error_reporting import (
    AppLogHandler,
    UnexpectedErrorDialog,
    install,
    set_up_logging,
    uninstall,
)
from tests.gui_app.conftest import alt, focused, press


@pytest.fixture
def log_path() -> Iterator[Path]:
    path = set_up_logging()
    assert path is not None
    yield path
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, AppLogHandler)]:
        root.removeHandler(handler)
        handler.close()


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, str, Path | None]]]:
    """The dialogs that would have been shown (summary, details, log file)."""
    calls: list[tuple[str, str, Path | None]] = []
    monkeypatch.setattr(
        UnexpectedErrorDialog,
        "ask",
        classmethod(
            lambda cls, parent, summary, details, path: calls.append((summary, details, path))
        ),
    )
    install()
    yield calls
    uninstall()


def test_the_log_is_a_rotating_file_in_the_user_log_folder(log_path: Path) -> None:
    from inspector_app.core.files.paths import log_dir

    assert log_path == log_dir() / "inspector.log"
    handlers = [h for h in logging.getLogger().handlers if isinstance(h, AppLogHandler)]
    assert len(handlers) == 1
    assert isinstance(handlers[0], RotatingFileHandler)
    assert handlers[0].maxBytes == 1_000_000 and handlers[0].backupCount == 5
    set_up_logging()  # again: replaced, not doubled
    assert len([h for h in logging.getLogger().handlers if isinstance(h, AppLogHandler)]) == 1


@pytest.mark.qt_no_exception_capture
def test_an_exception_in_a_slot_is_logged_and_shown_and_the_app_keeps_running(
    qtbot, log_path: Path, shown: list
) -> None:
    button = QPushButton("Break something")
    qtbot.addWidget(button)
    button.show()
    clicks: list[int] = []

    def broken_slot() -> None:
        clicks.append(1)
        raise ValueError("the totals do not add up")

    button.clicked.connect(broken_slot)
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(shown) == 1)

    summary, details, path = shown[0]
    assert summary == "ValueError: the totals do not add up"
    assert "Traceback (most recent call last)" in details
    assert "broken_slot" in details
    assert f"Version: {__version__}" in details
    assert path == log_path
    for handler in logging.getLogger().handlers:
        handler.flush()
    logged = log_path.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in logged
    assert 'in broken_slot\n    raise ValueError("the totals do not add up")' in logged
    assert "ValueError: the totals do not add up" in logged

    # Still running: the same button works again, and reports again.
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(shown) == 2)
    assert len(clicks) == 2


def test_an_exception_on_another_thread_is_shown_on_the_ui_thread(
    qtbot, log_path: Path, shown: list
) -> None:
    def work() -> None:
        raise RuntimeError("the export thread failed")

    thread = threading.Thread(target=work, name="exporter")
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: len(shown) == 1)
    assert shown[0][0] == "RuntimeError: the export thread failed"
    assert "in the thread 'exporter'" in shown[0][1]
    for handler in logging.getLogger().handlers:
        handler.flush()
    assert "the export thread failed" in log_path.read_text(encoding="utf-8")


def test_uninstall_puts_the_previous_hooks_back() -> None:
    import sys

    before = (sys.excepthook, threading.excepthook)
    install()
    assert sys.excepthook is not before[0]
    uninstall()
    assert (sys.excepthook, threading.excepthook) == before


def test_the_dialog_summary_details_and_copy_with_the_keyboard(qtbot, tmp_path: Path) -> None:
    log_file = tmp_path / "inspector.log"
    details = "Inspector — details\nTraceback (most recent call last):\n  ...\nKeyError: 'B3.2'"
    dialog = UnexpectedErrorDialog(None, "KeyError: 'B3.2'", details, log_file)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    assert dialog.summary.text() == "KeyError: 'B3.2'"
    assert str(log_file) in dialog.log_label.text()
    assert not dialog.details.isVisible()
    assert focused().accessibleName() == "Close"  # Enter or Esc closes: nothing lost
    alt("d")  # Show details
    assert dialog.details.isVisible()
    assert dialog.details.toPlainText() == details
    assert dialog.toggle.text() == "Hide &details"
    alt("c")  # Copy details
    assert QApplication.clipboard().text() == details
    assert "copied" in dialog.feedback.text()
    press(Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_summary_is_one_line() -> None:
    exc = ValueError("first line\nsecond line\n" + "x" * 500)
    assert error_reporting.summary_of(exc) == "ValueError: first line"
    long = error_reporting.summary_of(ValueError("y" * 500))
    assert len(long) == error_reporting.MAX_SUMMARY and long.endswith("…")
    assert error_reporting.summary_of(KeyError()) == "KeyError"
