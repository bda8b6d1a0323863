"""Levers on the full merge (bench/merge.py's data), each against the baseline of the same run.

    .venv/bin/python bench/merge_levers.py [--files 10] [--cases 200] [--answers 150] [--runs 3]
                                           [--json]

Each round, on fresh copies of the master: the raw floor (ATTACH + plain INSERT ... SELECT of
the revisions into an unindexed table, as bench/merge.py), the merge as it is, then the merge
with one lever:

  (a) processes: each file checked in a worker process (a pool of two, forked before the
      merge starts, its start-up and the pickling of what goes in and out counted) instead of
      a thread of the merge's own process;
  (b) keys in SQL: the check that every value's key is the uuid5 of its case, kind and field
      (the one check left in Python over rows) as one SQL statement over the copy, the hash
      a registered function, instead of a Python loop over the keys. SQLite calls the
      function once a key, and each call takes Python's lock back from the other checks'
      threads;
  (d) sorted append: the revisions appended in their key's order, so the key's index is
      filled in order instead of at random places.

And (c), a prototype of a file format change: the revision table keyed WITHOUT ROWID on 16-byte
BLOB ids against today's TEXT ids (a rowid table and a separate key index), the same rows:
the raw floor (into an unindexed table) and an append (INSERT OR IGNORE ... SELECT into the
keyed table) of every file, for each layout.

Rounds alternate the variants, each in turn first, so a busier moment of a shared machine
(or a first run's cold caches) falls on all of them.
Each merge's processor time (all threads, and the worker processes) is kept beside its wall
time: a lever may save one and not the other. With --json, one object (bench/_report.py):
each lever's median and its ratio to the floor, its processor time against the merge's, and
`baseline_ratio`.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import multiprocessing
import resource
import shutil
import statistics
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import _report
import merge as merge_bench

from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.merge import checks, run
from inspector_app.core.merge.run import merge_files
from inspector_app.core.revisions import ids, union
from inspector_app.core.revisions.tables import in_schema
from inspector_app.core.storage.dbapi import driver  # the SQLite the app runs (unhex)

LEVERS = ("processes", "keys_in_sql", "sorted_append")


# -- (a) checks in worker processes --------------------------------------------------------------


@contextlib.contextmanager
def checks_in_processes() -> Iterator[None]:
    """Each check runs in one of two forked worker processes; the merge's threads only wait.
    The pool is forked before the merge starts any thread (SQLite's locks must not be held by
    another thread at the fork), and shut down after the merge: both counted."""
    real = run.check_copy
    checks.expected_schema()  # made once, before the fork, as the merge does
    pool = ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context("fork"))
    list(pool.map(abs, range(2)))  # both workers started now
    run.check_copy = lambda *args: pool.submit(checks.check_copy, *args).result()
    try:
        yield
    finally:
        run.check_copy = real
        pool.shutdown()


# -- (b) the key check in SQL -------------------------------------------------------------------

_WRONG_KEY = (
    "SELECT field FROM current_value"
    " WHERE record_key IS NOT inspector_record_key(case_key, kind, field) LIMIT 1"
)


_PREFIX = ids.NAMESPACE.bytes + b"record\x1f"


def _made_key(case_key: object, kind: object, field: object) -> str:
    """The key the merge's own check makes (merge/validation.py), one call a key."""
    digest = hashlib.sha1(_PREFIX + f"{case_key or ''}\x1f{kind}\x1f{field}".encode()).digest()
    key = bytearray(digest)
    key[6] = (key[6] & 0x0F) | 0x50
    key[8] = (key[8] & 0x3F) | 0x80
    return key[:16].hex()


def _key_problem_in_sql(conn: Any) -> str | None:
    from inspector_app.core.revisions.checks import first_astray_field

    field = first_astray_field(conn)
    if field is None:
        conn.create_function("inspector_record_key", 3, _made_key, deterministic=True)
        try:
            row = conn.execute(_WRONG_KEY).fetchone()
        finally:
            conn.create_function("inspector_record_key", 3, None)
        field = None if row is None else row[0]
    return None if field is None else f"a revision of '{field}' carries the key of another value"


@contextlib.contextmanager
def keys_in_sql() -> Iterator[None]:
    real = checks.key_problem
    checks.key_problem = _key_problem_in_sql
    try:
        yield
    finally:
        checks.key_problem = real


# -- (d) revisions appended in their key's order -----------------------------------------------


