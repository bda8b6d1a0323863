"""The Inspection menu of the main window: only for a master; its keys reach each of the lead's
screens and a change made on one reaches the others; Merge and Conflicts open their windows; a
merge refreshes the case list, the figures and an open case in place; an undo of a merge finds
nothing holding the old master, and everything opens it again afterwards, on the screen the
lead was on."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from inspector_app.core.cases.case_data import COMPLETE, load_case, load_cases, status_of
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.files.merge_copy import snapshot_path
from inspector_app.core.findings.figures import compute_findings
from inspector_app.core.narrative.parts import load_narrative
from inspector_app.core.revisions.log import latest_stamp
from inspector_app.core.storage import database as storage_database
from inspector_app.gui import conflicts_view as conflicts_module
from inspector_app.gui import merge_window as merge_module
from inspector_app.gui import report_view
from inspector_app.gui.dashboard_view import DashboardView
from inspector_app.gui.dialogs import ConfirmMoveDialog, ConfirmPurgeDialog
from inspector_app.gui.main_window import FAILED_TEXT, PENDING_TEXT, SAVED_TEXT, MainWindow
from inspector_app.gui.merge_window import MergeWindow
from inspector_app.gui.models import CaseListModel
from inspector_app.gui.review_notes_panel import ReviewTextDialog
from inspector_app.gui.setup_view import SetupView
from tests.conftest import damage_index
from tests.gui_report.conftest import finish_background, open_window

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def completed(window: MainWindow) -> int:
    model = window.case_model
    return sum(
        1
        for row in range(model.rowCount())
        if model.index(row, 0).data(CaseListModel.StatusRole) == COMPLETE
    )


def lead_actions(window: MainWindow):
    return (
        window.cases_action,
        window.findings_action,
        window.report_action,
        window.merge_action,
        window.conflicts_action,
    )


@pytest.fixture
def master_window(qtbot, lead, errors):
    """The main window on the master before anything was merged."""
    win = open_window(qtbot, lead.master)
    yield win
    finish_background()
    win.close()
    finish_background()


def lead_key(window: MainWindow, letter: str) -> None:
    """One of the lead's Ctrl+Shift keys, pressed in the window."""
    QTest.keyClick(window, getattr(Qt.Key, f"Key_{letter}"), CTRL_SHIFT)


def merge_all(qtbot, window: MainWindow, files: list[Path]) -> MergeWindow:
    """The Merge window from the menu, the files previewed and merged, the cases read again."""
    merge = window.show_merge_window()
    assert merge is not None
    with qtbot.waitSignal(merge.previewReady, timeout=20000):
        merge.add_files(files)
    with qtbot.waitSignal(window.casesLoaded, timeout=30000):
        assert merge.merge()
    return merge


def close_cleanly(window: MainWindow, errors: list) -> None:
    """The master closed, its background work done, and no error shown on the way."""
    window.close_file()
    finish_background()
    assert errors == []


def identities(path: Path) -> int:
    with InspectionFile.open(path, readonly=True) as file:
        return file.db.raw.execute("SELECT count(*) FROM case_identity").fetchone()[0]


