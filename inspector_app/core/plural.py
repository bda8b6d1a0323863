"""Counts with their noun in the right number, everywhere a person reads one: "1 case",
"2 cases", "0 cases"."""

from __future__ import annotations


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """'1 case', '3 cases'; `plural` for nouns that do not take an s ('person', 'people')."""
    return f"{count} {noun if count == 1 else plural or noun + 's'}"


def noun_for(count: int, noun: str, plural: str | None = None) -> str:
    """The noun alone, in the number the count needs."""
    return noun if count == 1 else plural or noun + "s"
