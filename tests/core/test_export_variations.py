"""One long list in the many shapes trusts export it: every shape must give the same cases.

A canonical list of 12 cases (headings = field ids, values as the profile declares them) is the
reference. Each variation writes the same 12 cases the way some trust's export does (other
headings, ONS codes, a title block and totals row, a notes sheet, combined columns, dates of
birth, ...) to tmp_path and must read back to exactly the canonical cases. A value the profile
does not declare is mapped by an explicit mapping file, never guessed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import time
import tracemalloc
import zipfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pytest

from inspector_app.core.framework.profile import EXCLUDE, IGNORE, NOT_RECORDED, default_profile
from inspector_app.core.sample.importing import (
    SAMPLE_COLUMNS,
    Problem,
    SampleReadResult,
    read_sample,
    read_sample_table,
)
from inspector_app.core.sample.mapping import (
    SampleMapping,
    column_values,
    load_mapping,
    parse_mapping,
    propose_mapping,
)

DEFINITION = default_profile()
PROFILE_FIELDS = tuple(f.name for f in DEFINITION.profile_fields)
REFERENCE = dt.date(2013, 11, 4)  # the fieldwork start a date of birth is banded on
# The trust-shaped example kept beside the checkout (never copied into the repository).
REAL_EXAMPLE = Path(__file__).resolve().parents[3] / "shared" / "data" / "long-list-example.xlsx"

FLAG_LETTERS = {
    "c": "child_protection",
    "d": "domestic_abuse",
    "a": "alcohol_misuse",
    "g": "drug_misuse",
    "v": "statutory_victim",
}
REQUIREMENTS = {  # code used in the cases below -> flag field, and how exports spell it
    "AP": ("req_accredited_programme", "Accredited Programme"),
    "UPW": ("req_unpaid_work", "UPW"),
    "ATR": ("req_alcohol_treatment", "ATR"),
    "DRR": ("req_drug_rehabilitation", "DRR"),
    "RAR": ("req_rehabilitation_activity", "RAR"),
    "EM": ("req_curfew", "Curfew (EM)"),
}


@dataclass(frozen=True)
class Case:
    """One case of the canonical list, with the facts every shape writes in its own way."""

    no: int
    crn: str
    name: str
    gender: str
    ethnicity: str | None
    age_band: str
    born: dt.date  # consistent with age_band on REFERENCE
    sentence: str
    offence: str
    rosh: str
    tier: int | None
    mappa: tuple[int, int | None] | None  # (category, level)
    flags: str | None  # letters of the flags that are set (FLAG_LETTERS); None: all blank
    reqs: tuple[str, ...] | None  # requirement codes; () only unflagged items; None: blank
    grade: str
    office: str

    def profile(self) -> dict[str, object]:
        """The profile every shape of this case must read as."""
        category, level = self.mappa or (None, None)
        flags = {
            name: None if self.flags is None else letter in self.flags
            for letter, name in FLAG_LETTERS.items()
        }
        reqs = {
            name: None if self.reqs is None else code in self.reqs
            for code, (name, _) in REQUIREMENTS.items()
        }
        return {
            "gender": self.gender,
            "ethnicity": self.ethnicity,
            "age_band": self.age_band,
            "sentence_type": self.sentence,
            "offence_group": self.offence,
            "rosh": self.rosh,
            "tier": self.tier,
            "mappa_category": category,
            "mappa_level": level,
            **flags,
            **reqs,
            "om_grade": self.grade,
            "office": self.office,
        }


WHITE = "White"
MIXED = "Mixed/Multiple ethnic groups"
ASIAN = "Asian/Asian British"
BLACK = "Black/African/Caribbean/Black British"
OTHER = "Other ethnic group"
UNKNOWN = "Not known"
CO, SSO, LICENCE = "Community order", "Suspended sentence order", "Licence"

# Dates of birth sit on the band boundaries: case 1 turns 21 the day after the reference date
# (still 18-20), case 2 turns 21 on it, case 5 turns 50 the day after, case 6 on it, case 8
# turns 18 on it, case 3 was born on 29 February.
# fmt: off
CASES = (
    Case(1, "D100001", "Aaron Ainsworth", "Male", WHITE, "18-20", dt.date(1992, 11, 5), CO, "Violence against the person", "Medium", 3, None, "da", ("UPW", "ATR"), "PO", "Liverpool North"),
    Case(2, "D100002", "Chloë Brennan", "Female", BLACK, "21-24", dt.date(1992, 11, 4), SSO, "Theft and handling", "Low", 2, None, "g", ("RAR",), "PSO", "Sefton"),
    Case(3, "D100003", "Imran Chaudhry", "Male", ASIAN, "25-29", dt.date(1988, 2, 29), LICENCE, "Robbery", "High", 3, (2, 1), "dv", None, "PO", "Wirral"),
    Case(4, "D100004", "Jerome Dixon", "Male", MIXED, "30-39", dt.date(1980, 6, 20), LICENCE, "Sexual offences", "Very high", 1, (1, 2), "cv", None, "PO", "Liverpool Central"),
    Case(5, "D100005", "Nadia Evans", "Female", OTHER, "40-49", dt.date(1963, 11, 5), CO, "Drug offences", "Medium", 4, None, "ag", ("DRR",), "PSO", "St Helens"),
    Case(6, "D100006", "Peter Fallon", "Male", UNKNOWN, "50+", dt.date(1963, 11, 4), SSO, "Fraud and forgery", "Low", None, None, "", (), "PSO", "Knowsley"),
    Case(7, "D100007", "Gary Gibson", "Male", WHITE, "30-39", dt.date(1975, 1, 1), LICENCE, "Burglary", "Very high", 2, (3, None), "cdagv", None, "PO", "Liverpool North"),
    Case(8, "D100008", "Holly Hughes", "Female", WHITE, "18-20", dt.date(1995, 11, 4), CO, "Criminal damage", "Low", 4, None, "a", ("AP", "EM"), "PSO", "Sefton"),
    Case(9, "D100009", "Kwame Idowu", "Male", None, "40-49", dt.date(1970, 3, 15), LICENCE, "Motoring offences", "High", 3, (2, 2), "d", None, "PO", "Wirral"),
    Case(10, "D100010", "Liam Jones", "Male", BLACK, "25-29", dt.date(1986, 7, 9), CO, "Other offences", "Medium", 2, None, "g", ("UPW",), "PSO", "St Helens"),
    Case(11, "D100011", "Owen Kelly", "Male", WHITE, "21-24", dt.date(1990, 12, 25), SSO, "Violence against the person", "High", 1, None, None, ("AP", "RAR", "EM"), "PO", "Knowsley"),
    Case(12, "D100012", "Mei Lin", "Female", ASIAN, "50+", dt.date(1948, 5, 30), LICENCE, "Theft and handling", "Medium", 3, None, "", None, "PSO", "Liverpool Central"),
)
# fmt: on
EXPECTED = [(c.no, c.profile()) for c in CASES]

Row = dict[str, object]  # heading -> cell, in column order


def canonical_row(case: Case) -> Row:
    """The case as the canonical CSV holds it: field ids as headings, declared values."""
    row: Row = {"sample_no": case.no, "crn": case.crn, "name": case.name}
    values = case.profile()
    for name in SAMPLE_COLUMNS[3:]:
        value = values[name]
        if value is None:
            row[name] = ""
        elif isinstance(value, bool):
            row[name] = "yes" if value else "no"
        else:
            row[name] = value
    assert list(row) == list(SAMPLE_COLUMNS)
    return row


def cases(result: SampleReadResult) -> list[tuple[int | None, dict[str, object]]]:
    return [(r.sample_no, r.profile) for r in result.rows]


def messages(result: SampleReadResult) -> list[str]:
    return [p.message for p in result.problems]


# --- shaping rows ------------------------------------------------------------------------------


def replace(row: Row, old: str, heading: str, value: object) -> Row:
    """`old`'s column becomes `heading` holding `value`, in the same place."""
    return {(heading if k == old else k): (value if k == old else v) for k, v in row.items()}


