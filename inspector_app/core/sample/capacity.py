"""How many cases each reader can take this week: kept with the team, shown on the allocation
board as "7 of 8", and the limit the balanced allocation plans within."""

from __future__ import annotations

from inspector_app.core.changes import Changes
from inspector_app.core.errors import ValidationError
from inspector_app.core.files import team_queries
from inspector_app.core.files.inspection_file import InspectionFile

CAPACITY_LIMIT = 10_000


def set_capacity(file: InspectionFile, name: str, capacity: int | None) -> Changes:
    """The cases `name` can read first this week (None: no limit). A capacity below what they
    read already is kept: the board shows them over it until cases move."""
    if not file.is_master:
        raise ValidationError(
            f"{file.path.name}: is a fieldwork file; set capacities in the master file"
        )
    if capacity is not None and not 1 <= capacity <= CAPACITY_LIMIT:
        raise ValidationError(
            f"a capacity is a number of cases from 1 to {CAPACITY_LIMIT:,}, or none for no limit"
        )
    member_id, _name, _role = file.member_by_name(name)
    if team_queries.capacities(file.db).get(member_id) == capacity:
        return Changes()
    team_queries.set_capacity(file.db, member_id, capacity)
    return Changes(team=True)


def capacities(file: InspectionFile) -> dict[str, int]:
    """Name -> capacity, for the members with a limit."""
    names = team_queries.names_by_id(file.db)
    return {
        names[member_id]: n
        for member_id, n in team_queries.capacities(file.db).items()
        if member_id in names
    }


def parse_capacity(capacity: str) -> int | None:
    """A capacity as typed ("8", or "none" for no limit); ValidationError names a bad one."""
    text = capacity.strip().casefold()
    if text in ("none", "no limit", "-", ""):
        return None
    try:
        value = int(text)
    except ValueError:
        raise ValidationError(
            f"'{capacity}' is not a capacity: give a number of cases, or none for no limit"
        ) from None
    if not 1 <= value <= CAPACITY_LIMIT:
        raise ValidationError(
            f"a capacity is a number of cases from 1 to {CAPACITY_LIMIT:,}, or none for no limit"
        )
    return value
