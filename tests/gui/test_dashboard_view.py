"""The Overview page on a real master: the figures it shows, following a figure to the case
list narrowed to its cases, and back to every case."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtTest import QTest

from inspector_app.app.case_rows import build_case_rows
from inspector_app.app.dashboard import FIRST, NOTES_MISSING, SECOND, CaseScope, build_dashboard
from inspector_app.core.cases.answers import set_answer
from inspector_app.core.cases.case_data import IN_PROGRESS, NOT_STARTED
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.gui.background import wait_for_background
from inspector_app.gui.case_list import CaseListPage
from inspector_app.gui.dashboard_view import TOTAL_NAME, DashboardModel, DashboardView
from inspector_app.gui.models import CaseListModel
from tests.conftest import INSPECTORS
from tests.core.test_dashboard import Week, fieldwork_week, note_question

DANIEL, PRIYA = INSPECTORS


@pytest.fixture
def week(master: InspectionFile) -> Week:
    return fieldwork_week(master)


@pytest.fixture
def view(qtbot, master: InspectionFile, week: Week) -> Iterator[DashboardView]:
    """The page at the smallest supported size, showing the master part-way through."""
    page = DashboardView()
    qtbot.addWidget(page)
    page.resize(1024, 700)
    page.show()
    qtbot.waitExposed(page)
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.set_file(Path(master.path), None)
    yield page
    page.close()
    wait_for_background()


@pytest.fixture
def case_list(qtbot, master: InspectionFile, week: Week) -> CaseListPage:
    model = CaseListModel()
    model.set_rows(build_case_rows(master))
    page = CaseListPage(model)
    qtbot.addWidget(page)
    page.resize(1024, 700)
    page.show()
    qtbot.waitExposed(page)
    return page


def cell(view: DashboardView, name: str | None, column: int) -> QModelIndex:
    index = view.model.index_of(name, column)
    assert index.isValid(), (name, column)
    return index


def text(view: DashboardView, name: str | None, column: int) -> str:
    return str(cell(view, name, column).data())


def test_the_page_shows_the_figures(view: DashboardView, master: InspectionFile) -> None:
    dashboard = build_dashboard(master)
    assert view.heading.text() == master.inspection.title
    assert view.dates.text() == "Fieldwork 2 to 6 November 2026"
    m = DashboardModel
    for progress in (*dashboard.people, dashboard.total):
        name = progress.name
        assert text(view, name, m.COL_PERSON) == (name or TOTAL_NAME)
        assert text(view, name, m.COL_CASES) == str(progress.cases.count)
        assert text(view, name, m.COL_NOT_STARTED) == str(progress.not_started.count)
        assert text(view, name, m.COL_IN_PROGRESS) == str(progress.in_progress.count)
        assert text(view, name, m.COL_COMPLETE) == str(progress.complete.count)
        assert text(view, name, m.COL_CONFLICTS) == str(progress.conflicts.count)
        assert text(view, name, m.COL_LATEST) == progress.latest_text
    assert text(view, DANIEL, m.COL_NOTES) == "1 (1 answer)"
    assert text(view, PRIYA, m.COL_SECOND) == "1 (1 complete)"
    assert text(view, None, m.COL_CASES) == "12"
    assert text(view, "Tom Gallagher", m.COL_LATEST) == "nothing yet"
    assert text(view, DANIEL, m.COL_ROLE) == "Inspector"
    overall = view.overall.accessibleDescription()
    assert overall.startswith("12 cases: 8 not started, 3 in progress, 1 complete")
    assert "1 open conflict to settle" in overall


def test_enter_on_a_figure_asks_for_its_cases(qtbot, view: DashboardView) -> None:
    table = view.table
    table.setFocus()
    assert table.hasFocus() and table.currentIndex().isValid()  # ready for Enter
    table.setCurrentIndex(cell(view, DANIEL, DashboardModel.COL_IN_PROGRESS))
    with qtbot.waitSignal(view.scopeRequested) as asked:
        QTest.keyClick(table, Qt.Key.Key_Return)
    assert asked.args == [CaseScope(DANIEL, FIRST, IN_PROGRESS)]
    # Arrows move between figures; the total row links the same way.
    table.setCurrentIndex(cell(view, PRIYA, DashboardModel.COL_NOTES))
    QTest.keyClick(table, Qt.Key.Key_Down)
    QTest.keyClick(table, Qt.Key.Key_Down)
    assert table.currentIndex() == cell(view, None, DashboardModel.COL_NOTES)
    with qtbot.waitSignal(view.scopeRequested) as asked:
        QTest.keyClick(table, Qt.Key.Key_Enter)
    assert asked.args == [CaseScope(None, None, NOTES_MISSING)]


def test_a_click_on_a_link_follows_it_and_a_zero_is_no_link(qtbot, view: DashboardView) -> None:
    table = view.table
    link = cell(view, PRIYA, DashboardModel.COL_SECOND)
    with qtbot.waitSignal(view.scopeRequested) as asked:
        QTest.mouseClick(
            table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(link).center()
        )
    assert asked.args == [CaseScope(PRIYA, SECOND)]
    zero = cell(view, PRIYA, DashboardModel.COL_NOTES)
    assert zero.data() == "0" and not view.model.is_link(zero)
    with qtbot.assertNotEmitted(view.scopeRequested):
        QTest.mouseClick(
            table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(zero).center()
        )


def test_the_overall_line_links_too(qtbot, view: DashboardView) -> None:
    with qtbot.waitSignal(view.scopeRequested) as asked:
        view.overall.linkActivated.emit("figure:0")
    assert asked.args == [CaseScope()]
    with qtbot.waitSignal(view.conflictsRequested):
        view.overall.linkActivated.emit("conflicts")


def test_a_scope_shows_exactly_its_cases_until_show_all(
    qtbot, view: DashboardView, case_list: CaseListPage
) -> None:
    """Every figure on the page, followed: the list shows that many cases, says which, and
    'Show all cases' brings every case back."""
    model = case_list.model
    for row in range(view.model.rowCount()):
        for column in range(DashboardModel.COL_CASES, DashboardModel.COL_LATEST):
            index = view.model.index(row, column)
            figure = view.model.figure_at(index)
            assert figure is not None
            case_list.set_scope(figure.scope)
            assert model.rowCount() == figure.count, figure.scope.describe()
            assert all(
                figure.scope.matches_summary(model.summary_of(key)) for key in model.visible_keys()
            )
    scope = CaseScope(DANIEL, FIRST, IN_PROGRESS)
    case_list.filter_edit.setText("case")
    case_list.set_scope(scope)
    assert case_list.filter_edit.text() == ""  # the list shows exactly the figure's cases
    assert case_list.scope_bar.isVisible()
    assert case_list.scope_label.text() == "Showing: Daniel Okafor's cases in progress"
    assert case_list.counts.text().startswith("1 of 12 cases shown")
    QTest.mouseClick(case_list.show_all_button, Qt.MouseButton.LeftButton)
    assert model.scope() is None and model.rowCount() == 12
    assert not case_list.scope_bar.isVisible()
    assert case_list.counts.text().startswith("12 cases")


def test_escape_clears_the_scope_from_the_table_or_an_empty_filter(
    case_list: CaseListPage,
) -> None:
    model = case_list.model
    case_list.set_scope(CaseScope(PRIYA, FIRST))
    case_list.focus_table()
    QTest.keyClick(case_list.table, Qt.Key.Key_Escape)
    assert model.scope() is None and not case_list.scope_bar.isVisible()

    case_list.set_scope(CaseScope(PRIYA, FIRST))
    case_list.filter_edit.setFocus()
    QTest.keyClicks(case_list.filter_edit, "zzz")
    QTest.keyClick(case_list.filter_edit, Qt.Key.Key_Escape)
    assert model.scope() is not None  # Esc with text typed leaves the scope alone
    case_list.filter_edit.clear()
    QTest.keyClick(case_list.filter_edit, Qt.Key.Key_Escape)
    assert model.scope() is None and model.rowCount() == 12


def test_the_filter_narrows_within_the_scope(qtmodeltester, case_list: CaseListPage) -> None:
    model = case_list.model
    qtmodeltester.check(model)
    case_list.set_scope(CaseScope(DANIEL, FIRST))
    scoped = set(model.visible_keys())
    assert len(scoped) == 6
    everyone = set()
    for typed in ("i", "in", "in progress"):  # typing on: the narrowing shortcut
        case_list.filter_edit.setText(typed)
        shown = set(model.visible_keys())
        model.set_scope(None)
        everyone = set(model.visible_keys())
        model.set_scope(CaseScope(DANIEL, FIRST))
        assert shown == everyone & scoped
    assert set(model.visible_keys()) == everyone & scoped
    qtmodeltester.check(model)


def test_the_page_fits_1024_pixels_without_scrolling_sideways(view: DashboardView) -> None:
    table = view.table
    assert not table.horizontalScrollBar().isVisible()
    widths = sum(table.columnWidth(c) for c in range(view.model.columnCount()))
    assert widths <= table.viewport().width()
    assert view.table.geometry().right() <= view.width()


def test_the_table_is_reachable_and_named(view: DashboardView) -> None:
    assert view.accessibleName() == "Overview"
    assert view.table.accessibleName() == "Progress by person"
    assert view.table.focusPolicy() & Qt.FocusPolicy.TabFocus
    index = cell(view, DANIEL, DashboardModel.COL_IN_PROGRESS)
    assert index.data(Qt.ItemDataRole.AccessibleTextRole) == "Daniel Okafor, in progress: 1"
    assert "Daniel Okafor's cases in progress" in index.data(Qt.ItemDataRole.ToolTipRole)


def test_a_stale_answer_is_dropped(qtbot, master: InspectionFile, week: Week) -> None:
    page = DashboardView()
    qtbot.addWidget(page)
    page.show()
    page.set_file(Path(master.path), None)  # reads at once: the page is on screen
    page.set_file(None, None)  # the file closed before the answer came
    wait_for_background()
    qtbot.wait(50)
    assert page.model.rowCount() == 0 and page.dashboard is None
    assert not page.is_computing()


def test_reload_after_a_change_shows_it(qtbot, view: DashboardView, master: InspectionFile) -> None:
    """What the window does after a merge: the new work shows."""
    daniel = master.member_by_name(DANIEL)[0]
    question, needs_note = note_question(master)
    fresh = next(
        row.key
        for row in build_case_rows(master)
        if row.summary.assessor == DANIEL and row.summary.status == NOT_STARTED
    )
    set_answer(master, fresh, question.code, needs_note, "", author=daniel)
    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.reload()
    assert text(view, DANIEL, DashboardModel.COL_IN_PROGRESS) == "2"
    assert text(view, DANIEL, DashboardModel.COL_NOTES) == "2 (2 answers)"


def test_a_file_that_cannot_be_read_says_so(qtbot, tmp_path: Path) -> None:
    page = DashboardView()
    qtbot.addWidget(page)
    page.show()
    page.set_file(tmp_path / "gone.inspection", None)
    wait_for_background()
    qtbot.waitUntil(lambda: not page.is_computing(), timeout=5000)
    assert page.state.text().startswith("The figures could not be read")


def test_an_edit_reads_again_once_and_only_when_on_screen(
    qtbot, view: DashboardView, master: InspectionFile
) -> None:
    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.invalidate()
        view.invalidate()  # a burst of edits: one read
    view.hide()
    view.invalidate()
    qtbot.wait(400)
    assert not view.is_computing()  # hidden: nothing read
    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.show()
