"""Peak memory of importing a long list, against a process that only loads the same modules,
measured in the same run.

    .venv/bin/python bench/import_memory.py [--rows 100000] [--xlsx]

Each measurement runs in a fresh process (peak resident memory, `ru_maxrss`, only grows).
Prints both peaks and what the import itself adds. The goal is a 100,000-row import under
300 MB in all.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--xlsx", action="store_true", help="import a workbook instead of CSV")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        source = base / "long-list.csv"
        write_list(source, args.rows)
        if args.xlsx:
            source = to_xlsx(source)
        mapping = base / "map.toml"
        mapping.write_text(MAP, encoding="utf-8")
        master = base / "bench.inspection"
        size_mb = source.stat().st_size / 1e6
        floor = peak_mb(master, source, mapping, do_import=False)
        full = peak_mb(master, source, mapping, do_import=True)
    kind = "XLSX" if args.xlsx else "CSV"
    print(f"rows: {args.rows:,} ({kind}, {size_mb:.0f} MB)")
    print(f"modules loaded, no import: peak {floor:.0f} MB")
    print(f"import of the long list:   peak {full:.0f} MB")
    print(f"added by the import:       {full - floor:.0f} MB")


if __name__ == "__main__":
    main()
