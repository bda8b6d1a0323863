"""Crash safety, proved: kill a process with SIGKILL at random moments and check the file.

    .venv/bin/python bench/crash.py [--kills 100] [--seed 1] [--only answers,merge,undo,purge]
                                    [--json]

`--kills` is per kind of operation. Each kind runs in a child process that the parent kills:

answers  A writer enters answers through the same service the GUI uses (answers.set_answer)
         and prints an acknowledgement after each one returns. Checked: integrity_check ok,
         every acknowledged answer present, no partial revision (every current value is its
         key's recomputed head).
merge    merge_files of three fieldwork files (with new answers) into the master. Checked: the
         master opens, integrity ok, its revisions are exactly the set before the merge or
         exactly the set a reference merge gave (never in between), current values agree
         with recompute.
undo     undo_last_merge (what `inspector-app merge --undo` calls) on a merged master.
         Checked: the master opens, integrity ok, it holds the merged revisions or the
         pre-merge ones, nothing else.
purge    purge_identifiers on a merged master. Checked: the master opens, integrity ok, the
         identifiers (case_identity, long_list_identity) are all there or all gone.

For merge, undo and purge the child prints READY right before it starts the operation and
DONE when it returns; the kill delay is counted from READY and drawn uniformly from 0 to 1.2x
the operation's measured time, so most kills land mid-operation (the table says how many
did). Every round starts from a pristine copy of the folder. Exit status 1 if any file was
corrupt, unopenable, lost an acknowledged answer, or was found in a mixed or partial state.
With --json, one object (bench/_report.py): per kind, `<kind>_damaged` (goal 0).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _report

WRITER = r"""
import random, sys
from inspector_app.core.cases.answers import set_answer
from inspector_app.core.framework import applies
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.cases.status import case_summaries
from inspector_app.core.cases.case_data import load_cases

path, seed = sys.argv[1], int(sys.argv[2])
rng = random.Random(seed)
file = InspectionFile.open(path)
targets = []
for case in load_cases(file):
    for q in file.framework.questions():
        if q.scored and q.applies_if is None:
            targets.append((case.key, q.code))
print("READY", flush=True)
n = 0
while True:
    key, code = rng.choice(targets)
    value = rng.choice(("yes", "no", "na"))
    note = f"note {seed}-{n} " + "x" * rng.randrange(0, 2000)
    set_answer(file, key, code, value, note)
    print(f"ACK {key} {code} {value} {seed}-{n}", flush=True)
    n += 1
"""

# The operation children: everything is imported and opened before READY, so the kill delay
# (counted from READY) falls on the operation itself, not on Python's start-up.
MERGER = r"""
import sys
from pathlib import Path
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.merge.run import merge_files

file = InspectionFile.open(sys.argv[1])
sources = [Path(p) for p in sys.argv[2:]]
print("READY", flush=True)
merge_files(file, sources)
print("DONE", flush=True)
file.close()
"""

UNDOER = r"""
import sys
from pathlib import Path
from inspector_app.core.files.merge_copy import undo_last_merge

master = Path(sys.argv[1])
print("READY", flush=True)
undo_last_merge(master)
print("DONE", flush=True)
"""

PURGER = r"""
import sys
from inspector_app.core.files.identity import purge_identifiers
from inspector_app.core.files.inspection_file import InspectionFile

