"""The lead's adjustments to a standard's rating, each with its written justification.

A rating follows from the figures by the framework's rules; the lead may adjust one when the
evidence calls for it, but never silently: the justification is required, the report prints it
beside the rating ("rating adjusted by the lead inspector: ..."), and every adjustment is a
revision of the narrative part `rating_overrides` ({standard: {rating, justification}}), so it
has an author, a time and a history, and merges like the rest of the report's words.
"""

from __future__ import annotations

from dataclasses import dataclass

from inspector_app.core.changes import Changes
from inspector_app.core.errors import NotFound, ValidationError
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.findings.ratings import Ratings, adjust
from inspector_app.core.narrative.parts import (
    RATING_OVERRIDES,
    Narrative,
    control_character_problem,
    load_narrative,
    write_part,
)

PART = RATING_OVERRIDES
MAX_JUSTIFICATION_CHARS = 2_000
MIN_JUSTIFICATION_WORDS = 3  # "see notes" is not a justification


@dataclass(frozen=True)
class RatingOverride:
    standard: str
    rating: str
    justification: str


def override_value_problem(value: object) -> str | None:
    """What is wrong with the stored value of the part (for a merge's checks), or None."""
    if not isinstance(value, dict):
        return "which is not a table of rating adjustments"
    for standard, entry in value.items():
        if (
            not isinstance(standard, str)
            or not isinstance(entry, dict)
            or entry.keys() != {"rating", "justification"}
            or not all(isinstance(entry[key], str) for key in entry)
        ):
            return "which is not a table of rating adjustments"
    return None


def overrides_in(narrative: Narrative) -> dict[str, RatingOverride]:
    """The adjustments a loaded narrative holds, by standard (none if the part holds anything
    else)."""
    value = narrative.values.get(PART)
    if value is None or override_value_problem(value) is not None:
        return {}
    assert isinstance(value, dict)
    return {
        standard: RatingOverride(standard, entry["rating"], entry["justification"])
        for standard, entry in sorted(value.items())
    }


def load_overrides(file: InspectionFile) -> dict[str, RatingOverride]:
    return overrides_in(load_narrative(file))


def adjust_rating(
    file: InspectionFile,
    standard: str,
    rating: str,
    justification: str,
    *,
    author: str | None = None,
) -> Changes:
    """Set a standard's rating by the lead's judgement; the justification is required."""
    rules = file.framework.ratings
    if rules is None:
        raise ValidationError(f"{file.framework.title} has no ratings to adjust")
    if not any(c.code == standard for c in file.framework.criteria()):
        codes = ", ".join(c.code for c in file.framework.criteria())
        raise NotFound(f"no standard {standard!r} (the standards are {codes})")
    if rating not in rules.ratings:
        raise ValidationError(
            f"{rating!r} is not a rating (use one of: {', '.join(rules.ratings)})"
        )
    text = " ".join(justification.split())
    problem = control_character_problem(text)
    if problem:
        raise ValidationError(f"the justification {problem}")
    if len(text.split()) < MIN_JUSTIFICATION_WORDS:
        raise ValidationError(
            "an adjusted rating needs a written justification (a sentence the report prints)"
        )
    if len(text) > MAX_JUSTIFICATION_CHARS:
        raise ValidationError(f"the justification is at most {MAX_JUSTIFICATION_CHARS} characters")
    overrides = load_overrides(file)
    overrides[standard] = RatingOverride(standard, rating, text)
    return _save(file, overrides, author)


def remove_adjustment(file: InspectionFile, standard: str, *, author: str | None = None) -> Changes:
    """Return a standard to the rating its figures give."""
    overrides = load_overrides(file)
    if standard not in overrides:
        raise NotFound(f"standard {standard}'s rating is not adjusted")
    del overrides[standard]
    return _save(file, overrides, author)


def adjusted_ratings(file: InspectionFile, ratings: Ratings) -> Ratings:
    """The figures' ratings with the lead's adjustments in place."""
    rules = file.framework.ratings
    overrides = load_overrides(file)
    if rules is None or not overrides:
        return ratings
    known = {standard.code for standard in ratings.standards}
    usable = {
        code: o for code, o in overrides.items() if code in known and o.rating in rules.ratings
    }
    return adjust(rules, ratings, usable)


def _save(
    file: InspectionFile, overrides: dict[str, RatingOverride], author: str | None
) -> Changes:
    value = {
        code: {"rating": o.rating, "justification": o.justification}
        for code, o in sorted(overrides.items())
    }
    changed = write_part(file, PART, value, author=author)
    return Changes(narrative=changed)
