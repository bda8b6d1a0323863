"""The report from a real merged inspection: PDF text, outline, determinism, no identities;
the Word draft and the press release in the same words."""

from __future__ import annotations

import io
import re
import sqlite3
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.findings.figures import PooledFigures, compute_findings
from inspector_app.core.narrative import parts as nv
from inspector_app.core.report.data import (
    CONCERNS_INTRO,
    STRENGTHS_INTRO,
    ReportData,
    ReportSettings,
    build_report_data,
    bullet_lines,
    date_range,
    month_year,
    pooled_sentence,
    suppress_counts,
)
from inspector_app.core.report.docx import render_docx
from inspector_app.core.report.pdf import render_pdf
from inspector_app.core.report.press_release import render_press_release
from inspector_app.core.report.text import (
    _settled,
    arrangements_intro,
    proposed_note,
    sample_intro,
    summary_context,
)
from inspector_app.core.report.typography import smart_quotes
from tests.report_helpers import MergedDemo, merged_demo

FOREWORD = (
    "This inspection looked at work with violent offenders — a large share of the work.\n\n"
    "Managers & staff engaged well; we saw <real> commitment to improvement in Liverpool."
)
SETTINGS = ReportSettings(chief_inspector="Alex Morgan")


def normalised(text: str) -> str:
    return " ".join(text.split())


