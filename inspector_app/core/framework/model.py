"""The question framework as frozen data.

A framework is read once from its TOML file and then shared by the GUI, scoring and the report,
so every class here is immutable and carries no behaviour beyond small lookups. Conditions are
plain data too: the evaluator in `applicability` interprets them, nothing ever calls `eval`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from inspector_app.core.errors import NotFound
from inspector_app.core.framework.profile import ProfileDefinition, default_profile

FieldOp = Literal["is", "in", "not_in", "gte", "lte"]
AnswerOp = Literal["is", "in", "not_in", "answered"]
Polarity = Literal["positive", "negative"]
ScaleKind = Literal["choice", "text"]

FIELD_OPS: tuple[FieldOp, ...] = ("is", "in", "not_in", "gte", "lte")
ANSWER_OPS: tuple[AnswerOp, ...] = ("is", "in", "not_in", "answered")

# A question's short label names it in a chart or a table, where the code never appears.
LABEL_MAX = 48
_ELLIPSIS = "\u2026"
# The opening a short label does without: "Was there", "Has there been", "Did the", "Is a"...
_QUESTION_OPENING = re.compile(
    r"^(?P<verb>was|were|did|does|do|has|have|had|is|are|can|could|should|would|will)\s+"
    r"(?P<there>there\s+(?:been\s+)?)?(?:(?:a|an|the)\s+)?",
    re.IGNORECASE,
)
# Words a cut label should not end on ("...about the…").
_DANGLING_WORDS = "a an the of and or in on to for with by at from as that their its it where who"
_DANGLING = frozenset(_DANGLING_WORDS.split()) | {"been", "be", "was", "were", "is", "are"}


# --- conditions -------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldTest:
    """Compares one case-profile field; `value` is a tuple for `in` / `not_in`."""

    field: str
    op: FieldOp
    value: object


@dataclass(frozen=True)
class AnswerTest:
    """Compares the answer to an earlier question; `value` is a bool for `answered`."""

    question: str
    op: AnswerOp
    value: object


@dataclass(frozen=True)
class All:
    """True when every item is true (never empty: the loader refuses `all = []`)."""

    items: tuple[Condition, ...]


@dataclass(frozen=True)
class Any:
    """True when at least one item is true (never empty)."""

    items: tuple[Condition, ...]


@dataclass(frozen=True)
class Not:
    """Inverts its item."""

    item: Condition


Condition = All | Any | Not | FieldTest | AnswerTest


# --- scales and questions ---------------------------------------------------------------------


@dataclass(frozen=True)
class ScaleOption:
    """One possible answer; `key` is the single letter typed for fast entry."""

    value: str
    label: str
    key: str


@dataclass(frozen=True)
class Scale:
    """An answer scale. `positive` / `negative` name the options scoring counts; both are None
    for scales that are never scored (a grade, a free-text note)."""

    id: str
    label: str
    options: tuple[ScaleOption, ...]
    positive: str | None = None
    negative: str | None = None
    excluded: tuple[str, ...] = ()
    kind: ScaleKind = "choice"

    @property
    def values(self) -> tuple[str, ...]:
        """The allowed answer values, in display order."""
        return tuple(o.value for o in self.options)

    @property
    def scorable(self) -> bool:
        """True if a question on this scale can count towards the figures."""
        return self.positive is not None and self.negative is not None

    def option(self, value: str) -> ScaleOption | None:
        """The option with this value, or None."""
        return next((o for o in self.options if o.value == value), None)

    def label_of(self, value: str) -> str:
        """The label to show for a stored value (the value itself if the scale lacks it)."""
        option = self.option(value)
        return option.label if option else value


@dataclass(frozen=True)
class Question:
    """One case-assessment question.

    `sufficient_value` / `insufficient_value` are derived by the loader from the scale and the
    polarity (for a negative question "no" is the sufficient answer), so scoring needs nothing
    but the question itself.
    """

    code: str
    text: str
    guidance: str
    scale: str
    scored: bool
    polarity: Polarity
    note_required: tuple[str, ...]
    applies_if: Condition | None
    finding: str | None
    section_code: str
    sufficient_value: str | None = None
    insufficient_value: str | None = None
    # A plain-words name for charts and tables (at most LABEL_MAX characters, sentence case,
    # no full stop, never the code); frameworks made before labels were data have none.
    label: str | None = None

    def short_label(self) -> str:
        """The question named in words for a chart or a table: its `label`, or, for a
        framework without labels, its text made short (see `fallback_label`)."""
        return self.label or fallback_label(self.text) or self.code

    def is_sufficient(self, value: str | None) -> bool | None:
        """True / False for a scored sufficient / insufficient answer; None when the answer is
        excluded (N/A), missing, or the question is not scored."""
        if not self.scored or not value:
            return None
        if value == self.sufficient_value:
            return True
        if value == self.insufficient_value:
            return False
        return None

    def needs_note(self, value: str | None) -> bool:
        """True if this answer must be backed by an evidence note."""
        return value is not None and value in self.note_required


def fallback_label(text: str, limit: int = LABEL_MAX) -> str:
    """A short label made from a question's text, for frameworks without labels: the opening
    ("Was the", "Has there been a") and the question mark go ("Has the plan been reviewed?"
    loses its "been" too), the first letter is capitalised, and a longer text is cut at a word
    boundary, not on a dangling "the" or "of", to at most `limit` characters with an ellipsis."""
    words = " ".join(text.split())
    opening = _QUESTION_OPENING.match(words)
    if opening and opening.end() < len(words):
        words = words[opening.end() :]
        if opening["verb"].lower() in ("has", "have", "had") and not opening["there"]:
            words = re.sub(r"\s+been\b", "", words, count=1)
    words = words.rstrip(" ?.!:;,")
    if not words:
        return ""
    words = words[0].upper() + words[1:]
    if len(words) <= limit:
        return words
    kept = words[: limit - len(_ELLIPSIS) + 1].split(" ")
    if len(kept) == 1:
        return words[: limit - len(_ELLIPSIS)] + _ELLIPSIS
    kept.pop()  # the last word is cut short, or ends where the ellipsis must go
    while len(kept) > 1 and kept[-1].lower().strip(",;:") in _DANGLING:
        kept.pop()
    return " ".join(kept).rstrip(" ,;:-\u2013") + _ELLIPSIS


@dataclass(frozen=True)
class Section:
    """A group of questions serving one criterion; also the unit of pooled scoring."""

    code: str
    title: str
    criterion: str
    questions: tuple[Question, ...]


# --- wording ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stage:
    """A stage of the offender's journey the report groups its criteria under ("Assessment
    and planning"); the report's chapters follow the stages in order."""

    code: str
    title: str


