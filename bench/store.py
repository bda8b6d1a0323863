"""The central store under a programme's load: publish 200 inspections of 40 cases (about 60
answers a case) into PostgreSQL, then compare one of them with the other 199; the same on the
SQLite store file in the same run, for comparison.

    .venv/bin/python bench/store.py [--inspections 200] [--cases 40] [--compares 50]
                                    [--postgres postgresql+psycopg://USER@HOST/DB] [--json]

Without --postgres a throw-away server is started in a temporary folder (initdb + pg_ctl, as
the tests do; durable: fsync on, as an office server runs). The inspections are made directly
as the publish function's input (tests/store/synthetic.py: seeded cases, every applicable
question answered, the findings computed by the report's code, the publication built by the
same builder as a master's); one real master made with the demo's code is also read and
published, to show the cost of reading a master beside the cost of writing it.

Prints the median (and the slowest) publish time per inspection and compare latency per
engine. Targets: publish <= 1 s per inspection, compare <= 200 ms on 200 inspections. With
--json, one object (bench/_report.py). Without a PostgreSQL server, SQLite alone is measured
and the exit status is 2.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("INSPECTOR_APP_HOME", tempfile.mkdtemp(prefix="inspector-bench-"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import _report

from inspector_app.core.demo import create_lead_demo
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.framework import load_builtin
from inspector_app.core.store.access import init_store, open_store
from inspector_app.core.store.compare import compare
from inspector_app.core.store.publication import Publication, publication_from_file
from inspector_app.core.store.publish import PUBLISHED, REPLACED, publish
from tests.store.pg_cluster import server_binaries, start_cluster
from tests.store.synthetic import synthetic_publication

PUBLISH_TARGET = 1.0  # seconds per inspection
COMPARE_TARGET = 0.2  # seconds, on 200 inspections


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def run_engine(
    address: str, publications: list[Publication], real: Publication, compares: int
) -> dict[str, list[float]]:
    """Publish everything, then compare one; each figure's runs in ms."""
    init_store(address, remember_it=False)
    with open_store(address) as store:
        publish_times = []
        for publication in publications:
            start = time.perf_counter()
            outcome = publish(store, publication)
            publish_times.append(time.perf_counter() - start)
            assert outcome.status == PUBLISHED
        middle = publications[len(publications) // 2]
        again = timed(lambda: publish(store, middle))  # unchanged: nothing written
        changed = dataclasses.replace(middle, report_final=not middle.report_final)
        replace_time = timed(lambda: publish(store, changed))
        real_times = [
            timed(lambda: publish(store, dataclasses.replace(real, inspection_id=uuid.uuid4().hex)))
            for _ in range(5)
        ]
        compare(store, middle)  # a warm connection, as in an open app
        compare_times = [timed(lambda: compare(store, middle)) for _ in range(compares)]
        comparison = compare(store, middle)
        assert comparison.inspections == len(publications) + 5
        assert publish(store, changed).status != REPLACED  # the same content again
    runs = {
        "publish": publish_times,
        "publish_unchanged": [again],
        "publish_replace": [replace_time],
        "publish_real_master": real_times,
        "compare": compare_times,
    }
    return {key: [t * 1000 for t in values] for key, values in runs.items()}


def real_master(folder: Path, cases: int) -> tuple[Publication, list[float]]:
    """A demo master (the team's files merged, every case complete) and the times (ms) to
    read its publication (cases, findings, conflicts) from the file."""
    master = create_lead_demo(folder / "demo", cases=cases, seed=2013, complete=True).master
    times = []
    publication = None
    for _ in range(5):
        start = time.perf_counter()
        with InspectionFile.open(master, readonly=True) as file:
            publication = publication_from_file(file)
        times.append((time.perf_counter() - start) * 1000)
    assert publication is not None
    return publication, times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inspections", type=int, default=200)
    parser.add_argument("--cases", type=int, default=40)
    parser.add_argument("--compares", type=int, default=50)
    parser.add_argument("--postgres", help="an existing, empty database (else a throw-away one)")
    _report.add_json_option(parser)
    ns = parser.parse_args()
    with _report.stdout_to_stderr(ns.json):
        framework = load_builtin("iaow-2013")
        start = time.perf_counter()
        publications = [
            synthetic_publication(
                framework, seed, cases=ns.cases, year=2024 + seed % 3, complex_share=1.0
            )
            for seed in range(ns.inspections)
        ]
        made = time.perf_counter() - start
        print(f"{len(publications)} inspections made in {made:.1f} s")
        folder = Path(tempfile.mkdtemp(prefix="inspector-store-bench-"))
        try:
            result = measure(ns, publications, folder)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        print_table(ns, result)
    if ns.json:
        _report.emit(result)
    if "PostgreSQL" not in result.facts["engines"]:
        return 2
    return 0 if result.goals_met() else 1


def measure(
    ns: argparse.Namespace, publications: list[Publication], folder: Path
) -> _report.Report:
    """Both engines' figures (PostgreSQL left out, with a note, when there is no server)."""
    answers = statistics.fmean(p.answer_count / len(p.cases) for p in publications)
    real, read_times = real_master(folder, ns.cases)
    read_time = statistics.median(read_times)
    print(
        f"{ns.inspections} inspections x {ns.cases} cases x {answers:.1f} answers a case "
        f"({sum(p.answer_count for p in publications)} answers); a real {ns.cases}-case "
        f"master reads in {read_time:.0f} ms ({real.answer_count} answers)"
    )
    out = _report.Report(
        "store",
        f"The central store: publish {ns.inspections} inspections of {ns.cases} cases, then "
        f"compare one with the rest, on PostgreSQL and SQLite",
        _report.parameters(ns),
    )
    out.facts.update(answers=sum(p.answer_count for p in publications), engines=[])
    out.add("read_master_ms", read_times, "ms", f"read a real {ns.cases}-case master")
    results = {}
    postgres = results_postgres(ns, publications, real)
    if postgres is None:
        out.notes.append("PostgreSQL left out: no server binary (initdb) found; give --postgres")
    else:
        results["PostgreSQL"] = postgres
    results["SQLite"] = run_engine(str(folder / "store.sqlite"), publications, real, ns.compares)
    for engine, runs in results.items():
        add_engine(out, engine, runs, read_time, ns.inspections + 5)
    return out


def results_postgres(
    ns: argparse.Namespace, publications: list[Publication], real: Publication
) -> dict[str, list[float]] | None:
    """The PostgreSQL runs, on --postgres or a throw-away durable server; None if neither."""
    if ns.postgres:
        return run_engine(ns.postgres, publications, real, ns.compares)
    bindir = server_binaries()
    if bindir is None:
        print("no PostgreSQL server binary (initdb) found; give --postgres URL")
        return None
    cluster = start_cluster(bindir, durable=True)
    try:
        cluster.admin("CREATE DATABASE bench_store")
        return run_engine(cluster.socket_address("bench_store"), publications, real, ns.compares)
    finally:
        cluster.stop()


def add_engine(
    out: _report.Report, engine: str, runs: dict[str, list[float]], read_ms: float, total: int
) -> None:
    """One engine's figures; the publish target counts reading the master as well."""
    key = engine.lower()
    out.facts["engines"].append(engine)
    out.add(f"{key}_publish_ms", runs["publish"], "ms", f"{engine}: publish per inspection")
    out.add(
        f"{key}_publish_and_read_ms",
        [t + read_ms for t in runs["publish"]],
        "ms",
        f"{engine}: publish plus reading the master",
        goals=[_report.at_most(PUBLISH_TARGET * 1000)],
    )
    out.add(
        f"{key}_unchanged_ms", runs["publish_unchanged"], "ms", f"{engine}: re-publish, unchanged"
    )
    out.add(f"{key}_replace_ms", runs["publish_replace"], "ms", f"{engine}: re-publish, replaced")
    out.add(
        f"{key}_real_master_ms",
        runs["publish_real_master"],
        "ms",
        f"{engine}: publish a real master's content",
    )
    out.add(
        f"{key}_compare_ms",
        runs["compare"],
        "ms",
        f"{engine}: compare on {total}",
        goals=[_report.at_most(COMPARE_TARGET * 1000)],
    )


def print_table(ns: argparse.Namespace, result: _report.Report) -> None:
    engines = result.facts["engines"]
    figures = result.figures
    print()
    print(f"{'':34}" + "".join(f"{e:>13}" for e in engines))
    rows = (
        ("publish per inspection, median", "publish_ms", "median"),
        ("publish per inspection, max", "publish_ms", "max"),
        ("re-publish, unchanged", "unchanged_ms", "median"),
        ("re-publish, replaced", "replace_ms", "median"),
        ("publish a real master's content", "real_master_ms", "median"),
        (f"compare on {ns.inspections + 5}, median", "compare_ms", "median"),
        (f"compare on {ns.inspections + 5}, max", "compare_ms", "max"),
    )
    for label, name, stat in rows:
        cells = "".join(f"{figures[f'{e.lower()}_{name}'][stat]:>10.1f} ms" for e in engines)
        print(f"{label:34}{cells}")
    for note in result.notes:
        print(f"note: {note}")
    print(
        f"\ntargets (publish incl. reading the master <= {PUBLISH_TARGET * 1000:.0f} ms, "
        f"compare <= {COMPARE_TARGET * 1000:.0f} ms): {'met' if result.goals_met() else 'NOT met'}"
    )


if __name__ == "__main__":
    sys.exit(main())
