"""The report's parts on a narrow screen: on a 1024-wide laptop every name shows whole, on two
rows, with no scroll arrows; the arrow keys choose a part as on a tab bar. (The whole window
at real screen sizes: tests/gui/test_screen_sizes.py.)"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from inspector_app.gui.report_view import ReportView
from inspector_app.gui.wrapping_tabs import WrappingTabBar
from tests.gui.screen_probe import cut_tabs
from tests.widgets.conftest import show


def rows_of(bar: WrappingTabBar) -> int:
    bar.doItemsLayout()
    tops = {bar.visualRect(bar.model().index(row, 0)).top() for row in range(bar.count())}
    return len(tops)


def test_on_a_1024_laptop_every_part_shows_whole(qtbot, report_view: ReportView) -> None:
    report_view.resize(1000, 700)  # the view in a maximised 1024x768 window
    qtbot.wait(50)
    bar = report_view.editor.parts
    assert bar.count() == report_view.editor.tabs.count() == 7
    assert cut_tabs(bar) == []
    assert rows_of(bar) == 2  # wrapped, not scrolled
    assert not report_view.editor.tabs.tabBar().isVisible()


def test_with_the_room_the_parts_take_one_row(qtbot, report_view: ReportView) -> None:
    report_view.resize(1900, 1000)
    bar = report_view.editor.parts
    one_row = bar.sizeHint().width()
    report_view.splitter.setSizes([one_row + 40, 1900 - one_row - 40])
    qtbot.wait(50)
    assert bar.width() >= one_row
    assert cut_tabs(bar) == []
    assert rows_of(bar) == 1


def test_the_arrow_keys_choose_a_part(qtbot, report_view: ReportView) -> None:
    editor = report_view.editor
    editor.tabs.setFocus()  # as the window does when the report is shown
    assert editor.parts.hasFocus()
    QTest.keyClick(editor.parts, Qt.Key.Key_Right)
    assert editor.tabs.currentIndex() == 1 and editor.parts.currentRow() == 1
    QTest.keyClick(editor.parts, Qt.Key.Key_End)
    assert editor.tabs.currentWidget() is editor.matter_panel
    editor.tabs.setCurrentIndex(0)  # chosen elsewhere (reopening the report): followed
    assert editor.parts.currentRow() == 0
    QTest.keyClick(editor.parts, Qt.Key.Key_Tab)
    assert editor.judgement_edit.hasFocus()  # into the part shown


def test_a_bar_narrower_than_a_name_is_caught(qtbot) -> None:
    """What the screen checks rely on: a name the bar cannot show whole is reported."""
    holder = QWidget()
    tabs = QTabWidget()
    for name in ("Summary", "Areas for improvement"):
        tabs.addTab(QLabel(name), name)
    bar = WrappingTabBar(tabs)
    layout = QVBoxLayout(holder)
    layout.addWidget(bar)
    layout.addWidget(tabs)
    show(qtbot, holder, 600, 300)
    assert cut_tabs(bar) == []
    bar.setFixedWidth(bar.sizeHintForIndex(bar.model().index(0, 0)).width() + 12)
    qtbot.wait(50)
    assert cut_tabs(bar) == ["Areas for improvement"]
