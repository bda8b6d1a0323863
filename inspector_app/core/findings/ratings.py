"""Ratings, evaluated from the framework's declared rules over the findings' figures.

Nothing here knows a framework: the bands, the rule that rates a standard and the overall
bands are the framework's data (`RatingRules`). A key question's score is the percentage the
report prints, so a printed figure and its rating can never disagree.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from inspector_app.core.framework.model import Criterion, RatingRules

NO_RELEVANT_CASES = "no relevant cases"


@dataclass(frozen=True)
class KeyQuestionScore:
    """One key question: how many relevant cases were judged sufficient, and its band."""

    code: str
    label: str
    sufficient: int
    relevant: int  # cases judged sufficient or insufficient
    percent: int | None  # as printed; None when no case was relevant
    rating: str | None

    def to_json(self) -> dict[str, object]:
        return {
            "code": self.code,
            "label": self.label,
            "sufficient": self.sufficient,
            "relevant": self.relevant,
            "percent": self.percent,
            "rating": self.rating,
        }


@dataclass(frozen=True)
class StandardRating:
    """One standard's rating, the key question that decided it, or why it is not rated."""

    code: str
    title: str
    key_questions: tuple[KeyQuestionScore, ...]
    rating: str | None
    score: int | None
    decided_by: str | None  # the code of the lowest key question
    not_rated_because: str | None = None
    # Set when the lead adjusted the rating: what the figures gave, and why it was changed.
    adjusted_from: str | None = None
    justification: str | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "code": self.code,
            "title": self.title,
            "rating": self.rating,
            "score": self.score,
            "decided_by": self.decided_by,
            "not_rated_because": self.not_rated_because,
            **(
                {"adjusted_from": self.adjusted_from, "justification": self.justification}
                if self.justification is not None
                else {}
            ),
            "key_questions": [k.to_json() for k in self.key_questions],
        }


@dataclass(frozen=True)
class Ratings:
    """Every standard's rating and the overall rating they add up to."""

    standards: tuple[StandardRating, ...]
    overall_score: int | None
    overall_rating: str | None
    overall_not_rated_because: str | None = None

    def standard(self, code: str) -> StandardRating:
        return next(s for s in self.standards if s.code == code)

    def to_json(self) -> dict[str, object]:
        return {
            "overall": {
                "rating": self.overall_rating,
                "score": self.overall_score,
                "not_rated_because": self.overall_not_rated_because,
            },
            "standards": [s.to_json() for s in self.standards],
        }


class Adjustment(Protocol):
    """A lead's adjustment of one standard's rating (`core.narrative.rating_overrides`)."""

    @property
    def rating(self) -> str: ...
    @property
    def justification(self) -> str: ...


class JudgedFigures(Protocol):
    """What the rules read of a key question's figures (the findings' `QuestionFigures`)."""

    @property
    def label(self) -> str: ...
    @property
    def sufficient(self) -> int: ...
    @property
    def denominator(self) -> int: ...
    @property
    def percent(self) -> int | None: ...


def rate(
    rules: RatingRules, criteria: Sequence[Criterion], counts: Mapping[str, JudgedFigures]
) -> Ratings:
    """Rate each standard (criterion) and the whole, by `rules`, from the key questions'
    figures (keyed by question code)."""
    standards = tuple(_rate_standard(rules, criterion, counts) for criterion in criteria)
    return _with_overall(rules, standards)


def adjust(rules: RatingRules, ratings: Ratings, adjustments: Mapping[str, Adjustment]) -> Ratings:
    """The ratings with the lead's adjustments in place (by standard code): an adjusted
    standard keeps its figures, takes the adjusted rating and its band's score, remembers what
    the figures gave and why it changed; the overall rating follows."""
    scores = {band.rating: band.score for band in rules.bands}
    standards = tuple(
        standard
        if standard.code not in adjustments
        else replace(
            standard,
            rating=adjustments[standard.code].rating,
            score=scores[adjustments[standard.code].rating],
            not_rated_because=None,
            adjusted_from=standard.rating,
            justification=adjustments[standard.code].justification,
        )
        for standard in ratings.standards
    )
    return _with_overall(rules, standards)


def _with_overall(rules: RatingRules, standards: tuple[StandardRating, ...]) -> Ratings:
    unrated = [s.code for s in standards if s.score is None]
    if unrated:
        reason = "not every standard is rated (" + ", ".join(unrated) + ")"
        return Ratings(standards, None, None, reason)
    total = sum(s.score or 0 for s in standards)
    return Ratings(standards, total, rules.overall_for(total).rating)


def _rate_standard(
    rules: RatingRules, criterion: Criterion, counts: Mapping[str, JudgedFigures]
) -> StandardRating:
    scores = tuple(_score(rules, code, counts[code]) for code in criterion.questions)
    scored = [s for s in scores if s.percent is not None]
    if not scored:
        return StandardRating(
            criterion.code, criterion.title, scores, None, None, None, NO_RELEVANT_CASES
        )
    # The lowest printed score decides; on a tie, the first key question in the framework.
    lowest = min(scored, key=lambda s: s.percent if s.percent is not None else 101)
    band = rules.band_for_percent(lowest.percent or 0)
    return StandardRating(
        criterion.code, criterion.title, scores, band.rating, band.score, lowest.code
    )


def _score(rules: RatingRules, code: str, count: JudgedFigures) -> KeyQuestionScore:
    rating = None if count.percent is None else rules.band_for_percent(count.percent).rating
    return KeyQuestionScore(
        code, count.label, count.sufficient, count.denominator, count.percent, rating
    )
