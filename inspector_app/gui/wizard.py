"""The New Inspection wizard: from nothing to a master file and the team's fieldwork files.

Pages: the inspection (title, organisation, dates, framework, and encryption: on unless the
lead records why not, since every file holds offenders' data), the team, the case
sample (its columns and values mapped onto the case profile by the lead, every problem by row
and column, and any rows left out confirmed with a reason, before anything is imported), the
allocation preview (each person's cases and mix of sentence types), the fieldwork files, and
where to save the master. Nothing is written until the last step:
`create_inspection` then builds the master and the fieldwork files in one go and removes
everything it wrote if any step fails, so a failure never leaves a half-made inspection
behind; the wizard stays open with the message so the user can put it right.

The work functions at the top are Qt-free and call core services only; they run off the UI
thread through `run_in_background`.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import (
    QDate,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)
from shiboken6 import isValid

from inspector_app.app.new_inspection import (
    AllocationPreview,
    Created,
    Member,
    Plan,
    create_inspection,
    preview_allocation,
)
from inspector_app.core.errors import InspectorError
from inspector_app.core.fieldwork_export import FILE_SUFFIX
from inspector_app.core.inspection_file import (
    DEFAULT_FRAMEWORK,
    DEFAULT_PROGRAMME,
)
from inspector_app.core.narrative import check_unencrypted_reason
from inspector_app.core.passphrase import check_new_passphrase
from inspector_app.core.plural import counted
from inspector_app.core.sample_import import Problem, SampleReadResult, SampleRow
from inspector_app.core.sample_mapping import SampleMapping
from inspector_app.gui.background import run_in_background
from inspector_app.gui.mapping_panel import (
    ExclusionBox,
    MappingPanel,
    MappingSession,
    Review,
    open_sample,
    review_mapping,
)
from inspector_app.gui.style import attention, char_width, css_color, heading_font, muted_text
from inspector_app.gui.table_model import TableModel

log = logging.getLogger(__name__)

ROLE_NAMES = {"lead": "Lead inspector", "inspector": "Inspector", "assessor": "Local assessor"}
SAMPLE_FILTER = "Case samples (*.csv *.xlsx);;CSV files (*.csv);;Excel workbooks (*.xlsx)"
MASTER_FILTER = f"Inspection files (*{FILE_SUFFIX})"


def _sentence(message: str) -> str:
    """Core messages may start in lower case (they are also used mid-sentence)."""
    message = message.strip()
    if not message:
        return message
    message = message[0].upper() + message[1:]
    return message if message.endswith((".", "!", "?", ")")) else message + "."


def _error_text(exc: BaseException) -> str:
    if isinstance(exc, InspectorError):
        return _sentence(str(exc))
    return _sentence(f"Something unexpected went wrong ({type(exc).__name__}: {exc})")


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return counted(count, word, plural)


# -- file choosers (one function each, so tests patch them) -------------------------------------


class SampleFileDialog:
    @classmethod
    def ask(cls, parent: QWidget | None, start: Path | None = None) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(
            parent, "Choose the case sample", str(start or Path.home()), SAMPLE_FILTER
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
            parent, "Save the master file as", str(suggested), MASTER_FILTER
        )
        return Path(name) if name else None


# -- small widgets -------------------------------------------------------------------------------


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
        self.setAccessibleName("Message")
        self.hide()

    def show_problems(self, problems: list[str]) -> None:
        if not problems:
            self.clear_message()
            return
        if len(problems) == 1:
            text = f"Problem: {problems[0]}"
        else:
            text = "Problems to put right:\n" + "\n".join(f"• {p}" for p in problems)
        self.setText(text)
        self.setAccessibleName("Problem")
        self.setAccessibleDescription(text)
        self.setStyleSheet(f"color: {css_color(attention(self))};")
        self.show()

    def show_note(self, text: str) -> None:
        self.setText(text)
        self.setAccessibleName("Note")
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


# -- the pages -----------------------------------------------------------------------------------


class InspectionPage(QWizardPage):
    """Title, organisation, programme, fieldwork dates, framework and encryption."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle("Step 1 of 6: The inspection")
        self.setSubTitle("Who is being inspected, when, and against which questions.")
        self._title_edited = False

        self.organisation = QLineEdit()
        self.organisation.setAccessibleName("Organisation inspected")
        self.organisation.setPlaceholderText("for example Merseyside")
        self.programme = QLineEdit(DEFAULT_PROGRAMME)
        self.programme.setAccessibleName("Programme")
        self.title = QLineEdit(f"{DEFAULT_PROGRAMME}: ")
        self.title.setAccessibleName("Title of the inspection")
        self.title.setAccessibleDescription("Printed on the report's cover")
        self.organisation.textChanged.connect(self._suggest_title)
        self.programme.textChanged.connect(self._suggest_title)
        self.title.textEdited.connect(self._title_was_edited)

        today = QDate.currentDate()
        self.start = self._date_edit("Fieldwork start date", today)
        self.end = self._date_edit("Fieldwork end date", today.addDays(4))
        self.dates_message = MessageLabel()
        self.start.dateChanged.connect(self._check_dates)
        self.end.dateChanged.connect(self._check_dates)

        self.framework = QComboBox()
        self.framework.setAccessibleName("Question framework")
        self._fill_frameworks()

        self.encrypt = QCheckBox("Encr&ypt the master file with a passphrase")
        self.encrypt.setAccessibleName("Encrypt the master file with a passphrase")
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName("Passphrase for the master file")
        self.passphrase.setPlaceholderText("at least 8 characters")
        self.repeat = QLineEdit()
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat.setAccessibleName("Repeat the passphrase")
        self.encrypt.setChecked(True)  # every file holds offenders' data
        self.reason = QLineEdit()
        self.reason.setAccessibleName("Reason for not encrypting")
        self.reason.setAccessibleDescription("Required; recorded in the inspection")
        self.reason.setPlaceholderText("required: why the files can be left unencrypted")
        self.encrypt.toggled.connect(self._show_passphrase)
        self.message = MessageLabel()

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self._row(form, "&Organisation inspected", self.organisation)
        self._row(form, "Pro&gramme", self.programme)
        self._row(form, "&Title", self.title)
        dates = QHBoxLayout()
        dates.addWidget(self.start)
        until = QLabel("fieldwork en&ds")
        until.setBuddy(self.end)
        dates.addSpacing(12)
        dates.addWidget(until)
        dates.addWidget(self.end)
        dates.addStretch(1)
        starts = QLabel("Fieldwork &starts")
        starts.setBuddy(self.start)
        form.addRow(starts, dates)
        form.addRow("", self.dates_message)
        self._row(form, "Question f&ramework", self.framework)
        form.addRow("", self.encrypt)
        self.passphrase_label = self._row(form, "Passphr&ase", self.passphrase)
        self.repeat_label = self._row(form, "Re&peat passphrase", self.repeat)
        self.encrypt_note = _muted(
            "Keep the passphrase safe: without it nobody, including IT, can open the file.",
            self,
        )
        form.addRow("", self.encrypt_note)
        self.reason_label = self._row(form, "R&eason for not encrypting", self.reason)
        self.reason_note = _muted(
            "Every file of this inspection holds offenders' data, so the reason for leaving "
            "them unencrypted is recorded in the inspection.",
            self,
        )
        form.addRow("", self.reason_note)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addStretch(1)
        self._show_passphrase(self.encrypt.isChecked())

    def _row(self, form: QFormLayout, text: str, field: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(field)
        form.addRow(label, field)
        return label

    def _date_edit(self, name: str, date: QDate) -> QDateEdit:
        edit = QDateEdit(date)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("dd/MM/yyyy")
        edit.setAccessibleName(name)
        edit.setAccessibleDescription("Day, month and year; arrow keys change the part chosen")
        return edit

    def _fill_frameworks(self) -> None:
        from inspector_app.core.framework import builtin_frameworks, load_builtin

        for framework_id in builtin_frameworks():
            try:
                framework = load_builtin(framework_id)
                text = f"{framework.title} (version {framework.version})"
            except InspectorError:
                log.exception("framework %s could not be read", framework_id)
                continue
            self.framework.addItem(text, framework_id)
        index = self.framework.findData(DEFAULT_FRAMEWORK)
        self.framework.setCurrentIndex(max(index, 0))

    def initializePage(self) -> None:
        self.organisation.setFocus()

    def _title_was_edited(self, _text: str) -> None:
        self._title_edited = True

    def _suggest_title(self) -> None:
        if not self._title_edited:
            programme = self.programme.text().strip() or DEFAULT_PROGRAMME
            self.title.setText(f"{programme}: {self.organisation.text().strip()}")

    def _show_passphrase(self, on: bool) -> None:
        """Encrypted: the passphrase fields; not: the reason, which is then required."""
        for widget in (
            self.passphrase,
            self.repeat,
            self.passphrase_label,
            self.repeat_label,
            self.encrypt_note,
        ):
            widget.setVisible(on)
        for widget in (self.reason, self.reason_label, self.reason_note):
            widget.setVisible(not on)
        self.message.clear_message()  # what it said may no longer apply

    def _check_dates(self) -> bool:
        if self.end.date() < self.start.date():
            self.dates_message.show_problems(["The fieldwork cannot end before it starts."])
            return False
        self.dates_message.clear_message()
        return True

    def problems(self) -> list[tuple[str, QWidget]]:
        found: list[tuple[str, QWidget]] = []
        organisation = self.organisation.text().strip()
        if not organisation:
            found.append(("Enter the organisation inspected.", self.organisation))
        title = self.title.text().strip()
        if not title:
            found.append(("Enter the title of the inspection.", self.title))
        if not self._check_dates():
            found.append(("The fieldwork cannot end before it starts.", self.end))
        if self.framework.currentData() is None:
            found.append(("No question framework is installed; reinstall the app.", self.framework))
        if self.encrypt.isChecked():
            try:
                check_new_passphrase(self.passphrase.text())
            except InspectorError as exc:
                found.append((_sentence(str(exc)), self.passphrase))
            else:
                if self.repeat.text() != self.passphrase.text():
                    found.append(("The two passphrases are not the same.", self.repeat))
        else:
            problem = self._reason_problem()
            if problem:
                found.append((problem, self.reason))
        return found

    def _reason_problem(self) -> str | None:
        """Why the reason for not encrypting cannot be recorded (None if it can); checked
        here so the lead puts it right now, not when the inspection is created."""
        if not self.reason.text().strip():
            return "Give the reason for not encrypting the master file, or encrypt it."
        try:
            check_unencrypted_reason(self.reason.text())
        except InspectorError as exc:
            return _sentence(str(exc))
        return None

    def validatePage(self) -> bool:
        found = self.problems()
        if found:
            # The dates' problem already shows beside the dates; say the others here.
            others = [text for text, widget in found if widget is not self.end]
            if others:
                self.message.show_problems(others)
            else:
                self.message.clear_message()
            _focus_problem(found[0][1])
            return False
        self.message.clear_message()
        return True

    def values(self) -> dict[str, object]:
        return {
            "title": " ".join(self.title.text().split()),
            "organisation": " ".join(self.organisation.text().split()),
            "programme": " ".join(self.programme.text().split()) or DEFAULT_PROGRAMME,
            "framework_id": self.framework.currentData() or DEFAULT_FRAMEWORK,
            "fieldwork_start": self.start.date().toString(Qt.DateFormat.ISODate),
            "fieldwork_end": self.end.date().toString(Qt.DateFormat.ISODate),
            "passphrase": self.passphrase.text() if self.encrypt.isChecked() else None,
            "unencrypted_reason": None if self.encrypt.isChecked() else self.reason.text().strip(),
        }


class TeamPage(QWizardPage):
    """The lead, inspectors and local assessors."""

    COL_NAME, COL_ROLE = range(2)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle("Step 2 of 6: The team")
        self.setSubTitle(
            "Add everyone taking part. One person is the lead inspector; inspectors and "
            "local assessors are given cases and a fieldwork file each."
        )
        self.members: list[Member] = []
        self.name = EnterLineEdit(lambda: bool(self.name.text().strip()))
        self.name.setAccessibleName("Name of the team member")
        self.name.setAccessibleDescription("Press Enter to add them to the team")
        self.name.setPlaceholderText("Full name, then Enter")
        self.name.entered.connect(self.add_from_fields)
        self.role = QComboBox()
        self.role.setAccessibleName("Role")
        for role, text in ROLE_NAMES.items():
            self.role.addItem(text, role)
        self.add_button = _button("&Add to the team", "Add to the team")
        self.add_button.clicked.connect(self.add_from_fields)
        name_label = QLabel("Full na&me")
        name_label.setBuddy(self.name)
        role_label = QLabel("&Role")
        role_label.setBuddy(self.role)
        entry = QGridLayout()
        entry.addWidget(name_label, 0, 0)
        entry.addWidget(self.name, 0, 1)
        entry.addWidget(role_label, 0, 2)
        entry.addWidget(self.role, 0, 3)
        entry.addWidget(self.add_button, 0, 4)
        entry.setColumnStretch(1, 1)

        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels(["Name", "Role"])
        self.table.setAccessibleName("Team members")
        self.table.setAccessibleDescription("Press Delete to remove the chosen person")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(_row_height(self.table))
        self.table.installEventFilter(self)
        self.remove_button = _button("R&emove", "Remove the chosen person")
        self.remove_button.clicked.connect(self.remove_selected)
        self.counts = QLabel()
        self.counts.setAccessibleName("Team size")
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
            return "Type the person's name first."
        if any(m.name.casefold() == clean.casefold() for m in self.members):
            return f"{clean} is already in the team."
        lead = self._lead()
        if role == "lead" and lead is not None:
            return (
                f"{lead} is already the lead; an inspection has one lead. Remove them first "
                "or choose another role."
            )
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
        self.message.show_note(f"{removed.name} was removed from the team.")

    def _lead(self) -> str | None:
        return next((m.name for m in self.members if m.role == "lead"), None)

    def _refresh(self) -> None:
        self.table.setRowCount(len(self.members))
        for row, member in enumerate(self.members):
            for column, text in ((self.COL_NAME, member.name), (self.COL_ROLE, member.role)):
                shown = ROLE_NAMES[text] if column == self.COL_ROLE else text
                item = QTableWidgetItem(shown)
                item.setData(Qt.ItemDataRole.AccessibleTextRole, shown)
                self.table.setItem(row, column, item)
        leads = sum(m.role == "lead" for m in self.members)
        inspectors = sum(m.role == "inspector" for m in self.members)
        assessors = sum(m.role == "assessor" for m in self.members)
        self.counts.setText(
            f"{_plural(len(self.members), 'person', 'people')}: {_plural(leads, 'lead')}, "
            f"{_plural(inspectors, 'inspector')}, {_plural(assessors, 'local assessor')}"
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
            found.append("Add the lead inspector (one person with the role Lead inspector).")
        if not any(m.role in ("inspector", "assessor") for m in self.members):
            found.append("Add at least one inspector or local assessor to read the cases.")
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


class SamplePage(QWizardPage):
    """Choose the sample file, map its columns and values onto the case profile, and see every
    problem before anything is imported. The mapping's logic lives here; `MappingPanel` and
    `ExclusionBox` show it and report the lead's choices."""

    COLUMNS = ("Row", "Column", "Problem")
    COL_ROW, COL_COLUMN, COL_PROBLEM = range(3)
    HEADER_DELAY_MS = 400  # a header row typed or stepped is read once the keys stop
    WRAPPED_PROBLEMS = 500  # problems whose rows grow to show the whole message

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle("Step 3 of 6: The case sample")
        self.setSubTitle(
            "The list of cases the service sent, as CSV or Excel (.xlsx). Check which column is "
            "which and what each value means; nothing is imported until the inspection is "
            "created."
        )
        self.session: MappingSession | None = None
        self.review: Review | None = None
        self.review_serial = 0  # changes with every review; the allocation preview follows it
        self._reading: Path | None = None
        self._reviewing = False
        self._read_token = 0
        self._review_token = 0
        self._advance_when_read = False
        self._context: tuple[str, str, str] | None = None  # framework, organisation, start
        self._carry: tuple[SampleMapping, set[tuple[str, str]]] | None = None
        self._sheet: str | None = None  # the lead's own choices of sheet and header row
        self._header_row: int | None = None
        self._header_timer = QTimer(self)
        self._header_timer.setSingleShot(True)
        self._header_timer.setInterval(self.HEADER_DELAY_MS)
        self._header_timer.timeout.connect(lambda: self.read(keep_panel=True))

        self.path = EnterLineEdit(self._path_needs_check)
        self.path.setAccessibleName("Sample file")
        self.path.setAccessibleDescription("Type the file's path and press Enter to check it")
        self.path.setPlaceholderText("Path of the .csv or .xlsx file, then Enter")
        self.path.entered.connect(self.read)
        self.path.textEdited.connect(self._path_edited)
        self.choose = _button("C&hoose…", "Choose the sample file")
        self.choose.clicked.connect(self._choose)
        path_label = QLabel("Sample &file")
        path_label.setBuddy(self.path)
        row = QHBoxLayout()
        row.addWidget(path_label)
        row.addWidget(self.path, 1)
        row.addWidget(self.choose)

        self.busy = _busy_bar("Checking the sample file")
        # A long list of many thousands of rows takes a while: show how far it has got, and
        # let the lead stop it.
        self.stop_reading = _button("Stop readin&g", "stop-reading")
        self.stop_reading.clicked.connect(self._stop_reading)
        self.stop_reading.hide()
        self._rows_read = [0]
        self._reading_name = ""
        self._cancel = threading.Event()
        self._progress_timer = QTimer(self)
        self._progress_timer.setInterval(250)
        self._progress_timer.timeout.connect(self._show_progress)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Sample summary")
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)

        self.panel = MappingPanel()
        self.panel.sheetChosen.connect(self._sheet_chosen)
        self.panel.headerRowChosen.connect(self._header_row_chosen)
        self.panel.columnChosen.connect(self._column_chosen)
        self.panel.valueChosen.connect(self._value_chosen)
        self.panel.acceptSuggestions.connect(self._accept_suggestions)
        self.panel.everyValueToggled.connect(self._every_value)
        self.panel.hide()
        self.problems_model = TableModel(self.COLUMNS, self)
        self.problems_view = _table_view("Problems in the sample file, by row and column")
        self.problems_view.setModel(self.problems_model)
        self.tab_problems = self.panel.add_tab(self.problems_view, "&Problems", self.problems_view)

        self.accept_valid = QCheckBox("&Import only the valid rows")
        self.accept_valid.setAccessibleName("Import only the valid rows")
        self.accept_valid.toggled.connect(lambda _on: self._refresh_state())
        self.accept_valid.hide()
        self.exclusion = ExclusionBox()
        self.exclusion.changed.connect(self._refresh_state)
        self.exclusion.hide()
        self.todo = MessageLabel()
        self.later = QCheckBox("I will import the sample &later")
        self.later.setAccessibleName("Import the sample later")
        self.later.setToolTip(
            "Create the inspection now with its team; import the sample and allocate cases "
            "in the master later."
        )
        self.later.toggled.connect(self._later_toggled)
        self.message = MessageLabel()

        layout = QVBoxLayout(self)
        layout.addLayout(row)
        busy_row = QHBoxLayout()
        busy_row.addWidget(self.busy, 1)
        busy_row.addWidget(self.stop_reading)
        layout.addLayout(busy_row)
        layout.addWidget(self.summary)
        layout.addWidget(self.panel, 1)
        layout.addWidget(self.accept_valid)
        layout.addWidget(self.exclusion)
        layout.addWidget(self.todo)
        layout.addWidget(self.message)
        layout.addStretch(0)
        layout.addWidget(self.later)

    @property
    def result(self) -> SampleReadResult | None:
        """The file as the current mapping reads it (None until it has been read)."""
        return self.review.result if self.review is not None else None

    def import_rows(self) -> tuple[SampleRow, ...]:
        """The cases the import will put into the master."""
        return self.review.result.rows if self.review is not None else ()

    def initializePage(self) -> None:
        if self._context is not None and self._context != self._wizard_context():
            # Another framework, organisation or start date: the file is read afresh.
            self.session = None
            self._carry = None
            if self.chosen_path() is not None and not self.later.isChecked():
                self.read()
        self.path.setFocus()

    def isComplete(self) -> bool:
        if self.later.isChecked():
            return True
        if self._reading is not None:
            return False
        if self.session is None or self.review is None:
            return True  # Next reads the file
        if self.chosen_path() != self.session.path:
            return True
        if self._reviewing:
            return False
        return not self.blockers()

    def nextId(self) -> int:
        wizard = self.wizard()
        if self.later.isChecked() and isinstance(wizard, NewInspectionWizard):
            return wizard.PAGE_SAVE
        return super().nextId()

    def _wizard_context(self) -> tuple[str, str, str]:
        wizard = self.wizard()
        if not isinstance(wizard, NewInspectionWizard):
            return (DEFAULT_FRAMEWORK, "", "")
        values = wizard.inspection_page.values()
        return (
            str(values["framework_id"]),
            str(values["organisation"]),
            str(values["fieldwork_start"]),
        )

    def _path_needs_check(self) -> bool:
        """Enter in the file field checks the file unless it has just been found clean."""
        path = self.chosen_path()
        if path is None or self._reading is not None:
            return self._reading is not None  # swallow Enter while a check is running
        result = self.result
        return self.session is None or self.session.path != path or not result or not result.ok

    def _later_toggled(self, on: bool) -> None:
        for widget in (self.path, self.choose, self.panel, self.accept_valid, self.exclusion):
            widget.setEnabled(not on)
        self.message.clear_message()
        self.completeChanged.emit()

    def _choose(self) -> None:
        current = Path(self.path.text()).expanduser() if self.path.text().strip() else None
        start = current.parent if current and current.parent.is_dir() else None
        chosen = SampleFileDialog.ask(self, start)
        if chosen is not None:
            self.path.setText(str(chosen))
            self.read()

    def _path_edited(self, _text: str) -> None:
        if self.session is not None or self.review is not None:
            self._clear()
            self.completeChanged.emit()

    def chosen_path(self) -> Path | None:
        text = self.path.text().strip()
        return Path(text).expanduser() if text else None

    def _keep_choices(self) -> None:
        """Carry the lead's choices to the next read, on top of those carried already (a
        column chosen stays chosen through a header row where that column is not found)."""
        if self.session is None:
            return
        mapping, chosen = self.session.snapshot(), set(self.session.chosen)
        if self._carry is not None:
            mapping = self._carry[0].merged_with(mapping)
            chosen |= self._carry[1]
        self._carry = (mapping, chosen)

    def _clear(self) -> None:
        """Forget the file read (the lead's choices are kept for the next read)."""
        self._keep_choices()
        self.session = None
        self.review = None
        self._reviewing = False
        self._review_token += 1
        self.problems_model.set_rows([])
        self.panel.hide()
        self.accept_valid.hide()
        self.accept_valid.setChecked(False)
        self.exclusion.hide()
        self.todo.clear_message()
        self.summary.setText("")

    # -- reading the file and reviewing the mapping (off the UI thread) ------------------------

    def read(self, keep_panel: bool = False) -> None:
        """Read the file and propose its mapping off the UI thread; the panel shows it when
        it comes back. `keep_panel`: the same file again (another sheet or header row)."""
        path = self.chosen_path()
        if path is None:
            self.message.show_problems(["Choose the sample file, or tick 'import it later'."])
            return
        context = self._wizard_context()
        if self.session is not None:
            self._keep_choices()
            if self.session.path != path:
                self._sheet = self._header_row = None
        elif self._carry is None or not keep_panel:
            self._sheet = self._header_row = None
        carry, chosen = self._carry if self._carry is not None else (None, set())
        sheet, header_row = self._sheet, self._header_row
        self._read_token += 1
        self._review_token += 1
        token = self._read_token
        self._reading = path
        self._reviewing = False
        self._header_timer.stop()
        self.message.clear_message()
        if not keep_panel:
            self._clear()
        self.summary.setText(f"Checking {path.name}…")
        self.busy.show()
        self._cancel = cancel = threading.Event()
        self._rows_read = rows_read = [0]
        self._reading_name = path.name
        self.stop_reading.show()
        self._progress_timer.start()
        self.completeChanged.emit()
        framework_id, organisation, start = context

        def progress(rows: int) -> bool:  # called on the worker thread
            rows_read[0] = rows
            return not cancel.is_set()

        run_in_background(
            lambda: open_sample(
                path,
                framework_id,
                organisation,
                start,
                carry=carry,
                chosen=chosen,
                sheet=sheet,
                header_row=header_row,
                progress=progress,
            ),
            lambda opened: self._read_done(token, context, keep_panel, opened),
            lambda exc: self._read_failed(token, exc),
        )

    def _show_progress(self) -> None:
        if self._reading is not None and self._rows_read[0]:
            self.summary.setText(
                f"Checking {self._reading_name}… {self._rows_read[0]:,} rows read so far"
            )

    def _stop_reading(self) -> None:
        self._cancel.set()
        self.summary.setText(f"Stopping {self._reading_name}…")

    def _reading_finished(self) -> None:
        self._progress_timer.stop()
        self.stop_reading.hide()

    def _read_done(
        self,
        token: int,
        context: tuple[str, str, str],
        kept: bool,
        opened: tuple[MappingSession, Review],
    ) -> None:
        if token != self._read_token or not isValid(self):
            return
        session, review = opened
        self._reading = None
        self._reading_finished()
        self.busy.hide()
        self.session = session
        self._context = context
        self.panel.show_session(session)
        self.panel.show()
        self._apply_review(review)
        if not kept:
            result = review.result
            if session.undecided():
                self.panel.show_tab(MappingPanel.TAB_VALUES)
            elif result.problems:
                self.panel.show_tab(self.tab_problems)
            else:
                self.panel.show_tab(MappingPanel.TAB_PREVIEW)
        if self._advance_when_read and self.wizard() is not None:
            self._advance_when_read = False
            clean = review.result.ok and not review.result.excluded
            if clean and self.isComplete():
                self.wizard().next()

    def _read_failed(self, token: int, exc: BaseException) -> None:
        if token != self._read_token or not isValid(self):
            return
        self._reading = None
        self._reading_finished()
        self.busy.hide()
        self._advance_when_read = False
        if self.session is not None:  # another sheet or header row could not be read
            self.panel.show_session(self.session)
            self._refresh_state()
            self.message.show_problems([_error_text(exc)])
            self.panel.header_row.setFocus()
            return
        self.summary.setText("")
        self.completeChanged.emit()
        self.message.show_problems([_error_text(exc)])
        self.path.setFocus()

    def _review(self) -> None:
        """Read the table through the mapping as it now is (off the UI thread)."""
        session = self.session
        if session is None:
            return
        self._review_token += 1
        token = self._review_token
        self._reviewing = True
        self.completeChanged.emit()
        table, definition, on = session.table, session.definition, session.reference_date
        mapping = session.snapshot()
        run_in_background(
            lambda: review_mapping(table, definition, mapping, on),
            lambda review: self._review_done(token, review),
            lambda exc: self._review_failed(token, exc),
        )

    def _review_done(self, token: int, review: Review) -> None:
        if token != self._review_token or not isValid(self):
            return
        self._apply_review(review)

    def _review_failed(self, token: int, exc: BaseException) -> None:
        if token != self._review_token or not isValid(self):
            return
        self._reviewing = False
        self.message.show_problems([_error_text(exc)])
        self.completeChanged.emit()

    def _apply_review(self, review: Review) -> None:
        self.review = review
        self.review_serial += 1
        self._reviewing = False
        result = review.result
        problems = result.problems
        self.problems_model.set_rows(
            [_problem_row(p) for p in problems], [p.message for p in problems]
        )
        _fit_columns(self.problems_view, self.COL_PROBLEM)
        if len(problems) <= self.WRAPPED_PROBLEMS:  # beyond, one line each (a tooltip has all)
            self.problems_view.resizeRowsToContents()
        self.panel.tabs.setTabText(self.tab_problems, f"&Problems ({len(problems)})")
        if self.session is not None:
            self.panel.show_preview(self.session, review)
        valid = len(result.rows)
        self.accept_valid.setVisible(bool(problems) and valid > 0)
        self.accept_valid.setText(
            f"&Import only the valid rows ({_plural(valid, 'case')}); leave out the rows "
            "with problems"
        )
        self._refresh_state()

    # -- the lead's choices ------------------------------------------------------------------

    def _ready_for_choices(self) -> bool:
        return self.session is not None and self._reading is None

    def _sheet_chosen(self, name: str) -> None:
        if not self._ready_for_choices():
            return
        self._sheet = name
        self._header_row = None  # found again on the other sheet
        self.read(keep_panel=True)

    def _header_row_chosen(self, row: int) -> None:
        if self.session is None:
            return
        # The row of the sheet shown (a workbook's other sheets may be shorter).
        self._sheet = self.session.table.sheet
        self._header_row = row
        self._header_timer.start()

    def _column_chosen(self, target: str, heading: str) -> None:
        if not self._ready_for_choices():
            return
        assert self.session is not None
        self.session.set_column(target, heading)
        self.panel.columns.update_rows(self.session)
        self.panel.show_values(self.session)
        self._review()

    def _value_chosen(self, index: int, value: str) -> None:
        if not self._ready_for_choices():
            return
        assert self.session is not None
        self.session.choose(index, value)
        self.panel.update_value(self.session, index)
        self._review()

    def _accept_suggestions(self) -> None:
        if not self._ready_for_choices():
            return
        assert self.session is not None
        changed = self.session.accept_suggestions()
        for index in changed:
            self.panel.update_value(self.session, index)
        if changed:
            self._review()
        # The button is now disabled: the keyboard goes to what is left to decide.
        combo = self.panel.first_undecided_combo()
        (combo or self.panel.values).setFocus(Qt.FocusReason.OtherFocusReason)

    def _every_value(self, _on: bool) -> None:
        if self.session is not None:
            self.panel.show_values(self.session)

    def _accepting(self) -> bool:
        return self.accept_valid.isChecked() and not self.accept_valid.isHidden()

    # -- what the page says, and whether Next may go on -------------------------------------

    def _refresh_state(self) -> None:
        review, session = self.review, self.session
        if review is None or session is None:
            self.completeChanged.emit()
            return
        result = review.result
        accept = self._accepting()
        mapped, problems = review.left_out(accept)
        if mapped + problems and result.rows:
            self.exclusion.show_left_out(
                review.left_out_rows(accept),
                result.total_rows,
                len(result.rows),
                mapped,
                problems,
                review.differences(accept),
            )
            self.exclusion.show()
        else:
            self.exclusion.hide()
            self.exclusion.forget()
        text = self._summary_text(review, session)
        self.summary.setText(text)
        self.summary.setAccessibleDescription(text)
        found = self.blockers()
        if found:
            self.todo.show_note("Before going on: " + " ".join(found))
        else:
            self.todo.clear_message()
        self.completeChanged.emit()

    def _summary_text(self, review: Review, session: MappingSession) -> str:
        result = review.result
        name = result.path.name
        valid = len(result.rows)
        mapped_out = len(result.excluded)
        if result.ok and not mapped_out:
            return f"{name}: all {_plural(valid, 'case')} can be imported; no problems found."
        text = (
            f"{name}: {_plural(result.total_rows, 'row')} read. "
            f"{_plural(valid, 'row')} can be imported"
        )
        if mapped_out:
            text += f"; {_plural(mapped_out, 'row')} left out by the mapping"
        if result.ok:
            return text + "."
        bad = result.total_rows - valid - mapped_out
        text += (
            f"; {_plural(bad, 'row')} {'has' if bad == 1 else 'have'} problems "
            f"({_plural(len(result.problems), 'problem')} in all, listed under Problems)."
        )
        undecided = session.undecided()
        if undecided:
            text += (
                f" {_plural(len(undecided), 'value')} to decide under Values to decide. Map "
                "them, fix the file and press Enter in the file field to check it again, or "
                "import only the valid rows."
            )
        else:
            text += (
                " Fix the file and press Enter in the file field to check it again, or import "
                "only the valid rows."
            )
        return text

    def blockers(self) -> list[str]:
        """What stops the import as the file is now mapped (empty: Next may go on)."""
        review, session = self.review, self.session
        if review is None or session is None:
            return []
        result = review.result
        accept = self._accepting()
        found: list[str] = []
        file_level = [p for p in result.problems if p.row is None]
        if file_level:
            found.append(
                _sentence(file_level[0].message)
                + " Choose the right column under Columns, or fix the file and check it again."
            )
        undecided = session.undecided()
        if undecided and not accept:
            suggested = sum(1 for row in undecided if row.suggestion)
            many = len(undecided) != 1
            text = (
                f"Choose what {_plural(len(undecided), 'value')} under Values to decide "
                f"{'are' if many else 'is'} imported as, or exclude {'their' if many else 'its'} "
                "rows"
            )
            if suggested:
                text += (
                    f" ({suggested} suggested: press Accept suggestions to confirm "
                    f"{'them' if suggested != 1 else 'it'})"
                )
            found.append(text + ".")
        others = [p for p in result.problems if p.row is not None and p.value is None]
        if others and not accept:
            found.append(
                f"Put right the {_plural(len(others), 'problem')} listed under Problems (fix "
                "the file and check it again), or tick 'Import only the valid rows'."
            )
        if not found and not result.rows:
            found.append(
                f"No case in {result.path.name} can be imported as it is mapped; map the "
                "values or fix the file first."
            )
        mapped, problems = review.left_out(accept)
        if result.rows and mapped + problems and not self.exclusion.confirmed:
            found.append("Tick 'I confirm leaving these rows out' and give the reason.")
        return found

    def problems(self) -> list[str]:
        if self.session is None or self.review is None:
            return ["Choose the sample file and check it first."]
        return self.blockers()

    def validatePage(self) -> bool:
        if self.later.isChecked():
            return True
        path = self.chosen_path()
        if path is not None and (self.session is None or self.session.path != path):
            self._advance_when_read = True  # go on by itself if the file is clean
            self.read()
            return False
        if self._reading is not None or self._reviewing:
            return False
        found = self.problems()
        if found:
            self.message.show_problems(found)
            if self.exclusion.isVisible() and not self.exclusion.confirmed:
                self.exclusion.confirm.setFocus()
            elif self.accept_valid.isVisible():
                self.accept_valid.setFocus()
            else:
                self.path.setFocus()
            return False
        self.message.clear_message()
        return True

    def values(self) -> dict[str, object]:
        if self.later.isChecked() or self.session is None or self.review is None:
            return {
                "sample": None,
                "accept_valid_rows": False,
                "mapping": None,
                "confirm_exclusion": False,
                "exclusion_reason": "",
            }
        accept = self._accepting()
        mapped, problems = self.review.left_out(accept)
        leaving = mapped + problems > 0
        return {
            "sample": self.session.path,
            "accept_valid_rows": accept,
            "mapping": self.session.snapshot(),
            "confirm_exclusion": leaving and self.exclusion.confirmed,
            "exclusion_reason": " ".join(self.exclusion.reason.text().split()) if leaving else "",
        }


def _problem_row(problem: Problem) -> tuple[str, ...]:
    row = "Whole file" if problem.row is None else str(problem.row)
    column = problem.column or "—"
    # The message names the file, row and column for use on its own; here the table does.
    text = re.sub(r"^.*?\brow \d+(, column '[^']*')?: ", "", problem.message, count=1)
    return (row, column, _sentence(text))


class AllocationPage(QWizardPage):
    """How the cases will be shared, and each person's mix of sentence types, before anything
    is written."""

    COL_PERSON, COL_ROLE, COL_CASES = range(3)  # then one column per sentence type
    COLUMNS = ("Person", "Role", "Cases")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle("Step 4 of 6: Allocation preview")
        self.setSubTitle(
            "How the cases will be shared: evenly between inspectors and local assessors, each "
            "with a like mix of sentence types (then RoSH levels). Go Back to change the team "
            "or the sample."
        )
        self.allocation: dict[str, int] | None = None
        self.preview: AllocationPreview | None = None
        self._token = 0
        self._plan_key: object = None
        self.busy = _busy_bar("Working out the allocation")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Allocation summary")
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.model = TableModel(self.COLUMNS, self)
        self.view = _table_view("Cases for each person, and their mix of sentence types")
        self.view.setModel(self.model)
        self.note = _muted(
            "The lead reads no cases of their own here. Second readers for quality assurance "
            "are chosen in the master later.",
            self,
        )
        # Changing the plan before it is written: a person's capacity, or one case moved.
        self.capacities: dict[str, int] = {}
        self.moves: dict[int, str] = {}
        self.capacity_person = QComboBox()
        self.capacity_person.setAccessibleName("Person whose capacity to set")
        self.capacity = QSpinBox()
        self.capacity.setRange(0, 10_000)
        self.capacity.setAccessibleName("Most cases for this person")
        self.capacity_apply = _button("Set &capacity", "set-capacity")
        self.capacity_apply.clicked.connect(self._set_capacity)
        self.move_case = QSpinBox()
        self.move_case.setRange(1, 1_000_000_000)
        self.move_case.setAccessibleName("Sample number of the case to move")
        self.move_to = QComboBox()
        self.move_to.setAccessibleName("Person to move the case to")
        self.move_apply = _button("&Move case", "move-case")
        self.move_apply.clicked.connect(self._move_case)
        for combo in (self.capacity_person, self.move_to):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.capacity_person.currentTextChanged.connect(self._show_capacity)
        capacity_label = QLabel("Most cases &for")
        capacity_label.setBuddy(self.capacity_person)
        move_label = QLabel("Mo&ve case")
        move_label.setBuddy(self.move_case)
        changes = QHBoxLayout()
        for widget in (
            capacity_label,
            self.capacity_person,
            self.capacity,
            self.capacity_apply,
        ):
            changes.addWidget(widget)
        changes.addSpacing(24)
        for widget in (move_label, self.move_case, QLabel("to"), self.move_to, self.move_apply):
            changes.addWidget(widget)
        changes.addStretch(1)
        self.message = MessageLabel()
        layout = QVBoxLayout(self)
        layout.addWidget(self.busy)
        layout.addWidget(self.summary)
        layout.addWidget(self.view, 1)
        layout.addLayout(changes)
        layout.addWidget(self.note)
        layout.addWidget(self.message)

    def assignments(self) -> tuple[tuple[int, str], ...]:
        """The previewed first reader of every case, as the master will get them."""
        if self.preview is None:
            return ()
        return tuple(sorted(self.preview.assignments.items()))

    def _show_capacity(self, name: str) -> None:
        """The spin box starts at the person's limit, or at the cases they have now."""
        if self.preview is not None and name:
            self.capacity.setValue(self.capacities.get(name, self.preview.counts.get(name, 0)))

    def _set_capacity(self) -> None:
        name = self.capacity_person.currentText()
        if name:
            self.capacities[name] = self.capacity.value()
            self._replan()

    def _move_case(self) -> None:
        number, name = self.move_case.value(), self.move_to.currentText()
        if self.preview is None or not name:
            return
        if number not in self.preview.assignments:
            self.message.show_problems([f"There is no case {number} in the sample."])
            return
        self.moves[number] = name
        self._replan()

    def _replan(self) -> None:
        self._plan_key = None
        self.initializePage()

    def isComplete(self) -> bool:
        return self.allocation is not None

    def initializePage(self) -> None:
        wizard = self.wizard()
        assert isinstance(wizard, NewInspectionWizard)
        plan = wizard.plan()
        sample = wizard.sample_page
        key = (plan.team, plan.sample, plan.accept_valid_rows, sample.review_serial)
        if key == self._plan_key and self.allocation is not None:
            self.view.setFocus()
            return
        self._plan_key = key
        self._token += 1
        token = self._token
        self.allocation = None
        self.preview = None
        self.model.set_rows([], headers=self.COLUMNS)
        self.message.clear_message()
        self.summary.setText("Working out the allocation…")
        self.busy.show()
        self.completeChanged.emit()
        roles = {m.name: m.role for m in plan.team}
        rows = sample.import_rows()
        session = sample.session
        if session is None:  # cannot happen: the sample page goes on only with a file read
            self._failed(token, InspectorError("The sample has not been read."))
            return
        definition = session.definition
        team = plan.team
        capacities, moves = dict(self.capacities), dict(self.moves)
        run_in_background(
            lambda: preview_allocation(team, rows, definition, capacities=capacities, moves=moves),
            lambda preview: self._done(token, preview, roles),
            lambda exc: self._failed(token, exc),
        )

    def _done(self, token: int, preview: AllocationPreview, roles: dict[str, str]) -> None:
        if token != self._token or not isValid(self):
            return
        self.busy.hide()
        self.preview = preview
        self.allocation = dict(preview.counts)
        values = preview.values
        headers = (*self.COLUMNS, *(v or "Not recorded" for v in values))
        rows = [
            (
                name,
                ROLE_NAMES.get(roles.get(name, ""), ""),
                str(count),
                *(str(preview.mix.get(name, {}).get(v, 0)) for v in values),
            )
            for name, count in preview.counts.items()
        ]
        tips = [
            f"{name}: {_plural(count, 'case')}"
            + "".join(
                f"; {preview.mix.get(name, {}).get(v, 0)} {v or 'not recorded'}" for v in values
            )
            for name, count in preview.counts.items()
        ]
        self.model.set_rows(rows, tips, headers=headers)
        _fit_columns(self.view, self.COL_PERSON)
        for combo in (self.capacity_person, self.move_to):
            current = combo.currentText()
            combo.blockSignals(True)
            combo.clear()
            combo.addItems(list(preview.counts))
            if current:
                combo.setCurrentText(current)
            combo.blockSignals(False)
        self._show_capacity(self.capacity_person.currentText())
        if preview.assignments:
            self.move_case.setRange(min(preview.assignments), max(preview.assignments))
        moved = len(self.moves)
        limits = ", ".join(f"{name} at most {n}" for name, n in self.capacities.items())
        extra = (f" Capacities: {limits}." if limits else "") + (
            f" {_plural(moved, 'case')} moved by hand." if moved else ""
        )
        total = sum(preview.counts.values())
        people = sum(1 for c in preview.counts.values() if c)
        mix = ""
        if values:
            overall = ", ".join(
                f"{v or 'not recorded'} {sum(m.get(v, 0) for m in preview.mix.values())}"
                for v in values
            )
            mix = (
                f" The columns after Cases give each person's cases by "
                f"{preview.field_label.lower()} (in all: {overall})."
            )
        self.summary.setText(
            f"{_plural(total, 'case')} shared between {_plural(people, 'person', 'people')}, "
            f"each with a like mix of cases.{mix}{extra}"
        )
        self.summary.setAccessibleName(self.summary.text())
        self.completeChanged.emit()
        self.view.selectRow(0)
        self.view.setFocus()

    def _failed(self, token: int, exc: BaseException) -> None:
        if token != self._token or not isValid(self):
            return
        self.busy.hide()
        self._plan_key = None
        self.summary.setText("")
        self.message.show_problems([_error_text(exc) + " Go Back to put it right."])
        self.completeChanged.emit()


class FieldworkPage(QWizardPage):
    """Where the fieldwork files go, and a passphrase for each if wanted."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle("Step 5 of 6: Fieldwork files")
        self.setSubTitle(
            "Each inspector and assessor gets a file with only their cases, to work on "
            "their own laptop. They are written when the inspection is created."
        )
        self.people: list[tuple[str, str, int]] = []  # name, role, cases
        self.passphrases: dict[str, QLineEdit] = {}
        self._typed: dict[str, str] = {}
        self._required = False  # the master is encrypted: every file needs a passphrase

        self.write = QCheckBox("&Write the fieldwork files now")
        self.write.setAccessibleName("Write the fieldwork files now")
        self.write.setChecked(True)
        self.write.toggled.connect(self._write_toggled)
        self.folder = QLineEdit()
        self.folder.setAccessibleName("Folder for the fieldwork files")
        self.folder.setPlaceholderText("for example a folder on an encrypted USB stick")
        self.choose = _button("C&hoose…", "Choose the folder for the fieldwork files")
        self.choose.clicked.connect(self._choose)
        self.folder_label = QLabel("F&older")
        self.folder_label.setBuddy(self.folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_label)
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(self.choose)
        self.identifiers = QCheckBox(
            "Include identifying details (case reference numbers and names)"
        )
        self.identifiers.setAccessibleName("Include identifying details")
        self.identifiers.setToolTip("Leave this off unless the assessors need them on site.")

        self.passphrase_heading = QLabel("Passphrases (optional)")
        self.passphrase_heading.setFont(heading_font(self.font(), 1.0))
        self.passphrase_intro = _intro(
            "Leave a passphrase blank for a file without encryption. If you give one, tell it "
            "to the person separately from the file (never in the same e-mail)."
        )
        self.grid_host = QWidget()
        self.grid = QGridLayout(self.grid_host)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setColumnStretch(1, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.grid_host)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setAccessibleName("Passphrases for the fieldwork files")
        self.scroll = scroll
        self.show_passphrases = QCheckBox("&Show the passphrases")
        self.show_passphrases.setAccessibleName("Show the passphrases")
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
        assert isinstance(wizard, NewInspectionWizard)
        allocation = wizard.allocation_page.allocation or {}
        roles = {m.name: m.role for m in wizard.team_page.members}
        self.people = [(n, roles.get(n, ""), c) for n, c in allocation.items() if c > 0]
        self._typed.update({n: e.text() for n, e in self.passphrases.items()})
        self._required = bool(wizard.plan().passphrase)
        if self._required:
            self.passphrase_heading.setText("Passphrases (one each: the master is encrypted)")
            self.passphrase_intro.setText(
                "Every file holds the same offenders' data as the encrypted master, so each "
                "gets its own passphrase. Tell it to the person separately from the file "
                "(never in the same e-mail)."
            )
        else:
            self.passphrase_heading.setText("Passphrases (optional)")
            self.passphrase_intro.setText(
                "Leave a passphrase blank for a file without encryption. If you give one, tell "
                "it to the person separately from the file (never in the same e-mail)."
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
                f"{name} ({ROLE_NAMES.get(role, role).lower()}, {_plural(cases, 'case')})"
            )
            edit = QLineEdit(self._typed.get(name, ""))
            edit.setEchoMode(self._echo_mode())
            if self._required:
                edit.setAccessibleName(f"Passphrase for {name}'s file")
                edit.setPlaceholderText("at least 8 characters")
            else:
                edit.setAccessibleName(f"Passphrase for {name}'s file (optional)")
                edit.setPlaceholderText("none: the file is not encrypted")
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
            "Folder for the fieldwork files",
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
            found.append(("Choose the folder for the fieldwork files.", self.folder))
        elif not folder.is_dir():
            found.append((f"There is no folder {folder}.", self.folder))
        elif not os.access(folder, os.W_OK):
            found.append((f"Files cannot be written in {folder}.", self.folder))
        wizard = self.wizard()
        encrypted = isinstance(wizard, NewInspectionWizard) and wizard.plan().passphrase
        for name, edit in self.passphrases.items():
            if edit.text():
                try:
                    check_new_passphrase(edit.text())
                except InspectorError as exc:
                    found.append((f"{name}'s passphrase: {exc}.", edit))
            elif encrypted:
                # Every fieldwork file holds offenders' data: an encrypted master's stay
                # encrypted too.
                found.append(
                    (
                        f"{name}'s file needs a passphrase: the master is encrypted, and the "
                        "file holds the same offenders' data.",
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


class SavePage(QWizardPage):
    """Where the master goes; creating the inspection happens when this page is left."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle("Step 6 of 6: Save the master file")
        self.setSubTitle(
            "The master holds the whole inspection. Keep it on this computer's own disk, not "
            "on a USB stick or a network drive."
        )
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, "&Create the inspection")
        self.created: Created | None = None
        self.working = False
        self.path = QLineEdit()
        self.path.setAccessibleName("Master file")
        self.choose = _button("C&hoose…", "Choose where to save the master file")
        self.choose.clicked.connect(self._choose)
        path_label = QLabel("Master &file")
        path_label.setBuddy(self.path)
        row = QHBoxLayout()
        row.addWidget(path_label)
        row.addWidget(self.path, 1)
        row.addWidget(self.choose)
        self.summary_heading = QLabel("What happens when you press Create the inspection:")
        self.summary_heading.setFont(heading_font(self.font(), 1.0))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setAccessibleName("What will be created")
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.busy = _busy_bar("Creating the inspection")
        self.status = QLabel()
        self.status.setAccessibleName("Progress")
        self.status.hide()
        self.message = MessageLabel()
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addSpacing(8)
        layout.addWidget(self.summary_heading)
        layout.addWidget(self.summary)
        layout.addWidget(self.busy)
        layout.addWidget(self.status)
        layout.addWidget(self.message)
        layout.addStretch(1)

    def initializePage(self) -> None:
        wizard = self.wizard()
        assert isinstance(wizard, NewInspectionWizard)
        plan = wizard.plan()
        if not self.path.text().strip():
            self.path.setText(str(_suggested_master(plan.organisation, plan.fieldwork_folder)))
        self.summary.setText(_describe(plan))
        self.message.clear_message()
        self.path.setFocus()
        self.path.selectAll()

    def isComplete(self) -> bool:
        return not self.working

    def chosen_path(self) -> Path | None:
        text = self.path.text().strip()
        if not text:
            return None
        path = Path(text).expanduser()
        if path.suffix.lower() != FILE_SUFFIX:
            path = path.with_name(path.name + FILE_SUFFIX)
        return path

    def _choose(self) -> None:
        suggested = self.chosen_path() or Path.home() / f"inspection{FILE_SUFFIX}"
        chosen = SaveMasterDialog.ask(self, suggested)
        if chosen is not None:
            self.path.setText(str(chosen))

    def problems(self) -> list[str]:
        path = self.chosen_path()
        if path is None:
            return ["Choose where to save the master file."]
        if not path.parent.is_dir():
            return [f"There is no folder {path.parent}."]
        if path.exists():
            return [f"{path.name} already exists in {path.parent}; choose another name."]
        if not os.access(path.parent, os.W_OK):
            return [f"Files cannot be written in {path.parent}."]
        return []

    def validatePage(self) -> bool:
        if self.created is not None:
            return True
        if self.working:
            return False
        found = self.problems()
        if found:
            self.message.show_problems(found)
            self.path.setFocus()
            return False
        wizard = self.wizard()
        assert isinstance(wizard, NewInspectionWizard)
        plan = wizard.plan(master=self.chosen_path())
        self._set_working(True)
        run_in_background(lambda: create_inspection(plan), self._created, self._failed)
        return False

    def _set_working(self, on: bool) -> None:
        self.working = on
        self.busy.setVisible(on)
        self.status.setVisible(on)
        self.status.setText("Creating the inspection…" if on else "")
        self.message.clear_message()
        for widget in (self.path, self.choose):
            widget.setEnabled(not on)
        wizard = self.wizard()
        if wizard is not None:
            wizard.button(QWizard.WizardButton.BackButton).setEnabled(not on)
            wizard.button(QWizard.WizardButton.CancelButton).setEnabled(not on)
        self.completeChanged.emit()

    def _created(self, created: Created) -> None:
        if not isValid(self):  # cannot happen (the wizard stays open while working)
            log.warning("inspection created after the wizard closed: %s", created.master)
            return
        self.created = created
        self._set_working(False)
        log.info("inspection created: %s", created.master)
        wizard = self.wizard()
        if wizard is not None:
            wizard.next()

    def _failed(self, exc: BaseException) -> None:
        if not isValid(self):
            return
        if not isinstance(exc, InspectorError):
            log.error("creating the inspection failed", exc_info=exc)
        self._set_working(False)
        self.message.show_problems(
            [_error_text(exc), "Nothing was written. Put it right and press Create again."]
        )
        self.message.setFocus()


