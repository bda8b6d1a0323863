"""A case withdrawn without a replacement: kept in the master with its reason, out of the case
list, the overview, the findings, the report's counts and the fieldwork files written after;
refused once the case has answers; reinstated with its readers. Real files on disk."""

from __future__ import annotations

from pathlib import Path

import pytest

from inspector_app.app.dashboard import build_dashboard
from inspector_app.core.cases.answers import set_answer
from inspector_app.core.cases.case_data import load_cases
from inspector_app.core.cases.team import list_members, remove_member
from inspector_app.core.errors import NotFound, ValidationError
from inspector_app.core.files.fieldwork_export import export_fieldwork
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.findings.figures import compute_findings
from inspector_app.core.merge.run import merge_files
from inspector_app.core.report.data import selection_facts
from inspector_app.core.sample.placement import allocate_case, check_move
from inspector_app.core.sample.withdrawal import reinstate_case, withdraw_case, withdrawn_cases

DANIEL = "Daniel Okafor"


def daniels_cases(master: InspectionFile) -> list[int]:
    return [c.sample_no for c in load_cases(master) if c.first_reader == DANIEL]


def test_a_withdrawn_case_leaves_every_list_and_count_but_stays_in_the_file(
    master: InspectionFile,
) -> None:
    number = daniels_cases(master)[0]
    key = master.case_key_for(number)
    changes = withdraw_case(master, number, "  Offender   deceased ")
    assert changes.concerns_case(key) and changes.cases
    assert key not in {c.key for c in load_cases(master)}
    assert build_dashboard(master).total.cases.count == 11
    counts = {m.name: m.cases for m in list_members(master)}
    assert counts[DANIEL] == 5
    (withdrawn,) = withdrawn_cases(master)
    assert (withdrawn.sample_no, withdrawn.reason) == (number, "Offender deceased")
    assert withdrawn.first_reader == DANIEL and withdrawn.withdrawn_by == "Helen Ashworth"
    assert master.case_key_for(number) == key  # still in the file
    facts = dict(selection_facts(master))
    assert facts["Cases withdrawn without a replacement"] == (
        f"1 (case {number:03d}: Offender deceased)"
    )


def test_a_case_with_answers_cannot_be_withdrawn_and_nothing_changes(
    master: InspectionFile,
) -> None:
    number = daniels_cases(master)[0]
    set_answer(master, master.case_key_for(number), "A1", "yes", "Seen on the record")
    with pytest.raises(ValidationError, match="already has answers or corrections"):
        withdraw_case(master, number, "Transferred")
    assert withdrawn_cases(master) == []
    with pytest.raises(ValidationError, match="give the reason"):
        withdraw_case(master, daniels_cases(master)[1], "   ")
    with pytest.raises(NotFound, match="no case with sample number 99"):
        withdraw_case(master, 99, "No such case")
    assert withdrawn_cases(master) == []


def test_withdrawing_twice_or_reinstating_a_case_in_the_inspection_is_refused(
    master: InspectionFile,
) -> None:
    number = daniels_cases(master)[0]
    with pytest.raises(ValidationError, match=f"case {number} is not withdrawn"):
        reinstate_case(master, number)
    withdraw_case(master, number, "Transferred")
    with pytest.raises(ValidationError, match="already withdrawn"):
        withdraw_case(master, number, "Again")


def test_a_reinstated_case_comes_back_with_its_readers(master: InspectionFile) -> None:
    number = daniels_cases(master)[0]
    allocate_case(master, number, "Priya Raman", second_reader=True)
    withdraw_case(master, number, "Transferred")
    with pytest.raises(ValidationError, match="withdrawn; reinstate it"):
        allocate_case(master, number, "Priya Raman")
    with pytest.raises(ValidationError, match="withdrawn; reinstate it"):
        check_move(master, [number], "Priya Raman")
    reinstate_case(master, number)
    (case,) = load_cases(master, [master.case_key_for(number)])
    assert (case.first_reader, case.second_reader) == (DANIEL, "Priya Raman")
    assert withdrawn_cases(master) == []
    assert "Cases withdrawn without a replacement" not in dict(selection_facts(master))


def test_a_fieldwork_file_written_after_leaves_the_withdrawn_case_out(
    master: InspectionFile, tmp_path: Path
) -> None:
    numbers = daniels_cases(master)
    withdraw_case(master, numbers[0], "Transferred")
    outcome = export_fieldwork(master, DANIEL, tmp_path)
    assert outcome.cases == len(numbers) - 1
    with InspectionFile.open(outcome.path, readonly=True) as fieldwork:
        assert sorted(c.sample_no for c in load_cases(fieldwork)) == numbers[1:]


def test_work_sent_back_on_a_withdrawn_case_merges_and_stays_out_of_the_counts(
    master: InspectionFile, tmp_path: Path
) -> None:
    """A file written before the withdrawal still merges whole: the work on the withdrawn case
    is kept with it, counted again only if the case is reinstated."""
    number = daniels_cases(master)[0]
    key = master.case_key_for(number)
    written = export_fieldwork(master, DANIEL, tmp_path)
    with InspectionFile.open(written.path) as fieldwork:
        set_answer(fieldwork, key, "A1", "yes", "Seen on the record")
    withdraw_case(master, number, "Transferred out")
    report = merge_files(master, [written.path])
    assert report.sources[0].merged and report.sources[0].new_revisions == 1
    assert compute_findings(master, include_in_progress=True).cases_counted == 0
    (withdrawn,) = withdrawn_cases(master)
    assert withdrawn.written_since
    reinstate_case(master, number)
    assert compute_findings(master, include_in_progress=True).cases_counted == 1


def test_someone_whose_only_case_is_withdrawn_may_leave_the_team(
    master: InspectionFile,
) -> None:
    for number in daniels_cases(master)[1:]:
        allocate_case(master, number, "Priya Raman")
    withdraw_case(master, daniels_cases(master)[0], "Transferred")
    remove_member(master, DANIEL)
    assert DANIEL not in {m.name for m in list_members(master)}
    (withdrawn,) = withdrawn_cases(master)
    assert withdrawn.first_reader is None


def test_a_fieldwork_file_cannot_withdraw(master: InspectionFile, tmp_path: Path) -> None:
    written = export_fieldwork(master, DANIEL, tmp_path)
    with (
        InspectionFile.open(written.path) as fieldwork,
        pytest.raises(ValidationError, match="withdraw cases in the master"),
    ):
        withdraw_case(fieldwork, daniels_cases(master)[0], "Transferred")
