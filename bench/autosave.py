"""One answer save (revision + materialised head, committed with synchronous=FULL) against a
raw sqlite3 single-row commit with the same pragmas, measured in the same run.

    .venv/bin/python bench/autosave.py [--saves 300] [--json]

Prints the median time of each and their ratio (goal: ratio <= 2); with --json, one object
(bench/_report.py) with `ratio`.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

import _report

from inspector_app.core.cases.answers import set_answer
from inspector_app.core.cases.case_data import load_case
from inspector_app.core.demo import create_demo
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.framework import applies


def raw_commits(folder: Path, count: int) -> list[float]:
    conn = sqlite3.connect(folder / "raw.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("CREATE TABLE answer (id INTEGER PRIMARY KEY, value TEXT, note TEXT)")
    times = []
    for i in range(count):
        start = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "INSERT INTO answer (value, note) VALUES (?, ?)", ("yes" if i % 2 else "no", f"n{i}")
        )
        conn.execute("COMMIT")
        times.append(time.perf_counter() - start)
    conn.close()
    return times


def service_saves(fieldwork: Path, count: int, first: int = 0) -> list[float]:
    """`count` saves numbered from `first`; each note is new, so every save writes a
    revision (an unchanged answer returns early and would flatter the median)."""
    with InspectionFile.open(fieldwork) as file:
        case = next(iter(load_case(file, c) for c in _case_keys(file)))
        codes = [
            q.code
            for q in file.framework.questions()
            if q.scored
            and file.framework.scale_of(q).kind == "choice"
            and applies(q.applies_if, case.profile, {})
            and q.applies_if is None
        ]
        times = []
        for i in range(first, first + count):
            code = codes[i % len(codes)]
            value = "yes" if (i // len(codes)) % 2 else "no"
            start = time.perf_counter()
            changes = set_answer(file, case.key, code, value, f"evidence note {i}")
            times.append(time.perf_counter() - start)
            assert changes.answers, f"save {i} wrote nothing"
    return times


def _case_keys(file: InspectionFile) -> list[str]:
    from inspector_app.core.cases.status import case_summaries

    return [c.key for c in case_summaries(file)]


def measure(saves: int) -> tuple[list[float], list[float]]:
    """Raw commits and service saves in ms, interleaved in three rounds so disk conditions
    affect both alike."""
    raw: list[float] = []
    ours: list[float] = []
    with tempfile.TemporaryDirectory(dir=Path.cwd()) as tmp:
        folder = Path(tmp)
        demo = create_demo(folder / "demo", cases=60)
        for round_no in range(3):
            (folder / f"r{round_no}").mkdir()
            raw += raw_commits(folder / f"r{round_no}", saves // 3)
            ours += service_saves(demo.fieldwork[1], saves // 3, first=len(ours))
    return [t * 1000 for t in raw], [t * 1000 for t in ours]


def report(args: argparse.Namespace, raw: list[float], ours: list[float]) -> _report.Report:
    out = _report.Report(
        "autosave",
        "One answer save against a raw single-row commit, both synchronous=FULL, same run",
        _report.parameters(args),
    )
    out.add("raw_commit_ms", raw, "ms", "raw SQLite single-row commit")
    save = out.add(
        "save_ms",
        ours,
        "ms",
        "answer save through the services",
        baseline="raw_commit_ms",
        goals=[_report.at_most(2, on="ratio")],
    )
    out.top("ratio", save["ratio"])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--saves", type=int, default=300)
    _report.add_json_option(parser)
    args = parser.parse_args()
    with _report.stdout_to_stderr(args.json):
        raw, ours = measure(args.saves)
        raw_ms, ours_ms = statistics.median(raw), statistics.median(ours)
        print(f"raw sqlite3 single-row commit : median {raw_ms:.3f} ms ({len(raw)} commits)")
        print(f"answer save through services  : median {ours_ms:.3f} ms ({len(ours)} saves)")
        print(f"ratio                         : {ours_ms / raw_ms:.2f} (goal <= 2)")
    if args.json:
        _report.emit(report(args, raw, ours))


if __name__ == "__main__":
    main()
