"""A polite stop on SIGTERM, SIGHUP or SIGINT: close the windows as the user would, then quit.

At log-out or shut-down the desktop sends SIGTERM; Python's default is to die on the spot,
which leaves the open file marked open, so the next start says it "was not closed properly".
Qt's event loop runs no Python between events, so a Python signal handler alone would wait
for the next event. The handler therefore only wakes the loop: `signal.set_wakeup_fd` writes
a byte to a socket that a QSocketNotifier watches, and the notifier's slot closes every
window (each saves what it holds and closes its file) and quits.
"""

from __future__ import annotations

import contextlib
import signal
import socket
import sys
from collections.abc import Callable

from PySide6.QtCore import QObject, QSocketNotifier
from PySide6.QtWidgets import QApplication

STOP_SIGNALS: tuple[signal.Signals, ...] = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP", "SIGINT") if hasattr(signal, name)
)


class TerminationWatch(QObject):
    """Turns a stop signal into closing every window and quitting, on the GUI thread."""

    def __init__(self, app: QApplication, stop: Callable[[], None] | None = None) -> None:
        super().__init__(app)
        self._app = app
        self._stop = stop or self.close_everything
        self._reader, self._writer = socket.socketpair()
        self._reader.setblocking(False)
        self._writer.setblocking(False)
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._woken)
        self._previous_fd = signal.set_wakeup_fd(self._writer.fileno(), warn_on_full_buffer=False)
        self._previous = {number: signal.signal(number, _note) for number in STOP_SIGNALS}
        self.stopping = False

    def _woken(self) -> None:
        with contextlib.suppress(OSError):
            self._reader.recv(64)
        if not self.stopping:
            self.stopping = True
            self._stop()

    def close_everything(self) -> None:
        """Close the windows, newest first (a Merge window before the main one), then quit.
        A window that refuses to close (an edit that could not be saved) keeps the app
        running, so nothing is lost."""
        for window in reversed(self._app.topLevelWidgets()):
            if window.isVisible() and not window.close():
                self.stopping = False
                return
        self._app.quit()

    def uninstall(self) -> None:
        for number, handler in self._previous.items():
            signal.signal(number, handler)
        signal.set_wakeup_fd(self._previous_fd)
        self._notifier.setEnabled(False)
        self._reader.close()
        self._writer.close()


def _note(_signum: int, _frame: object) -> None:
    """The handler proper: nothing; the wake-up byte does the work on the GUI thread."""


def install(app: QApplication) -> TerminationWatch | None:
    """Watch for stop signals; None where the platform has no wake-up descriptor to watch."""
    if sys.platform == "win32":  # no SIGTERM from a Windows log-out; Qt closes the windows
        return None
    return TerminationWatch(app)
