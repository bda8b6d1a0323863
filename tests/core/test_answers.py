"""Answers, notes, applicability, completion and import-answers."""

from __future__ import annotations

from pathlib import Path

import pytest

from inspector_app.core.cases.answers import (
    import_answers,
    missing_for_completion,
    normalise_answer,
    set_answer,
    set_case_complete,
    set_profile_value,
)
from inspector_app.core.cases.case_data import COMPLETE, IN_PROGRESS, load_case, status_of
from inspector_app.core.errors import ValidationError
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.framework import applies
from tests.conftest import file_hash, write_csv


def _first_case(file: InspectionFile) -> str:
    return file.case_key_for(1)


def _unconditional_scored(file: InspectionFile) -> str:
    return next(q.code for q in file.framework.questions() if q.scored and q.applies_if is None)


def _conditional_on_field(file: InspectionFile, field: str) -> str:
    for q in file.framework.questions():
        if q.applies_if is not None and f"field='{field}'" in repr(q.applies_if):
            return q.code
    raise AssertionError(f"no question depends on {field}")


def test_answer_is_saved_and_survives_reopening(master: InspectionFile) -> None:
    code = _unconditional_scored(master)
    case_key = _first_case(master)
    changes = set_answer(master, case_key, code, "No", "No evidence on file")
    assert changes.answers and changes.case_keys == {case_key}
    path = master.path
    master.close()
    with InspectionFile.open(path) as reopened:
        answer = load_case(reopened, case_key).answers[code]
        assert (answer.value, answer.note) == ("no", "No evidence on file")


def test_answer_spellings_are_normalised(master: InspectionFile) -> None:
    question = master.framework.question(_unconditional_scored(master))
    for spelling, stored in [("Y", "yes"), ("yes", "yes"), ("N/A", "na"), ("not applicable", "na")]:
        assert normalise_answer(master.framework, question, spelling) == stored
    with pytest.raises(ValidationError, match="not an answer on its scale"):
        normalise_answer(master.framework, question, "maybe")


def test_unchanged_answer_writes_no_revision(master: InspectionFile) -> None:
    code = _unconditional_scored(master)
    case_key = _first_case(master)
    set_answer(master, case_key, code, "yes")
    count = master.db.raw.execute("SELECT count(*) FROM revision").fetchone()[0]
    assert not set_answer(master, case_key, code, "yes").answers
    assert master.db.raw.execute("SELECT count(*) FROM revision").fetchone()[0] == count


def test_question_that_does_not_apply_is_refused(master: InspectionFile) -> None:
    code = _conditional_on_field(master, "alcohol_misuse")
    question = master.framework.question(code)
    case_key = _first_case(master)
    set_profile_value(master, case_key, "alcohol_misuse", False)
    case = load_case(master, case_key)
    assert not applies(question.applies_if, case.profile, {})
    with pytest.raises(ValidationError, match="does not apply"):
        set_answer(master, case_key, code, "yes")
    set_profile_value(master, case_key, "alcohol_misuse", True)
    set_answer(master, case_key, code, "yes")  # now it applies


def test_profile_corrections_are_revisions_over_the_import(master: InspectionFile) -> None:
    case_key = _first_case(master)
    imported = load_case(master, case_key).imported_profile["rosh"]
    set_profile_value(master, case_key, "rosh", "Very high", "Confirmed with OM")
    case = load_case(master, case_key)
    assert case.imported_profile["rosh"] == imported
    assert case.profile["rosh"] == "Very high"
    with pytest.raises(ValidationError):
        set_profile_value(master, case_key, "rosh", "Extreme")


def test_case_completion_needs_every_answer_and_required_note(master: InspectionFile) -> None:
    case_key = _first_case(master)
    with pytest.raises(ValidationError, match="not finished"):
        set_case_complete(master, case_key)
    # Answer everything that applies, in order, "no" where a note is required but no note.
    while missing := missing_for_completion(master.framework, load_case(master, case_key)):
        item = missing[0]
        question = master.framework.question(item.code)
        scale = master.framework.scale_of(question)
        value = "no" if "no" in scale.values else scale.values[0]
        set_answer(master, case_key, item.code, value, "" if question.needs_note(value) else "ok")
        if question.needs_note(value):
            assert any(
                m.code == item.code and "note" in m.problem
                for m in missing_for_completion(master.framework, load_case(master, case_key))
            )
            set_answer(master, case_key, item.code, value, "Evidence written")
    assert status_of(load_case(master, case_key)) == IN_PROGRESS
    set_case_complete(master, case_key)
    assert status_of(load_case(master, case_key)) == COMPLETE
    set_case_complete(master, case_key, False)  # reopened
    assert status_of(load_case(master, case_key)) == IN_PROGRESS