@dataclass(frozen=True)
class Built:
    demo: MergedDemo
    master: Path
    data: ReportData
    pdf: bytes
    pages: tuple[str, ...]

    @property
    def text(self) -> str:
        return normalised(" ".join(self.pages))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """A merged 60-case demo with a narrative drafted the way a lead would."""
    demo = merged_demo(tmp_path_factory.mktemp("report-demo"))
    with InspectionFile.open(demo.master) as file:
        narrative = nv.refresh_proposals(file, compute_findings(file))
        nv.edit_item(
            file,
            nv.STRENGTHS,
            narrative.strengths[0].id,
            "work to deliver the sentence was effective",
        )
        nv.remove_item(file, nv.CONCERNS, narrative.concerns[-1].id)
        nv.add_item(file, nv.CONCERNS, "risk of harm was not assessed well enough")
        nv.add_item(file, nv.STRENGTHS, "offender managers knew their cases well")
        nv.set_text(file, nv.JUDGEMENT, "good")
        nv.set_text(file, nv.HEADLINE, "working well to prevent reoffending")
        nv.set_text(file, nv.FOREWORD, FOREWORD)
        nv.set_text(file, nv.REPORT_DATE, "2027-02")
        nv.set_text(file, nv.chapter_part("1.2"), "Initial assessments were too often late.")
        nv.add_item(file, nv.RECOMMENDATIONS, "Assess risk of harm accurately and promptly.")
        nv.add_item(file, nv.RECOMMENDATIONS, "Provide effective management oversight.")
        data = build_report_data(file, settings=SETTINGS)
    pdf = render_pdf(data)  # the file is closed: the renderer needs only the data
    pages = tuple(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return Built(demo, demo.master, data, pdf, pages)


# --- the PDF ----------------------------------------------------------------------------------


def test_cover(built: Built) -> None:
    cover = normalised(built.pages[0])
    assert "Inspection of Adult Offending Work: Merseyside" in cover
    assert "HM Inspectorate of Probation" in cover
    assert "February 2027" in cover
    assert "OFFICIAL-SENSITIVE" in cover


def test_summary_states_the_narrative(built: Built) -> None:
    with InspectionFile.open(built.master, readonly=True) as file:
        narrative = nv.load_narrative(file)
    start = next(i for i, p in enumerate(built.pages) if "Inspectors were pleased" in p)
    summary = normalised(" ".join(built.pages[start : start + 2]))  # it may run over a page

    assert "Work with adults who had offended in Merseyside was of a good standard." in summary
    assert STRENGTHS_INTRO in summary and CONCERNS_INTRO in summary
    strengths = bullet_lines([i.text for i in narrative.strengths])
    concerns = bullet_lines([i.text for i in narrative.concerns])
    assert strengths[0] == "work to deliver the sentence was effective;"
    assert strengths[-1].endswith(".") and strengths[-2].endswith("; and")
    for line in strengths + concerns:
        assert line in summary
    assert summary.index(strengths[-1]) < summary.index(CONCERNS_INTRO) < summary.index(concerns[0])


def test_every_scored_question_has_its_finding_sentence(built: Built) -> None:
    with InspectionFile.open(built.master, readonly=True) as file:
        findings = compute_findings(file)
    assert len(findings.questions) > 40
    for figures in findings.questions:
        assert normalised(smart_quotes(figures.sentence)) in built.text, figures.code


def test_chapters_scoring_table_and_appendices(built: Built) -> None:
    text = built.text
    stages = {(c.stage_code, c.stage_title) for c in built.data.chapters}
    assert len(stages) == 5  # the report's chapters are the stages of the offender's journey
    for code, title in stages:
        assert f"CHAPTER {code} {title}" in text
    for chapter in built.data.chapters:
        assert f"{chapter.code} {chapter.title}" in text  # each criterion within its stage
        assert chapter.overview in text
    assert "Initial assessments were too often late." in text
    assert "1. Assess risk of harm accurately and promptly." in text
    for title in (
        "Scoring summary",
        "Appendix 1: Scores for every question",
        "Appendix 2: The case sample",
        "Appendix 3: Inspection arrangements",
        "Appendix 4: Scoring approach",
        "Appendix 5: Glossary",
    ):
        assert text.count(title) >= 2, title  # once on the contents page, once as a heading
    assert f"Cases in the sample {built.data.sample_size}" in text
    for member in built.data.team:
        assert f"{member.name} {member.role}" in text


def test_foreword_prints_any_character_as_written(built: Built) -> None:
    text = built.text
    assert "violent offenders — a large share" in text
    assert "Managers & staff engaged well; we saw <real> commitment" in text
    assert "Alex Morgan Chief Inspector of Probation" in text


def test_page_x_of_y_on_every_page(built: Built) -> None:
    total = len(built.pages)
    assert total > 15
    assert "Page 1 of" not in built.pages[0]  # the cover is not numbered
    for number, page in enumerate(built.pages[1:], start=2):
        assert f"Page {number} of {total}" in page


def test_protective_marking_and_draft_on_every_page(built: Built) -> None:
    assert "DRAFT for the Chief Inspector" in built.pages[0]
    reader = PdfReader(io.BytesIO(built.pdf))
    for page, raw in zip(built.pages, reader.pages, strict=True):
        assert page.count("OFFICIAL-SENSITIVE") == 2  # header and footer
        # The watermark is drawn, not written: a form on every page, no text to read aloud.
        assert "/FormXob.DraftWatermark" in str(raw["/Resources"]["/XObject"].keys())


def test_final_report_has_no_draft_marks(built: Built) -> None:
    final = replace_final(built.master)
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(render_pdf(final))).pages]

    assert final.final and final.marking == "OFFICIAL"
    for page in pages:
        assert "DRAFT" not in page
        assert "OFFICIAL-SENSITIVE" not in page
        assert not re.search(r"\[(?!c\])", page)  # no placeholders left ([c] is a count)


def replace_final(master: Path) -> ReportData:
    with InspectionFile.open(master, readonly=True) as file:
        return build_report_data(file, final=True, settings=SETTINGS)


def test_no_case_reference_or_name_anywhere(built: Built) -> None:
    identities = built.demo.identities()
    assert len(identities) == built.data.sample_size
    docx_text = docx_full_text(render_docx(built.data))
    press = render_press_release(built.data)
    raw_text = " ".join(built.pages)  # before normalising, so names split across lines count
    for crn, name in identities:
        for output in (built.text, raw_text, docx_text, press):
            assert crn not in output
            assert name not in output


def test_report_never_reads_the_identity_table(built: Built, tmp_path: Path) -> None:
    """Even a bug could not print a name: building the data is refused any read of it."""
    path = built.demo.copy_to(tmp_path)
    with InspectionFile.open(path) as file:
        touched: list[str] = []

        def authorizer(action: int, table: str | None, *_: object) -> int:
            if action == sqlite3.SQLITE_READ and table == "case_identity":
                touched.append(table)
                return sqlite3.SQLITE_DENY
            return sqlite3.SQLITE_OK

        file.db.raw.set_authorizer(authorizer)
        try:
            data = build_report_data(file, settings=SETTINGS)
        finally:
            file.db.raw.set_authorizer(None)
    assert touched == []
    assert data.sample_size == built.data.sample_size


