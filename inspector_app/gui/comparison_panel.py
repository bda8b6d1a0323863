"""The Comparison tab of the lead's Findings screen: this inspection's score beside the lowest,
highest and average score, and their count, of the published inspections made with the same
framework version, for the whole, each stage, each criterion or standard and each question,
as `inspector-app compare` gives them.

The comparison is read off the UI thread (`app.store.compare_master`) when the tab is shown
after the master changed, or when asked (F5, after publishing). When the store has nothing to
compare with, or cannot be used, one plain sentence says so, naming the store's address
(never its password).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont, QShowEvent
from PySide6.QtWidgets import (
    QLabel,
    QVBoxLayout,
    QWidget,
)

from inspector_app.app.store import (
    COMPARED,
    NOTHING_COMPARABLE,
    ComparisonRow,
    MasterComparison,
    compare_master,
)
from inspector_app.core.plural import counted
from inspector_app.gui.background import run_in_background
from inspector_app.gui.style import char_width, css_color, muted_text
from inspector_app.gui.table_model import HeaderedTableModel, row_table
from inspector_app.gui.translation import QT_TRANSLATE_NOOP

Index = QModelIndex | QPersistentModelIndex
_NO_PARENT = QModelIndex()
DASH = "–"


def percent_text(value: int | None) -> str:
    return DASH if value is None else f"{value}%"


def average_text(value: float | None) -> str:
    return DASH if value is None else f"{value:.1f}%"


def difference(row: ComparisonRow) -> float | None:
    """This inspection's score less the average, in percentage points (None: no score)."""
    if row.percent is None or row.average is None:
        return None
    return round(row.percent - row.average, 1)


def difference_text(value: float | None) -> str:
    """ "+3.5", "−2.0" (a true minus sign), "0.0"."""
    if value is None:
        return DASH
    if value == 0:
        return "0.0"
    return f"+{value:.1f}" if value > 0 else f"\u2212{-value:.1f}"


