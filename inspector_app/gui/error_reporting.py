"""Errors a user can act on: the log file, and what happens when a bug slips through.

`set_up_logging()` writes the app's log to a rotating file in the user log folder (1 MB, five
old files kept). `install()` makes an uncaught exception, on the UI thread (sys.excepthook,
which PySide6 also calls for an exception in a slot) or on any other thread
(threading.excepthook), go to the log with its traceback and to a dialog with a one-line
summary, expandable details and a "Copy details" button. The app keeps running.

The dialog is always shown from the UI thread's event loop (a queued signal), never from inside
the hook: a hook may run on a worker thread or in the middle of painting.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import threading
import traceback
from collections.abc import Callable
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from inspector_app.gui.style import char_width, heading_font

log = logging.getLogger(__name__)

LOG_NAME = "inspector.log"
MAX_LOG_BYTES = 1_000_000
LOG_BACKUPS = 5
LOG_FORMAT = "%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"
MAX_SUMMARY = 200


# -- the log file --------------------------------------------------------------------------------


class AppLogHandler(RotatingFileHandler):
    """The app's own handler (so setting up twice replaces it rather than adding another)."""


def log_file() -> Path:
    from inspector_app.core.files.paths import log_dir

    return log_dir() / LOG_NAME


def set_up_logging(level: int = logging.INFO) -> Path | None:
    """Log to the rotating file; returns its path, or None when the log folder cannot be
    written (the log then goes to stderr and the app still starts)."""
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, AppLogHandler)]:
        root.removeHandler(old)
        old.close()
    path: Path | None
    handler: logging.Handler
    try:
        path = log_file()
        handler = AppLogHandler(
            path, maxBytes=MAX_LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8"
        )
    except OSError as exc:
        path = None
        handler = logging.StreamHandler()
        print(
            f"inspector-app: cannot write the log file ({exc}); logging to stderr", file=sys.stderr
        )
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    root.addHandler(handler)
    root.setLevel(level)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    logging.captureWarnings(True)
    return path


# -- what an error report says -------------------------------------------------------------------


def summary_of(exc: BaseException) -> str:
    """One line: the kind of error and the first line of its message."""
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    text = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
    return text if len(text) <= MAX_SUMMARY else text[: MAX_SUMMARY - 1] + "…"


def details_of(
    kind: type[BaseException], exc: BaseException, tb: TracebackType | None, where: str
) -> str:
    """The traceback with the app's and the system's versions: what support needs."""
    try:
        from inspector_app.gui.about_dialog import details_text

        about = details_text()
    except Exception:  # the report must not fail because the About facts did
        about = "(version details unavailable)"
    trace = "".join(traceback.format_exception(kind, exc, tb)).rstrip()
    return f"{about}\n\nUnexpected error ({where}):\n{trace}\n"


# -- the dialog ----------------------------------------------------------------------------------


