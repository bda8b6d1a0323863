"""The inspectorate's house style for shares of cases (DESIGN section 6).

Reports say "more than two-thirds of cases" rather than "70%", and the lead must be able to trust
that the same share always gets the same words. The words come from the framework's wording
table (data, so an inspectorate can change its convention without a release); the table here is
only a fallback for a framework that has none. Shares are compared as exact fractions, because
"within 1 point" and "ties go to the lower fraction" are decided on boundaries that floating
point gets wrong (0.26 - 0.25 > 0.01 in floats).

Drafted sentences are suggestions for the lead to edit; they are built only from counts, so they
can never carry a case reference or a name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal, Protocol

from inspector_app.core.framework.model import Framework, Question, WordingBand, WordingFraction

ShareKind = Literal["count", "fraction", "none", "quantity"]

# The convention of DESIGN section 6, used only when a framework carries no wording table.
DEFAULT_BANDS: tuple[WordingBand, ...] = (
    WordingBand(words="{numerator} of {denominator}", fewer_cases_than=5),
    WordingBand(words="none", adverb="never", equals=0.0),
    WordingBand(words="very few", from_=0.0, below=0.15),
    WordingBand(words="half", equals=0.5),
    WordingBand(
        from_=0.15,
        below=0.85,
        tolerance=0.01,
        nearly="nearly",
        more="more than",
        nearest=(
            WordingFraction(1 / 5, "one-fifth"),
            WordingFraction(1 / 4, "one-quarter"),
            WordingFraction(1 / 3, "one-third"),
            WordingFraction(1 / 2, "half"),
            WordingFraction(2 / 3, "two-thirds"),
            WordingFraction(3 / 4, "three-quarters"),
            WordingFraction(4 / 5, "four-fifths"),
        ),
    ),
    WordingBand(words="most", from_=0.85, below=0.90),
    WordingBand(words="nearly all", adverb="nearly always", from_=0.90, below=1.0),
    WordingBand(words="all", adverb="always", equals=1.0),
)

# Verbs after which a finding phrase can take "not" or an adverb ("were not delivered",
# "had nearly always made progress"). A phrase without one keeps its words as written.
_AUXILIARIES = frozenset({"was", "were", "had", "has", "have", "is", "are"})
# A phrase that already denies something is never negated again ("was not no evidence").
_NEGATIONS = frozenset({"no", "not", "never", "without", "none", "nothing", "insufficient"})
_FRACTION_WORD = re.compile(
    r"\b(one|two|three|four|five|six|seven|eight|nine)\s+"
    r"(half|halves|thirds?|quarters?|fifths?|sixths?|eighths?|tenths?)\b",
    re.IGNORECASE,
)


class Figure(Protocol):
    """Anything carrying a share of cases: findings figures satisfy this."""

    @property
    def sufficient(self) -> int: ...

    @property
    def denominator(self) -> int: ...


@dataclass(frozen=True)
class ShareWords:
    """The house-style words for one share, with what a sentence needs to use them.

    `kind` decides the grammar: a "fraction" takes "of" ("one-quarter of cases"), a "count" is
    already a number ("3 of 4 cases"), "none" needs "none of the cases", and a "quantity"
    ("all", "most", "very few") goes straight before the noun. `qualified` is True when the
    words say "nearly" or "more than" a fraction.
    """

    words: str
    kind: ShareKind
    adverb: str | None = None
    qualified: bool = False


# --- the words for a share ------------------------------------------------------------------


def bands_for(framework: Framework | None) -> tuple[WordingBand, ...]:
    """The framework's wording table, or the default one if it has none."""
    if framework is None or not framework.wording:
        return DEFAULT_BANDS
    return framework.wording


def describe_share(
    numerator: int, denominator: int, bands: tuple[WordingBand, ...] | None = None
) -> ShareWords:
    """The words for `numerator` of `denominator` cases, from the first band that matches.

    Raises ValueError for an impossible share or a table with a gap, so a figure is never
    silently described wrongly.
    """
    _check_share(numerator, denominator)
    table = bands or DEFAULT_BANDS
    share = numerator / denominator
    for band in table:
        if band.matches(share, denominator):
            return _words_from(band, table, numerator, denominator)
    raise ValueError(f"the wording table has no band for {numerator} of {denominator}")


def proportion_words(
    numerator: int, denominator: int, bands: tuple[WordingBand, ...] | None = None
) -> str:
    """House-style words for a share: "more than two-thirds", "nearly all", "3 of 4"."""
    return describe_share(numerator, denominator, bands).words


def adverb(
    numerator: int, denominator: int, bands: tuple[WordingBand, ...] | None = None
) -> str | None:
    """The frequency form ("always", "nearly always", "never"), or None where the house style
    has none for this share (then write "in ... of cases" instead)."""
    return describe_share(numerator, denominator, bands).adverb


