"""The sample's mapping in the New Inspection wizard: values the profile does not know, the lead's
decisions made with the keyboard, rows left out only with a confirmation and a reason. Real files
in tmp_path; what was imported is checked on disk through the core."""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections import Counter
from pathlib import Path

import pytest
from openpyxl import Workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QComboBox, QLabel, QWizard

from inspector_app.core.cases.case_data import load_cases
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.framework import load_builtin
from inspector_app.core.sample.mapping import SampleMapping
from inspector_app.core.sample.mapping_memory import remember_mapping, remembered_mapping
from inspector_app.core.sample.placement import sample_sources
from inspector_app.gui.mapping_panel import (
    STATE_TEXT,
    MappingPanel,
    ValuesTable,
    open_sample,
    review_mapping,
)
from inspector_app.gui.wizard import NewInspectionWizard, SamplePage
from tests.gui_app.conftest import alt, focused, press, type_text
from tests.gui_app.test_welcome_and_about import unnamed_controls

Key = Qt.Key
ETHNICITIES = ("White", "Black", "Asian", "Mixed", "Other")
SENTENCES = ("Community order", "Suspended sentence order", "Licence")
HEADER = ("Sample No", "Sentence Type", "RoSH", "Ethnicity")
START = dt.date(2026, 11, 2)


def write_cases(path: Path, rows: list[tuple[object, ...]], header=HEADER) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def ethnicity_sample(path: Path, unknown: dict[int, str], count: int = 20) -> Path:
    """`count` cases whose Ethnicity says White, Black, Asian, Mixed or Other, except the
    sample numbers in `unknown`, which say what the profile does not know."""
    rows = [
        (
            number,
            SENTENCES[number % 3],
            ("Low", "Medium", "High")[number % 3],
            unknown.get(number, ETHNICITIES[number % len(ETHNICITIES)]),
        )
        for number in range(1, count + 1)
    ]
    return write_cases(path, rows)


@pytest.fixture
def wizard(qtbot) -> NewInspectionWizard:
    """The wizard on its sample page, the inspection and team filled in."""
    wiz = NewInspectionWizard()
    qtbot.addWidget(wiz)
    wiz.show()
    qtbot.waitExposed(wiz)
    wiz.activateWindow()
    wiz.inspection_page.organisation.setText("Merseyside")
    wiz.inspection_page.encrypt.setChecked(False)  # these tests open the master without one
    wiz.inspection_page.reason.setText("Test data only: no offenders' details")
    wiz.next()
    for name, role in (
        ("Helen Ashworth", "lead"),
        ("Daniel Okafor", "inspector"),
        ("Priya Raman", "assessor"),
    ):
        wiz.team_page.add(name, role)
    wiz.next()
    assert wiz.currentId() == wiz.PAGE_SAMPLE
    qtbot.waitUntil(lambda: QApplication.focusWidget() is wiz.sample_page.path)
    return wiz


def settled(page: SamplePage) -> bool:
    return page.review is not None and page._reading is None and not page._reviewing


def read_file(qtbot, wiz: NewInspectionWizard, path: Path) -> SamplePage:
    page = wiz.sample_page
    assert focused() is page.path
    type_text(str(path))
    press(Key.Key_Return)  # checks the file (off the UI thread)
    qtbot.waitUntil(lambda: settled(page), timeout=10000)
    assert wiz.currentId() == wiz.PAGE_SAMPLE
    return page


def next_enabled(wiz: NewInspectionWizard) -> bool:
    return wiz.button(QWizard.WizardButton.NextButton).isEnabled()


def value_row(page: SamplePage, spelling: str) -> int:
    table = page.panel.values
    rows = [
        r
        for r in range(table.rowCount())
        if table.item(r, ValuesTable.COL_VALUE).text() == spelling
    ]
    assert len(rows) == 1, f"{spelling!r} is listed {len(rows)} times"
    return rows[0]


def state_of(page: SamplePage, spelling: str) -> str:
    return page.panel.values.item(value_row(page, spelling), ValuesTable.COL_STATE).text()


def choose_in_popup(qtbot, combo: QComboBox, *keys: Qt.Key) -> None:
    """Open the focused drop-down with F4, move with `keys`, take the choice with Enter."""
    assert focused() is combo
    press(Key.Key_F4)
    qtbot.waitUntil(lambda: combo.view().isVisible())
    for key in keys:  # the keys go where the keyboard is: the open list
        press(key)
    press(Key.Key_Return)
    qtbot.waitUntil(lambda: not combo.view().isVisible())
    # The offscreen platform leaves no window active when a pop-up closes; a desktop gives
    # the keyboard back to the drop-down, as here.
    combo.window().activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is combo)


