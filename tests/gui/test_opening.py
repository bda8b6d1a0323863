"""Opening files in the window: files that cannot be opened (the app keeps running, and so
does a file already open), an encrypted file, recent files, a removable drive, drag and drop
and the demo (the command line: test_handover_gui.py). Each dialog of opening is tested on its own in
tests/widgets/test_file_opener.py."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent

from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.gui import settings
from inspector_app.gui.app import start
from inspector_app.gui.background import wait_for_background
from inspector_app.gui.dialogs import ErrorDialog, PassphraseDialog, RemovableMediaDialog
from inspector_app.gui.file_opener import FileOpener
from inspector_app.gui.main_window import SAVED_TEXT, MainWindow


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        ErrorDialog,
        "ask",
        classmethod(lambda cls, parent, title, message, detail="": shown.append((title, message))),
    )
    return shown


@pytest.fixture
def passphrases(monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    """What the passphrase dialog answers, in turn (it is asked for files that are not plain
    SQLite: encrypted ones, or anything else)."""
    answers: list[str | None] = ["a guess"]
    asked: list[str] = []
    problems: list[str] = []

    def ask(cls, parent, file_name, problem=""):
        asked.append(file_name)
        problems.append(problem)
        return answers.pop(0) if len(answers) > 1 else answers[0]

    monkeypatch.setattr(PassphraseDialog, "ask", classmethod(ask))
    return answers


@pytest.fixture
def bare_window(qtbot) -> MainWindow:
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()
    wait_for_background()


def test_opening_files_in_the_window(
    bare_window: MainWindow,
    errors: list,
    passphrases: list,
    fieldwork: Path,
    tmp_path: Path,
    qtbot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The window around opening: a file that cannot be opened leaves the window running (and
    a file already open, open); an encrypted file's case list is read with its passphrase; the
    title and status bar name the file; recent files reopen; a file on a removable drive opens
    from a local copy. The dialogs themselves: tests/widgets/test_file_opener.py."""
    window = bare_window
    bad = tmp_path / "bad.inspection"
    bad.write_bytes(b"")
    assert window.open_file(bad) is False
    assert len(errors) == 1 and "bad.inspection" in errors[0][0]
    assert window.file is None and window.isVisible()
    assert window.stack.currentWidget() is window.welcome

    secret = tmp_path / "secret.inspection"
    InspectionFile.create(
        secret,
        title="Encrypted inspection",
        organisation="Wirral",
        lead="A Lead",
        passphrase="pw 1",
    ).close()
    passphrases[:] = ["pw 1"]
    with qtbot.waitSignal(window.casesLoaded, timeout=10000):  # the reader uses it too
        assert window.open_file(secret)
    assert "Encrypted inspection" in window.windowTitle()
    assert len(errors) == 1

    with qtbot.waitSignal(window.casesLoaded, timeout=10000):
        assert window.open_file(fieldwork)
    title = window.windowTitle()
    assert "Inspection of Adult Offending Work: Merseyside" in title and fieldwork.name in title
    assert window.role_label.text() == "Fieldwork file · Daniel Okafor"
    assert window.save_label.text() == SAVED_TEXT
    assert window.case_model.rowCount() > 0
    before = window.file
    window.open_case(window.case_model.key_at(0))
    assert window.open_file(bad) is False
    assert len(errors) == 2
    assert window.file is before and Path(window.file.path) == fieldwork
    assert window.stack.currentWidget() is window.review
    assert fieldwork.name in window.windowTitle()

    assert settings.recent_files()[0] == fieldwork.resolve()
    home = Path(os.environ["INSPECTOR_APP_HOME"])
    assert (home / "settings.ini").exists()  # tests never touch the real settings
    window.close_file()
    actions = [a for a in window.recent_menu.actions() if a.text() == str(fieldwork.resolve())]
    assert actions
    with qtbot.waitSignal(window.casesLoaded, timeout=10000):
        actions[0].trigger()
    assert window.file is not None and Path(window.file.path) == fieldwork

    stick = tmp_path / "stick" / "daniel.inspection"
    stick.parent.mkdir()
    shutil.copy(secret, stick)
    monkeypatch.setattr(FileOpener, "on_removable_drive", lambda self, path: path == stick)
    monkeypatch.setattr(
        RemovableMediaDialog, "ask", classmethod(lambda cls, parent, name: cls.LOCAL_COPY)
    )
    with qtbot.waitSignal(window.casesLoaded, timeout=10000):
        assert window.open_file(stick)
    assert Path(window.file.path).parent.name == "working"
    assert "copied or moved" in window.statusBar().currentMessage()  # its edits kept apart
    assert len(errors) == 2


def test_open_demo_opens_the_demo_in_the_data_folder(qtbot) -> None:
    _app, win = start(["--open-demo"])
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.casesLoaded, timeout=20000):
        pass
    home = Path(os.environ["INSPECTOR_APP_HOME"])
    assert Path(win.file.path).is_relative_to(home)
    assert win.case_model.rowCount() > 0
    # the lead's master, merged, opened on its overview, with two conflicts to settle
    assert win.file.is_master
    assert win.stack.currentWidget() is win.dashboard_view
    qtbot.waitUntil(lambda: win.conflict_count == 2, timeout=20000)
    win.close()


def test_dropping_a_file_opens_it(bare_window: MainWindow, fieldwork: Path, qtbot) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(fieldwork))])
    event = QDropEvent(
        QPoint(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    with qtbot.waitSignal(bare_window.casesLoaded, timeout=10000):
        bare_window.dropEvent(event)
    assert Path(bare_window.file.path) == fieldwork


@pytest.mark.parametrize("dark", [False, True], ids=["light palette", "dark palette"])
def test_the_visible_frames_come_after_the_file_only_on_a_light_palette(
    qtbot, fieldwork: Path, monkeypatch: pytest.MonkeyPatch, dark: bool
) -> None:
    """On a light palette the frames change nothing on screen, so the file's cases are shown
    first; on a dark one the fields are outlined before any is drawn."""
    from PySide6.QtWidgets import QApplication

    from inspector_app.gui import app as gui_app
    from tests.gui_app.make_screenshots import high_contrast_palette

    order: list[str] = []
    install = gui_app.install_frames
    monkeypatch.setattr(
        gui_app, "install_frames", lambda app: (order.append("frames"), install(app))
    )
    qt_app = QApplication.instance()
    palette = qt_app.palette()
    if dark:
        qt_app.setPalette(high_contrast_palette())
    try:
        _app, win = start([str(fieldwork)])
        qtbot.addWidget(win)
        win.casesLoaded.connect(lambda: order.append("listed"))
        qtbot.waitUntil(lambda: len(order) == 2, timeout=10000)
    finally:
        qt_app.setPalette(palette)
    assert order == (["frames", "listed"] if dark else ["listed", "frames"])
    win.close()
    wait_for_background()
