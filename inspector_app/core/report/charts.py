"""Bar charts for the report: one horizontal bar per question (or per area), 0 to 100 per cent.

Charts are `reportlab.graphics` drawings, which platypus lays out like any flowable and which
render as vectors (sharp in print, no raster library needed). One calm colour; bars with fewer
than five cases behind them are paler, since their percentage says little.

Legible in print: every label is 8 pt or more in a dark grey, in the report's embedded font
(the drawing's own initial font too, so no base-14 font is referenced). The percentage at the
end of a bar is placed by hand rather than by the chart, so that it never sits on the dashed
reference line: a label that would cross the line goes just past it instead.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from inspector_app.core.report.fonts import BOLD, REGULAR, register_fonts
from inspector_app.core.report.typography import smart_quotes

BAR = colors.HexColor("#2f5d87")
BAR_SMALL = colors.HexColor("#a9bfd3")
GRID = colors.HexColor("#dfe4e8")
AXIS = colors.HexColor("#8a959e")  # lines only; no text is set in it
TEXT = colors.HexColor("#2b3238")  # labels and figures: dark grey
TEXT_SECONDARY = colors.HexColor("#454e56")  # axis figures, "no cases": still dark grey
MARK = colors.HexColor("#a63d28")

LABEL_SIZE = 8.5  # category labels
FIGURE_SIZE = 8.0  # percentages, axis figures, "no cases", the reference label
ROW = 17.0  # points per bar
ROW_TWO_LINES = 24.0  # per bar, in a chart where a label takes two lines
LABEL_LEADING = LABEL_SIZE * 1.15
ROW_COMPACT_SAVING = 3.0  # a compact chart's bars: still clear of each other at BAR_WIDTH
BAR_WIDTH = 10.0
SMALL_BASE = 5
GAP = 3.0  # between a bar's end (or the reference line) and its label
CLEARANCE = 1.5  # the least room left between a label and the reference line
RIGHT_ROOM = 40.0  # right of the 100% line: room for "100%" even pushed past the line


@dataclass(frozen=True)
class Bar:
    label: str  # e.g. "B2.5 (11)"
    percent: int | None
    base: int


@dataclass(frozen=True)
class Placed:
    """A bar's figure as placed: its text, left edge and baseline, in drawing coordinates."""

    text: str
    x: float
    y: float
    width: float


def _fitted(label: str, room: float) -> str:
    """A category label in the room left of the axis: whole on one line, else on two lines
    broken at a word, the second cut at a word (with an ellipsis) only when even two lines
    cannot hold it. A count in brackets at its end ("(12)") is always kept."""
    if _width(label) <= room:
        return label
    count = re.search(r" \(\d+\)$", label)
    tail = count.group(0) if count else ""
    words = label[: len(label) - len(tail)].split()
    first: list[str] = []
    while words and _width(" ".join([*first, words[0]])) <= room:
        first.append(words.pop(0))
    if not first:  # one word wider than the room: it is cut on one line
        return _cut(words, tail, room)
    if not words and len(first) > 1:  # the count stands on its own line only after one word
        words.append(first.pop())
    rest = (" ".join(words) + tail).strip()
    if _width(rest) <= room:
        return " ".join(first) + "\n" + rest
    return " ".join(first) + "\n" + _cut(words, tail, room)


def _cut(words: list[str], tail: str, room: float) -> str:
    """Words cut at a word to `room`, with an ellipsis before `tail`; a single word wider
    than the room is cut within it (there is no word to cut at)."""
    words = list(words)
    while len(words) > 1 and _width(" ".join(words) + "…" + tail) > room:
        words.pop()
    text = " ".join(words).rstrip(",;:")
    while len(text) > 1 and _width(text + "…" + tail) > room:
        text = text[:-1]
    return text + "…" + tail


def _width(text: str) -> float:
    return float(stringWidth(text, REGULAR, LABEL_SIZE))


