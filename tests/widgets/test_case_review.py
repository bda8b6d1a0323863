"""The case review on its own (with the edit session the window gives it), driven from the
keyboard as an inspector would: answering, notes, applicability, completion, undo and redo,
history, the profile on a small screen; everything saved is checked by reading the file again
through a fresh connection. The window's own keys (Ctrl+Z, Ctrl+], Ctrl+PgDown...) only call the
methods used here; tests/gui/test_review.py presses them in the whole window."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QPlainTextEdit,
    QWidget,
)

from inspector_app.app.case_rows import build_case_rows
from inspector_app.core.cases.answers import set_answer
from inspector_app.core.cases.history import answer_history
from inspector_app.core.cases.team import add_member
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.sample.placement import allocate_auto, import_sample
from inspector_app.gui import settings
from inspector_app.gui.case_review import PROFILE_SHOWN_KEY, CaseReview
from inspector_app.gui.dialogs import HistoryDialog, MissingItemsDialog
from inspector_app.gui.session import PENDING, SAVED, EditSession
from tests.gui.conftest import focused, press, type_text
from tests.merge_helpers import make_conflict
from tests.widgets.conftest import (
    find_case,
    focused_row,
    not_started,
    show,
    stored,
    unnamed_widgets,
)


def test_up_and_down_move_between_questions_that_apply_and_the_sections_follow(
    review: CaseReview, fieldwork: Path
) -> None:
    case = find_case(fieldwork, lambda c: not_started(c) and not c.profile["alcohol_misuse"])
    review.show_case(case.key)
    review.focus_question("B1.2")
    press(Qt.Key.Key_Down)
    assert focused_row().code != "B1.3"  # alcohol questions do not apply here
    press(Qt.Key.Key_Up)
    assert focused_row().code == "B1.2"
    review.step_section(+1)  # what Ctrl+PgDown asks for
    assert review.section_code == "C" and focused_row().code == "C1"
    review.step_section(-1)
    assert review.section_code == "B"
    press(Qt.Key.Key_Up)  # from B's first question back into section A
    assert review.section_code in ("A", "0")


def test_applicability_updates_live_from_answers(review: CaseReview, fieldwork: Path) -> None:
    case = find_case(fieldwork, not_started)
    review.show_case(case.key)
    review.focus_question("A1")
    a2 = review.rows["A2"]
    assert not a2.applies and a2.reason_label.isVisible()
    assert "A1" in a2.reason_label.text() and "Yes" in a2.reason_label.text()
    assert not a2.controls.isVisible()
    press("Y")  # A1 = Yes: A2 applies, and focus moves on to it
    assert a2.applies and not a2.reason_label.isVisible() and a2.buttons["yes"].isEnabled()
    assert focused_row().code == "A2"
    press(Qt.Key.Key_Up)
    press("N")  # A1 = No: nothing else in A applies, so focus moves on to section B
    assert review.section_code == "B"
    review.step_section(-1)
    a2 = review.rows["A2"]
    assert not a2.applies and a2.reason_label.isVisible()


def test_applicability_updates_live_from_the_profile(
    review: CaseReview, fieldwork: Path, fieldwork_file: InspectionFile
) -> None:
    case = find_case(fieldwork, lambda c: not_started(c) and not c.profile["alcohol_misuse"])
    review.show_case(case.key)
    review.focus_question("B1.1")
    b13 = review.rows["B1.3"]
    assert not b13.applies
    box = review.profile_panel.editors["alcohol_misuse"]
    box.setFocus()
    press(Qt.Key.Key_Space)  # tick "Alcohol misuse" from the keyboard
    assert b13.applies
    assert stored(fieldwork, case.key).profile["alcohol_misuse"] is True
    (row,) = build_case_rows(fieldwork_file, [case.key])  # what the case list shows
    assert any("Alcohol" in flag for flag in row.summary.flags)
    rosh = review.profile_panel.editors["rosh"]
    assert isinstance(rosh, QComboBox)
    rosh.setCurrentIndex(rosh.findData("Low"))
    rosh.activated.emit(rosh.currentIndex())
    assert stored(fieldwork, case.key).profile["rosh"] == "Low"
    assert "RoSH Low" in review.subtitle_label.text()


def test_a_required_note_is_flagged_until_written(
    review: CaseReview, session: EditSession, fieldwork: Path, qtbot
) -> None:
    case = find_case(fieldwork, not_started)
    review.show_case(case.key)
    review.focus_question("B1.1")
    messages: list[str] = []
    review.message.connect(messages.append)
    press("N")
    row = review.rows["B1.1"]
    assert row.flag_label.isVisible()
    assert "required" in row.accessibleDescription()
    assert isinstance(focused(), QPlainTextEdit)  # the No took the keyboard into its note
    assert messages[-1].startswith("Question B1.1: this answer needs an evidence note")
    type_text("Assessment started eight weeks late.")
    assert not row.flag_label.isVisible()
    assert messages[-1] == ""  # the request leaves the status bar once the note is written
    assert session.state == PENDING
    qtbot.waitUntil(lambda: session.state == SAVED, timeout=3000)
    assert (
        stored(fieldwork, case.key).answers["B1.1"].note == "Assessment started eight weeks late."
    )


def test_answers_save_at_once_and_notes_after_a_pause(
    review: CaseReview, fieldwork: Path, qtbot
) -> None:
    case = find_case(fieldwork, not_started)
    review.show_case(case.key)
    press("Y")
    assert stored(fieldwork, case.key).answers["0.1"].value == "yes"
    press(Qt.Key.Key_Return)
    type_text("Checked")
    assert "0.2" not in stored(fieldwork, case.key).answers  # still typing
    qtbot.waitUntil(lambda: "0.2" in stored(fieldwork, case.key).answers, timeout=2000)
    assert stored(fieldwork, case.key).answers["0.2"].note == "Checked"


def test_moving_to_another_case_saves_the_note_being_typed(
    review: CaseReview, fieldwork: Path
) -> None:
    case = find_case(fieldwork, not_started)
    other = find_case(fieldwork, lambda c: not_started(c) and c.key != case.key)
    review.show_case(case.key)
    press(Qt.Key.Key_Return)
    type_text("Typed before moving on")
    review.show_case(other.key)  # what Ctrl+] ends in
    assert review.case_key == other.key
    assert stored(fieldwork, case.key).answers["0.1"].note == "Typed before moving on"


def test_undo_and_redo_write_new_revisions(
    review: CaseReview, session: EditSession, fieldwork: Path
) -> None:
    case = find_case(fieldwork, not_started)
    review.show_case(case.key)
    press("N")
    press(Qt.Key.Key_Up)
    press("Y")
    assert stored(fieldwork, case.key).answers["0.1"].value == "yes"
    session.undo()
    assert stored(fieldwork, case.key).answers["0.1"].value == "no"
    assert review.rows["0.1"].buttons["no"].isChecked()
    session.redo()
    assert stored(fieldwork, case.key).answers["0.1"].value == "yes"
    assert review.rows["0.1"].buttons["yes"].isChecked()
    with InspectionFile.open(fieldwork, readonly=True) as file:
        values = [e.value for e in answer_history(file, case.key, "0.1")]
    assert values == ["no", "yes", "no", "yes"]  # history kept, never rewritten


def test_undo_of_a_note_and_from_another_case_asks_to_show_where_it_acted(
    qtbot, review: CaseReview, session: EditSession, fieldwork: Path
) -> None:
    case = find_case(fieldwork, not_started)
    other = find_case(fieldwork, lambda c: not_started(c) and c.key != case.key)
    review.show_case(case.key)
    press("Y")
    press(Qt.Key.Key_Up)
    press(Qt.Key.Key_Return)
    type_text("First thoughts")
    session.undo()  # saves the typing, then undoes it as a new revision
    assert stored(fieldwork, case.key).answers["0.1"].note == ""
    assert review.rows["0.1"].note_text() == ""
    session.redo()
    assert stored(fieldwork, case.key).answers["0.1"].note == "First thoughts"
    assert review.rows["0.1"].note_text() == "First thoughts"
    review.show_case(other.key)
    with qtbot.waitSignal(session.navigate) as shown:
        session.undo()  # undoes the note on the first case: the window is asked to show it
    assert shown.args == [case.key, "0.1"]
    assert stored(fieldwork, case.key).answers["0.1"].note == ""


def test_mark_complete_lists_what_is_missing_and_jumps_there(
    review: CaseReview, fieldwork: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = find_case(fieldwork, not_started)
    review.show_case(case.key)
    press("N")  # 0.1
    asked: list[list[tuple[str, str]]] = []

    def choose_second(cls, parent, label, items):
        asked.append(list(items))
        return items[1][1]

    monkeypatch.setattr(MissingItemsDialog, "ask", classmethod(choose_second))
    review.toggle_complete()
    items = asked[0]
    codes = [code for _text, code in items]
    assert "0.1" not in codes and codes[0] == "0.2"
    assert all("not answered" in text.lower() or "note" in text for text, _ in items)
    assert focused_row().code == codes[1]
    assert not stored(fieldwork, case.key).marked_complete


def test_a_complete_case_is_locked_and_can_be_reopened(review: CaseReview, fieldwork: Path) -> None:
    case = find_case(fieldwork, lambda c: c.marked_complete)
    review.show_case(case.key)
    assert review.banner.isVisible() and review.complete_button.text() == "Reopen case"
    review.focus_question("0.1")
    before = stored(fieldwork, case.key).answers["0.1"].value
    press("N" if before == "yes" else "Y")
    assert stored(fieldwork, case.key).answers["0.1"].value == before  # locked
    review.toggle_complete()
    assert not stored(fieldwork, case.key).marked_complete
    assert not review.banner.isVisible() and review.complete_button.text() == "Mark complete"
    assert review.status_label.text().lower().startswith("in progress")


def test_history_of_the_focused_answer(
    review: CaseReview, fieldwork: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = find_case(fieldwork, not_started)
    review.show_case(case.key)
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
    review.show_history()
    title, entries = shown[0]
    assert "0.1" in title and case.label in title
    assert [e.value for e in entries] == ["yes", "no"]
    assert all(e.author == "Daniel Okafor" for e in entries)
    assert [e.is_head for e in entries] == [False, True]
    assert focused_row().code == "0.1"  # back on the question after the dialog


def test_every_control_is_reachable_by_tab(review: CaseReview, fieldwork: Path) -> None:
    case = find_case(fieldwork, lambda c: len(c.answers) > 3)
    review.show_case(case.key)
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


def test_every_widget_of_the_review_has_an_accessible_name(
    review: CaseReview, fieldwork: Path
) -> None:
    review.show_case(find_case(fieldwork, lambda c: len(c.answers) > 3).key)
    review.rows[next(iter(review.rows))].set_guidance_visible(True)
    assert not unnamed_widgets(review)


def test_no_fixed_pixel_font_sizes(review: CaseReview, fieldwork: Path) -> None:
    review.show_case(find_case(fieldwork, lambda c: len(c.answers) > 3).key)
    for widget in review.findChildren(QWidget):
        assert widget.font().pixelSize() == -1 or widget.font().pointSizeF() > 0, widget
        assert (
            "px" not in widget.styleSheet().split("font")[-1] or "font" not in widget.styleSheet()
        )


def test_an_answer_letter_on_a_question_answered_in_words_moves_into_its_text(
    review: CaseReview, fieldwork: Path
) -> None:
    case = find_case(fieldwork, not_started)
    review.show_case(case.key)
    review.rows["0.2"].setFocus()
    press("Y")  # the offender manager was interviewed: the interview note applies
    row = review.rows["0.4"]
    assert row.scale.kind == "text" and not row.buttons and row.isVisible()
    row.setFocus()
    messages: list[str] = []
    review.message.connect(messages.append)
    press("Y")
    assert isinstance(focused(), QPlainTextEdit) and focused_row() is row
    assert messages == ["Question 0.4 is answered in words, not Yes or No: type the answer here"]
    assert stored(fieldwork, case.key).answers.get("0.4") is None  # nothing was answered


def test_a_disputed_answer_is_marked_on_its_question(
    qtbot, tmp_path: Path, sample_csv: Path
) -> None:
    path = tmp_path / "master.inspection"
    with InspectionFile.create(path, title="T", organisation="O", lead="Helen Ashworth") as master:
        add_member(master, "Daniel Okafor")
        import_sample(master, sample_csv)
        allocate_auto(master)
        case_key = master.case_key_for(1)
        make_conflict(master, case_key, "B1.1")
    with InspectionFile.open(path) as master:
        review = CaseReview()
        review.set_session(EditSession(master, review))
        show(qtbot, review)
        review.show_case(case_key)
        review.show_section("B")
        row = review.rows["B1.1"]
        assert row.disputed_label.isVisible()
        assert "Disputed" in row.accessibleDescription()
        other = review.rows["B1.2"]
        assert not other.disputed_label.isVisible()
        review.set_session(None)


def test_an_answer_written_elsewhere_shows_when_the_session_says_the_case_changed(
    review: CaseReview, session: EditSession, fieldwork_file: InspectionFile, fieldwork: Path
) -> None:
    """The screen reads its case again when the session announces a change to it (as after
    an undo, or a conflict settled in another window)."""
    case = find_case(fieldwork, not_started)
    review.show_case(case.key)
    changes = set_answer(fieldwork_file, case.key, "0.1", "no", "")
    assert not review.rows["0.1"].buttons["no"].isChecked()
    session.changed.emit(changes)
    assert review.rows["0.1"].buttons["no"].isChecked()


# -- the profile on a small screen -------------------------------------------------------------


@pytest.fixture
def undecided(qtbot, session: EditSession) -> CaseReview:
    """A review not yet shown, with no remembered choice about the profile."""
    settings.app_settings().remove(PROFILE_SHOWN_KEY)
    screen = CaseReview()
    screen.set_session(session)
    return screen


def test_at_1024_the_profile_starts_hidden_and_can_be_shown_and_remembered(
    qtbot, undecided: CaseReview, fieldwork: Path
) -> None:
    show(qtbot, undecided, 1024, 768)
    undecided.show_case(find_case(fieldwork, not_started).key)
    assert not undecided.right_pane.isVisible()
    assert undecided.profile_button.text() == "Show the case profile"
    centre = undecided.splitter.widget(1)
    assert centre.width() >= 600  # the questions have the room
    assert not undecided.scroll.horizontalScrollBar().isVisible()

    undecided.toggle_profile()  # what Ctrl+Shift+P asks for
    assert undecided.right_pane.isVisible()
    assert undecided.profile_button.text() == "Hide the case profile"
    QTest.qWait(50)
    # Shown on a small screen, the profile has room for every value, the questions still
    # for theirs: no field is cut off at the window's edge.
    cut = [
        editor.accessibleName()
        for editor in undecided.profile_panel.editors.values()
        if editor.visibleRegion().boundingRect().size() != editor.size()
    ]
    assert cut == []
    assert centre.width() >= 50 * undecided.fontMetrics().averageCharWidth()
    assert str(settings.app_settings().value(PROFILE_SHOWN_KEY)).lower() == "true"
    undecided.toggle_profile()
    assert not undecided.right_pane.isVisible()
    assert str(settings.app_settings().value(PROFILE_SHOWN_KEY)).lower() == "false"


def test_on_a_wide_screen_the_profile_is_beside_the_questions(
    qtbot, undecided: CaseReview, fieldwork: Path
) -> None:
    show(qtbot, undecided, 1600, 900)
    undecided.show_case(find_case(fieldwork, not_started).key)
    assert undecided.right_pane.isVisible()
    assert undecided.profile_button.text() == "Hide the case profile"
