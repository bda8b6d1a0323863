"""The one place user-facing words are translated, so a Welsh edition is a catalogue, not a
rewrite.

English is the source language: every message is written in English in the code and is its
own msgid, so with no catalogue (the only case today) nothing changes. A catalogue is a gettext
`.mo` of the domain "inspector" under `resources/locale/<lang>/LC_MESSAGES/`; the language is
chosen by the environment variable INSPECTOR_LANGUAGE (default English).

The rules, for the command line, the report and the screens:

- Messages are literals at the call: `_("Wrote {name}").format(name=...)`, never
  `_(variable)` or an f-string, so `pybabel extract` (babel.cfg) can collect them;
  `tests/project/test_translation.py` fails on a non-literal.
- Counts go through `ngettext` with both English forms literal, usually by way of
  `inspector_app.core.plural.counted(n, "{n} case", "{n} cases")`.
- A constant that must stay English in the code (a heading the tests compare) is marked with
  `N_("...")` where it is defined and translated where it is printed with `translated(NAME)`.
- The screens translate with Qt (`self.tr("...")` in a QObject, `QCoreApplication.translate`
  elsewhere; gui/app.py installs `inspector_<lang>.qm`). Plurals on the screens are the one
  exception: they go through `core.plural.counted` (gettext's ngettext), never Qt's
  `tr("%n case(s)", "", n)`, because without an English .qm Qt would print "3 case(s)". So a
  translator fills in the .qm for the screens' words and the .mo for every counted phrase.
- The report is rendered deterministically: its language is part of the report data
  (`ReportData.language`), and the renderers speak it through `speaking(data.language)`, so
  the same master in the same language gives the same bytes whatever the process's language.
"""

from __future__ import annotations

import gettext
import importlib.resources
import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DOMAIN = "inspector"
ENGLISH = "en"
LANGUAGE_VARIABLE = "INSPECTOR_LANGUAGE"


@dataclass(frozen=True)
class Translator:
    """One language's translation functions, resolved once and passed around as a value."""

    language: str
    gettext: Callable[[str], str]
    ngettext: Callable[[str, str, int], str]


# The tag a document carries for its language (PDF /Lang, Word's w:lang), where it is not the
# bare code: English here is British English.
_DOCUMENT_TAGS = {"en": "en-GB", "cy": "cy-GB"}


def language_tag(language: str) -> str:
    """ "en-GB" for "en": what a PDF or Word file says its text is written in."""
    return _DOCUMENT_TAGS.get(language, language)


def locale_folder() -> Path:
    """resources/locale, found the way the frameworks are (inside the installed package)."""
    return Path(str(importlib.resources.files("inspector_app") / "resources" / "locale"))


def chosen_language(environ: Mapping[str, str] | None = None) -> str:
    """The language the user asked for ("cy", "en"), English when none is set."""
    value = (os.environ if environ is None else environ).get(LANGUAGE_VARIABLE, "")
    return value.strip() or ENGLISH


@lru_cache(maxsize=8)
def translator(language: str) -> Translator:
    """The catalogue for `language`; with none installed, English as written (fallback)."""
    catalogue = gettext.translation(
        DOMAIN, localedir=str(locale_folder()), languages=[language], fallback=True
    )
    return Translator(language, catalogue.gettext, catalogue.ngettext)


_speaking: ContextVar[Translator] = ContextVar("inspector_translator")
_process: list[Translator] = []  # the process's language, resolved on first use


def active() -> Translator:
    """The translator in force here: a `speaking` block's, else the process's."""
    current = _speaking.get(None)
    if current is not None:
        return current
    if not _process:
        _process.append(translator(chosen_language()))
    return _process[0]


def language() -> str:
    """The language messages are printed in now."""
    return active().language


def set_language(language: str | None) -> Translator:
    """Choose the process's language (None: from INSPECTOR_LANGUAGE again)."""
    _process[:] = [translator(language or chosen_language())]
    return _process[0]


@contextmanager
def speaking(language: str) -> Iterator[Translator]:
    """Translate into `language` inside the block, in this thread only (a context variable):
    a report rendered in the background does not change the words of the screens."""
    token = _speaking.set(translator(language))
    try:
        yield _speaking.get()
    finally:
        _speaking.reset(token)


def _(message: str) -> str:
    """The message in the active language."""
    return active().gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form of the message that `count` needs, in the active language."""
    return active().ngettext(singular, plural, count)


def N_(message: str) -> str:
    """Marks a constant for the catalogue without translating it (it is translated where it
    is printed, with `translated`)."""
    return message


def translated(marked: str) -> str:
    """A constant marked with `N_` where it is defined, in the active language."""
    return active().gettext(marked)