class UnexpectedErrorDialog(QDialog):
    """A bug's report to the user: what happened in one line, that the app is still running
    and the work is safe, the details (hidden until asked for), and where the log is."""

    def __init__(
        self, parent: QWidget | None, summary: str, details: str, log_path: Path | None
    ) -> None:
        # Imported here: the reporter is installed before the first window shows, and only
        # the dialog needs these (QStyle alone costs a tenth of a bare window's start).
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices
        from PySide6.QtWidgets import QDialogButtonBox, QPlainTextEdit, QPushButton, QStyle

        super().__init__(parent)
        self.setWindowTitle(self.tr("Something went wrong"))
        self.setAccessibleName(self.tr("Something went wrong"))
        self.details_text = details
        icon = QLabel()
        size = round(self.fontMetrics().height() * 2.5)
        icon.setPixmap(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(size, size)
        )
        icon.setAccessibleName(self.tr("Warning"))
        heading = QLabel(self.tr("Something went wrong"))
        heading.setFont(heading_font(self.font(), 1.3))
        heading.setAccessibleName(heading.text())
        self.summary = QLabel(summary)
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setAccessibleName(self.tr("Error"))
        self.summary.setAccessibleDescription(summary)
        self.summary.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        reassurance = QLabel(
            self.tr(
                "Inspector is still running and your saved work is safe. If this happens "
                "again, send the details to your IT support."
            )
        )
        reassurance.setWordWrap(True)
        reassurance.setAccessibleName(reassurance.text())
        where = (
            self.tr("The details are also saved in the log file: {log_path}").format(
                log_path=log_path
            )
            if log_path
            else self.tr("The log file could not be written; copy the details instead.")
        )
        self.log_label = QLabel(where)
        self.log_label.setWordWrap(True)
        self.log_label.setTextFormat(Qt.TextFormat.PlainText)
        self.log_label.setAccessibleName(where)
        self.log_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )

        self.toggle = QPushButton(self.tr("Show &details"))
        self.toggle.setCheckable(True)
        self.toggle.setAccessibleName(self.tr("Show details"))
        self.toggle.setAutoDefault(False)
        self.toggle.toggled.connect(self.set_details_visible)
        self.details = QPlainTextEdit(details)
        self.details.setReadOnly(True)
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.details.setAccessibleName(self.tr("Error details"))
        self.details.setTabChangesFocus(True)
        self.details.setMinimumHeight(self.fontMetrics().height() * 10)
        self.details.hide()

        buttons = QDialogButtonBox()
        self.copy_button = buttons.addButton(
            self.tr("&Copy details"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.copy_button.setAccessibleName(self.tr("Copy details to the clipboard"))
        self.copy_button.setAutoDefault(False)
        self.copy_button.clicked.connect(self.copy_details)
        self.log_button = buttons.addButton(
            self.tr("Open &log folder"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.log_button.setAccessibleName(self.tr("Open the log folder"))
        self.log_button.setAutoDefault(False)
        self.log_button.setEnabled(log_path is not None)
        if log_path is not None:
            folder = log_path.parent
            self.log_button.clicked.connect(
                lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
            )
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName(self.tr("Close"))
        close.setDefault(True)
        buttons.rejected.connect(self.reject)
        self.feedback = QLabel()
        self.feedback.setAccessibleName(self.tr("Copied"))

        text = QVBoxLayout()
        text.addWidget(heading)
        text.addWidget(self.summary)
        text.addSpacing(6)
        text.addWidget(reassurance)
        text.addWidget(self.log_label)
        top = QHBoxLayout()
        top.setSpacing(16)
        top.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        top.addLayout(text, 1)
        toggle_row = QHBoxLayout()
        toggle_row.addWidget(self.toggle)
        toggle_row.addWidget(self.feedback, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addSpacing(8)
        layout.addLayout(toggle_row)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)
        self.setMinimumWidth(round(char_width(self) * 80))
        close.setFocus()

    def set_details_visible(self, on: bool) -> None:
        self.details.setVisible(on)
        self.toggle.setText(self.tr("Hide &details") if on else self.tr("Show &details"))
        self.toggle.setAccessibleName(self.tr("Hide details") if on else self.tr("Show details"))
        self._fit_height()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit_height()

    def _fit_height(self) -> None:
        layout = self.layout()
        if layout is None:
            return
        layout.activate()
        # Word-wrapped labels make the height depend on the width: fit it at this width.
        width = self.width()
        height = layout.totalHeightForWidth(width) if layout.hasHeightForWidth() else -1
        self.resize(width, max(height, layout.totalMinimumSize().height()))

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details_text)
        self.feedback.setText(self.tr("Details copied to the clipboard."))
        self.feedback.setAccessibleDescription(self.feedback.text())

    @classmethod
    def ask(cls, parent: QWidget | None, summary: str, details: str, log_path: Path | None) -> None:
        cls(parent, summary, details, log_path).exec()


# -- the hooks -----------------------------------------------------------------------------------


class ErrorReporter(QObject):
    """Receives uncaught exceptions from any thread; shows them one at a time on the UI
    thread. Create it on the UI thread."""

    reported = Signal(str, str)  # summary, details; emitted from any thread

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.showing = False
        self.suppressed = 0
        self.reported.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def report(
        self,
        kind: type[BaseException],
        exc: BaseException,
        tb: TracebackType | None,
        where: str = "on the UI thread",
    ) -> None:
        """Log the error with its traceback and queue the dialog. Safe from any thread."""
        details = details_of(kind, exc, tb, where)
        log.error("unexpected error %s\n%s", where, details)
        self.reported.emit(summary_of(exc), details)

    def _show(self, summary: str, details: str) -> None:
        if self.showing:  # one dialog at a time; the log has every error
            self.suppressed += 1
            return
        self.showing = True
        try:
            parent = QApplication.activeModalWidget() or QApplication.activeWindow()
            UnexpectedErrorDialog.ask(parent, summary, details, _current_log_file())
        except Exception:  # pragma: no cover - last resort: never loop on our own failure
            log.exception("the error dialog itself failed")
        finally:
            self.showing = False


def _current_log_file() -> Path | None:
    root = logging.getLogger()
    for handler in root.handlers:
        if isinstance(handler, AppLogHandler):
            return Path(handler.baseFilename)
    return None


_installed: dict[str, Any] = {}


def install() -> ErrorReporter:
    """Route uncaught exceptions (UI thread and other threads) to the log and the dialog.
    Call once, on the UI thread, after the QApplication exists."""
    uninstall()
    reporter = ErrorReporter(QApplication.instance())
    previous_sys: Callable[..., Any] = sys.excepthook
    previous_threading: Callable[..., Any] = threading.excepthook

    def sys_hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            previous_sys(kind, exc, tb)
            return
        reporter.report(kind, exc, tb)

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit or args.exc_value is None:
            return
        name = args.thread.name if args.thread is not None else "unknown"
        reporter.report(
            args.exc_type, args.exc_value, args.exc_traceback, f"in the thread '{name}'"
        )

    sys.excepthook = sys_hook
    threading.excepthook = thread_hook
    _installed.update(
        reporter=reporter,
        sys_hook=sys_hook,
        thread_hook=thread_hook,
        previous_sys=previous_sys,
        previous_threading=previous_threading,
    )
    return reporter


def uninstall() -> None:
    """Put back the hooks that were there before `install` (tests; shutting down)."""
    if not _installed:
        return
    if sys.excepthook is _installed["sys_hook"]:
        sys.excepthook = _installed["previous_sys"]
    if threading.excepthook is _installed["thread_hook"]:
        threading.excepthook = _installed["previous_threading"]
    reporter = _installed["reporter"]
    _installed.clear()
    with contextlib.suppress(RuntimeError):  # already gone with the application
        reporter.deleteLater()
