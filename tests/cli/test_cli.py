"""The command line: every subcommand end to end on real files, exit codes, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from inspector_app.cli.main import is_cli_invocation, run_cli
from inspector_app.core.sample.importing import SAMPLE_COLUMNS
from tests.conftest import file_hash, write_csv


def cli(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    code = run_cli([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def master_path(tmp_path: Path, capsys: pytest.CaptureFixture[str], sample_csv: Path) -> Path:
    path = tmp_path / "m.inspection"
    assert (
        cli(
            capsys,
            "new",
            path,
            "--title",
            "Inspection of Adult Offending Work: Merseyside",
            "--organisation",
            "Merseyside",
            "--lead",
            "Helen Ashworth",
            "--fieldwork-start",
            "2026-11-02",
            "--fieldwork-end",
            "2026-11-06",
        )[0]
        == 0
    )
    for name, role in (("Daniel Okafor", "inspector"), ("Tom Gallagher", "assessor")):
        assert cli(capsys, "team", "add", path, name, "--role", role)[0] == 0
    assert cli(capsys, "import-sample", path, sample_csv)[0] == 0
    assert cli(capsys, "allocate", path, "--auto")[0] == 0
    return path


def test_full_setup_flow(
    master_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = cli(capsys, "team", "list", master_path, "--json")
    team = json.loads(out)
    assert {m["name"]: m["cases"] for m in team} == {
        "Helen Ashworth": 0,
        "Daniel Okafor": 6,
        "Tom Gallagher": 6,
    }
    code, out, err = cli(
        capsys,
        "export-fieldwork",
        master_path,
        "--inspector",
        "Daniel Okafor",
        "-o",
        tmp_path / "daniel.inspection",
    )
    assert code == 0 and "6 cases" in out and err == ""
    code, out, _ = cli(capsys, "status", tmp_path / "daniel.inspection", "--json")
    status = json.loads(out)
    assert status["role"] == "fieldwork" and status["owner"] == "Daniel Okafor"
    assert len(status["cases"]) == 6
    assert all(c["status"] == "not started" for c in status["cases"])
    assert "crn" not in out.lower()


def test_import_answers_then_status_shows_progress(
    master_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cli(
        capsys,
        "export-fieldwork",
        master_path,
        "--inspector",
        "Daniel Okafor",
        "-o",
        tmp_path / "d.inspection",
    )
    status = json.loads(cli(capsys, "status", tmp_path / "d.inspection", "--json")[1])
    sample_no = status["cases"][0]["sample_no"]
    answers = write_csv(
        tmp_path / "answers.csv",
        [["case", "question", "answer", "note"], [sample_no, "B1.1", "yes", "Timely"]],
    )
    code, out, _ = cli(capsys, "import-answers", tmp_path / "d.inspection", answers)
    assert (code, out.strip()) == (0, "Imported 1 answer from answers.csv")
    status = json.loads(cli(capsys, "status", tmp_path / "d.inspection", "--json")[1])
    assert status["cases"][0]["answered"] == 1
    assert status["cases"][0]["status"] == "in progress"


def test_framework_json_is_structured(
    capsys: pytest.CaptureFixture[str], master_path: Path
) -> None:
    code, out, _ = cli(capsys, "framework", "--id", "iaow-2013", "--json")
    data = json.loads(out)
    assert code == 0 and [s["code"] for s in data["sections"]] == list("0ABCDEFG")
    questions = [q for s in data["sections"] for q in s["questions"]]
    assert 40 <= len(questions) <= 70
    conditional = [q for q in questions if q["applies_if"]]
    assert conditional and all(isinstance(q["applies_if"], dict) for q in conditional)
    assert {"code", "text", "scale", "scored", "polarity", "applies_if"} <= set(questions[0])
    assert json.loads(cli(capsys, "framework", master_path, "--json")[1]) == data


def test_xlsx_sample_import(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "x.inspection"
    cli(capsys, "new", path, "--title", "T", "--organisation", "O")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(SAMPLE_COLUMNS))
    row = {c: "" for c in SAMPLE_COLUMNS} | {
        "sample_no": 1,
        "gender": "Male",
        "sentence_type": "Licence",
        "rosh": "High",
        "tier": 3,
    }
    sheet.append([row[c] for c in SAMPLE_COLUMNS])
    book.save(tmp_path / "sample.xlsx")
    code, out, _ = cli(capsys, "import-sample", path, tmp_path / "sample.xlsx")
    assert (code, out.strip()) == (0, "Imported 1 case from sample.xlsx")


def test_bad_sample_imports_nothing_unless_accepted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "x.inspection"
    cli(capsys, "new", path, "--title", "T", "--organisation", "O")
    bad = write_csv(
        tmp_path / "s.csv",
        [
            ["sample_no", "sentence_type", "rosh", "tier"],
            ["1", "Licence", "High", "3"],
            ["2", "Licence", "Extreme", "3"],
        ],
    )
    code, _, err = cli(capsys, "import-sample", path, bad)
    assert code == 1 and err.startswith("inspector-app: error: s.csv: nothing imported")
    assert "row 3" in err and "Extreme" in err
    code, out, _ = cli(capsys, "status", path, "--json")
    assert json.loads(out)["cases"] == []
    code, out, _ = cli(capsys, "import-sample", path, bad, "--accept-valid-rows")
    assert code == 0 and "Imported 1 case" in out and "Skipped 1 row with problems" in out


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["status", "{tmp}/missing.inspection"], "missing.inspection: no such file"),
        (["team", "add", "{master}", "Helen Ashworth"], "already in the team"),
        (
            ["allocate", "{master}", "--case", "99", "--to", "Daniel Okafor"],
            "no case with sample number 99",
        ),
        (
            ["allocate", "{master}", "--case", "1", "--to", "Nobody"],
            "no team member called 'Nobody'",
        ),
        (["allocate", "{master}"], "either --auto"),
        (["export-fieldwork", "{master}", "--inspector", "Nobody", "-o", "{tmp}"], "Nobody"),
        (["framework", "--id", "no-such-framework"], "no-such-framework"),
        (["new", "{master}", "--title", "T", "--organisation", "O"], "already exists"),
    ],
    ids=[
        "missing-file",
        "duplicate-member",
        "unknown-case",
        "unknown-member",
        "allocate-usage",
        "export-unknown",
        "unknown-framework",
        "new-over-existing",
    ],
)
def test_errors_give_one_clear_line_and_change_nothing(
    master_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    expected: str,
) -> None:
    before = file_hash(master_path)
    args = [a.format(tmp=tmp_path, master=master_path) for a in args]
    code, _out, err = cli(capsys, *args)
    assert code != 0
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("inspector-app: error: ")
    assert expected in lines[0]
    assert file_hash(master_path) == before


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(capsys, "new")
    assert code == 2 and "required" in err


def test_new_rejects_bad_dates(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(
        capsys,
        "new",
        tmp_path / "x.inspection",
        "--title",
        "T",
        "--organisation",
        "O",
        "--fieldwork-start",
        "26/11/2026",
    )
    assert code == 2 and "not a date" in err
    assert not (tmp_path / "x.inspection").exists()


def test_demo_creates_master_and_fieldwork_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, _ = cli(capsys, "demo", tmp_path / "demo")
    assert code == 0
    assert len(list((tmp_path / "demo").glob("*-fieldwork-*.inspection"))) == 3
    master = next((tmp_path / "demo").glob("*-master.inspection"))
    status = json.loads(cli(capsys, "status", master, "--json")[1])
    assert len(status["cases"]) == 60
    team = json.loads(cli(capsys, "team", "list", master, "--json")[1])
    assert len(team) == 4


def test_gui_or_cli_dispatch() -> None:
    assert is_cli_invocation(["status", "x"])
    assert is_cli_invocation(["--version"])
    assert not is_cli_invocation([])
    assert not is_cli_invocation(["some file.inspection"])
    assert not is_cli_invocation(["--open-demo"])
    # a mistyped command is the command line's to explain, never a window that may not open
    assert is_cli_invocation(["cses", "x.inspection"])
    assert is_cli_invocation(["stauts"])
    # a file first opens the window, whatever follows (a second path, a Qt option)
    assert not is_cli_invocation(["a.inspection", "-style", "fusion"])
    assert not is_cli_invocation(["my master.inspection "])


def test_findings_json_after_merging_the_demo(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cli(capsys, "demo", tmp_path / "demo")
    master = next((tmp_path / "demo").glob("*-master.inspection"))
    sources = sorted((tmp_path / "demo").glob("*-fieldwork-*.inspection"))
    code, out, err = cli(capsys, "merge", master, *sources, "--json")
    assert code == 0, err
    assert sum(s["new_revisions"] for s in json.loads(out)["sources"]) > 0
    code, out, _ = cli(capsys, "findings", master, "--json")
    data = json.loads(out)
    assert code == 0 and data["cases_counted"] > 0
    question = data["questions"][0]
    assert {
        "code",
        "section",
        "text",
        "yes",
        "no",
        "na",
        "unanswered",
        "denominator",
        "percent",
        "words",
        "disputed",
    } <= set(question)
    assert question["denominator"] == question["sufficient"] + question["insufficient"]
    code, out, _ = cli(
        capsys, "findings", master, "--json", "--include-in-progress", "--subgroup", "licence"
    )
    assert json.loads(out)["subgroup"] == "licence"
    code, _, err = cli(capsys, "findings", master, "--subgroup", "nope")
    assert code == 1 and "no sub-group 'nope'" in err


def test_report_command_writes_pdf_word_and_press_release(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cli(capsys, "demo", tmp_path / "demo", "--cases", "60")
    master = next((tmp_path / "demo").glob("*-master.inspection"))
    cli(capsys, "merge", master, *sorted((tmp_path / "demo").glob("*-fieldwork-*.inspection")))
    lists = tmp_path / "lists.toml"
    lists.write_text(
        'strengths = ["assessments were thorough"]\n'
        'concerns = ["management oversight was not always effective"]\n',
        encoding="utf-8",
    )
    assert cli(capsys, "narrative", master, "--set-from", lists)[0] == 0
    out_pdf, out_docx, out_txt = tmp_path / "r.pdf", tmp_path / "r.docx", tmp_path / "r.txt"
    code, _out, err = cli(
        capsys, "report", master, "-o", out_pdf, "--docx", out_docx, "--press-release", out_txt
    )
    assert code == 0, err
    assert out_pdf.read_bytes().startswith(b"%PDF")
    assert out_docx.read_bytes().startswith(b"PK")
    assert "Inspectors were pleased to find that:" in out_txt.read_text(encoding="utf-8")
    code, _, err = cli(capsys, "report", master, "-o", tmp_path / "missing" / "r.pdf")
    assert code == 1 and "no such folder" in err


def test_every_argument_of_every_command_says_what_it_is_for() -> None:
    import argparse

    from inspector_app.cli.main import build_parser

    missing: list[str] = []

    def walk(parser: argparse.ArgumentParser, path: str) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    walk(sub, f"{path} {name}".strip())
            elif not isinstance(action, argparse._HelpAction) and not action.help:
                missing.append(f"{path}: {action.option_strings or action.dest}")

    walk(build_parser(), "")
    assert missing == []


def test_a_mistyped_command_is_named_not_opened(capsys: pytest.CaptureFixture[str]) -> None:
    code = run_cli(["stauts", "x.inspection"])
    assert code == 2
    assert "invalid choice: 'stauts'" in capsys.readouterr().err


def test_a_missing_file_is_named_and_no_window_opens(tmp_path, capsys) -> None:
    from inspector_app.__main__ import main

    missing = tmp_path / "gone.inspection"
    assert main([str(missing)]) == 2
    assert capsys.readouterr().err.strip() == f"inspector-app: {missing}: no such file"