def area_bars(areas: Sequence[tuple[str, str, int | None, int]]) -> list[Bar]:
    """Figure 1's bars, one per criterion (label, title, percent, judgements): each named
    whole, the chart cutting a long name at a word (`_fitted`), never mid-word."""
    return [
        Bar(smart_quotes(f"{label} {title}"), percent, base)
        for label, title, percent, base in areas
    ]


def bar_chart(
    bars: Sequence[Bar],
    width: float,
    *,
    reference: int | None = None,
    reference_label: str = "",
    label_width: float | None = None,
    compact: bool = False,
) -> Drawing:
    """A horizontal bar chart, first bar at the top, with the percentage at each bar's end and
    an optional dashed reference line (the area's pooled score). `label_width` (the room for
    the category labels) defaults to the longest label's width. `compact`: bars closer
    together (a summary figure that shares its page with a table)."""
    register_fonts()
    if label_width is None:
        longest = max((stringWidth(b.label, REGULAR, LABEL_SIZE) for b in bars), default=0.0)
        label_width = min(max(longest + 10, 48.0), width * 0.5)
    bars = [replace(b, label=_fitted(b.label, label_width - 10)) for b in bars]
    row = ROW_TWO_LINES if any("\n" in b.label for b in bars) else ROW
    if compact:
        row -= ROW_COMPACT_SAVING
    top_room = 18.0 if reference is not None else 4.0
    bottom_room = 20.0
    height = len(bars) * row + bottom_room + top_room
    drawing = Drawing(width, height)
    drawing.initialFontName = REGULAR
    drawing.initialFontSize = FIGURE_SIZE
    chart = HorizontalBarChart()
    chart.x = label_width
    chart.y = bottom_room
    chart.width = width - label_width - RIGHT_ROOM
    chart.height = len(bars) * row
    chart.data = [[b.percent if b.percent is not None else None for b in bars]]
    chart.barWidth = BAR_WIDTH
    chart.groupSpacing = row - BAR_WIDTH
    chart.bars[0].fillColor = BAR
    chart.bars[0].strokeColor = None
    for index, bar in enumerate(bars):
        if bar.base < SMALL_BASE:
            chart.bars[(0, index)].fillColor = BAR_SMALL
    chart.categoryAxis.categoryNames = [b.label for b in bars]
    chart.categoryAxis.reverseDirection = 1
    chart.categoryAxis.labels.fontName = REGULAR
    chart.categoryAxis.labels.fontSize = LABEL_SIZE
    chart.categoryAxis.labels.leading = LABEL_LEADING
    chart.categoryAxis.labels.fillColor = TEXT
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -5
    chart.categoryAxis.strokeColor = AXIS
    chart.categoryAxis.strokeWidth = 0.5
    chart.categoryAxis.tickLeft = 0
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = 100
    chart.valueAxis.valueStep = 20
    chart.valueAxis.labelTextFormat = "%d%%"
    chart.valueAxis.labels.fontName = REGULAR
    chart.valueAxis.labels.fontSize = FIGURE_SIZE
    chart.valueAxis.labels.fillColor = TEXT_SECONDARY
    chart.valueAxis.labels.dy = -2
    chart.valueAxis.strokeColor = AXIS
    chart.valueAxis.strokeWidth = 0.5
    chart.valueAxis.visibleGrid = 1
    chart.valueAxis.gridStrokeColor = GRID
    chart.valueAxis.gridStrokeWidth = 0.5
    chart.valueAxis.tickDown = 3
    chart.barLabelFormat = None  # the figures are placed below, clear of the reference line
    chart.naLabel = None
    line_x = None
    if reference is not None:
        line_x = chart.x + chart.width * reference / 100
        top = chart.y + chart.height
        line = Line(line_x, chart.y, line_x, top + 4, strokeColor=MARK, strokeWidth=0.8)
        line.strokeDashArray = [2, 2]
        drawing.add(line)
        text = reference_label or f"{reference}%"
        half = stringWidth(text, BOLD, FIGURE_SIZE) / 2
        centre = min(max(line_x, half), width - half)  # kept inside the drawing
        drawing.add(
            String(
                centre,
                top + 7,
                text,
                fontName=BOLD,
                fontSize=FIGURE_SIZE,
                fillColor=MARK,
                textAnchor="middle",
            )
        )
    drawing.add(chart)  # after the reference line, so the bars cover it
    for label, bar in zip(place_figures(bars, chart, line_x, row), bars, strict=True):
        drawing.add(
            String(
                label.x,
                label.y,
                label.text,
                fontName=REGULAR,
                fontSize=FIGURE_SIZE,
                fillColor=TEXT if bar.percent is not None else TEXT_SECONDARY,
            )
        )
    return drawing


