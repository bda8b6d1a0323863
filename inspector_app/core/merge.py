"""Merging fieldwork files into the master: a union of revisions, in SQL.

Sources are checked side by side (merge_checks), each on a private copy; each one that passes
is attached read-only just long enough to stage its revisions in memory. In one transaction,
each source's revisions that the master lacks are then appended with INSERT ... SELECT, and
the current values of every key the batch touched are recomputed once. Nothing is
overwritten: two people who changed one answer differently leave two heads, which is a
conflict the lead resolves. A batch is all or nothing; a dry run is the same work rolled back.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from inspector_app.core.errors import InspectorError
from inspector_app.core.inspection_file import InspectionFile, utc_now_iso
from inspector_app.core.merge_checks import (
    CheckedSource,
    MasterFacts,
    check_source,
    expected_schema,
    private_folder,
    refusal_message,
)
from inspector_app.core.merge_snapshot import keep_snapshot, take_snapshot
from inspector_app.core.revisions import REVISION_COLUMNS, fill_touched_from_rows, recompute
from inspector_app.core.storage.connection import deny_trigger_and_view_actions, sql_literal
from inspector_app.core.storage.database import storage_error
from inspector_app.core.storage.dbapi import Connection, DatabaseError

# Checking a file is mostly SQLite work (copy, integrity check, one pass over its revisions),
# which runs outside Python's lock: files are checked side by side, one connection each.
_CHECK_WORKERS = max(1, min(4, os.cpu_count() or 1))

_COLUMNS = ", ".join(REVISION_COLUMNS)
# A staged source: the rowid ranges its revisions and its parent links occupy in memory.
StagedRows = tuple[int, int, int, int]

ProgressFn = Callable[[int, int, str], None]
CancelFn = Callable[[], bool]


class MergeCancelled(InspectorError):
    """The user cancelled; the master is as it was before the batch."""


@dataclass(frozen=True)
class SourceOutcome:
    """What merging one file did (or, in a dry run, would do). `conflicts_raised` counts the
    new conflicts the file takes part in: one between two files counts for both."""

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
    new_conflicts: int = 0  # distinct new conflicts, however many files take part in each
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
    conn = master.db.raw
    pending = None
    try:
        facts = MasterFacts.of(master)
        if sources and not dry_run:
            # Taken first, so that it overlaps with the checks running alongside.
            progress(0, total, "Saving a copy of the master for undo")
            pending = take_snapshot(master)
        checked, ranges, outcomes = _check_and_stage(
            conn, facts, sources, folder, passphrases or {}, progress, is_cancelled
        )
        merged, new_conflicts = _merge_all(
            master, checked, ranges, dry_run, len(sources), total, progress, is_cancelled
        )
        for outcome in merged:
            outcomes[Path(outcome.path)] = outcome
        report = MergeReport(
            tuple(outcomes[s] for s in sources), dry_run=dry_run, new_conflicts=new_conflicts
        )
        if pending is not None and any(s.new_revisions for s in report.sources):
            note = {**report.to_json(), "after": _state(conn)}
            kept = keep_snapshot(pending, master.path, json.dumps(note, indent=2))
            pending = None
            report = replace(report, snapshot=str(kept))
        progress(total, total, "Done")
        return report
    finally:
        if pending is not None:
            pending.unlink(missing_ok=True)  # nothing changed: keep the previous undo copy
        _unstage(conn)
        shutil.rmtree(folder, ignore_errors=True)


def _check_and_stage(
    conn: Connection,
    facts: MasterFacts,
    sources: list[Path],
    folder: Path,
    passphrases: Mapping[Path, str],
    progress: ProgressFn,
    is_cancelled: CancelFn,
) -> tuple[list[CheckedSource], list[StagedRows], dict[Path, SourceOutcome]]:
    """Check every source, side by side, and stage each one that passed (in the order given)
    as soon as its check is done; a refusal for each of the others."""

    def check(index: int, source: Path) -> CheckedSource:
        if is_cancelled():
            raise MergeCancelled("merge cancelled; the master is unchanged")
        copy = folder / f"{index}-{source.name}"
        return check_source(facts, source, copy, passphrases.get(source))

    total = len(sources) * 2
    progress(0, total, f"Checking {len(sources)} file{'s' if len(sources) != 1 else ''}")
    expected_schema()  # made once, here, before the checks that compare against it
    _prepare_staging(conn)
    checked: list[CheckedSource] = []
    ranges: list[StagedRows] = []
    outcomes: dict[Path, SourceOutcome] = {}
    with ThreadPoolExecutor(max_workers=_CHECK_WORKERS, thread_name_prefix="check") as pool:
        futures = [pool.submit(check, i, source) for i, source in enumerate(sources)]
        try:
            for done, (source, future) in enumerate(zip(sources, futures, strict=True), 1):
                try:
                    passed = future.result()
                except MergeCancelled:
                    raise
                except Exception as exc:  # every failure of a source is a refusal, not a crash
                    outcomes[source] = SourceOutcome(
                        str(source), None, refusal=refusal_message(exc, source)
                    )
                else:
                    ranges.append(_stage(conn, passed))
                    checked.append(passed)
                progress(done, total, f"Checked {source.name}")
        except BaseException:
            for waiting in futures:
                waiting.cancel()
            raise
    return checked, ranges, outcomes


def _state(conn: Connection) -> dict[str, object]:
    """What the master holds right after a merge, so undo can tell if it has moved on."""
    count, latest = conn.execute("SELECT count(*), max(hlc) FROM revision").fetchone()
    return {"revisions": count, "latest": latest}


def _prepare_staging(conn: Connection) -> None:
    conn.execute(
        "CREATE TEMP TABLE IF NOT EXISTS staged_revision AS SELECT * FROM main.revision WHERE 0"
    )
    conn.execute(
        "CREATE TEMP TABLE IF NOT EXISTS staged_parent AS"
        " SELECT * FROM main.revision_parent WHERE 0"
    )
    _unstage(conn)


def _stage(conn: Connection, source: CheckedSource) -> StagedRows:
    """Copy a checked source's revisions and links into memory (temp tables), attached
    read-only only while copying, so any number of files can then be merged in a single
    transaction."""
    first_revision = _next_rowid(conn, "staged_revision")
    first_parent = _next_rowid(conn, "staged_parent")
    key = sql_literal(source.passphrase or "")
    conn.set_authorizer(deny_trigger_and_view_actions)
    try:
        conn.execute(
            f"ATTACH DATABASE ? AS staging_source KEY {key}",
            (source.copy.resolve().as_uri() + "?mode=ro",),
        )
        try:
            conn.execute(
                f"INSERT INTO temp.staged_revision ({_COLUMNS})"
                f" SELECT {_COLUMNS} FROM staging_source.revision ORDER BY rowid"
            )
            conn.execute(
                "INSERT INTO temp.staged_parent (record_key, parent_id, revision_id)"
                " SELECT record_key, parent_id, revision_id FROM staging_source.revision_parent"
            )
        finally:
            conn.execute("DETACH DATABASE staging_source")
    finally:
        conn.set_authorizer(None)
    return (
        first_revision,
        _next_rowid(conn, "staged_revision") - 1,
        first_parent,
        _next_rowid(conn, "staged_parent") - 1,
    )


def _next_rowid(conn: Connection, table: str) -> int:
    return conn.execute(f"SELECT ifnull(max(rowid), 0) + 1 FROM temp.{table}").fetchone()[0]


def _unstage(conn: Connection) -> None:
    for table in ("staged_revision", "staged_parent"):
        exists = conn.execute(
            "SELECT 1 FROM temp.sqlite_master WHERE name = ?", (table,)
        ).fetchone()
        if exists:
            conn.execute(f"DELETE FROM temp.{table}")


def _merge_all(
    master: InspectionFile,
    checked: list[CheckedSource],
    ranges: list[StagedRows],
    dry_run: bool,
    done: int,
    total: int,
    progress: ProgressFn,
    is_cancelled: CancelFn,
) -> tuple[list[SourceOutcome], int]:
    """Append each source's new revisions in turn, then recompute the current values of
    every key they touched in one pass, all in one transaction."""
    conn = master.db.raw
    outcomes: list[SourceOutcome] = []
    added: list[tuple[int, int, int]] = []  # (index in outcomes, first rowid, last rowid)
    new_conflicts = 0
    conn.execute("BEGIN IMMEDIATE")
    try:
        start = _last_rowid(conn)
        for index, source in enumerate(checked):
            progress(done + index, total, f"Merging {source.original.name}")
            if is_cancelled():
                raise MergeCancelled("merge cancelled; the master is unchanged")
            outcome, first, last = _union(conn, ranges[index], source)
            if last >= first:
                added.append((len(outcomes), first, last))
            outcomes.append(outcome)
        if added:
            progress(done + len(checked), total, "Updating current values")
            outcomes, new_conflicts = _recompute_and_count(conn, outcomes, added, start)
        conn.execute("ROLLBACK" if dry_run else "COMMIT")
    except DatabaseError as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise storage_error(master.path, exc) from exc
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    if not dry_run and added:
        # The clock has seen everything older; only the stamps just merged are new to it.
        (stamp,) = conn.execute(
            "SELECT max(hlc) FROM revision WHERE rowid > ?", (start,)
        ).fetchone()
        master.clock.observe(stamp)
    return outcomes, new_conflicts


def _union(
    conn: Connection, rows: StagedRows, source: CheckedSource
) -> tuple[SourceOutcome, int, int]:
    """Append one source's revisions that the master lacks, with their parent links (inside
    the caller's transaction). Appended rows take the next rowids, so what this source
    added is the rowid range returned with its outcome."""
    name = source.original.name
    refusal = _refusal(conn, name, source, rows)
    if refusal:
        return SourceOutcome(str(source.original), source.owner_name, refusal=refusal), 1, 0
    before = _last_rowid(conn)
    conn.execute(
        f"INSERT OR IGNORE INTO main.revision ({_COLUMNS}) SELECT {_COLUMNS}"
        " FROM temp.staged_revision WHERE rowid BETWEEN ? AND ?",
        rows[:2],
    )
    last = _last_rowid(conn)
    if last == before:
        return SourceOutcome(str(source.original), source.owner_name), 1, 0
    # The checks proved that every link joins two revisions of one value in the file. Only
    # the links of revisions added now are taken: a link naming an older revision as child
    # would replace a value behind the back of whoever wrote it.
    only_new = (
        ""
        if last - before == rows[1] - rows[0] + 1  # every revision was new: every link is
        else " AND EXISTS (SELECT 1 FROM main.revision m WHERE m.record_key = p.record_key"
        f" AND m.id = p.revision_id AND m.rowid > {int(before)})"
    )
    conn.execute(
        "INSERT OR IGNORE INTO main.revision_parent (record_key, parent_id, revision_id)"
        " SELECT p.record_key, p.parent_id, p.revision_id FROM temp.staged_parent p"
        " WHERE p.rowid BETWEEN ? AND ?" + only_new,
        rows[2:],
    )
    cases = conn.execute(
        "SELECT count(DISTINCT case_key) FROM main.revision WHERE rowid > ?", (before,)
    ).fetchone()[0]
    outcome = SourceOutcome(
        str(source.original),
        source.owner_name,
        new_revisions=last - before,
        cases_touched=cases,
    )
    return outcome, before + 1, last


def _recompute_and_count(
    conn: Connection,
    outcomes: list[SourceOutcome],
    added: list[tuple[int, int, int]],
    start: int,
) -> tuple[list[SourceOutcome], int]:
    """Recompute the current values of every key the batch touched (key by key, in key
    order), and count for each source the new conflicts it takes part in."""
    fill_touched_from_rows(conn, start + 1, added[-1][2])
    # Conflicts are few: read the conflicted values and keep the touched ones.
    conflicted_sql = (
        "SELECT c.record_key FROM current_value c WHERE c.conflicted"
        " AND EXISTS (SELECT 1 FROM temp.touched_keys t WHERE t.record_key = c.record_key)"
    )
    before = {row[0] for row in conn.execute(conflicted_sql)}
    recompute(conn)
    raised = [row[0] for row in conn.execute(conflicted_sql) if row[0] not in before]
    counts = dict.fromkeys(range(len(outcomes)), 0)
    for record_key in raised:
        involved = set()
        for (rowid,) in conn.execute(
            "SELECT rowid FROM main.revision WHERE record_key = ? AND rowid > ?",
            (record_key, start),
        ):
            involved.update(i for i, first, last in added if first <= rowid <= last)
        for index in involved:
            counts[index] += 1
    return [replace(o, conflicts_raised=counts[i]) for i, o in enumerate(outcomes)], len(raised)


def _last_rowid(conn: Connection) -> int:
    return conn.execute("SELECT ifnull(max(rowid), 0) FROM main.revision").fetchone()[0]


def _refusal(conn: Connection, name: str, source: CheckedSource, rows: StagedRows) -> str | None:
    """The revisions a source adds must be signed by the file's owner and lie on cases
    allocated to them (a re-issued file also carries the master's own revisions: those are
    already there and are not the owner's to answer for)."""
    new_only = (
        " AND NOT EXISTS (SELECT 1 FROM main.revision m"
        " WHERE m.record_key = s.record_key AND m.id = s.id)"
    )
    foreign = conn.execute(
        "SELECT count(*) FROM temp.staged_revision s WHERE s.rowid BETWEEN ? AND ?"
        " AND s.author <> ?" + new_only,
        (*rows[:2], source.owner_id),
    ).fetchone()[0]
    if foreign:
        return (
            f"{name}: {foreign} revision(s) are signed by someone other than the file's owner "
            f"({source.owner_name}); the file has been altered and is refused"
        )
    unallocated = conn.execute(
        "SELECT count(DISTINCT ifnull(s.case_key, '')) FROM temp.staged_revision s"
        " WHERE s.rowid BETWEEN ? AND ? AND (s.case_key IS NULL OR s.case_key NOT IN"
        " (SELECT case_key FROM main.allocation WHERE member_id = ?))" + new_only,
        (*rows[:2], source.owner_id),
    ).fetchone()[0]
    if unallocated:
        return (
            f"{name}: holds answers on {unallocated} case(s) not allocated to "
            f"{source.owner_name}; allocate them in the master first, or ask for the right file"
        )
    return None
