"""The plumbing every small table model shares: named columns with headers and tooltips.

Subclasses set HEADERS (and optionally TOOLTIPS), keep their own rows, and implement
`rowCount` and `data`; the column count and the horizontal header come from here.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

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
            return self.HEADERS[section]
        if role == Qt.ItemDataRole.ToolTipRole and section < len(self.TOOLTIPS):
            return self.TOOLTIPS[section]
        return None
