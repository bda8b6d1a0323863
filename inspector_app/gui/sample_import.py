"""Importing the case sample into a master that exists, through the same mapping step as the
New Inspection wizard: the file chosen, its columns and values mapped onto the master's case
profile, every problem listed and any rows left out confirmed with a reason. Nothing is
written here: the set-up screen imports what the lead confirmed."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypedDict

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget, QWizard

from inspector_app.app.new_inspection import DrawChoice
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.plural import counted
from inspector_app.core.sample.mapping import SampleMapping
from inspector_app.gui.dialogs import confirm
from inspector_app.gui.style import char_width
from inspector_app.gui.wizard.draw_page import DrawPage
from inspector_app.gui.wizard.sample_page import SamplePage


@dataclass(frozen=True)
class SampleChoice:
    """The file and what the lead decided about it, as the import takes them."""

    path: Path
    mapping: SampleMapping | None
    accept_valid_rows: bool
    confirm_exclusion: bool
    exclusion_reason: str
    draw: DrawChoice | None = None  # the file is a long list: the sample to draw from it

    def as_mapped(self) -> MappedImport:
        """How the file is read, as the import functions take it."""
        return MappedImport(
            mapping=self.mapping,
            accept_valid_rows=self.accept_valid_rows,
            confirm_exclusion=self.confirm_exclusion,
            exclusion_reason=self.exclusion_reason,
        )


class MappedImport(TypedDict):
    mapping: SampleMapping | None
    accept_valid_rows: bool
    confirm_exclusion: bool
    exclusion_reason: str


class MasterSamplePage(SamplePage):
    """The wizard's sample page for an existing master: its framework, organisation and
    fieldwork start (so the organisation's remembered mapping is offered), and no "import
    later"."""

    def __init__(self, context: tuple[str, str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._master_context = context
        self.setTitle(self.tr("The case sample"))
        self.later.hide()

    def _wizard_context(self) -> tuple[str, str, str]:
        return self._master_context

    def nextId(self) -> int:
        """A long list goes on to its draw; a sample is imported from here."""
        return SampleImportDialog.PAGE_DRAW if self.long_list else -1

    def choice(self) -> SampleChoice | None:
        values = self.values()
        sample = values["sample"]
        if not isinstance(sample, Path):
            return None
        mapping = values["mapping"]
        return SampleChoice(
            sample,
            mapping if isinstance(mapping, SampleMapping) else None,
            bool(values["accept_valid_rows"]),
            bool(values["confirm_exclusion"]),
            str(values["exclusion_reason"]),
        )


class SampleImportDialog(QWizard):
    """The mapping step, and for a long list the draw from it; Import is the finish."""

    PAGE_SAMPLE, PAGE_DRAW = 0, 1

    def __init__(self, parent: QWidget | None, file: InspectionFile) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Import the case sample"))
        self.setAccessibleName(self.tr("Import the case sample"))
        info = file.inspection
        self.sample_page = MasterSamplePage(
            (file.framework.id, info.organisation, info.fieldwork_start or "")
        )
        self.draw_page = DrawPage(self.sample_page)
        self.setPage(self.PAGE_SAMPLE, self.sample_page)
        self.setPage(self.PAGE_DRAW, self.draw_page)
        # Next (to the draw) or Import: the wizard chooses its buttons again.
        self.sample_page.kindChanged.connect(lambda _long: self.sample_page.setFinalPage(False))
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("&Import"))
        self.resize(round(char_width(self) * 130), self.fontMetrics().height() * 44)

    @classmethod
    def ask(cls, parent: QWidget | None, file: InspectionFile) -> SampleChoice | None:
        """What to import, or None when the lead cancelled."""
        dialog = cls(parent, file)
        if dialog.exec() != QWizard.DialogCode.Accepted:
            return None
        choice = dialog.sample_page.choice()
        if choice is None or not dialog.sample_page.long_list:
            return choice
        draw = dialog.draw_page.choice()
        return replace(choice, draw=draw) if draw is not None else None


class ConfirmReplaceSampleDialog:
    """Asks before a new sample file replaces cases already in the master (nobody has
    written on them: the import is refused otherwise)."""

    @classmethod
    def ask(cls, parent: QWidget | None, cases: int, files_written: int) -> bool:
        text = QCoreApplication.translate(
            "ConfirmReplaceSampleDialog",
            "The master holds {counted}, none worked on yet. The cases imported take "
            "their place; who reads what is chosen again.",
        ).format(counted=counted(cases, "{n} case", "{n} cases"))
        if files_written:
            text += " " + counted(
                files_written,
                "{n} fieldwork file was written with the cases as they are: write it again "
                "after the import.",
                "{n} fieldwork files were written with the cases as they are: write them "
                "again after the import.",
            )
        return confirm(
            parent,
            QCoreApplication.translate(
                "ConfirmReplaceSampleDialog", "Replace the cases in the master?"
            ),
            text,
            QCoreApplication.translate("ConfirmReplaceSampleDialog", "Choose the sample file"),
            QCoreApplication.translate("ConfirmReplaceSampleDialog", "Keep the cases"),
            destructive=False,
        )
