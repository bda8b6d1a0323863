"""The wizard's save page: where the master goes, and a summary of what will be written."""

from __future__ import annotations

import os
import re
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    Qt,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)
from shiboken6 import isValid

from inspector_app.app.new_inspection import (
    Created,
    Plan,
    create_inspection,
)
from inspector_app.core.errors import InspectorError
from inspector_app.core.files.fieldwork_export import FILE_SUFFIX
from inspector_app.gui.background import run_in_background
from inspector_app.gui.style import heading_font
from inspector_app.gui.wizard.common import (
    MessageLabel,
    SaveMasterDialog,
    _busy_bar,
    _button,
    _error_text,
    is_new_inspection_wizard,
    log,
)


class SavePage(QWizardPage):
    """Where the master goes; creating the inspection happens when this page is left."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Save the master file"))
        self.setSubTitle(
            self.tr(
                "The master holds the whole inspection. Keep it on this computer's own "
                "disk, not on a USB stick or a network drive."
            )
        )
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("&Create the inspection"))
        self.created: Created | None = None
        self.working = False
        self.path = QLineEdit()
        self.path.setAccessibleName(self.tr("Master file"))
        self.choose = _button(self.tr("C&hoose…"), self.tr("Choose where to save the master file"))
        self.choose.clicked.connect(self._choose)
        path_label = QLabel(self.tr("Master &file"))
        path_label.setBuddy(self.path)
        row = QHBoxLayout()
        row.addWidget(path_label)
        row.addWidget(self.path, 1)
        row.addWidget(self.choose)
        self.summary_heading = QLabel(self.tr("What happens when you press Create the inspection:"))
        self.summary_heading.setFont(heading_font(self.font(), 1.0))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setAccessibleName(self.tr("What will be created"))
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.busy = _busy_bar(self.tr("Creating the inspection"))
        self.status = QLabel()
        self.status.setAccessibleName(self.tr("Progress"))
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
        assert is_new_inspection_wizard(wizard)
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
            return [self.tr("Choose where to save the master file.")]
        if not path.parent.is_dir():
            return [self.tr("There is no folder {parent}.").format(parent=path.parent)]
        if path.exists():
            return [
                self.tr("{name} already exists in {parent}; choose another name.").format(
                    name=path.name, parent=path.parent
                )
            ]
        if not os.access(path.parent, os.W_OK):
            return [self.tr("Files cannot be written in {parent}.").format(parent=path.parent)]
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
        assert is_new_inspection_wizard(wizard)
        plan = wizard.plan(master=self.chosen_path())
        self._set_working(True)
        run_in_background(lambda: create_inspection(plan), self._created, self._failed)
        return False

    def _set_working(self, on: bool) -> None:
        self.working = on
        self.busy.setVisible(on)
        self.status.setVisible(on)
        self.status.setText(self.tr("Creating the inspection…") if on else "")
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
            log.warning(self.tr("inspection created after the wizard closed: %s"), created.master)
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
            [_error_text(exc), self.tr("Nothing was written. Put it right and press Create again.")]
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
        QCoreApplication.translate("save_page", ", encrypted with your passphrase.")
        if plan.passphrase
        else QCoreApplication.translate(
            "save_page", ", not encrypted, recording the reason: “{unencrypted_reason}”."
        ).format(unencrypted_reason=plan.unencrypted_reason)
    )
    lines = [
        QCoreApplication.translate(
            "save_page", "• Create the master file for “{title}”{protection}"
        ).format(title=plan.title, protection=protection),
        QCoreApplication.translate("save_page", "• Add the team: {join}.").format(
            join=", ".join(m.name for m in plan.team)
        ),
    ]
    if plan.sample is None:
        lines.append(
            QCoreApplication.translate(
                "save_page",
                "• No sample yet: import it and allocate the cases in the master later.",
            )
        )
    else:
        only = (
            QCoreApplication.translate("save_page", " (only the valid rows)")
            if plan.accept_valid_rows
            else ""
        )
        draw = plan.draw
        if draw is None:
            lines.append(
                QCoreApplication.translate(
                    "save_page", "• Import the cases from {name}{only} and allocate them."
                ).format(name=plan.sample.name, only=only)
            )
        else:
            lines.append(
                QCoreApplication.translate(
                    "save_page",
                    "• Import the long list {name}{only}, draw {size} cases from it (seed "
                    "{seed}, {reserves} reserves for each stratum) and allocate them.",
                ).format(
                    name=plan.sample.name,
                    only=only,
                    size=draw.size,
                    seed=draw.seed,
                    reserves=draw.reserves,
                )
            )
        if plan.confirm_exclusion:
            lines.append(
                QCoreApplication.translate(
                    "save_page",
                    "• Leave out the rows you confirmed, recording the reason: "
                    "“{exclusion_reason}”.",
                ).format(exclusion_reason=plan.exclusion_reason)
            )
        lines.append(
            QCoreApplication.translate(
                "save_page",
                "• Remember how {organisation}'s columns and values map, for its next list.",
            ).format(organisation=plan.organisation)
        )
    if plan.sample is not None and plan.fieldwork_folder is not None:
        protected = len(plan.fieldwork_passphrases)
        lines.append(
            QCoreApplication.translate(
                "save_page",
                "• Write a fieldwork file for each inspector and assessor in {fieldwork_folder}",
            ).format(fieldwork_folder=plan.fieldwork_folder)
            + (
                QCoreApplication.translate(
                    "save_page", " ({protected} with their own passphrase)."
                ).format(protected=protected)
                if protected
                else "."
            )
        )
    lines.append(
        QCoreApplication.translate("save_page", "If any step fails, nothing is left behind.")
    )
    return "\n".join(lines)
