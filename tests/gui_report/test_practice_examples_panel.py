"""The Practice examples tab, by keyboard-free calls a user's clicks make: draw from a case's
evidence note, place it in a chapter, change and remove it; a refusal is one line on screen."""

from __future__ import annotations

from pathlib import Path

from inspector_app.core.cases.case_data import load_cases
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.narrative.practice_examples import load_examples
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


def test_the_matter_tab_saves_paragraphs_and_facts_the_report_prints(
    qtbot, lead, tmp_path: Path
) -> None:
    from inspector_app.core.report.data import build_report_data
    from inspector_app.gui.matter_panel import MatterPanel, facts_text

    assert facts_text([("Caseload", "5,200; rising"), ("", "Two offices")]) == (
        "Caseload: 5,200, rising; Two offices"
    )
    with InspectionFile.open(lead.merged) as file:
        panel = MatterPanel()
        qtbot.addWidget(panel)
        panel.resize(900, 700)
        panel.show()
        panel.set_file(file)
        assert (
            panel.texts["inspectorate_role"]
            .toPlainText()
            .startswith("HM Inspectorate of Probation is the independent inspector")
        )  # what the framework ships, until changed
        panel.texts["acknowledgements"].setPlainText("We thank the staff.\n\nAnd the managers.")
        panel.add_fact("People under supervision", "about 5,200")
        panel.add_fact("Offender managers", "180")
        assert panel.save_matter()
        data = build_report_data(file)
        assert data.acknowledgements == ("We thank the staff.", "And the managers.")
        assert data.context_facts == (
            ("People under supervision", "about 5,200"),
            ("Offender managers", "180"),
        )
        panel.grab().save(str(tmp_path / "matter.png"))
        panel.texts["acknowledgements"].setPlainText("Bell \x07")
        assert not panel.save_matter()
        assert "control character" in panel.message.text()
