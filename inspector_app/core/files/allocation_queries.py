"""The `allocation` table: which member reads which case, as first or second reader. The
one module that reads and writes it (tests/project/test_table_owners.py); the rules for
changing it are core/sample/placement.py's. Readers come by member id: names are the team's
(team_queries.py).

Statements are declared in SQLAlchemy Core over the model; those a file's case list and
dashboard and each edit run are compiled ahead (see inspection_queries.py for why), the others
run through the file's SQLAlchemy connection and import the models when first called.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING

from inspector_app.core.files import compiled_queries, withdrawal_queries
from inspector_app.core.storage.database import Database

if TYPE_CHECKING:
    from inspector_app.core.storage.statements import Fixed


FIRST, SECOND = "first", "second"
# (case key, member id, reader)
AllocationRow = tuple[str, str, str]


def allocation_rows(db: Database, case_keys: Collection[str] | None = None) -> list[AllocationRow]:
    """Every allocation (or those of the given cases)."""
    if case_keys is None:
        rows: list[AllocationRow] = db.raw.execute(compiled_queries.ALLOCATIONS).fetchall()
    else:
        listed = json.dumps(list(case_keys))
        rows = db.raw.execute(compiled_queries.ALLOCATIONS_LISTED, (listed,)).fetchall()
    return rows


def first_readers(db: Database) -> dict[str, str]:
    """Case key -> its first reader's member id, for the cases that have one."""
    from sqlmodel import select

    from inspector_app.core.storage.models import Allocation

    query = select(Allocation.case_key, Allocation.member_id).where(Allocation.reader == FIRST)
    with db.connect() as conn:
        return {key: member_id for key, member_id in conn.execute(query)}


def readings_of(db: Database, member_id: str) -> list[tuple[str, str]]:
    """(case key, reader) of every case allocated to a member."""
    from sqlmodel import select

    from inspector_app.core.storage.models import Allocation

    query = select(Allocation.case_key, Allocation.reader).where(Allocation.member_id == member_id)
    with db.connect() as conn:
        return [(key, reader) for key, reader in conn.execute(query)]


def readers_of(db: Database, case_key: str) -> list[tuple[str, str]]:
    """(member id, reader) of everyone allocated a case."""
    from sqlmodel import select

    from inspector_app.core.storage.models import Allocation

    query = select(Allocation.member_id, Allocation.reader).where(Allocation.case_key == case_key)
    with db.connect() as conn:
        return [(member_id, reader) for member_id, reader in conn.execute(query)]


def reader_of(db: Database, case_key: str, member_id: str) -> str | None:
    """How a member reads a case (first or second), if at all."""
    from sqlmodel import select

    from inspector_app.core.storage.models import Allocation

    query = select(Allocation.reader).where(
        Allocation.case_key == case_key, Allocation.member_id == member_id
    )
    with db.connect() as conn:
        reader: str | None = conn.execute(query).scalar()
    return reader


def count_of(db: Database, member_id: str) -> int:
    """How many cases a member reads (first or second), withdrawn cases left out."""
    from sqlalchemy import func
    from sqlmodel import select

    from inspector_app.core.storage.models import Allocation

    query = select(func.count()).select_from(Allocation).where(Allocation.member_id == member_id)
    with db.connect() as conn:
        count = int(conn.execute(query).scalar_one())
    withdrawn = withdrawal_queries.withdrawn_keys(db)
    if withdrawn:
        count -= sum(1 for key, _reader in readings_of(db, member_id) if key in withdrawn)
    return count


def counts_by_member(db: Database) -> dict[tuple[str, str], int]:
    """(member id, reader) -> how many cases, for the members with any (withdrawn cases left
    out: they are kept allocated only so a file written before still merges)."""
    rows = db.raw.execute(compiled_queries.ALLOCATION_COUNTS)
    counts = {(member_id, reader): n for member_id, reader, n in rows}
    withdrawn = withdrawal_queries.withdrawn_keys(db)
    if withdrawn:
        for _key, member_id, reader in allocation_rows(db, withdrawn):
            counts[(member_id, reader)] -= 1
            if not counts[(member_id, reader)]:
                del counts[(member_id, reader)]
    return counts


def double_read_cases(db: Database) -> list[str]:
    """The cases allocated to two readers."""
    from sqlalchemy import func
    from sqlmodel import col, select

    from inspector_app.core.storage.models import Allocation

    key = col(Allocation.case_key)
    query = select(key).group_by(key).having(func.count() > 1)
    with db.connect() as conn:
        return list(conn.execute(query).scalars())


def add(db: Database, rows: Iterable[AllocationRow]) -> None:
    from sqlalchemy import insert

    from inspector_app.core.storage.models import Allocation

    values = [
        {"case_key": key, "member_id": member_id, "reader": reader}
        for key, member_id, reader in rows
    ]
    if values:
        with db.transaction() as conn:
            conn.execute(insert(Allocation), values)


def put_reader(db: Database, case_key: str, member_id: str, reader: str) -> None:
    """Make a member the case's first or second reader, replacing whoever held that place."""
    from sqlalchemy import insert

    from inspector_app.core.storage.models import Allocation

    with db.transaction() as conn:
        remove_reader(db, case_key, reader)
        conn.execute(
            insert(Allocation).prefix_with("OR REPLACE"),
            {"case_key": case_key, "member_id": member_id, "reader": reader},
        )


def remove_reader(db: Database, case_key: str, reader: str) -> int:
    """Take a case's first or second reader off it; returns how many allocations went."""
    from sqlalchemy import delete
    from sqlmodel import col

    from inspector_app.core.storage.models import Allocation

    place = (col(Allocation.case_key) == case_key, col(Allocation.reader) == reader)
    with db.transaction() as conn:
        return int(conn.execute(delete(Allocation).where(*place)).rowcount)


def fixed_statements() -> dict[str, Fixed]:
    """The statements compiled ahead, with the names of their ?s in order."""
    from sqlalchemy import func
    from sqlmodel import col, select

    from inspector_app.core.storage.models import Allocation
    from inspector_app.core.storage.statements import param

    every = select(Allocation.case_key, Allocation.member_id, Allocation.reader)
    member, reader = col(Allocation.member_id), col(Allocation.reader)
    # The keys as one JSON list: one ? for any number of them, so the text stays fixed.
    listed = select(func.json_each(param("keys")).table_valued("value").c.value)
    return {
        "ALLOCATIONS": (every, ()),
        "ALLOCATION_COUNTS": (
            select(member, reader, func.count()).group_by(member, reader),
            (),
        ),
        "ALLOCATIONS_LISTED": (every.where(col(Allocation.case_key).in_(listed)), ("keys",)),
    }