@dataclass(frozen=True)
class Criterion:
    """What the report scores: a criterion of the inspection, its stage, what inspectors
    looked for, and the scored questions that feed it (each question feeds at most one).
    Data entry keeps the framework's sections; the report follows the criteria."""

    code: str
    title: str
    stage: str  # a Stage code ("" when the framework declares no stages)
    looked_for: str
    questions: tuple[str, ...]
    # Named sub-groups (resources/subgroups.toml) whose figures the report states in this
    # criterion, e.g. the high risk of harm or child protection cases for risk of harm work.
    subgroups: tuple[str, ...] = ()


@dataclass(frozen=True)
class WordingFraction:
    """A fraction the house style may name, e.g. 0.25 -> "one-quarter"."""

    value: float
    words: str


@dataclass(frozen=True)
class WordingBand:
    """One row of the house-style wording table; the first matching band wins.

    A band matches a share when it equals `equals`, or lies in [`from_`, `below`) (a missing
    bound is open), and, if `fewer_cases_than` is set, the denominator is below it. It then
    gives fixed `words` (which may hold `{numerator}` and `{denominator}`), or, when `nearest`
    is set, the nearest fraction's words, prefixed by `nearly` / `more` when the share is
    further than `tolerance` below / above it (ties go to the lower fraction).
    """

    words: str | None = None
    adverb: str | None = None
    equals: float | None = None
    from_: float | None = None
    below: float | None = None
    fewer_cases_than: int | None = None
    nearest: tuple[WordingFraction, ...] = ()
    tolerance: float = 0.0
    nearly: str | None = None
    more: str | None = None

    def matches(self, share: float, denominator: int) -> bool:
        """True if this band applies to `share` of `denominator` cases."""
        if self.fewer_cases_than is not None and denominator >= self.fewer_cases_than:
            return False
        if self.equals is not None:
            return share == self.equals
        if self.from_ is not None and share < self.from_:
            return False
        return not (self.below is not None and share >= self.below)


@dataclass(frozen=True)
class HeadlineRules:
    """Which findings may be headlined (framework data): a finding on fewer cases than the
    minimum base says little, so it is never a bullet; at most `per_section` bullets of a list
    come from one section; a follow-up question is never headlined beside the question that
    gates it."""

    report_minimum_base: int = 10
    press_minimum_base: int = 20
    per_section: int = 1
    count: int = 5


