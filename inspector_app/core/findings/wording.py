"""The inspectorate's house style for shares of cases.

Reports say "more than two-thirds of cases" rather than "70%", and a reader sees the printed
percentage beside the words, so the words are chosen from the *printed* (rounded half up)
percentage: equal printed figures always read the same, and a higher figure never reads
weaker. The words come from the framework's wording table (data, so an inspectorate can change
its convention without a release); the table here is only a fallback for a framework that has
none. Bounds are compared as exact fractions, never in floating point.

Drafted sentences are suggestions for the lead to edit; they are built only from counts, so they
can never carry a case reference or a name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal, Protocol

from inspector_app.core.findings.percentages import percent_of
from inspector_app.core.framework.model import Framework, Question, WordingBand, WordingFraction

ShareKind = Literal["count", "fraction", "none", "quantity"]

# The house convention, used only when a framework carries no wording table.
DEFAULT_BANDS: tuple[WordingBand, ...] = (
    WordingBand(words="{numerator} of {denominator}", fewer_cases_than=5),
    WordingBand(words="none", adverb="never", equals=0.0),
    WordingBand(words="very few", from_=0.0, below=0.15),
    WordingBand(
        from_=0.15,
        below=0.81,
        tolerance=0.03,
        nearly="nearly",
        more="more than",
        nearest=(
            WordingFraction(1 / 5, "one-fifth"),
            WordingFraction(1 / 4, "one-quarter"),
            WordingFraction(1 / 3, "one-third"),
            WordingFraction(2 / 5, "two-fifths"),
            WordingFraction(1 / 2, "half"),
            WordingFraction(3 / 5, "three-fifths"),
            WordingFraction(2 / 3, "two-thirds"),
            WordingFraction(3 / 4, "three-quarters"),
            WordingFraction(4 / 5, "four-fifths"),
        ),
    ),
    WordingBand(words="more than four-fifths", from_=0.81, below=0.90),
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
    printed = percent_of(numerator, denominator)
    assert printed is not None  # _check_share refused an empty denominator
    # "none" and "all" are facts, not roundings: 1 of 1000 prints 0% but is not none.
    if 0 < numerator < denominator:
        printed = min(max(printed, 1), 99)
    for band in table:
        if _matches(band, printed, denominator):
            return _words_from(band, table, numerator, denominator, printed)
    raise ValueError(f"the wording table has no band for {numerator} of {denominator}")


def words_for_percent(printed: int, bands: tuple[WordingBand, ...] | None = None) -> ShareWords:
    """The words for a printed percentage, as for any share that prints as it (a base too
    large for the count form)."""
    return describe_share(printed, 100, bands)


def _matches(band: WordingBand, printed: int, denominator: int) -> bool:
    """Does the band apply to a share printed as `printed`%? Bounds are the table's shares,
    compared exactly (0.15 means 15%, not the float just below it)."""
    if band.fewer_cases_than is not None and denominator >= band.fewer_cases_than:
        return False
    share = Fraction(printed, 100)
    if band.equals is not None:
        return share == _exact(band.equals)
    if band.from_ is not None and share < _exact(band.from_):
        return False
    return not (band.below is not None and share >= _exact(band.below))


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
    described = describe_share(numerator, denominator, bands)
    return _noun_phrase(described, cases, definite, numerator, denominator)


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
        text = f"{phrase} in {_noun_phrase(described, cases, definite, sufficient, denominator)}"
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
    states the sufficient share instead ("... in only one-third of cases", "... in only 18 of
    31 cases")."""
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
            f"{denied} in {_noun_phrase(missing, cases, definite, insufficient, denominator)}",
            insufficient,
            denominator,
        )
    # The sufficient share must read as a shortfall: "only one-third"; "nearly one-third"
    # already does; but "more than half" reads as praise, and "only" does not read before it,
    # so the figures are stated instead.
    share = _noun_phrase(described, cases, definite, sufficient, denominator)
    if sufficient == denominator:
        pass  # every case: no shortfall to stress ("only both", "only all 4")
    elif _takes_only(described):
        share = f"only {share}"
    elif 2 * sufficient >= denominator:
        share = f"only {sufficient} of {'the ' if definite else ''}{denominator} {cases}"
    return Draft(f"{phrase} in {share}", sufficient, denominator)


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
    """A drafted sentence for a report chapter, with the exact figures beside words:
    "In more than two-thirds of cases (21 of 30), individuals had made progress ...";
    "In only one-quarter of relevant cases (7 of 28), ..."; small bases as counts: "In 3 of 4
    cases, ...", "In all 3 relevant cases, ...", "In the one relevant case, ..."; and no work
    done as the denial: "Victims were not offered contact in any of the 6 relevant cases."

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
        where = {1: f"the one {_singular(noun)}", 2: f"either of the 2 {noun}"}.get(
            denominator, f"any of the {denominator} {noun}"
        )
        denied = negate(phrase)
        if denied:
            return _sentence(f"{denied} in {where}")
        return _sentence(f"in none of the {denominator} {noun}, {phrase}")
    only = "only " if sufficient * 2 < denominator and _takes_only(described) else ""
    # The figures go beside words; a count, or "all 5", already is the figure.
    plain = described.kind == "count" or sufficient == denominator
    figures = "" if plain else f" ({sufficient} of {denominator})"
    lead = _noun_phrase(described, noun, definite, sufficient, denominator)
    whole = _whole_subject(phrase, lead) if sufficient == denominator else None
    if whole:
        return _sentence(whole)
    return _sentence(f"in {only}{lead}{figures}, {_without_repeated_subject(phrase, sufficient)}")


def _whole_subject(phrase: str, lead: str) -> str | None:
    """'In both relevant cases, cases were managed ...' reads better with the cases as the
    subject: 'Both relevant cases were managed ...' ('The one relevant case was managed');
    None when the phrase has another subject."""
    words = phrase.split(" ")
    if len(words) < 3 or words[0].lower() != "cases":
        return None
    verb = words[1]
    if lead.startswith("the one "):
        verb = {"were": "was", "have": "has", "are": "is"}.get(verb, verb)
    return " ".join([lead, verb, *words[2:]])


def _singular(noun: str) -> str:
    """'relevant cases' -> 'relevant case'; 'cases classified as ...' -> 'case classified as'."""
    return re.sub(r"\bcases\b", "case", noun, count=1)


def _without_repeated_subject(phrase: str, count: int) -> str:
    """'In all 3 relevant cases, cases were managed ...' says 'cases' twice: the phrase's own
    subject becomes 'they' (or 'it' for the one case)."""
    words = phrase.split(" ")
    if len(words) < 2 or words[0].lower() != "cases":
        return phrase
    if count == 1:
        verb = {"were": "was", "have": "has", "are": "is"}.get(words[1], words[1])
        return " ".join(["it", verb, *words[2:]])
    return " ".join(["they", *words[1:]])


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
    band: WordingBand,
    table: tuple[WordingBand, ...],
    numerator: int,
    denominator: int,
    printed: int,
) -> ShareWords:
    if band.nearest:
        return _nearest_words(band, printed)
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
    elif any(words == f or words.endswith(" " + f) for f in _fraction_words(table)):
        kind = "fraction"  # "two-thirds", "more than four-fifths": read "... of cases"
    else:
        kind = "quantity"
    return ShareWords(words, kind, band.adverb)


def _nearest_words(band: WordingBand, printed: int) -> ShareWords:
    """A fraction's words when the printed percentage is the fraction's own (33 for one-third);
    "nearly" the next fraction up when it is within the band's tolerance (3 points: 72-74 read
    "nearly three-quarters"); otherwise "more than" the fraction below (68-71 read "more than
    two-thirds"). Every percentage between two fractions reads as one of the two, so the
    words never weaken as the figure rises. Below the first fraction there is nothing to be
    "more than", so it reads "nearly" the first."""
    fractions = sorted(band.nearest, key=lambda f: _exact(f.value))
    for fraction in fractions:
        exact = _exact(fraction.value)
        if percent_of(exact.numerator, exact.denominator) == printed:
            return ShareWords(hyphenate(fraction.words), "fraction", band.adverb)
    share = Fraction(printed, 100)
    below = [f for f in fractions if _exact(f.value) < share]
    above = [f for f in fractions if _exact(f.value) > share]
    lower = below[-1] if below else None
    upper = above[0] if above else None
    if upper is not None and (
        lower is None or _exact(upper.value) - share <= _exact(band.tolerance)
    ):
        return ShareWords(
            f"{band.nearly} {hyphenate(upper.words)}" if band.nearly else hyphenate(upper.words),
            "fraction",
            band.adverb,
            qualified=bool(band.nearly),
        )
    assert lower is not None
    return ShareWords(
        f"{band.more} {hyphenate(lower.words)}" if band.more else hyphenate(lower.words),
        "fraction",
        band.adverb,
        qualified=bool(band.more),
    )


def _fraction_words(table: tuple[WordingBand, ...]) -> set[str]:
    return {hyphenate(f.words) for band in table for f in band.nearest}


def _noun_phrase(
    described: ShareWords, cases: str, definite: bool, numerator: int, denominator: int
) -> str:
    """The share as a noun phrase, honest about small numbers: "none of the 6 cases", "the one
    relevant case", "both relevant cases", "all 3 relevant cases", "3 of 4 cases"."""
    if numerator == denominator and described.kind in ("count", "quantity"):
        if denominator == 1:
            return f"the one {_singular(cases)}"
        if denominator == 2:
            return f"both {cases}"
        return f"all {denominator} {cases}"
    if described.kind == "fraction":
        return f"{described.words} of {'the ' if definite else ''}{cases}"
    if described.kind == "none" or numerator == 0:
        if denominator == 1:
            return f"the one {_singular(cases)}"
        return f"none of the {denominator} {cases}"
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
