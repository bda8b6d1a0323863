"""House-style wording: every band edge, both sides of every fraction, the
ties, small denominators, adverbs, complements, hyphenation and drafted sentences."""

from __future__ import annotations

from dataclasses import dataclass, replace
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inspector_app.core.findings.percentages import percent_of
from inspector_app.core.findings.wording import (
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
from inspector_app.core.framework import (
    Framework,
    Question,
    WordingBand,
    WordingFraction,
    load_builtin,
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


# --- the printed percentage decides the words --------------------------------------------------

# Every printed percentage and its words under the shipped table: the house convention, whole.
PRINTED = [
    (0, "none"),
    (1, "very few"),
    (14, "very few"),
    (15, "nearly one-fifth"),
    (19, "nearly one-fifth"),
    (20, "one-fifth"),
    (21, "more than one-fifth"),
    (22, "nearly one-quarter"),
    (25, "one-quarter"),
    (26, "more than one-quarter"),
    (30, "more than one-quarter"),
    (31, "nearly one-third"),
    (33, "one-third"),
    (34, "more than one-third"),
    (37, "nearly two-fifths"),
    (40, "two-fifths"),
    (41, "more than two-fifths"),
    (46, "more than two-fifths"),
    (47, "nearly half"),
    (50, "half"),
    (51, "more than half"),
    (57, "nearly three-fifths"),
    (60, "three-fifths"),
    (61, "more than three-fifths"),
    (64, "nearly two-thirds"),
    (67, "two-thirds"),
    (68, "more than two-thirds"),
    (71, "more than two-thirds"),
    (72, "nearly three-quarters"),
    (75, "three-quarters"),
    (76, "more than three-quarters"),
    (77, "nearly four-fifths"),
    (80, "four-fifths"),
    (81, "more than four-fifths"),
    (89, "more than four-fifths"),
    (90, "nearly all"),
    (99, "nearly all"),
    (100, "all"),
]


@pytest.mark.parametrize(("printed", "expected"), PRINTED)
@TABLES
def test_words_for_each_printed_percentage(
    bands: tuple[WordingBand, ...], printed: int, expected: str
) -> None:
    assert proportion_words(printed, 100, bands) == expected


def test_the_same_printed_figure_reads_the_same_whatever_the_counts() -> None:
    """The issue's cases: 74% read both "three-quarters" and "nearly three-quarters"; 76% both
    "three-quarters" and "more than three-quarters"; 68% both "two-thirds" and "more than
    two-thirds"; 85% "more than four-fifths" beside an appendix saying "most"."""
    assert words(37, 50) == words(74, 100) == words(20, 27) == "nearly three-quarters"
    assert words(19, 25) == words(76, 100) == words(38, 50) == "more than three-quarters"
    assert words(17, 25) == words(68, 100) == words(34, 50) == "more than two-thirds"
    assert words(17, 20) == words(85, 100) == "more than four-fifths"
    assert words(66, 80) == "more than four-fifths"  # 82.5% prints 83%
    assert words(3, 5) == "three-fifths"  # 60% is on a fraction, not "nearly two-thirds"


def test_none_and_all_are_facts_not_roundings() -> None:
    assert words(1, 1000) == "very few"  # prints 0%, but one case is not none
    assert words(999, 1000) == "nearly all"  # prints 100%, but not every case
    assert words(0, 300) == "none"
    assert words(300, 300) == "all"


def _printed(numerator: int, denominator: int) -> int:
    return percent_of(numerator, denominator) or 0


def test_words_depend_only_on_the_printed_percentage_and_never_weaken() -> None:
    """Every share with a base from 5 to 200: equal printed figures get equal words, every
    printed percentage from 0 to 100 has exactly one phrase, and a higher figure never gets
    weaker words."""
    seen: dict[int, set[str]] = {}
    for denominator in range(5, 201):
        for numerator in range(denominator + 1):
            printed = _printed(numerator, denominator)
            if 0 < numerator < denominator and printed in (0, 100):
                continue  # "none" and "all" are kept for none and all
            seen.setdefault(printed, set()).add(words(numerator, denominator))
    assert sorted(seen) == list(range(101))
    assert all(len(phrases) == 1 for phrases in seen.values()), {
        p: w for p, w in seen.items() if len(w) > 1
    }
    sequence = [next(iter(seen[p])) for p in range(101)]
    # Each phrase holds one unbroken run of percentages, and the runs rise in strength.
    runs = [w for i, w in enumerate(sequence) if i == 0 or w != sequence[i - 1]]
    assert len(runs) == len(set(runs))
    strength = {w: i for i, w in enumerate(runs)}
    for low in range(101):
        for high in range(low, 101):
            assert strength[sequence[low]] <= strength[sequence[high]]


@given(st.integers(1, 200).flatmap(lambda d: st.tuples(st.integers(0, d), st.just(d))))
def test_qualifiers_stay_near_their_fraction(share: tuple[int, int]) -> None:
    """ "nearly X" is never more than 3 points below X; "more than X" is above X."""
    numerator, denominator = share
    if denominator < 5:
        return
    printed = _printed(numerator, denominator)
    phrase = words(numerator, denominator)
    fractions = {"one-fifth": 20, "one-quarter": 25, "one-third": 100 / 3, "two-fifths": 40,
                 "half": 50, "three-fifths": 60, "two-thirds": 200 / 3, "three-quarters": 75,
                 "four-fifths": 80}  # fmt: skip
    for name, value in fractions.items():
        if phrase == f"nearly {name}":
            assert 0 < value - printed <= 3 or (name == "one-fifth" and printed >= 15)
        if phrase == f"more than {name}":
            assert printed > value


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [(1, 2, 50), (1, 8, 13), (3, 8, 38), (5, 8, 63), (7, 8, 88), (66, 80, 83), (35, 56, 63),
     (1, 200, 1), (199, 200, 100), (5, 40, 13), (1, 3, 33), (2, 3, 67), (0, 7, 0)],
)  # fmt: skip
def test_percentages_round_half_up(numerator: int, denominator: int, expected: int) -> None:
    assert percent_of(numerator, denominator) == expected


def test_every_half_rounds_up() -> None:
    for denominator in range(2, 201, 2):
        for numerator in range(denominator + 1):
            exact = Fraction(100 * numerator, denominator)
            if exact.denominator == 2:  # a .5 boundary
                assert percent_of(numerator, denominator) == int(exact + Fraction(1, 2))


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
    # Fifths are fractions of their own: 40% and 60% read as printed.
    assert [words(n, 5) for n in range(6)] == [
        "none",
        "one-fifth",
        "two-fifths",
        "three-fifths",
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
    assert proportion_words(54, 100, custom) == "ruim de helft"  # 54% is not 50%
    assert proportion_words(46, 100, custom) == "bijna de helft"  # within the tolerance
    assert proportion_words(3, 10, custom) == "bijna de helft"  # nothing lower to be above
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
    assert complement_words(11, 20, SHIPPED) == "more than two-fifths"  # 45%
    assert complement_words(10, 20, SHIPPED) == "half"
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
    assert negative_finding(scrutiny, 21, 40, SHIPPED, cases=label, definite=True) == (
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
    assert draft_concern(phrase, 31, 100, SHIPPED).text == (
        f"{phrase} in nearly one-third of cases"
    )
    # "in more than half of cases" would read as praise under "concerned to find that"
    late = "the delivery of services effectively supported desistance"
    assert draft_concern(late, 18, 31, SHIPPED).text == f"{late} in only 18 of 31 cases"
    assert draft_concern(late, 21, 31, SHIPPED, cases="women", definite=True).text == (
        f"{late} in only 21 of the 31 women"
    )
    # Every case sufficient is no shortfall to stress (a direct call: proposals never ask).
    assert draft_concern(late, 2, 2, SHIPPED).text == f"{late} in both cases"
    assert draft_concern(late, 31, 31, SHIPPED).text == f"{late} in all 31 cases"


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
    assert positive_finding(started, 30, 30, SHIPPED) == f"{started} in all 30 cases"


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
    assert share_phrase(30, 30, SHIPPED) == "all 30 cases"
    assert share_phrase(1, 1, SHIPPED, cases="relevant cases") == "the one relevant case"
    assert share_phrase(2, 2, SHIPPED, cases="relevant cases") == "both relevant cases"
    assert share_phrase(29, 30, SHIPPED) == "nearly all cases"
    assert share_phrase(1, 30, SHIPPED) == "very few cases"
    assert share_phrase(0, 30, SHIPPED) == "none of the 30 cases"
    assert share_phrase(15, 30, SHIPPED) == "half of cases"
    assert share_phrase(19, 40, SHIPPED, cases="cases on licence", definite=True) == (
        "nearly half of the cases on licence"
    )
    assert describe_share(15, 30, SHIPPED).kind == "fraction"
    assert describe_share(17, 20, SHIPPED).kind == "fraction"  # more than four-fifths of
    assert describe_share(19, 20, SHIPPED).kind == "quantity"  # nearly all


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
    assert finding_sentence(question("E1"), Share(10, 31), SHIPPED) == (
        "In nearly one-third of cases (10 of 31), individuals had made progress on the factors "
        "most closely linked to their offending."
    )
    assert finding_sentence(question("E1"), Share(2, 30), SHIPPED).startswith(
        "In very few cases (2 of 30), individuals"
    )
    # No work done reads as the denial, never "there were no relevant cases".
    assert finding_sentence(question("G2"), Share(0, 9), SHIPPED) == (
        "Key assessments were not countersigned by a manager where required in any of the 9 "
        "relevant cases."
    )


def test_finding_sentence_for_small_denominators() -> None:
    assert finding_sentence(question("E1"), Share(3, 4), SHIPPED) == (
        "In 3 of 4 cases, individuals had made progress on the factors most closely linked to "
        "their offending."
    )
    assert finding_sentence(question("E1"), Share(1, 4), SHIPPED).startswith(
        "In only 1 of 4 cases, individuals"
    )


def test_a_finding_about_cases_makes_them_its_subject_when_all_were_sufficient() -> None:
    """'In both relevant cases, they were managed ...': the 'they' has nothing to refer to."""
    mappa = next(q for q in FRAMEWORK.questions() if (q.finding or "").startswith("cases were"))
    assert finding_sentence(mappa, Share(2, 2), SHIPPED) == (
        "Both relevant cases were managed at the right MAPPA level."
    )
    assert finding_sentence(mappa, Share(1, 1), SHIPPED) == (
        "The one relevant case was managed at the right MAPPA level."
    )
    assert finding_sentence(mappa, Share(3, 4), SHIPPED) == (
        "In 3 of 4 relevant cases, they were managed at the right MAPPA level."
    )


def test_no_work_done_in_two_cases_reads_either_of_them() -> None:
    assert finding_sentence(question("G2"), Share(0, 2), SHIPPED) == (
        "Key assessments were not countersigned by a manager where required in either of the 2 "
        "relevant cases."
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
        "In all 30 cases supervised on licence, "
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
            if share.denominator and 0 < share.sufficient < share.denominator:
                assert f"{share.sufficient} of {share.denominator}" in sentence, sentence
            elif share.denominator:  # none or all: the count is in the words
                assert str(share.denominator) in sentence, sentence
            assert f"{share.denominator} of {share.denominator}" not in sentence, sentence


def test_question_without_a_finding_phrase_still_gets_a_sentence() -> None:
    bare = replace(question("E1"), finding=None)
    assert finding_sentence(bare, Share(21, 30), SHIPPED) == (
        "In more than two-thirds of cases (21 of 30), the work met the standard of question E1."
    )


def test_the_reports_wording_appendix_is_the_table_in_use() -> None:
    """Every row of the appendix is a run of printed percentages that the table describes with
    exactly those words, and the rows cover 0 to 100 with no gap."""
    from inspector_app.core.report.data import wording_table

    rows = wording_table(SHIPPED)
    covered: list[int] = []
    for span, phrase in rows:
        if span.startswith("Fewer than"):
            assert phrase.startswith("the count itself")
            continue
        low, _, high = span.replace("%", "").partition(" to ")
        for printed in range(int(low), int(high or low) + 1):
            described = describe_share(printed, 100, SHIPPED)
            expected = described.words + (f" (or '{described.adverb}')" if described.adverb else "")
            assert phrase == expected, (printed, phrase)
            covered.append(printed)
    assert covered == list(range(101))
    assert ("81% to 89%", "more than four-fifths") in rows  # never "most" below it
