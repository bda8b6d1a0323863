"""The Team tab on its own, over a real master's team: Insert, F2 or Enter, and Delete on the
list ask for an addition, a correction and a removal; an unchanged correction asks nothing;
Remove is offered only for someone nothing depends on, and the page says why."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QSignalSpy

from inspector_app.app.team_board import build_team_board
from inspector_app.core.cases.team import add_member
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.gui.team_page import MemberDialog, TeamPage
from tests.gui.conftest import press
from tests.widgets.conftest import show


@pytest.fixture
def page(qtbot, master: InspectionFile) -> TeamPage:
    add_member(master, "Sam Nolan", "assessor")  # nobody's cases, nothing written
    team = TeamPage()
    team.set_board(build_team_board(master))
    show(qtbot, team, 900, 500)
    team.table.setFocus()
    return team


def spied(spy: QSignalSpy) -> list[list[object]]:
    return [spy.at(i) for i in range(spy.count())]


def choose(page: TeamPage, name: str) -> None:
    assert page.select(name)
    assert page.current().name == name


def test_insert_asks_for_a_new_member(page: TeamPage, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(MemberDialog, "ask", classmethod(lambda cls, *a, **k: ("Ann Lee", "lead")))
    added = QSignalSpy(page.addRequested)
    press(Qt.Key.Key_Insert)
    assert spied(added) == [["Ann Lee", "lead"]]


@pytest.mark.parametrize("key", [Qt.Key.Key_F2, Qt.Key.Key_Return])
def test_f2_or_enter_corrects_the_chosen_person_and_an_unchanged_answer_asks_nothing(
    page: TeamPage, monkeypatch: pytest.MonkeyPatch, key: Qt.Key
) -> None:
    shown: list[tuple] = []
    answers = iter([("Priya  Raman", "inspector"), ("Priya Ramen", "assessor")])

    def ask(cls, parent, title, name="", role=""):
        shown.append((title, name, role))
        return next(answers)

    monkeypatch.setattr(MemberDialog, "ask", classmethod(ask))
    edits = QSignalSpy(page.editRequested)
    choose(page, "Priya Raman")
    press(key)  # the same name (spaces aside) and role: nothing to change
    press(key)
    assert shown[0] == ("Change Priya Raman", "Priya Raman", "inspector")
    assert spied(edits) == [["Priya Raman", "Priya Ramen", "assessor"]]


def test_delete_asks_to_remove_and_remove_is_offered_only_when_nothing_depends(
    page: TeamPage,
) -> None:
    removals = QSignalSpy(page.removeRequested)
    choose(page, "Daniel Okafor")
    assert not page.remove_button.isEnabled()
    assert "Move their cases to someone else" in page.note.text()
    choose(page, "Sam Nolan")
    assert page.remove_button.isEnabled()
    assert page.note.text() == "Sam Nolan has no cases and has written nothing yet."
    press(Qt.Key.Key_Delete)
    assert spied(removals) == [["Sam Nolan"]]


def test_the_chosen_person_stays_chosen_when_the_team_is_drawn_again(
    page: TeamPage, master: InspectionFile
) -> None:
    choose(page, "Priya Raman")
    add_member(master, "Zoe Adams", "inspector")
    page.set_board(build_team_board(master))
    assert page.current().name == "Priya Raman"
    assert "Zoe Adams" in [p.name for p in page.people]
