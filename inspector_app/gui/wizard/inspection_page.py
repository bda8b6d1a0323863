"""The wizard's first page: the inspection (title, organisation, dates, framework, encryption)."""

from __future__ import annotations

from typing import cast

from PySide6.QtCore import (
    QDate,
    Qt,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from inspector_app.core.errors import InspectorError
from inspector_app.core.files.inspection_file import (
    DEFAULT_FRAMEWORK,
    DEFAULT_PROGRAMME,
)
from inspector_app.core.files.passphrase import check_new_passphrase
from inspector_app.core.narrative.parts import check_unencrypted_reason
from inspector_app.gui.wizard.common import MessageLabel, _focus_problem, _muted, _sentence, log


class InspectionPage(QWizardPage):
    """Title, organisation, programme, fieldwork dates, framework and encryption."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("The inspection"))
        self.setSubTitle(self.tr("Who is being inspected, when, and against which questions."))
        self._title_edited = False
        self._programme_edited = False
        self._programmes: dict[str, str] = {}  # framework id -> the programme it is made for

        self.organisation = QLineEdit()
        self.organisation.setAccessibleName(self.tr("Organisation inspected"))
        self.organisation.setPlaceholderText(self.tr("for example Merseyside"))
        self.programme = QLineEdit(DEFAULT_PROGRAMME)
        self.programme.setAccessibleName(self.tr("Programme"))
        self.title = QLineEdit(f"{DEFAULT_PROGRAMME}: ")
        self.title.setAccessibleName(self.tr("Title of the inspection"))
        self.title.setAccessibleDescription(self.tr("Printed on the report's cover"))
        self.organisation.textChanged.connect(self._suggest_title)
        self.programme.textChanged.connect(self._suggest_title)
        self.title.textEdited.connect(self._title_was_edited)
        self.programme.textEdited.connect(self._programme_was_edited)

        today = QDate.currentDate()
        self.start = self._date_edit(self.tr("Fieldwork start date"), today)
        self.end = self._date_edit(self.tr("Fieldwork end date"), today.addDays(4))
        self.dates_message = MessageLabel()
        self.start.dateChanged.connect(self._check_dates)
        self.end.dateChanged.connect(self._check_dates)

        self.framework = QComboBox()
        self.framework.setAccessibleName(self.tr("Question framework"))
        self._fill_frameworks()
        self.framework.currentIndexChanged.connect(self._framework_chosen)

        self.encrypt = QCheckBox(self.tr("Encr&ypt the master file with a passphrase"))
        self.encrypt.setAccessibleName(self.tr("Encrypt the master file with a passphrase"))
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName(self.tr("Passphrase for the master file"))
        self.passphrase.setPlaceholderText(self.tr("at least 8 characters"))
        self.repeat = QLineEdit()
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat.setAccessibleName(self.tr("Repeat the passphrase"))
        self.encrypt.setChecked(True)  # every file holds offenders' data
        self.reason = QLineEdit()
        self.reason.setAccessibleName(self.tr("Reason for not encrypting"))
        self.reason.setAccessibleDescription(self.tr("Required; recorded in the inspection"))
        self.reason.setPlaceholderText(self.tr("required: why the files can be left unencrypted"))
        self.encrypt.toggled.connect(self._show_passphrase)
        self.message = MessageLabel()

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self._row(form, self.tr("&Organisation inspected"), self.organisation)
        self._row(form, self.tr("Pro&gramme"), self.programme)
        self._row(form, "&Title", self.title)
        dates = QHBoxLayout()
        dates.addWidget(self.start)
        until = QLabel(self.tr("fieldwork en&ds"))
        until.setBuddy(self.end)
        dates.addSpacing(12)
        dates.addWidget(until)
        dates.addWidget(self.end)
        dates.addStretch(1)
        starts = QLabel(self.tr("Fieldwork &starts"))
        starts.setBuddy(self.start)
        form.addRow(starts, dates)
        form.addRow("", self.dates_message)
        self._row(form, self.tr("Question f&ramework"), self.framework)
        form.addRow("", self.encrypt)
        self.passphrase_label = self._row(form, self.tr("Passphr&ase"), self.passphrase)
        self.repeat_label = self._row(form, self.tr("Re&peat passphrase"), self.repeat)
        self.encrypt_note = _muted(
            self.tr(
                "Keep the passphrase safe: without it nobody, including IT, can open the file."
            ),
            self,
        )
        form.addRow("", self.encrypt_note)
        self.reason_label = self._row(form, self.tr("R&eason for not encrypting"), self.reason)
        self.reason_note = _muted(
            self.tr(
                "Every file of this inspection holds offenders' data, so the reason for "
                "leaving them unencrypted is recorded in the inspection."
            ),
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

    def has_input(self) -> bool:
        """Whether the lead typed anything here (the title's programme is filled in for them)."""
        title = cast(QLineEdit, self.title)  # the field, not QWizardPage.title()
        typed_title = title.text().strip() not in ("", f"{DEFAULT_PROGRAMME}:")
        return typed_title or bool(self.organisation.text().strip())

    def _date_edit(self, name: str, date: QDate) -> QDateEdit:
        edit = QDateEdit(date)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("dd/MM/yyyy")
        edit.setAccessibleName(name)
        edit.setAccessibleDescription(
            self.tr("Day, month and year; arrow keys change the part chosen")
        )
        return edit

    def _fill_frameworks(self) -> None:
        """The shipped frameworks, then those installed into the data folder."""
        from inspector_app.app.frameworks import INSTALLED, installed_frameworks

        try:
            entries = installed_frameworks()
        except InspectorError:
            log.exception("the frameworks could not be listed")
            entries = []
        for entry in entries:
            text = self.tr("{title} (version {version})").format(
                title=entry.title, version=entry.version
            )
            if entry.origin == INSTALLED:
                text = self.tr("{framework}, installed").format(framework=text)
            self.framework.addItem(text, entry.id)
            self._programmes[entry.id] = entry.programme
        index = self.framework.findData(DEFAULT_FRAMEWORK)
        self.framework.setCurrentIndex(max(index, 0))

    def initializePage(self) -> None:
        self.organisation.setFocus()

    def _title_was_edited(self, _text: str) -> None:
        self._title_edited = True

    def _programme_was_edited(self, _text: str) -> None:
        self._programme_edited = True

    def _framework_chosen(self, _index: int) -> None:
        """A framework is made for a programme: it fills the programme (and so the suggested
        title) unless the lead has typed one."""
        programme = self._programmes.get(str(self.framework.currentData()), "")
        if programme and not self._programme_edited:
            self.programme.setText(programme)

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
            self.dates_message.show_problems(
                [self.tr("The fieldwork cannot end before it starts.")]
            )
            return False
        self.dates_message.clear_message()
        return True

    def problems(self) -> list[tuple[str, QWidget]]:
        found: list[tuple[str, QWidget]] = []
        organisation = self.organisation.text().strip()
        if not organisation:
            found.append((self.tr("Enter the organisation inspected."), self.organisation))
        title = self.title.text().strip()
        if not title:
            found.append((self.tr("Enter the title of the inspection."), self.title))
        if not self._check_dates():
            found.append((self.tr("The fieldwork cannot end before it starts."), self.end))
        if self.framework.currentData() is None:
            found.append(
                (self.tr("No question framework is installed; reinstall the app."), self.framework)
            )
        if self.encrypt.isChecked():
            try:
                check_new_passphrase(self.passphrase.text())
            except InspectorError as exc:
                found.append((_sentence(str(exc)), self.passphrase))
            else:
                if self.repeat.text() != self.passphrase.text():
                    found.append((self.tr("The two passphrases are not the same."), self.repeat))
        else:
            problem = self._reason_problem()
            if problem:
                found.append((problem, self.reason))
        return found

    def _reason_problem(self) -> str | None:
        """Why the reason for not encrypting cannot be recorded (None if it can); checked
        here so the lead puts it right now, not when the inspection is created."""
        if not self.reason.text().strip():
            return self.tr("Give the reason for not encrypting the master file, or encrypt it.")
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
