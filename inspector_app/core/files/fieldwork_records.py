"""The `fieldwork_file_record` table: when each person's fieldwork file was written from the
master, and when their file was merged back and with how many new revisions. The one module
that reads and writes it (tests/project/test_table_owners.py).

A log, never a set-up change: undoing a merge puts the master back as it was, so that merge's
record goes with it, as it should.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import insert

from inspector_app.core.files import team_queries
from inspector_app.core.files.inspection_file import InspectionFile, utc_now_iso
from inspector_app.core.storage.database import Database

WRITTEN, MERGED = "written", "merged"


@dataclass(frozen=True)
class FileHistory:
    """A person's fieldwork file as the master knows it (UTC ISO times; None: never)."""

    written_at: str | None = None
    written_name: str | None = None  # the file name it was written as
    merged_at: str | None = None
    merged_revisions: int | None = None  # what the last merge of their file brought
    merges: int = 0


class MergedFile(Protocol):
    """One source of a merge, as the merge reports it."""

    @property
    def path(self) -> str: ...

    @property
    def owner(self) -> str | None: ...

    @property
    def new_revisions(self) -> int: ...

    @property
    def merged(self) -> bool: ...


def record_written(db: Database, member_id: str, file_name: str, by: str | None) -> None:
    """A fieldwork file was written for `member_id` by `by` (the master's owner)."""
    _add(db, [(WRITTEN, member_id, utc_now_iso(), file_name, by, None)])


def record_merges(master: InspectionFile, sources: Iterable[MergedFile], when: str) -> None:
    """Each file a merge took in (refused ones are left out), by its owner, at `when`: the call
    the merge makes once it has committed. A file whose owner is not in the team is skipped."""
    from pathlib import Path

    ids = {name: member_id for member_id, name in team_queries.names_by_id(master.db).items()}
    rows = [
        (MERGED, ids[source.owner], when, Path(source.path).name, None, source.new_revisions)
        for source in sources
        if source.merged and source.owner in ids
    ]
    _add(master.db, rows)


def history_by_member(db: Database) -> dict[str, FileHistory]:
    """Member id -> their file's last writing and last merge."""
    found: dict[str, FileHistory] = {}
    rows = db.raw.execute(
        "SELECT event, member_id, recorded_at, file_name, revisions FROM fieldwork_file_record"
        " ORDER BY recorded_at, id"
    )
    for event, member_id, at, name, revisions in rows:
        before = found.get(member_id, FileHistory())
        if event == WRITTEN:
            found[member_id] = FileHistory(
                at, name, before.merged_at, before.merged_revisions, before.merges
            )
        elif event == MERGED:
            found[member_id] = FileHistory(
                before.written_at, before.written_name, at, revisions, before.merges + 1
            )
    return found


def _add(db: Database, rows: Sequence[tuple[str, str, str, str, str | None, int | None]]) -> None:
    from inspector_app.core.storage.models import FieldworkFileRecord

    values = [
        {
            "event": event,
            "member_id": member_id,
            "recorded_at": at,
            "file_name": name,
            "recorded_by": by,
            "revisions": revisions,
        }
        for event, member_id, at, name, by, revisions in rows
    ]
    if values:
        with db.transaction() as conn:
            conn.execute(insert(FieldworkFileRecord), values)
