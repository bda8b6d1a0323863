"""The second framework from the command line alone: an inspection made with the 2018 case
supervision standards, from a trust's own export (its headings, its codes) to the report, with
each standard's rating recounted by hand from the master's answers."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from inspector_app.core.cases.case_data import load_cases
from inspector_app.core.files.inspection_file import InspectionFile
from tests.cli.test_cli_end_to_end import cli, write_answers

FRAMEWORK = "case-supervision-2018"
INSPECTORS = ("Daniel Okafor", "Priya Raman")
# The trust's own words for its sentences: "PSS" is post-sentence supervision only.
SENTENCES = ("CO", "SSO", "Licence", "PSS")


def write_export(path: Path, cases: int) -> Path:
    """A trust's export in its own shape: its headings, its codes, a short-licence flag."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "Sample No",
                "CRN",
                "Full Name",
                "Sex",
                "Ethnic Group",
                "Age",
                "Order Type",
                "Short licence",
                "RoSH Level",
                "Tier",
                "MAPPA",
                "DV Flag",
                "Child Safeguarding",
                "OM Grade",
                "Team",
            ]
        )
        for n in range(1, cases + 1):
            writer.writerow(
                [
                    n,
                    f"K{510000 + n}",
                    f"Person Number{n}",
                    "F" if n % 4 == 0 else "M",
                    "W1" if n % 2 else "B2",
                    20 + n,
                    SENTENCES[n % 4],
                    "Y" if n % 4 == 2 and n % 3 == 0 else "N",
                    ("L", "M", "H", "VH")[n % 4],
                    1 + n % 4,
                    "1/1" if n % 5 == 0 else "",
                    "Y" if n % 3 == 0 else "N",
                    "Y" if n % 2 == 0 else "N",
                    "PSO" if n % 3 == 0 else "PO",
                    "North",
                ]
            )
    return path


def recount_ratings(master: Path) -> dict[str, str | None]:
    """Each standard's rating and the overall one, by hand: a key question's printed
    percentage of relevant complete cases judged sufficient; the standard takes the band of its
    lowest; the overall is the band of the summed scores (the bands the framework file states)."""
    with InspectionFile.open(master, readonly=True) as file:
        framework = file.framework
        cases = [c for c in load_cases(file) if c.marked_complete]
    bands = ((80, "Outstanding", 3), (65, "Good", 2), (50, "Requires improvement", 1))
    ratings: dict[str, str | None] = {}
    total = 0
    for standard in framework.criteria():
        printed = []
        for code in standard.questions:
            values = [c.answers[code].value for c in cases if code in c.answers]
            good, bad = values.count("sufficient"), values.count("insufficient")
            if good + bad:
                printed.append(int(100 * good / (good + bad) + 0.5))
        lowest = min(printed)
        rating, score = next(((r, s) for low, r, s in bands if lowest >= low), ("Inadequate", 0))
        ratings[standard.code] = rating
        total += score
    ratings["overall"] = (
        "Outstanding"
        if total >= 11
        else "Good"
        if total >= 7
        else "Requires improvement"
        if total >= 3
        else "Inadequate"
    )
    return ratings


def test_an_inspection_under_the_2018_standards_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    master = tmp_path / "Northshire.inspection"
    out = cli(
        capsys,
        "new",
        master,
        "--title",
        "Case supervision in Northshire",
        "--organisation",
        "Northshire Probation Delivery Unit",
        "--framework",
        FRAMEWORK,
        "--lead",
        "Helen Ashworth",
        "--fieldwork-start",
        "2026-11-02",
        "--fieldwork-end",
        "2026-11-06",
    )
    assert f"({FRAMEWORK} 1.0," in out
    for name in INSPECTORS:
        cli(capsys, "team", "add", master, name, "--role", "inspector")
    cli(capsys, "import-sample", master, write_export(tmp_path / "export.csv", 16))
    listed = cli(capsys, "cases", master)
    assert "sentence_type=Post-sentence supervision" in listed
    assert "short_licence=True" in listed
    cli(capsys, "allocate", master, "--auto")

    fieldwork = []
    for name in INSPECTORS:
        path = tmp_path / f"{name.split()[0]}.inspection"
        cli(capsys, "export-fieldwork", master, "--inspector", name, "-o", path)
        answers, count = write_answers(path, tmp_path / f"{name.split()[0]}.csv")
        assert count > 0
        cli(capsys, "import-answers", path, answers)
        cli(capsys, "complete", path, "--all")
        fieldwork.append(path)
    cli(capsys, "merge", master, *fieldwork)

    findings = json.loads(cli(capsys, "findings", master, "--json"))
    ratings = findings["ratings"]
    rated = {s["code"]: s["rating"] for s in ratings["standards"]}
    rated["overall"] = ratings["overall"]["rating"]
    assert rated == recount_ratings(master)
    for standard in ratings["standards"]:
        lowest = min(k["percent"] for k in standard["key_questions"] if k["percent"] is not None)
        decided = next(k for k in standard["key_questions"] if k["code"] == standard["decided_by"])
        assert decided["percent"] == lowest

    pdf, word, press = tmp_path / "r.pdf", tmp_path / "r.docx", tmp_path / "r.txt"
    cli(capsys, "report", master, "-o", pdf, "--docx", word, "--press-release", press)
    assert pdf.read_bytes().startswith(b"%PDF")
    assert word.stat().st_size > 0
    assert "24 cases" not in press.read_text(encoding="utf-8")
    assert "16 cases" in press.read_text(encoding="utf-8")


