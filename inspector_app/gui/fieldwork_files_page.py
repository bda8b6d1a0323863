"""The Fieldwork files tab of the set-up screen: each reader's cases, the work of theirs
already in the master and when their file was written and last merged, and their fieldwork
file written again (a lost file, new cases, a changed allocation), one or all, each with its
own passphrase."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from inspector_app.app.team_board import Person, TeamBoard
from inspector_app.core.errors import InspectorError
from inspector_app.core.files.fieldwork_records import FileHistory
from inspector_app.core.files.passphrase import check_new_passphrase
from inspector_app.core.plural import counted
from inspector_app.core.times import local_time
from inspector_app.gui.style import attention, css_color, muted_text
from inspector_app.gui.table_model import TableModel, row_table
from inspector_app.gui.translation import QT_TRANSLATE_NOOP


def received_text(person: Person) -> str:
    if not person.revisions or person.latest_ms is None:
        return QCoreApplication.translate("fieldwork_files_page", "nothing yet")
    when = datetime.fromtimestamp(person.latest_ms / 1000, UTC).astimezone()
    return QCoreApplication.translate(
        "fieldwork_files_page", "{counted}, newest {strftime}"
    ).format(
        counted=counted(person.revisions, "{n} change", "{n} changes"),
        strftime=local_time(when),
    )


def _local(iso: str) -> str:
    """A UTC time as the page prints it, in local time: "Thu 3 Dec 14:02"."""
    when = datetime.fromisoformat(iso)
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return local_time(when)


def file_text(history: FileHistory) -> str:
    """When a person's file was written and last merged: "written Thu 3 Dec 14:02, last merged
    Sat 5 Dec 09:10 (12 changes)"."""
    parts = []
    if history.written_at is not None:
        parts.append(
            QCoreApplication.translate("fieldwork_files_page", "written {when}").format(
                when=_local(history.written_at)
            )
        )
    if history.merged_at is not None:
        parts.append(
            QCoreApplication.translate("fieldwork_files_page", "last merged {when}").format(
                when=_local(history.merged_at)
            )
            + (
                " (" + counted(history.merged_revisions, "{n} change", "{n} changes") + ")"
                if history.merged_revisions is not None
                else ""
            )
        )
    if not parts:
        return QCoreApplication.translate("fieldwork_files_page", "not written from this master")
    return ", ".join(parts)


class ExportRequest:
    """What the lead chose: the folder, each person's passphrase, identifiers or not."""

    def __init__(
        self, folder: Path, passphrases: dict[str, str | None], with_identifiers: bool
    ) -> None:
        self.folder = folder
        self.passphrases = passphrases
        self.with_identifiers = with_identifiers