class ComparisonModel(HeaderedTableModel):
    """One row per figure of the inspection, in report order, beside the published ones."""

    COL_CODE = 0
    COL_TITLE = 1
    COL_THIS = 2
    COL_LOWEST = 3
    COL_HIGHEST = 4
    COL_AVERAGE = 5
    COL_DIFFERENCE = 6
    COL_COUNT = 7

    LevelRole = Qt.ItemDataRole.UserRole + 1
    CodeRole = Qt.ItemDataRole.UserRole + 2
    RowRole = Qt.ItemDataRole.UserRole + 3

    HEADERS = (
        QT_TRANSLATE_NOOP("ComparisonModel", "Code"),
        QT_TRANSLATE_NOOP("ComparisonModel", "Criterion or question"),
        QT_TRANSLATE_NOOP("ComparisonModel", "This inspection"),
        QT_TRANSLATE_NOOP("ComparisonModel", "Lowest"),
        QT_TRANSLATE_NOOP("ComparisonModel", "Highest"),
        QT_TRANSLATE_NOOP("ComparisonModel", "Average"),
        QT_TRANSLATE_NOOP("ComparisonModel", "Against the average"),
        QT_TRANSLATE_NOOP("ComparisonModel", "Inspections"),
    )
    TOOLTIPS = (
        QT_TRANSLATE_NOOP("ComparisonModel", "Question, criterion or standard code"),
        QT_TRANSLATE_NOOP("ComparisonModel", "The figure compared"),
        QT_TRANSLATE_NOOP(
            "ComparisonModel",
            "This inspection's share of judged cases where the work was sufficient, as the "
            "report prints it",
        ),
        QT_TRANSLATE_NOOP("ComparisonModel", "The lowest score among the published inspections"),
        QT_TRANSLATE_NOOP("ComparisonModel", "The highest score among the published inspections"),
        QT_TRANSLATE_NOOP(
            "ComparisonModel",
            "The plain mean of the published inspections' scores (each area counts once)",
        ),
        QT_TRANSLATE_NOOP(
            "ComparisonModel",
            "This inspection's score above (+) or below (\u2212) the average, in percentage points",
        ),
        QT_TRANSLATE_NOOP("ComparisonModel", "How many published inspections have a score here"),
    )
    _NUMBER_COLUMNS = (COL_THIS, COL_LOWEST, COL_HIGHEST, COL_AVERAGE, COL_DIFFERENCE, COL_COUNT)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: tuple[ComparisonRow, ...] = ()

    def set_rows(self, rows: tuple[ComparisonRow, ...]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def row_of(self, level: str, code: str) -> int:
        return next((n for n, r in enumerate(self.rows) if r.level == level and r.code == code), -1)

    def rowCount(self, parent: Index = _NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._accessible(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == Qt.ItemDataRole.FontRole and row.level != "question":
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column in self._NUMBER_COLUMNS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == self.LevelRole:
            return row.level
        if role == self.CodeRole:
            return row.code
        if role == self.RowRole:
            return row
        return None

    def _display(self, row: ComparisonRow, column: int) -> str:
        if column == self.COL_CODE:
            return row.code if row.level != "overall" else ""
        if column == self.COL_TITLE:
            indent = "    " if row.level == "question" else ""
            return indent + row.title
        if column == self.COL_THIS:
            return percent_text(row.percent)
        if column == self.COL_LOWEST:
            return percent_text(row.lowest)
        if column == self.COL_HIGHEST:
            return percent_text(row.highest)
        if column == self.COL_AVERAGE:
            return average_text(row.average)
        if column == self.COL_DIFFERENCE:
            return difference_text(difference(row))
        return str(row.count)

    def _accessible(self, row: ComparisonRow, column: int) -> str:
        text = self._display(row, column).strip()
        if text == DASH:
            return self.tr("no score")
        if column == self.COL_COUNT:
            return counted(row.count, "{n} published inspection", "{n} published inspections")
        if column == self.COL_DIFFERENCE:
            points = difference(row) or 0.0
            if points > 0:
                return self.tr("{points} points above the average").format(points=f"{points:.1f}")
            if points < 0:
                return self.tr("{points} points below the average").format(points=f"{-points:.1f}")
            return self.tr("at the average")
        return text

    def _tooltip(self, row: ComparisonRow, column: int) -> str | None:
        if column == self.COL_TITLE:
            return row.title
        if column == self.COL_THIS:
            if not row.denominator:
                return self.tr("No case was judged here")
            return self.tr("{sufficient} of {denominator} judged cases sufficient").format(
                sufficient=row.sufficient, denominator=row.denominator
            )
        return None


class ComparisonPanel(QWidget):
    """The comparison of one master (see the module's docstring)."""

    loaded = Signal()  # the tab shows the answer asked for last (a comparison or why not)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Comparison with the published inspections"))
        self.path: Path | None = None
        self._passphrase: str | None = None
        self._token = 0
        self._stale = False
        self._computing = False
        self.result: MasterComparison | None = None
        self.model = ComparisonModel(self)

        self.summary = QLabel(self.tr("Not compared yet"))
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName(self.tr("What this inspection is compared with"))
        self.summary.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.summary.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # the sentence, by keyboard
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet(f"color: {css_color(muted_text(self))};")
        self.note.setAccessibleName(self.tr("About the comparison"))

        self.table = row_table(
            self.model,
            self.tr("Scores beside the published inspections"),
            ComparisonModel.COL_TITLE,
        )
        self.table.setAccessibleDescription(
            self.tr(
                "One row per figure: this inspection's score, then the lowest, highest and "
                "average score of the published inspections and how many have one"
            )
        )
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(round(self.fontMetrics().height() * 1.5))
        header = self.table.horizontalHeader()
        header.setAccessibleName(self.tr("Comparison columns"))
        header.setMinimumSectionSize(round(char_width(self) * 6))
        self.table.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)
        self._stretch = QWidget()  # keeps the sentence at the top while there is no table
        layout.addWidget(self._stretch, 1)

    # -- the master ------------------------------------------------------------------------

    def set_file(self, path: Path | None, passphrase: str | None) -> None:
        self.path = Path(path) if path is not None else None
        self._passphrase = passphrase
        self._token += 1
        self._computing = False
        self._show(None)
        self.summary.setText(
            self.tr("Not compared yet") if path is not None else self.tr("No master open")
        )
        self._stale = path is not None
        if self._stale and self.isVisible():
            self.reload()

    def invalidate(self) -> None:
        """The master changed: compare again now if on screen, else when next shown."""
        if self.path is None:
            return
        self._stale = True
        if self.isVisible():
            self.reload()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale and self.path is not None:
            self.reload()

    def is_computing(self) -> bool:
        return self._computing

    def reload(self) -> None:
        """Compare again, off the UI thread."""
        if self.path is None:
            return
        self._stale = False
        self._token += 1
        token = self._token
        path, passphrase = self.path, self._passphrase
        self._computing = True
        self.summary.setText(self.tr("Comparing with the central store…"))
        run_in_background(
            lambda: compare_master(path, passphrase),
            lambda result: self._compared(token, result),
            lambda exc: self._failed(token, exc),
        )

    def _compared(self, token: int, result: MasterComparison) -> None:
        if token != self._token:
            return
        self._computing = False
        self._show(result)
        self.loaded.emit()

    def _failed(self, token: int, exc: BaseException) -> None:
        if token != self._token:
            return
        self._computing = False
        self._show(None)
        self.summary.setText(
            self.tr("The comparison could not be made: {reason}").format(reason=_first_line(exc))
        )
        self.loaded.emit()

    # -- what is shown ---------------------------------------------------------------------

    def _show(self, result: MasterComparison | None) -> None:
        self.result = result
        comparison = result.comparison if result is not None else None
        shown = result is not None and result.status == COMPARED and comparison is not None
        self.model.set_rows(comparison.rows if shown and comparison is not None else ())
        self.table.setVisible(shown)
        self._stretch.setVisible(not shown)
        self.note.setText("")
        self.note.setVisible(False)
        if result is None:
            return
        text = self._sentence(result)
        self.summary.setText(text)
        self.summary.setAccessibleDescription(text)
        if shown and comparison is not None:
            if not comparison.includes_this:
                note = self.tr(
                    "This inspection is not published yet, so it is not counted among them "
                    "(Inspection > Publish to the central store)."
                )
            elif not comparison.published_is_current:
                note = self.tr(
                    "This inspection is counted as it was published; the master has changed "
                    "since: publish it again to update the store."
                )
            else:
                note = self.tr("This inspection is counted among them, as published.")
            note += " " + self.tr(
                "Its own scores count its complete cases, as publishing does: the sub-group and "
                "the cases in progress chosen above do not apply here."
            )
            if comparison.imported:
                note += " " + counted(
                    comparison.imported,
                    "{n} of these inspections was imported from published reports.",
                    "{n} of these inspections were imported from published reports.",
                )
            self.note.setText(note)
            self.note.setVisible(True)
            if self.table.currentIndex().row() < 0 and self.model.rowCount():
                self.table.setCurrentIndex(self.model.index(0, 0))
            if self.summary.hasFocus():  # the keyboard was on the sentence while comparing
                self.table.setFocus()

    def _sentence(self, result: MasterComparison) -> str:
        """The comparison in words: the framework by its name, the store's address in the
        tooltip (a path on the lead's disk tells the screen's reader nothing)."""
        framework = (
            self.tr("{title} (version {version})").format(
                title=result.framework_title, version=result.framework_version
            )
            if result.framework_title
            else f"{result.framework_id} {result.framework_version}"
        )
        self.summary.setToolTip(
            self.tr("The central store: {store}").format(store=result.store) if result.store else ""
        )
        comparison = result.comparison
        if result.status == COMPARED and comparison is not None:
            group = counted(
                comparison.inspections, "{n} published inspection", "{n} published inspections"
            )
            return self.tr("{area} beside {group} of {framework} in the central store.").format(
                area=comparison.organisation, group=group, framework=framework
            )
        if result.status == NOTHING_COMPARABLE:
            return self.tr(
                "The central store holds no published inspection of {framework} yet, so there "
                "is nothing to compare with."
            ).format(framework=framework)
        problem = result.problem.rstrip(".")
        if result.store:
            return self.tr("The central store at {store} cannot be used: {problem}.").format(
                store=result.store, problem=problem
            )
        return self.tr("The central store cannot be used: {problem}.").format(problem=problem)


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__
