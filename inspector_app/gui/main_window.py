"""The main window: opening files, the case list and the case review, menus, status bar.

The window shows before the core (SQLAlchemy, Alembic) is imported: those imports happen when
the first file opens, so a cold start paints a window as fast as a bare Qt program does. The
screens that need the core are built then too.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMenu,
    QStackedWidget,
)

from inspector_app.core.changes import Changes
from inspector_app.gui import settings
from inspector_app.gui.actions import ActionRegistry, Shortcut
from inspector_app.gui.file_opener import FileOpener
from inspector_app.gui.operations import OperationBus
from inspector_app.gui.style import attention, css_color, muted_text
from inspector_app.gui.welcome import WelcomePage

if TYPE_CHECKING:
    from inspector_app.core.files.inspection_file import InspectionFile
    from inspector_app.core.merge.run import MergeReport
    from inspector_app.gui.case_list import CaseListPage
    from inspector_app.gui.case_review import CaseReview
    from inspector_app.gui.conflicts_view import ConflictsView
    from inspector_app.gui.dashboard_view import DashboardView
    from inspector_app.gui.findings_view import FindingsView
    from inspector_app.gui.merge_window import MergeWindow
    from inspector_app.gui.models import CaseListModel
    from inspector_app.gui.report_view import ReportView
    from inspector_app.gui.session import EditSession
    from inspector_app.gui.setup_view import SetupView

log = logging.getLogger(__name__)

APP_TITLE = "Inspector"
SAVED_TEXT = "All changes saved"
PENDING_TEXT = "Saving…"
FAILED_TEXT = "Not saved"


class MainWindow(QMainWindow):
    fileOpened = Signal(str)  # path
    casesLoaded = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.file: InspectionFile | None = None
        self.session: EditSession | None = None
        self.case_model: CaseListModel | None = None
        self.case_list: CaseListPage | None = None
        self.review: CaseReview | None = None
        self._load_token = 0
        self._loading = False
        self._dirty_while_loading: set[str] = set()
        self._after_paint: Any = None
        self._passphrase: str | None = None
        # The lead's screens and windows (a master only), built when a master first opens.
        self.findings_view: FindingsView | None = None
        self.report_view: ReportView | None = None
        self.setup_view: SetupView | None = None
        self.dashboard_view: DashboardView | None = None
        self.merge_window: MergeWindow | None = None
        self.conflicts_view: ConflictsView | None = None
        self.conflict_count: int | None = None
        self._conflict_token = 0
        self._undo_state: tuple[Path, str | None, tuple[str, str | None]] | None = None
        # Every change to the open file, whoever made it, reaches the views through here.
        self.operations = OperationBus(self)
        self.operations.executed.connect(self._on_operation)
        self.opener = FileOpener(
            self,
            lambda text, ms: self.statusBar().showMessage(text, ms),
            before_asking=self._not_busy,
        )
        self.setWindowTitle(APP_TITLE)
        self.setAcceptDrops(True)
        self.setAccessibleName("Inspector main window")

        self.stack = QStackedWidget()
        self.stack.setAccessibleName("Screens")
        self.welcome = WelcomePage()
        self.welcome.newRequested.connect(self.new_inspection)
        self.welcome.openRequested.connect(self.choose_file)
        self.welcome.demoRequested.connect(self.open_demo)
        self.welcome.recentChosen.connect(lambda p: self.open_file(Path(p)))
        self.stack.addWidget(self.welcome)
        self.setCentralWidget(self.stack)

        self.role_label = QLabel()
        self.role_label.setAccessibleName("File role and owner")
        self.save_label = QLabel()
        self.save_label.setAccessibleName("Save state")
        for label in (self.role_label, self.save_label):
            label.setContentsMargins(12, 0, 12, 0)
        self.statusBar().addPermanentWidget(self.role_label)
        self.statusBar().addPermanentWidget(self.save_label)
        self.statusBar().setAccessibleName("Status bar")

        self._build_actions()
        self._build_menus()
        self._refresh_recent()
        self._update_actions()
        self._restore_geometry()

    def after_first_paint(self, fn: Any) -> None:
        """Run `fn` once the window has been painted for the first time (so a slow first
        step, like opening a file, never delays the window appearing)."""
        self._after_paint = fn
        self.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self and event.type() == QEvent.Type.Paint and self._after_paint:
            fn, self._after_paint = self._after_paint, None
            self.removeEventFilter(self)
            QTimer.singleShot(0, fn)  # after this paint has reached the screen
        return False

    # -- actions and menus -----------------------------------------------------------------------

    def _action(
        self,
        text: str,
        slot: Any,
        shortcuts: list[Shortcut] | None = None,
        tip: str = "",
        help: str = "",
    ) -> QAction:
        return self.actions_registry.add(text, slot, shortcuts or (), tip=tip, help=help)

    def _build_actions(self) -> None:
        self.actions_registry = ActionRegistry(self)
        std = QKeySequence.StandardKey
        self.open_action = self._action(
            "&Open…", self.choose_file, [std.Open], help="Open an inspection file"
        )
        self.demo_action = self._action("Open the &demo inspection", self.open_demo)
        self.new_action = self._action(
            "&New inspection…",
            self.new_inspection,
            [std.New],
            help="New inspection (the set-up wizard)",
        )
        self.close_action = self._action("&Close file", lambda: self.close_file(), [std.Close])
        self.handover_action = self._action(
            "Save a copy for &hand-over…", self.save_handover_copy, ["Ctrl+Shift+S"]
        )
        self.export_answers_action = self._action(
            "Export &answers for analysis…",
            self.export_answers,
            help="The answers as a spreadsheet (XLSX or CSV), without names unless asked",
        )
        self.export_findings_action = self._action(
            "Export &findings for analysis…",
            self.export_findings,
            help="The figures per question, criterion and sub-group as a spreadsheet",
        )
        self.purge_action = self._action(
            "Remove names and CRNs…",
            self.purge_identifiers,
            help="After publication: delete every case's name and CRN from the master",
        )
        self.quit_action = self._action("&Quit", self.close, [std.Quit, "Ctrl+Q"])
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.undo_action = self._action(
            "&Undo", self.undo, [std.Undo], help="Undo (saved as a new revision)"
        )
        self.redo_action = self._action("&Redo", self.redo, ["Ctrl+Shift+Z", std.Redo], help="Redo")
        self.find_action = self._action(
            "&Filter cases", self.focus_filter, [std.Find], help="Filter the case list"
        )
        self.back_action = self._action(
            "Back to case &list", self.show_case_list, [std.Back], help="Back to the case list"
        )
        self.open_case_action = self._action("&Open selected case", self.open_selected_case)
        self.next_unanswered_action = self._action(
            "Next question to &answer",
            lambda: self.review and self.review.next_needing_attention(),
            ["Ctrl+Return", "Ctrl+Enter"],
            help="Next question still to answer or needing a note",
        )
        self.next_section_action = self._action(
            "Next &section",
            lambda: self.review and self.review.step_section(+1),
            ["Ctrl+PgDown"],
        )
        self.prev_section_action = self._action(
            "&Previous section",
            lambda: self.review and self.review.step_section(-1),
            ["Ctrl+PgUp"],
        )
        self.next_case_action = self._action("&Next case", lambda: self.step_case(+1), ["Ctrl+]"])
        self.prev_case_action = self._action(
            "Pre&vious case", lambda: self.step_case(-1), ["Ctrl+["]
        )
        self.complete_action = self._action(
            "&Mark complete / reopen",
            lambda: self.review and self.review.toggle_complete(),
            ["Ctrl+Shift+C"],
            help="Mark the case complete (or reopen it)",
        )
        self.review_note_action = self._action(
            "Add a review &note…",
            lambda: self.review is not None and self.review.add_review_note(),
            ["Ctrl+Shift+N"],
            help="Master: a review note on the question in focus (or the case) for its reader",
        )
        self.reviewed_action = self._action(
            "Mark case re&viewed / take back",
            lambda: self.review is not None and self.review.toggle_reviewed(),
            ["Ctrl+Shift+V"],
            help="Master: sign the case off as reviewed (or take the sign-off back)",
        )
        self.profile_action = self._action(
            "Show or hide the case &profile",
            self._toggle_profile,
            ["Ctrl+Shift+P"],
            help="Show or hide the case profile beside the questions",
        )
        self.history_action = self._action(
            "Answer &history…",
            lambda: self.review and self.review.show_history(),
            ["Ctrl+H"],
            help="History of the focused answer",
        )
        self.shortcuts_action = self._action(
            "&Keyboard shortcuts", self.show_shortcuts, [std.HelpContents, "F1"], help="This list"
        )
        self.about_action = self._action("&About Inspector", self.show_about)
        self.overview_action = self._action(
            "&Overview",
            self.show_overview,
            ["Ctrl+Shift+O"],
            "Where fieldwork stands, per person",
            "Master: overview of the week's progress",
        )
        self.cases_action = self._action(
            "Case &list", self.show_case_list, ["Ctrl+Shift+L"], help="Master: case list"
        )
        self.findings_action = self._action(
            "&Findings",
            self.show_findings,
            ["Ctrl+Shift+F"],
            "The figures, by question",
            "Master: findings",
        )
        self.report_action = self._action(
            "&Report",
            self.show_report,
            ["Ctrl+Shift+R"],
            "The narrative and the report",
            "Master: report",
        )
        self.setup_action = self._action(
            "&Team and allocation",
            self.show_setup,
            ["Ctrl+Shift+T"],
            "The team, who reads which case, and their fieldwork files",
            "Master: team, allocation and fieldwork files",
        )
        self.merge_action = self._action(
            "&Merge fieldwork files…",
            self.show_merge_window,
            ["Ctrl+Shift+M"],
            "Merge the team's fieldwork files into this master",
            "Master: merge the team's fieldwork files",
        )
        self.conflicts_action = self._action(
            "&Conflicts…",
            self.show_conflicts,
            ["Ctrl+Shift+K"],
            "Answers two people changed differently, to settle",
            "Master: conflicts to settle",
        )

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addAction(self.new_action)
        file_menu.addAction(self.open_action)
        self.recent_menu = QMenu("Open &recent", self)
        file_menu.addMenu(self.recent_menu)
        file_menu.addAction(self.demo_action)
        file_menu.addSeparator()
        file_menu.addAction(self.handover_action)
        export_menu = file_menu.addMenu("&Export")
        export_menu.addAction(self.export_answers_action)
        export_menu.addAction(self.export_findings_action)
        file_menu.addAction(self.purge_action)
        file_menu.addAction(self.close_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = bar.addMenu("&Edit")
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.find_action)
        case_menu = bar.addMenu("&Case")
        for action in (
            self.open_case_action,
            self.back_action,
            None,
            self.next_unanswered_action,
            self.next_section_action,
            self.prev_section_action,
            None,
            self.next_case_action,
            self.prev_case_action,
            None,
            self.complete_action,
            self.history_action,
            self.profile_action,
            None,
            self.review_note_action,
            self.reviewed_action,
        ):
            if action is None:
                case_menu.addSeparator()
            else:
                case_menu.addAction(action)
        self.inspection_menu = bar.addMenu("&Inspection")
        for action in (
            self.overview_action,
            self.cases_action,
            self.findings_action,
            self.report_action,
            None,
            self.setup_action,
            self.merge_action,
            self.conflicts_action,
        ):
            if action is None:
                self.inspection_menu.addSeparator()
            else:
                self.inspection_menu.addAction(action)
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.shortcuts_action)
        help_menu.addAction(self.about_action)

    def _refresh_recent(self) -> None:
        paths = settings.recent_files()
        self.recent_menu.clear()
        for path in paths:
            action = self.recent_menu.addAction(str(path))
            action.triggered.connect(lambda _c=False, p=path: self.open_file(p))
        if paths:
            self.recent_menu.addSeparator()
            self.recent_menu.addAction("Clear list", self._clear_recent)
        self.recent_menu.setEnabled(bool(paths))
        self.welcome.set_recent(paths)

    def _clear_recent(self) -> None:
        settings.clear_recent()
        self._refresh_recent()

    def _update_actions(self) -> None:
        has_file = self.file is not None
        reviewing = (
            has_file and self.review is not None and self.stack.currentWidget() is self.review
        )
        listing = has_file and self.stack.currentWidget() is self.case_list
        is_master = has_file and self.file is not None and self.file.is_master
        lead_screens = [self.findings_view, self.report_view, self.setup_view, self.dashboard_view]
        lead_screen = has_file and any(
            screen is not None and screen is self.stack.currentWidget() for screen in lead_screens
        )
        self.close_action.setEnabled(has_file)
        self.handover_action.setEnabled(has_file)
        self.export_answers_action.setEnabled(has_file)
        self.export_findings_action.setEnabled(is_master)
        self.purge_action.setEnabled(is_master)
        self.find_action.setEnabled(has_file)
        self.open_case_action.setEnabled(listing)
        self.back_action.setEnabled(reviewing or lead_screen)
        self.inspection_menu.setEnabled(is_master)
        for action in (
            self.overview_action,
            self.cases_action,
            self.findings_action,
            self.report_action,
            self.setup_action,
            self.merge_action,
            self.conflicts_action,
        ):
            action.setEnabled(is_master)
        self._show_conflict_count(self.conflict_count if is_master else None)
        for action in (
            self.next_unanswered_action,
            self.next_section_action,
            self.prev_section_action,
            self.complete_action,
            self.history_action,
            self.profile_action,
        ):
            action.setEnabled(reviewing)
        self.review_note_action.setEnabled(bool(reviewing and is_master))
        self.reviewed_action.setEnabled(bool(reviewing and is_master))
        self.next_case_action.setEnabled(has_file)
        self.prev_case_action.setEnabled(has_file)
        self._update_undo_actions()

    def _update_undo_actions(self) -> None:
        session = self.session
        if self.stack.currentWidget() in (self.findings_view, self.report_view):
            session = None  # the undo stack holds answers: never undo one unseen from here
        can_undo = session is not None and (session.undo_stack.canUndo() or session.has_pending())
        can_redo = session is not None and session.undo_stack.canRedo()
        self.undo_action.setEnabled(can_undo)
        self.redo_action.setEnabled(can_redo)
        undo_text = session.undo_stack.undoText() if session else ""
        redo_text = session.undo_stack.redoText() if session else ""
        self.undo_action.setText(f"&Undo {undo_text}" if undo_text else "&Undo")
        self.redo_action.setText(f"&Redo {redo_text}" if redo_text else "&Redo")

    # -- opening and closing ---------------------------------------------------------------------

    def choose_file(self) -> None:
        from inspector_app.gui.dialogs import OpenFileDialog

        recent = settings.recent_files()
        start = recent[0].parent if recent else None
        path = OpenFileDialog.ask(self, start)
        if path is not None:
            self.open_file(path)

    def open_demo(self) -> bool:
        self.welcome.set_busy("Preparing the demo inspection…")
        self.welcome.repaint()
        try:
            from inspector_app.core.demo import ensure_demo

            path = ensure_demo()
        except Exception as exc:  # the app keeps running whatever happened
            log.exception("demo inspection could not be prepared")
            from inspector_app.gui.dialogs import ErrorDialog

            self.welcome.set_busy(None)
            ErrorDialog.ask(self, "Cannot prepare the demo inspection", str(exc))
            return False
        return self.open_file(path)

    def open_file(self, path: Path | str, passphrase: str | None = None) -> bool:
        """Open an inspection file in place of the current one. On failure a dialog names the
        file and the reason, and the file that was open stays open. A file on removable media
        is opened from a local copy if the user agrees."""
        path = Path(path).expanduser()
        if self.opener.on_removable_drive(path):
            copied = self.opener.offer_local_copy(path)
            if copied is None:
                return False
            path, passphrase = copied
        if self.file is not None and path.resolve() == Path(self.file.path).resolve():
            self.show_case_list()
            return True
        if self.session is not None and not self.session.flush():
            return False  # an edit in flight could not be saved: stay with this file
        if self.file is None:
            self.welcome.set_busy(f"Opening {path.name}…")
            self.welcome.repaint()
        else:
            self.statusBar().showMessage(f"Opening {path.name}…")
            self.statusBar().repaint()
        opened = self.opener.open(path, passphrase)
        self.welcome.set_busy(None)
        self.statusBar().clearMessage()
        if opened is None:
            self._refresh_recent()  # a file that has gone is forgotten
            return False
        file, passphrase = opened
        if self.file is not None and not self.close_file():
            file.close()
            return False
        self._passphrase = passphrase  # kept in memory only, for the background readers
        self._attach(file)
        settings.remember_recent(path)
        self._refresh_recent()
        self.fileOpened.emit(str(path))
        return True

    def export_answers(self) -> None:
        from inspector_app.gui.export_dialog import export_answers

        if self.file is None or (self.session is not None and not self.session.flush()):
            return
        export_answers(self, self.file, self._passphrase)

    def export_findings(self) -> None:
        from inspector_app.gui.export_dialog import export_findings

        if not self._is_master() or self.session is None or not self.session.flush():
            return
        assert self.file is not None
        include = self.report_view is not None and self.report_view.in_progress_box.isChecked()
        export_findings(self, self.file, self._passphrase, include)

    def purge_identifiers(self) -> bool:
        """After publication: every name and CRN removed, once the lead has confirmed."""
        from inspector_app.app.identifiers import purge_after_publication, report_is_final
        from inspector_app.core.errors import InspectorError
        from inspector_app.gui.dialogs import ConfirmPurgeDialog, ErrorDialog

        if not self._is_master() or self.session is None or not self.session.flush():
            return False
        assert self.file is not None
        final = report_is_final(self.file)
        if not ConfirmPurgeDialog.ask(self, Path(self.file.path).name, final):
            return False
        try:
            outcome = purge_after_publication(self.file, before_final=not final)
        except InspectorError as exc:
            ErrorDialog.ask(self, "Cannot remove the names and CRNs", str(exc))
            return False
        self.statusBar().showMessage(
            f"Removed the names and CRNs of {outcome.cases} cases; none is left in the file", 15000
        )
        self.operations.announce(Changes(all_cases=True), self)
        return True

    def _toggle_profile(self) -> None:
        if self.review is not None:
            self.review.toggle_profile()

    def _not_busy(self) -> None:
        """A dialog is about to ask or tell: no 'Opening…' behind it."""
        self.welcome.set_busy(None)
        self.statusBar().clearMessage()

    def save_handover_copy(self) -> None:
        """A complete single-file copy of the open file, for a USB stick (saved edits first)."""
        if self.file is None or (self.session is not None and not self.session.flush()):
            return
        self.opener.save_handover_copy(Path(self.file.path), self._passphrase)

    def _attach(self, file: InspectionFile) -> None:
        from inspector_app.gui.session import EditSession

        self._ensure_screens()
        assert self.case_model is not None and self.review is not None
        assert self.case_list is not None
        self.file = file
        self.session = EditSession(file, self)
        self.session.changed.connect(
            lambda changes, session=self.session: self.operations.announce(changes, session)
        )
        self.session.saveStateChanged.connect(self._show_save_state)
        self.session.failed.connect(self._save_failed)
        self.session.navigate.connect(self._navigate)
        stack = self.session.undo_stack
        stack.canUndoChanged.connect(self._update_undo_actions)
        stack.canRedoChanged.connect(self._update_undo_actions)
        stack.indexChanged.connect(self._update_undo_actions)
        self.review.set_session(self.session)
        info = file.inspection
        self.setWindowTitle(f"{info.title} — {Path(file.path).name} — {APP_TITLE}")
        self.setWindowFilePath(str(file.path))
        role = "Master file" if file.is_master else "Fieldwork file"
        owner = file.role.owner_name
        self.role_label.setText(f"{role} · {owner}" if owner else role)
        self._show_save_state("saved")
        self.case_list.heading.setText(info.title)
        self.case_list.filter_edit.clear()
        self.case_list.set_scope(None)  # a figure followed in the last file is not this one's
        self.case_model.set_rows([])
        self.stack.setCurrentWidget(self.case_list)
        self.welcome.set_busy(None)
        self._load_cases()
        self._attach_lead_screens(file)
        if file.is_master and self.dashboard_view is not None:
            self.stack.setCurrentWidget(self.dashboard_view)  # a master opens on its overview
        self._update_actions()
        self._tell_situation(file)

    def _tell_situation(self, file: InspectionFile) -> None:
        """Say so when the file was not closed properly or has been copied or moved."""
        situation = str(getattr(file, "situation", "normal"))
        name = Path(file.path).name
        notes = {
            "recovered": f"{name} was not closed properly last time; everything saved "
            "before then is here.",
            "copied or moved": f"{name} has been copied or moved since it was last open; "
            "this copy now keeps its own edits apart from any other copy.",
            "copied while open": f"{name} is a copy taken while the file was open elsewhere. "
            "Check that this is the copy you mean to work on.",
        }
        if situation in notes:
            self.statusBar().showMessage(notes[situation], 20000)
        if situation == "copied while open":
            from inspector_app.gui.dialogs import NoticeDialog

            NoticeDialog.ask(
                self,
                f"{name} was copied while it was open",
                "This file was copied while Inspector had it open on another computer or in "
                "another folder, so the most recent answers may be missing from it. If you can, "
                "get a fresh copy made with File > Save a copy for hand-over on that computer. "
                "Edits you make here are kept apart from the original's.",
            )

    def _ensure_screens(self) -> None:
        if self.case_model is not None:
            return
        from inspector_app.gui.case_list import CaseListPage
        from inspector_app.gui.case_review import CaseReview
        from inspector_app.gui.models import CaseListModel

        self.case_model = CaseListModel(self)
        self.case_list = CaseListPage(self.case_model)
        self.case_list.caseActivated.connect(self.open_case)
        self.review = CaseReview()
        self.review.backRequested.connect(self.show_case_list)
        self.review.message.connect(lambda text: self.statusBar().showMessage(text, 6000))
        self.stack.addWidget(self.case_list)
        self.stack.addWidget(self.review)
        self.stack.currentChanged.connect(lambda _i: self._update_actions())
        self._restore_splitter()

    def _load_cases(self) -> None:
        """Read the case list off the UI thread, through a connection of its own."""
        from inspector_app.app.case_rows import load_case_rows
        from inspector_app.gui.background import run_in_background

        assert self.file is not None
        self._load_token += 1
        token = self._load_token
        path = Path(self.file.path)
        passphrase = self._passphrase
        self._loading = True
        self._dirty_while_loading = set()
        self.case_list.counts.setText("Loading cases…")  # type: ignore[union-attr]
        run_in_background(
            lambda: load_case_rows(path, passphrase),
            lambda rows: self._cases_loaded(token, rows),
            lambda exc: self._cases_failed(token, exc),
        )

    def _cases_loaded(self, token: int, rows: list) -> None:
        if token != self._load_token or self.file is None:
            return  # a file opened since; this answer is about the old one
        assert self.case_model is not None and self.case_list is not None
        self._loading = False
        self.case_model.set_rows(rows)
        if self._dirty_while_loading:
            self._refresh_case_rows(self._dirty_while_loading)
            self._dirty_while_loading = set()
        if self.stack.currentWidget() is self.case_list:
            self.case_list.focus_table()
        self.casesLoaded.emit()

    def _cases_failed(self, token: int, exc: BaseException) -> None:
        if token != self._load_token:
            return
        self._loading = False
        from inspector_app.gui.dialogs import ErrorDialog

        ErrorDialog.ask(self, "Cannot list the cases", str(exc))

    def close_file(self, *, keep_tools: bool = False) -> bool:
        """Close the open file after saving any edit in flight. False if that edit could not
        be saved (the file then stays open, so nothing is lost). The Merge and Conflicts
        windows close with it, unless `keep_tools` (the master is only being reopened)."""
        if self.file is None:
            return True
        assert self.session is not None
        if not self.session.flush():
            return False
        if self.report_view is not None and not self.report_view.flush():
            return False
        if not keep_tools:
            self._close_lead_windows()
        self._detach_lead_screens()
        self._conflict_token += 1
        self.conflict_count = None
        self._save_splitter()
        self._load_token += 1
        self.review.set_session(None)  # type: ignore[union-attr]
        self.case_model.set_rows([])  # type: ignore[union-attr]
        self.session.undo_stack.clear()
        self.session.deleteLater()
        self.session = None
        self.file.close()
        self.file = None
        self._passphrase = None
        self.setWindowTitle(APP_TITLE)
        self.setWindowFilePath("")
        self.role_label.setText("")
        self.save_label.setText("")
        self.stack.setCurrentWidget(self.welcome)
        self._update_actions()
        return True

    # -- screens ---------------------------------------------------------------------------------

    def open_case(self, case_key: str, code: str | None = None) -> None:
        if self.review is None or self.session is None:
            return
        self.stack.setCurrentWidget(self.review)
        self.review.show_case(case_key, code)
        self._update_actions()
        if code is None and self.review.current_code is None:
            self.review.section_list.setFocus()

    def open_selected_case(self) -> None:
        if self.case_list is not None and (key := self.case_list.current_key()):
            self.open_case(key)

    def show_case_list(self) -> None:
        if self.case_list is None or self.file is None:
            return
        if self.session is not None:
            self.session.flush()
        if self.report_view is not None:
            self.report_view.flush()
        key = self.review.case_key if self.review else None
        self.stack.setCurrentWidget(self.case_list)
        if not self.case_list.select_key(key):
            self.case_list.focus_table()
        self.case_list.table.setFocus()
        self._update_actions()

    def step_case(self, delta: int) -> None:
        """Next / previous case in the list's order (as filtered and sorted)."""
        if self.case_model is None or self.review is None or self.file is None:
            return
        keys = self.case_model.visible_keys()
        if not keys:
            return
        if self.stack.currentWidget() is self.review and self.review.case_key:
            current = self.review.case_key
        else:
            current = self.case_list.current_key() if self.case_list else None
        if current in keys:
            index = keys.index(current) + delta
        else:
            index = 0 if delta > 0 else len(keys) - 1
        if not 0 <= index < len(keys):
            self.statusBar().showMessage(
                "This is the last case in the list" if delta > 0 else "This is the first case",
                5000,
            )
            return
        self.open_case(keys[index])

    def focus_filter(self) -> None:
        if self.case_list is None or self.file is None:
            return
        self.show_case_list()
        self.case_list.filter_edit.setFocus()
        self.case_list.filter_edit.selectAll()

    def undo(self) -> None:
        if self.session is not None:
            self.session.undo()

    def redo(self) -> None:
        if self.session is not None:
            self.session.redo()

    def show_shortcuts(self) -> None:
        from inspector_app.gui.dialogs import ShortcutsDialog

        ShortcutsDialog.ask(self, self.actions_registry.reference())

    def show_about(self) -> None:
        from inspector_app.gui.about_dialog import AboutDialog

        AboutDialog.ask(self)

    def new_inspection(self) -> None:
        """The New Inspection wizard; the master it creates opens at once."""
        from inspector_app.gui.wizard import NewInspectionWizard

        path = NewInspectionWizard.ask(self)
        if path is not None:
            self.open_file(path)

    # -- the lead's screens and windows (a master only) -------------------------------------------

    def _is_master(self) -> bool:
        return self.file is not None and self.file.is_master

    def _ensure_lead_screens(self) -> None:
        if self.findings_view is not None:
            return
        from inspector_app.gui.dashboard_view import DashboardView
        from inspector_app.gui.findings_view import FindingsView
        from inspector_app.gui.report_view import ReportView
        from inspector_app.gui.setup_view import SetupView

        dashboard = self.dashboard_view = DashboardView()
        dashboard.scopeRequested.connect(self.show_cases_of)
        dashboard.conflictsRequested.connect(self.show_conflicts)
        self.stack.addWidget(dashboard)

        self.findings_view = FindingsView()
        self.report_view = ReportView()
        setup = self.setup_view = SetupView()
        setup.announce = lambda changes: self.operations.announce(changes, setup)
        setup.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        editor = self.report_view.editor
        editor.saveStateChanged.connect(self._show_save_state)
        editor.failed.connect(self._save_failed)
        self.report_view.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.stack.addWidget(self.findings_view)
        self.stack.addWidget(self.report_view)
        self.stack.addWidget(self.setup_view)

    def _attach_lead_screens(self, file: InspectionFile) -> None:
        if not file.is_master:
            self._detach_lead_screens()
            return
        self._ensure_lead_screens()
        assert self.findings_view is not None and self.report_view is not None
        assert self.setup_view is not None
        passphrase = file.db.passphrase
        self.findings_view.set_file(Path(file.path), passphrase)
        self.report_view.set_file(file, passphrase)
        self.setup_view.set_file(file)
        assert self.dashboard_view is not None
        self.dashboard_view.set_file(Path(file.path), passphrase)
        self._count_conflicts()

    def _detach_lead_screens(self) -> None:
        if self.findings_view is not None and self.report_view is not None:
            self.findings_view.set_file(None, None)
            self.report_view.set_file(None)
        if self.setup_view is not None:
            self.setup_view.set_file(None)
        if self.dashboard_view is not None:
            self.dashboard_view.set_file(None, None)

    def show_overview(self) -> None:
        if not self._is_master() or self.session is None or not self.session.flush():
            return
        assert self.dashboard_view is not None
        self.stack.setCurrentWidget(self.dashboard_view)
        self.dashboard_view.table.setFocus()
        self._update_actions()

    def show_cases_of(self, scope: object) -> None:
        """A figure of the overview followed: the case list shows the cases behind it."""
        if self.case_list is None:
            return
        self.case_list.set_scope(scope)  # type: ignore[arg-type]
        self.show_case_list()

    def show_setup(self) -> None:
        if not self._is_master() or self.session is None or not self.session.flush():
            return
        assert self.setup_view is not None
        self.stack.setCurrentWidget(self.setup_view)
        self.setup_view.focus_current()
        self._update_actions()

    def show_findings(self) -> None:
        if not self._is_master() or self.session is None or not self.session.flush():
            return
        assert self.findings_view is not None
        self.stack.setCurrentWidget(self.findings_view)
        self.findings_view.table.setFocus()
        self._update_actions()

    def show_report(self) -> None:
        if not self._is_master() or self.session is None or not self.session.flush():
            return
        assert self.report_view is not None
        self.stack.setCurrentWidget(self.report_view)
        self.report_view.editor.tabs.setFocus()
        self._update_actions()

    def show_merge_window(self) -> MergeWindow | None:
        """The Merge window for the open master (a window of its own: the lead keeps working
        here while files are checked and merged)."""
        if not self._is_master():
            return None
        window = self.merge_window
        if window is not None and window.isVisible():
            window.raise_()
            window.activateWindow()
            return window
        from inspector_app.gui.merge_window import MergeWindow

        assert self.file is not None
        window = MergeWindow.open_for(self.file.path, self, passphrase=self.file.db.passphrase)
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
        window.raise_()
        window.activateWindow()
        return window

    def show_conflicts(self) -> ConflictsView | None:
        """The Conflicts view of the open master, as a window of its own."""
        if not self._is_master():
            return None
        view = self.conflicts_view
        if view is not None and view.isVisible():
            view.raise_()
            view.activateWindow()
            return view
        from inspector_app.gui.conflicts_view import ConflictsView

        assert self.file is not None
        view = ConflictsView.open_for(self.file.path, self, passphrase=self.file.db.passphrase)
        if view is None:
            return None
        if self.conflicts_view is not None:
            self.conflicts_view.deleteLater()
        view.setWindowFlag(Qt.WindowType.Window, True)
        view.changed.connect(
            lambda changes, view=view: self.operations.announce(
                changes | Changes(conflicts=True), view
            )
        )
        view.countChanged.connect(self._show_conflict_count)
        self.conflicts_view = view
        view.show()
        view.raise_()
        view.activateWindow()
        return view

    def _close_lead_windows(self) -> None:
        for window in (self.merge_window, self.conflicts_view):
            if window is not None and window.isVisible():
                window.close()

    def _count_conflicts(self) -> None:
        """Read the number of open conflicts (for the menu) off the UI thread."""
        from inspector_app.app.lead import count_open_conflicts
        from inspector_app.gui.background import run_in_background

        if not self._is_master():
            return
        assert self.file is not None
        self._conflict_token += 1
        token = self._conflict_token
        path, passphrase = Path(self.file.path), self.file.db.passphrase
        run_in_background(
            lambda: count_open_conflicts(path, passphrase),
            lambda count: token == self._conflict_token and self._show_conflict_count(count),
            lambda exc: log.warning("open conflicts could not be counted: %s", exc),
        )

    def _show_conflict_count(self, count: int | None) -> None:
        self.conflict_count = count
        if count is None:
            text = "&Conflicts…"
        elif count == 0:
            text = "&Conflicts (none open)…"
        else:
            text = f"&Conflicts ({count} open)…"
        self.conflicts_action.setText(text)

    def _screen_state(self) -> tuple[str, str | None]:
        screen = self.stack.currentWidget()
        if screen is not None and screen is self.findings_view:
            return ("findings", None)
        if screen is not None and screen is self.report_view:
            return ("report", None)
        if screen is not None and screen is self.review and self.review is not None:
            return ("review", self.review.case_key)
        if screen is not None and screen is self.dashboard_view:
            return ("overview", None)
        if screen is not None and screen is self.setup_view:
            return ("setup", None)
        return ("cases", None)

    def _show_screen(self, state: tuple[str, str | None]) -> None:
        name, key = state
        if name == "findings":
            self.show_findings()
        elif name == "report":
            self.show_report()
        elif name == "review" and key:
            self.open_case(key)
        elif name == "overview":
            self.show_overview()
        elif name == "setup":
            self.show_setup()
        elif name == "cases":
            self.show_case_list()

    def _reopen(self, path: Path, passphrase: str | None, state: tuple[str, str | None]) -> bool:
        """Open the master again after it changed under this window (a merge or an undo, done
        through other connections), back on the screen the lead was on."""
        from inspector_app.core.files.inspection_file import InspectionFile
        from inspector_app.gui.dialogs import ErrorDialog

        try:
            file = InspectionFile.open(path, passphrase=passphrase)
        except Exception as exc:  # the app keeps running whatever happened
            log.exception("reopening %s failed", path)
            self.welcome.set_busy(None)
            ErrorDialog.ask(self, f"Cannot open {path.name} again", str(exc), str(path))
            return False
        self._passphrase = passphrase
        self._attach(file)
        self._show_screen(state)
        return True

    def _after_merge(self, _report: MergeReport) -> None:
        """A merge wrote to the master through its own connection: this window's clock moves
        past what came in, and every view reads again what it shows, on the screen the lead
        is on (an edit in flight is saved first)."""
        if not self._is_master():
            return
        assert self.file is not None and self.session is not None
        self.session.flush()
        if self.report_view is not None:
            self.report_view.flush()
        self.file.catch_up()
        # An undo now would write the old value over what the team's files brought in.
        self.session.undo_stack.clear()
        self.operations.announce(Changes.everything(), self.merge_window)

    def _before_undo(self) -> None:
        """An undo is about to replace the master on disk: let go of it (and so must the
        Conflicts window); `_after_undo` opens it again."""
        if self.conflicts_view is not None:
            self.conflicts_view.close_file()
        if not self._is_master():
            return
        assert self.file is not None
        state = self._screen_state()
        path, passphrase = Path(self.file.path), self.file.db.passphrase
        self._undo_state = (path, passphrase, state)
        if self.close_file(keep_tools=True):
            self.welcome.set_busy("Undoing the last merge…")

    def _after_undo(self, statement: str | None) -> None:
        """The undo finished (`statement`) or failed (None): open the master again."""
        state, self._undo_state = self._undo_state, None
        if state is not None:
            if self.file is not None and not self.close_file(keep_tools=True):
                return  # an edit still cannot be saved; the dialog said so, the file stays
            self._reopen(*state)
        if statement:
            self.statusBar().showMessage(statement, 15000)
        if self.conflicts_view is not None and self.conflicts_view.isVisible():
            self.conflicts_view.reload()

    # -- reacting to edits -----------------------------------------------------------------------

    def _on_operation(self, changes: Changes, initiator: object | None) -> None:
        """Any change to the open file: each view reads again what concerns it."""
        if self.file is None:
            return
        if changes.all_cases and self.case_model is not None:
            self._load_cases()
        elif changes.case_keys:
            self._refresh_case_rows(set(changes.case_keys))
        if self.findings_view is not None:
            self.findings_view.invalidate()
        setup = self.setup_view
        if setup is not None and initiator is not setup and (changes.team or changes.cases):
            setup.invalidate()
        if self.dashboard_view is not None:
            self.dashboard_view.invalidate()
        review = self.review
        if (
            review is not None
            and initiator is not self.session
            and changes.concerns_case(review.case_key)
        ):
            review.refresh()
        report = self.report_view
        if changes.narrative and report is not None and initiator is not report:
            report.reload_text()
        conflicts = self.conflicts_view
        if changes.conflicts:
            if conflicts is not None and conflicts is not initiator and conflicts.isVisible():
                conflicts.reload()
            self._count_conflicts()
        self._update_undo_actions()

    def _refresh_case_rows(self, keys: set[str]) -> None:
        if self._loading:
            self._dirty_while_loading |= keys
            return
        if self.file is None or self.case_model is None:
            return
        from inspector_app.app.case_rows import build_case_rows

        self.case_model.update_rows(build_case_rows(self.file, sorted(keys)))

    def _navigate(self, case_key: str, code: str) -> None:
        """An undo or redo acted on this case and question: show it."""
        if self.review is None:
            return
        if self.stack.currentWidget() is not self.review or self.review.case_key != case_key:
            self.open_case(case_key, code or None)
        elif code:
            self.review.focus_question(code)

    def _show_save_state(self, state: str) -> None:
        if state == "pending":
            self.save_label.setText(PENDING_TEXT)
            self.save_label.setStyleSheet("")
        elif state == "failed":
            self.save_label.setText(FAILED_TEXT)
            self.save_label.setStyleSheet(f"color: {css_color(attention(self))};")
        else:
            self.save_label.setText(SAVED_TEXT)
            self.save_label.setStyleSheet(f"color: {css_color(muted_text(self))};")
        self._update_undo_actions()

    def _save_failed(self, message: str) -> None:
        from inspector_app.gui.dialogs import ErrorDialog

        name = Path(self.file.path).name if self.file else "the file"
        ErrorDialog.ask(
            self,
            f"Your last change to {name} was not saved",
            f"{message}\n\nThe change is kept on screen; try again, or copy it elsewhere.",
        )

    # -- window state ----------------------------------------------------------------------------

    def _restore_geometry(self) -> None:
        stored = settings.app_settings().value("window/geometry")
        if isinstance(stored, QByteArray | bytes) and self.restoreGeometry(QByteArray(stored)):
            return
        fm = self.fontMetrics()
        wanted = QSize(max(1100, fm.averageCharWidth() * 170), max(720, fm.height() * 42))
        screen = self.screen()
        if screen is not None:  # never wider or taller than the screen it opens on
            room = screen.availableGeometry()
            wanted = wanted.boundedTo(QSize(room.width(), room.height() - 32))
            if wanted.width() >= room.width() or wanted.height() >= room.height() - 32:
                self.resize(wanted)
                self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)
                return
        self.resize(wanted)

    def _restore_splitter(self) -> None:
        stored = settings.app_settings().value("window/review-splitter")
        if self.review is not None and isinstance(stored, QByteArray | bytes):
            self.review.splitter_sized = self.review.splitter.restoreState(QByteArray(stored))

    def _save_splitter(self) -> None:
        if self.review is not None:
            store = settings.app_settings()
            store.setValue("window/review-splitter", self.review.splitter.saveState())
            store.sync()

    def save_window_state(self) -> None:
        store = settings.app_settings()
        store.setValue("window/geometry", self.saveGeometry())
        store.sync()
        self._save_splitter()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.close_file():
            event.ignore()
            return
        self.save_window_state()
        from inspector_app.gui.background import wait_for_background

        wait_for_background(10000)
        super().closeEvent(event)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if _dropped_file(event) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: Any) -> None:
        if _dropped_file(event) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        path = _dropped_file(event)
        if path is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.open_file(path)


def _dropped_file(event: Any) -> Path | None:
    mime = event.mimeData()
    if mime is None or not mime.hasUrls():
        return None
    for url in mime.urls():
        if url.isLocalFile():
            return Path(url.toLocalFile())
    return None