@contextlib.contextmanager
def sorted_append() -> Iterator[None]:
    from sqlalchemy import insert, select

    from inspector_app.core.storage.statements import sqlite_sql

    real = union._append_revisions
    columns = union._REVISION_COLUMNS
    main = in_schema("main").revision

    def ordered(source: Any, staged: bool) -> str:
        s = source.alias("s")
        rows = select(*(s.c[name] for name in columns)).where(*union._share_of(s, staged))
        rows = rows.order_by(s.c.record_key, s.c.id)
        append = insert(main).prefix_with("OR IGNORE").from_select(columns, rows)
        return sqlite_sql(append, union._SHARE if staged else ())

    union._append_revisions = ordered  # type: ignore[assignment]
    try:
        yield
    finally:
        union._append_revisions = real


VARIANTS: dict[str, Callable[[], contextlib.AbstractContextManager[None]]] = {
    "processes": checks_in_processes,
    "keys_in_sql": keys_in_sql,
    "sorted_append": sorted_append,
}


def _cpu() -> float:
    """Processor time of this process (every thread) and of its children that ended."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def timed_merge(
    master: Path, sources: list[Path], work: Path, lever: str | None
) -> tuple[float, float]:
    """The wall time and the processor time of one merge (which a busy machine's other work
    does not inflate, as it does the wall time)."""
    copy = merge_bench.fresh_work(work) / "master.inspection"
    shutil.copy(master, copy)
    with InspectionFile.open(copy) as file:
        start, cpu = time.perf_counter(), _cpu()
        with VARIANTS[lever]() if lever else contextlib.nullcontext():
            report = merge_files(file, sources)
        elapsed, used = time.perf_counter() - start, _cpu() - cpu
    assert not report.refused, report.refused
    return elapsed, used


# -- (c) 16-byte BLOB ids, WITHOUT ROWID -------------------------------------------------------

_TEXT_TABLE = """CREATE TABLE {name} (id VARCHAR NOT NULL, record_key VARCHAR NOT NULL,
    kind VARCHAR NOT NULL, case_key VARCHAR, field VARCHAR NOT NULL, value VARCHAR,
    note TEXT DEFAULT '' NOT NULL, reason TEXT DEFAULT '' NOT NULL, author VARCHAR NOT NULL,
    hlc VARCHAR NOT NULL{key})"""
_BLOB_TABLE = """CREATE TABLE {name} (id BLOB NOT NULL, record_key BLOB NOT NULL,
    kind VARCHAR NOT NULL, case_key BLOB, field VARCHAR NOT NULL, value VARCHAR,
    note TEXT DEFAULT '' NOT NULL, reason TEXT DEFAULT '' NOT NULL, author BLOB NOT NULL,
    hlc VARCHAR NOT NULL{key}){rowid}"""
_KEY = ", PRIMARY KEY (record_key, id)"
_AS_BLOBS = (
    "SELECT unhex(id), unhex(record_key), kind, unhex(case_key), field, value, note, reason,"
    " unhex(author), hlc FROM source.revision ORDER BY record_key, id"
)


def blob_sources(sources: list[Path], folder: Path) -> list[Path]:
    """Each file's revisions in the BLOB layout, keyed WITHOUT ROWID (made once)."""
    folder.mkdir(exist_ok=True)
    made = []
    for source in sources:
        target = folder / source.name
        if not target.exists():
            conn = driver.connect(str(target), isolation_level=None)
            conn.execute(_BLOB_TABLE.format(name="revision", key=_KEY, rowid=" WITHOUT ROWID"))
            conn.execute("ATTACH DATABASE ? AS source", (str(source),))
            conn.execute(f"INSERT INTO revision {_AS_BLOBS}")
            conn.execute("DETACH DATABASE source")
            conn.execute("VACUUM")
            conn.close()
        made.append(target)
    return made


