"""Merging fieldwork files into the master: a union of revisions, in SQL.

Sources are copied off their drives, then checked side by side (merge/checks.py), each on a
private copy whose current values the check works out afresh. In one transaction, each copy
that passes is attached read-only (a batch too big to attach is staged in memory first) and
its revisions that the master lacks are appended with INSERT ... SELECT, while the next files
are still being checked. Then the current values of every key the batch touched are updated
once: a key new to the master that only one file holds takes that copy's value, the others
are worked out from their heads. Nothing is overwritten: two people who changed one answer
differently leave two heads, which is a conflict the lead resolves. A batch is all or
nothing; a dry run is the same work rolled back.

A file merged before comes back often during fieldwork week. The master keeps a mark of how
far each file is merged (merge/marks.py), written in the merge's own transaction, so a file
sent again is checked in full only for what it added since (its copy then holds only that),
and refused if what it held before has changed.

The SQL over the revision log (attaching, staging, appending, the keys touched) is
revisions/union.py's; this module orchestrates it: the copies, the checks, the write lock,
the undo copy and the report.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import asdict, dataclass, field, replace
from enum import StrEnum
from pathlib import Path

from inspector_app.core.errors import (
    FileRefused,
    InspectorError,
    PassphraseNeeded,
    WrongPassphrase,
)
from inspector_app.core.files.fieldwork_records import record_merges
from inspector_app.core.files.inspection_file import InspectionFile, utc_now_iso
from inspector_app.core.files.merge_copy import keep_snapshot, setup_digest
from inspector_app.core.merge import compiled
from inspector_app.core.merge.checks import (
    CheckedSource,
    MasterFacts,
    check_copy,
    copy_source,
    expected_schema,
    private_folder,
    refusal_message,
)
from inspector_app.core.merge.conflicts import count_changes_after_resolution
from inspector_app.core.merge.marks import Mark, record_marks
from inspector_app.core.merge.undo_copy import take_snapshot
from inspector_app.core.revisions.log import Settled, clear_touched, recompute
from inspector_app.core.revisions.reads import count_and_newest_stamp
from inspector_app.core.revisions.union import (
    SourceRows,
    append_links,
    append_revisions,
    attach_copy,
    attached_rows,
    case_keys_new_to_master,
    cases_appended,
    clear_staging,
    conflicted_touched_keys,
    count_new_review_not_theirs,
    count_new_signed_by_others,
    detach,
    last_rowid,
    mark_touched,
    newest_stamp_appended,
    prepare_staging,
    rowids_left_without_value,
    rowids_of_key_after,
    stage_copy,
)
from inspector_app.core.storage.connection import deny_trigger_and_view_actions
from inspector_app.core.storage.database import storage_error
from inspector_app.core.storage.dbapi import Connection, DatabaseError

# Checking a file is mostly SQLite work (copy, integrity check, one pass over its revisions),
# which runs outside Python's lock: files are checked side by side, one connection each.
_CHECK_WORKERS = max(1, min(4, os.cpu_count() or 1))

# SQLite attaches at most 10 files to a connection. Up to that many sources are read where
# they are, each attached inside the merge's transaction as soon as its check passes (so
# merging one file overlaps with checking the next); a larger batch is staged in memory.
_ATTACH_LIMIT = 10

ProgressFn = Callable[[int, int, str], None]
CancelFn = Callable[[], bool]


class MergeCancelled(InspectorError):
    """The user cancelled; the master is as it was before the batch."""


class RefusalKind(StrEnum):
    """Why a file was refused, as a screen acts on it (never read from the message)."""

    PASSPHRASE = "passphrase"  # encrypted and no passphrase, or the wrong one: ask for it
    FILE = "file"  # anything else: the message says what


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
    refusal_kind: RefusalKind | None = None

    @property
    def merged(self) -> bool:
        return self.refusal is None


@dataclass(frozen=True)
class MergeReport:
    sources: tuple[SourceOutcome, ...]
    dry_run: bool
    snapshot: str | None = None
    new_conflicts: int = 0  # distinct new conflicts, however many files take part in each
    # Values changed on top of a lead's resolution, waiting for the lead's review (all of
    # them, not only this merge's: the lead sees how many are open).
    changed_after_resolution: int = 0
    when: str = field(default_factory=utc_now_iso)

    @property
    def refused(self) -> tuple[SourceOutcome, ...]:
        return tuple(s for s in self.sources if not s.merged)

    def to_json(self) -> dict[str, object]:
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
    master.db.wait_for_check()  # a big master opened beside its damage check: found sound
    steps = _Steps(progress or (lambda done, total, message: None), len(sources) * 2 + 1)
    is_cancelled = is_cancelled or (lambda: False)
    facts = MasterFacts.of(master)
    expected_schema()  # made once, here, before the checks that compare against it
    conn = master.db.raw
    folder = private_folder()
    attached: list[str] = []
    outcomes: dict[Path, SourceOutcome] = {}

    def copy(index: int, source: Path) -> Path:
        if is_cancelled():
            raise MergeCancelled("merge cancelled; the master is unchanged")
        # A short private name: a long source name plus "-journal" can pass the file system's
        # limit; messages name the source, never the copy.
        target = folder / f"{index}.inspection"
        copy_source(facts, source, target, (passphrases or {}).get(source))
        return target

    def check(source: Path, copied: Future[Path]) -> CheckedSource:
        target = copied.result()
        if is_cancelled():
            raise MergeCancelled("merge cancelled; the master is unchanged")
        return check_copy(facts, source, target, (passphrases or {}).get(source))

    try:
        prepare_staging(conn)
        with ThreadPoolExecutor(max_workers=_CHECK_WORKERS, thread_name_prefix="check") as pool:
            # Every file is read from its stick before the master is locked for writing, so
            # a slow drive never holds the master: only the checks of the copies overlap it.
            steps.say(f"Copying {len(sources)} file{'s' if len(sources) != 1 else ''}")
            copies = [pool.submit(copy, i, source) for i, source in enumerate(sources)]
            wait(copies)
            futures = [pool.submit(check, s, c) for s, c in zip(sources, copies, strict=True)]
            try:
                steps.say(f"Checking {len(sources)} file{'s' if len(sources) != 1 else ''}")
                passed = _passed(sources, futures, outcomes, steps)
                if len(sources) <= _ATTACH_LIMIT:
                    feed: Iterable[tuple[CheckedSource, SourceRows]] = _attach_each(
                        conn, passed, attached
                    )
                else:
                    feed = _stage_all(conn, passed)

                def describe(
                    merged: list[SourceOutcome], conflicts: int, after: dict[str, object]
                ) -> str:
                    for outcome in merged:
                        outcomes[Path(outcome.path)] = outcome
                    sources_now = tuple(outcomes[s] for s in sources)
                    report = MergeReport(sources_now, dry_run=False, new_conflicts=conflicts)
                    return json.dumps({**report.to_json(), "after": after}, indent=2)

                undo = _UndoCopy(master, describe) if sources and not dry_run else None
                merged, new_conflicts, kept = _merge_all(
                    master, feed, dry_run, steps, is_cancelled, undo
                )
            finally:
                for future in futures:
                    future.cancel()
                for copied in copies:
                    copied.cancel()
        for outcome in merged:
            outcomes[Path(outcome.path)] = outcome
        report = MergeReport(
            tuple(outcomes[s] for s in sources),
            dry_run=dry_run,
            new_conflicts=new_conflicts,
            changed_after_resolution=0 if dry_run else count_changes_after_resolution(master),
        )
        if kept is not None:
            report = replace(report, snapshot=str(kept))
        if not dry_run:  # when each person's file last came back (the Fieldwork files page)
            record_merges(master, report.sources, report.when)
        steps.finish()
        return report
    finally:
        # Whatever happens here, the private copies go.
        for alias in attached:
            with contextlib.suppress(DatabaseError):
                detach(conn, alias)
        with contextlib.suppress(DatabaseError):
            clear_staging(conn)
        shutil.rmtree(folder, ignore_errors=True)


class _Steps:
    """Progress in steps: a check done, a file merged, the current values updated."""

    def __init__(self, report: ProgressFn, total: int) -> None:
        self._report, self.total, self.done = report, total, 0

    def say(self, message: str) -> None:
        self._report(self.done, self.total, message)

    def step(self, message: str) -> None:
        self.done = min(self.done + 1, self.total)
        self.say(message)

    def finish(self) -> None:
        self.done = self.total
        self.say("Done")


def _passed(
    sources: list[Path],
    futures: list[Future[CheckedSource]],
    outcomes: dict[Path, SourceOutcome],
    steps: _Steps,
) -> Iterator[CheckedSource]:
    """The sources that pass their checks, in the order given, each as soon as it has; a
    refusal in `outcomes` for each of the others."""
    for source, future in zip(sources, futures, strict=True):
        try:
            checked = future.result()
        except MergeCancelled:
            raise
        except Exception as exc:  # every failure of a source is a refusal, not a crash
            refusal = refusal_message(exc, source)
            kind = (
                RefusalKind.PASSPHRASE
                if isinstance(exc, PassphraseNeeded | WrongPassphrase)
                else RefusalKind.FILE
            )
            outcomes[source] = SourceOutcome(str(source), None, refusal=refusal, refusal_kind=kind)
            steps.step(f"Refused {source.name}")
            continue
        steps.step(f"Checked {source.name}")
        yield checked


def _attach_each(
    conn: Connection, passed: Iterable[CheckedSource], attached: list[str]
) -> Iterator[tuple[CheckedSource, SourceRows]]:
    """Attach each checked copy read-only where it is, inside the merge's transaction (so the
    union of one file overlaps with the checks of the next); detached after it."""
    for source in passed:
        alias = f"source_{len(attached)}"
        attach_copy(conn, source.copy, alias, source.passphrase)
        attached.append(alias)
        yield source, attached_rows(alias, source.revisions)


def _stage_all(
    conn: Connection, passed: Iterable[CheckedSource]
) -> list[tuple[CheckedSource, SourceRows]]:
    """More files than SQLite attaches at once: copy each one's rows into memory (temp
    tables), attached only while copying, before the transaction begins."""
    return [(source, stage_copy(conn, source.copy, source.passphrase)) for source in passed]


def _merge_all(
    master: InspectionFile,
    feed: Iterable[tuple[CheckedSource, SourceRows]],
    dry_run: bool,
    steps: _Steps,
    is_cancelled: CancelFn,
    undo: _UndoCopy | None = None,
) -> tuple[list[SourceOutcome], int, Path | None]:
    """Append each source's new revisions in turn, then recompute the current values of
    every key they touched in one pass, all in one transaction. Nothing a source holds is
    run: triggers and views are denied while the transaction reads the sources. Returns
    the outcomes, the number of new conflicts and the undo copy kept (None when the merge
    changed nothing). The undo copy is taken once the write lock is held and kept, with what
    the master holds afterwards, before the commit: a merge never lands without it."""
    conn = master.db.raw
    outcomes: list[SourceOutcome] = []
    added: list[tuple[int, int, int]] = []  # (index in outcomes, first rowid, last rowid)
    new_conflicts = 0
    conn.set_authorizer(deny_trigger_and_view_actions)
    conn.execute("BEGIN IMMEDIATE")
    try:
        setup = None
        if undo is not None:
            undo.take()
            # The merge changes no set-up table: their digest is read now, while the first
            # files are still being checked, like the count below.
            setup = setup_digest(conn)
        start = last_rowid(conn)
        # Read while the first files are still being checked, like the keys touched below.
        count, latest = count_and_newest_stamp(conn)
        newest_merged = None
        settled: dict[int, Settled] = {}  # outcome index -> the copy's current values
        marks: dict[str, Mark] = {}  # by replica: how far each file merged is now merged
        clear_touched(conn)
        for source, rows in feed:  # the feed may still be checking the next files
            steps.step(f"Merging {source.original.name}")
            if is_cancelled():
                raise MergeCancelled("merge cancelled; the master is unchanged")
            outcome, first, last = _union(conn, rows, source)
            if outcome.merged:
                _keep_mark(marks, source)
            if last >= first:
                index = len(outcomes)
                added.append((index, first, last))
                claim = mark_touched(conn, rows, index, first, last)
                if claim is not None:
                    settled[index] = claim
                newest_merged = max(
                    filter(None, (newest_merged, _newest_added(conn, rows, source, first, last))),
                    default=None,
                )
            outcomes.append(outcome)
        if is_cancelled():
            raise MergeCancelled("merge cancelled; the master is unchanged")
        if added:
            steps.say("Updating current values")
            outcomes, new_conflicts = _recompute_and_count(conn, outcomes, added, start, settled)
            # With the revisions, in the same transaction: an undo puts back both.
            record_marks(conn, marks.values())
        kept = None
        if undo is not None and added:
            after: dict[str, object] = {
                "revisions": count + sum(o.new_revisions for o in outcomes),
                "latest": max(filter(None, (latest, newest_merged)), default=None),
                "setup": setup,
            }
            kept = undo.keep(outcomes, new_conflicts, after)
        conn.execute("ROLLBACK" if dry_run else "COMMIT")
    except DatabaseError as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise storage_error(master.path, exc) from exc
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    finally:
        conn.set_authorizer(None)
        if undo is not None:
            undo.drop()
    if not dry_run:
        # The clock has seen everything older; only the stamps just merged are new to it.
        master.clock.observe(newest_merged)
    return outcomes, new_conflicts, kept


class _UndoCopy:
    """The copy of the master a merge can be undone to: taken inside the merge's write lock
    (an edit saved in another window meanwhile is in it, or waits for the merge), and kept,
    described, just before the merge commits. A copy taken for a merge that changed nothing
    is dropped, and the previous merge's undo copy stays."""

    def __init__(
        self,
        master: InspectionFile,
        describe: Callable[[list[SourceOutcome], int, dict[str, object]], str],
    ) -> None:
        self.master, self.describe = master, describe
        self.pending: Path | None = None

    def take(self) -> None:
        self.pending = take_snapshot(self.master)

    def keep(self, outcomes: list[SourceOutcome], conflicts: int, after: dict[str, object]) -> Path:
        assert self.pending is not None
        kept = keep_snapshot(
            self.pending, self.master.path, self.describe(outcomes, conflicts, after)
        )
        self.pending = None
        return kept

    def drop(self) -> None:
        if self.pending is not None:
            self.pending.unlink(missing_ok=True)
            self.pending = None


