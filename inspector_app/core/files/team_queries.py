"""The `team_member` table: who is in the inspection. The one module that reads and writes
it (tests/project/test_table_owners.py); core/cases/team.py holds the rules for changing it.
It sits with the file, not in core/cases, because opening a file names its owner and every
edit finds its author.

Statements are declared in SQLAlchemy Core over the model; those a file's opening, its case
list and dashboard and each edit run are compiled ahead (see inspection_queries.py for why),
the others run through the file's SQLAlchemy connection and import the models when first
called.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, NamedTuple

from inspector_app.core.files import compiled_queries
from inspector_app.core.storage.database import Database

if TYPE_CHECKING:
    from inspector_app.core.storage.statements import Fixed


LEAD = "lead"


class MemberRow(NamedTuple):
    id: str
    name: str
    role: str


def members(db: Database) -> list[MemberRow]:
    """Every member, in the table's own order."""
    return [MemberRow(*row) for row in db.raw.execute(compiled_queries.MEMBERS)]


def names_by_id(db: Database) -> dict[str, str]:
    """Member id -> name, for showing authors and readers."""
    return dict(db.raw.execute(compiled_queries.MEMBER_NAMES))


def name_of(db: Database, member_id: str) -> str | None:
    row = db.raw.execute(compiled_queries.MEMBER_NAME, (member_id,)).fetchone()
    return None if row is None else str(row[0])


def first_lead(db: Database) -> str | None:
    """The id of the lead first by name, if the team has a lead."""
    row = db.raw.execute(compiled_queries.LEADS_BY_NAME).fetchone()
    return None if row is None else str(row[0])


def members_listed(db: Database) -> list[MemberRow]:
    """Every member as the team is shown: the lead first, then by name."""
    return [MemberRow(*row) for row in db.raw.execute(compiled_queries.MEMBERS_LISTED)]


def ids_and_names(db: Database, roles: Collection[str] | None = None) -> list[tuple[str, str]]:
    """(id, name) of every member, or of those in `roles`, by name."""
    from sqlmodel import col, select

    from inspector_app.core.storage.models import TeamMember

    query = select(TeamMember.id, TeamMember.name).order_by(col(TeamMember.name))
    if roles is not None:
        query = query.where(col(TeamMember.role).in_(list(roles)))
    with db.connect() as conn:
        return [(member_id, name) for member_id, name in conn.execute(query)]


def role_of(db: Database, member_id: str) -> str | None:
    from sqlmodel import select

    from inspector_app.core.storage.models import TeamMember

    with db.connect() as conn:
        role: str | None = conn.execute(
            select(TeamMember.role).where(TeamMember.id == member_id)
        ).scalar()
    return role


def count_with_role(db: Database, role: str) -> int:
    from sqlalchemy import func
    from sqlmodel import select

    from inspector_app.core.storage.models import TeamMember

    query = select(func.count()).select_from(TeamMember).where(TeamMember.role == role)
    with db.connect() as conn:
        return int(conn.execute(query).scalar_one())


def add(db: Database, member_id: str, name: str, role: str) -> None:
    """Add a member; a name already taken (as stored) raises the driver's IntegrityError."""
    from inspector_app.core.storage.models import TeamMember

    with db.session() as session:
        session.add(TeamMember(id=member_id, name=name, role=role))


def rename(db: Database, member_id: str, name: str) -> None:
    from sqlalchemy import update
    from sqlmodel import col

    from inspector_app.core.storage.models import TeamMember

    with db.transaction() as conn:
        conn.execute(update(TeamMember).where(col(TeamMember.id) == member_id).values(name=name))


def set_role(db: Database, member_id: str, role: str) -> None:
    from sqlalchemy import update
    from sqlmodel import col

    from inspector_app.core.storage.models import TeamMember

    with db.transaction() as conn:
        conn.execute(update(TeamMember).where(col(TeamMember.id) == member_id).values(role=role))


def capacities(db: Database) -> dict[str, int]:
    """Member id -> the cases they can read first, for the members with a limit."""
    rows = db.raw.execute("SELECT id, capacity FROM team_member WHERE capacity IS NOT NULL")
    return {member_id: int(capacity) for member_id, capacity in rows}


def set_capacity(db: Database, member_id: str, capacity: int | None) -> None:
    """How many cases a member can read first (None: no limit)."""
    from sqlalchemy import update
    from sqlmodel import col

    from inspector_app.core.storage.models import TeamMember

    with db.transaction() as conn:
        conn.execute(
            update(TeamMember).where(col(TeamMember.id) == member_id).values(capacity=capacity)
        )


def remove(db: Database, member_id: str) -> None:
    from sqlalchemy import delete
    from sqlmodel import col

    from inspector_app.core.storage.models import TeamMember

    with db.transaction() as conn:
        conn.execute(delete(TeamMember).where(col(TeamMember.id) == member_id))


def fixed_statements() -> dict[str, Fixed]:
    """The statements compiled ahead, with the names of their ?s in order."""
    from sqlmodel import case, col, select

    from inspector_app.core.storage.models import TeamMember
    from inspector_app.core.storage.statements import const, param

    return {
        "MEMBERS": (select(TeamMember.id, TeamMember.name, TeamMember.role), ()),
        "MEMBERS_LISTED": (
            select(TeamMember.id, TeamMember.name, TeamMember.role).order_by(
                case((col(TeamMember.role) == const(LEAD), const(0)), else_=const(1)),
                col(TeamMember.name),
            ),
            (),
        ),
        "MEMBER_NAMES": (select(TeamMember.id, TeamMember.name), ()),
        "MEMBER_NAME": (select(TeamMember.name).where(TeamMember.id == param("id")), ("id",)),
        # All leads by name: the caller reads the first (SQLite stops there).
        "LEADS_BY_NAME": (
            select(TeamMember.id)
            .where(TeamMember.role == const(LEAD))
            .order_by(col(TeamMember.name)),
            (),
        ),
    }
