"""The lead's tools, for a master only: the overview, set-up, findings and report screens, the
Merge and Conflicts windows, the count of open conflicts, and undoing a merge.

It exists so everything only a master has lives in one place, built when a master first
opens: its screens are registered with the navigator (which shows them by name), its report
editor with the file controller (whose edits must be saved before the file closes), and it
follows the file and every change to it through their signals and the operation bus. A merge
or its undo writes to the master through connections of their own; here the window catches up
with them, reopening the master after an undo on the screen the lead was on.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

from inspector_app.core.changes import Changes
from inspector_app.gui.file_controller import FileController
from inspector_app.gui.navigator import (
    FINDINGS,
    OVERVIEW,
    REPORT,
    SETUP,
    Navigator,
    ScreenState,
)
from inspector_app.gui.operations import OperationBus

if TYPE_CHECKING:
    from inspector_app.core.files.inspection_file import InspectionFile
    from inspector_app.core.merge.run import MergeReport
    from inspector_app.gui.conflicts_view import ConflictsView
    from inspector_app.gui.dashboard_view import DashboardView
    from inspector_app.gui.findings_view import FindingsView
    from inspector_app.gui.merge_window import MergeWindow
    from inspector_app.gui.publish_action import Publisher
    from inspector_app.gui.report_view import ReportView
    from inspector_app.gui.setup_view import SetupView

log = logging.getLogger(__name__)

_Window = TypeVar("_Window", bound=QWidget)


class LeadTools(QObject):
    """The master-only screens and windows of one main window."""

    saveStateChanged = Signal(str)  # the report's text: saved / pending / failed
    conflictCountChanged = Signal(object)  # open conflicts (None: not known)

    def __init__(
        self,
        window: QMainWindow,
        files: FileController,
        navigator: Navigator,
        operations: OperationBus,
    ) -> None:
        super().__init__(window)
        self.dashboard_view: DashboardView | None = None
        self.findings_view: FindingsView | None = None
        self.report_view: ReportView | None = None
        self.setup_view: SetupView | None = None
        self.merge_window: MergeWindow | None = None
        self.conflicts_view: ConflictsView | None = None
        self.publisher: Publisher | None = None
        self.conflict_count: int | None = None
        self._window = window
        self._files = files
        self._navigator = navigator
        self._operations = operations
        self._conflict_token = 0
        self._undo_state: tuple[Path, str | None, ScreenState] | None = None
        files.attached.connect(self._on_attached)
        files.closing.connect(self._on_closing)
        operations.executed.connect(self._on_operation)

    def includes_cases_in_progress(self) -> bool:
        """Whether the report counts cases not yet complete (the findings export follows)."""
        return self.report_view is not None and self.report_view.in_progress_box.isChecked()

    # -- the screens -----------------------------------------------------------------------------

    def _ensure_screens(self) -> None:
        if self.findings_view is not None:
            return
        from inspector_app.gui.dashboard_view import DashboardView
        from inspector_app.gui.findings_view import FindingsView
        from inspector_app.gui.report_view import ReportView
        from inspector_app.gui.setup_view import SetupView

        dashboard = self.dashboard_view = DashboardView()
        dashboard.scopeRequested.connect(self._navigator.show_cases_of)
        dashboard.conflictsRequested.connect(self.show_conflicts)
        findings = self.findings_view = FindingsView()
        # A rating adjusted on the Findings screen is written through the window's file and
        # announced like any other change.
        findings.file_source = lambda: self._files.file
        findings.announce = lambda changes: self._operations.announce(changes, findings)
        findings.message.connect(self._show_message)
        report = self.report_view = ReportView()
        report.editor.saveStateChanged.connect(self.saveStateChanged)
        report.editor.failed.connect(self._files.tell_not_saved)
        report.message.connect(self._show_message)
        self._files.add_saver(report.flush, report.unsaved_text)
        # One choice under one label: counting cases in progress on the Findings screen
        # counts them in the report too, and the other way round.
        findings.in_progress_box.toggled.connect(report.in_progress_box.setChecked)
        report.in_progress_box.toggled.connect(findings.in_progress_box.setChecked)
        setup = self.setup_view = SetupView()
        setup.announce = lambda changes: self._operations.announce(changes, setup)
        setup.message.connect(self._show_message)
        # Set-up changes go on the open file's undo stack: Edit > Undo takes them back.
        setup.shared_undo = lambda: self._files.session.undo_stack if self._files.session else None
        self._navigator.add_screen(OVERVIEW, dashboard, self.show_overview)
        self._navigator.add_screen(FINDINGS, findings, self.show_findings)
        self._navigator.add_screen(REPORT, report, self.show_report)
        self._navigator.add_screen(SETUP, setup, self.show_setup)

    def _show_message(self, text: str) -> None:
        self._window.statusBar().showMessage(text, 8000)

    def _may_show(self, screen: QWidget | None) -> bool:
        """A lead's screen shows for a master, once the edit in flight is saved."""
        session = self._files.session
        if not self._files.is_master() or session is None or not session.flush():
            return False
        assert screen is not None
        self._navigator.bring(screen)
        return True

    def show_overview(self) -> None:
        if self._may_show(self.dashboard_view):
            assert self.dashboard_view is not None
            self.dashboard_view.table.setFocus()

    def show_setup(self) -> None:
        if self._may_show(self.setup_view):
            assert self.setup_view is not None
            self.setup_view.focus_current()

    def show_findings(self) -> None:
        if self._may_show(self.findings_view):
            assert self.findings_view is not None
            self.findings_view.table.setFocus()

    def show_report(self) -> None:
        if self._may_show(self.report_view):
            assert self.report_view is not None
            self.report_view.editor.tabs.setFocus()

    # -- the windows -----------------------------------------------------------------------------

    def show_merge_window(self) -> MergeWindow | None:
        """The Merge window for the open master (a window of its own: the lead keeps working
        in the main window while files are checked and merged)."""
        if not self._files.is_master():
            return None
        if self.merge_window is not None and self.merge_window.isVisible():
            return _to_front(self.merge_window)
        from inspector_app.gui.merge_window import MergeWindow

        assert self._files.file is not None
        file = self._files.file
        window = MergeWindow.open_for(file.path, self._window, passphrase=file.db.passphrase)
        if window is None:
            return None
        if self.merge_window is not None:
            self.merge_window.deleteLater()
        window.merged.connect(self._after_merge)
        window.aboutToUndo.connect(self._before_undo)
        window.undone.connect(self._after_undo)
        window.undoFailed.connect(lambda _message: self._after_undo(None))
        self.merge_window = window
        window.show()
        return _to_front(window)

    def show_conflicts(self) -> ConflictsView | None:
        """The Conflicts view of the open master, as a window of its own."""
        if not self._files.is_master():
            return None
        if self.conflicts_view is not None and self.conflicts_view.isVisible():
            return _to_front(self.conflicts_view)
        from inspector_app.gui.conflicts_view import ConflictsView

        assert self._files.file is not None
        file = self._files.file
        view = ConflictsView.open_for(file.path, self._window, passphrase=file.db.passphrase)
        if view is None:
            return None
        if self.conflicts_view is not None:
            self.conflicts_view.deleteLater()
        view.setWindowFlag(Qt.WindowType.Window, True)
        view.changed.connect(
            lambda changes: self._operations.announce(changes | Changes(conflicts=True), view)
        )
        view.countChanged.connect(self._show_conflict_count)
        self.conflicts_view = view
        view.show()
        return _to_front(view)

    def publish_to_store(self) -> None:
        """Publish the master to the central store, after saying what leaves it and where."""
        if not self._files.is_master():
            return
        if self.publisher is None:
            from inspector_app.gui.publish_action import Publisher

            self.publisher = Publisher(self._window, self._files, self.show_conflicts)
            self.publisher.published.connect(self._after_publish)
        self.publisher.start()

    def _after_publish(self, _outcome: object) -> None:
        """The store changed: the Findings screen compares again (now if on screen)."""
        if self.findings_view is not None:
            self.findings_view.comparison.invalidate()

    def _count_conflicts(self) -> None:
        """Read the number of open conflicts (for the menu) off the UI thread."""
        from inspector_app.app.lead import count_open_conflicts
        from inspector_app.gui.background import run_in_background

        if not self._files.is_master():
            return
        assert self._files.file is not None
        self._conflict_token += 1
        token = self._conflict_token
        path, passphrase = Path(self._files.file.path), self._files.file.db.passphrase

        def counted(count: int) -> None:
            if token == self._conflict_token:  # else the file was closed since
                self._show_conflict_count(count)

        run_in_background(
            lambda: count_open_conflicts(path, passphrase),
            counted,
            lambda exc: log.warning("open conflicts could not be counted: %s", exc),
        )

    def _show_conflict_count(self, count: int | None) -> None:
        self.conflict_count = count
        self.conflictCountChanged.emit(count)

    # -- following the open file -----------------------------------------------------------------

    def _on_attached(self, file: InspectionFile) -> None:
        """A master opens on its overview, its screens on it; any other file has none."""
        if not file.is_master:
            self._detach_screens()
            return
        self._ensure_screens()
        assert self.findings_view is not None and self.report_view is not None
        assert self.setup_view is not None and self.dashboard_view is not None
        path, passphrase = Path(file.path), file.db.passphrase
        self.findings_view.set_file(path, passphrase)
        self.report_view.set_file(file, passphrase)
        self.setup_view.set_file(file)
        self.dashboard_view.set_file(path, passphrase)
        self._count_conflicts()
        self._navigator.bring(self.dashboard_view)
        focused = QApplication.focusWidget()
        if focused is None or not focused.isVisible():  # the keyboard starts on the figures
            self.dashboard_view.table.setFocus()

    def _on_closing(self, keep_tools: bool) -> None:
        """The Merge and Conflicts windows close with the file, unless it is only being
        reopened (`keep_tools`); the screens let go of it."""
        if not keep_tools:
            for window in (self.merge_window, self.conflicts_view):
                if window is not None and window.isVisible():
                    window.close()
        self._detach_screens()
        self._conflict_token += 1  # a count still on its way is about this file
        self.conflict_count = None

    def _detach_screens(self) -> None:
        if self.findings_view is not None and self.report_view is not None:
            self.findings_view.set_file(None, None)
            self.report_view.set_file(None)
        if self.setup_view is not None:
            self.setup_view.set_file(None)
        if self.dashboard_view is not None:
            self.dashboard_view.set_file(None, None)

    def _on_operation(self, changes: Changes, initiator: object | None) -> None:
        """Each screen reads again what concerns it (and not what it did itself)."""
        if self._files.file is None:
            return
        if self.findings_view is not None:
            self.findings_view.invalidate()
        setup = self.setup_view
        if setup is not None and initiator is not setup and (changes.team or changes.cases):
            setup.invalidate()
        if self.dashboard_view is not None:
            self.dashboard_view.invalidate()
        report = self.report_view
        if changes.narrative and report is not None and initiator is not report:
            report.reload_text()
        if changes.conflicts:
            conflicts = self.conflicts_view
            if conflicts is not None and conflicts is not initiator and conflicts.isVisible():
                conflicts.reload()
            self._count_conflicts()

    # -- a merge and its undo, done through other connections -----------------------------------

    def _after_merge(self, _report: MergeReport) -> None:
        """A merge wrote to the master through its own connection: this window's clock moves
        past what came in, and every view reads again what it shows, on the screen the lead
        is on (an edit in flight is saved first)."""
        if not self._files.is_master():
            return
        assert self._files.file is not None and self._files.session is not None
        self._files.flush_edits()
        self._files.file.catch_up()
        # An undo now would write the old value over what the team's files brought in.
        self._files.session.undo_stack.clear()
        self._operations.announce(Changes.everything(), self.merge_window)

    def _before_undo(self) -> None:
        """An undo is about to replace the master on disk: let go of it (and so must the
        Conflicts window); `_after_undo` opens it again."""
        if self.conflicts_view is not None:
            self.conflicts_view.close_file()
        if not self._files.is_master():
            return
        assert self._files.file is not None
        path, passphrase = Path(self._files.file.path), self._files.file.db.passphrase
        self._undo_state = (path, passphrase, self._navigator.screen_state())
        if self._files.close_file(keep_tools=True):
            self._files.set_busy(self.tr("Undoing the last merge…"))

    def _after_undo(self, statement: str | None) -> None:
        """The undo finished (`statement`) or failed (None): open the master again, back on
        the screen the lead was on."""
        undo_state, self._undo_state = self._undo_state, None
        reopened = True
        if undo_state is not None:
            if self._files.file is not None and not self._files.close_file(keep_tools=True):
                return  # an edit still cannot be saved; the dialog said so, the file stays
            path, passphrase, screen = undo_state
            reopened = self._files.reopen(path, passphrase)
            if reopened:
                self._navigator.show_screen(screen)
        if statement:
            self._window.statusBar().showMessage(statement, 15000)
        view = self.conflicts_view
        if view is not None and view.isVisible():
            # Its reads skip the damage check the main window makes: a master the window
            # could not open again (found damaged, say) is not the Conflicts window's either.
            if reopened:
                view.reload()
            else:
                view.close()


def _to_front(window: _Window) -> _Window:
    """A tool window raised over the main window, with the keyboard."""
    window.raise_()
    window.activateWindow()
    return window
