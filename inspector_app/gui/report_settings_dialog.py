"""The report's settings and its publication gate, as the lead meets them in the Report view.

`ReportSettingsDialog` edits the report settings (`core.report_settings`): the Chief
Inspector's name and title, the organisation, the series statement, the press office, the
month of publication, the markings and the copyright line. Saving writes the changed ones as
revisions in one transaction; Esc leaves the file as it was.

`PublicationBlockedDialog` lists what stops the report being marked final, each with where to
put it right; when only cases not complete stand in the way, the lead may mark it final anyway
with a reason, which the report prints.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QRegularExpression, Qt
from PySide6.QtGui import QKeySequence, QRegularExpressionValidator, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.plural import counted
from inspector_app.core.report.publication_gate import Blocker
from inspector_app.core.report.settings import (
    PUBLICATION_MONTH,
    SETTINGS,
    save_report_settings,
    setting_values,
)
from inspector_app.gui.session import SAVE_ERRORS
from inspector_app.gui.style import attention, char_width, css_color, heading_font, muted_text
from inspector_app.gui.translation import QT_TRANSLATE_NOOP
from inspector_app.gui.window_geometry import keep_geometry

log = logging.getLogger(__name__)

BLOCKED_TITLE = QT_TRANSLATE_NOOP("report_settings_dialog", "The report cannot be marked final")
# Fits a 1024x768 screen with room for the window frame and a task bar.
MAX_WIDTH, MAX_HEIGHT = 980, 700
# Alt+letter for the fields a lead looks for first.
MNEMONICS = {
    "chief_inspector": QT_TRANSLATE_NOOP("report_settings_dialog", "Chief Inspector's &name"),
    "chief_inspector_title": QT_TRANSLATE_NOOP(
        "report_settings_dialog", "Chief Inspector's &title"
    ),
    "organisation_name": QT_TRANSLATE_NOOP("report_settings_dialog", "&Organisation's full name"),
    "area_name": QT_TRANSLATE_NOOP("report_settings_dialog", "&Area's name"),
    "series_statement": QT_TRANSLATE_NOOP(
        "report_settings_dialog", "Programme and s&eries statement"
    ),
    "press_contact": QT_TRANSLATE_NOOP("report_settings_dialog", "&Press office contact"),
    PUBLICATION_MONTH: QT_TRANSLATE_NOOP("report_settings_dialog", "&Month of publication"),
    "draft_marking": QT_TRANSLATE_NOOP("report_settings_dialog", "Marking of &drafts"),
    "final_marking": QT_TRANSLATE_NOOP("report_settings_dialog", "Marking of the &final report"),
    "copyright_line": QT_TRANSLATE_NOOP("report_settings_dialog", "&Copyright and licence line"),
}


def _fit(dialog: QDialog, width: float, height: float) -> None:
    dialog.resize(min(round(width), MAX_WIDTH), min(round(height), MAX_HEIGHT))


# The settings of one line; the paragraphs and the contextual facts are the Matter tab's.
ONE_LINE = tuple(s for s in SETTINGS if not s.multiline and s.key != "context_facts")


class ReportSettingsDialog(QDialog):
    """Every report setting of one master, each in a field with its current value."""

    def __init__(self, parent: QWidget | None, file: InspectionFile) -> None:
        super().__init__(parent)
        self.file = file
        self.setWindowTitle(self.tr("Report settings"))
        self.setAccessibleName(self.tr("Report settings"))
        self.saved: dict[str, str] | None = None
        self.initial = setting_values(file)
        muted = f"color: {css_color(muted_text(self))};"

        heading = QLabel(self.tr("Report settings"))
        heading.setFont(heading_font(self.font(), 1.15))
        heading.setAccessibleName(heading.text())
        intro = QLabel(
            self.tr(
                "What the report says about the inspectorate and its publication. Kept "
                "in the inspection file with their history, like the narrative. Enter "
                "saves, Esc cancels."
            )
        )
        intro.setWordWrap(True)
        intro.setStyleSheet(muted)
        intro.setAccessibleName(intro.text())

        form_widget = QWidget()
        form = QFormLayout(form_widget)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.fields: dict[str, QLineEdit] = {}
        for spec in ONE_LINE:
            edit = QLineEdit(self.initial.get(spec.key, ""))
            edit.setAccessibleName(spec.label)
            edit.setAccessibleDescription(spec.help)
            edit.setToolTip(spec.help)
            if spec.example:
                edit.setPlaceholderText(self.tr("e.g. {example}").format(example=spec.example))
            if spec.key == PUBLICATION_MONTH:
                edit.setValidator(
                    QRegularExpressionValidator(QRegularExpression(r"\d{0,4}(-\d{0,2})?"), self)
                )
                edit.setMaximumWidth(round(char_width(self) * 16))
            edit.textChanged.connect(self._clear_problem)
            label = QLabel(
                self.tr("{label}:").format(
                    label=QCoreApplication.translate("report_settings_dialog", MNEMONICS[spec.key])
                    if spec.key in MNEMONICS
                    else spec.label
                )
            )
            label.setBuddy(edit)
            form.addRow(label, edit)
            self.fields[spec.key] = edit
        scroll = QScrollArea()
        scroll.setWidget(form_widget)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(f"color: {css_color(attention(self))};")
        self.problem.setAccessibleName(self.tr("Why the settings were not saved"))
        self.problem.hide()

        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton(
            self.tr("Save"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.save_button.setAccessibleName(self.tr("Save the report settings"))
        self.save_button.setDefault(True)
        cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName(self.tr("Cancel: change nothing"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        for keys in ("Ctrl+Return", "Ctrl+Enter", "Ctrl+S"):
            QShortcut(QKeySequence(keys), self, self.save)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.fields[ONE_LINE[0].key].setFocus()
        line = self.fontMetrics().height()
        _fit(self, char_width(self) * 95, line * (2.2 * len(ONE_LINE) + 10))
        keep_geometry(self, "report-settings")

    def values(self) -> dict[str, str]:
        return {key: edit.text() for key, edit in self.fields.items()}

    def changed(self) -> dict[str, str]:
        """The settings whose text differs from what the dialog opened with."""
        return {k: v for k, v in self.values().items() if v.strip() != self.initial.get(k, "")}

    def save(self) -> bool:
        """Write the changed settings (all or none); the dialog closes once they are saved.
        A value refused keeps the dialog open, saying why, with that field focused."""
        try:
            self.saved = save_report_settings(self.file, self.changed())
        except SAVE_ERRORS as exc:
            log.info("report settings not saved: %s", exc)
            self._show_problem(str(exc))
            return False
        self.accept()
        return True

    def _show_problem(self, message: str) -> None:
        self.problem.setText(self.tr("Not saved: {message}").format(message=message))
        self.problem.setAccessibleDescription(self.problem.text())
        self.problem.show()
        for key, edit in self.fields.items():
            if f"setting {key}" in message:
                edit.setFocus()
                edit.selectAll()
                break

    def _clear_problem(self) -> None:
        self.problem.hide()

    @classmethod
    def ask(cls, parent: QWidget | None, file: InspectionFile) -> dict[str, str] | None:
        """Edit the settings of `file` (open for writing); every setting's value once saved,
        or None if cancelled."""
        dialog = cls(parent, file)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted:
                return dialog.saved
            return None
        finally:
            dialog.deleteLater()


class PublicationBlockedDialog(QDialog):
    """What stops the report being marked final (or written as final), each with where to
    put it right; with `may_override`, a reason field and "Mark final anyway"."""

    def __init__(
        self,
        parent: QWidget | None,
        blockers: Sequence[Blocker],
        *,
        may_override: bool,
        title: str | None = None,
    ) -> None:
        super().__init__(parent)
        title = title or QCoreApplication.translate("report_settings_dialog", BLOCKED_TITLE)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.blockers = tuple(blockers)
        muted = f"color: {css_color(muted_text(self))};"
        heading = QLabel(title)
        heading.setFont(heading_font(self.font(), 1.15))
        heading.setAccessibleName(title)
        count = len(self.blockers)
        intro = QLabel(
            counted(
                count,
                "{n} thing to settle first. Nothing has been changed.",
                "{n} things to settle first. Nothing has been changed.",
            )
        )
        intro.setWordWrap(True)
        intro.setAccessibleName(intro.text())
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("What to settle before the report is final"))
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.setSpacing(3)
        line = self.fontMetrics().height()
        self.list.setMinimumHeight(line * min(5 * len(self.blockers) + 1, 14))
        for blocker in self.blockers:
            can = self.tr(" (may be overridden with a reason)") if blocker.overridable else ""
            item = QListWidgetItem(
                self.tr("{what}{can}\nTo fix: {where}").format(
                    what=blocker.what, can=can, where=blocker.where
                )
            )
            item.setData(Qt.ItemDataRole.UserRole, blocker.code)
            self.list.addItem(item)
        self.list.setCurrentRow(0)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)

        self.reason_edit: QPlainTextEdit | None = None
        self.buttons = QDialogButtonBox()
        self.override_button = None
        if may_override:
            about = QLabel(
                self.tr(
                    "Only cases not complete stand in the way. To publish anyway, give "
                    "the reason: it is recorded in the file and printed in the report's "
                    "inspection arrangements."
                )
            )
            about.setWordWrap(True)
            about.setStyleSheet(muted)
            about.setAccessibleName(about.text())
            reason_label = QLabel(self.tr("&Reason for publishing with cases not complete:"))
            self.reason_edit = QPlainTextEdit()
            self.reason_edit.setTabChangesFocus(True)
            self.reason_edit.setAccessibleName(
                self.tr("Reason for publishing with cases not complete")
            )
            self.reason_edit.setMaximumHeight(self.fontMetrics().height() * 5)
            self.reason_edit.textChanged.connect(self._update_ok)
            reason_label.setBuddy(self.reason_edit)
            layout.addWidget(about)
            layout.addWidget(reason_label)
            layout.addWidget(self.reason_edit)
            self.override_button = self.buttons.addButton(
                self.tr("Mark final an&yway"), QDialogButtonBox.ButtonRole.AcceptRole
            )
            self.override_button.setAccessibleName(
                self.tr("Mark the report final anyway, with the reason")
            )
            self.override_button.setAutoDefault(False)
            for keys in ("Ctrl+Return", "Ctrl+Enter"):
                QShortcut(QKeySequence(keys), self, self.confirm)
        close = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName(self.tr("Close: leave the report a draft"))
        self.buttons.accepted.connect(self.confirm)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._update_ok()
        self.list.setFocus()
        _fit(self, char_width(self) * 100, line * (5 * count + (18 if may_override else 9)))

    def reason(self) -> str:
        return self.reason_edit.toPlainText().strip() if self.reason_edit is not None else ""

    def confirm(self) -> None:
        if self.reason():
            self.accept()

    def _update_ok(self) -> None:
        if self.override_button is not None:
            self.override_button.setEnabled(bool(self.reason()))

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        blockers: Sequence[Blocker],
        *,
        title: str | None = None,
        allow_override: bool = True,
    ) -> str | None:
        """Show the blockers; the override reason if the lead chose to mark the report final
        anyway (offered, with `allow_override`, only when every blocker may be overridden),
        else None."""
        may_override = allow_override and bool(blockers) and all(b.overridable for b in blockers)
        dialog = cls(parent, blockers, may_override=may_override, title=title)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted:
                return dialog.reason() or None
            return None
        finally:
            dialog.deleteLater()
