"""The standards' ratings as the lead's Findings screen shows and adjusts them.

What the screen reads off the UI thread is `load_findings_and_ratings`: the figures asked for
(a sub-group, cases in progress) and, for a framework that declares ratings, the inspection's
ratings with the lead's adjustments in place, read through the same connection. The ratings
always count every case (a sub-group's figures are not the inspection's rating), with or
without cases in progress as the figures do.

An adjustment is made through the same use case as `inspector-app rating --adjust`
(`core.narrative.rating_overrides`), on the file the window holds open, and returns the
`Changes` the window announces. Nothing here imports Qt.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from inspector_app.core.changes import Changes
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.findings.figures import Findings, compute_findings
from inspector_app.core.findings.ratings import NO_RELEVANT_CASES, Ratings, StandardRating
from inspector_app.core.narrative.rating_overrides import (
    MAX_JUSTIFICATION_CHARS,
    MIN_JUSTIFICATION_WORDS,
    adjust_rating,
    adjusted_ratings,
    remove_adjustment,
)

__all__ = [
    "MAX_JUSTIFICATION_CHARS",
    "MIN_JUSTIFICATION_WORDS",
    "NO_RELEVANT_CASES",
    "FindingsAndRatings",
    "RatingsOverview",
    "adjust_standard_rating",
    "justification_words",
    "load_findings_and_ratings",
    "ratings_overview",
    "remove_standard_adjustment",
]


@dataclass(frozen=True)
class RatingsOverview:
    """The inspection's ratings (adjusted by the lead where so) and the scale they are on."""

    ratings: Ratings
    scale: tuple[str, ...]  # the ratings a standard can take, best first
    maximum_score: int  # the highest overall score the standards can add up to
    include_in_progress: bool
    # The badges' colours as the report prints them ("#RRGGBB"): (fill, ink) for each rating
    # of the scale in order, then for "Not rated"; and the badges' outline.
    badge_colours: tuple[tuple[str, str], ...] = ()
    badge_outline: str = "#1F2327"

    def standard(self, code: str) -> StandardRating:
        return self.ratings.standard(code)

    def rank(self, rating: str | None) -> int | None:
        """The rating's place on the scale (0 the best), None for no rating."""
        return self.scale.index(rating) if rating in self.scale else None

    def badge(self, rating: str | None) -> tuple[str, str]:
        """The fill and the ink of a rating's badge (None: not rated)."""
        rank = self.rank(rating)
        index = len(self.scale) if rank is None else rank
        if index < len(self.badge_colours):
            return self.badge_colours[index]
        return ("#FFFFFF", self.badge_outline)


@dataclass(frozen=True)
class FindingsAndRatings:
    """What the Findings screen shows: the figures asked for, and the ratings (None for a
    framework without ratings)."""

    findings: Findings
    ratings: RatingsOverview | None


def load_findings_and_ratings(
    path: Path,
    passphrase: str | None,
    *,
    include_in_progress: bool = False,
    subgroup: str | None = None,
) -> FindingsAndRatings:
    """The master's figures and ratings as they are on disk now (for a background worker: it
    opens the file itself, read-only)."""
    with InspectionFile.open(path, readonly=True, passphrase=passphrase, checked=True) as file:
        findings = compute_findings(
            file, include_in_progress=include_in_progress, subgroup=subgroup
        )
        if file.framework.ratings is None:
            return FindingsAndRatings(findings, None)
        everyone = (
            findings
            if subgroup is None
            else compute_findings(file, include_in_progress=include_in_progress)
        )
        return FindingsAndRatings(findings, ratings_overview(file, everyone))


def ratings_overview(file: InspectionFile, findings: Findings) -> RatingsOverview | None:
    """The ratings of `findings` (of every case) with the lead's adjustments in place."""
    rules = file.framework.ratings
    if rules is None or findings.ratings is None:
        return None
    ratings = adjusted_ratings(file, findings.ratings)
    best = max((band.score or 0 for band in rules.bands), default=0)
    scale = tuple(rules.ratings)
    colours, outline = _badges(len(scale))
    return RatingsOverview(
        ratings=ratings,
        scale=scale,
        maximum_score=best * len(ratings.standards),
        include_in_progress=findings.include_in_progress,
        badge_colours=colours,
        badge_outline=outline,
    )


def _badges(scale: int) -> tuple[tuple[tuple[str, str], ...], str]:
    """The report's badge fills for a scale of `scale` ratings and for "Not rated", each
    with the ink that reads on it, and their outline. (Imported here, on the worker that
    reads the ratings: the report's drawing code loads reportlab.)"""
    from inspector_app.core.report.charts import (
        BADGE_OUTLINE,
        NOT_RATED_FILL,
        badge_text_colour,
        rating_fill,
    )

    fills = [rating_fill(rank, scale) for rank in range(scale)] + [NOT_RATED_FILL]
    return tuple((fill, badge_text_colour(fill)) for fill in fills), BADGE_OUTLINE


def justification_words(text: str) -> int:
    """How many words a justification has, as the use case counts them."""
    return len(text.split())


def adjust_standard_rating(
    file: InspectionFile,
    standard: str,
    rating: str,
    justification: str,
    *,
    author: str | None = None,
) -> Changes:
    """Set a standard's rating by the lead's judgement (`inspector-app rating --adjust`)."""
    return adjust_rating(file, standard, rating, justification, author=author)


def remove_standard_adjustment(
    file: InspectionFile, standard: str, *, author: str | None = None
) -> Changes:
    """Return a standard to the rating its figures give (`--remove-adjustment`)."""
    return remove_adjustment(file, standard, author=author)