def create_without_fieldwork_files(qtbot, wiz: NewInspectionWizard, master: Path) -> None:
    """From the sample page (ready to go on) to the written master, by keyboard."""
    press(Key.Key_Return)
    qtbot.waitUntil(lambda: wiz.currentId() == wiz.PAGE_ALLOCATION)
    qtbot.waitUntil(lambda: wiz.allocation_page.allocation is not None, timeout=15000)
    press(Key.Key_Return)
    assert wiz.currentId() == wiz.PAGE_FIELDWORK
    alt("w")  # no fieldwork files now
    press(Key.Key_Return)
    assert wiz.currentId() == wiz.PAGE_SAVE
    type_text(str(master))
    press(Key.Key_Return)
    qtbot.waitUntil(lambda: wiz.currentId() == wiz.PAGE_DONE, timeout=30000)


def test_an_unknown_value_keeps_next_disabled_until_the_lead_maps_it_by_keyboard(
    qtbot, wizard: NewInspectionWizard, tmp_path: Path
) -> None:
    wiz = wizard
    sample = ethnicity_sample(tmp_path / "cases.csv", {7: "Whiteish", 15: "Whiteish"})
    page = read_file(qtbot, wiz, sample)

    # "Whiteish" is listed as not known, with its count; the close "White" is only suggested.
    assert [row.spelling for row in page.session.undecided()] == ["Whiteish"]
    assert page.panel.tabs.currentIndex() == MappingPanel.TAB_VALUES
    table = page.panel.values
    r = value_row(page, "Whiteish")
    assert table.item(r, ValuesTable.COL_COLUMN).text() == "Ethnicity"
    assert table.item(r, ValuesTable.COL_COUNT).text() == "2"
    assert state_of(page, "Whiteish") == STATE_TEXT["suggested"]
    combo = table.combos[r]
    assert combo.currentText() == "White"  # pre-filled, not yet applied
    assert page.session.mapping.value_for("ethnicity", "Whiteish") is None
    assert page.panel.tabs.tabText(MappingPanel.TAB_VALUES) == "Values to &decide (1)"
    assert not next_enabled(wiz)
    assert page.todo.text().startswith("Before going on: Choose what 1 value")
    assert "18 rows can be imported" in page.summary.text()

    # By keyboard: Alt+D reaches the value to decide; F4 opens its list; Enter takes White.
    alt("d")
    assert focused() is combo
    choose_in_popup(qtbot, combo)
    qtbot.waitUntil(lambda: settled(page) and next_enabled(wiz), timeout=10000)
    assert state_of(page, "Whiteish") == STATE_TEXT["mapped"]
    assert page.session.mapping.value_for("ethnicity", "Whiteish") == "White"
    assert page.session.undecided() == []
    assert page.todo.isHidden()
    assert "all 20 cases can be imported" in page.summary.text()
    # The preview shows the cases as they will be imported.
    preview = page.panel.preview_model
    ethnicity = preview.headers.index("Ethnicity")
    row_7 = next(row for row in preview.rows if row[0] == "7")
    assert row_7[ethnicity] == "White"
    assert "'Whiteish' read as White" in preview.tips[preview.rows.index(row_7)]
    assert page.panel.tabs.tabText(MappingPanel.TAB_PREVIEW) == "Pre&view (20)"
    alt("v")  # the preview, by keyboard: a case chosen says what was read from the file
    assert focused() is page.panel.preview
    for _ in range(10):
        if page.panel.preview_detail.text().startswith("Row 8 of the file"):
            break
        press(Key.Key_Down)
    assert page.panel.preview_detail.text() == (
        "Row 8 of the file; Ethnicity: 'Whiteish' read as White"
    )

    master = tmp_path / "Merseyside.inspection"
    create_without_fieldwork_files(qtbot, wiz, master)
    with InspectionFile.open(master) as file:
        cases = {c.sample_no: c for c in load_cases(file)}
        assert len(cases) == 20
        assert cases[7].profile["ethnicity"] == "White"
        assert cases[15].profile["ethnicity"] == "White"
        assert cases[3].profile["ethnicity"] == "Mixed/Multiple ethnic groups"
        definition = file.framework.profile
    # The next list from Merseyside maps "Whiteish" by itself.
    remembered = remembered_mapping("Merseyside", definition)
    assert remembered is not None
    assert remembered.value_for("ethnicity", "Whiteish") == "White"