# -- import-answers --------------------------------------------------------------------------


def test_import_answers_writes_every_row(master: InspectionFile, tmp_path: Path) -> None:
    code = _unconditional_scored(master)
    csv_path = write_csv(
        tmp_path / "answers.csv",
        [
            ["case", "question", "answer", "note"],
            ["1", code, "yes", "fine"],
            ["Case 002", code, "No", "late"],
        ],
    )
    assert import_answers(master, csv_path, as_name="Helen Ashworth") == 2
    assert load_case(master, master.case_key_for(2)).answers[code].value == "no"


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (["99", "{code}", "yes", ""], "no case with sample number 99"),
        (["1", "Z9.9", "yes", ""], "unknown question code 'Z9.9'"),
        (["1", "{code}", "perhaps", ""], "'perhaps' is not an answer"),
        (["1", "{code}", "", ""], "has no answer"),
        (["x1", "{code}", "yes", ""], "not a sample number"),
        (["1", "{alcohol}", "yes", ""], "does not apply to Case 001"),
    ],
    ids=["unknown-case", "unknown-code", "bad-value", "blank", "bad-sample", "not-applicable"],
)
def test_import_answers_refuses_bad_rows_and_writes_nothing(
    master: InspectionFile, tmp_path: Path, row: list[str], expected: str
) -> None:
    code = _unconditional_scored(master)
    alcohol = _conditional_on_field(master, "alcohol_misuse")
    set_profile_value(master, master.case_key_for(1), "alcohol_misuse", False)
    row = [cell.format(code=code, alcohol=alcohol) for cell in row]
    good = ["2", code, "yes", ""]
    csv_path = write_csv(
        tmp_path / "answers.csv", [["case", "question", "answer", "note"], good, row]
    )
    before = master.db.raw.execute("SELECT count(*) FROM revision").fetchone()[0]
    with pytest.raises(ValidationError) as info:
        import_answers(master, csv_path, as_name="Helen Ashworth")
    message = str(info.value)
    assert "answers.csv row 3" in message and expected in message
    assert master.db.raw.execute("SELECT count(*) FROM revision").fetchone()[0] == before


def test_import_answers_refuses_cases_not_allocated_to_the_author(
    master: InspectionFile, tmp_path: Path
) -> None:
    code = _unconditional_scored(master)
    owner = load_case(master, master.case_key_for(1)).first_reader
    other = next(n for n in ("Daniel Okafor", "Priya Raman") if n != owner)
    csv_path = write_csv(tmp_path / "a.csv", [["case", "question", "answer"], ["1", code, "yes"]])
    with pytest.raises(ValidationError, match="not allocated"):
        import_answers(master, csv_path, as_name=other)
    assert import_answers(master, csv_path, as_name=owner) == 1


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "empty"),
        (b"case,answer\n1,yes\n", "missing column"),
        (b"case,question,answer\n1,B1,caf\xe9\n", "not UTF-8"),
        (b"\x00\x01\x02", "binary"),
    ],
    ids=["empty", "missing-column", "latin-1", "binary"],
)
def test_import_answers_refuses_unreadable_files(
    master: InspectionFile, tmp_path: Path, content: bytes, expected: str
) -> None:
    path = tmp_path / "answers.csv"
    path.write_bytes(content)
    before = file_hash(master.path)
    with pytest.raises(ValidationError, match=expected):
        import_answers(master, path, as_name="Helen Ashworth")
    assert file_hash(master.path) == before


def test_import_answers_keeps_formula_like_notes_as_text(
    master: InspectionFile, tmp_path: Path
) -> None:
    code = _unconditional_scored(master)
    note = '=HYPERLINK("http://example.invalid","click") and עברית text'
    path = write_csv(
        tmp_path / "a.csv", [["case", "question", "answer", "note"], ["1", code, "yes", note]]
    )
    import_answers(master, path, as_name="Helen Ashworth")
    assert load_case(master, master.case_key_for(1)).answers[code].note == note
