"""The one way long work leaves the UI thread (STYLE 3).

`run_in_background(fn, on_done, on_error)` runs `fn()` on Qt's thread pool; `on_done(result)`
or `on_error(exc)` then runs on the UI thread. `fn` must call core only and open its own
connection (a file's connection belongs to the thread that opened it).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)

_in_flight: set[_Relay] = set()


class _Relay(QObject):
    """Lives on the UI thread; the worker's signals reach it queued."""

    done = Signal(object)
    failed = Signal(object)

    def __init__(
        self, on_done: Callable[[Any], None], on_error: Callable[[BaseException], None]
    ) -> None:
        super().__init__()
        self._on_done = on_done
        self._on_error = on_error
        self.done.connect(self._finish_done, Qt.ConnectionType.QueuedConnection)
        self.failed.connect(self._finish_failed, Qt.ConnectionType.QueuedConnection)

    @Slot(object)
    def _finish_done(self, result: object) -> None:
        _in_flight.discard(self)
        self._on_done(result)

    @Slot(object)
    def _finish_failed(self, exc: object) -> None:
        _in_flight.discard(self)
        self._on_error(exc)  # type: ignore[arg-type]


class _Task(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._fn = fn
        self._relay = relay

    def run(self) -> None:
        try:
            result = self._fn()
        except BaseException as exc:  # reported on the UI thread, never lost
            log.exception("background work failed")
            self._relay.failed.emit(exc)
        else:
            self._relay.done.emit(result)


def run_in_background(
    fn: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None] | None = None,
) -> None:
    """Run `fn` off the UI thread; its result or error comes back on the UI thread."""
    if on_error is None:
        from inspector_app.gui.dialogs import ErrorDialog

        def on_error(exc: BaseException) -> None:
            ErrorDialog.ask(None, "Something went wrong", str(exc))

    relay = _Relay(on_done, on_error)
    _in_flight.add(relay)
    QThreadPool.globalInstance().start(_Task(fn, relay))


def wait_for_background(timeout_ms: int = 30000) -> bool:
    """Block until queued background work has finished (for shutdown and tests)."""
    return QThreadPool.globalInstance().waitForDone(timeout_ms)
