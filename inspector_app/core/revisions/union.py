"""The union of revision logs, in SQL: a checked copy's revisions and parent links appended
to the master, and the keys they touched listed for `recompute`.

A source's rows are read where they are, its copy attached read-only, or, for a batch too big
to attach at once, from temp tables they were staged in. A `SourceRows` says which; it is made
here, from a checked alias, never from text a person gave. Everything runs on the master's
connection inside the merge's transaction (staging excepted: it comes before it).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from inspector_app.core.revisions.aliases import schema_alias
from inspector_app.core.revisions.log import REVISION_COLUMNS, Settled, add_touched_from_rows
from inspector_app.core.storage import statements
from inspector_app.core.storage.connection import deny_trigger_and_view_actions
from inspector_app.core.storage.dbapi import Connection

_COLUMNS = ", ".join(REVISION_COLUMNS)
_STAGING_ALIAS = "staging_source"
_STAGED_REVISIONS = "staged_revision"
_STAGED_LINKS = "staged_parent"
_EMPTY = {table: f"DELETE FROM temp.{table}" for table in (_STAGED_REVISIONS, _STAGED_LINKS)}
_NEXT_ROWID = {
    table: f"SELECT ifnull(max(rowid), 0) + 1 FROM temp.{table}"
    for table in (_STAGED_REVISIONS, _STAGED_LINKS)
}


@dataclass(frozen=True)
class SourceRows:
    """Where, inside the merge's transaction, a checked source's rows are read from: its
    attached copy, or its share of the rows staged in memory (a condition on `s` for
    revisions and on `p` for links picks them)."""

    revisions: str
    links: str
    revision_filter: str
    link_filter: str
    count: int
    current_values: str | None = None  # the copy's own, worked out when it was checked

    def all_new(self, first: int, last: int) -> bool:
        """Whether the rowids first..last the union appended are every revision of the
        source: then what was gathered while checking it describes them exactly."""
        return last - first + 1 == self.count


# -- attaching and staging -----------------------------------------------------------------


def attach_copy(conn: Connection, copy: Path, alias: str, passphrase: str | None) -> None:
    """Attach a checked private copy read-only under `alias` (ATTACH takes its key as text,
    not as a parameter: it is quoted as a literal)."""
    conn.execute(
        statements.attach(schema_alias(alias), passphrase or ""),
        (copy.resolve().as_uri() + "?mode=ro",),
    )


def detach(conn: Connection, alias: str) -> None:
    conn.execute(statements.detach(schema_alias(alias)))


def attached_rows(alias: str, count: int) -> SourceRows:
    """The rows of a copy attached under `alias`, which holds `count` revisions, with the
    current values its check worked out."""
    alias = schema_alias(alias)
    return SourceRows(
        f"{alias}.revision",
        f"{alias}.revision_parent",
        "1",
        "1",
        count,
        current_values=f"{alias}.current_value",
    )


def prepare_staging(conn: Connection) -> None:
    """Make the empty temp tables a batch too big to attach is staged in (shaped like the
    master's own)."""
    conn.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS {_STAGED_REVISIONS} AS"
        " SELECT * FROM main.revision WHERE 0"
    )
    conn.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS {_STAGED_LINKS} AS"
        " SELECT * FROM main.revision_parent WHERE 0"
    )
    clear_staging(conn)


def clear_staging(conn: Connection) -> None:
    """Empty the staging tables, where they exist (the rows staged are offenders' data)."""
    for table in (_STAGED_REVISIONS, _STAGED_LINKS):
        exists = conn.execute(
            "SELECT 1 FROM temp.sqlite_master WHERE name = ?", (table,)
        ).fetchone()
        if exists:
            conn.execute(_EMPTY[table])


