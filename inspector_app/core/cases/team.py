"""The inspection team: the lead, inspectors and local assessors."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from inspector_app.core.errors import ValidationError
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.revisions import ids
from inspector_app.core.storage.dbapi import IntegrityError


class Role(StrEnum):
    """What a team member does in the inspection."""

    LEAD = "lead"
    INSPECTOR = "inspector"
    ASSESSOR = "assessor"  # a local assessor from the service


ROLES = tuple(role.value for role in Role)


@dataclass(frozen=True)
class Member:
    id: str
    name: str
    role: str
    cases: int  # cases allocated as first reader
    second_reads: int


def add_member(file: InspectionFile, name: str, role: str = "inspector") -> Member:
    """Add a person to the team (master only: fieldwork files carry the master's team)."""
    clean = " ".join(name.split())
    if not clean:
        raise ValidationError("a team member needs a name")
    if role not in ROLES:
        raise ValidationError(f"unknown role '{role}' (expected {', '.join(ROLES)})")
    if not file.is_master:
        raise ValidationError(
            f"{file.path.name}: is a fieldwork file; change the team in the master file"
        )
    member_id = ids.member_id(file.inspection.id, clean)
    try:
        with file.db.write() as conn:
            conn.execute(
                "INSERT INTO team_member (id, name, role) VALUES (?, ?, ?)",
                (member_id, clean, role),
            )
    except IntegrityError as exc:
        raise ValidationError(f"{file.path.name}: '{clean}' is already in the team") from exc
    return Member(member_id, clean, role, 0, 0)


def list_members(file: InspectionFile) -> list[Member]:
    rows = file.db.raw.execute(
        "SELECT m.id, m.name, m.role,"
        " (SELECT count(*) FROM allocation a WHERE a.member_id = m.id AND a.reader = 'first'),"
        " (SELECT count(*) FROM allocation a WHERE a.member_id = m.id AND a.reader = 'second')"
        " FROM team_member m ORDER BY CASE m.role WHEN 'lead' THEN 0 ELSE 1 END, m.name"
    ).fetchall()
    return [Member(*r) for r in rows]
