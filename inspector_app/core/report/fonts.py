"""The report's embedded fonts: DejaVu Sans, shipped in resources/fonts.

Evidence notes and narrative text can hold any character a person types (accents, curly quotes,
dashes), which the PDF base-14 fonts cannot show; DejaVu covers them and its licence permits
redistribution (resources/fonts/LICENSE-DejaVu.txt). Registration is global in ReportLab, so it
happens once per process.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

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
        pdfmetrics.registerFont(TTFont(name, str(path)))
    addMapping(FAMILY, 0, 0, REGULAR)
    addMapping(FAMILY, 1, 0, BOLD)
    addMapping(FAMILY, 0, 1, OBLIQUE)
    addMapping(FAMILY, 1, 1, BOLD)
    return FAMILY
