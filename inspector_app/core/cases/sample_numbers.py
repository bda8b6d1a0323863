"""Reading sample numbers as people write them: '17', '017', 'Case 017'."""

from __future__ import annotations

import re

_SAMPLE_NO = re.compile(r"^\s*(?:case\s*)?0*(\d{1,9})(?:\.0+)?\s*$", re.IGNORECASE)


def parse_sample_number(text: object) -> int | None:
    """The sample number, or None if `text` is not one (zero and negatives are not)."""
    if isinstance(text, bool):
        return None
    if isinstance(text, int):
        return text if text > 0 else None
    if isinstance(text, float):
        return int(text) if text.is_integer() and text > 0 else None
    match = _SAMPLE_NO.match(str(text))
    if not match:
        return None
    number = int(match.group(1))
    return number if number > 0 else None