def _suggested_master(organisation: str, near: Path | None) -> Path:
    stem = "-".join(re.sub(r"[^\w\- ]+", "", organisation).split()) or "inspection"
    documents = Path.home() / "Documents"
    folder = documents if documents.is_dir() else Path.home()
    candidate = folder / f"{stem}-master{FILE_SUFFIX}"
    number = 2
    while candidate.exists():
        candidate = folder / f"{stem}-master-{number}{FILE_SUFFIX}"
        number += 1
    return candidate


def _describe(plan: Plan) -> str:
    protection = (
        ", encrypted with your passphrase."
        if plan.passphrase
        else f", not encrypted, recording the reason: “{plan.unencrypted_reason}”."
    )
    lines = [
        f"• Create the master file for “{plan.title}”{protection}",
        f"• Add the team: {', '.join(m.name for m in plan.team)}.",
    ]
    if plan.sample is None:
        lines.append("• No sample yet: import it and allocate the cases in the master later.")
    else:
        only = " (only the valid rows)" if plan.accept_valid_rows else ""
        lines.append(f"• Import the cases from {plan.sample.name}{only} and allocate them.")
        if plan.confirm_exclusion:
            lines.append(
                f"• Leave out the rows you confirmed, recording the reason: "
                f"“{plan.exclusion_reason}”."
            )
        lines.append(
            f"• Remember how {plan.organisation}'s columns and values map, for its next list."
        )
    if plan.sample is not None and plan.fieldwork_folder is not None:
        protected = len(plan.fieldwork_passphrases)
        lines.append(
            f"• Write a fieldwork file for each inspector and assessor in "
            f"{plan.fieldwork_folder}"
            + (f" ({protected} with their own passphrase)." if protected else ".")
        )
    lines.append("If any step fails, nothing is left behind.")
    return "\n".join(lines)


