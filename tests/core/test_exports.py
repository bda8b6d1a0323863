"""Exports for analysts: the answers and the findings written as XLSX and CSV, read back and
compared with the file's own read models and figures; identifiers only when asked; formula-
like text never evaluated; targets refused where they must be (core and command line)."""

from __future__ import annotations

import csv
import io
import random
import re
import shutil
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.utils.escape import unescape

from inspector_app.cli.main import run_cli
from inspector_app.core.cases.answers import set_answer, set_case_complete
from inspector_app.core.cases.answers import write_answers as record_answers
from inspector_app.core.cases.case_data import load_cases, member_names
from inspector_app.core.errors import FileRefused, ValidationError
from inspector_app.core.exports.answers import answers_table, identities_of, write_answers
from inspector_app.core.exports.findings import findings_tables, write_findings
from inspector_app.core.exports.spreadsheet import (
    CSV_ESCAPE,
    FORMULA_STARTS,
    Table,
    TargetExists,
    csv_bytes,
    xlsx_bytes,
)
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.findings.figures import compute_findings, findings_from_cases
from inspector_app.core.findings.percentages import percent_of
from inspector_app.core.framework import applies
from inspector_app.core.revisions.hlc import wall_ms
from tests.conftest import file_hash
from tests.merge_helpers import make_conflict

FORMULA_NOTES = {
    "0.1": '=HYPERLINK("http://example.invalid/x","click")',
    "A1": "+1",
    "B2.3": "-2",
    "B2.6": "@SUM(A1:A9)",
}
FREE_TEXT = "=1+1"  # a free-text answer (question 0.4) that looks like a formula
CONFLICTED = ("B1.1", 9)  # the question and case of an open conflict


def fill_case(file: InspectionFile, sample_no: int, rng: random.Random, *, complete: bool) -> None:
    """Answers every question that applies to a case, in framework order, with notes where
    the framework asks for one."""
    framework = file.framework
    key = file.case_key_for(sample_no)
    case = next(c for c in load_cases(file, [key]))
    answers = case.answer_values()
    rows = []
    for question in framework.questions():
        if not applies(question.applies_if, case.profile, answers):
            continue
        scale = framework.scale_of(question)
        value = "Seen at the office." if scale.kind == "text" else rng.choice(scale.values)
        answers[question.code] = value
        note = "Evidence on the case record." if question.needs_note(value) else ""
        rows.append((key, question.code, value, note))
    record_answers(file, rows, file.author_id())
    if complete:
        set_case_complete(file, key)


@pytest.fixture
def answered(master: InspectionFile) -> InspectionFile:
    """Cases 1-6 complete, 7-9 partly answered (formula-like notes on case 7, an open
    conflict on case 9), 10-12 not started."""
    rng = random.Random(11)
    for sample_no in range(1, 7):
        fill_case(master, sample_no, rng, complete=True)
    key = master.case_key_for(7)
    for code, note in FORMULA_NOTES.items():
        set_answer(master, key, code, "yes", note)
    set_answer(master, key, "0.2", "yes")
    set_answer(master, key, "0.4", FREE_TEXT)
    set_answer(master, master.case_key_for(8), "B1.5", "no", "Not on file.")
    code, sample_no = CONFLICTED
    make_conflict(master, master.case_key_for(sample_no), code)
    return master


def read_xlsx(path: Path) -> dict[str, list[tuple[object, ...]]]:
    book = openpyxl.load_workbook(path)
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book}


def read_csv(path: Path) -> list[list[str]]:
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf"), "no byte-order mark"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def as_dicts(rows: list[tuple[object, ...]]) -> list[dict[str, object]]:
    header = [str(h) for h in rows[0]]
    return [dict(zip(header, row, strict=True)) for row in rows[1:]]


def csv_text(value: object) -> str:
    """What the CSV holds for a cell value."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith((*FORMULA_STARTS, CSV_ESCAPE)):
        return CSV_ESCAPE + value
    return str(value)


def cli(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    code = run_cli([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


# --- the answers ---------------------------------------------------------------------------------


def expected_answer_rows(file: InspectionFile) -> list[dict[str, object]]:
    """The answers as the read models give them, recounted here without the export's code."""
    framework = file.framework
    names = member_names(file)
    rows = []
    for case in load_cases(file):
        for question in framework.questions():
            answer = case.answers.get(question.code)
            if answer is None or not (answer.value or answer.note):
                continue
            scale = framework.scale_of(question)
            value = answer.value
            printed = value if scale.kind == "text" or value is None else scale.label_of(value)
            when = datetime.fromtimestamp(wall_ms(answer.hlc) / 1000, tz=UTC)
            rows.append(
                {
                    "Sample number": case.sample_no,
                    "Assessor": case.first_reader,
                    "Question": question.code,
                    "Question text": question.text,
                    "Answer": printed,
                    "Value": value,
                    "Evidence note": answer.note or None,
                    "Answered by": names[answer.author],
                    "Answered at (UTC)": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "Case complete": "Yes" if case.marked_complete else "No",
                    "In conflict": "Yes" if answer.conflicted else "No",
                    **{f.label: case.profile.get(f.name) for f in framework.profile.profile_fields},
                }
            )
    return rows