class ExportDialog(QDialog):
    """The folder, and a passphrase for each person's file (required when the master is
    encrypted: each file holds the same offenders' data)."""

    def __init__(
        self, parent: QWidget | None, names: list[str], folder: Path, required: bool
    ) -> None:
        super().__init__(parent)
        self.names = names
        self.required = required
        self.setWindowTitle(
            self.tr("Write {names}'s fieldwork file").format(names=names[0])
            if len(names) == 1
            else self.tr("Write fieldwork files")
        )
        self.folder_edit = QLineEdit(str(folder))
        self.folder_edit.setAccessibleName(self.tr("Folder for the fieldwork files"))
        choose = QPushButton(self.tr("C&hoose…"))
        choose.clicked.connect(self._choose)
        folder_label = QLabel(self.tr("F&older"))
        folder_label.setBuddy(self.folder_edit)
        folder_row = QHBoxLayout()
        folder_row.addWidget(folder_label)
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(choose)
        intro = QLabel(
            self.tr(
                "Each file gets its own passphrase: tell it to the person separately "
                "from the file (never in the same e-mail)."
            )
            if required
            else self.tr("Leave a passphrase blank for a file without encryption.")
        )
        intro.setWordWrap(True)
        grid = QGridLayout()
        self.edits: dict[str, QLineEdit] = {}
        for row, name in enumerate(names):
            edit = QLineEdit()
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setAccessibleName(self.tr("Passphrase for {name}'s file").format(name=name))
            edit.setPlaceholderText(
                self.tr("at least 8 characters")
                if required
                else self.tr("none: the file is not encrypted")
            )
            label = QLabel(name)
            label.setBuddy(edit)
            grid.addWidget(label, row, 0)
            grid.addWidget(edit, row, 1)
            self.edits[name] = edit
        self.show_box = QCheckBox(self.tr("&Show the passphrases"))
        self.show_box.toggled.connect(self._echo)
        self.identifiers = QCheckBox(
            self.tr("Include identifying details (case reference numbers and names)")
        )
        self.identifiers.setToolTip(self.tr("Leave this off unless the person needs them on site."))
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {css_color(attention(self))};")
        self.message.setAccessibleName(self.tr("Problem"))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("&Write"))
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(folder_row)
        layout.addWidget(intro)
        layout.addLayout(grid)
        layout.addWidget(self.show_box)
        layout.addWidget(self.identifiers)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        if self.edits:
            self.edits[names[0]].setFocus()

    def _echo(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        for edit in self.edits.values():
            edit.setEchoMode(mode)

    def _choose(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Folder for the fieldwork files"))
        if folder:
            self.folder_edit.setText(folder)

    def problem(self) -> str | None:
        folder = Path(self.folder_edit.text().strip()).expanduser()
        if not self.folder_edit.text().strip():
            return self.tr("Choose a folder.")
        if not folder.is_dir():
            if not folder.parent.is_dir():
                return self.tr(
                    "Choose a folder that exists (or a new one inside a folder that does)."
                )
            try:
                folder.mkdir()
            except OSError as exc:
                return self.tr("{name}: cannot be made here ({value}).").format(
                    name=folder.name, value=exc.strerror or exc
                )
        for name, edit in self.edits.items():
            text = edit.text()
            if not text and self.required:
                return self.tr("{name}'s file needs a passphrase: the master is encrypted.").format(
                    name=name
                )
            if text:
                try:
                    check_new_passphrase(text)
                except InspectorError as exc:
                    return self.tr("{name}'s file: {exc}.").format(name=name, exc=exc)
        return None

    def _accept(self) -> None:
        problem = self.problem()
        if problem:
            self.message.setText(problem)
            return
        self.accept()

    def request(self) -> ExportRequest:
        return ExportRequest(
            Path(self.folder_edit.text().strip()).expanduser(),
            {name: edit.text() or None for name, edit in self.edits.items()},
            self.identifiers.isChecked(),
        )

    @classmethod
    def ask(
        cls, parent: QWidget | None, names: list[str], folder: Path, required: bool
    ) -> ExportRequest | None:
        dialog = cls(parent, names, folder, required)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.request()


def reads_text(first: int, second: int) -> str:
    """ "20 cases", "20 cases + 4 second reads", "4 second reads": what a reader's file holds
    (a second reader without cases of their own has only the second reads)."""
    parts = [counted(first, "{n} case", "{n} cases")] if first or not second else []
    if second:
        parts.append(counted(second, "{n} second read", "{n} second reads"))
    return " + ".join(parts)


class FieldworkFilesPage(QWidget):
    """Requests exports; the set-up screen writes them."""

    exportRequested = Signal(list)  # names

    HEADERS = (
        QT_TRANSLATE_NOOP("FieldworkFilesPage", "Person"),
        QT_TRANSLATE_NOOP("FieldworkFilesPage", "Cases"),
        QT_TRANSLATE_NOOP("FieldworkFilesPage", "Their work in this master"),
        QT_TRANSLATE_NOOP("FieldworkFilesPage", "Their fieldwork file"),
    )

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Fieldwork files"))
        self.people: list[Person] = []
        self.model = TableModel(
            tuple(QCoreApplication.translate("FieldworkFilesPage", h) for h in self.HEADERS), self
        )
        self.table = row_table(self.model, self.tr("Readers and their work"), stretch=3)
        self.table.activated.connect(lambda _i: self.export_current())
        intro = QLabel(
            self.tr(
                "Write a reader's fieldwork file again when theirs is lost, or after "
                "their cases changed. What they already sent back stays in the master; "
                "their new file starts from everything the master holds on their cases."
            )
        )
        intro.setWordWrap(True)
        intro.setStyleSheet(f"color: {css_color(muted_text(self))};")
        self.export_button = QPushButton(self.tr("&Write file…"))
        self.export_button.setToolTip(self.tr("Write the chosen person's fieldwork file (Enter)"))
        self.export_button.clicked.connect(self.export_current)
        self.export_all_button = QPushButton(self.tr("Write &all files…"))
        self.export_all_button.clicked.connect(
            lambda: self.exportRequested.emit([p.name for p in self.people])
        )
        buttons = QHBoxLayout()
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.export_all_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    def set_board(self, board: TeamBoard) -> None:
        self.people = [p for p in board.people if p.first_reads or p.second_reads]
        self.model.set_rows(
            [
                (
                    p.name,
                    reads_text(len(p.first_reads), len(p.second_reads)),
                    received_text(p),
                    file_text(p.history),
                )
                for p in self.people
            ],
            [
                self.tr("{name}'s file: {file_text}").format(
                    name=p.name, file_text=file_text(p.history)
                )
                + (f" ({p.history.written_name})" if p.history.written_name else "")
                for p in self.people
            ],
        )
        if self.people and not self.table.currentIndex().isValid():
            self.table.selectRow(0)
        has_people = bool(self.people)
        self.export_button.setEnabled(has_people)
        self.export_all_button.setEnabled(has_people)

    def export_current(self) -> None:
        row = self.table.currentIndex().row()
        if 0 <= row < len(self.people):
            self.exportRequested.emit([self.people[row].name])
