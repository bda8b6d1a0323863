"""Hostile or damaged case lists: each is refused quickly, in one line naming the problem, or
its problem is listed by row; none stalls the reader or is read silently wrong."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import openpyxl
import pytest

from inspector_app.core.errors import ValidationError
from inspector_app.core.framework import load_builtin
from inspector_app.core.sample import table as sample_table
from inspector_app.core.sample.importing import read_sample
from inspector_app.core.sample.table import read_table

HEADER = ["CRN", "Surname", "Gender", "Sentence Type", "RoSH Level", "Tier", "Team"]


def row(n: int, *, crn: str | None = None) -> list[str]:
    return [crn or f"X{n:06d}", "Smith", "Male", "Licence", "High", str(1 + n % 4), "Wirral"]


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as out:
        csv.writer(out).writerows([HEADER, *rows])
    return path


def long_list(path: Path):
    return read_sample(path, load_builtin("iaow-2013").profile, long_list=True)


def test_a_workbook_part_that_inflates_hugely_is_refused_before_it_is_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """25 million tiny shared strings in 1 MB took three minutes and 4 GB to open."""
    path = tmp_path / "strings.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", "<si><t>a</t></si>" * 1_500_000)
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: pytest.fail("opened"))
    with pytest.raises(ValidationError, match=r"xl/sharedStrings\.xml\) unpacks to 26 MB from"):
        read_table(path)


def test_a_workbook_running_past_the_last_spreadsheet_row_is_refused_as_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Millions of blank rows, or one row claimed millions down, stalled the reader for
    minutes with Stop unheeded: every row read now counts, blank or not."""
    monkeypatch.setattr(sample_table, "SPREADSHEET_ROWS", 60)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for n in range(5):
        sheet.append(row(n))
    sheet.cell(row=200, column=1, value="stray")  # blank rows up to it
    path = tmp_path / "far.xlsx"
    book.save(path)
    asked: list[int] = []
    with pytest.raises(ValidationError, match="runs past row 60, the last a spreadsheet holds"):
        read_table(path, progress=lambda rows: asked.append(rows) or True)
    monkeypatch.setattr(sample_table, "SPREADSHEET_ROWS", 1_048_576)
    cancelled = read_table  # the same file, Stop pressed: blank rows count towards asking
    book = openpyxl.Workbook()
    book.active.append(HEADER)
    book.active.cell(row=5_000, column=1, value="stray")
    book.save(path)
    with pytest.raises(ValidationError, match="reading was cancelled"):
        cancelled(path, progress=lambda rows: False)


def test_a_stray_quote_that_swallows_rows_is_named_not_read_silently(tmp_path: Path) -> None:
    """60 cases in the file, 55 read and no problem: five rows had gone into one cell."""
    lines = [",".join(HEADER)] + [",".join(row(n)) for n in range(8)]
    lines[2] = lines[2].replace(",Smith,", ',"Smith,', 1)
    path = tmp_path / "quote.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = long_list(path)
    assert not result.rows
    (problem,) = result.problems
    assert 'a quote (") opens the cell in column 2 on line 3 and is never closed' in (
        problem.message
    )


def test_a_cell_with_a_line_break_of_its_own_is_read_as_it_is(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "note.csv", [row(1), [*row(2)[:6], "Wirral\nNorth team"]])
    assert [r.row_number for r in long_list(path).rows] == [2, 3]


def test_one_person_twice_is_a_problem_on_the_second_row(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "twice.csv", [row(1), row(2), row(3, crn="x000001")])
    result = long_list(path)
    assert [r.row_number for r in result.rows] == [2, 3]
    (problem,) = result.problems
    assert problem.row == 4
    assert "CRN x000001 is already on row 2 (the same person twice)" in problem.message


def test_one_heading_written_twice_is_named_with_both_columns(tmp_path: Path) -> None:
    """The first of two 'Sentence Type' columns was read, the other ignored, silently."""
    path = tmp_path / "twice.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow([*HEADER, "Sentence Type"])
        writer.writerow([*row(1), "Community order"])
    result = long_list(path)
    assert not result.rows
    (problem,) = result.problems
    assert "'Sentence Type' (column D) and 'Sentence Type' (column H)" in problem.message
    assert "delete or rename one of them" in problem.message


def test_a_long_cell_is_named_as_too_long_whatever_was_read_before(tmp_path: Path) -> None:
    """The reader's limit is the process's: it depended on which file had been read first."""
    csv.field_size_limit(131_072)
    path = write_csv(tmp_path / "long.csv", [row(1), [*row(2)[:1], "S" * 200_000, *row(2)[2:]]])
    result = long_list(path)
    assert [r.row_number for r in result.rows] == [2]
    assert "200000 characters is too long" in result.problems[0].message


def test_utf16_text_without_its_mark_is_named_as_utf16(tmp_path: Path) -> None:
    """It was refused as "binary data", which says nothing a user can act on."""
    path = tmp_path / "utf16.csv"
    path.write_bytes((",".join(HEADER) + "\r\n" + ",".join(row(1)) + "\r\n").encode("utf-16-le"))
    (problem,) = long_list(path).problems
    assert problem.message == "utf16.csv is UTF-16 text, not UTF-8; save the file as CSV UTF-8."


@pytest.mark.parametrize("name", ["old.xls.csv", "locked.xlsx"])
def test_an_old_or_password_locked_workbook_is_named_so(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    with pytest.raises(ValidationError, match=r"an old Excel file \(\.xls\) or a workbook locked"):
        read_table(path)


def test_rows_a_workbook_hides_are_read_and_said_to_be(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A trust that filtered its export in Excel sends the rows it filtered out, hidden."""
    from inspector_app.cli.main import run_cli

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for n in range(6):
        sheet.append(row(n))
    for hidden in (3, 5):
        sheet.row_dimensions[hidden].hidden = True
    path = tmp_path / "filtered.xlsx"
    book.save(path)
    table = read_table(path)
    assert len(table.rows) == 6 and table.hidden_rows == (3, 5)
    master = tmp_path / "m.inspection"
    assert run_cli(["new", str(master), "--title", "T", "--organisation", "O", "--lead", "L"]) == 0
    capsys.readouterr()
    run_cli(["import-long-list", str(master), str(path), "--show-values"])
    assert "2 rows read are hidden in the workbook" in capsys.readouterr().out