def test_a_value_without_suggestion_is_chosen_by_typing_and_suggestions_accepted_at_once(
    qtbot, wizard: NewInspectionWizard, tmp_path: Path
) -> None:
    wiz = wizard
    rows = [
        (n, ("ORA Community Order", "ORA Suspended Sentence Order", "Licence")[n % 3], "Low", e)
        for n, e in zip(range(1, 13), [*ETHNICITIES, "Whitish", *ETHNICITIES, "White"], strict=True)
    ]
    page = read_file(qtbot, wiz, write_cases(tmp_path / "orders.csv", rows))
    undecided = {row.spelling: row.suggestion for row in page.session.undecided()}
    assert undecided == {
        "ORA Community Order": "Community order",
        "ORA Suspended Sentence Order": "Suspended sentence order",
        "Whitish": None,
    }
    whitish = page.panel.values.combos[value_row(page, "Whitish")]
    assert whitish.currentIndex() == -1 and whitish.placeholderText() == "Choose…"
    assert state_of(page, "Whitish") == STATE_TEXT["unmapped"]
    assert page.panel.accept.text() == "&Accept suggestions (2)"
    assert not next_enabled(wiz)

    alt("a")  # Accept suggestions: both order types, and the keyboard goes to what is left
    assert state_of(page, "ORA Community Order") == STATE_TEXT["mapped"]
    assert state_of(page, "ORA Suspended Sentence Order") == STATE_TEXT["mapped"]
    assert not page.panel.accept.isEnabled()
    assert focused() is whitish
    qtbot.waitUntil(lambda: settled(page))
    assert not next_enabled(wiz)  # Whitish is still to decide
    type_text("W")  # the first choice starting with W: White
    assert whitish.currentText() == "White"
    qtbot.waitUntil(lambda: settled(page) and next_enabled(wiz), timeout=10000)
    assert page.session.mapping.value_for("ethnicity", "Whitish") == "White"
    assert page.session.mapping.value_for("sentence_type", "ORA Community Order") == (
        "Community order"
    )
    plan = wiz.plan()
    assert plan.mapping == page.session.mapping
    assert plan.mapping is not page.session.mapping  # a copy: the import gets what was shown
    assert not plan.confirm_exclusion and plan.exclusion_reason == ""


def test_leaving_out_a_biased_set_of_rows_needs_a_confirmation_and_a_reason(
    qtbot, wizard: NewInspectionWizard, tmp_path: Path
) -> None:
    """Ten licence cases whose ethnicity the trust wrote its own way: excluding them would
    remove every licence from the sample."""
    wiz = wizard
    rows = [
        (n, SENTENCES[n % 2], ("Low", "Medium", "High")[n % 3], ETHNICITIES[n % 5])
        for n in range(1, 31)
    ] + [(n, "Licence", "Medium", "Caribbean heritage") for n in range(31, 41)]
    page = read_file(qtbot, wiz, write_cases(tmp_path / "biased.csv", rows))
    assert [row.spelling for row in page.session.undecided()] == ["Caribbean heritage"]
    assert page.exclusion.isHidden()

    alt("d")
    combo = page.panel.values.combos[value_row(page, "Caribbean heritage")]
    assert focused() is combo
    choose_in_popup(qtbot, combo, Key.Key_End)  # the last choice: (exclude)
    qtbot.waitUntil(lambda: settled(page) and page.exclusion.isVisible(), timeout=10000)
    assert state_of(page, "Caribbean heritage") == STATE_TEXT["exclude"]
    box = page.exclusion
    assert box.heading.text() == (
        "10 rows of 40 will be left out of the import: they differ from the cases kept"
    )
    assert "10 rows mapped to (exclude)" in box.detail.text()
    sentences = [box.sentences.item(i).text() for i in range(box.sentences.count())]
    notable = [s for s in sentences if s.startswith("Notable: ")]
    assert any("Sentence type Licence" in s for s in notable), sentences
    assert box.sentences.item(0).font().bold()  # highlighted, and said in words
    assert not next_enabled(wiz)
    assert "I confirm leaving these rows out" in page.todo.text()

    alt("o")
    assert focused() is box.confirm and box.confirm.isChecked()
    assert not next_enabled(wiz)  # a reason is needed too
    alt("s")
    assert focused() is box.reason
    type_text("   ")
    assert not next_enabled(wiz)  # blanks are no reason
    reason = "licences were transferred to another area after the list was drawn"
    type_text(reason)
    assert next_enabled(wiz)
    plan = wiz.plan()
    assert plan.confirm_exclusion and plan.exclusion_reason == reason

    # Another set of rows left out must be confirmed afresh; the reason is kept.
    alt("d")
    choose_in_popup(qtbot, combo, Key.Key_Home)  # White after all ...
    qtbot.waitUntil(lambda: settled(page) and page.exclusion.isHidden())
    assert next_enabled(wiz)
    choose_in_popup(qtbot, combo, Key.Key_End)  # ... no: excluded again
    qtbot.waitUntil(lambda: settled(page) and page.exclusion.isVisible())
    assert not box.confirm.isChecked() and not next_enabled(wiz)
    box.confirm.setFocus()
    press(Key.Key_Space)
    assert next_enabled(wiz)

    master = tmp_path / "Merseyside.inspection"
    create_without_fieldwork_files(qtbot, wiz, master)
    assert "30 cases imported, 10 rows left out" in wiz.done_page.master.text()
    with InspectionFile.open(master) as file:
        cases = load_cases(file)
        assert len(cases) == 30 and max(c.sample_no for c in cases) == 30
        assert Counter(c.profile["sentence_type"] for c in cases)["Licence"] == 0
        (source,) = sample_sources(file)
        assert (source.rows_read, source.imported, source.excluded) == (40, 30, 10)
        assert source.exclusion_reason == reason
        assert any("Licence" in sentence for sentence in source.comparison)


