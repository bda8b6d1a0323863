"""Filtering the case list of a 10,000-case master, keystroke by keystroke.

    .venv/bin/python bench/case_list.py [--cases 10000]

Builds the master once through the services (a team, the sample, an allocation and answers
for about two-thirds of the cases, as after merging) and caches it in bench/out/. Then opens it
in the main window (offscreen), types filter strings one key at a time into the filter box and
times each keystroke until the table has repainted its visible rows. Prints the median per
keystroke (goal <= 50 ms), with the load time and a few other figures for context.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("INSPECTOR_APP_HOME", tempfile.mkdtemp(prefix="inspector-bench-"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


OUT = Path(__file__).resolve().parent / "out"
PHRASES = (
    "liverpool north",
    "case 01",
    "high alcohol",
    "in progress",
    "suspended sentence order",
    "child protection drugs",
    "priya",
)


def build_master(path: Path, cases: int) -> None:
    from inspector_app.core.cases.team import add_member
    from inspector_app.core.demo import LEAD, TEAM, answer_some_cases, write_sample_csv
    from inspector_app.core.files.inspection_file import InspectionFile
    from inspector_app.core.sample.placement import allocate_auto, import_sample

    started = time.perf_counter()
    rng = random.Random(10_000)
    sample = path.with_suffix(".csv")
    write_sample_csv(sample, cases, rng)
    tmp = path.with_name(path.name + ".building")
    tmp.unlink(missing_ok=True)
    with InspectionFile.create(
        tmp,
        title="Inspection of Adult Offending Work: Benchmark",
        organisation="Benchmark",
        lead=LEAD,
    ) as master:
        for name, role in TEAM:
            add_member(master, name, role)
        import_sample(master, sample)
        allocate_auto(master)
        answer_some_cases(master, rng, share_started=0.65)
    tmp.rename(path)
    print(f"built {path.name} ({cases} cases) in {time.perf_counter() - started:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=10_000)
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    master = OUT / f"case-list-{args.cases}.inspection"
    if not master.exists():
        build_master(master, args.cases)

    from PySide6.QtCore import QEventLoop, Qt
    from PySide6.QtTest import QTest

    from inspector_app.gui.app import create_application
    from inspector_app.gui.main_window import MainWindow

    app = create_application()  # the app as shipped: its name, icon and style
    window = MainWindow()
    window.resize(1280, 800)
    window.show()
    QTest.qWaitForWindowExposed(window)
    loaded = []
    loop = QEventLoop()  # (an event loop releases the GIL while idle; QTest.qWait does not)
    window.casesLoaded.connect(lambda: (loaded.append(time.perf_counter()), loop.quit()))
    start = time.perf_counter()
    window.open_file(master)
    opened = time.perf_counter()
    loop.exec()
    model = window.case_model
    page = window.case_list
    print(f"cases in the list          : {model.total_count()}")
    print(f"open file (UI thread)      : {(opened - start) * 1000:.0f} ms")
    print(f"case list loaded (worker)  : {(loaded[0] - start) * 1000:.0f} ms")

    edit = page.filter_edit
    viewport = page.table.viewport()
    times: list[float] = []
    widening: list[float] = []
    edit.setFocus()
    for _round in range(3):
        for phrase in PHRASES:
            edit.clear()
            viewport.repaint()
            for char in phrase:
                t0 = time.perf_counter()
                QTest.keyClick(edit, char)
                viewport.repaint()  # the rows the user sees, painted
                times.append(time.perf_counter() - t0)
            for _ in range(len(phrase)):
                t0 = time.perf_counter()
                QTest.keyClick(edit, Qt.Key.Key_Backspace)
                viewport.repaint()
                widening.append(time.perf_counter() - t0)
    sort_times = []
    for column in range(model.columnCount()):
        for order in (Qt.SortOrder.DescendingOrder, Qt.SortOrder.AscendingOrder):
            t0 = time.perf_counter()
            page.table.sortByColumn(column, order)
            viewport.repaint()
            sort_times.append(time.perf_counter() - t0)

    def ms(values: list[float]) -> str:
        values = sorted(values)
        p90 = values[int(len(values) * 0.9) - 1]
        return (
            f"median {statistics.median(values) * 1000:6.2f} ms   p90 {p90 * 1000:6.2f} ms"
            f"   max {values[-1] * 1000:6.2f} ms   ({len(values)})"
        )

    median = statistics.median(times) * 1000
    print(f"filter keystroke, typing   : {ms(times)}")
    print(f"filter keystroke, deleting : {ms(widening)}")
    print(f"sort by a column           : {ms(sort_times)}")
    print(f"goal: median <= 50 ms per keystroke -> {median:.2f} ms ({median / 50:.2f} of budget)")
    window.close()
    app.quit()


if __name__ == "__main__":
    main()
