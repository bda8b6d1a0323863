"""Findings: figures recounted independently from the raw answers of real inspection files,
polarity, N/A and unanswered exclusion, in-progress cases, sub-groups, disputed figures, the
JSON the CLI prints, and the proposed strengths and areas for improvement."""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inspector_app.core.cases.answers import set_case_complete, set_profile_value, write_answers
from inspector_app.core.cases.case_data import AnswerValue, CaseState, load_case, load_cases
from inspector_app.core.demo import create_demo
from inspector_app.core.errors import FrameworkError, NotFound
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.findings.figures import (
    Findings,
    Subgroup,
    compute_findings,
    findings_from_cases,
    parse_subgroups,
    propose_strengths_and_concerns,
    subgroup_named,
    subgroups,
)
from inspector_app.core.findings.percentages import percent_of
from inspector_app.core.findings.wording import proportion_words
from inspector_app.core.framework import (
    FieldTest,
    Framework,
    applicability,
    applies,
    gate_questions,
    load_builtin,
)
from inspector_app.core.framework.profile import ROSH_LEVELS, SENTENCE_TYPES
from tests.merge_helpers import make_conflict

FRAMEWORK = load_builtin("iaow-2013")
SCORED = [q for q in FRAMEWORK.questions() if q.scored]
HIGH_RISK_LABEL = (
    "cases classified as posing a high risk of serious harm or where there were child "
    "protection issues"
)


# --- building inspections through the services ------------------------------------------------


def fill_case(
    file: InspectionFile,
    sample_no: int,
    rng: random.Random,
    overrides: Mapping[str, str] | None = None,
    *,
    stop_at: str | None = None,
    complete: bool = True,
) -> str:
    """Answers a case the way an assessor would (framework order, notes where required), up to
    `stop_at`; marks it complete if asked."""
    overrides = overrides or {}
    framework = file.framework
    case_key = file.case_key_for(sample_no)
    case = load_case(file, case_key)
    answers = case.answer_values()
    rows = []
    for question in framework.questions():
        if question.code == stop_at:
            break
        if not applies(question.applies_if, case.profile, answers):
            continue
        scale = framework.scale_of(question)
        if question.code in overrides:
            value = overrides[question.code]
        elif scale.kind == "text":
            value = "Interviewed at the office."
        elif question.scored:
            choices = [question.sufficient_value, question.insufficient_value, *scale.excluded]
            value = rng.choices(choices, weights=[6, 3, 1][: len(choices)])[0]
        else:
            value = rng.choice(scale.values)
        note = "Evidence on the case record." if question.needs_note(value) else ""
        answers[question.code] = value
        rows.append((case_key, question.code, value, note))
    write_answers(file, rows, file.author_id())
    if complete:
        set_case_complete(file, case_key)
    return case_key


@pytest.fixture
def answered(master: InspectionFile) -> InspectionFile:
    """12 cases: 1-8 complete, 9-10 in progress, 11-12 not started; every sentence type and
    RoSH level present, some child protection and domestic abuse cases."""
    rng = random.Random(2013)
    for sample_no in range(1, 13):
        key = master.case_key_for(sample_no)
        set_profile_value(master, key, "sentence_type", SENTENCE_TYPES[sample_no % 3])
        set_profile_value(master, key, "rosh", ROSH_LEVELS[sample_no % 4])
        set_profile_value(master, key, "child_protection", sample_no % 5 == 0)
        set_profile_value(master, key, "domestic_abuse", sample_no % 2 == 0)
        set_profile_value(master, key, "alcohol_misuse", sample_no % 3 != 0)
        set_profile_value(master, key, "statutory_victim", sample_no % 4 == 1)
    for sample_no in range(1, 9):
        fill_case(master, sample_no, rng)
    for sample_no in (9, 10):
        fill_case(master, sample_no, rng, stop_at="D1", complete=False)
    return master


# --- the independent recount ------------------------------------------------------------------


@dataclass
class Expected:
    yes: int = 0
    no: int = 0
    na: int = 0
    unanswered: int = 0

    def sufficient(self, polarity: str) -> int:
        return self.yes if polarity == "positive" else self.no

    def insufficient(self, polarity: str) -> int:
        return self.no if polarity == "positive" else self.yes


