"""Setting the inspection up after the wizard: the team corrected (rename, role, remove while
nothing depends on the person), cases moved and second readers added or taken away, through
the core and its command-line twins, with the file's state checked after each."""

from __future__ import annotations

from pathlib import Path

import pytest

from inspector_app.cli.main import run_cli
from inspector_app.core.cases.answers import set_answer
from inspector_app.core.cases.team import (
    add_member,
    list_members,
    remove_member,
    rename_member,
    set_role,
)
from inspector_app.core.errors import NotFound, ValidationError
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.sample.placement import allocate_case, remove_second_reader
from tests.conftest import INSPECTORS, LEAD


def roles(file: InspectionFile) -> dict[str, str]:
    return {m.name: m.role for m in list_members(file)}


def readers(file: InspectionFile, sample_no: int) -> tuple[str | None, str | None]:
    from inspector_app.core.cases.case_data import load_case

    case = load_case(file, file.case_key_for(sample_no))
    return case.first_reader, case.second_reader


def test_a_renamed_member_keeps_their_cases_and_answers(master: InspectionFile) -> None:
    daniel = master.member_by_name("Daniel Okafor")[0]
    cases = {m.name: m.cases for m in list_members(master)}["Daniel Okafor"]
    changes = rename_member(master, "daniel  okafor", "Daniel Okafor-Reid")
    assert changes.team
    assert master.member_by_name("Daniel Okafor-Reid")[0] == daniel
    assert {m.name: m.cases for m in list_members(master)}["Daniel Okafor-Reid"] == cases
    with pytest.raises(NotFound):
        master.member_by_name("Daniel Okafor")
    # the old name is free again: someone else may have it, with an id of their own
    other = add_member(master, "Daniel Okafor")
    assert other.id != daniel
    with pytest.raises(ValidationError, match="already in the team"):
        rename_member(master, "Priya Raman", "DANIEL OKAFOR")


def test_roles_change_but_the_last_lead_stays(master: InspectionFile) -> None:
    set_role(master, "Priya Raman", "assessor")
    assert roles(master)["Priya Raman"] == "assessor"
    with pytest.raises(ValidationError, match="owns this master"):
        set_role(master, LEAD, "inspector")  # the master signs its edits as its lead
    set_role(master, "Priya Raman", "lead")
    assert roles(master)["Priya Raman"] == "lead"
    set_role(master, "Priya Raman", "inspector")  # a second lead may step back
    assert roles(master) == {**roles(master), LEAD: "lead", "Priya Raman": "inspector"}
    with pytest.raises(ValidationError, match="unknown role"):
        set_role(master, "Priya Raman", "boss")


def test_a_member_is_removed_only_when_nothing_depends_on_them(master: InspectionFile) -> None:
    with pytest.raises(ValidationError, match=r"still has \d+ cases allocated"):
        remove_member(master, "Priya Raman")
    add_member(master, "Sam Nolan", "assessor")
    allocate_case(master, 1, "Sam Nolan", second_reader=True)
    with pytest.raises(ValidationError, match="still has 1 case allocated"):
        remove_member(master, "Sam Nolan")
    code = next(q.code for q in master.framework.questions())
    set_answer(master, master.case_key_for(1), code, None, "Read as second reader.", author=None)
    remove_second_reader(master, 1)
    remove_member(master, "Sam Nolan")  # nothing allocated, nothing written
    assert "Sam Nolan" not in roles(master)

    add_member(master, "Ola Bello")
    allocate_case(master, 2, "Ola Bello", second_reader=True)
    key = master.case_key_for(2)
    set_answer(master, key, code, None, "Ola's note.", author=master.member_by_name("Ola Bello")[0])
    remove_second_reader(master, 2)
    with pytest.raises(ValidationError, match="has written in this inspection"):
        remove_member(master, "Ola Bello")
    with pytest.raises(ValidationError, match="only lead"):
        remove_member(master, LEAD)


def test_moving_a_case_and_second_readers(master: InspectionFile) -> None:
    first, _ = readers(master, 3)
    other = next(name for name in INSPECTORS if name != first)
    changes = allocate_case(master, 3, other)
    assert changes.cases and master.case_key_for(3) in changes.case_keys
    assert readers(master, 3) == (other, None)
    allocate_case(master, 3, first, second_reader=True)
    assert readers(master, 3) == (other, first)
    with pytest.raises(ValidationError, match="two different readers"):
        allocate_case(master, 3, other, second_reader=True)
    remove_second_reader(master, 3)
    assert readers(master, 3) == (other, None)
    with pytest.raises(ValidationError, match="has no second reader"):
        remove_second_reader(master, 3)


def test_a_fieldwork_file_cannot_change_the_team(master: InspectionFile, tmp_path: Path) -> None:
    from inspector_app.core.files.fieldwork_export import export_fieldwork

    path = export_fieldwork(master, "Daniel Okafor", tmp_path / "daniel.inspection").path
    with InspectionFile.open(path) as fieldwork:
        for change in (
            lambda: rename_member(fieldwork, "Priya Raman", "P Raman"),
            lambda: set_role(fieldwork, "Priya Raman", "assessor"),
            lambda: remove_member(fieldwork, "Priya Raman"),
        ):
            with pytest.raises(ValidationError, match="is a fieldwork file"):
                change()


def test_the_command_line_twins(master: InspectionFile, capsys: pytest.CaptureFixture) -> None:
    path = str(master.path)
    master.close()
    assert run_cli(["team", "add", path, "Sam Nolan", "--role", "assessor"]) == 0
    assert run_cli(["team", "rename", path, "Sam Nolan", "Samuel Nolan"]) == 0
    assert run_cli(["team", "role", path, "Samuel Nolan", "inspector"]) == 0
    assert run_cli(["allocate", path, "--case", "4", "--to", "Samuel Nolan"]) == 0
    assert run_cli(["allocate", path, "--case", "4", "--to", LEAD, "--second-reader"]) == 0
    assert run_cli(["allocate", path, "--case", "4", "--remove-second-reader"]) == 0
    out = capsys.readouterr().out
    assert "Renamed Sam Nolan to Samuel Nolan" in out
    assert "Case 004 has no second reader now" in out
    assert run_cli(["team", "remove", path, "Samuel Nolan"]) != 0
    assert "still has 1 case allocated" in capsys.readouterr().err
    with InspectionFile.open(path, readonly=True) as file:
        assert readers(file, 4) == ("Samuel Nolan", None)
        assert roles(file)["Samuel Nolan"] == "inspector"


def test_a_new_second_reader_replaces_the_old_one(master: InspectionFile) -> None:
    first, _ = readers(master, 5)
    others = [name for name in (*INSPECTORS, LEAD) if name != first]
    allocate_case(master, 5, others[0], second_reader=True)
    allocate_case(master, 5, others[1], second_reader=True)
    assert readers(master, 5) == (first, others[1])
    count = master.db.raw.execute(
        "SELECT count(*) FROM allocation WHERE case_key = ? AND reader = 'second'",
        (master.case_key_for(5),),
    ).fetchone()[0]
    assert count == 1
