"""Type-check inspector_app/gui against a recorded baseline: fail on any new error.

core and cli are type-checked clean; gui still has errors (Qt stubs, attributes that shadow
Qt methods...). This runs mypy on gui with the project's mypy.ini and compares its errors with
tools/mypy-gui-baseline.txt, each written as `path: error-code: message` with no line number,
so edits that only move code do not count. An error that appears more often than the baseline
lists it is new.

    .venv/bin/python tools/mypy_gui_baseline.py           # exit 1 if any error is new
    .venv/bin/python tools/mypy_gui_baseline.py --update  # rewrite the baseline

Errors mypy reports in other packages while following gui's imports are left to the
core/cli check.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "mypy.ini"
TARGET = "inspector_app/gui"
BASELINE = ROOT / "tools" / "mypy-gui-baseline.txt"

_ERROR = re.compile(
    r"^(?P<path>[^:\n]+?):(?P<line>\d+)(?::\d+)?: error: (?P<message>.*?)"
    r"(?:  \[(?P<code>[a-z0-9-]+)\])?$"
)
_LINE_REFERENCE = re.compile(r"\bline \d+")
_HEADER = (
    "# mypy errors accepted in inspector_app/gui (path: error-code: message), one per\n"
    "# occurrence. Written by tools/mypy_gui_baseline.py --update; do not edit by hand.\n"
)


def run_mypy() -> list[tuple[str, int, str]]:
    """(normalised error, line, path) for every error mypy reports in gui."""
    from mypy import api

    stdout, stderr, status = api.run(["--config-file", str(CONFIG), TARGET])
    if status not in (0, 1):  # 2: mypy itself failed (bad config, crash, no such path)
        sys.stderr.write(stdout + stderr)
        raise SystemExit(f"mypy failed (exit status {status})")
    errors = []
    for line in stdout.splitlines():
        match = _ERROR.match(line)
        if not match:
            continue
        path = match["path"].replace("\\", "/")
        if not path.startswith(TARGET + "/"):
            continue
        message = _LINE_REFERENCE.sub("line N", match["message"])
        errors.append((f"{path}: {match['code'] or '-'}: {message}", int(match["line"]), path))
    return errors


def read_baseline() -> Counter[str]:
    if not BASELINE.exists():
        return Counter()
    lines = BASELINE.read_text(encoding="utf-8").splitlines()
    return Counter(line for line in lines if line.strip() and not line.startswith("#"))


def write_baseline(current: Counter[str]) -> None:
    lines = sorted(current.elements())
    BASELINE.write_text(_HEADER + "".join(f"{line}\n" for line in lines), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Type-check inspector_app/gui; fail on errors not in the baseline."
    )
    parser.add_argument(
        "--update", action="store_true", help="rewrite the baseline with the errors found now"
    )
    ns = parser.parse_args(argv)

    os.chdir(ROOT)  # mypy's paths, the config's and the baseline's are all from the root
    found = run_mypy()
    current = Counter(error for error, _, _ in found)
    if ns.update:
        write_baseline(current)
        print(f"Baseline written: {sum(current.values())} gui error(s) in {BASELINE.name}")
        return 0

    baseline = read_baseline()
    new = current - baseline
    fixed = baseline - current
    if fixed:
        print(f"Fixed since the baseline ({sum(fixed.values())}; run with --update to record):")
        for error in sorted(fixed.elements()):
            print(f"  {error}")
    if new:
        print(f"NEW mypy errors in gui ({sum(new.values())}):")
        # Show where they are now; an error repeated in a file is listed at every line.
        for error in sorted(new):
            lines = sorted(line for e, line, _ in found if e == error)
            path, rest = error.split(": ", 1)
            print(f"  {path}:{','.join(map(str, lines))}: {rest}")
        return 1
    print(
        f"mypy gui: {sum(current.values())} error(s), none new (baseline {sum(baseline.values())})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