def test_rows_with_problems_left_out_are_compared_too(
    qtbot, wizard: NewInspectionWizard, tmp_path: Path
) -> None:
    wiz = wizard
    rows = [(n, SENTENCES[n % 3], "Low", "White") for n in range(1, 11)]
    rows[3] = (3, "Licence", "Low", "White")  # sample number 3 twice
    page = read_file(qtbot, wiz, write_cases(tmp_path / "twice.csv", rows))
    assert page.session.undecided() == []
    assert page.panel.tabs.currentIndex() == page.tab_problems
    assert page.problems_model.rows == [
        ("5", "Sample No", "Sample number 3 is already used on row 4.")
    ]
    assert not next_enabled(wiz)
    assert "Put right the 1 problem listed under Problems" in page.todo.text()
    alt("i")
    assert page.accept_valid.isChecked()
    assert page.exclusion.isVisible()
    assert "1 row with problems" in page.exclusion.detail.text()
    assert not next_enabled(wiz)
    page.exclusion.confirm.setChecked(True)
    page.exclusion.reason.setText("a repeated sample number")
    assert next_enabled(wiz)
    plan = wiz.plan()
    assert plan.accept_valid_rows and plan.confirm_exclusion
    alt("i")  # untick: the file's problem stops the import again
    assert page.exclusion.isHidden() and not next_enabled(wiz)


def write_workbook(path: Path) -> Path:
    """A notes sheet first, then the cases under a title block, with the RoSH column under a
    heading the profile does not know, and a totals line under the data."""
    workbook = Workbook()
    notes = workbook.active
    notes.title = "Notes"
    notes.append(["Field", "Meaning"])
    notes.append(["Risk Level", "OASys risk of serious harm"])
    cases = workbook.create_sheet("Cases")
    cases.append(["Sefton Probation - case sample"])
    cases.append(["OFFICIAL - SENSITIVE"])
    cases.append([])
    cases.append(["Sample No", "Order Type", "Risk Level", "Ethnicity"])
    for number in range(1, 13):
        cases.append(
            [number, SENTENCES[number % 3], ("Low", "Medium", "High")[number % 3], "White"]
        )
    cases.append(["Total: 12"])
    workbook.save(path)
    return path


