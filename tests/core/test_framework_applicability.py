"""The applies_if evaluator: each operator and combinator, unknown profile values, answers to
earlier questions, the explanations shown in the GUI, and a few properties checked by
hypothesis (including a round trip of random conditions through the TOML loader)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspector_app.core.errors import FrameworkError
from inspector_app.core.framework import (
    All,
    AnswerTest,
    Any,
    Condition,
    FieldTest,
    Not,
    applicability,
    applicable_questions,
    applies,
    explain,
    load_builtin,
    load_framework_text,
    profile,
)

HIGH = FieldTest("rosh", "in", ("High", "Very high"))
CHILD = FieldTest("child_protection", "is", True)


def ok(
    condition: Condition | None, answers: dict[str, str | None] | None = None, **values: object
) -> bool:
    return applies(condition, values, answers or {})


# --- field tests ------------------------------------------------------------------------------


def test_no_condition_always_applies() -> None:
    assert ok(None)


def test_is() -> None:
    assert ok(FieldTest("rosh", "is", "High"), rosh="High")
    assert not ok(FieldTest("rosh", "is", "High"), rosh="Low")
    assert ok(CHILD, child_protection=True)
    assert not ok(CHILD, child_protection=False)


def test_is_keeps_flags_apart_from_numbers() -> None:
    assert not ok(FieldTest("tier", "is", 1), tier=True)
    assert not ok(CHILD, child_protection=1)


def test_in_and_not_in() -> None:
    assert ok(HIGH, rosh="Very high")
    assert not ok(HIGH, rosh="Medium")
    not_high = FieldTest("rosh", "not_in", ("High", "Very high"))
    assert ok(not_high, rosh="Medium")
    assert not ok(not_high, rosh="High")


def test_gte_and_lte() -> None:
    assert ok(FieldTest("tier", "gte", 3), tier=3)
    assert ok(FieldTest("tier", "gte", 3), tier=4)
    assert not ok(FieldTest("tier", "gte", 3), tier=2)
    assert ok(FieldTest("tier", "lte", 2), tier=2)
    assert not ok(FieldTest("tier", "lte", 2), tier=3)


@pytest.mark.parametrize(
    "test",
    [
        FieldTest("rosh", "is", "High"),
        FieldTest("rosh", "in", ("High",)),
        FieldTest("rosh", "not_in", ("High",)),
        FieldTest("mappa_category", "gte", 1),
        FieldTest("mappa_category", "lte", 3),
        CHILD,
        FieldTest("child_protection", "is", False),
    ],
    ids=repr,
)
def test_unknown_value_never_holds(test: FieldTest) -> None:
    assert not ok(test)  # field missing from the profile
    assert not ok(test, **{test.field: None})
    assert ok(Not(test), **{test.field: None})  # `not` is the way to ask for "not known to"


def test_comparisons_ignore_values_of_the_wrong_type() -> None:
    assert not ok(FieldTest("tier", "gte", 1), tier="4")
    assert not ok(FieldTest("tier", "gte", 1), tier=True)


# --- answer tests -----------------------------------------------------------------------------


def test_answer_is_in_not_in() -> None:
    assert ok(AnswerTest("B2.6", "is", "yes"), {"B2.6": "yes"})
    assert not ok(AnswerTest("B2.6", "is", "yes"), {"B2.6": "no"})
    assert ok(AnswerTest("B2.6", "in", ("yes", "na")), {"B2.6": "na"})
    assert not ok(AnswerTest("B2.6", "in", ("yes", "na")), {"B2.6": "no"})
    assert ok(AnswerTest("B2.6", "not_in", ("no",)), {"B2.6": "yes"})
    assert not ok(AnswerTest("B2.6", "not_in", ("no",)), {"B2.6": "no"})


@pytest.mark.parametrize("answers", [{}, {"B2.6": None}, {"B2.6": ""}], ids=repr)
def test_missing_answer(answers: dict[str, str | None]) -> None:
    for op, value in (("is", "yes"), ("in", ("yes",)), ("not_in", ("no",))):
        assert not ok(AnswerTest("B2.6", op, value), answers)  # type: ignore[arg-type]
    assert ok(AnswerTest("B2.6", "answered", False), answers)
    assert not ok(AnswerTest("B2.6", "answered", True), answers)


def test_answered() -> None:
    assert ok(AnswerTest("0.4", "answered", True), {"0.4": "A note"})
    assert not ok(AnswerTest("0.4", "answered", False), {"0.4": "A note"})


# --- combinators ------------------------------------------------------------------------------


def test_all_any_not() -> None:
    both = All((HIGH, CHILD))
    either = Any((HIGH, CHILD))
    assert ok(both, rosh="High", child_protection=True)
    assert not ok(both, rosh="High", child_protection=False)
    assert ok(either, rosh="Low", child_protection=True)
    assert ok(either, rosh="High", child_protection=None)
    assert not ok(either, rosh="Low", child_protection=False)
    assert ok(Not(either), rosh="Low", child_protection=False)
    assert not ok(Not(Not(either)), rosh="Low", child_protection=False)


def test_not_a_condition() -> None:
    with pytest.raises(TypeError):
        applies("rosh == 'High'", {}, {})  # type: ignore[arg-type]


# --- whole framework --------------------------------------------------------------------------

DEPENDENT = """
[framework]
id = "dep"
version = "1"
title = "Dependencies"