def restyle(row: Row, name: str, value: object) -> Row:
    return replace(row, name, name, value)


def drop(row: Row, *names: str) -> Row:
    return {k: v for k, v in row.items() if k not in names}


def rename(row: Row, headings: dict[str, str]) -> Row:
    return {headings.get(k, k): v for k, v in row.items()}


def spell_ethnicity(case: Case, spellings: dict[str, Sequence[str]]) -> str:
    """The case's ethnicity in one of its spellings: the first case of each group takes the
    first spelling, the next the second, and so on round."""
    if case.ethnicity is None:
        return ""
    options = spellings[case.ethnicity]
    group = [c.no for c in CASES if c.ethnicity == case.ethnicity]
    return options[group.index(case.no) % len(options)]


SHORT_ETHNICITY = {
    WHITE: ["White"],
    BLACK: ["Black"],
    ASIAN: ["Asian"],
    MIXED: ["Mixed"],
    OTHER: ["Other"],
    UNKNOWN: ["Not stated"],
}
ONS_CODES = {
    WHITE: ["W1 White: British", "W2 White: Irish", "W9 White: Any other White background"],
    BLACK: ["B2 Black or Black British: African", "B1 Black or Black British: Caribbean"],
    ASIAN: ["A1 Asian or Asian British: Indian", "A2 Asian or Asian British: Pakistani"],
    MIXED: ["M1 Mixed: White and Black Caribbean"],
    OTHER: ["O2 Other: Any other"],
    UNKNOWN: ["Z1 Not stated"],
}
ONS_2011 = {
    WHITE: [
        "White: English/Welsh/Scottish/Northern Irish/British",
        "White: Irish",
        "White: Any other White background",
    ],
    BLACK: [
        "Black/African/Caribbean/Black British: Caribbean",
        "Black/African/Caribbean/Black British: African",
    ],
    ASIAN: ["Asian/Asian British: Indian", "Asian/Asian British: Pakistani"],
    MIXED: ["Mixed/Multiple ethnic groups: White and Black Caribbean"],
    OTHER: ["Other ethnic group: Arab"],
    UNKNOWN: ["Not Stated"],
}
ORA_SENTENCES = {
    CO: "ORA Community Order",
    SSO: "ORA Suspended Sentence Order",
    LICENCE: "CJA - Std Determinate Custody (Licence)",
}
ORA_MAPPING = """\
# The trust's order types, mapped by the lead.
[values.sentence_type]
"ORA Community Order" = "Community order"
"ORA Suspended Sentence Order" = "Suspended sentence order"
"CJA - Std Determinate Custody (Licence)" = "Licence"
"""
SUPERVISION_MAPPING = """\
[values.requirements]
"Supervision" = "(ignore)"
"""
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d %b %Y", "%d.%m.%Y")


def ethnicity_as(spellings: dict[str, Sequence[str]]) -> Callable[[Case], Row]:
    return lambda c: restyle(canonical_row(c), "ethnicity", spell_ethnicity(c, spellings))


def flags_as(yes: str, no: str) -> Callable[[Case], Row]:
    names = [*FLAG_LETTERS.values(), *(name for name, _ in REQUIREMENTS.values())]

    def shape(case: Case) -> Row:
        row = canonical_row(case)
        for name in names:
            row[name] = {"yes": yes, "no": no, "": ""}[str(row[name])]
        return row

    return shape


def rosh_upper(case: Case) -> Row:
    rosh = "VH" if case.no == 7 else case.rosh.upper()  # case 4 "VERY HIGH", case 7 "VH"
    return restyle(canonical_row(case), "rosh", rosh)