def test_the_lead_chooses_the_sheet_the_header_row_and_the_columns(
    qtbot, wizard: NewInspectionWizard, tmp_path: Path
) -> None:
    wiz = wizard
    page = read_file(qtbot, wiz, write_workbook(tmp_path / "sefton.xlsx"))
    panel = page.panel
    assert panel.sheet.isVisible() and panel.sheet.currentText() == "Cases"
    assert panel.header_row.value() == 4  # found under the title block
    assert "1 totals line" in panel.layout_note.text()
    # "Risk Level" is not a heading the profile knows: RoSH, which is required, is missing.
    assert page.session.mapping.columns.get("rosh") is None
    assert page.problems_model.rows[0][:2] == ("Whole file", "rosh")
    assert not next_enabled(wiz)

    alt("c")  # the Columns tab, the keyboard on the first field's column
    assert panel.tabs.currentIndex() == MappingPanel.TAB_COLUMNS
    assert focused() is panel.columns.combos[0]
    assert panel.columns.combos[0].currentText() == "Sample No"
    rosh = panel.columns.combos[panel.columns.targets.index("rosh")]
    rosh.setFocus()
    type_text("Ri")  # Risk Level
    assert rosh.currentText() == "Risk Level"
    qtbot.waitUntil(lambda: settled(page) and next_enabled(wiz), timeout=10000)
    assert page.session.mapping.columns["rosh"] == "Risk Level"

    # Another header row re-reads the file (once the keys stop); the choices are kept.
    alt("r")
    assert focused() is panel.header_row
    press(Key.Key_Up)  # row 5: the first case taken for the headings
    qtbot.waitUntil(lambda: settled(page) and page.session.table.header_row == 5, timeout=10000)
    assert not next_enabled(wiz)
    press(Key.Key_Down)
    qtbot.waitUntil(lambda: settled(page) and page.session.table.header_row == 4, timeout=10000)
    assert page.session.mapping.columns["rosh"] == "Risk Level"
    assert next_enabled(wiz)

    # Another sheet: the notes hold no cases.
    alt("t")
    assert focused() is panel.sheet
    type_text("N")
    qtbot.waitUntil(lambda: settled(page) and page.session.table.sheet == "Notes", timeout=10000)
    assert not next_enabled(wiz)
    press(Key.Key_Down)  # the next sheet: Cases
    qtbot.waitUntil(lambda: settled(page) and page.session.table.sheet == "Cases", timeout=10000)
    assert next_enabled(wiz)
    assert wiz.plan().mapping.sheet == "Cases"


def test_a_remembered_mapping_maps_the_next_list_by_itself(
    qtbot, wizard: NewInspectionWizard, tmp_path: Path
) -> None:
    definition = load_builtin("iaow-2013").profile
    earlier = SampleMapping()
    earlier.set_value("ethnicity", "Whiteish", "White")
    remember_mapping("Merseyside", earlier)
    page = read_file(qtbot, wizard, ethnicity_sample(tmp_path / "again.csv", {4: "Whiteish"}))
    assert page.session.undecided() == []
    assert state_of(page, "Whiteish") == STATE_TEXT["remembered"]
    assert next_enabled(wizard)
    assert remembered_mapping("Merseyside", definition) is not None


def test_a_suggestion_counts_only_once_confirmed(tmp_path: Path) -> None:
    """The session without a window: the suggestion is shown, not applied."""
    path = ethnicity_sample(tmp_path / "cases.csv", {3: "Whiteish"})
    session, review = open_sample(path, "iaow-2013", "Wirral", "2026-11-02")
    (row,) = session.undecided()
    assert (row.spelling, row.suggestion, row.shown_state) == ("Whiteish", "White", "suggested")
    assert [p.row for p in review.result.problems] == [4]
    assert session.accept_suggestions() == [session.values.index(row)]
    assert row.shown_state == "mapped" and session.undecided() == []
    again = review_mapping(session.table, session.definition, session.snapshot(), START)
    assert again.result.ok and len(again.result.rows) == 20


def test_the_mapping_page_names_every_control_and_fits_a_small_screen(
    qtbot, wizard: NewInspectionWizard, tmp_path: Path
) -> None:
    wiz = wizard
    wiz.resize(1024, 768)
    rows = [(n, SENTENCES[n % 3], "Low", ETHNICITIES[n % 5]) for n in range(1, 31)]
    rows += [(31, "Deferred Sentence", "Low", "White"), (32, "Licence", "Extreme", "White")]
    page = read_file(qtbot, wiz, write_cases(tmp_path / "cases.csv", rows))
    page.panel.every.setChecked(True)  # every value's drop-down
    alt("i")
    qtbot.waitUntil(lambda: page.exclusion.isVisible())
    assert unnamed_controls(page) == []
    assert wiz.width() <= 1024 and wiz.height() <= 768
    # Nothing is squeezed out: every part of the page is at least as tall as it needs.
    QApplication.processEvents()
    assert page.minimumSizeHint().height() <= page.height()
    for widget in (page.panel.values, page.exclusion, page.accept_valid, page.later):
        assert widget.isVisible()
        assert widget.height() >= widget.minimumSizeHint().height()
        bottom = widget.mapTo(page, widget.rect().bottomLeft()).y()
        assert bottom <= page.height()


