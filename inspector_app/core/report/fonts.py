"""The report's embedded fonts: DejaVu Sans, shipped in resources/fonts.

Evidence notes and narrative text can hold any character a person types (accents, curly quotes,
dashes), which the PDF base-14 fonts cannot show; DejaVu covers them and its licence permits
redistribution (resources/fonts/LICENSE-DejaVu.txt). Registration is global in ReportLab, so it
happens once per process.

Two things ReportLab does not do on its own: every embedded subset gets its own subset tag
(ReportLab names the first subset of every font "AAAAAA+"; the tag here is a digest of the
font and the characters in the subset, so it is distinct and still the same on every build),
and `text_outline` gives the glyph outlines of a line of text, so a mark such as the DRAFT
watermark can be drawn as shapes that no text extraction or screen reader picks up.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont, makeToUnicodeCMap

from inspector_app.core.errors import FileRefused
from inspector_app.core.framework import resources_dir

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
OBLIQUE = "DejaVuSans-Oblique"
FAMILY = REGULAR

_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf", OBLIQUE: "DejaVuSans-Oblique.ttf"}


def fonts_dir() -> Path:
    return resources_dir() / "fonts"


@cache
def register_fonts() -> str:
    """Registers the family (bold italic falls back to bold) and returns its name."""
    folder = fonts_dir()
    for name, filename in _FILES.items():
        path = folder / filename
        if not path.is_file():
            raise FileRefused(f"{filename}: the report font is missing from {folder}")
        pdfmetrics.registerFont(_EmbeddedFont(name, str(path)))
    addMapping(FAMILY, 0, 0, REGULAR)
    addMapping(FAMILY, 1, 0, BOLD)
    addMapping(FAMILY, 0, 1, OBLIQUE)
    addMapping(FAMILY, 1, 1, BOLD)
    return FAMILY


def subset_tag(font_name: bytes, subset: list[int]) -> str:
    """Six capital letters naming one embedded subset (PDF 32000-1, 9.6.4): a digest of the
    font and its characters, so different subsets get different tags and a build is repeatable."""
    digest = hashlib.sha256(font_name + b"\0" + ",".join(map(str, subset)).encode()).digest()
    number = int.from_bytes(digest[:8], "big")
    letters = []
    for _ in range(6):
        number, letter = divmod(number, 26)
        letters.append(chr(ord("A") + letter))
    return "".join(letters)


class _EmbeddedFont(TTFont):
    """A TrueType font whose subsets are embedded under distinct tags (see the module
    docstring). `addObjects` is ReportLab's own, with only the BaseFont name changed."""

    def addObjects(self, doc: pdfdoc.PDFDocument) -> None:
        try:
            state = self.state[doc]
        except KeyError:
            state = self.state[doc] = TTFont.State(self._asciiReadable)
        state.frozen = 1
        face = self.face
        for n, subset in enumerate(state.subsets):
            internal_name = self.getSubsetInternalName(n, doc)[1:]
            tag = subset_tag(face.name + face.subfontNameX, subset)
            base_font = (tag.encode() + b"+" + face.name + face.subfontNameX).decode("pdfdoc")

            pdf_font = pdfdoc.PDFTrueTypeFont()
            pdf_font.__Comment__ = f"Font {self.fontName} subset {n}"
            pdf_font.Name = internal_name
            pdf_font.BaseFont = base_font
            pdf_font.FirstChar = 0
            pdf_font.LastChar = len(subset) - 1
            pdf_font.Widths = pdfdoc.PDFArray(list(map(face.getCharWidth, subset)))

            cmap = pdfdoc.PDFStream()
            cmap.content = makeToUnicodeCMap(base_font, subset)
            if doc.compression:
                cmap.filters = [pdfdoc.PDFZCompress]
            pdf_font.ToUnicode = doc.Reference(cmap, "toUnicodeCMap:" + base_font)
            pdf_font.FontDescriptor = face.addSubsetObjects(doc, base_font, subset)

            doc.Reference(pdf_font, internal_name)
            doc.idToObject["BasicFonts"].dict[internal_name] = pdf_font
        del self.state[doc]


# --- glyph outlines ---------------------------------------------------------------------------

Point = tuple[float, float]


@dataclass(frozen=True)
class TextOutline:
    """A line of text as path operations in ems (font size 1, baseline at y = 0, starting at
    x = 0): ("moveTo", x, y), ("lineTo", x, y), ("curveTo", x1, y1, x2, y2, x3, y3),
    ("close",). `width` is the advance width of the whole line."""

    ops: tuple[tuple[object, ...], ...]
    width: float