[scales.yes_no_na]
positive = "yes"
negative = "no"
excluded = ["na"]
options = [
    { value = "yes", label = "Yes", key = "Y" },
    { value = "no", label = "No", key = "N" },
    { value = "na", label = "Not applicable", key = "A" },
]

[[sections]]
code = "S"
title = "Section"

[[sections.questions]]
code = "Q1"
text = "Is this a high risk case with a plan?"
applies_if = { field = "rosh", in = ["High", "Very high"] }

[[sections.questions]]
code = "Q2"
text = "Was the plan good?"
applies_if = { answer = "Q1", is = "yes" }

[[sections.questions]]
code = "Q3"
text = "Asked when Q2 was not answered"
applies_if = { answer = "Q2", answered = false }

[[sections.questions]]
code = "Q4"
text = "Asked everywhere"
"""


def codes(profile_values: dict[str, object], answers: dict[str, str | None]) -> list[str]:
    framework = load_framework_text(DEPENDENT, "dep.toml")
    return [q.code for q in applicable_questions(framework, profile_values, answers)]


def test_questions_follow_earlier_answers() -> None:
    assert codes({"rosh": "High"}, {}) == ["Q1", "Q3", "Q4"]
    assert codes({"rosh": "High"}, {"Q1": "yes"}) == ["Q1", "Q2", "Q3", "Q4"]
    assert codes({"rosh": "High"}, {"Q1": "yes", "Q2": "no"}) == ["Q1", "Q2", "Q4"]
    assert codes({"rosh": "High"}, {"Q1": "no", "Q2": "no"}) == ["Q1", "Q3", "Q4"]


def test_answer_to_a_question_that_no_longer_applies_is_ignored() -> None:
    # RoSH was lowered after Q1 and Q2 were answered: their answers must not switch Q2 on or
    # Q3 off.
    assert codes({"rosh": "Low"}, {"Q1": "yes", "Q2": "yes"}) == ["Q3", "Q4"]


def test_applicability_map() -> None:
    framework = load_framework_text(DEPENDENT, "dep.toml")
    flags = applicability(framework, {"rosh": None}, {})
    assert flags == {"Q1": False, "Q2": False, "Q3": True, "Q4": True}


def test_shipped_framework_low_risk_case() -> None:
    framework = load_builtin("iaow-2013")
    case = {"rosh": "Low", "tier": 1, "child_protection": False, "alcohol_misuse": False}
    found = {q.code for q in applicable_questions(framework, case, {"A1": "no"})}
    assert {"0.1", "0.2", "A1", "B1.1", "E5"} <= found
    assert not found & {"0.3", "A2", "B1.3", "D4", "D10", "F1", "G1", "G2"}


def test_shipped_framework_high_risk_case() -> None:
    framework = load_builtin("iaow-2013")
    case = {
        "rosh": "Very high",
        "mappa_category": 2,
        "child_protection": True,
        "alcohol_misuse": True,
        "statutory_victim": True,
    }
    answers: dict[str, str | None] = {"0.2": "yes", "A1": "yes", "B2.6": "yes", "F1": "yes"}
    found = {q.code for q in applicable_questions(framework, case, answers)}
    assert {"0.3", "0.4", "A6", "B1.3", "B2.8", "D4", "D10", "F2", "G1", "G2"} <= found
    assert "B1.4" not in found  # drug misuse not recorded


# --- explanations -----------------------------------------------------------------------------


def test_explain_the_brief_example() -> None:
    text = explain(Any((HIGH, CHILD)))
    assert text == (
        "Applies only where RoSH level is High or Very high, or Child protection concerns is yes"
    )


@pytest.mark.parametrize(
    "condition, expected",
    [
        (None, "Applies to every case"),
        (FieldTest("rosh", "is", "High"), "RoSH level is High"),
        (FieldTest("rosh", "in", ("Low", "Medium", "High")), "RoSH level is Low, Medium or High"),
        (FieldTest("rosh", "not_in", ("Low",)), "RoSH level is not Low"),
        (FieldTest("mappa_category", "gte", 1), "MAPPA category is 1 or more"),
        (FieldTest("tier", "lte", 2), "Tier is 2 or less"),
        (FieldTest("drug_misuse", "is", False), "Drug misuse is no"),
        (Not(FieldTest("alcohol_misuse", "is", True)), "Alcohol misuse is not yes"),
        (Not(FieldTest("tier", "gte", 3)), "Tier is less than 3"),
        (Not(FieldTest("rosh", "not_in", ("Low",))), "RoSH level is Low"),
        (AnswerTest("B2.6", "is", "yes"), "the answer to B2.6 is yes"),
        (AnswerTest("B2.6", "not_in", ("no", "na")), "the answer to B2.6 is not no or na"),
        (AnswerTest("0.4", "answered", True), "0.4 has been answered"),
        (Not(AnswerTest("0.4", "answered", True)), "0.4 has not been answered"),
        (
            All((HIGH, Any((CHILD, AnswerTest("G1", "is", "yes"))))),
            (
                "RoSH level is High or Very high and (Child protection concerns is yes, or the "
                "answer to G1 is yes)"
            ),
        ),
        (
            Not(All((HIGH, CHILD))),
            ("not (RoSH level is High or Very high and Child protection concerns is yes)"),
        ),
    ],
)
def test_explain(condition: Condition | None, expected: str) -> None:
    text = explain(condition)
    assert text in (expected, "Applies only where " + expected)


def test_explain_uses_option_labels_with_a_framework() -> None:
    framework = load_builtin("iaow-2013")
    text = explain(framework.question("B2.8").applies_if, framework)
    assert text == "Applies only where the answer to B2.6 is Yes"


# --- properties -------------------------------------------------------------------------------

CONDITION_FIELDS = [f for f in profile.PROFILE_FIELDS if f.kind is not profile.FieldKind.TEXT]


def field_values(field: profile.ProfileField) -> st.SearchStrategy[object]:
    if field.kind is profile.FieldKind.FLAG:
        return st.booleans()
    return st.sampled_from(field.values)


def field_tests(field: profile.ProfileField) -> st.SearchStrategy[FieldTest]:
    values = field_values(field)
    value_lists = st.lists(values, min_size=1, max_size=3, unique=True).map(tuple)
    options = [
        values.map(lambda v: FieldTest(field.name, "is", v)),
        value_lists.map(lambda vs: FieldTest(field.name, "in", vs)),
        value_lists.map(lambda vs: FieldTest(field.name, "not_in", vs)),
    ]
    if field.kind is profile.FieldKind.INTEGER:
        options.append(values.map(lambda v: FieldTest(field.name, "gte", v)))
        options.append(values.map(lambda v: FieldTest(field.name, "lte", v)))
    return st.one_of(options)


leaves = st.sampled_from(CONDITION_FIELDS).flatmap(field_tests)
conditions = st.recursive(
    leaves,
    lambda inner: st.one_of(
        st.lists(inner, min_size=1, max_size=3).map(lambda xs: All(tuple(xs))),
        st.lists(inner, min_size=1, max_size=3).map(lambda xs: Any(tuple(xs))),
        inner.map(Not),
    ),
    max_leaves=8,
)
known_profiles = st.fixed_dictionaries({f.name: field_values(f) for f in CONDITION_FIELDS})
any_profiles = st.fixed_dictionaries(
    {f.name: st.none() | field_values(f) for f in CONDITION_FIELDS}
)


@given(st.sampled_from(CONDITION_FIELDS).flatmap(field_tests), known_profiles)
def test_not_in_is_the_opposite_of_in_for_known_values(
    test: FieldTest, values: dict[str, object]
) -> None:
    if test.op not in ("in", "not_in"):
        return
    other = FieldTest(test.field, "not_in" if test.op == "in" else "in", test.value)
    assert applies(test, values, {}) != applies(other, values, {})


@given(conditions, known_profiles)
def test_not_inverts(condition: Condition, values: dict[str, object]) -> None:
    assert applies(Not(condition), values, {}) is (not applies(condition, values, {}))


@given(st.lists(conditions, min_size=1, max_size=4), any_profiles)
def test_any_and_all_match_python(items: list[Condition], values: dict[str, object]) -> None:
    results = [applies(item, values, {}) for item in items]
    assert applies(Any(tuple(items)), values, {}) == any(results)
    assert applies(All(tuple(items)), values, {}) == all(results)


def to_toml(condition: Condition) -> str:
    """Writes a condition as an inline TOML table, as a framework author would."""
    if isinstance(condition, All | Any):
        head = "all" if isinstance(condition, All) else "any"
        return f"{{ {head} = [{', '.join(to_toml(c) for c in condition.items)}] }}"
    if isinstance(condition, Not):
        return f"{{ not = {to_toml(condition.item)} }}"
    assert isinstance(condition, FieldTest)
    value = json.dumps(condition.value)
    return f"{{ field = {json.dumps(condition.field)}, {condition.op} = {value} }}"


FRAME = """
[framework]
id = "prop"
version = "1"
title = "Property"