def test_every_mnemonic_on_the_sample_page_is_its_own(
    qtbot, wizard: NewInspectionWizard, tmp_path: Path
) -> None:
    """Alt+letter reaches one control each: labels, buttons, check boxes and tabs."""
    page = read_file(qtbot, wizard, write_workbook(tmp_path / "sefton.xlsx"))
    texts = [w.text() for w in page.findChildren(QAbstractButton) if w.text()]
    texts += [w.text() for w in page.findChildren(QLabel) if w.buddy() is not None]
    tabs = page.panel.tabs
    texts += [tabs.tabText(i) for i in range(tabs.count())]
    texts += [wizard.button(b).text() for b in (QWizard.WizardButton.BackButton,)]
    texts += [wizard.button(QWizard.WizardButton.NextButton).text()]
    letters = [m.group(1).lower() for t in texts if (m := re.search(r"&(\w)", t))]
    assert len(letters) >= 15
    assert [k for k, n in Counter(letters).items() if n > 1] == []


def test_a_long_file_shows_its_progress_and_can_be_stopped(
    qtbot, wizard: NewInspectionWizard, tmp_path: Path
) -> None:
    """A long list of many thousands of rows: the page counts the rows read, and Stop reading
    ends the read with one line, leaving nothing to import."""
    rows = [
        (n, SENTENCES[n % 3], "Medium", ETHNICITIES[n % len(ETHNICITIES)])
        for n in range(1, 150_001)
    ]
    path = write_cases(tmp_path / "long.csv", rows)
    page = wizard.sample_page
    type_text(str(path))
    press(Key.Key_Return)
    qtbot.waitUntil(lambda: page.stop_reading.isVisible(), timeout=5000)
    qtbot.waitUntil(lambda: "rows read so far" in page.summary.text(), timeout=20000)
    page.stop_reading.click()
    qtbot.waitUntil(lambda: page._reading is None, timeout=20000)
    assert not page.stop_reading.isVisible()
    assert "reading was cancelled" in page.message.text()
    assert page.review is None and page.session is None  # nothing read, nothing to import


def test_the_lead_sets_a_capacity_and_moves_a_case_before_the_master_is_written(
    qtbot, wizard: NewInspectionWizard, tmp_path: Path
) -> None:
    wiz = wizard
    sample = ethnicity_sample(tmp_path / "cases.csv", {}, count=30)
    read_file(qtbot, wiz, sample)
    press(Key.Key_Return)
    qtbot.waitUntil(lambda: wiz.currentId() == wiz.PAGE_ALLOCATION)
    page = wiz.allocation_page
    qtbot.waitUntil(lambda: page.allocation is not None, timeout=15000)
    assert page.allocation == {"Daniel Okafor": 15, "Priya Raman": 15}

    # The local assessor takes at most 10 cases: set by keyboard.
    alt("f")
    assert focused() is page.capacity_person
    page.capacity_person.setCurrentText("Priya Raman")
    page.capacity.setValue(10)
    alt("c")
    qtbot.waitUntil(lambda: page.allocation == {"Daniel Okafor": 20, "Priya Raman": 10})
    assert "Priya Raman at most 10" in page.summary.text()

    # One of Daniel's cases goes to Priya.
    case = next(n for n, name in page.assignments() if name == "Daniel Okafor")
    page.move_case.setValue(case)
    page.move_to.setCurrentText("Priya Raman")
    alt("m")
    qtbot.waitUntil(lambda: page.allocation == {"Daniel Okafor": 19, "Priya Raman": 11})
    assert dict(page.assignments())[case] == "Priya Raman"
    planned = dict(page.assignments())

    page.move_case.setValue(999)  # beyond the sample: the box keeps to its sample numbers
    assert page.move_case.value() == 30

    master = tmp_path / "Merseyside.inspection"
    page.view.setFocus()
    press(Key.Key_Return)
    assert wiz.currentId() == wiz.PAGE_FIELDWORK
    alt("w")
    press(Key.Key_Return)
    type_text(str(master))
    press(Key.Key_Return)
    qtbot.waitUntil(lambda: wiz.currentId() == wiz.PAGE_DONE, timeout=30000)
    with InspectionFile.open(master, readonly=True) as file:
        written = {c.sample_no: c.first_reader for c in load_cases(file)}
    assert written == planned
