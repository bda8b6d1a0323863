"""House-style wording (DESIGN section 6): every band edge, both sides of every fraction, the
ties, small denominators, adverbs, complements, hyphenation and drafted sentences."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pytest

from inspector_app.core.framework import (
    Framework,
    Question,
    WordingBand,
    WordingFraction,
    load_builtin,
)
from inspector_app.core.wording import (
    DEFAULT_BANDS,
    adverb,
    bands_for,
    capitalise,
    complement_words,
    describe_share,
    draft_concern,
    draft_strength,
    finding_sentence,
    hyphenate,
    negate,
    negative_finding,
    positive_finding,
    proportion_words,
    share_phrase,
    with_adverb,
)

FRAMEWORK = load_builtin("iaow-2013")
SHIPPED = FRAMEWORK.wording or ()
TABLES = pytest.mark.parametrize("bands", [SHIPPED, DEFAULT_BANDS], ids=["shipped", "default"])


@dataclass(frozen=True)
class Share:
    sufficient: int
    denominator: int


def words(numerator: int, denominator: int) -> str:
    return proportion_words(numerator, denominator, SHIPPED)


# --- band edges -------------------------------------------------------------------------------

BAND_EDGES = [
    # zero and just above it
    (0, 30, "none"),
    (0, 5, "none"),
    (1, 1000, "very few"),
    (1, 30, "very few"),
    # the 0.15 boundary: below is "very few", from it the nearest fraction (one-fifth)
    (149, 1000, "very few"),
    (14, 100, "very few"),
    (15, 100, "nearly one-fifth"),
    (3, 20, "nearly one-fifth"),
    (151, 1000, "nearly one-fifth"),
    # the 0.85 boundary: below is still a fraction, from it "most"
    (84, 100, "more than four-fifths"),
    (849, 1000, "more than four-fifths"),
    (17, 20, "most"),
    (85, 100, "most"),
    (851, 1000, "most"),
    # the 0.90 boundary
    (899, 1000, "most"),
    (89, 100, "most"),
    (9, 10, "nearly all"),
    (90, 100, "nearly all"),
    (901, 1000, "nearly all"),
    # one and just below it
    (999, 1000, "nearly all"),
    (29, 30, "nearly all"),
    (30, 30, "all"),
    (5, 5, "all"),
    # half is its own band
    (15, 30, "half"),
    (50, 100, "half"),
]


@pytest.mark.parametrize(("numerator", "denominator", "expected"), BAND_EDGES)
@TABLES
def test_band_edges(
    bands: tuple[WordingBand, ...], numerator: int, denominator: int, expected: str
) -> None:
    assert proportion_words(numerator, denominator, bands) == expected


# --- nearest fraction: within 1 point, below, above, ties --------------------------------------

NEAREST = [
    ("one-fifth", 200),
    ("one-quarter", 250),
    ("one-third", None),
    ("half", 500),
    ("two-thirds", None),
    ("three-quarters", 750),
    ("four-fifths", 800),
]


@pytest.mark.parametrize(("name", "thousandths"), [n for n in NEAREST if n[1] is not None])
def test_each_fraction_on_both_sides(name: str, thousandths: int) -> None:
    exact = words(thousandths, 1000)
    assert exact == name
    # within 1 point (0.01) on either side, the boundary itself included
    assert words(thousandths - 10, 1000) == name
    assert words(thousandths + 10, 1000) == name
    assert words(thousandths - 5, 1000) == name
    # further than 1 point
    assert words(thousandths - 11, 1000) == f"nearly {name}"
    assert words(thousandths + 11, 1000) == f"more than {name}"


def test_thirds_on_both_sides() -> None:
    assert words(2, 6) == "one-third"
    assert words(10, 30) == "one-third"
    assert words(343, 1000) == "one-third"  # 0.00967 above
    assert words(324, 1000) == "one-third"  # 0.00933 below
    assert words(344, 1000) == "more than one-third"  # 0.0107 above
    assert words(323, 1000) == "nearly one-third"  # 0.0103 below
    assert words(4, 6) == "two-thirds"
    assert words(20, 30) == "two-thirds"
    assert words(676, 1000) == "two-thirds"
    assert words(657, 1000) == "two-thirds"
    assert words(677, 1000) == "more than two-thirds"
    assert words(656, 1000) == "nearly two-thirds"


def test_one_point_is_decided_exactly_not_in_floating_point() -> None:
    # 0.26 - 0.25 and 0.25 - 0.24 are just over 0.01 as floats; the rule says "within".
    assert 0.26 - 0.25 > 0.01
    assert words(13, 50) == "one-quarter"
    assert words(6, 25) == "one-quarter"
    assert words(21, 100) == "one-fifth"
    assert words(79, 100) == "four-fifths"
    assert words(81, 100) == "four-fifths"


TIES = [
    # the midpoint between two fractions goes to the lower one, then "more than"
    ((9, 40), "more than one-fifth"),  # 0.225 between 1/5 and 1/4
    ((7, 24), "more than one-quarter"),  # between 1/4 and 1/3
    ((5, 12), "more than one-third"),  # between 1/3 and 1/2
    ((7, 12), "more than half"),  # between 1/2 and 2/3
    ((17, 24), "more than two-thirds"),  # between 2/3 and 3/4
    ((31, 40), "more than three-quarters"),  # 0.775 between 3/4 and 4/5
]


@pytest.mark.parametrize(("share", "expected"), TIES)
@TABLES
def test_ties_go_to_the_lower_fraction(
    bands: tuple[WordingBand, ...], share: tuple[int, int], expected: str
) -> None:
    assert proportion_words(*share, bands) == expected


def test_either_side_of_a_midpoint() -> None:
    assert words(224, 1000) == "more than one-fifth"
    assert words(226, 1000) == "nearly one-quarter"
    assert words(774, 1000) == "more than three-quarters"
    assert words(776, 1000) == "nearly four-fifths"
    assert words(583, 1000) == "more than half"
    assert words(584, 1000) == "nearly two-thirds"


def test_press_release_shares() -> None:
    assert words(21, 30) == "more than two-thirds"
    assert words(7, 28) == "one-quarter"
    assert words(9, 20) == "nearly half"
    assert words(14, 30) == "nearly half"
    assert words(16, 30) == "more than half"


# --- small denominators -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [(3, 4, "3 of 4"), (0, 4, "0 of 4"), (4, 4, "4 of 4"), (1, 1, "1 of 1"), (2, 3, "2 of 3")],
)
@TABLES
def test_small_denominators_give_the_count(
    bands: tuple[WordingBand, ...], numerator: int, denominator: int, expected: str
) -> None:
    assert proportion_words(numerator, denominator, bands) == expected
    assert describe_share(numerator, denominator, bands).kind == "count"


def test_five_cases_use_words() -> None:
    # 0.4 is nearer one-third (0.067) than half (0.1); 0.6 nearer two-thirds than half.
    assert [words(n, 5) for n in range(6)] == [
        "none",
        "one-fifth",
        "more than one-third",
        "nearly two-thirds",
        "four-fifths",
        "all",
    ]


def test_no_cases_and_impossible_shares_are_refused() -> None:
    with pytest.raises(ValueError, match="no cases"):
        proportion_words(0, 0)
    with pytest.raises(ValueError, match="impossible"):
        proportion_words(5, 4)
    with pytest.raises(ValueError, match="impossible"):
        proportion_words(-1, 4)


def test_a_table_with_a_gap_is_refused() -> None:
    gappy = (WordingBand(words="none", equals=0.0),)
    with pytest.raises(ValueError, match="no band"):
        proportion_words(1, 10, gappy)


# --- the default table and the framework's table ----------------------------------------------


def test_default_table_agrees_with_the_shipped_one() -> None:
    for denominator in range(1, 121):
        for numerator in range(denominator + 1):
            assert proportion_words(numerator, denominator, DEFAULT_BANDS) == words(
                numerator, denominator
            ), (numerator, denominator)


def test_framework_without_a_table_uses_the_default() -> None:
    bare: Framework = replace(FRAMEWORK, wording=None)
    assert bands_for(bare) is DEFAULT_BANDS
    assert bands_for(None) is DEFAULT_BANDS
    assert bands_for(FRAMEWORK) is FRAMEWORK.wording


def test_words_come_from_the_table_not_the_code() -> None:
    custom = (
        WordingBand(words="geen", equals=0.0),
        WordingBand(
            from_=0.0,
            below=1.0,
            tolerance=0.05,
            nearly="bijna",
            more="ruim",
            nearest=(WordingFraction(0.5, "de helft"),),
        ),
        WordingBand(words="alle", equals=1.0, adverb="altijd"),
    )
    assert proportion_words(0, 10, custom) == "geen"
    assert proportion_words(5, 10, custom) == "de helft"
    assert proportion_words(54, 100, custom) == "de helft"
    assert proportion_words(3, 10, custom) == "bijna de helft"
    assert proportion_words(7, 10, custom) == "ruim de helft"
    assert adverb(10, 10, custom) == "altijd"


# --- adverbs ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [
        (30, 30, "always"),
        (29, 30, "nearly always"),
        (9, 10, "nearly always"),
        (0, 30, "never"),
        (17, 20, None),  # most: no adverb form
        (21, 30, None),
        (1, 30, None),
        (4, 4, None),  # small denominators keep the count
    ],
)
@TABLES
def test_adverbs(
    bands: tuple[WordingBand, ...], numerator: int, denominator: int, expected: str | None
) -> None:
    assert adverb(numerator, denominator, bands) == expected


def test_adverb_goes_after_the_auxiliary() -> None:
    phrase = "alcohol misuse was taken into account sufficiently in assessments"
    assert with_adverb(phrase, "nearly always") == (
        "alcohol misuse was nearly always taken into account sufficiently in assessments"
    )
    assert with_adverb("individuals had made progress", "always") == (
        "individuals had always made progress"
    )
    assert with_adverb("interventions started without unnecessary delay", "always") is None
    assert with_adverb("there was no evidence of further offending", "always") is None


# --- complements and negative findings --------------------------------------------------------


def test_complement_is_the_insufficient_share() -> None:
    assert complement_words(21, 28, SHIPPED) == "one-quarter"
    assert complement_words(28, 28, SHIPPED) == "none"
    assert complement_words(0, 28, SHIPPED) == "all"
    assert complement_words(11, 20, SHIPPED) == "nearly half"
    assert complement_words(3, 4, SHIPPED) == "1 of 4"


def test_negation() -> None:
    assert negate("interventions to address alcohol misuse were delivered") == (
        "interventions to address alcohol misuse were not delivered"
    )
    assert negate("there had been a reduction in drug misuse") == (
        "there had not been a reduction in drug misuse"
    )
    # the inspectorate's wording for missing evidence
    assert negate("there was evidence of effective management scrutiny") == (
        "there was insufficient evidence of effective management scrutiny"
    )
    assert negate("sentence plans included objectives") is None  # no auxiliary
    assert negate("there was no evidence of further offending") is None  # already negative


def test_negative_findings_in_the_press_release_voice() -> None:
    alcohol = "interventions to address alcohol misuse were delivered"
    assert negative_finding(alcohol, 21, 28, SHIPPED, cases="relevant cases") == (
        "interventions to address alcohol misuse were not delivered in one-quarter of relevant "
        "cases"
    )
    label = (
        "cases classified as posing a high risk of serious harm or where there were child "
        "protection issues"
    )
    scrutiny = "there was evidence of effective management scrutiny"
    assert negative_finding(scrutiny, 11, 20, SHIPPED, cases=label, definite=True) == (
        "there was insufficient evidence of effective management scrutiny in nearly half of the "
        + label
    )
    assert negative_finding(alcohol, 0, 12, SHIPPED) == (
        "interventions to address alcohol misuse were never delivered"
    )
    assert negative_finding(alcohol, 3, 4, SHIPPED) == (
        "interventions to address alcohol misuse were not delivered in 1 of 4 cases"
    )


def test_a_concern_that_cannot_be_negated_states_the_sufficient_share() -> None:
    phrase = "sentence plans included objectives to manage the risk of harm"
    draft = draft_concern(phrase, 10, 30, SHIPPED)
    assert draft.text == f"{phrase} in only one-third of cases"
    assert draft.figures == "10 of 30"
    assert draft_concern(phrase, 9, 30, SHIPPED).text == f"{phrase} in nearly one-third of cases"


def test_a_negated_concern_carries_the_insufficient_figures() -> None:
    draft = draft_concern("work was delivered in line with the plan", 21, 28, SHIPPED)
    assert (draft.numerator, draft.denominator, draft.figures) == (7, 28, "7 of 28")


def test_strengths_in_the_press_release_voice() -> None:
    seen = "individuals were seen as often as their risks and needs required"
    assert positive_finding(seen, 28, 30, SHIPPED) == (
        "individuals were nearly always seen as often as their risks and needs required"
    )
    progress = "individuals had made progress on the factors most closely linked to offending"
    assert positive_finding(progress, 21, 30, SHIPPED) == (
        f"{progress} in more than two-thirds of cases"
    )
    assert draft_strength(progress, 21, 30, SHIPPED).figures == "21 of 30"
    started = "interventions started without unnecessary delay"
    assert positive_finding(started, 30, 30, SHIPPED) == f"{started} in all cases"


# --- hyphenation and noun phrases ---------------------------------------------------------------


def test_fractions_are_hyphenated() -> None:
    assert hyphenate("more than two thirds") == "more than two-thirds"
    assert hyphenate("nearly one quarter") == "nearly one-quarter"
    assert hyphenate("three  quarters") == "three-quarters"
    assert hyphenate("nearly all") == "nearly all"
    spaced = (
        WordingBand(
            from_=0.0,
            below=1.0,
            more="more than",
            nearly="nearly",
            nearest=(WordingFraction(2 / 3, "two thirds"), WordingFraction(0.25, "one quarter")),
        ),
    )
    assert proportion_words(7, 10, spaced) == "more than two-thirds"
    assert proportion_words(1, 4, spaced) == "one-quarter"


def test_no_output_word_is_an_unhyphenated_fraction() -> None:
    for denominator in range(1, 61):
        for numerator in range(denominator + 1):
            text = words(numerator, denominator)
            assert hyphenate(text) == text, text


def test_share_phrases() -> None:
    assert share_phrase(7, 28, SHIPPED, cases="relevant cases") == "one-quarter of relevant cases"
    assert share_phrase(3, 4, SHIPPED) == "3 of 4 cases"
    assert share_phrase(30, 30, SHIPPED) == "all cases"
    assert share_phrase(29, 30, SHIPPED) == "nearly all cases"
    assert share_phrase(1, 30, SHIPPED) == "very few cases"
    assert share_phrase(0, 30, SHIPPED) == "none of the cases"
    assert share_phrase(15, 30, SHIPPED) == "half of cases"
    assert share_phrase(9, 20, SHIPPED, cases="cases on licence", definite=True) == (
        "nearly half of the cases on licence"
    )
    assert describe_share(15, 30, SHIPPED).kind == "fraction"
    assert describe_share(17, 20, SHIPPED).kind == "quantity"


def test_capitalise_keeps_the_rest() -> None:
    assert capitalise("information from Children's Services") == (
        "Information from Children's Services"
    )
    assert capitalise("") == ""


# --- drafted finding sentences ----------------------------------------------------------------


def question(code: str) -> Question:
    return FRAMEWORK.question(code)


def test_finding_sentence_for_a_high_share() -> None:
    assert finding_sentence(question("E1"), Share(21, 30), SHIPPED) == (
        "In more than two-thirds of cases (21 of 30), individuals had made progress on the "
        "factors most closely linked to their offending."
    )


def test_finding_sentence_for_a_conditional_question_says_relevant_cases() -> None:
    assert finding_sentence(question("D4"), Share(21, 28), SHIPPED) == (
        "In three-quarters of relevant cases (21 of 28), interventions to address alcohol "
        "misuse were delivered."
    )


def test_finding_sentence_for_a_low_share_reads_naturally() -> None:
    assert finding_sentence(question("D4"), Share(7, 28), SHIPPED) == (
        "In only one-quarter of relevant cases (7 of 28), interventions to address alcohol "
        "misuse were delivered."
    )
    assert finding_sentence(question("E1"), Share(9, 30), SHIPPED) == (
        "In nearly one-third of cases (9 of 30), individuals had made progress on the factors "
        "most closely linked to their offending."
    )
    assert finding_sentence(question("E1"), Share(2, 30), SHIPPED).startswith(
        "In very few cases (2 of 30), individuals"
    )
    assert finding_sentence(question("G2"), Share(0, 9), SHIPPED) == (
        "There were no relevant cases (0 of 9) in which key assessments were countersigned by "
        "a manager where required."
    )


def test_finding_sentence_for_small_denominators() -> None:
    assert finding_sentence(question("E1"), Share(3, 4), SHIPPED) == (
        "In 3 of 4 cases, individuals had made progress on the factors most closely linked to "
        "their offending."
    )
    assert finding_sentence(question("E1"), Share(1, 4), SHIPPED).startswith(
        "In only 1 of 4 cases, individuals"
    )


def test_finding_sentence_with_no_relevant_cases() -> None:
    assert finding_sentence(question("F1"), Share(0, 0), SHIPPED) == (
        "There were no relevant cases in which to judge whether victims were offered contact "
        "with the victim liaison service."
    )


def test_finding_sentence_for_a_subgroup() -> None:
    label = "cases supervised on licence"
    assert finding_sentence(question("E1"), Share(14, 30), SHIPPED, cases=label, definite=True) == (
        "In nearly half of the cases supervised on licence (14 of 30), individuals had made "
        "progress on the factors most closely linked to their offending."
    )
    assert finding_sentence(question("E1"), Share(30, 30), SHIPPED, cases=label).startswith(
        "In all cases supervised on licence (30 of 30), "
    )


def test_negative_polarity_question_uses_its_sufficient_phrase() -> None:
    d7 = question("D7")
    assert d7.polarity == "negative"
    assert finding_sentence(d7, Share(20, 30), SHIPPED) == (
        "In two-thirds of cases (20 of 30), interventions were started promptly."
    )


def test_every_scored_question_gets_a_proper_sentence_at_every_share() -> None:
    for q in FRAMEWORK.questions():
        if not q.scored:
            continue
        for share in (Share(0, 0), Share(0, 10), Share(3, 4), Share(5, 10), Share(10, 10)):
            sentence = finding_sentence(q, share, SHIPPED)
            assert sentence[0].isupper() and sentence.endswith("."), sentence
            assert ".." not in sentence and "  " not in sentence, sentence
            if share.denominator:
                assert f"{share.sufficient} of {share.denominator}" in sentence, sentence


def test_question_without_a_finding_phrase_still_gets_a_sentence() -> None:
    bare = replace(question("E1"), finding=None)
    assert finding_sentence(bare, Share(21, 30), SHIPPED) == (
        "In more than two-thirds of cases (21 of 30), the work met the standard of question E1."
    )
