"""An inspection from start to published report on the command line alone: new, team, sample,
allocation, fieldwork files, answers, completion, merge, conflicts, settings, narrative and
`report --final`; the published figures are then counted again from the master's answers."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from inspector_app.cli.main import run_cli
from inspector_app.core.cases.case_data import load_cases
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.findings.figures import compute_findings
from inspector_app.core.framework import Framework, applicable_questions, applies
from inspector_app.core.framework.profile import AGE_BANDS, ETHNICITIES, OFFENCE_GROUPS
from inspector_app.core.sample.importing import SAMPLE_COLUMNS

LEAD = "Helen Ashworth"
INSPECTORS = ("Daniel Okafor", "Priya Raman")
CASES = 12
CHIEF = "Alex Morgan"
SENTENCES = ("Community order", "Suspended sentence order", "Licence")
ROSH = ("Low", "Medium", "High", "Very high")


def cli(capsys: pytest.CaptureFixture[str], *args: object) -> str:
    """Run a command that must succeed; its standard output."""
    code = run_cli([str(a) for a in args])
    out, err = capsys.readouterr()
    assert code == 0, f"{args[0]} failed: {err}"
    return out


def write_sample(path: Path) -> Path:
    """A trust's case list as the lead receives it (every value one the profile knows)."""
    yes_no = ("yes", "no")
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(SAMPLE_COLUMNS)
        for n in range(1, CASES + 1):
            cell = {
                "sample_no": n,
                "crn": f"X{700000 + n}",
                "name": f"Person Number{n}",
                "gender": "Female" if n % 4 == 0 else "Male",
                "ethnicity": ETHNICITIES[n % 2],
                "age_band": AGE_BANDS[n % len(AGE_BANDS)],
                "sentence_type": SENTENCES[n % 3],
                "offence_group": OFFENCE_GROUPS[n % len(OFFENCE_GROUPS)],
                "rosh": ROSH[n % 4],
                "tier": 1 + n % 4,
                "mappa_category": 1 if n % 5 == 0 else "",
                "child_protection": yes_no[n % 2],
                "domestic_abuse": yes_no[(n // 2) % 2],
                "alcohol_misuse": yes_no[(n + 1) % 2],
                "drug_misuse": yes_no[(n // 3) % 2],
                "statutory_victim": yes_no[0 if n % 6 == 0 else 1],
                "om_grade": "PSO" if n % 3 == 0 else "PO",
                "office": "Wirral" if n % 2 else "Sefton",
            }
            writer.writerow([cell.get(column, "") for column in SAMPLE_COLUMNS])
    return path


def an_answer(framework: Framework, code: str, case_no: int, index: int) -> tuple[str, str]:
    """A deterministic answer (sufficient mostly, insufficient or not applicable now and then)
    and a note wherever the framework wants one."""
    question = framework.question(code)
    scale = framework.scale_of(question)
    if scale.kind == "text":
        return "Interviewed at the office; engaged well.", ""
    if question.scored and question.sufficient_value and question.insufficient_value:
        if "na" in scale.values and (case_no + index) % 11 == 0:
            value = "na"
        elif (case_no * 7 + index) % 4 == 0:
            value = question.insufficient_value
        else:
            value = question.sufficient_value
    else:
        value = scale.values[(case_no + index) % len(scale.values)]
    note = "No evidence on the case record." if question.needs_note(value) else ""
    return value, note


def write_answers(fieldwork: Path, out: Path) -> tuple[Path, int]:
    """Every applicable question of every case in a fieldwork file, in framework order (an
    answer can make a later question apply or not), as case,question,answer,note."""
    with InspectionFile.open(fieldwork, readonly=True) as file:
        framework = file.framework
        cases = load_cases(file)
    rows = [("case", "question", "answer", "note")]
    for case in cases:
        answers: dict[str, str | None] = {}
        for index, question in enumerate(framework.questions()):
            if applies(question.applies_if, case.profile, answers):
                value, note = an_answer(framework, question.code, case.sample_no, index)
                answers[question.code] = value
                rows.append((str(case.sample_no), question.code, value, note))
        applicable = {q.code for q in applicable_questions(framework, case.profile, answers)}
        assert applicable == set(answers), case.label  # every applicable question, no other
    with open(out, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return out, len(cases)


def recount(master: Path) -> dict[str, tuple[int, int]]:
    """(sufficient, insufficient) per scored question and "overall", counted straight from the
    complete cases' answers: the rule the report states, applied by hand."""
    with InspectionFile.open(master, readonly=True) as file:
        framework = file.framework
        cases = [c for c in load_cases(file) if c.marked_complete]
    counts: dict[str, tuple[int, int]] = {}
    total = [0, 0]
    for question in framework.questions():
        if not question.scored:
            continue
        values = [c.answers[question.code].value for c in cases if question.code in c.answers]
        good = sum(v == question.sufficient_value for v in values)
        bad = sum(v == question.insufficient_value for v in values)
        counts[question.code] = (good, bad)
        total[0] += good
        total[1] += bad
    counts["overall"] = (total[0], total[1])
    return counts


def test_an_inspection_from_the_command_line_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    master = tmp_path / "Merseyside.inspection"
    out = cli(
        capsys,
        "new",
        master,
        "--title",
        "Inspection of Adult Offending Work: Merseyside",
        "--organisation",
        "Merseyside",
        "--lead",
        LEAD,
        "--fieldwork-start",
        "2026-11-02",
        "--fieldwork-end",
        "2026-11-06",
    )
    assert out.startswith("Created Merseyside.inspection")
    for name in INSPECTORS:
        assert cli(capsys, "team", "add", master, name, "--role", "inspector") == (
            f"Added {name} (inspector)\n"
        )
    cli(capsys, "import-sample", master, write_sample(tmp_path / "sample.csv"))
    cli(capsys, "allocate", master, "--auto")

    fieldwork = []
    for name in INSPECTORS:
        path = tmp_path / f"{name.split()[0]}.inspection"
        out = cli(capsys, "export-fieldwork", master, "--inspector", name, "-o", path)
        assert f"for {name}" in out
        answers, count = write_answers(path, tmp_path / f"{name.split()[0]}-answers.csv")
        assert count > 0
        out = cli(capsys, "import-answers", path, answers)
        assert out.startswith("Imported ")
        status = json.loads(cli(capsys, "status", path, "--json"))
        numbers = [str(c["sample_no"]) for c in status["cases"]]
        assert all(c["answered"] == c["applicable"] for c in status["cases"])
        out = cli(capsys, "complete", path, *numbers)
        assert out == f"{len(numbers)} case{'s' if len(numbers) != 1 else ''} marked complete\n"
        fieldwork.append(path)

    cli(capsys, "merge", master, *fieldwork)
    for conflict in json.loads(cli(capsys, "conflicts", master, "--json")):
        author = conflict["heads"][0]["author"]
        cli(
            capsys,
            "conflicts",
            master,
            "--resolve",
            str(conflict["case"]),
            conflict["question"],
            "--take",
            author,
            "--reason",
            "Agreed with both readers",
        )
    assert json.loads(cli(capsys, "conflicts", master, "--json")) == []
    status = json.loads(cli(capsys, "status", master, "--json"))
    assert status["counts"] == {"complete": CASES}

    settings = tmp_path / "settings.toml"
    settings.write_text(
        'chief_inspector_title = "HM Chief Inspector of Probation"\n'
        'press_contact = "the press office on 020 7946 0000"\n'
        'organisation_name = "Merseyside Probation Trust"\n'
        'publication_month = "2027-02"\n',
        encoding="utf-8",
    )
    cli(capsys, "report-settings", master, "--from", settings, "--set", f"chief_inspector={CHIEF}")
    narrative = tmp_path / "narrative.toml"
    narrative.write_text(
        'judgement = "reasonable"\n'
        'headline = "making progress in protecting the public"\n'
        'foreword = "We found committed staff.\\n\\nMuch remains to be done on oversight."\n'
        'strengths = ["assessments were thorough", "work to deliver the sentence was good"]\n'
        'concerns = ["management oversight was not always effective"]\n'
        'recommendations = ["Improve management oversight.", "Assess risk promptly."]\n'
        "[chapters]\n"
        '"1.2" = "Assessments were mostly timely."\n',
        encoding="utf-8",
    )
    cli(capsys, "narrative", master, "--set-from", narrative)

    pdf, word, press = tmp_path / "r.pdf", tmp_path / "r.docx", tmp_path / "r.txt"
    out = cli(
        capsys, "report", master, "--final", "-o", pdf, "--docx", word, "--press-release", press
    )
    assert out.splitlines() == [f"Wrote {pdf}", f"Wrote {word}", f"Wrote {press}"]
    assert json.loads(cli(capsys, "narrative", master, "--show", "--json"))["final"] is True

    # -- the figures published are the figures in the answers -------------------------------
    counted = recount(master)
    findings = json.loads(cli(capsys, "findings", master, "--json"))
    assert findings["cases_counted"] == CASES
    for question in findings["questions"]:
        assert (question["sufficient"], question["insufficient"]) == counted[question["code"]]
    overall = findings["overall"]
    assert (overall["sufficient"], overall["insufficient"]) == counted["overall"]
    with InspectionFile.open(master, readonly=True) as file:
        core = compute_findings(file)
    assert (core.overall.sufficient, core.overall.insufficient) == counted["overall"]

    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(pdf).pages)
    good, bad = counted["overall"]
    judged = good + bad
    assert f"({good} of {judged}; {round(100 * good / judged)} per cent)" in text
    assert f"Across the {CASES} cases counted" in text
    assert [s["code"] for s in findings["stages"]] == ["1", "2", "3", "4", "5"]
    for criterion in findings["criteria"]:
        if criterion["denominator"] >= 5:
            figures = f"({criterion['sufficient']} of {criterion['denominator']}; "
            assert figures + f"{criterion['percent']} per cent)" in text, criterion["code"]
    assert f"Cases in the sample {CASES}" in text and f"Cases complete {CASES}" in text

    # -- and the published report is final: no draft marks, no placeholder, no identities ---
    release = press.read_text(encoding="utf-8")
    document = docx.Document(io.BytesIO(word.read_bytes()))
    word_text = "\n".join(p.text for p in document.paragraphs)
    for output in (text, release, word_text):
        assert "DRAFT" not in output and "said ," not in output
        assert not re.search(r"\[(?!c\])", output)
        for n in range(1, CASES + 1):
            assert f"X{700000 + n}" not in output and f"Number{n}" not in output
    assert f"said {CHIEF}, HM Chief Inspector of Probation, publishing" in release
    assert "was of a reasonable standard" in release
    assert "the press office on 020 7946 0000" in release
    assert "February 2027" in text and CHIEF in text
