"""Setting, changing and removing a file's passphrase.

SQLCipher cannot switch a file between plain and encrypted in place, so the file is exported
to a temporary file beside it with the new key, checked, fsynced and renamed over the
original: at every moment one complete file exists under the original name.
"""

from __future__ import annotations

import os
from pathlib import Path

from inspector_app.core.errors import FileRefused, ValidationError
from inspector_app.core.files.merge_copy import discard_snapshot
from inspector_app.core.storage.database import copy_database, open_database
from inspector_app.core.storage.safe_write import fsync_dir, fsync_file, temp_path_beside

MIN_LENGTH = 8


def check_new_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_LENGTH:
        raise ValidationError(f"a passphrase needs at least {MIN_LENGTH} characters")


def change_passphrase(path: Path, *, current: str | None, new: str | None) -> str:
    """Encrypt (current None), re-key, or decrypt (new None) a closed file; returns what was
    done, in words."""
    path = Path(path)
    if new is not None:
        check_new_passphrase(new)
    if current is None and new is None:
        raise ValidationError(f"{path.name}: is not encrypted; there is no passphrase to remove")
    for suffix in ("-wal", "-journal"):
        side = path.with_name(path.name + suffix)
        if side.exists() and side.stat().st_size > 0:
            raise FileRefused(f"{path.name}: is open in Inspector; close it first")
    db = open_database(path, passphrase=current)
    tmp = temp_path_beside(path)
    try:
        copy_database(db, tmp, passphrase=new)
    except BaseException:
        db.close()
        tmp.unlink(missing_ok=True)
        raise
    db.close()
    try:
        check = open_database(tmp, readonly=True, passphrase=new)
        check.close()
        fsync_file(tmp)
        os.replace(tmp, path)
        fsync_dir(path.parent)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    for suffix in ("-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    # The last merge's undo copy is under the old key (or none): it would bring the old
    # protection back, so it goes.
    discard_snapshot(path)
    if current is None:
        return f"{path.name} is now encrypted"
    if new is None:
        return f"{path.name} is no longer encrypted"
    return f"The passphrase of {path.name} has been changed"
