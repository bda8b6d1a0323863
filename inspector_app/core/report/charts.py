"""Bar charts for the report: one horizontal bar per question (or per area), 0 to 100 per cent.

Charts are `reportlab.graphics` drawings, which platypus lays out like any flowable and which
render as vectors (sharp in print, no raster library needed). One calm colour; bars with fewer
than five cases behind them are paler, since their percentage says little.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.textlabels import NA_Label
from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.lib import colors

from inspector_app.core.report.fonts import BOLD, REGULAR

BAR = colors.HexColor("#2f5d87")
BAR_SMALL = colors.HexColor("#a9bfd3")
GRID = colors.HexColor("#dfe4e8")
AXIS = colors.HexColor("#8a959e")
TEXT = colors.HexColor("#30373d")
MARK = colors.HexColor("#b5452f")

ROW = 16.0  # points per bar
SMALL_BASE = 5


@dataclass(frozen=True)
class Bar:
    label: str  # e.g. "B2.5 (11)"
    percent: int | None
    base: int


def bar_chart(
    bars: Sequence[Bar],
    width: float,
    *,
    reference: int | None = None,
    reference_label: str = "",
    label_width: float = 64.0,
) -> Drawing:
    """A horizontal bar chart, first bar at the top, with the percentage at each bar's end and
    an optional dashed reference line (the area's pooled score)."""
    top_room = 14.0 if reference is not None else 4.0
    height = len(bars) * ROW + 22.0 + top_room
    drawing = Drawing(width, height)
    chart = HorizontalBarChart()
    chart.x = label_width
    chart.y = 18.0
    chart.width = width - label_width - 34.0
    chart.height = len(bars) * ROW
    chart.data = [[b.percent if b.percent is not None else None for b in bars]]
    chart.barWidth = 9
    chart.groupSpacing = ROW - 9
    chart.bars[0].fillColor = BAR
    chart.bars[0].strokeColor = None
    for index, bar in enumerate(bars):
        if bar.base < SMALL_BASE:
            chart.bars[(0, index)].fillColor = BAR_SMALL
    chart.categoryAxis.categoryNames = [b.label for b in bars]
    chart.categoryAxis.reverseDirection = 1
    chart.categoryAxis.labels.fontName = REGULAR
    chart.categoryAxis.labels.fontSize = 7.5
    chart.categoryAxis.labels.fillColor = TEXT
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -4
    chart.categoryAxis.strokeColor = AXIS
    chart.categoryAxis.strokeWidth = 0.5
    chart.categoryAxis.tickLeft = 0
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = 100
    chart.valueAxis.valueStep = 20
    chart.valueAxis.labelTextFormat = "%d%%"
    chart.valueAxis.labels.fontName = REGULAR
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labels.fillColor = AXIS
    chart.valueAxis.strokeColor = AXIS
    chart.valueAxis.strokeWidth = 0.5
    chart.valueAxis.visibleGrid = 1
    chart.valueAxis.gridStrokeColor = GRID
    chart.valueAxis.gridStrokeWidth = 0.5
    chart.valueAxis.tickDown = 3
    chart.barLabelFormat = _percent_label
    chart.barLabels.fontName = REGULAR
    chart.barLabels.fontSize = 7
    chart.barLabels.fillColor = TEXT
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    chart.barLabels.boxFillColor = colors.white  # keeps the label clear of the reference line
    chart.barLabels.leftPadding = chart.barLabels.rightPadding = 1
    chart.naLabel = NA_Label()
    chart.naLabel.text = "no cases"
    chart.naLabel.fontName = REGULAR
    chart.naLabel.fontSize = 7
    chart.naLabel.fillColor = AXIS
    chart.naLabel.boxAnchor = "w"
    chart.naLabel.dx = 3
    if reference is not None:
        x = chart.x + chart.width * reference / 100
        top = chart.y + chart.height
        line = Line(x, chart.y, x, top + 4, strokeColor=MARK, strokeWidth=0.8)
        line.strokeDashArray = [2, 2]
        drawing.add(line)
        drawing.add(
            String(
                x,
                top + 6,
                reference_label or f"{reference}%",
                fontName=BOLD,
                fontSize=7,
                fillColor=MARK,
                textAnchor="middle",
            )
        )
    drawing.add(chart)  # after the reference line, so the bars cover it
    return drawing


def _percent_label(value: float | None) -> str:
    return "" if value is None else f"{value:.0f}%"
