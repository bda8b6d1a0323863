"""Which screen the main window shows, and moving between them.

It exists so one object knows the screens by name: the welcome page, the case list and the
case review (built here when the first file opens: the review once its case list is on
screen, or when a case is opened first), and the lead's screens, which the lead's
tools register with the way each is shown. That is what lets the window say where the lead
was ("findings", or "review" of a case) and come back there after the master was reopened.
It follows the open file through the file controller's signals and the operation bus.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QObject, Signal
from PySide6.QtWidgets import QMainWindow, QStackedWidget, QWidget

from inspector_app.core.changes import Changes
from inspector_app.gui import settings
from inspector_app.gui.after_paint import after_next_paint
from inspector_app.gui.file_controller import FileController
from inspector_app.gui.operations import OperationBus
from inspector_app.gui.welcome import WelcomePage

if TYPE_CHECKING:
    from inspector_app.core.files.inspection_file import InspectionFile
    from inspector_app.gui.case_list import CaseListPage
    from inspector_app.gui.case_review import CaseReview

# The screens by name (the lead's are registered by gui/lead_tools.py).
WELCOME, CASES, REVIEW = "welcome", "cases", "review"
OVERVIEW, SETUP, FINDINGS, REPORT = "overview", "setup", "findings", "report"
LEAD_SCREENS = (OVERVIEW, SETUP, FINDINGS, REPORT)

ScreenState = tuple[str, str | None]  # a screen's name, and the case on screen if a review

SPLITTER_KEY = "window/review-splitter"


class Navigator(QObject):
    """Brings one screen of the window's stack to the front at a time."""

    shown = Signal()  # a screen was brought to the front (or asked for again)

    def __init__(
        self,
        window: QMainWindow,
        stack: QStackedWidget,
        welcome: WelcomePage,
        files: FileController,
        operations: OperationBus,
    ) -> None:
        super().__init__(window)
        self.case_list: CaseListPage | None = None
        self.review: CaseReview | None = None
        self._review_awaited = False  # built after the list's next paint
        self._window = window
        self._stack = stack
        self._welcome = welcome
        self._files = files
        self._screens: dict[str, tuple[QWidget, Callable[[], None]]] = {}
        stack.currentChanged.connect(lambda _index: self.shown.emit())
        files.attached.connect(self._on_attached)
        files.closing.connect(self._on_closing)
        files.closed.connect(lambda: stack.setCurrentWidget(welcome))
        files.alreadyOpen.connect(self.show_case_list)
        files.loadingCases.connect(self._on_loading_cases)
        files.casesLoaded.connect(self._on_cases_loaded)
        operations.executed.connect(self._on_operation)

    def add_screen(self, name: str, screen: QWidget, show: Callable[[], None]) -> None:
        """A screen of the lead's, shown by `show` (which checks it may be)."""
        self._screens[name] = (screen, show)
        self._stack.addWidget(screen)

    def bring(self, screen: QWidget) -> None:
        """`screen` to the front, whether or not it already was."""
        self._stack.setCurrentWidget(screen)
        self.shown.emit()

    # -- where the window is ---------------------------------------------------------------------

    def current(self) -> str:
        """The name of the screen on show ("" for one not known here)."""
        screen = self._stack.currentWidget()
        if screen is self._welcome:
            return WELCOME
        if screen is not None and screen is self.case_list:
            return CASES
        if screen is not None and screen is self.review:
            return REVIEW
        return next((name for name, (s, _) in self._screens.items() if s is screen), "")

    def screen_state(self) -> ScreenState:
        """Where the window is, to come back to with `show_screen` (the case list when it is
        on no screen of a file)."""
        name = self.current()
        if name == REVIEW and self.review is not None:
            return (REVIEW, self.review.case_key)
        if name in self._screens:
            return (name, None)
        return (CASES, None)

    def show_screen(self, state: ScreenState) -> None:
        name, key = state
        if name == REVIEW:
            if key:
                self.open_case(key)
        elif name in self._screens:
            self._screens[name][1]()
        elif name == CASES:
            self.show_case_list()

    # -- the case list and the case review -------------------------------------------------------

    def open_case(self, case_key: str, code: str | None = None) -> None:
        review = self._ensure_review()
        if review is None:
            return
        self._stack.setCurrentWidget(review)
        review.show_case(case_key, code)
        self.shown.emit()
        if code is None and review.current_code is None:
            review.section_list.setFocus()

    def open_selected_case(self) -> None:
        if self.case_list is not None and (key := self.case_list.current_key()):
            self.open_case(key)

    def show_case_list(self) -> None:
        if self.case_list is None or self._files.file is None:
            return
        self._files.flush_edits()
        key = self.review.case_key if self.review else None
        self._stack.setCurrentWidget(self.case_list)
        if not self.case_list.select_key(key):
            self.case_list.focus_table()
        self.case_list.table.setFocus()
        self.shown.emit()

    def show_cases_of(self, scope: object) -> None:
        """A figure of the overview followed: the case list shows the cases behind it."""
        if self.case_list is None:
            return
        self.case_list.set_scope(scope)  # type: ignore[arg-type]
        self.show_case_list()

    def step_case(self, delta: int) -> None:
        """Next / previous case in the list's order (as filtered and sorted)."""
        model = self._files.case_model
        if model is None or self._files.file is None:
            return
        keys = model.visible_keys()
        if not keys:
            return
        current: str | None
        if self.current() == REVIEW and self.review is not None and self.review.case_key:
            current = self.review.case_key
        else:
            current = self.case_list.current_key() if self.case_list else None
        if current in keys:
            index = keys.index(current) + delta
        else:
            index = 0 if delta > 0 else len(keys) - 1
        if not 0 <= index < len(keys):
            filtered = bool(self.case_list and self.case_list.filter_edit.text().strip())
            if filtered:
                end = (
                    self.tr("This is the last case the filter shows; clear the filter for more")
                    if delta > 0
                    else self.tr(
                        "This is the first case the filter shows; clear the filter for more"
                    )
                )
            else:
                end = (
                    self.tr("This is the last case in the list")
                    if delta > 0
                    else self.tr("This is the first case in the list")
                )
            self._window.statusBar().showMessage(end, 5000)
            return
        self.open_case(keys[index])

    def focus_filter(self) -> None:
        if self.case_list is None or self._files.file is None:
            return
        self.show_case_list()
        self.case_list.filter_edit.setFocus()
        self.case_list.filter_edit.selectAll()

    def navigate(self, case_key: str, code: str) -> None:
        """An undo or redo acted on this case and question: show it."""
        if self.review is None or self.current() != REVIEW or self.review.case_key != case_key:
            self.open_case(case_key, code or None)
        elif code:
            self.review.focus_question(code)

    def toggle_profile(self) -> None:
        if self.review is not None:
            self.review.toggle_profile()

    # -- following the open file -----------------------------------------------------------------

    def _ensure_pages(self) -> None:
        """The case list, built when the first file opens (it needs the core)."""
        if self.case_list is not None:
            return
        from inspector_app.gui.case_list import CaseListPage

        assert self._files.case_model is not None
        self.case_list = CaseListPage(self._files.case_model)
        self.case_list.caseActivated.connect(self.open_case)
        self._stack.addWidget(self.case_list)

    def _ensure_review(self) -> CaseReview | None:
        """The case review, built once a file is open: when its case list has been listed
        (so it never holds up the list), or when a case is opened first. None with no file."""
        session = self._files.session
        if session is None:
            return None
        if self.review is None:
            from inspector_app.gui.case_review import CaseReview

            review = self.review = CaseReview()
            review.backRequested.connect(self.show_case_list)
            review.message.connect(lambda text: self._window.statusBar().showMessage(text, 6000))
            self._stack.addWidget(review)
            self._restore_splitter()
        if self.review.session is not session:
            self.review.set_session(session)
        return self.review

    def _on_attached(self, file: InspectionFile) -> None:
        """A file opened: its case list, emptied of the last file's filter, comes to the front."""
        self._ensure_pages()
        assert self.case_list is not None
        session = self._files.session
        assert session is not None
        session.navigate.connect(self.navigate)
        if self.review is not None:
            self.review.set_session(session)
        self.case_list.heading.setText(file.inspection.title)
        self.case_list.filter_edit.clear()
        self.case_list.set_scope(None)  # a figure followed in the last file is not this one's
        self._stack.setCurrentWidget(self.case_list)
        self._welcome.set_busy(None)

    def _on_closing(self, _keep_tools: bool) -> None:
        self.save_splitter()
        if self.review is not None:
            self.review.set_session(None)

    def _on_loading_cases(self) -> None:
        if self.case_list is not None:
            self.case_list.counts.setText(self.tr("Loading cases…"))

    def _on_cases_loaded(self) -> None:
        if self.case_list is not None and self.current() == CASES:
            self.case_list.focus_table()
        if self.review is None and self.case_list is not None and not self._review_awaited:
            # Ready before the first case is opened, once the list is on screen.
            self._review_awaited = True
            after_next_paint(self.case_list.table.viewport(), self._ensure_review)

    def _on_operation(self, changes: Changes, initiator: object | None) -> None:
        """The case under review is read again when someone else changed it."""
        review = self.review
        if self._files.file is None or review is None or initiator is self._files.session:
            return
        if changes.concerns_case(review.case_key):
            review.refresh()

    # -- the review's splitter, kept between sessions --------------------------------------------

    def _restore_splitter(self) -> None:
        stored = settings.app_settings().value(SPLITTER_KEY)
        if self.review is not None and isinstance(stored, QByteArray | bytes):
            self.review.splitter_sized = self.review.splitter.restoreState(QByteArray(stored))

    def save_splitter(self) -> None:
        if self.review is not None:
            store = settings.app_settings()
            store.setValue(SPLITTER_KEY, self.review.splitter.saveState())
            store.sync()
