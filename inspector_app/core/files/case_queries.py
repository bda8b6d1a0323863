"""The `case_record` and `case_identity` tables: the sampled cases as imported, and their
identifiers held apart. The one module that reads and writes them
(tests/project/test_table_owners.py).

Statements are declared in SQLAlchemy Core over the models; those a file's case list and each
edit run are compiled ahead (see inspection_queries.py for why), the others run through the
file's SQLAlchemy connection and import the models when first called.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING

from inspector_app.core.files import compiled_queries
from inspector_app.core.storage.database import Database

if TYPE_CHECKING:
    from inspector_app.core.storage.statements import Fixed


# (key, sample number, profile JSON, raw spellings JSON), as a case is stored.
CaseRow = tuple[str, int, str, str]
# (case key, CRN, name)
IdentityRow = tuple[str, str | None, str | None]


def case_rows(db: Database, keys: Collection[str] | None = None) -> list[CaseRow]:
    """Every case (or the given ones) in sample-number order."""
    if keys is None:
        rows: list[CaseRow] = db.raw.execute(compiled_queries.CASES).fetchall()
    else:
        listed = json.dumps(list(keys))
        rows = db.raw.execute(compiled_queries.CASES_LISTED, (listed,)).fetchall()
    return rows


def page_of_keys(db: Database, start: int, count: int) -> list[str]:
    """The keys of `count` cases by sample number, from the `start`th (0: the first)."""
    rows = db.raw.execute(compiled_queries.PAGE_OF_CASE_KEYS, (count, start))
    return [key for (key,) in rows]


def sample_no_of(db: Database, key: str) -> int | None:
    row = db.raw.execute(compiled_queries.SAMPLE_NO_OF_CASE, (key,)).fetchone()
    return None if row is None else int(row[0])


def key_of(db: Database, sample_no: int) -> str | None:
    row = db.raw.execute(compiled_queries.CASE_OF_SAMPLE_NO, (sample_no,)).fetchone()
    return None if row is None else str(row[0])


def keys_in_sample_order(db: Database) -> list[tuple[str, int]]:
    """(key, sample number) of every case, by sample number."""
    from sqlmodel import col, select

    from inspector_app.core.storage.models import CaseRecord

    query = select(CaseRecord.key, CaseRecord.sample_no).order_by(col(CaseRecord.sample_no))
    with db.connect() as conn:
        return [(key, sample_no) for key, sample_no in conn.execute(query)]


def keys_by_sample_no(db: Database) -> dict[int, str]:
    from sqlmodel import select

    from inspector_app.core.storage.models import CaseRecord

    with db.connect() as conn:
        return {
            sample_no: key
            for sample_no, key in conn.execute(select(CaseRecord.sample_no, CaseRecord.key))
        }


def highest_sample_no(db: Database) -> int | None:
    from sqlalchemy import func
    from sqlmodel import select

    from inspector_app.core.storage.models import CaseRecord

    with db.connect() as conn:
        number: int | None = conn.execute(select(func.max(CaseRecord.sample_no))).scalar()
    return number


def count_cases(db: Database) -> int:
    from sqlalchemy import func
    from sqlmodel import select

    from inspector_app.core.storage.models import CaseRecord

    with db.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(CaseRecord)).scalar_one())


def add_cases(db: Database, rows: Iterable[CaseRow]) -> None:
    from sqlalchemy import insert

    from inspector_app.core.storage.models import CaseRecord

    values = [
        {"key": key, "sample_no": sample_no, "profile": profile, "raw": raw}
        for key, sample_no, profile, raw in rows
    ]
    if values:
        with db.transaction() as conn:
            conn.execute(insert(CaseRecord), values)


def delete_case(db: Database, key: str) -> None:
    """Remove a case; its identifiers and allocation go with it (ON DELETE CASCADE)."""
    from sqlalchemy import delete
    from sqlmodel import col

    from inspector_app.core.storage.models import CaseRecord

    with db.transaction() as conn:
        conn.execute(delete(CaseRecord).where(col(CaseRecord.key) == key))


# -- identifiers ------------------------------------------------------------------------------


def identities(db: Database) -> dict[str, tuple[str | None, str | None]]:
    """Each case's (CRN, name), by case key, for the cases that have them."""
    from sqlmodel import select

    from inspector_app.core.storage.models import CaseIdentity

    query = select(CaseIdentity.case_key, CaseIdentity.crn, CaseIdentity.name)
    with db.connect() as conn:
        return {key: (crn, name) for key, crn, name in conn.execute(query)}


def identity_of(db: Database, key: str) -> tuple[str | None, str | None] | None:
    from sqlmodel import select

    from inspector_app.core.storage.models import CaseIdentity

    query = select(CaseIdentity.crn, CaseIdentity.name).where(CaseIdentity.case_key == key)
    with db.connect() as conn:
        row = conn.execute(query).first()
    return None if row is None else (row[0], row[1])


def add_identities(db: Database, rows: Iterable[IdentityRow]) -> None:
    """Identifiers of cases (rows with neither a CRN nor a name are not kept)."""
    from sqlalchemy import insert

    from inspector_app.core.storage.models import CaseIdentity

    values = [{"case_key": key, "crn": crn, "name": name} for key, crn, name in rows if crn or name]
    if values:
        with db.transaction() as conn:
            conn.execute(insert(CaseIdentity), values)


def delete_identities(db: Database) -> int:
    """Remove every case's identifiers; returns how many cases had them."""
    from sqlalchemy import delete, func
    from sqlmodel import select

    from inspector_app.core.storage.models import CaseIdentity

    with db.transaction() as conn:
        count = int(conn.execute(select(func.count()).select_from(CaseIdentity)).scalar_one())
        conn.execute(delete(CaseIdentity))
    return count


def fixed_statements() -> dict[str, Fixed]:
    """The statements compiled ahead, with the names of their ?s in order."""
    from sqlalchemy import func
    from sqlmodel import col, select

    from inspector_app.core.storage.models import CaseRecord
    from inspector_app.core.storage.statements import param

    cases = select(CaseRecord.key, CaseRecord.sample_no, CaseRecord.profile, CaseRecord.raw)
    # The keys as one JSON list: one ? for any number of them, so the text stays fixed.
    listed = select(func.json_each(param("keys")).table_valued("value").c.value)
    by_number = col(CaseRecord.sample_no)
    return {
        "CASES": (cases.order_by(by_number), ()),
        "CASES_LISTED": (
            cases.where(col(CaseRecord.key).in_(listed)).order_by(by_number),
            ("keys",),
        ),
        "PAGE_OF_CASE_KEYS": (
            select(CaseRecord.key).order_by(by_number).limit(param("count")).offset(param("start")),
            ("count", "start"),
        ),
        "SAMPLE_NO_OF_CASE": (
            select(CaseRecord.sample_no).where(CaseRecord.key == param("key")),
            ("key",),
        ),
        "CASE_OF_SAMPLE_NO": (
            select(CaseRecord.key).where(CaseRecord.sample_no == param("sample_no")),
            ("sample_no",),
        ),
    }
