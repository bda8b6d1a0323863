"""The Sample tab of the set-up screen: the cases of the sample, one that cannot be inspected
replaced by the next reserve of its stratum or withdrawn without a replacement (each with the
reason kept for the report), a withdrawn case reinstated, and the sample imported through the
mapping step when the wizard left it for later. A case with any answer or correction is never
replaced or withdrawn: no fieldwork is set aside."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from inspector_app.app.team_board import TeamBoard
from inspector_app.core.plural import counted
from inspector_app.core.sample.long_list import LongListSummary
from inspector_app.gui.style import css_color, muted_text
from inspector_app.gui.table_model import TableModel, row_table
from inspector_app.gui.translation import QT_TRANSLATE_NOOP


class ReasonDialog:
    @classmethod
    def ask(cls, parent: QWidget | None, label: str) -> str | None:
        """Why the case cannot be inspected, or None when cancelled."""
        text, ok = QInputDialog.getText(
            parent,
            QCoreApplication.translate("ReasonDialog", "Replace {label}").format(label=label),
            QCoreApplication.translate(
                "ReasonDialog",
                "Why can {label} not be inspected? (kept with the draw, and in the "
                "report's account of the sample)",
            ).format(label=label),
        )
        return text.strip() if ok and text.strip() else None


class WithdrawDialog:
    @classmethod
    def ask(cls, parent: QWidget | None, label: str) -> str | None:
        """Why the case is withdrawn, or None when cancelled."""
        text, ok = QInputDialog.getText(
            parent,
            QCoreApplication.translate("WithdrawDialog", "Withdraw {label}").format(label=label),
            QCoreApplication.translate(
                "WithdrawDialog",
                "Why is {label} withdrawn without a replacement? (kept in the master, and "
                "in the report's account of the sample)",
            ).format(label=label),
        )
        return text.strip() if ok and text.strip() else None


@dataclass(frozen=True)
class SampleCase:
    """One row of the tab: a case of the inspection, or a withdrawn one."""

    sample_no: int
    label: str
    description: str
    first_reader: str | None
    status: str
    withdrawn: bool = False


class SampleTab(QWidget):
    replaceRequested = Signal(int, str)  # sample number, reason
    withdrawRequested = Signal(int, str)  # sample number, reason
    reinstateRequested = Signal(int)  # sample number
    importRequested = Signal()

    HEADERS = (
        QT_TRANSLATE_NOOP("SampleTab", "Case"),
        QT_TRANSLATE_NOOP("SampleTab", "Profile"),
        QT_TRANSLATE_NOOP("SampleTab", "First reader"),
        QT_TRANSLATE_NOOP("SampleTab", "Status"),
    )

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Sample"))
        self.cases: list[SampleCase] = []
        self.has_reserves = False
        self.strata_labels: tuple[str, ...] = ()  # the fields the draw was stratified by
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet(f"color: {css_color(muted_text(self))};")
        self.summary.setAccessibleName(self.tr("About the sample"))
        self.model = TableModel(
            tuple(QCoreApplication.translate("SampleTab", h) for h in self.HEADERS), self
        )
        self.table = row_table(self.model, self.tr("Cases of the sample"), stretch=1)
        self.replace_button = QPushButton(self.tr("&Replace from the reserves…"))
        self.replace_button.setToolTip(
            self.tr(
                "Replace the chosen case, when it cannot be inspected, by the next "
                "reserve of its stratum (only a case nobody has written on yet)"
            )
        )
        self.replace_button.clicked.connect(self.replace_current)
        self.withdraw_button = QPushButton(self.tr("&Withdraw…"))
        self.withdraw_button.setToolTip(
            self.tr(
                "Take the chosen case out of the inspection without a replacement, with "
                "the reason (only a case nobody has written on yet) (Delete)"
            )
        )
        self.withdraw_button.clicked.connect(self.withdraw_current)
        self.reinstate_button = QPushButton(self.tr("Rei&nstate"))
        self.reinstate_button.setToolTip(
            self.tr("Bring the chosen withdrawn case back into the inspection (Insert)")
        )
        self.reinstate_button.clicked.connect(self.reinstate_current)
        self.import_button = QPushButton(self.tr("I&mport sample…"))
        self.import_button.setToolTip(
            self.tr(
                "Import the service's sample file (CSV or Excel) through the mapping "
                "step, in place of the cases here: only before fieldwork begins"
            )
        )
        self.import_button.clicked.connect(self.importRequested)
        for keys, slot in (
            (QKeySequence(QKeySequence.StandardKey.Delete), self.withdraw_current),
            (QKeySequence(Qt.Key.Key_Insert), self.reinstate_current),
        ):
            shortcut = QShortcut(keys, self.table)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(slot)
        buttons = QHBoxLayout()
        buttons.addWidget(self.replace_button)
        buttons.addWidget(self.withdraw_button)
        buttons.addWidget(self.reinstate_button)
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._update())
        self._update()

    def set_board(self, board: TeamBoard, draw: LongListSummary | None) -> None:
        chosen = self.current()
        by_number: dict[int, SampleCase] = {}
        for case in (*board.unallocated, *(c for p in board.people for c in p.first_reads)):
            by_number[case.sample_no] = SampleCase(
                case.sample_no, case.label, case.description, case.first_reader, case.status
            )
        for gone in board.withdrawn:
            status = self.tr("withdrawn: {reason}").format(reason=gone.reason)
            if gone.written_since:
                status += self.tr(" (work has come back on it since)")
            by_number[gone.sample_no] = SampleCase(
                gone.sample_no, gone.label, gone.description, gone.first_reader, status, True
            )
        self.cases = [by_number[n] for n in sorted(by_number)]
        self.model.set_rows(
            [
                (c.label, c.description, c.first_reader or self.tr("not allocated"), c.status)
                for c in self.cases
            ]
        )
        in_inspection = sum(1 for c in self.cases if not c.withdrawn)
        withdrawn = (
            self.tr(" Withdrawn without a replacement: {cases}.").format(
                cases=", ".join(
                    self.tr("case {number:03d} ({reason})").format(
                        number=c.sample_no, reason=c.reason
                    )
                    for c in board.withdrawn
                )
            )
            if board.withdrawn
            else ""
        )
        self.has_reserves = draw is not None and draw.reserves > 0
        if draw is None:
            self.summary.setText(
                self.tr(
                    "{counted}, imported as the trust sent them. Cases are replaced from "
                    "reserves only when the sample was drawn from a long list."
                ).format(counted=counted(in_inspection, "{n} case", "{n} cases"))
                + withdrawn
            )
        else:
            replaced = (
                self.tr("; replaced so far: ")
                + ", ".join(
                    self.tr("case {number:03d} ({reason})").format(number=number, reason=reason)
                    for number, reason in draw.replaced
                )
                if draw.replaced
                else ""
            )
            how = (
                self.tr(" by {strata}").format(strata=", ".join(self.strata_labels))
                if self.strata_labels
                else ""
            ) + (self.tr(" (seed {seed})").format(seed=draw.seed) if draw.seed else "")
            self.summary.setText(
                self.tr(
                    "{counted} drawn from a long list of {entries}{how}, {counted2} left{replaced}."
                ).format(
                    counted=counted(draw.drawn, "{n} case", "{n} cases"),
                    entries=draw.entries,
                    how=how,
                    counted2=counted(draw.reserves, "{n} reserve", "{n} reserves"),
                    replaced=replaced,
                )
                + withdrawn
            )
        numbers = [c.sample_no for c in self.cases]
        if chosen is not None and chosen.sample_no in numbers:
            self.table.selectRow(numbers.index(chosen.sample_no))
        elif self.cases and not self.table.currentIndex().isValid():
            self.table.selectRow(0)
        self._update()

    def current(self) -> SampleCase | None:
        row = self.table.currentIndex().row()
        return self.cases[row] if 0 <= row < len(self.cases) else None

    def select(self, sample_no: int) -> bool:
        for row, case in enumerate(self.cases):
            if case.sample_no == sample_no:
                self.table.selectRow(row)
                return True
        return False

    def replace_current(self) -> None:
        case = self.current()
        if case is None or case.withdrawn or not self.has_reserves:
            return
        reason = ReasonDialog.ask(self, case.label)
        if reason:
            self.replaceRequested.emit(case.sample_no, reason)

    def withdraw_current(self) -> None:
        case = self.current()
        if case is None or case.withdrawn:
            return
        reason = WithdrawDialog.ask(self, case.label)
        if reason:
            self.withdrawRequested.emit(case.sample_no, reason)

    def reinstate_current(self) -> None:
        case = self.current()
        if case is not None and case.withdrawn:
            self.reinstateRequested.emit(case.sample_no)

    def _update(self) -> None:
        case = self.current()
        active = case is not None and not case.withdrawn
        self.replace_button.setEnabled(active and self.has_reserves)
        self.withdraw_button.setEnabled(active)
        self.reinstate_button.setEnabled(case is not None and case.withdrawn)
