"""Figures from before the app (`store import-published`), on both engines: imported areas count
in the comparison like published ones (checked against a recount made here from the file and
the published figures), are marked as imported, a file with problems is refused whole naming
its rows, importing twice changes nothing, and a workbook imports as its CSV does."""

from __future__ import annotations

import argparse
import csv
import statistics
from collections import defaultdict
from pathlib import Path

import openpyxl
import pytest
import sqlalchemy as sa

from inspector_app.cli import store_commands
from inspector_app.core.framework import load_builtin
from inspector_app.core.store.compare import compare
from inspector_app.core.store.engine import Store
from inspector_app.core.store.imported import (
    COLUMNS,
    ImportRefused,
    import_published,
)
from inspector_app.core.store.publish import publish
from inspector_app.core.store.schema import IMPORTED_ID_PREFIX
from tests.store.helpers import counts, read_publication

HEADINGS = (
    "Area",
    "Organisation",
    "Fieldwork start",
    "Fieldwork end",
    "Framework ID",
    "Framework version",
    "Criterion",
    "Score",
    "Base",
)


def scores_of_the_past() -> list[list[object]]:
    """Two areas inspected before the app, iaow-2013 1.2: the whole, a stage, a criterion and
    a scored question each (one area without the question)."""
    framework = load_builtin("iaow-2013")
    question = next(q.code for q in framework.questions() if q.scored)
    criterion = framework.criteria()[0]
    rows: list[list[object]] = []
    for area, start, end, figures in (
        ("Cumbria", "2023-03-06", "2023-03-10", (("overall", 71, 40), ("1", 64, 40))),
        ("Durham", "2023-09-11", "2023-09-15", (("overall", 82, 38), ("1", 90, 38))),
    ):
        for code, score, base in figures:
            rows.append([area, f"{area} CRC", start, end, "iaow-2013", "1.2", code, score, base])
    rows.append(["Cumbria", "Cumbria CRC", "2023-03-06", "2023-03-10", "iaow-2013", "1.2",
                 criterion.code, 55, 20])  # fmt: skip
    rows.append(["Durham", "Durham CRC", "2023-09-11", "2023-09-15", "iaow-2013", "1.2",
                 criterion.code, 47.5, 19])  # fmt: skip
    rows.append(["Durham", "Durham CRC", "2023-09-11", "2023-09-15", "iaow-2013", "1.2",
                 question, "60%", 30])  # fmt: skip
    return rows


def write_csv(path: Path, rows: list[list[object]], headings: tuple[str, ...] = HEADINGS) -> Path:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(headings)
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(list(HEADINGS))
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def percent(score: object) -> int:
    """The printed percentage of a score as the file gives it (half up)."""
    value = float(str(score).rstrip("%"))
    return int(value + 0.5)


def test_imported_areas_count_in_the_comparison(
    store: Store, demo_masters: list[Path], tmp_path: Path
) -> None:
    this = read_publication(demo_masters[0])
    publish(store, this)
    rows = scores_of_the_past()

    outcome = import_published(store, write_csv(tmp_path / "past.csv", rows))
    comparison = compare(store, this)

    assert outcome.rows == len(rows) and outcome.added == ("Cumbria", "Durham")
    assert comparison.inspections == 3 and comparison.imported == 2
    assert comparison.to_json()["imported"] == 2
    recount: dict[str, list[tuple[int, bool]]] = defaultdict(list)
    for figure in this.figures:
        if figure.percent is not None:
            recount[figure.code].append((figure.percent, False))
    for row in rows:
        recount[str(row[6])].append((percent(row[7]), True))
    for row in comparison.rows:
        scores = recount.get(row.code, [])
        values = [value for value, _imported in scores]
        assert row.count == len(values), row.code
        assert row.imported == sum(imported for _value, imported in scores), row.code
        assert row.lowest == (min(values) if values else None)
        assert row.highest == (max(values) if values else None)
        if values:
            assert row.average is not None
            assert abs(row.average - statistics.fmean(values)) < 1e-9
        assert row.to_json()["imported"] == row.imported
    overall = comparison.rows[0]
    assert (overall.code, overall.count, overall.imported) == ("overall", 3, 2)


