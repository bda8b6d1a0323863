"""The case list's progress cell, painted as the user sees it on a selected row."""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QImage, QPainter, QPalette, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QStyle, QStyleOptionViewItem, QTableView

from inspector_app.gui.delegates import ProgressDelegate
from inspector_app.gui.models import CaseListModel


def _distance(a: QColor, b: QColor) -> int:
    return abs(a.red() - b.red()) + abs(a.green() - b.green()) + abs(a.blue() - b.blue())


def _bar_pixel(fraction: float, selected: bool) -> tuple[QColor, QPalette]:
    model = QStandardItemModel(1, 1)
    item = QStandardItem("0 / 44")
    item.setData(fraction, CaseListModel.FractionRole)
    model.setItem(0, 0, item)
    view = QTableView()
    view.setModel(model)
    delegate = ProgressDelegate(view)
    option = QStyleOptionViewItem()
    option.initFrom(view)
    option.rect = QRect(0, 0, 320, 28)
    if selected:
        option.state |= QStyle.StateFlag.State_Selected
    image = QImage(320, 28, QImage.Format.Format_ARGB32)
    image.fill(option.palette.color(QPalette.ColorRole.Base))
    painter = QPainter(image)
    delegate.paint(painter, option, model.index(0, 0))
    painter.end()
    # Halfway along the bar, which starts after the figures ("000 / 000") and 10 px gaps.
    bar_left = 10 + option.fontMetrics.horizontalAdvance("000 / 000") + 10
    bar_width = min(320 - 10 - bar_left, option.fontMetrics.averageCharWidth() * 16)
    x, y = bar_left + bar_width // 2, option.rect.center().y()
    return image.pixelColor(x, y), QPalette(option.palette)


def test_an_empty_bar_on_a_selected_row_is_a_shade_of_the_highlight(qtbot: object) -> None:
    pixel, palette = _bar_pixel(0.0, selected=True)
    highlight = palette.color(QPalette.ColorRole.Highlight)
    text = palette.color(QPalette.ColorRole.HighlightedText)
    assert _distance(pixel, highlight) < _distance(pixel, text)


def test_an_empty_bar_on_a_plain_row_is_a_faint_track(qtbot: object) -> None:
    pixel, palette = _bar_pixel(0.0, selected=False)
    base = palette.color(QPalette.ColorRole.Base)
    assert 0 < _distance(pixel, base) < _distance(pixel, palette.color(QPalette.ColorRole.Text))


def test_a_full_bar_differs_from_an_empty_one_on_a_selected_row(qtbot: object) -> None:
    empty, _ = _bar_pixel(0.0, selected=True)
    full, _ = _bar_pixel(1.0, selected=True)
    assert _distance(empty, full) > 60
