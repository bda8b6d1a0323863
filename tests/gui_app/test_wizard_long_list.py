"""A trust's whole long list in the New Inspection wizard: read without a sample number
column, mapped, the sample drawn from it (size, strata, seed) and the master made with exactly
the cases shown; and the same in a master that exists."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from inspector_app.app.new_inspection import DrawChoice, Member, Plan, create_inspection
from inspector_app.core.cases.case_data import load_cases
from inspector_app.core.errors import InspectorError
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.sample.long_list import long_list_summary
from inspector_app.core.sample.mapping import SampleMapping
from inspector_app.core.sample.reimport import draw_from_long_list_again
from inspector_app.gui.wizard import NewInspectionWizard
from inspector_app.gui.wizard.sample_page import SamplePage
from tests.core.test_long_list import write_long_list
from tests.gui_app.conftest import alt, focused, press, type_text
from tests.gui_app.test_welcome_and_about import unnamed_controls
from tests.gui_app.test_wizard import (
    at_the_sample_step,
    fill_inspection_page,
    fill_team_page,
    read_sample_file,
    walk_to_allocation,
)
from tests.keyboard_helpers import walk

Key = Qt.Key
# What the lead maps the trust's own words to, where the app has no suggestion.
CHOSEN = {
    "Common assault": "Violence against the person",
    "Not tiered": "(not recorded)",
    "Licence conditions": "(ignore)",
    "Supervision": "(ignore)",
}


def map_the_trusts_words(qtbot, page: SamplePage) -> None:
    """Accept the suggestions, choose the rest, and wait until nothing blocks the import."""
    alt("a")
    session = page.session
    assert session is not None
    for index, row in enumerate(session.values):
        if row.undecided:
            page._value_chosen(index, CHOSEN[row.spelling])
    qtbot.waitUntil(lambda: not page._reviewing and not page.blockers(), timeout=10000)


def test_a_long_list_is_drawn_from_and_the_master_gets_the_cases_shown(
    qtbot, wizard: NewInspectionWizard, tmp_path: Path
) -> None:
    wiz = wizard
    fill_inspection_page(wiz, encrypt=False)
    fill_team_page(wiz)
    assert wiz.sample_page.title().startswith("Step 3 of 6")
    read_sample_file(qtbot, wiz, write_long_list(tmp_path / "extract.xlsx", cases=120))
    page = wiz.sample_page
    # No sample number column: read as the long list, not refused for the missing column.
    assert page.long_list and page.kind.currentIndex() == 1
    assert not any("sample_no" in p.message for p in page.result.problems)
    assert page.title().startswith("Step 3 of 7")
    map_the_trusts_words(qtbot, page)
    assert "a long list of 120 cases, all of which can be imported" in page.summary.text()
    # The age bands come from dates of birth: the preview says at which date.
    assert "as at 2 November 2026." in page.panel.preview_note.text()
    press(Key.Key_Return)

    assert wiz.currentId() == wiz.PAGE_DRAW
    draw = wiz.draw_page
    assert draw.title().startswith("Step 4 of 7: Draw the sample")
    assert focused() is draw.how_many
    assert "120 cases" in draw.intro.text()
    assert draw.ticked() == ("sentence_type",)
    press(Key.Key_Return)  # no size yet: nothing drawn, the page stays
    assert wiz.currentId() == wiz.PAGE_DRAW and draw.outcome is None
    type_text("12")
    press(Key.Key_Return)  # at once: drawn, and on to the allocation
    assert wiz.currentId() == wiz.PAGE_ALLOCATION
    alt("b")
    assert wiz.currentId() == wiz.PAGE_DRAW and draw.outcome is not None
    draw.how_many.selectAll()
    type_text("30")
    qtbot.waitUntil(lambda: draw.outcome is not None, timeout=5000)
    draw.seed.setText("2026")
    draw.draw()
    first = draw.outcome
    assert first is not None and len(first.drawn) == 30
    assert sorted(n for n, _ in first.drawn) == list(range(1, 31))
    *strata, total = draw.model.rows
    # In the profile's order, each with its exact share of the sample, then the totals.
    assert [row[0] for row in strata] == ["Community order", "Suspended sentence order", "Licence"]
    by_stratum = {row[0]: row for row in strata}
    assert sum(int(row[1]) for row in strata) == 120 == int(total[1])
    assert sum(int(row[3]) for row in strata) == 30 == int(total[3])
    assert all(abs(float(row[2]) - 30 * int(row[1]) / 120) < 0.05 for row in strata)
    assert all(abs(int(row[3]) - float(row[2])) < 1 for row in strata)  # proportional
    assert "30 cases drawn from the 120 in the long list, in 3 strata" in draw.summary.text()
    draw.draw()  # the same seed: the same cases
    assert draw.outcome == first
    walk(wiz).assert_whole()  # every control of the draw reached with Tab
    unnamed = unnamed_controls(draw)
    assert unnamed == []
    draw.how_many.setFocus()
    press(Key.Key_Return)

    allocation = walk_to_allocation(qtbot, wiz)
    assert sum(allocation.values()) == 30
    shown = draw.choice()
    assert shown is not None
    press(Key.Key_Return)
    assert wiz.currentId() == wiz.PAGE_FIELDWORK
    alt("w")  # no fieldwork files now
    press(Key.Key_Return)
    assert wiz.currentId() == wiz.PAGE_SAVE
    master = tmp_path / "trust.inspection"
    type_text(str(master))
    press(Key.Key_Return)
    qtbot.waitUntil(lambda: wiz.currentId() == wiz.PAGE_DONE, timeout=30000)
    assert "30 cases drawn from a long list of 120" in wiz.done_page.master.text()

    with InspectionFile.open(master) as file:
        summary = long_list_summary(file)
        assert summary is not None
        assert (summary.entries, summary.drawn, summary.seed) == (120, 30, "2026")
        assert summary.strata == ("sentence_type",)
        assert summary.reserves == sum(int(row[4]) for row in by_stratum.values())
        rows = dict(
            file.db.raw.execute(
                "SELECT sample_no, row_number FROM long_list_entry WHERE status = 'drawn'"
            ).fetchall()
        )
        assert tuple(sorted(rows.items())) == tuple(sorted(shown.shown))
        cases = load_cases(file)
        assert Counter(c.first_reader for c in cases) == Counter(allocation)
        drawn_types = Counter(str(c.profile["sentence_type"]) for c in cases)
        assert drawn_types == {name: int(row[3]) for name, row in by_stratum.items()}


def test_the_lead_can_say_a_file_without_sample_numbers_is_a_sample_after_all(
    qtbot, wizard: NewInspectionWizard, tmp_path: Path
) -> None:
    wiz = wizard
    at_the_sample_step(qtbot, wiz, write_long_list(tmp_path / "extract.xlsx", cases=20))
    page = wiz.sample_page
    page.kind.setCurrentIndex(0)
    qtbot.waitUntil(lambda: not page._reviewing, timeout=10000)
    assert not page.long_list
    assert page.title().startswith("Step 3 of 6")
    # Read as a sample, the missing column is what stops it, in words.
    assert any("Sample number" in text for text in page.blockers())
    page.kind.setCurrentIndex(1)
    qtbot.waitUntil(lambda: not page._reviewing, timeout=10000)
    assert not any("Sample number" in text for text in page.blockers())
    assert page.title().startswith("Step 3 of 7")
    # Another file, with sample numbers: back to six steps.
    page.path.setText(str(numbered_sample(tmp_path / "sample.csv")))
    page.read()
    qtbot.waitUntil(lambda: page.result is not None and not page._reviewing, timeout=10000)
    assert not page.long_list
    assert page.title().startswith("Step 3 of 6")
    assert wiz.allocation_page.title().startswith("Step 4 of 6")


def numbered_sample(path: Path) -> Path:
    from inspector_app.core.demo import write_sample_csv

    write_sample_csv(path, 10, random.Random(3))
    return path


def _long_list_plan(tmp_path: Path, export: Path, draw: DrawChoice) -> Plan:
    return Plan(
        title="Inspection of Adult Offending Work: Example",
        organisation="Example Probation Trust",
        programme="Adult Offending Work",
        framework_id="iaow-2013",
        fieldwork_start="2026-11-02",
        fieldwork_end="2026-11-06",
        passphrase=None,
        unencrypted_reason="held only on the service's encrypted laptops",
        team=(Member("Helen Ashworth", "lead"), Member("Ann Inspector", "inspector")),
        sample=export,
        mapping=_mapping(),
        draw=draw,
        master=tmp_path / "made.inspection",
    )


def _mapping() -> SampleMapping:
    mapping = SampleMapping()
    for target, spelling, value in (
        ("sentence_type", "ORA Community Order", "Community order"),
        ("sentence_type", "ORA Suspended Sentence Order", "Suspended sentence order"),
        ("sentence_type", "CJA - Std Determinate Custody (Licence)", "Licence"),
        ("sentence_type", "Life Licence", "Licence"),
        ("offence_group", "Common assault", "Violence against the person"),
        ("offence_group", "Theft from shops", "Theft and handling"),
        ("tier", "Not tiered", "(not recorded)"),
        ("requirements", "Licence conditions", "(ignore)"),
        ("requirements", "Supervision", "(ignore)"),
    ):
        mapping.set_value(target, spelling, value)
    return mapping


def test_a_draw_that_is_not_the_one_shown_writes_no_master(tmp_path: Path) -> None:
    """The file changed on disk after it was checked: the master would get other cases than
    the allocation was planned on, so none is made."""
    export = write_long_list(tmp_path / "extract.xlsx", cases=60)
    wrong = DrawChoice(10, ("sentence_type",), "2026", 1, 2, shown=((1, 5),))
    with pytest.raises(InspectorError, match="has changed since it was checked"):
        create_inspection(_long_list_plan(tmp_path, export, wrong))
    assert list(tmp_path.glob("made.inspection*")) == []


def test_a_master_without_cases_draws_its_sample_from_a_long_list(tmp_path: Path) -> None:
    export = write_long_list(tmp_path / "extract.xlsx", cases=60)
    plan = _long_list_plan(tmp_path, export, None)  # type: ignore[arg-type]
    plan = Plan(**{**plan.__dict__, "sample": None, "draw": None})
    create_inspection(plan)
    with InspectionFile.open(tmp_path / "made.inspection") as file:
        drawn = draw_from_long_list_again(
            file, export, size=12, strata=("sentence_type",), seed="7", mapping=_mapping()
        )
        assert drawn.written and len(drawn.drawn) == 12 and drawn.changes.cases
        assert [c.sample_no for c in load_cases(file)] == list(range(1, 13))
        with pytest.raises(InspectorError, match="drawn from the long list"):
            draw_from_long_list_again(
                file, export, size=12, strata=("sentence_type",), seed="8", mapping=_mapping()
            )


def test_the_set_up_screens_draw_is_refused_when_it_is_not_the_one_shown(
    tmp_path: Path,
) -> None:
    export = write_long_list(tmp_path / "extract.xlsx", cases=60)
    plan = _long_list_plan(tmp_path, export, None)  # type: ignore[arg-type]
    create_inspection(Plan(**{**plan.__dict__, "sample": None, "draw": None}))
    with InspectionFile.open(tmp_path / "made.inspection") as file:
        with pytest.raises(InspectorError, match="has changed since it was checked"):
            draw_from_long_list_again(
                file,
                export,
                size=3,
                strata=("sentence_type",),
                seed="7",
                shown=((1, 5), (2, 6), (3, 7)),
                mapping=_mapping(),
            )
        assert load_cases(file) == [] and long_list_summary(file) is None  # nothing kept


def test_the_set_up_screens_import_draws_from_a_long_list(qtbot, tmp_path: Path) -> None:
    """A master made with 'import the sample later': its sample import takes the long list,
    goes on to the draw, and hands back the draw chosen."""
    from inspector_app.gui.sample_import import SampleImportDialog

    export = write_long_list(tmp_path / "extract.xlsx", cases=40)
    plan = _long_list_plan(tmp_path, export, None)  # type: ignore[arg-type]
    create_inspection(Plan(**{**plan.__dict__, "sample": None, "draw": None}))
    with InspectionFile.open(tmp_path / "made.inspection") as file:
        dialog = SampleImportDialog(None, file)
    qtbot.addWidget(dialog)
    dialog.show()
    page = dialog.sample_page
    page.path.setText(str(export))
    page.read()
    qtbot.waitUntil(lambda: page.result is not None, timeout=10000)
    assert page.long_list and page.nextId() == dialog.PAGE_DRAW
    next_button = dialog.button(dialog.WizardButton.NextButton)
    finish = dialog.button(dialog.WizardButton.FinishButton)
    assert next_button.isVisible() and not finish.isVisible()  # the draw comes first
    map_the_trusts_words(qtbot, page)
    next_button.click()
    assert dialog.currentId() == dialog.PAGE_DRAW
    dialog.draw_page.how_many.setValue(8)
    qtbot.waitUntil(lambda: dialog.draw_page.isComplete(), timeout=5000)
    choice = dialog.sample_page.choice()
    draw = dialog.draw_page.choice()
    assert choice is not None and draw is not None
    assert (draw.size, draw.strata, len(draw.shown)) == (8, ("sentence_type",), 8)
    dialog.back()
    page.kind.setCurrentIndex(0)  # read as a sample after all: imported from the first page
    assert page.nextId() == -1
    assert finish.isVisible() and not next_button.isVisible()


def test_the_sample_step_says_when_rows_read_are_hidden_in_the_workbook(
    qtbot, tmp_path: Path
) -> None:
    import openpyxl

    from inspector_app.gui.mapping_panel import open_sample

    export = write_long_list(tmp_path / "extract.xlsx", cases=12)
    book = openpyxl.load_workbook(export)
    book["Caseload extract"].row_dimensions[7].hidden = True
    book.save(export)
    page = SamplePage()
    qtbot.addWidget(page)
    session, review = open_sample(export, "iaow-2013", "Example Trust", "2026-11-02")
    assert "1 row read is hidden in the workbook" in page._summary_text(review, session)
