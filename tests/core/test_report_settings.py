"""Report settings kept in the file as narrative revisions: defaults, round trip (core and
CLI), history, conflicts, a merge and its undo, and what reaches the PDF and press release;
the `narrative` and `complete` commands."""

from __future__ import annotations

import dataclasses
import io
import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from inspector_app.cli.main import run_cli
from inspector_app.core.cases.answers import set_answer, set_case_complete
from inspector_app.core.cases.case_data import load_cases
from inspector_app.core.cases.team import add_member
from inspector_app.core.errors import ValidationError
from inspector_app.core.files.fieldwork_export import export_fieldwork
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.files.merge_copy import undo_last_merge
from inspector_app.core.findings.figures import compute_findings
from inspector_app.core.merge.conflicts import list_conflicts
from inspector_app.core.merge.run import merge_files
from inspector_app.core.narrative import parts as nv
from inspector_app.core.report.data import ReportSettings, build_report_data
from inspector_app.core.report.pdf import render_pdf
from inspector_app.core.report.press_release import render_press_release
from inspector_app.core.report.settings import (
    DEFAULTS,
    KEYS,
    PUBLICATION_MONTH,
    conflicted_settings,
    load_report_settings,
    save_report_settings,
    setting_values,
)
from inspector_app.core.revisions.log import history
from inspector_app.core.sample.placement import allocate_auto, import_sample
from tests.conftest import INSPECTORS, LEAD
from tests.core.test_publication_gate import an_answer, complete_every_case, narrative_conflict
from tests.merge_helpers import closed_hash
from tests.report_helpers import merged_demo

SETTINGS = {
    "chief_inspector": "Alex Morgan",
    "chief_inspector_title": "HM Chief Inspector of Probation",
    "organisation_name": "Merseyside Probation Trust",
    "area_name": "Merseyside",
    "series_statement": "the second of six inspections focusing on work with adults",
    "press_contact": "Sam Lee in the press office on 020 7946 0000",
    PUBLICATION_MONTH: "2027-03",
    "draft_marking": "OFFICIAL-SENSITIVE: DRAFT",
    "final_marking": "",
    "copyright_line": "© Crown copyright 2027",
    "programme_start": "June 2013",
}


def cli(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    code = run_cli([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def create(path: Path) -> InspectionFile:
    return InspectionFile.create(
        path,
        title="Inspection of Adult Offending Work: Merseyside",
        organisation="Merseyside",
        lead=LEAD,
        fieldwork_start="2026-11-02",
        fieldwork_end="2026-11-06",
    )


def revision_count(file: InspectionFile) -> int:
    return file.db.raw.execute("SELECT count(*) FROM revision").fetchone()[0]


# --- core ---------------------------------------------------------------------------------------


def test_defaults_when_nothing_is_stored(tmp_path: Path) -> None:
    with create(tmp_path / "m.inspection") as file:
        assert setting_values(file) == DEFAULTS
        assert set(DEFAULTS) == set(KEYS)
        settings = load_report_settings(file)
    # the report's own defaults, but a published report carries no marking unless set
    assert settings == dataclasses.replace(ReportSettings(), final_marking="")
    assert settings.chief_inspector == "" and settings.draft_marking == "OFFICIAL-SENSITIVE"


def test_settings_round_trip_through_the_file(tmp_path: Path) -> None:
    path = tmp_path / "m.inspection"
    with create(path) as file:
        values = save_report_settings(file, SETTINGS)
        assert values == DEFAULTS | SETTINGS
    with InspectionFile.open(path, readonly=True) as file:
        assert setting_values(file) == DEFAULTS | SETTINGS
        settings = load_report_settings(file)
        narrative = nv.load_narrative(file)
    assert settings.chief_inspector == "Alex Morgan"
    assert settings.chief_inspector_title == "HM Chief Inspector of Probation"
    assert settings.press_contact == SETTINGS["press_contact"]
    assert settings.programme_start == "June 2013"
    assert settings.draft_marking == "OFFICIAL-SENSITIVE: DRAFT" and settings.final_marking == ""
    # stored as narrative parts: the month of publication is the narrative's own
    assert narrative.report_date == "2027-03"
    assert narrative.settings["chief_inspector"] == "Alex Morgan"
    assert nv.setting_part("chief_inspector") in narrative.stored


def test_the_same_value_again_records_nothing_and_a_change_has_history(tmp_path: Path) -> None:
    with create(tmp_path / "m.inspection") as file:
        save_report_settings(file, {"chief_inspector": "Alex Morgan"})
        count = revision_count(file)
        save_report_settings(file, {"chief_inspector": " Alex Morgan "})
        save_report_settings(file, {"draft_marking": DEFAULTS["draft_marking"]})  # a default
        assert revision_count(file) == count
        save_report_settings(file, {"chief_inspector": "Justin Russell"})
        key = nv.narrative_key(file, nv.setting_part("chief_inspector"))
        assert [r.value for r in history(file.db.raw, key)] == ["Alex Morgan", "Justin Russell"]


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"chief_inspectr": "A"}, "no report setting 'chief_inspectr'; the settings are: "),
        ({"press_contact": "line one\nline two"}, "holds a control character (\\n)"),
        ({"chief_inspector": "Alex\x00Morgan"}, "holds a control character (\\x00)"),
        ({PUBLICATION_MONTH: "March 2027"}, "is not a month such as 2027-02"),
        ({PUBLICATION_MONTH: "2027-13"}, "is not a month such as 2027-02"),
        ({"copyright_line": 2027}, "expected text"),
        ({"copyright_line": "x" * 1001}, "the limit is 1,000"),
    ],
)
def test_refused_values_write_nothing(tmp_path: Path, values: dict, message: str) -> None:
    with create(tmp_path / "m.inspection") as file:
        count = revision_count(file)
        with pytest.raises(ValidationError) as refused:
            save_report_settings(file, {"chief_inspector": "Alex Morgan", **values})
        assert message in str(refused.value)
        assert revision_count(file) == count  # all or none
    if "no report setting" in message:
        assert ", ".join(KEYS) in str(refused.value)


