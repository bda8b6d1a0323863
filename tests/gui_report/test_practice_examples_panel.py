"""The Practice examples tab, by keyboard-free calls a user's clicks make: draw from a case's
evidence note, place it in a chapter, change and remove it; a refusal is one line on screen."""

from __future__ import annotations

from pathlib import Path

from inspector_app.core.case_data import load_cases
from inspector_app.core.inspection_file import InspectionFile
from inspector_app.core.practice_examples import load_examples
from inspector_app.gui.practice_examples_panel import PracticeExamplesPanel


def _note(file: InspectionFile) -> tuple[int, str, str]:
    for case in load_cases(file):
        for code, answer in case.answers.items():
            if answer.note.strip() and file.framework.question(code).scored:
                return case.sample_no, code, answer.note.strip()
    raise AssertionError("no evidence note in the demo")


def test_an_example_is_drawn_placed_changed_and_removed(qtbot, lead, tmp_path: Path) -> None:
    with InspectionFile.open(lead.merged) as file:
        panel = PracticeExamplesPanel()
        qtbot.addWidget(panel)
        panel.resize(900, 700)
        panel.show()
        panel.set_file(file)
        sample_no, code, note = _note(file)
        panel.case.setValue(sample_no)
        panel.question.setCurrentIndex(panel.question.findData(code))
        assert panel.use_evidence_note()
        assert panel.text.toPlainText() == note
        panel.chapter.setCurrentIndex(panel.chapter.findData("2.2"))
        panel.title.setText("Home visits that mattered")
        panel.text.setPlainText("The officer visited at home and found a new partner.")
        assert panel.place_new()
        assert [e.title for e in load_examples(file)] == ["Home visits that mattered"]
        assert panel.placed.item(0).text().startswith("2.2  Home visits that mattered")
        panel.grab().save(str(tmp_path / "examples.png"))

        panel.text.setPlainText("")
        assert not panel.save_chosen()
        assert panel.message.text() == "a practice example needs some text"
        panel.text.setPlainText("Visited at home twice a month.")
        assert panel.save_chosen()
        assert load_examples(file)[0].text == "Visited at home twice a month."
        assert panel.remove_chosen()
        assert load_examples(file) == ()
        assert not panel.remove.isEnabled()