file = InspectionFile.open(sys.argv[1])
print("READY", flush=True)
purge_identifiers(file)
print("DONE", flush=True)
file.close()
"""

KINDS = ("answers", "merge", "undo", "purge")
OPERATION_CASES = 60  # demo size for merge, undo and purge
EXTRA_ANSWERS = 40  # new answers added to each fieldwork file before merging
CALIBRATION_RUNS = 3  # uninterrupted runs per operation, to time it
DELAY_STRETCH = 1.2  # kill delays are drawn from 0 .. this times the operation's time
IDENTITY_TABLES = ("case_identity", "long_list_identity")


@dataclass
class Tally:
    """What one kind of kill found. `before_done`/`after_done` show whether the kills hit the
    operation; `found_old`/`found_new` which of the two allowed states the file was in."""

    kills: int = 0
    acknowledged: int = 0
    corrupt: int = 0
    lost: int = 0
    partial: int = 0
    mixed: int = 0  # neither the state before the operation nor the state after it
    unopenable: int = 0
    before_done: int = 0
    after_done: int = 0
    found_old: int = 0
    found_new: int = 0
    op_seconds: float | None = None
    notes: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)

    @property
    def bad(self) -> int:
        return self.corrupt + self.lost + self.partial + self.mixed + self.unopenable


# -- answers: the original writer bench -----------------------------------------------------


def run_writer(path: Path, seed: int, delay: float) -> list[tuple[str, str, str, str]]:
    """Start a writer, kill it after `delay` seconds of writing, return its acknowledgements."""
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), str(seed)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert proc.stdout is not None
    first = proc.stdout.readline()
    if first.strip() != "READY":
        proc.kill()
        raise RuntimeError(f"writer failed to start: {first!r}")
    time.sleep(delay)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    acks = []
    for line in proc.stdout.read().splitlines():
        parts = line.split()
        if len(parts) == 5 and parts[0] == "ACK":
            acks.append((parts[1], parts[2], parts[3], parts[4]))
    return acks


def values_consistent(conn: Any) -> bool:
    """Every current value points at a stored revision and is its key's recomputed head: a
    torn write would leave one pointing at a half-written or superseded state."""
    from inspector_app.core.revisions.log import recompute

    before = conn.execute("SELECT * FROM current_value ORDER BY record_key").fetchall()
    orphans = conn.execute(
        "SELECT count(*) FROM current_value c"
        " WHERE NOT EXISTS (SELECT 1 FROM revision r WHERE r.id = c.revision_id)"
    ).fetchone()[0]
    conn.execute("BEGIN")
    recompute(conn, [row[0] for row in before])
    after = conn.execute("SELECT * FROM current_value ORDER BY record_key").fetchall()
    conn.execute("ROLLBACK")
    return before == after and not orphans


def check(path: Path, acks: list[tuple[str, str, str, str]], tally: Tally) -> None:
    """After a kill: the file is sound, every acknowledged answer is there, nothing partial."""
    from inspector_app.core.files.inspection_file import InspectionFile
    from inspector_app.core.revisions import ids
    from inspector_app.core.revisions.log import Kind

    with InspectionFile.open(path) as file:
        conn = file.db.raw
        if conn.execute("PRAGMA integrity_check").fetchall() != [("ok",)]:
            tally.corrupt += 1
            return
        for case_key, code, value, tag in acks:
            key = ids.record_key(case_key, Kind.ANSWER, code)
            found = conn.execute(
                "SELECT count(*) FROM revision WHERE record_key = ? AND value = ? AND note LIKE ?",
                (key, f'"{value}"', f"note {tag} %"),
            ).fetchone()[0]
            if found != 1:
                tally.lost += 1
        if not values_consistent(conn):
            tally.partial += 1


def crash_test(kills: int, seed: int, folder: Path, report: Callable[[str], Any] = print) -> Tally:
    """Kill the answer writer `kills` times; the file carries on from each kill."""
    from inspector_app.core.demo import create_demo

    demo = create_demo(folder / "demo", cases=12, seed=seed)
    path = demo.fieldwork[0]
    rng = random.Random(seed)
    tally = Tally()
    for kill in range(kills):
        acks = run_writer(path, seed * 100_000 + kill, rng.uniform(0.05, 0.6))
        tally.kills += 1
        tally.acknowledged += len(acks)
        check(path, acks, tally)
        if (kill + 1) % 10 == 0:
            report(f"  answers {kill + 1} kills: {summary(tally)}")
    return tally


# -- merge, undo, purge: one operation per child, killed mid-way ----------------------------


@dataclass(frozen=True)
class ChildRun:
    done: bool  # the operation returned (DONE printed) before the kill
    seconds: float | None  # READY to DONE, as the parent saw it


def run_child(script: str, args: list[str], delay: float | None, tmp: Path) -> ChildRun:
    """Run an operation child; kill it `delay` seconds after READY (None: let it finish).
    The child's temporary files (merge's private copies) go to `tmp`, which is reset with
    the round, so killed merges leave nothing in the system's temp folder."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "TMPDIR": str(tmp)}
    proc = subprocess.Popen(
        [sys.executable, "-c", script, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    first = proc.stdout.readline()
    if first.strip() != "READY":
        proc.kill()
        _, err = proc.communicate()
        raise RuntimeError(f"child failed to start: {first!r}\n{err}")
    ready = time.monotonic()
    if delay is None:
        return _finish(proc, ready)
    time.sleep(delay)
    os.kill(proc.pid, signal.SIGKILL)
    out, err = proc.communicate()
    done = "DONE" in out.split()
    if proc.returncode not in (0, -signal.SIGKILL) or (proc.returncode == 0 and not done):
        raise RuntimeError(f"child failed (exit {proc.returncode}):\n{err}")
    return ChildRun(done, None)


def _finish(proc: subprocess.Popen[str], ready: float) -> ChildRun:
    """Wait for an uninterrupted child, timing READY to DONE."""
    assert proc.stdout is not None
    line = proc.stdout.readline()
    seconds = time.monotonic() - ready
    _, err = proc.communicate()
    if line.strip() != "DONE" or proc.returncode != 0:
        raise RuntimeError(f"operation failed (exit {proc.returncode}): {line!r}\n{err}")
    return ChildRun(True, seconds)


def reset(pristine: Path, work: Path, tmp: Path) -> None:
    """Start a round from the pristine folder, at the same path every round (the session
    marker then sees a file closed properly where it was last opened)."""
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(pristine, work)
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()


def assert_closed(folder: Path) -> None:
    """A pristine folder must hold only closed files: a -wal copied along would carry state
    from one round into the next."""
    sides = [p.name for p in folder.iterdir() if p.name.endswith(("-wal", "-shm", "-journal"))]
    if sides:
        raise RuntimeError(f"{folder}: files still open, cannot be pristine: {sides}")


def freeze(work: Path, pristine: Path) -> None:
    """Keep a finished folder as a pristine copy."""
    assert_closed(work)
    shutil.rmtree(pristine, ignore_errors=True)
    shutil.copytree(work, pristine)


def revision_ids(conn: Any) -> frozenset[tuple[str, str]]:
    """The master's revisions, by key (a revision is stored once per record key and id)."""
    return frozenset(conn.execute("SELECT record_key, id FROM revision").fetchall())


def identity_counts(conn: Any) -> tuple[int, ...]:
    return tuple(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in IDENTITY_TABLES)


def read_state(master: Path, reader: Callable[[Any], Any]) -> Any:
    """Open the master the way the app does and read one state from it."""
    from inspector_app.core.files.inspection_file import InspectionFile

    with InspectionFile.open(master) as file:
        return reader(file.db.raw)


@dataclass(frozen=True)
class Operation:
    """One kind of operation to kill: its child, the folder it starts from, and the only two
    states the master may be found in afterwards."""

    kind: str
    script: str
    args: tuple[str, ...]  # file names inside the work folder; the first is the master
    pristine: Path
    reader: Callable[[Any], Any]
    old: Any
    new: Any
    seconds: float


@dataclass(frozen=True)
class Place:
    """Where the rounds run: the work folder (same path every round) and the children's temp."""

    work: Path
    tmp: Path

    def paths(self, names: tuple[str, ...]) -> list[str]:
        return [str(self.work / name) for name in names]


def add_answers(path: Path, count: int, rng: random.Random) -> None:
    """New answers in a fieldwork file, so the merge has more to bring in."""
    from inspector_app.core.cases.answers import set_answer
    from inspector_app.core.cases.case_data import load_cases
    from inspector_app.core.files.inspection_file import InspectionFile

    with InspectionFile.open(path) as file:
        targets = [
            (case.key, q.code)
            for case in load_cases(file)
            for q in file.framework.questions()
            if q.scored and q.applies_if is None
        ]
        for n in range(count):
            key, code = rng.choice(targets)
            note = f"crash bench {n} " + "x" * rng.randrange(0, 500)
            set_answer(file, key, code, rng.choice(("yes", "no")), note)


def calibrate(
    script: str, args: tuple[str, ...], pristine: Path, place: Place, reader: Callable[[Any], Any]
) -> tuple[float, Any]:
    """Run the operation uninterrupted a few times: its median time, and the state it leaves
    (the same every time, else there is no single 'after' to compare with)."""
    times, states = [], []
    for _ in range(CALIBRATION_RUNS):
        reset(pristine, place.work, place.tmp)
        times.append(run_child(script, place.paths(args), None, place.tmp).seconds or 0.0)
        states.append(read_state(place.work / args[0], reader))
    if any(state != states[0] for state in states):
        raise RuntimeError(f"{args}: uninterrupted runs left different states")
    return statistics.median(times), states[0]


def make_demo(folder: Path, seed: int) -> tuple[str, ...]:
    """A master and three fieldwork files with answers the master lacks; returns the merge's
    arguments (master first) as names inside `folder`."""
    from inspector_app.core.demo import create_demo

    demo = create_demo(folder, cases=OPERATION_CASES, seed=seed)
    rng = random.Random(seed)
    for path in demo.fieldwork:
        add_answers(path, EXTRA_ANSWERS, rng)
    assert_closed(folder)
    return (demo.master.name, *(p.name for p in demo.fieldwork))


def state_in(pristine: Path, master: str, place: Place, reader: Callable[[Any], Any]) -> Any:
    """A state of a pristine master, read from a copy in the work folder (opening the
    pristine file itself would move its session marker)."""
    reset(pristine, place.work, place.tmp)
    return read_state(place.work / master, reader)


def prepare(folder: Path, seed: int, place: Place) -> dict[str, Operation]:
    """Build the pristine folders (demo; demo merged) and time each operation on them."""
    before = folder / "pristine-demo"
    merge_args = make_demo(before, seed)
    master = merge_args[0]
    old_revisions = state_in(before, master, place, revision_ids)
    merge_time, merged_revisions = calibrate(MERGER, merge_args, before, place, revision_ids)
    # The folder after an uninterrupted merge (master, undo copy, fieldwork) is where undo
    # and purge start.
    if not old_revisions < merged_revisions:
        raise RuntimeError("the reference merge brought in no new revisions")
    merged = folder / "pristine-merged"
    freeze(place.work, merged)
    undo_time, undone = calibrate(UNDOER, (master,), merged, place, revision_ids)
    if undone != old_revisions:
        raise RuntimeError("an uninterrupted undo did not give back the pre-merge revisions")
    identities = state_in(merged, master, place, identity_counts)
    purge_time, purged = calibrate(PURGER, (master,), merged, place, identity_counts)
    if sum(identities) == 0 or sum(purged) != 0:
        raise RuntimeError(f"purge reference: identifiers {identities} -> {purged}")
    return {
        "merge": Operation(
            kind="merge",
            script=MERGER,
            args=merge_args,
            pristine=before,
            reader=revision_ids,
            old=old_revisions,
            new=merged_revisions,
            seconds=merge_time,
        ),
        "undo": Operation(
            kind="undo",
            script=UNDOER,
            args=(master,),
            pristine=merged,
            reader=revision_ids,
            old=merged_revisions,
            new=old_revisions,
            seconds=undo_time,
        ),
        "purge": Operation(
            kind="purge",
            script=PURGER,
            args=(master,),
            pristine=merged,
            reader=identity_counts,
            old=identities,
            new=purged,
            seconds=purge_time,
        ),
    }


def inspect_master(op: Operation, master: Path) -> tuple[str, str]:
    """After a kill: ('old' | 'new' | a failure kind, what was found)."""
    from inspector_app.core.files.inspection_file import InspectionFile

    try:
        file = InspectionFile.open(master)
    except Exception as exc:  # the point is to report whatever stops it opening
        return "unopenable", f"{type(exc).__name__}: {exc}"
    with file:
        conn = file.db.raw
        integrity = conn.execute("PRAGMA integrity_check").fetchall()
        if integrity != [("ok",)]:
            return "corrupt", f"integrity_check: {integrity[:3]}"
        state = op.reader(conn)
        consistent = values_consistent(conn)
    if state == op.old:
        found = "old"
    elif state == op.new:
        found = "new"
    else:
        return "mixed", describe_mixed(op, state)
    if not consistent:
        return "partial", f"{found} state, but current values disagree with recompute"
    return found, found


def describe_mixed(op: Operation, state: Any) -> str:
    """What an in-between state looked like, in numbers."""
    if isinstance(state, frozenset):
        return (
            f"{len(state)} revisions: {len(state & op.old)} of the {len(op.old)} before, "
            f"{len(state & op.new)} of the {len(op.new)} after"
        )
    return f"{dict(zip(IDENTITY_TABLES, state, strict=True))}, before {op.old}, after {op.new}"


def temp_files(work: Path) -> list[str]:
    """Hidden temporary files beside the master (a copy being written, an undo copy not yet
    kept); opening the master for editing is meant to remove those a killed process left."""
    return [p.name for p in work.iterdir() if p.name.startswith(".") and ".tmp" in p.name]


def side_notes(op: Operation, work: Path, found: str) -> list[str]:
    """Leftovers that are not damage but worth seeing: a merge that committed without its
    undo copy (or without the description undo checks later edits against), a purge that
    left the undo copy (which holds identifiers)."""
    master = work / op.args[0]
    undo_copy = master.with_name(master.name + ".before-merge")
    notes = []
    if op.kind == "merge" and found == "new" and not undo_copy.exists():
        notes.append("merged, but no undo copy kept")
    if op.kind == "merge" and undo_copy.exists() and not Path(f"{undo_copy}.json").exists():
        notes.append("undo copy kept without the description written beside it")
    if op.kind == "purge" and found == "new" and undo_copy.exists():
        notes.append("identifiers purged, undo copy (with identifiers) still beside the master")
    if op.kind == "undo" and found == "old" and not undo_copy.exists():
        notes.append("merged state, but the undo copy is gone")
    return notes


def kill_operation(op: Operation, kills: int, seed: int, place: Place, report: Callable) -> Tally:
    """Kill `op` at random moments, from a pristine folder each time, and check the master."""
    rng = random.Random(f"{seed}:{op.kind}")
    tally = Tally(op_seconds=op.seconds)
    for kill in range(kills):
        reset(op.pristine, place.work, place.tmp)
        delay = rng.uniform(0, DELAY_STRETCH * op.seconds)
        run = run_child(op.script, place.paths(op.args), delay, place.tmp)
        tally.kills += 1
        if run.done:
            tally.after_done += 1
        else:
            tally.before_done += 1
        if temp_files(place.work):
            tally.notes["kill left a temporary file beside the master"] += 1
        found, detail = inspect_master(op, place.work / op.args[0])
        record(tally, found, detail, f"{op.kind} seed={seed} kill={kill} delay={delay:.6f}s")
        if temp_files(place.work):
            tally.notes["temporary file still there after opening the master"] += 1
        tally.notes.update(side_notes(op, place.work, found))
        if (kill + 1) % 10 == 0:
            report(f"  {op.kind} {kill + 1} kills: {summary(tally)}")
    return tally


def record(tally: Tally, found: str, detail: str, where: str) -> None:
    if found == "old":
        tally.found_old += 1
    elif found == "new":
        tally.found_new += 1
    else:
        setattr(tally, found, getattr(tally, found) + 1)
        tally.failures.append(f"{where}: {found}: {detail}")


def summary(tally: Tally) -> str:
    if tally.op_seconds is None:
        return f"acknowledged {tally.acknowledged}, bad {tally.bad}"
    return (
        f"mid-op {tally.before_done}, after {tally.after_done}, old {tally.found_old}, "
        f"new {tally.found_new}, bad {tally.bad}"
    )


def run_all(
    kinds: list[str], kills: int, seed: int, folder: Path, report: Callable[[str], Any] = print
) -> dict[str, Tally]:
    """Every asked-for kind, `kills` kills each, tallied apart."""
    tallies: dict[str, Tally] = {}
    if "answers" in kinds:
        tallies["answers"] = crash_test(kills, seed, folder / "answers", report)
    wanted = [kind for kind in kinds if kind != "answers"]
    if wanted:
        place = Place(folder / "work", folder / "tmp")
        ops = prepare(folder, seed, place)
        for kind in wanted:
            op = ops[kind]
            report(f"  {kind}: uninterrupted run takes {op.seconds * 1000:.1f} ms")
            tallies[kind] = kill_operation(op, kills, seed, place, report)
    return tallies


# -- output ----------------------------------------------------------------------------------

COLUMNS = (
    ("kind", 8),
    ("kills", 6),
    ("op ms", 7),
    ("mid-op", 7),
    ("after", 6),
    ("found old", 10),
    ("found new", 10),
    ("acked", 6),
    ("corrupt", 8),
    ("unopenable", 11),
    ("lost", 5),
    ("mixed", 6),
    ("partial", 8),
)


def table_row(kind: str, t: Tally) -> list[str]:
    op = kind != "answers"
    dash = "-"
    return [
        kind,
        str(t.kills),
        f"{t.op_seconds * 1000:.1f}" if t.op_seconds is not None else dash,
        str(t.before_done) if op else dash,
        str(t.after_done) if op else dash,
        str(t.found_old) if op else dash,
        str(t.found_new) if op else dash,
        str(t.acknowledged) if not op else dash,
        str(t.corrupt),
        str(t.unopenable),
        str(t.lost) if not op else dash,
        str(t.mixed) if op else dash,
        str(t.partial),
    ]


def print_report(tallies: dict[str, Tally], seed: int) -> None:
    widths = [w for _, w in COLUMNS]
    print(" ".join(name.rjust(w) for name, w in COLUMNS))
    for kind, tally in tallies.items():
        print(
            " ".join(cell.rjust(w) for cell, w in zip(table_row(kind, tally), widths, strict=True))
        )
    for kind, tally in tallies.items():
        for note, count in sorted(tally.notes.items()):
            print(f"note: {kind}: {count} x {note}")
        for failure in tally.failures:
            print(f"FAILED {failure}")
    kills = sum(t.kills for t in tallies.values())
    bad = {
        name: sum(getattr(t, name) for t in tallies.values())
        for name in ("corrupt", "unopenable", "lost", "mixed", "partial")
    }
    verdict = "FAIL" if any(bad.values()) else "OK"
    listing = ", ".join(f"{name} {count}" for name, count in bad.items())
    print(f"total (seed {seed}): kills {kills}, {listing}: {verdict}")


def parse_kinds(text: str) -> list[str]:
    kinds = [k.strip() for k in text.split(",") if k.strip()]
    unknown = [k for k in kinds if k not in KINDS]
    if unknown or not kinds:
        raise argparse.ArgumentTypeError(f"choose from {','.join(KINDS)}; not {unknown}")
    return kinds


def report(args: argparse.Namespace, tallies: dict[str, Tally]) -> _report.Report:
    """Per kind: the files found damaged (goal: none), with what the kills hit as facts."""
    out = _report.Report(
        "crash",
        f"SIGKILL at random moments, {args.kills} kills per kind of operation, file checked",
        _report.parameters(args),
    )
    for kind, tally in tallies.items():
        facts: dict[str, Any] = {"kills": tally.kills}
        if tally.op_seconds is None:
            facts["acknowledged"] = tally.acknowledged
        else:
            facts.update(
                op_ms=round(tally.op_seconds * 1000, 1),
                mid_op=tally.before_done,
                after=tally.after_done,
                found_old=tally.found_old,
                found_new=tally.found_new,
            )
        out.facts[kind] = facts
        out.add(
            f"{kind}_damaged",
            [tally.bad],
            "files",
            f"{kind}: files damaged (corrupt, would not open, lost, mixed, partial)",
            goals=[_report.at_most(0)],
        )
        out.notes += [f"{kind}: {count} x {note}" for note, count in sorted(tally.notes.items())]
    out.top("damaged", sum(t.bad for t in tallies.values()))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--kills", type=int, default=100, help="kills per kind of operation")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", type=parse_kinds, default=list(KINDS), help=",".join(KINDS))
    _report.add_json_option(parser)
    args = parser.parse_args()
    with _report.stdout_to_stderr(args.json):
        with tempfile.TemporaryDirectory() as tmp:
            tallies = run_all(args.only, args.kills, args.seed, Path(tmp))
        print_report(tallies, args.seed)
    if args.json:
        _report.emit(report(args, tallies))
    sys.exit(1 if any(t.bad for t in tallies.values()) else 0)


if __name__ == "__main__":
    main()
