"""The Allocation tab of the set-up screen, on the lead's merged master: cases passed on by
keyboard (Ctrl+Left/Right, M and S with their menus), dropped from one person's column onto
another's, and asked about before a case its reader has already written on moves; the file on
disk is checked after each."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QMenu, QMessageBox, QWidget

from inspector_app.core.cases.case_data import load_cases
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.gui.allocation_board import AllocationBoard, CaseColumn
from inspector_app.gui.dialogs import ConfirmMoveDialog
from tests.gui.conftest import focused
from tests.widgets.conftest import SetupScreen, board_of, when_modal

DANIEL, PRIYA = "Daniel Okafor", "Priya Raman"


@pytest.fixture
def board(setup_screen: SetupScreen) -> AllocationBoard:
    view = setup_screen.view
    view.tabs.setCurrentWidget(view.board_page)
    return view.board_page


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> list[tuple[list[str], str]]:
    """Every 'Move anyway?' question (answered: keep them where they are)."""
    questions: list[tuple[list[str], str]] = []

    def ask(cls, parent, labels, to):
        questions.append((list(labels), to))
        return False

    monkeypatch.setattr(ConfirmMoveDialog, "ask", classmethod(ask))
    return questions


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


def pick(column: CaseColumn, number: int) -> None:
    column.setFocus()
    for row in range(column.count()):
        if column.item(row).data(Qt.ItemDataRole.UserRole) == number:
            column.setCurrentRow(row)
            return
    raise AssertionError(f"case {number} is not in {column.person}'s column")


def cases_of(path, reader: str, written: bool) -> list[int]:
    """`reader`'s cases (with no second reader) that they have, or have not, written on."""
    with InspectionFile.open(path, readonly=True) as file:
        return [
            c.sample_no
            for c in load_cases(file)
            if c.first_reader == reader and not c.second_reader and bool(c.answers) is written
        ]


def unwritten_cases(path, reader: str) -> list[int]:
    return cases_of(path, reader, written=False)


def case_of(path, reader: str, written: bool) -> int:
    return cases_of(path, reader, written)[0]


def neighbour(board: AllocationBoard, name: str) -> str:
    names = [p.name for p in board.readers()]
    return names[names.index(name) + 1]


def test_a_case_moves_on_and_gets_a_second_reader_by_keyboard(
    qtbot, setup_screen: SetupScreen, board: AllocationBoard, lead, asked, errors, monkeypatch
) -> None:
    first, second = [p.name for p in board.readers() if p.first_reads][:2]
    number = case_of(lead.merged, first, written=False)
    pick(board.column_of(first), number)
    qtbot.keyClick(focused(), Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    assert asked == [] and errors == []  # nothing of theirs on it: no question
    assert board_of(lead.merged).case(number).first_reader == second
    assert number in [c.sample_no for c in board.board.person(second).first_reads]
    key = setup_screen.view.file.case_key_for(number)
    assert setup_screen.announced[-1].concerns_case(key)  # the case list hears of it

    pick(board.column_of(second), number)
    offered = choose_in_menu(monkeypatch, first)
    qtbot.keyClick(focused(), Qt.Key.Key_S)
    assert first in offered[0] and second not in offered[0]
    assert board_of(lead.merged).case(number).second_reader == first

    pick(board.column_of(second), number)
    choose_in_menu(monkeypatch, f"No second reader (not {first})")
    qtbot.keyClick(focused(), Qt.Key.Key_S)
    assert board_of(lead.merged).case(number).second_reader is None


def test_m_offers_everyone_else_and_moves_the_case_to_the_one_chosen(
    qtbot, board: AllocationBoard, lead, asked, monkeypatch
) -> None:
    number = case_of(lead.merged, DANIEL, written=False)
    pick(board.column_of(DANIEL), number)
    offered = choose_in_menu(monkeypatch, PRIYA)
    qtbot.keyClick(focused(), Qt.Key.Key_M)
    readers = [p.name for p in board.readers()]
    assert offered == [[n for n in readers if n != DANIEL]]
    assert board_of(lead.merged).case(number).first_reader == PRIYA


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


def test_cases_dropped_on_another_person_are_theirs(board: AllocationBoard, lead, asked) -> None:
    first, second = [p.name for p in board.readers() if p.first_reads][:2]
    source = board.column_of(first)
    unwritten = unwritten_cases(lead.merged, first)[:2]
    for row in range(source.count()):
        source.item(row).setSelected(source.item(row).data(Qt.ItemDataRole.UserRole) in unwritten)
    assert source.sample_numbers() == unwritten and len(unwritten) == 2
    board.column_of(second).dropEvent(_DropFrom(source))
    assert asked == []
    stored = board_of(lead.merged)
    assert [stored.case(n).first_reader for n in unwritten] == [second, second]


def test_a_column_of_second_reads_only_takes_the_keyboard_without_harm(
    qtbot, board: AllocationBoard, lead
) -> None:
    only_second = next(p.name for p in board.readers() if p.second_reads and not p.first_reads)
    column = board.column_of(only_second)
    column.setFocus()
    column.setCurrentRow(0)
    before = board_of(lead.merged)
    qtbot.keyClick(column, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    assert board_of(lead.merged) == before  # a second read is never moved from here


@pytest.mark.parametrize("answer", ["keep", "move anyway"])
def test_moving_a_case_its_reader_has_written_on_asks_first(
    qtbot, board: AllocationBoard, lead, monkeypatch: pytest.MonkeyPatch, answer: str
) -> None:
    number = case_of(lead.merged, DANIEL, written=True)
    label = board_of(lead.merged).case(number).label
    asked: list[tuple[list[str], str]] = []

    def ask(cls, parent, labels, to):
        asked.append((list(labels), to))
        return answer == "move anyway"

    monkeypatch.setattr(ConfirmMoveDialog, "ask", classmethod(ask))
    pick(board.column_of(DANIEL), number)
    choose_in_menu(monkeypatch, PRIYA)
    qtbot.keyClick(focused(), Qt.Key.Key_M)
    assert asked == [([label], PRIYA)]
    expected = PRIYA if answer == "move anyway" else DANIEL
    assert board_of(lead.merged).case(number).first_reader == expected


def test_the_question_before_a_move_says_why_and_keeps_the_case_by_default(
    qtbot, board: AllocationBoard, lead, monkeypatch: pytest.MonkeyPatch
) -> None:
    number = case_of(lead.merged, DANIEL, written=True)
    label = board_of(lead.merged).case(number).label
    seen: list[tuple[str, str]] = []

    def answer(dialog: QWidget) -> None:
        assert isinstance(dialog, QMessageBox)
        seen.append((dialog.text(), dialog.informativeText()))
        assert dialog.defaultButton().text() == "Keep them where they are"
        qtbot.keyClick(dialog, Qt.Key.Key_Return)  # Enter takes the default

    when_modal(qtbot, answer)
    pick(board.column_of(DANIEL), number)
    qtbot.keyClick(focused(), Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    ((title, why),) = seen
    assert title == f"Move to {neighbour(board, DANIEL)}?"
    assert label in why and "already written" in why
    assert board_of(lead.merged).case(number).first_reader == DANIEL