@dataclass(frozen=True)
class RatingBand:
    """One band of a rating scale (framework data): `low` to `high` inclusive, on the printed
    percentage for a standard's key questions or on the summed score for the overall rating."""

    rating: str  # "Good"
    low: int
    high: int
    score: int | None = None  # what a standard rated in this band adds to the overall score
    words: str | None = None  # the band's share in words: "a reasonable majority"

    def holds(self, value: int) -> bool:
        return self.low <= value <= self.high


@dataclass(frozen=True)
class RatingRules:
    """How a framework rates (framework data, never code): a key question's score is the
    printed percentage of relevant cases judged sufficient; a standard (a criterion) takes the
    band of its lowest key question; the overall rating is the band of the standards' summed
    scores. The loader has checked that each list of bands covers its range without gaps or
    overlaps, so every value has exactly one band."""

    standard_rule: Literal["lowest"]
    bands: tuple[RatingBand, ...]
    overall: tuple[RatingBand, ...]

    def band_for_percent(self, percent: int) -> RatingBand:
        return next(band for band in self.bands if band.holds(percent))

    def overall_for(self, total: int) -> RatingBand:
        return next(band for band in self.overall if band.holds(total))

    @property
    def ratings(self) -> tuple[str, ...]:
        """The ratings a standard can take, best first."""
        return tuple(band.rating for band in self.bands)


def gate_questions(condition: Condition | None) -> tuple[str, ...]:
    """The earlier questions whose answers a condition reads: a follow-up's gates."""
    if condition is None:
        return ()
    if isinstance(condition, AnswerTest):
        return (condition.question,)
    if isinstance(condition, All | Any):
        return tuple(code for item in condition.items for code in gate_questions(item))
    if isinstance(condition, Not):
        return gate_questions(condition.item)
    return ()


# --- framework --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Framework:
    """A versioned framework. `source` is the exact TOML text, copied into every inspection file
    so that a file can always be read with the framework it was created with."""

    id: str
    version: str
    title: str
    programme: str
    scales: Mapping[str, Scale] = field(hash=False)
    sections: tuple[Section, ...]
    wording: tuple[WordingBand, ...] | None
    ratings: RatingRules | None
    source: str
    profile: ProfileDefinition = field(default_factory=default_profile, compare=False, hash=False)
    headlines: HeadlineRules = field(default_factory=HeadlineRules, compare=False, hash=False)
    interview_question: str | None = None  # Yes: the offender manager was interviewed
    # The reporting structure; a framework without [[criteria]] reports by section.
    stages: tuple[Stage, ...] = field(default=(), compare=False, hash=False)
    # The report's matter as the framework ships it ([report]: the inspectorate's role, the
    # acknowledgements...), each overridable per inspection in the report settings.
    report_defaults: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False)
    declared_criteria: tuple[Criterion, ...] = field(default=(), compare=False, hash=False)
    # The report's glossary as (term, meaning), when the framework brings its own words.
    glossary: tuple[tuple[str, str], ...] = field(default=(), compare=False, hash=False)
    _by_code: dict[str, Question] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        index = {q.code: q for s in self.sections for q in s.questions}
        object.__setattr__(self, "_by_code", index)

    def questions(self) -> tuple[Question, ...]:
        """Every question, in framework order (sections in order, questions in order)."""
        return tuple(self._by_code.values())

    def question(self, code: str) -> Question:
        """The question with this code; NotFound names the framework if there is none."""
        try:
            return self._by_code[code]
        except KeyError:
            raise NotFound(f"framework {self.id} {self.version} has no question {code!r}") from None

    def has_question(self, code: str) -> bool:
        """True if the framework has a question with this code."""
        return code in self._by_code

    def section(self, code: str) -> Section:
        """The section with this code; NotFound if there is none."""
        for section in self.sections:
            if section.code == code:
                return section
        raise NotFound(f"framework {self.id} {self.version} has no section {code!r}")

    def criteria(self) -> tuple[Criterion, ...]:
        """What the report scores, in order: the declared criteria, or (for a framework that
        declares none, as every file made before criteria were data) one per section."""
        if self.declared_criteria:
            return self.declared_criteria
        return tuple(
            Criterion(
                code=s.code,
                title=s.title,
                stage="",
                looked_for=s.criterion,
                questions=tuple(q.code for q in s.questions if q.scored),
            )
            for s in self.sections
            if any(q.scored for q in s.questions)
        )

    def stage(self, code: str) -> Stage | None:
        return next((s for s in self.stages if s.code == code), None)

    def scale_of(self, question: Question | str) -> Scale:
        """The scale a question (or question code) is answered on."""
        if isinstance(question, str):
            question = self.question(question)
        return self.scales[question.scale]
