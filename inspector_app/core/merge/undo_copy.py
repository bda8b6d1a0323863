"""The undo copy of the master, taken while the merge holds the master's write lock.

The undo copy is what the master held, committed, when the merge began (files/merge_copy.py
keeps it and undoes to it). While the merge holds the write lock nobody else can commit; so
once every committed change in the master's write-ahead log is in the file itself too (a
checkpoint, on a connection of its own, says whether it could take in every one), the file's
bytes are exactly what is committed, and the copy is a plain copy of them: a fraction of
the cost of rebuilding the file (VACUUM INTO, sqlcipher_export), and an encrypted master's
copy is encrypted under the same passphrase, as before. A re-merge of one file should cost
what that file added, not a rebuild of the whole master. When a reader still needs older
pages, so the checkpoint cannot take in every change, the copy is rebuilt as before.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from inspector_app.core.errors import InspectorError
from inspector_app.core.files import merge_copy
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.files.merge_copy import snapshot_path
from inspector_app.core.storage import connection as sqlite_connection
from inspector_app.core.storage.dbapi import DatabaseError
from inspector_app.core.storage.safe_write import create_private, fsync_file, temp_path_beside

_CHECKPOINT = "PRAGMA wal_checkpoint(PASSIVE)"  # never waits for a reader or a writer


def take_snapshot(master: InspectionFile) -> Path:
    """`merge_copy.take_snapshot`, the same copy taken quicker: call it only while holding
    the master's write lock."""
    if not _all_in_file(master):
        return merge_copy.take_snapshot(master)
    tmp = temp_path_beside(snapshot_path(master.path))
    try:
        create_private(tmp)  # owner-only before a byte is copied into it
        shutil.copyfile(master.path, tmp)
        fsync_file(tmp)  # now, while the files are checked, not when the merge is kept
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def _all_in_file(master: InspectionFile) -> bool:
    """Whether every committed change is in the master's file itself (a checkpoint took in
    the whole log, or there was none)."""
    try:
        conn = sqlite_connection.connect(master.path, passphrase=master.db.passphrase)
    except InspectorError:
        return False
    try:
        busy, logged, copied = (int(n) for n in conn.execute(_CHECKPOINT).fetchone())
    except DatabaseError:
        return False
    finally:
        conn.close()
    return busy == 0 and 0 <= logged == copied  # -1: not a write-ahead log at all
