"""The first start: with no file named the window shows the welcome page, whose choices and
the File and Help menus reach the wizard and the About dialog; the master the wizard made
opens at once, a cancelled wizard opens nothing. (The welcome page and the wizard themselves
are tested on their own in test_welcome_and_about.py and test_wizard.py.)"""

from __future__ import annotations

from pathlib import Path

from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.gui.about_dialog import AboutDialog
from inspector_app.gui.app import start
from inspector_app.gui.wizard import NewInspectionWizard


def test_the_welcome_page_and_the_menus_reach_the_wizard_and_the_about_dialog(
    qtbot, tmp_path: Path, monkeypatch
) -> None:
    master = tmp_path / "new.inspection"
    InspectionFile.create(
        master,
        title="Inspection of Adult Offending Work: Wirral",
        organisation="Wirral",
        lead="A Lead",
    ).close()
    made: list[Path | None] = [None, master]
    monkeypatch.setattr(NewInspectionWizard, "ask", classmethod(lambda cls, parent: made.pop(0)))
    shown = []
    monkeypatch.setattr(AboutDialog, "ask", classmethod(lambda cls, parent: shown.append(parent)))
    _app, window = start([])  # no file named
    qtbot.addWidget(window)
    qtbot.wait(50)
    assert window.file is None
    assert window.stack.currentWidget() is window.welcome

    assert window.new_action.shortcut().toString() == "Ctrl+N"
    window.new_action.trigger()  # the wizard cancelled: nothing opens
    assert window.file is None and made == [master]
    window.welcome.newRequested.emit()
    assert window.file is not None and Path(window.file.path) == master
    assert "Wirral" in window.windowTitle()

    window.about_action.trigger()
    assert shown == [window]
    window.close()
