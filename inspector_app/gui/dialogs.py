"""Modal dialogs. Each exposes a classmethod `ask(parent, ...) -> result | None` (STYLE 5), so
callers read as one line and tests patch one function instead of a dialog's event loop."""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from inspector_app.core.cases.history import HistoryEntry
from inspector_app.core.framework import Scale
from inspector_app.core.plural import counted
from inspector_app.gui.actions import KeyHelp
from inspector_app.gui.models import HistoryModel
from inspector_app.gui.style import attention, char_width, css_color, heading_font
from inspector_app.gui.translation import QT_TRANSLATE_NOOP
from inspector_app.gui.window_geometry import keep_geometry

FILE_FILTER = QT_TRANSLATE_NOOP("dialogs", "Inspection files (*.inspection);;All files (*)")


def file_filter() -> str:
    """The file dialogs' choice of types, for inspection files (translated)."""
    return QCoreApplication.translate("dialogs", FILE_FILTER)


class ErrorDialog:
    """A message a user can act on: what failed, naming the file, and why."""

    @classmethod
    def ask(cls, parent: QWidget | None, title: str, message: str, detail: str = "") -> None:
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(title)
        box.setText(title)
        box.setInformativeText(message)
        if detail:
            box.setDetailedText(detail)
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
        box.setAccessibleName(title)
        box.exec()


