"""Writing files so that a crash or a pulled USB stick never leaves a half-written one, and
so that nobody but the user can read them.

Write to a temporary file in the target folder, check it, fsync it, then rename it into
place (atomic on one filesystem) and fsync the folder. Every file the app writes holds
offenders' data (or is derived from it), so each is created owner-only (0600) before a byte
is written, whatever the umask.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from pathlib import Path

PRIVATE_MODE = 0o600
# The longest name SQLite puts beside a database ("-journal"); a temporary database's name
# leaves room for it.
_SIDE_SUFFIX_BYTES = len("-journal")
_NAME_MAX = 255
# Opening a named pipe to look at it must not wait for a writer.
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)


def create_private(path: Path) -> None:
    """Create `path` as a new, empty, owner-only file (refused if anything is there)."""
    flags = os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags, PRIVATE_MODE)
    try:
        _fchmod_private(fd)
    finally:
        os.close(fd)


def make_private(path: Path) -> None:
    """Make an existing file owner-only, where the filesystem has such modes."""
    with contextlib.suppress(OSError, NotImplementedError):
        os.chmod(path, PRIVATE_MODE)


def _fchmod_private(fd: int) -> None:
    # Created with 0600, the umask can only have taken bits away, perhaps even the owner's
    # own: set exactly 0600. A filesystem without modes (FAT on a USB stick) refuses, and
    # Windows has no fchmod: nothing wider than 0600 was created either way.
    if hasattr(os, "fchmod"):
        with contextlib.suppress(OSError):
            os.fchmod(fd, PRIVATE_MODE)


def special_kind(mode: int) -> str:
    """What a file that is not an ordinary file is, in words."""
    if stat.S_ISDIR(mode):
        return "is a folder"
    if stat.S_ISFIFO(mode):
        return "is a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device"
    if stat.S_ISSOCK(mode):
        return "is a socket"
    return "is a special file"


def _name_max(folder: Path) -> int:
    try:
        return int(os.pathconf(folder, "PC_NAME_MAX"))
    except (AttributeError, OSError, ValueError):
        return _NAME_MAX


def journal_fits(path: Path) -> bool:
    """Whether SQLite can put its rollback journal (NAME-journal) beside `path`: a name within
    8 bytes of the filesystem's limit leaves no room for it (the WAL's "-wal" is shorter)."""
    return len(path.name.encode("utf-8")) + _SIDE_SUFFIX_BYTES <= _name_max(path.parent)


def temp_path_beside(target: Path) -> Path:
    """A hidden, unique temporary name in the target's folder (same filesystem). It carries
    the writing process's id, so a temporary file left by a process that was killed can be
    told from one still being written (see core.leftovers). A long target name is shortened
    so that the temporary name, and the journal SQLite may put beside it, still fit in the
    filesystem's limit."""
    tag = f"{os.getpid()}-{secrets.token_hex(4)}"
    budget = _name_max(target.parent) - _SIDE_SUFFIX_BYTES - len(f"..{tag}.tmp")
    stem = target.name.encode("utf-8")[: max(budget, 1)].decode("utf-8", errors="ignore")
    return target.with_name(f".{stem}.{tag}.tmp")


def fsync_file(path: Path) -> None:
    # Windows refuses to flush a handle opened read-only; a file we just wrote is writable.
    fd = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # not supported on this platform (Windows)
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def publish_file(tmp: Path, target: Path, *, replace: bool = False) -> None:
    """Make a finished (closed) temporary file appear at `target` in one step, owner-only.
    What SQLite left beside it goes: empty journals, and the shared-memory index a read of a
    WAL-mode file leaves (it never holds data)."""
    for suffix in ("-wal", "-shm", "-journal"):
        side = tmp.with_name(tmp.name + suffix)
        if side.exists() and (suffix == "-shm" or side.stat().st_size == 0):
            side.unlink()
    make_private(tmp)
    fsync_file(tmp)
    if not replace and target.exists():
        raise FileExistsError(f"{target.name} already exists")
    os.replace(tmp, target)
    fsync_dir(target.parent)


def looks_like_inspection_file(path: Path) -> bool:
    """True for an existing file that is (or may be) a database: an SQLite header, or one of
    our names (an encrypted file's header is ciphertext, so its name is all there is)."""
    from inspector_app.core.storage.connection import SQLITE_MAGIC

    name = path.name.lower()
    if name.endswith((".inspection", ".before-merge", "-wal", "-shm", "-journal")):
        return True
    try:
        fd = os.open(path, os.O_RDONLY | _NONBLOCK | getattr(os, "O_BINARY", 0))
    except OSError:
        return False
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return False
        return os.read(fd, len(SQLITE_MAGIC)) == SQLITE_MAGIC
    finally:
        os.close(fd)


def write_file_atomically(target: Path, payload: bytes) -> None:
    """Write bytes (a report, an export) so that `target` is either the old file or the
    complete new one, never half of it. Never writes over an inspection file (or any other
    database): a report written over the master would destroy it."""
    from inspector_app.core.errors import FileRefused

    target = Path(target)
    if target.is_dir():
        raise FileRefused(f"{target.name}: is a folder; give a file name")
    if not target.parent.is_dir():
        raise FileRefused(f"{target.parent}: no such folder")
    if target.exists() and not target.is_file():
        raise FileRefused(f"{target.name}: {special_kind(target.stat().st_mode)}, not a file")
    if target.exists() and looks_like_inspection_file(target):
        raise FileRefused(
            f"{target.name}: is an inspection file (or another database); it is never "
            "written over, choose another name"
        )
    tmp = temp_path_beside(target)
    try:
        # Owner-only before a byte of the report is in it.
        flags = os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_BINARY", 0)
        fd = os.open(tmp, flags, PRIVATE_MODE)
        try:
            _fchmod_private(fd)
            view = memoryview(payload)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)
        publish_file(tmp, target, replace=True)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise FileRefused(
            f"{target.name}: could not be written ({exc.strerror or exc}); nothing was saved"
        ) from exc
