"""The case list page on its own, over the rows of Daniel's fieldwork file: the filter box and
Enter, a double click, the row following an edit, and the page's accessible names. (The Qt
model contracts are tested in tests/gui/test_case_list.py; Ctrl+F and the window's opening of
the case in tests/gui/test_review.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QSignalSpy, QTest

from inspector_app.app.case_rows import build_case_rows
from inspector_app.core.cases.answers import set_answer
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.gui.case_list import CaseListPage
from inspector_app.gui.models import CaseListModel
from tests.gui.conftest import focused, press, type_text
from tests.widgets.conftest import show, unnamed_widgets


@pytest.fixture
def page(qtbot, fieldwork: Path) -> CaseListPage:
    model = CaseListModel()
    with InspectionFile.open(fieldwork, readonly=True) as file:
        model.set_rows(build_case_rows(file))
    list_page = CaseListPage(model)
    show(qtbot, list_page)
    list_page.focus_table()
    return list_page


def summary_at(page: CaseListPage, row: int):
    return page.model.index(row, 0).data(CaseListModel.SummaryRole)


def activated(spy: QSignalSpy) -> list[str]:
    return [spy.at(i)[0] for i in range(spy.count())]


def test_filter_box_then_down_and_enter_opens_the_case(page: CaseListPage) -> None:
    opened = QSignalSpy(page.caseActivated)
    page.filter_edit.setFocus()
    target = summary_at(page, 2)
    type_text(target.label)
    assert page.model.rowCount() == 1
    assert "1 of" in page.counts.text()
    press(Qt.Key.Key_Down)  # into the table, on the match
    assert page.table.hasFocus()
    press(Qt.Key.Key_Return)
    assert activated(opened) == [target.key]


def test_enter_in_the_filter_box_opens_the_single_match_at_once(page: CaseListPage) -> None:
    opened = QSignalSpy(page.caseActivated)
    page.filter_edit.setFocus()
    target = summary_at(page, 3)
    type_text(target.label)
    assert page.model.rowCount() == 1
    press(Qt.Key.Key_Return)  # once
    assert activated(opened) == [target.key]
    # with several matches Enter moves into the list, on the first one
    page.filter_edit.setFocus()
    page.filter_edit.clear()
    press(Qt.Key.Key_Return)
    assert focused() is page.table and page.current_key() == page.model.key_at(0)
    assert activated(opened) == [target.key]


def test_a_double_click_opens_the_case(page: CaseListPage) -> None:
    opened = QSignalSpy(page.caseActivated)
    model = page.model
    row = 4
    rect = page.table.visualRect(model.index(row, CaseListModel.COL_SENTENCE))
    # A real double click: press, release, then the second press arrives as a double click.
    QTest.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    QTest.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert activated(opened) == [summary_at(page, row).key]


def test_a_row_follows_an_edit_and_stays_chosen(page: CaseListPage, fieldwork: Path) -> None:
    model = page.model
    row = next(r for r in range(model.rowCount()) if summary_at(page, r).answered == 0)
    key = summary_at(page, row).key
    assert page.select_key(key)
    with InspectionFile.open(fieldwork) as file:
        set_answer(file, key, "0.1", "yes", "")
        model.update_rows(build_case_rows(file, [key]))  # what the window does after an edit
    updated = model.summary_of(key)
    assert updated.answered == 1 and updated.status == "in progress"
    assert page.current_key() == key
    progress = model.index(model.row_of(key), CaseListModel.COL_PROGRESS).data()
    assert progress.startswith("1 /")


def test_every_widget_of_the_list_has_an_accessible_name(page: CaseListPage) -> None:
    assert not unnamed_widgets(page)


def test_a_long_organisation_wraps_instead_of_widening_the_page(page: CaseListPage) -> None:
    organisation = (
        "Durham Tees Valley, Cumbria and Lancashire Community Rehabilitation Company Limited "
        "(Purple Futures)"
    )
    page.heading.setText(f"Inspection of Adult Offending Work: {organisation}")
    assert page.minimumSizeHint().width() <= 1024


def test_while_every_row_is_read_the_list_says_so_and_keeps_the_users_case(
    qtbot, fieldwork: Path
) -> None:
    """A large file shows its first rows at once; when every row is in, the counts appear
    and the user is still on the case they moved to."""
    with InspectionFile.open(fieldwork, readonly=True) as file:
        rows = build_case_rows(file)
    model = CaseListModel()
    model.set_first_rows(rows[:5])
    loading = CaseListPage(model)
    show(qtbot, loading)
    loading.focus_table()
    assert loading.counts.text() == "Loading cases…"
    press(Qt.Key.Key_Down)
    press(Qt.Key.Key_Down)
    assert loading.current_key() == rows[2].key
    model.set_rows(rows)
    assert loading.current_key() == rows[2].key
    assert loading.counts.text().startswith(f"{len(rows)} cases")


@pytest.mark.parametrize("width", [1000, 1900])
def test_every_column_shows_and_a_wide_screen_gives_the_room_to_the_names(
    qtbot, page: CaseListPage, width: int
) -> None:
    """On a 1024-wide laptop the progress shows without scrolling sideways; on a wide screen
    a reader's name with the second reader's shows whole, not cut beside an empty stretch."""
    page.resize(width, 600)
    QTest.qWait(50)
    table = page.table
    header = table.horizontalHeader()
    assert not table.horizontalScrollBar().isVisible()
    last = CaseListModel.COL_PROGRESS
    assert header.sectionViewportPosition(last) + header.sectionSize(last) <= (
        table.viewport().width()
    )
    if width >= 1900:
        names = page.fontMetrics().horizontalAdvance("Daniel Okafor (QA: Helen Ashworth)")
        assert header.sectionSize(CaseListModel.COL_ASSESSOR) >= names