@cache
def text_outline(font_name: str, text: str) -> TextOutline:
    """The outlines of `text` set in a registered font (no kerning, as drawString sets it)."""
    register_fonts()
    face = pdfmetrics.getFont(font_name).face
    data: bytes = face._ttf_data
    glyf, _length = face.get_table_pos("glyf")
    em = float(face.unitsPerEm)
    ops: list[tuple[object, ...]] = []
    x = 0.0
    for char in text:
        glyph = face.charToGlyph.get(ord(char), 0)
        start, end = face.glyphPos[glyph], face.glyphPos[glyph + 1]
        for contour in _contours(data[glyf + start : glyf + end]):
            ops += _contour_ops(contour, x, em)
        x += face.hmetrics[glyph][0]
    return TextOutline(tuple(ops), x / em)


def _contours(glyph: bytes) -> list[list[tuple[int, int, bool]]]:
    """The contours of a simple TrueType glyph as (x, y, on_curve) points in font units."""
    if not glyph:
        return []  # a blank glyph (the space)
    (count,) = struct.unpack_from(">h", glyph, 0)
    if count < 0:
        raise ValueError("composite glyphs are not supported in outlines")
    ends = struct.unpack_from(f">{count}H", glyph, 10)
    points = ends[-1] + 1 if ends else 0
    (instructions,) = struct.unpack_from(">H", glyph, 10 + 2 * count)
    pos = 12 + 2 * count + instructions
    flags: list[int] = []
    while len(flags) < points:
        flag = glyph[pos]
        pos += 1
        flags.append(flag)
        if flag & 0x08:  # repeated
            flags += [flag] * glyph[pos]
            pos += 1

    def coordinates(short: int, same: int) -> list[int]:
        nonlocal pos
        values, value = [], 0
        for flag in flags:
            if flag & short:
                delta = glyph[pos]
                pos += 1
                value += delta if flag & same else -delta
            elif not flag & same:
                value += struct.unpack_from(">h", glyph, pos)[0]
                pos += 2
            values.append(value)
        return values

    xs = coordinates(0x02, 0x10)
    ys = coordinates(0x04, 0x20)
    contours, first = [], 0
    for last in ends:
        contours.append([(xs[i], ys[i], bool(flags[i] & 0x01)) for i in range(first, last + 1)])
        first = last + 1
    return contours


def _contour_ops(
    points: list[tuple[int, int, bool]], dx: float, em: float
) -> list[tuple[object, ...]]:
    """One closed contour of quadratic B-splines as moveTo / lineTo / cubic curveTo."""
    if not points:
        return []
    # Start on an on-curve point (or the midpoint of two off-curve ones).
    start = next((i for i, p in enumerate(points) if p[2]), None)
    if start is None:
        a, b = points[-1], points[0]
        origin = ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)
        ring = points
    else:
        origin = points[start][:2]
        ring = points[start + 1 :] + points[: start + 1]

    def at(x: float, y: float) -> Point:
        return (x + dx) / em, y / em

    ops: list[tuple[object, ...]] = [("moveTo", *at(*origin))]
    current: Point = origin
    control: Point | None = None
    for x, y, on_curve in ring:
        if on_curve:
            if control is None:
                ops.append(("lineTo", *at(x, y)))
            else:
                ops.append(_quadratic(current, control, (x, y), at))
                control = None
            current = (x, y)
        elif control is None:
            control = (x, y)
        else:
            middle = ((control[0] + x) / 2, (control[1] + y) / 2)
            ops.append(_quadratic(current, control, middle, at))
            current, control = middle, (x, y)
    if control is not None:
        ops.append(_quadratic(current, control, origin, at))
    ops.append(("close",))
    return ops


def _quadratic(
    p0: Point, c: Point, p1: Point, at: Callable[[float, float], Point]
) -> tuple[object, ...]:
    """A quadratic Bézier segment as the cubic one PDF paths take."""
    c1 = (p0[0] + 2 * (c[0] - p0[0]) / 3, p0[1] + 2 * (c[1] - p0[1]) / 3)
    c2 = (p1[0] + 2 * (c[0] - p1[0]) / 3, p1[1] + 2 * (c[1] - p1[1]) / 3)
    return ("curveTo", *at(*c1), *at(*c2), *at(*p1))
