"""The case list's models: Qt model contracts, filtering and sorting. (The page itself, its
keys and clicks, is tested on its own in tests/widgets/test_case_list.py.)"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt

from inspector_app.app.case_rows import (
    CaseRow,
    CaseRows,
    build_case_rows,
    filter_tokens,
    load_case_rows,
    matches,
    section_progress,
)
from inspector_app.app.dashboard import CONDITIONS, CaseScope
from inspector_app.core.cases.answers import set_answer
from inspector_app.core.cases.case_data import COMPLETE, IN_PROGRESS, NOT_STARTED, load_cases
from inspector_app.core.cases.history import answer_history
from inspector_app.core.cases.status import CaseSummary
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.framework.profile import ROSH_LEVELS
from inspector_app.gui.models import CaseListModel, HistoryModel, SectionListModel
from tests.case_list_helpers import master_in_every_state, rows_case_by_case


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


# -- the rows of a large file ------------------------------------------------------------------

ROLES = (
    Qt.ItemDataRole.DisplayRole,
    Qt.ItemDataRole.ToolTipRole,
    CaseListModel.CaseKeyRole,
    CaseListModel.StatusRole,
    CaseListModel.FractionRole,
)
FILTERS = (
    "",
    "in progress",
    "complete",
    "not started",
    "notes missing",
    "conflict",
    "review note",
    "reviewed",
    "priya",
    "alcohol",
    "t2",
    "case 00",
)


def table(model: CaseListModel) -> list[tuple[object, ...]]:
    """Everything the list shows (and the roles the window reads), row by row."""
    return [
        tuple(model.index(r, c).data(role) for c in range(model.columnCount()) for role in ROLES)
        for r in range(model.rowCount())
    ]


def test_the_rows_read_in_one_scan_show_what_a_recount_from_the_file_shows(
    master: InspectionFile,
) -> None:
    """What the window's worker reads (`load_case_rows`) against each case's own count, for
    a master with cases in every state: every column, sort, filter and scope alike."""
    master_in_every_state(master)
    read, recounted = CaseListModel(), CaseListModel()
    read.set_rows(load_case_rows(master.path))
    recounted.set_rows(rows_case_by_case(master))
    assert read.total_count() == recounted.total_count() == 11  # the withdrawn case left out
    assert read.status_counts() == recounted.status_counts()
    for column in range(CaseListModel.COLUMN_COUNT):
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            for text in FILTERS:
                for model in (read, recounted):
                    model.sort(column, order)
                    model.set_filter_text(text)
                assert table(read) == table(recounted), (column, order, text)
    for text in ("notes missing", "conflict", "review note", "reviewed"):
        recounted.set_filter_text(text)
        assert recounted.rowCount(), text  # each state is there to compare
    recounted.set_filter_text("")
    read.set_filter_text("")
    for condition in CONDITIONS:
        for model in (read, recounted):
            model.set_scope(CaseScope(condition=condition))
        assert table(read) == table(recounted), condition


def test_first_rows_show_at_once_and_pages_follow_in_sample_order(
    qtmodeltester, rows: list[CaseRow]
) -> None:
    pages = iter([rows[5:10], rows[10:], []])
    tested = CaseListModel()
    tested.set_first_rows(rows[:5], lambda: next(pages))
    qtmodeltester.check(tested)  # which fetches the pages too
    assert tested.visible_keys() == [r.key for r in rows]

    pages = iter([rows[5:10], rows[10:], []])
    model = CaseListModel()
    model.set_first_rows(rows[:5], lambda: next(pages))
    assert model.is_loading() and shown_labels(model) == [r.summary.label for r in rows[:5]]
    assert model.canFetchMore()
    model.fetchMore()
    assert shown_labels(model) == [r.summary.label for r in rows[:10]]
    # Pages come in sample-number order: not shown while the list is in another, or filtered.
    model.sort(CaseListModel.COL_STATUS, Qt.SortOrder.AscendingOrder)
    assert not model.canFetchMore()
    model.sort(CaseListModel.COL_SAMPLE, Qt.SortOrder.AscendingOrder)
    model.set_filter_text("case")
    assert not model.canFetchMore()
    model.set_filter_text("")
    model.fetchMore()
    model.fetchMore()  # no more
    assert not model.canFetchMore() and model.visible_keys() == [r.key for r in rows]
    assert model.row_of(rows[-1].key) == len(rows) - 1
    model.set_first_rows(rows[:2])  # a list already shown stays until every row is in
    assert model.rowCount() == len(rows) and model.is_loading()
    model.set_rows(rows)
    assert not model.is_loading() and not model.canFetchMore()


def test_a_column_sorts_anew_once_its_rows_change(rows: list[CaseRow]) -> None:
    """A column's order is worked out once, until the rows change."""
    model = CaseListModel()
    model.set_rows(rows)
    model.sort(CaseListModel.COL_PROGRESS, Qt.SortOrder.DescendingOrder)
    last = next(r for r in rows if r.key == model.key_at(model.rowCount() - 1))
    done = replace(last.summary, answered=5, applicable=5)
    model.update_rows([CaseRow(done, last.search_text)])
    assert model.key_at(model.rowCount() - 1) == last.key  # left in place until sorted again
    model.sort(CaseListModel.COL_PROGRESS, Qt.SortOrder.DescendingOrder)
    fresh = CaseListModel()
    fresh.set_rows([CaseRow(done, r.search_text) if r.key == last.key else r for r in rows])
    fresh.sort(CaseListModel.COL_PROGRESS, Qt.SortOrder.DescendingOrder)
    assert model.visible_keys() == fresh.visible_keys()
    assert model.row_of(last.key) < model.rowCount() - 1  # it moved up, done


def test_each_column_sorts_by_its_value_then_by_sample_number(rows: list[CaseRow]) -> None:
    """As the reader works the orders out (CaseRows) and as the model does after an edit."""
    statuses = (NOT_STARTED, IN_PROGRESS, COMPLETE)
    expected: dict[int, Callable[[CaseSummary], tuple[object, ...]]] = {
        CaseListModel.COL_SAMPLE: lambda s: (s.sample_no,),
        CaseListModel.COL_SENTENCE: lambda s: (s.sentence_type or "", s.sample_no),
        CaseListModel.COL_ROSH: lambda s: (
            ROSH_LEVELS.index(s.rosh) if s.rosh else -1,
            s.sample_no,
        ),
        CaseListModel.COL_TIER: lambda s: (s.tier or 0, s.sample_no),
        CaseListModel.COL_FLAGS: lambda s: (len(s.flags), s.flags, s.sample_no),
        CaseListModel.COL_ASSESSOR: lambda s: (s.assessor or "", s.sample_no),
        CaseListModel.COL_STATUS: lambda s: (statuses.index(s.status), s.sample_no),
        CaseListModel.COL_PROGRESS: lambda s: (
            s.answered / s.applicable if s.applicable else 0.0,
            s.sample_no,
        ),
    }
    assert len({r.summary.flags for r in rows}) > 3  # enough to tell the orders apart
    summaries = [r.summary for r in rows]
    for read in (CaseRows(rows), list(reversed(rows))):
        model = CaseListModel()
        model.set_rows(read)
        for column, key in expected.items():
            for order in (Qt.SortOrder.DescendingOrder, Qt.SortOrder.AscendingOrder):
                model.sort(column, order)
                shown = [model.summary_of(k) for k in model.visible_keys()]
                descending = order == Qt.SortOrder.DescendingOrder
                assert shown == sorted(summaries, key=key, reverse=descending), column
