"""The content of the shipped 2013 framework: rules the loader cannot know but the report and
the assessors rely on (findings that read as sentences, notes where the answer is bad,
applicability that matches the subject of each question)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

import pytest

from inspector_app.core.framework import (
    All,
    AnswerTest,
    Any,
    Condition,
    FieldTest,
    Framework,
    Not,
    Question,
    load_builtin,
    profile,
)


@cache
def framework() -> Framework:
    return load_builtin("iaow-2013")


def questions() -> tuple[Question, ...]:
    return framework().questions()


def leaves(condition: Condition | None) -> Iterator[FieldTest | AnswerTest]:
    if condition is None:
        return
    if isinstance(condition, All | Any):
        for item in condition.items:
            yield from leaves(item)
    elif isinstance(condition, Not):
        yield from leaves(condition.item)
    else:
        yield condition


def fields_in(question: Question) -> set[str]:
    return {t.field for t in leaves(question.applies_if) if isinstance(t, FieldTest)}


def test_question_count_and_sections() -> None:
    counts = {s.code: len(s.questions) for s in framework().sections}
    assert list(counts) == ["0", "A", "B", "C", "D", "E", "F", "G"]
    assert 40 <= sum(counts.values()) <= 70
    assert all(counts.values())


def test_codes_belong_to_their_section() -> None:
    for section in framework().sections:
        for question in section.questions:
            assert question.section_code == section.code
            assert re.fullmatch(rf"{re.escape(section.code)}[.\d]+", question.code), question.code


@pytest.mark.parametrize("question", questions(), ids=lambda q: q.code)
def test_every_question_is_complete(question: Question) -> None:
    assert question.text.strip()
    assert question.guidance.strip(), "guidance tells the assessor what to look for"
    assert question.guidance.rstrip().endswith(".")


@pytest.mark.parametrize("question", [q for q in questions() if q.scored], ids=lambda q: q.code)
def test_scored_questions_have_a_finding_and_a_note_rule(question: Question) -> None:
    finding = question.finding or ""
    assert finding, "a scored question needs a finding"
    # It reads after "In two-thirds of cases, ": lower case start, no full stop.
    assert finding[0].islower() and not finding.endswith("."), finding
    assert question.note_required == (question.insufficient_value,)
    assert question.scale == "yes_no_na"


def test_unscored_questions_have_no_finding() -> None:
    for question in questions():
        if not question.scored:
            assert question.finding is None, question.code
            assert question.is_sufficient("yes") is None


def test_every_applies_if_field_and_answer_exists() -> None:
    seen: set[str] = set()
    for question in questions():
        for test in leaves(question.applies_if):
            if isinstance(test, FieldTest):
                assert test.field in profile.FIELDS_BY_NAME, (question.code, test.field)
            else:
                assert test.question in seen, (question.code, test.question)
        seen.add(question.code)


def test_section_zero_holds_the_case_details_and_interview() -> None:
    items = framework().section("0").questions
    assert not any(q.scored for q in items)
    scales = [q.scale for q in items]
    assert "om_grade" in scales and "text" in scales and "yes_no" in scales
    assert [o.value for o in framework().scales["om_grade"].options] == ["PO", "PSO", "other"]
    interviewed = next(q for q in items if "interviewed" in q.text and q.scale == "yes_no")
    for dependent in (q for q in items if q.scale in ("om_grade", "text")):
        assert dependent.applies_if == AnswerTest(interviewed.code, "is", "yes")


def test_at_least_one_negative_and_one_dependent_question() -> None:
    negatives = [q for q in questions() if q.polarity == "negative"]
    assert negatives
    for question in negatives:
        assert question.sufficient_value == "no"
    assert any(isinstance(t, AnswerTest) for q in questions() for t in leaves(q.applies_if))


# Subjects that only arise where the profile says so.
SUBJECT_FIELDS = {
    "alcohol": "alcohol_misuse",
    "drug": "drug_misuse",
    "domestic abuse": "domestic_abuse",
    "children's services": "child_protection",
    "victim liaison": "statutory_victim",
    "mappa": "mappa_category",
}


@pytest.mark.parametrize("subject, field", SUBJECT_FIELDS.items())
def test_subject_questions_depend_on_the_profile(subject: str, field: str) -> None:
    matching = [q for q in questions() if subject in q.text.lower()]
    assert matching
    for question in matching:
        assert field in fields_in(question), question.code


def test_victim_section_is_for_statutory_victim_cases_only() -> None:
    for question in framework().section("F").questions:
        assert "statutory_victim" in fields_in(question) or any(
            isinstance(t, AnswerTest) and framework().question(t.question).section_code == "F"
            for t in leaves(question.applies_if)
        )


def test_management_oversight_is_for_high_risk_or_child_protection() -> None:
    scrutiny = framework().question("G1").applies_if
    assert scrutiny == Any(
        (
            FieldTest("rosh", "in", ("High", "Very high")),
            FieldTest("child_protection", "is", True),
        )
    )


def test_risk_management_plan_quality_depends_on_the_plan_being_required() -> None:
    plan_required = next(q for q in questions() if q.text == "Was a risk management plan required?")
    quality = next(q for q in questions() if "risk management plan of sufficient quality" in q.text)
    assert quality.applies_if == AnswerTest(plan_required.code, "is", "yes")


def test_findings_are_unique() -> None:
    findings = [q.finding for q in questions() if q.finding]
    assert len(findings) == len(set(findings))


def test_every_finding_phrase_can_be_stated_as_a_concern() -> None:
    """A concern says what was not done ("... were not delivered in one-quarter of cases"), so
    each scored question's finding phrase needs an auxiliary verb to negate."""
    from inspector_app.core.findings.wording import negate
    from inspector_app.core.framework import load_builtin

    framework = load_builtin("iaow-2013")
    stuck = [q.code for q in framework.questions() if q.scored and negate(q.finding or "") is None]
    assert stuck == []