def test_the_imported_rows_are_marked_as_imported(store: Store, tmp_path: Path) -> None:
    import_published(store, write_csv(tmp_path / "past.csv", scores_of_the_past()))
    with store.engine.connect() as conn:
        found = conn.execute(
            sa.text(
                "SELECT id, organisation, app_version, fieldwork_year, cases_counted"
                " FROM published_inspection ORDER BY organisation"
            )
        ).all()
        figures = conn.execute(
            sa.text(
                "SELECT f.code, f.level, f.percent, f.sufficient, f.insufficient"
                " FROM published_figure f JOIN published_inspection i ON i.id = f.inspection_id"
                " WHERE i.organisation = 'Durham CRC' ORDER BY f.position"
            )
        ).all()
    assert [(row[1], row[2], row[3], row[4]) for row in found] == [
        ("Cumbria CRC", "imported", 2023, 40),
        ("Durham CRC", "imported", 2023, 38),
    ]
    assert all(str(row[0]).startswith(IMPORTED_ID_PREFIX) for row in found)
    assert counts(store)["published_case"] == 0  # figures only: no case was ever published
    assert [row[1] for row in figures] == ["overall", "stage", "criterion", "question"]
    criterion = figures[2]
    assert criterion.percent == 48 and criterion.sufficient + criterion.insufficient == 19


def test_a_file_with_problems_is_refused_whole_naming_its_rows(
    store: Store, tmp_path: Path
) -> None:
    good = scores_of_the_past()
    bad = [
        *good,
        ["Essex", "Essex CRC", "2023-05-01", "2023-05-05", "iaow-2013", "1.2", "overall", 120, 30],
        ["Essex", "Essex CRC", "2023-05-01", "2023-05-05", "iaow-2013", "1.2", "9.9", 50, 30],
        ["Essex", "Essex CRC", "5/1/2023", "2023-05-05", "iaow-2013", "1.2", "1", 50, 30],
        ["Essex", "Essex CRC", "2023-05-01", "2023-05-05", "iaow-2013", "1.2", "1.1", 50, 2.5],
        ["Essex", "Essex CRC", "2023-05-01", "2023-05-05", "iaow-2013", "0.9", "1.1", 50, 3],
        ["Essex", "", "2023-05-01", "2023-05-05", "iaow-2013", "1.2", "1.2", 50, 3],
    ]
    before = counts(store)

    with pytest.raises(ImportRefused) as refused:
        import_published(store, write_csv(tmp_path / "bad.csv", bad))

    first = len(good) + 2  # the heading is row 1
    problems = refused.value.problems
    assert [line.split(":")[0] for line in problems] == [f"row {first + i}" for i in range(6)]
    assert "score 120 is not a percentage" in problems[0]
    assert "9.9 is not a stage, criterion" in problems[1]
    assert "fieldwork_start 5/1/2023 is not a date" in problems[2]
    assert "base 2.5 is not a positive whole number" in problems[3]
    assert "does not know framework iaow-2013 version 0.9" in problems[4]
    assert "no organisation" in problems[5]
    assert counts(store) == before  # nothing half-written


def test_a_file_without_a_column_is_refused(store: Store, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "short.csv", [r[:-1] for r in scores_of_the_past()], HEADINGS[:-1])
    with pytest.raises(ImportRefused, match="no column base"):
        import_published(store, path)


