"""Painting for a few cells: status and progress in the case list, progress in the section
navigator. Only visible rows are painted, so this costs nothing on a 10,000-case list."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from inspector_app.core.cases.case_data import COMPLETE, IN_PROGRESS
from inspector_app.gui.models import CaseListModel, SectionListModel
from inspector_app.gui.style import attention, mix, success

Index = QModelIndex | QPersistentModelIndex


def _text_color(option: QStyleOptionViewItem) -> QColor:
    selected = bool(option.state & QStyle.StateFlag.State_Selected)
    role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
    return option.palette.color(role)


def _draw_background(option: QStyleOptionViewItem, painter: QPainter, widget: QWidget | None):
    opt = QStyleOptionViewItem(option)
    opt.text = ""
    style = widget.style() if widget else None
    if style is not None:
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)


class StatusDelegate(QStyledItemDelegate):
    """A small dot before the status: hollow (not started), half (in progress), full
    (complete), so the state reads at a glance without relying on colour alone."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        self.initStyleOption(option, index)
        widget = option.widget
        _draw_background(option, painter, widget)
        status = index.data(CaseListModel.StatusRole)
        text = option.text
        color = _text_color(option)
        accent = success(widget) if widget and status == COMPLETE else color
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        size = max(7, option.fontMetrics.height() // 2)
        rect = option.rect.adjusted(8, 0, 0, 0)
        dot = QRect(rect.left(), rect.center().y() - size // 2, size, size)
        painter.setPen(accent)
        if status == COMPLETE:
            painter.setBrush(accent)
            painter.drawEllipse(dot)
        elif status == IN_PROGRESS:
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(dot)
            painter.setBrush(accent)
            painter.drawPie(dot, 90 * 16, 180 * 16)
        else:
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(dot)
        painter.setPen(color)
        text_rect = rect.adjusted(size + 8, 0, -4, 0)
        painter.drawText(
            text_rect,
            int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
            option.fontMetrics.elidedText(text, Qt.TextElideMode.ElideRight, text_rect.width()),
        )
        painter.restore()


class ProgressDelegate(QStyledItemDelegate):
    """'12 / 44' over a thin bar."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        self.initStyleOption(option, index)
        widget = option.widget
        _draw_background(option, painter, widget)
        fraction = float(index.data(CaseListModel.FractionRole) or 0.0)
        color = _text_color(option)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = option.rect.adjusted(10, 3, -10, -3)
        fm = option.fontMetrics
        text_width = fm.horizontalAdvance("000 / 000")
        painter.setPen(color)
        painter.drawText(
            QRect(rect.left(), rect.top(), text_width, rect.height()),
            int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight),
            option.text,
        )
        bar_left = rect.left() + text_width + 10
        bar_width = min(rect.right() - bar_left, fm.averageCharWidth() * 16)
        bar = QRect(bar_left, rect.center().y() - 2, max(0, bar_width), 5)
        if bar.width() > 12:
            # The track is a shade of the row's own background: on a selected row, of the
            # highlight (a track mixed from the base would draw as a full white bar there).
            selected = bool(option.state & QStyle.StateFlag.State_Selected)
            ground = QPalette.ColorRole.Highlight if selected else QPalette.ColorRole.Base
            track = mix(option.palette.color(ground), color, 0.15)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(track)
            painter.drawRoundedRect(bar, 2, 2)
            if fraction > 0:
                fill = QRect(bar)
                fill.setWidth(max(3, round(bar.width() * min(1.0, fraction))))
                accent = success(widget) if widget and fraction >= 1 else mix(color, track, 0.25)
                painter.setBrush(accent)
                painter.drawRoundedRect(fill, 2, 2)
        painter.restore()


class SectionDelegate(QStyledItemDelegate):
    """Two lines per section: code and title, then its progress in words (or a tick)."""

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        base = super().sizeHint(option, index)
        return QSize(base.width(), int(option.fontMetrics.lineSpacing() * 2 + 14))

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        self.initStyleOption(option, index)
        widget = option.widget
        _draw_background(option, painter, widget)
        item = index.data(SectionListModel.ProgressRole)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        color = _text_color(option)
        fm = option.fontMetrics
        rect = option.rect.adjusted(10, 6, -8, -6)
        line = fm.lineSpacing()
        painter.save()
        painter.setPen(color)
        title = QRect(rect.left(), rect.top(), rect.width(), line)
        painter.drawText(
            title,
            int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
            fm.elidedText(option.text, Qt.TextElideMode.ElideRight, title.width()),
        )
        detail = ""
        detail_color = mix(color, option.palette.color(QPalette.ColorRole.Base), 0.35)
        if item is not None:
            if item.applicable and item.done:
                detail = self.tr("✓ Complete")
                if not selected and widget is not None:
                    detail_color = success(widget)
            else:
                detail = SectionListModel.progress_text(item, long=True)
                detail = detail[0].upper() + detail[1:]
                if item.notes_missing and not selected and widget is not None:
                    detail_color = attention(widget)
        small = QFont(option.font)
        if small.pointSizeF() > 0:
            small.setPointSizeF(small.pointSizeF() * 0.9)
        painter.setFont(small)
        painter.setPen(detail_color)
        second = QRect(
            rect.left() + fm.horizontalAdvance(self.tr("M   ")),
            rect.top() + line,
            rect.width(),
            line,
        )
        painter.drawText(
            second,
            int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
            QFontMetrics(small).elidedText(detail, Qt.TextElideMode.ElideRight, second.width()),
        )
        painter.restore()
