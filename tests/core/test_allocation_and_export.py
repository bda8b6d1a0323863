"""Allocating cases and exporting fieldwork files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from inspector_app.core.cases.answers import set_answer
from inspector_app.core.cases.case_data import load_cases
from inspector_app.core.cases.team import add_member, list_members
from inspector_app.core.errors import FileRefused, ValidationError
from inspector_app.core.files.fieldwork_export import export_fieldwork
from inspector_app.core.files.inspection_file import FIELDWORK, InspectionFile
from inspector_app.core.sample.placement import allocate_auto, allocate_case


def test_auto_allocation_is_balanced_and_stable(master: InspectionFile) -> None:
    counts = {m.name: m.cases for m in list_members(master) if m.role == "inspector"}
    assert sorted(counts.values()) == [6, 6]
    before = {c.sample_no: c.first_reader for c in load_cases(master)}
    allocate_auto(master)  # nothing new to allocate: unchanged
    assert {c.sample_no: c.first_reader for c in load_cases(master)} == before


def test_auto_allocation_balances_new_members_in(master: InspectionFile, tmp_path: Path) -> None:
    add_member(master, "Tom Gallagher", "assessor")
    allocate_auto(master)
    assert {m.name: m.cases for m in list_members(master)}["Tom Gallagher"] == 0


def test_auto_allocation_needs_a_team(new_master: InspectionFile, sample_csv: Path) -> None:
    from inspector_app.core.sample.placement import import_sample

    import_sample(new_master, sample_csv)
    counts = allocate_auto(new_master)  # only the lead: the lead takes the cases
    assert counts == {"Helen Ashworth": 12}


def test_manual_and_second_reader_allocation(master: InspectionFile) -> None:
    allocate_case(master, 1, "Daniel Okafor")
    allocate_case(master, 1, "Priya Raman", second_reader=True)
    case = load_cases(master, [master.case_key_for(1)])[0]
    assert (case.first_reader, case.second_reader) == ("Daniel Okafor", "Priya Raman")
    with pytest.raises(ValidationError, match="two different readers"):
        allocate_case(master, 1, "Daniel Okafor", second_reader=True)


def test_fieldwork_file_holds_only_the_inspectors_cases_without_identifiers(
    master: InspectionFile, tmp_path: Path
) -> None:
    outcome = export_fieldwork(master, "Daniel Okafor", tmp_path / "daniel.inspection")
    mine = {c.sample_no for c in load_cases(master) if c.first_reader == "Daniel Okafor"}
    with InspectionFile.open(outcome.path, readonly=True) as fieldwork:
        assert fieldwork.role.role == FIELDWORK
        assert fieldwork.role.owner_name == "Daniel Okafor"
        assert fieldwork.role.replica_id != master.role.replica_id
        assert fieldwork.inspection == master.inspection
        assert fieldwork.framework.source == master.framework.source
        assert {c.sample_no for c in load_cases(fieldwork)} == mine
        assert fieldwork.db.raw.execute("SELECT count(*) FROM case_identity").fetchone() == (0,)
        assert len(list_members(fieldwork)) == 3  # the whole team travels with the file


def test_identifiers_travel_only_when_asked(master: InspectionFile, tmp_path: Path) -> None:
    outcome = export_fieldwork(master, "Daniel Okafor", tmp_path, with_identifiers=True)
    with InspectionFile.open(outcome.path, readonly=True) as fieldwork:
        assert fieldwork.db.raw.execute("SELECT count(*) FROM case_identity").fetchone() == (6,)


def test_fieldwork_file_carries_current_answers_but_second_reader_reads_blind(
    master: InspectionFile, tmp_path: Path
) -> None:
    code = next(q.code for q in master.framework.questions() if q.applies_if is None and q.scored)
    allocate_case(master, 1, "Daniel Okafor")
    allocate_case(master, 1, "Priya Raman", second_reader=True)
    set_answer(
        master,
        master.case_key_for(1),
        code,
        "yes",
        "",
        author=master.member_by_name("Daniel Okafor")[0],
    )
    first = export_fieldwork(master, "Daniel Okafor", tmp_path / "d.inspection")
    second = export_fieldwork(master, "Priya Raman", tmp_path / "p.inspection")
    with InspectionFile.open(first.path, readonly=True) as daniel:
        assert load_cases(daniel, [master.case_key_for(1)])[0].answers[code].value == "yes"
    with InspectionFile.open(second.path, readonly=True) as priya:
        assert code not in load_cases(priya, [master.case_key_for(1)])[0].answers


def test_export_never_overwrites_and_leaves_no_temp_files(
    master: InspectionFile, tmp_path: Path
) -> None:
    target = tmp_path / "d.inspection"
    export_fieldwork(master, "Daniel Okafor", target)
    before = target.read_bytes()
    with pytest.raises(FileRefused, match="already exists"):
        export_fieldwork(master, "Daniel Okafor", target)
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_export_to_a_read_only_folder_fails_cleanly(master: InspectionFile, tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root can write into read-only folders")
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    with pytest.raises(FileRefused, match="cannot write"):
        export_fieldwork(master, "Daniel Okafor", folder)


def test_export_failure_mid_way_leaves_nothing_behind(
    master: InspectionFile, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from inspector_app.core.files import fieldwork_export

    def broken_check(path: Path, expected: int, passphrase: str | None) -> None:
        raise FileRefused("disk full (simulated)")

    monkeypatch.setattr(fieldwork_export, "_check_export", broken_check)
    with pytest.raises(FileRefused, match="disk full"):
        export_fieldwork(master, "Daniel Okafor", tmp_path / "d.inspection")
    assert list(tmp_path.glob("*d.inspection*")) == []


def test_unknown_inspector_and_fieldwork_source_are_refused(
    master: InspectionFile, tmp_path: Path
) -> None:
    from inspector_app.core.errors import NotFound

    with pytest.raises(NotFound, match="no team member called 'Nobody'"):
        export_fieldwork(master, "Nobody", tmp_path)
    outcome = export_fieldwork(master, "Daniel Okafor", tmp_path)
    with (
        InspectionFile.open(outcome.path) as fieldwork,
        pytest.raises(ValidationError, match="master"),
    ):
        export_fieldwork(fieldwork, "Daniel Okafor", tmp_path / "again.inspection")


def test_the_same_sample_and_team_give_the_same_allocation_in_any_master(
    tmp_path: Path, sample_csv: Path
) -> None:
    """Case keys derive from each inspection's own random id; the allocation must not."""
    from inspector_app.core.cases.team import add_member
    from inspector_app.core.sample.placement import import_sample

    allocations = []
    for name in ("one", "two"):
        with InspectionFile.create(
            tmp_path / f"{name}.inspection", title="T", organisation="O", lead="Lead"
        ) as master:
            for member in ("Ann Inspector", "Ben Inspector", "Cat Assessor"):
                add_member(master, member, "inspector")
            import_sample(master, sample_csv)
            allocate_auto(master)
            allocations.append({c.sample_no: c.first_reader for c in load_cases(master)})
    assert allocations[0] == allocations[1]