def test_a_setting_set_differently_is_a_conflict_settled_by_saving(tmp_path: Path) -> None:
    with create(tmp_path / "m.inspection") as file:
        save_report_settings(file, {"chief_inspector": "Alex Morgan"})
        narrative_conflict(file, nv.setting_part("chief_inspector"), "Justin Russell")
        assert conflicted_settings(nv.load_narrative(file)) == ["chief_inspector"]
        assert [(c.label, c.field) for c in list_conflicts(file)] == [
            ("Report", "setting.chief_inspector")
        ]
        current = setting_values(file)["chief_inspector"]
        save_report_settings(file, {"chief_inspector": current})  # the same value settles it
        assert conflicted_settings(nv.load_narrative(file)) == []
        assert list_conflicts(file) == []


def test_settings_survive_a_merge_and_its_undo(tmp_path: Path, sample_csv: Path) -> None:
    path = tmp_path / "master.inspection"
    with create(path) as master:
        for name in INSPECTORS:
            add_member(master, name, "inspector")
        import_sample(master, sample_csv)
        allocate_auto(master)
        fieldwork = export_fieldwork(master, INSPECTORS[0], tmp_path / "fw.inspection").path
        save_report_settings(master, SETTINGS)
        nv.set_text(master, nv.FOREWORD, "The foreword.")
    with InspectionFile.open(fieldwork) as file:
        case = load_cases(file)[0]
        question = next(q for q in file.framework.questions() if q.applies_if is None)
        set_answer(file, case.key, question.code, an_answer(file.framework, question), "Seen.")
    with InspectionFile.open(path) as master:
        report = merge_files(master, [fieldwork])
        assert not report.refused and report.sources[0].new_revisions > 0
        assert setting_values(master) == DEFAULTS | SETTINGS
        assert nv.load_narrative(master).foreword == "The foreword."
    undo_last_merge(path)
    with InspectionFile.open(path, readonly=True) as master:
        assert setting_values(master) == DEFAULTS | SETTINGS  # as narrative text is
        assert nv.load_narrative(master).foreword == "The foreword."
        assert load_report_settings(master).chief_inspector == "Alex Morgan"


