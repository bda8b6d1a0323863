"""Fonts and colours derived from the system's, never fixed pixel sizes (text scales with the
user's font settings)."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QWidget


def heading_font(base: QFont, factor: float = 1.3, bold: bool = True) -> QFont:
    """The base font scaled by `factor` (point sizes only, so DPI and user settings hold)."""
    font = QFont(base)
    if font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * factor)
    font.setBold(bold)
    return font


def small_font(base: QFont, factor: float = 0.9) -> QFont:
    font = QFont(base)
    if font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * factor)
    return font


def is_dark(palette: QPalette) -> bool:
    """A dark palette (a high-contrast one, say), on which Fusion's field outlines vanish."""
    return palette.color(QPalette.ColorRole.Window).lightness() < 64


def mix(a: QColor, b: QColor, share_of_b: float) -> QColor:
    """`a` moved `share_of_b` of the way towards `b`."""
    t = max(0.0, min(1.0, share_of_b))
    return QColor(
        round(a.red() + (b.red() - a.red()) * t),
        round(a.green() + (b.green() - a.green()) * t),
        round(a.blue() + (b.blue() - a.blue()) * t),
    )


def muted_text(widget: QWidget) -> QColor:
    """Secondary text that stays readable (contrast well above the disabled colour)."""
    palette = widget.palette()
    return mix(
        palette.color(QPalette.ColorRole.WindowText), palette.color(QPalette.ColorRole.Window), 0.38
    )


def attention(widget: QWidget) -> QColor:
    """For 'note required' and unsaved states: a dark amber that reads on light and dark."""
    window = widget.palette().color(QPalette.ColorRole.Window)
    return QColor("#f0b040") if window.lightness() < 128 else QColor("#8a5a00")


def success(widget: QWidget) -> QColor:
    window = widget.palette().color(QPalette.ColorRole.Window)
    return QColor("#6fcf8a") if window.lightness() < 128 else QColor("#1e6b34")


def css_color(color: QColor) -> str:
    return color.name(QColor.NameFormat.HexRgb)


def char_width(widget: QWidget) -> float:
    """The width of a typical lower-case letter in the widget's font (averageCharWidth is
    often narrower than real text)."""
    return widget.fontMetrics().horizontalAdvance("abcdefghijklmnopqrstuvwxyz") / 26
