"""How often two assessors who read the same case agree (QA double reading): one row per pair
of readers with the agreement rate and Cohen's kappa. A thin model and a layout-only view; the
figures come from `core.agreement` through whoever owns the view."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from inspector_app.core.findings.agreement import PairAgreement
from inspector_app.core.findings.percentages import share_text
from inspector_app.gui.style import css_color, heading_font, muted_text
from inspector_app.gui.table_model import HeaderedTableModel
from inspector_app.gui.translation import QT_TRANSLATE_NOOP

Index = QModelIndex | QPersistentModelIndex
_NO_PARENT = QModelIndex()

NOT_DEFINED = QT_TRANSLATE_NOOP("agreement_view", "not defined")


def rate_text(agreed: int, compared: int) -> str:
    """The agreement rate as printed everywhere: rounded half up."""
    return share_text(agreed, compared)


def kappa_text(kappa: float | None) -> str:
    if kappa is None:
        return QCoreApplication.translate("agreement_view", NOT_DEFINED)
    return f"{kappa:.2f}"


class AgreementModel(HeaderedTableModel):
    """One row per pair of readers."""

    COL_PAIR = 0
    COL_CASES = 1
    COL_COMPARED = 2
    COL_AGREED = 3
    COL_RATE = 4
    COL_KAPPA = 5

    PairRole = Qt.ItemDataRole.UserRole + 1  # the PairAgreement
    SortRole = Qt.ItemDataRole.UserRole + 2  # the raw number behind a figure (None if undefined)

    HEADERS = (
        QT_TRANSLATE_NOOP("AgreementModel", "Pair of readers"),
        QT_TRANSLATE_NOOP("AgreementModel", "Cases"),
        QT_TRANSLATE_NOOP("AgreementModel", "Questions compared"),
        QT_TRANSLATE_NOOP("AgreementModel", "Agreed"),
        QT_TRANSLATE_NOOP("AgreementModel", "Rate"),
        QT_TRANSLATE_NOOP("AgreementModel", "Kappa"),
    )
    TOOLTIPS = (
        QT_TRANSLATE_NOOP("AgreementModel", "The two people who both read the same cases"),
        QT_TRANSLATE_NOOP("AgreementModel", "Cases both of them read"),
        QT_TRANSLATE_NOOP("AgreementModel", "Questions both of them answered on those cases"),
        QT_TRANSLATE_NOOP("AgreementModel", "Questions where they gave the same answer"),
        QT_TRANSLATE_NOOP("AgreementModel", "Agreed as a share of the questions compared"),
        QT_TRANSLATE_NOOP(
            "AgreementModel",
            "Cohen's kappa: agreement beyond what chance would give (1 is perfect, 0 is "
            "chance); not defined when both used one and the same answer throughout",
        ),
    )

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._pairs: list[PairAgreement] = []

    def set_pairs(self, pairs: Sequence[PairAgreement]) -> None:
        self.beginResetModel()
        self._pairs = list(pairs)
        self.endResetModel()

    def pair(self, row: int) -> PairAgreement:
        return self._pairs[row]

    def rowCount(self, parent: Index = _NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self._pairs)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._pairs):
            return None
        pair = self._pairs[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._display(pair, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.COL_KAPPA and pair.kappa is None:
                return self.tr(
                    "Kappa is not defined: both readers gave one and the same answer throughout"
                )
            if column == self.COL_PAIR:
                return self.tr("{first} and {second}").format(first=pair.first, second=pair.second)
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and column != self.COL_PAIR:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == self.PairRole:
            return pair
        if role == self.SortRole:
            return self._raw(pair, column)
        return None

    def _display(self, pair: PairAgreement, column: int) -> str:
        if column == self.COL_PAIR:
            return f"{pair.first} / {pair.second}"
        if column == self.COL_CASES:
            return str(pair.cases)
        if column == self.COL_COMPARED:
            return str(pair.compared)
        if column == self.COL_AGREED:
            return str(pair.agreed)
        if column == self.COL_RATE:
            return rate_text(pair.agreed, pair.compared)
        return kappa_text(pair.kappa)

    def _raw(self, pair: PairAgreement, column: int) -> Any:
        return (
            f"{pair.first} / {pair.second}",
            pair.cases,
            pair.compared,
            pair.agreed,
            pair.rate,
            pair.kappa,
        )[column]


class AgreementView(QWidget):
    """A heading, one line of explanation and the table (layout only)."""

    VISIBLE_ROWS = 6

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Agreement between readers"))
        self.model = AgreementModel(self)

        self.heading = QLabel(self.tr("Agreement between readers"))
        self.heading.setFont(heading_font(self.font(), 1.1))
        self.heading.setAccessibleName(self.heading.text())
        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        self.explanation.setStyleSheet(f"color: {css_color(muted_text(self))};")

        self.table = QTableView()
        self.table.setAccessibleName(self.tr("Agreement between each pair of readers"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setSizeAdjustPolicy(QAbstractItemView.SizeAdjustPolicy.AdjustToContents)
        self.table.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.explanation)
        layout.addWidget(self.table, 0, Qt.AlignmentFlag.AlignLeft)
        self.set_pairs([])

    def set_pairs(self, pairs: Sequence[PairAgreement]) -> None:
        self.model.set_pairs(pairs)
        if pairs:
            text = self.tr(
                "Over the questions both readers answered on the cases they both "
                "read. Each disagreement is also listed as a conflict to settle."
            )
        else:
            text = self.tr("No case has answers from two readers yet.")
        self.explanation.setText(text)
        self.explanation.setAccessibleName(text)
        self._fit_height(len(pairs))

    def _fit_height(self, rows: int) -> None:
        """As tall as its rows (at least one, at most VISIBLE_ROWS): pairs are few."""
        shown = max(1, min(rows, self.VISIBLE_ROWS))
        row_height = self.table.verticalHeader().defaultSectionSize()
        header = self.table.horizontalHeader().sizeHint().height()
        self.table.setFixedHeight(header + shown * row_height + 2 * self.table.frameWidth())
