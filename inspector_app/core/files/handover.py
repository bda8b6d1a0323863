"""Files on removable media: detecting them, working on a local copy, and writing the
single-file snapshot that travels on a USB stick.

SQLite recovers from a crash only while the WAL stays beside the file; a stick pulled out
mid-write, or a copy of just the .inspection file of an open database, loses committed work.
So work happens on the local disk and what travels is a checked, complete snapshot.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from inspector_app.core.errors import FileRefused
from inspector_app.core.files.paths import data_dir
from inspector_app.core.storage.connection import read_header
from inspector_app.core.storage.database import copy_database, open_database
from inspector_app.core.storage.safe_write import publish_file, temp_path_beside


def working_copy_path(source: Path) -> Path:
    """Where the local working copy of a file from removable media goes."""
    folder = data_dir() / "working"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)  # copies of offenders' data
    target = folder / source.name
    counter = 1
    while target.exists():
        counter += 1
        target = folder / f"{source.stem} ({counter}){source.suffix}"
    return target


def make_working_copy(source: Path, *, passphrase: str | None = None) -> Path:
    """Copy a file (from a stick, or one copied while open) to the local disk and return the
    copy's path. The copy is complete and checked before it appears; opening it gives it a
    new replica id (session_marker)."""
    return write_snapshot(source, working_copy_path(Path(source)), passphrase=passphrase)


def _remove(tmp: Path) -> None:
    """Best-effort clean-up: on read-only media even removing fails, and the real error
    matters more."""
    with contextlib.suppress(OSError):
        tmp.unlink(missing_ok=True)


def write_snapshot(source: Path, target: Path, *, passphrase: str | None = None) -> Path:
    """A single-file snapshot of `source` at `target` (for hand-over on removable media):
    written beside the target, owner-only, checked, fsynced and renamed into place. The copy
    of an encrypted file is encrypted with the same passphrase."""
    source, target = Path(source), Path(target)
    if target.exists():
        raise FileRefused(f"{target.name}: already exists; choose another name")
    if not target.parent.is_dir():
        raise FileRefused(f"{target.parent}: no such folder")
    db = open_database(source, readonly=True, passphrase=passphrase)
    tmp = temp_path_beside(target)
    try:
        copy_database(db, tmp)
    except OSError as exc:
        _remove(tmp)
        raise FileRefused(f"{target.parent}: cannot write here ({exc.strerror or exc})") from exc
    except BaseException:
        _remove(tmp)
        raise
    finally:
        db.close()
    try:
        check = open_database(tmp, readonly=True, passphrase=passphrase)
        check.close()
        if passphrase is not None and read_header(tmp).is_sqlite:
            # An encrypted file's copy stays encrypted: never a plaintext copy on a stick.
            raise FileRefused(f"{target.name}: the copy was not encrypted; nothing was saved")
        publish_file(tmp, target)
    except OSError as exc:
        _remove(tmp)
        raise FileRefused(
            f"{target.name}: could not be written ({exc.strerror or exc}); nothing was saved"
        ) from exc
    except BaseException:
        _remove(tmp)
        raise
    return target
