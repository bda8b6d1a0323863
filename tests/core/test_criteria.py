"""The report's structure is framework data: criteria grouped by stage, each fed by scored
questions. A different structure drives the chapters and their scores with no code change;
a criterion's score is a recount of its questions; risk of harm is scored apart."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from inspector_app.core.errors import FrameworkError
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.findings.figures import compute_findings
from inspector_app.core.framework import frameworks_dir, load_framework_text
from inspector_app.core.report.data import build_report_data
from tests.report_helpers import merged_demo

SHIPPED = (frameworks_dir() / "iaow-2013.toml").read_text(encoding="utf-8")


def _structure_of(text: str) -> str:
    """The shipped framework with its reporting structure replaced by `text`."""
    start = SHIPPED.index("[[stages]]")
    end = SHIPPED.index("# --- house-style wording")
    return SHIPPED[:start] + text + "\n" + SHIPPED[end:]


TWO_STAGES = """
[[stages]]
code = "1"
title = "Risk"

[[stages]]
code = "2"
title = "Everything else"

[[criteria]]
code = "R"
stage = "1"
title = "Risk of harm, start to end"
looked_for = "Risk of harm work at every stage."
questions = ["B2.1", "B2.2", "B2.4", "B2.5", "B2.7", "B2.8", "C7", "D9", "D10", "E4"]

