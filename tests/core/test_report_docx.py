"""The Word draft as the accessible form of the report (the PDF is untagged): what Word's
Accessibility Checker and a screen reader user expect of it. Headings in order, every chart a
picture whose alternative text gives its figures, tables captioned "Table n" above them with
a marked header row and no merged cells, British English, and the same bytes for the same
data."""

from __future__ import annotations

import io
import itertools
import re
import zipfile
from dataclasses import replace

import docx
import pytest
from docx.document import Document
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from PIL import Image

from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.report import text as prose
from inspector_app.core.report.data import (
    Chapter,
    ExampleBox,
    QuestionRow,
    ReportData,
    ReportSettings,
    build_report_data,
)
from inspector_app.core.report.docx import render_docx
from inspector_app.core.report.typography import smart_quotes
from tests.report_helpers import merged_demo

SETTINGS = ReportSettings(chief_inspector="Alex Morgan")
BARS = {(0x2F, 0x5D, 0x87), (0xA9, 0xBF, 0xD3)}  # charts.BAR, BAR_SMALL (fewer than 5 cases)


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> ReportData:
    """A merged 60-case demo, as tests/core/test_report.py builds it (criteria grouped by stage)."""
    demo = merged_demo(tmp_path_factory.mktemp("docx-demo"))
    with InspectionFile.open(demo.master, readonly=True) as file:
        built = build_report_data(file, settings=SETTINGS)
    assert any(c.stage_code for c in built.chapters)
    return built


@pytest.fixture(scope="module")
def payload(data: ReportData) -> bytes:
    return render_docx(data)


@pytest.fixture(scope="module")
def document(payload: bytes) -> Document:
    return docx.Document(io.BytesIO(payload))


def body_blocks(document: Document) -> list[Paragraph | Table]:
    """The body's paragraphs and tables in reading order."""
    blocks: list[Paragraph | Table] = []
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:p"):
            blocks.append(Paragraph(element, document))
        elif element.tag == qn("w:tbl"):
            blocks.append(Table(element, document))
    return blocks


def headings(document: Document) -> list[tuple[int, str]]:
    found = []
    for paragraph in document.paragraphs:
        match = re.fullmatch(r"Heading (\d)", paragraph.style.name)
        if match:
            found.append((int(match.group(1)), paragraph.text))
    return found


def pictures(document: Document) -> list[tuple[Paragraph, dict[str, str]]]:
    """Every inline picture, with the paragraph it sits in and its wp:docPr attributes."""
    found = []
    for paragraph in document.paragraphs:
        for properties in paragraph._p.iter(qn("wp:docPr")):
            found.append((paragraph, dict(properties.attrib)))
    return found


# --- headings ---------------------------------------------------------------------------------


def unstaged(data: ReportData) -> ReportData:
    """The same report for a framework that declares no stages: chapters at Heading 1."""
    return replace(
        data, chapters=tuple(replace(c, stage_code="", stage_title="") for c in data.chapters)
    )


def mixed(data: ReportData) -> ReportData:
    """A stage's criteria either side of a chapter that has no stage."""
    first, second, other = data.chapters[0], data.chapters[1], data.chapters[4]
    assert first.stage_code == second.stage_code != other.stage_code
    loose = replace(other, stage_code="", stage_title="")
    return replace(data, chapters=(first, loose, second))


def expected_chapter_headings(data: ReportData) -> list[tuple[int, str]]:
    """A stage's heading (1) opens each run of its criteria (2, their findings 3); a chapter
    without a stage is a heading 1 (its findings 2)."""
    expected: list[tuple[int, str]] = []
    previous = ""
    for chapter in data.chapters:
        if chapter.stage_code and chapter.stage_code != previous:
            expected.append(
                (1, prose.chapter_heading(int(chapter.stage_code), chapter.stage_title))
            )
        level = 2 if chapter.stage_code else 1
        expected += [(level, chapter.heading), (level + 1, prose.FINDINGS)]
        expected += [(level + 1, f"{prose.PRACTICE_EXAMPLE}: {e.title}") for e in chapter.examples]
        previous = chapter.stage_code
    return expected


def with_examples(data: ReportData) -> ReportData:
    """Practice examples after two criteria's findings."""
    example = ExampleBox("Planning with the victim in mind", "Case 12", ("What was done.",))
    chapters = list(data.chapters)
    for index in (0, 2):
        chapters[index] = replace(chapters[index], examples=(example,))
    return replace(data, chapters=tuple(chapters))