def tier_as(prefix: str) -> Callable[[Case], Row]:
    return lambda c: restyle(
        canonical_row(c), "tier", "" if c.tier is None else f"{prefix}{c.tier}"
    )


def date_of_birth(case: Case, *, typed: bool = False) -> Row:
    born: object = (
        case.born if typed else case.born.strftime(DATE_FORMATS[case.no % len(DATE_FORMATS)])
    )
    return replace(canonical_row(case), "age_band", "Date of birth", born)


OTHER_HEADINGS = {
    "sample_no": "Sample",
    "crn": "CRN",
    "name": "Offender Name",
    "gender": "Sex",
    "ethnicity": "Ethnic Group",
    "age_band": "Age Group",
    "sentence_type": "Sentence",
    "offence_group": "Main Offence",
    "rosh": "Risk of Serious Harm",
    "tier": "NOMS Tier",
    "mappa_category": "MAPPA Cat",
    "mappa_level": "MAPPA Lvl",
    "child_protection": "Safeguarding",
    "domestic_abuse": "DV Flag",
    "alcohol_misuse": "Alcohol",
    "drug_misuse": "Drugs",
    "statutory_victim": "Victim Contact",
    "req_accredited_programme": "Accredited Programme",
    "req_unpaid_work": "UPW",
    "req_alcohol_treatment": "ATR",
    "req_drug_rehabilitation": "DRR",
    "req_rehabilitation_activity": "RAR",
    "req_curfew": "Curfew",
    "om_grade": "OM Grade",
    "office": "Team",
}


def combined(case: Case) -> Row:
    """MAPPA as 'Cat 2 / Level 1' in one column, requirements as 'UPW; ATR' in another."""
    row = canonical_row(case)
    mappa = ""
    if case.mappa is not None:
        category, level = case.mappa
        mappa = f"Cat {category}" + ("" if level is None else f" / Level {level}")
    row = drop(replace(row, "mappa_category", "MAPPA", mappa), "mappa_level")
    if case.reqs is None:
        reqs = ""
    elif not case.reqs:
        reqs = "Supervision"  # an item that sets no flag, mapped to (ignore)
    else:
        reqs = "; ".join(REQUIREMENTS[code][1] for code in case.reqs)
    req_fields = [name for name, _ in REQUIREMENTS.values()]
    return drop(replace(row, req_fields[0], "Requirements", reqs), *req_fields[1:])


def extract(case: Case, *, typed: bool = True) -> Row:
    """Everything a case management extract does at once (the real example's shape)."""
    forename, surname = case.name.split(" ")
    row = combined(case)
    row = replace(row, "name", "Surname", surname)
    row = {
        **{k: v for k, v in row.items() if k in ("sample_no", "crn", "Surname")},
        "Forename": forename,
        **drop(row, "sample_no", "crn", "Surname"),
    }
    row = replace(row, "age_band", "DOB", case.born if typed else case.born.strftime("%d/%m/%Y"))
    row = restyle(row, "ethnicity", spell_ethnicity(case, ONS_2011))
    row = restyle(row, "sentence_type", ORA_SENTENCES[case.sentence])
    row = restyle(row, "tier", "" if case.tier is None else f"Tier {case.tier}")
    row = restyle(row, "rosh", case.rosh.title())
    for name in FLAG_LETTERS.values():
        row[name] = {"yes": "Y", "no": "N", "": ""}[str(row[name])]
    headings = {
        **OTHER_HEADINGS,
        "sample_no": "Sample No",
        "sentence_type": "Sentence / Order Type",
        "rosh": "RoSH Level",
    }
    return rename(row, headings)


TITLE = (
    ("Merseyside Probation Trust - Caseload extract for HMI Probation",),
    ("Extracted from the case management system on 02/09/2013. OFFICIAL - SENSITIVE",),
    ("Cases open on 01/08/2013",),
    (),
)
TOTALS = ((), ("Total cases: 12",))
NOTES = (
    ("Field", "Meaning"),
    ("Sample", "The inspectorate's sample number"),
    ("NOMS Tier", "Resourcing tier 1-4"),
    ("Risk of Serious Harm", "OASys RoSH level"),
    ("Requirements", "Active requirements, separated by semicolons"),
)


@dataclass(frozen=True)
class Shape:
    """One way of exporting the canonical cases."""

    id: str
    row: Callable[[Case], Row]
    kind: str = "csv"  # or "xlsx"
    above: tuple[tuple[object, ...], ...] = ()  # a title block above the header
    below: tuple[tuple[object, ...], ...] = ()  # a totals row under the data
    notes: str | None = None  # "first" or "second": a notes sheet besides the cases
    mapping: str | None = None  # the lead's mapping file (TOML) for undeclared values
    encoding: str = "utf-8"
    delimiter: str = ","

    def write(self, folder: Path) -> Path:
        header = list(self.row(CASES[0]))
        rows: list[Sequence[object]] = [*self.above, header]
        for case in CASES:
            cells = self.row(case)
            assert list(cells) == header
            rows.append(list(cells.values()))
        rows += self.below
        if self.kind == "csv":
            return write_csv(folder / f"{self.id}.csv", rows, self.encoding, self.delimiter)
        sheets = [("Cases", rows)]
        if self.notes == "first":
            sheets.insert(0, ("Notes", list(NOTES)))
        elif self.notes == "second":
            sheets.append(("Notes", list(NOTES)))
        return write_xlsx(folder / f"{self.id}.xlsx", sheets)

    def read(self, folder: Path) -> SampleReadResult:
        path = self.write(folder)
        mapping = None
        if self.mapping is not None:
            mapping_file = folder / f"{self.id}.toml"
            mapping_file.write_text(self.mapping, encoding="utf-8")
            mapping = load_mapping(mapping_file, DEFINITION)
        return read_sample(path, mapping=mapping, reference_date=REFERENCE)


def csv_cell(value: object) -> object:
    return value.isoformat() if isinstance(value, dt.date) else value


