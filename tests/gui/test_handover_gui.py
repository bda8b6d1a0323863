"""Files on removable drives, copies taken while open, and hand-over copies, in the window."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.gui.background import wait_for_background
from inspector_app.gui.dialogs import NoticeDialog, RemovableMediaDialog, SaveCopyDialog
from inspector_app.gui.file_opener import FileOpener
from inspector_app.gui.main_window import MainWindow


@pytest.fixture
def stick_file(tmp_path: Path) -> Path:
    path = tmp_path / "stick" / "daniel.inspection"
    path.parent.mkdir()
    InspectionFile.create(
        path,
        title="Inspection of Adult Offending Work: Wirral",
        organisation="Wirral",
        lead="A Lead",
    ).close()
    return path


def test_a_file_on_a_removable_drive_is_opened_from_a_local_copy(
    qtbot, stick_file: Path, monkeypatch
) -> None:
    monkeypatch.setattr(FileOpener, "on_removable_drive", lambda self, path: path == stick_file)
    monkeypatch.setattr(
        RemovableMediaDialog, "ask", classmethod(lambda cls, parent, name: cls.LOCAL_COPY)
    )
    before = stick_file.read_bytes()
    window = MainWindow()
    qtbot.addWidget(window)
    assert window.open_file(stick_file)
    opened = Path(window.file.path)
    assert opened != stick_file and opened.parent.name == "working"
    assert window.file.situation == "copied or moved"  # so it has its own replica id
    assert stick_file.read_bytes() == before


def test_declining_the_copy_opens_nothing_or_the_original(
    qtbot, stick_file: Path, monkeypatch
) -> None:
    monkeypatch.setattr(FileOpener, "on_removable_drive", lambda self, path: True)
    answers = iter([None, RemovableMediaDialog.HERE])
    monkeypatch.setattr(
        RemovableMediaDialog, "ask", classmethod(lambda cls, parent, name: next(answers))
    )
    window = MainWindow()
    qtbot.addWidget(window)
    assert not window.open_file(stick_file)
    assert window.open_file(stick_file)
    assert Path(window.file.path) == stick_file


def test_a_copy_taken_while_open_is_explained(
    qtbot, stick_file: Path, tmp_path: Path, monkeypatch
) -> None:
    notices = []
    monkeypatch.setattr(
        NoticeDialog, "ask", classmethod(lambda cls, parent, title, message: notices.append(title))
    )
    holder = InspectionFile.open(stick_file)  # open elsewhere, then copied without its WAL
    holder.db.raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    copy = tmp_path / "copy.inspection"
    shutil.copy(stick_file, copy)
    window = MainWindow()
    qtbot.addWidget(window)
    assert window.open_file(copy)
    assert notices and "copied while it was open" in notices[0]
    holder.close()


def test_save_a_copy_for_hand_over_writes_a_complete_file(
    qtbot, stick_file: Path, tmp_path: Path, monkeypatch
) -> None:
    target = tmp_path / "handover.inspection"
    monkeypatch.setattr(SaveCopyDialog, "ask", classmethod(lambda cls, parent, suggested: target))
    window = MainWindow()
    qtbot.addWidget(window)
    window.open_file(stick_file)
    window.handover_action.trigger()
    qtbot.waitUntil(lambda: target.exists(), timeout=10000)
    wait_for_background()
    with InspectionFile.open(target, readonly=True) as copy:
        assert copy.inspection.organisation == "Wirral"
