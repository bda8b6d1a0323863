"""Compare: an inspection's scores beside those of every published inspection made with the
same framework version (optionally of one fieldwork year), as plain data.

For each figure of the inspection (the whole, each stage, each criterion or standard, each
scored question): its printed percentage beside the lowest, highest and average percentage of
the published inspections, and how many of them had a score there. The average is the plain
mean of the areas' percentages (each area counts once, whatever its number of cases), as a
report's "compared with the areas inspected to date" reads. The inspection itself counts in
the group once it is published (`includes_this`). Inspections imported from published reports
made before the app (imported.py) count like published ones; each row says how many of its
inspections were imported.

The command line prints it as text, JSON or CSV; the report can render the same rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from inspector_app.core.store.engine import Store
from inspector_app.core.store.migrate import check_schema
from inspector_app.core.store.publication import Publication
from inspector_app.core.store.schema import (
    IMPORTED_APP_VERSION,
    published_figure,
    published_inspection,
)

COLUMNS = (
    "level",
    "code",
    "title",
    "stage",
    "this_percent",
    "this_sufficient",
    "this_denominator",
    "lowest",
    "highest",
    "average",
    "count",
    "imported",
)


@dataclass(frozen=True)
class ComparisonRow:
    """One figure of the inspection beside the published ones."""

    level: str
    code: str
    title: str
    stage: str
    percent: int | None  # this inspection's, as printed (None: no relevant case)
    sufficient: int
    denominator: int
    lowest: int | None
    highest: int | None
    average: float | None  # the exact mean; `to_json` gives it to one decimal place
    count: int  # published inspections with a score here
    imported: int = 0  # ...of which imported from published reports (imported.py)

    def to_json(self) -> dict[str, object]:
        return {
            "level": self.level,
            "code": self.code,
            "title": self.title,
            "stage": self.stage,
            "this_percent": self.percent,
            "this_sufficient": self.sufficient,
            "this_denominator": self.denominator,
            "lowest": self.lowest,
            "highest": self.highest,
            "average": None if self.average is None else round(self.average, 1),
            "count": self.count,
            "imported": self.imported,
        }

    def values(self) -> tuple[str | int | float | None, ...]:
        """The row's cells in COLUMNS order (the average to one decimal place)."""
        return (
            self.level,
            self.code,
            self.title,
            self.stage,
            self.percent,
            self.sufficient,
            self.denominator,
            self.lowest,
            self.highest,
            None if self.average is None else round(self.average, 1),
            self.count,
            self.imported,
        )


@dataclass(frozen=True)
class Comparison:
    """The comparison table of one inspection."""

    inspection_id: str
    organisation: str
    framework_id: str
    framework_version: str
    year: int | None  # the fieldwork year the group was limited to, if any
    store: str  # the store's address, without its password
    inspections: int  # published inspections in the group
    includes_this: bool  # this inspection is one of them (it was published)
    published_is_current: bool  # ...and what was published is what the master holds now
    rows: tuple[ComparisonRow, ...]
    imported: int = 0  # inspections in the group imported from published reports

    def to_json(self) -> dict[str, object]:
        return {
            "inspection": self.inspection_id,
            "organisation": self.organisation,
            "framework": {"id": self.framework_id, "version": self.framework_version},
            "year": self.year,
            "store": self.store,
            "inspections": self.inspections,
            "includes_this": self.includes_this,
            "imported": self.imported,
            "published_is_current": self.published_is_current,
            "rows": [row.to_json() for row in self.rows],
        }


@dataclass(frozen=True)
class _Spread:
    lowest: int | None
    highest: int | None
    total: int
    count: int
    imported: int = 0


def compare(store: Store, publication: Publication, *, year: int | None = None) -> Comparison:
    """The comparison of `publication` (the master as it is now) with the store's inspections
    of the same framework id and version (and fieldwork `year`, if given)."""
    with store.begin() as conn:
        check_schema(conn, store.shown)
        group = _group(publication, year)
        found = conn.execute(sa.select(group.c.id, group.c.content_hash, group.c.imported)).all()
        members = {str(id_): str(content_hash) for id_, content_hash, _imported in found}
        imported = sum(int(flag) for _id, _hash, flag in found)
        spreads = _spreads(conn, group)
    published = members.get(publication.inspection_id)
    rows = []
    for figure in publication.figures:
        spread = spreads.get((figure.level, figure.code), _Spread(None, None, 0, 0))
        rows.append(
            ComparisonRow(
                level=figure.level,
                code=figure.code,
                title=figure.title,
                stage=figure.stage,
                percent=figure.percent,
                sufficient=figure.sufficient,
                denominator=figure.denominator,
                lowest=spread.lowest,
                highest=spread.highest,
                average=spread.total / spread.count if spread.count else None,
                count=spread.count,
                imported=spread.imported,
            )
        )
    return Comparison(
        inspection_id=publication.inspection_id,
        organisation=publication.organisation,
        framework_id=publication.framework_id,
        framework_version=publication.framework_version,
        year=year,
        store=store.shown,
        inspections=len(members),
        includes_this=published is not None,
        published_is_current=published == publication.content_hash,
        rows=tuple(rows),
        imported=imported,
    )


def _group(publication: Publication, year: int | None) -> sa.Subquery:
    """The published inspections compared with: same framework id and version (and year)."""
    table = published_inspection
    imported = sa.case((table.c.app_version == IMPORTED_APP_VERSION, 1), else_=0)
    query = sa.select(table.c.id, table.c.content_hash, imported.label("imported")).where(
        table.c.framework_id == publication.framework_id,
        table.c.framework_version == publication.framework_version,
    )
    if year is not None:
        query = query.where(table.c.fieldwork_year == year)
    return query.subquery("compared")


def _spreads(conn: sa.Connection, group: sa.Subquery) -> dict[tuple[str, str], _Spread]:
    """Lowest, highest, sum and count of the group's percentages, per (level, code), in one
    query (the sum, not the database's average, so both engines give the same mean)."""
    figure = published_figure
    query = (
        sa.select(
            figure.c.level,
            figure.c.code,
            sa.func.min(figure.c.percent),
            sa.func.max(figure.c.percent),
            sa.func.coalesce(sa.func.sum(figure.c.percent), 0),
            sa.func.count(figure.c.percent),
            sa.func.coalesce(
                sa.func.sum(sa.case((figure.c.percent.is_not(None), group.c.imported), else_=0)),
                0,
            ),
        )
        .join(group, group.c.id == figure.c.inspection_id)
        .group_by(figure.c.level, figure.c.code)
    )
    return {
        (str(level), str(code)): _Spread(lowest, highest, int(total), int(count), int(imported))
        for level, code, lowest, highest, total, count, imported in conn.execute(query)
    }