def recount(
    file: InspectionFile,
    *,
    include_in_progress: bool = False,
    keep: Callable[[dict[str, object]], bool] = lambda profile: True,
) -> tuple[int, dict[str, Expected]]:
    """A naive loop over the raw answers: no shared code with the findings service beyond
    reading the cases and asking whether a question's condition holds."""
    counted = 0
    expected = {q.code: Expected() for q in SCORED}
    for case in load_cases(file):
        started = any(a.value for a in case.answers.values())
        if not (case.marked_complete or (include_in_progress and started)):
            continue
        if not keep(case.profile):
            continue
        counted += 1
        raw = {code: answer.value for code, answer in case.answers.items()}
        for question in SCORED:
            if not applies(question.applies_if, case.profile, raw):
                continue
            value = raw.get(question.code)
            tally = expected[question.code]
            if not value:
                tally.unanswered += 1
            elif value == "yes":
                tally.yes += 1
            elif value == "no":
                tally.no += 1
            else:
                tally.na += 1
    return counted, expected


def assert_matches_recount(findings: Findings, counted: int, expected: dict[str, Expected]) -> None:
    assert findings.cases_counted == counted
    assert [q.code for q in findings.questions] == [q.code for q in SCORED]
    for question in SCORED:
        got = findings.question(question.code)
        want = expected[question.code]
        sufficient = want.sufficient(question.polarity)
        insufficient = want.insufficient(question.polarity)
        denominator = want.yes + want.no
        assert (got.yes, got.no, got.na, got.unanswered) == (
            want.yes,
            want.no,
            want.na,
            want.unanswered,
        ), question.code
        assert (got.sufficient, got.insufficient) == (sufficient, insufficient), question.code
        assert got.denominator == denominator
        if denominator:
            assert got.percent == (200 * sufficient + denominator) // (2 * denominator)
            assert got.words == proportion_words(sufficient, denominator, FRAMEWORK.wording)
            if 0 < sufficient < denominator:
                assert f"{sufficient} of {denominator}" in got.sentence
            else:  # none or all: the count is in the words ("all 3", "any of the 6")
                small = ("the one ", "both ")
                assert (
                    str(denominator) in got.sentence
                    or got.sentence.lower().startswith(small)
                    or (" the one " in got.sentence or "In both " in got.sentence)
                )
        else:
            assert got.percent is None and got.words is None
    for section in FRAMEWORK.sections:
        codes = [q.code for q in section.questions if q.scored]
        if not codes:
            continue
        pooled = findings.section(section.code)
        s = sum(expected[c].sufficient(FRAMEWORK.question(c).polarity) for c in codes)
        d = sum(expected[c].yes + expected[c].no for c in codes)
        assert (pooled.sufficient, pooled.denominator) == (s, d), section.code
        assert pooled.percent == ((200 * s + d) // (2 * d) if d else None)
    total_s = sum(expected[q.code].sufficient(q.polarity) for q in SCORED)
    total_d = sum(expected[q.code].yes + expected[q.code].no for q in SCORED)
    assert (findings.overall.sufficient, findings.overall.denominator) == (total_s, total_d)


def test_figures_match_an_independent_recount(answered: InspectionFile) -> None:
    findings = compute_findings(answered)
    counted, expected = recount(answered)
    assert counted == 8
    assert_matches_recount(findings, counted, expected)
    # the data exercise every kind of count
    assert findings.overall.denominator > 200
    assert any(q.na for q in findings.questions)
    assert any(q.insufficient for q in findings.questions if q.polarity == "negative")
    assert not findings.include_in_progress and findings.subgroup is None
    assert not findings.disputed


def test_in_progress_cases_are_counted_only_when_asked(answered: InspectionFile) -> None:
    findings = compute_findings(answered, include_in_progress=True)
    counted, expected = recount(answered, include_in_progress=True)
    assert counted == 10
    assert_matches_recount(findings, counted, expected)
    assert findings.include_in_progress
    # the two in-progress cases stopped before D1, so D1 is unanswered in both
    assert findings.question("D1").unanswered == 2
    assert compute_findings(answered).question("D1").unanswered == 0


def test_not_started_cases_are_never_counted(answered: InspectionFile) -> None:
    everything = compute_findings(answered, include_in_progress=True)
    assert everything.cases_counted == 10  # 11 and 12 have no answers


def test_figures_from_a_generated_demo_inspection(tmp_path: Path) -> None:
    outcome = create_demo(tmp_path / "demo", cases=30, seed=11)
    for path in outcome.fieldwork:
        with InspectionFile.open(path) as file:
            for include in (False, True):
                findings = compute_findings(file, include_in_progress=include)
                counted, expected = recount(file, include_in_progress=include)
                assert_matches_recount(findings, counted, expected)


# --- polarity, N/A and unanswered ---------------------------------------------------------------


@pytest.fixture
def known(master: InspectionFile) -> InspectionFile:
    """Four complete cases with chosen answers to D1 (positive) and D7 (negative), and a fifth
    case in progress that stopped before section D."""
    rng = random.Random(1)
    d1 = ["yes", "no", "na", "yes"]
    d7 = ["no", "no", "no", "yes"]  # D7 asks about unnecessary delay: "no" is good
    for index in range(4):
        fill_case(master, index + 1, rng, {"D1": d1[index], "D7": d7[index]})
    fill_case(master, 5, rng, stop_at="D1", complete=False)
    return master


def test_negative_polarity_counts_no_as_sufficient(known: InspectionFile) -> None:
    d7 = compute_findings(known).question("D7")
    assert d7.polarity == "negative"
    assert (d7.yes, d7.no, d7.na, d7.unanswered) == (1, 3, 0, 0)
    assert (d7.sufficient, d7.insufficient, d7.denominator, d7.percent) == (3, 1, 4, 75)
    assert d7.words == "3 of 4"
    assert d7.sentence == "In 3 of 4 cases, interventions were started promptly."


def test_na_and_unanswered_are_kept_out_of_the_denominator(known: InspectionFile) -> None:
    d1 = compute_findings(known, include_in_progress=True).question("D1")
    assert (d1.yes, d1.no, d1.na, d1.unanswered) == (2, 1, 1, 1)
    assert (d1.sufficient, d1.denominator, d1.percent) == (2, 3, 67)
    assert d1.words == "2 of 3"


def test_an_answer_left_from_before_a_profile_correction_is_not_counted(
    master: InspectionFile,
) -> None:
    rng = random.Random(3)
    keys = []
    for sample_no in (1, 2):
        set_profile_value(master, master.case_key_for(sample_no), "alcohol_misuse", True)
        keys.append(fill_case(master, sample_no, rng, {"D4": "no"}))
    assert compute_findings(master).question("D4").no == 2
    # On site the profile turns out to be wrong: alcohol is not a factor in case 2.
    set_profile_value(master, keys[1], "alcohol_misuse", False)
    d4 = compute_findings(master).question("D4")
    assert (d4.yes, d4.no, d4.na, d4.unanswered, d4.denominator) == (0, 1, 0, 0, 1)


# --- sub-groups -------------------------------------------------------------------------------


def is_high_risk(profile: dict[str, object]) -> bool:
    return profile.get("rosh") in ("High", "Very high") or profile.get("child_protection") is True


NAIVE_SUBGROUPS: dict[str, Callable[[dict[str, object]], bool]] = {
    "high-rosh-or-child-protection": is_high_risk,
    "licence": lambda p: p.get("sentence_type") == "Licence",
    "community-sentence": lambda p: (
        p.get("sentence_type") in ("Community order", "Suspended sentence order")
    ),
    "domestic-abuse": lambda p: p.get("domestic_abuse") is True,
    "statutory-victim": lambda p: p.get("statutory_victim") is True,
}


@pytest.mark.parametrize("name", list(NAIVE_SUBGROUPS))
def test_subgroup_figures_match_a_recount(answered: InspectionFile, name: str) -> None:
    for include in (False, True):
        findings = compute_findings(answered, include_in_progress=include, subgroup=name)
        counted, expected = recount(
            answered, include_in_progress=include, keep=NAIVE_SUBGROUPS[name]
        )
        assert 0 < counted < (10 if include else 8)
        assert_matches_recount(findings, counted, expected)
        assert findings.subgroup == name
        assert findings.subgroup_label == subgroups()[name].label


def test_sentence_types_split_the_cases(answered: InspectionFile) -> None:
    licence = compute_findings(answered, subgroup="licence")
    community = compute_findings(answered, subgroup=subgroup_named("community-sentence"))
    assert licence.cases_counted + community.cases_counted == 8
    for code in ("D1", "E1"):
        whole = compute_findings(answered).question(code)
        parts = licence.question(code), community.question(code)
        assert sum(p.sufficient for p in parts) == whole.sufficient
        assert sum(p.denominator for p in parts) == whole.denominator


def test_subgroup_sentences_name_the_group(answered: InspectionFile) -> None:
    findings = compute_findings(answered, subgroup="high-rosh-or-child-protection")
    with_cases = [q for q in findings.questions if q.denominator >= 5]
    for question in with_cases:
        assert HIGH_RISK_LABEL in question.sentence
        if 0 < question.sufficient < question.denominator:
            assert f"({question.sufficient} of {question.denominator})" in question.sentence
        else:
            assert f" {question.denominator} " in question.sentence


def test_any_condition_can_define_a_subgroup(answered: InspectionFile) -> None:
    condition = FieldTest("tier", "gte", 3)
    findings = compute_findings(answered, subgroup=condition, subgroup_name="tier 3 and 4")
    counted, expected = recount(
        answered, keep=lambda p: isinstance(p.get("tier"), int) and p["tier"] >= 3
    )
    assert_matches_recount(findings, counted, expected)
    assert findings.subgroup == "tier 3 and 4"
    unnamed = compute_findings(answered, subgroup=condition)
    assert unnamed.subgroup == "custom" and unnamed.subgroup_label is None
    labelled = compute_findings(
        answered, subgroup=condition, subgroup_label="cases in tiers 3 and 4"
    )
    e1 = labelled.question("E1")
    assert "cases in tiers 3 and 4" in e1.sentence


def test_shipped_subgroups_are_data() -> None:
    groups = subgroups()
    assert list(groups) == list(NAIVE_SUBGROUPS)
    for group in groups.values():
        assert group.label.startswith("cases ") and group.title
    high = groups["high-rosh-or-child-protection"]
    assert high.label == HIGH_RISK_LABEL
    # the same condition language as applies_if, parsed by the same parser
    assert high.condition == FRAMEWORK.question("G1").applies_if


def test_unknown_subgroup_names_the_ones_there_are() -> None:
    with pytest.raises(NotFound, match=r"no sub-group 'violent'.*licence"):
        subgroup_named("violent")


SUBGROUP_ERRORS = {
    "unknown field": (
        'name = "x"\nlabel = "cases x"\ncondition = { field = "colour", is = "red" }\n',
        "groups.toml: subgroup x: applies_if refers to unknown profile field 'colour'",
    ),
    "bad value": (
        'name = "x"\nlabel = "cases x"\ncondition = { field = "rosh", is = "Huge" }\n',
        "groups.toml: subgroup x: applies_if: 'Huge' is not a valid value",
    ),
    "typo": (
        'name = "x"\nlable = "cases x"\ncondition = { field = "rosh", is = "High" }\n',
        "groups.toml: subgroup x: unknown key 'lable' (did you mean 'label'?)",
    ),
    "no condition": (
        'name = "x"\nlabel = "cases x"\n',
        "groups.toml: subgroup x: missing 'condition'",
    ),
    "no label": (
        'name = "x"\ncondition = { field = "rosh", is = "High" }\n',
        "groups.toml: subgroup x: missing 'label'",
    ),
}


@pytest.mark.parametrize(("body", "message"), SUBGROUP_ERRORS.values(), ids=list(SUBGROUP_ERRORS))
def test_broken_subgroup_files_are_refused(body: str, message: str) -> None:
    with pytest.raises(FrameworkError) as caught:
        parse_subgroups("[[subgroup]]\n" + body, "groups.toml")
    assert str(caught.value).startswith(message), str(caught.value)


def test_a_subgroup_name_is_used_once(tmp_path: Path) -> None:
    entry = (
        '[[subgroup]]\nname = "x"\nlabel = "cases x"\ncondition = { field = "rosh", is = "High" }\n'
    )
    path = tmp_path / "groups.toml"
    path.write_text(entry + entry, encoding="utf-8")
    with pytest.raises(FrameworkError, match="subgroup x: sub-group name used twice"):
        subgroups(path)
    path.write_text(entry, encoding="utf-8")
    assert isinstance(subgroups(path)["x"], Subgroup)


# --- disputed figures -------------------------------------------------------------------------


def test_conflicted_answers_make_figures_disputed(answered: InspectionFile) -> None:
    complete_key = answered.case_key_for(1)
    make_conflict(answered, complete_key, "E1")
    assert load_case(answered, complete_key).answers["E1"].conflicted
    findings = compute_findings(answered)
    assert findings.question("E1").disputed and findings.question("E1").disputed_answers == 1
    assert [q.code for q in findings.questions if q.disputed] == ["E1"]
    assert findings.section("E").disputed and not findings.section("D").disputed
    assert findings.overall.disputed and findings.disputed
    # the deterministic winner is what is counted, once
    counted, expected = recount(answered)
    assert_matches_recount(findings, counted, expected)
    assert findings.to_json()["questions"][[q.code for q in findings.questions].index("E1")][
        "disputed"
    ]


def test_a_conflict_in_a_case_not_counted_disputes_nothing(answered: InspectionFile) -> None:
    in_progress_key = answered.case_key_for(9)
    make_conflict(answered, in_progress_key, "B1.1")
    assert not compute_findings(answered).disputed
    assert compute_findings(answered, include_in_progress=True).question("B1.1").disputed


# --- JSON -------------------------------------------------------------------------------------


def test_json_has_what_the_cli_prints(answered: InspectionFile) -> None:
    findings = compute_findings(answered, include_in_progress=True, subgroup="licence")
    data = json.loads(json.dumps(findings.to_json()))
    assert data["cases_counted"] == findings.cases_counted
    assert data["include_in_progress"] is True
    assert data["subgroup"] == "licence"
    assert data["framework"] == {"id": "iaow-2013", "version": FRAMEWORK.version}
    question_keys = {
        "code",
        "section",
        "text",
        "yes",
        "no",
        "na",
        "unanswered",
        "denominator",
        "percent",
        "words",
        "disputed",
    }
    assert [q["code"] for q in data["questions"]] == [q.code for q in SCORED]
    for entry in data["questions"]:
        assert question_keys <= set(entry)
        assert entry["denominator"] == entry["yes"] + entry["no"]
    sections = {s["code"]: s for s in data["sections"]}
    assert "0" not in sections  # no scored questions in the case details
    assert set(sections) == {"A", "B", "C", "D", "E", "F", "G"}
    for entry in sections.values():
        assert {"sufficient", "denominator", "percent", "words", "disputed"} <= set(entry)
    assert data["overall"]["denominator"] == findings.overall.denominator


# --- property: percentages and denominators for any answers -------------------------------------

PROFILE = st.fixed_dictionaries(
    {
        "sentence_type": st.sampled_from(SENTENCE_TYPES),
        "rosh": st.sampled_from(ROSH_LEVELS),
        "tier": st.sampled_from((1, 2, 3, 4)),
        "mappa_category": st.sampled_from((None, 1, 2, 3)),
        "child_protection": st.booleans(),
        "domestic_abuse": st.booleans(),
        "alcohol_misuse": st.booleans(),
        "drug_misuse": st.booleans(),
        "statutory_victim": st.booleans(),
    }
)
VALUE = st.sampled_from(("yes", "no", "na", None))
GATES = ("0.2", "A1", "B2.3", "B2.6")  # unscored questions that switch later ones on


@st.composite
def memory_case(draw: st.DrawFn, sample_no: int) -> CaseState:
    answers = {}
    for code in (*GATES, *(q.code for q in SCORED)):
        value = draw(st.sampled_from(("yes", "no", None)) if code in GATES else VALUE)
        if value is not None or draw(st.booleans()):
            answers[code] = AnswerValue(value, "", "author", "0", conflicted=draw(st.booleans()))
    return CaseState(
        key=f"case-{sample_no}",
        sample_no=sample_no,
        imported_profile=draw(PROFILE),
        answers=answers,
        marked_complete=draw(st.booleans()),
    )


CASES = st.integers(0, 12).flatmap(
    lambda n: st.tuples(*(memory_case(i + 1) for i in range(n))) if n else st.just(())
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases=CASES, include=st.booleans())
def test_percent_and_denominator_for_any_answers(
    cases: tuple[CaseState, ...], include: bool
) -> None:
    findings = findings_from_cases(FRAMEWORK, cases, include_in_progress=include)
    counted = [
        c
        for c in cases
        if c.marked_complete or (include and any(a.value for a in c.answers.values()))
    ]
    assert findings.cases_counted == len(counted)
    for got in findings.questions:
        question = FRAMEWORK.question(got.code)
        assert got.denominator == got.yes + got.no
        assert got.sufficient == (got.yes if question.polarity == "positive" else got.no)
        if got.denominator:
            assert got.percent == percent_of(got.sufficient, got.denominator)
            assert 0 <= got.percent <= 100
        else:
            assert got.percent is None and got.words is None
        applicable = sum(
            applicability(FRAMEWORK, c.profile, c.answer_values())[got.code] for c in counted
        )
        assert got.yes + got.no + got.na + got.unanswered == applicable
        conflicted = sum(
            1
            for c in counted
            if got.code in c.answers
            and c.answers[got.code].conflicted
            and applicability(FRAMEWORK, c.profile, c.answer_values())[got.code]
        )
        assert got.disputed == (conflicted > 0)
    pooled = findings.overall
    assert pooled.denominator == sum(q.denominator for q in findings.questions)
    if pooled.denominator:
        assert pooled.percent == percent_of(pooled.sufficient, pooled.denominator)


# --- proposed strengths and areas for improvement ---------------------------------------------


def scripted_cases(
    framework: Framework, targets: Mapping[str, int], count: int = 30, **overrides: object
) -> list:
    """`count` complete high-risk cases with alcohol misuse; question q is answered
    sufficiently in the first targets[q] cases it applies to (default four-fifths), and two of
    the alcohol cases say N/A to D4."""
    profile = {
        "sentence_type": "Licence",
        "rosh": "High",
        "tier": 3,
        "alcohol_misuse": True,
        "child_protection": False,
        "domestic_abuse": False,
        "drug_misuse": False,
        "statutory_victim": False,
        **overrides,
    }
    seen = dict.fromkeys((q.code for q in framework.questions()), 0)
    cases = []
    for index in range(count):
        answers: dict[str, AnswerValue] = {}
        for question in framework.questions():
            current = {code: a.value for code, a in answers.items()}
            if not applies(question.applies_if, profile, current):
                continue
            if not question.scored:
                value = "yes" if framework.scale_of(question).kind != "text" else "seen"
            elif question.code == "D4" and index >= count - 2:
                value = "na"
            else:
                good = seen[question.code] < targets.get(question.code, count * 4 // 5)
                value = question.sufficient_value if good else question.insufficient_value
                seen[question.code] += 1
            answers[question.code] = AnswerValue(value, "", "author", "0")
        cases.append(
            CaseState(f"k{index}", index + 1, dict(profile), answers=answers, marked_complete=True)
        )
    return cases


TARGETS = {"B1.1": 30, "D1": 29, "D4": 21, "G1": 16, "G3": 13}


def test_proposals_pick_the_highest_and_lowest_questions() -> None:
    findings = findings_from_cases(FRAMEWORK, scripted_cases(FRAMEWORK, TARGETS))
    assert (findings.question("D4").sufficient, findings.question("D4").denominator) == (21, 28)
    proposals = propose_strengths_and_concerns(findings, n=2)
    # the questions' proposals, in framework order (sub-group bullets follow them)
    assert [p.code for p in proposals.strengths if "@" not in p.code] == ["B1.1", "D1"]
    assert [p.code for p in proposals.concerns if "@" not in p.code] == ["D4", "G1"]
    strengths = {p.code: p for p in proposals.strengths}
    assert strengths["D1"].sentence == (
        "individuals were nearly always seen as often as their risks and needs required"
    )
    assert strengths["B1.1"].sentence == (
        "an initial assessment of the likelihood of reoffending was always completed on time"
    )
    concerns = {p.code: p for p in proposals.concerns}
    assert concerns["D4"].sentence == (
        "interventions to address alcohol misuse were not delivered in one-quarter of relevant "
        "cases"
    )
    assert (concerns["D4"].figures, concerns["D4"].percent) == ("7 of 28", 75)
    assert concerns["G1"].sentence == (
        "there was insufficient evidence of effective management scrutiny in nearly half of "
        "relevant cases"
    )
    assert concerns["G1"].kind == "concern" and strengths["D1"].kind == "strength"
    json.dumps([p.to_json() for p in (*proposals.strengths, *proposals.concerns)])


def test_proposals_for_a_subgroup_speak_of_the_group() -> None:
    findings = findings_from_cases(
        FRAMEWORK,
        scripted_cases(FRAMEWORK, TARGETS),
        subgroup=subgroups()["high-rosh-or-child-protection"],
    )
    concerns = {p.code: p for p in propose_strengths_and_concerns(findings, n=2).concerns}
    # the press release's own sentence
    assert concerns["G1"].sentence == (
        "there was insufficient evidence of effective management scrutiny in nearly half of the "
        + HIGH_RISK_LABEL
    )


def test_proposals_are_disjoint_and_skip_small_denominators() -> None:
    findings = findings_from_cases(FRAMEWORK, scripted_cases(FRAMEWORK, TARGETS, count=30))
    proposals = propose_strengths_and_concerns(findings, n=50)
    strengths = {p.code for p in proposals.strengths}
    concerns = {p.code for p in proposals.concerns}
    assert strengths and concerns and not strengths & concerns
    assert len(strengths) + len(concerns) <= len(findings.questions)
    # with only four cases nothing reaches the framework's minimum base
    few = findings_from_cases(FRAMEWORK, scripted_cases(FRAMEWORK, {"D1": 4}, count=4))
    empty = propose_strengths_and_concerns(few)
    assert empty.strengths == () and empty.concerns == ()
    lowered = propose_strengths_and_concerns(few, min_denominator=4)
    assert [p.code for p in lowered.strengths if "@" not in p.code] == ["D1"]
    assert lowered.strengths[0].sentence == (
        "individuals were seen as often as their risks and needs required in all 4 cases"
    )


def test_headline_rules_come_from_the_framework() -> None:
    """Minimum base, one bullet per section per list, never a follow-up beside its gate."""
    rules = FRAMEWORK.headlines
    assert (rules.report_minimum_base, rules.press_minimum_base, rules.per_section) == (10, 20, 1)
    findings = findings_from_cases(FRAMEWORK, scripted_cases(FRAMEWORK, TARGETS, count=40))
    proposals = propose_strengths_and_concerns(findings, n=50)
    chosen = [p for p in (*proposals.strengths, *proposals.concerns) if "@" not in p.code]
    assert chosen
    for part in (proposals.strengths, proposals.concerns):
        sections = [findings.question(p.code).section_code for p in part if "@" not in p.code]
        assert len(sections) == len(set(sections)), sections
    codes = {p.code for p in chosen}
    for p in chosen:
        figures = findings.question(p.code)
        assert figures.denominator >= 10, p.code
        assert not set(figures.gates) & codes, (p.code, figures.gates)


def test_a_follow_up_is_never_headlined_beside_its_gate() -> None:
    """F2 (contact carried out appropriately) is asked only where F1 (contact offered) is Yes:
    with F1 a concern, F2 cannot be a strength beside it."""
    follow_up = FRAMEWORK.question("F2")
    (gate,) = gate_questions(follow_up.applies_if)
    assert gate == "F1" and FRAMEWORK.question(gate).scored
    cases = scripted_cases(
        FRAMEWORK, {gate: 12, follow_up.code: 30}, count=30, statutory_victim=True
    )
    findings = findings_from_cases(FRAMEWORK, cases)
    assert findings.question(gate).percent == 40 and findings.question(follow_up.code).percent
    without_rule = replace(
        findings,
        questions=tuple(replace(q, gates=()) for q in findings.questions),
    )
    loose = propose_strengths_and_concerns(without_rule, n=50)
    assert {gate, follow_up.code} <= {p.code for p in (*loose.strengths, *loose.concerns)}
    proposals = propose_strengths_and_concerns(findings, n=50)
    codes = {p.code for p in (*proposals.strengths, *proposals.concerns)}
    assert not ({gate, follow_up.code} <= codes)


def test_no_proposals_without_figures(master: InspectionFile) -> None:
    proposals = propose_strengths_and_concerns(compute_findings(master))
    assert proposals.strengths == () and proposals.concerns == ()
