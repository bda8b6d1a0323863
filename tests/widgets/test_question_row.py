"""One question row on its own: the keys a user presses on it and what the row asks for, the
note that grows with its text, the flag for a missing evidence note, and how a question that
does not apply, or a locked case, looks."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QSignalSpy
from PySide6.QtWidgets import QVBoxLayout, QWidget

from inspector_app.core.cases.case_data import AnswerValue
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.framework import Framework
from inspector_app.gui.question_row import NOTE, VALUE, NoteEdit, QuestionRow
from tests.gui.conftest import focused, press, type_text
from tests.widgets.conftest import show


@pytest.fixture
def framework(master: InspectionFile) -> Framework:
    return master.framework


@pytest.fixture
def host(qtbot) -> Iterator[QWidget]:
    """A plain window for rows, at a real width."""
    widget = QWidget()
    QVBoxLayout(widget)
    show(qtbot, widget, 900, 600)
    yield widget


def row_for(host: QWidget, framework: Framework, code: str) -> QuestionRow:
    question = framework.question(code)
    row = QuestionRow(question, framework.scale_of(question))
    host.layout().addWidget(row)
    row.set_state(None, applies=True, reason="", locked=False)
    row.show()
    row.setFocus()
    return row


def answer(value: str, note: str = "") -> AnswerValue:
    return AnswerValue(value=value, note=note, author="Daniel Okafor", hlc="")


def test_the_key_letters_answer_delete_clears_and_arrows_ask_to_move(
    host: QWidget, framework: Framework
) -> None:
    row = row_for(host, framework, "B1.1")
    chosen = QSignalSpy(row.answerChosen)
    moves = QSignalSpy(row.moveRequested)
    assert "y" in {o.key.lower() for o in row.scale.options if o.key}
    press("Y")
    press("n")  # either case
    press(Qt.Key.Key_Delete)
    assert [chosen.at(i) for i in range(chosen.count())] == [
        ["B1.1", "yes"],
        ["B1.1", "no"],
        ["B1.1", None],
    ]
    press(Qt.Key.Key_Down)
    press(Qt.Key.Key_Up)
    assert [moves.at(i) for i in range(moves.count())] == [["B1.1", 1], ["B1.1", -1]]
    assert focused() is row  # the row only asks; the review moves the keyboard


def test_enter_goes_to_the_note_escape_comes_back_and_typing_is_reported(
    host: QWidget, framework: Framework
) -> None:
    row = row_for(host, framework, "B1.1")
    typed = QSignalSpy(row.textEdited)
    press(Qt.Key.Key_Return)
    assert focused() is row.note_edit
    type_text("Seen")
    assert typed.at(typed.count() - 1) == ["B1.1", NOTE, "Seen"]
    press(Qt.Key.Key_Escape)
    assert focused() is row
    assert row.note_text() == "Seen"


def test_a_click_asks_for_the_answer_and_the_stored_one_stays_checked_until_saved(
    host: QWidget, framework: Framework
) -> None:
    row = row_for(host, framework, "B1.1")
    row.set_state(answer("yes"), applies=True, reason="", locked=False)
    chosen = QSignalSpy(row.answerChosen)
    row.buttons["no"].click()
    assert chosen.at(0) == ["B1.1", "no"]
    assert row.buttons["yes"].isChecked() and not row.buttons["no"].isChecked()


def test_g_shows_and_hides_the_guidance(host: QWidget, framework: Framework) -> None:
    code = next(q.code for q in framework.questions() if q.guidance and q.scored)
    row = row_for(host, framework, code)
    assert not row.guidance_label.isVisible()
    press("G")
    assert row.guidance_label.isVisible() and row.guidance_button.isChecked()
    press("G")
    assert not row.guidance_label.isVisible()


def test_an_answer_that_needs_evidence_is_flagged_until_a_note_is_written(
    host: QWidget, framework: Framework
) -> None:
    question = next(q for q in framework.questions() if "no" in q.note_required)
    row = row_for(host, framework, question.code)
    row.set_state(answer("no"), applies=True, reason="", locked=False)
    assert row.flag_label.isVisible()
    assert "required" in row.note_edit.placeholderText()
    row.set_state(answer("no", "On the record."), applies=True, reason="", locked=False)
    assert not row.flag_label.isVisible()


def test_a_question_that_does_not_apply_says_why_and_offers_no_answer(
    host: QWidget, framework: Framework
) -> None:
    row = row_for(host, framework, "A2")
    row.set_state(answer("yes"), applies=False, reason="Only when A1 is Yes", locked=False)
    assert row.reason_label.isVisible() and not row.controls.isVisible()
    assert row.reason_label.text() == (
        "Does not apply to this case. Only when A1 is Yes. The earlier answer (Yes) is not counted."
    )
    assert not row.note_edit.isVisible()
    assert not row.buttons["yes"].isEnabled()


def test_a_locked_case_shows_its_answers_but_takes_none(
    host: QWidget, framework: Framework
) -> None:
    row = row_for(host, framework, "B1.1")
    row.set_state(answer("yes", "Kept."), applies=True, reason="", locked=True)
    assert row.buttons["yes"].isChecked()
    assert not any(b.isEnabled() for b in row.buttons.values())
    assert row.note_edit.isReadOnly() and row.note_text() == "Kept."


def test_a_question_answered_in_words_reports_its_text(host: QWidget, framework: Framework) -> None:
    question = next(q for q in framework.questions() if framework.scale_of(q).kind == "text")
    row = row_for(host, framework, question.code)
    assert row.value_edit is not None and not row.buttons
    typed = QSignalSpy(row.textEdited)
    press(Qt.Key.Key_Return)
    type_text("Met at the office")
    assert typed.at(typed.count() - 1) == [question.code, VALUE, "Met at the office"]


def test_a_note_grows_with_its_text_up_to_eight_lines(qtbot) -> None:
    note = NoteEdit()
    show(qtbot, note, 400, 100)
    line = note.fontMetrics().lineSpacing()
    two = note.height()
    note.setPlainText("\n".join(["a line"] * 5))
    five = note.height()
    note.setPlainText("\n".join(["a line"] * 30))
    assert five - two == pytest.approx(3 * line, abs=2)
    assert note.height() - two == pytest.approx(6 * line, abs=2)  # eight lines, then scrolls