def write_csv(
    path: Path, rows: Sequence[Sequence[object]], encoding: str = "utf-8", delimiter: str = ","
) -> Path:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerows([csv_cell(cell) for cell in row] for row in rows)
    path.write_bytes(out.getvalue().encode(encoding))
    return path


def write_xlsx(path: Path, sheets: Sequence[tuple[str, Sequence[Sequence[object]]]]) -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets:
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append([None if cell == "" else cell for cell in row])
    workbook.save(path)
    return path


def typed_row(case: Case) -> Row:
    """The canonical row as a workbook stores it: numbers and booleans, not text."""
    row = canonical_row(case)
    for name in [*FLAG_LETTERS.values(), *(name for name, _ in REQUIREMENTS.values())]:
        row[name] = {"yes": True, "no": False, "": None}[str(row[name])]
    return row


SHAPES = [
    Shape("canonical", canonical_row),
    Shape("canonical-xlsx", typed_row, kind="xlsx"),
    Shape("bom", canonical_row, encoding="utf-8-sig"),
    Shape("semicolons", canonical_row, delimiter=";"),
    Shape("ethnicity-short-labels", ethnicity_as(SHORT_ETHNICITY)),
    Shape("ethnicity-ons-codes", ethnicity_as(ONS_CODES)),
    Shape("ethnicity-2011-labels", ethnicity_as(ONS_2011)),
    Shape("gender-m-f", lambda c: restyle(canonical_row(c), "gender", c.gender[0])),
    Shape("rosh-upper-and-vh", rosh_upper),
    Shape("tier-words", tier_as("Tier ")),
    Shape("tier-t", tier_as("T")),
    Shape("date-of-birth", date_of_birth),
    Shape("date-of-birth-xlsx", lambda c: date_of_birth(c, typed=True), kind="xlsx"),
    Shape("flags-y-n", flags_as("Y", "N")),
    Shape("flags-1-0", flags_as("1", "0")),
    Shape("other-headings", lambda c: rename(canonical_row(c), OTHER_HEADINGS)),
    Shape("title-block-and-totals", canonical_row, above=TITLE, below=TOTALS),
    Shape("title-block-and-totals-xlsx", typed_row, kind="xlsx", above=TITLE, below=TOTALS),
    Shape("notes-sheet-first", typed_row, kind="xlsx", notes="first"),
    Shape("notes-sheet-second", typed_row, kind="xlsx", notes="second"),
    Shape("combined-mappa-and-requirements", combined, mapping=SUPERVISION_MAPPING),
    Shape(
        "sentence-types-mapped",
        lambda c: restyle(canonical_row(c), "sentence_type", ORA_SENTENCES[c.sentence]),
        mapping=ORA_MAPPING,
    ),
    Shape(
        "whole-extract-csv",
        lambda c: extract(c, typed=False),
        above=TITLE,
        below=TOTALS,
        mapping=ORA_MAPPING + "\n" + SUPERVISION_MAPPING,
    ),
    Shape(  # inputs (date of birth, MAPPA, requirements, names) left of the sample number
        "whole-extract-sample-number-last",
        lambda c: {**drop(extract(c), "Sample No"), "Sample No": c.no},
        kind="xlsx",
        mapping=ORA_MAPPING + "\n" + SUPERVISION_MAPPING,
    ),
    Shape(
        "whole-extract-xlsx",
        extract,
        kind="xlsx",
        above=TITLE,
        below=TOTALS,
        notes="second",
        mapping=ORA_MAPPING + "\n" + SUPERVISION_MAPPING,
    ),
]


# --- the canonical list ------------------------------------------------------------------------


def test_the_canonical_list_reads_as_the_cases_it_was_written_from(tmp_path: Path) -> None:
    assert {name for _, profile in EXPECTED for name in profile} == set(PROFILE_FIELDS)
    result = Shape("canonical", canonical_row).read(tmp_path)
    assert result.problems == ()
    assert cases(result) == EXPECTED
    assert [(r.crn, r.name) for r in result.rows] == [(c.crn, c.name) for c in CASES]
    assert all(r.raw == {} for r in result.rows)  # every value is spelled as declared


@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: s.id)
def test_every_shape_gives_the_canonical_cases(tmp_path: Path, shape: Shape) -> None:
    result = shape.read(tmp_path)

    assert result.problems == (), messages(result)
    assert result.excluded == ()
    assert result.total_rows == len(CASES)
    assert cases(result) == EXPECTED
    assert [(r.crn, r.name) for r in result.rows] == [(c.crn, c.name) for c in CASES]


# --- what the shapes leave behind --------------------------------------------------------------


def test_the_exports_own_spelling_is_kept_beside_the_value(tmp_path: Path) -> None:
    result = Shape("ons", ethnicity_as(ONS_CODES)).read(tmp_path)
    first = result.rows[0]
    assert first.profile["ethnicity"] == "White"
    assert first.raw["ethnicity"] == "W1 White: British"
    by_no = {r.sample_no: r for r in result.rows}
    assert (by_no[7].raw["ethnicity"], by_no[8].raw["ethnicity"]) == (
        "W2 White: Irish",
        "W9 White: Any other White background",
    )
    assert by_no[2].raw["ethnicity"] == "B2 Black or Black British: African"
    assert by_no[6].raw["ethnicity"] == "Z1 Not stated"
    assert by_no[6].profile["ethnicity"] == "Not known"
    assert "ethnicity" not in by_no[9].raw  # blank stays blank: nothing to keep

    by_no = {r.sample_no: r for r in Shape("vh", rosh_upper).read(tmp_path).rows}
    assert (by_no[7].profile["rosh"], by_no[7].raw["rosh"]) == ("Very high", "VH")
    assert (by_no[4].profile["rosh"], by_no[4].raw.get("rosh")) == ("Very high", None)  # same fold


