"""Every case's summary read in one scan of the file (what the case list, the overview and
`status` show) equals the summary worked out case by case, for a master with cases in every
state; and the case list's first pages, read case by case, are the same rows in order."""

from __future__ import annotations

import pytest

from inspector_app.app.case_rows import CasePages, build_case_rows
from inspector_app.core.cases.case_data import COMPLETE, IN_PROGRESS, NOT_STARTED, load_cases
from inspector_app.core.cases.status import case_summaries, summarise
from inspector_app.core.cases.summary_scan import scan_summaries
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.framework.profile import FIELDS_BY_NAME
from tests.case_list_helpers import States, master_in_every_state, rows_case_by_case


@pytest.fixture
def states(master: InspectionFile) -> States:
    return master_in_every_state(master)


def test_one_scan_gives_each_case_the_summary_worked_out_case_by_case(
    master: InspectionFile, states: States
) -> None:
    by_case = [(summarise(master, case), case.profile) for case in load_cases(master)]
    assert scan_summaries(master) == by_case
    assert case_summaries(master) == [summary for summary, _profile in by_case]
    assert build_case_rows(master) == rows_case_by_case(master)


def test_the_master_has_cases_in_every_state(master: InspectionFile, states: States) -> None:
    """The comparison above means something only if every state is there to compare."""
    scanned = scan_summaries(master)
    by_number = {summary.sample_no: summary for summary, _profile in scanned}
    assert states.withdrawn not in by_number and len(by_number) == 11
    assert {s.status for s in by_number.values()} == {NOT_STARTED, IN_PROGRESS, COMPLETE}
    assert by_number[states.notes_missing].notes_missing == 1
    assert by_number[states.conflicted].conflicts == 1
    assert by_number[states.review_notes].review_notes_open == 1
    assert by_number[states.reviewed].reviewed and by_number[states.complete].second_reader
    assert by_number[states.notes].notes_missing == 2  # the blank note and the no-break space
    assert by_number[states.emptied].status == NOT_STARTED
    assert by_number[states.reopened].status == IN_PROGRESS
    stale = by_number[states.stale]
    assert stale.answered == 1 and stale.status == IN_PROGRESS  # the follow-up no longer counts
    profiles = {summary.sample_no: profile for summary, profile in scanned}
    assert profiles[states.corrected]["alcohol_misuse"] is states.alcohol
    alcohol = FIELDS_BY_NAME["alcohol_misuse"].label
    assert (alcohol in by_number[states.corrected].flags) is states.alcohol


def test_pages_read_case_by_case_are_the_rows_in_order(
    master: InspectionFile, states: States
) -> None:
    pages = CasePages(master, size=4)
    read = []
    while page := pages.next_page():
        assert len(page) <= 4
        read += page
    assert pages.done and pages.next_page() == []
    assert read == build_case_rows(master)  # the withdrawn case left out here too