def test_same_master_same_bytes(built: Built) -> None:
    with InspectionFile.open(built.master, readonly=True) as file:
        again = build_report_data(file, settings=SETTINGS)
    assert again == built.data
    assert render_pdf(again) == built.pdf
    assert render_docx(again) == render_docx(built.data)


def test_outline_has_an_entry_per_chapter(built: Built) -> None:
    reader = PdfReader(io.BytesIO(built.pdf))
    top = [item.title for item in reader.outline if not isinstance(item, list)]
    nested = [i.title for group in reader.outline if isinstance(group, list) for i in group]
    for chapter in built.data.chapters:
        assert f"{chapter.stage_code}. {chapter.stage_title}" in top
        assert f"{chapter.code} {chapter.title}" in nested
    assert top[:7] == [
        "Cover",
        "Contents",
        "Acknowledgements",
        "Foreword",
        "Summary",
        "Recommendations",
        "Scoring summary",
    ]
    assert top[-4:] == [
        "Appendix 5: Glossary",
        "Appendix 6: Inspection criteria",
        "Appendix 7: Contextual information",
        "The role of HM Inspectorate of Probation",
    ]
    # Each chapter's bookmark points at the page that starts with its heading.
    for item in reader.outline:
        if not isinstance(item, list) and item.title == "2. Delivery and review":
            page = reader.get_destination_page_number(item)
            assert "CHAPTER 2" in built.pages[page]


def test_metadata_and_embedded_fonts(built: Built) -> None:
    reader = PdfReader(io.BytesIO(built.pdf))
    meta = reader.metadata
    assert meta.title == "Inspection of Adult Offending Work: Merseyside"
    assert meta.author == "HM Inspectorate of Probation"
    assert "Merseyside" in meta.subject
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is not None:
                assert "/FontFile2" in descriptor.get_object()  # embedded TrueType
            fonts.add(str(font["/BaseFont"]).split("+")[-1])
    assert {"DejaVuSans", "DejaVuSans-Bold"} <= fonts
    assert not fonts & {"Helvetica", "Times-Roman"}


def test_proposals_stand_in_until_the_lead_writes_the_lists(tmp_path: Path) -> None:
    demo = merged_demo(tmp_path / "fresh", cases=60)
    with InspectionFile.open(demo.master) as file:
        data = build_report_data(file)
        with_nothing_written = nv.load_narrative(file)
    assert not with_nothing_written.stored  # building the report wrote nothing
    assert data.summary_proposed
    assert data.judgement == "[judgement to be decided]"
    text = normalised(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(render_pdf(data))).pages)
    )
    assert "[The lists below include the app\u2019s proposals" in text
    assert "[Foreword to be written]" in text


# --- the Word draft -------------------------------------------------------------------------------


def docx_full_text(payload: bytes) -> str:
    document = docx.Document(io.BytesIO(payload))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    for section in document.sections:
        parts += [p.text for p in section.header.paragraphs + section.footer.paragraphs]
    return "\n".join(parts)


def test_docx_has_the_same_headings_and_bullets(built: Built) -> None:
    document = docx.Document(io.BytesIO(render_docx(built.data)))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    numbered = [p.text for p in document.paragraphs if p.style.name == "List Number"]
    findings = [p.text for p in document.paragraphs if p.style.name == "Finding List"]

    reader = PdfReader(io.BytesIO(built.pdf))
    top = [item.title for item in reader.outline if not isinstance(item, list)]
    assert headings == [t for t in top if t != "Cover"]
    assert bullets == list(built.data.strength_bullets + built.data.concern_bullets)
    assert numbered == list(built.data.recommendations)
    assert len(findings) == sum(len(c.questions) for c in built.data.chapters)
    text = docx_full_text(render_docx(built.data))
    assert "OFFICIAL-SENSITIVE" in text and "DRAFT" in text
    assert "Managers & staff engaged well; we saw <real> commitment" in text


