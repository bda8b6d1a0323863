"""The publication gate: every blocker refused with its message and the master left byte for
byte as it was; `report --final --override` only for cases not complete, its reason recorded
and printed; a final report and press release with no placeholder and no empty name."""

from __future__ import annotations

import io
import re
import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from inspector_app.cli.main import run_cli
from inspector_app.core.cases.answers import missing_for_completion, set_answer, set_case_complete
from inspector_app.core.cases.case_data import load_case, load_cases
from inspector_app.core.errors import ValidationError
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.findings.figures import compute_findings
from inspector_app.core.framework import Framework, Question
from inspector_app.core.narrative import parts as nv
from inspector_app.core.report.data import build_report_data
from inspector_app.core.report.press_release import render_press_release
from inspector_app.core.report.publication_gate import (
    CASES,
    CHIEF_INSPECTOR,
    CONFLICTS,
    FOREWORD,
    JUDGEMENT,
    PLACEHOLDER,
    PROPOSALS,
    RECOMMENDATIONS,
    PublicationBlocked,
    find_placeholder,
    mark_draft,
    mark_final,
    placeholders_in,
    publication_blockers,
)
from inspector_app.core.report.settings import save_report_settings
from inspector_app.core.revisions.log import Kind, history, write_revision
from tests.merge_helpers import closed_hash, make_conflict
from tests.report_helpers import merged_demo

CHIEF = "Alex Morgan"
REASON = "Two cases transferred to another area during fieldwork and could not be finished"
STRENGTHS = ("assessments were thorough and timely", "risk of harm was well managed")
CONCERNS = ("management oversight was not always effective",)
RECOMMENDATIONS_TEXT = ("Improve management oversight.", "Assess risk of harm promptly.")
BRACKET = re.compile(r"\[(?!c\])")  # any bracket but the profile tables' withheld count [c]


# --- a master ready to publish ----------------------------------------------------------------


def an_answer(framework: Framework, question: Question) -> str:
    """A sufficient answer where the question is scored, else the scale's first value."""
    return question.sufficient_value or framework.scale_of(question).values[0]


def complete_every_case(file: InspectionFile) -> None:
    """Answer what each open case still lacks (with an evidence note) and mark it complete."""
    framework = file.framework
    for case in load_cases(file):
        if case.marked_complete:
            continue
        for _ in range(10):  # an answer can make further questions apply
            missing = missing_for_completion(framework, case)
            if not missing:
                break
            for item in missing:
                question = framework.question(item.code)
                current = case.answers.get(item.code)
                value = current.value if current and current.value else None
                set_answer(
                    file,
                    case.key,
                    item.code,
                    value or an_answer(framework, question),
                    "Evidence on the case record.",
                )
            case = load_case(file, case.key)
        set_case_complete(file, case.key)


def write_ready_narrative(file: InspectionFile) -> None:
    """Everything a lead writes before publishing, and the Chief Inspector's name."""
    nv.set_texts(
        file,
        {
            nv.JUDGEMENT: "good",
            nv.HEADLINE: "working well to prevent reoffending",
            nv.FOREWORD: "A foreword by the Chief Inspector.\n\nA second paragraph.",
            nv.REPORT_DATE: "2027-02",
            nv.chapter_part("1.2"): "Initial assessments were thorough.",
        },
        lists={
            nv.STRENGTHS: [{"text": t, "edited": True} for t in STRENGTHS],
            nv.CONCERNS: [{"text": t, "edited": True} for t in CONCERNS],
            nv.RECOMMENDATIONS: [{"text": t, "edited": True} for t in RECOMMENDATIONS_TEXT],
        },
    )
    save_report_settings(
        file, {"chief_inspector": CHIEF, "press_contact": "the press office on 020 7946 0000"}
    )


def make_ready(file: InspectionFile) -> None:
    complete_every_case(file)
    write_ready_narrative(file)


@pytest.fixture(scope="module")
def ready_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    demo = merged_demo(tmp_path_factory.mktemp("gate"), cases=24)
    with InspectionFile.open(demo.master) as file:
        make_ready(file)
        assert publication_blockers(file) == []
    return demo.master