def test_the_lead_reaches_each_screen_from_the_inspection_menu_and_each_follows_the_others(
    qtbot, lead, errors, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What each screen does is tested on the screen alone (tests/widgets); here, the menu
    and its keys reach them, only for a master, and a change made on one reaches the others
    and the status bar."""
    window = open_window(qtbot, lead.fieldwork[0])
    assert not window.inspection_menu.isEnabled()
    assert not any(a.isEnabled() for a in lead_actions(window))
    window.findings_action.trigger()  # the shortcut does nothing either
    assert window.stack.currentWidget() is window.case_list
    with qtbot.waitSignal(window.casesLoaded, timeout=15000):
        assert window.open_file(lead.merged)
    assert window.inspection_menu.isEnabled()
    assert all(a.isEnabled() for a in lead_actions(window))
    assert window.stack.currentWidget() is window.dashboard_view  # a master opens on it
    qtbot.waitUntil(lambda: window.conflicts_action.text() == "&Conflicts (none open)…")

    # Findings: an edit made in the window is counted again on screen.
    with qtbot.waitSignal(window.findings_view.loaded, timeout=15000):
        lead_key(window, "F")
    assert window.stack.currentWidget() is window.findings_view
    before = window.findings_view.findings.cases_counted
    with InspectionFile.open(lead.merged, readonly=True) as file:
        key = next(c.key for c in load_cases(file) if status_of(c) == COMPLETE)
    with qtbot.waitSignal(window.findings_view.loaded, timeout=15000):
        assert window.session.set_complete(key, False)  # reopened: no longer counted
    assert window.findings_view.findings.cases_counted == before - 1

    # Report: the narrative's saving shows in the status bar, its failures in a dialog.
    lead_key(window, "R")
    assert window.stack.currentWidget() is window.report_view
    editor = window.report_view.editor
    editor.judgement_edit.setFocus()
    qtbot.keyClicks(editor.judgement_edit, "good")
    assert window.save_label.text() == PENDING_TEXT
    qtbot.waitUntil(lambda: window.save_label.text() == SAVED_TEXT, timeout=5000)
    editor.saveStateChanged.emit("failed")
    assert window.save_label.text() == FAILED_TEXT
    editor.failed.emit("disk I/O error")
    assert errors[-1][0] == f"Your last change to {lead.merged.name} was not saved"
    settings_asked: list[object] = []
    monkeypatch.setattr(
        report_view.ReportSettingsDialog,
        "ask",
        classmethod(lambda cls, parent, file: settings_asked.append(file)),
    )
    QTest.keyClick(window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    assert settings_asked == [window.file]
    assert window.back_action.isEnabled()
    window.back_action.trigger()
    assert window.stack.currentWidget() is window.case_list

    # Set-up: the keyboard in its list; a case passed on is shown so in the case list.
    lead_key(window, "T")
    setup = window.setup_view
    assert window.stack.currentWidget() is setup
    assert QApplication.focusWidget() is setup.team_page.table
    monkeypatch.setattr(ConfirmMoveDialog, "ask", classmethod(lambda cls, *a: True))
    setup.tabs.setCurrentWidget(setup.board_page)
    first, second = [p.name for p in setup.board_page.readers() if p.first_reads][:2]
    column = setup.board_page.column_of(first)
    column.setFocus()
    column.setCurrentRow(0)
    number = column.sample_numbers()[0]
    QTest.keyClick(column, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    rows = {row.summary.sample_no: row for row in window.case_model._rows}
    assert rows[number].summary.assessor == second

    # A case: a review note on the question in focus, and the sign-off.
    case_key = window.file.case_key_for(number)
    window.open_case(case_key, "0.1")
    monkeypatch.setattr(ReviewTextDialog, "ask", classmethod(lambda cls, *a, **k: "Why?"))
    lead_key(window, "N")
    assert [n.text for n in window.review.review_panel.notes] == ["Why?"]
    lead_key(window, "V")
    assert "Reviewed by Helen Ashworth" in window.review.status_label.text()

    # File > Remove names and CRNs, only once the lead confirms.
    asked: list[bool] = []
    monkeypatch.setattr(
        ConfirmPurgeDialog, "ask", classmethod(lambda cls, p, name, final: asked.append(final))
    )
    held = identities(lead.merged)
    assert window.purge_action.isEnabled() and held > 0
    window.purge_action.trigger()  # "Keep them"
    assert asked == [False] and identities(lead.merged) == held
    monkeypatch.setattr(ConfirmPurgeDialog, "ask", classmethod(lambda cls, p, name, final: True))
    window.purge_action.trigger()
    assert identities(lead.merged) == 0
    assert "Removed the names and CRNs" in window.statusBar().currentMessage()

    # Closing the master saves words still being typed in the report.
    lead_key(window, "R")
    editor.foreword_edit.setFocus()
    qtbot.keyClicks(editor.foreword_edit, "Typed just before closing.")
    assert window.close_file()
    with InspectionFile.open(lead.merged, readonly=True) as file:
        assert load_narrative(file).foreword == "Typed just before closing."

    with qtbot.waitSignal(window.casesLoaded, timeout=15000):
        assert window.open_file(lead.fieldwork[1])
    assert not window.inspection_menu.isEnabled()
    assert window.findings_view.path is None and window.report_view.file is None
    finish_background()
    window.close()
    finish_background()


def test_a_merge_refreshes_the_cases_and_figures_and_an_undo_reopens_the_master(
    qtbot, master_window: MainWindow, lead, monkeypatch: pytest.MonkeyPatch, errors
) -> None:
    window = master_window
    assert completed(window) == 0
    with qtbot.waitSignal(window.findings_view.loaded, timeout=15000):
        window.findings_action.trigger()
    assert window.findings_view.findings.cases_counted == 0

    merge = window.show_merge_window()
    assert isinstance(merge, MergeWindow) and merge.isVisible() and merge.isWindow()
    assert window.show_merge_window() is merge  # the menu brings the same window forward
    with qtbot.waitSignal(merge.previewReady, timeout=20000):
        merge.add_files(lead.fieldwork)
    old_file = window.file
    with (
        qtbot.waitSignal(window.casesLoaded, timeout=30000),
        qtbot.waitSignal(window.findings_view.loaded, timeout=30000),
    ):
        assert merge.merge()
    # the same master stays open, on the screen the lead was on, its clock past what came in,
    # with nothing to undo that would write over what came in
    assert window.file is old_file
    assert window.session.undo_stack.count() == 0
    with InspectionFile.open(lead.master, readonly=True) as file:
        newest = latest_stamp(file.db.raw)
    assert window.file.clock.tick() > newest
    assert window.stack.currentWidget() is window.findings_view
    with InspectionFile.open(lead.master, readonly=True) as file:
        expected = compute_findings(file)
    assert window.findings_view.findings.cases_counted == expected.cases_counted > 0
    assert completed(window) == expected.cases_counted

    monkeypatch.setattr(merge_module.ConfirmUndoDialog, "ask", classmethod(lambda cls, *a: True))
    conflicts = window.show_conflicts()
    assert conflicts is not None and conflicts.isWindow()
    with (
        qtbot.waitSignal(merge.undone, timeout=30000),
        qtbot.waitSignal(window.casesLoaded, timeout=30000),
    ):
        assert merge.undo_last_merge()
        assert window.file is None and conflicts.file is None  # nothing holds the master
    assert window.file is not None and window.file.is_master
    assert conflicts.file is not None
    assert window.stack.currentWidget() is window.findings_view
    assert completed(window) == 0
    # The reopened master's figures are computed in the background: none until they arrive.
    qtbot.waitUntil(
        lambda: getattr(window.findings_view.findings, "cases_counted", None) == 0, timeout=15000
    )
    assert errors == []


def test_the_conflicts_window_and_the_count_in_the_menu(
    qtbot, lead, errors, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_window(qtbot, lead.conflicted)
    qtbot.waitUntil(lambda: window.conflicts_action.text() == "&Conflicts (1 open)…")
    with qtbot.waitSignal(window.findings_view.loaded, timeout=15000):
        window.show_findings()
    assert window.findings_view.findings.disputed
    view = window.show_conflicts()
    assert view is not None and view.isWindow() and view.windowTitle().startswith("Conflicts")
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=15000)
    monkeypatch.setattr(
        conflicts_module.ResolveDialog,
        "ask",
        classmethod(lambda cls, parent, **kw: conflicts_module.Resolution("Agreed at QA.")),
    )
    with qtbot.waitSignal(window.findings_view.loaded, timeout=15000):
        assert view.take_head(0)
    assert window.conflicts_action.text() == "&Conflicts (none open)…"
    assert not window.findings_view.findings.disputed
    window.close_file()
    assert not view.isVisible()  # the tool windows close with the master
    finish_background()
    window.close()
    finish_background()
    assert errors == []


def test_a_master_opens_with_the_keyboard_on_its_overview(qtbot, lead, errors) -> None:
    """Opened from the welcome page, the lead's first key moves in the overview's figures,
    not into nothing (the first Tab landed on the Refresh button)."""
    window = open_window(qtbot, lead.master)
    assert window.stack.currentWidget() is window.dashboard_view
    assert QApplication.focusWidget() is window.dashboard_view.table
    close_cleanly(window, errors)


def test_counting_cases_in_progress_is_one_choice_on_findings_and_report(
    qtbot, lead, errors
) -> None:
    """The same words on two screens must not show two different sets of figures."""
    window = open_window(qtbot, lead.master)
    findings, report = window.findings_view, window.report_view
    assert not findings.in_progress_box.isChecked() and not report.in_progress_box.isChecked()
    report.in_progress_box.setChecked(True)
    assert findings.in_progress_box.isChecked()
    findings.in_progress_box.setChecked(False)
    assert not report.in_progress_box.isChecked()
    close_cleanly(window, errors)


def test_the_merge_and_conflicts_windows_do_not_check_the_open_master_again_on_the_window(
    qtbot, lead, errors, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The main window checked the master for damage as it opened it; the check reads the
    whole file (seconds at 100,000 cases), so the tool windows opened beside it must not make
    the window wait for it again, neither opening nor reading the conflicts."""
    checks: list[bool] = []  # one per whole-file check: made on the window's thread?
    real = storage_database.quick_check

    def counted(raw: object, path: Path) -> None:
        checks.append(threading.current_thread() is threading.main_thread())
        real(raw, path)

    monkeypatch.setattr(storage_database, "quick_check", counted)
    window = open_window(qtbot, lead.conflicted)
    assert checks == [True]  # opening the master itself is checked
    checks.clear()
    view = window.show_conflicts()
    assert view is not None
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=15000)
    view.reload()
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=15000)
    merge = window.show_merge_window()
    assert isinstance(merge, MergeWindow) and merge.isVisible()
    finish_background()
    assert checks == []
    close_cleanly(window, errors)


