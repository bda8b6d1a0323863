"""The parts the main window is made of, each tried on its own: the file controller, the
navigator, the action registry and the menus it is fed by (gui/main_window.py composes them)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QMenuBar, QStackedWidget, QWidget

from inspector_app.core.cases.team import add_member
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.sample.placement import allocate_auto, import_sample
from inspector_app.gui.actions import WIDGET_KEYS, ActionRegistry, key_text
from inspector_app.gui.dialogs import ErrorDialog
from inspector_app.gui.file_controller import FileController
from inspector_app.gui.main_window import MainWindow
from inspector_app.gui.navigator import CASES, FINDINGS, REVIEW, SETUP, WELCOME, Navigator
from inspector_app.gui.operations import OperationBus
from inspector_app.gui.welcome import WelcomePage
from tests.conftest import damage_index, hold_damage_check


@dataclass
class Parts:
    window: QMainWindow
    files: FileController
    navigator: Navigator


@pytest.fixture
def parts(qtbot) -> Parts:
    """A file controller and a navigator on a bare window: no menus, no lead's tools."""
    window = QMainWindow()
    qtbot.addWidget(window)
    stack = QStackedWidget()
    welcome = WelcomePage()
    stack.addWidget(welcome)
    window.setCentralWidget(stack)
    operations = OperationBus(window)
    files = FileController(window, welcome, operations)
    navigator = Navigator(window, stack, welcome, files, operations)
    return Parts(window, files, navigator)


@pytest.fixture
def master_path(tmp_path: Path, sample_csv: Path) -> Path:
    """A closed master with 12 cases allocated to two inspectors."""
    path = tmp_path / "master.inspection"
    with InspectionFile.create(
        path, title="Inspection of Adult Offending Work: Wirral", organisation="Wirral", lead="Lead"
    ) as master:
        for name in ("Daniel Okafor", "Priya Raman"):
            add_member(master, name, "inspector")
        import_sample(master, sample_csv)
        allocate_auto(master)
    return path


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        ErrorDialog,
        "ask",
        classmethod(lambda cls, parent, title, message, detail="": shown.append((title, message))),
    )
    return shown


# -- the navigator ---------------------------------------------------------------------------


def test_the_navigator_names_registered_screens_and_shows_them_again(parts: Parts) -> None:
    nav = parts.navigator
    shown: list[str] = []
    screens = {FINDINGS: QWidget(), SETUP: QWidget()}
    for name, screen in screens.items():
        nav.add_screen(name, screen, lambda n=name, s=screen: (shown.append(n), nav.bring(s)))
    assert nav.current() == WELCOME
    assert nav.screen_state() == (CASES, None)  # no screen of a file: the case list

    nav.bring(screens[SETUP])
    state = nav.screen_state()
    assert state == (SETUP, None)
    nav.bring(screens[FINDINGS])
    assert nav.current() == FINDINGS
    nav.show_screen(state)
    assert shown == [SETUP] and nav.current() == SETUP
    nav.show_screen((REVIEW, None))  # a review of no case: nowhere to go
    assert nav.current() == SETUP


def test_the_navigator_comes_back_to_the_case_under_review(
    parts: Parts, master_path: Path, errors: list, qtbot
) -> None:
    files, nav = parts.files, parts.navigator
    with qtbot.waitSignal(files.casesLoaded, timeout=10000):
        assert files.open_file(master_path)
    assert nav.current() == CASES and nav.screen_state() == (CASES, None)
    assert files.case_model is not None
    key = files.case_model.visible_keys()[1]
    nav.open_case(key)
    state = nav.screen_state()
    assert state == (REVIEW, key)

    nav.show_case_list()
    assert nav.current() == CASES
    nav.show_screen(state)
    assert nav.current() == REVIEW and nav.review is not None and nav.review.case_key == key
    assert files.close_file()
    assert nav.current() == WELCOME and not errors


# -- the file controller ---------------------------------------------------------------------


def test_the_file_controller_says_when_a_file_comes_and_goes(
    parts: Parts, master_path: Path, errors: list, qtbot
) -> None:
    files = parts.files
    heard: list[tuple[str, object]] = []
    files.attached.connect(lambda _file: heard.append(("attached", files.session is not None)))
    files.closing.connect(lambda keep_tools: heard.append(("closing", keep_tools)))
    files.closed.connect(lambda: heard.append(("closed", files.file is None)))
    with qtbot.waitSignal(files.casesLoaded, timeout=10000):
        assert files.open_file(master_path)
    assert files.case_model is not None and files.case_model.rowCount() == 12
    assert files.close_file(keep_tools=True)
    assert heard == [("attached", True), ("closing", True), ("closed", True)]
    assert files.session is None and not errors


