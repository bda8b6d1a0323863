"""The one rounding rule for every printed percentage: half up, as spreadsheets and readers
round (66 of 80 is 82.5%, printed 83%). Integer arithmetic, so no boundary is decided by
floating point."""

from __future__ import annotations


def percent_of(part: int, whole: int) -> int | None:
    """Whole-number percentage of `part` in `whole`, rounded half up; None when nothing was
    counted (never "0%" for no cases)."""
    if whole <= 0:
        return None
    return (200 * part + whole) // (2 * whole)


def share_text(part: int, whole: int) -> str:
    """'83%', or '–' when nothing was counted."""
    value = percent_of(part, whole)
    return "–" if value is None else f"{value}%"
