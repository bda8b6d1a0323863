"""Shared pieces of the New Inspection wizard's pages: messages, small widgets, file dialogs."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeGuard

from PySide6.QtCore import (
    QCoreApplication,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableView,
    QWidget,
)

from inspector_app.core.errors import InspectorError
from inspector_app.core.files.fieldwork_export import FILE_SUFFIX
from inspector_app.gui.style import attention, char_width, css_color, muted_text
from inspector_app.gui.translation import QT_TRANSLATE_NOOP

log = logging.getLogger(__name__)


# The roles and the file dialogs' types, marked for the catalogue here and translated where
# shown (`role_name`, and the dialogs below).
ROLE_NAMES = {
    "lead": QT_TRANSLATE_NOOP("common", "Lead inspector"),
    "inspector": QT_TRANSLATE_NOOP("common", "Inspector"),
    "assessor": QT_TRANSLATE_NOOP("common", "Local assessor"),
}


SAMPLE_FILTER = QT_TRANSLATE_NOOP(
    "common", "Case samples (*.csv *.xlsx);;CSV files (*.csv);;Excel workbooks (*.xlsx)"
)


MASTER_FILTER = QT_TRANSLATE_NOOP("common", "Inspection files (*{suffix})")


def role_name(role: str) -> str:
    """A role ("lead") as the screens name it ("Lead inspector"); one not known as it is."""
    return QCoreApplication.translate("common", ROLE_NAMES[role]) if role in ROLE_NAMES else role


def _sentence(message: str) -> str:
    """Core messages may start in lower case (they are also used mid-sentence)."""
    message = message.strip()
    if not message:
        return message
    first = message.split(" ", 1)[0]
    if "." not in first.rstrip(".:,;"):  # a file's name ("long-list.xlsx has ...") stays as it is
        message = message[0].upper() + message[1:]
    return message if message.endswith((".", "!", "?", ")")) else message + "."


def _error_text(exc: BaseException) -> str:
    if isinstance(exc, InspectorError):
        return _sentence(str(exc))
    return _sentence(
        QCoreApplication.translate(
            "common", "Something unexpected went wrong ({name}: {exc})"
        ).format(name=type(exc).__name__, exc=exc)
    )


class SampleFileDialog:
    @classmethod
    def ask(cls, parent: QWidget | None, start: Path | None = None) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(
            parent,
            QCoreApplication.translate("SampleFileDialog", "Choose the case sample"),
            str(start or Path.home()),
            QCoreApplication.translate("common", SAMPLE_FILTER),
        )
        return Path(name) if name else None


class FolderDialog:
    @classmethod
    def ask(cls, parent: QWidget | None, title: str, start: Path | None = None) -> Path | None:
        name = QFileDialog.getExistingDirectory(parent, title, str(start or Path.home()))
        return Path(name) if name else None


class SaveMasterDialog:
    @classmethod
    def ask(cls, parent: QWidget | None, suggested: Path) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(
            parent,
            QCoreApplication.translate("SaveMasterDialog", "Save the master file as"),
            str(suggested),
            QCoreApplication.translate("common", MASTER_FILTER).format(suffix=FILE_SUFFIX),
        )
        return Path(name) if name else None


class EnterLineEdit(QLineEdit):
    """A line edit whose Enter acts on the field (adds a person, checks a file) while
    `wants_enter()` says there is something to act on; otherwise Enter presses the wizard's
    Next button as in any other field."""

    entered = Signal()

    def __init__(self, wants_enter: Callable[[], bool], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.wants_enter = wants_enter

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.wants_enter():
            event.accept()
            self.entered.emit()
            return
        super().keyPressEvent(event)


class EnterSpinBox(QSpinBox):
    """A number box whose Enter applies it (sets a capacity, moves a case) rather than
    pressing the wizard's Next button past the change, which would be lost."""

    entered = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.interpretText()
            event.accept()
            self.entered.emit()
            return
        super().keyPressEvent(event)


class MessageLabel(QLabel):
    """A message under a form: a problem to fix (marked 'Problem:' in words, not only by
    colour), or a plain note. Focusable when it shows a problem, so the keyboard and screen
    readers land on it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setAccessibleName(self.tr("Message"))
        self.hide()

    def show_problems(self, problems: list[str]) -> None:
        if not problems:
            self.clear_message()
            return
        if len(problems) == 1:
            text = self.tr("Problem: {problems}").format(problems=problems[0])
        else:
            text = self.tr("Problems to put right:\n") + "\n".join(f"• {p}" for p in problems)
        self.setText(text)
        self.setAccessibleName(self.tr("Problem"))
        self.setAccessibleDescription(text)
        self.setStyleSheet(f"color: {css_color(attention(self))};")
        self.show()

    def show_note(self, text: str) -> None:
        self.setText(text)
        self.setAccessibleName(self.tr("Note"))
        self.setAccessibleDescription(text)
        self.setStyleSheet("")
        self.show()

    def clear_message(self) -> None:
        self.setText("")
        self.setAccessibleDescription("")
        self.hide()


def _focus_problem(widget: QWidget) -> None:
    """Put the keyboard on the field to put right, its text chosen so typing replaces it (a
    date: its day), as if the user had tabbed there."""
    if widget.hasFocus():
        widget.clearFocus()
    widget.setFocus(Qt.FocusReason.TabFocusReason)


def _intro(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setAccessibleName(text)
    return label


def _muted(text: str, widget: QWidget) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setAccessibleName(text)
    label.setStyleSheet(f"color: {css_color(muted_text(widget))};")
    return label


def _busy_bar(name: str) -> QProgressBar:
    bar = QProgressBar()
    bar.setRange(0, 0)
    bar.setTextVisible(False)
    bar.setAccessibleName(name)
    bar.hide()
    return bar


def _button(text: str, name: str) -> QPushButton:
    button = QPushButton(text)
    button.setAccessibleName(name)
    button.setAutoDefault(False)  # Enter in a field must not press it; Space does
    return button


def _table_view(name: str) -> QTableView:
    view = QTableView()
    view.setAccessibleName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setTabKeyNavigation(False)  # Tab leaves the table; arrows move inside it
    view.setAlternatingRowColors(True)
    view.setWordWrap(True)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(_row_height(view))
    return view


def _row_height(view: QWidget) -> int:
    return view.fontMetrics().lineSpacing() + round(view.fontMetrics().height() * 0.6)


def _fit_columns(view: QTableView, stretch: int) -> None:
    """Each column as wide as its header and cells plus some air; `stretch` takes the rest."""
    header = view.horizontalHeader()
    air = round(char_width(view) * 2)
    for column in range(view.model().columnCount()):
        if column == stretch:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
            continue
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        view.resizeColumnToContents(column)
        header.resizeSection(column, header.sectionSize(column) + air)


if TYPE_CHECKING:
    from inspector_app.gui.wizard.window import NewInspectionWizard


def is_new_inspection_wizard(widget: object) -> TypeGuard[NewInspectionWizard]:
    """Whether a page's wizard is the New Inspection wizard (imported late: the wizard is
    built from the pages that ask)."""
    from inspector_app.gui.wizard.window import NewInspectionWizard

    return isinstance(widget, NewInspectionWizard)