def _keep_mark(marks: dict[str, Mark], source: CheckedSource) -> None:
    """Note how far a merged file is merged now: all it holds (a file given twice in one
    batch, in two versions, keeps the newer's)."""
    history = source.history
    if not source.replica_id or history is None or history.stamp is None:
        return
    held = marks.get(source.replica_id)
    if held is None or str(held.history.stamp) < history.stamp:
        marks[source.replica_id] = Mark(source.replica_id, source.owner_id, history)


def _union(
    conn: Connection, rows: SourceRows, source: CheckedSource
) -> tuple[SourceOutcome, int, int]:
    """Append one source's revisions that the master lacks, with their parent links (inside
    the caller's transaction). Appended rows take the next rowids, so what this source
    added is the rowid range returned with its outcome."""
    name = source.original.name
    refusal = _refusal(conn, name, source, rows)
    if refusal:
        outcome = SourceOutcome(
            str(source.original), source.owner_name, refusal=refusal, refusal_kind=RefusalKind.FILE
        )
        return outcome, 1, 0
    first, last = append_revisions(conn, rows)
    if last < first:
        return SourceOutcome(str(source.original), source.owner_name), 1, 0
    append_links(conn, rows, first, last)
    if rows.all_new(first, last):
        cases = len(source.case_keys - {None})
    else:
        cases = cases_appended(conn, first)
    outcome = SourceOutcome(
        str(source.original),
        source.owner_name,
        new_revisions=last - first + 1,
        cases_touched=cases,
    )
    return outcome, first, last


