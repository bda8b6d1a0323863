"""Every window with the keyboard only: from the focus each screen opens with, Tab (and then
Shift+Tab) goes round every control a user can see, never sticks, and the focus is always on
a widget of the active window. The windows beside the main one close on Esc and Ctrl+W.

The walker is shared (tests/keyboard_helpers.py); the files are the other GUI folders' (a
fieldwork file, the lead's merged master, the team's master with conflicts)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from inspector_app.core.cases.case_data import load_cases
from inspector_app.core.cases.history import answer_history
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.gui import close_keys, report_view, settings
from inspector_app.gui.about_dialog import AboutDialog
from inspector_app.gui.actions import KeyHelp
from inspector_app.gui.background import wait_for_background
from inspector_app.gui.conflicts_view import ConflictsView, ResolveDialog
from inspector_app.gui.dialogs import (
    HistoryDialog,
    MissingItemsDialog,
    PassphraseDialog,
    ShortcutsDialog,
)
from inspector_app.gui.error_reporting import UnexpectedErrorDialog
from inspector_app.gui.export_dialog import AnswerOptionsDialog
from inspector_app.gui.fieldwork_files_page import ExportDialog
from inspector_app.gui.main_window import MainWindow
from inspector_app.gui.merge_window import MergeWindow
from inspector_app.gui.review_notes_panel import ReviewTextDialog
from inspector_app.gui.wizard import NewInspectionWizard
from tests.gui.conftest import demo, fieldwork  # noqa: F401  (fixtures)
from tests.gui_app.conftest import press
from tests.gui_app.test_wizard import (
    fill_inspection_page,
    fill_team_page,
    read_sample_file,
    walk_to_allocation,
)
from tests.gui_merge.conftest import (  # noqa: F401  (fixtures)
    conflicts_view,
    finish_background,
    merge_window,
    merged,
    team,
    team_source,
)
from tests.gui_merge.team_data import TeamDemo
from tests.gui_report.conftest import (  # noqa: F401  (fixtures)
    LeadDemo,
    errors,
    lead,
    lead_source,
    open_window,
)
from tests.keyboard_helpers import describe, focus_widget, walk

Key = Qt.Key


@pytest.fixture(autouse=True)
def _closing_keys() -> None:
    """Ctrl+W on every dialog, as the app sets it up when it starts (gui/app.py)."""
    close_keys.install()


def walks_round(window: QWidget, screen: str = "") -> None:
    """Tab, then Shift+Tab, from where the focus is: every control reached, nothing stuck,
    the focus always shown."""
    for backwards in (False, True):
        done = walk(window, backwards=backwards)
        where = f"{screen or describe(window)} ({'Shift+Tab' if backwards else 'Tab'})"
        assert not done.traps, f"{where}: stuck on {done.traps}; the way there: {done.names()}"
        assert not done.unshown, f"{where}: the focus cannot be seen on {done.unshown}"
        assert not done.ctrl_tab_exits, f"{where}: Tab is typed into {done.ctrl_tab_exits}"
        missing = done.missing()
        assert not missing, f"{where}: never reaches {missing}; the way: {done.names()}"


def closes_on(qtbot, window: QWidget, key: Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """The key, pressed where the window's focus is, closes it."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    QTest.keyClick(focus_widget(), key, modifier)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=5000)


def shown(qtbot, window: QWidget) -> QWidget:
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    return window


# -- the main window on a fieldwork file ------------------------------------------------------


@pytest.fixture
def inspector_window(qtbot, fieldwork: Path) -> Iterator[MainWindow]:  # noqa: F811
    """Daniel's fieldwork file in the main window, as he opens it."""
    win = open_window(qtbot, fieldwork)
    yield win
    win.close()
    wait_for_background()


def test_the_welcome_page(qtbot, fieldwork: Path) -> None:  # noqa: F811
    settings.remember_recent(fieldwork)
    win = shown(qtbot, MainWindow())
    assert win.welcome.recent.isVisible()
    walks_round(win, "welcome")
    win.close()


