"""Cold start to a shown window: our app opening a fieldwork file against a bare PySide6
QMainWindow, measured in the same run.

    .venv/bin/python bench/startup.py [--runs 7] [--json]

Each run is a new process (offscreen). Measured from just before the process is started to
the window's first paint ("shown"); for our app also to the first paint of the case list
once it holds every row ("usable": on screen, not only read). Runs alternate between the
two programs so disk and CPU conditions affect both alike; one warm-up run of each is
discarded (it also leaves the modules' compiled bytecode, as an installed app has). Prints
medians and ratios (goals: shown <= 1.5, usable <= 2.5); with --json, one object
(bench/_report.py) with `shown_ratio`, `usable_ratio`.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _report

ROOT = Path(__file__).resolve().parents[1]
OUT = Path(__file__).resolve().parent / "out"
TITLE = "Cold start to a shown window, against a bare QMainWindow in the same run"

# The child programs print wall-clock times (time.time()) of their milestones as JSON.
# "Shown" is the moment the window receives its first paint event (the same probe in both).
_PAINT_PROBE = """
import time
from PySide6.QtCore import QEvent, QObject, QTimer
class _FirstPaint(QObject):
    def __init__(self, on_paint):
        super().__init__()
        self.on_paint = on_paint
        self.seen = False
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and not self.seen:
            self.seen = True
            self.on_paint(time.time())
        return False
"""

BARE = (
    "import json, sys, time\n"
    "from PySide6.QtWidgets import QApplication, QMainWindow\n"
    + _PAINT_PROBE
    + "app = QApplication(sys.argv[:1])\n"
    "window = QMainWindow()\n"
    "window.setWindowTitle('bare')\n"
    "window.resize(1280, 800)\n"
    "def shown(when):\n"
    "    print(json.dumps({'shown': when}), flush=True)\n"
    "    QTimer.singleShot(0, app.quit)\n"
    "probe = _FirstPaint(shown)\n"
    "window.installEventFilter(probe)\n"
    "window.show()\n"
    "app.exec()\n"
)

# Our app through its own entry point (`inspector-app FILE`: logging, error reporting, the
# application, the window, the file), probed once the window is made and not yet painted.
OURS = (
    "import json, sys, time\n"
    "from inspector_app.gui import app as gui_app\n"
    "marks = {}\n"
    "real_start = gui_app.start\n"
    "def start(args):\n"
    "    made = real_start(args)\n"
    "    app, window = made\n"
    "    window.resize(1280, 800)  # as the bare window\n"
    + "".join("    " + line + "\n" for line in _PAINT_PROBE.strip().splitlines())
    + "    def shown(when):\n"
    "        marks['shown'] = when\n"
    "    def usable(when):\n"
    "        marks['usable'] = when\n"
    "        print(json.dumps(marks), flush=True)\n"
    "        QTimer.singleShot(0, app.quit)\n"
    "    def listed():\n"
    "        window._list_probe = _FirstPaint(usable)\n"
    "        window.case_list.table.viewport().installEventFilter(window._list_probe)\n"
    "    window._probe = _FirstPaint(shown)\n"
    "    window.installEventFilter(window._probe)\n"
    "    window.casesLoaded.connect(listed)\n"
    "    return made\n"
    "gui_app.start = start\n"
    "from inspector_app.__main__ import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)


def fieldwork_file() -> Path:
    """A fieldwork file of the demo, made once and kept while the file format stays the same:
    a file in an older format would be upgraded (and a backup of it written) at every open,
    and that is not what a start costs."""
    from inspector_app.core.storage.connection import read_header
    from inspector_app.core.storage.database import CURRENT_GENERATION

    folder = OUT / "startup-demo"
    found = sorted(p for p in folder.glob("*-fieldwork-*.inspection") if "-backup" not in p.name)
    if found and read_header(found[0]).user_version == CURRENT_GENERATION:
        return found[0]
    shutil.rmtree(folder, ignore_errors=True)
    from inspector_app.core.demo import create_demo

    return sorted(create_demo(folder, cases=60).fieldwork)[0]


def run_once(code: str, args: list[str], env: dict[str, str]) -> dict[str, float]:
    started = time.time()
    result = subprocess.run(
        [sys.executable, "-c", code, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    line = next(x for x in result.stdout.splitlines() if x.startswith("{"))
    return {k: v - started for k, v in json.loads(line).items()}


def measure(runs: int) -> dict[str, list[float]]:
    """Each program `runs` times, alternated, in milliseconds."""
    target = fieldwork_file()
    # Compiled bytecode, as an installed app has it (pip compiles on install): the warm-up
    # run writes it where a shell's PYTHONDONTWRITEBYTECODE would stop it, so each measured
    # run does not compile every module from source.
    env = {
        **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
        "QT_QPA_PLATFORM": "offscreen",
        "INSPECTOR_APP_HOME": tempfile.mkdtemp(prefix="inspector-startup-"),
        "PYTHONPATH": str(ROOT),
    }
    run_once(BARE, [], env)  # warm-up: file cache
    run_once(OURS, [str(target)], env)
    times: dict[str, list[float]] = {"bare": [], "shown": [], "usable": []}
    for _ in range(runs):
        times["bare"].append(run_once(BARE, [], env)["shown"] * 1000)
        marks = run_once(OURS, [str(target)], env)
        times["shown"].append(marks["shown"] * 1000)
        times["usable"].append(marks["usable"] * 1000)
    print(f"Inspector opening {target.name}")
    return times


def report(args: argparse.Namespace, times: dict[str, list[float]]) -> _report.Report:
    """Goals from issue 23: shown <= 1.5x the bare window, usable <= 2.5x, same run."""
    out = _report.Report("startup", TITLE, _report.parameters(args))
    out.add("bare_shown_ms", times["bare"], "ms", "bare QMainWindow shown")
    shown = out.add(
        "shown_ms",
        times["shown"],
        "ms",
        "our window shown",
        baseline="bare_shown_ms",
        goals=[_report.at_most(1.5, on="ratio")],
    )
    usable = out.add(
        "usable_ms",
        times["usable"],
        "ms",
        "case list painted with every row (usable)",
        baseline="bare_shown_ms",
        goals=[_report.at_most(2.5, on="ratio")],
    )
    out.top("shown_ratio", shown["ratio"])
    out.top("usable_ratio", usable["ratio"])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    _report.add_json_option(parser)
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    sys.path.insert(0, str(ROOT))
    with _report.stdout_to_stderr(args.json):
        times = measure(args.runs)
        result = report(args, times)
        b, s, u = (result.figures[k]["median"] for k in ("bare_shown_ms", "shown_ms", "usable_ms"))
        print(f"bare PySide6 QMainWindow, shown      : median {b:6.0f} ms ({args.runs} runs)")
        print(f"  window shown                       : median {s:6.0f} ms   ratio {s / b:.2f}")
        print(f"  case list on screen (usable)       : median {u:6.0f} ms   ratio {u / b:.2f}")
        print(f"goal: shown ratio <= 1.5 -> {s / b:.2f}; usable ratio <= 2.5 -> {u / b:.2f}")
    if args.json:
        _report.emit(result)


if __name__ == "__main__":
    main()