def test_the_title_block_is_skipped_and_the_totals_row_is_not_a_case(tmp_path: Path) -> None:
    for kind in ("csv", "xlsx"):
        shape = Shape(
            f"titled-{kind}",
            typed_row if kind == "xlsx" else canonical_row,
            kind=kind,
            above=TITLE,
            below=TOTALS,
        )
        result = shape.read(tmp_path)
        assert result.table is not None
        assert result.table.header_row == len(TITLE) + 1
        totals_row = len(TITLE) + 1 + len(CASES) + len(TOTALS)
        assert result.table.footer_rows == (totals_row,)
        assert result.total_rows == len(CASES)
        assert [r.row_number for r in result.rows] == list(range(len(TITLE) + 2, totals_row - 1))
        assert result.problems == ()


@pytest.mark.parametrize("notes", ["first", "second"])
def test_the_case_sheet_is_chosen_whichever_place_the_notes_sheet_has(
    tmp_path: Path, notes: str
) -> None:
    result = Shape(f"notes-{notes}", typed_row, kind="xlsx", notes=notes).read(tmp_path)
    assert result.table is not None
    assert result.table.sheet == "Cases"
    assert result.table.sheets == (("Notes", "Cases") if notes == "first" else ("Cases", "Notes"))
    assert cases(result) == EXPECTED


def test_combined_columns_set_mappa_and_requirement_flags(tmp_path: Path) -> None:
    result = Shape("combined", combined, mapping=SUPERVISION_MAPPING).read(tmp_path)
    by_no = {r.sample_no: r.profile for r in result.rows}
    assert (by_no[3]["mappa_category"], by_no[3]["mappa_level"]) == (2, 1)
    assert (by_no[7]["mappa_category"], by_no[7]["mappa_level"]) == (3, None)  # "Cat 3" alone
    assert (by_no[1]["mappa_category"], by_no[1]["mappa_level"]) == (None, None)
    assert (
        by_no[1]["req_unpaid_work"],
        by_no[1]["req_alcohol_treatment"],
        by_no[1]["req_curfew"],
    ) == (True, True, False)
    assert all(by_no[6][name] is False for name, _ in REQUIREMENTS.values())  # "Supervision" only
    assert all(by_no[3][name] is None for name, _ in REQUIREMENTS.values())  # no requirements


def test_an_unmapped_requirement_item_is_refused_not_dropped(tmp_path: Path) -> None:
    result = Shape("combined", combined).read(tmp_path)  # no mapping for "Supervision"
    assert 6 not in [r.sample_no for r in result.rows]
    (problem,) = result.problems
    assert (problem.row, problem.column, problem.value) == (7, "Requirements", "Supervision")
    assert "unknown item 'Supervision'" in problem.message


# --- dates of birth ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("born", "band"),
    [
        ("1995-11-04", "18-20"),  # 18 on the reference date
        ("1992-11-05", "18-20"),  # turns 21 the day after: still 18-20
        ("1992-11-04", "21-24"),  # turns 21 on the reference date
        ("1988-11-05", "21-24"),  # turns 25 the day after
        ("1988-11-04", "25-29"),
        ("1983-11-05", "25-29"),
        ("1983-11-04", "30-39"),
        ("1973-11-05", "30-39"),
        ("1973-11-04", "40-49"),
        ("1963-11-05", "40-49"),
        ("1963-11-04", "50+"),
        ("29/02/1992", "21-24"),  # a leap-day birthday, written the British way
        ("1 Jan 1940", "50+"),
    ],
)
def test_date_of_birth_band_boundaries(tmp_path: Path, born: str, band: str) -> None:
    path = write_csv(
        tmp_path / "dob.csv",
        [("Sample", "Date of birth", "Sentence", "RoSH"), (1, born, "CO", "Low")],
    )
    result = read_sample(path, reference_date=REFERENCE)
    assert result.problems == (), messages(result)
    assert result.rows[0].profile["age_band"] == band


def test_someone_under_18_on_the_reference_date_is_a_problem(tmp_path: Path) -> None:
    rows = [
        ("Sample", "DOB", "Sentence", "RoSH"),
        (1, "1995-11-05", "CO", "Low"),
        (2, "not known", "CO", "Low"),
        (3, "1990-01-01", "CO", "Low"),
    ]
    result = read_sample(write_csv(tmp_path / "dob.csv", rows), reference_date=REFERENCE)
    assert [r.sample_no for r in result.rows] == [3]
    assert [(p.row, p.column) for p in result.problems] == [(2, "DOB"), (3, "DOB")]
    assert "an age of 17 on 2013-11-04 is outside every Age band" in result.problems[0].message
    assert "'not known' is not a date" in result.problems[1].message


# --- values the profile does not declare -------------------------------------------------------


def ora_rows(case: Case) -> Row:
    row = rename(canonical_row(case), {"sentence_type": "Sentence"})
    return restyle(row, "Sentence", "ORA Community Order" if case.sentence == CO else case.sentence)


def test_an_unmapped_value_is_refused_with_row_column_and_value(tmp_path: Path) -> None:
    result = Shape("ora", ora_rows).read(tmp_path)

    community = [c for c in CASES if c.sentence == CO]
    assert [r.sample_no for r in result.rows] == [c.no for c in CASES if c.sentence != CO]
    assert all(r.profile["sentence_type"] != CO for r in result.rows)  # nothing guessed
    assert [(p.row, p.column, p.value) for p in result.problems] == [
        (c.no + 1, "Sentence", "ORA Community Order") for c in community
    ]
    for case, problem in zip(community, result.problems, strict=True):
        assert problem.message == (
            f"ora.csv row {case.no + 1}, column 'Sentence': unknown value 'ORA Community Order' "
            "for Sentence type (expected Community order, Suspended sentence order or Licence); "
            "map it to an allowed value, or exclude its rows."
        )
    # The lead is offered a suggestion, which applies only once written in the mapping.
    table = read_sample_table(tmp_path / "ora.csv")
    (report,) = [
        c
        for c in column_values(DEFINITION, table, propose_mapping(DEFINITION, table))
        if c.target == "sentence_type"
    ]
    assert [(v.spelling, v.count, v.suggestion) for v in report.unmapped] == [
        ("ORA Community Order", 4, CO)
    ]


