"""The lead's set-up screen after the wizard: the team, the allocation board and the
fieldwork files, in tabs. Each change is one core call; what it changed is announced to the
rest of the window, and the screen draws itself again from the file."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

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
from inspector_app.gui.team_page import TeamPage

log = logging.getLogger(__name__)


class SetupView(QWidget):
    message = Signal(str)  # a short note for the status bar

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Team and allocation"))
        self.file: InspectionFile | None = None
        self.board: TeamBoard | None = None
        self.announce: Callable[[Changes], None] = lambda _changes: None
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
        self.board_page.moveRequested.connect(self.move_cases)
        self.board_page.secondReaderRequested.connect(self.set_second_reader)
        self.files_page.exportRequested.connect(self.export_files)
        self.sample_tab.replaceRequested.connect(self.replace_case)

    # -- the file ----------------------------------------------------------------------------

    def set_file(self, file: InspectionFile | None) -> None:
        self.file = file
        self.board = None
        self._stale = True
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
        self.sample_tab.set_board(self.board, long_list_summary(self.file))

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

    def _run(self, what: str, change: Callable[[InspectionFile], Changes]) -> bool:
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

    def add_member(self, name: str, role: str) -> bool:
        from inspector_app.core.cases.team import add_member

        def add(file: InspectionFile) -> Changes:
            add_member(file, name, role)
            return Changes(team=True)

        if not self._run(self.tr("add a team member"), add):
            return False
        self.team_page.select(" ".join(name.split()))
        self.message.emit(self.tr("Added {join} to the team").format(join=" ".join(name.split())))
        return True

    def edit_member(self, name: str, new_name: str, role: str) -> bool:
        """A corrected name and a role for one person: the role is changed only once the new
        name is theirs, so a refused rename never touches anyone else."""
        from inspector_app.core.cases.team import rename_member, set_role

        clean = " ".join(new_name.split())

        def edit(file: InspectionFile) -> Changes:
            changes = rename_member(file, name, new_name)
            return changes | set_role(file, clean or name, role)

        ok = self._run(self.tr("change the team member"), edit)
        if ok:
            self.team_page.select(clean or name)
        return ok

    def remove_member(self, name: str) -> bool:
        from inspector_app.core.cases.team import remove_member

        ok = self._run(
            self.tr("remove {name}").format(name=name), lambda file: remove_member(file, name)
        )
        if ok:
            self.message.emit(self.tr("Removed {name} from the team").format(name=name))
        return ok

    def move_cases(self, sample_numbers: list[int], name: str) -> bool:
        from inspector_app.core.sample.placement import allocate_case, check_move

        if self.file is None:
            return False
        try:
            written = check_move(self.file, sample_numbers, name)
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

        ok = self._run(self.tr("move the case"), move)
        if ok:
            self.message.emit(
                self.tr("Moved {counted} to {name}").format(
                    counted=counted(len(sample_numbers), "{n} case", "{n} cases"), name=name
                )
            )
        return ok

    def set_second_reader(self, sample_no: int, name: str) -> bool:
        from inspector_app.core.sample.placement import allocate_case, remove_second_reader

        if not name:
            return self._run(
                self.tr("remove the second reader"),
                lambda file: remove_second_reader(file, sample_no),
            )
        return self._run(
            self.tr("add a second reader"),
            lambda file: allocate_case(file, sample_no, name, second_reader=True),
        )

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
            self.message.emit(
                self.tr("Wrote {counted} in {folder}").format(
                    counted=counted(len(written), "{n} fieldwork file", "{n} fieldwork files"),
                    folder=request.folder,
                )
            )
        return written
