"""Typewriter quotes as printers set them, for every output of the report (the PDF, the
Word draft), so the same words look the same in each."""

from __future__ import annotations

import re

# A quotation mark opens after the start of the text, a space, an opening bracket or a dash.
_OPENS = r"(?<![^\s(\[{\u2018\u201c\u2013\u2014/-])"
_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)")
_OPEN_DOUBLE = re.compile(_OPENS + r'"(?=\S)')
_OPEN_SINGLE = re.compile(_OPENS + r"'(?=\S)")


def smart_quotes(text: str) -> str:
    """Typewriter quotes as printers set them: an apostrophe inside a word ("service's") and a
    closing single quote become ’, an opening one ‘; double quotes become “ and ”. Applied to
    plain text before it is escaped for a Paragraph, so no markup is touched."""
    if "'" not in text and '"' not in text:
        return text
    text = _APOSTROPHE.sub("\u2019", text)
    text = _OPEN_DOUBLE.sub("\u201c", text).replace('"', "\u201d")
    return _OPEN_SINGLE.sub("\u2018", text).replace("'", "\u2019")
