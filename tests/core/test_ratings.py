"""Ratings as framework data: a key question's score and its band, a standard rated by its
lowest key question, the overall rating from the summed scores, and a ratings table that
could rate a figure two ways (or not at all) refused when the framework loads."""

from __future__ import annotations

from dataclasses import dataclass
from string import Template

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inspector_app.core.errors import FrameworkError
from inspector_app.core.findings.percentages import percent_of
from inspector_app.core.findings.ratings import NO_RELEVANT_CASES, rate
from inspector_app.core.framework import load_builtin, load_framework_text
from inspector_app.core.framework.model import Criterion

FRAMEWORK_ID = "case-supervision-2018"


@dataclass(frozen=True)
class Judged:
    """A key question's judgements, as the findings count them."""

    sufficient: int
    denominator: int
    label: str = "a key question"

    @property
    def percent(self) -> int | None:
        return percent_of(self.sufficient, self.denominator)


@pytest.fixture(scope="module")
def framework():
    return load_builtin(FRAMEWORK_ID)


def one_standard(framework, first: Judged, second: Judged, third: Judged):
    standard = framework.criteria()[0]
    counts = dict(zip(standard.questions, (first, second, third), strict=True))
    for other in framework.criteria()[1:]:
        counts.update({code: Judged(1, 1) for code in other.questions})
    return rate(framework.ratings, framework.criteria(), counts).standard(standard.code)


def test_the_shipped_framework_declares_four_standards_of_three_key_questions(framework):
    standards = framework.criteria()
    assert [s.code for s in standards] == ["2.1", "2.2", "2.3", "2.4"]
    assert [s.title for s in standards] == [
        "Assessment",
        "Planning",
        "Implementation and delivery",
        "Reviewing",
    ]
    for standard in standards:
        assert len(standard.questions) == 3
        for code in standard.questions:
            question = framework.question(code)
            assert question.scale == "sufficiency"
            prompts = [
                q for q in framework.questions() if q.code.startswith(code) and q != question
            ]
            assert 2 <= len(prompts) <= 4, code
    assert framework.ratings.ratings == (
        "Outstanding",
        "Good",
        "Requires improvement",
        "Inadequate",
    )


@pytest.mark.parametrize(
    ("sufficient", "relevant", "rating"),
    [
        (80, 100, "Outstanding"),
        (79, 100, "Good"),
        (65, 100, "Good"),
        (64, 100, "Requires improvement"),
        (50, 100, "Requires improvement"),
        (49, 100, "Inadequate"),
        (0, 100, "Inadequate"),
        (100, 100, "Outstanding"),
        # 159 of 200 is 79.5%, printed as 80%: the rating follows the printed figure.
        (159, 200, "Outstanding"),
        # 129 of 200 is 64.5%, printed as 65%.
        (129, 200, "Good"),
        # 99 of 200 is 49.5%, printed as 50%.
        (99, 200, "Requires improvement"),
    ],
)
def test_a_standard_takes_the_band_of_its_printed_percentage(
    framework, sufficient, relevant, rating
):
    all_good = Judged(10, 10)
    rated = one_standard(framework, Judged(sufficient, relevant), all_good, all_good)
    assert rated.rating == rating
    assert rated.key_questions[0].percent == percent_of(sufficient, relevant)
    assert rated.key_questions[0].rating == rating


def test_the_lowest_key_question_decides_the_standard(framework):
    rated = one_standard(framework, Judged(90, 100), Judged(55, 100), Judged(70, 100))
    assert rated.rating == "Requires improvement"
    assert rated.score == 1
    assert rated.decided_by == rated.key_questions[1].code
    assert [k.rating for k in rated.key_questions] == [
        "Outstanding",
        "Requires improvement",
        "Good",
    ]


def test_a_key_question_with_no_relevant_case_is_not_scored_and_does_not_decide(framework):
    rated = one_standard(framework, Judged(0, 0), Judged(70, 100), Judged(90, 100))
    assert rated.key_questions[0].percent is None
    assert rated.key_questions[0].rating is None
    assert rated.rating == "Good"


def test_a_standard_with_no_relevant_cases_is_not_rated_and_says_why(framework):
    nothing = Judged(0, 0)
    rated = one_standard(framework, nothing, nothing, nothing)
    assert rated.rating is None
    assert rated.score is None
    assert rated.not_rated_because == NO_RELEVANT_CASES


def test_the_overall_rating_is_not_given_while_a_standard_is_not_rated(framework):
    standards = framework.criteria()
    counts = {code: Judged(9, 10) for s in standards for code in s.questions}
    counts.update({code: Judged(0, 0) for code in standards[2].questions})
    ratings = rate(framework.ratings, standards, counts)
    assert ratings.overall_rating is None
    assert ratings.overall_score is None
    assert "2.3" in (ratings.overall_not_rated_because or "")


@pytest.mark.parametrize(
    ("percents", "score", "rating"),
    [
        ((80, 80, 80, 80), 12, "Outstanding"),
        ((80, 80, 80, 70), 11, "Outstanding"),
        ((80, 80, 70, 70), 10, "Good"),
        ((70, 70, 60, 40), 5, "Requires improvement"),
        ((65, 50, 0, 0), 3, "Requires improvement"),
        ((60, 60, 10, 10), 2, "Inadequate"),
        ((10, 10, 10, 10), 0, "Inadequate"),
    ],
)
def test_the_overall_rating_is_the_band_of_the_summed_scores(framework, percents, score, rating):
    standards = framework.criteria()
    counts = {
        code: Judged(percent, 100)
        for standard, percent in zip(standards, percents, strict=True)
        for code in standard.questions
    }
    ratings = rate(framework.ratings, standards, counts)
    assert ratings.overall_score == score
    assert ratings.overall_rating == rating