def test_a_file_that_is_no_inspection_is_refused_in_one_line_on_the_welcome_screen(
    parts: Parts, errors: list, tmp_path: Path
) -> None:
    foreign = tmp_path / "foreign.inspection"
    connection = sqlite3.connect(foreign)
    connection.execute("CREATE TABLE t (x)")
    connection.commit()
    connection.close()
    attached: list[object] = []
    parts.files.attached.connect(attached.append)

    assert parts.files.open_file(foreign) is False
    assert len(errors) == 1
    title, message = errors[0]
    assert foreign.name in title and foreign.name in message
    assert "\n" not in message and len(message) > len(foreign.name) + 10  # one line, a reason
    assert parts.files.file is None and parts.files.session is None and attached == []
    assert parts.navigator.current() == WELCOME


def _work_in(path: Path) -> list[tuple[object, ...]]:
    """Every revision of a file, by table scan (its damaged index aside)."""
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT * FROM revision NOT INDEXED ORDER BY rowid").fetchall()
    conn.close()
    return rows


def test_a_big_damaged_file_opens_then_is_closed_saying_so_untouched(
    parts: Parts, master_path: Path, errors: list, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from inspector_app.core.storage import database

    monkeypatch.setattr(database, "CHECK_BESIDE_BYTES", 0)  # every file counts as big
    damage_index(master_path, "sqlite_autoindex_merge_mark_1")  # only a merge reads it
    before = _work_in(master_path)
    files = parts.files
    with qtbot.waitSignal(files.closed, timeout=10000):
        assert files.open_file(master_path)  # opens at once; the check runs beside it
    assert files.file is None and parts.navigator.current() == WELCOME
    assert len(errors) == 1
    title, message = errors[0]
    assert title == "master.inspection is damaged"
    assert "the file is damaged" in message and "None of your work was written" in message
    assert _work_in(master_path) == before


def _dialogs_shown(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str, str]]:
    shown: list[tuple[str, str, str]] = []
    monkeypatch.setattr(
        ErrorDialog,
        "ask",
        classmethod(
            lambda cls, parent, title, message, detail="": shown.append((title, message, detail))
        ),
    )
    return shown


