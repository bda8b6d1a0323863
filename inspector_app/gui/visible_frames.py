"""Frames that stay visible on a dark high-contrast palette.

Fusion (the style on most Linux desktops) draws the outline of text fields, check boxes,
radio buttons, spin boxes and combo boxes from the window colour made darker: on a black
high-contrast palette that is black on black, and the fields vanish. This proxy draws those
outlines again, from the text colour, whenever the palette is dark; on any other palette it
changes nothing.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter, QPalette, QPen
from PySide6.QtWidgets import QProxyStyle, QStyle, QStyleOption, QWidget

from inspector_app.gui.style import is_dark, mix

_OUTLINED = {
    QStyle.PrimitiveElement.PE_FrameLineEdit,
    QStyle.PrimitiveElement.PE_IndicatorCheckBox,
    QStyle.PrimitiveElement.PE_IndicatorRadioButton,
}
_OUTLINED_CONTROLS = {
    QStyle.ComplexControl.CC_SpinBox,
    QStyle.ComplexControl.CC_ComboBox,
}


class VisibleFramesStyle(QProxyStyle):
    """The base style, with field outlines redrawn in a visible colour on dark palettes."""

    def drawPrimitive(
        self,
        element: QStyle.PrimitiveElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        super().drawPrimitive(element, option, painter, widget)
        if element in _OUTLINED and is_dark(option.palette):
            round_ = element == QStyle.PrimitiveElement.PE_IndicatorRadioButton
            _outline(painter, option, round_=round_)

    def drawComplexControl(
        self,
        control: QStyle.ComplexControl,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        super().drawComplexControl(control, option, painter, widget)
        framed = getattr(option, "frame", True)
        if control in _OUTLINED_CONTROLS and framed and is_dark(option.palette):
            _outline(painter, option)


def _outline(painter: QPainter, option: QStyleOption, *, round_: bool = False) -> None:
    """A one-pixel outline: the highlight colour on the field that has the keyboard focus,
    else the text colour toned down a little."""
    palette = option.palette
    if option.state & QStyle.StateFlag.State_HasFocus:
        colour = palette.color(QPalette.ColorRole.Highlight)
    else:
        colour = mix(
            palette.color(QPalette.ColorRole.WindowText),
            palette.color(QPalette.ColorRole.Window),
            0.3,
        )
    painter.save()
    painter.setPen(QPen(colour, 1))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    box = option.rect.adjusted(0, 0, -1, -1)
    if round_:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.drawEllipse(box)
    else:
        painter.drawRect(box)
    painter.restore()


def install(app: object) -> None:
    """Wrap the application's style when it is Fusion (the other styles draw their own
    high-contrast frames)."""
    style = app.style()  # type: ignore[attr-defined]
    if style is not None and style.name().lower() == "fusion":
        app.setStyle(VisibleFramesStyle(style.name()))  # type: ignore[attr-defined]
