"""Inspection > Publish to the central store…: the lead's master, anonymised, into the store,
as `inspector-app publish` sends it (app/store.py).

Before anything leaves the master the lead is told what leaves (the figures and the anonymised
answers, never a name or a CRN) and where it goes (the store's address, never its password). A
master with open conflicts is refused in one line; publishing it anyway (the command line's
--allow-conflicts, which the store records) takes a second, explicit confirmation. The master
is read and the store written off the UI thread, with a busy indicator in the status bar; the
outcome (published, unchanged, replaced) is said there, and `published` tells the window, which
compares again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from inspector_app.app.store import (
    REPLACED,
    UNCHANGED,
    PublishOutcome,
    PublishPlan,
    plan_publication,
    publish_master,
)
from inspector_app.core.plural import counted
from inspector_app.gui.background import run_in_background
from inspector_app.gui.dialogs import ErrorDialog
from inspector_app.gui.file_controller import FileController
from inspector_app.gui.style import attention, char_width, css_color, heading_font

log = logging.getLogger(__name__)

STATUS_MS = 15000


class OpenConflictsDialog:
    """Publishing refused: conflicts are still open. Settle them, or go on to publish anyway
    (which asks again)."""

    SETTLE = "settle"
    ANYWAY = "anyway"

    @classmethod
    def ask(cls, parent: QWidget | None, plan: PublishPlan) -> str | None:
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Warning)
        title = QCoreApplication.translate("OpenConflictsDialog", "Cannot publish yet")
        box.setWindowTitle(title)
        box.setAccessibleName(title)
        box.setText(
            QCoreApplication.translate(
                "OpenConflictsDialog", "{area}: {conflicts}; settle them first."
            ).format(area=plan.organisation, conflicts=open_conflicts_text(plan.open_conflicts))
        )
        box.setInformativeText(
            QCoreApplication.translate(
                "OpenConflictsDialog",
                "A disputed answer is counted with one of its values for now, so the "
                "published figures could change once it is settled.",
            )
        )
        settle = box.addButton(
            QCoreApplication.translate("OpenConflictsDialog", "Settle the conflicts…"),
            QMessageBox.ButtonRole.AcceptRole,
        )
        anyway = box.addButton(
            QCoreApplication.translate("OpenConflictsDialog", "Publish anyway…"),
            QMessageBox.ButtonRole.DestructiveRole,
        )
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(settle)
        box.exec()
        clicked = box.clickedButton()
        if clicked is settle:
            return cls.SETTLE
        if clicked is anyway:
            return cls.ANYWAY
        return None


def open_conflicts_text(count: int) -> str:
    return counted(count, "{n} conflict is still open", "{n} conflicts are still open")


class ConfirmPublishDialog(QDialog):
    """What leaves the master and where it goes, before anything is sent. With open conflicts
    allowed, the lead ticks a box saying so before Publish can be pressed."""

    def __init__(self, parent: QWidget | None, plan: PublishPlan, allow_conflicts: bool) -> None:
        super().__init__(parent)
        title = self.tr("Publish to the central store?")
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        heading = QLabel(self.tr("Publish {title} to the central store?").format(title=plan.title))
        heading.setFont(heading_font(self.font(), 1.15))
        heading.setAccessibleName(title)

        where = QLabel(
            self.tr("Where it goes: the central store at {store}.").format(store=plan.store)
        )
        where.setAccessibleName(self.tr("Where it goes"))
        leaves = QLabel(
            self.tr(
                "What leaves the master: the figures and ratings the report prints ({figures}) "
                "and the answers made anonymous ({answers} in {cases}: each case's sample number, "
                "its profile without what identifies the person, and its answers), with the "
                "area, the fieldwork dates and the framework ({framework})."
            ).format(
                framework=f"{plan.framework_id} {plan.framework_version}",
                cases=counted(plan.cases, "{n} case", "{n} cases"),
                answers=counted(plan.answers, "{n} answer", "{n} answers"),
                figures=counted(plan.figures, "{n} figure", "{n} figures"),
            )
        )
        leaves.setAccessibleName(self.tr("What leaves the master"))
        never = QLabel(
            self.tr(
                "What never leaves it: a name, a CRN, an evidence note, a free-text answer "
                "or who was in the team."
            )
        )
        bold = QFont(never.font())
        bold.setBold(True)
        never.setFont(bold)
        never.setAccessibleName(self.tr("What never leaves the master"))
        again = QLabel(
            self.tr(
                "Publishing again after more work replaces this inspection's published "
                "version; publishing the same figures twice changes nothing."
            )
        )
        again.setAccessibleName(self.tr("Publishing again"))
        labels = [where, leaves, never, again]

        self.conflicts_box: QCheckBox | None = None
        warning: QLabel | None = None
        if allow_conflicts:
            warning = QLabel(
                self.tr(
                    "{conflicts}: the figures count one of each disputed answer's values, "
                    "and the store records that this inspection was published with conflicts "
                    "open."
                ).format(conflicts=open_conflicts_text(plan.open_conflicts))
            )
            warning.setStyleSheet(f"color: {css_color(attention(self))};")
            warning.setAccessibleName(self.tr("Open conflicts"))
            labels.append(warning)
            self.conflicts_box = QCheckBox(
                counted(
                    plan.open_conflicts,
                    "Publish with the {n} conflict still open",
                    "Publish with the {n} conflicts still open",
                )
            )
            self.conflicts_box.setAccessibleName(self.tr("Publish with conflicts open"))
        for label in labels:
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.PlainText)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.publish_button = self.buttons.addButton(
            self.tr("Publish"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        for label in labels:
            layout.addWidget(label)
        if self.conflicts_box is not None:
            layout.addWidget(self.conflicts_box)
            self.conflicts_box.toggled.connect(self.publish_button.setEnabled)
            self.publish_button.setEnabled(False)
            self.conflicts_box.setFocus()
        else:
            self.publish_button.setDefault(True)
            self.publish_button.setFocus()
        layout.addWidget(self.buttons)
        self.resize(round(char_width(self) * 78), self.sizeHint().height())

    def accept(self) -> None:
        if self.publish_button.isEnabled():
            super().accept()

    @classmethod
    def ask(cls, parent: QWidget | None, plan: PublishPlan, allow_conflicts: bool = False) -> bool:
        return cls(parent, plan, allow_conflicts).exec() == QDialog.DialogCode.Accepted


class Publisher(QObject):
    """The Publish action's work for one window (see the module's docstring)."""

    published = Signal(object)  # PublishOutcome
    finished = Signal()  # the action is over, whatever came of it

    def __init__(
        self,
        window: QMainWindow,
        files: FileController,
        show_conflicts: Callable[[], object],
    ) -> None:
        super().__init__(window)
        self._window = window
        self._files = files
        self._show_conflicts = show_conflicts
        self._progress: QProgressBar | None = None
        self.busy = False

    def start(self) -> None:
        """Read what would be published (off the UI thread), then ask."""
        if self.busy:
            self._status(self.tr("Publishing is already under way"))
            return
        file = self._files.file
        if file is None or not file.is_master or not self._files.flush_edits():
            return
        path, passphrase = Path(file.path), file.db.passphrase
        self._set_busy(self.tr("Preparing to publish…"))
        run_in_background(
            lambda: plan_publication(path, passphrase),
            lambda plan: self._planned(path, passphrase, plan),
            self._failed,
        )

    def _planned(self, path: Path, passphrase: str | None, plan: PublishPlan) -> None:
        self._set_busy(None)
        file = self._files.file
        if file is None or Path(file.path) != path:
            self.finished.emit()  # the master was closed meanwhile: nothing to ask about
            return
        allow = False
        if plan.open_conflicts:
            choice = OpenConflictsDialog.ask(self._window, plan)
            if choice == OpenConflictsDialog.SETTLE:
                self._show_conflicts()
            if choice != OpenConflictsDialog.ANYWAY:
                self._status(
                    self.tr("Not published: {conflicts}").format(
                        conflicts=open_conflicts_text(plan.open_conflicts)
                    )
                )
                self.finished.emit()
                return
            allow = True
        if not ConfirmPublishDialog.ask(self._window, plan, allow):
            self._status(self.tr("Not published"))
            self.finished.emit()
            return
        self._set_busy(self.tr("Publishing to {store}…").format(store=plan.store))
        run_in_background(
            lambda: publish_master(path, passphrase, allow_conflicts=allow),
            self._done,
            self._failed,
        )

    def _done(self, outcome: PublishOutcome) -> None:
        self._set_busy(None)
        self._status(outcome_text(outcome))
        self.published.emit(outcome)
        self.finished.emit()

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(None)
        self._status(self.tr("Not published"))
        ErrorDialog.ask(self._window, self.tr("Cannot publish to the central store"), str(exc))
        self.finished.emit()

    # -- the busy indicator ----------------------------------------------------------------

    def _set_busy(self, text: str | None) -> None:
        """A busy bar and `text` in the status bar while work is under way (None: done)."""
        bar = self._window.statusBar()
        if text is not None:
            if self._progress is None:
                self._progress = QProgressBar()
                self._progress.setRange(0, 0)
                self._progress.setMaximumWidth(round(char_width(self._window) * 16))
                self._progress.setAccessibleName(self.tr("Publishing"))
                bar.addWidget(self._progress)
                QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
            self._progress.setAccessibleDescription(text)
            self._progress.show()
            bar.showMessage(text)
            self.busy = True
            return
        if self._progress is not None:
            bar.removeWidget(self._progress)
            self._progress.deleteLater()
            self._progress = None
            QApplication.restoreOverrideCursor()
        bar.clearMessage()
        self.busy = False

    def _status(self, text: str) -> None:
        self._window.statusBar().showMessage(text, STATUS_MS)


def outcome_text(outcome: PublishOutcome) -> str:
    """What a publish did, in one line for the status bar."""
    what = ", ".join(
        (
            counted(outcome.cases, "{n} case", "{n} cases"),
            counted(outcome.answers, "{n} answer", "{n} answers"),
            counted(outcome.figures, "{n} figure", "{n} figures"),
        )
    )
    if outcome.status == UNCHANGED:
        text = QCoreApplication.translate(
            "publish_action",
            "Unchanged: the central store at {store} already holds this version; nothing "
            "was written",
        ).format(store=outcome.store)
    elif outcome.status == REPLACED:
        text = QCoreApplication.translate(
            "publish_action",
            "Replaced the published version in the central store at {store} ({what})",
        ).format(store=outcome.store, what=what)
    else:
        text = QCoreApplication.translate(
            "publish_action", "Published to the central store at {store} ({what})"
        ).format(store=outcome.store, what=what)
    if outcome.open_conflicts:
        text += counted(
            outcome.open_conflicts,
            "; with {n} conflict open, which the store records",
            "; with {n} conflicts open, which the store records",
        )
    return text
