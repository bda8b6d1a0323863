"""The New Inspection wizard: from nothing to a master file and the team's fieldwork files.

Pages: the inspection (title, organisation, dates, framework, and encryption: on unless the
lead records why not, since every file holds offenders' data), the team, the case
sample (its columns and values mapped onto the case profile by the lead, every problem by row
and column, and any rows left out confirmed with a reason, before anything is imported),
for a trust's whole long list the draw of the sample from it (size, strata, seed, reserves),
the allocation preview (each person's cases and mix of sentence types), the fieldwork files, and
where to save the master. Nothing is written until the last step:
`create_inspection` then builds the master and the fieldwork files in one go and removes
everything it wrote if any step fails, so a failure never leaves a half-made inspection
behind; the wizard stays open with the message so the user can put it right.

The work functions at the top are Qt-free and call core services only; they run off the UI
thread through `run_in_background`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QSizePolicy,
    QWidget,
    QWizard,
    QWizardPage,
)

from inspector_app.app.new_inspection import (
    Plan,
)
from inspector_app.core.sample.importing import SampleRow
from inspector_app.gui.style import char_width
from inspector_app.gui.window_geometry import keep_geometry
from inspector_app.gui.wizard.allocation_page import AllocationPage
from inspector_app.gui.wizard.done_page import DonePage
from inspector_app.gui.wizard.draw_page import DrawPage
from inspector_app.gui.wizard.fieldwork_page import FieldworkPage
from inspector_app.gui.wizard.inspection_page import InspectionPage
from inspector_app.gui.wizard.sample_page import SamplePage
from inspector_app.gui.wizard.save_page import SavePage
from inspector_app.gui.wizard.team_page import TeamPage


class NewInspectionWizard(QWizard):
    """Set up an inspection; `ask` returns the master's path once it is written."""

    PAGE_INSPECTION, PAGE_TEAM, PAGE_SAMPLE = range(3)
    PAGE_DRAW = 3  # for a long list only: the sample page goes to the allocation otherwise
    PAGE_ALLOCATION, PAGE_FIELDWORK, PAGE_SAVE, PAGE_DONE = range(4, 8)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._closing_quietly = False  # the app closes it: no question asked
        self.setWindowTitle(self.tr("New inspection"))
        self.setAccessibleName(self.tr("New inspection"))
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.inspection_page = InspectionPage()
        self.team_page = TeamPage()
        self.sample_page = SamplePage()
        self.draw_page = DrawPage(self.sample_page)
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
            (self.PAGE_DRAW, self.draw_page),
        ):
            self.setPage(page_id, page)
        self._titles = {
            page: QWizardPage.title(page) for page in (*self._steps(True), self.done_page)
        }
        self._number_steps(False)
        self.sample_page.kindChanged.connect(self._number_steps)
        self.setStartId(self.PAGE_INSPECTION)
        for which, name in (
            (QWizard.WizardButton.BackButton, self.tr("Back")),
            (QWizard.WizardButton.NextButton, self.tr("Next")),
            (QWizard.WizardButton.CommitButton, self.tr("Create the inspection")),
            (QWizard.WizardButton.FinishButton, self.tr("Finish and open the master file")),
            (QWizard.WizardButton.CancelButton, self.tr("Cancel")),
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
        keep_geometry(self, "new-inspection")  # the size the lead left, on these screens

    def _steps(self, long_list: bool) -> tuple[QWizardPage, ...]:
        """The pages the lead goes through, in order (the draw only for a long list)."""
        draw = (self.draw_page,) if long_list else ()
        return (
            self.inspection_page,
            self.team_page,
            self.sample_page,
            *draw,
            self.allocation_page,
            self.fieldwork_page,
            self.save_page,
        )

    def _number_steps(self, long_list: bool) -> None:
        """'Step 3 of 6: The case sample', or of 7 when a long list adds the draw."""
        steps = self._steps(long_list)
        for number, page in enumerate(steps, start=1):
            page.setTitle(
                self.tr("Step {step} of {steps}: {title}").format(
                    step=number, steps=len(steps), title=self._titles[page]
                )
            )

    def sample_rows(self) -> tuple[SampleRow, ...]:
        """The cases the master will get: the sample read, or the one drawn from a long list."""
        if self.sample_page.long_list:
            return self.draw_page.drawn_rows()
        return self.sample_page.import_rows()

    def sample_serial(self) -> tuple[int, int]:
        """Changes whenever the cases the master will get may have changed."""
        return (self.sample_page.review_serial, self.draw_page.serial)

    def plan(self, master: Path | None = None) -> Plan:
        """What has been chosen so far (pages not reached give their defaults)."""
        values: dict[str, object] = dict(self.inspection_page.values())
        values["team"] = tuple(self.team_page.members)
        values.update(self.sample_page.values())
        if values["sample"] is not None and self.sample_page.long_list:
            values["draw"] = self.draw_page.choice()
        if values["sample"] is not None:
            values.update(self.fieldwork_page.values())
            values["allocation"] = self.allocation_page.assignments()
            values["capacities"] = tuple(self.allocation_page.capacities.items())
        values["master"] = master
        return Plan(**values)  # type: ignore[arg-type]

    @property
    def working(self) -> bool:
        return self.save_page.working

    def reject(self) -> None:
        if self.working:
            return  # the inspection is being written: it finishes, or fails and says so
        asked = not self._closing_quietly
        if asked and self._entered_anything() and not _confirm_leaving(self):
            return  # Esc, Cancel or the close button by mistake: what was entered stays
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        # Closed by the user (the close button): ask as Esc does; closed by the app (it is
        # quitting): close.
        self._closing_quietly = not event.spontaneous()
        try:
            super().closeEvent(event)
        finally:
            self._closing_quietly = False

    def _entered_anything(self) -> bool:
        """Whether closing would throw away something the lead entered (nothing is written
        before the last step; once the inspection is made there is nothing to lose)."""
        if self.save_page.created is not None:
            return False
        return self.currentId() != self.PAGE_INSPECTION or self.inspection_page.has_input()

    def created_path(self) -> Path | None:
        created = self.save_page.created
        return created.master if created is not None else None

    @classmethod
    def ask(cls, parent: QWidget | None) -> Path | None:
        """Run the wizard; the master's path if one was created, else None."""
        wizard = cls(parent)
        wizard.exec()
        return wizard.created_path()


def _confirm_leaving(parent: QWidget) -> bool:
    """Asks before the wizard closes on what the lead entered; the default keeps it."""
    from inspector_app.gui.dialogs import confirm

    return confirm(
        parent,
        QCoreApplication.translate("NewInspectionWizard", "Leave the new inspection?"),
        QCoreApplication.translate(
            "NewInspectionWizard",
            "Nothing has been written yet: what you entered in these steps is not kept.",
        ),
        QCoreApplication.translate("NewInspectionWizard", "Leave it"),
        QCoreApplication.translate("NewInspectionWizard", "Keep working"),
    )


def run_wizard(parent: QWidget | None, open_file: Callable[[Path], object]) -> None:
    """The welcome page's 'New inspection': run the wizard and open what it made."""
    path = NewInspectionWizard.ask(parent)
    if path is not None:
        open_file(path)
