"""Crash safety, proved: kill a writer with SIGKILL at random moments and check the file.

    .venv/bin/python bench/crash.py [--kills 100] [--seed 1]

A writer process enters answers through the same service the GUI uses (answers.set_answer)
and prints an acknowledgement after each one returns. The parent kills it with SIGKILL at a
random moment, then checks: integrity_check ok, every acknowledged answer present, no partial
revision (every current value is its key's recomputed head). It prints the counts.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

WRITER = r"""
import random, sys
from inspector_app.core.answers import set_answer
from inspector_app.core.framework import applies
from inspector_app.core.inspection_file import InspectionFile
from inspector_app.core.status import case_summaries
from inspector_app.core.case_data import load_cases

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


@dataclass
class Tally:
    kills: int = 0
    acknowledged: int = 0
    corrupt: int = 0
    lost: int = 0
    partial: int = 0


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


def check(path: Path, acks: list[tuple[str, str, str, str]], tally: Tally) -> None:
    """After a kill: the file is sound, every acknowledged answer is there, nothing partial."""
    from inspector_app.core import ids
    from inspector_app.core.inspection_file import InspectionFile
    from inspector_app.core.revisions import Kind, recompute

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
        before = conn.execute("SELECT * FROM current_value ORDER BY record_key").fetchall()
        orphans = conn.execute(
            "SELECT count(*) FROM current_value c"
            " WHERE NOT EXISTS (SELECT 1 FROM revision r WHERE r.id = c.revision_id)"
        ).fetchone()[0]
        conn.execute("BEGIN")
        recompute(conn, [row[0] for row in before])
        after = conn.execute("SELECT * FROM current_value ORDER BY record_key").fetchall()
        conn.execute("ROLLBACK")
        if before != after or orphans:
            tally.partial += 1


def crash_test(kills: int, seed: int, folder: Path, report=print) -> Tally:
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
            report(f"  {kill + 1} kills: {tally}")
    return tally


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kills", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tally = crash_test(args.kills, args.seed, Path(tmp))
    print(f"kills                 : {tally.kills}")
    print(f"acknowledged answers  : {tally.acknowledged}")
    print(f"corrupt files         : {tally.corrupt}")
    print(f"acknowledged lost     : {tally.lost}")
    print(f"partial revisions     : {tally.partial}")
    sys.exit(1 if (tally.corrupt or tally.lost or tally.partial) else 0)


if __name__ == "__main__":
    main()
