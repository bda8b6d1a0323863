"""A trust's long list, end to end on the command line: mapping, import, a reproducible
stratified draw with reserves, replacement, balanced allocation and the cases read back."""

from __future__ import annotations

import datetime as dt
import json
import random
from collections import Counter
from pathlib import Path

import openpyxl
import pytest

from inspector_app.cli.main import run_cli
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.sample.long_list import long_list_summary

ORDER_TYPES = {
    "ORA Community Order": "Community order",
    "ORA Suspended Sentence Order": "Suspended sentence order",
    "CJA - Std Determinate Custody (Licence)": "Licence",
    "Life Licence": "Licence",
}
ETHNICITIES = [
    "White: English/Welsh/Scottish/Northern Irish/British",
    "Black/African/Caribbean/Black British: African",
    "Asian/Asian British: Pakistani",
    "Mixed/Multiple ethnic groups: White and Black Caribbean",
    "Not Stated",
    None,
]
HEADER = [
    "CRN", "Surname", "Forename", "DOB", "Gender", "Ethnicity", "Sentence / Order Type",
    "Main Offence", "NOMS Tier", "RoSH Level", "MAPPA", "Child Protection Flag", "DV Flag",
    "Requirements", "OM Grade", "Team",
]  # fmt: skip
MAP = """
[values.sentence_type]
"ORA Community Order" = "Community order"
"ORA Suspended Sentence Order" = "Suspended sentence order"
"CJA - Std Determinate Custody (Licence)" = "Licence"
"Life Licence" = "Licence"

[values.offence_group]
"Common assault" = "Violence against the person"
"Theft from shops" = "Theft and handling"

[values.requirements]
"Supervision" = "(ignore)"
"Licence conditions" = "(ignore)"

[values.tier]
"Not tiered" = "(not recorded)"

[values.child_protection]
"" = "no"
"""


def write_long_list(path: Path, cases: int = 200, seed: int = 7) -> Path:
    """A long list in a trust system's shape: title block, its own headings and wording, a
    totals row under the data and a notes sheet."""
    rng = random.Random(seed)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Caseload extract"
    sheet.append(["Example Probation Trust - Caseload extract"])
    sheet.append(["Extracted from the case management system. OFFICIAL - SENSITIVE"])
    sheet.append([])
    sheet.append(HEADER)
    for n in range(cases):
        order = rng.choice(list(ORDER_TYPES))
        requirements = (
            "Licence conditions"
            if ORDER_TYPES[order] == "Licence"
            else "; ".join(rng.sample(["UPW", "ATR", "Supervision", "Curfew (EM)"], 2))
        )
        sheet.append(
            [
                f"X{n:06d}",
                "SMITH",
                "Sam",
                dt.datetime(1960 + rng.randrange(35), 1 + rng.randrange(12), 1),
                rng.choice(["Male", "Male", "Female"]),
                rng.choice(ETHNICITIES),
                order,
                rng.choice(["Common assault", "Theft from shops", "Robbery"]),
                rng.choice(["Tier 1", "Tier 2", "Tier 3", "Tier 4", "Not tiered"]),
                rng.choice(["Low", "Medium", "Medium", "High", "Very High"]),
                rng.choice([None, None, None, "Cat 2 / Level 1", "Cat 1 / Level 2"]),
                rng.choice([None, "Yes"]),
                rng.choice(["Y", "N"]),
                requirements,
                rng.choice(["PO", "PSO"]),
                rng.choice(["Wirral", "Sefton", "Knowsley"]),
            ]
        )
    sheet.append([])
    sheet.append([f"Total cases: {cases}"])
    notes = book.create_sheet("Notes")
    notes.append(["Field", "Meaning"])
    notes.append(["MAPPA", "Category / Level"])
    book.save(path)
    return path


@pytest.fixture
def lead_master(tmp_path: Path) -> Path:
    master = tmp_path / "trust.inspection"
    assert run_cli(
        [
            "new", str(master), "--title", "Inspection of Adult Offending Work: Example",
            "--organisation", "Example Probation Trust", "--lead", "Helen Ashworth",
            "--fieldwork-start", "2026-11-02", "--fieldwork-end", "2026-11-06",
        ]
    ) == 0  # fmt: skip
    for name, role in (("Ann Inspector", "inspector"), ("Ben Inspector", "inspector")):
        assert run_cli(["team", "add", str(master), name, "--role", role]) == 0
    assert run_cli(["team", "add", str(master), "Cat Assessor", "--role", "assessor"]) == 0
    return master


