"""The Fieldwork files tab of the set-up screen: a reader's lost file written again from the
keyboard, with its own passphrase, into a folder named for the day it was written; and the
export dialog's own checks."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from inspector_app.app.team_board import build_team_board
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.gui.fieldwork_files_page import ExportDialog, ExportRequest, reads_text
from tests.widgets.conftest import SetupScreen, board_of


@pytest.fixture
def files_tab(setup_screen: SetupScreen) -> SetupScreen:
    view = setup_screen.view
    view.tabs.setCurrentWidget(view.files_page)
    view.focus_current()
    return setup_screen


def test_a_lost_fieldwork_file_is_written_again(
    qtbot, files_tab: SetupScreen, lead, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "again"
    folder.mkdir()
    asked: list[list[str]] = []

    def ask(cls, parent, names, start, required):
        asked.append(names)
        return ExportRequest(folder, dict.fromkeys(names, "a long passphrase"), False)

    monkeypatch.setattr(ExportDialog, "ask", classmethod(ask))
    page = files_tab.view.files_page
    name = page.people[0].name
    messages: list[str] = []
    files_tab.view.message.connect(messages.append)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert asked == [[name]]
    (written,) = folder.iterdir()
    with InspectionFile.open(written, passphrase="a long passphrase", readonly=True) as file:
        assert file.role.owner_name == name
        mine = board_of(lead.merged).person(name)
        assert len(build_team_board(file).person(name).first_reads) == len(mine.first_reads)
    assert messages == [f"Wrote 1 fieldwork file in {folder}"]


def accept_as_offered(monkeypatch: pytest.MonkeyPatch, passphrase: str) -> list[str]:
    """The lead accepts the dialog with the folder it offers, giving each file a passphrase;
    returns the folders offered."""
    offered: list[str] = []

    def exec_(dialog: ExportDialog) -> int:
        offered.append(dialog.folder_edit.text())
        for edit in dialog.edits.values():
            edit.setText(passphrase)
        dialog._accept()  # what the Write button does: checks, then accepts
        return dialog.result()

    monkeypatch.setattr(ExportDialog, "exec", exec_)
    return offered


def test_files_written_again_go_into_a_folder_named_for_the_day(
    qtbot, files_tab: SetupScreen, lead, monkeypatch: pytest.MonkeyPatch
) -> None:
    offered = accept_as_offered(monkeypatch, "a long passphrase")
    before = date.today()
    written = files_tab.view.export_files([p.name for p in files_tab.view.files_page.people])
    days = {f"Fieldwork files {d:%Y-%m-%d}" for d in (before, date.today())}
    assert len(offered) == 1 and Path(offered[0]).parent == lead.merged.parent
    assert Path(offered[0]).name in days
    assert written and {p.parent for p in written} == {Path(offered[0])}
    assert Path(offered[0]).is_dir()
    assert sorted(p.name for p in Path(offered[0]).iterdir()) == sorted(p.name for p in written)


def test_the_dialog_needs_a_passphrase_for_each_file_of_an_encrypted_master(
    qtbot, tmp_path: Path
) -> None:
    dialog = ExportDialog(None, ["Daniel Okafor", "Priya Raman"], tmp_path / "new", True)
    qtbot.addWidget(dialog)
    dialog.edits["Daniel Okafor"].setText("a long passphrase")
    dialog._accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert (
        dialog.message.text() == "Priya Raman's file needs a passphrase: the master is encrypted."
    )
    dialog.edits["Priya Raman"].setText("another long one")
    dialog._accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert (tmp_path / "new").is_dir()  # the folder offered is made when it is accepted


def test_a_readers_cases_read_whole() -> None:
    """ "0 cases + 4 second" left the reader to guess the rest."""
    assert reads_text(20, 0) == "20 cases"
    assert reads_text(20, 4) == "20 cases + 4 second reads"
    assert reads_text(0, 4) == "4 second reads"
    assert reads_text(1, 1) == "1 case + 1 second read"
    assert reads_text(0, 0) == "0 cases"
