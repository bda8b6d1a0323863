"""The lead's set-up screen after the wizard: the team, the allocation board, the sample and
the fieldwork files, in tabs. Each change is one core call; what it changed is announced to the
rest of the window, and the screen draws itself again from the file.

The changes that have an inverse (the team, who reads what, capacities, withdrawing and
reinstating a case) go on the window's undo stack, so Edit > Undo takes back the last of them
with its inverse core call; replacing a case from the reserves, importing a sample and writing
fieldwork files do not."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QShowEvent, QUndoCommand, QUndoStack
from PySide6.QtWidgets import QApplication, QLabel, QTabWidget, QVBoxLayout, QWidget

from inspector_app.app.team_board import TeamBoard, build_team_board
from inspector_app.core.changes import Changes
from inspector_app.core.errors import InspectorError
from inspector_app.core.files.fieldwork_export import export_fieldwork
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.plural import counted
from inspector_app.core.sample.long_list import long_list_summary
from inspector_app.gui.allocation_board import AllocationBoard
from inspector_app.gui.dialogs import ConfirmMoveDialog, ErrorDialog
from inspector_app.gui.fieldwork_files_page import ExportDialog, FieldworkFilesPage
from inspector_app.gui.sample_tab import SampleTab
from inspector_app.gui.style import heading_font
from inspector_app.gui.team_page import CapacityDialog, TeamPage

log = logging.getLogger(__name__)

Change = Callable[[InspectionFile], Changes]


class SetupCommand(QUndoCommand):
    """A set-up change and its inverse, each one core call through the screen. The first redo
    is the change itself; a step that fails (the file changed meanwhile) says why and leaves
    the stack."""

    def __init__(
        self, view: SetupView, text: str, what: str, forward: Change, backward: Change
    ) -> None:
        super().__init__(text)
        self.view, self.what = view, what
        self.forward, self.backward = forward, backward

    def redo(self) -> None:
        self._step(self.what, self.forward)

    def undo(self) -> None:
        undoing = QCoreApplication.translate("SetupCommand", "undo {text}").format(text=self.text())
        self._step(undoing, self.backward)

    def _step(self, what: str, change: Change) -> None:
        # Told to the screen, not kept here: the stack deletes a command that failed.
        ok = self.view.last_ok = self.view._run(what, change)
        if not ok:
            self.setObsolete(True)


class SetupView(QWidget):
    message = Signal(str)  # a short note for the status bar

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Team and allocation"))
        self.file: InspectionFile | None = None
        self.board: TeamBoard | None = None
        self.announce: Callable[[Changes], None] = lambda _changes: None
        # The window's undo stack (the open file's), where Edit > Undo reaches; this screen's
        # own until the window hands it over.
        self.undo_stack = QUndoStack(self)
        self.shared_undo: Callable[[], QUndoStack | None] = lambda: None
        self.last_ok = False  # whether the last undoable step was made
        self._stale = True
        heading = QLabel(self.tr("Team and allocation"))
        heading.setFont(heading_font(self.font(), 1.35))
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(self.tr("Set-up"))
        self.tabs.setDocumentMode(True)
        self.team_page = TeamPage()
        self.board_page = AllocationBoard()
        self.files_page = FieldworkFilesPage()
        self.sample_tab = SampleTab()
        self.tabs.addTab(self.team_page, self.tr("&Team"))
        self.tabs.addTab(self.board_page, self.tr("&Allocation"))
        self.tabs.addTab(self.sample_tab, self.tr("&Sample"))
        self.tabs.addTab(self.files_page, self.tr("Fieldwork &files"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.addWidget(heading)
        layout.addWidget(self.tabs, 1)

        self.team_page.addRequested.connect(self.add_member)
        self.team_page.editRequested.connect(self.edit_member)
        self.team_page.removeRequested.connect(self.remove_member)
        self.team_page.capacityRequested.connect(self.ask_capacity)
        self.board_page.moveRequested.connect(self.move_cases)
        self.board_page.secondReaderRequested.connect(self.set_second_reader)
        self.board_page.capacityRequested.connect(self.ask_capacity)
        self.board_page.shareOutRequested.connect(self.share_out)
        self.files_page.exportRequested.connect(self.export_files)
        self.sample_tab.replaceRequested.connect(self.replace_case)
        self.sample_tab.withdrawRequested.connect(self.withdraw_case)
        self.sample_tab.reinstateRequested.connect(self.reinstate_case)
        self.sample_tab.importRequested.connect(self.import_sample)

    # -- the file ----------------------------------------------------------------------------

    def set_file(self, file: InspectionFile | None) -> None:
        self.file = file
        self.board = None
        self._stale = True
        self.undo_stack.clear()  # its changes were the other file's
        if file is not None and self.isVisible():
            self.reload()

    def invalidate(self) -> None:
        """Something changed elsewhere (an edit, a merge): read again when next shown."""
        self._stale = True
        if self.isVisible():
            self.reload()

    def reload(self) -> None:
        if self.file is None:
            return
        self._stale = False
        self.board = build_team_board(self.file)
        for page in (self.team_page, self.board_page, self.files_page):
            page.set_board(self.board)
        draw = long_list_summary(self.file)
        fields = self.file.framework.profile.by_name
        self.sample_tab.strata_labels = tuple(
            fields[name].label.lower() if name in fields else name
            for name in (draw.strata if draw is not None else ())
        )
        self.sample_tab.set_board(self.board, draw)

    def focus_current(self) -> None:
        """The keyboard goes to the tab's list, where its keys work."""
        page = self.tabs.currentWidget()
        if page is self.board_page:
            columns = list(self.board_page.columns.values())
            target: QWidget | None = columns[0] if columns else None
        else:
            target = getattr(page, "table", None)
        (target or page).setFocus()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.reload()

    # -- changes -----------------------------------------------------------------------------

    def _run(self, what: str, change: Change) -> bool:
        """One core call; on success the rest of the window hears what changed."""
        if self.file is None:
            return False
        try:
            changes = change(self.file)
        except InspectorError as exc:
            ErrorDialog.ask(self, self.tr("Cannot {what}").format(what=what), str(exc))
            return False
        except Exception as exc:  # the app keeps running whatever happened
            log.exception("%s failed", what)
            ErrorDialog.ask(
                self,
                self.tr("Cannot {what}").format(what=what),
                self.tr("Something unexpected went wrong: {exc}").format(exc=exc),
            )
            return False
        self.announce(changes)  # the rest of the window first: the change is made
        self.reload()
        return True

    def stack(self) -> QUndoStack:
        """Where set-up changes go: the window's undo stack, else this screen's own."""
        return self.shared_undo() or self.undo_stack

    def _do(self, text: str, what: str, forward: Change, backward: Change) -> bool:
        """Make an undoable change (`text` names it in Edit > Undo)."""
        if self.file is None:
            return False
        self.last_ok = False
        self.stack().push(SetupCommand(self, text, what, forward, backward))  # makes the change
        return self.last_ok

    def add_member(self, name: str, role: str) -> bool:
        from inspector_app.core.cases.team import add_member, remove_member

        clean = " ".join(name.split())

        def add(file: InspectionFile) -> Changes:
            add_member(file, name, role)
            return Changes(team=True)

        if not self._do(
            self.tr("add {name} to the team").format(name=clean),
            self.tr("add a team member"),
            add,
            lambda file: remove_member(file, clean),
        ):
            return False
        self.team_page.select(clean)
        self.message.emit(self.tr("Added {join} to the team").format(join=clean))
        return True

    def edit_member(self, name: str, new_name: str, role: str) -> bool:
        """A corrected name and a role for one person: the role is changed only once the new
        name is theirs, so a refused rename never touches anyone else."""
        from inspector_app.core.cases.team import rename_member, set_role

        clean = " ".join(new_name.split())
        person = self.board.person(name) if self.board is not None else None
        old_role = person.role if person is not None else role

        def edit(file: InspectionFile) -> Changes:
            changes = rename_member(file, name, new_name)
            return changes | set_role(file, clean or name, role)

        def back(file: InspectionFile) -> Changes:
            changes = set_role(file, clean or name, old_role)
            return changes | rename_member(file, clean or name, name)

        ok = self._do(
            self.tr("change {name}").format(name=name),
            self.tr("change the team member"),
            edit,
            back,
        )
        if ok:
            self.team_page.select(clean or name)
        return ok

    def remove_member(self, name: str) -> bool:
        from inspector_app.core.cases.team import add_member, remove_member
        from inspector_app.core.sample.capacity import set_capacity

        person = self.board.person(name) if self.board is not None else None
        role = person.role if person is not None else "inspector"
        capacity = person.capacity if person is not None else None

        def back(file: InspectionFile) -> Changes:
            add_member(file, name, role)
            return Changes(team=True) | set_capacity(file, name, capacity)

        ok = self._do(
            self.tr("remove {name}").format(name=name),
            self.tr("remove {name}").format(name=name),
            lambda file: remove_member(file, name),
            back,
        )
        if ok:
            self.message.emit(self.tr("Removed {name} from the team").format(name=name))
        return ok

    def ask_capacity(self, name: str) -> bool:
        """Ask for a person's capacity and set it."""
        if self.board is None:
            return False
        chosen, capacity = CapacityDialog.ask(self, name, self.board.person(name).capacity)
        return chosen and self.set_capacity(name, capacity)

    def set_capacity(self, name: str, capacity: int | None) -> bool:
        from inspector_app.core.sample.capacity import set_capacity

        before = self.board.person(name).capacity if self.board is not None else None
        if capacity == before:
            return True
        ok = self._do(
            self.tr("capacity of {name}").format(name=name),
            self.tr("set the capacity"),
            lambda file: set_capacity(file, name, capacity),
            lambda file: set_capacity(file, name, before),
        )
        if ok:
            self.message.emit(
                self.tr("{name} has no limit on cases").format(name=name)
                if capacity is None
                else self.tr("{name} can take {counted}").format(
                    name=name, counted=counted(capacity, "{n} case", "{n} cases")
                )
            )
        return ok

    def move_cases(self, sample_numbers: list[int], name: str) -> bool:
        from inspector_app.core.sample.placement import (
            allocate_case,
            check_move,
            put_readers,
            readers_by_sample_no,
        )

        if self.file is None:
            return False
        try:
            written = check_move(self.file, sample_numbers, name)
            before = readers_by_sample_no(self.file, sample_numbers)
        except InspectorError as exc:
            ErrorDialog.ask(self, self.tr("Cannot move the case"), str(exc))
            return False
        if written and not ConfirmMoveDialog.ask(self, written, name):
            return False

        def move(file: InspectionFile) -> Changes:
            changes = Changes()
            for number in sample_numbers:
                changes = changes | allocate_case(file, number, name)
            return changes

        moved = counted(len(sample_numbers), "{n} case", "{n} cases")
        ok = self._do(
            self.tr("move {counted} to {name}").format(counted=moved, name=name),
            self.tr("move the case"),
            move,
            lambda file: put_readers(file, before),
        )
        if ok:
            self.message.emit(self.tr("Moved {counted} to {name}").format(counted=moved, name=name))
        return ok

    def set_second_reader(self, sample_no: int, name: str) -> bool:
        from inspector_app.core.sample.placement import (
            allocate_case,
            put_readers,
            readers_by_sample_no,
            remove_second_reader,
        )

        if self.file is None:
            return False
        try:
            before = readers_by_sample_no(self.file, [sample_no])
        except InspectorError as exc:
            ErrorDialog.ask(self, self.tr("Cannot change the second reader"), str(exc))
            return False
        if not name:
            return self._do(
                self.tr("no second reader for case {sample_no:03d}").format(sample_no=sample_no),
                self.tr("remove the second reader"),
                lambda file: remove_second_reader(file, sample_no),
                lambda file: put_readers(file, before),
            )
        return self._do(
            self.tr("second reader of case {sample_no:03d}").format(sample_no=sample_no),
            self.tr("add a second reader"),
            lambda file: allocate_case(file, sample_no, name, second_reader=True),
            lambda file: put_readers(file, before),
        )

    def share_out(self) -> bool:
        """Every case no one reads yet to a first reader, balanced within the capacities."""
        from inspector_app.core.sample.placement import (
            Readers,
            apply_allocation,
            plan_auto_allocation,
            put_readers,
        )

        if self.board is None or not self.board.unallocated:
            return False
        nobody = {case.sample_no: Readers(None, None) for case in self.board.unallocated}
        shared: list[int] = []

        def share(file: InspectionFile) -> Changes:
            preview = plan_auto_allocation(file)
            shared.append(len(preview.plan.assignments))
            return apply_allocation(file, preview)

        ok = self._do(
            self.tr("share out {counted}").format(
                counted=counted(len(nobody), "{n} case", "{n} cases")
            ),
            self.tr("share out the cases"),
            share,
            lambda file: put_readers(file, nobody),
        )
        if ok:
            self.message.emit(
                self.tr("Shared out {counted} within each person's capacity").format(
                    counted=counted(shared[-1], "{n} case", "{n} cases")
                )
            )
        return ok

    def replace_case(self, sample_no: int, reason: str) -> bool:
        from inspector_app.core.sample.long_list import replace_case

        replacement: list[int] = []

        def replace(file: InspectionFile) -> Changes:
            done = replace_case(file, sample_no, reason)
            replacement.append(done.sample_no)
            return done.changes

        ok = self._run(self.tr("replace the case"), replace)
        if ok:
            self.message.emit(
                self.tr(
                    "Case {sample_no:03d} replaced by case {replacement:03d}, the next "
                    "reserve of its stratum, for the same readers"
                ).format(sample_no=sample_no, replacement=replacement[0])
            )
        return ok

    def withdraw_case(self, sample_no: int, reason: str) -> bool:
        from inspector_app.core.sample.withdrawal import reinstate_case, withdraw_case

        ok = self._do(
            self.tr("withdraw case {sample_no:03d}").format(sample_no=sample_no),
            self.tr("withdraw the case"),
            lambda file: withdraw_case(file, sample_no, reason),
            lambda file: reinstate_case(file, sample_no),
        )
        if ok:
            self.sample_tab.select(sample_no)
            self.message.emit(
                self.tr(
                    "Case {sample_no:03d} withdrawn without a replacement; it no longer "
                    "counts anywhere"
                ).format(sample_no=sample_no)
            )
        return ok

    def reinstate_case(self, sample_no: int) -> bool:
        from inspector_app.core.sample.withdrawal import reinstate_case, withdraw_case

        withdrawn = self.board.withdrawn if self.board is not None else ()
        reason = next((c.reason for c in withdrawn if c.sample_no == sample_no), "")
        ok = self._do(
            self.tr("reinstate case {sample_no:03d}").format(sample_no=sample_no),
            self.tr("reinstate the case"),
            lambda file: reinstate_case(file, sample_no),
            lambda file: withdraw_case(file, sample_no, reason),
        )
        if ok:
            self.sample_tab.select(sample_no)
            self.message.emit(
                self.tr("Case {sample_no:03d} is back in the inspection").format(
                    sample_no=sample_no
                )
            )
        return ok

    def import_sample(self) -> bool:
        """The sample file through the mapping step, in place of the cases here (refused in
        one line once fieldwork has begun)."""
        from inspector_app.core.sample.reimport import (
            draw_from_long_list_again,
            import_sample_again,
            sample_import_refusal,
        )
        from inspector_app.gui.sample_import import ConfirmReplaceSampleDialog, SampleImportDialog

        if self.file is None or self.board is None:
            return False
        refusal = sample_import_refusal(self.file)  # read now: it reads every value
        if refusal is not None:
            ErrorDialog.ask(self, self.tr("Cannot import the sample"), refusal)
            return False
        cases = len(self.sample_tab.cases)
        written = sum(1 for p in self.board.people if p.history.written_at is not None)
        if cases and not ConfirmReplaceSampleDialog.ask(self, cases, written):
            return False
        choice = SampleImportDialog.ask(self, self.file)
        if choice is None:
            return False
        imported: list[int] = []

        def run(file: InspectionFile) -> Changes:
            draw = choice.draw
            as_mapped = choice.as_mapped()
            if draw is not None:  # the trust's long list: the sample drawn from it
                drawn = draw_from_long_list_again(
                    file,
                    choice.path,
                    size=draw.size,
                    strata=draw.strata,
                    seed=draw.seed,
                    minimum=draw.minimum,
                    reserves=draw.reserves,
                    shown=draw.shown,
                    **as_mapped,
                )
                imported.append(len(drawn.drawn))
                return drawn.changes
            outcome = import_sample_again(file, choice.path, **as_mapped)
            imported.append(outcome.imported)
            return outcome.changes

        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            ok = self._run(self.tr("import the sample"), run)
        finally:
            QApplication.restoreOverrideCursor()
        if ok:
            self.stack().clear()  # what was undoable was about the cases now gone
            self.sample_tab.table.setFocus()  # on the cases imported
            text = (
                self.tr(
                    "Drew {counted} from the long list {name}; share them out on the Allocation tab"
                )
                if choice.draw is not None
                else self.tr("Imported {counted} from {name}; share them out on the Allocation tab")
            )
            self.message.emit(
                text.format(
                    counted=counted(imported[0], "{n} case", "{n} cases"), name=choice.path.name
                )
            )
        return ok

    def export_files(self, names: list[str]) -> list[Path]:
        """Each person's fieldwork file written into the folder chosen, with their own
        passphrase. Returns the files written."""
        if self.file is None or not names:
            return []
        folder = Path(self.file.path).parent / f"Fieldwork files {date.today():%Y-%m-%d}"
        request = ExportDialog.ask(self, names, folder, self.file.encrypted)
        if request is None:
            return []
        written: list[Path] = []
        for name in names:
            try:
                outcome = export_fieldwork(
                    self.file,
                    name,
                    request.folder,
                    with_identifiers=request.with_identifiers,
                    passphrase=request.passphrases.get(name),
                )
            except InspectorError as exc:
                ErrorDialog.ask(
                    self,
                    self.tr("Cannot write {name}'s fieldwork file").format(name=name),
                    str(exc),
                )
                continue
            written.append(outcome.path)
        if written:
            self.reload()  # when each file was written
            self.message.emit(
                self.tr("Wrote {counted} in {folder}").format(
                    counted=counted(len(written), "{n} fieldwork file", "{n} fieldwork files"),
                    folder=request.folder,
                )
            )
        return written