def _newest_added(
    conn: Connection, rows: SourceRows, source: CheckedSource, first: int, last: int
) -> str | None:
    """The newest stamp of the revisions just appended (rowids first..last): the file's
    newest when all of them were new (gathered while checking), else read. A revision the
    master already held keeps the master's stamp, whatever the file says of it."""
    if rows.all_new(first, last):
        return source.newest_stamp
    return newest_stamp_appended(conn, first, last)


def _recompute_and_count(
    conn: Connection,
    outcomes: list[SourceOutcome],
    added: list[tuple[int, int, int]],
    start: int,
    settled: Mapping[int, Settled],
) -> tuple[list[SourceOutcome], int]:
    """Recompute the current values of every key the batch touched (key by key, in key
    order), and count for each source the new conflicts it takes part in."""
    before = set(conflicted_touched_keys(conn))
    written, touched = recompute(conn, settled=settled)
    if written < touched:
        raise FileRefused(_looped(conn, outcomes, added, start))
    raised = [key for key in conflicted_touched_keys(conn) if key not in before]
    counts = dict.fromkeys(range(len(outcomes)), 0)
    for record_key in raised:
        for index in _sources_of(rowids_of_key_after(conn, record_key, start), added):
            counts[index] += 1
    return [replace(o, conflicts_raised=counts[i]) for i, o in enumerate(outcomes)], len(raised)


