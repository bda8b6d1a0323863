"""Reading a trust's long list through the mapping, against the floor of reading the same CSV
with the csv module alone, measured in the same run.

    .venv/bin/python bench/long_list.py [--rows 10000] [--repeat 5] [--json]

Prints the median time of each, their ratio, and rows per second through the mapping; with
--json, one object (bench/_report.py).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import statistics
import tempfile
import time
from pathlib import Path

import _report

from inspector_app.core.framework.profile import default_profile
from inspector_app.core.sample.importing import read_sample
from inspector_app.core.sample.mapping import parse_mapping

HEADER = [
    "CRN", "Surname", "Forename", "DOB", "Gender", "Ethnicity", "Sentence / Order Type",
    "NOMS Tier", "RoSH Level", "MAPPA", "DV Flag", "Requirements", "OM Grade", "Team",
]  # fmt: skip
MAP = """
[values.sentence_type]
"ORA Community Order" = "Community order"
"ORA Suspended Sentence Order" = "Suspended sentence order"
"CJA - Std Determinate Custody (Licence)" = "Licence"

[values.requirements]
"Supervision" = "(ignore)"
"""


def write_list(path: Path, rows: int) -> None:
    rng = random.Random(7)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for n in range(rows):
            writer.writerow(
                [
                    f"X{n:07d}",
                    "SMITH",
                    "Sam",
                    dt.date(
                        rng.randrange(1950, 2000), rng.randrange(1, 13), rng.randrange(1, 28)
                    ).strftime("%d/%m/%Y"),
                    rng.choice(["Male", "Female", "M", "F"]),
                    rng.choice(
                        [
                            "White: English/Welsh/Scottish/Northern Irish/British",
                            "W1 White: British",
                            "Black/African/Caribbean/Black British: African",
                            "Asian/Asian British: Pakistani",
                            "Not Stated",
                        ]
                    ),
                    rng.choice(
                        [
                            "ORA Community Order",
                            "ORA Suspended Sentence Order",
                            "CJA - Std Determinate Custody (Licence)",
                        ]
                    ),
                    rng.choice(["Tier 1", "Tier 2", "Tier 3", "Tier 4"]),
                    rng.choice(["Low", "Medium", "High", "Very High"]),
                    rng.choice(["", "", "Cat 2 / Level 1"]),
                    rng.choice(["Y", "N"]),
                    rng.choice(["UPW; ATR", "Supervision", "DRR"]),
                    rng.choice(["PO", "PSO"]),
                    rng.choice(["Wirral", "Sefton"]),
                ]
            )


def floor(path: Path) -> None:
    with path.open(newline="", encoding="utf-8") as handle:
        for _ in csv.reader(handle):
            pass


def measure(rows: int, repeat: int) -> tuple[list[float], list[float]]:
    """The csv floor and the mapped read, alternated so drift hits both alike (ms)."""
    definition = default_profile()
    mapping = parse_mapping(MAP, "bench.toml", definition)
    raw, mapped = [], []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "long-list.csv"
        write_list(path, rows)
        for _ in range(repeat):
            start = time.perf_counter()
            floor(path)
            raw.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            result = read_sample(
                path, definition, mapping, long_list=True, reference_date=dt.date(2026, 11, 2)
            )
            mapped.append((time.perf_counter() - start) * 1000)
            assert len(result.rows) == rows and not result.problems, result.problems[:3]
    return raw, mapped


def report(args: argparse.Namespace, raw: list[float], mapped: list[float]) -> _report.Report:
    """No goal is stated for this one: the figures are for comparison between runs."""
    out = _report.Report(
        "long_list",
        f"A {args.rows:,}-row long list read through the mapping, against the CSV module alone",
        _report.parameters(args),
    )
    out.add("csv_floor_ms", raw, "ms", "`csv.reader` alone")
    read = out.add("mapped_ms", mapped, "ms", "read through the mapping", baseline="csv_floor_ms")
    out.add("rows_per_s", [args.rows / (t / 1000) for t in mapped], "rows/s", "rows a second")
    out.top("ratio", read["ratio"])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    _report.add_json_option(parser)
    args = parser.parse_args()
    with _report.stdout_to_stderr(args.json):
        raw, mapped = measure(args.rows, args.repeat)
        raw_median, mapped_median = statistics.median(raw), statistics.median(mapped)
        print(f"rows: {args.rows}")
        print(f"csv.reader floor: median {raw_median:.0f} ms")
        print(f"read through the mapping: median {mapped_median:.0f} ms")
        print(f"ratio: {mapped_median / raw_median:.1f}")
        print(f"rows per second: {args.rows / (mapped_median / 1000):,.0f}")
    if args.json:
        _report.emit(report(args, raw, mapped))


if __name__ == "__main__":
    main()