@pytest.mark.parametrize("shape", ["staged", "unstaged", "mixed", "examples"])
def test_heading_levels_never_skip_and_criteria_sit_under_their_stage(
    data: ReportData, shape: str
) -> None:
    shaped = {
        "staged": data,
        "unstaged": unstaged(data),
        "mixed": mixed(data),
        "examples": with_examples(data),
    }[shape]
    document = docx.Document(io.BytesIO(render_docx(shaped)))
    found = headings(document)

    assert found[0][0] == 1
    for (before, text_before), (level, text) in itertools.pairwise(found):
        assert level <= before + 1, (
            f"{text!r} (Heading {level}) after {text_before!r} (Heading {before})"
        )
    assert {level for level, _ in found} <= {1, 2, 3}
    top = [text for level, text in found if level == 1]
    in_order = [
        "Contents",
        prose.FOREWORD,
        prose.SUMMARY,
        prose.RECOMMENDATIONS,
        prose.SCORING_SUMMARY,
        prose.APPENDIX_SCORES,
        prose.APPENDIX_SAMPLE,
        prose.APPENDIX_ARRANGEMENTS,
        prose.APPENDIX_SCORING,
        prose.APPENDIX_GLOSSARY,
    ]
    positions = [top.index(text) for text in in_order]  # each a chapter of its own, in order
    assert positions == sorted(positions)
    chapters = found[
        [t for _, t in found].index("Scoring summary") + 1 : found.index((1, prose.APPENDIX_SCORES))
    ]
    assert chapters == expected_chapter_headings(shaped)
    # Headings come only from the heading styles: no paragraph sets its own outline level.
    assert not document.element.body.findall(".//" + qn("w:outlineLvl"))


# --- charts -----------------------------------------------------------------------------------


def test_every_picture_has_alt_text_giving_its_figures(
    data: ReportData, document: Document
) -> None:
    found = pictures(document)
    assert found, "no charts in the Word draft"
    for _, properties in found:
        assert properties.get("descr", "").strip(), properties
        assert properties.get("title", "").strip(), properties
        assert properties["descr"].startswith("Bar chart: ")

    summary = found[0][1]["descr"]
    at = 0
    for chapter in data.chapters:  # every bar's figures, in the chart's order (top down)
        at = summary.index(f"{chapter.label} {smart_quotes(chapter.title)} {figures(chapter)}", at)
    assert (
        f"Dashed line: all the work {data.overall_percent}% ({data.overall_sufficient} of "
        in summary
    )

    for chapter, (_, properties) in zip(data.chapters, found[1:], strict=True):
        description = properties["descr"]
        assert f"{chapter.code} {smart_quotes(chapter.title)}" in description
        assert properties["title"].startswith(f"Figure {chapter.number + 1}: ")
        at = 0
        for question in chapter.questions:  # named in plain words, as the chart names them
            name = smart_quotes(question.label or question.code)
            at = description.index(f"{name} {figures(question)}", at)


def figures(row: Chapter | QuestionRow) -> str:
    if row.percent is None:
        return "no cases"
    return f"{row.percent}% ({row.sufficient} of {row.denominator}"


def test_one_chart_per_chapter_and_one_for_the_scoring_summary(
    data: ReportData, document: Document, payload: bytes
) -> None:
    found = pictures(document)
    assert len(found) == len(data.chapters) + 1
    assert len(document.inline_shapes) == len(data.chapters) + 1

    # Each chart follows its own heading: the scoring summary's, then each criterion's.
    blocks = body_blocks(document)
    chart_at = [
        i
        for i, b in enumerate(blocks)
        if isinstance(b, Paragraph) and b._p.findall(".//" + qn("wp:docPr"))
    ]
    heading_at: dict[str, int] = {}  # where each heading first comes (not Appendix 1's)
    for i, block in enumerate(blocks):
        if isinstance(block, Paragraph) and block.style.name.startswith("Heading"):
            heading_at.setdefault(block.text, i)
    owners = ["Scoring summary", *[c.heading for c in data.chapters]]
    starts = [heading_at[name] for name in owners]
    ends = [*starts[1:], heading_at[prose.APPENDIX_SCORES]]
    for at, start, end in zip(chart_at, starts, ends, strict=True):
        assert start < at < end
        caption = blocks[at + 1]
        assert isinstance(caption, Paragraph) and caption.style.name == "Caption"
        assert caption.text.startswith("Figure ")

    # The pictures are the PDF's charts drawn at 216 dpi: real PNGs with bars in them.
    with zipfile.ZipFile(io.BytesIO(payload)) as package:
        media = sorted(n for n in package.namelist() if n.startswith("word/media/"))
        assert len(media) == len(data.chapters) + 1
        for name in media:
            assert name.endswith(".png")
            image = Image.open(io.BytesIO(package.read(name)))
            assert image.format == "PNG"
            assert image.info.get("dpi") and round(image.info["dpi"][0]) == 216
            assert image.width > 1300  # 162 mm at 216 dpi
            colours = {colour for _, colour in image.convert("RGB").getcolors(1 << 20) or ()}
            assert colours & BARS, name