def profile_cell(value: object) -> object:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return value


def test_xlsx_holds_the_answers_of_the_file_row_for_row(
    answered: InspectionFile, tmp_path: Path
) -> None:
    target = tmp_path / "answers.xlsx"
    written = write_answers(answered.path, target)
    sheets = read_xlsx(target)
    assert list(sheets) == ["Answers"]
    got = as_dicts(sheets["Answers"])
    expected = expected_answer_rows(answered)
    assert written.rows == len(got) == len(expected) > 6 * 40
    profile_labels = {f.label for f in answered.framework.profile.profile_fields}
    for row, want in zip(got, expected, strict=True):
        for column, value in want.items():
            wanted = profile_cell(value) if column in profile_labels else value
            assert row[column] == wanted, (row["Sample number"], row["Question"], column)
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", str(row["Answered at (UTC)"]))
    conflicted = [r for r in got if r["In conflict"] == "Yes"]
    assert [(r["Question"], r["Sample number"]) for r in conflicted] == [CONFLICTED]
    assert {r["Case complete"] for r in got if r["Sample number"] <= 6} == {"Yes"}  # type: ignore[operator]
    assert {r["Answer"] for r in got} >= {"Yes", "No"}


def test_the_header_row_is_bold_and_frozen_and_the_book_names_no_person(
    answered: InspectionFile, tmp_path: Path
) -> None:
    target = tmp_path / "answers.xlsx"
    write_answers(answered.path, target)
    book = openpyxl.load_workbook(target)
    sheet = book["Answers"]
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.b for cell in sheet[1])
    assert not any(cell.font.b for cell in sheet[2])
    widths = [sheet.column_dimensions[c].width for c in ("A", "B", "AC")]
    assert all(8 <= w <= 60 for w in widths)
    properties = book.properties
    people = set(member_names(answered).values())
    texts = [properties.creator, properties.lastModifiedBy, properties.title]
    assert properties.creator == "inspector-app"
    assert not any(person in (text or "") for text in texts for person in people)


def all_cell_texts(path: Path) -> list[str]:
    if path.suffix == ".csv":
        return [cell for row in read_csv(path) for cell in row]
    book = openpyxl.load_workbook(path)
    cells = [str(c) for sheet in book for row in sheet.iter_rows(values_only=True) for c in row]
    properties = book.properties
    return cells + [str(getattr(properties, name)) for name in ("creator", "title", "subject")]


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_no_crn_or_name_anywhere_by_default(
    answered: InspectionFile, tmp_path: Path, suffix: str
) -> None:
    identities = identities_of(answered)
    assert len(identities) == 12 and all(crn and name for crn, name in identities.values())
    identifiers = {text for pair in identities.values() for text in pair if text}
    target = tmp_path / f"answers{suffix}"
    write_answers(answered.path, target, all_questions=True)
    texts = all_cell_texts(target)
    assert not [t for t in texts for i in identifiers if i in t]
    assert "Case reference number" not in texts and "Name" not in texts


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_identifiers_are_there_when_asked(
    answered: InspectionFile, tmp_path: Path, suffix: str
) -> None:
    target = tmp_path / f"answers{suffix}"
    write_answers(answered.path, target, include_identifiers=True)
    if suffix == ".xlsx":
        rows = as_dicts(read_xlsx(target)["Answers"])
    else:
        rows = as_dicts([tuple(r) for r in read_csv(target)])
    by_number = {c.sample_no: c.key for c in load_cases(answered)}
    identities = identities_of(answered)
    assert rows
    for row in rows:
        crn, name = identities[by_number[int(str(row["Sample number"]))]]
        assert (row["Case reference number"], row["Name"]) == (crn, name)