def test_docx_core_properties_come_from_the_data(built: Built) -> None:
    payload = render_docx(built.data)
    properties = docx.Document(io.BytesIO(payload)).core_properties
    assert properties.title == built.data.title
    assert properties.author == "HM Inspectorate of Probation"
    assert (properties.created.year, properties.created.month) == (2027, 2)
    with zipfile.ZipFile(io.BytesIO(payload)) as package:
        assert {info.date_time for info in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}


# --- the press release ----------------------------------------------------------------------------


def test_press_release_follows_the_seed_shape(built: Built) -> None:
    text = render_press_release(built.data)
    draft, base, *blocks = text.strip().split("\n\n")

    # A draft says so first, with its marking and the part of the sample its figures rest on.
    assert draft == "DRAFT: NOT FOR RELEASE (OFFICIAL-SENSITIVE)"
    data = built.data
    assert 0 < data.cases_complete == data.cases_counted < data.sample_size == 60
    assert base == (
        f"[The figures rest on the {data.cases_complete} complete cases of the 60 in the sample.]"
    )
    assert (
        blocks[0]
        == "Inspection of adult offending work: Merseyside working well to prevent reoffending"
    )
    assert blocks[1] == (
        "Merseyside’s work with adults who had offended was of a good standard, said Alex "
        "Morgan, Chief Inspector of Probation, publishing the report of a recent inspection of "
        "Merseyside."
    )
    strengths = blocks.index(STRENGTHS_INTRO)
    concerns = blocks.index(CONCERNS_INTRO)
    assert strengths < concerns
    for block, expected in (
        (strengths + 1, built.data.press_strength_bullets),
        (concerns + 1, built.data.press_concern_bullets),
    ):
        lines = blocks[block].split("\n")
        assert [line.removeprefix("  • ") for line in lines] == list(expected)
        assert lines[-1].endswith(".")
        assert len(lines) == 1 or lines[-2].endswith("; and")
        assert all(line.endswith(";") for line in lines[:-2])
    assert "including: assess risk of harm accurately and promptly; and provide effective" in text
    assert "Alex Morgan said:" in blocks
    assert "‘[Quote from the Chief Inspector to be added.]’" in blocks
    notes = blocks.index("Notes to editors:")
    numbered = [b for b in blocks[notes + 1 :] if re.match(r"^\d+\. ", b)]
    assert [b.split(".")[0] for b in numbered] == ["1", "2", "3", "4"]
    assert "HMI Probation’s Inspection of Adult Offending Work programme" in text


def test_a_final_release_is_not_marked_draft_and_says_on_what_its_figures_rest(
    built: Built,
) -> None:
    """A report made final with cases unfinished (the lead gave a reason) must not let its
    release pass for one on the whole sample."""
    final = replace(built.data, final=True, marking="OFFICIAL")
    text = render_press_release(final)
    assert "DRAFT" not in text and "[The figures" not in text
    notes = text.split("Notes to editors:")[1]
    assert (
        f"The figures rest on the {final.cases_complete} complete cases of the 60 in the sample."
    ) in notes
    one = render_press_release(replace(final, cases_complete=1, cases_counted=1))
    assert "The figures rest on the 1 complete case of the 60 in the sample." in one
    whole = replace(final, cases_complete=60, cases_counted=60)
    assert "rest on" not in render_press_release(whole)


def test_a_draft_on_cases_in_progress_counts_them_apart(built: Built) -> None:
    data = replace(built.data, include_in_progress=True, cases_complete=21, cases_counted=27)
    assert render_press_release(data).split("\n\n")[1] == (
        "[The figures rest on 27 of the 60 cases in the sample: 21 complete and 6 still in "
        "progress.]"
    )
    none = replace(data, cases_complete=0, cases_counted=0, overall_denominator=0)
    assert "[No case of the 60 in the sample has been counted yet.]" in render_press_release(none)
    assert summary_context(none).endswith("No case has been counted yet.")
    assert summary_context(replace(none, include_in_progress=False)).endswith(
        "No completed case has been counted yet."
    )


