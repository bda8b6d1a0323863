"""Fixtures for the lead's Merge window and Conflicts view: a demo inspection with double
reading (built once through the core services, copied per test), windows driven offscreen."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.merge.run import merge_files
from inspector_app.gui.background import deliver_outcomes, wait_for_background
from inspector_app.gui.conflicts_view import ConflictsView
from inspector_app.gui.merge_window import MergeWindow
from tests.gui_merge.team_data import TeamDemo, build_team_demo


@pytest.fixture(scope="session")
def team_source(tmp_path_factory: pytest.TempPathFactory) -> TeamDemo:
    return build_team_demo(tmp_path_factory.mktemp("team") / "Merseyside")


@pytest.fixture
def team(team_source: TeamDemo, tmp_path: Path) -> TeamDemo:
    """A private copy of the master and the four fieldwork files."""
    folder = tmp_path / "Merseyside"
    shutil.copytree(team_source.folder, folder)

    def here(path: Path) -> Path:
        return folder / path.name

    return TeamDemo(
        folder,
        here(team_source.master),
        tuple(here(p) for p in team_source.team),
        here(team_source.lead),
        team_source.codes,
    )


@pytest.fixture
def merged(team: TeamDemo) -> TeamDemo:
    """The team's files merged into the master (through the core): three open conflicts."""
    with InspectionFile.open(team.master) as master:
        merge_files(master, list(team.all_files))
    return team


@pytest.fixture
def junk(tmp_path: Path) -> Path:
    path = tmp_path / "stick" / "Merseyside-fieldwork-copy.inspection"
    path.parent.mkdir()
    path.write_text("this is a shopping list, not an inspection\n" * 20)
    return path


def finish_background() -> None:
    """Let every worker end and run its callbacks (without processEvents: see background)."""
    assert wait_for_background(30000)
    deliver_outcomes()


@pytest.fixture
def merge_window(qtbot, team: TeamDemo) -> Iterator[MergeWindow]:
    win = MergeWindow(team.master)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    yield win
    finish_background()
    win.close()
    finish_background()


@pytest.fixture
def conflicts_view(qtbot, merged: TeamDemo) -> Iterator[ConflictsView]:
    view = ConflictsView(merged.master)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded, timeout=20000):
        view.show()
        qtbot.waitExposed(view)
    view.activateWindow()
    view.table.setFocus()
    yield view
    finish_background()
    view.close()
    finish_background()