def test_every_applicable_question_with_all_questions(
    answered: InspectionFile, tmp_path: Path
) -> None:
    target = tmp_path / "answers.xlsx"
    write_answers(answered.path, target, all_questions=True)
    rows = as_dicts(read_xlsx(target)["Answers"])
    framework = answered.framework
    for case in load_cases(answered):
        flags = {
            q.code: applies(q.applies_if, case.profile, case.answer_values())
            for q in framework.questions()
        }
        mine = [r for r in rows if r["Sample number"] == case.sample_no]
        wanted = [
            q.code
            for q in framework.questions()
            if flags[q.code]
            or (
                q.code in case.answers and (case.answers[q.code].value or case.answers[q.code].note)
            )
        ]
        assert [r["Question"] for r in mine] == wanted
        for r in mine:
            assert r["Applies"] == ("Yes" if flags[str(r["Question"])] else "No")
            if str(r["Question"]) not in case.answers:
                assert (r["Answer"], r["Value"], r["Answered by"]) == (None, None, None)
    assert len({r["Sample number"] for r in rows}) == 12  # not-started cases too


def test_formula_like_text_is_stored_as_text_in_xlsx(
    answered: InspectionFile, tmp_path: Path
) -> None:
    target = tmp_path / "answers.xlsx"
    write_answers(answered.path, target)
    book = openpyxl.load_workbook(target)
    sheet = book["Answers"]
    header = [c.value for c in sheet[1]]
    note_column = header.index("Evidence note")
    answer_column = header.index("Answer")
    seven = {
        row[header.index("Question")].value: row
        for row in sheet.iter_rows(min_row=2)
        if row[0].value == 7
    }
    for code, note in FORMULA_NOTES.items():
        cell = seven[code][note_column]
        assert (cell.value, cell.data_type) == (note, "s")
        assert cell.quotePrefix
    free = seven["0.4"][answer_column]
    assert (free.value, free.data_type) == (FREE_TEXT, "s")
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_formula_like_text_is_quoted_in_csv(answered: InspectionFile, tmp_path: Path) -> None:
    target = tmp_path / "answers.csv"
    write_answers(answered.path, target)
    rows = read_csv(target)
    header = rows[0]
    seven = {r[header.index("Question")]: r for r in rows[1:] if r[0] == "7"}
    for code, note in FORMULA_NOTES.items():
        assert seven[code][header.index("Evidence note")] == "'" + note
    assert seven["0.4"][header.index("Answer")] == "'" + FREE_TEXT
    assert seven["0.4"][header.index("Value")] == "'" + FREE_TEXT
    starts = [cell[:1] for row in rows for cell in row]
    assert not set(starts) & set(FORMULA_STARTS)


def test_csv_read_back_equals_the_rows(answered: InspectionFile, tmp_path: Path) -> None:
    target = tmp_path / "answers.csv"
    written = write_answers(answered.path, target, include_identifiers=True)
    table = answers_table(answered, include_identifiers=True)
    rows = read_csv(target)
    assert rows[0] == list(table.columns)
    assert rows[1:] == [[csv_text(v) for v in row] for row in table.rows]
    assert written.rows == len(table.rows)
    assert target.read_bytes().count(b"\r\n") >= len(rows)


# --- the findings --------------------------------------------------------------------------------


