"""The set-up's twins on the command line: withdraw and reinstate a case, a reader's capacity,
the sample imported again in place of the cases; each checked in the file afterwards, and each
refusal one line that changes nothing."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from inspector_app.app.team_board import build_team_board
from inspector_app.core.cases.answers import set_answer
from inspector_app.core.demo import write_sample_csv
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.sample.withdrawal import withdrawn_cases
from tests.cli import test_cli
from tests.cli.test_cli import cli
from tests.conftest import file_hash

master_path = test_cli.master_path  # the fixture: a master of 12 cases shared by two readers


def first_case_of(path: Path, name: str) -> int:
    with InspectionFile.open(path, readonly=True) as file:
        return build_team_board(file).person(name).first_reads[0].sample_no


def test_withdraw_and_reinstate(master_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    number = first_case_of(master_path, "Daniel Okafor")
    code, out, err = cli(capsys, "withdraw", master_path, number, "--reason", "Offender deceased")
    assert (code, err) == (0, "")
    assert out.strip() == (
        f"Case {number:03d} withdrawn without a replacement; reinstate it with 'reinstate'"
    )
    with InspectionFile.open(master_path, readonly=True) as file:
        assert [(c.sample_no, c.reason) for c in withdrawn_cases(file)] == [
            (number, "Offender deceased")
        ]
    status = json.loads(cli(capsys, "status", master_path, "--json")[1])
    assert number not in [c["sample_no"] for c in status["cases"]]
    team = json.loads(cli(capsys, "team", "list", master_path, "--json")[1])
    assert {m["name"]: m["cases"] for m in team}["Daniel Okafor"] == 5
    code, out, _ = cli(capsys, "reinstate", master_path, number)
    assert (code, out.strip()) == (0, f"Case {number:03d} is back in the inspection")
    status = json.loads(cli(capsys, "status", master_path, "--json")[1])
    assert number in [c["sample_no"] for c in status["cases"]]


def test_team_capacity_is_set_and_cleared(
    master_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = cli(capsys, "team", "capacity", master_path, "tom gallagher", "8")
    assert (code, out.strip()) == (0, "Tom Gallagher can take 8 cases")
    with InspectionFile.open(master_path, readonly=True) as file:
        assert build_team_board(file).person("Tom Gallagher").capacity == 8
    code, out, _ = cli(capsys, "team", "capacity", master_path, "Tom Gallagher", "none")
    assert (code, out.strip()) == (0, "Tom Gallagher has no limit on cases")
    with InspectionFile.open(master_path, readonly=True) as file:
        assert build_team_board(file).person("Tom Gallagher").capacity is None


def test_import_sample_replace_puts_the_new_cases_in_place(
    master_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corrected = tmp_path / "corrected.csv"
    write_sample_csv(corrected, 4, random.Random(3))
    code, out, err = cli(capsys, "import-sample", master_path, corrected, "--replace")
    assert (code, err) == (0, "")
    assert out.strip() == "Imported 4 cases from corrected.csv"
    status = json.loads(cli(capsys, "status", master_path, "--json")[1])
    assert len(status["cases"]) == 4


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["withdraw", "{master}", "99", "--reason", "Gone"], "no case with sample number 99"),
        (["withdraw", "{master}", "{case}", "--reason", " "], "give the reason"),
        (["reinstate", "{master}", "{case}"], "is not withdrawn"),
        (["team", "capacity", "{master}", "Tom Gallagher", "0"], "from 1 to 10,000"),
        (["team", "capacity", "{master}", "Tom Gallagher", "lots"], "'lots' is not a capacity"),
        (["team", "capacity", "{master}", "Nobody", "3"], "no team member called 'Nobody'"),
    ],
)
def test_refusals_are_one_line_and_change_nothing(
    master_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], expected: str
) -> None:
    number = first_case_of(master_path, "Daniel Okafor")
    before = file_hash(master_path)
    code, out, err = cli(capsys, *(a.format(master=master_path, case=number) for a in args))
    assert code == 1 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0]
    assert file_hash(master_path) == before


def test_a_case_with_answers_is_neither_withdrawn_nor_imported_over(
    master_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], sample_csv: Path
) -> None:
    number = first_case_of(master_path, "Daniel Okafor")
    with InspectionFile.open(master_path) as file:
        set_answer(file, file.case_key_for(number), "A1", "yes", "Seen on the record")
    before = file_hash(master_path)
    code, _out, err = cli(capsys, "withdraw", master_path, number, "--reason", "Transferred")
    assert code == 1 and "already has answers or corrections" in err
    code, _out, err = cli(capsys, "import-sample", master_path, sample_csv, "--replace")
    assert code == 1 and "fieldwork has begun" in err and len(err.strip().splitlines()) == 1
    assert file_hash(master_path) == before
