"""A tab widget's tabs as a row of names that wraps onto a second row when the room runs
out, in place of Qt's tab bar, which cuts the names ("Chap") and hides the rest behind
scroll arrows on a narrow screen.

A list underneath, so the keys are a tab bar's: one Tab stop, the arrow keys (Home, End)
choose a part and show it at once; Ctrl+Tab still steps through the parts from inside.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QListView,
    QListWidget,
    QListWidgetItem,
    QTabWidget,
    QWidget,
)

# Each name a rounded box, the chosen one in the highlight colour (a tab's look without its
# fixed single row), ringed when the keyboard is on it (a thicker border in the same box, so
# no name grows and none is cut); only spacing is in pixels, the text size is the system's.
STYLE = """
QListWidget { background: transparent; border: none; }
QListWidget::item {
    padding: 4px 11px; border: 1px solid palette(mid); border-radius: 4px;
    color: palette(window-text);
}
QListWidget::item:hover { background: palette(midlight); }
QListWidget::item:selected {
    background: palette(highlight); color: palette(highlighted-text);
    border-color: palette(highlight);
}
QListWidget::item:selected:focus {
    padding: 3px 10px; border: 2px solid palette(window-text);
}
"""
SPACING = 3  # between the names, in pixels


def _shown(text: str) -> str:
    """A tab's text without its mnemonic marker ("Fig&ures" shows "Figures")."""
    return text.replace("&&", "\x00").replace("&", "").replace("\x00", "&")


class WrappingTabBar(QListWidget):
    """The names of `tabs`' pages, in rows; choosing one shows its page. The tab widget's
    own bar is hidden and the keyboard focus it would take comes here."""

    def __init__(self, tabs: QTabWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tabs = tabs
        self.setAccessibleName(tabs.accessibleName())
        self.setViewMode(QListView.ViewMode.ListMode)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(True)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setSpacing(SPACING)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.setUniformItemSizes(False)
        self.setMovement(QListView.Movement.Static)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setStyleSheet(STYLE)
        tabs.tabBar().hide()
        tabs.setFocusProxy(self)
        self.sync()
        tabs.currentChanged.connect(self._follow)
        self.currentRowChanged.connect(self._choose)

    def sync(self) -> None:
        """Show the tab widget's pages as they are now (names, tips, which are shown)."""
        self.blockSignals(True)
        self.clear()
        for index in range(self.tabs.count()):
            item = QListWidgetItem(_shown(self.tabs.tabText(index)))
            item.setToolTip(self.tabs.tabToolTip(index))
            item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            self.addItem(item)
            item.setHidden(not self.tabs.isTabVisible(index))
        self.setCurrentRow(self.tabs.currentIndex())
        self.blockSignals(False)
        self._fit()

    def _follow(self, index: int) -> None:
        if index != self.currentRow():
            self.setCurrentRow(index)

    def _choose(self, row: int) -> None:
        if row >= 0 and row != self.tabs.currentIndex():
            self.tabs.setCurrentIndex(row)

    # -- size: every name whole, in as many rows as the width needs ------------------------------

    def _item_sizes(self) -> list[QSize]:
        return [
            self.sizeHintForIndex(self.model().index(row, 0))
            for row in range(self.count())
            if not self.item(row).isHidden()
        ]

    def sizeHint(self) -> QSize:
        """Room for every name in one row."""
        width = self._rows_for(10**6)[0] + 2 * self.frameWidth()
        return QSize(width, self._height_for(width))

    def minimumSizeHint(self) -> QSize:
        """The longest name whole: narrower than that, it would be cut."""
        widest = max((s.width() for s in self._item_sizes()), default=0)
        return QSize(widest + 2 * SPACING + 2 * self.frameWidth(), self._height_for(self.width()))

    def _rows_for(self, room: int) -> tuple[int, int]:
        """The widest row and the total height when the names fill rows `room` wide left to
        right, as the list lays them out (a spacing before each row and after each name)."""
        widest, height, used, row_height = 0, SPACING, SPACING, 0
        for size in self._item_sizes():
            needed = size.width() + SPACING
            if row_height and used + needed > room:
                height += row_height + SPACING
                used, row_height = SPACING, 0
            used += needed
            widest = max(widest, used)
            row_height = max(row_height, size.height())
        return widest, height + row_height + SPACING

    def _height_for(self, width: int) -> int:
        return self._rows_for(max(width - 2 * self.frameWidth(), 1))[1] + 2 * self.frameWidth()

    def _fit(self) -> None:
        height = self._height_for(self.width())
        if height != self.height():
            self.setFixedHeight(height)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()
