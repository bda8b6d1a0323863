"""The lead's set-up screen, driven by keyboard: a member added, a case passed on and given a
second reader, a fieldwork file written again; the master's state checked after each. Also a
drop from one person's column onto another's, and the screen at 1024x768."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QMenu, QScrollBar

from inspector_app.app.team_board import build_team_board
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.gui.allocation_board import AllocationBoard, CaseColumn
from inspector_app.gui.fieldwork_files_page import ExportDialog, ExportRequest
from inspector_app.gui.main_window import MainWindow
from inspector_app.gui.team_page import MemberDialog
from tests.gui_report.conftest import finish_background


def board_of(path: Path):
    with InspectionFile.open(path, readonly=True) as file:
        return build_team_board(file)


@pytest.fixture
def setup(qtbot, window: MainWindow):
    qtbot.keyClick(
        window,
        Qt.Key.Key_T,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert window.stack.currentWidget() is window.setup_view
    return window.setup_view


def choose_in_menu(monkeypatch: pytest.MonkeyPatch, text: str) -> list[list[str]]:
    """The next menu shown picks the action called `text`; returns what every menu offered."""
    offered: list[list[str]] = []

    def show(board: AllocationBoard, menu: QMenu, at: object) -> None:
        offered.append([a.text() for a in menu.actions() if a.text()])
        for action in menu.actions():
            if action.text() == text:
                action.trigger()
                return

    monkeypatch.setattr(AllocationBoard, "show_menu", show)
    return offered


def test_a_member_is_added_from_the_keyboard(
    qtbot, setup, lead, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        MemberDialog, "ask", classmethod(lambda cls, *a, **k: ("Sam  Nolan", "assessor"))
    )
    setup.team_page.table.setFocus()
    qtbot.keyClick(setup.team_page.table, Qt.Key.Key_Insert)
    people = {p.name: p.role for p in board_of(lead.merged).people}
    assert people["Sam Nolan"] == "assessor"
    assert setup.team_page.current().name == "Sam Nolan"
    assert setup.team_page.remove_button.isEnabled()  # nothing depends on Sam yet
    qtbot.keyClick(setup.team_page.table, Qt.Key.Key_Delete)
    assert "Sam Nolan" not in {p.name for p in board_of(lead.merged).people}


def test_a_case_moves_on_and_gets_a_second_reader_by_keyboard(
    qtbot, window: MainWindow, setup, lead, monkeypatch: pytest.MonkeyPatch
) -> None:
    setup.tabs.setCurrentWidget(setup.board_page)
    board = setup.board_page
    first, second = [p.name for p in board.readers() if p.first_reads][:2]
    column = board.column_of(first)
    column.setFocus()
    column.setCurrentRow(0)
    number = column.sample_numbers()[0]
    qtbot.keyClick(column, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    assert board_of(lead.merged).case(number).first_reader == second
    assert number in [c.sample_no for c in board.board.person(second).first_reads]
    # the case list heard of it: its row names the new reader
    rows = {row.summary.sample_no: row for row in window.case_model._rows}
    assert rows[number].summary.assessor == second

    target = board.column_of(second)
    target.setFocus()
    for row in range(target.count()):
        if target.item(row).data(Qt.ItemDataRole.UserRole) == number:
            target.setCurrentRow(row)
    offered = choose_in_menu(monkeypatch, first)
    qtbot.keyClick(target, Qt.Key.Key_S)
    assert first in offered[0] and second not in offered[0]
    assert board_of(lead.merged).case(number).second_reader == first

    target = board.column_of(second)
    for row in range(target.count()):
        if target.item(row).data(Qt.ItemDataRole.UserRole) == number:
            target.setCurrentRow(row)
    choose_in_menu(monkeypatch, f"No second reader (not {first})")
    qtbot.keyClick(target, Qt.Key.Key_S)
    assert board_of(lead.merged).case(number).second_reader is None


class _DropFrom(QDropEvent):
    """A drop whose source is another column (a real drag needs a mouse and a display)."""

    def __init__(self, source: CaseColumn) -> None:
        super().__init__(
            QPointF(5, 5),
            Qt.DropAction.MoveAction,
            QMimeData(),
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        )
        self._source = source

    def source(self) -> CaseColumn:  # type: ignore[override]
        return self._source


def test_cases_dropped_on_another_person_are_theirs(setup, lead) -> None:
    setup.tabs.setCurrentWidget(setup.board_page)
    board = setup.board_page
    first, second = [p.name for p in board.readers() if p.first_reads][:2]
    source = board.column_of(first)
    source.item(0).setSelected(True)
    source.item(1).setSelected(True)
    moved = source.sample_numbers()
    board.column_of(second).dropEvent(_DropFrom(source))
    stored = board_of(lead.merged)
    assert [stored.case(n).first_reader for n in moved] == [second, second]


def test_a_lost_fieldwork_file_is_written_again(
    qtbot, setup, lead, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "again"
    folder.mkdir()
    asked: list[list[str]] = []

    def ask(cls, parent, names, start, required):
        asked.append(names)
        return ExportRequest(folder, dict.fromkeys(names, "a long passphrase"), False)

    monkeypatch.setattr(ExportDialog, "ask", classmethod(ask))
    setup.tabs.setCurrentWidget(setup.files_page)
    table = setup.files_page.table
    table.setFocus()
    name = setup.files_page.people[0].name
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert asked == [[name]]
    (written,) = folder.iterdir()
    with InspectionFile.open(written, passphrase="a long passphrase", readonly=True) as file:
        assert file.role.owner_name == name
        mine = board_of(lead.merged).person(name)
        assert len(build_team_board(file).person(name).first_reads) == len(mine.first_reads)


def test_the_screen_fits_a_small_laptop(qtbot, window: MainWindow, setup) -> None:
    window.resize(1024, 768)
    finish_background()
    for page in (setup.team_page, setup.board_page, setup.files_page):
        setup.tabs.setCurrentWidget(page)
        qtbot.wait(50)
        assert page.width() <= window.width()
    bar: QScrollBar = setup.board_page.scroller.horizontalScrollBar()
    assert not bar.isVisible()  # the team of the demo fits side by side
    assert setup.team_page.table.horizontalScrollBar().isVisible() is False
    window.grab().save(str(Path("/tmp") / "setup-1024.png"))
    _ = QPoint  # the board draws at real sizes


def test_names_and_crns_go_only_after_the_lead_confirms(
    qtbot, window: MainWindow, lead, monkeypatch: pytest.MonkeyPatch
) -> None:
    from inspector_app.gui.dialogs import ConfirmPurgeDialog

    def identities() -> int:
        with InspectionFile.open(lead.merged, readonly=True) as file:
            return file.db.raw.execute("SELECT count(*) FROM case_identity").fetchone()[0]

    before = identities()
    asked: list[bool] = []
    monkeypatch.setattr(
        ConfirmPurgeDialog, "ask", classmethod(lambda cls, p, name, final: asked.append(final))
    )
    assert window.purge_action.isEnabled()
    window.purge_action.trigger()  # "Keep them"
    assert asked == [False] and identities() == before
    monkeypatch.setattr(ConfirmPurgeDialog, "ask", classmethod(lambda cls, p, name, final: True))
    assert window.purge_identifiers()
    assert identities() == 0
    assert "Removed the names and CRNs" in window.statusBar().currentMessage()


def test_a_refused_rename_changes_nobodys_role(setup, lead) -> None:
    assert not setup.edit_member("Tom Gallagher", "DANIEL OKAFOR", "lead")
    people = {p.name: p.role for p in board_of(lead.merged).people}
    assert people["Daniel Okafor"] == "inspector" and people["Tom Gallagher"] == "assessor"


def test_a_column_of_second_reads_only_takes_the_keyboard_without_harm(qtbot, setup, lead) -> None:
    setup.tabs.setCurrentWidget(setup.board_page)
    board = setup.board_page
    only_second = next(p.name for p in board.readers() if p.second_reads and not p.first_reads)
    column = board.column_of(only_second)
    column.setFocus()
    column.setCurrentRow(0)
    before = board_of(lead.merged)
    qtbot.keyClick(column, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    assert board_of(lead.merged) == before  # a second read is never moved from here


def test_a_move_is_checked_whole_before_any_case_moves(setup, lead) -> None:
    board = board_of(lead.merged)
    daniel, priya = board.person("Daniel Okafor"), board.person("Priya Raman")
    numbers = [c.sample_no for c in daniel.first_reads[:2]]
    from inspector_app.core.files.inspection_file import InspectionFile as File
    from inspector_app.core.sample.placement import allocate_case

    with File.open(lead.merged) as master:
        allocate_case(master, numbers[1], "Priya Raman", second_reader=True)
    setup.reload()
    assert not setup.move_cases(numbers, priya.name)
    after = board_of(lead.merged)
    assert [after.case(n).first_reader for n in numbers] == ["Daniel Okafor", "Daniel Okafor"]
