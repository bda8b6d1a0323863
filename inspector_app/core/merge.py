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
from inspector_app.core.profile import FIELDS_BY_NAME
from inspector_app.core.revisions import Kind, recompute_after_union
from inspector_app.core.storage.connection import deny_trigger_and_view_actions, sql_literal
from inspector_app.core.storage.dbapi import Connection

# SQLite attaches at most 10 databases to one connection; keep one spare.
_BATCH = 9
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
    """Merge (or, with dry_run, preview merging) fieldwork files into the master.
    `passphrases` gives the passphrase of each encrypted source, by path."""
    if not master.is_master:
        raise InspectorError(f"{master.path.name}: is a fieldwork file; merge into the master")
    progress = progress or (lambda done, total, message: None)
    is_cancelled = is_cancelled or (lambda: False)
    total = len(sources) * 2
    folder = private_folder()
    try:
        outcomes: dict[Path, SourceOutcome] = {}
        checked: list[CheckedSource] = []
        for index, source in enumerate(sources):
            source = Path(source)
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
        pending = None
        if checked and not dry_run:
            progress(len(sources), total, "Saving a copy of the master for undo")
            pending = take_snapshot(master)
        try:
            for start in range(0, len(checked), _BATCH):
                batch = checked[start : start + _BATCH]
                for outcome in _merge_batch(
                    master, batch, dry_run, len(sources) + start, total, progress, is_cancelled
                ):
                    outcomes[Path(outcome.path)] = outcome
            report = MergeReport(tuple(outcomes[Path(s)] for s in sources), dry_run=dry_run)
            if pending is not None and any(s.new_revisions for s in report.sources):
                kept = keep_snapshot(pending, master.path, json.dumps(report.to_json(), indent=2))
                pending = None
                report = replace(report, snapshot=str(kept))
        finally:
            if pending is not None:
                pending.unlink(missing_ok=True)  # nothing changed: keep the previous undo copy
        progress(total, total, "Done")
        return report
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _merge_batch(
    master: InspectionFile,
    batch: list[CheckedSource],
    dry_run: bool,
    done: int,
    total: int,
    progress: ProgressFn,
    is_cancelled: CancelFn,
) -> list[SourceOutcome]:
    conn = master.db.raw
    schemas = [f"source{i}" for i in range(len(batch))]
    for schema, source in zip(schemas, batch, strict=True):
        key = sql_literal(source.passphrase or "")
        conn.execute(
            f"ATTACH DATABASE ? AS {schema} KEY {key}",
            (source.copy.resolve().as_uri() + "?mode=ro",),
        )
    conn.set_authorizer(deny_trigger_and_view_actions)
    outcomes = []
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            for offset, (schema, source) in enumerate(zip(schemas, batch, strict=True)):
                progress(done + offset, total, f"Merging {source.original.name}")
                if is_cancelled():
                    raise MergeCancelled("merge cancelled; the master is unchanged")
                outcomes.append(_union(master, conn, schema, source))
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("ROLLBACK" if dry_run else "COMMIT")
    finally:
        conn.set_authorizer(None)
        for schema in schemas:
            conn.execute(f"DETACH DATABASE {schema}")
    if not dry_run:
        stamp = conn.execute("SELECT max(hlc) FROM revision").fetchone()[0]
        master.clock.observe(stamp)
    return outcomes


def _union(
    master: InspectionFile, conn: Connection, schema: str, source: CheckedSource
) -> SourceOutcome:
    """Copy one source's new revisions into the master (inside the caller's transaction)."""
    name = source.original.name
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS incoming AS SELECT * FROM main.revision WHERE 0")
    conn.execute("DELETE FROM temp.incoming")
    conn.execute(
        f"INSERT INTO temp.incoming SELECT s.* FROM {schema}.revision s"
        " WHERE NOT EXISTS (SELECT 1 FROM main.revision m WHERE m.id = s.id)"
    )
    refusal = _refusal(master, conn, name, source)
    if refusal:
        return SourceOutcome(str(source.original), source.owner_name, refusal=refusal)
    new_revisions, cases = conn.execute(
        "SELECT count(*), count(DISTINCT case_key) FROM temp.incoming"
    ).fetchone()
    conn.execute("INSERT INTO main.revision SELECT * FROM temp.incoming ORDER BY id")
    conn.execute(
        "CREATE TEMP TABLE IF NOT EXISTS incoming_parent (parent_id TEXT, revision_id TEXT)"
    )
    conn.execute("DELETE FROM temp.incoming_parent")
    conn.execute(
        f"INSERT INTO temp.incoming_parent SELECT p.parent_id, p.revision_id"
        f" FROM {schema}.revision_parent p WHERE p.revision_id IN (SELECT id FROM temp.incoming)"
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
    return None