def test_the_adjusted_question_set_leaves_out_the_core_only_prompts(tmp_path: Path) -> None:
    """Post-sentence supervision only, or a licence of eight weeks or less: the adjusted set,
    decided by the profile as the framework file says, not by code."""
    from inspector_app.core.framework import applicable_questions, load_builtin

    framework = load_builtin(FRAMEWORK)
    core_only = {"2.2.2c", "2.3.2b", "2.4.2b"}
    base = {"rosh": "High", "child_protection": False, "short_licence": False}
    profiles = {
        "Community order": True,
        "Licence": True,
        "Post-sentence supervision": False,
    }
    for sentence, core in profiles.items():
        codes = {
            q.code for q in applicable_questions(framework, base | {"sentence_type": sentence}, {})
        }
        assert core_only <= codes if core else not core_only & codes, sentence
    short = base | {"sentence_type": "Licence", "short_licence": True}
    assert not core_only & {q.code for q in applicable_questions(framework, short, {})}


def test_frameworks_are_listed_checked_and_installed_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from inspector_app.cli.main import run_cli
    from inspector_app.core.framework import builtin_frameworks

    monkeypatch.setenv("INSPECTOR_APP_HOME", str(tmp_path / "home"))
    listed = cli(capsys, "framework", "list")
    assert "case-supervision-2018" in listed and "iaow-2013" in listed

    text = builtin_frameworks()[FRAMEWORK].read_text(encoding="utf-8")
    mine = text.replace(f'id = "{FRAMEWORK}"', 'id = "northshire-2027"')
    broken = tmp_path / "broken.toml"
    broken.write_text(mine.replace("from = 65\nto = 79", "from = 60\nto = 79"), "utf-8")
    assert run_cli(["framework", "check", str(broken)]) == 1
    out = capsys.readouterr().out
    # The band's table: its header, its rating or its 'from' line.
    line = mine.splitlines().index("from = 65") + 1
    reported = int(out.removeprefix(f"{broken}:").split(":")[0])
    assert line - 2 <= reported <= line
    assert "overlaps the band below it at 60 to 64" in out

    good = tmp_path / "northshire.toml"
    good.write_text(mine, "utf-8")
    assert "loads (northshire-2027 1.0," in cli(capsys, "framework", "check", good)
    assert "Installed northshire-2027 1.0" in cli(capsys, "framework", "install", good)
    assert "northshire-2027" in cli(capsys, "framework", "list")
    shown = cli(capsys, "framework", "show", "--id", "northshire-2027")
    assert "Ratings (a standard takes the band of its lowest key question):" in shown


def test_the_lead_adjusts_a_rating_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from inspector_app.cli.main import run_cli

    master = tmp_path / "m.inspection"
    cli(
        capsys,
        "new",
        master,
        "--title",
        "Case supervision",
        "--organisation",
        "Northshire",
        "--framework",
        FRAMEWORK,
        "--lead",
        "Helen Ashworth",
    )
    assert run_cli(["rating", str(master), "--adjust", "2.1", "Good"]) != 0
    assert "needs a written justification" in capsys.readouterr().err
    why = "Work to keep children safe was strong in the cases that mattered."
    out = cli(capsys, "rating", str(master), "--adjust", "2.1", "Good", "--justification", why)
    assert out.startswith("2.1 Assessment: Good\n")
    assert f"Adjusted by the lead inspector from not rated: {why}" in out
    rated = json.loads(cli(capsys, "findings", master, "--json"))["ratings"]
    assert rated["standards"][0]["justification"] == why
    cli(capsys, "rating", str(master), "--remove-adjustment", "2.1")
    assert "Not rated: no relevant cases" in cli(capsys, "rating", master)
