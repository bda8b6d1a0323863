"""The wizard's team page: one lead, inspectors and local assessors."""

from __future__ import annotations

from PySide6.QtCore import (
    Qt,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from inspector_app.app.new_inspection import (
    Member,
)
from inspector_app.core.plural import counted
from inspector_app.gui.wizard.common import (
    ROLE_NAMES,
    EnterLineEdit,
    MessageLabel,
    _button,
    _fit_columns,
    _row_height,
    role_name,
)


class TeamPage(QWizardPage):
    """The lead, inspectors and local assessors."""

    COL_NAME, COL_ROLE = range(2)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("The team"))
        self.setSubTitle(
            self.tr(
                "Add everyone taking part. One person is the lead inspector; inspectors "
                "and local assessors are given cases and a fieldwork file each."
            )
        )
        self.members: list[Member] = []
        self.name = EnterLineEdit(lambda: bool(self.name.text().strip()))
        self.name.setAccessibleName(self.tr("Name of the team member"))
        self.name.setAccessibleDescription(self.tr("Press Enter to add them to the team"))
        self.name.setPlaceholderText(self.tr("Full name, then Enter"))
        self.name.entered.connect(self.add_from_fields)
        self.role = QComboBox()
        self.role.setAccessibleName(self.tr("Role"))
        for role in ROLE_NAMES:
            self.role.addItem(role_name(role), role)
        self.add_button = _button(self.tr("&Add to the team"), self.tr("Add to the team"))
        self.add_button.clicked.connect(self.add_from_fields)
        name_label = QLabel(self.tr("Full na&me"))
        name_label.setBuddy(self.name)
        role_label = QLabel(self.tr("&Role"))
        role_label.setBuddy(self.role)
        entry = QGridLayout()
        entry.addWidget(name_label, 0, 0)
        entry.addWidget(self.name, 0, 1)
        entry.addWidget(role_label, 0, 2)
        entry.addWidget(self.role, 0, 3)
        entry.addWidget(self.add_button, 0, 4)
        entry.setColumnStretch(1, 1)

        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels([self.tr("Name"), self.tr("Role")])
        self.table.setAccessibleName(self.tr("Team members"))
        self.table.setAccessibleDescription(self.tr("Press Delete to remove the chosen person"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(_row_height(self.table))
        self.table.installEventFilter(self)
        self.remove_button = _button(self.tr("R&emove"), self.tr("Remove the chosen person"))
        self.remove_button.clicked.connect(self.remove_selected)
        self.counts = QLabel()
        self.counts.setAccessibleName(self.tr("Team size"))
        self.message = MessageLabel()
        below = QHBoxLayout()
        below.addWidget(self.counts, 1)
        below.addWidget(self.remove_button)

        layout = QVBoxLayout(self)
        layout.addLayout(entry)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        layout.addLayout(below)
        self._refresh()

    def initializePage(self) -> None:
        self.name.setFocus()

    def eventFilter(self, watched: object, event: object) -> bool:
        if (
            watched is self.table
            and isinstance(event, QKeyEvent)
            and event.type() == QKeyEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
        ):
            self.remove_selected()
            return True
        return super().eventFilter(watched, event)  # type: ignore[arg-type]

    def add_from_fields(self) -> None:
        problem = self.add(self.name.text(), self.role.currentData())
        if problem:
            self.message.show_problems([problem])
            return
        self.message.clear_message()
        self.name.clear()
        self.name.setFocus()

    def add(self, name: str, role: str) -> str | None:
        """Add a person; returns what is wrong instead when they cannot be added."""
        clean = " ".join(name.split())
        if not clean:
            return self.tr("Type the person's name first.")
        if any(m.name.casefold() == clean.casefold() for m in self.members):
            return self.tr("{clean} is already in the team.").format(clean=clean)
        lead = self._lead()
        if role == "lead" and lead is not None:
            return self.tr(
                "{lead} is already the lead; an inspection has one lead. Remove them "
                "first or choose another role."
            ).format(lead=lead)
        self.members.append(Member(clean, role))
        self._refresh()
        self.table.selectRow(len(self.members) - 1)
        return None

    def remove_selected(self) -> None:
        row = self.table.currentRow()
        if not 0 <= row < len(self.members):
            return
        removed = self.members.pop(row)
        self._refresh()
        if self.members:
            self.table.selectRow(min(row, len(self.members) - 1))
            self.table.setFocus()
        else:
            self.name.setFocus()
        self.message.show_note(
            self.tr("{name} was removed from the team.").format(name=removed.name)
        )

    def _lead(self) -> str | None:
        return next((m.name for m in self.members if m.role == "lead"), None)

    def _refresh(self) -> None:
        self.table.setRowCount(len(self.members))
        for row, member in enumerate(self.members):
            for column, text in ((self.COL_NAME, member.name), (self.COL_ROLE, member.role)):
                shown = role_name(text) if column == self.COL_ROLE else text
                item = QTableWidgetItem(shown)
                item.setData(Qt.ItemDataRole.AccessibleTextRole, shown)
                self.table.setItem(row, column, item)
        leads = sum(m.role == "lead" for m in self.members)
        inspectors = sum(m.role == "inspector" for m in self.members)
        assessors = sum(m.role == "assessor" for m in self.members)
        self.counts.setText(
            self.tr("{people}: {leads}, {inspectors}, {assessors}").format(
                people=counted(len(self.members), "{n} person", "{n} people"),
                leads=counted(leads, "{n} lead", "{n} leads"),
                inspectors=counted(inspectors, "{n} inspector", "{n} inspectors"),
                assessors=counted(assessors, "{n} local assessor", "{n} local assessors"),
            )
        )
        _fit_columns(self.table, self.COL_NAME)
        self.remove_button.setEnabled(bool(self.members))
        # The next person is most likely an inspector once there is a lead.
        wanted = "inspector" if self._lead() else "lead"
        self.role.setCurrentIndex(self.role.findData(wanted))

    def problems(self) -> list[str]:
        found = []
        leads = [m for m in self.members if m.role == "lead"]
        if len(leads) != 1:
            found.append(
                self.tr("Add the lead inspector (one person with the role Lead inspector).")
            )
        if not any(m.role in ("inspector", "assessor") for m in self.members):
            found.append(self.tr("Add at least one inspector or local assessor to read the cases."))
        return found

    def validatePage(self) -> bool:
        if self.name.text().strip():  # typed but not added: add them rather than lose them
            self.add_from_fields()
            if self.message.isVisible() and self.message.text().startswith("Problem"):
                return False
        found = self.problems()
        if found:
            self.message.show_problems(found)
            self.name.setFocus()
            return False
        self.message.clear_message()
        return True