def confirm(
    parent: QWidget | None,
    title: str,
    text: str,
    act: str,
    keep: str,
    *,
    destructive: bool = True,
) -> bool:
    """A question whose default (and Esc) keeps things as they are: True only if the user
    chose `act`."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning if destructive else QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    box.setText(title)
    box.setInformativeText(text)
    box.setAccessibleName(title)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
    role = (
        QMessageBox.ButtonRole.DestructiveRole if destructive else QMessageBox.ButtonRole.AcceptRole
    )
    chosen = box.addButton(act, role)
    kept = box.addButton(keep, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(kept)
    box.setEscapeButton(kept)
    box.exec()
    return box.clickedButton() is chosen


class RemovableMediaDialog:
    """A file on a USB stick or SD card: offer to work on a copy on this computer."""

    LOCAL_COPY = "local copy"
    HERE = "here"

    @classmethod
    def ask(cls, parent: QWidget | None, name: str) -> str | None:
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(
            QCoreApplication.translate("RemovableMediaDialog", "File on a removable drive")
        )
        box.setText(
            QCoreApplication.translate(
                "RemovableMediaDialog", "{name} is on a removable drive."
            ).format(name=name)
        )
        box.setInformativeText(
            QCoreApplication.translate(
                "RemovableMediaDialog",
                "Working on a file on a USB stick risks losing answers if the stick is "
                "pulled out or the computer stops. Work on a copy on this computer, and "
                "hand the file back later with File > Save a copy for hand-over.",
            )
        )
        copy = box.addButton(
            QCoreApplication.translate("RemovableMediaDialog", "Work on a local copy"),
            QMessageBox.ButtonRole.AcceptRole,
        )
        here = box.addButton(
            QCoreApplication.translate("RemovableMediaDialog", "Open it on the drive"),
            QMessageBox.ButtonRole.DestructiveRole,
        )
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(copy)
        box.setAccessibleName(
            QCoreApplication.translate("RemovableMediaDialog", "File on a removable drive")
        )
        box.exec()
        clicked = box.clickedButton()
        if clicked is copy:
            return cls.LOCAL_COPY
        if clicked is here:
            return cls.HERE
        return None


class NoticeDialog:
    """Something the user should know before working on (for example, a risky copy)."""

    @classmethod
    def ask(cls, parent: QWidget | None, title: str, message: str) -> None:
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle(title)
        box.setText(title)
        box.setInformativeText(message)
        box.setAccessibleName(title)
        box.exec()


class ConfirmMoveDialog:
    """Asks before moving cases their reader has already written on: that reader's next
    hand-over copy is refused until the case is theirs again."""

    @classmethod
    def ask(cls, parent: QWidget | None, labels: Sequence[str], to: str) -> bool:
        listed = ", ".join(labels[:5]) + (
            QCoreApplication.translate("ConfirmMoveDialog", " and {value} more").format(
                value=len(labels) - 5
            )
            if len(labels) > 5
            else ""
        )
        return confirm(
            parent,
            QCoreApplication.translate("ConfirmMoveDialog", "Move to {to}?").format(to=to),
            QCoreApplication.translate(
                "ConfirmMoveDialog",
                "Their present reader has already written on {listed}. Merge their "
                "latest hand-over copy first: once the case has moved, a copy with their "
                "work on it is refused.",
            ).format(listed=listed),
            QCoreApplication.translate("ConfirmMoveDialog", "Move anyway"),
            QCoreApplication.translate("ConfirmMoveDialog", "Keep them where they are"),
        )


class ConfirmPurgeDialog:
    """Asks before the names and CRNs are removed for good, saying so plainly when the report
    is not final yet. The default button keeps them."""

    @classmethod
    def ask(cls, parent: QWidget | None, file_name: str, final: bool) -> bool:
        draft = (
            ""
            if final
            else QCoreApplication.translate(
                "ConfirmPurgeDialog",
                "The report is not marked final yet: once they are gone, nobody can "
                "check a case against the service's records any more.\n\n",
            )
        )
        return confirm(
            parent,
            QCoreApplication.translate("ConfirmPurgeDialog", "Remove every name and CRN?"),
            QCoreApplication.translate(
                "ConfirmPurgeDialog",
                "{draft}Every case's name and CRN is deleted from {file_name}, with the "
                "undo copy of the last merge and any backup beside it. This cannot be "
                "undone.",
            ).format(draft=draft, file_name=file_name),
            QCoreApplication.translate("ConfirmPurgeDialog", "Remove them")
            if final
            else QCoreApplication.translate("ConfirmPurgeDialog", "Remove them anyway"),
            QCoreApplication.translate("ConfirmPurgeDialog", "Keep them"),
        )


class PassphraseDialog(QDialog):
    """Asks for the passphrase of a file that is encrypted (or is not an inspection file at
    all: the two cannot be told apart without it)."""

    def __init__(self, parent: QWidget | None, file_name: str, problem: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Passphrase for {file_name}").format(file_name=file_name))
        self.setAccessibleName(self.windowTitle())
        layout = QVBoxLayout(self)
        text = QLabel(
            self.tr(
                "{file_name} is encrypted, or it is not an inspection file. Enter its "
                "passphrase to open it."
            ).format(file_name=file_name)
        )
        text.setWordWrap(True)
        text.setAccessibleName(text.text())
        self.edit = QLineEdit()
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.edit.setAccessibleName(self.tr("Passphrase"))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Open).setAccessibleName(
            self.tr("Open the file")
        )
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName(self.tr("Cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.problem = QLabel(problem)
        self.problem.setWordWrap(True)
        self.problem.setAccessibleName(problem or self.tr("No problem"))
        self.problem.setStyleSheet(f"color: {css_color(attention(self))};")
        self.problem.setVisible(bool(problem))
        layout.addWidget(text)
        layout.addWidget(self.problem)
        layout.addWidget(self.edit)
        layout.addWidget(buttons)
        self.resize(round(char_width(self) * 70), self.sizeHint().height())

    @classmethod
    def ask(cls, parent: QWidget | None, file_name: str, problem: str = "") -> str | None:
        """The passphrase typed, or None if the user cancelled. `problem` says why it is asked
        again (a wrong passphrase)."""
        dialog = cls(parent, file_name, problem)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.edit.text():
            return dialog.edit.text()
        return None


class OpenFileDialog:
    @classmethod
    def ask(cls, parent: QWidget | None, start: Path | None = None) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(
            parent,
            QCoreApplication.translate("OpenFileDialog", "Open inspection file"),
            str(start or Path.home()),
            file_filter(),
        )
        return Path(name) if name else None


class SaveCopyDialog:
    """Where to write a hand-over copy (typically on a USB stick)."""

    @classmethod
    def ask(cls, parent: QWidget | None, suggested: Path) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(
            parent,
            QCoreApplication.translate("SaveCopyDialog", "Save a copy for hand-over"),
            str(suggested),
            file_filter(),
        )
        return Path(name) if name else None


class MissingItemsDialog(QDialog):
    """What stops a case being marked complete; choosing an item returns its question code
    so the caller can jump there."""

    def __init__(
        self, parent: QWidget | None, case_label: str, items: Sequence[tuple[str, str]]
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("{case_label} is not finished").format(case_label=case_label))
        self.setAccessibleName(self.windowTitle())
        layout = QVBoxLayout(self)
        heading = QLabel(
            self.tr("{case_label} cannot be marked complete yet").format(case_label=case_label)
        )
        heading.setFont(heading_font(self.font(), 1.15))
        heading.setAccessibleName(heading.text())
        intro = QLabel(
            counted(
                len(items),
                "{n} thing still to do. Choose one and press Enter to go to the question.",
                "{n} things still to do. Choose one and press Enter to go to the question.",
            )
        )
        intro.setWordWrap(True)
        intro.setAccessibleName(intro.text())
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Questions still to finish"))
        for text, code in items:
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, code)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        self.list.itemActivated.connect(lambda _item: self.accept())
        buttons = QDialogButtonBox()
        go = buttons.addButton(self.tr("Go to question"), QDialogButtonBox.ButtonRole.AcceptRole)
        go.setAccessibleName(self.tr("Go to the chosen question"))
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName(self.tr("Close"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        self.list.setWordWrap(True)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.resize(round(char_width(self) * 100), self.fontMetrics().height() * 26)
        keep_geometry(self, "missing-items")

    def chosen_code(self) -> str | None:
        item = self.list.currentItem()
        return None if item is None else item.data(Qt.ItemDataRole.UserRole)

    @classmethod
    def ask(
        cls, parent: QWidget | None, case_label: str, items: Sequence[tuple[str, str]]
    ) -> str | None:
        """`items` are (text to show, question code); returns the code chosen, or None."""
        dialog = cls(parent, case_label, items)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            return dialog.chosen_code()
        return None


class HistoryDialog(QDialog):
    """Every revision of one answer: who, when, the answer and the evidence note."""

    def __init__(
        self,
        parent: QWidget | None,
        title: str,
        entries: Sequence[HistoryEntry],
        scale: Scale | None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("History of {title}").format(title=title))
        self.setAccessibleName(self.windowTitle())
        layout = QVBoxLayout(self)
        heading = QLabel(title)
        heading.setWordWrap(True)
        heading.setFont(heading_font(self.font(), 1.1))
        heading.setAccessibleName(title)
        layout.addWidget(heading)
        self.model = HistoryModel(entries, scale, self)
        self.table = QTableView()
        self.table.setAccessibleName(self.tr("Revisions of this answer, oldest first"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        self.table.setTabKeyNavigation(False)
        header = self.table.horizontalHeader()
        header.setAccessibleName(self.tr("Revision columns"))
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(HistoryModel.COL_NOTE, QHeaderView.ResizeMode.Stretch)
        if not entries:
            empty = QLabel(self.tr("This question has never been answered."))
            empty.setAccessibleName(empty.text())
            layout.addWidget(empty)
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName(self.tr("Close"))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(round(char_width(self) * 110), self.fontMetrics().height() * 24)
        keep_geometry(self, "history")
        if entries:
            self.table.selectRow(len(entries) - 1)

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        title: str,
        entries: Sequence[HistoryEntry],
        scale: Scale | None = None,
    ) -> None:
        cls(parent, title, entries, scale).exec()


class ShortcutsDialog(QDialog):
    """The keyboard reference (F1), from the window's action registry (gui/actions.py)."""

    def __init__(self, parent: QWidget | None, rows: Sequence[KeyHelp]) -> None:
        super().__init__(parent)
        self.rows = list(rows)
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        self.setAccessibleName(self.tr("Keyboard shortcuts"))
        layout = QVBoxLayout(self)
        table = "".join(
            f"<tr><td style='padding-right:16px'><b>{html.escape(row.keys)}</b></td>"
            f"<td>{html.escape(row.what)}</td></tr>"
            for row in self.rows
        )
        label = QLabel(self.tr("<table cellspacing='4'>{table}</table>").format(table=table))
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setAccessibleName(self.tr("Keyboard shortcuts"))
        # The list scrolls on a screen too short for it (the arrow keys scroll it too).
        scroll = QScrollArea()
        scroll.setWidget(label)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setAccessibleName(self.tr("Keyboard shortcuts"))
        layout.addWidget(scroll, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName(self.tr("Close"))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        margins = layout.contentsMargins()
        bar = scroll.verticalScrollBar().sizeHint().width()
        self.resize(
            label.sizeHint().width() + bar + margins.left() + margins.right(),
            label.sizeHint().height()
            + buttons.sizeHint().height()
            + layout.spacing()
            + margins.top()
            + margins.bottom(),
        )
        keep_geometry(self, "shortcuts")

    @classmethod
    def ask(cls, parent: QWidget | None, rows: Sequence[KeyHelp]) -> None:
        cls(parent, rows).exec()