def place_figures(
    bars: Sequence[Bar], chart: HorizontalBarChart, line_x: float | None, row: float = ROW
) -> list[Placed]:
    """Where each bar's figure goes: just past the bar's end ("no cases" at the axis), unless
    that would put it on the reference line, in which case just past the line."""
    placed = []
    for index, bar in enumerate(bars):
        text = _percent_label(bar.percent)
        end = chart.x + chart.width * (bar.percent or 0) / 100
        label_width = stringWidth(text, REGULAR, FIGURE_SIZE)
        x = end + GAP
        if line_x is not None and x - CLEARANCE <= line_x <= x + label_width + CLEARANCE:
            x = line_x + GAP
        # Bars are drawn top down (reverseDirection), each centred in its band of `row` points.
        centre = chart.y + chart.height - (index + 0.5) * row
        placed.append(Placed(text, x, centre - FIGURE_SIZE * 0.35, label_width))
    return placed


def _percent_label(value: float | None) -> str:
    return "no cases" if value is None else f"{value:.0f}%"


# --- rating badges ------------------------------------------------------------------------------
# A rating is printed in a badge: its words always inside, on a fill that says it at a glance in
# colour and stays apart in greyscale print. The fills, best rating first, are the
# inspectorate's conventional dark green, pale green, amber and red, each chosen at a clearly
# different lightness (relative luminance 0.035, 0.73, 0.36, 0.15; CIE L* 22, 88, 67, 46: no two
# within 20 of each other), so a greyscale printer gives four different greys. The words are set
# in whichever of the dark and the light ink has the higher contrast with the fill (at least
# 4.5:1, WCAG AA for text of any size: 12.3, 11.8, 6.2 and 5.1:1).

RATING_FILLS: tuple[str, ...] = ("#0B3D22", "#C8E6C9", "#E0913A", "#CF2E2E")
NOT_RATED_FILL = "#FFFFFF"  # "Not rated": a white badge in an ink outline
BADGE_DARK_TEXT = "#1F2327"
BADGE_LIGHT_TEXT = "#FFFFFF"
BADGE_OUTLINE = "#1F2327"
MIN_CONTRAST = 4.5


def rating_fill(rank: int, scale: int) -> str:
    """The fill of the rating at `rank` (0 the best) on a scale of `scale` ratings: the four
    fills in order for a scale of four, spread over them for a longer or shorter one."""
    last = len(RATING_FILLS) - 1
    if scale <= 1:
        return RATING_FILLS[0]
    index = round(min(max(rank, 0), scale - 1) * last / (scale - 1))
    return RATING_FILLS[index]


def relative_luminance(hex_colour: str) -> float:
    """WCAG 2 relative luminance of an sRGB colour written "#RRGGBB" (0 black, 1 white)."""
    value = hex_colour.lstrip("#")
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def lightness(hex_colour: str) -> float:
    """CIE L* (0 black, 100 white): the grey a colour prints as, on a scale the eye reads as
    even steps."""
    y = relative_luminance(hex_colour)
    return 116 * y ** (1 / 3) - 16 if y > 216 / 24389 else y * 24389 / 27


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2 contrast ratio of two colours (1 to 21)."""
    light, dark = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def badge_text_colour(fill: str) -> str:
    """Dark text on a light fill, light text on a dark one: whichever contrasts more."""
    dark = contrast_ratio(fill, BADGE_DARK_TEXT)
    light = contrast_ratio(fill, BADGE_LIGHT_TEXT)
    return BADGE_DARK_TEXT if dark >= light else BADGE_LIGHT_TEXT
