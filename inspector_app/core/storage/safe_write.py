"""Writing files so that a crash or a pulled USB stick never leaves a half-written one.

Write to a temporary file in the target folder, check it, fsync it, then rename it into
place (atomic on one filesystem) and fsync the folder.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def temp_path_beside(target: Path) -> Path:
    """A hidden, unique temporary name in the target's folder (same filesystem)."""
    return target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")


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
    """Make a finished temporary file appear at `target` in one step."""
    for suffix in ("-wal", "-shm", "-journal"):
        side = tmp.with_name(tmp.name + suffix)
        if side.exists() and side.stat().st_size == 0:
            side.unlink()
    fsync_file(tmp)
    if not replace and target.exists():
        raise FileExistsError(f"{target.name} already exists")
    os.replace(tmp, target)
    fsync_dir(target.parent)


def write_file_atomically(target: Path, payload: bytes) -> None:
    """Write bytes (a report, an export) so that `target` is either the old file or the
    complete new one, never half of it."""
    from inspector_app.core.errors import FileRefused

    target = Path(target)
    if target.is_dir():
        raise FileRefused(f"{target.name}: is a folder; give a file name")
    if not target.parent.is_dir():
        raise FileRefused(f"{target.parent}: no such folder")
    tmp = temp_path_beside(target)
    try:
        tmp.write_bytes(payload)
        publish_file(tmp, target, replace=True)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise FileRefused(
            f"{target.name}: could not be written ({exc.strerror or exc}); nothing was saved"
        ) from exc
