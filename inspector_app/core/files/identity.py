"""Identifying data (CRN, name): held apart from the profile, only in the master (and in
fieldwork files only when asked for), never in a report, and removable after publication."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from inspector_app.core.errors import FileRefused, ValidationError
from inspector_app.core.files import case_queries
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.files.leftovers import leftovers_of, remove_abandoned
from inspector_app.core.files.merge_copy import discard_snapshot, snapshot_path


@dataclass(frozen=True)
class PurgeOutcome:
    cases: int  # sampled cases whose identifiers were removed
    removed_files: tuple[Path, ...]  # copies beside the master that held them


def purge_identifiers(file: InspectionFile) -> int:
    """Delete every case's CRN and name (sampled and long-list cases) and say so only once
    the bytes on disk prove it; see `purge_identifiers_verified`."""
    return purge_identifiers_verified(file).cases


def purge_identifiers_verified(file: InspectionFile) -> PurgeOutcome:
    """Delete every CRN and name, then make sure none is left anywhere the app wrote it.

    secure_delete overwrites the freed space, and a full checkpoint folds the WAL (which held
    the old pages) back into the file; if another connection holds the file the checkpoint
    cannot finish, and the purge is refused rather than reported done. The undo copy of the
    last merge and the backups written before a format upgrade hold the identifiers too: they
    are removed. Last, the raw bytes of the file and its WAL are searched for every identifier
    that was removed (an encrypted file holds only ciphertext, so this proves nothing there
    beyond the deletion itself).
    """
    if not file.is_master:
        raise ValidationError(f"{file.path.name}: identifiers are purged from the master file")
    file.db.wait_for_check()  # the copies it removes may be all that is left of a damaged one
    left_behind = remove_abandoned(file.path)
    in_use = [path for path in leftovers_of(file.path)[1] if not path.is_dir()]
    if in_use:
        raise FileRefused(
            f"{file.path.name}: another window or program is merging or copying the file "
            f"({in_use[0].name}); wait until it has finished, then run the purge again"
        )
    # The copies go first: a purge stopped half way (the app killed, the computer off) never
    # leaves the identifiers in a copy beside a master they were deleted from. Run again, it
    # finishes the job.
    removed = [*_upgrade_backups(file.path)]
    for path in removed:
        path.unlink(missing_ok=True)
    removed[:0] = left_behind
    undo_copy = snapshot_path(file.path)
    if undo_copy.exists():
        removed.append(undo_copy)
    discard_snapshot(file.path)
    conn = file.db.raw
    # long_list_identity is the sample's table (core/sample), which this layer cannot reach.
    rows = [
        *case_queries.identities(file.db).values(),
        *conn.execute("SELECT crn, name FROM long_list_identity"),
    ]
    identifiers = {text for row in rows for text in row if text and len(text) >= 3}
    with file.db.write() as write:
        count = case_queries.delete_identities(file.db)
        # The long list's cases that were never drawn carry identifiers too.
        write.execute("DELETE FROM long_list_identity")
    busy, log, done = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    if busy or (log > 0 and done < log):
        raise FileRefused(
            f"{file.path.name}: the identifiers are deleted, but another window or program "
            "has the file open, so their old copies may remain on disk; close it and run the "
            "purge again"
        )
    _verify_gone(file.path, identifiers)
    return PurgeOutcome(count, tuple(removed))


def _upgrade_backups(master: Path) -> list[Path]:
    """The copies written before a format upgrade (`NAME.formatN-backupM.inspection`)."""
    return sorted(master.parent.glob(f"{master.stem}.format*-backup*{master.suffix}"))


def _verify_gone(master: Path, identifiers: set[str]) -> None:
    for path in (master, master.with_name(master.name + "-wal")):
        if not path.exists():
            continue
        data = path.read_bytes()
        left = next((text for text in identifiers if text.encode("utf-8") in data), None)
        if left is not None:
            raise FileRefused(
                f"{path.name}: an identifier is still in the file's bytes after the purge; "
                "close every window that has it open and run the purge again"
            )
