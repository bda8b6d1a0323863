"""The report as an editable Word draft: `render_docx(data) -> bytes`.

The same content as the PDF (headings, bullet lists, numbered recommendations, tables) for the
editing round, in Word's own styles so an editor's changes keep the document consistent and the
headings feed Word's navigation pane and contents. ReportLab does not write tagged PDF, so this
is also the accessible form of the report. Charts are given as small tables (the figures an
editor needs); the PDF draws them.

Deterministic like the PDF: core properties come from the data, and the package is re-zipped
with fixed timestamps, so the same data gives the same bytes.
"""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from inspector_app.core.publication_gate import override_facts
from inspector_app.core.report import text as prose
from inspector_app.core.report.data import (
    CONCERNS_INTRO,
    MONTHS,
    STRENGTHS_INTRO,
    Chapter,
    ReportData,
    percent_text,
)
from inspector_app.core.report.typography import smart_quotes

if TYPE_CHECKING:
    from docx.oxml.xmlchemy import BaseOxmlElement
    from lxml import etree

NAVY = RGBColor(0x1D, 0x3B, 0x5C)
MUTED = RGBColor(0x5D, 0x68, 0x70)
FONT = "Arial"
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def render_docx(data: ReportData) -> bytes:
    """The Word draft as bytes; the same data always gives the same bytes."""
    document = Document()
    _set_up(document, data)
    _cover(document, data)
    _contents(document)
    if data.foreword:
        _heading(document, prose.FOREWORD)
        for paragraph in data.foreword:
            _text(document, paragraph)
        signature = document.add_paragraph()
        signature.paragraph_format.space_before = Pt(12)
        signature.add_run(data.chief_inspector).bold = True
        signature.add_run().add_break()
        signature.add_run(data.chief_inspector_title)
        signature.add_run().add_break()
        signature.add_run(data.report_month)
    _summary(document, data)
    if data.recommendations:
        _heading(document, prose.RECOMMENDATIONS)
        _text(document, prose.recommendations_intro(data))
        for recommendation in data.recommendations:
            _text(document, recommendation, style="List Number")
    _scoring_summary(document, data)
    stage = ""
    for chapter in data.chapters:
        if chapter.stage_code and chapter.stage_code != stage:  # a stage opens a chapter
            stage = chapter.stage_code
            _heading(document, prose.chapter_heading(int(chapter.stage_code), chapter.stage_title))
        _chapter(document, chapter, data)
    _appendices(document, data)
    _curl_quotes(document)
    raw = io.BytesIO()
    document.save(raw)
    return _fixed_zip(raw.getvalue())


def _curl_quotes(document: DocxDocument) -> None:
    """Curly quotes and apostrophes in every run of text, as the PDF prints them."""
    paragraphs = list(document.paragraphs)
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                paragraphs += cell.paragraphs
    for section in document.sections:
        paragraphs += section.header.paragraphs + section.footer.paragraphs
    for paragraph in paragraphs:
        for run in paragraph.runs:
            curled = smart_quotes(run.text)
            if curled != run.text:
                run.text = curled


# --- set-up -----------------------------------------------------------------------------------


def _set_up(document: DocxDocument, data: ReportData) -> None:
    styles = document.styles
    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(10.5)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    for name, size in (("Heading 1", 18), ("Heading 2", 13), ("Title", 28)):
        style = styles[name]
        style.font.name = FONT
        style.font.size = Pt(size)
        style.font.color.rgb = NAVY
    styles["Heading 1"].paragraph_format.page_break_before = True

    section = document.sections[0]
    section.page_height, section.page_width = Mm(297), Mm(210)
    section.left_margin = section.right_margin = Mm(24)
    section.top_margin, section.bottom_margin = Mm(28), Mm(26)

    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    header.add_run(data.marking).bold = True
    if not data.final:
        header.add_run("   DRAFT").bold = True
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run(data.marking).bold = True
    pages = section.footer.add_paragraph()
    pages.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    pages.add_run("Page ")
    _field(pages, "PAGE", "1")
    pages.add_run(" of ")
    _field(pages, "NUMPAGES", "1")

    when = _report_datetime(data.report_month)
    properties = document.core_properties
    properties.title = data.title
    properties.subject = data.subject
    properties.author = data.inspectorate
    properties.last_modified_by = data.inspectorate
    properties.keywords = f"{data.programme}; {data.organisation}; {data.report_month}"
    properties.comments = "Draft for editing" if not data.final else "Final"
    properties.category = data.marking
    properties.revision = 1
    properties.created = when
    properties.modified = when
    properties.last_printed = when


def _report_datetime(month_year: str) -> datetime:
    """The first day of the report's month (a fixed stand-in when the data has none)."""
    try:
        month, year = month_year.split(" ")
        return datetime(int(year), MONTHS.index(month) + 1, 1, tzinfo=UTC)
    except ValueError:
        return datetime(2000, 1, 1, tzinfo=UTC)


# --- parts ------------------------------------------------------------------------------------


