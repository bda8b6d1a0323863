"""Publish: one inspection's anonymised content into the store, in one transaction.

The same content twice writes nothing (the content hash says so). New content replaces the
inspection's rows whole: its cases, answers and figures are deleted and written again and its
row updated, all in one transaction, so an interrupted publish (a crash, a lost connection, a
refusal half-way) leaves the previous version exactly as it was. Refused before anything is
written: a master with open conflicts (unless allowed, which is recorded), a framework version
the store does not know, a role that may only read.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from inspector_app.core.files.inspection_file import utc_now_iso
from inspector_app.core.plural import counted
from inspector_app.core.store.engine import Store
from inspector_app.core.store.errors import StoreRefused
from inspector_app.core.store.frameworks import check_known
from inspector_app.core.store.migrate import check_schema
from inspector_app.core.store.publication import Publication
from inspector_app.core.store.roles import check_may_publish
from inspector_app.core.store.schema import (
    publish_event,
    published_answer,
    published_case,
    published_figure,
    published_inspection,
)

PUBLISHED = "published"  # first time in this store
REPLACED = "replaced"  # an earlier version was replaced
UNCHANGED = "unchanged"  # the store holds exactly this already: nothing written


@dataclass(frozen=True)
class PublishOutcome:
    """What a publish did, for the command line and the app's message."""

    status: str  # PUBLISHED, REPLACED or UNCHANGED
    inspection_id: str
    organisation: str
    store: str  # the store's address, without its password
    cases: int
    answers: int
    figures: int
    open_conflicts: int
    content_hash: str

    def to_json(self) -> dict[str, object]:
        return {
            "status": self.status,
            "inspection": self.inspection_id,
            "organisation": self.organisation,
            "store": self.store,
            "cases": self.cases,
            "answers": self.answers,
            "figures": self.figures,
            "open_conflicts": self.open_conflicts,
            "content_hash": self.content_hash,
        }


def publish(
    store: Store, publication: Publication, *, allow_conflicts: bool = False
) -> PublishOutcome:
    """Publish (or re-publish) one inspection; see the module's docstring."""
    if publication.open_conflicts and not allow_conflicts:
        still_open = counted(
            publication.open_conflicts, "{n} conflict is still open", "{n} conflicts are still open"
        )
        raise StoreRefused(
            f"{publication.organisation}: {still_open}; resolve them first ('inspector-app "
            "conflicts MASTER'), or publish with --allow-conflicts (the store records it)"
        )
    with store.begin(write=True) as conn:
        check_schema(conn, store.shown)
        check_may_publish(conn, store.shown)
        check_known(conn, publication.framework_id, publication.framework_version, store.shown)
        previous = _previous_hash(conn, publication.inspection_id)
        if previous == publication.content_hash:
            return _outcome(UNCHANGED, store, publication)
        _remove_rows(conn, publication.inspection_id)
        _write_inspection(conn, publication, exists=previous is not None)
        _insert_cases(conn, publication)
        _insert_answers(conn, publication)
        _insert_figures(conn, publication)
        _log_event(conn, publication, previous)
    return _outcome(PUBLISHED if previous is None else REPLACED, store, publication)


def _outcome(status: str, store: Store, publication: Publication) -> PublishOutcome:
    return PublishOutcome(
        status=status,
        inspection_id=publication.inspection_id,
        organisation=publication.organisation,
        store=store.shown,
        cases=len(publication.cases),
        answers=publication.answer_count,
        figures=len(publication.figures),
        open_conflicts=publication.open_conflicts,
        content_hash=publication.content_hash,
    )


def _previous_hash(conn: sa.Connection, inspection_id: str) -> str | None:
    """The published version's hash, its row locked until the end (PostgreSQL: a second
    publisher of the same inspection waits, then sees this one's result)."""
    table = published_inspection
    row = conn.execute(
        sa.select(table.c.content_hash).where(table.c.id == inspection_id).with_for_update()
    ).first()
    return None if row is None else str(row[0])


def _remove_rows(conn: sa.Connection, inspection_id: str) -> None:
    """The previous version's rows, children first (the inspection's row is updated)."""
    for table in (published_answer, published_case, published_figure):
        conn.execute(table.delete().where(table.c.inspection_id == inspection_id))


def _write_inspection(conn: sa.Connection, publication: Publication, *, exists: bool) -> None:
    table = published_inspection
    values = {
        "title": publication.title,
        "organisation": publication.organisation,
        "programme": publication.programme,
        "fieldwork_start": publication.fieldwork_start,
        "fieldwork_end": publication.fieldwork_end,
        "fieldwork_year": publication.fieldwork_year,
        "framework_id": publication.framework_id,
        "framework_version": publication.framework_version,
        "cases_counted": publication.cases_counted,
        "report_final": publication.report_final,
        "overall_rating": publication.overall_rating,
        "overall_score": publication.overall_score,
        "open_conflicts": publication.open_conflicts,
        "conflicts_allowed": publication.open_conflicts > 0,
        "content_hash": publication.content_hash,
        "published_at": utc_now_iso(),
        "app_version": publication.app_version,
    }
    if exists:
        conn.execute(table.update().where(table.c.id == publication.inspection_id).values(values))
    else:
        conn.execute(table.insert().values(id=publication.inspection_id, **values))


def _insert_cases(conn: sa.Connection, publication: Publication) -> None:
    if publication.cases:
        conn.execute(
            published_case.insert(),
            [
                {
                    "inspection_id": publication.inspection_id,
                    "sample_no": case.sample_no,
                    "complete": case.complete,
                    "profile": dict(case.profile),
                }
                for case in publication.cases
            ],
        )


def _insert_answers(conn: sa.Connection, publication: Publication) -> None:
    rows = [
        {
            "inspection_id": publication.inspection_id,
            "sample_no": case.sample_no,
            "question": code,
            "value": value,
        }
        for case in publication.cases
        for code, value in case.answers
    ]
    if rows:
        conn.execute(published_answer.insert(), rows)


def _insert_figures(conn: sa.Connection, publication: Publication) -> None:
    if publication.figures:
        conn.execute(
            published_figure.insert(),
            [
                {"inspection_id": publication.inspection_id, **figure.to_json()}
                for figure in publication.figures
            ],
        )


def _log_event(conn: sa.Connection, publication: Publication, previous: str | None) -> None:
    conn.execute(
        publish_event.insert().values(
            inspection_id=publication.inspection_id,
            published_at=utc_now_iso(),
            content_hash=publication.content_hash,
            replaced_hash=previous,
            open_conflicts=publication.open_conflicts,
            conflicts_allowed=publication.open_conflicts > 0,
            published_by=_who(conn),
            app_version=publication.app_version,
        )
    )


def _who(conn: sa.Connection) -> str:
    """The database role that published (PostgreSQL); a store file records no one."""
    if conn.dialect.name == "postgresql":
        return str(conn.execute(sa.text("SELECT current_user")).scalar_one())
    return "(store file)"