class DonePage(QWizardPage):
    """What was written."""

    COLUMNS = ("Person", "Cases", "File", "Passphrase")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle("The inspection is ready")
        self.setSubTitle("Press Finish to open the master file.")
        self.master = QLabel()
        self.master.setWordWrap(True)
        self.master.setAccessibleName("Master file written")
        self.master.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.master.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.files_heading = QLabel("Fieldwork files written")
        self.files_heading.setWordWrap(True)
        self.files_heading.setFont(heading_font(self.font(), 1.0))
        self.model = TableModel(self.COLUMNS, self)
        self.view = _table_view("Fieldwork files written")
        self.view.setModel(self.model)
        self.advice = _intro("")
        layout = QVBoxLayout(self)
        layout.addWidget(self.master)
        layout.addSpacing(8)
        layout.addWidget(self.files_heading)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.advice)

    def initializePage(self) -> None:
        wizard = self.wizard()
        assert isinstance(wizard, NewInspectionWizard)
        created = wizard.save_page.created
        if created is None:
            return
        cases = (
            f"{_plural(created.imported, 'case')} imported"
            + (f", {_plural(created.skipped, 'row')} left out" if created.skipped else "")
            if created.allocation
            else "no cases yet"
        )
        protection = (
            "Encrypted with your passphrase"
            if created.encrypted
            else "Not encrypted (your reason is recorded in it)"
        )
        self.master.setText(f"Master file: {created.master}\n{protection}; {cases}.")
        rows = [
            (
                e.inspector,
                str(e.cases),
                e.path.name,
                "Yes, its own" if e.inspector in created.encrypted_exports else "None",
            )
            for e in created.exports
        ]
        self.model.set_rows(rows)
        _fit_columns(self.view, 2)
        has_files = bool(rows)
        if has_files:
            folder = created.exports[0].path.parent
            self.files_heading.setText(f"Fieldwork files written to {folder}")
            self.files_heading.setAccessibleName(self.files_heading.text())
        self.files_heading.setVisible(has_files)
        self.view.setVisible(has_files)
        if has_files:
            self.advice.setText(
                "Give each person their own file. Where a file has a passphrase, tell it to "
                "them separately. Merge their files back into the master when they return them."
            )
        else:
            self.advice.setText(
                "Fieldwork files can be written from the master later, once the cases are "
                "imported and allocated."
            )
        self.advice.setAccessibleName(self.advice.text())
        if has_files:
            self.view.selectRow(0)
        # The keyboard lands on what was written (the creating page's fields are gone).
        self.master.setFocus(Qt.FocusReason.OtherFocusReason)