def test_the_sample_profile_claims_no_check_of_every_case(built: Built) -> None:
    """Inspectors correct a profile as they read a case; nothing says each was checked."""
    for data in (built.data, replace(built.data, cases_complete=60, cases_counted=60)):
        intro = sample_intro(data)
        assert "confirmed" not in intro
        assert "corrected by inspectors where the case record differed" in intro
    read = replace(built.data, cases_complete=60, cases_counted=60)
    assert arrangements_intro(read).startswith("Inspectors read each case in the sample")


def test_two_differences_settled_read_both() -> None:
    assert _settled(2, 2) == "both differences were discussed and settled"
    assert _settled(3, 3) == "all 3 differences were discussed and settled"
    assert _settled(1, 2) == "1 of the 2 differences has been settled"
    assert _settled(2, 3) == "2 of the 3 differences have been settled"


def test_a_small_pooled_figure_does_not_open_its_sentence_on_a_numeral() -> None:
    sentence = pooled_sentence(PooledFigures("4.1", "Victims", ("F1",), 1, 3, False, None), ())
    assert sentence == "In this aspect of the work, 1 of 4 judgements found it sufficient."


# --- the pure helpers -----------------------------------------------------------------------------


def test_bullet_lines_punctuate_like_the_press_release() -> None:
    assert bullet_lines(["a;", "b.", " c "]) == ("a;", "b; and", "c.")
    assert bullet_lines(["only one;"]) == ("only one.",)
    assert bullet_lines([]) == ()


def test_small_counts_are_suppressed() -> None:
    assert suppress_counts([30, 3, 27]) == ["30", "<5", "[c]"]  # 3 would follow from the total
    assert suppress_counts([30, 3, 2, 25]) == ["30", "<5", "<5", "25"]
    assert suppress_counts([30, 0, 5]) == ["30", "0", "5"]
    assert suppress_counts([4], complementary=False) == ["<5"]


def test_profile_tables_hide_small_counts(built: Built) -> None:
    shown = {row.count for table in built.data.profile for row in table.rows}
    assert shown <= {"<5", "[c]"} | {str(n) for n in [0, *range(5, 1000)]}
    for table in built.data.profile:
        assert table.title in built.text
        for row in table.rows:
            if row.count in ("<5", "[c]"):
                assert row.percent == "–"


def test_dates_in_words() -> None:
    assert date_range("2026-11-02", "2026-11-06") == "2 to 6 November 2026"
    assert date_range("2026-10-30", "2026-11-03") == "30 October to 3 November 2026"
    assert date_range("2026-12-30", "2027-01-02") == "30 December 2026 to 2 January 2027"
    assert date_range(None, None) == ""
    assert month_year("2027-02") == "February 2027"
    assert month_year("not a date") == ""


def test_hand_made_data_renders_without_a_file(built: Built) -> None:
    """The renderers are pure: any ReportData will do, no database behind it."""
    empty = replace(
        built.data,
        chapters=(),
        strengths=(),
        concerns=(),
        recommendations=(),
        foreword=(),
        overall_denominator=0,
        overall_sufficient=0,
        overall_percent=None,
        overall_words=None,
    )
    pdf = render_pdf(empty)
    assert pdf.startswith(b"%PDF") and render_pdf(empty) == pdf
    assert render_docx(empty).startswith(b"PK")
    assert "Notes to editors:" in render_press_release(empty)