def _cover(document: DocxDocument, data: ReportData) -> None:
    inspectorate = document.add_paragraph()
    run = inspectorate.add_run(data.inspectorate)
    run.bold = True
    run.font.color.rgb = NAVY
    run.font.size = Pt(13)
    inspectorate.paragraph_format.space_after = Pt(180)
    document.add_paragraph(data.title, style="Title")
    _text(document, prose.byline(data), color=MUTED, size=13)
    _text(document, data.report_month, color=MUTED, size=13)
    if not data.final:
        notice = document.add_paragraph()
        notice.paragraph_format.space_before = Pt(36)
        notice.add_run(prose.draft_notice()).bold = True


def _contents(document: DocxDocument) -> None:
    _heading(document, "Contents")
    paragraph = document.add_paragraph()
    _field(
        paragraph,
        'TOC \\o "1-1" \\h \\z \\u',
        "Right-click here and choose Update Field to show the contents.",
    )


def _summary(document: DocxDocument, data: ReportData) -> None:
    _heading(document, prose.SUMMARY)
    if data.judgement_sentence:
        _text(document, data.judgement_sentence, color=NAVY, size=13)
    _text(document, prose.summary_context(data))
    if data.summary_proposed:
        _text(document, prose.proposed_note(), color=MUTED, italic=True)
    for intro, bullets in (
        (STRENGTHS_INTRO, data.strength_bullets),
        (CONCERNS_INTRO, data.concern_bullets),
    ):
        if bullets:
            _text(document, intro, bold=True, color=NAVY)
            for line in bullets:
                _text(document, line, style="List Bullet")
    if data.disputed and not data.final:
        _text(document, prose.disputed_note(), color=MUTED, italic=True)


def _scoring_summary(document: DocxDocument, data: ReportData) -> None:
    _heading(document, prose.SCORING_SUMMARY)
    _text(document, prose.scoring_summary_intro())
    rows = [
        [
            f"{c.label}  {c.title}",
            str(c.denominator),
            str(c.sufficient),
            percent_text(c.percent),
            c.words or "–",
        ]
        for c in data.chapters
    ]
    rows.append(
        [
            "All the work",
            str(data.overall_denominator),
            str(data.overall_sufficient),
            percent_text(data.overall_percent),
            data.overall_words or "–",
        ]
    )
    table = _table(
        document,
        [
            "Criterion" if any(c.stage_code for c in data.chapters) else "Aspect of the work",
            "Judgements",
            "Sufficient",
            "Per cent",
            "In words",
        ],
        rows,
        numeric=(1, 2, 3),
        widths=(62, 24, 22, 20, 34),
    )
    for cell in table.rows[-1].cells:
        for run in cell.paragraphs[0].runs:
            run.bold = True


def _chapter(document: DocxDocument, chapter: Chapter, data: ReportData) -> None:
    if chapter.stage_code:  # a criterion within its stage's chapter
        document.add_heading(chapter.heading, level=2)
    else:
        _heading(document, chapter.heading)
    if chapter.criterion:
        _text(document, prose.criterion_line(chapter.criterion), color=MUTED, italic=True)
    overview = document.add_paragraph()
    figure = overview.add_run(f"{chapter.figure}   ")
    figure.bold = True
    figure.font.size = Pt(16)
    figure.font.color.rgb = NAVY
    overview.add_run(chapter.overview + _dagger(chapter.disputed, data))
    for commentary in chapter.commentary:
        _text(document, commentary)
    _table(
        document,
        ["Question", "Sufficient", "Judged", "Per cent"],
        [
            [q.code, str(q.sufficient), str(q.denominator), percent_text(q.percent)]
            for q in chapter.questions
        ],
        numeric=(1, 2, 3),
        widths=(40, 30, 30, 30),
    )
    _text(
        document,
        prose.chapter_table_caption(
            chapter.number,
            f"{chapter.code} {chapter.title}" if chapter.stage_code else chapter.title,
        ),
        color=MUTED,
        italic=True,
        size=9,
    )
    document.add_heading(prose.FINDINGS, level=3 if chapter.stage_code else 2)
    for question in chapter.questions:
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.left_indent = Mm(14)
        paragraph.paragraph_format.first_line_indent = Mm(-14)
        code = paragraph.add_run(f"{question.code}\t")
        code.bold = True
        code.font.color.rgb = MUTED
        paragraph.add_run(question.finding + _dagger(question.disputed, data))