@pytest.fixture
def ready(ready_source: Path, tmp_path: Path) -> Path:
    """A private, closed copy of a master with nothing to settle."""
    target = tmp_path / "master" / ready_source.name
    target.parent.mkdir()
    shutil.copyfile(ready_source, target)
    return target


def cli(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    code = run_cli([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def pdf_text(path: Path) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(path).pages)


def docx_text(path: Path) -> str:
    document = docx.Document(io.BytesIO(path.read_bytes()))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def stored(path: Path) -> nv.Narrative:
    with InspectionFile.open(path, readonly=True) as file:
        return nv.load_narrative(file)


# --- the blockers, one at a time ------------------------------------------------------------------


def reopen_two_cases(file: InspectionFile) -> None:
    for case in load_cases(file)[:2]:
        set_case_complete(file, case.key, False)


def answer_conflict(file: InspectionFile) -> None:
    case = load_cases(file)[0]
    code = next(q.code for q in file.framework.questions() if q.scored and q.code in case.answers)
    make_conflict(file, case.key, code, ("yes", "no"))


def narrative_conflict(file: InspectionFile, part: str, value: str) -> None:
    """Someone else's version of a part, written from nothing: two heads that differ."""
    with file.db.write() as conn:
        write_revision(
            conn,
            record_key=nv.narrative_key(file, part),
            kind=Kind.NARRATIVE,
            case_key=None,
            field=part,
            value=value,
            note="",
            author=file.author_id(),
            hlc=file.clock.tick(),
            parents=[],
        )


def unreviewed_proposal(file: InspectionFile) -> None:
    item = nv.NarrativeItem(
        id=nv.proposal_item_id(nv.STRENGTHS, "B1.1"),
        text="assessments were always timely",
        source_code="B1.1",
        edited=False,
    )
    nv.set_items(file, nv.STRENGTHS, [item])


def placeholder_recommendation(file: InspectionFile) -> None:
    items = nv.load_narrative(file).recommendations
    nv.edit_item(file, nv.RECOMMENDATIONS, items[0].id, "Improve oversight by TBC.")


Mutation = Callable[[InspectionFile], object]
SCENARIOS: dict[str, tuple[Mutation, str, str]] = {
    "cases": (reopen_two_cases, CASES, "2 of 24 cases are not complete"),
    "answer conflict": (answer_conflict, CONFLICTS, "1 conflict between assessors still open"),
    "judgement": (lambda f: nv.set_text(f, nv.JUDGEMENT, ""), JUDGEMENT, "judgement is not"),
    "foreword": (lambda f: nv.set_text(f, nv.FOREWORD, " "), FOREWORD, "foreword is not written"),
    "recommendations": (
        lambda f: nv.set_items(f, nv.RECOMMENDATIONS, []),
        RECOMMENDATIONS,
        "There are no recommendations",
    ),
    "chief inspector": (
        lambda f: save_report_settings(f, {"chief_inspector": ""}),
        CHIEF_INSPECTOR,
        "The Chief Inspector's name is not set",
    ),
    "proposals": (
        unreviewed_proposal,
        PROPOSALS,
        "1 of the strengths is still as the app proposed, never reviewed: item 1 (from B1.1)",
    ),
    "bracketed instruction": (
        lambda f: nv.set_text(f, nv.FOREWORD, "Inspectors found [insert a finding here]."),
        PLACEHOLDER,
        "The foreword still holds a placeholder: “[insert a finding here]”",
    ),
    "TBC": (
        placeholder_recommendation,
        PLACEHOLDER,
        "Recommendation 1 still holds a placeholder: “TBC”",
    ),
    "to be decided": (
        lambda f: nv.set_text(f, nv.chapter_part("1.2"), "The rating is to be decided."),
        PLACEHOLDER,
        "Chapter 1.2's commentary still holds a placeholder: “to be decided”",
    ),
    "placeholder in a setting": (
        lambda f: save_report_settings(f, {"press_contact": "to be confirmed"}),
        PLACEHOLDER,
        "The report setting Press office contact still holds a placeholder",
    ),
    "narrative conflict": (
        lambda f: narrative_conflict(f, nv.JUDGEMENT, "poor"),
        CONFLICTS,
        "Two people wrote different versions of the narrative: judgement",
    ),
    "settings conflict": (
        lambda f: narrative_conflict(f, nv.setting_part("chief_inspector"), "Sam Lee"),
        CONFLICTS,
        "Two people set different report settings: Chief Inspector's name",
    ),
}


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_every_blocker_refuses_final_and_changes_nothing(
    scenario: str, ready: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mutate, code, message = SCENARIOS[scenario]
    with InspectionFile.open(ready) as file:
        mutate(file)
        blockers = publication_blockers(file)
        assert [b.code for b in blockers] == [code], blockers
        assert message in blockers[0].what
        assert blockers[0].overridable == (code == CASES)
        with pytest.raises(PublicationBlocked) as refused:
            mark_final(file)
        assert message in str(refused.value) and "To fix:" in str(refused.value)
        assert not nv.load_narrative(file).final
    before = closed_hash(ready)

    out = tmp_path / "out"
    out.mkdir()
    rc, _out, err = cli(
        capsys, "report", ready, "--final", "-o", out / "r.pdf", "--press-release", out / "r.txt"
    )
    assert rc == 1
    assert err.startswith("inspector-app: error: The report cannot be marked final: 1 thing")
    assert message in err and "To fix:" in err
    assert closed_hash(ready) == before
    assert list(out.iterdir()) == []  # nothing written either

    if code != CASES:  # an override is for cases not complete only
        rc, _out, err = cli(
            capsys, "report", ready, "--final", "--override", REASON, "-o", out / "r.pdf"
        )
        assert rc == 1 and "even with an override reason" in err and message in err
        assert closed_hash(ready) == before
        assert list(out.iterdir()) == []


def test_every_blocker_is_listed_at_once(ready: Path) -> None:
    together = (
        "cases",
        "answer conflict",
        "judgement",
        "recommendations",
        "chief inspector",
        "proposals",
        "bracketed instruction",
        "placeholder in a setting",
    )
    with InspectionFile.open(ready) as file:
        for scenario in together:
            SCENARIOS[scenario][0](file)
        blockers = publication_blockers(file)
        assert len(blockers) == len(together)
        assert {b.code for b in blockers} == {SCENARIOS[s][1] for s in together}
        with pytest.raises(PublicationBlocked) as refused:
            mark_final(file)
    lines = str(refused.value).splitlines()
    assert lines[0].startswith(f"The report cannot be marked final: {len(blockers)} things")
    assert len(lines) == len(blockers) + 1
    assert all(line.startswith("- ") and "To fix:" in line for line in lines[1:])


def test_a_list_never_reviewed_blocks(tmp_path: Path) -> None:
    demo = merged_demo(tmp_path / "fresh", cases=12)
    with InspectionFile.open(demo.master) as file:
        blockers = publication_blockers(file)
    never = [b.what for b in blockers if b.code == PROPOSALS]
    assert never == [
        "The strengths have never been reviewed: the app's proposals would be printed as they "
        "stand",
        "The areas for improvement have never been reviewed: the app's proposals would be "
        "printed as they stand",
    ]


# --- the final report ---------------------------------------------------------------------------


def test_final_report_and_press_release_hold_no_placeholder(
    ready: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf, word, press = tmp_path / "r.pdf", tmp_path / "r.docx", tmp_path / "r.txt"
    rc, out, err = cli(
        capsys, "report", ready, "--final", "-o", pdf, "--docx", word, "--press-release", press
    )
    assert rc == 0, err
    assert out.splitlines() == [f"Wrote {pdf}", f"Wrote {word}", f"Wrote {press}"]
    narrative = stored(ready)
    assert narrative.final and narrative.override_reason == ""

    release = press.read_text(encoding="utf-8")
    for text in (pdf_text(pdf), docx_text(word), release):
        assert not BRACKET.search(text), BRACKET.search(text)
        assert [p for p in placeholders_in([text]) if p != "[c]"] == []
        assert "said ," not in text and "said ," not in text.replace("\n", " ")
        assert CHIEF in text
        assert "DRAFT" not in text
        assert "OFFICIAL" not in text  # a published report carries no marking by default
        assert "Marked final with cases not complete" not in text
    assert f"said {CHIEF}, Chief Inspector of Probation, publishing" in release
    assert "Quote" not in release and "the press office on 020 7946 0000" in release


def test_final_press_release_never_prints_an_empty_name(ready: Path) -> None:
    """Even data a renderer is handed directly (no gate) prints no "said ," in a final."""
    with InspectionFile.open(ready, readonly=True) as file:
        data = build_report_data(file, final=True)
    for unnamed in (
        replace(data, chief_inspector=""),
        replace(data, chief_inspector="", judgement=""),
        replace(data, chief_inspector="", chief_inspector_title=""),
    ):
        release = render_press_release(unnamed)
        assert "said ," not in release and " , " not in release
        assert "[" not in release and "said:" not in release
    release = render_press_release(replace(data, chief_inspector=""))
    assert "said the Chief Inspector of Probation, publishing" in release
    release = render_press_release(replace(data, chief_inspector="", judgement=""))
    assert "The Chief Inspector of Probation has published the report" in release


def test_draft_keeps_its_markers(ready: Path) -> None:
    with InspectionFile.open(ready) as file:
        nv.set_text(file, nv.JUDGEMENT, "")
        save_report_settings(file, {"chief_inspector": ""})
        data = build_report_data(file)
    release = render_press_release(data)
    assert "[judgement to be decided]" in release
    assert "[Chief Inspector] said:" in release
    assert "‘[Quote from the Chief Inspector to be added.]’" in release


# --- overriding cases not complete ----------------------------------------------------------------


def test_override_only_for_cases_not_complete_reason_recorded_and_printed(
    ready: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with InspectionFile.open(ready) as file:
        reopen_two_cases(file)
    before = closed_hash(ready)
    pdf, word, press = tmp_path / "r.pdf", tmp_path / "r.docx", tmp_path / "r.txt"

    rc, _out, err = cli(capsys, "report", ready, "--final", "-o", pdf)
    assert rc == 1 and "or mark it final anyway with a reason" in err
    assert "(may be overridden with a reason)" in err
    rc, _out, err = cli(capsys, "report", ready, "--final", "--override", "  ", "-o", pdf)
    assert rc == 1 and "an override needs a reason" in err
    rc, _out, err = cli(capsys, "report", ready, "--override", REASON, "-o", pdf)
    assert rc == 2 and "--override goes with --final" in err
    rc, _out, err = cli(capsys, "report", ready, "--final", "--override", "[TBC]", "-o", pdf)
    assert rc == 1 and "placeholder" in err
    assert closed_hash(ready) == before and not pdf.exists()

    rc, _out, err = cli(
        capsys,
        "report",
        ready,
        "--final",
        "--override",
        REASON,
        "-o",
        pdf,
        "--docx",
        word,
        "--press-release",
        press,
    )
    assert rc == 0, err
    assert "Marked the report final with cases not complete" in err
    narrative = stored(ready)
    assert narrative.final and narrative.override_reason == REASON
    with InspectionFile.open(ready, readonly=True) as file:
        revisions = history(file.db.raw, nv.narrative_key(file, nv.OVERRIDE))
    assert [r.value for r in revisions] == [REASON]  # a revision, with its history
    fact = (
        "Marked final with cases not complete 2 of 24 cases were not complete when the report "
        f"was marked final. The lead inspector\u2019s reason: {REASON}"
    )
    text = pdf_text(pdf)
    assert fact in text
    assert text.index("Appendix 3: Inspection arrangements", text.index("Contents") + 500) < (
        text.index(fact)
    )
    assert REASON in docx_text(word)
    for output in (text, docx_text(word), press.read_text(encoding="utf-8")):
        assert not BRACKET.search(output) and "said ," not in output


def test_override_refused_when_nothing_needs_it(
    ready: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = closed_hash(ready)
    rc, _out, err = cli(
        capsys, "report", ready, "--final", "--override", REASON, "-o", tmp_path / "r.pdf"
    )
    assert rc == 1 and "nothing to override" in err
    assert closed_hash(ready) == before


def test_override_is_refused_with_any_other_blocker(ready: Path) -> None:
    with InspectionFile.open(ready) as file:
        reopen_two_cases(file)
        nv.set_text(file, nv.JUDGEMENT, "")
        with pytest.raises(PublicationBlocked) as refused:
            mark_final(file, override_reason=REASON)
        assert {b.code for b in refused.value.blockers} == {CASES, JUDGEMENT}
        assert not nv.load_narrative(file).final
        nv.set_text(file, nv.JUDGEMENT, "good")
        assert mark_final(file, override_reason=REASON).override_reason == REASON
        # marked final again once every case is complete, the old reason is withdrawn
        mark_draft(file)
        complete_every_case(file)
        narrative = mark_final(file)
        assert narrative.final and narrative.override_reason == ""


def test_a_report_marked_final_is_written_as_a_draft_once_something_blocks_it(
    ready: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with InspectionFile.open(ready) as file:
        mark_final(file)
        answer_conflict(file)  # a merge brought a conflict after it was marked final
    before = closed_hash(ready)
    rc, _out, err = cli(capsys, "report", ready, "-o", tmp_path / "r.pdf")
    assert rc == 0 and "the report is marked final, but it cannot be published" in err
    assert "1 conflict between assessors" in err
    assert "DRAFT" in pdf_text(tmp_path / "r.pdf")
    assert closed_hash(ready) == before


def test_marking_a_draft_again_is_always_allowed(ready: Path) -> None:
    with InspectionFile.open(ready) as file:
        assert mark_final(file).final
        nv.set_text(file, nv.FOREWORD, "")
        assert not mark_draft(file).final


# --- the placeholder rule --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Inspectors found [insert a finding].", "[insert a finding]"),
        ("A lone [ bracket", "[ bracket"),
        ("Contact TBC", "TBC"),
        ("the date is tba", "tba"),
        ("The rating is to be decided.", "to be decided"),
        ("Figures XXX per cent", "XXX"),
        ("Why ???", "???"),
        ("<insert name>", "<insert name>"),
        ("Work with adults who had offended was good.", ""),
        ("Tabitha and Xavier met the TBCA.", ""),
    ],
)
def test_what_counts_as_a_placeholder(text: str, found: str) -> None:
    assert find_placeholder(text) == found


def test_a_bad_override_reason_is_refused(ready: Path) -> None:
    with InspectionFile.open(ready) as file:
        reopen_two_cases(file)
        for reason in ("", "   ", "bad\x07reason", "x" * 2001):
            with pytest.raises(ValidationError):
                mark_final(file, override_reason=reason)
        assert not nv.load_narrative(file).final


def test_proposals_read_and_kept_as_written_no_longer_block(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The lead reads the app's proposals and keeps them in its words: on the command line
    one by one or a whole list, and the gate then asks nothing more about them."""
    demo = merged_demo(tmp_path / "fresh", cases=24)
    # A list never drafted is not kept blind: the report prints the proposals in its place.
    code, _out, err = cli(capsys, "narrative", demo.master, "--keep", "strengths")
    assert code != 0 and "the strengths were never drafted" in err
    assert not stored(demo.master).has(nv.STRENGTHS)
    with InspectionFile.open(demo.master) as file:
        nv.refresh_proposals(file, compute_findings(file))
        strengths = nv.load_narrative(file).strengths
        blocking = [b.what for b in publication_blockers(file) if b.code == PROPOSALS]
    assert len(blocking) == 2 and "never reviewed: item" in blocking[0]
    assert len(strengths) >= 2

    code, out, _err = cli(capsys, "narrative", demo.master, "--keep", "strengths:1")
    assert code == 0 and "Kept 1 as written" in out
    code, _out, err = cli(capsys, "narrative", demo.master, "--keep", "strengths:99")
    assert code != 0 and "the strengths have items 1 to" in err
    code, _out, err = cli(capsys, "narrative", demo.master, "--keep", "judgement")
    assert code != 0 and "strengths or concerns" in err
    assert cli(capsys, "narrative", demo.master, "--keep", "strengths")[0] == 0
    assert cli(capsys, "narrative", demo.master, "--keep", "concerns")[0] == 0
    code, out, _err = cli(capsys, "narrative", demo.master, "--show")
    assert "not reviewed" not in out and "[kept as proposed from" in out
    kept = stored(demo.master)
    assert [i.text for i in kept.strengths] == [i.text for i in strengths]  # words unchanged
    with InspectionFile.open(demo.master) as file:
        assert [b for b in publication_blockers(file) if b.code == PROPOSALS] == []