def layout_copy(sources: list[Path], blob: bool, keyed: bool, work: Path) -> float:
    """Append every file's revisions into a new table of one layout, in one transaction."""
    target = merge_bench.fresh_work(work) / "layout.sqlite"
    conn = driver.connect(str(target), isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    rowid = " WITHOUT ROWID" if blob and keyed else ""
    create = (_BLOB_TABLE if blob else _TEXT_TABLE).format(
        name="revision", key=_KEY if keyed else "", rowid=rowid
    )
    conn.execute(create)
    verb = "INSERT OR IGNORE" if keyed else "INSERT"
    start = time.perf_counter()
    for i, source in enumerate(sources):
        conn.execute(f"ATTACH DATABASE ? AS s{i}", (str(source),))
    conn.execute("BEGIN")
    for i in range(len(sources)):
        conn.execute(f"{verb} INTO revision SELECT * FROM s{i}.revision")
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


# -- the run -------------------------------------------------------------------------------------


def measure(args: argparse.Namespace) -> dict[str, list[float]]:
    folder = merge_bench.OUT / f"merge-{args.files}x{args.cases}x{args.answers}"
    master, sources = merge_bench.build(folder, args.files, args.cases, args.answers)
    work = folder / "levers"
    work.mkdir(exist_ok=True)
    blobs = blob_sources(sources, folder / "blob-ids")
    times: dict[str, list[float]] = {name: [] for name in ("floor", "merge", *LEVERS)}
    times.update({f"{name}_cpu": [] for name in ("merge", *LEVERS)})
    for name in ("floor_text", "floor_blob", "append_text", "append_blob"):
        times[name] = []
    for round_no in range(args.runs):
        copy = merge_bench.fresh_work(work) / "floor.inspection"
        shutil.copy(master, copy)
        times["floor"].append(merge_bench.floor(copy, sources))
        variants: list[str | None] = [None, *LEVERS]
        shift = round_no % len(variants)  # each variant takes each place in turn
        for lever in variants[shift:] + variants[:shift]:
            elapsed, used = timed_merge(master, sources, work, lever)
            times[lever or "merge"].append(elapsed)
            times[f"{lever or 'merge'}_cpu"].append(used)
        for blob, files in ((False, sources), (True, blobs)):
            kind = "blob" if blob else "text"
            times[f"floor_{kind}"].append(layout_copy(files, blob, False, work))
            times[f"append_{kind}"].append(layout_copy(files, blob, True, work))
        done = {k: round(v[-1], 3) for k, v in times.items()}
        print(f"round {round_no + 1}: {done}")
    return times


def report(args: argparse.Namespace, times: dict[str, list[float]]) -> _report.Report:
    out = _report.Report(
        "merge_levers",
        f"Levers on the merge of {args.files} files x {args.cases} cases x {args.answers} answers,"
        " each against the raw floor and the merge as it is, in the same run",
        _report.parameters(args),
    )
    out.add("floor_s", times["floor"], "s", "raw floor: ATTACH + plain INSERT")
    base = out.add("merge_s", times["merge"], "s", "merge as it is", baseline="floor_s")
    labels = {
        "processes": "(a) each file checked in a forked worker process",
        "keys_in_sql": "(b) the key check in SQL, the hash a registered function",
        "sorted_append": "(d) revisions appended in their key's order",
    }
    for lever in LEVERS:
        entry = out.add(f"{lever}_s", times[lever], "s", labels[lever], baseline="floor_s")
        out.facts[f"{lever}_against_merge"] = entry["median"] / base["median"]
    out.add("merge_cpu_s", times["merge_cpu"], "s", "processor time of the merge as it is")
    for lever in LEVERS:
        out.add(
            f"{lever}_cpu_s",
            times[f"{lever}_cpu"],
            "s",
            f"processor time, {labels[lever]}",
            baseline="merge_cpu_s",
        )
    out.add("floor_text_s", times["floor_text"], "s", "(c) floor, TEXT ids, unindexed")
    out.add(
        "floor_blob_s",
        times["floor_blob"],
        "s",
        "(c) floor, 16-byte BLOB ids, unindexed",
        baseline="floor_text_s",
    )
    out.add(
        "append_text_s",
        times["append_text"],
        "s",
        "(c) append into today's layout: rowid table, TEXT key index",
        baseline="floor_text_s",
    )
    out.add(
        "append_blob_s",
        times["append_blob"],
        "s",
        "(c) append into the BLOB layout, keyed WITHOUT ROWID",
        baseline="floor_text_s",
    )
    out.top("baseline_ratio", base["ratio"])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=10)
    parser.add_argument("--cases", type=int, default=200)
    parser.add_argument("--answers", type=int, default=150)
    parser.add_argument("--runs", type=int, default=3)
    _report.add_json_option(parser)
    args = parser.parse_args()
    with _report.stdout_to_stderr(args.json):
        times = measure(args)
        for name, values in times.items():
            print(f"{name:16s} median {statistics.median(values):.3f} s")
        result = report(args, times)
    if args.json:
        _report.emit(result)


if __name__ == "__main__":
    main()