def test_the_same_file_imports_with_a_mapping_file(tmp_path: Path) -> None:
    mapping = '[values.sentence_type]\n"ORA Community Order" = "Community order"\n'
    result = Shape("ora", ora_rows, mapping=mapping).read(tmp_path)
    assert result.problems == ()
    assert cases(result) == EXPECTED
    assert {r.sample_no: r.raw.get("sentence_type") for r in result.rows if r.raw} == {
        1: "ORA Community Order",
        5: "ORA Community Order",
        8: "ORA Community Order",
        10: "ORA Community Order",
    }


def test_a_value_mapped_to_exclude_sets_its_rows_apart(tmp_path: Path) -> None:
    mapping = '[values.sentence_type]\n"ORA Community Order" = "(exclude)"\n'
    result = Shape("ora", ora_rows, mapping=mapping).read(tmp_path)
    assert result.problems == ()
    assert [r.sample_no for r in result.rows] == [c.no for c in CASES if c.sentence != CO]
    assert [e.row_number for e in result.excluded] == [c.no + 1 for c in CASES if c.sentence == CO]
    assert all(e.reason == "Sentence type 'ORA Community Order'" for e in result.excluded)
    assert all(e.fields == ("sentence_type",) for e in result.excluded)


def test_a_mapping_round_trips_through_its_toml(tmp_path: Path) -> None:
    mapping = SampleMapping(
        sheet="Caseload extract",
        header_row=5,
        columns={
            "sentence_type": "Sentence / Order Type",
            "mappa": "MAPPA",
            "tier": "",
            "office": 'Team "local"',
        },
        values={
            "sentence_type": {
                "ORA Adult Custody < 12m (Licence)": "Licence",
                'Order "ORA" \\ 2014': "Community order",
                "Zoë's order\tnew": "Suspended sentence order",
                "Deferred": EXCLUDE,
            },
            "tier": {"Not tiered": NOT_RECORDED, "": NOT_RECORDED},
            "requirements": {
                "Supervision": IGNORE,
                "Licence conditions": IGNORE,
                "Specified Activity": "req_rehabilitation_activity",
            },
            "domestic_abuse": {"Suspected": "yes"},
        },
    )
    text = mapping.to_toml()
    assert parse_mapping(text, "mapping.toml", DEFINITION) == mapping
    path = tmp_path / "mapping.toml"
    path.write_text(text, encoding="utf-8")
    assert load_mapping(path, DEFINITION) == mapping
    # Values still to map are written as comments: nothing applies until the lead writes it.
    pending = {
        "offence_group": {"Common assault": "Violence against the person", "Affray": None},
        "sentence_type": {"Life Licence": "Licence"},
    }
    text = mapping.to_toml(pending)
    assert '# "Life Licence" = "Licence"  # suggested: Licence' in text
    reread = parse_mapping(text, "mapping.toml", DEFINITION)
    assert reread.values.pop("offence_group") == {}  # a table of comments only: nothing mapped
    assert reread == mapping


@pytest.mark.parametrize("where", ["value", "pending"])
def test_a_spelling_with_a_del_character_round_trips(where: str) -> None:
    spelling = "ORA\x7fCommunity Order"  # a CSV cell may hold DEL: it is not refused as binary
    if where == "value":
        mapping = SampleMapping(values={"sentence_type": {spelling: CO}})
        text = mapping.to_toml()
    else:
        mapping = SampleMapping()
        text = mapping.to_toml({"sentence_type": {spelling: CO}})
    reread = parse_mapping(text, "mapping.toml", DEFINITION)
    assert reread.values.get("sentence_type", {}) == mapping.values.get("sentence_type", {})


# --- cells that are not profile values ---------------------------------------------------------


@pytest.mark.parametrize("length", [501, 100_000])
def test_a_value_over_500_characters_is_a_problem_not_a_crash(tmp_path: Path, length: int) -> None:
    shape = Shape(
        "long",
        lambda c: (
            restyle(canonical_row(c), "office", "x" * length) if c.no == 3 else canonical_row(c)
        ),
    )
    result = shape.read(tmp_path)
    assert [r.sample_no for r in result.rows] == [c.no for c in CASES if c.no != 3]
    (problem,) = result.problems
    assert (problem.row, problem.column) == (4, "office")
    assert (
        problem.message
        == f"long.csv row 4, column 'office': {length} characters is too long for a profile value (at most 500)."
    )


def test_a_formula_cell_never_gives_a_computed_value(tmp_path: Path) -> None:
    header = ["sample_no", "sentence_type", "rosh", "tier", "office"]
    path = write_xlsx(
        tmp_path / "formulas.xlsx",
        [
            (
                "Cases",
                [
                    header,
                    [1, "CO", "Low", "=1+2", '=CONCAT("Ry","e")'],
                    [2, "CO", "Low", "=1+1", "Rye"],
                ],
            )
        ],
    )
    # Give the first formula a stale saved value (4) as Excel would have stored it.
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    assert sheet.count("<f>1+2</f><v></v>") == 1
    parts["xl/worksheets/sheet1.xml"] = sheet.replace(
        "<f>1+2</f><v></v>", "<f>1+2</f><v>4</v>"
    ).encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)

    result = read_sample(path)

    assert result.problems == (), messages(result)
    one, two = result.rows
    assert one.profile["tier"] == 4  # the value saved with the formula, not 3
    assert one.profile["office"] is None  # no saved value: blank, never "Rye"
    assert two.profile["tier"] is None  # never 2

    # A CSV cell that looks like a formula is text, refused as a tier, never 3.
    csv_path = write_csv(tmp_path / "formulas.csv", [header, [1, "CO", "Low", "=1+2", "=1+2"]])
    result = read_sample(csv_path)
    assert [(p.column, p.value) for p in result.problems] == [("tier", "=1+2")]