[[criteria]]
code = "X"
stage = "2"
title = "Oversight and victims"
looked_for = "Managers and victims."
questions = ["G1", "G2", "G3", "F1", "F2", "F3"]
"""


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return merged_demo(tmp_path_factory.mktemp("criteria") / "demo", cases=30).master


def test_each_criterion_scores_a_recount_of_its_own_questions(demo: Path) -> None:
    with InspectionFile.open(demo, readonly=True) as file:
        findings = compute_findings(file)
        criteria = file.framework.criteria()
    assert [c.code for c in findings.criteria] == [c.code for c in criteria]
    for declared, pooled in zip(criteria, findings.criteria, strict=True):
        recount = [findings.question(code) for code in declared.questions]
        assert pooled.sufficient == sum(q.sufficient for q in recount)
        assert pooled.insufficient == sum(q.insufficient for q in recount)
        assert pooled.stage == declared.stage


def test_risk_of_harm_is_scored_apart_from_the_likelihood_of_reoffending(demo: Path) -> None:
    with InspectionFile.open(demo, readonly=True) as file:
        findings = compute_findings(file)
    reoffending, risk = findings.criterion("1.2"), findings.criterion("1.3")
    assert "likelihood of reoffending" in reoffending.title.lower()
    assert "risk of harm" in risk.title.lower()
    assert all(code.startswith("B1.") for code in reoffending.question_codes)
    assert {"B2.1", "B2.5", "B2.8"} <= set(risk.question_codes)
    assert not set(reoffending.question_codes) & set(risk.question_codes)
    as_json = findings.to_json()
    assert [s["title"] for s in as_json["stages"]][:2] == [
        "Assessment and planning",
        "Delivery and review",
    ]
    assert {c["code"] for c in as_json["criteria"]} >= {"1.2", "1.3"}


def test_a_different_structure_drives_the_chapters_with_no_code_change(demo: Path) -> None:
    framework = load_framework_text(_structure_of(TWO_STAGES), "two-stages.toml")
    with InspectionFile.open(demo, readonly=True) as file:
        object.__setattr__(file, "framework", framework)
        data = build_report_data(file)
        findings = compute_findings(file)
    assert [(c.stage_title, c.code, c.title) for c in data.chapters] == [
        ("Risk", "R", "Risk of harm, start to end"),
        ("Everything else", "X", "Oversight and victims"),
    ]
    risk = findings.criterion("R")
    recount = [findings.question(c) for c in risk.question_codes]
    assert data.chapters[0].sufficient == sum(q.sufficient for q in recount)
    assert [q.code for q in data.chapters[0].questions] == list(risk.question_codes)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (TWO_STAGES.replace('stage = "2"', 'stage = "9"'), "'stage' names no stage: '9'"),
        (TWO_STAGES.replace('"F3"]', '"F3", "G1"]'), "G1 already feeds criterion X"),
        (TWO_STAGES.replace('"F3"]', '"F3", "A1"]'), "'A1' is not a scored question"),
        (TWO_STAGES.replace('code = "X"', 'code = "R"'), "criterion code used twice"),
    ],
)
def test_a_broken_structure_is_refused_naming_the_criterion(text: str, message: str) -> None:
    with pytest.raises(FrameworkError, match=re.escape(message)):
        load_framework_text(_structure_of(text), "broken.toml")


def test_a_framework_without_criteria_reports_by_section() -> None:
    start = SHIPPED.index("[[stages]]")
    end = SHIPPED.index("# --- house-style wording")
    framework = load_framework_text(SHIPPED[:start] + SHIPPED[end:], "old.toml")
    assert framework.stages == ()
    assert [c.code for c in framework.criteria()] == ["A", "B", "C", "D", "E", "F", "G"]


def test_a_criterion_states_its_sub_groups_figures_in_words(demo: Path) -> None:
    import io

    from pypdf import PdfReader

    from inspector_app.core.findings.figures import subgroups
    from inspector_app.core.report.pdf import render_pdf

    with InspectionFile.open(demo, readonly=True) as file:
        named = {n for c in file.framework.criteria() for n in c.subgroups}
        data = build_report_data(file)
        group = compute_findings(file, subgroup="high-rosh-or-child-protection")
    assert named and named <= set(subgroups())  # every sub-group a criterion names exists
    risk = next(c for c in data.chapters if c.code == "1.3")
    pooled = group.criterion("1.3")
    [sentence] = risk.subgroup_findings
    assert sentence.startswith(f"In the {group.subgroup_label}, ")
    assert f"({pooled.sufficient} of {pooled.denominator}; {pooled.percent} per cent)" in sentence
    assert not next(c for c in data.chapters if c.code == "1.2").subgroup_findings
    text = " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(render_pdf(data))).pages
    )
    assert sentence.replace("'", "\u2019") in text
    import docx

    from inspector_app.core.report.docx import render_docx

    document = docx.Document(io.BytesIO(render_docx(data)))
    assert sentence.replace("'", "\u2019") in [p.text for p in document.paragraphs]


def test_the_report_matter_ships_with_the_framework_and_a_setting_overrides_it(
    demo: Path, tmp_path: Path
) -> None:
    import shutil

    from inspector_app.core.report.settings import save_report_settings, setting_values

    text = SHIPPED.replace('programme_start = "April 2013"', 'programme_start = "June 2018"')
    framework = load_framework_text(text, "other-programme.toml")
    assert framework.report_defaults["programme_start"] == "June 2018"
    copy = tmp_path / "copy.inspection"
    shutil.copyfile(demo, copy)
    with InspectionFile.open(copy) as file:
        object.__setattr__(file, "framework", framework)
        assert setting_values(file)["programme_start"] == "June 2018"
        assert build_report_data(file).inspectorate_role  # the shipped paragraph
        save_report_settings(file, {"programme_start": "May 2019"})
        assert setting_values(file)["programme_start"] == "May 2019"
    with pytest.raises(FrameworkError, match=r"\[report\]: unknown key 'chief'"):
        load_framework_text(SHIPPED.replace("[report]\n", '[report]\nchief = "x"\n'), "bad.toml")


def test_a_sub_groups_figure_is_offered_as_a_summary_bullet(demo: Path) -> None:
    from inspector_app.core.findings.figures import propose_strengths_and_concerns

    with InspectionFile.open(demo, readonly=True) as file:
        findings = compute_findings(file)
    figures = {f"{f.criterion}@{f.name}": f for f in findings.subgroup_figures}
    assert set(figures) >= {"1.3@high-rosh-or-child-protection"}
    # the framework's minimum base counts the sub-group's cases, as for a question
    base = findings.headlines.report_minimum_base
    default = propose_strengths_and_concerns(findings)
    for proposal in (*default.strengths, *default.concerns):
        if "@" in proposal.code:
            assert figures[proposal.code].cases >= base
    proposals = propose_strengths_and_concerns(findings, min_denominator=1)
    offered = [p for p in (*proposals.strengths, *proposals.concerns) if "@" in p.code]
    assert offered
    for bullet in offered:
        figure = figures[bullet.code]
        work = figure.title[:1].lower() + figure.title[1:]
        assert bullet.sentence.startswith(f"in the {figure.label}, {work} was ")
        assert bullet.sentence.endswith(" of the judgements")
        assert (bullet.sufficient, bullet.denominator) == (
            figure.figures.sufficient,
            figure.figures.denominator,
        )
    assert findings.to_json()["subgroup_figures"][0]["label"] == figures[offered[0].code].label


def test_a_sub_group_holding_every_judgement_is_not_given_the_same_figure_twice() -> None:
    from inspector_app.core.findings.figures import PooledFigures, SubgroupFigure
    from inspector_app.core.report.data import subgroup_sentence

    def pooled(sufficient: int, insufficient: int) -> PooledFigures:
        return PooledFigures("5.1", "Risk", ("Q1",), sufficient, insufficient, False, None)

    label = "cases classified as posing a high risk of serious harm"
    figure = SubgroupFigure("5.1", "Risk", "high-rosh", label, pooled(9, 3), 12)

    alone = subgroup_sentence(figure, (), whole=pooled(9, 3))
    part = subgroup_sentence(figure, (), whole=pooled(20, 10))

    assert alone == (
        f"Every judgement in this aspect of the work concerned the {label}, so the figure "
        "above is theirs."
    )
    assert part.startswith(f"In the {label}, ") and "(9 of 12; 75 per cent)" in part