def test_the_qa_count_and_sentence_come_from_two_readers_answers(master: InspectionFile) -> None:
    """Allocating a second reader is not double reading: the report counts cases that two
    readers answered, and says they agreed only as often as they did."""
    from inspector_app.core.report.text import arrangements_facts, arrangements_intro
    from inspector_app.core.revisions import ids
    from inspector_app.core.revisions.log import Kind, write_revision
    from inspector_app.core.sample.placement import allocate_case

    lead = master.author_id()
    allocate_case(master, 1, "Helen Ashworth", second_reader=True)
    data = build_report_data(master)
    assert data.second_reads == 0 and data.quality_assurance is None
    assert "second inspector" not in arrangements_intro(data)
    assert dict(arrangements_facts(data))["Cases read by two inspectors (quality assurance)"] == "0"

    case = master.case_key_for(1)
    first_reader = next(
        member
        for (member,) in master.db.raw.execute(
            "SELECT member_id FROM allocation WHERE case_key = ? AND reader = 'first'", (case,)
        )
    )
    with master.db.write() as conn:
        for field, answers in (("A1", ("yes", "yes")), ("B1.1", ("yes", "no"))):
            for author, value in zip((first_reader, lead), answers, strict=True):
                write_revision(
                    conn,
                    record_key=ids.record_key(case, Kind.ANSWER, field),
                    kind=Kind.ANSWER,
                    case_key=case,
                    field=field,
                    value=value,
                    note="",
                    author=author,
                    hlc=master.clock.tick(),
                    parents=[],
                )
    data = build_report_data(master)
    qa = data.quality_assurance
    assert data.second_reads == 1
    assert qa is not None and (qa.compared, qa.agreed, qa.settled) == (2, 1, 0)
    assert (
        "A second inspector also read 1 case to check the consistency of judgements; the two "
        "readers gave the same answer to 1 of the 2 questions they both answered (50%), and the "
        "difference is still to be settled."
    ) in arrangements_intro(data)


def test_offender_manager_interviews_are_counted_from_the_answers(master: InspectionFile) -> None:
    from inspector_app.core.cases.answers import set_answer
    from inspector_app.core.report.text import arrangements_intro

    for sample_no, value in ((1, "yes"), (2, "no"), (3, "yes")):
        set_answer(master, master.case_key_for(sample_no), "0.2", value)
    data = build_report_data(master, include_in_progress=True)
    assert data.interviews == (2, 3)
    assert "They interviewed the offender manager in 2 of the 3 cases counted." in (
        arrangements_intro(data)
    )
    # A counted case without the interview recorded is no case where none took place.
    set_answer(master, master.case_key_for(4), "A1", "yes")
    data = build_report_data(master, include_in_progress=True)
    assert (data.cases_counted, data.interviews) == (4, (2, 3))
    assert (
        "They interviewed the offender manager in 2 of the 3 cases for which the interview was "
        "recorded."
    ) in arrangements_intro(data)
    assert arrangements_intro(data).startswith(
        "Inspectors read cases from the sample of 12 during fieldwork in Merseyside from 2 to 6 "
        "November 2026; none was complete when this report was produced, and the figures also "
        "count the 4 cases still in progress."
    )


def test_the_press_release_headlines_nothing_on_a_small_base(tmp_path: Path) -> None:
    """Report bullets need 10 cases judged, press release bullets 20 (framework data); a bullet
    the lead wrote or edited is theirs and always stays."""
    demo = merged_demo(tmp_path / "press", cases=60)
    with InspectionFile.open(demo.master) as file:
        findings = compute_findings(file)
        data = build_report_data(file)
        assert data.strengths or data.concerns
        bases = {q.code: q.denominator for q in findings.questions} | {
            f"{f.criterion}@{f.name}": f.cases for f in findings.subgroup_figures
        }
        proposals = nv.refresh_proposals(file, findings)
        small = [i for i in proposals.strengths if bases[i.source_code or ""] < 20]
        press = set(build_report_data(file).press_strengths)
        for item in proposals.strengths:
            assert (item.text in press) == (bases[item.source_code or ""] >= 20)
        if small:
            nv.edit_item(file, nv.STRENGTHS, small[0].id, small[0].text + " (checked)")
            assert small[0].text + " (checked)" in build_report_data(file).press_strengths
    assert set(data.press_strengths) <= set(data.strengths)


def test_a_single_recommendation_is_not_introduced_as_one_of_several(built: Built) -> None:
    one = replace(built.data, recommendations=("Assess risk of harm accurately and promptly.",))
    assert (
        "Inspectors made one recommendation to assist Merseyside in its continuing improvement: "
        "assess risk of harm accurately and promptly."
    ) in render_press_release(one)
    assert "including: assess risk" in render_press_release(built.data)  # two or more


def test_a_draft_release_of_proposed_lists_says_so_as_the_report_does(built: Built) -> None:
    proposed = replace(built.data, summary_proposed=True)
    assert proposed_note() in render_press_release(proposed).split("Inspection of")[0]
    assert proposed_note() not in render_press_release(built.data)
