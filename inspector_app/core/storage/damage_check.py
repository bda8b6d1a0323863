"""The whole-file damage check of a big file, run beside its first screen.

SQLite's quick check reads every page: about 1.7 s for a master of 100,000 cases, more than
the case list may take to show. A file that big is opened before the check ends; the check
runs on a thread of its own, over a read-only connection of its own, and the file's writes
wait for it (`Database.wait_for_check`): nothing is ever written to a file not yet found
sound, and the app's other readers of the file (which skip a check the window has made)
wait for it too (`running_for`). The window hears of damage as soon as the check ends
(`when_done`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

from inspector_app.core.errors import FileDamaged, FileRefused
from inspector_app.core.storage import connection as sqlite_connection
from inspector_app.core.storage.dbapi import (
    SQLITE_CORRUPT,
    SQLITE_NOTADB,
    Connection,
    DatabaseError,
    error_code,
)

# A file smaller than this is checked before it opens, as it always was (a tenth of a second).
CHECK_BESIDE_BYTES = 64 * 1024 * 1024

Finding = FileRefused | None  # what the check found: None when the file is sound

log = logging.getLogger(__name__)

# The checks of this process, by file, from their start until the file they check closes.
_RUNNING: dict[Path, DamageCheck] = {}
_RUNNING_LOCK = threading.Lock()


def running_for(path: Path) -> DamageCheck | None:
    """The check this process is making of `path`, or has made of it while it is open."""
    with _RUNNING_LOCK:
        return _RUNNING.get(Path(path).resolve())


def quick_check(raw: Connection, path: Path) -> None:
    """Refuse the file if SQLite's quick check finds damage, naming the first few faults
    (FileDamaged); any other failure of the check (a lock, an interruption) is the driver's
    error."""
    try:
        rows = raw.execute("PRAGMA quick_check").fetchall()
    except DatabaseError as exc:
        if error_code(exc) not in (SQLITE_CORRUPT, SQLITE_NOTADB, None):
            raise
        raise FileDamaged(f"{path.name}: the file is damaged ({exc})") from exc
    if rows != [("ok",)]:
        raise FileDamaged(f"{path.name}: the file is damaged ({_faults(rows)})")


def _faults(rows: list[tuple[object, ...]]) -> str:
    """The quick check's first faults on one line, without its "*** in database main ***"
    headings."""
    lines = [
        line.strip()
        for (text, *_rest) in rows
        for line in str(text).splitlines()
        if line.strip() and not line.startswith("***")
    ]
    shown = "; ".join(lines[:2]) + ("; …" if len(lines) > 2 else "")
    return shown if len(shown) <= 200 else shown[:199] + "…"


class DamageCheck:
    """The quick check of `path`, started at once on a thread of its own. `then` runs on the
    same connection once the file is found sound (a read that also scans the whole file, such
    as its newest clock stamp); its result is `result`."""

    def __init__(
        self,
        path: Path,
        passphrase: str | None,
        then: Callable[[Connection], object] | None = None,
    ) -> None:
        self.path = path
        self.result: object = None
        self._passphrase = passphrase
        self._then = then
        self._finding: Finding = None
        self._done = threading.Event()
        self._lock = threading.Lock()
        self._listeners: list[Callable[[Finding], None]] = []
        self._conn: Connection | None = None
        self._stopped = False
        self._key = path.resolve()
        with _RUNNING_LOCK:
            _RUNNING[self._key] = self
        self._thread = threading.Thread(target=self._run, name="damage-check", daemon=True)
        self._thread.start()

    @property
    def done(self) -> bool:
        return self._done.is_set()

    @property
    def finding(self) -> Finding:
        """What the check found, once done: None when the file is sound."""
        return self._finding if self._done.is_set() else None

    def wait(self) -> None:
        """Return once the file is found sound; FileRefused, naming the damage, if not."""
        self._done.wait()
        if self._finding is not None:
            raise self._finding

    def when_done(self, listener: Callable[[Finding], None]) -> None:
        """Call `listener` with the finding when the check ends (on the checking thread), or
        now if it has."""
        with self._lock:
            if not self._done.is_set():
                self._listeners.append(listener)
                return
        listener(self._finding)

    def stop(self) -> None:
        """The file is closing: end the check early (its finding no longer matters) and
        wait for its connection to close, so the file's own closes last."""
        with self._lock:
            self._stopped = True
            if self._conn is not None:
                self._conn.interrupt()
        self._thread.join(timeout=10)
        self._forget()

    def _run(self) -> None:
        finding: Finding = None
        try:
            conn = sqlite_connection.connect(self.path, readonly=True, passphrase=self._passphrase)
        except Exception as exc:  # the file went, or cannot be read now
            finding = self._unchecked(exc)
        else:
            self._passphrase = None  # kept no longer than it is needed
            # Asked every thousand steps: a stop lands even between two statements.
            conn.set_progress_handler(lambda: 1 if self._stopped else 0, 1000)
            with self._lock:
                self._conn = conn
            try:
                if self._stopped:
                    finding = self._stopped_finding()
                else:
                    quick_check(conn, self.path)
                    if self._then is not None:
                        self.result = self._then(conn)
            except FileDamaged as exc:
                finding = exc
            except Exception as exc:
                finding = self._stopped_finding() if self._stopped else self._unchecked(exc)
            finally:
                with self._lock:
                    self._conn = None
                conn.close()
        with self._lock:
            self._finding = finding
            self._done.set()
            listeners, self._listeners = self._listeners, []
        if finding is None:
            self._forget()  # sound: the app's readers need not wait for it
        for listener in listeners:
            try:
                listener(finding)
            except Exception:  # a listener gone with its window must not end the check
                log.exception("telling of the damage check of %s failed", self.path.name)

    def _forget(self) -> None:
        with _RUNNING_LOCK:
            if _RUNNING.get(self._key) is self:
                del _RUNNING[self._key]

    def _unchecked(self, exc: Exception) -> FileRefused:
        if isinstance(exc, FileRefused):
            return exc
        return FileRefused(f"{self.path.name}: could not be checked for damage ({exc})")

    def _stopped_finding(self) -> FileRefused:
        return FileRefused(f"{self.path.name}: closed before its damage check ended")
