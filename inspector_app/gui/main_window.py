"""The main window: a shell (the window, its status bar, the stack of screens, drag and drop,
its size and place, closing) composing the parts that do the work:

- `FileController` (gui/file_controller.py): the open file, its session, its case rows;
- `Navigator` (gui/navigator.py): which screen shows;
- `LeadTools` (gui/lead_tools.py): the master-only screens and windows;
- `MainMenus` (gui/main_menus.py): the actions, the menus and F1's list of keys.

They talk through the `OperationBus` and their signals. The window keeps, as delegations, the
attributes and methods it had when it did all of this itself, so callers need not know which
part carries what.

The window shows before the core (SQLAlchemy, Alembic) is imported: those imports happen when
the first file opens, so a cold start paints a window as fast as a bare Qt program does. The
screens that need the core are built then too.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

from PySide6.QtCore import (
    QCoreApplication,
    QSize,
    Signal,
)
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QMenu, QStackedWidget

from inspector_app.gui.actions import ActionRegistry
from inspector_app.gui.after_paint import after_next_paint
from inspector_app.gui.file_controller import FileController
from inspector_app.gui.file_opener import FileOpener
from inspector_app.gui.lead_tools import LeadTools
from inspector_app.gui.main_menus import MainMenus
from inspector_app.gui.navigator import Navigator
from inspector_app.gui.operations import OperationBus
from inspector_app.gui.style import attention, css_color, muted_text
from inspector_app.gui.translation import QT_TRANSLATE_NOOP
from inspector_app.gui.welcome import WelcomePage

if TYPE_CHECKING:
    from inspector_app.core.files.inspection_file import InspectionFile
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

APP_TITLE = "Inspector"  # the product's name, the same in every language
# The status bar's save state, as the tests compare it (translated where shown).
SAVED_TEXT = QT_TRANSLATE_NOOP("main_window", "All changes saved")
PENDING_TEXT = QT_TRANSLATE_NOOP("main_window", "Saving…")
FAILED_TEXT = QT_TRANSLATE_NOOP("main_window", "Not saved")

T = TypeVar("T")
Command = Callable[[], None]


class _OnPart(Generic[T]):
    """An attribute or method of the window that lives on one of its parts (`part`, the
    attribute of the window holding it), read and written there under the same name."""

    def __init__(self, part: str) -> None:
        self.part = part
        self._name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    @overload
    def __get__(self, window: None, owner: type) -> _OnPart[T]: ...
    @overload
    def __get__(self, window: object, owner: type | None = None) -> T: ...
    def __get__(self, window: object, owner: type | None = None) -> T | _OnPart[T]:
        if window is None:
            return self
        value: T = getattr(getattr(window, self.part), self._name)
        return value

    def __set__(self, window: object, value: T) -> None:
        setattr(getattr(window, self.part), self._name, value)


class MainWindow(QMainWindow):
    fileOpened = Signal(str)  # path
    casesLoaded = Signal()

    # The open file (gui/file_controller.py).
    file: _OnPart[InspectionFile | None] = _OnPart("files")
    session: _OnPart[EditSession | None] = _OnPart("files")
    case_model: _OnPart[CaseListModel | None] = _OnPart("files")
    opener: _OnPart[FileOpener] = _OnPart("files")
    recent_menu: _OnPart[QMenu] = _OnPart("files")
    choose_file: _OnPart[Command] = _OnPart("files")
    open_demo: _OnPart[Callable[[], bool]] = _OnPart("files")
    new_inspection: _OnPart[Command] = _OnPart("files")
    save_handover_copy: _OnPart[Command] = _OnPart("files")
    export_answers: _OnPart[Command] = _OnPart("files")
    purge_identifiers: _OnPart[Callable[[], bool]] = _OnPart("files")
    # The case screens (gui/navigator.py).
    case_list: _OnPart[CaseListPage | None] = _OnPart("navigator")
    review: _OnPart[CaseReview | None] = _OnPart("navigator")
    open_selected_case: _OnPart[Command] = _OnPart("navigator")
    show_case_list: _OnPart[Command] = _OnPart("navigator")
    focus_filter: _OnPart[Command] = _OnPart("navigator")
    # The lead's screens and windows, a master only (gui/lead_tools.py).
    findings_view: _OnPart[FindingsView | None] = _OnPart("lead")
    report_view: _OnPart[ReportView | None] = _OnPart("lead")
    setup_view: _OnPart[SetupView | None] = _OnPart("lead")
    dashboard_view: _OnPart[DashboardView | None] = _OnPart("lead")
    merge_window: _OnPart[MergeWindow | None] = _OnPart("lead")
    conflicts_view: _OnPart[ConflictsView | None] = _OnPart("lead")
    conflict_count: _OnPart[int | None] = _OnPart("lead")
    show_overview: _OnPart[Command] = _OnPart("lead")
    show_setup: _OnPart[Command] = _OnPart("lead")
    show_findings: _OnPart[Command] = _OnPart("lead")
    show_report: _OnPart[Command] = _OnPart("lead")
    show_merge_window: _OnPart[Callable[[], MergeWindow | None]] = _OnPart("lead")
    show_conflicts: _OnPart[Callable[[], ConflictsView | None]] = _OnPart("lead")
    # The actions and menus (gui/main_menus.py).
    actions_registry: _OnPart[ActionRegistry] = _OnPart("menus")
    inspection_menu: _OnPart[QMenu] = _OnPart("menus")
    export_findings: _OnPart[Command] = _OnPart("menus")
    undo: _OnPart[Command] = _OnPart("menus")
    redo: _OnPart[Command] = _OnPart("menus")
    show_shortcuts: _OnPart[Command] = _OnPart("menus")
    show_about: _OnPart[Command] = _OnPart("menus")
    open_action: _OnPart[QAction] = _OnPart("menus")
    demo_action: _OnPart[QAction] = _OnPart("menus")
    new_action: _OnPart[QAction] = _OnPart("menus")
    close_action: _OnPart[QAction] = _OnPart("menus")
    handover_action: _OnPart[QAction] = _OnPart("menus")
    export_answers_action: _OnPart[QAction] = _OnPart("menus")
    export_findings_action: _OnPart[QAction] = _OnPart("menus")
    purge_action: _OnPart[QAction] = _OnPart("menus")
    quit_action: _OnPart[QAction] = _OnPart("menus")
    undo_action: _OnPart[QAction] = _OnPart("menus")
    redo_action: _OnPart[QAction] = _OnPart("menus")
    find_action: _OnPart[QAction] = _OnPart("menus")
    back_action: _OnPart[QAction] = _OnPart("menus")
    open_case_action: _OnPart[QAction] = _OnPart("menus")
    next_unanswered_action: _OnPart[QAction] = _OnPart("menus")
    next_section_action: _OnPart[QAction] = _OnPart("menus")
    prev_section_action: _OnPart[QAction] = _OnPart("menus")
    next_case_action: _OnPart[QAction] = _OnPart("menus")
    prev_case_action: _OnPart[QAction] = _OnPart("menus")
    complete_action: _OnPart[QAction] = _OnPart("menus")
    review_note_action: _OnPart[QAction] = _OnPart("menus")
    reviewed_action: _OnPart[QAction] = _OnPart("menus")
    profile_action: _OnPart[QAction] = _OnPart("menus")
    history_action: _OnPart[QAction] = _OnPart("menus")
    shortcuts_action: _OnPart[QAction] = _OnPart("menus")
    about_action: _OnPart[QAction] = _OnPart("menus")
    overview_action: _OnPart[QAction] = _OnPart("menus")
    cases_action: _OnPart[QAction] = _OnPart("menus")
    findings_action: _OnPart[QAction] = _OnPart("menus")
    report_action: _OnPart[QAction] = _OnPart("menus")
    setup_action: _OnPart[QAction] = _OnPart("menus")
    merge_action: _OnPart[QAction] = _OnPart("menus")
    conflicts_action: _OnPart[QAction] = _OnPart("menus")

    def __init__(self) -> None:
        super().__init__()
        # Every change to the open file, whoever made it, reaches the views through here.
        self.operations = OperationBus(self)
        self.setWindowTitle(APP_TITLE)
        self.setAcceptDrops(True)
        self.setAccessibleName(self.tr("Inspector main window"))
        self.stack = QStackedWidget()
        self.stack.setAccessibleName(self.tr("Screens"))
        self.welcome = WelcomePage()
        self.stack.addWidget(self.welcome)
        self.setCentralWidget(self.stack)
        self._build_status_bar()
        # The parts, each connected to what it follows before the next is made: the order
        # of their connections is the order in which they hear of a file or a change.
        self.files = FileController(self, self.welcome, self.operations)
        self.files.attached.connect(self._show_file)
        self.files.closed.connect(self._show_no_file)
        self.files.opened.connect(self.fileOpened)
        self.navigator = Navigator(self, self.stack, self.welcome, self.files, self.operations)
        self.files.casesLoaded.connect(self.casesLoaded)
        self.lead = LeadTools(self, self.files, self.navigator, self.operations)
        self.lead.saveStateChanged.connect(self._show_save_state)
        self.menus = MainMenus(self, self.operations, self.files, self.navigator, self.lead)
        self.menus.update_actions()
        self._restore_geometry()

    def _build_status_bar(self) -> None:
        self.role_label = QLabel()
        self.role_label.setAccessibleName(self.tr("File role and owner"))
        self.save_label = QLabel()
        self.save_label.setAccessibleName(self.tr("Save state"))
        for label in (self.role_label, self.save_label):
            label.setContentsMargins(12, 0, 12, 0)
            self.statusBar().addPermanentWidget(label)
        self.statusBar().setAccessibleName(self.tr("Status bar"))

    def after_first_paint(self, fn: Callable[[], object]) -> None:
        """Run `fn` once the window has been painted for the first time (so a slow first
        step, like opening a file, never delays the window appearing)."""
        after_next_paint(self, fn)

    # -- the open file, in the title and the status bar ------------------------------------------

    def _show_file(self, file: InspectionFile) -> None:
        assert self.files.session is not None
        self.files.session.saveStateChanged.connect(self._show_save_state)
        self.setWindowTitle(
            self.tr("{title} — {name} — {app}").format(
                title=file.inspection.title, name=Path(file.path).name, app=APP_TITLE
            )
        )
        self.setWindowFilePath(str(file.path))
        role = self.tr("Master file") if file.is_master else self.tr("Fieldwork file")
        owner = file.role.owner_name
        self.role_label.setText(
            self.tr("{role} · {owner}").format(role=role, owner=owner) if owner else role
        )
        self._show_save_state("saved")

    def _show_no_file(self) -> None:
        self.setWindowTitle(APP_TITLE)
        self.setWindowFilePath("")
        self.role_label.setText("")
        self.save_label.setText("")

    def _show_save_state(self, state: str) -> None:
        if state == "pending":
            self.save_label.setText(QCoreApplication.translate("main_window", PENDING_TEXT))
            self.save_label.setStyleSheet("")
        elif state == "failed":
            self.save_label.setText(QCoreApplication.translate("main_window", FAILED_TEXT))
            self.save_label.setStyleSheet(f"color: {css_color(attention(self))};")
        else:
            self.save_label.setText(QCoreApplication.translate("main_window", SAVED_TEXT))
            self.save_label.setStyleSheet(f"color: {css_color(muted_text(self))};")
        self.menus.update_undo_actions()

    # -- delegated to the parts: the methods that take arguments ---------------------------------

    def open_file(self, path: Path | str, passphrase: str | None = None) -> bool:
        return self.files.open_file(path, passphrase)

    def close_file(self, *, keep_tools: bool = False) -> bool:
        return self.files.close_file(keep_tools=keep_tools)

    def open_case(self, case_key: str, code: str | None = None) -> None:
        self.navigator.open_case(case_key, code)

    def step_case(self, delta: int) -> None:
        self.navigator.step_case(delta)

    def show_cases_of(self, scope: object) -> None:
        self.navigator.show_cases_of(scope)

    # -- window state ----------------------------------------------------------------------------

    def _restore_geometry(self) -> None:
        """Where the window was left on these screens; on a first start, room for a case
        beside its profile, maximised on a screen smaller than that."""
        from inspector_app.gui.window_geometry import keep_geometry

        fm = self.fontMetrics()
        wanted = QSize(max(1100, fm.averageCharWidth() * 170), max(720, fm.height() * 42))
        keep_geometry(self, "main", wanted, maximise_to_fit=True)

    def save_window_state(self) -> None:
        from inspector_app.gui.window_geometry import save

        save(self, "main")
        self.navigator.save_splitter()

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
