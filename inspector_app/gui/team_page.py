"""The Team tab of the set-up screen: who is in the inspection, in what role, with how many
cases and how many they can take this week; add, rename, change role, set the capacity and
remove (only someone nothing depends on)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from inspector_app.app.team_board import Person, TeamBoard
from inspector_app.core.cases.team import ROLES
from inspector_app.core.plural import counted
from inspector_app.core.sample.capacity import CAPACITY_LIMIT
from inspector_app.gui.style import css_color, muted_text
from inspector_app.gui.table_model import TableModel, row_table
from inspector_app.gui.translation import QT_TRANSLATE_NOOP
from inspector_app.gui.wizard.common import role_name


class MemberDialog(QDialog):
    """A name and a role, for adding someone or correcting them."""

    def __init__(
        self, parent: QWidget | None, title: str, name: str = "", role: str = "inspector"
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.name_edit = QLineEdit(name)
        self.name_edit.setAccessibleName(self.tr("Name"))
        self.name_edit.setMaxLength(120)
        self.role_combo = QComboBox()
        self.role_combo.setAccessibleName(self.tr("Role"))
        for value in ROLES:
            self.role_combo.addItem(role_name(value), value)
        self.role_combo.setCurrentIndex(ROLES.index(role) if role in ROLES else 1)
        form = QFormLayout()
        name_label = QLabel(self.tr("&Name"))
        name_label.setBuddy(self.name_edit)
        role_label = QLabel(self.tr("&Role"))
        role_label.setBuddy(self.role_combo)
        form.addRow(name_label, self.name_edit)
        form.addRow(role_label, self.role_combo)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    @classmethod
    def ask(
        cls, parent: QWidget | None, title: str, name: str = "", role: str = "inspector"
    ) -> tuple[str, str] | None:
        """The name and role given, or None when cancelled."""
        dialog = cls(parent, title, name, role)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.name_edit.text(), str(dialog.role_combo.currentData())


def capacity_text(capacity: int | None) -> str:
    """A capacity as the screens show it: "8", or "no limit"."""
    if capacity is None:
        return QCoreApplication.translate("team_page", "no limit")
    return str(capacity)


class CapacityDialog(QDialog):
    """How many cases a person can read first this week, or no limit."""

    def __init__(self, parent: QWidget | None, name: str, capacity: int | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Capacity of {name}").format(name=name))
        self.spin = QSpinBox()
        self.spin.setRange(0, CAPACITY_LIMIT)
        self.spin.setSpecialValueText(self.tr("No limit"))
        self.spin.setValue(capacity or 0)
        self.spin.setAccessibleName(self.tr("Cases {name} can take this week").format(name=name))
        label = QLabel(self.tr("&Cases {name} can take this week").format(name=name))
        label.setBuddy(self.spin)
        note = QLabel(
            self.tr(
                "Counted against the cases they read first; 0 means no limit. The "
                "allocation board shows anyone over their capacity."
            )
        )
        note.setWordWrap(True)
        note.setStyleSheet(f"color: {css_color(muted_text(self))};")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.spin)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.spin.setFocus()
        self.spin.selectAll()

    def capacity(self) -> int | None:
        return self.spin.value() or None

    @classmethod
    def ask(
        cls, parent: QWidget | None, name: str, capacity: int | None
    ) -> tuple[bool, int | None]:
        """(chosen, the capacity: None for no limit); chosen is False when cancelled."""
        dialog = cls(parent, name, capacity)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False, capacity
        return True, dialog.capacity()


class TeamPage(QWidget):
    """Requests changes; the set-up screen makes them and shows the team again."""

    addRequested = Signal(str, str)  # name, role
    editRequested = Signal(str, str, str)  # name, new name, role
    removeRequested = Signal(str)  # name
    capacityRequested = Signal(str)  # name

    HEADERS = (
        QT_TRANSLATE_NOOP("TeamPage", "Name"),
        QT_TRANSLATE_NOOP("TeamPage", "Role"),
        QT_TRANSLATE_NOOP("TeamPage", "First reads"),
        QT_TRANSLATE_NOOP("TeamPage", "Capacity"),
        QT_TRANSLATE_NOOP("TeamPage", "Second reads"),
        QT_TRANSLATE_NOOP("TeamPage", "Written"),
    )

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Team"))
        self.people: tuple[Person, ...] = ()
        self.model = TableModel(
            tuple(QCoreApplication.translate("TeamPage", h) for h in self.HEADERS), self
        )
        self.table = row_table(self.model, self.tr("Team members"), stretch=0)
        self.table.activated.connect(lambda _i: self.edit_current())

        self.add_button = QPushButton(self.tr("&Add…"))
        self.add_button.setToolTip(self.tr("Add a person to the team (Insert)"))
        self.add_button.clicked.connect(self.add)
        self.edit_button = QPushButton(self.tr("&Edit…"))
        self.edit_button.setToolTip(self.tr("Correct the name or change the role (F2 or Enter)"))
        self.edit_button.clicked.connect(self.edit_current)
        self.remove_button = QPushButton(self.tr("Re&move"))
        self.remove_button.setToolTip(
            self.tr(
                "Take the person off the team: only when nothing is allocated to them "
                "and nothing they wrote is in the file (Delete)"
            )
        )
        self.remove_button.clicked.connect(self.remove_current)
        self.capacity_button = QPushButton(self.tr("Ca&pacity…"))
        self.capacity_button.setToolTip(self.tr("How many cases the person can take this week (C)"))
        self.capacity_button.clicked.connect(self.capacity_current)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet(f"color: {css_color(muted_text(self))};")
        self.note.setAccessibleName(self.tr("About the chosen person"))
        for keys, slot in (
            (QKeySequence(Qt.Key.Key_Insert), self.add),
            (QKeySequence(Qt.Key.Key_F2), self.edit_current),
            (QKeySequence(QKeySequence.StandardKey.Delete), self.remove_current),
            (QKeySequence(Qt.Key.Key_C), self.capacity_current),
        ):
            shortcut = QShortcut(keys, self.table)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(slot)

        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.capacity_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.note)
        layout.addLayout(buttons)
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._update())
        self._update()

    def set_board(self, board: TeamBoard) -> None:
        current = self.current()
        self.people = board.people
        self.model.set_rows(
            [
                (
                    p.name,
                    role_name(p.role),
                    str(len(p.first_reads)),
                    capacity_text(p.capacity)
                    + (
                        self.tr(" (over by {over})").format(over=p.over_capacity)
                        if p.over_capacity
                        else ""
                    ),
                    str(len(p.second_reads)),
                    counted(p.revisions, "{n} change", "{n} changes")
                    if p.revisions
                    else self.tr("nothing yet"),
                )
                for p in self.people
            ]
        )
        names = [p.name for p in self.people]
        row = names.index(current.name) if current and current.name in names else 0
        if self.people:
            self.table.selectRow(row)
        self._update()

    def select(self, name: str) -> bool:
        for row, person in enumerate(self.people):
            if person.name == name:
                self.table.selectRow(row)
                return True
        return False

    def current(self) -> Person | None:
        row = self.table.currentIndex().row()
        return self.people[row] if 0 <= row < len(self.people) else None

    def add(self) -> None:
        given = MemberDialog.ask(self, self.tr("Add a team member"))
        if given is not None:
            self.addRequested.emit(*given)

    def edit_current(self) -> None:
        person = self.current()
        if person is None:
            return
        given = MemberDialog.ask(
            self, self.tr("Change {name}").format(name=person.name), person.name, person.role
        )
        if given is None:
            return
        name, role = given
        if " ".join(name.split()) != person.name or role != person.role:
            self.editRequested.emit(person.name, name, role)

    def remove_current(self) -> None:
        person = self.current()
        if person is not None:
            self.removeRequested.emit(person.name)

    def capacity_current(self) -> None:
        person = self.current()
        if person is not None:
            self.capacityRequested.emit(person.name)

    def _update(self) -> None:
        person = self.current()
        self.edit_button.setEnabled(person is not None)
        self.capacity_button.setEnabled(person is not None)
        self.remove_button.setEnabled(person is not None and person.may_be_removed)
        if person is None:
            self.note.setText("")
        elif person.may_be_removed:
            self.note.setText(
                self.tr("{name} has no cases and has written nothing yet.").format(name=person.name)
            )
        else:
            reads = counted(
                len(person.first_reads) + len(person.second_reads), "{n} case", "{n} cases"
            )
            self.note.setText(
                self.tr("{name} reads {reads}").format(name=person.name, reads=reads)
                + (f" ({person.mix})" if person.mix else "")
                + self.tr(
                    ". Move their cases to someone else before taking them off the team; "
                    "someone whose work is in the file stays in it."
                )
            )
