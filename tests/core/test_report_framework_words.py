"""A report speaks its framework's words: under the 2018 standards the scoring appendix, the
glossary and the thanks talk of responsible officers and key questions, not the 2013
programme's offender managers and Yes/No questions; and the press release never lower-cases
the organisation's name at the start of a recommendation."""

from __future__ import annotations

from pathlib import Path

import pytest

from inspector_app.core.demo import create_lead_demo
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.report.data import build_report_data
from inspector_app.core.report.press_release import render_press_release


@pytest.fixture(scope="module")
def report_2018(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("words")
    master = create_lead_demo(
        folder / "demo", cases=16, framework_id="case-supervision-2018", complete=True
    ).master
    with InspectionFile.open(master, readonly=True) as file:
        return build_report_data(file)


def test_the_2018_report_explains_its_own_terms(report_2018) -> None:
    terms = dict(report_2018.glossary)
    assert "Responsible officer" in terms and "Key question" in terms
    assert not {"OM", "OASys", "ATR", "Accredited programme"} & set(terms)
    words = " ".join([*report_2018.scoring_approach, *report_2018.acknowledgements]).lower()
    assert "offender manager" not in words
    assert "alcohol" not in words
    assert "sufficient or insufficient" in words
    assert "a no is the sufficient answer" not in words  # no question there reads that way


def test_the_2013_report_keeps_its_words(tmp_path: Path) -> None:
    master = create_lead_demo(tmp_path / "demo", cases=12, complete=True).master
    with InspectionFile.open(master, readonly=True) as file:
        data = build_report_data(file)
    assert "OASys" in dict(data.glossary)
    assert "interviewing the offender manager" in data.scoring_approach[0]
    assert "a No is the sufficient answer" in data.scoring_approach[1]


def test_a_recommendation_that_starts_with_the_organisation_keeps_its_capital(
    report_2018,
) -> None:
    from dataclasses import replace

    data = replace(
        report_2018,
        recommendations=(
            f"{report_2018.organisation} should make sure plans address the risk of harm.",
            "Managers should check assessments.",
        ),
    )
    text = render_press_release(data)
    assert f"including: {report_2018.organisation} should make sure plans" in text
    assert "; and managers should check assessments." in text


def test_the_2018_demo_writes_of_its_own_work(report_2018) -> None:
    words = " ".join([*report_2018.foreword, *report_2018.recommendations]).lower()
    assert "adult offending work" not in words and "offender manager" not in words
    assert "supervision of people on probation" in words
