"""Review notes on the case review: the lead adds one on the question in focus and signs the
case off, the inspector's next fieldwork file shows it, the inspector replies and marks it
addressed there, the merge brings both back; and the keyboard stays on the note acted on."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QWidget

from inspector_app.core.cases.case_data import load_cases
from inspector_app.core.cases.review import add_note, notes_of_case
from inspector_app.core.files.fieldwork_export import export_fieldwork
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.merge.run import merge_files
from inspector_app.gui.case_review import CaseReview
from inspector_app.gui.review_notes_panel import ReviewNotesPanel, ReviewTextDialog
from inspector_app.gui.session import EditSession
from tests.gui.conftest import focused, press
from tests.widgets.conftest import show


def review_of(qtbot, file: InspectionFile) -> CaseReview:
    screen = CaseReview()
    screen.set_session(EditSession(file, screen))
    show(qtbot, screen)
    return screen


def note_boxes(panel: ReviewNotesPanel) -> list[QWidget]:
    return [
        panel.body.itemAt(i).widget()
        for i in range(panel.body.count())
        if panel.body.itemAt(i).widget() is not None
    ]


def button(box: QWidget, text: str) -> QPushButton:
    (found,) = [b for b in box.findChildren(QPushButton) if b.text() == text]
    return found


def click(qtbot, panel: ReviewNotesPanel, text: str) -> None:
    qtbot.wait(20)  # buttons of a note drawn again are shown on the next turn of the loop
    (found,) = [
        b for b in panel.findChildren(QPushButton) if b.text() == text and b.isVisibleTo(panel)
    ]
    found.click()


def test_a_review_note_goes_to_the_inspector_and_the_reply_comes_back(
    qtbot, lead, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with InspectionFile.open(lead.merged) as master:
        case = next(c for c in load_cases(master) if c.first_reader and c.answers)
        reader, code = case.first_reader, next(iter(case.answers))
        review = review_of(qtbot, master)
        review.show_case(case.key, code)
        monkeypatch.setattr(
            ReviewTextDialog, "ask", classmethod(lambda cls, *a, **k: "Which record shows this?")
        )
        assert review.add_review_note()  # what Ctrl+Shift+N asks for, on the question in focus
        panel = review.review_panel
        assert panel.isVisible() and "1 open note" in panel.heading.text()
        (note,) = panel.notes
        assert note.question == code and note.author == "Helen Ashworth"
        assert review.toggle_reviewed()  # the lead signs the case off (Ctrl+Shift+V)
        assert "Reviewed by Helen Ashworth" in review.status_label.text()
        folder = tmp_path / "out"
        folder.mkdir()
        exported = export_fieldwork(master, reader, folder).path
        review.set_session(None)

    with InspectionFile.open(exported) as theirs:
        inspector = review_of(qtbot, theirs)
        inspector.show_case(case.key)
        panel = inspector.review_panel
        assert panel.isVisible() and panel.notes[0].text == "Which record shows this?"
        monkeypatch.setattr(
            ReviewTextDialog, "ask", classmethod(lambda cls, *a, **k: "The OASys review of May.")
        )
        click(qtbot, panel, "Reply…")
        click(qtbot, panel, "Mark addressed")
        assert "all 1 addressed" in panel.heading.text()
        inspector.set_session(None)

    with InspectionFile.open(lead.merged) as master:
        merge_files(master, [exported])
        (back,) = notes_of_case(master, case.key)
    assert back.addressed and back.addressed_by == reader
    assert [(r.author, r.text) for r in back.replies] == [(reader, "The OASys review of May.")]


@pytest.fixture
def two_notes(qtbot, master: InspectionFile) -> CaseReview:
    """A case with two of the lead's notes, open in the review."""
    key = master.case_key_for(1)
    add_note(master, key, "Where is the risk assessment?", "B1.1")
    add_note(master, key, "Who saw the victim's statement?", "B1.2")
    review = review_of(qtbot, master)
    review.show_case(key)
    return review


@pytest.mark.parametrize("action", ["Reply…", "Mark addressed"])
def test_the_keyboard_stays_on_the_note_acted_on(
    qtbot, two_notes: CaseReview, monkeypatch: pytest.MonkeyPatch, action: str
) -> None:
    panel = two_notes.review_panel
    monkeypatch.setattr(ReviewTextDialog, "ask", classmethod(lambda cls, *a, **k: "In OASys."))
    qtbot.wait(0)
    before = note_boxes(panel)
    second = button(before[1], action)
    second.setFocus()
    assert focused() is second
    press(Qt.Key.Key_Space)  # pressed from the keyboard
    after = note_boxes(panel)
    assert after[1] is not before[1]  # the notes were drawn again
    if action == "Reply…":
        assert panel.notes[1].replies[0].text == "In OASys."
    else:
        assert panel.notes[1].addressed
    qtbot.waitUntil(lambda: focused() is button(after[1], "Reply…"), timeout=2000)


def test_go_to_takes_the_keyboard_to_the_question_of_the_note(qtbot, two_notes: CaseReview) -> None:
    panel = two_notes.review_panel
    qtbot.wait(0)
    button(note_boxes(panel)[1], "Go to B1.2").click()
    assert two_notes.current_code == "B1.2"
    assert focused() is two_notes.rows["B1.2"]


def test_only_the_author_may_withdraw_a_note_and_a_withdrawn_note_is_gone(
    qtbot, two_notes: CaseReview, master: InspectionFile
) -> None:
    panel = two_notes.review_panel
    qtbot.wait(0)
    assert "2 open notes" in panel.heading.text()
    button(note_boxes(panel)[0], "Withdraw").click()
    assert [n.text for n in panel.notes] == ["Who saw the victim's statement?"]
    assert "1 open note" in panel.heading.text()
    notes = notes_of_case(master, master.case_key_for(1))
    assert [n.withdrawn for n in notes] == [True, False]
    # someone else's note offers no Withdraw
    panel.set_notes(notes, me="Daniel Okafor")
    qtbot.wait(0)
    assert not [
        b
        for b in panel.findChildren(QPushButton)
        if b.text() == "Withdraw" and b.isVisibleTo(panel)
    ]
