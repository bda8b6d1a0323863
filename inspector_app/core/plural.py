"""Counts with their noun in the right number, everywhere a person reads one: "1 case",
"2 cases", "0 cases".

Each counted phrase is written at the call as a literal pair, `counted(n, "{n} case",
"{n} cases")`, so a catalogue can hold it (babel.cfg extracts `counted` and `noun_for` as it
does `ngettext`) and a language with other plural rules chooses its own form. The count is
filled in as `{n}`, so a translation may put it anywhere in the phrase.
"""

from __future__ import annotations

from inspector_app.core.i18n import ngettext


def counted(count: int, singular: str, plural: str | None = None, **fields: object) -> str:
    """'1 case', '3 cases', from the pair `"{n} case", "{n} cases"` in the active language;
    `fields` fill the phrase's other places ("{settled} of the {n} differences").

    The older English-only form, `counted(3, "case")` or `counted(2, "person", "people")`
    (nouns without `{n}`), still works for callers not yet converted, but is not translated.
    """
    if plural is not None and "{n}" in singular + plural:
        return ngettext(singular, plural, count).format(n=count, **fields)
    return f"{count} {_english_noun(count, singular, plural)}"


def noun_for(count: int, singular: str, plural: str | None = None) -> str:
    """The noun alone, in the number the count needs: `noun_for(n, "case", "cases")`.

    Without `plural` (the older form) the English rule adds an s, untranslated."""
    if plural is None:
        return _english_noun(count, singular, None)
    return ngettext(singular, plural, count)


def _english_noun(count: int, noun: str, plural: str | None) -> str:
    return noun if count == 1 else plural or noun + "s"