# --- files that hold no list -------------------------------------------------------------------


@pytest.mark.parametrize("name", ["empty.csv", "empty.xlsx"])
def test_an_empty_file_is_one_problem_on_one_line(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    if name.endswith(".csv"):
        path.write_bytes(b"")
    else:
        write_xlsx(path, [("Sheet1", [])])
    result = read_sample(path)
    assert result.rows == ()
    assert result.problems == (
        Problem(None, None, f"{name} is empty: it has no header row and no cases."),
    )


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_file_with_no_recognisable_column_gives_file_problems_on_one_line(
    tmp_path: Path, kind: str
) -> None:
    rows = [
        ("Reference", "Surname at birth", "Notes"),
        ("A1", "Smith", "moved"),
        ("A2", "Jones", ""),
    ]
    if kind == "csv":
        path = write_csv(tmp_path / "other.csv", rows)
    else:
        path = write_xlsx(tmp_path / "other.xlsx", [("Sheet1", rows)])
    result = read_sample(path)
    assert result.rows == ()
    assert result.problems
    for problem in result.problems:
        assert problem.row is None
        assert "\n" not in problem.message
        assert problem.message.startswith(path.name)
    # One problem per required column the file lacks (not a single "no column recognised").
    assert [p.column for p in result.problems] == ["sample_no", "sentence_type", "rosh"]


# --- encodings ---------------------------------------------------------------------------------


def test_a_latin1_csv_is_one_problem_naming_the_byte_and_line(tmp_path: Path) -> None:
    result = Shape("latin1", canonical_row, encoding="latin-1").read(tmp_path)
    assert result.rows == ()
    assert result.total_rows == 0
    # "Chloë Brennan" is case 2, on line 3; ë is 0xEB in Latin-1.
    assert result.problems == (
        Problem(
            None,
            None,
            "latin1.csv is not UTF-8 text (byte 0xEB at line 3); save the file as CSV UTF-8.",
        ),
    )


def test_a_bom_csv_reads_its_first_heading(tmp_path: Path) -> None:
    shape = Shape("bom", lambda c: rename(canonical_row(c), OTHER_HEADINGS), encoding="utf-8-sig")
    path = shape.write(tmp_path)
    assert path.read_bytes().startswith(b"\xef\xbb\xbfSample,")
    result = read_sample(path)
    assert result.problems == ()
    assert cases(result) == EXPECTED


# --- size --------------------------------------------------------------------------------------


@pytest.mark.slow  # about 40 s under tracemalloc (about 11 s without)
def test_a_list_of_100000_rows_reads_within_memory(tmp_path: Path) -> None:
    count = 100_000
    header = list(SAMPLE_COLUMNS)
    template = [list(canonical_row(c).values()) for c in CASES]
    rows: list[Sequence[object]] = [header]
    for number in range(1, count + 1):
        row = list(template[number % len(template)])
        row[0], row[1] = number, f"X{number:06d}"
        rows.append(row)
    path = write_csv(tmp_path / "big.csv", rows)
    del rows

    tracemalloc.start()
    start = time.perf_counter()
    try:
        result = read_sample(path, reference_date=REFERENCE)
        elapsed = time.perf_counter() - start
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert result.problems == ()
    assert result.total_rows == count
    assert len(result.rows) == count
    assert result.rows[-1].sample_no == count
    assert result.rows[-1].profile == CASES[count % len(CASES)].profile()
    assert peak < 300 * 2**20, f"peak {peak / 2**20:.0f} MB"
    assert elapsed < 200, f"took {elapsed:.1f}s under tracemalloc"  # a hang, not a benchmark


# --- the real example --------------------------------------------------------------------------

# The lead's decisions for the real example's spellings the profile does not declare. Blank RoSH
# cannot be "(not recorded)" (RoSH is required), so those rows are excluded.
REAL_MAPPING: dict[str, dict[str, str]] = {
    "sentence_type": {
        "ORA Community Order": CO,
        "ORA Suspended Sentence Order": SSO,
        "CJA - Std Determinate Custody (Licence)": LICENCE,
        "ORA Adult Custody < 12m (Licence)": LICENCE,
        "CJA - Extended Sentence (Licence)": LICENCE,
        "Life Licence": LICENCE,
    },
    "offence_group": {
        "Common assault": "Violence against the person",
        "Assault occasioning actual bodily harm": "Violence against the person",
        "Wounding with intent (s.18)": "Violence against the person",
        "Harassment": "Violence against the person",
        "Affray": "Other offences",
        "Breach of restraining order": "Other offences",
        "Possession of Class A drug with intent to supply": "Drug offences",
        "Driving while disqualified": "Motoring offences",
        "Burglary - dwelling": "Burglary",
        "Fraud by false representation": "Fraud and forgery",
        "Theft from shops": "Theft and handling",
    },
    "tier": {"Not tiered": NOT_RECORDED},
    "rosh": {"": EXCLUDE},
    "requirements": {
        "Supervision": IGNORE,
        "Licence conditions": IGNORE,
        "Specified Activity": "req_rehabilitation_activity",
        "Prohibited Activity": IGNORE,
    },
}
DECLARED_ITEMS = {  # the real example's requirement items the profile declares
    "UPW": "req_unpaid_work",
    "ATR": "req_alcohol_treatment",
    "DRR": "req_drug_rehabilitation",
    "Curfew (EM)": "req_curfew",
    "Accredited Programme": "req_accredited_programme",
}
BANDS = (
    (18, 20, "18-20"),
    (21, 24, "21-24"),
    (25, 29, "25-29"),
    (30, 39, "30-39"),
    (40, 49, "40-49"),
    (50, 130, "50+"),
)
needs_real_example = pytest.mark.skipif(
    not REAL_EXAMPLE.is_file(), reason=f"{REAL_EXAMPLE} is not on this machine"
)


@dataclass
class RealRow:
    """A row of the real example read straight from the workbook, as the test expects it."""

    row_number: int
    cells: dict[str, object] = field(default_factory=dict)


def real_rows() -> tuple[int, list[RealRow]]:
    """The header row number and the data rows of the real example, read with openpyxl alone."""
    workbook = openpyxl.load_workbook(REAL_EXAMPLE, read_only=True, data_only=True)
    try:
        sheet = workbook["Caseload extract"]
        rows = list(sheet.iter_rows(values_only=True))
    finally:
        workbook.close()
    header_index = next(i for i, row in enumerate(rows) if row[0] == "CRN")
    header = rows[header_index]
    data = [
        RealRow(i + 1, dict(zip(header, row, strict=True)))
        for i, row in enumerate(rows)
        if i > header_index and row[1] is not None  # a case has a surname; the totals row not
    ]
    return header_index + 1, data


def age_band(born: dt.date) -> str:
    age = REFERENCE.year - born.year - ((REFERENCE.month, REFERENCE.day) < (born.month, born.day))
    return next(value for low, high, value in BANDS if low <= age <= high)


@needs_real_example
def test_the_real_example_imports_with_an_explicit_mapping() -> None:
    header_row, expected_rows = real_rows()
    assert len(expected_rows) == 640
    table = read_sample_table(REAL_EXAMPLE, DEFINITION)
    proposed = propose_mapping(DEFINITION, table)
    # Every spelling the profile does not declare is listed, and the mapping names each one.
    unmapped = {
        c.target: {v.spelling for v in c.unmapped}
        for c in column_values(DEFINITION, table, proposed)
    }
    assert {k: v for k, v in unmapped.items() if v} == {k: set(v) for k, v in REAL_MAPPING.items()}
    mapping = SampleMapping(values=REAL_MAPPING)
    checked = propose_mapping(DEFINITION, table, mapping)
    assert all(not c.unmapped for c in column_values(DEFINITION, table, checked))

    result = read_sample(REAL_EXAMPLE, mapping=mapping, long_list=True, reference_date=REFERENCE)

    assert result.problems == (), messages(result)[:5]
    assert result.total_rows == 640
    assert result.table is not None
    assert (result.table.sheet, result.table.header_row) == ("Caseload extract", header_row)
    assert result.table.footer_rows == (header_row + 640 + 2,)  # "Total cases: 640", not a case
    blank_rosh = [r.row_number for r in expected_rows if r.cells["RoSH Level"] is None]
    assert [e.row_number for e in result.excluded] == blank_rosh
    assert len(result.rows) + len(result.excluded) == 640
    assert all(r.sample_no is None for r in result.rows)  # a long list: drawn later

    by_row = {r.row_number: r for r in expected_rows}
    mappa_seen = requirements_seen = 0
    for row in result.rows:
        cells = by_row[row.row_number].cells
        profile = row.profile
        assert row.crn == cells["CRN"]
        assert row.name == f"{cells['Forename']} {cells['Surname']}"
        assert profile["age_band"] == age_band(cells["DOB"].date())
        assert (
            profile["sentence_type"]
            == REAL_MAPPING["sentence_type"][cells["Sentence / Order Type"]]
        )
        assert profile["rosh"] == cells["RoSH Level"].capitalize()
        tier = cells["NOMS Tier"]
        assert profile["tier"] == (
            None if tier == "Not tiered" else int(tier.removeprefix("Tier "))
        )
        mappa = re.fullmatch(r"Cat (\d) / Level (\d)", cells["MAPPA"] or "")
        assert (profile["mappa_category"], profile["mappa_level"]) == (
            (int(mappa[1]), int(mappa[2])) if mappa else (None, None)
        )
        mappa_seen += bool(mappa)
        items = [item.strip() for item in (cells["Requirements"] or "").split(";") if item.strip()]
        flags = {**REAL_MAPPING["requirements"], **DECLARED_ITEMS}
        for name, _ in REQUIREMENTS.values():
            expected = (name in {flags[item] for item in items}) if items else None
            assert profile[name] is expected, (row.row_number, name, items)
        requirements_seen += any(profile[name] for name, _ in REQUIREMENTS.values())
        assert profile["domestic_abuse"] is {"Y": True, "N": False}[cells["DV Flag"]]
        assert profile["child_protection"] is (
            True if cells["Child Protection Flag"] == "Yes" else None
        )
    assert mappa_seen > 50
    assert requirements_seen > 300


@needs_real_example
def test_the_real_example_without_a_mapping_reports_every_unknown_value_and_guesses_none() -> None:
    table = read_sample_table(REAL_EXAMPLE, DEFINITION)
    proposed = propose_mapping(DEFINITION, table)
    unmapped = Counter()
    headings = {}
    for column in column_values(DEFINITION, table, proposed):
        headings[column.target] = column.heading
        for value in column.unmapped:
            unmapped[column.heading, value.spelling] += value.count

    result = read_sample(REAL_EXAMPLE, long_list=True, reference_date=REFERENCE)

    # Every row has an order type in the trust's wording, so none is imported on a guess.
    assert result.rows == ()
    assert result.excluded == ()
    assert all(p.row is not None for p in result.problems)
    reported = Counter((p.column, p.value if p.value is not None else "") for p in result.problems)
    assert reported == unmapped
    assert reported["Sentence / Order Type", "ORA Community Order"] == 280
    assert reported["Requirements", "Supervision"] == 93
    assert reported["NOMS Tier", "Not tiered"] == 12
    assert reported["Main Offence", "Common assault"] == 57
    blank = [p for p in result.problems if p.column == headings["rosh"]]
    assert len(blank) == 12
    assert all(p.message.endswith("missing value (RoSH level is required).") for p in blank)
