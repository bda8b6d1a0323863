"""The copy of the master kept before each merge, so the last merge can be undone."""

from __future__ import annotations

import hashlib
import json
import os
from datetime import datetime
from pathlib import Path

from inspector_app.core.errors import InspectorError
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.plural import counted
from inspector_app.core.revisions.reads import count_and_newest_stamp
from inspector_app.core.storage.database import check_header, copy_committed, open_database
from inspector_app.core.storage.dbapi import Connection
from inspector_app.core.storage.safe_write import (
    fsync_dir,
    publish_file,
    temp_path_beside,
    write_file_atomically,
)
from inspector_app.core.times import local_time

SNAPSHOT_SUFFIX = ".before-merge"


def snapshot_path(master_path: Path) -> Path:
    return master_path.with_name(master_path.name + SNAPSHOT_SUFFIX)


def take_snapshot(master: InspectionFile) -> Path:
    """Copy what the master holds into a temporary file beside it; it becomes the undo copy
    only once the merge has changed something (`keep_snapshot`). The merge calls this while
    it holds the master's write lock, so the copy is exactly what the merge started from: an
    edit another window commits meanwhile is either in the copy or waits for the merge."""
    tmp = temp_path_beside(snapshot_path(master.path))
    try:
        copy_committed(master.path, master.db.passphrase, tmp)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def keep_snapshot(tmp: Path, master_path: Path, description: str) -> Path:
    """Make a taken snapshot the undo copy of the last merge (replacing the previous one),
    then write its description. The previous description goes first: a copy found without
    one (the app stopped in between) is never undone on a stale description's word."""
    target = snapshot_path(master_path)
    note = _note_path(master_path)
    note.unlink(missing_ok=True)
    publish_file(tmp, target, replace=True)
    write_file_atomically(note, description.encode("utf-8"))
    return target


def _note_path(master_path: Path) -> Path:
    snapshot = snapshot_path(master_path)
    return snapshot.with_name(snapshot.name + ".json")


def discard_snapshot(master_path: Path) -> None:
    """Remove the undo copy of the last merge and its description."""
    snapshot = snapshot_path(master_path)
    snapshot.unlink(missing_ok=True)
    snapshot.with_name(snapshot.name + ".json").unlink(missing_ok=True)


# What a merge never changes: any difference after a merge is an edit undo would lose.
SETUP_TABLES = (
    "team_member",
    "allocation",
    "case_record",
    "case_identity",
    "case_withdrawal",
    "sample_source",
    "long_list_entry",
    "long_list_identity",
    "sample_draw",
)
_EVERY_ROW = {table: f"SELECT * FROM {table} ORDER BY 1, 2" for table in SETUP_TABLES}


def setup_digest(conn: Connection) -> str:
    """A digest of the team, allocations, cases and sample records (not the revisions, which
    are counted apart), taken right after a merge and compared before undoing it."""
    digest = hashlib.sha256()
    for table in SETUP_TABLES:
        digest.update(table.encode())
        for row in conn.execute(_EVERY_ROW[table]):
            digest.update(repr(row).encode("utf-8"))
    return digest.hexdigest()


def edits_since_merge(master_path: Path, passphrase: str | None = None) -> int:
    """How many changes the master gained after the last merge (undo would lose them): new
    revisions, and a changed team, allocation or sample counted as one more."""
    note = snapshot_path(master_path).with_name(snapshot_path(master_path).name + ".json")
    if not note.exists():
        return 0
    after = json.loads(note.read_text(encoding="utf-8")).get("after")
    if not after:
        return 0
    db = open_database(master_path, readonly=True, passphrase=passphrase)
    try:
        count, latest = count_and_newest_stamp(db.raw)
        setup_changed = "setup" in after and setup_digest(db.raw) != after["setup"]
    finally:
        db.close()
    if latest == after["latest"] and count == after["revisions"]:
        return 1 if setup_changed else 0
    return max(1, count - int(after["revisions"])) + (1 if setup_changed else 0)


def describe_last_merge(master_path: Path) -> str:
    """What undoing would undo, in words."""
    snapshot = snapshot_path(master_path)
    if not snapshot.exists():
        raise InspectorError(f"{master_path.name}: there is no merge to undo")
    note = snapshot.with_name(snapshot.name + ".json")
    if not note.exists():
        return "the last merge"
    data = json.loads(note.read_text(encoding="utf-8"))
    when = local_time(datetime.fromisoformat(data["when"]))
    merged = [s for s in data["sources"] if s["refusal"] is None]
    parts = [
        "{owner}'s file ({changes})".format(
            owner=s["owner"],
            changes=counted(int(s["new_revisions"]), "{n} new change", "{n} new changes"),
        )
        for s in merged
    ]
    listing = "; ".join(parts) if parts else "no files"
    return f"the merge of {when}: {listing}"


def undo_last_merge(
    master_path: Path, *, passphrase: str | None = None, discard_later_edits: bool = False
) -> str:
    """Put the master back as it was before the last merge. The master must be closed.
    Refuses when the master was edited after the merge, unless told to discard those edits.
    Returns a statement of what was undone."""
    master_path = Path(master_path)
    snapshot = snapshot_path(master_path)
    what = describe_last_merge(master_path)
    wal = master_path.with_name(master_path.name + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise InspectorError(
            f"{master_path.name}: is open in Inspector (or was not closed cleanly); close it first"
        )
    if not _note_path(master_path).exists() and not discard_later_edits:
        raise InspectorError(
            f"{master_path.name}: the record of what the last merge changed is missing (the "
            "app stopped while keeping it), so edits made after the merge cannot be counted; "
            "undo only if you are sure, with --discard-later-edits"
        )
    later = edits_since_merge(master_path, passphrase)
    if later and not discard_later_edits:
        raise InspectorError(
            f"{master_path.name}: {later} edit(s) were made after that merge (settled conflicts, "
            "report text, answers, the team, allocations or the sample); undoing the merge "
            "would lose them too"
        )
    check_header(snapshot, encrypted_ok=True)
    for suffix in ("-wal", "-shm"):
        master_path.with_name(master_path.name + suffix).unlink(missing_ok=True)
    os.replace(snapshot, master_path)
    fsync_dir(master_path.parent)
    snapshot.with_name(snapshot.name + ".json").unlink(missing_ok=True)
    return f"Undid {what}. The master is back as it was before that merge."