@pytest.mark.parametrize("include_in_progress", [False, True])
def test_findings_xlsx_matches_compute_findings(
    answered: InspectionFile, tmp_path: Path, include_in_progress: bool
) -> None:
    target = tmp_path / "findings.xlsx"
    write_findings(answered.path, target, include_in_progress=include_in_progress)
    findings = compute_findings(answered, include_in_progress=include_in_progress)
    sheets = {name: as_dicts(rows) for name, rows in read_xlsx(target).items()}
    assert list(sheets) == ["Questions", "Criteria", "Stages", "Sub-groups", "Overall"]

    def check(row: dict[str, object], figures: object, level: str) -> None:
        sufficient = figures.sufficient  # type: ignore[attr-defined]
        denominator = figures.denominator  # type: ignore[attr-defined]
        assert row["Level"] == level
        assert (row["Sufficient"], row["Insufficient"], row["Judgements"]) == (
            sufficient,
            figures.insufficient,  # type: ignore[attr-defined]
            denominator,
        )
        assert row["Per cent"] == percent_of(sufficient, denominator)
        assert row["Per cent"] == figures.percent  # type: ignore[attr-defined]
        if denominator:
            assert row["Share (unrounded)"] == pytest.approx(sufficient / denominator)
        else:
            assert row["Share (unrounded)"] is None
        assert row["In words"] == figures.words  # type: ignore[attr-defined]
        assert row["Disputed"] == ("Yes" if figures.disputed else "No")  # type: ignore[attr-defined]

    assert [r["Code"] for r in sheets["Questions"]] == [q.code for q in findings.questions]
    for row, q in zip(sheets["Questions"], findings.questions, strict=True):
        check(row, q, "question")
        assert (row["Yes"], row["No"], row["N/A"], row["Not answered"]) == (
            q.yes,
            q.no,
            q.na,
            q.unanswered,
        )
        assert row["Title"] == q.text
    for row, c in zip(sheets["Criteria"], findings.criteria, strict=True):
        check(row, c, "criterion")
        assert (row["Code"], row["Title"], row["Stage"]) == (c.code, c.title, c.stage)
    for row, s in zip(sheets["Stages"], findings.stage_figures, strict=True):
        check(row, s, "stage")
    for row, g in zip(sheets["Sub-groups"], findings.subgroup_figures, strict=True):
        check(row, g.figures, "sub-group")
        assert (row["Code"], row["Sub-group"], row["Cases"]) == (g.criterion, g.label, g.cases)
    (overall,) = sheets["Overall"]
    check(overall, findings.overall, "overall")
    assert overall["Cases"] == findings.cases_counted == (9 if include_in_progress else 6)
    assert findings.overall.denominator > 0
    disputed = [r["Code"] for r in sheets["Questions"] if r["Disputed"] == "Yes"]
    assert disputed == ([CONFLICTED[0]] if include_in_progress else [])


def test_findings_csv_is_one_tidy_table(answered: InspectionFile, tmp_path: Path) -> None:
    target = tmp_path / "findings.csv"
    written = write_findings(answered.path, target)
    findings = compute_findings(answered)
    tables = findings_tables(findings, answered.framework)
    rows = read_csv(target)
    header = rows[0]
    assert header[:3] == ["Level", "Code", "Title"]
    levels = [r[0] for r in rows[1:]]
    assert levels.count("question") == len(findings.questions)
    assert levels.count("criterion") == len(findings.criteria)
    assert levels.count("stage") == len(findings.stage_figures)
    assert levels.count("sub-group") == len(findings.subgroup_figures)
    assert levels.count("overall") == 1
    assert written.rows == len(rows) - 1 == sum(len(t.rows) for t in tables)
    per_code = {(r[0], r[1], r[header.index("Sub-group")]): r for r in rows[1:]}
    for q in findings.questions:
        row = per_code[("question", q.code, "")]
        assert row[header.index("Sufficient")] == str(q.sufficient)
        assert row[header.index("Judgements")] == str(q.denominator)
        assert row[header.index("Per cent")] == ("" if q.percent is None else str(q.percent))
        assert row[header.index("Criterion")] != ""
    overall = per_code[("overall", "", "")]
    assert overall[header.index("Cases")] == str(findings.cases_counted)


def test_a_framework_without_criteria_or_stages_reports_by_section(
    answered: InspectionFile,
) -> None:
    framework = replace(answered.framework, declared_criteria=(), stages=())
    findings = findings_from_cases(framework, load_cases(answered))
    tables = {t.title: t for t in findings_tables(findings, framework)}
    assert list(tables) == ["Questions", "Sections", "Overall"]
    sections = tables["Sections"]
    assert "Stage" not in sections.columns and "Stage" not in tables["Questions"].columns
    assert {row[0] for row in sections.rows} == {"section"}
    assert [row[1] for row in sections.rows] == [s.code for s in findings.sections]
    questions = tables["Questions"]
    where = questions.columns.index("Section")
    assert [row[where] for row in questions.rows] == [q.section_code for q in findings.questions]


