"""Merge 10 fieldwork files x 200 cases x 150 answers (300,000 answers) into a master.

    .venv/bin/python bench/merge.py [--files 10] [--cases 200] [--answers 150] [--runs 5]
                                    [--remerge [--new 10]] [--json]

Prints the median wall time of the whole merge (checks, undo copy, union, recompute) and the
ratio to the raw floor measured in the same run: ATTACH + plain INSERT INTO ... SELECT of the
same revision rows into an unindexed table. Goal: <= 1.5 s and ratio <= 5.
With --remerge: one file merged into a fresh master, `--new` revisions added to it, then the
same file merged again; the second merge over the first (goal <= 0.10, issue 23).
Test data is generated once into bench/out/ and reused. With --json, one object
(bench/_report.py): `median_s` and `ratio`, or with --remerge `remerge_fraction`.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import shutil
import sqlite3
import statistics
import time
from pathlib import Path
from typing import Any

import _report

from inspector_app.core.cases.status import case_summaries
from inspector_app.core.cases.team import add_member
from inspector_app.core.demo import write_sample_csv
from inspector_app.core.files.fieldwork_export import export_fieldwork
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.merge.checks import expected_schema
from inspector_app.core.merge.run import merge_files
from inspector_app.core.revisions import ids
from inspector_app.core.revisions.log import Kind, write_revision
from inspector_app.core.sample.placement import allocate_auto, import_sample

OUT = Path(__file__).resolve().parent / "out"


def build(folder: Path, files: int, cases: int, answers: int) -> tuple[Path, list[Path]]:
    """Master plus `files` fieldwork files, each case with `answers` answer revisions."""
    marker = folder / "complete"
    master_path = folder / "master.inspection"
    data_version = "answers valid for their scale"
    signature = hashlib.sha256(repr((sorted(expected_schema()), data_version)).encode()).hexdigest()
    if marker.exists() and marker.read_text() == signature:
        return master_path, sorted(folder.glob("fieldwork-*.inspection"))
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    rng = random.Random(42)
    write_sample_csv(folder / "sample.csv", files * cases, rng)
    with InspectionFile.create(
        master_path, title="Benchmark", organisation="Bench", lead="Lead"
    ) as master:
        names = [f"Assessor {i:02d}" for i in range(files)]
        for name in names:
            add_member(master, name, "assessor")
        import_sample(master, folder / "sample.csv")
        allocate_auto(master)
        paths = [
            export_fieldwork(master, name, folder / f"fieldwork-{i:02d}.inspection").path
            for i, name in enumerate(names)
        ]
        framework = master.framework
        codes = [q.code for q in framework.questions()]
        # Values each question's scale allows (a free-text item gets a short note).
        values = {
            q.code: framework.scale_of(q).values or ("Interviewed at the office.",)
            for q in framework.questions()
        }
    for path in paths:
        with InspectionFile.open(path) as file, file.db.write() as conn:
            author = file.author_id()
            for case in case_summaries(file):
                for j in range(answers):
                    code = codes[j % len(codes)]
                    write_revision(
                        conn,
                        record_key=ids.record_key(case.key, Kind.ANSWER, code),
                        kind=Kind.ANSWER,
                        case_key=case.key,
                        field=code,
                        value=rng.choice(values[code]),
                        note=rng.choice(("", "Evidence seen on the case record.")),
                        author=author,
                        hlc=file.clock.tick(),
                    )
        with InspectionFile.open(path) as file:
            file.db.raw.execute("PRAGMA journal_mode = DELETE")
    marker.write_text(signature)
    return master_path, paths


def floor(master_copy: Path, sources: list[Path]) -> float:
    conn = sqlite3.connect(master_copy, isolation_level=None)
    conn.execute("CREATE TABLE floor_copy AS SELECT * FROM revision WHERE 0")
    start = time.perf_counter()
    for i, source in enumerate(sources):
        conn.execute(f"ATTACH DATABASE ? AS s{i}", (str(source),))
    conn.execute("BEGIN")
    for i in range(len(sources)):
        conn.execute(f"INSERT INTO floor_copy SELECT * FROM s{i}.revision")
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def one_merge(master_copy: Path, sources: list[Path]) -> tuple[float, int]:
    with InspectionFile.open(master_copy) as master:
        start = time.perf_counter()
        report = merge_files(master, sources)
        elapsed = time.perf_counter() - start
    assert not report.refused, report.refused
    return elapsed, sum(s.new_revisions for s in report.sources)


def add_revisions(path: Path, count: int, seed: int) -> None:
    """`count` new answer revisions in a fieldwork file, as a day's further work adds."""
    rng = random.Random(seed)
    with InspectionFile.open(path) as file, file.db.write() as conn:
        author = file.author_id()
        cases = [case.key for case in case_summaries(file)]
        codes = [q.code for q in file.framework.questions() if q.scored and q.applies_if is None]
        for n in range(count):
            case_key, code = rng.choice(cases), rng.choice(codes)
            write_revision(
                conn,
                record_key=ids.record_key(case_key, Kind.ANSWER, code),
                kind=Kind.ANSWER,
                case_key=case_key,
                field=code,
                value=rng.choice(("yes", "no")),
                note=f"Added after the first merge ({n}).",
                author=author,
                hlc=file.clock.tick(),
            )


