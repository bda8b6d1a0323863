"""The Findings view on its own, on the lead's merged master: the figures as compute_findings
counts them, by sub-group and with or without cases in progress, a chart with a text
alternative, the drafted sentence, and the figures read again after an edit."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from inspector_app.core.cases.answers import set_case_complete
from inspector_app.core.cases.case_data import COMPLETE, load_cases, status_of
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.findings.figures import Findings, compute_findings, subgroups
from inspector_app.gui.findings_view import (
    DISPUTED,
    OVERALL,
    QUESTION,
    SECTION,
    STAGE,
    FindingsModel,
    FindingsView,
)
from tests.widgets.conftest import show


def expected(path: Path, **options) -> Findings:
    with InspectionFile.open(path, readonly=True) as file:
        return compute_findings(file, **options)


@pytest.fixture
def view(qtbot, lead) -> FindingsView:
    """The view on screen at 1280x800, its figures read."""
    findings = FindingsView()
    findings.set_file(lead.merged, None)
    with qtbot.waitSignal(findings.loaded, timeout=15000):
        show(qtbot, findings)
    return findings


def table_values(model: FindingsModel) -> dict[tuple[str, str], list[str]]:
    return {
        (
            model.index(row, 0).data(FindingsModel.KindRole),
            model.index(row, 0).data(FindingsModel.CodeRole),
        ): [model.index(row, c).data() for c in range(model.columnCount())]
        for row in range(model.rowCount())
    }


def test_the_table_shows_the_figures_compute_findings_counts(view, lead, qtmodeltester):
    figures = expected(lead.merged)
    assert figures.cases_counted > 0
    values = table_values(view.model)
    assert len(values) == 1 + len(figures.stage_figures) + len(figures.criteria) + len(
        figures.questions
    )
    for stage in figures.stage_figures:  # each stage's criteria pooled, before them
        row = values[(STAGE, stage.code)]
        assert row[FindingsModel.COL_SCORE] == f"{stage.sufficient} of {stage.denominator}"
        recount = [figures.criterion(c.code) for c in figures.criteria if c.stage == stage.code]
        assert stage.sufficient == sum(c.sufficient for c in recount)
    for q in figures.questions:
        code, text, score, percent, words, na, unanswered, disputed = values[(QUESTION, q.code)]
        assert (code, text) == (q.code, q.text)
        assert score == (f"{q.sufficient} of {q.denominator}" if q.denominator else "no cases")
        assert percent == (f"{q.percent}%" if q.percent is not None else "–")
        assert words == (q.words or "–")
        assert (na, unanswered) == (str(q.na), str(q.unanswered))
        assert disputed == (DISPUTED if q.disputed else "")
    for s in figures.criteria:  # grouped as the report scores them
        row = values[(SECTION, s.code)]
        assert row[FindingsModel.COL_SCORE] == f"{s.sufficient} of {s.denominator}"
        assert row[FindingsModel.COL_PERCENT] == f"{s.percent}%"
        assert row[FindingsModel.COL_WORDS] == s.words
    overall = values[(OVERALL, "")]
    assert overall[FindingsModel.COL_PERCENT] == f"{figures.overall.percent}%"
    assert f"{figures.cases_counted} complete cases counted" in view.counted_label.text()
    qtmodeltester.check(view.model)


def test_a_sub_group_changes_the_cases_counted(qtbot, view, lead):
    everyone = expected(lead.merged)
    name = next(iter(subgroups()))
    group = expected(lead.merged, subgroup=name)
    assert 0 < group.cases_counted < everyone.cases_counted
    with qtbot.waitSignal(view.loaded, timeout=15000):
        view.set_subgroup(name)
    assert view.findings.cases_counted == group.cases_counted
    assert view.findings.subgroup == name
    assert f"{group.cases_counted} complete case" in view.counted_label.text()
    first = group.questions[0]
    row = table_values(view.model)[(QUESTION, first.code)]
    assert row[FindingsModel.COL_SCORE] == (
        f"{first.sufficient} of {first.denominator}" if first.denominator else "no cases"
    )
    with qtbot.waitSignal(view.loaded, timeout=15000):
        view.in_progress_box.setChecked(True)
    both = expected(lead.merged, subgroup=name, include_in_progress=True)
    assert view.findings.cases_counted == both.cases_counted > group.cases_counted
    with qtbot.waitSignal(view.loaded, timeout=15000):
        view.set_subgroup(None)
    assert (
        view.findings.cases_counted == expected(lead.merged, include_in_progress=True).cases_counted
    )


def test_choosing_a_question_shows_its_sentence_and_its_criterion_chart(qtbot, view, lead):
    figures = expected(lead.merged)
    question = next(q for q in figures.questions if q.denominator >= 5)
    assert view.select_code(question.code)
    assert view.sentence.text() == question.sentence
    criterion = next(c for c in figures.criteria if question.code in c.question_codes)
    section = [figures.question(code) for code in criterion.question_codes]
    assert [bar.code for bar in view.chart.bars] == [q.code for q in section]
    chosen = [bar for bar in view.chart.bars if bar.chosen]
    assert [bar.code for bar in chosen] == [question.code]
    # the chart's text alternative carries every bar's figures
    description = view.chart.accessibleDescription()
    for q in section:
        if q.denominator:
            assert f"{q.code}: {q.percent}% ({q.sufficient} of {q.denominator})" in description
    # keyboard: Down moves to the next row, and the detail follows
    view.table.setFocus()
    row = view.table.currentIndex().row()
    qtbot.keyClick(view.table, Qt.Key.Key_Down)
    assert view.table.currentIndex().row() == row + 1


def test_an_edit_in_the_master_recalculates_the_figures_on_screen(qtbot, view, lead):
    before = view.findings.cases_counted
    with InspectionFile.open(lead.merged) as file:
        key = next(c.key for c in load_cases(file) if status_of(c) == COMPLETE)
        set_case_complete(file, key, False)  # reopened: no longer counted
    with qtbot.waitSignal(view.loaded, timeout=15000):
        view.invalidate()  # what the window does after any change to the file
    assert view.findings.cases_counted == before - 1


def test_a_hidden_view_reads_again_only_when_shown(qtbot, view, lead):
    with InspectionFile.open(lead.merged) as file:
        key = next(c.key for c in load_cases(file) if status_of(c) == COMPLETE)
        set_case_complete(file, key, False)
    before = view.findings.cases_counted
    view.hide()
    view.invalidate()
    qtbot.wait(400)
    assert not view.is_computing() and view.findings.cases_counted == before
    with qtbot.waitSignal(view.loaded, timeout=15000):
        view.show()
    assert view.findings.cases_counted == before - 1


def test_on_a_small_laptop_the_questions_read_as_more_than_their_first_words(qtbot, view):
    """At the width the view has in a 1024-wide window, the question column shows at least
    30 characters: "Was the report give su…" told the lead nothing."""
    view.resize(1000, 600)
    qtbot.wait(50)
    width = view.table.horizontalHeader().sectionSize(FindingsModel.COL_QUESTION)
    assert width >= 30 * view.fontMetrics().averageCharWidth(), width