def test_the_case_list_and_every_section_of_a_case(qtbot, inspector_window: MainWindow) -> None:
    win = inspector_window
    walks_round(win, "case list")
    assert win.case_model is not None
    win.open_case(win.case_model.key_at(0) or "")
    assert win.review is not None and win.session is not None
    for section in win.session.framework.sections:
        win.review.show_section(section.code)
        win.review.focus_first_in_section()
        walks_round(win, f"case review, section {section.code}")


def test_the_case_review_with_its_profile(qtbot, inspector_window: MainWindow) -> None:
    win = inspector_window
    assert win.case_model is not None
    win.open_case(win.case_model.key_at(0) or "")
    win.profile_action.trigger()
    assert win.review is not None and win.review.profile_panel.isVisible()
    walks_round(win, "case review and profile")
    win.review.profile_panel.setFocus()
    walks_round(win, "profile panel")


# -- the lead's screens ---------------------------------------------------------------------------


@pytest.fixture
def lead_window(qtbot, lead: LeadDemo, errors: list) -> Iterator[MainWindow]:  # noqa: F811
    win = open_window(qtbot, lead.merged)
    yield win
    finish_background()
    win.close()
    finish_background()


def test_the_overview(qtbot, lead_window: MainWindow) -> None:
    lead_window.show_overview()
    view = lead_window.dashboard_view
    assert view is not None
    qtbot.waitUntil(lambda: view.dashboard is not None, timeout=15000)
    walks_round(lead_window, "overview")


def test_every_findings_page(qtbot, lead_window: MainWindow) -> None:
    lead_window.show_findings()
    view = lead_window.findings_view
    assert view is not None
    for index in range(view.tabs.count()):
        if not view.tabs.isTabVisible(index):
            continue
        view.tabs.setCurrentIndex(index)
        finish_background()
        view.tabs.tabBar().setFocus()
        walks_round(lead_window, f"findings, {view.tabs.tabText(index)}")


def test_every_part_of_the_report(qtbot, lead_window: MainWindow) -> None:
    lead_window.show_report()
    view = lead_window.report_view
    assert view is not None
    tabs = view.editor.tabs
    for index in range(tabs.count()):
        tabs.setCurrentIndex(index)
        tabs.setFocus()
        assert focus_widget() is view.editor.parts  # where the parts are chosen
        walks_round(lead_window, f"report, {tabs.tabText(index)}")