def test_show_values_lists_what_needs_mapping_and_the_import_is_refused_without_it(
    tmp_path: Path, lead_master: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = write_long_list(tmp_path / "extract.xlsx")
    assert run_cli(["import-long-list", str(lead_master), str(export), "--show-values"]) == 0
    shown = capsys.readouterr().out
    assert "sheet 'Caseload extract': header row 4, 200 rows" in shown
    assert "left out as totals or notes: row(s) 206" in shown
    assert "ORA Community Order" in shown and "NOT MAPPED  suggested: Community order" in shown
    # Spellings the profile declares map by themselves, and say so.
    assert "Tier 3" in shown and "-> 3 (allowed)" in shown

    assert run_cli(["import-long-list", str(lead_master), str(export)]) == 1
    error = capsys.readouterr().err
    assert "nothing imported" in error
    assert "unknown value 'ORA" in error and "map it to an allowed value" in error
    with InspectionFile.open(lead_master, readonly=True) as file:
        assert long_list_summary(file) is None


def test_save_map_writes_suggestions_as_comments_only(tmp_path: Path, lead_master: Path) -> None:
    export = write_long_list(tmp_path / "extract.xlsx")
    saved = tmp_path / "map.toml"
    assert (
        run_cli(["import-long-list", str(lead_master), str(export), "--save-map", str(saved)]) == 0
    )
    text = saved.read_text(encoding="utf-8")
    assert '# "ORA Community Order" = "Community order"  # suggested: Community order' in text
    assert 'sentence_type = "Sentence / Order Type"' in text
    # Saving a map imports nothing.
    with InspectionFile.open(lead_master, readonly=True) as file:
        assert long_list_summary(file) is None


def test_mapped_long_list_draws_a_reproducible_stratified_sample(
    tmp_path: Path, lead_master: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = write_long_list(tmp_path / "extract.xlsx")
    mapping = tmp_path / "map.toml"
    mapping.write_text(MAP, encoding="utf-8")
    assert run_cli(["import-long-list", str(lead_master), str(export), "--map", str(mapping)]) == 0
    assert "Imported 200 cases of the long list" in capsys.readouterr().out

    draw = ["draw-sample", str(lead_master), "--size", "30", "--strata", "sentence_type"]
    assert run_cli([*draw, "--seed", "2026", "--dry-run", "--json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert run_cli([*draw, "--seed", "2026", "--dry-run", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == first
    assert run_cli([*draw, "--seed", "another", "--dry-run", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["drawn"] != first["drawn"]
    assert first["written"] is False
    assert sum(p["drawn"] for p in first["plan"]) == 30
    for stratum in first["plan"]:  # proportional, within one case
        assert abs(stratum["drawn"] - 30 * stratum["population"] / 200) < 1

    assert run_cli([*draw, "--seed", "2026"]) == 0
    capsys.readouterr()
    assert run_cli(["cases", str(lead_master), "--json"]) == 0
    cases = json.loads(capsys.readouterr().out)
    assert [c["sample_no"] for c in cases] == list(range(1, 31))
    by_type = Counter(c["sentence_type"] for c in cases)
    assert {p["stratum"]: p["drawn"] for p in first["plan"]} == dict(by_type)
    one = cases[0]
    assert set(one) >= {"sample_no", "gender", "ethnicity", "age_band", "sentence_type", "rosh"}
    assert "crn" not in one and "name" not in one  # identifiers never leave this way
    assert one["raw"]["sentence_type"] in ORDER_TYPES
    assert one["age_band"] in ("25-29", "30-39", "40-49", "50+")
    # The raw spelling is kept only where it differs from the mapped value.
    assert all(v != one[k] for k, v in one["raw"].items())

    with InspectionFile.open(lead_master, readonly=True) as file:
        summary = long_list_summary(file)
        assert summary is not None
        assert (summary.entries, summary.drawn, summary.seed) == (200, 30, "2026")
        assert sum(summary.totals["sentence_type"].values()) == 200


def test_a_replaced_case_takes_the_next_reserve_of_its_stratum_and_its_reader(
    tmp_path: Path, lead_master: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = write_long_list(tmp_path / "extract.xlsx")
    mapping = tmp_path / "map.toml"
    mapping.write_text(MAP, encoding="utf-8")
    assert run_cli(["import-long-list", str(lead_master), str(export), "--map", str(mapping)]) == 0
    assert (
        run_cli(
            [
                "draw-sample",
                str(lead_master),
                "--size",
                "20",
                "--strata",
                "sentence_type",
                "--seed",
                "1",
            ]
        )
        == 0
    )
    assert run_cli(["allocate", str(lead_master), "--auto"]) == 0
    capsys.readouterr()
    with InspectionFile.open(lead_master, readonly=True) as file:
        from inspector_app.core.cases.case_data import load_cases

        before = {c.sample_no: c for c in load_cases(file)}
    assert run_cli(["replace-case", str(lead_master), "7", "--reason", "Transferred out"]) == 0
    assert "Case 007 replaced by case 021" in capsys.readouterr().out
    with InspectionFile.open(lead_master, readonly=True) as file:
        after = {c.sample_no: c for c in load_cases(file)}
        summary = long_list_summary(file)
    assert 7 not in after and 21 in after
    assert after[21].profile["sentence_type"] == before[7].profile["sentence_type"]
    assert after[21].first_reader == before[7].first_reader
    assert summary is not None and summary.replaced == ((7, "Transferred out"),)
    # Without a reason, nothing changes.
    assert run_cli(["replace-case", str(lead_master), "8", "--reason", " "]) == 1


def test_auto_allocation_balances_the_mix_and_respects_capacity(
    tmp_path: Path, lead_master: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = write_long_list(tmp_path / "extract.xlsx", cases=120)
    mapping = tmp_path / "map.toml"
    mapping.write_text(MAP, encoding="utf-8")
    assert run_cli(["import-long-list", str(lead_master), str(export), "--map", str(mapping)]) == 0
    assert (
        run_cli(
            [
                "draw-sample",
                str(lead_master),
                "--size",
                "40",
                "--strata",
                "sentence_type",
                "--seed",
                "9",
            ]
        )
        == 0
    )
    capsys.readouterr()
    allocate = ["allocate", str(lead_master), "--auto", "--capacity", "Cat Assessor=8"]
    assert run_cli([*allocate, "--dry-run", "--json"]) == 0
    plan = json.loads(capsys.readouterr().out)
    assert plan["written"] is False
    totals = {p["name"]: p["cases"] for p in plan["people"]}
    assert totals == {"Ann Inspector": 16, "Ben Inspector": 16, "Cat Assessor": 8}
    assert run_cli(["cases", str(lead_master), "--json"]) == 0
    cases = json.loads(capsys.readouterr().out)
    overall = Counter(c["sentence_type"] for c in cases)
    for person in plan["people"]:
        mix = person["mix"]["sentence_type"]
        for kind, count in overall.items():
            share = count * person["cases"] / len(cases)
            assert abs(mix.get(kind, 0) - share) <= 1, (person["name"], kind)
    assert run_cli(allocate) == 0
    with InspectionFile.open(lead_master, readonly=True) as file:
        allocated = file.db.raw.execute("SELECT count(*) FROM allocation").fetchone()[0]
    assert allocated == 40


def test_a_biased_exclusion_is_refused_until_confirmed_and_then_recorded(
    tmp_path: Path, lead_master: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Twenty cases whose ethnicity the trust spells its own way, twenty White ones: leaving
    out the rows that fail would leave only White cases."""
    path = tmp_path / "sample.csv"
    lines = ["Sample,Sentence,RoSH,Ethnicity"]
    lines += [f"{n},CO,Low,White" for n in range(1, 21)]
    lines += [f"{n},CO,Low,{'BME' if n % 2 else 'Minority'}" for n in range(21, 41)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    command = ["import-sample", str(lead_master), str(path), "--accept-valid-rows"]
    assert run_cli(command) == 1
    error = capsys.readouterr().err
    assert "leaving out 20 row(s) would change the sample" in error
    assert (
        "none of the 20 excluded cases has Ethnicity White, against 100% of the cases kept" in error
    )
    with InspectionFile.open(lead_master, readonly=True) as file:
        assert file.db.raw.execute("SELECT count(*) FROM case_record").fetchone()[0] == 0

    reason = "Ethnicity recorded in a local scheme; cases to be added once recoded"
    assert run_cli([*command, "--confirm-exclusion", "--exclusion-reason", reason]) == 0
    with InspectionFile.open(lead_master, readonly=True) as file:
        from inspector_app.core.sample.placement import sample_sources

        (source,) = sample_sources(file)
    assert (source.imported, source.excluded, source.exclusion_reason) == (20, 20, reason)
    assert any("White" in sentence for sentence in source.comparison)


def test_the_report_states_how_the_sample_was_chosen_and_what_was_left_out(
    tmp_path: Path, lead_master: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from inspector_app.core.report.data import build_report_data
    from inspector_app.core.report.text import arrangements_facts

    export = write_long_list(tmp_path / "extract.xlsx")
    mapping = tmp_path / "map.toml"
    mapping.write_text(MAP + '\n[values.rosh]\n"Very High" = "(exclude)"\n', encoding="utf-8")
    assert run_cli(["import-long-list", str(lead_master), str(export), "--map", str(mapping)]) == 0
    assert run_cli(
        ["draw-sample", str(lead_master), "--size", "20", "--strata", "sentence_type,rosh",
         "--seed", "5"]
    ) == 0  # fmt: skip
    assert run_cli(["replace-case", str(lead_master), "3", "--reason", "Died"]) == 0
    capsys.readouterr()
    with InspectionFile.open(lead_master, readonly=True) as file:
        facts = dict(arrangements_facts(build_report_data(file)))
        left_out = file.db.raw.execute(
            "SELECT excluded FROM sample_source WHERE kind = 'long_list'"
        ).fetchone()[0]
    excluded = len(json.loads(left_out))
    assert excluded > 0
    assert facts["How the sample was chosen"] == (
        f"At random from the {200 - excluded} cases on the service's long list, in proportion "
        "within each sentence type and RoSH level group (seed 5)."
    )
    assert facts["Cases replaced from the reserve list"] == "1 (case 003: Died)"
    assert facts["Cases left out of the long list"] == (
        f"{excluded} of 200: left out by the mapping: RoSH level 'Very High' ({excluded})"
    )


EXAMPLE = Path(__file__).resolve().parents[3] / "shared" / "data" / "long-list-example.xlsx"
EXAMPLE_MAP = Path(__file__).resolve().parents[1] / "fixtures" / "long-list-example-map.toml"


@pytest.mark.skipif(
    not EXAMPLE.exists(), reason="the example long list is kept beside the checkout"
)
def test_the_example_long_list_maps_explicitly_and_draws_a_reproducible_sample_of_60(
    lead_master: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    command = ["import-long-list", str(lead_master), str(EXAMPLE), "--map", str(EXAMPLE_MAP)]
    assert run_cli(command) == 0
    assert "Imported 628 cases of the long list" in capsys.readouterr().out
    draw = ["draw-sample", str(lead_master), "--size", "60", "--strata", "sentence_type,rosh"]
    assert run_cli([*draw, "--seed", "2013", "--dry-run", "--json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert run_cli([*draw, "--seed", "2013", "--dry-run", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == first
    assert len(first["drawn"]) == 60 and sum(p["population"] for p in first["plan"]) == 628
    assert run_cli([*draw, "--seed", "2013"]) == 0
    capsys.readouterr()
    assert run_cli(["cases", str(lead_master), "--json"]) == 0
    cases = json.loads(capsys.readouterr().out)
    assert len(cases) == 60
    assert all(c["rosh"] is not None and c["sentence_type"] is not None for c in cases)


def test_the_contextual_appendix_sets_the_sample_beside_the_long_list(
    tmp_path: Path, lead_master: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import io

    import docx
    from pypdf import PdfReader

    from inspector_app.core.report.data import build_report_data
    from inspector_app.core.report.pdf import render_pdf
    from inspector_app.core.report.settings import save_report_settings

    export = write_long_list(tmp_path / "extract.xlsx")
    mapping = tmp_path / "map.toml"
    mapping.write_text(MAP, encoding="utf-8")
    assert run_cli(["import-long-list", str(lead_master), str(export), "--map", str(mapping)]) == 0
    assert run_cli(["draw-sample", str(lead_master), "--size", "20", "--seed", "5"]) == 0
    capsys.readouterr()
    with InspectionFile.open(lead_master) as file:
        save_report_settings(
            file,
            {
                "context_facts": "Caseload: about 5,200; Staff in post: 180; "
                "The service covers five local authorities"
            },
        )
        data = build_report_data(file)
    assert data.context_facts == (
        ("Caseload", "about 5,200"),
        ("Staff in post", "180"),
        ("", "The service covers five local authorities"),
    )
    sentence = next(t for t in data.long_list_comparison if t.title == "Sentence type")
    assert (sentence.long_list, sentence.sample) == (200, 20)
    assert sum(drawn or 0 for _, _, drawn in sentence.rows) in range(98, 103)  # rounded shares
    text = " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(render_pdf(data))).pages
    )
    assert "Appendix 7: Contextual information" in text
    assert "Caseload about 5,200" in text and "Long list (200) Sample (20)" in text
    # A fact without a label is a sentence of its own, in the Word draft too (no empty cell).
    assert "180 The service covers five local authorities" in text
    from inspector_app.core.report.docx import render_docx

    document = docx.Document(io.BytesIO(render_docx(data)))
    facts = next(t for t in document.tables if t.rows[0].cells[0].text == "Fact")
    assert [r.cells[0].text for r in facts.rows] == ["Fact", "Caseload", "Staff in post"]
    assert "The service covers five local authorities" in [p.text for p in document.paragraphs]


def test_one_excluded_case_is_not_counted_as_all_or_none_of_one() -> None:
    """ "None of the 1 excluded cases has ..." / "All 1 excluded cases have ..."."""
    from inspector_app.core.framework.profile import default_profile
    from inspector_app.core.sample.exclusion_check import compare_excluded

    kept = [{"gender": "Male"}] * 9 + [{"gender": "Female"}]
    sentences = [
        d.sentence for d in compare_excluded(kept, [{"gender": "Female"}], default_profile())
    ]
    assert any(s.startswith("the one excluded case has Gender Female") for s in sentences), (
        sentences
    )
    assert not any("1 excluded cases" in s for s in sentences)


def test_with_no_reserve_left_the_refusal_says_to_withdraw_the_case(
    tmp_path: Path, lead_master: Path
) -> None:
    from inspector_app.core.errors import ValidationError
    from inspector_app.core.sample.long_list import replace_case

    export = write_long_list(tmp_path / "extract.xlsx", cases=40)
    mapping = tmp_path / "map.toml"
    mapping.write_text(MAP, encoding="utf-8")
    assert run_cli(["import-long-list", str(lead_master), str(export), "--map", str(mapping)]) == 0
    draw = ["draw-sample", str(lead_master), "--size", "5", "--seed", "3", "--reserves", "0"]
    assert run_cli(draw) == 0
    with InspectionFile.open(lead_master) as file, pytest.raises(ValidationError) as refused:
        replace_case(file, 2, "Transferred out")
    message = str(refused.value)
    assert message.startswith("No reserve is left in the stratum of Case 002 (")
    assert message.endswith(
        "withdraw the case instead, with its reason (it is then left out of every count)"
    )


def test_two_strata_that_read_alike_keep_their_own_reserves(
    tmp_path: Path, lead_master: Path
) -> None:
    """A blank office and one written "not recorded" are two strata that print the same: each
    keeps its reserves in the file."""
    export = write_long_list(tmp_path / "extract.xlsx")
    book = openpyxl.load_workbook(export)
    sheet = book["Caseload extract"]
    for row in range(5, 205):
        sheet.cell(row, 16).value = None if row % 2 else "not recorded"
    book.save(export)
    mapping = tmp_path / "map.toml"
    mapping.write_text(MAP, encoding="utf-8")
    assert run_cli(["import-long-list", str(lead_master), str(export), "--map", str(mapping)]) == 0
    draw = ["draw-sample", str(lead_master), "--size", "20", "--strata", "office", "--seed", "1"]
    assert run_cli([*draw, "--reserves", "3"]) == 0
    with InspectionFile.open(lead_master, readonly=True) as file:
        reserves = file.db.raw.execute(
            "SELECT count(*) FROM long_list_entry WHERE status = 'reserve'"
        ).fetchone()[0]
    assert reserves == 6  # three for each of the two strata