def complement_words(
    sufficient: int, denominator: int, bands: tuple[WordingBand, ...] | None = None
) -> str:
    """Words for the insufficient share, which a negative finding states ("not delivered in
    one-quarter of relevant cases" when three-quarters were delivered)."""
    _check_share(sufficient, denominator)
    return proportion_words(denominator - sufficient, denominator, bands)


def share_phrase(
    numerator: int,
    denominator: int,
    bands: tuple[WordingBand, ...] | None = None,
    *,
    cases: str = "cases",
    definite: bool = False,
) -> str:
    """The share as a noun phrase: "one-quarter of relevant cases", "3 of 4 cases", "all cases",
    "none of the cases". `definite` reads "of the <cases>", for a named group of cases
    ("nearly half of the cases classified as ...")."""
    return _noun_phrase(describe_share(numerator, denominator, bands), cases, definite)


def hyphenate(words: str) -> str:
    """Writes fractions the house way: "two thirds" becomes "two-thirds"."""
    return _FRACTION_WORD.sub(lambda m: f"{m.group(1)}-{m.group(2)}", words)


def capitalise(text: str) -> str:
    """Upper-cases the first letter only ("Children's Services" keeps its capitals)."""
    return text[:1].upper() + text[1:] if text else text


# --- finding phrases --------------------------------------------------------------------------


def finding_phrase(code: str, finding: str | None) -> str:
    """The question's finding phrase, or a plain stand-in naming the question, so that a
    framework without phrases still gets a sentence per scored question."""
    if finding and finding.strip(" ."):
        return finding.strip().rstrip(" .")
    return f"the work met the standard of question {code}"


def negate(phrase: str) -> str | None:
    """The finding phrase denied: "interventions were delivered" -> "interventions were not
    delivered"; "there was evidence of ..." -> "there was insufficient evidence of ..." (the
    inspectorate's way of saying it). None when the phrase has no auxiliary verb to negate or
    already denies something."""
    position = _auxiliary_position(phrase)
    if position is None:
        return None
    words = phrase.split(" ")
    insert = "insufficient" if words[position + 1 : position + 2] == ["evidence"] else "not"
    return " ".join([*words[: position + 1], insert, *words[position + 1 :]])


def with_adverb(phrase: str, frequency: str) -> str | None:
    """The finding phrase with a frequency adverb after its auxiliary verb: "individuals were
    nearly always seen ...". None when that would not read correctly."""
    position = _auxiliary_position(phrase)
    if position is None:
        return None
    words = phrase.split(" ")
    return " ".join([*words[: position + 1], frequency, *words[position + 1 :]])


@dataclass(frozen=True)
class Draft:
    """A drafted clause and the share it states: for a negative finding that is the
    insufficient share, so figures printed beside it ("3 of 12") match its words."""

    text: str
    numerator: int
    denominator: int

    @property
    def figures(self) -> str:
        return f"{self.numerator} of {self.denominator}"


def draft_strength(
    phrase: str,
    sufficient: int,
    denominator: int,
    bands: tuple[WordingBand, ...] | None = None,
    *,
    cases: str = "cases",
    definite: bool = False,
) -> Draft:
    """A strength in the press-release voice, lower case and without a full stop (it becomes a
    bullet): "alcohol misuse was nearly always taken into account sufficiently in assessments",
    or "individuals had made progress ... in more than two-thirds of cases"."""
    _check_share(sufficient, denominator)
    described = describe_share(sufficient, denominator, bands)
    text = None
    if described.adverb and sufficient > 0:
        text = with_adverb(phrase, described.adverb)
    if text is None:
        text = f"{phrase} in {_noun_phrase(described, cases, definite)}"
    return Draft(text, sufficient, denominator)


def draft_concern(
    phrase: str,
    sufficient: int,
    denominator: int,
    bands: tuple[WordingBand, ...] | None = None,
    *,
    cases: str = "cases",
    definite: bool = False,
) -> Draft:
    """An area for improvement in the press-release voice, stating the insufficient share:
    "interventions to address alcohol misuse were not delivered in one-quarter of relevant
    cases" ("were never delivered" when none were). Where the phrase cannot be negated it
    states the sufficient share instead ("... in only one-third of cases")."""
    _check_share(sufficient, denominator)
    described = describe_share(sufficient, denominator, bands)
    if sufficient == 0 and described.adverb:
        never = with_adverb(phrase, described.adverb)
        if never:
            return Draft(never, denominator, denominator)
    denied = negate(phrase)
    if denied:
        insufficient = denominator - sufficient
        missing = describe_share(insufficient, denominator, bands)
        return Draft(
            f"{denied} in {_noun_phrase(missing, cases, definite)}", insufficient, denominator
        )
    only = "only " if _takes_only(described) else ""
    text = f"{phrase} in {only}{_noun_phrase(described, cases, definite)}"
    return Draft(text, sufficient, denominator)


def positive_finding(
    phrase: str,
    sufficient: int,
    denominator: int,
    bands: tuple[WordingBand, ...] | None = None,
    *,
    cases: str = "cases",
    definite: bool = False,
) -> str:
    """The text of `draft_strength`."""
    return draft_strength(
        phrase, sufficient, denominator, bands, cases=cases, definite=definite
    ).text