def test_settings_appear_in_the_pdf_and_press_release(tmp_path: Path) -> None:
    demo = merged_demo(tmp_path / "demo", cases=24)
    with InspectionFile.open(demo.master) as file:
        nv.refresh_proposals(file, compute_findings(file))
        nv.set_text(file, nv.FOREWORD, "A foreword.")
        nv.set_text(file, nv.JUDGEMENT, "good")
        save_report_settings(file, SETTINGS)
        data = build_report_data(file)  # no settings passed: the file's own
    assert data.chief_inspector == "Alex Morgan"
    assert data.marking == "OFFICIAL-SENSITIVE: DRAFT" and data.report_month == "March 2027"
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(render_pdf(data))).pages]
    text = " ".join(" ".join(p.split()) for p in pages)
    assert "Alex Morgan HM Chief Inspector of Probation March 2027" in text  # the signature
    for page in pages:
        assert page.count("OFFICIAL-SENSITIVE: DRAFT") == 2
    release = render_press_release(data)
    assert "said Alex Morgan, HM Chief Inspector of Probation, publishing" in release
    assert "Sam Lee in the press office on 020 7946 0000" in release
    assert "programme that started in June 2013" in release


# --- report-settings on the command line ------------------------------------------------------------


@pytest.fixture
def master_path(tmp_path: Path, capsys: pytest.CaptureFixture[str], sample_csv: Path) -> Path:
    path = tmp_path / "m.inspection"
    rc, _out, err = cli(
        capsys,
        "new",
        path,
        "--title",
        "Inspection of Adult Offending Work: Merseyside",
        "--organisation",
        "Merseyside",
        "--lead",
        LEAD,
    )
    assert rc == 0, err
    for name in INSPECTORS:
        assert cli(capsys, "team", "add", path, name)[0] == 0
    assert cli(capsys, "import-sample", path, sample_csv)[0] == 0
    assert cli(capsys, "allocate", path, "--auto")[0] == 0
    return path


