"""The lead adjusts a standard's rating only with a written justification, kept as a revision
with its author and time; the overall rating follows the adjusted score."""

from __future__ import annotations

from pathlib import Path

import pytest

from inspector_app.core.cases.history import value_history
from inspector_app.core.errors import NotFound, ValidationError
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.findings.ratings import rate
from inspector_app.core.narrative.parts import narrative_key
from inspector_app.core.narrative.rating_overrides import (
    PART,
    adjust_rating,
    adjusted_ratings,
    load_overrides,
    override_value_problem,
    remove_adjustment,
)
from tests.core.test_ratings import Judged

JUSTIFICATION = "Work to keep children safe was strong in the cases that mattered most."


@pytest.fixture
def master(tmp_path: Path):
    file = InspectionFile.create(
        tmp_path / "m.inspection",
        title="Case supervision in Northshire",
        organisation="Northshire",
        framework_id="case-supervision-2018",
        lead="Helen Ashworth",
    )
    yield file
    file.close()


def figures_rating(file: InspectionFile, percents: tuple[int, int, int, int]):
    standards = file.framework.criteria()
    counts = {
        code: Judged(percent, 100)
        for standard, percent in zip(standards, percents, strict=True)
        for code in standard.questions
    }
    assert file.framework.ratings is not None
    return rate(file.framework.ratings, standards, counts)


def test_an_adjusted_rating_replaces_the_figures_rating_and_the_overall_follows(master):
    ratings = figures_rating(master, (70, 70, 70, 60))
    assert (ratings.overall_score, ratings.overall_rating) == (7, "Good")
    adjust_rating(master, "2.4", "Inadequate", JUSTIFICATION)
    adjusted = adjusted_ratings(master, ratings)
    standard = adjusted.standard("2.4")
    assert standard.rating == "Inadequate"
    assert standard.adjusted_from == "Requires improvement"
    assert standard.justification == JUSTIFICATION
    assert standard.decided_by == ratings.standard("2.4").decided_by  # the figures stay
    assert (adjusted.overall_score, adjusted.overall_rating) == (6, "Requires improvement")
    assert adjusted.to_json()["standards"][3]["justification"] == JUSTIFICATION


def test_the_adjustment_is_a_revision_with_its_author(master):
    adjust_rating(master, "2.1", "Good", JUSTIFICATION, author="Helen Ashworth")
    history = value_history(master, narrative_key(master, PART))
    assert len(history) == 1
    assert history[0].author == "Helen Ashworth"
    assert history[0].when.year >= 2026
    assert history[0].value["2.1"]["justification"] == JUSTIFICATION


@pytest.mark.parametrize(
    ("standard", "rating", "justification", "error", "words"),
    [
        ("2.1", "Good", "", ValidationError, "needs a written justification"),
        ("2.1", "Good", "see notes", ValidationError, "needs a written justification"),
        ("2.1", "Very good", JUSTIFICATION, ValidationError, "is not a rating"),
        ("3.1", "Good", JUSTIFICATION, NotFound, "no standard '3.1'"),
        ("2.1", "Good", "x" * 10 + " y z" * 700, ValidationError, "at most"),
    ],
)
def test_an_adjustment_without_a_proper_justification_or_rating_is_refused(
    master, standard, rating, justification, error, words
):
    with pytest.raises(error, match=words):
        adjust_rating(master, standard, rating, justification)
    assert load_overrides(master) == {}


def test_removing_an_adjustment_returns_the_figures_rating(master):
    ratings = figures_rating(master, (90, 90, 90, 90))
    adjust_rating(master, "2.2", "Good", JUSTIFICATION)
    assert adjusted_ratings(master, ratings).standard("2.2").rating == "Good"
    remove_adjustment(master, "2.2")
    assert adjusted_ratings(master, ratings) == ratings
    with pytest.raises(NotFound):
        remove_adjustment(master, "2.2")


def test_a_forged_value_is_recognised():
    assert override_value_problem({"2.1": {"rating": "Good", "justification": "x"}}) is None
    for forged in ([], {"2.1": "Good"}, {"2.1": {"rating": 3, "justification": "x"}}):
        assert override_value_problem(forged) is not None


def test_a_framework_without_ratings_has_nothing_to_adjust(tmp_path: Path):
    with (
        InspectionFile.create(
            tmp_path / "old.inspection", title="Adult offending work", organisation="Wirral"
        ) as file,
        pytest.raises(ValidationError, match="no ratings"),
    ):
        adjust_rating(file, "1.1", "Good", JUSTIFICATION)


def test_a_merge_takes_an_adjustment_and_refuses_a_forged_one(tmp_path: Path) -> None:
    """Adjustments merge like the report's words: a well-formed one comes in with its author;
    a value of another shape is refused, naming the part."""
    from inspector_app.core.merge.validation import narrative_value_problem

    good = {"2.1": {"rating": "Good", "justification": JUSTIFICATION}}
    assert narrative_value_problem(PART, good) is None
    forged = {"2.1": {"rating": "Good", "justification": JUSTIFICATION, "by": "the Chief"}}
    assert narrative_value_problem(PART, forged) == "which is not a table of rating adjustments"
