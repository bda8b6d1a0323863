"""The demo shows everything the app does: the lead's master merged with two conflicts from
double reads, the narrative drafted, notes that agree with their answers; the complete demo
is ready for a final report."""

from __future__ import annotations

import csv
import random
from pathlib import Path

import pytest

from inspector_app.cli.main import run_cli
from inspector_app.core.cases.case_data import load_cases
from inspector_app.core.demo import (
    _FACT_NOTES,
    _NEGATIVE_NOTES,
    _POSITIVE_NOTES,
    create_lead_demo,
    write_sample_csv,
)
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.findings.agreement import agreement
from inspector_app.core.merge.conflicts import list_conflicts
from inspector_app.core.narrative.parts import load_narrative
from inspector_app.core.report.publication_gate import publication_blockers


@pytest.fixture(scope="module")
def lead_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return create_lead_demo(tmp_path_factory.mktemp("demo") / "demo").master


def test_the_lead_demo_is_merged_with_two_conflicts_from_double_reads(lead_demo: Path) -> None:
    with InspectionFile.open(lead_demo, readonly=True) as master:
        conflicts = list_conflicts(master)
        assert len(conflicts) == 2
        assert len({c.sample_no for c in conflicts}) == 2
        pairs = agreement(master)
        assert any(p.compared and p.agreed < p.compared for p in pairs)
        statuses = {case.marked_complete for case in load_cases(master)}
        assert statuses == {True, False}
        narrative = load_narrative(master)
        assert narrative.strengths and narrative.concerns and narrative.judgement


def test_demo_notes_agree_with_their_answers(lead_demo: Path) -> None:
    with InspectionFile.open(lead_demo, readonly=True) as master:
        framework = master.framework
        checked = 0
        for case in load_cases(master):
            for code, answer in case.answers.items():
                question = framework.question(code)
                if not answer.note or answer.note.startswith("Read again by the lead"):
                    continue
                checked += 1
                if question.scored and answer.value == question.insufficient_value:
                    assert answer.note not in _POSITIVE_NOTES, (code, answer)
                if not question.scored and answer.value == "no":
                    assert answer.note in _FACT_NOTES["no"] or answer.note in _NEGATIVE_NOTES
        assert checked > 100


def test_the_complete_demo_may_be_published(tmp_path: Path, capsys) -> None:
    assert run_cli(["demo", str(tmp_path / "done"), "--cases", "24", "--complete"]) == 0
    assert "ready for a final report" in capsys.readouterr().out
    (master,) = (tmp_path / "done").glob("*-master.inspection")
    with InspectionFile.open(master, readonly=True) as file:
        assert publication_blockers(file) == []
        assert all(case.marked_complete for case in load_cases(file))


def test_a_demo_under_the_2018_standards_is_rated_and_its_prompts_agree_with_judgements(
    tmp_path: Path,
) -> None:
    """`demo --framework case-supervision-2018`: a whole inspection under the second framework,
    every case complete, each standard rated; a key question judged insufficient mostly has
    prompts answered No, one judged sufficient mostly Yes (the demo never contradicts itself
    the way random answers would)."""
    from inspector_app.core.findings.figures import compute_findings

    outcome = create_lead_demo(
        tmp_path / "demo", cases=24, framework_id="case-supervision-2018", complete=True
    )
    with InspectionFile.open(outcome.master, readonly=True) as master:
        assert master.framework.id == "case-supervision-2018"
        cases = load_cases(master)
        findings = compute_findings(master)
    assert findings.cases_counted == 24
    assert findings.ratings is not None
    assert all(s.rating is not None for s in findings.ratings.standards)
    assert findings.ratings.overall_rating is not None
    agree = disagree = 0
    for case in cases:
        assert not (
            case.profile.get("short_licence") is True and case.profile["sentence_type"] != "Licence"
        )
        for code in ("2.1.1", "2.2.1", "2.3.1", "2.4.1"):
            judgement = case.answers[code].value
            prompts = [
                case.answers[code + letter].value
                for letter in "abc"
                if code + letter in case.answers
            ]
            yes = prompts.count("yes") > prompts.count("no")
            if (judgement == "sufficient") == yes:
                agree += 1
            else:
                disagree += 1
    assert agree > 3 * disagree


def test_a_synthetic_long_list_gives_each_person_one_row(tmp_path: Path) -> None:
    """The benches' 10,000-case list drew three CRNs twice, which the import refuses."""
    path = tmp_path / "list.csv"
    write_sample_csv(path, 10_000, random.Random(10_000))
    with open(path, newline="", encoding="utf-8") as handle:
        crns = [row["crn"] for row in csv.DictReader(handle)]
    assert len(crns) == 10_000 and len(set(crns)) == len(crns)