# --- tables -----------------------------------------------------------------------------------


def test_every_table_is_captioned_as_a_table_above_it(document: Document) -> None:
    blocks = body_blocks(document)
    tables = [i for i, block in enumerate(blocks) if isinstance(block, Table)]
    assert len(tables) > 20
    numbers = []
    for at in tables:
        caption = blocks[at - 1]
        assert isinstance(caption, Paragraph)
        assert caption.style.name == "Caption", caption.text
        match = re.match(r"Table (\d+): \S", caption.text)
        assert match, caption.text
        assert "Figure" not in caption.text
        assert caption.paragraph_format.keep_with_next  # kept on the table's page
        numbers.append(int(match.group(1)))
    assert numbers == list(range(1, len(tables) + 1))
    # No caption of a table calls it a figure, anywhere in the document.
    for block in blocks:
        if (
            isinstance(block, Paragraph)
            and block.style.name == "Caption"
            and block.text.startswith("Figure")
        ):
            following = blocks[blocks.index(block) + 1]
            assert not isinstance(following, Table)
    # A screen reader entering the table hears its caption too.
    for at in tables:
        table = blocks[at]
        assert isinstance(table, Table)
        title = table._tbl.tblPr.find(qn("w:tblCaption"))
        assert title is not None and title.get(qn("w:val")) == blocks[at - 1].text


def test_every_table_has_a_marked_header_row_and_no_merged_cells(document: Document) -> None:
    assert document.tables
    for table in document.tables:
        rows = table._tbl.tr_lst
        header = rows[0].trPr.find(qn("w:tblHeader")) if rows[0].trPr is not None else None
        assert header is not None, [c.text for c in table.rows[0].cells]
        assert header.get(qn("w:val"), "true") in ("true", "1", "on")
        assert all(cell.text.strip() for cell in table.rows[0].cells)  # every column named
        for row in rows[1:]:
            assert row.trPr is None or row.trPr.find(qn("w:tblHeader")) is None
        for merged in ("w:gridSpan", "w:vMerge", "w:hMerge"):
            assert not table._tbl.findall(".//" + qn(merged)), merged
        width = len(table.columns)
        assert all(len(row.tc_lst) == width for row in rows)


# --- language and properties ------------------------------------------------------------------


def test_the_language_is_british_english_and_the_properties_are_set(
    data: ReportData, document: Document
) -> None:
    defaults = document.styles.element.find(qn("w:docDefaults"))
    assert defaults is not None
    language = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    assert language is not None and language.get(qn("w:val")) == "en-GB"
    # No run or style says otherwise.
    for element in (document.element, document.styles.element):
        for lang in element.iter(qn("w:lang")):
            assert lang.get(qn("w:val")) in (None, "en-GB")
    properties = document.core_properties
    assert properties.language == "en-GB"
    assert properties.title == data.title
    assert properties.subject == data.subject and data.organisation in properties.subject
    assert properties.author == data.inspectorate


def test_no_empty_paragraphs_or_runs_of_blanks_for_layout(document: Document) -> None:
    """Word's checker flags repeated blank characters: a screen reader says "blank" for each."""
    for block in body_blocks(document):
        if isinstance(block, Paragraph):
            has_picture = bool(block._p.findall(".//" + qn("w:drawing")))
            assert block.text.strip() or has_picture, "an empty paragraph"
            assert not re.search(r"  |\t\t| \t|\t ", block.text), repr(block.text)
        else:
            for cell in {c._tc: c for row in block.rows for c in row.cells}.values():
                assert "  " not in cell.text, repr(cell.text)
    for section in document.sections:
        for paragraph in section.header.paragraphs + section.footer.paragraphs:
            assert "  " not in paragraph.text, repr(paragraph.text)


# --- determinism ------------------------------------------------------------------------------


def test_same_data_same_bytes_pictures_included(data: ReportData, payload: bytes) -> None:
    again = render_docx(replace(data))  # an equal value, built apart
    assert again == payload
    with zipfile.ZipFile(io.BytesIO(payload)) as package:
        media = [n for n in package.namelist() if n.startswith("word/media/")]
        assert media
        assert {info.date_time for info in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        for name in media:
            png = package.read(name)
            # No chunk that records when or where it was made.
            for chunk in (b"tIME", b"tEXt", b"iTXt", b"zTXt", b"eXIf"):
                assert chunk not in png, (name, chunk)
