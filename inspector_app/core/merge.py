"""Merging fieldwork files into the master: a union of revisions, in SQL.

Each source is checked (merge_checks), attached read-only, and its revisions that the master
lacks are copied with INSERT ... SELECT; current values are then recomputed for the keys that
received something. Nothing is overwritten: two people who changed one answer differently
leave two heads, which is a conflict the lead resolves. A batch of sources is merged in one
transaction (all or nothing); a dry run is the same work rolled back.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from inspector_app.core.errors import InspectorError
from inspector_app.core.inspection_file import InspectionFile, utc_now_iso
from inspector_app.core.merge_checks import (
    CheckedSource,
    check_source,
    private_folder,
    refusal_message,
)
from inspector_app.core.merge_snapshot import keep_snapshot, take_snapshot
from inspector_app.core.merge_validation import incoming_problem, register_key_function
from inspector_app.core.profile import FIELDS_BY_NAME
from inspector_app.core.revisions import REVISION_COLUMNS, Kind, recompute_after_union
from inspector_app.core.storage.connection import deny_trigger_and_view_actions, sql_literal
from inspector_app.core.storage.database import storage_error
from inspector_app.core.storage.dbapi import Connection, DatabaseError

_FIELDWORK_KINDS = (Kind.ANSWER, Kind.PROFILE, Kind.STATUS)

ProgressFn = Callable[[int, int, str], None]
CancelFn = Callable[[], bool]


class MergeCancelled(InspectorError):
    """The user cancelled; the master is as it was before the batch."""


@dataclass(frozen=True)
class SourceOutcome:
    path: str
    owner: str | None
    new_revisions: int = 0
    cases_touched: int = 0
    conflicts_raised: int = 0
    refusal: str | None = None

    @property
    def merged(self) -> bool:
        return self.refusal is None


@dataclass(frozen=True)
class MergeReport:
    sources: tuple[SourceOutcome, ...]
    dry_run: bool
    snapshot: str | None = None
    when: str = field(default_factory=utc_now_iso)

    @property
    def refused(self) -> tuple[SourceOutcome, ...]:
        return tuple(s for s in self.sources if not s.merged)

    def to_json(self) -> dict:
        return asdict(self)


def merge_files(
    master: InspectionFile,
    sources: Sequence[Path],
    *,
    dry_run: bool = False,
    passphrases: Mapping[Path, str] | None = None,
    progress: ProgressFn | None = None,
    is_cancelled: CancelFn | None = None,
) -> MergeReport:
    """Merge (or, with dry_run, preview merging) fieldwork files into the master, all in one
    transaction: a cancel or a failure leaves the master as it was. `passphrases` gives the
    passphrase of each encrypted source, by path. A path given twice is merged once."""
    if not master.is_master:
        raise InspectorError(f"{master.path.name}: is a fieldwork file; merge into the master")
    sources = list(dict.fromkeys(Path(s) for s in sources))
    progress = progress or (lambda done, total, message: None)
    is_cancelled = is_cancelled or (lambda: False)
    total = len(sources) * 2
    folder = private_folder()
    try:
        outcomes: dict[Path, SourceOutcome] = {}
        checked: list[CheckedSource] = []
        for index, source in enumerate(sources):
            progress(index, total, f"Checking {source.name}")
            if is_cancelled():
                raise MergeCancelled("merge cancelled; the master is unchanged")
            try:
                key = (passphrases or {}).get(source)
                checked.append(check_source(master, source, folder, key))
            except Exception as exc:  # every failure of a source is a refusal, not a crash
                outcomes[source] = SourceOutcome(
                    str(source), None, refusal=refusal_message(exc, source)
                )
        conn = master.db.raw
        ranges = _stage(conn, checked)
        pending = None
        if checked and not dry_run:
            progress(len(sources), total, "Saving a copy of the master for undo")
            pending = take_snapshot(master)
        try:
            for outcome in _merge_all(
                master, checked, ranges, dry_run, len(sources), total, progress, is_cancelled
            ):
                outcomes[Path(outcome.path)] = outcome
            report = MergeReport(tuple(outcomes[s] for s in sources), dry_run=dry_run)
            if pending is not None and any(s.new_revisions for s in report.sources):
                note = {**report.to_json(), "after": _state(conn)}
                kept = keep_snapshot(pending, master.path, json.dumps(note, indent=2))
                pending = None
                report = replace(report, snapshot=str(kept))
        finally:
            if pending is not None:
                pending.unlink(missing_ok=True)  # nothing changed: keep the previous undo copy
            _unstage(conn)
        progress(total, total, "Done")
        return report
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _state(conn: Connection) -> dict[str, object]:
    """What the master holds right after a merge, so undo can tell if it has moved on."""
    count, latest = conn.execute("SELECT count(*), max(hlc) FROM revision").fetchone()
    return {"revisions": count, "latest": latest}


def _stage(conn: Connection, checked: list[CheckedSource]) -> list[tuple[int, int, int, int]]:
    """Copy each checked source's revisions into memory (temp tables), one source attached at a
    time, so any number of files can then be merged in a single transaction. Returns, per
    source, the rowid ranges its revisions and parent links occupy."""
    conn.execute(
        "CREATE TEMP TABLE IF NOT EXISTS staged_revision AS"
        " SELECT 0 AS source, * FROM main.revision WHERE 0"
    )
    conn.execute(
        "CREATE TEMP TABLE IF NOT EXISTS staged_parent"
        " (source INTEGER, parent_id TEXT, revision_id TEXT)"
    )
    _unstage(conn)
    ranges = []
    conn.set_authorizer(deny_trigger_and_view_actions)
    try:
        for index, source in enumerate(checked):
            first_revision = _next_rowid(conn, "staged_revision")
            first_parent = _next_rowid(conn, "staged_parent")
            key = sql_literal(source.passphrase or "")
            conn.execute(
                f"ATTACH DATABASE ? AS staging_source KEY {key}",
                (source.copy.resolve().as_uri() + "?mode=ro",),
            )
            try:
                conn.execute(
                    "INSERT INTO temp.staged_revision SELECT ?, s.* FROM staging_source.revision s",
                    (index,),
                )
                conn.execute(
                    "INSERT INTO temp.staged_parent SELECT ?, p.parent_id, p.revision_id"
                    " FROM staging_source.revision_parent p",
                    (index,),
                )
            finally:
                conn.execute("DETACH DATABASE staging_source")
            ranges.append(
                (
                    first_revision,
                    _next_rowid(conn, "staged_revision") - 1,
                    first_parent,
                    _next_rowid(conn, "staged_parent") - 1,
                )
            )
    finally:
        conn.set_authorizer(None)
    return ranges


def _next_rowid(conn: Connection, table: str) -> int:
    return conn.execute(f"SELECT ifnull(max(rowid), 0) + 1 FROM temp.{table}").fetchone()[0]


def _unstage(conn: Connection) -> None:
    conn.execute("DELETE FROM temp.staged_revision")
    conn.execute("DELETE FROM temp.staged_parent")


def _merge_all(
    master: InspectionFile,
    checked: list[CheckedSource],
    ranges: list[tuple[int, int, int, int]],
    dry_run: bool,
    done: int,
    total: int,
    progress: ProgressFn,
    is_cancelled: CancelFn,
) -> list[SourceOutcome]:
    conn = master.db.raw
    register_key_function(conn)
    outcomes = []
    conn.execute("BEGIN IMMEDIATE")
    try:
        for index, source in enumerate(checked):
            progress(done + index, total, f"Merging {source.original.name}")
            if is_cancelled():
                raise MergeCancelled("merge cancelled; the master is unchanged")
            outcomes.append(_union(master, conn, ranges[index], source))
        conn.execute("ROLLBACK" if dry_run else "COMMIT")
    except DatabaseError as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise storage_error(master.path, exc) from exc
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    if not dry_run:
        stamp = conn.execute("SELECT max(hlc) FROM revision").fetchone()[0]
        master.clock.observe(stamp)
    return outcomes


def _union(
    master: InspectionFile,
    conn: Connection,
    rows: tuple[int, int, int, int],
    source: CheckedSource,
) -> SourceOutcome:
    """Copy one source's new revisions into the master (inside the caller's transaction)."""
    name = source.original.name
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS incoming AS SELECT * FROM main.revision WHERE 0")
    conn.execute("DELETE FROM temp.incoming")
    columns = ", ".join(REVISION_COLUMNS)
    conn.execute(
        f"INSERT INTO temp.incoming ({columns}) SELECT {columns} FROM temp.staged_revision s"
        " WHERE s.rowid BETWEEN ? AND ?"
        " AND NOT EXISTS (SELECT 1 FROM main.revision m WHERE m.id = s.id)",
        rows[:2],
    )
    refusal = _refusal(master, conn, name, source)
    if refusal:
        return SourceOutcome(str(source.original), source.owner_name, refusal=refusal)
    new_revisions, cases = conn.execute(
        "SELECT count(*), count(DISTINCT case_key) FROM temp.incoming"
    ).fetchone()
    conn.execute(
        f"INSERT INTO main.revision ({columns}) SELECT {columns} FROM temp.incoming ORDER BY id"
    )
    conn.execute(
        "CREATE TEMP TABLE IF NOT EXISTS incoming_parent (parent_id TEXT, revision_id TEXT)"
    )
    conn.execute("DELETE FROM temp.incoming_parent")
    conn.execute(
        "INSERT INTO temp.incoming_parent SELECT p.parent_id, p.revision_id"
        " FROM temp.staged_parent p WHERE p.rowid BETWEEN ? AND ?"
        " AND p.revision_id IN (SELECT id FROM temp.incoming)",
        rows[2:],
    )
    conn.execute(
        "INSERT INTO main.revision_parent (parent_id, revision_id)"
        " SELECT parent_id, revision_id FROM temp.incoming_parent ORDER BY parent_id"
    )
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS touched_keys (record_key TEXT PRIMARY KEY)")
    conn.execute("DELETE FROM temp.touched_keys")
    conn.execute("INSERT OR IGNORE INTO temp.touched_keys SELECT record_key FROM temp.incoming")
    conflicted_sql = (
        "SELECT count(*) FROM current_value WHERE conflicted"
        " AND record_key IN (SELECT record_key FROM temp.touched_keys)"
    )
    before = conn.execute(conflicted_sql).fetchone()[0]
    recompute_after_union(conn)
    after = conn.execute(conflicted_sql).fetchone()[0]
    return SourceOutcome(
        str(source.original),
        source.owner_name,
        new_revisions=new_revisions,
        cases_touched=cases,
        conflicts_raised=max(0, after - before),
    )


def _refusal(
    master: InspectionFile, conn: Connection, name: str, source: CheckedSource
) -> str | None:
    """Revisions only by the file's owner, only on cases allocated to them, only of the kinds
    and fields a fieldwork file may hold."""
    foreign = conn.execute(
        "SELECT count(*) FROM temp.incoming WHERE author <> ?", (source.owner_id,)
    ).fetchone()[0]
    if foreign:
        return (
            f"{name}: {foreign} revision(s) are signed by someone other than the file's owner "
            f"({source.owner_name}); the file has been altered and is refused"
        )
    unallocated = conn.execute(
        "SELECT count(DISTINCT ifnull(case_key, '')) FROM temp.incoming i WHERE NOT EXISTS"
        " (SELECT 1 FROM main.allocation a WHERE a.case_key = i.case_key AND a.member_id = ?)",
        (source.owner_id,),
    ).fetchone()[0]
    if unallocated:
        return (
            f"{name}: holds answers on {unallocated} case(s) not allocated to "
            f"{source.owner_name}; allocate them in the master first, or ask for the right file"
        )
    kinds = ", ".join("?" * len(_FIELDWORK_KINDS))
    codes = [q.code for q in master.framework.questions()]
    bad = conn.execute(
        f"SELECT kind, field FROM temp.incoming WHERE kind NOT IN ({kinds})"
        f" OR (kind = ? AND field NOT IN ({', '.join('?' * len(codes))}))"
        f" OR (kind = ? AND field NOT IN ({', '.join('?' * len(FIELDS_BY_NAME))}))"
        " LIMIT 1",
        (*_FIELDWORK_KINDS, Kind.ANSWER, *codes, Kind.PROFILE, *FIELDS_BY_NAME),
    ).fetchone()
    if bad:
        return (
            f"{name}: holds a {bad[0]} revision for '{bad[1]}', which a fieldwork file cannot hold"
        )
    problem = incoming_problem(conn, master.framework)
    return f"{name}: {problem}; the file has been altered and is refused" if problem else None
