"""The case review, driven from the keyboard as an inspector would: answering, notes,
applicability, completion, undo and redo, history; everything saved is checked by reading the
file again through a fresh connection."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from inspector_app.core.cases.case_data import CaseState, load_case, load_cases
from inspector_app.core.cases.history import answer_history
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.gui.dialogs import HistoryDialog, MissingItemsDialog
from inspector_app.gui.main_window import PENDING_TEXT, SAVED_TEXT, MainWindow
from inspector_app.gui.question_row import QuestionRow
from tests.gui.conftest import focused, press, type_text

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier


def stored(path: Path, key: str) -> CaseState:
    """The case as a fresh connection reads it from disk."""
    with InspectionFile.open(path, readonly=True) as file:
        return load_case(file, key)


def find_case(path: Path, test: Callable[[CaseState], bool]) -> CaseState:
    with InspectionFile.open(path, readonly=True) as file:
        return next(c for c in load_cases(file) if test(c))


def not_started(case: CaseState) -> bool:
    return not case.answers and not case.marked_complete


def open_by_keyboard(window: MainWindow, case: CaseState) -> None:
    press(Qt.Key.Key_F, CTRL)
    type_text(case.label)
    press(Qt.Key.Key_Return)  # the single match opens at once
    assert window.review.case_key == case.key


def focused_row() -> QuestionRow:
    widget = focused()
    while widget is not None and not isinstance(widget, QuestionRow):
        widget = widget.parentWidget()
    assert widget is not None, f"focus is not on a question but on {focused()!r}"
    return widget


def test_a_full_case_review_from_the_keyboard(window: MainWindow, fieldwork: Path) -> None:
    case = find_case(fieldwork, not_started)
    open_by_keyboard(window, case)
    assert focused_row().code == "0.1"
    answered_no = None
    for _ in range(200):
        summary = window.case_model.summary_of(case.key)
        if summary.applicable and summary.answered == summary.applicable:
            break
        row = focused_row()
        if row.scale.kind == "text":  # the interview note
            press(Qt.Key.Key_Return)
            assert isinstance(focused(), QPlainTextEdit)
            type_text("Met the offender manager at the office.")
            press(Qt.Key.Key_Escape)
            assert focused() is row
            press(Qt.Key.Key_Down)
        elif answered_no is None and "no" in row.question.note_required:
            answered_no = row.code
            press("N")  # a No needs an evidence note: the note takes the keyboard
            assert isinstance(focused(), QPlainTextEdit) and focused_row() is row
            press(Qt.Key.Key_Escape)  # written later
            assert focused() is row
            press(Qt.Key.Key_Down)
        else:
            press(row.scale.options[0].key)
            if isinstance(focused(), QPlainTextEdit):  # an answer that needs its evidence
                press(Qt.Key.Key_Escape)
                press(Qt.Key.Key_Down)
    else:
        pytest.fail("the review did not finish")
    assert answered_no is not None
    # Ctrl+Enter finds what is left: here the evidence notes that answers need.
    notes = []
    for _ in range(20):
        press(Qt.Key.Key_Return, CTRL)
        if focused() is window.review.complete_button:
            break  # nothing left: completion is offered
        assert isinstance(focused(), QPlainTextEdit)
        row = focused_row()
        assert row.flag_label.isVisible()
        notes.append(row.code)
        type_text(f"Evidence for {row.code}.")
        assert not row.flag_label.isVisible()
    assert answered_no in notes
    press(Qt.Key.Key_C, CTRL | SHIFT)
    assert window.save_label.text() == SAVED_TEXT

    saved = stored(fieldwork, case.key)
    assert saved.marked_complete
    assert saved.answers[answered_no].value == "no"
    assert saved.answers[answered_no].note == f"Evidence for {answered_no}."
    assert saved.answers["0.4"].value == "Met the offender manager at the office."
    assert window.case_model.summary_of(case.key).status == "complete"


def test_up_down_move_between_questions_that_apply_and_sections_follow(
    window: MainWindow, fieldwork: Path
) -> None:
    case = find_case(fieldwork, lambda c: not_started(c) and not c.profile["alcohol_misuse"])
    window.open_case(case.key)
    window.review.focus_question("B1.2")
    press(Qt.Key.Key_Down)
    assert focused_row().code != "B1.3"  # alcohol questions do not apply here
    press(Qt.Key.Key_Up)
    assert focused_row().code == "B1.2"
    press(Qt.Key.Key_PageDown, CTRL)
    assert window.review.section_code == "C" and focused_row().code == "C1"
    press(Qt.Key.Key_PageUp, CTRL)
    assert window.review.section_code == "B"
    press(Qt.Key.Key_Up)  # from B's first question back into section A
    assert window.review.section_code in ("A", "0")


def test_next_and_previous_case_follow_the_list_order(window: MainWindow) -> None:
    keys = window.case_model.visible_keys()
    window.open_case(keys[0])
    press(Qt.Key.Key_BracketRight, CTRL)
    assert window.review.case_key == keys[1]
    press(Qt.Key.Key_BracketLeft, CTRL)
    assert window.review.case_key == keys[0]


def test_applicability_updates_live_from_answers(window: MainWindow, fieldwork: Path) -> None:
    case = find_case(fieldwork, not_started)
    window.open_case(case.key)
    window.review.focus_question("A1")
    a2 = window.review.rows["A2"]
    assert not a2.applies and a2.reason_label.isVisible()
    assert "A1" in a2.reason_label.text() and "Yes" in a2.reason_label.text()
    assert not a2.controls.isVisible()
    press("Y")  # A1 = Yes: A2 applies, and focus moves on to it
    assert a2.applies and not a2.reason_label.isVisible() and a2.buttons["yes"].isEnabled()
    assert focused_row().code == "A2"
    press(Qt.Key.Key_Up)
    press("N")  # A1 = No: nothing else in A applies, so focus moves on to section B
    assert window.review.section_code == "B"
    press(Qt.Key.Key_PageUp, CTRL)
    a2 = window.review.rows["A2"]
    assert not a2.applies and a2.reason_label.isVisible()


def test_applicability_updates_live_from_the_profile(window: MainWindow, fieldwork: Path) -> None:
    case = find_case(fieldwork, lambda c: not_started(c) and not c.profile["alcohol_misuse"])
    window.open_case(case.key)
    window.review.focus_question("B1.1")
    b13 = window.review.rows["B1.3"]
    assert not b13.applies
    box = window.review.profile_panel.editors["alcohol_misuse"]
    box.setFocus()
    press(Qt.Key.Key_Space)  # tick "Alcohol misuse" from the keyboard
    assert b13.applies
    assert stored(fieldwork, case.key).profile["alcohol_misuse"] is True
    assert "Alcohol" in window.case_model.summary_of(case.key).flags[-1] or any(
        "Alcohol" in f for f in window.case_model.summary_of(case.key).flags
    )
    rosh = window.review.profile_panel.editors["rosh"]
    assert isinstance(rosh, QComboBox)
    rosh.setCurrentIndex(rosh.findData("Low"))
    rosh.activated.emit(rosh.currentIndex())
    assert stored(fieldwork, case.key).profile["rosh"] == "Low"


def test_a_required_note_is_flagged_until_written(
    window: MainWindow, fieldwork: Path, qtbot
) -> None:
    case = find_case(fieldwork, not_started)
    window.open_case(case.key)
    window.review.focus_question("B1.1")
    press("N")
    row = window.review.rows["B1.1"]
    assert row.flag_label.isVisible()
    assert "required" in row.accessibleDescription()
    assert isinstance(focused(), QPlainTextEdit)  # the No took the keyboard into its note
    type_text("Assessment started eight weeks late.")
    assert not row.flag_label.isVisible()
    assert window.save_label.text() == PENDING_TEXT
    qtbot.waitUntil(lambda: window.save_label.text() == SAVED_TEXT, timeout=3000)
    assert (
        stored(fieldwork, case.key).answers["B1.1"].note == "Assessment started eight weeks late."
    )


def test_answers_save_at_once_and_notes_after_a_pause(
    window: MainWindow, fieldwork: Path, qtbot
) -> None:
    case = find_case(fieldwork, not_started)
    window.open_case(case.key)
    press("Y")
    assert stored(fieldwork, case.key).answers["0.1"].value == "yes"
    press(Qt.Key.Key_Return)
    type_text("Checked")
    assert "0.2" not in stored(fieldwork, case.key).answers  # still typing
    qtbot.waitUntil(lambda: "0.2" in stored(fieldwork, case.key).answers, timeout=2000)
    assert stored(fieldwork, case.key).answers["0.2"].note == "Checked"


def test_closing_the_window_saves_the_note_being_typed(window: MainWindow, fieldwork: Path) -> None:
    case = find_case(fieldwork, not_started)
    window.open_case(case.key)
    press(Qt.Key.Key_Return)
    type_text("Typed just before closing")
    window.close()
    assert stored(fieldwork, case.key).answers["0.1"].note == "Typed just before closing"


def test_moving_to_another_case_saves_the_note_being_typed(
    window: MainWindow, fieldwork: Path
) -> None:
    case = find_case(fieldwork, not_started)
    window.open_case(case.key)
    press(Qt.Key.Key_Return)
    type_text("Typed before moving on")
    press(Qt.Key.Key_BracketRight, CTRL)
    assert window.review.case_key != case.key
    assert stored(fieldwork, case.key).answers["0.1"].note == "Typed before moving on"


def test_undo_and_redo_write_new_revisions(window: MainWindow, fieldwork: Path) -> None:
    case = find_case(fieldwork, not_started)
    window.open_case(case.key)
    press("N")
    press(Qt.Key.Key_Up)
    press("Y")
    assert stored(fieldwork, case.key).answers["0.1"].value == "yes"
    press(Qt.Key.Key_Z, CTRL)
    assert stored(fieldwork, case.key).answers["0.1"].value == "no"
    assert window.review.rows["0.1"].buttons["no"].isChecked()
    press(Qt.Key.Key_Z, CTRL | SHIFT)
    assert stored(fieldwork, case.key).answers["0.1"].value == "yes"
    with InspectionFile.open(fieldwork, readonly=True) as file:
        values = [e.value for e in answer_history(file, case.key, "0.1")]
    assert values == ["no", "yes", "no", "yes"]  # history kept, never rewritten


def test_undo_of_a_note_and_across_cases(window: MainWindow, fieldwork: Path) -> None:
    case = find_case(fieldwork, not_started)
    window.open_case(case.key)
    press("Y")
    press(Qt.Key.Key_Up)
    press(Qt.Key.Key_Return)
    type_text("First thoughts")
    press(Qt.Key.Key_Z, CTRL)  # saves the typing, then undoes it as a new revision
    assert stored(fieldwork, case.key).answers["0.1"].note == ""
    assert window.review.rows["0.1"].note_text() == ""
    press(Qt.Key.Key_Z, CTRL | SHIFT)
    assert stored(fieldwork, case.key).answers["0.1"].note == "First thoughts"
    press(Qt.Key.Key_BracketRight, CTRL)
    assert window.review.case_key != case.key
    press(Qt.Key.Key_Z, CTRL)  # undoes the note on the first case, and shows it
    assert window.review.case_key == case.key
    assert stored(fieldwork, case.key).answers["0.1"].note == ""


def test_mark_complete_lists_what_is_missing_and_jumps_there(
    window: MainWindow, fieldwork: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = find_case(fieldwork, not_started)
    window.open_case(case.key)
    press("N")  # 0.1
    asked: list[list[tuple[str, str]]] = []

    def choose_second(cls, parent, label, items):
        asked.append(list(items))
        return items[1][1]

    monkeypatch.setattr(MissingItemsDialog, "ask", classmethod(choose_second))
    press(Qt.Key.Key_C, CTRL | SHIFT)
    items = asked[0]
    codes = [code for _text, code in items]
    assert "0.1" not in codes and codes[0] == "0.2"
    assert all("not answered" in text.lower() or "note" in text for text, _ in items)
    assert focused_row().code == codes[1]
    assert not stored(fieldwork, case.key).marked_complete


def test_a_complete_case_is_locked_and_can_be_reopened(window: MainWindow, fieldwork: Path) -> None:
    case = find_case(fieldwork, lambda c: c.marked_complete)
    window.open_case(case.key)
    review = window.review
    assert review.banner.isVisible() and review.complete_button.text() == "Reopen case"
    review.focus_question("0.1")
    before = stored(fieldwork, case.key).answers["0.1"].value
    press("N" if before == "yes" else "Y")
    assert stored(fieldwork, case.key).answers["0.1"].value == before  # locked
    press(Qt.Key.Key_C, CTRL | SHIFT)
    assert not stored(fieldwork, case.key).marked_complete
    assert not review.banner.isVisible() and review.complete_button.text() == "Mark complete"
    assert window.case_model.summary_of(case.key).status == "in progress"


def test_history_of_the_focused_answer(
    window: MainWindow, fieldwork: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = find_case(fieldwork, not_started)
    window.open_case(case.key)
    press("Y")
    press(Qt.Key.Key_Up)
    press("N")
    press(Qt.Key.Key_Up)
    shown: list = []
    monkeypatch.setattr(
        HistoryDialog,
        "ask",
        classmethod(lambda cls, parent, title, entries, scale=None: shown.append((title, entries))),
    )
    press(Qt.Key.Key_H, CTRL)
    title, entries = shown[0]
    assert "0.1" in title and case.label in title
    assert [e.value for e in entries] == ["yes", "no"]
    assert all(e.author == "Daniel Okafor" for e in entries)
    assert [e.is_head for e in entries] == [False, True]


def test_every_control_is_reachable_by_tab(window: MainWindow, fieldwork: Path) -> None:
    case = find_case(fieldwork, lambda c: len(c.answers) > 3)
    window.open_case(case.key)
    review = window.review
    wanted = {
        w
        for w in review.findChildren(QWidget)
        if w.isVisible()
        and w.isEnabled()
        and w.focusPolicy() & Qt.FocusPolicy.TabFocus
        and not w.objectName().startswith("qt_")
    }
    review.back_button.setFocus()
    seen = set()
    for _ in range(len(wanted) * 2):
        seen.add(QApplication.focusWidget())
        press(Qt.Key.Key_Tab)
    missing = wanted - seen
    assert not missing, [w.accessibleName() or repr(w) for w in missing]


@pytest.mark.parametrize("screen", ["list", "review"])
def test_every_widget_has_an_accessible_name(
    window: MainWindow, fieldwork: Path, screen: str
) -> None:
    if screen == "review":
        window.open_case(find_case(fieldwork, lambda c: len(c.answers) > 3).key)
        window.review.rows[next(iter(window.review.rows))].set_guidance_visible(True)
    kinds = (
        QAbstractButton,
        QAbstractItemView,
        QLineEdit,
        QPlainTextEdit,
        QComboBox,
        QLabel,
        QuestionRow,
    )
    unnamed = [
        w
        for w in window.findChildren(QWidget)
        if isinstance(w, kinds)
        and w.isVisible()
        and not w.objectName().startswith(("qt_", "_q_"))
        and not w.accessibleName()
        and not (isinstance(w, QLabel) and not w.text())
    ]
    assert not unnamed, [f"{type(w).__name__} {getattr(w, 'text', lambda: '')()}" for w in unnamed]


def test_no_fixed_pixel_font_sizes(window: MainWindow, fieldwork: Path) -> None:
    window.open_case(find_case(fieldwork, lambda c: len(c.answers) > 3).key)
    for widget in window.findChildren(QWidget):
        assert widget.font().pixelSize() == -1 or widget.font().pointSizeF() > 0, widget
        assert (
            "px" not in widget.styleSheet().split("font")[-1] or "font" not in widget.styleSheet()
        )


def test_an_answer_letter_on_a_question_answered_in_words_moves_into_its_text(
    window: MainWindow, fieldwork: Path
) -> None:
    case = find_case(fieldwork, not_started)
    open_by_keyboard(window, case)
    window.review.rows["0.2"].setFocus()
    press("Y")  # the offender manager was interviewed: the interview note applies
    row = window.review.rows["0.4"]
    assert row.scale.kind == "text" and not row.buttons and row.isVisible()
    row.setFocus()
    messages: list[str] = []
    window.review.message.connect(messages.append)
    press("Y")
    assert isinstance(focused(), QPlainTextEdit) and focused_row() is row
    assert messages == ["Question 0.4 is answered in words, not Yes or No: type the answer here"]
    assert stored(fieldwork, case.key).answers.get("0.4") is None  # nothing was answered
