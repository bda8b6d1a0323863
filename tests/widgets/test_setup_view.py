"""The lead's set-up screen on its own, on a real master: a member added and removed from the
keyboard, a refused rename, a move checked whole, a case replaced from the reserves, where the
keyboard is after each action, and the screen on a 1024x768 laptop. The file on disk is
checked after each change, and what the screen announced to the rest of the window too."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QScrollBar

from inspector_app.cli.main import run_cli
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.sample.long_list import long_list_summary
from inspector_app.core.sample.placement import allocate_case
from inspector_app.gui.dialogs import ConfirmMoveDialog
from inspector_app.gui.sample_tab import ReasonDialog
from inspector_app.gui.setup_view import SetupView
from inspector_app.gui.team_page import MemberDialog
from tests.core.test_long_list import MAP, write_long_list
from tests.gui.conftest import focused
from tests.widgets.conftest import SetupScreen, board_of, show


def test_a_member_is_added_and_removed_from_the_keyboard(
    qtbot, setup_screen: SetupScreen, lead, monkeypatch: pytest.MonkeyPatch
) -> None:
    setup = setup_screen.view
    monkeypatch.setattr(
        MemberDialog, "ask", classmethod(lambda cls, *a, **k: ("Sam  Nolan", "assessor"))
    )
    table = setup.team_page.table
    assert focused() is table  # the Team tab's list has the keyboard when the screen opens
    qtbot.keyClick(table, Qt.Key.Key_Insert)
    people = {p.name: p.role for p in board_of(lead.merged).people}
    assert people["Sam Nolan"] == "assessor"
    assert setup_screen.announced[-1].team
    assert setup.team_page.current().name == "Sam Nolan"
    assert setup.team_page.remove_button.isEnabled()  # nothing depends on Sam yet
    assert focused() is table  # still in the list, on Sam, for the next key
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert "Sam Nolan" not in {p.name for p in board_of(lead.merged).people}


def test_a_refused_rename_changes_nobodys_role(setup_screen: SetupScreen, lead, errors) -> None:
    assert not setup_screen.view.edit_member("Tom Gallagher", "DANIEL OKAFOR", "lead")
    assert [title for title, _message in errors] == ["Cannot change the team member"]
    people = {p.name: p.role for p in board_of(lead.merged).people}
    assert people["Daniel Okafor"] == "inspector" and people["Tom Gallagher"] == "assessor"
    assert setup_screen.announced == []


def test_a_move_is_checked_whole_before_any_case_moves(
    setup_screen: SetupScreen, lead, errors, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ConfirmMoveDialog, "ask", classmethod(lambda cls, *a: True))
    setup = setup_screen.view
    board = board_of(lead.merged)
    daniel, priya = board.person("Daniel Okafor"), board.person("Priya Raman")
    numbers = [c.sample_no for c in daniel.first_reads[:2]]
    allocate_case(setup.file, numbers[1], "Priya Raman", second_reader=True)
    setup.reload()
    assert not setup.move_cases(numbers, priya.name)
    assert [title for title, _message in errors] == ["Cannot move the case"]
    after = board_of(lead.merged)
    assert [after.case(n).first_reader for n in numbers] == ["Daniel Okafor", "Daniel Okafor"]


def test_each_tab_gives_the_keyboard_to_its_list(qtbot, setup_screen: SetupScreen) -> None:
    setup = setup_screen.view
    expected = {
        setup.team_page: setup.team_page.table,
        setup.sample_tab: setup.sample_tab.table,
        setup.files_page: setup.files_page.table,
    }
    for page, table in expected.items():
        setup.tabs.setCurrentWidget(page)
        setup.focus_current()
        assert focused() is table, page.accessibleName()
    setup.tabs.setCurrentWidget(setup.board_page)
    setup.focus_current()
    first = next(iter(setup.board_page.columns.values()))
    assert focused() is first


def test_after_a_move_the_keyboard_is_in_the_same_persons_column_drawn_again(
    qtbot, setup_screen: SetupScreen, lead, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ConfirmMoveDialog, "ask", classmethod(lambda cls, *a: True))
    setup = setup_screen.view
    setup.tabs.setCurrentWidget(setup.board_page)
    board = setup.board_page
    name = next(p.name for p in board.readers() if len(p.first_reads) > 1)
    old = board.column_of(name)
    old.setFocus()
    old.setCurrentRow(0)
    qtbot.keyClick(old, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    qtbot.wait(0)
    new = board.column_of(name)
    assert new is not old  # the board was drawn again from the file
    assert focused() is new and new.currentRow() == 0  # ready for the next case


def test_the_screen_fits_a_small_laptop(qtbot, setup_screen: SetupScreen) -> None:
    setup = setup_screen.view
    setup.resize(1024, 700)  # 768 less the window's menu and status bars
    for page in (setup.team_page, setup.board_page, setup.sample_tab, setup.files_page):
        setup.tabs.setCurrentWidget(page)
        qtbot.wait(50)
        assert page.width() <= setup.width()
    assert setup.width() == 1024
    bar: QScrollBar = setup.board_page.scroller.horizontalScrollBar()
    setup.tabs.setCurrentWidget(setup.board_page)
    qtbot.wait(50)
    assert not bar.isVisible()  # the team of the demo fits side by side
    setup.tabs.setCurrentWidget(setup.team_page)
    qtbot.wait(50)
    assert not setup.team_page.table.horizontalScrollBar().isVisible()


def drawn_master(folder: Path) -> Path:
    """A master whose 20 cases were drawn from a 200-case long list, allocated."""
    master = folder / "trust.inspection"
    assert run_cli(
        [
            "new", str(master), "--title", "Inspection of Adult Offending Work: Example",
            "--organisation", "Example Probation Trust", "--lead", "Helen Ashworth",
        ]
    ) == 0  # fmt: skip
    for name in ("Ann Inspector", "Ben Inspector"):
        assert run_cli(["team", "add", str(master), name]) == 0
    export = write_long_list(folder / "extract.xlsx")
    mapping = folder / "map.toml"
    mapping.write_text(MAP, encoding="utf-8")
    assert run_cli(["import-long-list", str(master), str(export), "--map", str(mapping)]) == 0
    draw = ["draw-sample", str(master), "--size", "20", "--strata", "sentence_type", "--seed", "1"]
    assert run_cli(draw) == 0
    assert run_cli(["allocate", str(master), "--auto"]) == 0
    return master


def test_a_case_is_replaced_from_the_reserves(
    qtbot, tmp_path: Path, errors, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = drawn_master(tmp_path)
    with InspectionFile.open(path) as file:
        setup = SetupView()
        announced = []
        setup.announce = announced.append
        setup.set_file(file)
        show(qtbot, setup)
        tab = setup.sample_tab
        setup.tabs.setCurrentWidget(tab)
        assert (
            "20 cases drawn from a long list of 200 by sentence type (seed 1)" in tab.summary.text()
        )
        tab.table.selectRow(6)
        case = tab.cases[6]
        old_key = file.case_key_for(case.sample_no)
        monkeypatch.setattr(
            ReasonDialog, "ask", classmethod(lambda cls, p, label: "Transferred out")
        )
        tab.replace_button.click()
        assert errors == []
        new = max(c.sample_no for c in tab.cases)
        # the rest of the window hears of both cases (the case list reads them again)
        (changes,) = announced
        assert changes.concerns_case(old_key)
        assert changes.concerns_case(file.case_key_for(new))
        setup.set_file(None)
    with InspectionFile.open(path, readonly=True) as file:
        summary = long_list_summary(file)
    assert summary is not None and summary.replaced == ((case.sample_no, "Transferred out"),)
    assert case.sample_no not in [c.sample_no for c in tab.cases]
    assert next(c for c in tab.cases if c.sample_no == new).first_reader == case.first_reader
    assert "Transferred out" in tab.summary.text()