def test_importing_twice_changes_nothing_and_a_changed_score_replaces_the_area(
    store: Store, tmp_path: Path
) -> None:
    rows = scores_of_the_past()
    path = write_csv(tmp_path / "past.csv", rows)
    import_published(store, path)
    once = counts(store)

    again = import_published(store, path)

    assert again.added == again.replaced == () and again.unchanged == ("Cumbria", "Durham")
    assert counts(store) == once

    rows[0][7] = 72  # Cumbria's overall score, corrected
    changed = import_published(store, write_csv(tmp_path / "corrected.csv", rows))
    assert changed.replaced == ("Cumbria",) and changed.unchanged == ("Durham",)
    after = counts(store)
    assert after["published_figure"] == once["published_figure"]
    assert after["published_inspection"] == once["published_inspection"]
    assert after["publish_event"] == once["publish_event"] + 1
    with store.engine.connect() as conn:
        scores = conn.execute(
            sa.text(
                "SELECT f.percent FROM published_figure f JOIN published_inspection i"
                " ON i.id = f.inspection_id WHERE i.organisation = 'Cumbria CRC'"
                " AND f.level = 'overall'"
            )
        ).all()
    assert [row[0] for row in scores] == [72]


def test_a_workbook_imports_as_its_csv_does(store: Store, tmp_path: Path) -> None:
    rows = scores_of_the_past()
    first = import_published(store, write_xlsx(tmp_path / "past.xlsx", rows))
    assert first.added == ("Cumbria", "Durham") and first.rows == len(rows)

    same = import_published(store, write_csv(tmp_path / "past.csv", rows))

    assert same.unchanged == ("Cumbria", "Durham")  # the same content, read from CSV


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser(prog="inspector-app")
    store_commands.add_parsers(parser.add_subparsers(dest="command"))
    ns = parser.parse_args(args)
    code = ns.handler(ns)
    out, err = capsys.readouterr()
    return code, out, err


def test_the_command_line_imports_and_compares(
    store_address: str,
    demo_masters: list[Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = write_csv(tmp_path / "past.csv", scores_of_the_past())
    code, out, _err = run(
        ["store", "import-published", str(path), "--store", store_address], capsys
    )
    assert code == 0
    assert "past.csv: 7 scores and 2 inspections read into" in out
    assert "Added: Cumbria, Durham" in out

    run(["publish", str(demo_masters[0]), "--store", store_address], capsys)
    code, out, _err = run(["compare", str(demo_masters[0]), "--store", store_address], capsys)
    assert code == 0
    assert "2 of these inspections were imported from published reports." in out
    code, out, _err = run(
        ["compare", str(demo_masters[0]), "--store", store_address, "--csv"], capsys
    )
    table = list(csv.reader(out.splitlines()))
    assert table[0][-1] == "imported" and table[1][-1] == "2"

    bad = write_csv(tmp_path / "bad.csv", [["Essex"] + [""] * (len(COLUMNS) - 1)])
    code, out, err = run(["store", "import-published", str(bad), "--store", store_address], capsys)
    assert code == 1 and out == ""
    assert "bad.csv: not imported, nothing was written" in err
    assert "row 2: no organisation" in err


def test_the_reports_comparison_says_how_many_areas_were_imported(
    store_address: str,
    demo_masters: list[Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from inspector_app.app.reports import build_report
    from inspector_app.core.files.inspection_file import InspectionFile
    from inspector_app.core.report.data import area_comparison_source
    from inspector_app.core.store.configured import ENVIRONMENT_VARIABLE

    path = write_csv(tmp_path / "past.csv", scores_of_the_past())
    run(["store", "import-published", str(path), "--store", store_address], capsys)
    run(["publish", str(demo_masters[0]), "--store", store_address], capsys)
    monkeypatch.setenv(ENVIRONMENT_VARIABLE, store_address)
    with InspectionFile.open(demo_masters[0], readonly=True) as master:
        comparison = build_report(master).area_comparison
    assert comparison is not None and comparison.imported == 2
    assert "2 of these inspections were imported from published reports." in (
        area_comparison_source(comparison, final=True)
    )