def _appendices(document: DocxDocument, data: ReportData) -> None:
    _heading(document, prose.APPENDIX_SCORES)
    _text(document, prose.scores_intro())
    for chapter in data.chapters:
        document.add_heading(chapter.heading, level=2)
        rows = []
        for q in chapter.questions:
            mark = f" {prose.REVERSED_MARK}" if q.reversed else ""
            rows.append(
                [
                    q.code,
                    q.text + mark + _dagger(q.disputed, data),
                    str(q.yes),
                    str(q.no),
                    str(q.na),
                    str(q.unanswered),
                    str(q.sufficient),
                    str(q.denominator),
                    percent_text(q.percent).rstrip("%"),
                ]
            )
        _table(
            document,
            ["Code", "Question", "Yes", "No", "N/A", "Not answered", "Sufficient", "Judged", "%"],
            rows,
            numeric=(2, 3, 4, 5, 6, 7, 8),
            widths=(13, 62, 10, 10, 10, 15, 16, 14, 12),
            size=8,
        )

    _heading(document, prose.APPENDIX_SAMPLE)
    _text(document, prose.sample_intro(data))
    for profile in data.profile:
        _table(
            document,
            [profile.title, "Cases", "%"],
            [[row.label, row.count, row.percent] for row in profile.rows],
            numeric=(1, 2),
            widths=(90, 25, 25),
        )
        document.add_paragraph()

    _heading(document, prose.APPENDIX_ARRANGEMENTS)
    _text(document, prose.arrangements_intro(data))
    overridden = override_facts(data.cases_complete, data.sample_size, data.override_reason)
    facts = _table(document, None, [*prose.arrangements_facts(data), *overridden], widths=(70, 92))
    for row in facts.rows:
        for run in row.cells[0].paragraphs[0].runs:
            run.bold = True
    document.add_heading(prose.TEAM, level=2)
    _table(document, ["Name", "Role"], [[m.name, m.role] for m in data.team], widths=(70, 92))

    _heading(document, prose.APPENDIX_SCORING)
    for paragraph in data.scoring_approach:
        _text(document, paragraph)
    document.add_heading(prose.WORDING_TABLE, level=2)
    _table(
        document,
        ["Printed percentage", "Words used"],
        [list(row) for row in data.wording_table],
        widths=(55, 107),
    )

    _heading(document, prose.APPENDIX_GLOSSARY)
    glossary = _table(document, None, [list(row) for row in data.glossary], widths=(35, 127))
    for row in glossary.rows:
        for run in row.cells[0].paragraphs[0].runs:
            run.bold = True


# --- small builders ---------------------------------------------------------------------------


def _heading(document: DocxDocument, text: str) -> Paragraph:
    heading: Paragraph = document.add_heading(text, level=1)
    return heading


def _text(
    document: DocxDocument,
    text: str,
    *,
    style: str | None = None,
    bold: bool = False,
    italic: bool = False,
    color: RGBColor | None = None,
    size: float | None = None,
) -> Paragraph:
    paragraph = document.add_paragraph(style=style)
    run = paragraph.add_run(text)
    if bold:
        run.bold = True
    if italic or (text.startswith("[") and text.endswith("]")):
        run.italic = True
    if color is not None:
        run.font.color.rgb = color
    if size is not None:
        run.font.size = Pt(size)
    return paragraph


def _table(
    document: DocxDocument,
    head: list[str] | None,
    rows: list[list[str]] | list[tuple[str, str]],
    *,
    numeric: tuple[int, ...] = (),
    widths: tuple[float, ...] = (),
    size: float = 9,
) -> Table:
    columns = len(head) if head else len(rows[0]) if rows else 1
    table: Table = document.add_table(rows=0, cols=columns)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    all_rows = ([head] if head else []) + [list(r) for r in rows]
    for index, values in enumerate(all_rows):
        cells = table.add_row().cells
        for column, value in enumerate(values):
            paragraph = cells[column].paragraphs[0]
            paragraph.paragraph_format.space_after = Pt(0)
            run = paragraph.add_run(value)
            run.font.size = Pt(size)
            if column in numeric:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if head and index == 0:
                run.bold = True
                run.font.color.rgb = NAVY
                _shade(cells[column], "EEF2F5")
            if widths:
                cells[column].width = Mm(widths[column])
    if head:
        _repeat_header(table)
    return table


def _shade(cell: _Cell, fill: str) -> None:
    properties = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    properties.append(shading)


def _repeat_header(table: Table) -> None:
    """Marks the first row as a header row, repeated on every page the table spans."""
    row_properties = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    row_properties.append(header)


def _field(paragraph: Paragraph, instruction: str, placeholder: str) -> None:
    """A Word field (page number, page count, contents) that Word fills in when it opens or
    updates the document; `placeholder` is shown until then."""

    def fld_char(kind: str) -> BaseOxmlElement | etree._Element:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        return element

    paragraph.add_run()._r.append(fld_char("begin"))
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    paragraph.add_run()._r.append(instr)
    paragraph.add_run()._r.append(fld_char("separate"))
    paragraph.add_run(placeholder)
    paragraph.add_run()._r.append(fld_char("end"))


def _dagger(disputed: bool, data: ReportData) -> str:
    return f" {prose.DISPUTED_MARK}" if disputed and not data.final else ""


def _fixed_zip(package: bytes) -> bytes:
    """The package re-zipped with fixed timestamps and attributes, in the same member order,
    so the bytes depend only on the content."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(package)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            member.create_system = 3
            target.writestr(member, source.read(info.filename))
    return out.getvalue()
