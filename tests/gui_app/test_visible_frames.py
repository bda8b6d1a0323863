"""Text fields and check boxes keep a visible outline on a black high-contrast palette."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPalette
from PySide6.QtWidgets import QApplication, QCheckBox, QLineEdit, QStyleFactory, QWidget

from inspector_app.gui.visible_frames import VisibleFramesStyle
from tests.gui_app.make_screenshots import high_contrast_palette


def _render(qtbot, widget: QWidget, style_name: str, palette: QPalette) -> QImage:
    style = (
        VisibleFramesStyle("fusion") if style_name == "proxy" else QStyleFactory.create("fusion")
    )
    widget.setStyle(style)
    widget.setPalette(palette)
    widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the same state for every rendering
    widget.resize(220, 28)
    qtbot.addWidget(widget)
    widget.show()
    QApplication.processEvents()
    image = widget.grab().toImage()
    widget._keep_style = style  # type: ignore[attr-defined]  # the widget does not own it
    return image


def _brightest_on_left_edge(image: QImage) -> int:
    middle = image.height() // 2
    return max(image.pixelColor(x, middle).lightness() for x in range(3))


@pytest.mark.parametrize("make", [QLineEdit, lambda: QCheckBox("Encrypt")])
def test_outline_is_drawn_on_a_black_palette(qtbot, make) -> None:
    plain = _render(qtbot, make(), "fusion", high_contrast_palette())
    framed = _render(qtbot, make(), "proxy", high_contrast_palette())
    assert _brightest_on_left_edge(plain) < 40  # what Fusion alone draws: black on black
    assert _brightest_on_left_edge(framed) > 120


def test_a_light_palette_is_drawn_exactly_as_fusion_draws_it(qtbot) -> None:
    light = QStyleFactory.create("fusion").standardPalette()
    assert _render(qtbot, QLineEdit("text"), "fusion", light) == _render(
        qtbot, QLineEdit("text"), "proxy", light
    )
