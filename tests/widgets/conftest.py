"""Widgets tested on their own: each screen built alone, over a real inspection file on disk
opened through the same services the window uses, shown at a real size and driven by keys.

The files come from the fixtures the other GUI folders already build (imported here, not
copied): `fieldwork` (a copy of Daniel's partly answered fieldwork file, tests/gui), `lead`
(the demo master, merged and conflicted copies, tests/gui_report) and `master` (a small master
of 12 cases, tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from inspector_app.app.team_board import TeamBoard, build_team_board
from inspector_app.core.cases.case_data import CaseState, load_case, load_cases
from inspector_app.core.changes import Changes
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.gui.background import deliver_outcomes, wait_for_background
from inspector_app.gui.case_review import CaseReview
from inspector_app.gui.question_row import QuestionRow
from inspector_app.gui.report_view import ReportView
from inspector_app.gui.session import EditSession
from inspector_app.gui.setup_view import SetupView
from tests.gui.conftest import demo, fieldwork, focused  # noqa: F401  (fixtures)
from tests.gui_report.conftest import errors, lead, lead_source  # noqa: F401  (fixtures)


@pytest.fixture(autouse=True)
def _finish_background_work() -> Iterator[None]:
    """Work a test started ends, and its callbacks run, before the next test begins."""
    yield
    assert wait_for_background(30000)
    deliver_outcomes()


def show(qtbot, widget: QWidget, width: int = 1280, height: int = 800) -> QWidget:
    """The widget as a window of its own at a real size, on screen and active (so keys and
    focus behave as on a desktop)."""
    qtbot.addWidget(widget)
    widget.resize(width, height)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow, timeout=2000)
    return widget


def stored(path: Path, key: str) -> CaseState:
    """The case as a fresh connection reads it from disk."""
    with InspectionFile.open(path, readonly=True) as file:
        return load_case(file, key)


def find_case(path: Path, test: Callable[[CaseState], bool]) -> CaseState:
    with InspectionFile.open(path, readonly=True) as file:
        return next(c for c in load_cases(file) if test(c))


def not_started(case: CaseState) -> bool:
    return not case.answers and not case.marked_complete


def focused_row() -> QuestionRow:
    widget = focused()
    while widget is not None and not isinstance(widget, QuestionRow):
        widget = widget.parentWidget()
    assert widget is not None, f"focus is not on a question but on {focused()!r}"
    return widget


def unnamed_widgets(root: QWidget) -> list[str]:
    kinds = (
        QAbstractButton,
        QAbstractItemView,
        QLineEdit,
        QPlainTextEdit,
        QComboBox,
        QLabel,
        QuestionRow,
    )
    return [
        f"{type(w).__name__} {getattr(w, 'text', lambda: '')()}"
        for w in root.findChildren(QWidget)
        if isinstance(w, kinds)
        and w.isVisible()
        and not w.objectName().startswith(("qt_", "_q_"))
        and not w.accessibleName()
        and not (isinstance(w, QLabel) and not w.text())
    ]


@pytest.fixture
def fieldwork_file(fieldwork: Path) -> Iterator[InspectionFile]:  # noqa: F811
    """Daniel's fieldwork file, open for editing as the window holds it."""
    with InspectionFile.open(fieldwork) as file:
        yield file


@pytest.fixture
def session(fieldwork_file: InspectionFile) -> Iterator[EditSession]:
    """The edit session the window makes for an open file: autosave, notes after a pause,
    undo as new revisions."""
    edits = EditSession(fieldwork_file)
    yield edits
    edits.flush()
    edits.undo_stack.clear()


@pytest.fixture
def review(qtbot, session: EditSession) -> CaseReview:
    """The case review alone, on Daniel's fieldwork file, on a 1280x800 screen."""
    screen = CaseReview()
    screen.set_session(session)
    show(qtbot, screen)
    return screen


@pytest.fixture
def merged_file(lead) -> Iterator[InspectionFile]:  # noqa: F811
    """The lead's master with the team's files merged, open for editing."""
    with InspectionFile.open(lead.merged) as file:
        yield file


class SetupScreen:
    """The set-up screen alone on a master, and every change it announced to the window."""

    def __init__(self, view: SetupView) -> None:
        self.view = view
        self.announced: list[Changes] = []
        view.announce = self.announced.append


@pytest.fixture
def setup_screen(qtbot, merged_file: InspectionFile) -> SetupScreen:
    view = SetupView()
    screen = SetupScreen(view)
    view.set_file(merged_file)
    show(qtbot, view)
    view.focus_current()
    return screen


def board_of(path: Path) -> TeamBoard:
    """Who reads what, as a fresh connection reads it from disk."""
    with InspectionFile.open(path, readonly=True) as file:
        return build_team_board(file)


def when_modal(qtbot, handle: Callable[[QWidget], None], timeout_ms: int = 10000) -> None:
    """Call `handle` with the next modal dialog once it is on screen (checked every 20 ms, so a
    slow machine only waits longer), as a user answering it would. A dialog the handler leaves
    open is closed, so a failing test fails instead of waiting for ever."""
    waited = [0]

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is not None and dialog.isVisible():
            try:
                handle(dialog)
            finally:
                if dialog.isVisible():
                    dialog.close()
        elif waited[0] < timeout_ms:
            waited[0] += 20
            QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)


@contextmanager
def report_on(qtbot, file: InspectionFile) -> Iterator[ReportView]:
    """The Report view alone on a master, on screen at 1280x800 (showing it drafts the lists
    of a narrative never drafted, as in the window); its typed text saved before the file
    closes."""
    view = ReportView()
    view.set_file(file, None)
    show(qtbot, view)
    try:
        yield view
    finally:
        view.flush()
        view.set_file(None)


@pytest.fixture
def report_view(qtbot, merged_file: InspectionFile) -> Iterator[ReportView]:
    with report_on(qtbot, merged_file) as view:
        yield view
