"""The inspection team: the lead, inspectors and local assessors."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from inspector_app.core.changes import Changes
from inspector_app.core.errors import ValidationError
from inspector_app.core.files import allocation_queries, team_queries
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.revisions import ids
from inspector_app.core.revisions.authors import has_written
from inspector_app.core.storage.dbapi import IntegrityError


class Role(StrEnum):
    """What a team member does in the inspection."""

    LEAD = "lead"
    INSPECTOR = "inspector"
    ASSESSOR = "assessor"  # a local assessor from the service


ROLES = tuple(role.value for role in Role)
NAME_LIMIT = 120


@dataclass(frozen=True)
class Member:
    id: str
    name: str
    role: str
    cases: int  # cases allocated as first reader
    second_reads: int


def clean_name(name: str) -> str:
    """A name as stored: spaces collapsed; compared with others ignoring case."""
    clean = " ".join(name.split())
    if not clean:
        raise ValidationError("a team member needs a name")
    if len(clean) > NAME_LIMIT:
        raise ValidationError(f"a team member's name is at most {NAME_LIMIT} characters")
    return clean


def add_member(file: InspectionFile, name: str, role: str = "inspector") -> Member:
    """Add a person to the team (master only: fieldwork files carry the master's team)."""
    clean = clean_name(name)
    _check_role(role)
    _check_master(file)
    taken = {member.id for member in team_queries.members(file.db)}
    if _named(file, clean) is not None:
        raise ValidationError(f"{file.path.name}: '{clean}' is already in the team")
    # The id comes from the name, unless someone renamed away from it kept that id.
    member_id = ids.member_id(file.inspection.id, clean)
    suffix = 2
    while member_id in taken:
        member_id = ids.member_id(file.inspection.id, f"{clean}#{suffix}")
        suffix += 1
    try:
        team_queries.add(file.db, member_id, clean, role)
    except IntegrityError as exc:
        raise ValidationError(f"{file.path.name}: '{clean}' is already in the team") from exc
    return Member(member_id, clean, role, 0, 0)


def rename_member(file: InspectionFile, name: str, new_name: str) -> Changes:
    """Correct a team member's name. Their answers keep their author (the id never changes);
    a fieldwork file exported before shows the old name until it is exported again."""
    _check_master(file)
    member_id, old, _role = file.member_by_name(name)
    clean = clean_name(new_name)
    other = _named(file, clean)
    if other is not None and other != member_id:
        raise ValidationError(f"{file.path.name}: '{clean}' is already in the team")
    if clean == old:
        return Changes()
    team_queries.rename(file.db, member_id, clean)
    return Changes(team=True, all_cases=True)


def set_role(file: InspectionFile, name: str, role: str) -> Changes:
    """Change what a member does. The inspection keeps at least one lead, who signs the
    master's edits."""
    _check_master(file)
    _check_role(role)
    member_id, clean, old_role = file.member_by_name(name)
    if role == old_role:
        return Changes()
    if member_id == file.role.owner_id and role != Role.LEAD:
        raise ValidationError(f"{clean} owns this master and stays its lead")
    if old_role == Role.LEAD and team_queries.count_with_role(file.db, Role.LEAD) == 1:
        raise ValidationError(
            f"{clean} is the inspection's only lead; make someone else lead first"
        )
    team_queries.set_role(file.db, member_id, role)
    return Changes(team=True)


def remove_member(file: InspectionFile, name: str) -> Changes:
    """Take someone off the team: only while nothing is allocated to them and nothing in the
    file was written by them (their work would lose its author)."""
    _check_master(file)
    member_id, clean, role = file.member_by_name(name)
    if role == Role.LEAD and team_queries.count_with_role(file.db, Role.LEAD) == 1:
        raise ValidationError(f"{clean} is the inspection's only lead")
    if member_id == file.role.owner_id:
        raise ValidationError(f"{clean} owns this file")
    allocated = allocation_queries.count_of(file.db, member_id)
    if allocated:
        raise ValidationError(
            f"{clean} still has {allocated} case{'s' if allocated != 1 else ''} allocated; "
            "move them to someone else first"
        )
    if has_written(file.db.raw, member_id):
        raise ValidationError(f"{clean} has written in this inspection and stays in the team")
    team_queries.remove(file.db, member_id)
    return Changes(team=True)


def _check_master(file: InspectionFile) -> None:
    if not file.is_master:
        raise ValidationError(
            f"{file.path.name}: is a fieldwork file; change the team in the master file"
        )


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise ValidationError(f"unknown role '{role}' (expected {', '.join(ROLES)})")


def _named(file: InspectionFile, clean: str) -> str | None:
    """The id of the member with this name (ignoring case), if any."""
    wanted = clean.casefold()
    for member in team_queries.members(file.db):
        if member.name.casefold() == wanted:
            return member.id
    return None


def list_members(file: InspectionFile) -> list[Member]:
    """The team as shown (the lead first, then by name), with each member's cases."""
    counts = allocation_queries.counts_by_member(file.db)
    return [
        Member(
            m.id,
            m.name,
            m.role,
            counts.get((m.id, allocation_queries.FIRST), 0),
            counts.get((m.id, allocation_queries.SECOND), 0),
        )
        for m in team_queries.members_listed(file.db)
    ]