[scales.yes_no_na]
positive = "yes"
negative = "no"
options = [
    {{ value = "yes", label = "Yes", key = "Y" }},
    {{ value = "no", label = "No", key = "N" }},
]

[[sections]]
code = "S"
title = "Section"

[[sections.questions]]
code = "Q1"
text = "Question?"
applies_if = {condition}
"""


@settings(max_examples=60)
@given(conditions)
def test_conditions_round_trip_through_the_loader(condition: Condition) -> None:
    text = FRAME.format(condition=to_toml(condition))
    assert load_framework_text(text, "prop.toml").question("Q1").applies_if == condition


@given(st.sampled_from(["all", "any"]), conditions)
def test_empty_combinator_is_refused_at_any_depth(head: str, condition: Condition) -> None:
    text = FRAME.format(condition=f"{{ all = [{to_toml(condition)}, {{ {head} = [] }}] }}")
    with pytest.raises(FrameworkError, match=f"'{head}' needs at least one condition"):
        load_framework_text(text, "prop.toml")


ANSWER_VALUES = st.sampled_from(["yes", "no", "na", "", None])


@settings(max_examples=60)
@given(
    any_profiles,
    st.dictionaries(st.sampled_from(["0.2", "A1", "B2.3", "B2.6", "F1", "G1"]), ANSWER_VALUES),
)
def test_answers_to_inapplicable_questions_change_nothing(
    values: dict[str, object], answers: dict[str, str | None]
) -> None:
    framework = load_builtin("iaow-2013")
    shown = applicable_questions(framework, values, answers)
    kept = {code: a for code, a in answers.items() if code in {q.code for q in shown}}
    assert applicable_questions(framework, values, kept) == shown