def _looped(
    conn: Connection, outcomes: list[SourceOutcome], added: list[tuple[int, int, int]], start: int
) -> str:
    """Why a value was left with no current revision: revisions that replace each other in a
    loop (which no real editing makes), naming the files they came from."""
    rowids = rowids_left_without_value(conn, start)
    names = {Path(outcomes[i].path).name for i in _sources_of(rowids, added)}
    return (
        f"{', '.join(sorted(names))}: revisions replace one another in a loop, which would "
        "leave an answer with no value; the file has been altered and is refused (nothing "
        "was merged)"
    )


def _sources_of(rowids: Iterable[int], added: list[tuple[int, int, int]]) -> set[int]:
    """Which sources (by index in the outcomes) appended these revisions (by rowid)."""
    return {index for rowid in rowids for index, first, last in added if first <= rowid <= last}


def _refusal(conn: Connection, name: str, source: CheckedSource, rows: SourceRows) -> str | None:
    """The revisions a source adds must be signed by the file's owner and lie on cases
    allocated to them (a re-issued file also carries the master's own revisions: those are
    already there and are not the owner's to answer for)."""
    allocated: set[str | None] = {
        row[0] for row in conn.execute(compiled.ALLOCATED_CASES, (source.owner_id,))
    }
    forged = count_new_review_not_theirs(conn, rows)
    if forged:
        return (
            f"{name}: {forged} review note revision(s) speak for someone other than the file's "
            f"owner ({source.owner_name}); the file has been altered and is refused"
        )
    if not source.foreign_revisions and source.case_keys <= allocated:
        return None  # every revision is the owner's, on the owner's cases
    foreign = count_new_signed_by_others(conn, rows, source.owner_id)
    if foreign:
        return (
            f"{name}: {foreign} revision(s) are signed by someone other than the file's owner "
            f"({source.owner_name}); the file has been altered and is refused"
        )
    unallocated = len(
        {
            case_key or ""  # as one: no case, and a case key that is empty
            for case_key in case_keys_new_to_master(conn, rows)
            if case_key is None or case_key not in allocated
        }
    )
    if unallocated:
        return (
            f"{name}: holds answers on {unallocated} case(s) not allocated to "
            f"{source.owner_name}; allocate them in the master first, or ask for the right file"
        )
    return None
