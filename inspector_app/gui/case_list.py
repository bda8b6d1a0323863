"""The case list screen: a filter box over a table of the file's cases (a view: the window
decides what opening a case means). A figure followed from the overview narrows it to a scope,
named in a bar above the table until the user asks for every case again."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from inspector_app.core.cases.case_data import COMPLETE, IN_PROGRESS, NOT_STARTED
from inspector_app.core.plural import counted
from inspector_app.gui.delegates import ProgressDelegate, StatusDelegate
from inspector_app.gui.models import CaseListModel
from inspector_app.gui.style import css_color, heading_font, muted_text

if TYPE_CHECKING:
    from inspector_app.app.dashboard import CaseScope


class FilterEdit(QLineEdit):
    """The filter box: Down moves into the table; Enter opens the case when only one
    matches, else moves into the table too; Esc when empty asks for every case (while a scope
    narrows the list: `scoped`)."""

    toTable = Signal()
    submitted = Signal()
    escaped = Signal()
    scoped = False

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Down:
            self.toTable.emit()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.submitted.emit()
            return
        if event.key() == Qt.Key.Key_Escape and self.scoped and not self.text():
            self.escaped.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class CaseTable(QTableView):
    """The table of cases: Esc asks for every case while a scope narrows the list (`scoped`)."""

    escaped = Signal()
    scoped = False

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.scoped and not event.modifiers():
            self.escaped.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class CaseListPage(QWidget):
    caseActivated = Signal(str)  # case key

    def __init__(self, model: CaseListModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.setAccessibleName(self.tr("Case list"))
        base = self.font()

        self.heading = QLabel(self.tr("Cases"))
        self.heading.setFont(heading_font(base, 1.35))
        self.heading.setAccessibleName(self.tr("Cases"))
        self.counts = QLabel()
        self.counts.setAccessibleName(self.tr("Case counts"))
        self.counts.setStyleSheet(f"color: {css_color(muted_text(self))};")

        self.filter_edit = FilterEdit()
        self.filter_edit.setPlaceholderText(
            self.tr(
                "Filter: sample number, any profile value, assessor or status (e.g. “high alcohol”)"
            )
        )
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setAccessibleName(self.tr("Filter cases"))
        self.filter_edit.setToolTip(
            self.tr(
                "Shows the cases whose sample number, profile, assessor or status "
                "contain every word typed (Ctrl+F)"
            )
        )
        self.filter_edit.textChanged.connect(self.model.set_filter_text)
        self.filter_edit.toTable.connect(self.focus_table)
        self.filter_edit.submitted.connect(self._filter_submitted)
        self.filter_edit.escaped.connect(self.clear_scope)

        self.scope_label = QLabel()
        self.scope_label.setAccessibleName(self.tr("Cases shown"))
        self.scope_label.setFont(heading_font(base, 1.0))
        self.show_all_button = QPushButton(self.tr("Show &all cases"))
        self.show_all_button.setAccessibleName(self.tr("Show all cases"))
        self.show_all_button.setToolTip(self.tr("Stop narrowing the list to these cases (Esc)"))
        self.show_all_button.setAutoDefault(False)
        self.show_all_button.clicked.connect(self._show_all_clicked)
        self.scope_bar = QWidget()
        self.scope_bar.setAccessibleName(self.tr("Cases shown"))
        bar = QHBoxLayout(self.scope_bar)
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.scope_label, 1)
        bar.addWidget(self.show_all_button)
        self.scope_bar.hide()

        self.table = CaseTable()
        self.table.setModel(model)
        self.table.setAccessibleName(self.tr("Cases"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(CaseListModel.COL_SAMPLE, Qt.SortOrder.AscendingOrder)
        self.table.setItemDelegateForColumn(CaseListModel.COL_STATUS, StatusDelegate(self.table))
        self.table.setItemDelegateForColumn(
            CaseListModel.COL_PROGRESS, ProgressDelegate(self.table)
        )
        vertical = self.table.verticalHeader()
        vertical.hide()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(int(self.fontMetrics().height() * 2))
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setAccessibleName(self.tr("Case list columns: click to sort"))
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # The flags and the readers share what the other columns leave: on a 1024-wide
        # laptop every column shows (the progress too), on a wide screen the readers' names
        # show whole instead of an empty stretch after the progress bar.
        for column in (CaseListModel.COL_FLAGS, CaseListModel.COL_ASSESSOR):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self._size_columns()
        self.table.activated.connect(self._activated)
        self.table.escaped.connect(self.clear_scope)

        # A long organisation's name wraps instead of widening the window past the screen.
        self.heading.setWordWrap(True)
        self.heading.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.counts.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.heading, 3)
        top.addSpacing(12)
        top.addWidget(self.counts, 2, Qt.AlignmentFlag.AlignBottom)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.scope_bar)
        layout.addWidget(self.table, 1)
        model.filterChanged.connect(self.update_counts)
        model.scopeChanged.connect(self._show_scope)
        self._key_before_reset: str | None = None
        model.modelAboutToBeReset.connect(self._remember_current_key)
        model.modelReset.connect(self._keep_a_current_row)
        model.rowsReplaced.connect(self._back_to_the_current_key)
        self.update_counts()
        self._show_scope()

    def _size_columns(self) -> None:
        """Widths from the font (text scales with the system font), never from the rows:
        sizing to contents would read all 10,000."""
        fm = self.fontMetrics()
        pad = fm.averageCharWidth() * 4
        samples = {
            CaseListModel.COL_SAMPLE: "Case 0000",
            CaseListModel.COL_SENTENCE: "Suspended sentence order",
            CaseListModel.COL_ROSH: "Very high",
            CaseListModel.COL_TIER: "Tier",
            CaseListModel.COL_FLAGS: "Child protection, Domestic abuse",
            CaseListModel.COL_ASSESSOR: "Daniel Okafor (QA: Helen)",
            CaseListModel.COL_STATUS: "● Not started",
            CaseListModel.COL_PROGRESS: "00 / 00 ██████",
        }
        for column, text in samples.items():
            self.table.setColumnWidth(column, fm.horizontalAdvance(text) + pad)

    def update_counts(self) -> None:
        if self.model.is_loading():
            self.counts.setText(self.tr("Loading cases…"))
            return
        total = self.model.total_count()
        shown = self.model.rowCount()
        counts = self.model.status_counts()
        parts = [
            self.tr("{get} complete").format(get=counts.get(COMPLETE, 0)),
            self.tr("{get} in progress").format(get=counts.get(IN_PROGRESS, 0)),
            self.tr("{get} not started").format(get=counts.get(NOT_STARTED, 0)),
        ]
        lead = counted(total, "{n} case", "{n} cases")
        if shown != total or self.model.scope() is not None:
            lead = self.tr("{shown} of {counted} shown").format(
                shown=shown, counted=counted(total, "{n} case", "{n} cases")
            )
        self.counts.setText(f"{lead}  ·  " + ", ".join(parts))

    # -- scope -------------------------------------------------------------------------------

    def set_scope(self, scope: CaseScope | None) -> None:
        """Show the cases behind a figure of the overview. The filter box is emptied, so the
        list shows exactly the cases the figure counts."""
        if scope is not None:
            self.filter_edit.clear()
        self.model.set_scope(scope)

    def clear_scope(self) -> None:
        self.model.set_scope(None)

    def _show_all_clicked(self) -> None:
        self.clear_scope()
        self.focus_table()

    def _show_scope(self) -> None:
        scope = self.model.scope()
        self.table.scoped = self.filter_edit.scoped = scope is not None
        if scope is None:
            if self.scope_bar.isVisibleTo(self) and self.show_all_button.hasFocus():
                self.focus_table()
            self.scope_bar.hide()
            self.scope_label.clear()
            return
        text = self.tr("Showing: {describe}").format(describe=scope.describe())
        self.scope_label.setText(text)
        self.scope_bar.setAccessibleDescription(text)
        self.scope_bar.show()

    def focus_table(self) -> None:
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        if not self.table.currentIndex().isValid() and self.model.rowCount():
            self.select_row(0)

    def select_key(self, key: str | None) -> bool:
        row = self.model.row_of(key) if key else -1
        if row < 0:
            return False
        self.select_row(row)
        return True

    def select_row(self, row: int) -> None:
        index = self.model.index(row, CaseListModel.COL_SAMPLE)
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)

    def current_key(self) -> str | None:
        index = self.table.currentIndex()
        return self.model.key_at(index.row()) if index.isValid() else None

    def _filter_submitted(self) -> None:
        """Enter in the filter box: the single match opens at once; otherwise the list
        takes the keyboard, on the first match."""
        if self.model.rowCount() == 1:
            key = self.model.key_at(0)
            if key:
                self.caseActivated.emit(key)
                return
        self.focus_table()

    def _activated(self, index: QModelIndex) -> None:
        key = self.model.key_at(index.row())
        if key:
            self.caseActivated.emit(key)

    def _keep_a_current_row(self) -> None:
        # A reset (new filter) forgets the current row; keep the first match ready for Enter.
        if self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(0, CaseListModel.COL_SAMPLE))

    def _remember_current_key(self) -> None:
        self._key_before_reset = self.current_key()

    def _back_to_the_current_key(self) -> None:
        """Rows read again (every row in, after the first few shown while a large file
        opened) leave the user on the case they were on."""
        key, self._key_before_reset = self._key_before_reset, None
        if key is not None and key != self.current_key():
            self.select_key(key)
