"""Review notes in the windows: the lead adds one on the question in focus (Ctrl+Shift+N), the
inspector's next fieldwork file shows it on the case, the inspector replies and marks it
addressed there, and the merge brings both back to the lead's master."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from inspector_app.core.cases.review import notes_of_case
from inspector_app.core.files.fieldwork_export import export_fieldwork
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.merge.run import merge_files
from inspector_app.gui.main_window import MainWindow
from inspector_app.gui.review_notes_panel import ReviewTextDialog
from tests.gui_report.conftest import finish_background, open_window

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def press(qtbot, panel, text: str) -> None:
    qtbot.wait(20)  # buttons of a note drawn again are shown on the next turn of the loop
    (button,) = [
        b for b in panel.findChildren(QPushButton) if b.text() == text and b.isVisibleTo(panel)
    ]
    button.click()


def test_a_review_note_goes_to_the_inspector_and_the_reply_comes_back(
    qtbot, window: MainWindow, lead, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with InspectionFile.open(lead.merged, readonly=True) as master:
        from inspector_app.core.cases.case_data import load_cases

        case = next(c for c in load_cases(master) if c.first_reader and c.answers)
        reader, code = case.first_reader, next(iter(case.answers))
    window.open_case(case.key, code)
    monkeypatch.setattr(
        ReviewTextDialog, "ask", classmethod(lambda cls, *a, **k: "Which record shows this?")
    )
    qtbot.keyClick(window, Qt.Key.Key_N, CTRL_SHIFT)
    panel = window.review.review_panel
    assert panel.isVisible() and "1 open note" in panel.heading.text()
    ((note),) = panel.notes
    assert note.question == code and note.author == "Helen Ashworth"
    qtbot.keyClick(window, Qt.Key.Key_V, CTRL_SHIFT)  # the lead signs the case off
    assert "Reviewed by Helen Ashworth" in window.review.status_label.text()

    folder = tmp_path / "out"
    folder.mkdir()
    exported = export_fieldwork(window.file, reader, folder).path
    finish_background()
    window.close()

    inspector = open_window(qtbot, exported)
    inspector.open_case(case.key)
    panel = inspector.review.review_panel
    assert panel.isVisible() and panel.notes[0].text == "Which record shows this?"
    monkeypatch.setattr(
        ReviewTextDialog, "ask", classmethod(lambda cls, *a, **k: "The OASys review of May.")
    )
    press(qtbot, panel, "Reply…")
    press(qtbot, inspector.review.review_panel, "Mark addressed")
    assert "all 1 addressed" in inspector.review.review_panel.heading.text()
    finish_background()
    inspector.close()

    with InspectionFile.open(lead.merged) as master:
        merge_files(master, [exported])
        (back,) = notes_of_case(master, case.key)
    assert back.addressed and back.addressed_by == reader
    assert [(r.author, r.text) for r in back.replies] == [(reader, "The OASys review of May.")]
