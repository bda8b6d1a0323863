"""The set-up screen's newer actions driven by keys on a real master: a case withdrawn and
reinstated, a capacity set from the Team tab and from the board (and shown against the cases
in words), when each fieldwork file was written and merged, the sample imported through the
mapping step, the unallocated cases shared out, and each change taken back with Ctrl+Z from
the window's undo stack. The file on disk is checked after each step."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QWidget, QWizard

from inspector_app.core.cases.answers import set_answer
from inspector_app.core.cases.team import add_member
from inspector_app.core.demo import write_sample_csv
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.merge.run import merge_files
from inspector_app.core.sample.placement import allocate_case, import_sample
from inspector_app.core.sample.withdrawal import withdrawn_cases
from inspector_app.gui.fieldwork_files_page import ExportDialog, ExportRequest
from inspector_app.gui.sample_import import (
    ConfirmReplaceSampleDialog,
    SampleChoice,
    SampleImportDialog,
)
from inspector_app.gui.sample_tab import WithdrawDialog
from inspector_app.gui.session import EditSession
from inspector_app.gui.setup_view import SetupView
from inspector_app.gui.team_page import CapacityDialog
from tests.gui.conftest import focused, press, type_text
from tests.widgets.conftest import SetupScreen, board_of, show, when_modal

DANIEL, PRIYA = "Daniel Okafor", "Priya Raman"


def on_disk(path: Path) -> list[tuple[int, str]]:
    """The withdrawn cases and their reasons, as a fresh connection reads them."""
    with InspectionFile.open(path, readonly=True) as file:
        return [(c.sample_no, c.reason) for c in withdrawn_cases(file)]


@pytest.fixture
def session(master: InspectionFile) -> Iterator[EditSession]:
    """The window's edit session of the master: its undo stack is Edit > Undo's."""
    edits = EditSession(master)
    yield edits
    edits.undo_stack.clear()


@pytest.fixture
def screen(qtbot, master: InspectionFile, session: EditSession) -> SetupScreen:
    """The set-up screen on the master of 12 cases, its changes on the session's undo stack
    and Ctrl+Z bound to Edit > Undo, as in the window."""
    view = SetupView()
    view.shared_undo = lambda: session.undo_stack
    undo = QAction("Undo", view)
    undo.setShortcut(QKeySequence(QKeySequence.StandardKey.Undo))
    undo.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    undo.triggered.connect(session.undo)
    view.addAction(undo)
    setup = SetupScreen(view)
    view.set_file(master)
    show(qtbot, view)
    return setup


def open_tab(view: SetupView, page: QWidget) -> None:
    view.tabs.setCurrentWidget(page)
    view.focus_current()


def test_a_case_is_withdrawn_and_reinstated_from_the_keyboard(
    screen: SetupScreen, master: InspectionFile, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = screen.view
    tab = view.sample_tab
    open_tab(view, tab)
    assert focused() is tab.table
    press(Qt.Key.Key_Down)
    press(Qt.Key.Key_Down)
    case = tab.current()
    assert case is not None and tab.withdraw_button.isEnabled()
    asked: list[str] = []
    monkeypatch.setattr(
        WithdrawDialog, "ask", classmethod(lambda cls, p, label: asked.append(label) or "Died")
    )
    press(Qt.Key.Key_Delete)
    assert asked == [case.label]
    assert on_disk(master.path) == [(case.sample_no, "Died")]
    assert screen.announced[-1].concerns_case(master.case_key_for(case.sample_no))
    assert case.sample_no not in [c.sample_no for c in board_of(master.path).unallocated] + [
        c.sample_no for p in board_of(master.path).people for c in p.first_reads
    ]
    # Still listed, marked withdrawn, and the keyboard still on it for the next key.
    assert focused() is tab.table and tab.current().sample_no == case.sample_no
    row = tab.table.currentIndex().row()
    assert tab.model.rows[row][3] == "withdrawn: Died"
    assert "Withdrawn without a replacement: case" in tab.summary.text()
    assert tab.reinstate_button.isEnabled() and not tab.withdraw_button.isEnabled()
    press(Qt.Key.Key_Insert)
    assert on_disk(master.path) == []
    assert board_of(master.path).case(case.sample_no).first_reader == case.first_reader


def test_a_case_with_answers_is_not_withdrawn(
    screen: SetupScreen, master: InspectionFile, errors, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = screen.view
    tab = view.sample_tab
    open_tab(view, tab)
    case = tab.current()
    set_answer(master, master.case_key_for(case.sample_no), "A1", "yes", "Seen on the record")
    monkeypatch.setattr(WithdrawDialog, "ask", classmethod(lambda cls, p, label: "Transferred"))
    press(Qt.Key.Key_Delete)
    assert errors == [
        (
            "Cannot withdraw the case",
            f"case {case.sample_no} already has answers or corrections; it cannot be withdrawn",
        )
    ]
    assert on_disk(master.path) == [] and screen.announced == []


def test_a_capacity_is_typed_on_the_team_tab_and_shown_in_words_on_the_board(
    qtbot, screen: SetupScreen, master: InspectionFile
) -> None:
    view = screen.view
    open_tab(view, view.team_page)
    assert view.team_page.select(DANIEL)

    def type_four(dialog: QWidget) -> None:
        assert isinstance(dialog, CapacityDialog)
        qtbot.waitUntil(lambda: focused() is dialog.spin, timeout=5000)  # ready to type
        type_text("4")
        press(Qt.Key.Key_Return)

    when_modal(qtbot, type_four)
    press(Qt.Key.Key_C)
    assert board_of(master.path).person(DANIEL).capacity == 4
    row = [p.name for p in view.team_page.people].index(DANIEL)
    assert view.team_page.model.rows[row][3] == "4 (over by 2)"
    open_tab(view, view.board_page)
    details = view.board_page.details
    assert details[DANIEL].text().startswith("⚠ 6 of 4 cases: 2 over capacity")  # in words
    assert "over capacity" in view.board_page.column_of(DANIEL).accessibleDescription()
    assert details[PRIYA].text().startswith("6 cases")  # no limit: nothing to count against


def test_c_on_a_board_column_sets_that_persons_capacity(
    qtbot, screen: SetupScreen, master: InspectionFile, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = screen.view
    open_tab(view, view.board_page)
    asked: list[tuple[str, int | None]] = []

    def ask(cls, parent, name, capacity):
        asked.append((name, capacity))
        return True, 8

    monkeypatch.setattr(CapacityDialog, "ask", classmethod(ask))
    column = view.board_page.column_of(PRIYA)
    column.setFocus()
    press(Qt.Key.Key_C)
    assert asked == [(PRIYA, None)]
    assert board_of(master.path).person(PRIYA).capacity == 8
    assert view.board_page.details[PRIYA].text().startswith("6 of 8 cases")


def test_each_change_is_taken_back_with_ctrl_z(
    screen: SetupScreen, master: InspectionFile, session: EditSession, monkeypatch
) -> None:
    view = screen.view
    path = master.path
    view.set_capacity(DANIEL, 5)
    assert session.undo_stack.undoText() == f"capacity of {DANIEL}"
    monkeypatch.setattr(WithdrawDialog, "ask", classmethod(lambda cls, p, label: "Transferred"))
    open_tab(view, view.sample_tab)
    press(Qt.Key.Key_Delete)
    assert len(on_disk(path)) == 1
    open_tab(view, view.board_page)
    column = view.board_page.column_of(DANIEL)
    column.setFocus()
    column.setCurrentRow(0)
    moved = view.board.person(DANIEL).first_reads[0].sample_no
    press(Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    assert board_of(path).case(moved).first_reader == PRIYA
    assert view.add_member("Sam  Nolan", "assessor")
    assert view.edit_member("Sam Nolan", "Sam Noble", "inspector")
    assert view.set_second_reader(moved, "Sam Noble")
    assert view.set_second_reader(moved, "")
    assert view.remove_member("Sam Noble")
    assert session.undo_stack.count() == 8

    def team() -> dict[str, str]:
        return {p.name: p.role for p in board_of(path).people}

    press(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert team()["Sam Noble"] == "inspector"
    press(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert board_of(path).case(moved).second_reader == "Sam Noble"
    press(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert board_of(path).case(moved).second_reader is None
    press(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert team()["Sam Nolan"] == "assessor" and "Sam Noble" not in team()
    press(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert "Sam Nolan" not in team()
    press(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert board_of(path).case(moved).first_reader == DANIEL
    press(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert on_disk(path) == []
    press(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert board_of(path).person(DANIEL).capacity is None
    assert not session.undo_stack.canUndo()
    session.redo()  # and forward again, as Edit > Redo
    assert board_of(path).person(DANIEL).capacity == 5


def test_an_undo_the_file_no_longer_allows_says_why_and_leaves_the_stack(
    screen: SetupScreen, master: InspectionFile, session: EditSession, errors
) -> None:
    view = screen.view
    assert view.add_member("Sam Nolan", "assessor")
    view.move_cases([board_of(master.path).person(DANIEL).first_reads[0].sample_no], "Sam Nolan")
    session.undo_stack.undo()  # the move back: fine
    # Sam reads a case again, behind the screen's back: adding Sam cannot be undone now.
    allocate_case(master, board_of(master.path).person(PRIYA).first_reads[0].sample_no, "Sam Nolan")
    session.undo_stack.undo()
    assert errors == [
        (
            "Cannot undo add Sam Nolan to the team",
            "Sam Nolan still has 1 case allocated; move them to someone else first",
        )
    ]
    assert "Sam Nolan" in {p.name for p in board_of(master.path).people}
    assert not session.undo_stack.canUndo()


def test_when_each_fieldwork_file_was_written_and_merged(
    qtbot, screen: SetupScreen, master: InspectionFile, tmp_path: Path, monkeypatch
) -> None:
    view = screen.view
    page = view.files_page
    open_tab(view, page)
    assert [row[3] for row in page.model.rows] == ["not written from this master"] * 2
    folder = tmp_path / "files"
    folder.mkdir()
    monkeypatch.setattr(
        ExportDialog,
        "ask",
        classmethod(lambda cls, parent, names, start, required: ExportRequest(folder, {}, False)),
    )
    page.table.selectRow([p.name for p in page.people].index(DANIEL))
    press(Qt.Key.Key_Return)
    row = [p.name for p in page.people].index(DANIEL)
    assert page.model.rows[row][3].startswith("written ")
    assert "last merged" not in page.model.rows[row][3]
    (written,) = folder.iterdir()
    assert written.name in page.model.tips[row]
    merge_files(master, [written])  # the merge records when the file came back
    view.invalidate()
    text = page.model.rows[row][3]
    assert text.startswith("written ") and ", last merged " in text and text.endswith("(0 changes)")


def test_the_sample_is_imported_through_the_mapping_step(
    qtbot, new_master: InspectionFile, sample_csv: Path
) -> None:
    """After "I will import the sample later": the Sample tab's Import reads the file, shows
    the mapping, and Enter on the checked file imports its cases into the master."""
    add_member(new_master, DANIEL, "inspector")
    view = SetupView()
    view.set_file(new_master)
    show(qtbot, view)
    tab = view.sample_tab
    open_tab(view, tab)
    assert tab.cases == []

    def import_file(dialog: QWidget) -> None:
        assert isinstance(dialog, SampleImportDialog)
        page = dialog.sample_page
        assert not page.later.isVisible()
        qtbot.waitUntil(dialog.isActiveWindow, timeout=5000)
        page.path.setFocus()
        type_text(str(sample_csv))
        press(Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: page.review is not None and page.isComplete(), timeout=20000)
        assert dialog.button(QWizard.WizardButton.FinishButton).text() == "&Import"
        press(Qt.Key.Key_Return)  # checked and clean: Enter imports

    when_modal(qtbot, import_file)
    tab.import_button.setFocus()
    press(Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: len(tab.cases) == 12, timeout=20000)
    assert len(board_of(new_master.path).unallocated) == 12
    view.activateWindow()
    qtbot.waitUntil(lambda: focused() is tab.table, timeout=5000)  # on the cases imported
    # ... then shared out from the board, and taken back.
    open_tab(view, view.board_page)
    view.board_page.share_button.setFocus()
    press(Qt.Key.Key_Space)
    assert len(board_of(new_master.path).person(DANIEL).first_reads) == 12
    view.stack().undo()
    assert len(board_of(new_master.path).unallocated) == 12


def test_importing_again_replaces_the_cases_after_asking(
    qtbot, screen: SetupScreen, master: InspectionFile, tmp_path: Path, monkeypatch
) -> None:
    corrected = tmp_path / "corrected.csv"
    write_sample_csv(corrected, 5, random.Random(2))
    asked: list[tuple[int, int]] = []
    monkeypatch.setattr(
        ConfirmReplaceSampleDialog,
        "ask",
        classmethod(lambda cls, parent, cases, files: asked.append((cases, files)) or True),
    )
    monkeypatch.setattr(  # the mapping step is tested above; here what the lead chose in it
        SampleImportDialog,
        "ask",
        classmethod(lambda cls, parent, file: SampleChoice(corrected, None, False, False, "")),
    )
    view = screen.view
    view.set_capacity(DANIEL, 3)
    open_tab(view, view.sample_tab)
    view.sample_tab.import_button.click()
    assert asked == [(12, 0)]
    board = board_of(master.path)
    assert len(board.unallocated) == 5 and not any(p.first_reads for p in board.people)
    assert not view.stack().canUndo()  # what could be undone was about the cases now gone


def test_importing_once_fieldwork_has_begun_is_refused_in_one_line(
    screen: SetupScreen, master: InspectionFile, errors
) -> None:
    view = screen.view
    key = board_of(master.path).person(DANIEL).first_reads[0].key
    set_answer(master, key, "A1", "yes", "Seen on the record")
    view.reload()
    open_tab(view, view.sample_tab)
    view.sample_tab.import_button.click()
    ((title, message),) = errors
    assert title == "Cannot import the sample"
    assert len(message.splitlines()) == 1 and "fieldwork has begun" in message
    assert len(board_of(master.path).person(DANIEL).first_reads) == 6
    assert QApplication.activeModalWidget() is None


def test_a_sample_imported_later_keeps_the_keyboard_in_the_list(
    qtbot, new_master: InspectionFile, sample_csv: Path
) -> None:
    import_sample(new_master, sample_csv)
    view = SetupView()
    view.set_file(new_master)
    show(qtbot, view)
    open_tab(view, view.sample_tab)
    assert focused() is view.sample_tab.table
    assert view.sample_tab.withdraw_button.isEnabled()
