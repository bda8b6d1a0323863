"""The welcome page's choices and the File menu reach the wizard and the About dialog."""

from __future__ import annotations

from pathlib import Path

from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.gui.about_dialog import AboutDialog
from inspector_app.gui.main_window import MainWindow
from inspector_app.gui.wizard import NewInspectionWizard


def test_new_inspection_from_the_welcome_page_opens_the_created_master(
    qtbot, tmp_path: Path, monkeypatch
) -> None:
    master = tmp_path / "new.inspection"
    InspectionFile.create(
        master,
        title="Inspection of Adult Offending Work: Wirral",
        organisation="Wirral",
        lead="A Lead",
    ).close()
    monkeypatch.setattr(NewInspectionWizard, "ask", classmethod(lambda cls, parent: master))
    window = MainWindow()
    qtbot.addWidget(window)
    assert window.new_action.shortcut().toString() == "Ctrl+N"
    window.welcome.newRequested.emit()
    assert window.file is not None and Path(window.file.path) == master
    assert "Wirral" in window.windowTitle()


def test_cancelled_wizard_opens_nothing(qtbot, monkeypatch) -> None:
    monkeypatch.setattr(NewInspectionWizard, "ask", classmethod(lambda cls, parent: None))
    window = MainWindow()
    qtbot.addWidget(window)
    window.new_action.trigger()
    assert window.file is None


def test_help_about_uses_the_about_dialog(qtbot, monkeypatch) -> None:
    shown = []
    monkeypatch.setattr(AboutDialog, "ask", classmethod(lambda cls, parent: shown.append(parent)))
    window = MainWindow()
    qtbot.addWidget(window)
    window.about_action.trigger()
    assert shown == [window]
