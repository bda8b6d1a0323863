"""A file named on the command line opens once the window is up; a copy taken while the file
was open is explained; a hand-over copy is saved from the File menu. (Removable drives and the copy itself are tested on the file
opener alone, in tests/widgets/test_file_opener.py.)"""

from __future__ import annotations

import shutil
from pathlib import Path

from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.gui.app import start
from inspector_app.gui.background import wait_for_background
from inspector_app.gui.dialogs import NoticeDialog, SaveCopyDialog


def test_a_copy_named_on_the_command_line_is_explained_and_a_hand_over_copy_saved_from_it(
    qtbot, tmp_path: Path, monkeypatch
) -> None:
    original = tmp_path / "stick" / "daniel.inspection"
    original.parent.mkdir()
    InspectionFile.create(
        original,
        title="Inspection of Adult Offending Work: Wirral",
        organisation="Wirral",
        lead="A Lead",
    ).close()
    notices: list[str] = []
    monkeypatch.setattr(
        NoticeDialog, "ask", classmethod(lambda cls, parent, title, message: notices.append(title))
    )
    holder = InspectionFile.open(original)  # open elsewhere, then copied without its WAL
    holder.db.raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    copy = tmp_path / "copy.inspection"
    shutil.copy(original, copy)
    target = tmp_path / "handover.inspection"
    monkeypatch.setattr(SaveCopyDialog, "ask", classmethod(lambda cls, parent, suggested: target))
    _app, window = start([str(copy)])  # opens on the first turn of the loop, once shown
    qtbot.addWidget(window)
    try:
        assert window.file is None
        with qtbot.waitSignal(window.casesLoaded, timeout=10000):
            pass
        assert window.file is not None and Path(window.file.path) == copy
        assert notices and "copied while it was open" in notices[0]
        assert "copy taken while the file was open" in window.statusBar().currentMessage()
        window.handover_action.trigger()
        qtbot.waitUntil(lambda: target.exists(), timeout=10000)
        wait_for_background()
        with InspectionFile.open(target, readonly=True) as handed_over:
            assert handed_over.inspection.organisation == "Wirral"
    finally:
        holder.close()
        window.close()