def stage_copy(conn: Connection, copy: Path, passphrase: str | None) -> SourceRows:
    """Copy a checked copy's revisions and links into the staging tables, attaching it only
    while copying (nothing of the file is run: triggers and views are denied)."""
    first_revision = _next_rowid(conn, _STAGED_REVISIONS)
    first_link = _next_rowid(conn, _STAGED_LINKS)
    attach_copy(conn, copy, _STAGING_ALIAS, passphrase)
    conn.set_authorizer(deny_trigger_and_view_actions)
    try:
        conn.execute(
            f"INSERT INTO temp.{_STAGED_REVISIONS} ({_COLUMNS})"
            f" SELECT {_COLUMNS} FROM {_STAGING_ALIAS}.revision ORDER BY rowid"
        )
        conn.execute(
            f"INSERT INTO temp.{_STAGED_LINKS} (record_key, parent_id, revision_id)"
            f" SELECT record_key, parent_id, revision_id FROM {_STAGING_ALIAS}.revision_parent"
        )
    finally:
        conn.set_authorizer(None)
        detach(conn, _STAGING_ALIAS)
    last_revision = _next_rowid(conn, _STAGED_REVISIONS) - 1
    last_link = _next_rowid(conn, _STAGED_LINKS) - 1
    return SourceRows(
        f"temp.{_STAGED_REVISIONS}",
        f"temp.{_STAGED_LINKS}",
        f"s.rowid BETWEEN {int(first_revision)} AND {int(last_revision)}",
        f"p.rowid BETWEEN {int(first_link)} AND {int(last_link)}",
        last_revision - first_revision + 1,
    )


def _next_rowid(conn: Connection, table: str) -> int:
    return int(conn.execute(_NEXT_ROWID[table]).fetchone()[0])


# -- appending -------------------------------------------------------------------------------


def last_rowid(conn: Connection) -> int:
    """The master's last revision rowid: what a merge appends comes after it."""
    return int(conn.execute("SELECT ifnull(max(rowid), 0) FROM main.revision").fetchone()[0])


def append_revisions(conn: Connection, rows: SourceRows) -> tuple[int, int]:
    """Append the source's revisions the master lacks (one it holds keeps the master's row).
    Appended rows take the next rowids: returns the first and last, last < first if none."""
    first = last_rowid(conn) + 1
    conn.execute(
        f"INSERT OR IGNORE INTO main.revision ({_COLUMNS}) SELECT {_COLUMNS}"
        f" FROM {rows.revisions} s WHERE {rows.revision_filter}"
    )
    return first, last_rowid(conn)


def append_links(conn: Connection, rows: SourceRows, first: int, last: int) -> None:
    """Append the source's parent links of the revisions just appended (rowids first..last).
    The checks proved that every link joins two revisions of one value in the file. Only
    the links of revisions added now are taken: a link naming an older revision as child
    would replace a value behind the back of whoever wrote it."""
    only_new = (
        ""
        if rows.all_new(first, last)  # every revision was new: so is every link
        else " AND EXISTS (SELECT 1 FROM main.revision m WHERE m.record_key = p.record_key"
        f" AND m.id = p.revision_id AND m.rowid > {int(first) - 1})"
    )
    conn.execute(
        "INSERT OR IGNORE INTO main.revision_parent (record_key, parent_id, revision_id)"
        f" SELECT p.record_key, p.parent_id, p.revision_id FROM {rows.links} p"
        f" WHERE {rows.link_filter}" + only_new
    )


def cases_appended(conn: Connection, first: int) -> int:
    """How many cases the revisions appended from rowid `first` on are of (a report-level
    value counts as none)."""
    cases: int = conn.execute(
        "SELECT count(DISTINCT case_key) FROM main.revision WHERE rowid > ?", (first - 1,)
    ).fetchone()[0]
    return cases


def newest_stamp_appended(conn: Connection, first: int, last: int) -> str | None:
    """The newest clock stamp of the revisions with rowids first..last, as the master holds
    them."""
    newest = conn.execute(
        "SELECT max(hlc) FROM main.revision WHERE rowid BETWEEN ? AND ?", (first, last)
    ).fetchone()[0]
    return str(newest) if newest is not None else None


# A condition on `s`: a revision the master does not hold yet.
_NEW_TO_MASTER = (
    " AND NOT EXISTS (SELECT 1 FROM main.revision m"
    " WHERE m.record_key = s.record_key AND m.id = s.id)"
)


def count_new_signed_by_others(conn: Connection, rows: SourceRows, author: str) -> int:
    """How many of the source's revisions the master lacks are signed by someone other than
    `author` (a file's owner answers only for what it adds)."""
    foreign: int = conn.execute(
        f"SELECT count(*) FROM {rows.revisions} s WHERE {rows.revision_filter}"
        " AND s.author <> ?" + _NEW_TO_MASTER,
        (author,),
    ).fetchone()[0]
    return foreign