def test_cli_settings_round_trip(
    master_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    toml = tmp_path / "settings.toml"
    toml.write_text(
        "[settings]\n"
        'organisation_name = "Merseyside Probation Trust"\n'
        'series_statement = "the second of six inspections"\n'
        'press_contact = "the press office"\n',
        encoding="utf-8",
    )
    rc, out, err = cli(
        capsys,
        "report-settings",
        master_path,
        "--from",
        toml,
        "--set",
        "chief_inspector=Alex Morgan",
        "--set",
        "press_contact=Sam Lee = press office",  # --set wins over --from; '=' kept in a value
        "--set",
        "publication_month=2027-03",
    )
    assert rc == 0, err
    assert out.startswith("Saved 5 report settings\n")
    assert "chief_inspector        Alex Morgan\n" in out
    assert "inspectorate           HM Inspectorate of Probation  [default]" in out

    rc, out, _ = cli(capsys, "report-settings", master_path, "--json")
    shown = json.loads(out)
    assert list(shown) == list(KEYS)
    assert shown["chief_inspector"] == {
        "value": "Alex Morgan",
        "label": "Chief Inspector's name",
        "default": False,
    }
    assert shown["press_contact"]["value"] == "Sam Lee = press office"
    assert shown["organisation_name"]["value"] == "Merseyside Probation Trust"
    assert shown["final_marking"] == {
        "value": "",
        "label": "Protective marking of the final report",
        "default": True,
    }
    with InspectionFile.open(master_path, readonly=True) as file:
        assert load_report_settings(file).chief_inspector == "Alex Morgan"
        assert nv.load_narrative(file).report_date == "2027-03"

    rc, out, _ = cli(capsys, "report-settings", master_path, "--set", "chief_inspector=Alex Morgan")
    assert rc == 0 and out.startswith("No change")  # and nothing recorded:
    with InspectionFile.open(master_path, readonly=True) as file:
        key = nv.narrative_key(file, nv.setting_part("chief_inspector"))
        assert len(history(file.db.raw, key)) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--set", "nope=1"],
            "inspector-app: error: no report setting 'nope'; the settings are: "
            + ", ".join(KEYS)
            + "\n",
        ),
        (["--set", "chief_inspector"], "write KEY=VALUE"),
        (["--set", "press_contact=a\x07b"], "the value holds a control character (\\x07)"),
        (["--set", "chief_inspector=Alex\tMorgan"], "holds a control character (\\t)"),
        (["--set", "publication_month=next spring"], "is not a month such as 2027-02"),
        (["--from", "unknown.toml"], "unknown.toml: no report setting 'colour'"),
        (["--from", "number.toml"], "number.toml: press_contact must be text in quotes"),
        (["--from", "broken.toml"], "broken.toml: not valid TOML"),
        (["--from", "missing.toml"], "missing.toml: cannot be read"),
    ],
)
def test_cli_settings_refusals_change_nothing(
    master_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    (tmp_path / "unknown.toml").write_text('colour = "blue"\n', encoding="utf-8")
    (tmp_path / "number.toml").write_text("press_contact = 5\n", encoding="utf-8")
    (tmp_path / "broken.toml").write_text("press_contact = \n", encoding="utf-8")
    args = [str(tmp_path / a) if a.endswith(".toml") else a for a in args]
    before = closed_hash(master_path)
    rc, out, err = cli(capsys, "report-settings", master_path, "--set", "area_name=X", *args)
    assert rc == 1 and out == ""
    assert message in err
    assert len(err.splitlines()) == 1  # one line
    assert closed_hash(master_path) == before


# --- narrative on the command line ------------------------------------------------------------------


NARRATIVE_TOML = '''
judgement = "good"
headline = "working well to prevent reoffending"
report_date = "2027-02"
foreword = """The first paragraph.

The second paragraph."""
strengths = ["assessments were thorough", "risk of harm was well managed"]
concerns = ["oversight was weak"]
recommendations = ["Improve oversight.", "Assess risk promptly."]

[chapters]
"1.2" = "Initial assessments were too often late."
'''


def test_cli_narrative_set_from_and_show(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    demo = merged_demo(tmp_path / "demo", cases=24)
    with InspectionFile.open(demo.master) as file:
        proposals = [
            nv.NarrativeItem(
                id=nv.proposal_item_id(nv.CONCERNS, code),
                text=f"the work on {code} was not always sufficient",
                source_code=code,
            )
            for code in ("B1.1", "C1.1", "D1.1")
        ]
        proposed = nv.set_items(file, nv.CONCERNS, proposals).concerns
    assert [i.edited for i in proposed] == [False, False, False]  # as the app proposed them
    toml = tmp_path / "narrative.toml"
    # keeping a proposal's words keeps the item (its id and where it came from), reviewed
    toml.write_text(
        NARRATIVE_TOML.replace('["oversight was weak"]', f'["{proposed[0].text}", "oversight"]'),
        encoding="utf-8",
    )
    rc, out, err = cli(capsys, "narrative", demo.master, "--set-from", toml)
    assert rc == 0, err
    assert out == (
        "Wrote judgement, headline, report_date, foreword, strengths, concerns, "
        "recommendations, chapter 1.2 from narrative.toml\n"
    )
    rc, out, _ = cli(capsys, "narrative", demo.master, "--show", "--json")
    shown = json.loads(out)
    assert shown["judgement"] == "good"
    assert shown["foreword"] == "The first paragraph.\n\nThe second paragraph."
    assert [i["text"] for i in shown["strengths"]] == [
        "assessments were thorough",
        "risk of harm was well managed",
    ]
    kept = shown["concerns"][0]
    assert (kept["id"], kept["source_code"], kept["edited"]) == (
        proposed[0].id,
        proposed[0].source_code,
        True,
    )
    assert shown["concerns"][1] == {**shown["concerns"][1], "source_code": None, "edited": True}
    assert shown["reviewed"] == {"strengths": True, "concerns": True}
    assert shown["chapters"] == {"1.2": "Initial assessments were too often late."}
    assert shown["final"] is False
    with InspectionFile.open(demo.master, readonly=True) as file:
        dismissed = nv.load_narrative(file).dismissed["concerns"]
    assert {p.source_code for p in proposed[1:]} <= set(dismissed)  # left out: dismissed

    rc, out, _ = cli(capsys, "narrative", demo.master, "--show")
    assert rc == 0
    assert "Report: draft\nJudgement: good\n" in out
    assert "Recommendations (2):\n  1. Improve oversight.\n  2. Assess risk promptly.\n" in out
    assert (
        "Chapter 1.2 Assessing the likelihood of reoffending:\n  Initial assessments were too often late.\n"
        in out
    )


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('jugdement = "good"', "no narrative part 'jugdement'; the parts are: judgement, "),
        ("judgement = 3", "judgement must be text in quotes"),
        ('judgement = "go\\u0007od"', "judgement holds a control character (\\x07)"),
        ('headline = "two\\nlines"', "headline holds a control character (\\n)"),
        ('strengths = "one"', "strengths must be a list of texts"),
        ('strengths = ["one", " "]', "strengths item 2 has no text"),
        ('[chapters]\nZ = "text"', "chapters: the report has no chapter 'Z'"),
        ('report_date = "soon"', "report date: 'soon' is not a month"),
        ("judgement = ", "not valid TOML"),
    ],
)
def test_cli_narrative_refusals_change_nothing(
    master_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    toml: str,
    message: str,
) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('foreword = "A foreword."\n' + toml + "\n", encoding="utf-8")
    before = closed_hash(master_path)
    rc, _out, err = cli(capsys, "narrative", master_path, "--set-from", path)
    assert rc == 1 and message in err, err
    assert closed_hash(master_path) == before


