"""The inspection team: the lead, inspectors and local assessors."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from inspector_app.core.changes import Changes
from inspector_app.core.errors import ValidationError
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.revisions import ids
from inspector_app.core.revisions.authors import has_written
from inspector_app.core.storage.dbapi import Connection, IntegrityError


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
    taken = {member_id for (member_id,) in file.db.raw.execute("SELECT id FROM team_member")}
    if _named(file.db.raw, clean) is not None:
        raise ValidationError(f"{file.path.name}: '{clean}' is already in the team")
    # The id comes from the name, unless someone renamed away from it kept that id.
    member_id = ids.member_id(file.inspection.id, clean)
    suffix = 2
    while member_id in taken:
        member_id = ids.member_id(file.inspection.id, f"{clean}#{suffix}")
        suffix += 1
    try:
        with file.db.write() as conn:
            conn.execute(
                "INSERT INTO team_member (id, name, role) VALUES (?, ?, ?)",
                (member_id, clean, role),
            )
    except IntegrityError as exc:
        raise ValidationError(f"{file.path.name}: '{clean}' is already in the team") from exc
    return Member(member_id, clean, role, 0, 0)


def rename_member(file: InspectionFile, name: str, new_name: str) -> Changes:
    """Correct a team member's name. Their answers keep their author (the id never changes);
    a fieldwork file exported before shows the old name until it is exported again."""
    _check_master(file)
    member_id, old, _role = file.member_by_name(name)
    clean = clean_name(new_name)
    other = _named(file.db.raw, clean)
    if other is not None and other != member_id:
        raise ValidationError(f"{file.path.name}: '{clean}' is already in the team")
    if clean == old:
        return Changes()
    with file.db.write() as conn:
        conn.execute("UPDATE team_member SET name = ? WHERE id = ?", (clean, member_id))
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
    if old_role == Role.LEAD and _count_role(file.db.raw, Role.LEAD) == 1:
        raise ValidationError(
            f"{clean} is the inspection's only lead; make someone else lead first"
        )
    with file.db.write() as conn:
        conn.execute("UPDATE team_member SET role = ? WHERE id = ?", (role, member_id))
    return Changes(team=True)


def remove_member(file: InspectionFile, name: str) -> Changes:
    """Take someone off the team: only while nothing is allocated to them and nothing in the
    file was written by them (their work would lose its author)."""
    _check_master(file)
    member_id, clean, role = file.member_by_name(name)
    conn = file.db.raw
    if role == Role.LEAD and _count_role(conn, Role.LEAD) == 1:
        raise ValidationError(f"{clean} is the inspection's only lead")
    if member_id == file.role.owner_id:
        raise ValidationError(f"{clean} owns this file")
    allocated = conn.execute(
        "SELECT count(*) FROM allocation WHERE member_id = ?", (member_id,)
    ).fetchone()[0]
    if allocated:
        raise ValidationError(
            f"{clean} still has {allocated} case{'s' if allocated != 1 else ''} allocated; "
            "move them to someone else first"
        )
    if has_written(conn, member_id):
        raise ValidationError(f"{clean} has written in this inspection and stays in the team")
    with file.db.write() as write:
        write.execute("DELETE FROM team_member WHERE id = ?", (member_id,))
    return Changes(team=True)


def _check_master(file: InspectionFile) -> None:
    if not file.is_master:
        raise ValidationError(
            f"{file.path.name}: is a fieldwork file; change the team in the master file"
        )


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise ValidationError(f"unknown role '{role}' (expected {', '.join(ROLES)})")


def _named(conn: Connection, clean: str) -> str | None:
    """The id of the member with this name (ignoring case), if any."""
    wanted = clean.casefold()
    for member_id, name in conn.execute("SELECT id, name FROM team_member"):
        if name.casefold() == wanted:
            return str(member_id)
    return None


def _count_role(conn: Connection, role: str) -> int:
    count: int = conn.execute(
        "SELECT count(*) FROM team_member WHERE role = ?", (role,)
    ).fetchone()[0]
    return count


def list_members(file: InspectionFile) -> list[Member]:
    rows = file.db.raw.execute(
        "SELECT m.id, m.name, m.role,"
        " (SELECT count(*) FROM allocation a WHERE a.member_id = m.id AND a.reader = 'first'),"
        " (SELECT count(*) FROM allocation a WHERE a.member_id = m.id AND a.reader = 'second')"
        " FROM team_member m ORDER BY CASE m.role WHEN 'lead' THEN 0 ELSE 1 END, m.name"
    ).fetchall()
    return [Member(*r) for r in rows]
