"""Merge 10 fieldwork files x 200 cases x 150 answers (300,000 answers) into a master.

    .venv/bin/python bench/merge.py [--files 10] [--cases 200] [--answers 150] [--runs 5]

Prints the median wall time of the whole merge (checks, undo copy, union, recompute) and the
ratio to the raw floor measured in the same run: ATTACH + plain INSERT INTO ... SELECT of the
same revision rows into an unindexed table. Goal: <= 1.5 s and ratio <= 5.
Test data is generated once into bench/out/ and reused.
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=10)
    parser.add_argument("--cases", type=int, default=200)
    parser.add_argument("--answers", type=int, default=150)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    folder = OUT / f"merge-{args.files}x{args.cases}x{args.answers}"
    t0 = time.perf_counter()
    master, sources = build(folder, args.files, args.cases, args.answers)
    print(f"data: {len(sources)} files in {folder} ({time.perf_counter() - t0:.1f} s to prepare)")
    work = folder / "work"
    work.mkdir(exist_ok=True)
    merges, floors = [], []
    revisions = 0
    for run in range(args.runs):
        for leftover in work.iterdir():
            leftover.unlink()
        copy = work / f"master-{run}.inspection"
        shutil.copy(master, copy)
        floors.append(floor(copy, sources))
        copy.unlink()
        shutil.copy(master, copy)
        elapsed, revisions = one_merge(copy, sources)
        merges.append(elapsed)
    merge_s, floor_s = statistics.median(merges), statistics.median(floors)
    print(f"revisions merged              : {revisions:,}")
    print(f"raw floor (ATTACH + INSERT)   : median {floor_s:.3f} s")
    print(f"merge (checks, undo copy, union, recompute): median {merge_s:.3f} s")
    print(f"ratio                         : {merge_s / floor_s:.2f} (goal: <= 1.5 s, ratio <= 5)")


if __name__ == "__main__":
    main()