def negative_finding(
    phrase: str,
    sufficient: int,
    denominator: int,
    bands: tuple[WordingBand, ...] | None = None,
    *,
    cases: str = "cases",
    definite: bool = False,
) -> str:
    """The text of `draft_concern`: "... were not delivered in one-quarter of relevant cases"."""
    return draft_concern(
        phrase, sufficient, denominator, bands, cases=cases, definite=definite
    ).text


def finding_sentence(
    question: Question,
    figure: Figure,
    bands: tuple[WordingBand, ...] | None = None,
    *,
    cases: str | None = None,
    definite: bool = False,
) -> str:
    """A drafted sentence for a report chapter, always with the exact figures:
    "In more than two-thirds of cases (21 of 30), individuals had made progress ...";
    "In only one-quarter of relevant cases (7 of 28), ..."; "In 3 of 4 cases, ...".

    `cases` names the cases counted (default "cases", or "relevant cases" for a question that
    applies only to some); pass a sub-group's label with `definite` for "of the cases ...".
    """
    phrase = finding_phrase(question.code, question.finding)
    noun = cases or ("relevant cases" if question.applies_if is not None else "cases")
    sufficient, denominator = figure.sufficient, figure.denominator
    if denominator == 0:
        return f"There were no {noun} in which to judge whether {phrase}."
    described = describe_share(sufficient, denominator, bands)
    if sufficient == 0:
        return _sentence(f"there were no {noun} ({sufficient} of {denominator}) in which {phrase}")
    only = "only " if sufficient * 2 < denominator and _takes_only(described) else ""
    figures = "" if described.kind == "count" else f" ({sufficient} of {denominator})"
    lead = _noun_phrase(described, noun, definite)
    return _sentence(f"in {only}{lead}{figures}, {phrase}")


# --- internals --------------------------------------------------------------------------------


def _check_share(numerator: int, denominator: int) -> None:
    if denominator <= 0:
        raise ValueError(f"no cases to describe ({numerator} of {denominator})")
    if not 0 <= numerator <= denominator:
        raise ValueError(f"impossible share: {numerator} of {denominator}")


def _exact(value: float) -> Fraction:
    """A table value as the fraction its author meant (0.3333333333333333 -> 1/3)."""
    return Fraction(value).limit_denominator(1_000_000)


def _words_from(
    band: WordingBand, table: tuple[WordingBand, ...], numerator: int, denominator: int
) -> ShareWords:
    if band.nearest:
        return _nearest_words(band, Fraction(numerator, denominator))
    assert band.words is not None  # the loader requires words or nearest
    template = band.words
    words = hyphenate(
        template.replace("{numerator}", str(numerator)).replace("{denominator}", str(denominator))
    )
    kind: ShareKind
    if "{numerator}" in template or "{denominator}" in template:
        kind = "count"
    elif numerator == 0:
        kind = "none"
    elif words in _fraction_words(table):
        kind = "fraction"
    else:
        kind = "quantity"
    return ShareWords(words, kind, band.adverb)


def _nearest_words(band: WordingBand, share: Fraction) -> ShareWords:
    """The nearest fraction's words; ties go to the lower fraction; further than the tolerance
    below it reads "nearly ...", above it "more than ..."."""
    fraction = min(band.nearest, key=lambda f: (abs(share - _exact(f.value)), _exact(f.value)))
    distance = share - _exact(fraction.value)
    words = hyphenate(fraction.words)
    prefix = None
    if abs(distance) > _exact(band.tolerance):
        prefix = band.nearly if distance < 0 else band.more
    if prefix:
        return ShareWords(f"{prefix} {words}", "fraction", band.adverb, qualified=True)
    return ShareWords(words, "fraction", band.adverb)


def _fraction_words(table: tuple[WordingBand, ...]) -> set[str]:
    return {hyphenate(f.words) for band in table for f in band.nearest}


def _noun_phrase(described: ShareWords, cases: str, definite: bool) -> str:
    if described.kind == "fraction":
        return f"{described.words} of {'the ' if definite else ''}{cases}"
    if described.kind == "none":
        return f"{described.words} of the {cases}"
    return f"{described.words} {cases}"


def _takes_only(described: ShareWords) -> bool:
    """True if "only" reads well before these words ("only one-quarter", "only 1 of 4"; not
    "only nearly half" or "only very few")."""
    return described.kind == "count" or (described.kind == "fraction" and not described.qualified)


def _auxiliary_position(phrase: str) -> int | None:
    words = phrase.split(" ")
    if any(w.lower().strip(",;") in _NEGATIONS for w in words):
        return None
    for index, word in enumerate(words[:-1]):
        if word.lower() in _AUXILIARIES:
            return index
    return None


def _sentence(text: str) -> str:
    text = capitalise(text.strip())
    return text if text.endswith((".", "!", "?")) else text + "."