def fresh_work(folder: Path) -> Path:
    work = folder / "work"
    work.mkdir(exist_ok=True)
    for leftover in work.iterdir():
        leftover.unlink()
    return work


def full_merges(master: Path, sources: list[Path], folder: Path, runs: int) -> dict[str, Any]:
    """Each run: the raw floor, then our merge, each on a fresh copy of the master."""
    merges, floors = [], []
    revisions = 0
    for run in range(runs):
        copy = fresh_work(folder) / f"master-{run}.inspection"
        shutil.copy(master, copy)
        floors.append(floor(copy, sources))
        copy.unlink()
        shutil.copy(master, copy)
        elapsed, revisions = one_merge(copy, sources)
        merges.append(elapsed)
    return {"merge": merges, "floor": floors, "revisions": revisions}


def remerges(master: Path, source: Path, folder: Path, runs: int, new: int) -> dict[str, Any]:
    """Each run: one file merged into a fresh master, `new` revisions added to it, and the
    same file merged again; the second merge should cost only what is new."""
    firsts, agains = [], []
    first_count = 0
    for run in range(runs):
        work = fresh_work(folder)
        copy, resent = work / "master.inspection", work / source.name
        shutil.copy(master, copy)
        shutil.copy(source, resent)
        elapsed, first_count = one_merge(copy, [resent])
        firsts.append(elapsed)
        add_revisions(resent, new, seed=run)
        elapsed, count = one_merge(copy, [resent])
        assert count == new, f"re-merge brought {count} revisions, expected {new}"
        agains.append(elapsed)
    return {"first": firsts, "again": agains, "revisions": first_count}


def full_report(args: argparse.Namespace, times: dict[str, Any]) -> _report.Report:
    out = _report.Report(
        "merge",
        f"Merge of {args.files} files x {args.cases} cases x {args.answers} answers, against "
        "ATTACH + INSERT ... SELECT of the same rows in the same run",
        _report.parameters(args),
    )
    out.facts["revisions_merged"] = times["revisions"]
    out.add("floor_s", times["floor"], "s", "raw floor: ATTACH + plain INSERT")
    merged = out.add(
        "merge_s",
        times["merge"],
        "s",
        "merge: checks, undo copy, union, recompute",
        baseline="floor_s",
        goals=[_report.at_most(1.5), _report.at_most(5, on="ratio")],
    )
    out.top("median_s", merged["median"])
    out.top("ratio", merged["ratio"])
    return out


def remerge_report(args: argparse.Namespace, times: dict[str, Any]) -> _report.Report:
    out = _report.Report(
        "merge_remerge",
        f"Re-merge of one file of {args.cases} cases x {args.answers} answers re-sent with "
        f"{args.new} new revisions, against its first merge in the same run",
        _report.parameters(args),
    )
    out.facts["revisions_in_first_merge"] = times["revisions"]
    out.add("first_merge_s", times["first"], "s", "first merge of the file")
    again = out.add(
        "remerge_s",
        times["again"],
        "s",
        f"the same file again, {args.new} new revisions",
        baseline="first_merge_s",
        goals=[_report.at_most(0.10, on="ratio")],
    )
    out.top("remerge_fraction", again["ratio"])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=10)
    parser.add_argument("--cases", type=int, default=200)
    parser.add_argument("--answers", type=int, default=150)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--remerge", action="store_true", help="time merging one file again with new revisions"
    )
    parser.add_argument("--new", type=int, default=10, help="new revisions for --remerge")
    _report.add_json_option(parser)
    args = parser.parse_args()
    with _report.stdout_to_stderr(args.json):
        result = run(args)
    if args.json:
        _report.emit(result)


def run(args: argparse.Namespace) -> _report.Report:
    """Prepare the data, measure what was asked, print it and return the report."""
    folder = OUT / f"merge-{args.files}x{args.cases}x{args.answers}"
    t0 = time.perf_counter()
    master, sources = build(folder, args.files, args.cases, args.answers)
    print(f"data: {len(sources)} files in {folder} ({time.perf_counter() - t0:.1f} s to prepare)")
    if args.remerge:
        times = remerges(master, sources[0], folder, args.runs, args.new)
        first, again = statistics.median(times["first"]), statistics.median(times["again"])
        print(f"first merge of {sources[0].name} : median {first:.3f} s")
        print(f"merged again, {args.new} new revisions : median {again:.3f} s")
        print(f"re-merge fraction             : {again / first:.3f} (goal <= 0.10)")
        return remerge_report(args, times)
    times = full_merges(master, sources, folder, args.runs)
    merge_s, floor_s = statistics.median(times["merge"]), statistics.median(times["floor"])
    print(f"revisions merged              : {times['revisions']:,}")
    print(f"raw floor (ATTACH + INSERT)   : median {floor_s:.3f} s")
    print(f"merge (checks, undo copy, union, recompute): median {merge_s:.3f} s")
    print(f"ratio                         : {merge_s / floor_s:.2f} (goal: <= 1.5 s, ratio <= 5)")
    return full_report(args, times)


if __name__ == "__main__":
    main()
