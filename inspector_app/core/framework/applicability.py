"""Decides which questions apply to a case, and says why one does not.

Conditions are data (see `model`), interpreted here by a few lines of code, never by `eval`. An
unknown profile value never makes a test true: a question that depends on a fact nobody has
recorded is not silently applied or skipped on a guess; `not` is the one way to ask for it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import cast

from inspector_app.core.framework.model import (
    All,
    AnswerTest,
    Any,
    Condition,
    FieldTest,
    Framework,
    Not,
    Question,
)
from inspector_app.core.framework.profile import FIELDS_BY_NAME


def applies(
    condition: Condition | None,
    profile: Mapping[str, object],
    answers: Mapping[str, str | None],
) -> bool:
    """True if a question with this condition applies to a case (no condition: always)."""
    if condition is None:
        return True
    if isinstance(condition, All):
        return all(applies(item, profile, answers) for item in condition.items)
    if isinstance(condition, Any):
        return any(applies(item, profile, answers) for item in condition.items)
    if isinstance(condition, Not):
        return not applies(condition.item, profile, answers)
    if isinstance(condition, FieldTest):
        return _field_holds(condition, profile.get(condition.field))
    if isinstance(condition, AnswerTest):
        return _answer_holds(condition, answers.get(condition.question))
    raise TypeError(f"not a condition: {condition!r}")


def _same(a: object, b: object) -> bool:
    """Equality that keeps True apart from 1, so a flag never matches a number."""
    return a == b and isinstance(a, bool) == isinstance(b, bool)


def _field_holds(test: FieldTest, value: object) -> bool:
    if value is None:
        return False
    if test.op == "is":
        return _same(value, test.value)
    if test.op in ("in", "not_in"):
        found = any(_same(value, v) for v in cast(tuple[object, ...], test.value))
        return found if test.op == "in" else not found
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    bound = cast(float, test.value)
    if test.op == "gte":
        return value >= bound
    if test.op == "lte":
        return value <= bound
    raise ValueError(f"unknown operator {test.op!r}")


def _answer_holds(test: AnswerTest, value: str | None) -> bool:
    present = value is not None and value != ""
    if test.op == "answered":
        return present == test.value
    if not present:
        return False
    if test.op == "is":
        return value == test.value
    if test.op == "in":
        return value in cast(tuple[str, ...], test.value)
    if test.op == "not_in":
        return value not in cast(tuple[str, ...], test.value)
    raise ValueError(f"unknown operator {test.op!r}")


def applicability(
    framework: Framework,
    profile: Mapping[str, object],
    answers: Mapping[str, str | None],
) -> dict[str, bool]:
    """Question code -> applies, in framework order. An answer to a question that does not
    apply counts as absent for the questions after it (a stale answer left from before the
    profile changed must not switch later questions on)."""
    result: dict[str, bool] = {}
    effective: dict[str, str | None] = {}
    for question in framework.questions():
        ok = applies(question.applies_if, profile, effective)
        result[question.code] = ok
        if ok and question.code in answers:
            effective[question.code] = answers[question.code]
    return result


def applicable_questions(
    framework: Framework,
    profile: Mapping[str, object],
    answers: Mapping[str, str | None],
) -> list[Question]:
    """The questions that apply to a case, in framework order."""
    flags = applicability(framework, profile, answers)
    return [q for q in framework.questions() if flags[q.code]]


# --- explanations -----------------------------------------------------------------------------


def explain(condition: Condition | None, framework: Framework | None = None) -> str:
    """A short sentence saying when a question applies, for the GUI to show beside one that does
    not. With `framework`, answer values are shown by their labels ("Yes", not "yes")."""
    if condition is None:
        return "Applies to every case"
    return "Applies only where " + _describe(condition, framework, nested=False)


def _join(parts: list[str], word: str) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + f" {word} " + parts[-1]


def _describe(condition: Condition, framework: Framework | None, nested: bool) -> str:
    if isinstance(condition, All | Any):
        parts = [_describe(item, framework, nested=True) for item in condition.items]
        text = " and ".join(parts) if isinstance(condition, All) else ", or ".join(parts)
        return f"({text})" if nested and len(parts) > 1 else text
    if isinstance(condition, Not):
        return _describe_leaf(condition.item, framework, negated=True) or (
            "not " + _describe(condition.item, framework, nested=True)
        )
    leaf = _describe_leaf(condition, framework, negated=False)
    assert leaf is not None
    return leaf


def _describe_leaf(condition: Condition, framework: Framework | None, negated: bool) -> str | None:
    """Describes a field or answer test (negated if asked); None for a combinator."""
    if isinstance(condition, FieldTest):
        spec = FIELDS_BY_NAME.get(condition.field)
        subject = spec.label if spec else condition.field
        return f"{subject} {_phrase(condition.op, condition.value, negated, _field_word)}"
    if isinstance(condition, AnswerTest):
        if condition.op == "answered":
            answered = bool(condition.value) != negated
            return f"{condition.question} {'has' if answered else 'has not'} been answered"
        show = _answer_word(condition, framework)
        phrase = _phrase(condition.op, condition.value, negated, show)
        return f"the answer to {condition.question} {phrase}"
    return None


def _phrase(op: str, value: object, negated: bool, show: Callable[[object], str]) -> str:
    if op in ("in", "not_in"):
        listed = _join([show(v) for v in cast(tuple[object, ...], value)], "or")
        positive = (op == "in") != negated
        return f"is {listed}" if positive else f"is not {listed}"
    if op == "is":
        return f"is not {show(value)}" if negated else f"is {show(value)}"
    if op == "gte":
        return f"is less than {value}" if negated else f"is {value} or more"
    if op == "lte":
        return f"is more than {value}" if negated else f"is {value} or less"
    return f"{op} {value}"


def _field_word(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _answer_word(test: AnswerTest, framework: Framework | None) -> Callable[[object], str]:
    def word(value: object) -> str:
        if framework is not None and framework.has_question(test.question):
            return framework.scale_of(test.question).label_of(str(value))
        return str(value)

    return word
