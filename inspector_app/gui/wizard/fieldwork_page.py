"""The wizard's fieldwork page: where the fieldwork files go, and their passphrases."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from inspector_app.core.errors import InspectorError
from inspector_app.core.files.passphrase import check_new_passphrase
from inspector_app.core.plural import counted
from inspector_app.gui.style import heading_font
from inspector_app.gui.wizard.common import (
    FolderDialog,
    MessageLabel,
    _button,
    _focus_problem,
    _intro,
    is_new_inspection_wizard,
    role_name,
)


class FieldworkPage(QWizardPage):
    """Where the fieldwork files go, and a passphrase for each if wanted."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Fieldwork files"))
        self.setSubTitle(
            self.tr(
                "Each inspector and assessor gets a file with only their cases, to work "
                "on their own laptop. They are written when the inspection is created."
            )
        )
        self.people: list[tuple[str, str, int]] = []  # name, role, cases
        self.passphrases: dict[str, QLineEdit] = {}
        self._typed: dict[str, str] = {}
        self._required = False  # the master is encrypted: every file needs a passphrase

        self.write = QCheckBox(self.tr("&Write the fieldwork files now"))
        self.write.setAccessibleName(self.tr("Write the fieldwork files now"))
        self.write.setChecked(True)
        self.write.toggled.connect(self._write_toggled)
        self.folder = QLineEdit()
        self.folder.setAccessibleName(self.tr("Folder for the fieldwork files"))
        self.folder.setPlaceholderText(self.tr("for example a folder on an encrypted USB stick"))
        self.choose = _button(
            self.tr("C&hoose…"), self.tr("Choose the folder for the fieldwork files")
        )
        self.choose.clicked.connect(self._choose)
        self.folder_label = QLabel(self.tr("F&older"))
        self.folder_label.setBuddy(self.folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_label)
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(self.choose)
        self.identifiers = QCheckBox(
            self.tr("Include identifying details (case reference numbers and names)")
        )
        self.identifiers.setAccessibleName(self.tr("Include identifying details"))
        self.identifiers.setToolTip(
            self.tr("Leave this off unless the assessors need them on site.")
        )

        self.passphrase_heading = QLabel(self.tr("Passphrases (optional)"))
        self.passphrase_heading.setFont(heading_font(self.font(), 1.0))
        self.passphrase_intro = _intro(
            self.tr(
                "Leave a passphrase blank for a file without encryption. If you give "
                "one, tell it to the person separately from the file (never in the same "
                "e-mail)."
            )
        )
        self.grid_host = QWidget()
        self.grid = QGridLayout(self.grid_host)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setColumnStretch(1, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.grid_host)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setAccessibleName(self.tr("Passphrases for the fieldwork files"))
        self.scroll = scroll
        self.show_passphrases = QCheckBox(self.tr("&Show the passphrases"))
        self.show_passphrases.setAccessibleName(self.tr("Show the passphrases"))
        self.show_passphrases.toggled.connect(self._echo)
        self.message = MessageLabel()

        layout = QVBoxLayout(self)
        layout.addWidget(self.write)
        layout.addLayout(folder_row)
        layout.addWidget(self.identifiers)
        layout.addSpacing(8)
        layout.addWidget(self.passphrase_heading)
        layout.addWidget(self.passphrase_intro)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.show_passphrases)
        layout.addWidget(self.message)

    def initializePage(self) -> None:
        wizard = self.wizard()
        assert is_new_inspection_wizard(wizard)
        allocation = wizard.allocation_page.allocation or {}
        roles = {m.name: m.role for m in wizard.team_page.members}
        self.people = [(n, roles.get(n, ""), c) for n, c in allocation.items() if c > 0]
        self._typed.update({n: e.text() for n, e in self.passphrases.items()})
        self._required = bool(wizard.plan().passphrase)
        if self._required:
            self.passphrase_heading.setText(
                self.tr("Passphrases (one each: the master is encrypted)")
            )
            self.passphrase_intro.setText(
                self.tr(
                    "Every file holds the same offenders' data as the encrypted master, "
                    "so each gets its own passphrase. Tell it to the person separately "
                    "from the file (never in the same e-mail)."
                )
            )
        else:
            self.passphrase_heading.setText(self.tr("Passphrases (optional)"))
            self.passphrase_intro.setText(
                self.tr(
                    "Leave a passphrase blank for a file without encryption. If you give "
                    "one, tell it to the person separately from the file (never in the "
                    "same e-mail)."
                )
            )
        self._rebuild()
        self.write.setFocus()

    def _rebuild(self) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item is not None and item.widget() is not None:
                item.widget().deleteLater()
        for row in range(self.grid.rowCount()):
            self.grid.setRowStretch(row, 0)
        self.passphrases = {}
        previous: QWidget = self.identifiers
        for row, (name, role, cases) in enumerate(self.people):
            label = QLabel(
                self.tr("{name} ({role}, {cases})").format(
                    name=name,
                    role=role_name(role).lower(),
                    cases=counted(cases, "{n} case", "{n} cases"),
                )
            )
            edit = QLineEdit(self._typed.get(name, ""))
            edit.setEchoMode(self._echo_mode())
            if self._required:
                edit.setAccessibleName(self.tr("Passphrase for {name}'s file").format(name=name))
                edit.setPlaceholderText(self.tr("at least 8 characters"))
            else:
                edit.setAccessibleName(
                    self.tr("Passphrase for {name}'s file (optional)").format(name=name)
                )
                edit.setPlaceholderText(self.tr("none: the file is not encrypted"))
            label.setBuddy(edit)
            self.grid.addWidget(label, row, 0)
            self.grid.addWidget(edit, row, 1)
            self.passphrases[name] = edit
            QWidget.setTabOrder(previous, edit)
            previous = edit
        self.grid.setRowStretch(len(self.people), 1)  # rows stay together at the top
        QWidget.setTabOrder(previous, self.show_passphrases)
        self._write_toggled(self.write.isChecked())

    def _echo_mode(self) -> QLineEdit.EchoMode:
        if self.show_passphrases.isChecked():
            return QLineEdit.EchoMode.Normal
        return QLineEdit.EchoMode.Password

    def _echo(self) -> None:
        for edit in self.passphrases.values():
            edit.setEchoMode(self._echo_mode())

    def _write_toggled(self, on: bool) -> None:
        for widget in (
            self.folder,
            self.folder_label,
            self.choose,
            self.identifiers,
            self.passphrase_heading,
            self.passphrase_intro,
            self.scroll,
            self.show_passphrases,
        ):
            widget.setEnabled(on)
        self.message.clear_message()

    def _choose(self) -> None:
        current = self.chosen_folder()
        chosen = FolderDialog.ask(
            self,
            self.tr("Folder for the fieldwork files"),
            current if current and current.is_dir() else None,
        )
        if chosen is not None:
            self.folder.setText(str(chosen))

    def chosen_folder(self) -> Path | None:
        text = self.folder.text().strip()
        return Path(text).expanduser() if text else None

    def problems(self) -> list[tuple[str, QWidget]]:
        if not self.write.isChecked():
            return []
        found: list[tuple[str, QWidget]] = []
        folder = self.chosen_folder()
        if folder is None:
            found.append((self.tr("Choose the folder for the fieldwork files."), self.folder))
        elif not folder.is_dir():
            found.append(
                (self.tr("There is no folder {folder}.").format(folder=folder), self.folder)
            )
        elif not os.access(folder, os.W_OK):
            found.append(
                (self.tr("Files cannot be written in {folder}.").format(folder=folder), self.folder)
            )
        wizard = self.wizard()
        encrypted = is_new_inspection_wizard(wizard) and wizard.plan().passphrase
        for name, edit in self.passphrases.items():
            if edit.text():
                try:
                    check_new_passphrase(edit.text())
                except InspectorError as exc:
                    found.append(
                        (self.tr("{name}'s passphrase: {exc}.").format(name=name, exc=exc), edit)
                    )
            elif encrypted:
                # Every fieldwork file holds offenders' data: an encrypted master's stay
                # encrypted too.
                found.append(
                    (
                        self.tr(
                            "{name}'s file needs a passphrase: the master is encrypted, "
                            "and the file holds the same offenders' data."
                        ).format(name=name),
                        edit,
                    )
                )
        return found

    def validatePage(self) -> bool:
        found = self.problems()
        if found:
            self.message.show_problems([t for t, _ in found])
            _focus_problem(found[0][1])
            return False
        self.message.clear_message()
        return True

    def values(self) -> dict[str, object]:
        if not self.write.isChecked():
            return {"fieldwork_folder": None}
        return {
            "fieldwork_folder": self.chosen_folder(),
            "fieldwork_passphrases": tuple(
                (name, edit.text()) for name, edit in self.passphrases.items() if edit.text()
            ),
            "with_identifiers": self.identifiers.isChecked(),
        }