@given(
    st.lists(
        st.tuples(st.integers(0, 60), st.integers(0, 60)).map(lambda t: (min(t), max(t))),
        min_size=12,
        max_size=12,
    )
)
def test_ratings_equal_an_independent_recount(pairs):
    """Any judgements: each standard's rating is recounted here from the bands the framework
    file states (80, 65, 50), and the overall from the summed scores."""
    framework = load_builtin(FRAMEWORK_ID)
    standards = framework.criteria()
    codes = [code for s in standards for code in s.questions]
    counts = {code: Judged(s, n) for code, (s, n) in zip(codes, pairs, strict=True)}
    ratings = rate(framework.ratings, standards, counts)

    def band(percent: int) -> tuple[str, int]:
        if percent >= 80:
            return "Outstanding", 3
        if percent >= 65:
            return "Good", 2
        if percent >= 50:
            return "Requires improvement", 1
        return "Inadequate", 0

    total = 0
    for standard in standards:
        # Printed percentage, rounded half up, by hand.
        printed = [
            (200 * counts[c].sufficient + counts[c].denominator) // (2 * counts[c].denominator)
            for c in standard.questions
            if counts[c].denominator
        ]
        rated = ratings.standard(standard.code)
        if not printed:
            assert rated.rating is None
            total = -1000
            continue
        expected, score = band(min(printed))
        assert rated.rating == expected
        total += score
    if total < 0:
        assert ratings.overall_rating is None
    else:
        expected_overall = (
            "Outstanding"
            if total >= 11
            else "Good"
            if total >= 7
            else "Requires improvement"
            if total >= 3
            else "Inadequate"
        )
        assert (ratings.overall_score, ratings.overall_rating) == (total, expected_overall)


# --- the table refused when it could rate a figure two ways, or not at all -------------------

FRAMEWORK = """\
[framework]
id = "rated"
version = "1"
title = "A rated framework"

[scales.sufficiency]
positive = "sufficient"
negative = "insufficient"
options = [
    { value = "sufficient", label = "Sufficient", key = "S" },
    { value = "insufficient", label = "Insufficient", key = "I" },
]

[[sections]]
code = "1"
title = "Assessment"

[[sections.questions]]
code = "1.1"
text = "Is the assessment sufficient?"
scale = "sufficiency"

[[criteria]]
code = "1"
title = "Assessment"
looked_for = "A sufficient assessment."
questions = ["1.1"]

[ratings]
$rule

[[ratings.bands]]
rating = "Good"
from = $good_from
to = 100
score = 1

[[ratings.bands]]
rating = "Poor"
from = 0
to = $poor_to
score = 0

[[ratings.overall]]
rating = "Good"
from = 1
to = $overall_to

[[ratings.overall]]
rating = "Poor"
from = 0
to = 0
"""


def framework_text(
    rule: str = 'standard_rule = "lowest"',
    good_from: int = 50,
    poor_to: int = 49,
    overall_to: int = 1,
) -> str:
    return Template(FRAMEWORK).substitute(
        rule=rule, good_from=good_from, poor_to=poor_to, overall_to=overall_to
    )


def test_a_well_formed_table_loads():
    framework = load_framework_text(framework_text(), "rated.toml")
    assert framework.ratings is not None
    assert framework.ratings.band_for_percent(50).rating == "Good"
    assert framework.ratings.band_for_percent(49).rating == "Poor"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"good_from": 60}, "[[ratings.bands]]: no band holds 50 to 59"),
        ({"good_from": 40}, "[[ratings.bands]] 'Good': overlaps the band below it at 40 to 49"),
        ({"poor_to": 30, "good_from": 31, "overall_to": 3}, "goes beyond 1"),
        ({"rule": 'standard_rule = "average"'}, "standard_rule must be one of lowest"),
        ({"rule": 'standard_rule = "lowest"\nbands_from = 1'}, "unknown key 'bands_from'"),
        ({"good_from": 70, "poor_to": 60}, "'from' (70)"),
    ],
)
def test_a_table_that_could_rate_a_figure_two_ways_or_not_at_all_is_refused(changes, message):
    if "'from' (70)" in message:
        text = framework_text().replace("from = 50\nto = 100", "from = 70\nto = 60")
    else:
        text = framework_text(**changes)
    with pytest.raises(FrameworkError) as refused:
        load_framework_text(text, "rated.toml")
    assert str(refused.value).startswith("rated.toml: ")
    assert message in str(refused.value)


def test_ratings_without_standards_are_refused():
    text = framework_text()
    start = text.index("[[criteria]]")
    text = text[:start] + text[text.index("[ratings]") :]
    with pytest.raises(FrameworkError, match=r"ratings need \[\[criteria\]\]"):
        load_framework_text(text, "rated.toml")


def test_a_band_without_a_score_is_refused():
    text = framework_text().replace("to = 100\nscore = 1\n", "to = 100\n")
    with pytest.raises(FrameworkError, match="'Good': 'score' must be a whole number"):
        load_framework_text(text, "rated.toml")


def test_criterion_type_is_what_the_rules_rate():
    """The engine knows no framework: a criterion built here is rated like a shipped one."""
    framework = load_framework_text(framework_text(), "rated.toml")
    criterion = Criterion("1", "Assessment", "", "A sufficient assessment.", ("1.1",))
    ratings = rate(framework.ratings, [criterion], {"1.1": Judged(1, 2)})
    assert ratings.standard("1").rating == "Good"
    assert ratings.overall_rating == "Good"
