"""Identifying data (CRN, name): held apart from the profile, only in the master (and in
fieldwork files only when asked for), never in a report, and removable after publication."""

from __future__ import annotations

from inspector_app.core.errors import ValidationError
from inspector_app.core.inspection_file import InspectionFile
from inspector_app.core.merge_snapshot import discard_snapshot


def purge_identifiers(file: InspectionFile) -> int:
    """Delete every case's CRN and name (sampled and long-list cases). secure_delete
    overwrites the freed space, and the checkpoint folds the WAL (which held the old pages)
    back into the file."""
    if not file.is_master:
        raise ValidationError(f"{file.path.name}: identifiers are purged from the master file")
    with file.db.write() as conn:
        count = conn.execute("SELECT count(*) FROM case_identity").fetchone()[0]
        conn.execute("DELETE FROM case_identity")
        # The long list's cases that were never drawn carry identifiers too.
        conn.execute("DELETE FROM long_list_identity")
    file.db.raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    # The undo copy of the last merge still holds them: it goes too.
    discard_snapshot(file.path)
    return count
