"""Opening files: command line, recent files, drag and drop, the demo, and files that cannot
be opened (a dialog naming the file and the reason; the app keeps running)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent

from inspector_app.gui import settings
from inspector_app.gui.app import start
from inspector_app.gui.background import wait_for_background
from inspector_app.gui.dialogs import ErrorDialog, PassphraseDialog
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


def bad_files(folder: Path) -> dict[str, Path]:
    text = folder / "notes.inspection"
    text.write_text("these are not the droids you are looking for\n" * 10)
    empty = folder / "empty.inspection"
    empty.write_bytes(b"")
    foreign = folder / "foreign.inspection"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    return {
        "not sqlite": text,
        "empty": empty,
        "another application's database": foreign,
        "missing": folder / "gone.inspection",
        "a folder": folder,
    }


def test_bad_files_show_a_dialog_naming_the_file_and_the_app_keeps_running(
    bare_window: MainWindow, errors: list, passphrases: list, fieldwork: Path, tmp_path: Path, qtbot
) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    for _what, path in bad_files(folder).items():
        errors.clear()
        assert bare_window.open_file(path) is False
        assert len(errors) == 1
        title, message = errors[0]
        assert path.name in title and path.name in message
        assert len(message) > len(path.name) + 10  # and a reason
        assert bare_window.file is None
        assert bare_window.isVisible()
    # Still working: a good file opens.
    with qtbot.waitSignal(bare_window.casesLoaded, timeout=10000):
        assert bare_window.open_file(fieldwork)
    assert bare_window.case_model.rowCount() > 0


def test_an_encrypted_file_opens_with_its_passphrase(
    bare_window: MainWindow,
    errors: list,
    passphrases: list,
    tmp_path: Path,
    qtbot,
) -> None:
    from inspector_app.core.files.inspection_file import InspectionFile

    path = tmp_path / "secret.inspection"
    InspectionFile.create(
        path, title="Encrypted inspection", organisation="Wirral", lead="A Lead", passphrase="pw 1"
    ).close()
    passphrases[0] = None  # cancelled: nothing opens, no error either
    assert bare_window.open_file(path) is False and not errors
    passphrases[:] = ["wrong", None]  # a wrong one asks again, saying so; then cancelled
    assert bare_window.open_file(path) is False and not errors
    passphrases[:] = ["wrong", "pw 1"]  # ... and the right one, the second time, opens it
    with qtbot.waitSignal(bare_window.casesLoaded, timeout=10000):  # the reader uses it too
        assert bare_window.open_file(path)
    assert "Encrypted inspection" in bare_window.windowTitle()


def test_a_wrong_passphrase_is_asked_again_with_the_reason(
    bare_window: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from inspector_app.core.files.inspection_file import InspectionFile

    path = tmp_path / "secret.inspection"
    InspectionFile.create(path, title="T", organisation="O", passphrase="pw 1").close()
    asked: list[str] = []
    answers = ["first guess", "second guess", None]

    def ask(cls, parent, file_name, problem=""):
        asked.append(problem)
        return answers.pop(0)

    monkeypatch.setattr(PassphraseDialog, "ask", classmethod(ask))
    assert bare_window.open_file(path) is False
    assert asked == ["", *["That passphrase does not open the file. Try again, or Cancel."] * 2]


def test_a_case_sample_opened_as_a_file_is_named_as_one(
    bare_window: MainWindow, errors: list, passphrases: list, tmp_path: Path
) -> None:
    sample = tmp_path / "sample.csv"
    sample.write_text("sample_no,sentence_type\n1,Licence\n", encoding="utf-8")
    assert bare_window.open_file(sample) is False
    assert "looks like a case sample or long list" in errors[0][1]
    assert passphrases == ["a guess"]  # and no passphrase was asked for


def test_a_newer_file_is_refused_with_a_reason(
    bare_window: MainWindow, errors: list, fieldwork: Path
) -> None:
    conn = sqlite3.connect(fieldwork)
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    assert bare_window.open_file(fieldwork) is False
    assert "newer version" in errors[0][1]


def test_a_file_in_the_older_format_opens_upgraded_and_lists_its_cases(
    bare_window: MainWindow, errors: list, fieldwork: Path, tmp_path: Path, qtbot
) -> None:
    """The window upgrades the file; its background readers, opening it read-only while the
    upgrade is still in the WAL, see the new format too."""
    from tests.generation_one import downgrade_to_generation_one

    old = downgrade_to_generation_one(fieldwork, tmp_path / "old" / fieldwork.name)
    with qtbot.waitSignal(bare_window.casesLoaded, timeout=10000):
        assert bare_window.open_file(old)
    assert errors == []
    assert bare_window.case_model.rowCount() > 0
    assert list(old.parent.glob("*.format1-backup*.inspection"))


def test_a_bad_file_leaves_the_open_file_open(
    window: MainWindow, errors: list, tmp_path: Path, fieldwork: Path
) -> None:
    before = window.file
    window.open_case(window.case_model.key_at(0))
    bad = tmp_path / "bad.inspection"
    bad.write_bytes(b"")
    assert window.open_file(bad) is False
    assert errors and "bad.inspection" in errors[0][0]
    assert window.file is before and Path(window.file.path) == fieldwork
    assert window.stack.currentWidget() is window.review
    assert fieldwork.name in window.windowTitle()


def test_title_and_status_bar_show_the_file(window: MainWindow, fieldwork: Path) -> None:
    title = window.windowTitle()
    assert "Inspection of Adult Offending Work: Merseyside" in title
    assert fieldwork.name in title
    assert window.role_label.text() == "Fieldwork file · Daniel Okafor"
    assert window.save_label.text() == SAVED_TEXT


def test_command_line_opens_the_named_file(qtbot, fieldwork: Path) -> None:
    _app, win = start([str(fieldwork)])
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.casesLoaded, timeout=10000):
        pass
    assert win.file is not None and Path(win.file.path) == fieldwork
    win.close()


def test_no_arguments_shows_the_welcome_page(qtbot) -> None:
    _app, win = start([])
    qtbot.addWidget(win)
    qtbot.wait(50)
    assert win.file is None
    assert win.stack.currentWidget() is win.welcome
    win.close()


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


def test_recent_files_are_remembered_and_reopen(window: MainWindow, fieldwork: Path, qtbot) -> None:
    assert settings.recent_files()[0] == fieldwork.resolve()
    home = Path(os.environ["INSPECTOR_APP_HOME"])
    assert (home / "settings.ini").exists()  # tests never touch the real settings
    window.close_file()
    actions = [a for a in window.recent_menu.actions() if a.text() == str(fieldwork.resolve())]
    assert actions
    with qtbot.waitSignal(window.casesLoaded, timeout=10000):
        actions[0].trigger()
    assert window.file is not None


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


def test_window_geometry_is_remembered(qtbot) -> None:
    first = MainWindow()
    qtbot.addWidget(first)
    first.show()
    first.resize(701, 502)  # within the offscreen screen, which restoring clamps to
    qtbot.wait(10)
    first.close()
    second = MainWindow()
    qtbot.addWidget(second)
    assert (second.width(), second.height()) == (701, 502)