def count_new_review_not_theirs(conn: Connection, rows: SourceRows) -> int:
    """How many of the source's new review records speak for someone else: a reply filed
    under another member's name, or a revision of a note that someone else wrote (its author
    alone may edit or withdraw it). The owner signs every new revision; this is what their
    signature may not claim."""
    count: int = conn.execute(
        f"SELECT count(*) FROM {rows.revisions} s WHERE {rows.revision_filter}"
        " AND s.kind = 'review' AND ("
        " (s.field LIKE 'reply:%' AND s.field NOT LIKE '%:' || s.author)"
        " OR (s.field LIKE 'note:%' AND ("
        "  EXISTS (SELECT 1 FROM main.revision m"
        "   WHERE m.record_key = s.record_key AND m.author <> s.author)"
        "  OR EXISTS (SELECT 1 FROM " + rows.revisions + " o"
        "   WHERE o.record_key = s.record_key AND o.author <> s.author))))" + _NEW_TO_MASTER
    ).fetchone()[0]
    return count


def case_keys_new_to_master(conn: Connection, rows: SourceRows) -> set[str | None]:
    """The case keys (None for a report-level value) of the source's revisions the master
    lacks: the caller checks them against the owner's allocation."""
    return {
        row[0]
        for row in conn.execute(
            f"SELECT DISTINCT s.case_key FROM {rows.revisions} s"
            f" WHERE {rows.revision_filter}" + _NEW_TO_MASTER
        )
    }


# -- the keys touched ----------------------------------------------------------------------


def mark_touched(
    conn: Connection, rows: SourceRows, index: int, first: int, last: int
) -> Settled | None:
    """List the keys of the revisions just appended (rowids first..last) as touched. A key
    the master held no revision of before the batch, which no other file touches, has exactly
    the revisions of this source's copy: it is marked as the source's (`index`), and its
    current value is the copy's: returned as recompute's `settled`, if any may be."""
    if rows.current_values is None:  # staged: the copies are gone by the time it matters
        add_touched_from_rows(conn, first, last)
        return None
    # The master holds a current value for every key it has revisions of (every write and
    # every merge keeps it so: a key left with no head refuses the merge), so a key without
    # one has no revision there; probing the current values, small in a first merge, is cheap.
    new_to_master = (
        "CASE WHEN EXISTS (SELECT 1 FROM main.current_value c"
        f" WHERE c.record_key = s.record_key) THEN NULL ELSE {int(index)} END"
    )
    every_revision_new = rows.all_new(first, last)
    if every_revision_new:  # the copy's current values list exactly their keys
        keys = f"SELECT s.record_key, {new_to_master} FROM {rows.current_values} s WHERE 1"
    else:
        keys = f"SELECT s.record_key, {new_to_master} FROM main.revision s"
        keys += f" WHERE s.rowid BETWEEN {int(first)} AND {int(last)}"
    conn.execute(
        f"INSERT INTO temp.touched_keys (record_key, source) {keys}"
        " ON CONFLICT (record_key) DO UPDATE SET"
        " source = CASE WHEN source = excluded.source THEN source END"
    )
    return Settled(rows.current_values, exact=every_revision_new)


def conflicted_touched_keys(conn: Connection) -> list[str]:
    """The touched keys whose current value is a conflict (conflicts are few: the conflicted
    values are read and the touched ones kept)."""
    return [
        row[0]
        for row in conn.execute(
            "SELECT c.record_key FROM current_value c WHERE c.conflicted"
            " AND EXISTS (SELECT 1 FROM temp.touched_keys t WHERE t.record_key = c.record_key)"
        )
    ]


def rowids_of_key_after(conn: Connection, record_key: str, after: int) -> list[int]:
    """The rowids past `after` of a key's revisions: which sources brought them."""
    return [
        row[0]
        for row in conn.execute(
            "SELECT rowid FROM main.revision WHERE record_key = ? AND rowid > ?",
            (record_key, after),
        )
    ]


def rowids_left_without_value(conn: Connection, after: int) -> list[int]:
    """The rowids past `after` of revisions of touched keys that were left with no current
    value (revisions that replace one another in a loop): which sources brought them."""
    return [
        row[0]
        for row in conn.execute(
            "SELECT r.rowid FROM temp.touched_keys t JOIN revision r"
            " ON r.record_key = t.record_key WHERE r.rowid > ? AND NOT EXISTS"
            " (SELECT 1 FROM current_value c WHERE c.record_key = t.record_key)",
            (after,),
        )
    ]
