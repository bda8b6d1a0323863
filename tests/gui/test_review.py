"""The case review in the whole window, driven from the keyboard as an inspector would: a
case found, opened, answered, its notes written and marked complete; the window's own keys
(sections, cases, undo and redo, history, the profile, back to the list) reaching the review
and the list following; a note being typed saved when the window closes. What the review does
with each key is tested on the review alone, in tests/widgets/test_case_review.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from inspector_app.core.cases.case_data import CaseState
from inspector_app.gui.dialogs import HistoryDialog
from inspector_app.gui.main_window import PENDING_TEXT, SAVED_TEXT, MainWindow
from inspector_app.gui.models import CaseListModel
from tests.gui.conftest import focused, press, type_text
from tests.widgets.conftest import find_case, focused_row, not_started, stored, unnamed_widgets

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier


def open_by_keyboard(window: MainWindow, case: CaseState) -> None:
    press(Qt.Key.Key_F, CTRL)
    type_text(case.label)
    press(Qt.Key.Key_Return)  # the single match opens at once
    assert window.review.case_key == case.key


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


def test_the_windows_keys_reach_the_review_and_the_case_list_follows(
    window: MainWindow, fieldwork: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The keys of the Case and Edit menus, pressed in the window: what each one does is
    tested on the case review alone (tests/widgets/test_case_review.py)."""
    model = window.case_model
    keys = model.visible_keys()
    row = next(
        r
        for r in range(model.rowCount() - 1)
        if model.index(r, 0).data(CaseListModel.SummaryRole).answered == 0
    )
    case = model.index(row, 0).data(CaseListModel.SummaryRole)
    table = window.case_list.table
    rect = table.visualRect(model.index(row, CaseListModel.COL_SENTENCE))
    # A real double click: press, release, then the second press arrives as a double click.
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    QTest.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    review = window.review
    assert window.stack.currentWidget() is review and review.case_key == case.key
    assert focused_row().code == "0.1"

    press("Y")
    assert window.save_label.text() == SAVED_TEXT
    press(Qt.Key.Key_Up)
    press(Qt.Key.Key_Return)
    type_text("Typed before moving on")
    assert window.save_label.text() == PENDING_TEXT
    press(Qt.Key.Key_BracketRight, CTRL)  # the next case in the list's order; the note saved
    assert review.case_key == keys[row + 1]
    assert stored(fieldwork, case.key).answers["0.1"].note == "Typed before moving on"
    press(Qt.Key.Key_BracketLeft, CTRL)
    assert review.case_key == case.key
    press(Qt.Key.Key_BracketRight, CTRL)
    press(Qt.Key.Key_Z, CTRL)  # undoes the note on the first case, and shows it
    assert review.case_key == case.key
    assert stored(fieldwork, case.key).answers["0.1"].note == ""
    press(Qt.Key.Key_Z, CTRL | SHIFT)
    assert stored(fieldwork, case.key).answers["0.1"].note == "Typed before moving on"

    review.focus_question("0.1")
    press(Qt.Key.Key_PageDown, CTRL)
    assert review.section_code == "A"
    press(Qt.Key.Key_PageUp, CTRL)
    assert review.section_code == "0"
    review.focus_question("0.1")
    shown: list[str] = []
    monkeypatch.setattr(
        HistoryDialog,
        "ask",
        classmethod(lambda cls, parent, title, entries, scale=None: shown.append(title)),
    )
    press(Qt.Key.Key_H, CTRL)
    assert len(shown) == 1 and "0.1" in shown[0]
    profile_shown = review.right_pane.isVisible()
    press(Qt.Key.Key_P, CTRL | SHIFT)
    assert review.right_pane.isVisible() is not profile_shown
    press(Qt.Key.Key_Return, CTRL)  # the next question still to answer
    assert focused_row().code == "0.2"

    press(Qt.Key.Key_Left, ALT)  # back to the list, on the case, its row up to date
    assert window.stack.currentWidget() is window.case_list
    assert window.case_list.current_key() == case.key
    updated = model.summary_of(case.key)
    assert updated.answered == 1 and updated.status == "in progress"
    assert not unnamed_widgets(window)
    for widget in window.findChildren(QWidget):  # sizes follow the system font
        assert widget.font().pixelSize() == -1 or widget.font().pointSizeF() > 0, widget


def test_closing_the_window_saves_the_note_being_typed(window: MainWindow, fieldwork: Path) -> None:
    case = find_case(fieldwork, not_started)
    window.open_case(case.key)
    press(Qt.Key.Key_Return)
    type_text("Typed just before closing")
    window.close()
    assert stored(fieldwork, case.key).answers["0.1"].note == "Typed just before closing"


def test_the_end_of_a_filtered_list_says_the_filter_hides_more(
    window: MainWindow, fieldwork: Path
) -> None:
    """Ctrl+] on the only case a filter shows: the status bar says the filter is why there
    is no next case, not that the list has ended."""
    case = find_case(fieldwork, not_started)
    open_by_keyboard(window, case)  # the filter now shows this case alone
    assert window.case_model.visible_keys() == [case.key]
    press(Qt.Key.Key_BracketRight, CTRL)
    assert window.review.case_key == case.key
    assert "filter" in window.statusBar().currentMessage()
    press(Qt.Key.Key_BracketLeft, CTRL)
    assert "first case the filter shows" in window.statusBar().currentMessage()