class NewInspectionWizard(QWizard):
    """Set up an inspection; `ask` returns the master's path once it is written."""

    PAGE_INSPECTION, PAGE_TEAM, PAGE_SAMPLE, PAGE_ALLOCATION, PAGE_FIELDWORK = range(5)
    PAGE_SAVE, PAGE_DONE = 5, 6

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New inspection")
        self.setAccessibleName("New inspection")
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.inspection_page = InspectionPage()
        self.team_page = TeamPage()
        self.sample_page = SamplePage()
        self.allocation_page = AllocationPage()
        self.fieldwork_page = FieldworkPage()
        self.save_page = SavePage()
        self.done_page = DonePage()
        for page_id, page in (
            (self.PAGE_INSPECTION, self.inspection_page),
            (self.PAGE_TEAM, self.team_page),
            (self.PAGE_SAMPLE, self.sample_page),
            (self.PAGE_ALLOCATION, self.allocation_page),
            (self.PAGE_FIELDWORK, self.fieldwork_page),
            (self.PAGE_SAVE, self.save_page),
            (self.PAGE_DONE, self.done_page),
        ):
            self.setPage(page_id, page)
        self.setStartId(self.PAGE_INSPECTION)
        for which, name in (
            (QWizard.WizardButton.BackButton, "Back"),
            (QWizard.WizardButton.NextButton, "Next"),
            (QWizard.WizardButton.CommitButton, "Create the inspection"),
            (QWizard.WizardButton.FinishButton, "Finish and open the master file"),
            (QWizard.WizardButton.CancelButton, "Cancel"),
        ):
            self.button(which).setAccessibleName(name)
        # Room for the sample's mapping tables; never larger than the screen.
        width, height = round(char_width(self) * 148), self.fontMetrics().height() * 50
        screen = self.screen()
        if screen is not None:
            space = screen.availableGeometry()
            width = min(width, space.width() - 24)
            height = min(height, space.height() - 48)
        self.resize(width, height)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)

    def plan(self, master: Path | None = None) -> Plan:
        """What has been chosen so far (pages not reached give their defaults)."""
        values: dict[str, object] = dict(self.inspection_page.values())
        values["team"] = tuple(self.team_page.members)
        values.update(self.sample_page.values())
        if values["sample"] is not None:
            values.update(self.fieldwork_page.values())
            values["allocation"] = self.allocation_page.assignments()
        values["master"] = master
        return Plan(**values)  # type: ignore[arg-type]

    @property
    def working(self) -> bool:
        return self.save_page.working

    def reject(self) -> None:
        if self.working:
            return  # the inspection is being written: it finishes, or fails and says so
        super().reject()

    def created_path(self) -> Path | None:
        created = self.save_page.created
        return created.master if created is not None else None

    @classmethod
    def ask(cls, parent: QWidget | None) -> Path | None:
        """Run the wizard; the master's path if one was created, else None."""
        wizard = cls(parent)
        wizard.exec()
        return wizard.created_path()


def run_wizard(parent: QWidget | None, open_file: Callable[[Path], object]) -> None:
    """The welcome page's 'New inspection': run the wizard and open what it made."""
    path = NewInspectionWizard.ask(parent)
    if path is not None:
        open_file(path)
