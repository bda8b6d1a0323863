"""The Sample tab of the set-up screen: the cases drawn, and an unsuitable one replaced by the
next reserve of its stratum, with the reason kept beside the draw (a case with any answer or
correction is never replaced: no fieldwork is thrown away)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from inspector_app.app.team_board import BoardCase, TeamBoard
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


class SampleTab(QWidget):
    replaceRequested = Signal(int, str)  # sample number, reason

    HEADERS = (
        QT_TRANSLATE_NOOP("SampleTab", "Case"),
        QT_TRANSLATE_NOOP("SampleTab", "Profile"),
        QT_TRANSLATE_NOOP("SampleTab", "First reader"),
        QT_TRANSLATE_NOOP("SampleTab", "Status"),
    )

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Sample"))
        self.cases: list[BoardCase] = []
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
        buttons = QHBoxLayout()
        buttons.addWidget(self.replace_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    def set_board(self, board: TeamBoard, draw: LongListSummary | None) -> None:
        by_number: dict[int, BoardCase] = {}
        for case in board.unallocated:
            by_number[case.sample_no] = case
        for person in board.people:
            for case in person.first_reads:
                by_number[case.sample_no] = case
        self.cases = [by_number[n] for n in sorted(by_number)]
        self.model.set_rows(
            [
                (c.label, c.description, c.first_reader or self.tr("not allocated"), c.status)
                for c in self.cases
            ]
        )
        if draw is None:
            self.summary.setText(
                self.tr(
                    "{counted}, imported as the trust sent them. Cases are replaced from "
                    "reserves only when the sample was drawn from a long list."
                ).format(counted=counted(len(self.cases), "{n} case", "{n} cases"))
            )
            self.replace_button.setEnabled(False)
            return
        replaced = (
            self.tr("; replaced so far: ")
            + ", ".join(
                self.tr("case {number:03d} ({reason})").format(number=number, reason=reason)
                for number, reason in draw.replaced
            )
            if draw.replaced
            else ""
        )
        self.summary.setText(
            self.tr(
                "{counted} drawn from a long list of {entries}, {counted2} left{replaced}."
            ).format(
                counted=counted(draw.drawn, "{n} case", "{n} cases"),
                entries=draw.entries,
                counted2=counted(draw.reserves, "{n} reserve", "{n} reserves"),
                replaced=replaced,
            )
        )
        self.replace_button.setEnabled(bool(self.cases) and draw.reserves > 0)
        if self.cases and not self.table.currentIndex().isValid():
            self.table.selectRow(0)

    def replace_current(self) -> None:
        row = self.table.currentIndex().row()
        if not 0 <= row < len(self.cases):
            return
        case = self.cases[row]
        reason = ReasonDialog.ask(self, case.label)
        if reason:
            self.replaceRequested.emit(case.sample_no, reason)
