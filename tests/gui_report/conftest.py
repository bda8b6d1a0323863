"""Fixtures for the lead's screens: one demo inspection built through the core services (a
master, its fieldwork files, and a copy of the master with them merged), copied per test, and
the main window driven offscreen with dialogs patched so nothing blocks."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from inspector_app.core.cases.answers import set_answer
from inspector_app.core.cases.case_data import COMPLETE, load_cases, status_of
from inspector_app.core.demo import create_demo
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.merge.run import merge_files
from inspector_app.gui.background import deliver_outcomes, wait_for_background
from inspector_app.gui.dialogs import ErrorDialog
from inspector_app.gui.main_window import MainWindow


@dataclass(frozen=True)
class LeadDemo:
    master: Path  # nothing merged yet
    fieldwork: tuple[Path, ...]
    merged: Path  # the master with every fieldwork file merged
    conflicted: Path  # merged, then one answer changed differently by the lead and Daniel


@pytest.fixture(scope="session")
def lead_source(tmp_path_factory: pytest.TempPathFactory) -> LeadDemo:
    folder = tmp_path_factory.mktemp("lead") / "Merseyside"
    outcome = create_demo(folder, cases=60)
    merged = folder / "merged" / outcome.master.name
    merged.parent.mkdir()
    shutil.copyfile(outcome.master, merged)
    with InspectionFile.open(merged) as master:
        report = merge_files(master, list(outcome.fieldwork))
        assert not report.refused, report.refused
    for leftover in merged.parent.iterdir():  # the undo snapshot of that merge
        if leftover != merged:
            leftover.unlink() if leftover.is_file() else shutil.rmtree(leftover)
    conflicted = make_conflict(merged, outcome.fieldwork[0], folder / "conflicted")
    return LeadDemo(outcome.master, tuple(outcome.fieldwork), merged, conflicted)


def make_conflict(merged: Path, fieldwork: Path, folder: Path) -> Path:
    """A copy of the merged master where the lead and the fieldwork file's owner changed the
    same answer differently from the same starting point: one open conflict."""
    folder.mkdir()
    master_path = folder / merged.name
    shutil.copyfile(merged, master_path)
    theirs = folder / fieldwork.name
    shutil.copyfile(fieldwork, theirs)
    with InspectionFile.open(theirs) as file:
        case = next(c for c in load_cases(file) if status_of(c) == COMPLETE)
        code, answer = next(
            (q.code, case.answers[q.code])
            for q in file.framework.questions()
            if q.scored and q.applies_if is None and q.code in case.answers
        )
        values = [o.value for o in file.framework.scale_of(code).options]
        mine, their = [v for v in values if v != answer.value][:2]
        set_answer(file, case.key, code, their, "Changed after a second look.")
    with InspectionFile.open(master_path) as master:
        set_answer(master, case.key, code, mine, "The lead's reading.")
        report = merge_files(master, [theirs])
        assert report.sources[0].conflicts_raised == 1, report
    for leftover in folder.iterdir():
        if leftover != master_path:
            leftover.unlink() if leftover.is_file() else shutil.rmtree(leftover)
    return master_path


@pytest.fixture
def lead(lead_source: LeadDemo, tmp_path: Path) -> LeadDemo:
    """Private copies of every file."""
    folder = tmp_path / "files"
    folder.mkdir()
    fieldwork = []
    for path in lead_source.fieldwork:
        fieldwork.append(folder / path.name)
        shutil.copyfile(path, fieldwork[-1])
    master = folder / lead_source.master.name
    shutil.copyfile(lead_source.master, master)
    merged_folder = tmp_path / "merged"
    merged_folder.mkdir()
    merged = merged_folder / lead_source.merged.name
    shutil.copyfile(lead_source.merged, merged)
    conflicted_folder = tmp_path / "conflicted"
    conflicted_folder.mkdir()
    conflicted = conflicted_folder / lead_source.conflicted.name
    shutil.copyfile(lead_source.conflicted, conflicted)
    return LeadDemo(master, tuple(fieldwork), merged, conflicted)


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Every error dialog the app would show (none should block a test)."""
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        ErrorDialog,
        "ask",
        classmethod(lambda cls, parent, title, message, detail="": shown.append((title, message))),
    )
    return shown


def finish_background() -> None:
    """Let every worker end and run its callbacks (without processEvents: see background)."""
    assert wait_for_background(30000)
    deliver_outcomes()


def open_window(qtbot, path: Path) -> MainWindow:
    win = MainWindow()
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)  # the keyboard's focus is the active window's
    with qtbot.waitSignal(win.casesLoaded, timeout=15000):
        assert win.open_file(path)
    return win


@pytest.fixture
def window(qtbot, lead: LeadDemo, errors: list) -> Iterator[MainWindow]:
    """The main window with the merged master open and its case list loaded."""
    win = open_window(qtbot, lead.merged)
    yield win
    finish_background()
    win.close()
    finish_background()