def test_cli_narrative_needs_show_set_from_or_keep(
    master_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rc, _out, err = cli(capsys, "narrative", master_path)
    assert rc == 2 and "one of the arguments --show --set-from --keep is required" in err
    rc, out, _ = cli(capsys, "narrative", master_path, "--show")
    assert rc == 0 and "Judgement: (not written)" in out and "Strengths: (not written)" in out


# --- complete on the command line ---------------------------------------------------------------------


def test_cli_complete_refuses_listing_what_is_missing(
    master_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with InspectionFile.open(master_path) as file:
        case = load_cases(file)[0]
        framework = file.framework
        first = next(q for q in framework.questions() if q.applies_if is None)
        set_answer(file, case.key, first.code, an_answer(framework, first), "Seen.")
    before = closed_hash(master_path)
    rc, out, err = cli(capsys, "complete", master_path, str(case.sample_no), "2")
    assert rc == 1 and out == ""
    lines = err.splitlines()
    assert lines[0] == (
        "inspector-app: error: nothing marked complete: 2 cases are not finished "
        "(what is missing, question by question):"
    )
    assert lines[1].startswith(f"  {case.label}: ") and "not answered" in lines[1]
    assert first.code + " " not in lines[1]  # answered
    assert lines[2].startswith("  Case 002: ")
    # every missing question is listed, not the first five
    assert lines[2].count("not answered") > 5
    assert closed_hash(master_path) == before

    rc, _out, err = cli(capsys, "complete", master_path, "999")
    assert rc == 1 and "no case with sample number 999" in err
    rc, _out, err = cli(capsys, "complete", master_path)
    assert rc == 1 and "complete needs sample numbers, or --all" in err


def test_cli_complete_and_reopen(master_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with InspectionFile.open(master_path) as file:
        complete_every_case(file)
        for case in load_cases(file):
            set_case_complete(file, case.key, False)
    rc, out, err = cli(capsys, "complete", master_path, "1", "2")
    assert rc == 0, err
    assert out == "2 cases marked complete\n"
    rc, out, _ = cli(capsys, "complete", master_path, "--all")
    assert out == "10 cases marked complete (2 already complete)\n"
    rc, out, _ = cli(capsys, "complete", master_path, "3", "--reopen")
    assert out == "1 case reopened\n"
    rc, out, _ = cli(capsys, "status", master_path, "--json")
    statuses = {c["sample_no"]: c["status"] for c in json.loads(out)["cases"]}
    assert statuses[3] != "complete" and statuses[1] == statuses[12] == "complete"


def test_the_names_series_and_copyright_are_printed(master: InspectionFile) -> None:
    from inspector_app.core.report.settings import save_report_settings
    from inspector_app.core.report.text import arrangements_facts

    save_report_settings(
        master,
        {
            "organisation_name": "Merseyside Probation Trust",
            "area_name": "Merseyside area",
            "series_statement": "the second of six inspections focusing on violent offenders",
            "copyright_line": "© Crown copyright 2026. Open Government Licence v3.0.",
        },
    )
    data = build_report_data(master, include_in_progress=True)
    assert dict(arrangements_facts(data))["Organisation inspected"] == (
        "Merseyside Probation Trust"
    )
    assert data.organisation == "Merseyside area"
    release = render_press_release(data)
    assert (
        "This inspection was the second of six inspections focusing on violent offenders."
        in release
    )
    text = " ".join(
        " ".join(page.extract_text().split())
        for page in PdfReader(io.BytesIO(render_pdf(data))).pages[:2]
    )
    assert "© Crown copyright 2026. Open Government Licence v3.0." in text
    assert "the second of six inspections focusing on violent offenders" in text
