"""The central store under a programme's load: publish 200 inspections of 40 cases (about 60
answers a case) into PostgreSQL, then compare one of them with the other 199; the same on the
SQLite store file in the same run, for comparison.

    .venv/bin/python bench/store.py [--inspections 200] [--cases 40] [--compares 50]
                                    [--postgres postgresql+psycopg://USER@HOST/DB]

Without --postgres a throw-away server is started in a temporary folder (initdb + pg_ctl, as
the tests do; durable: fsync on, as an office server runs). The inspections are made directly
as the publish function's input (tests/store/synthetic.py: seeded cases, every applicable
question answered, the findings computed by the report's code, the publication built by the
same builder as a master's); one real master made with the demo's code is also read and
published, to show the cost of reading a master beside the cost of writing it.

Prints the median (and 95th percentile) publish time per inspection and compare latency per
engine. Targets: publish <= 1 s per inspection, compare <= 200 ms on 200 inspections.
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


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def run_engine(
    address: str, publications: list[Publication], real: Publication, compares: int
) -> dict[str, float]:
    """Publish everything, then compare one; the figures in seconds."""
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
    return {
        "publish_median": statistics.median(publish_times),
        "publish_p95": percentile(publish_times, 0.95),
        "publish_unchanged": again,
        "publish_replace": replace_time,
        "publish_real_master_median": statistics.median(real_times),
        "compare_median": statistics.median(compare_times),
        "compare_p95": percentile(compare_times, 0.95),
    }


def real_master(folder: Path, cases: int) -> tuple[Publication, float]:
    """A demo master (the team's files merged, every case complete) and the median time to
    read its publication (cases, findings, conflicts) from the file."""
    master = create_lead_demo(folder / "demo", cases=cases, seed=2013, complete=True).master
    times = []
    publication = None
    for _ in range(5):
        start = time.perf_counter()
        with InspectionFile.open(master, readonly=True) as file:
            publication = publication_from_file(file)
        times.append(time.perf_counter() - start)
    assert publication is not None
    return publication, statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inspections", type=int, default=200)
    parser.add_argument("--cases", type=int, default=40)
    parser.add_argument("--compares", type=int, default=50)
    parser.add_argument("--postgres", help="an existing, empty database (else a throw-away one)")
    ns = parser.parse_args()

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
        return measure(ns, publications, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def measure(ns: argparse.Namespace, publications: list[Publication], folder: Path) -> int:
    """Both engines' figures, printed; 0 when the targets are met."""
    answers = statistics.fmean(p.answer_count / len(p.cases) for p in publications)
    real, read_time = real_master(folder, ns.cases)
    print(
        f"{ns.inspections} inspections x {ns.cases} cases x {answers:.1f} answers a case "
        f"({sum(p.answer_count for p in publications)} answers); a real {ns.cases}-case "
        f"master reads in {read_time * 1000:.0f} ms ({real.answer_count} answers)"
    )

    results: dict[str, dict[str, float]] = {}
    cluster = None
    if ns.postgres:
        postgres = ns.postgres
    else:
        bindir = server_binaries()
        if bindir is None:
            print("no PostgreSQL server binary (initdb) found; give --postgres URL")
            return 2
        cluster = start_cluster(bindir, durable=True)
        cluster.admin("CREATE DATABASE bench_store")
        postgres = cluster.socket_address("bench_store")
    try:
        results["PostgreSQL"] = run_engine(postgres, publications, real, ns.compares)
    finally:
        if cluster is not None:
            cluster.stop()
    results["SQLite"] = run_engine(str(folder / "store.sqlite"), publications, real, ns.compares)

    print()
    print(f"{'':34} {'PostgreSQL':>12} {'SQLite':>12}")
    rows = (
        ("publish per inspection, median", "publish_median"),
        ("publish per inspection, p95", "publish_p95"),
        ("re-publish, unchanged", "publish_unchanged"),
        ("re-publish, replaced", "publish_replace"),
        ("publish a real master's content", "publish_real_master_median"),
        (f"compare on {ns.inspections + 5}, median", "compare_median"),
        (f"compare on {ns.inspections + 5}, p95", "compare_p95"),
    )
    for label, key in rows:
        cells = "".join(f"{results[e][key] * 1000:>10.1f} ms" for e in ("PostgreSQL", "SQLite"))
        print(f"{label:34}{cells}")
    ok = all(
        r["publish_median"] + read_time <= PUBLISH_TARGET and r["compare_median"] <= COMPARE_TARGET
        for r in results.values()
    )
    print(
        f"\ntargets (publish incl. reading the master <= {PUBLISH_TARGET * 1000:.0f} ms, "
        f"compare <= {COMPARE_TARGET * 1000:.0f} ms): {'met' if ok else 'NOT met'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
