"""The history of one value: who wrote what, when, and what it replaced."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from inspector_app.core.cases.case_data import member_names
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.revisions import ids
from inspector_app.core.revisions.hlc import wall_ms
from inspector_app.core.revisions.log import Kind, head_revisions, history


@dataclass(frozen=True)
class HistoryEntry:
    revision_id: str
    author: str  # the team member's name
    when: datetime  # UTC, from the revision's clock stamp
    value: object
    note: str
    reason: str
    is_head: bool


def answer_history(file: InspectionFile, case_key: str, code: str) -> list[HistoryEntry]:
    """Every revision of one answer, oldest first."""
    return value_history(file, ids.record_key(case_key, Kind.ANSWER, code))


def value_history(file: InspectionFile, record_key: str) -> list[HistoryEntry]:
    conn = file.db.raw
    names = member_names(file)
    heads = {r.id for r in head_revisions(conn, record_key)}
    return [
        HistoryEntry(
            revision_id=r.id,
            author=names.get(r.author, "unknown author"),
            when=datetime.fromtimestamp(wall_ms(r.hlc) / 1000, tz=UTC),
            value=r.value,
            note=r.note,
            reason=r.reason,
            is_head=r.id in heads,
        )
        for r in history(conn, record_key)
    ]