def test_a_big_damaged_file_closes_with_the_text_typed_meanwhile_offered_to_copy(
    parts: Parts, master_path: Path, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = hold_damage_check(monkeypatch)
    damage_index(master_path, "sqlite_autoindex_merge_mark_1")  # only a merge reads it
    shown = _dialogs_shown(monkeypatch)
    files = parts.files
    assert files.open_file(master_path)
    assert files.case_model is not None and files.session is not None
    case_key = files.case_model.key_at(0)
    assert case_key is not None
    sample_no = files.case_model.summary_of(case_key).sample_no
    files.session.edit_text(case_key, "1.1", "note", "Seen at the office on Tuesday.")
    with qtbot.waitSignal(files.closed, timeout=10000):
        release.set()
    assert files.file is None  # closed although its edit could not be saved
    assert parts.window.close()  # and nothing holds the window open
    title, message, detail = shown[-1]
    assert title == "master.inspection is damaged" and "Show Details" in message
    assert f"Case {sample_no}, question 1.1, evidence note:" in detail
    assert "Seen at the office on Tuesday." in detail


def test_damage_found_while_a_dialog_is_open_closes_the_file_after_it(
    parts: Parts, master_path: Path, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QDialog

    release = hold_damage_check(monkeypatch)
    damage_index(master_path, "sqlite_autoindex_merge_mark_1")
    shown = _dialogs_shown(monkeypatch)
    files = parts.files
    assert files.open_file(master_path)
    files.add_saver(lambda: False, lambda: [("Summary", "The service was rated good.")])
    dialog = QDialog(parts.window)
    dialog.setModal(True)
    dialog.show()
    release.set()
    qtbot.wait(600)
    assert files.file is not None and not shown  # the dialog open now finishes first
    with qtbot.waitSignal(files.closed, timeout=10000):
        dialog.accept()
    title, _message, detail = shown[-1]
    assert title == "master.inspection is damaged"
    assert "Summary:\nThe service was rated good." in detail  # the other editors' text too


def test_a_file_that_could_not_be_checked_is_closed_without_calling_it_damaged(
    parts: Parts, master_path: Path, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from inspector_app.core.storage.dbapi import OperationalError

    release = hold_damage_check(monkeypatch, OperationalError("database is locked"))
    shown = _dialogs_shown(monkeypatch)
    files = parts.files
    assert files.open_file(master_path)
    with qtbot.waitSignal(files.closed, timeout=10000):
        release.set()
    title, message, _detail = shown[-1]
    assert title == "Cannot use master.inspection"
    assert "could not be checked for damage (database is locked)" in message


def test_a_big_sound_file_says_it_was_checked(
    parts: Parts, master_path: Path, errors: list, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from inspector_app.core.storage import database

    monkeypatch.setattr(database, "CHECK_BESIDE_BYTES", 0)
    files = parts.files
    assert files.open_file(master_path)
    qtbot.waitUntil(lambda: "no damage found" in parts.window.statusBar().currentMessage())
    check = files.file.db.damage_check if files.file is not None else None
    assert check is None or check.done
    assert not errors


# -- the actions and the keyboard reference --------------------------------------------------


def test_the_registry_lists_an_action_once_whatever_its_keys(qtbot) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    registry = ActionRegistry(widget)
    undo = registry.add("&Undo", lambda: None, [QKeySequence.StandardKey.Undo, "Ctrl+Z"])
    registry.add("&About", lambda: None)  # no keys: not in the reference
    keys = [k.toString() for k in undo.shortcuts()]
    assert keys.count("Ctrl+Z") == 1
    rows = registry.reference()
    assert [row.keys for row in rows[len(WIDGET_KEYS) :]] == [key_text(undo)]
    assert rows[-1].what == "Undo"


def _menu_actions(menu: QMenu | QMenuBar) -> list[QAction]:
    """Every action of a menu bar or menu, submenus' included."""
    found = []
    for action in menu.actions():
        submenu = action.menu()
        if isinstance(submenu, QMenu):
            found += _menu_actions(submenu)
        elif not action.isSeparator():
            found.append(action)
    return found


def test_each_menu_shortcut_is_in_f1_exactly_once(qtbot) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    in_menus = [a for a in _menu_actions(window.menuBar()) if a.shortcuts()]
    assert len(in_menus) >= 20
    rows = [row.keys for row in window.actions_registry.reference()]
    for action in in_menus:
        assert rows.count(key_text(action)) == 1, action.text()
    assert len(rows) == len(set(rows))


def test_the_window_keeps_every_name_it_hands_to_a_part(qtbot) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    parts = {"files": window.files, "navigator": window.navigator}
    parts |= {"lead": window.lead, "menus": window.menus}
    delegated = {
        name: attribute.part
        for name, attribute in vars(MainWindow).items()
        if type(attribute).__name__ == "_OnPart"
    }
    assert len(delegated) > 60
    for name, part in delegated.items():
        assert getattr(window, name) == getattr(parts[part], name), name
    assert window.file is None and window.review is None and window.findings_view is None


def test_the_demo_is_prepared_beside_the_window_then_opens(qtbot, errors) -> None:
    """The first demo writes a team's files and merges them (a second or two): the window
    keeps answering meanwhile, a second press does not start another, and the demo's master
    opens on its overview."""
    from inspector_app.core.files.paths import demo_dir

    assert not demo_dir().exists() or not any(demo_dir().iterdir())  # the user's own folder
    window = _shown_window(qtbot)
    with qtbot.waitSignal(window.casesLoaded, timeout=60000):
        assert window.open_demo()
        assert window.file is None  # not yet: it is being prepared
        assert not window.welcome.demo_button.isEnabled()
        assert not window.open_demo()  # one at a time
    assert window.file is not None and window.file.is_master
    assert window.stack.currentWidget() is window.dashboard_view
    window.close_file()
    assert errors == []


def test_the_demo_asked_for_opens_even_if_the_file_open_then_closes(
    qtbot, master_path: Path, errors
) -> None:
    """Asked for with a file open, then that file closed while the demo is prepared: the demo
    opens (the welcome page is not left saying it is preparing it, every choice held)."""

    window = _shown_window(qtbot)
    with qtbot.waitSignal(window.casesLoaded, timeout=15000):
        assert window.open_file(master_path)
    with qtbot.waitSignal(window.casesLoaded, timeout=60000):
        assert window.open_demo()
        window.close_file()
    assert window.file is not None and "demo" in str(window.file.path).lower()
    window.close_file()
    assert window.welcome.demo_button.isEnabled()
    assert errors == []


def test_a_demo_prepared_after_the_window_closed_is_not_opened(qtbot, errors) -> None:
    from inspector_app.gui.background import deliver_outcomes, wait_for_background

    window = _shown_window(qtbot)
    assert window.open_demo()
    window.close()  # waits for the preparation, whose answer comes after
    assert wait_for_background(60000)
    deliver_outcomes()
    assert window.file is None
    assert errors == []


def _shown_window(qtbot) -> MainWindow:
    """An empty main window on screen, as the app starts without a file."""
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window
