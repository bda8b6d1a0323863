"""The case list's models: Qt model contracts, filtering and sorting. (The page itself, its
keys and clicks, is tested on its own in tests/widgets/test_case_list.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt

from inspector_app.app.case_rows import (
    CaseRow,
    build_case_rows,
    filter_tokens,
    matches,
    section_progress,
)
from inspector_app.core.cases.answers import set_answer
from inspector_app.core.cases.case_data import COMPLETE, load_cases
from inspector_app.core.cases.history import answer_history
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.framework.profile import ROSH_LEVELS
from inspector_app.gui.models import CaseListModel, HistoryModel, SectionListModel


@pytest.fixture
def rows(fieldwork: Path) -> list[CaseRow]:
    with InspectionFile.open(fieldwork, readonly=True) as file:
        return build_case_rows(file)


def shown_labels(model: CaseListModel) -> list[str]:
    return [model.index(r, CaseListModel.COL_SAMPLE).data() for r in range(model.rowCount())]


def test_case_list_model_passes_the_model_tester(qtmodeltester, rows: list[CaseRow]) -> None:
    model = CaseListModel()
    model.set_rows(rows)
    qtmodeltester.check(model)
    # The tester stays attached: filtering, sorting and row updates must keep the contracts.
    model.set_filter_text("high")
    model.set_filter_text("high alc")
    model.sort(CaseListModel.COL_ROSH, Qt.SortOrder.DescendingOrder)
    model.update_rows(rows[:3])
    model.set_filter_text("")
    model.sort(CaseListModel.COL_PROGRESS, Qt.SortOrder.AscendingOrder)
    model.set_rows(rows[:5])
    qtmodeltester.check(model)


def test_columns_show_the_summary(rows: list[CaseRow]) -> None:
    model = CaseListModel()
    model.set_rows(rows)
    first = rows[0].summary
    data = [model.index(0, c).data() for c in range(model.columnCount())]
    assert data[CaseListModel.COL_SAMPLE] == first.label
    assert data[CaseListModel.COL_SENTENCE] == first.sentence_type
    assert data[CaseListModel.COL_ROSH] == first.rosh
    assert data[CaseListModel.COL_TIER] == str(first.tier)
    qa = f" (QA: {first.second_reader})" if first.second_reader else ""
    assert data[CaseListModel.COL_ASSESSOR] == f"{first.assessor}{qa}"
    assert data[CaseListModel.COL_STATUS].lower() == first.status
    assert data[CaseListModel.COL_PROGRESS] == f"{first.answered} / {first.applicable}"
    assert model.index(0, 0).data(CaseListModel.CaseKeyRole) == first.key
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == list(CaseListModel.HEADERS)


def test_filter_matches_sample_number_profile_values_and_status(
    rows: list[CaseRow], fieldwork: Path
) -> None:
    model = CaseListModel()
    model.set_rows(rows)
    total = model.rowCount()
    some = rows[3].summary

    model.set_filter_text(some.label.lower())  # "case 010"
    assert shown_labels(model) == [some.label]
    model.set_filter_text(f"{some.sample_no:03d}")
    assert some.label in shown_labels(model)

    with InspectionFile.open(fieldwork, readonly=True) as file:
        cases = {c.key: c for c in load_cases(file)}
    model.set_filter_text("LICENCE")  # case-insensitive, any profile value
    expected = [r.summary.label for r in rows if cases[r.key].profile["sentence_type"] == "Licence"]
    assert shown_labels(model) == expected and expected
    office = cases[rows[0].key].profile["office"]
    model.set_filter_text(str(office))
    assert shown_labels(model) == [
        r.summary.label for r in rows if cases[r.key].profile["office"] == office
    ]

    model.set_filter_text("complete")
    assert shown_labels(model) == [r.summary.label for r in rows if r.summary.status == COMPLETE]

    # Every word must match, in any order.
    model.set_filter_text("alcohol very high")
    for label in shown_labels(model):
        case = next(c for c in cases.values() if c.label == label)
        assert case.profile["alcohol_misuse"] and case.profile["rosh"] == "Very high"

    model.set_filter_text("no such thing")
    assert model.rowCount() == 0
    model.set_filter_text("   ")
    assert model.rowCount() == total


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    first=st.text(alphabet="acehilmnorstuv 0123", max_size=6),
    more=st.text(alphabet="acehilmnorstuv 0123", max_size=4),
)
def test_typing_on_narrows_exactly_like_a_fresh_filter(
    rows: list[CaseRow], first: str, more: str
) -> None:
    """The keystroke fast path (re-testing only the rows shown) gives the same rows as
    filtering everything afresh."""
    model = CaseListModel()
    model.set_rows(rows)
    model.set_filter_text(first)
    model.set_filter_text(first + more)
    tokens = filter_tokens(first + more)
    assert model.visible_keys() == [r.key for r in rows if matches(tokens, r.search_text)]


def test_sorting_by_rosh_uses_the_scale_order_and_keeps_the_filter(rows: list[CaseRow]) -> None:
    model = CaseListModel()
    model.set_rows(rows)
    model.set_filter_text("community")
    count = model.rowCount()
    model.sort(CaseListModel.COL_ROSH, Qt.SortOrder.AscendingOrder)
    levels = [model.index(r, CaseListModel.COL_ROSH).data() for r in range(model.rowCount())]
    assert levels == sorted(levels, key=ROSH_LEVELS.index)
    assert model.rowCount() == count
    model.sort(CaseListModel.COL_SAMPLE, Qt.SortOrder.DescendingOrder)
    numbers = [model.index(r, 0).data(CaseListModel.SummaryRole).sample_no for r in range(count)]
    assert numbers == sorted(numbers, reverse=True)


def test_section_and_history_models_pass_the_model_tester(qtmodeltester, fieldwork: Path) -> None:
    from inspector_app.core.framework import applicability

    with InspectionFile.open(fieldwork) as file:
        case = next(c for c in load_cases(file) if c.answers)
        flags = applicability(file.framework, case.profile, case.answer_values())
        sections = SectionListModel()
        sections.set_items(
            [section_progress(file.framework, s, case, flags) for s in file.framework.sections]
        )
        qtmodeltester.check(sections)
        assert sections.rowCount() == len(file.framework.sections)
        code = next(iter(case.answers))
        set_answer(file, case.key, code, case.answers[code].value, "a later note")
        history = HistoryModel(answer_history(file, case.key, code), file.framework.scale_of(code))
        qtmodeltester.check(history)
        assert history.rowCount() == 2
        assert history.index(1, HistoryModel.COL_NOTE).data() == "a later note"
        assert history.index(1, HistoryModel.COL_CURRENT).data() == "Current"
