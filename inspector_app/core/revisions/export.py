"""A share of one file's revision log copied into a new file: how an assessor's fieldwork
file gets the master's revisions of their cases.
"""

from __future__ import annotations

import json
from collections.abc import Collection

from inspector_app.core.revisions.aliases import schema_alias
from inspector_app.core.revisions.log import Kind, recompute_all
from inspector_app.core.storage.dbapi import Connection


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
    source = schema_alias(source)
    # One test of the case picks the few rows wanted out of the whole log, then what of them.
    conn.execute(
        f"INSERT INTO revision SELECT r.* FROM {source}.revision r"
        " WHERE r.case_key IN (SELECT value FROM json_each(?))"
        " AND (r.case_key IN (SELECT value FROM json_each(?)) OR r.kind = ? OR r.author = ?)",
        (
            json.dumps(sorted({*whole_cases, *own_cases})),
            json.dumps(sorted(whole_cases)),
            Kind.PROFILE,
            author,
        ),
    )
    conn.execute(
        f"INSERT INTO revision_parent SELECT p.* FROM {source}.revision_parent p"
        " WHERE EXISTS (SELECT 1 FROM revision r"
        " WHERE r.record_key = p.record_key AND r.id = p.revision_id)"
    )
    recompute_all(conn)
    revisions: int = conn.execute("SELECT count(*) FROM revision").fetchone()[0]
    return revisions