def test_a_master_found_damaged_after_an_undo_is_not_kept_open_by_the_conflicts_window(
    qtbot, lead, errors, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Conflicts window reads the master without checking it again (the main window did):
    when the copy an undo put back is damaged, the main window refuses it, and the Conflicts
    window must not go on writing to it."""
    window = open_window(qtbot, lead.master)
    merge = merge_all(qtbot, window, lead.fieldwork)
    conflicts = window.show_conflicts()
    assert conflicts is not None
    finish_background()
    damage_index(snapshot_path(lead.master), "sqlite_autoindex_merge_mark_1")
    monkeypatch.setattr(merge_module.ConfirmUndoDialog, "ask", classmethod(lambda cls, *a: True))
    with qtbot.waitSignal(merge.undone, timeout=30000):
        assert merge.undo_last_merge()
    finish_background()
    assert window.file is None
    assert errors and "damaged" in errors[0][1]
    assert conflicts.file is None and not conflicts.isVisible()
    merge.close()
    finish_background()


def test_a_case_open_during_a_merge_shows_what_came_in(
    qtbot, master_window: MainWindow, lead
) -> None:
    window = master_window
    with InspectionFile.open(lead.merged, readonly=True) as merged:
        case_key = next(
            key for key in (merged.case_key_for(n) for n in range(1, 60)) if _answered(merged, key)
        )
        answers = load_case(merged, case_key).answers
    window.open_case(case_key)
    assert window.stack.currentWidget() is window.review
    assert window.review.case is not None and not window.review.case.answers
    old_file = window.file

    merge = merge_all(qtbot, window, lead.fieldwork)

    assert window.file is old_file  # refreshed in place: the file was not closed
    assert window.stack.currentWidget() is window.review
    assert window.review.case_key == case_key
    shown = {code: answer.value for code, answer in window.review.case.answers.items()}
    assert shown == {code: answer.value for code, answer in answers.items()}
    merge.close()


def _answered(file: InspectionFile, case_key: str) -> bool:
    return bool(load_case(file, case_key).answers)


def on_screen(window: MainWindow, kind: type[QWidget]) -> bool:
    """Whether a screen of this kind is what the window shows (whichever part holds it)."""
    return any(screen.isVisible() for screen in window.findChildren(kind))


@pytest.mark.parametrize("screen", ["overview", "set-up"])
def test_undoing_a_merge_returns_to_the_overview_or_set_up_screen_shown(
    qtbot, master_window: MainWindow, lead, monkeypatch: pytest.MonkeyPatch, screen: str
) -> None:
    window = master_window
    kind: type[QWidget] = DashboardView if screen == "overview" else SetupView
    show = window.show_overview if screen == "overview" else window.show_setup
    merge = merge_all(qtbot, window, lead.fieldwork)
    window.show_case_list()
    assert not on_screen(window, kind)
    show()
    assert on_screen(window, kind)
    monkeypatch.setattr(merge_module.ConfirmUndoDialog, "ask", classmethod(lambda cls, *a: True))
    with (
        qtbot.waitSignal(merge.undone, timeout=30000),
        qtbot.waitSignal(window.casesLoaded, timeout=30000),
    ):
        assert merge.undo_last_merge()
    assert window.file is not None and window.file.is_master  # the master open again...
    assert on_screen(window, kind)  # ... on the screen the lead was on
    merge.close()
