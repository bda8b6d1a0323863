"""A share of one file's revision log copied into a new file: how an assessor's fieldwork
file gets the master's revisions of their cases.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from functools import cache

from sqlalchemy import func, insert, or_, select

from inspector_app.core.revisions.log import Kind, recompute_all
from inspector_app.core.revisions.tables import PARENT, REVISION, exists_in, in_schema, listed
from inspector_app.core.storage.dbapi import Connection
from inspector_app.core.storage.statements import param, sqlite_sql

_REVISION_COLUMNS = [column.name for column in REVISION.columns]
_LINK_COLUMNS = [column.name for column in PARENT.columns]
_COUNT = sqlite_sql(select(func.count()).select_from(REVISION))


@cache
def _copy_statements(source: str) -> tuple[str, str]:
    """Copy the revisions of some cases from the file attached as `source` (one test of the
    case picks the few rows wanted out of the whole log, then what of them), then the links
    between the revisions copied."""
    tables = in_schema(source)
    s, p, r = tables.revision.alias("r"), tables.revision_parent.alias("p"), REVISION.alias("r")
    wanted = select(*(s.c[name] for name in _REVISION_COLUMNS)).where(
        s.c.case_key.in_(listed("cases")),
        or_(
            s.c.case_key.in_(listed("whole_cases")),
            s.c.kind == param("profile"),
            s.c.author == param("author"),
        ),
    )
    links = select(*(p.c[name] for name in _LINK_COLUMNS)).where(
        exists_in(r, r.c.record_key == p.c.record_key, r.c.id == p.c.revision_id)
    )
    return (
        sqlite_sql(
            insert(REVISION).from_select(_REVISION_COLUMNS, wanted),
            ("cases", "whole_cases", "profile", "author"),
        ),
        sqlite_sql(insert(PARENT).from_select(_LINK_COLUMNS, links)),
    )


def copy_revisions_of_cases(
    conn: Connection,
    source: str,
    *,
    whole_cases: Collection[str],
    own_cases: Collection[str],
    author: str,
) -> int:
    """Copy into `conn`'s file, from the file attached as `source`, revisions of some cases
    with the parent links between them, then work out its current values (inside the
    caller's transaction). Of `whole_cases` every revision is copied (a first reader carries
    on the work); of `own_cases` only the profile and `author`'s own (a second reader's
    reading stays independent of the first). Returns how many revisions the file holds."""
    copy_revisions, copy_links = _copy_statements(source)
    conn.execute(
        copy_revisions,
        (
            json.dumps(sorted({*whole_cases, *own_cases})),
            json.dumps(sorted(whole_cases)),
            Kind.PROFILE,
            author,
        ),
    )
    conn.execute(copy_links)
    recompute_all(conn)
    revisions: int = conn.execute(_COUNT).fetchone()[0]
    return revisions
