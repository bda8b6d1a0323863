"""Peak memory of importing a long list, against a process that only loads the same modules,
measured in the same run.

    .venv/bin/python bench/import_memory.py [--rows 100000] [--xlsx] [--runs 3] [--json]

Each measurement runs in a fresh process (peak resident memory, `ru_maxrss`, only grows).
Prints both peaks (medians over `--runs` processes of each kind) and what the import itself
adds. The goal is a 100,000-row import under 300 MB in all. With --json, one object
(bench/_report.py).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _report
from long_list import MAP, write_list

CHILD = r"""
import resource, sys
from pathlib import Path
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.sample.long_list import import_long_list
from inspector_app.core.sample.mapping import load_mapping

master_path, list_path, map_path, do_import = sys.argv[1:5]
master = InspectionFile.create(master_path, title="Bench", organisation="Bench CRC")
mapping = load_mapping(Path(map_path), master.framework.profile)
if do_import == "1":
    outcome = import_long_list(master, Path(list_path), mapping=mapping, accept_valid_rows=True)
master.close()
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def peak_mb(master: Path, source: Path, mapping: Path, do_import: bool) -> float:
    master.unlink(missing_ok=True)
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(master), str(source), str(mapping), str(int(do_import))],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return int(out.split()[-1]) / 1024  # kilobytes on Linux


def to_xlsx(csv_path: Path) -> Path:
    import csv

    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Long list")
    with csv_path.open(newline="", encoding="utf-8") as handle:
        for row in csv.reader(handle):
            sheet.append(row)
    target = csv_path.with_suffix(".xlsx")
    workbook.save(target)
    return target


def measure(rows: int, xlsx: bool, runs: int) -> dict[str, Any]:
    """Peaks (MB) of `runs` floor and import processes, alternated, on one generated list."""
    peaks: dict[str, Any] = {"floor": [], "full": []}
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        source = base / "long-list.csv"
        write_list(source, rows)
        if xlsx:
            source = to_xlsx(source)
        mapping = base / "map.toml"
        mapping.write_text(MAP, encoding="utf-8")
        master = base / "bench.inspection"
        peaks["size_mb"] = source.stat().st_size / 1e6
        for _ in range(runs):
            peaks["floor"].append(peak_mb(master, source, mapping, do_import=False))
            peaks["full"].append(peak_mb(master, source, mapping, do_import=True))
    return peaks


def report(args: argparse.Namespace, peaks: dict[str, Any]) -> _report.Report:
    """Goal from the script: a 100,000-row import under 300 MB in all."""
    kind = "XLSX" if args.xlsx else "CSV"
    out = _report.Report(
        "import_memory",
        f"Peak memory importing a {args.rows:,}-row long list ({kind}), against a process "
        "that only loads the same modules",
        _report.parameters(args),
    )
    out.facts["list_mb"] = round(peaks["size_mb"], 1)
    out.add("floor_peak_mb", peaks["floor"], "MB", "modules loaded, no import")
    full = out.add(
        "import_peak_mb",
        peaks["full"],
        "MB",
        "import of the long list",
        baseline="floor_peak_mb",
        goals=[_report.at_most(300)],
    )
    added = [f - b for f, b in zip(peaks["full"], peaks["floor"], strict=True)]
    out.add("added_mb", added, "MB", "added by the import")
    out.top("import_peak_mb", full["median"])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--xlsx", action="store_true", help="import a workbook instead of CSV")
    parser.add_argument("--runs", type=int, default=3, help="processes of each kind")
    _report.add_json_option(parser)
    args = parser.parse_args()
    with _report.stdout_to_stderr(args.json):
        peaks = measure(args.rows, args.xlsx, args.runs)
        floor, full = statistics.median(peaks["floor"]), statistics.median(peaks["full"])
        kind = "XLSX" if args.xlsx else "CSV"
        print(f"rows: {args.rows:,} ({kind}, {peaks['size_mb']:.0f} MB), runs: {args.runs}")
        print(f"modules loaded, no import: peak {floor:.0f} MB (median)")
        print(f"import of the long list:   peak {full:.0f} MB (median)")
        print(f"added by the import:       {full - floor:.0f} MB")
    if args.json:
        _report.emit(report(args, peaks))


if __name__ == "__main__":
    main()
