"""The plumbing every small table model shares: named columns with headers and tooltips.

Subclasses set HEADERS (and optionally TOOLTIPS), keep their own rows, and implement
`rowCount` and `data`; the column count and the horizontal header come from here. The headers
are English as written, each marked `QT_TRANSLATE_NOOP("TheModel", "...")` in the context of
the class that sets them, and translated here when shown.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

Index = QModelIndex | QPersistentModelIndex
NO_PARENT = QModelIndex()


class HeaderedTableModel(QAbstractTableModel):
    HEADERS: tuple[str, ...] = ()
    TOOLTIPS: tuple[str, ...] = ()

    @property
    def COLUMN_COUNT(self) -> int:
        return len(self.HEADERS)

    def columnCount(self, parent: Index = NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def flags(self, index: Index) -> Qt.ItemFlag:
        """Read-only rows: selectable, never edited, no children."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def row_header(self, section: int) -> Any:
        """What the vertical header shows for a row (nothing by default)."""
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Vertical:
            return self.row_header(section) if role == Qt.ItemDataRole.DisplayRole else None
        if not 0 <= section < len(self.HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return QCoreApplication.translate(_setter(self, "HEADERS"), self.HEADERS[section])
        if role == Qt.ItemDataRole.ToolTipRole and section < len(self.TOOLTIPS):
            return QCoreApplication.translate(_setter(self, "TOOLTIPS"), self.TOOLTIPS[section])
        return None

    def header_text(self, section: int) -> str:
        """Column `section`'s header as shown (translated)."""
        return str(self.headerData(section, Qt.Orientation.Horizontal))


def _setter(model: QObject, attribute: str) -> str:
    """The name of the class that sets `attribute` on `model`: the context its words are
    marked in (a subclass that inherits the headers keeps its parent's)."""
    return next(c.__name__ for c in type(model).__mro__ if attribute in vars(c))


class TableModel(QAbstractTableModel):
    """A read-only table of strings whose rows and headers are set whole (problems, previews,
    allocations, files), with a tooltip per row. The headers come translated."""

    def __init__(self, headers: tuple[str, ...], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.headers = headers
        self.rows: list[tuple[str, ...]] = []
        self.tips: list[str] = []

    def set_rows(
        self,
        rows: list[tuple[str, ...]],
        tips: list[str] | None = None,
        headers: tuple[str, ...] | None = None,
    ) -> None:
        self.beginResetModel()
        if headers is not None:
            self.headers = headers
        self.rows = rows
        self.tips = tips or []
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> object:
        if not index.isValid():
            return None
        text = self.rows[index.row()][index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return text
        if role == Qt.ItemDataRole.ToolTipRole and index.row() < len(self.tips):
            return self.tips[index.row()]
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None


def row_table(model: QAbstractTableModel, name: str, stretch: int) -> QTableView:
    """A read-only table of whole rows, as the set-up screens show them: one row chosen at a
    time, Tab leaves it and the arrows move inside it, column `stretch` takes the spare width
    and the others fit their contents."""
    view = QTableView()
    view.setModel(model)
    view.setAccessibleName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setTabKeyNavigation(False)
    view.verticalHeader().hide()
    view.setShowGrid(False)
    view.setAlternatingRowColors(True)
    header = view.horizontalHeader()
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    for column in range(model.columnCount()):
        mode = (
            QHeaderView.ResizeMode.Stretch
            if column == stretch
            else QHeaderView.ResizeMode.ResizeToContents
        )
        header.setSectionResizeMode(column, mode)
    return view
