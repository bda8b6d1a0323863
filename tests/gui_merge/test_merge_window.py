"""The Merge window: adding files (dialog, drop), the dry-run preview, refusals in words,
merging off the UI thread with progress and cancel, the summary, and undo."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtTest import QTest

from inspector_app.core.cases.case_data import load_cases
from inspector_app.core.errors import InspectorError
from inspector_app.core.files.fieldwork_export import export_fieldwork
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.files.merge_copy import snapshot_path
from inspector_app.core.merge.run import MergeCancelled, SourceOutcome
from inspector_app.gui import merge_window as merge_module
from inspector_app.gui.conflicts_view import ConflictsView
from inspector_app.gui.dialogs import ErrorDialog, PassphraseDialog
from inspector_app.gui.merge_window import (
    MERGED,
    NOTHING_NEW,
    READY,
    REFUSED,
    AddFilesDialog,
    ConfirmUndoDialog,
    MergeOthersDialog,
    MergePreviewModel,
    MergeWindow,
    ProgressBridge,
)
from tests.gui_merge.conftest import finish_background
from tests.gui_merge.team_data import TeamDemo
from tests.merge_helpers import content

M = MergePreviewModel
TIMEOUT = 20000


def cell(win: MergeWindow, row: int, column: int, role: int = Qt.ItemDataRole.DisplayRole):
    return win.model.index(row, column).data(role)


def column(win: MergeWindow, col: int) -> list:
    return [cell(win, r, col) for r in range(win.model.rowCount())]


def add_and_preview(qtbot, win: MergeWindow, paths: list[Path]) -> None:
    with qtbot.waitSignal(win.previewReady, timeout=TIMEOUT):
        win.add_files(paths)


def answers_of(path: Path) -> dict[tuple[int, str], tuple[str | None, str]]:
    with InspectionFile.open(path, readonly=True) as file:
        return {
            (case.sample_no, code): (a.value, a.note)
            for case in load_cases(file)
            for code, a in case.answers.items()
        }


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        ErrorDialog,
        "ask",
        classmethod(lambda cls, parent, title, message, detail="": shown.append((title, message))),
    )
    return shown


# -- the model -------------------------------------------------------------------------------


def test_preview_model_passes_the_model_tester(qtmodeltester, tmp_path: Path) -> None:
    model = MergePreviewModel()
    qtmodeltester.check(model)
    a, b, c = (tmp_path / f"{n}.inspection" for n in "abc")
    assert model.add_paths([a, b, a]) == [a, b]
    model.add_paths([c])
    model.set_outcomes(
        [
            SourceOutcome(str(a), "Daniel Okafor", 10, 2, 1),
            SourceOutcome(str(b), None, refusal="b.inspection: not an inspection file"),
            SourceOutcome(str(c), "Tom Gallagher"),
        ],
        merged=False,
    )
    qtmodeltester.check(model)
    assert [model.index(r, M.COL_STATUS).data() for r in range(3)] == [
        "Ready to merge, 1 conflict to settle",
        "Refused: not an inspection file",
        "Nothing new: the master already has all of it",
    ]
    assert [model.index(r, 0).data(M.StateRole) for r in range(3)] == [READY, REFUSED, NOTHING_NEW]
    assert model.index(1, M.COL_STATUS).data(Qt.ItemDataRole.ToolTipRole).startswith("b.insp")
    model.remove_rows([1])
    model.set_state("checking")
    model.clear()
    qtmodeltester.check(model)


def test_progress_bridge_crosses_threads() -> None:
    bridge = ProgressBridge()
    worker = threading.Thread(target=lambda: bridge.report(3, 8, "Merging x"))
    worker.start()
    worker.join()
    assert bridge.snapshot() == (3, 8, "Merging x")
    assert not bridge.is_cancelled()
    bridge.cancel()
    assert bridge.is_cancelled()


# -- adding files and the preview ------------------------------------------------------------


def test_adding_files_previews_each_without_writing(
    qtbot, merge_window: MergeWindow, team: TeamDemo, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = content(team.master)
    monkeypatch.setattr(
        AddFilesDialog, "ask", classmethod(lambda cls, parent, start=None: list(team.all_files))
    )
    assert not merge_window.merge_button.isEnabled()  # nothing to merge yet
    with qtbot.waitSignal(merge_window.previewReady, timeout=TIMEOUT):
        QTest.keyClick(merge_window, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    assert column(merge_window, M.COL_FILE) == [p.name for p in team.all_files]
    assert column(merge_window, M.COL_OWNER) == [
        "Daniel Okafor",
        "Priya Raman",
        "Tom Gallagher",
        "Helen Ashworth",
    ]
    assert all(int(n) > 0 for n in column(merge_window, M.COL_NEW))
    assert column(merge_window, M.COL_CASES)[3] == "2"  # the lead's two double-read cases
    # The lead's double reading disagrees twice with Daniel and once with Priya: each file
    # counts the conflicts it takes part in; the summary counts each conflict once.
    assert column(merge_window, M.COL_CONFLICTS) == ["2", "1", "0", "3"]
    assert column(merge_window, M.COL_STATUS)[3] == "Ready to merge, 3 conflicts to settle"
    assert "raise 3 conflicts" in merge_window.summary.text()
    assert merge_window.merge_button.isEnabled()
    assert content(team.master) == before  # a preview writes nothing
    assert not snapshot_path(team.master).exists()

    # The same file twice is listed once; removing a row re-previews the rest.
    assert merge_window.add_files([team.lead]) == []
    merge_window.table.setFocus()
    merge_window.table.clearSelection()
    merge_window.table.selectRow(0)
    with qtbot.waitSignal(merge_window.previewReady, timeout=TIMEOUT):
        QTest.keyClick(merge_window.table, Qt.Key.Key_Delete)
    assert column(merge_window, M.COL_OWNER) == ["Priya Raman", "Tom Gallagher", "Helen Ashworth"]
    assert column(merge_window, M.COL_CONFLICTS) == ["1", "0", "1"]  # Daniel's file is gone


def drag_event(kind: type, mime: QMimeData, buttons: Qt.MouseButton) -> QDropEvent:
    """A drag or drop event at one point (PySide6 6.12 takes a QPointF, 6.11 a QPoint)."""
    for point in (QPointF(20, 20), QPoint(20, 20)):
        try:
            return kind(
                point, Qt.DropAction.CopyAction, mime, buttons, Qt.KeyboardModifier.NoModifier
            )
        except TypeError:
            continue
    raise AssertionError(f"cannot make a {kind.__name__}")


def test_dropping_files_and_folders_adds_them(
    qtbot, merge_window: MergeWindow, team: TeamDemo
) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(team.team[2]))])
    enter = drag_event(QDragEnterEvent, mime, Qt.MouseButton.LeftButton)
    merge_window.dragEnterEvent(enter)
    assert enter.isAccepted()
    with qtbot.waitSignal(merge_window.previewReady, timeout=TIMEOUT):
        merge_window.dropEvent(drag_event(QDropEvent, mime, Qt.MouseButton.NoButton))
    assert column(merge_window, M.COL_OWNER) == ["Tom Gallagher"]

    # A dropped folder (a USB stick) adds its inspection files, never the master itself.
    folder = QMimeData()
    folder.setUrls([QUrl.fromLocalFile(str(team.folder))])
    with qtbot.waitSignal(merge_window.previewReady, timeout=TIMEOUT):
        merge_window.dropEvent(drag_event(QDropEvent, folder, Qt.MouseButton.NoButton))
    assert sorted(column(merge_window, M.COL_FILE)) == sorted(p.name for p in team.all_files)

    # Anything but local files is not taken.
    text = QMimeData()
    text.setText("Merseyside")
    refused = drag_event(QDragEnterEvent, text, Qt.MouseButton.LeftButton)
    merge_window.dragEnterEvent(refused)
    assert not refused.isAccepted()


def test_a_junk_file_is_refused_in_words(
    qtbot, merge_window: MergeWindow, team: TeamDemo, junk: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_and_preview(qtbot, merge_window, [team.team[0], junk])
    status = column(merge_window, M.COL_STATUS)
    assert status[0].startswith("Ready to merge")
    assert status[1].startswith("Refused: not an inspection file")
    assert junk.name not in status[1]  # the File column names it
    assert cell(merge_window, 1, M.COL_NEW) == ""
    assert cell(merge_window, 1, 0, M.StateRole) == REFUSED
    assert "1 file refused" in merge_window.summary.text()
    assert merge_window.merge_button.isEnabled()  # the good file can still be merged
    # Unreadable without a passphrase (junk and encrypted look alike): leaving it out is the
    # lead's explicit choice.
    assert merge_window.merge_button.text() == "&Merge the others…"
    asked: list[list[str]] = []
    monkeypatch.setattr(
        MergeOthersDialog,
        "ask",
        classmethod(lambda cls, parent, waiting: asked.append(list(waiting)) or True),
    )
    with qtbot.waitSignal(merge_window.mergeFinished, timeout=TIMEOUT):
        merge_window.merge()
    assert asked == [[junk.name]]
    assert column(merge_window, M.COL_STATUS)[1].startswith("Refused: ")
    assert cell(merge_window, 0, 0, M.StateRole) == MERGED
    assert "1 file refused, nothing taken from it" in merge_window.summary.text()


def test_a_master_that_is_not_a_master_is_refused(qtbot, team: TeamDemo, errors) -> None:
    with pytest.raises(InspectorError, match="fieldwork file"):
        MergeWindow(team.lead)
    assert MergeWindow.open_for(team.lead) is None
    assert errors and "fieldwork file" in errors[0][1]


# -- merging ---------------------------------------------------------------------------------


def test_merge_shows_a_summary_and_the_master_has_the_answers(
    qtbot, merge_window: MergeWindow, team: TeamDemo
) -> None:
    add_and_preview(qtbot, merge_window, list(team.all_files))
    reports = []
    merge_window.merged.connect(reports.append)
    merge_window.merge_button.setFocus()
    with qtbot.waitSignal(merge_window.mergeFinished, timeout=TIMEOUT):
        QTest.keyClick(merge_window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert len(reports) == 1 and reports[0].snapshot
    summary = merge_window.summary.text()
    assert summary.startswith("Merged 4 files (Daniel Okafor, Priya Raman, Tom Gallagher, Helen")
    assert "3 conflicts raised" in summary and "undo" in summary
    assert column(merge_window, M.COL_STATUS) == [
        "Merged, 2 conflicts to settle",
        "Merged, 1 conflict to settle",
        "Merged",
        "Merged, 3 conflicts to settle",
    ]
    assert merge_window.progress_box.isHidden()
    assert not merge_window.merge_button.isEnabled()
    assert merge_window.undo_button.isEnabled()

    master = answers_of(team.master)
    for path in team.team:  # every answer of Tom's, Priya's and Daniel's files is in the master
        theirs = answers_of(path)
        undisputed = {k for k in theirs if k[0] not in (3, 18)}
        assert {k: master[k] for k in undisputed} == {k: theirs[k] for k in undisputed}

    # Adding the same files again: nothing new.
    merge_window.clear_files()
    add_and_preview(qtbot, merge_window, list(team.all_files))
    assert set(column(merge_window, M.COL_STATUS)) == {
        "Nothing new: the master already has all of it"
    }
    assert not merge_window.merge_button.isEnabled()


def test_progress_is_shown_and_cancel_leaves_the_master_unchanged(
    qtbot, merge_window: MergeWindow, team: TeamDemo, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_and_preview(qtbot, merge_window, list(team.all_files))
    before = content(team.master)
    real = merge_module.merge_files
    halfway = threading.Event()

    def held_merge(master, sources, **kwargs):
        """The real merge, held after its first step until the user has cancelled."""
        if kwargs.get("dry_run"):  # the preview made again after the cancel
            return real(master, sources, **kwargs)
        kwargs["progress"](1, 8, "Merging Merseyside-fieldwork-Daniel-Okafor.inspection")
        halfway.set()
        for _ in range(1000):
            if kwargs["is_cancelled"]():
                break
            threading.Event().wait(0.01)
        return real(master, sources, **kwargs)

    monkeypatch.setattr(merge_module, "merge_files", held_merge)
    assert merge_window.merge()
    assert halfway.wait(10)
    qtbot.waitUntil(lambda: merge_window.progress.maximum() == 8, timeout=TIMEOUT)
    assert merge_window.progress.value() == 1
    assert "Merging Merseyside-fieldwork-Daniel-Okafor" in merge_window.progress_label.text()
    assert merge_window.progress_box.isVisible()
    assert not merge_window.add_button.isEnabled()  # the list is frozen while merging
    assert merge_window.cancel_button.hasFocus()

    with qtbot.waitSignal(merge_window.mergeFinished, timeout=TIMEOUT):
        QTest.keyClick(merge_window.cancel_button, Qt.Key.Key_Space)
    assert "cancelled" in merge_window.summary.text()
    assert merge_window.progress_box.isHidden()
    finish_background()
    assert content(team.master) == before
    assert not snapshot_path(team.master).exists()


def test_escape_cancels_a_running_merge(
    qtbot, merge_window: MergeWindow, team: TeamDemo, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_and_preview(qtbot, merge_window, [team.team[0]])
    gate = threading.Event()
    real = merge_module.merge_files

    def held(master, sources, **kwargs):
        if kwargs.get("dry_run"):  # the preview made again after the cancel
            return real(master, sources, **kwargs)
        gate.wait(10)
        if kwargs["is_cancelled"]():
            raise MergeCancelled("merge cancelled; the master is unchanged")
        raise AssertionError("the merge should have been cancelled")

    monkeypatch.setattr(merge_module, "merge_files", held)
    merge_window.merge()
    QTest.keyClick(merge_window, Qt.Key.Key_Escape)
    assert merge_window.isVisible()  # Esc cancels the merge, it does not close the window
    assert not merge_window.cancel_button.isEnabled()
    with qtbot.waitSignal(merge_window.mergeFinished, timeout=TIMEOUT):
        gate.set()
    assert not merge_window.is_busy()
    assert "cancelled" in merge_window.summary.text()
    # The list is checked again, so the merge can be started once more.
    qtbot.waitUntil(merge_window.can_merge, timeout=TIMEOUT)


# -- undo ------------------------------------------------------------------------------------


def test_undo_last_merge_after_confirming_what_it_undoes(
    qtbot, merge_window: MergeWindow, team: TeamDemo, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = content(team.master)
    assert not merge_window.undo_button.isEnabled()  # no merge yet
    add_and_preview(qtbot, merge_window, list(team.all_files))
    with qtbot.waitSignal(merge_window.mergeFinished, timeout=TIMEOUT):
        merge_window.merge()
    merged = content(team.master)
    assert merged != before

    # A Conflicts view open on the master lets go of it for the undo, then reads it again.
    view = ConflictsView(team.master)
    qtbot.addWidget(view)
    merge_window.aboutToUndo.connect(view.close_file)
    merge_window.undone.connect(lambda _statement: view.reload())
    with qtbot.waitSignal(view.loaded, timeout=TIMEOUT):
        view.show()
    assert len(view.conflicts()) == 3
    loads: list[bool] = []
    view.loaded.connect(lambda: loads.append(True))

    asked: list[str] = []

    def decline(cls, parent, master_name, description):
        asked.append(description)
        return None

    monkeypatch.setattr(ConfirmUndoDialog, "ask", classmethod(decline))
    assert not merge_window.undo_last_merge()
    assert asked and asked[0].startswith("the merge of ")
    assert "Daniel Okafor's file (" in asked[0] and "Helen Ashworth's file (8 new" in asked[0]
    assert content(team.master) == merged

    monkeypatch.setattr(
        ConfirmUndoDialog, "ask", classmethod(lambda cls, parent, name, description: True)
    )
    with qtbot.waitSignal(merge_window.undone, timeout=TIMEOUT) as undone:
        QTest.keyClick(merge_window.undo_button, Qt.Key.Key_Space)
    assert undone.args[0].startswith("Undid the merge of ")
    assert merge_window.summary.text() == undone.args[0]
    assert not merge_window.undo_button.isEnabled()
    qtbot.waitUntil(lambda: bool(loads), timeout=TIMEOUT)
    assert view.conflicts() == []  # the conflicts went with the merge
    finish_background()
    view.close()
    finish_background()
    assert content(team.master) == before


def test_closing_while_merging_waits_for_the_cancel(
    qtbot, merge_window: MergeWindow, team: TeamDemo, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_and_preview(qtbot, merge_window, [team.team[0]])
    gate = threading.Event()
    real = merge_module.merge_files

    def held(master, sources, **kwargs):
        if not kwargs.get("dry_run"):
            gate.wait(10)
        return real(master, sources, **kwargs)

    monkeypatch.setattr(merge_module, "merge_files", held)
    before = content(team.master)
    merge_window.merge()
    merge_window.close()
    assert merge_window.isVisible()  # still finishing
    gate.set()
    qtbot.waitUntil(lambda: not merge_window.isVisible(), timeout=TIMEOUT)
    finish_background()
    assert content(team.master) == before


def test_an_encrypted_file_asks_for_its_passphrase_by_its_kind_not_its_wording(
    qtbot, merge_window: MergeWindow, team: TeamDemo, tmp_path: Path
) -> None:
    import shutil

    from inspector_app.core.files.passphrase import change_passphrase
    from inspector_app.core.merge.run import RefusalKind
    from inspector_app.gui.merge_window import needs_passphrase

    locked = tmp_path / "locked.inspection"
    shutil.copyfile(team.team[0], locked)
    change_passphrase(locked, current=None, new="a passphrase for Daniel")
    add_and_preview(qtbot, merge_window, [locked])
    outcome = merge_window.model.index(0, 0).data(M.OutcomeRole)
    assert outcome.refusal_kind == RefusalKind.PASSPHRASE and needs_passphrase(outcome)
    assert column(merge_window, M.COL_STATUS)[0].endswith(
        "Select it and press Passphrase… to give it"
    )
    # A refusal for any other reason that happens to mention a passphrase is not one.
    worded = SourceOutcome(str(locked), None, refusal="x: wrong passphrase", refusal_kind=None)
    assert not needs_passphrase(worded)


# -- encrypted fieldwork files ---------------------------------------------------------------


def encrypted_fieldwork(team: TeamDemo, folder: Path, name: str = "Daniel Okafor") -> Path:
    folder.mkdir()
    with InspectionFile.open(team.master) as master:
        return export_fieldwork(master, name, folder, passphrase="pass phrase").path


def test_an_encrypted_fieldwork_file_is_merged_with_its_passphrase(
    qtbot, merge_window: MergeWindow, team: TeamDemo, monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    exported = encrypted_fieldwork(team, tmp_path / "secret")
    add_and_preview(qtbot, merge_window, [exported])
    row = merge_window.model.rows()[0]
    assert row.state == REFUSED and "passphrase" in merge_window.model.index(0, 5).data()
    merge_window.table.setCurrentIndex(merge_window.model.index(0, 0))
    assert merge_window.passphrase_button.isEnabled()
    monkeypatch.setattr(
        PassphraseDialog, "ask", classmethod(lambda cls, parent, name, problem="": "pass phrase")
    )
    with qtbot.waitSignal(merge_window.previewReady, timeout=TIMEOUT):
        qtbot.keyClick(merge_window.table, Qt.Key.Key_Return)  # Enter on the row asks for it too
    assert merge_window.model.rows()[0].state in (READY, NOTHING_NEW)
    assert merge_window.passphrases == {exported: "pass phrase"}


def test_merging_while_a_file_waits_for_its_passphrase_is_an_explicit_choice(
    qtbot, merge_window: MergeWindow, team: TeamDemo, monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    locked = encrypted_fieldwork(team, tmp_path / "secret")
    before = content(team.master)
    add_and_preview(qtbot, merge_window, [locked, team.team[1]])
    assert merge_window.merge_button.isEnabled()
    assert merge_window.merge_button.text() == "&Merge the others…"
    asked: list[list[str]] = []
    monkeypatch.setattr(
        MergeOthersDialog, "ask", classmethod(lambda cls, parent, waiting: asked.append(waiting))
    )
    assert not merge_window.merge()  # "Give the passphrase first": nothing merged
    assert asked == [[locked.name]]
    finish_background()
    assert content(team.master) == before
