"""British English spell check for the prose that goes into a published report: evidence
notes, review notes and the narrative.

A maintained library does the checking (pyenchant over the system's Enchant, with its en_GB
dictionary); the app adds probation's own vocabulary (resources/spelling) and each user's
added words (a plain word list in the user's data folder, one word a line). Words in capitals
(MAPPA, DRR), words with digits (CAS3, B2.10) and single letters are never flagged: they are
codes, not prose. Without Enchant or its en_GB dictionary the check is simply unavailable,
with the reason, and nothing else changes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from inspector_app.core.files.paths import data_dir
from inspector_app.core.resources import resources_dir

LANGUAGE = "en_GB"

# A run of letters, with apostrophes inside ("officer's", "don't"); hyphens split words, so
# "multi-agency" is checked as its two parts.
_TOKEN = re.compile(r"[\w’']+")
_APOSTROPHES = "’'"


class Dictionary(Protocol):
    """What the check needs of a dictionary (Enchant's Dict, or a test's fake)."""

    def check(self, word: str) -> bool: ...
    def suggest(self, word: str) -> list[str]: ...
    def add_to_session(self, word: str) -> None: ...


@dataclass(frozen=True)
class Misspelling:
    start: int  # offset in the text, in characters
    word: str

    @property
    def end(self) -> int:
        return self.start + len(self.word)


@dataclass
class SpellCheck:
    """A dictionary with the shipped and the user's own words added."""

    dictionary: Dictionary
    user_words: Path | None = None
    _ignored: set[str] = field(default_factory=set)

    def misspellings(self, text: str) -> list[Misspelling]:
        found = []
        for match in _TOKEN.finditer(text):
            token = match.group()
            word = token.strip(_APOSTROPHES)
            if not word or not self._checkable(word):
                continue
            if not self.is_correct(word):
                found.append(Misspelling(match.start() + token.index(word), word))
        return found

    def is_correct(self, word: str) -> bool:
        if word in self._ignored:
            return True
        plain = word.replace("’", "'")
        if self.dictionary.check(plain):
            return True
        # A possessive of a known word ("OASys's", "Merseyside's") is known too.
        return plain.endswith("'s") and self.dictionary.check(plain[:-2])

    def suggestions(self, word: str, limit: int = 6) -> list[str]:
        return [s for s in self.dictionary.suggest(word.replace("’", "'")) if s][:limit]

    def add(self, word: str) -> None:
        """Add a word to the user's own list: kept for every later session."""
        word = word.strip()
        if not word or any(c.isspace() for c in word):
            return
        self.dictionary.add_to_session(word)
        if self.user_words is not None:
            self.user_words.parent.mkdir(parents=True, exist_ok=True)
            with self.user_words.open("a", encoding="utf-8") as out:
                out.write(word + "\n")

    def ignore(self, word: str) -> None:
        """Accept a word until the app closes, without adding it to the list."""
        self._ignored.add(word)

    @staticmethod
    def _checkable(word: str) -> bool:
        if len(word) < 2 or word.isupper():
            return False
        return not any(c.isdigit() or c == "_" for c in word)


@dataclass(frozen=True)
class Unavailable:
    """Why there is no spell check here, in a line a user can act on."""

    reason: str


def shipped_words() -> list[str]:
    """Probation's own vocabulary, shipped with the app."""
    return read_word_list(resources_dir() / "spelling" / "probation-en-gb.txt")


def user_word_list() -> Path:
    return data_dir() / "spelling" / "words-en-gb.txt"


def read_word_list(path: Path) -> list[str]:
    if not path.is_file():
        return []
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def with_words(dictionary: Dictionary, words: Iterable[str], user_words: Path | None) -> SpellCheck:
    for word in words:
        dictionary.add_to_session(word)
    return SpellCheck(dictionary, user_words)


def load(user_words: Path | None = None) -> SpellCheck | Unavailable:
    """The en_GB check with the shipped and the user's words; or why it is unavailable."""
    try:
        import enchant  # type: ignore[import-untyped]  # loads the system's Enchant library
    except ImportError as exc:  # pyenchant missing, or its C library not installed
        return Unavailable(f"spell check unavailable: {_first_line(exc)}")
    try:
        dictionary: Any = enchant.Dict(LANGUAGE)
    except enchant.errors.DictNotFoundError:
        return Unavailable(
            "spell check unavailable: no British English dictionary is installed "
            "(Debian/Ubuntu: apt-get install hunspell-en-gb)"
        )
    user_words = user_words or user_word_list()
    return with_words(dictionary, [*shipped_words(), *read_word_list(user_words)], user_words)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]
