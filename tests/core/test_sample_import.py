"""Tests for reading a service's long list: real CSV and XLSX files written to tmp_path."""

from __future__ import annotations

import codecs
import csv
import io
import random
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

from inspector_app.core.errors import ValidationError
from inspector_app.core.framework import profile
from inspector_app.core.sample.importing import (
    SAMPLE_COLUMNS,
    Problem,
    SampleReadResult,
    SampleRow,
    read_sample,
)

HEADER = list(SAMPLE_COLUMNS)


def case(sample_no: object = 1, **overrides: object) -> dict[str, object]:
    """A complete, valid row as a service would type it; overrides change single cells."""
    row: dict[str, object] = {
        "sample_no": sample_no,
        "crn": f"X{sample_no}",
        "name": "Alex Example",
        "gender": "Male",
        "ethnicity": "White",
        "age_band": "25-29",
        "sentence_type": "Community order",
        "offence_group": "Burglary",
        "rosh": "Medium",
        "tier": "2",
        "mappa_category": "",
        "mappa_level": "",
        "child_protection": "No",
        "domestic_abuse": "Yes",
        "alcohol_misuse": "n",
        "drug_misuse": "y",
        "statutory_victim": "false",
        "om_grade": "PO",
        "office": "Hastings",
    }
    row.update(overrides)
    return row


def csv_text(rows: list[dict[str, object]], header: list[str] | None = None, delimiter=",") -> str:
    header = header or HEADER
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(_canonical(h), "") for h in header])
    return out.getvalue()


def _canonical(header: str) -> str:
    return header.replace(" ", "_").replace("-", "_").lower()


def write_csv(
    tmp_path: Path,
    rows: list[dict[str, object]],
    header: list[str] | None = None,
    *,
    name: str = "sample.csv",
    delimiter: str = ",",
    encoding: str = "utf-8",
    extra: str = "",
) -> Path:
    path = tmp_path / name
    path.write_bytes((csv_text(rows, header, delimiter) + extra).encode(encoding))
    return path


