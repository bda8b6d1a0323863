"""The lead's set-up records on real files: each reader's capacity (kept, shown against their
cases, planned within), when fieldwork files were written and merged, the sample imported
again before fieldwork begins, and a file of the previous format upgraded to hold them."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from inspector_app.app.new_inspection import Member, Plan, create_inspection
from inspector_app.app.team_board import build_team_board
from inspector_app.core.cases.answers import set_answer
from inspector_app.core.cases.case_data import load_cases
from inspector_app.core.cases.team import add_member
from inspector_app.core.changes import Changes
from inspector_app.core.demo import write_sample_csv
from inspector_app.core.errors import NotFound, ValidationError
from inspector_app.core.files import fieldwork_records
from inspector_app.core.files.fieldwork_export import export_fieldwork
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.merge.run import merge_files
from inspector_app.core.sample.capacity import capacities, parse_capacity, set_capacity
from inspector_app.core.sample.placement import allocate_auto, import_sample, sample_sources
from inspector_app.core.sample.reimport import import_sample_again, sample_import_refusal
from inspector_app.core.sample.withdrawal import withdraw_case
from inspector_app.core.storage.connection import read_header
from inspector_app.core.storage.database import CURRENT_GENERATION
from tests.conftest import file_hash, write_csv
from tests.generation_one import downgrade

DANIEL, PRIYA = "Daniel Okafor", "Priya Raman"

# -- capacity ----------------------------------------------------------------------------------


def test_a_capacity_is_kept_and_shown_against_the_cases_read(master: InspectionFile) -> None:
    assert set_capacity(master, "daniel  okafor", 4).team
    board = build_team_board(master)
    daniel = board.person(DANIEL)
    assert (daniel.capacity, len(daniel.first_reads), daniel.over_capacity) == (4, 6, 2)
    assert board.person(PRIYA).capacity is None and board.person(PRIYA).over_capacity == 0
    assert set_capacity(master, DANIEL, 4) == Changes()  # the same again changes nothing
    set_capacity(master, DANIEL, None)
    assert capacities(master) == {}


@pytest.mark.parametrize("bad", [0, -1, 10_001])
def test_a_capacity_out_of_range_is_refused(master: InspectionFile, bad: int) -> None:
    with pytest.raises(ValidationError, match="from 1 to 10,000, or none"):
        set_capacity(master, DANIEL, bad)
    assert capacities(master) == {}


def test_a_capacity_as_typed(master: InspectionFile) -> None:
    assert [parse_capacity(t) for t in ("8", " 12 ", "none", "No limit")] == [8, 12, None, None]
    with pytest.raises(ValidationError, match="'eight' is not a capacity"):
        parse_capacity("eight")
    with pytest.raises(NotFound, match="no team member called 'Nobody'"):
        set_capacity(master, "Nobody", 3)


def test_the_balanced_allocation_plans_within_the_capacities_kept(
    new_master: InspectionFile, sample_csv: Path
) -> None:
    for name in (DANIEL, PRIYA):
        add_member(new_master, name, "inspector")
    import_sample(new_master, sample_csv)
    set_capacity(new_master, DANIEL, 3)
    counts = allocate_auto(new_master)
    assert counts == {DANIEL: 3, PRIYA: 9}


def test_the_capacities_set_in_the_wizard_are_kept_in_the_master(tmp_path: Path) -> None:
    plan = Plan(
        title="Inspection of Adult Offending Work: Sefton",
        organisation="Sefton",
        programme="Inspection of Adult Offending Work",
        framework_id="iaow-2013",
        fieldwork_start="2026-11-02",
        fieldwork_end="2026-11-06",
        passphrase=None,
        unencrypted_reason="Training inspection with synthetic cases only",
        team=(
            Member("Helen Ashworth", "lead"),
            Member(DANIEL, "inspector"),
            Member(PRIYA, "assessor"),
        ),
        capacities=((DANIEL, 7), (PRIYA, 0)),
        master=tmp_path / "sefton.inspection",
    )
    created = create_inspection(plan)
    with InspectionFile.open(created.master, readonly=True) as file:
        assert capacities(file) == {DANIEL: 7}  # 0 only held Priya's cases back in the preview


# -- when files were written and merged ----------------------------------------------------------


def test_each_file_written_and_merged_is_recorded_per_person(
    master: InspectionFile, tmp_path: Path
) -> None:
    assert fieldwork_records.history_by_member(master.db) == {}
    written = export_fieldwork(master, DANIEL, tmp_path)
    daniel_id = master.member_by_name(DANIEL)[0]
    history = fieldwork_records.history_by_member(master.db)[daniel_id]
    assert history.written_name == written.path.name and history.written_at is not None
    assert (history.merged_at, history.merges) == (None, 0)
    with InspectionFile.open(written.path) as fieldwork:
        key = next(c.key for c in load_cases(fieldwork))
        set_answer(fieldwork, key, "A1", "yes", "Seen on the record")
    report = merge_files(master, [written.path])  # the merge records itself
    history = fieldwork_records.history_by_member(master.db)[daniel_id]
    assert (history.merged_at, history.merged_revisions, history.merges) == (report.when, 1, 1)
    assert history.written_name == written.path.name  # writing and merging kept apart
    board = build_team_board(master)
    assert board.person(DANIEL).history == history
    assert board.person(PRIYA).history.written_at is None


def test_a_refused_file_is_not_recorded_as_merged(master: InspectionFile, tmp_path: Path) -> None:
    not_a_file = tmp_path / "daniel.inspection"
    not_a_file.write_text("not an inspection file", encoding="utf-8")
    report = merge_files(master, [not_a_file])
    assert report.refused
    assert fieldwork_records.history_by_member(master.db) == {}
    assert merge_files(master, [not_a_file], dry_run=True).refused
    assert fieldwork_records.history_by_member(master.db) == {}


# -- the sample imported again ------------------------------------------------------------------


def test_the_sample_is_imported_later_into_a_master_without_one(
    new_master: InspectionFile, sample_csv: Path
) -> None:
    assert sample_import_refusal(new_master) is None
    outcome = import_sample_again(new_master, sample_csv)
    assert outcome.imported == 12 and len(load_cases(new_master)) == 12
    assert outcome.changes.cases


def test_a_corrected_sample_replaces_cases_nobody_has_worked_on(
    master: InspectionFile, tmp_path: Path
) -> None:
    number = load_cases(master)[0].sample_no
    withdraw_case(master, number, "Transferred")
    corrected = tmp_path / "corrected.csv"
    write_sample_csv(corrected, 5, random.Random(11))
    outcome = import_sample_again(master, corrected)
    assert outcome.imported == 5
    cases = load_cases(master)
    assert len(cases) == 5 and all(c.first_reader is None for c in cases)
    assert [s.file_name for s in sample_sources(master)] == ["corrected.csv"]
    assert build_team_board(master).withdrawn == ()


def test_the_sample_cannot_be_imported_again_once_fieldwork_has_begun(
    master: InspectionFile, sample_csv: Path
) -> None:
    key = load_cases(master)[0].key
    set_answer(master, key, "A1", "yes", "Seen on the record")
    refusal = sample_import_refusal(master)
    assert refusal is not None and "fieldwork has begun (1 case has answers" in refusal
    master.close()
    before = file_hash(master.path)
    with (
        InspectionFile.open(master.path) as file,
        pytest.raises(ValidationError, match="fieldwork has begun"),
    ):
        import_sample_again(file, sample_csv)
    assert file_hash(master.path) == before


def test_a_file_that_cannot_be_imported_leaves_the_cases_as_they_were(
    master: InspectionFile, tmp_path: Path
) -> None:
    before = [(c.sample_no, c.first_reader) for c in load_cases(master)]
    bad = write_csv(tmp_path / "bad.csv", [["Sample no", "Gender"], ["x", "Female"]])
    with pytest.raises(ValidationError):
        import_sample_again(master, bad)
    assert [(c.sample_no, c.first_reader) for c in load_cases(master)] == before
    assert [s.file_name for s in sample_sources(master)] == ["sample.csv"]


# -- the file format ------------------------------------------------------------------------------


def test_a_file_of_the_previous_format_opens_upgraded_with_its_team_and_cases(
    master: InspectionFile, tmp_path: Path
) -> None:
    before = build_team_board(master)
    master.close()
    path = downgrade(master.path, tmp_path / "old" / "master.inspection", "0003")
    assert read_header(path).user_version == 3
    with InspectionFile.open(path) as upgraded:
        after = build_team_board(upgraded)
        assert [(p.name, p.role, len(p.first_reads), p.capacity) for p in after.people] == [
            (p.name, p.role, len(p.first_reads), None) for p in before.people
        ]
        set_capacity(upgraded, DANIEL, 5)
        withdraw_case(upgraded, after.person(DANIEL).first_reads[0].sample_no, "Transferred")
        assert build_team_board(upgraded).person(DANIEL).capacity == 5
    assert read_header(path).user_version == CURRENT_GENERATION >= 4
    assert list(path.parent.glob("master.format3-backup*.inspection"))
