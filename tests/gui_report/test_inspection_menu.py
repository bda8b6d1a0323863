"""The Inspection menu of the main window: only for a master; Merge and Conflicts open their
windows; a merge refreshes the case list, the figures and an open case in place; an undo of a
merge finds nothing holding the old master, and everything opens it again afterwards."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from inspector_app.core.cases.case_data import COMPLETE, load_case
from inspector_app.core.files.fieldwork_export import export_fieldwork
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.findings.figures import compute_findings
from inspector_app.core.revisions.log import latest_stamp
from inspector_app.gui import conflicts_view as conflicts_module
from inspector_app.gui import merge_window as merge_module
from inspector_app.gui.dialogs import PassphraseDialog
from inspector_app.gui.main_window import MainWindow
from inspector_app.gui.merge_window import NOTHING_NEW, READY, REFUSED, MergeWindow
from inspector_app.gui.models import CaseListModel
from tests.gui_report.conftest import finish_background, open_window


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


def test_the_inspection_menu_is_enabled_only_for_a_master(qtbot, lead, errors) -> None:
    window = open_window(qtbot, lead.fieldwork[0])
    assert not window.inspection_menu.isEnabled()
    assert not any(a.isEnabled() for a in lead_actions(window))
    window.findings_action.trigger()  # the shortcut does nothing either
    assert window.stack.currentWidget() is window.case_list
    with qtbot.waitSignal(window.casesLoaded, timeout=15000):
        assert window.open_file(lead.merged)
    assert window.inspection_menu.isEnabled()
    assert all(a.isEnabled() for a in lead_actions(window))
    qtbot.waitUntil(lambda: window.conflicts_action.text() == "&Conflicts (none open)…")
    window.report_action.trigger()
    assert window.stack.currentWidget() is window.report_view
    assert window.back_action.isEnabled()
    window.back_action.trigger()
    assert window.stack.currentWidget() is window.case_list
    with qtbot.waitSignal(window.casesLoaded, timeout=15000):
        assert window.open_file(lead.fieldwork[1])
    assert not window.inspection_menu.isEnabled()
    assert window.findings_view.path is None and window.report_view.file is None
    finish_background()
    window.close()
    finish_background()
    assert errors == []


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


def test_an_encrypted_fieldwork_file_is_merged_with_its_passphrase(
    qtbot, master_window: MainWindow, lead, monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    window = master_window
    secret = tmp_path / "secret"
    secret.mkdir()
    exported = export_fieldwork(window.file, "Daniel Okafor", secret, passphrase="pass phrase")
    merge = window.show_merge_window()
    with qtbot.waitSignal(merge.previewReady, timeout=20000):
        merge.add_files([exported.path])
    row = merge.model.rows()[0]
    assert row.state == REFUSED and "passphrase" in merge.model.index(0, 5).data()
    merge.table.setCurrentIndex(merge.model.index(0, 0))
    assert merge.passphrase_button.isEnabled()
    monkeypatch.setattr(
        PassphraseDialog, "ask", classmethod(lambda cls, parent, name, problem="": "pass phrase")
    )
    with qtbot.waitSignal(merge.previewReady, timeout=20000):
        qtbot.keyClick(merge.table, Qt.Key.Key_Return)  # Enter on the row asks for it too
    assert merge.model.rows()[0].state in (READY, NOTHING_NEW)
    assert merge.passphrases == {exported.path: "pass phrase"}


def test_merging_while_a_file_waits_for_its_passphrase_is_an_explicit_choice(
    qtbot, master_window: MainWindow, lead, monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    from inspector_app.gui.merge_window import MergeOthersDialog

    window = master_window
    secret = tmp_path / "secret"
    secret.mkdir()
    locked = export_fieldwork(window.file, "Daniel Okafor", secret, passphrase="pass phrase")
    merge = window.show_merge_window()
    with qtbot.waitSignal(merge.previewReady, timeout=20000):
        merge.add_files([locked.path, lead.fieldwork[1]])
    assert merge.merge_button.isEnabled()
    assert merge.merge_button.text() == "&Merge the others…"
    asked: list[list[str]] = []
    monkeypatch.setattr(
        MergeOthersDialog, "ask", classmethod(lambda cls, parent, waiting: asked.append(waiting))
    )
    assert not merge.merge()  # "Give the passphrase first": nothing merged
    assert asked == [[locked.path.name]]
    assert window.file.db.raw.execute("SELECT count(*) FROM revision").fetchone()[0] == 0


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

    merge = window.show_merge_window()
    with qtbot.waitSignal(merge.previewReady, timeout=20000):
        merge.add_files(lead.fieldwork)
    with qtbot.waitSignal(window.casesLoaded, timeout=30000):
        assert merge.merge()

    assert window.file is old_file  # refreshed in place: the file was not closed
    assert window.stack.currentWidget() is window.review
    assert window.review.case_key == case_key
    shown = {code: answer.value for code, answer in window.review.case.answers.items()}
    assert shown == {code: answer.value for code, answer in answers.items()}
    merge.close()


def _answered(file: InspectionFile, case_key: str) -> bool:
    return bool(load_case(file, case_key).answers)