# --- the targets ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["out.txt", "out.xls", "out", "out.inspection"])
def test_an_unknown_ending_is_refused(
    answered: InspectionFile, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    target = tmp_path / name
    with pytest.raises(ValidationError, match=r"\.xlsx or \.csv"):
        write_answers(answered.path, target)
    code, out, err = cli(capsys, "export-findings", answered.path, "-o", target)
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and ".xlsx or .csv" in err
    assert not target.exists()


@pytest.mark.parametrize("command", ["export-answers", "export-findings"])
@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_an_existing_file_is_replaced_only_with_overwrite(
    answered: InspectionFile,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    command: str,
    suffix: str,
) -> None:
    target = tmp_path / f"out{suffix}"
    target.write_bytes(b"keep me")
    with pytest.raises(TargetExists, match="already exists"):
        write_findings(answered.path, target)
    code, out, err = cli(capsys, command, answered.path, "-o", target)
    assert code == 1 and out == ""
    assert "already exists" in err and "--overwrite" in err and err.count("\n") == 1
    assert target.read_bytes() == b"keep me"
    code, out, err = cli(capsys, command, answered.path, "-o", target, "--overwrite")
    assert code == 0, err
    assert out.startswith(f"Wrote {target}")
    assert target.read_bytes() != b"keep me"


@pytest.mark.parametrize("overwrite", [False, True])
def test_an_inspection_file_is_never_written_over(
    answered: InspectionFile, tmp_path: Path, capsys: pytest.CaptureFixture[str], overwrite: bool
) -> None:
    other = tmp_path / "other.xlsx"
    shutil.copy(answered.path, other)  # an inspection file under a spreadsheet's name
    before = file_hash(other)
    with pytest.raises(FileRefused, match="is an inspection file"):
        write_answers(answered.path, other, overwrite=overwrite)
    flag = ["--overwrite"] if overwrite else []
    code, _, err = cli(capsys, "export-answers", answered.path, "-o", other, *flag)
    assert code == 1 and "is an inspection file" in err
    assert file_hash(other) == before
    # the file the export is made from, whatever its name
    same = tmp_path / "master.csv"
    shutil.copy(answered.path, same)
    before = file_hash(same)
    code, _, err = cli(capsys, "export-findings", same, "-o", same, *flag)
    assert code == 1 and "export is made from" in err and err.count("\n") == 1
    assert file_hash(same) == before


def test_a_missing_folder_is_refused_before_the_file_is_read(
    answered: InspectionFile, tmp_path: Path
) -> None:
    with pytest.raises(FileRefused, match="no such folder"):
        write_answers(tmp_path / "nowhere.inspection", tmp_path / "no" / "out.xlsx")


# --- the command line ------------------------------------------------------------------------------


def test_the_commands_write_and_say_so(
    answered: InspectionFile, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "a.xlsx"
    code, out, err = cli(capsys, "export-answers", answered.path, "-o", target)
    assert code == 0 and err == ""
    rows = len(answers_table(answered).rows)
    assert out == f"Wrote {target}: {rows} rows\n"
    code, out, err = cli(
        capsys, "export-answers", answered.path, "-o", tmp_path / "b.csv", "--include-identifiers"
    )
    assert code == 0
    assert "warning" in err and "CRNs, names" in err
    code, out, err = cli(
        capsys, "export-findings", answered.path, "-o", tmp_path / "f.csv", "--include-in-progress"
    )
    assert code == 0 and err == ""
    overall = [r for r in read_csv(tmp_path / "f.csv") if r[0] == "overall"]
    header = read_csv(tmp_path / "f.csv")[0]
    assert overall[0][header.index("Cases")] == "9"


@pytest.mark.parametrize("command", ["export-answers", "export-findings"])
def test_every_option_has_a_help_text(capsys: pytest.CaptureFixture[str], command: str) -> None:
    code, out, _ = cli(capsys, command, "--help")
    assert code == 0
    options = re.findall(r"^\s+(-{1,2}[\w-]+)", out, re.MULTILINE)
    assert "--overwrite" in options and "--passphrase-file" in options
    lines = out.splitlines()
    for index, line in enumerate(lines):
        if re.match(r"^\s+--?[\w-]", line) and not line.strip().startswith("-h"):
            text = line.strip().split("  ", 1)
            described = len(text) == 2 and text[1].strip()
            assert described or lines[index + 1].startswith(" " * 10), line


# --- formula-like text, for any text -------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(st.text())
def test_any_text_reads_back_as_written_and_never_as_a_formula(text: str) -> None:
    table = Table("T", ("Text",), ((text,),))
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes([table])))
    cell = book["T"]["A2"]
    if text:
        assert cell.data_type == "s"
        assert unescape(cell.value) == text
        if not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_x[0-9A-Fa-f]{4}_", text):
            assert cell.value == text
    else:
        assert cell.value is None
    assert cell.quotePrefix == text.startswith(FORMULA_STARTS)

    rows = list(csv.reader(io.StringIO(csv_bytes(table).decode("utf-8-sig"), newline="")))
    assert rows[0] == ["Text"]
    stored = rows[1][0] if rows[1:] and rows[1] else ""
    escaped = text.startswith((*FORMULA_STARTS, CSV_ESCAPE))
    assert stored == (CSV_ESCAPE + text if escaped else text)
    assert not stored.startswith(FORMULA_STARTS)
    assert (stored[1:] if escaped else stored) == text
