"""The one way long work leaves the UI thread (STYLE 3).

`run_in_background(fn, on_done, on_error)` runs `fn()` on a worker thread; `on_done(result)`
or `on_error(exc)` then runs on the UI thread. `fn` must call core only and open its own
connection (a file's connection belongs to the thread that opened it).

Workers never touch Qt: they put their outcome on a queue that a timer on the UI thread drains
while work is outstanding, so no Qt object is ever shared between threads.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QTimer

log = logging.getLogger(__name__)

POLL_MS = 15

_outcomes: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()
_threads: set[threading.Thread] = set()
_timer: QTimer | None = None


def _default_on_error(exc: BaseException) -> None:
    from inspector_app.gui.dialogs import ErrorDialog

    ErrorDialog.ask(
        None, QCoreApplication.translate("background", "Something went wrong"), str(exc)
    )


def run_in_background(
    fn: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None] | None = None,
) -> None:
    """Run `fn` off the UI thread; its result or error comes back on the UI thread.
    Call from the UI thread."""
    report = on_error or _default_on_error

    def work() -> None:
        try:
            result = fn()
        except BaseException as exc:  # reported on the UI thread, never lost
            log.exception("background work failed")
            _outcomes.put(lambda error=exc: report(error))
        else:
            _outcomes.put(lambda: on_done(result))

    thread = threading.Thread(target=work, name="background", daemon=True)
    _threads.add(thread)
    thread.start()
    _ensure_timer().start()


def _ensure_timer() -> QTimer:
    global _timer
    if _timer is None:
        _timer = QTimer()
        _timer.setInterval(POLL_MS)
        _timer.timeout.connect(deliver_outcomes)
    return _timer


def deliver_outcomes() -> None:
    """Run the callbacks of finished work (on the UI thread); stop polling when idle."""
    for thread in [t for t in _threads if not t.is_alive()]:
        _threads.discard(thread)
    while True:
        try:
            callback = _outcomes.get_nowait()
        except queue.Empty:
            break
        callback()
    if not _threads and _outcomes.empty() and _timer is not None:
        _timer.stop()


def wait_for_background(timeout_ms: int = 30000) -> bool:
    """Block until started work has finished (shutdown, tests); callbacks still run from the
    event loop (or call `deliver_outcomes`)."""
    deadline = time.monotonic() + timeout_ms / 1000
    for thread in list(_threads):
        thread.join(max(0.0, deadline - time.monotonic()))
    return not any(t.is_alive() for t in _threads)
