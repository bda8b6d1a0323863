"""Reading a store back in the tests: everything one inspection left there, in a canonical
order, straight from the tables (not through the code under test's queries)."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.store.engine import Store
from inspector_app.core.store.publication import Publication, publication_from_file
from inspector_app.core.store.schema import (
    publish_event,
    published_answer,
    published_case,
    published_figure,
    published_inspection,
)


def read_publication(path: Path) -> Publication:
    with InspectionFile.open(path, readonly=True) as master:
        return publication_from_file(master)


Row = dict[str, object]


def stored(store: Store, inspection_id: str) -> dict[str, list[Row]]:
    """Every row of one inspection (publish_event aside) by table, canonically ordered."""
    with store.engine.connect() as conn:
        inspection = conn.execute(
            sa.select(published_inspection).where(published_inspection.c.id == inspection_id)
        ).all()
        rows = {published_inspection.name: [dict(r._mapping) for r in inspection]}
        for table in (published_case, published_answer, published_figure):
            keys = list(table.primary_key.columns)
            found = conn.execute(
                sa.select(table).where(table.c.inspection_id == inspection_id).order_by(*keys)
            ).all()
            rows[table.name] = [dict(r._mapping) for r in found]
    return rows


def counts(store: Store) -> dict[str, int]:
    """Rows in each of the store's published tables."""
    with store.engine.connect() as conn:
        return {
            table.name: int(
                conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
            )
            for table in (
                published_inspection,
                published_case,
                published_answer,
                published_figure,
                publish_event,
            )
        }