def write_xlsx(
    tmp_path: Path,
    rows: list[list[object]],
    *,
    name: str = "sample.xlsx",
    first_sheet: str | None = None,
) -> Path:
    """Rows are written as given (None = empty cell); a string starting '=' becomes a formula."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    if first_sheet is not None:  # a decoy sheet put first, active sheet left second
        decoy = workbook.create_sheet(first_sheet, 0)
        decoy.append(["nothing", "here"])
        workbook.active = 1
    path = tmp_path / name
    workbook.save(path)
    return path


def messages(result: SampleReadResult) -> list[str]:
    return [p.message for p in result.problems]


# --- good files --------------------------------------------------------------------------------


def test_good_csv_gives_every_row_converted(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path,
        [
            case(1),
            case(2, rosh="High", tier="4", mappa_category="2", mappa_level="1"),
            case(3, sentence_type="Licence", gender="Female", om_grade="PSO"),
        ],
    )
    result = read_sample(path)

    assert result.ok
    assert result.problems == ()
    assert result.path == path
    assert result.total_rows == 3
    assert [r.row_number for r in result.rows] == [2, 3, 4]
    first = result.rows[0]
    assert first == SampleRow(
        row_number=2,
        sample_no=1,
        crn="X1",
        name="Alex Example",
        profile={
            "gender": "Male",
            "ethnicity": "White",
            "age_band": "25-29",
            "sentence_type": "Community order",
            "offence_group": "Burglary",
            "rosh": "Medium",
            "tier": 2,
            "mappa_category": None,
            "mappa_level": None,
            "child_protection": False,
            "domestic_abuse": True,
            "alcohol_misuse": False,
            "drug_misuse": True,
            "statutory_victim": False,
            "req_accredited_programme": None,
            "req_unpaid_work": None,
            "req_alcohol_treatment": None,
            "req_drug_rehabilitation": None,
            "req_rehabilitation_activity": None,
            "req_curfew": None,
            "om_grade": "PO",
            "office": "Hastings",
        },
        # The export's own spelling is kept beside each value it was mapped from.
        raw={"alcohol_misuse": "n", "drug_misuse": "y", "statutory_victim": "false"},
    )
    second = result.rows[1].profile
    assert (second["rosh"], second["tier"], second["mappa_category"], second["mappa_level"]) == (
        "High",
        4,
        2,
        1,
    )
    for row in result.rows:
        assert set(row.profile) == {f.name for f in profile.PROFILE_FIELDS}
        for f in profile.PROFILE_FIELDS:
            assert profile.is_valid_value(f, row.profile[f.name]), (f.name, row.profile[f.name])


def test_good_xlsx_with_numbers_and_booleans(tmp_path: Path) -> None:
    header = ["Sample No", "CRN", "Name", "Sentence type", "RoSH", "Tier", "MAPPA level"]
    header += ["Domestic abuse", "Drug misuse", "Office"]
    path = write_xlsx(
        tmp_path,
        [
            header,
            [1, "X1", "Ann", "Community order", "Low", 3, 2.0, True, False, "Rye"],
            [2.0, "X2", "Bob", "SSO", "high", 3.0, None, 1, 0, 42],
            ["Case 003", "X3", "Cy", "Licence", "Very high", "Tier 1", "3", "yes", "NO", "  Hove "],
        ],
    )
    result = read_sample(path)

    assert result.ok, messages(result)
    assert [(r.row_number, r.sample_no, r.crn, r.name) for r in result.rows] == [
        (2, 1, "X1", "Ann"),
        (3, 2, "X2", "Bob"),
        (4, 3, "X3", "Cy"),
    ]
    one, two, three = (r.profile for r in result.rows)
    assert (one["tier"], one["mappa_level"], one["domestic_abuse"], one["drug_misuse"]) == (
        3,
        2,
        True,
        False,
    )
    assert (two["sentence_type"], two["rosh"], two["tier"], two["mappa_level"]) == (
        "Suspended sentence order",
        "High",
        3,
        None,
    )
    assert (two["domestic_abuse"], two["drug_misuse"], two["office"]) == (True, False, "42")
    assert (three["tier"], three["mappa_level"], three["office"]) == (1, 3, "Hove")
    assert two["gender"] is None  # no gender column: optional, so just unknown


def test_xlsx_reads_the_sheet_with_the_case_table_and_header_below_blank_rows(
    tmp_path: Path,
) -> None:
    path = write_xlsx(
        tmp_path,
        [
            [None, None],
            ["", "   "],
            ["sample_no", "sentence_type", "rosh", "tier"],
            [5, "co", "low", 1],
            [6, "co", "Extreme", 1],
        ],
        first_sheet="Cases",
    )
    # The decoy sheet is first, but the sheet whose header names the profile's columns is read.
    result = read_sample(path)
    assert [r.row_number for r in result.rows] == [4]
    assert result.table is not None and result.table.sheet == "Sheet"
    assert result.table.sheets == ("Cases", "Sheet")

    path = write_xlsx(
        tmp_path,
        [
            [None, None],
            ["", "   "],
            ["sample_no", "sentence_type", "rosh", "tier"],
            [5, "co", "low", 1],
            [6, "co", "Extreme", 1],
        ],
        name="offset.xlsx",
    )
    result = read_sample(path)
    assert [r.row_number for r in result.rows] == [4]
    assert messages(result) == [
        "offset.xlsx row 5, column 'rosh': unknown value 'Extreme' for RoSH level "
        "(expected Low, Medium, High or Very high); map it to an allowed value, or exclude its rows."
    ]


# --- headers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sample_header",
    ["sample_no", "Sample No", "SAMPLE-NO", " sample  no ", "SampleNo", "Sample number"],
)
@pytest.mark.parametrize("rosh_header", ["rosh", "RoSH", "ROSH", "RoSH level"])
def test_header_variants_match(tmp_path: Path, sample_header: str, rosh_header: str) -> None:
    header = [sample_header, "Sentence_Type", rosh_header]
    header += ["TIER", "Domestic Abuse", "om-grade"]
    lines = [",".join(header), "7,co,Low,1,yes,PSO"]
    path = tmp_path / "sample.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    result = read_sample(path)

    assert result.ok, messages(result)
    (row,) = result.rows
    assert row.sample_no == 7
    assert row.profile["rosh"] == "Low"
    assert row.profile["domestic_abuse"] is True
    assert row.profile["om_grade"] == "PSO"


def test_unknown_extra_columns_are_ignored(tmp_path: Path) -> None:
    header = ["Notes", *HEADER, "Date of birth", ""]
    rows = [case(1, notes="anything at all", date_of_birth="1990-01-01")]
    path = write_csv(tmp_path, rows, header)

    result = read_sample(path)

    assert result.ok, messages(result)
    assert result.rows[0].sample_no == 1


def test_missing_required_column_is_a_file_problem_and_no_row_is_valid(tmp_path: Path) -> None:
    header = [h for h in HEADER if h != "rosh"]
    path = write_csv(tmp_path, [case(1), case(2)], header)

    result = read_sample(path)

    assert not result.ok
    assert result.rows == ()
    assert result.total_rows == 2
    assert result.problems == (
        Problem(
            None,
            "rosh",
            "sample.csv has no column 'rosh' (RoSH level) in its header row (row 1); "
            "this column is required.",
        ),
    )


def test_missing_sample_no_column(tmp_path: Path) -> None:
    header = [h for h in HEADER if h != "sample_no"]
    result = read_sample(write_csv(tmp_path, [case(1)], header))
    assert result.rows == ()
    assert [(p.row, p.column) for p in result.problems] == [(None, "sample_no")]


def test_missing_optional_columns_give_none(tmp_path: Path) -> None:
    header = ["sample_no", "sentence_type", "rosh", "tier"]
    result = read_sample(write_csv(tmp_path, [case(1)], header))
    assert result.ok
    (row,) = result.rows
    assert row.crn is None and row.name is None
    assert row.profile["gender"] is None and row.profile["office"] is None


def test_duplicate_header_column_is_a_problem(tmp_path: Path) -> None:
    header = [*HEADER, "RoSH"]
    result = read_sample(write_csv(tmp_path, [case(1)], header))
    assert result.rows == ()
    assert result.problems == (
        Problem(
            None,
            "RoSH",
            "sample.csv has two columns for 'rosh': 'rosh' (column I) and 'RoSH' (column Z); "
            "delete one of them or choose one in the mapping.",
        ),
    )


# --- encodings and delimiters ------------------------------------------------------------------


def test_bom_is_accepted_and_first_header_still_matches(tmp_path: Path) -> None:
    path = write_csv(tmp_path, [case(1), case(2)], encoding="utf-8-sig")
    assert path.read_bytes().startswith(codecs.BOM_UTF8)
    result = read_sample(path)
    assert result.ok, messages(result)
    assert [r.sample_no for r in result.rows] == [1, 2]


@pytest.mark.parametrize("delimiter", [";", "\t", ","])
def test_delimiter_is_detected(tmp_path: Path, delimiter: str) -> None:
    rows = [case(1, office="Hastings, East Sussex"), case(2, office="A; B")]
    path = write_csv(tmp_path, rows, delimiter=delimiter, encoding="utf-8-sig")
    result = read_sample(path)
    assert result.ok, messages(result)
    assert [r.profile["office"] for r in result.rows] == ["Hastings, East Sussex", "A; B"]


def test_non_ascii_utf8_text_is_kept(tmp_path: Path) -> None:
    result = read_sample(write_csv(tmp_path, [case(1, name="Zoë Brontë", office="Café")]))
    assert result.rows[0].name == "Zoë Brontë"
    assert result.rows[0].profile["office"] == "Café"


def test_latin1_bytes_are_refused_with_the_byte_and_line(tmp_path: Path) -> None:
    rows = [case(1), case(2), case(3, office="Café")]
    path = write_csv(tmp_path, rows, encoding="cp1252")

    result = read_sample(path)

    assert result.rows == ()
    assert result.total_rows == 0
    assert result.problems == (
        Problem(
            None,
            None,
            "sample.csv is not UTF-8 text (byte 0xE9 at line 4); save the file as CSV UTF-8.",
        ),
    )


def test_utf16_is_refused_as_a_problem(tmp_path: Path) -> None:
    path = write_csv(tmp_path, [case(1)], encoding="utf-16")
    result = read_sample(path)
    assert result.rows == ()
    assert messages(result) == ["sample.csv is UTF-16 text, not UTF-8; save the file as CSV UTF-8."]


# --- files that are not tables -----------------------------------------------------------------


def test_directory_is_an_error(tmp_path: Path) -> None:
    folder = tmp_path / "list.csv"
    folder.mkdir()
    with pytest.raises(ValidationError, match=r"list\.csv: it is a folder"):
        read_sample(folder)


def test_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match=r"nope\.csv: it does not exist"):
        read_sample(tmp_path / "nope.csv")


@pytest.mark.parametrize("name", ["sample.xls", "sample.txt", "sample"])
def test_other_extensions_are_an_error(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text(csv_text([case(1)]), encoding="utf-8")
    with pytest.raises(ValidationError, match=rf"{name}: only CSV \(\.csv\) and Excel"):
        read_sample(path)


@pytest.mark.parametrize("name", ["garbage.csv", "garbage.xlsx"])
def test_random_bytes_are_an_error(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(random.Random(1).randbytes(4096))
    with pytest.raises(ValidationError, match=rf"{name}: it is not"):
        read_sample(path)


def test_control_characters_without_nul_are_binary(tmp_path: Path) -> None:
    path = tmp_path / "controls.csv"
    path.write_bytes(bytes(range(1, 9)) * 200)
    with pytest.raises(ValidationError, match="binary data"):
        read_sample(path)


def test_csv_text_named_xlsx_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "sample.xlsx"
    path.write_text(csv_text([case(1)]), encoding="utf-8")
    with pytest.raises(ValidationError, match=r"sample\.xlsx: it is not a valid Excel workbook"):
        read_sample(path)


def test_workbook_named_csv_is_an_error_that_says_so(tmp_path: Path) -> None:
    xlsx = write_xlsx(tmp_path, [["sample_no"], [1]])
    path = xlsx.rename(tmp_path / "sample.csv")
    with pytest.raises(ValidationError, match="looks like an Excel workbook"):
        read_sample(path)


@pytest.mark.parametrize("content", [b"", b"\r\n\r\n  \r\n", b",,,\n,,\n", codecs.BOM_UTF8])
def test_empty_csv_is_a_file_problem(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    result = read_sample(path)
    assert result.rows == ()
    assert result.total_rows == 0
    assert result.problems == (
        Problem(None, None, "empty.csv is empty: it has no header row and no cases."),
    )


def test_empty_xlsx_is_a_file_problem(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path, [], name="empty.xlsx")
    result = read_sample(path)
    assert messages(result) == ["empty.xlsx is empty: it has no header row and no cases."]


def test_header_without_cases_is_a_file_problem(tmp_path: Path) -> None:
    result = read_sample(write_csv(tmp_path, [], extra="\r\n,,,\r\n"))
    assert result.rows == ()
    assert result.total_rows == 0
    assert messages(result) == ["sample.csv has a header row but no cases."]


# --- values ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("17", 17), ("017", 17), ("Case 017", 17), ("case17", 17), (" CASE 17 ", 17), ("17.0", 17)],
)
def test_sample_number_spellings(tmp_path: Path, cell: str, expected: int) -> None:
    result = read_sample(write_csv(tmp_path, [case(cell)]))
    assert result.ok, messages(result)
    assert result.rows[0].sample_no == expected


@pytest.mark.parametrize("cell", ["0", "-3", "abc", "17.5", "Case", "Tier 3", "1e3"])
def test_bad_sample_numbers(tmp_path: Path, cell: str) -> None:
    result = read_sample(write_csv(tmp_path, [case(cell), case(2)]))
    assert [r.sample_no for r in result.rows] == [2]
    assert messages(result) == [
        f"sample.csv row 2, column 'sample_no': '{cell}' is not a sample number "
        "(expected a positive whole number such as 17 or Case 017)."
    ]


def test_duplicate_sample_numbers_name_the_first_row(tmp_path: Path) -> None:
    rows = [case(1), case(17), case(2), case("Case 017"), case("017")]
    result = read_sample(write_csv(tmp_path, rows, ["Sample No", *HEADER[1:]]))
    assert [r.row_number for r in result.rows] == [2, 3, 4]
    assert result.problems == (
        Problem(
            5,
            "Sample No",
            "sample.csv row 5, column 'Sample No': sample number 17 is already used on row 3.",
        ),
        Problem(
            6,
            "Sample No",
            "sample.csv row 6, column 'Sample No': sample number 17 is already used on row 3.",
        ),
    )


@pytest.mark.parametrize(
    ("column", "cell", "expected"),
    [
        ("rosh", "very high", "Very high"),
        ("rosh", "  HIGH  ", "High"),
        ("rosh", "Very  High", "Very high"),
        ("sentence_type", "SSO", "Suspended sentence order"),
        ("sentence_type", "co", "Community order"),
        ("sentence_type", "License", "Licence"),
        ("sentence_type", "community ORDER", "Community order"),
        ("gender", "m", "Male"),
        ("gender", "F", "Female"),
        ("om_grade", "pso", "PSO"),
        ("ethnicity", "asian/asian british", "Asian/Asian British"),
        ("age_band", "50+", "50+"),
    ],
)
def test_choices_and_aliases(tmp_path: Path, column: str, cell: str, expected: str) -> None:
    result = read_sample(write_csv(tmp_path, [case(1, **{column: cell})]))
    assert result.ok, messages(result)
    assert result.rows[0].profile[column] == expected


@pytest.mark.parametrize(
    ("column", "cell", "expected"),
    [
        ("tier", "3", 3),
        ("tier", "3.0", 3),
        ("tier", "Tier 3", 3),
        ("tier", " tier 4 ", 4),
        ("mappa_category", "2.0", 2),
        ("mappa_level", "03", 3),
    ],
)
def test_integer_spellings(tmp_path: Path, column: str, cell: str, expected: int) -> None:
    result = read_sample(write_csv(tmp_path, [case(1, **{column: cell})]))
    assert result.ok, messages(result)
    assert result.rows[0].profile[column] == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("yes", True),
        ("Y", True),
        ("TRUE", True),
        ("1", True),
        ("No", False),
        ("n", False),
        ("False", False),
        ("0", False),
        (" yes ", True),
        ("", None),
    ],
)
def test_flag_spellings(tmp_path: Path, cell: str, expected: bool | None) -> None:
    result = read_sample(write_csv(tmp_path, [case(1, domestic_abuse=cell)]))
    assert result.ok, messages(result)
    assert result.rows[0].profile["domestic_abuse"] is expected


def test_each_kind_of_bad_row_is_reported_and_only_good_rows_returned(tmp_path: Path) -> None:
    header = ["Sample No", "CRN", "Sentence Type", "RoSH", "Tier", "MAPPA level", "Drug misuse"]
    rows = [
        ["1", "X1", "co", "Low", "1", "", "yes"],  # row 2: good
        ["2", "X2", "co", "Extreme", "1", "", "yes"],  # row 3: unknown value
        ["1", "X3", "co", "Low", "1", "", "yes"],  # row 4: duplicate of row 2
        ["4", "X4", "", "Low", "", "", "yes"],  # row 5: two blank required values
        ["5", "X5", "co", "Low", "Tier five", "", "yes"],  # row 6: bad tier
        ["6", "X6", "co", "Low", "5", "4", "maybe"],  # row 7: tier, MAPPA and flag
        ["7", "", "co", "Medium", "2", "", ""],  # row 8: good, optional blanks
    ]
    path = tmp_path / "sample.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, *rows, ["", "", ""], [], ["  ", "", "", ""]])

    result = read_sample(path)

    assert not result.ok
    assert result.total_rows == 7
    assert [(r.row_number, r.sample_no) for r in result.rows] == [(2, 1), (8, 7)]
    assert result.rows[1].crn is None
    assert result.rows[1].profile["drug_misuse"] is None
    assert [(p.row, p.column, p.message) for p in result.problems] == [
        (
            3,
            "RoSH",
            "sample.csv row 3, column 'RoSH': unknown value 'Extreme' for RoSH level "
            "(expected Low, Medium, High or Very high); map it to an allowed value, or exclude its rows.",
        ),
        (
            4,
            "Sample No",
            "sample.csv row 4, column 'Sample No': sample number 1 is already used on row 2.",
        ),
        (
            5,
            "Sentence Type",
            "sample.csv row 5, column 'Sentence Type': missing value (Sentence type is required).",
        ),
        (
            6,
            "Tier",
            "sample.csv row 6, column 'Tier': unknown value 'Tier five' for Tier "
            "(expected 1, 2, 3 or 4); map it to an allowed value, or exclude its rows.",
        ),
        (
            7,
            "Tier",
            "sample.csv row 7, column 'Tier': unknown value '5' for Tier (expected 1, 2, 3 or 4); map it to an allowed value, or exclude its rows.",
        ),
        (
            7,
            "MAPPA level",
            "sample.csv row 7, column 'MAPPA level': unknown value '4' for MAPPA level "
            "(expected 1, 2 or 3); map it to an allowed value, or exclude its rows.",
        ),
        (
            7,
            "Drug misuse",
            "sample.csv row 7, column 'Drug misuse': unknown value 'maybe' for Drug misuse "
            "(expected yes or no); map it to an allowed value, or exclude its rows.",
        ),
    ]


def test_problems_are_ordered_by_row_then_column_as_in_the_file(tmp_path: Path) -> None:
    header = ["Tier", "RoSH", "Sentence type", "Sample No"]  # file order, not field order
    lines = ["Tier,RoSH,Sentence type,Sample No", "9,Huge,Bus,x", "1,Low,co,3", "0,Low,co,3"]
    path = tmp_path / "sample.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    result = read_sample(path)
    assert [(p.row, p.column) for p in result.problems] == [
        (2, header[0]),
        (2, header[1]),
        (2, header[2]),
        (2, header[3]),
        (4, header[0]),
        (4, header[3]),
    ]
    assert [r.row_number for r in result.rows] == [3]


def test_long_bad_values_are_shortened_in_messages(tmp_path: Path) -> None:
    result = read_sample(write_csv(tmp_path, [case(1, rosh="x" * 500)]))
    (message,) = messages(result)
    assert "'" + "x" * 37 + "...'" in message
    assert len(message) < 200


def test_short_rows_are_padded_with_blanks(tmp_path: Path) -> None:
    path = tmp_path / "sample.csv"
    path.write_text("sample_no,sentence_type,rosh,tier,office\n1,co,low,2\n2,co\n", "utf-8")
    result = read_sample(path)
    assert [r.sample_no for r in result.rows] == [1]
    assert result.rows[0].profile["office"] is None
    # RoSH is required; tier is not (exports say "Not tiered"), so a short row lacks only RoSH.
    assert [(p.row, p.column) for p in result.problems] == [(3, "rosh")]


# --- formulas are text -------------------------------------------------------------------------

FORMULA = '=HYPERLINK("http://x","y")'


def test_formula_like_csv_cell_is_kept_as_text(tmp_path: Path) -> None:
    rows = [case(1, office=FORMULA, crn="=1+2", name="@SUM(A1:A2)")]
    result = read_sample(write_csv(tmp_path, rows))
    assert result.ok, messages(result)
    (row,) = result.rows
    assert row.profile["office"] == FORMULA
    assert row.crn == "=1+2"
    assert row.name == "@SUM(A1:A2)"


def test_formula_xlsx_cell_gives_its_saved_value_and_is_never_evaluated(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path,
        [
            ["sample_no", "crn", "sentence_type", "rosh", "tier", "office"],
            [1, "=1+2", "co", "Low", 1, FORMULA],
            [2, "X2", "co", "Low", "=1+1", "Rye"],
        ],
    )
    # openpyxl stored real formulas (not strings) in the file.
    sheet = openpyxl.load_workbook(path).active
    assert sheet["F2"].data_type == "f"

    result = read_sample(path)

    # The value Excel saved with a formula is read; this file was never opened in Excel, so it
    # has none, and nothing computes one: the cells read as blank, never as 3 or 2.
    assert result.ok, messages(result)
    one, two = result.rows
    assert one.crn is None
    assert one.profile["office"] is None
    assert two.profile["tier"] is None


# --- blank rows --------------------------------------------------------------------------------


def test_blank_trailing_rows_are_skipped_silently_in_csv(tmp_path: Path) -> None:
    trailing = "," * (len(HEADER) - 1) + "\r\n"
    extra = trailing * 5 + "\r\n\r\n" + " , ,\t,\r\n"
    result = read_sample(write_csv(tmp_path, [case(1), case(2)], extra=extra))
    assert result.ok, messages(result)
    assert result.total_rows == 2


def test_blank_rows_are_skipped_silently_in_xlsx(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path,
        [
            ["sample_no", "sentence_type", "rosh", "tier"],
            [1, "co", "low", 1],
            [None, None, None, None],
            [2, "co", "low", 1],
            ["", "  ", None, None],
            [None, None, None, None],
        ],
    )
    result = read_sample(path)
    assert result.ok, messages(result)
    assert [r.row_number for r in result.rows] == [2, 4]
    assert result.total_rows == 2


# --- size --------------------------------------------------------------------------------------


def test_ten_thousand_csv_rows_read_quickly(tmp_path: Path) -> None:
    rows = [case(i, office=f"Office {i % 7}") for i in range(1, 10_001)]
    rows[5000]["rosh"] = "Extreme"
    path = write_csv(tmp_path, rows)

    start = time.perf_counter()
    result = read_sample(path)
    elapsed = time.perf_counter() - start

    assert result.total_rows == 10_000
    assert len(result.rows) == 9_999
    assert len(result.problems) == 1
    assert elapsed < 2.0, f"took {elapsed:.2f}s"


def test_ten_thousand_xlsx_rows_read_quickly(tmp_path: Path) -> None:
    header = ["sample_no", "crn", "sentence_type", "rosh", "tier", "domestic_abuse", "office"]
    rows = [header] + [[i, f"X{i}", "SSO", "High", 3, True, "Rye"] for i in range(1, 10_001)]
    path = write_xlsx(tmp_path, rows)

    start = time.perf_counter()
    result = read_sample(path)
    elapsed = time.perf_counter() - start

    assert result.ok
    assert len(result.rows) == 10_000
    assert elapsed < 4.0, f"took {elapsed:.2f}s"


def test_header_without_required_columns_or_cases_lists_columns_first(tmp_path: Path) -> None:
    path = tmp_path / "sample.csv"
    path.write_text("sample_no,sentence_type,tier\n", encoding="utf-8")
    result = read_sample(path)
    assert [(p.row, p.column) for p in result.problems] == [(None, "rosh"), (None, None)]
    assert result.problems[-1].message == "sample.csv has a header row but no cases."


def test_zip_that_is_not_a_workbook_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "letter.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<document/>")
    with pytest.raises(ValidationError, match=r"letter\.xlsx: it is not a valid Excel workbook"):
        read_sample(path)


def test_csv_the_parser_cannot_split_is_an_error(tmp_path: Path) -> None:
    huge = '"' + "x" * (csv.field_size_limit() + 10) + '"'
    result_path = write_csv(tmp_path, [case(1)], extra=f"2,{huge}\r\n")
    with pytest.raises(ValidationError, match=r"sample\.csv as CSV: field larger than"):
        read_sample(result_path)


def test_two_columns_for_one_field_import_once_the_lead_chooses_one(tmp_path: Path) -> None:
    from inspector_app.core.sample.importing import convert_table, read_sample_table
    from inspector_app.core.sample.mapping import propose_mapping

    header = [*HEADER, "RoSH"]
    path = write_csv(tmp_path, [case(1, rosh="High")], header)
    definition = profile.default_profile()
    table = read_sample_table(path, definition)
    mapping = propose_mapping(definition, table)
    assert mapping.ambiguous == {"rosh": ("rosh", "RoSH")}
    assert not convert_table(table, definition, mapping).ok
    mapping.choose_column("rosh", "rosh")
    result = convert_table(table, definition, mapping)
    assert result.ok, messages(result)
    assert result.rows[0].profile["rosh"] == "High"


def test_a_header_row_chosen_without_a_sheet_skips_sheets_too_short_for_it(
    tmp_path: Path,
) -> None:
    book = openpyxl.Workbook()
    book.active.title = "Notes"
    book.active.append(["Field", "Meaning"])
    cases = book.create_sheet("Cases")
    cases.append(["Example trust: caseload"])
    cases.append([])
    cases.append(["sample_no", "sentence_type", "rosh"])
    cases.append([1, "Licence", "Low"])
    path = tmp_path / "two.xlsx"
    book.save(path)
    from inspector_app.core.sample.mapping import SampleMapping

    result = read_sample(path, mapping=SampleMapping(header_row=3))
    assert result.ok, messages(result)
    assert result.table is not None and result.table.sheet == "Cases"
    with pytest.raises(ValidationError, match="row 9 cannot be the header row"):
        read_sample(path, mapping=SampleMapping(header_row=9))
