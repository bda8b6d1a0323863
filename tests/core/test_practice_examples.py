"""Practice examples: drawn from an evidence note, edited by the lead, placed in a chapter,
printed in a box with the case named only by its sample number; they merge like the rest of
the report's words."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from inspector_app.core.cases.case_data import load_cases
from inspector_app.core.errors import NotFound, ValidationError
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.merge.validation import narrative_value_problem
from inspector_app.core.narrative.parts import PRACTICE_EXAMPLES
from inspector_app.core.narrative.practice_examples import (
    add_example,
    edit_example,
    load_examples,
    remove_example,
    starting_text,
)
from inspector_app.core.report.data import build_report_data
from inspector_app.core.report.pdf import render_pdf
from tests.report_helpers import MergedDemo, merged_demo


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> MergedDemo:
    return merged_demo(tmp_path_factory.mktemp("examples") / "demo", cases=24)


@pytest.fixture
def master(source: MergedDemo, tmp_path: Path) -> InspectionFile:
    file = InspectionFile.open(source.copy_to(tmp_path))
    yield file
    file.close()


def _a_note(file: InspectionFile) -> tuple[int, str, str]:
    for case in load_cases(file):
        for code, answer in case.answers.items():
            if answer.note.strip() and code.startswith("B2"):
                return case.sample_no, code, answer.note.strip()
    raise AssertionError("the demo has no evidence note on risk of harm")


def test_an_example_from_a_note_is_printed_in_its_chapter_by_case_number_only(
    master: InspectionFile, source: MergedDemo
) -> None:
    sample_no, code, note = _a_note(master)
    assert starting_text(master, sample_no, code) == note
    add_example(
        master,
        chapter="1.3",
        sample_no=sample_no,
        question=code,
        title="Planning with the police",
        text="The offender manager and the police agreed a plan that kept the victim safe.",
    )
    [example] = load_examples(master)
    assert (example.chapter, example.case, example.case_label) == (
        "1.3",
        sample_no,
        f"Case {sample_no:03d}",
    )
    data = build_report_data(master)
    chapter = next(c for c in data.chapters if c.code == "1.3")
    assert [box.title for box in chapter.examples] == ["Planning with the police"]
    text = " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(render_pdf(data))).pages
    )
    assert "Practice example: Planning with the police" in text
    assert f"Case {sample_no:03d}" in text
    for crn, name in source.identities():
        assert crn not in text and name not in text


def test_the_cases_own_name_or_crn_is_refused_and_nothing_is_written(
    master: InspectionFile,
) -> None:
    sample_no, code, _ = _a_note(master)
    crn, name = master.db.raw.execute(
        "SELECT crn, name FROM case_identity WHERE case_key = ?", (master.case_key_for(sample_no),)
    ).fetchone()
    for text in (f"{name} engaged well.", f"Seen on {crn}.", f"{name.split()[-1]} did well."):
        with pytest.raises(ValidationError, match="shows the case only by its number"):
            add_example(
                master, chapter="1.3", sample_no=sample_no, question=code, title="T", text=text
            )
    assert load_examples(master) == ()


@pytest.mark.parametrize(
    ("change", "error", "message"),
    [
        ({"chapter": "9.9"}, NotFound, "no chapter '9.9'"),
        ({"text": "  "}, ValidationError, "needs some text"),
        ({"title": ""}, ValidationError, "needs a title"),
        ({"text": "x" * 2001}, ValidationError, "at most 2,000 characters"),
        ({"text": "Bell \x07 here"}, ValidationError, "control character"),
    ],
)
def test_a_bad_example_is_refused_with_one_line(
    master: InspectionFile, change: dict, error: type, message: str
) -> None:
    sample_no, code, _ = _a_note(master)
    fields = {"chapter": "1.3", "title": "T", "text": "Good work."} | change
    with pytest.raises(error, match=message):
        add_example(master, sample_no=sample_no, question=code, **fields)


def test_editing_moving_and_removing(master: InspectionFile) -> None:
    sample_no, code, _ = _a_note(master)
    add_example(master, chapter="1.3", sample_no=sample_no, question=code, title="A", text="One.")
    add_example(master, chapter="1.3", sample_no=sample_no, question=code, title="B", text="Two.")
    first, second = load_examples(master)
    edit_example(master, first.id, chapter="2.2", text="One, rewritten.")
    assert [(e.title, e.chapter, e.text) for e in load_examples(master)] == [
        ("A", "2.2", "One, rewritten."),
        ("B", "1.3", "Two."),
    ]
    remove_example(master, second.id)
    assert [e.title for e in load_examples(master)] == ["A"]
    with pytest.raises(NotFound):
        remove_example(master, second.id)


def test_a_merge_accepts_examples_and_refuses_anything_else_in_their_part() -> None:
    good = [{"id": "x", "chapter": "1.3", "case": 7, "question": "B2.5", "title": "T", "text": "W"}]
    assert narrative_value_problem(PRACTICE_EXAMPLES, good) is None
    for bad in ("text", [{"id": "x"}], [{**good[0], "case": "7"}], [{**good[0], "case": True}]):
        assert narrative_value_problem(PRACTICE_EXAMPLES, bad) is not None


def test_the_command_line_places_lists_and_removes_an_example(
    master: InspectionFile, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from inspector_app.cli.main import run_cli

    sample_no, code, note = _a_note(master)
    path = str(master.path)
    master.close()
    args = ["practice-example", path, "--add", str(sample_no), code, "--chapter", "1.3"]
    assert run_cli([*args, "--title", "From the note", "--from-note"]) == 0
    assert run_cli(["practice-example", path, "--json"]) == 0
    out = capsys.readouterr().out
    [example] = json.loads(out[out.index("[") :])
    assert (example["case"], example["text"], example["chapter"]) == (sample_no, note, "1.3")
    assert run_cli([*args, "--title", "Empty"]) == 1  # no text: refused in one line
    assert "needs some text" in capsys.readouterr().err
    assert run_cli(["practice-example", path, "--remove", example["id"]]) == 0
    assert run_cli(["practice-example", path]) == 0
    assert capsys.readouterr().out.endswith("No practice examples\n")