def test_the_report_once_generated(
    qtbot, lead_window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a PDF in the preview: its pages, zoom, printing and the system viewer too."""
    monkeypatch.setattr(
        report_view.SaveReportDialog, "ask", classmethod(lambda *_a: tmp_path / "report.pdf")
    )
    lead_window.show_report()
    view = lead_window.report_view
    assert view is not None
    with qtbot.waitSignal(view.generated, timeout=60000):
        assert view.generate_pdf()
    finish_background()
    assert view.print_button.isEnabled() and view.preview.page_count() > 1
    walks_round(lead_window, "report with its PDF")


def test_every_set_up_page(qtbot, lead_window: MainWindow) -> None:
    lead_window.show_setup()
    view = lead_window.setup_view
    assert view is not None
    for page in (view.team_page, view.board_page, view.sample_tab, view.files_page):
        view.tabs.setCurrentWidget(page)
        view.focus_current()
        walks_round(lead_window, f"set-up, {view.tabs.tabText(view.tabs.currentIndex())}")


def test_a_case_in_the_master(qtbot, lead_window: MainWindow) -> None:
    assert lead_window.case_model is not None
    lead_window.open_case(lead_window.case_model.key_at(0) or "")
    walks_round(lead_window, "case review in the master")


# -- the windows beside the main one -----------------------------------------------------------


def test_the_merge_window(qtbot, merge_window: MergeWindow, team: TeamDemo) -> None:  # noqa: F811
    walks_round(merge_window, "merge, empty")
    with qtbot.waitSignal(merge_window.previewReady, timeout=20000):
        merge_window.add_files(team.all_files)
    finish_background()
    merge_window.table.setFocus()
    walks_round(merge_window, "merge, with files")


@pytest.mark.parametrize(
    ("key", "modifier"),
    [
        (Key.Key_Escape, Qt.KeyboardModifier.NoModifier),
        (Key.Key_W, Qt.KeyboardModifier.ControlModifier),
    ],
)
def test_the_merge_window_closes_on(qtbot, merge_window: MergeWindow, key, modifier) -> None:  # noqa: F811
    merge_window.table.setFocus()
    closes_on(qtbot, merge_window, key, modifier)


def test_the_conflicts_window(qtbot, conflicts_view: ConflictsView) -> None:  # noqa: F811
    assert conflicts_view.detail.cards, "a conflict is shown with its answers"
    walks_round(conflicts_view, "conflicts")
    chain = walk(conflicts_view).chain
    takes = [card.take_button for card in conflicts_view.detail.cards]
    # The answers' Take buttons come after the list, in the order they read.
    first = chain.index(conflicts_view.table)
    assert [chain.index(b) for b in takes] == sorted(chain.index(b) for b in takes)
    assert all(chain.index(b) > first for b in takes)
    assert chain.index(conflicts_view.detail.another_button) > chain.index(takes[-1])


@pytest.mark.parametrize(
    ("key", "modifier"),
    [
        (Key.Key_Escape, Qt.KeyboardModifier.NoModifier),
        (Key.Key_W, Qt.KeyboardModifier.ControlModifier),
    ],
)
def test_the_conflicts_window_closes_on(
    qtbot,
    conflicts_view: ConflictsView,  # noqa: F811
    key,
    modifier,
) -> None:
    closes_on(qtbot, conflicts_view, key, modifier)


# -- the new-inspection wizard, page by page --------------------------------------------------


def test_every_page_of_the_wizard(
    qtbot, good_sample: Path, out_folder: Path, tmp_path: Path
) -> None:
    wiz = shown(qtbot, NewInspectionWizard())
    page = wiz.inspection_page
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.organisation)
    walks_round(wiz, "wizard, the inspection")
    fill_inspection_page(wiz, encrypt=True)
    walks_round(wiz, "wizard, the team")
    fill_team_page(wiz)
    walks_round(wiz, "wizard, the sample")
    read_sample_file(qtbot, wiz, good_sample)
    walks_round(wiz, "wizard, the sample read")
    wiz.next()
    walk_to_allocation(qtbot, wiz)
    walks_round(wiz, "wizard, the allocation")
    wiz.next()
    assert wiz.currentId() == wiz.PAGE_FIELDWORK
    walks_round(wiz, "wizard, the fieldwork files")
    files_page = wiz.fieldwork_page
    files_page.folder.setText(str(out_folder))
    for name, edit in files_page.passphrases.items():
        edit.setText(f"{name} on site")
    wiz.next()
    assert wiz.currentId() == wiz.PAGE_SAVE
    walks_round(wiz, "wizard, where to save")
    wiz.save_page.path.setText(str(tmp_path / "Merseyside-master"))
    wiz.save_page.path.setFocus()
    press(Key.Key_Return)  # Create the inspection
    qtbot.waitUntil(lambda: wiz.currentId() == wiz.PAGE_DONE, timeout=30000)
    walks_round(wiz, "wizard, done")


@pytest.mark.parametrize(
    ("key", "modifier"),
    [
        (Key.Key_Escape, Qt.KeyboardModifier.NoModifier),
        (Key.Key_W, Qt.KeyboardModifier.ControlModifier),
    ],
)
def test_the_wizard_closes_on(qtbot, key, modifier) -> None:
    wiz = shown(qtbot, NewInspectionWizard())
    closes_on(qtbot, wiz, key, modifier)
    assert wiz.result() == wiz.DialogCode.Rejected


# -- dialogs -------------------------------------------------------------------------------------


def _dialogs(path: Path) -> dict[str, Callable[[], QWidget]]:
    """Each dialog as the window opens it, on Daniel's file (a real answer's history)."""
    with InspectionFile.open(path, readonly=True) as file:
        case = next(c for c in load_cases(file) if c.answers)
        code = next(iter(case.answers))
        question = file.framework.question(code)
        entries = answer_history(file, case.key, code)
        scale = file.framework.scale_of(question)
    return {
        "passphrase": lambda: PassphraseDialog(None, path.name, "Wrong passphrase."),
        "missing items": lambda: MissingItemsDialog(
            None, case.label, [(f"{code}: no answer", code), (f"{code}: no note", code)]
        ),
        "history": lambda: HistoryDialog(None, question.text, entries, scale),
        "shortcuts": lambda: ShortcutsDialog(
            None, [KeyHelp("Ctrl+O", "Open a file"), KeyHelp("F1", "This list")]
        ),
        "settling a conflict": lambda: ResolveDialog(
            None,
            title="Enter another answer",
            context=question.text,
            choices=[("Yes", "yes"), ("No", "no")],
        ),
        "settling in words": lambda: ResolveDialog(
            None, title="Enter another answer", context=question.text, free_text=True
        ),
        "about": lambda: AboutDialog(None),
        "writing fieldwork files": lambda: ExportDialog(
            None, ["Daniel Okafor", "Priya Raman"], path.parent, True
        ),
        "a review note": lambda: ReviewTextDialog(None, "Review note", question.text, "Check"),
        "an unexpected error": lambda: UnexpectedErrorDialog(
            None, "The figures could not be drawn", "Traceback", path.parent / "inspector.log"
        ),
        "exporting answers": lambda: AnswerOptionsDialog(None),
        "a message": lambda: _message(path.name),
    }


def _message(name: str) -> QMessageBox:
    """A message as ErrorDialog shows one (it waits in exec(); this one is only shown)."""
    box = QMessageBox(QMessageBox.Icon.Warning, "Cannot open the file", f"{name}: not found")
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    return box


@pytest.mark.parametrize(
    "name",
    [
        "passphrase",
        "missing items",
        "history",
        "shortcuts",
        "settling a conflict",
        "settling in words",
        "about",
        "writing fieldwork files",
        "a review note",
        "an unexpected error",
        "exporting answers",
        "a message",
    ],
)
def test_every_dialog(qtbot, fieldwork: Path, name: str) -> None:  # noqa: F811
    make = _dialogs(fieldwork)[name]
    walks_round(shown(qtbot, make()), name)
    for key, modifier in (
        (Key.Key_Escape, Qt.KeyboardModifier.NoModifier),
        (Key.Key_W, Qt.KeyboardModifier.ControlModifier),
    ):
        closes_on(qtbot, shown(qtbot, make()), key, modifier)


# -- the walker itself -------------------------------------------------------------------------


def test_the_walker_finds_what_a_keyboard_user_would_meet(qtbot) -> None:
    """A text box that types Tab, a button Tab never reaches and one that is hidden."""
    window = QWidget()
    layout = QVBoxLayout(window)
    first, notes, unreachable, hidden = (
        QPushButton("First"),
        QPlainTextEdit(),
        QPushButton("Mouse only"),
        QPushButton("Hidden"),
    )
    unreachable.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
    for widget in (first, notes, unreachable, hidden):
        layout.addWidget(widget)
    shown(qtbot, window)
    hidden.hide()
    first.setFocus()
    done = walk(window)
    assert done.chain == [first, notes]
    assert done.traps == ["QPlainTextEdit ''"]  # Ctrl+Tab does not leave it either
    assert done.missing() == ["QPushButton 'Mouse only'"]
    notes.setTabChangesFocus(True)
    first.setFocus()
    done = walk(window)
    assert done.chain == [first, notes] and not done.traps
