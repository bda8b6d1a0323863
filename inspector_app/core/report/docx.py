"""The report as an editable Word draft: `render_docx(data) -> bytes`.

The same content as the PDF (headings, bullet lists, numbered recommendations, tables) for the
editing round, in Word's own styles so an editor's changes keep the document consistent and the
headings feed Word's navigation pane and contents. ReportLab does not write tagged PDF, so this
is also the accessible form of the report, built for a screen reader and Word's Accessibility
Checker: headings in order (Heading 1 for a chapter or appendix, 2 and 3 beneath, none
skipped); every chart the PDF draws, as a picture whose alternative text gives every bar's
figures; every table captioned "Table n" above it, with a header row marked as one and no
merged cells; the language (en-GB) and the title, subject and author set; no empty paragraphs
or runs of spaces used for layout.

The charts are the PDF's own ReportLab drawings, rasterised by `_Raster` with Pillow (which
ReportLab itself depends on; ReportLab's renderPM needs a backend, rlPyCairo or _renderPM,
that is not installed). The figures also stand in a table under each chart, for editing.

Deterministic like the PDF: core properties come from the data, the charts are drawn with a
fixed text layout and saved without a timestamp, and the package is re-zipped with fixed
timestamps, so the same data gives the same bytes.
"""

from __future__ import annotations

import io
import math
import zipfile
from collections.abc import Sequence
from datetime import UTC, datetime
from functools import cache
from typing import TYPE_CHECKING, Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from PIL import Image, ImageDraw, ImageFont
from reportlab.graphics.renderbase import Renderer, StateTracker, getStateDelta
from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from inspector_app.core.i18n import _, language_tag, speaking, translated
from inspector_app.core.report import text as prose
from inspector_app.core.report.charts import (
    BADGE_OUTLINE,
    NOT_RATED_FILL,
    SMALL_BASE,
    Bar,
    area_bars,
    badge_text_colour,
    bar_chart,
    rating_fill,
)
from inspector_app.core.report.data import (
    AREA_COMPARISON,
    COMPARED_CRITERION,
    COMPARED_OVERALL,
    COMPARED_QUESTION,
    COMPARED_STAGE,
    CONCERNS_INTRO,
    STRENGTHS_INTRO,
    Chapter,
    ReportData,
    ReportRatings,
    StandardRatingRow,
    area_comparison_intro,
    area_comparison_note,
    area_comparison_source,
    area_comparison_title,
    base_percent_text,
    month_number,
    percent_text,
)
from inspector_app.core.report.fonts import REGULAR, register_fonts
from inspector_app.core.report.publication_gate import override_facts
from inspector_app.core.report.typography import smart_quotes

if TYPE_CHECKING:
    from docx.oxml.xmlchemy import BaseOxmlElement
    from lxml import etree

NAVY = RGBColor(0x1D, 0x3B, 0x5C)
MUTED = RGBColor(0x5D, 0x68, 0x70)
FONT = "Arial"
QUESTION_LIST = "Question List"  # a style's name; its id, which _styled sets, is "QuestionList"
FINDING_LIST = "Finding List"
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
TEXT_WIDTH_MM = 162  # A4 less the 24 mm margins: the charts are drawn this wide, at 100%
CHART_DPI = 216  # three pixels to the point: sharp in print, a few tens of KiB a chart


def render_docx(data: ReportData) -> bytes:
    """The Word draft as bytes; the same data always gives the same bytes (its words in
    `data.language`)."""
    with speaking(data.language):
        return _render(data)


def _render(data: ReportData) -> bytes:
    document = Document()
    _set_up(document, data)
    _cover(document, data)
    _contents(document)
    if data.acknowledgements:
        _heading(document, translated(prose.ACKNOWLEDGEMENTS))
        for paragraph in data.acknowledgements:
            _text(document, paragraph)
    if data.foreword:
        _heading(document, translated(prose.FOREWORD))
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
    _ratings(document, data)
    _area_comparison(document, data)
    if data.recommendations:
        _heading(document, translated(prose.RECOMMENDATIONS))
        _text(document, prose.recommendations_intro(data))
        for recommendation in data.recommendations:
            _text(document, recommendation, style_id="ListNumber")
    _scoring_summary(document, data)
    stage = ""
    for chapter in data.chapters:
        if chapter.stage_code and chapter.stage_code != stage:  # a stage opens a chapter
            _heading(document, prose.chapter_heading(int(chapter.stage_code), chapter.stage_title))
        stage = chapter.stage_code  # a chapter with no stage closes the one before
        _chapter(document, chapter, data)
    _appendices(document, data)
    _back_matter(document, data)
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
    for name, size in (("Heading 1", 18), ("Heading 2", 13), ("Heading 3", 11.5), ("Title", 28)):
        style = styles[name]
        style.font.name = FONT
        style.font.size = Pt(size)
        style.font.color.rgb = NAVY
    styles["Heading 1"].paragraph_format.page_break_before = True
    # A bulleted list of its own for the criteria appendix's questions ("List Bullet" is the
    # summary's lists), numbered as a real list so a screen reader announces it as one.
    questions = styles.add_style(QUESTION_LIST, WD_STYLE_TYPE.PARAGRAPH)
    questions.base_style = styles["List Bullet"]
    questions.paragraph_format.space_after = Pt(2)
    # The findings of a chapter: a bulleted list of their own, never headed by question codes.
    finding = styles.add_style(FINDING_LIST, WD_STYLE_TYPE.PARAGRAPH)
    finding.base_style = styles["List Bullet"]
    finding.paragraph_format.space_after = Pt(4)
    caption = styles["Caption"]  # "Table n" above a table, "Figure n" below a chart
    caption.hidden = False  # the template hides it until used: shown in the style gallery
    caption.font.name = FONT
    caption.font.size = Pt(9)
    caption.font.bold = False
    caption.font.italic = True
    caption.font.color.rgb = MUTED
    caption.paragraph_format.space_after = Pt(6)
    _set_language(document, language_tag(data.language))

    section = document.sections[0]
    section.page_height, section.page_width = Mm(297), Mm(210)
    section.left_margin = section.right_margin = Mm(24)
    section.top_margin, section.bottom_margin = Mm(28), Mm(26)

    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    header.add_run(data.marking).bold = True
    if not data.final:
        header.add_run("\u2003" + _("DRAFT")).bold = True  # one em space: no run of blanks
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run(data.marking).bold = True
    pages = section.footer.add_paragraph()
    pages.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    before, between = _page_label()
    pages.add_run(before)
    _field(pages, "PAGE", "1")
    pages.add_run(between)
    _field(pages, "NUMPAGES", "1")

    when = _report_datetime(data.report_month)
    properties = document.core_properties
    properties.title = data.title
    properties.subject = data.subject
    properties.author = data.inspectorate
    properties.last_modified_by = data.inspectorate
    properties.language = language_tag(data.language)
    properties.keywords = f"{data.programme}; {data.organisation}; {data.report_month}"
    properties.comments = _("Draft for editing") if not data.final else _("Final")
    properties.category = data.marking
    properties.revision = 1
    properties.created = when
    properties.modified = when
    properties.last_printed = when


def _page_label() -> tuple[str, str]:
    """ "Page " and " of ", the words around Word's page fields, from one message."""
    before, _page, rest = _("Page {number} of {pages}").partition("{number}")
    between = rest.partition("{pages}")[0]
    return before, between


def _set_language(document: DocxDocument, tag: str) -> None:
    """The report's language ("en-GB": British English) as the language of all text (w:lang
    on the default run properties), so a screen reader speaks it, and Word checks its
    spelling, in the right language."""
    defaults = _child(document.styles.element, "w:docDefaults")
    run_defaults = _child(_child(defaults, "w:rPrDefault"), "w:rPr")
    _child(run_defaults, "w:lang").set(qn("w:val"), tag)
    theme_language = document.settings.element.find(qn("w:themeFontLang"))
    if theme_language is not None:
        theme_language.set(qn("w:val"), tag)


def _child(parent: BaseOxmlElement, tag: str) -> BaseOxmlElement:
    """`parent`'s first `tag` child, added (last) if it has none."""
    child: BaseOxmlElement | None = parent.find(qn(tag))
    if child is None:
        child = OxmlElement(tag)
        parent.append(child)
    return child


def _report_datetime(month_year: str) -> datetime:
    """The first day of the report's month (a fixed stand-in when the data has none)."""
    try:
        month, year = month_year.split(" ")
        return datetime(int(year), month_number(month), 1, tzinfo=UTC)
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
    _styled(document, "Title").add_run(data.title)
    _text(document, prose.byline(data), color=MUTED, size=13)
    _text(document, data.report_month, color=MUTED, size=13)
    if data.series_statement:
        series = _("This inspection was {series}.").format(series=data.series_statement)
        _text(document, series, color=MUTED, size=13)
    if not data.final:
        notice = document.add_paragraph()
        notice.paragraph_format.space_before = Pt(36)
        notice.add_run(prose.draft_notice()).bold = True


def _contents(document: DocxDocument) -> None:
    _heading(document, _("Contents"))
    paragraph = document.add_paragraph()
    _field(
        paragraph,
        'TOC \\o "1-1" \\h \\z \\u',
        _("Right-click here and choose Update Field to show the contents."),
    )


def _summary(document: DocxDocument, data: ReportData) -> None:
    _heading(document, translated(prose.SUMMARY))
    if data.judgement_sentence:
        _text(document, data.judgement_sentence, color=NAVY, size=13)
    if data.ratings is not None:
        _overall(document, data.ratings)
    _text(document, prose.summary_context(data))
    if data.summary_proposed:
        _text(document, prose.proposed_note(), color=MUTED, italic=True)
    for intro, bullets in (
        (translated(STRENGTHS_INTRO), data.strength_bullets),
        (translated(CONCERNS_INTRO), data.concern_bullets),
    ):
        if bullets:
            _text(document, intro, bold=True, color=NAVY)
            for line in bullets:
                _text(document, line, style_id="ListBullet")
    if data.disputed and not data.final:
        _text(document, prose.disputed_note(), color=MUTED, italic=True)


# --- ratings ------------------------------------------------------------------------------------


def _fill_of(ratings: ReportRatings, rating: str | None) -> str:
    """A rating's badge fill as Word writes it ("0B3D22"), as the PDF's badge has it."""
    if rating is None:
        return NOT_RATED_FILL.lstrip("#")
    return rating_fill(ratings.rank(rating), len(ratings.scale)).lstrip("#")


def _rated_run(paragraph: Paragraph, ratings: ReportRatings, rating: str | None) -> None:
    """A rating as a badge in running text: its words, bold, on its fill (character shading)
    in the ink that contrasts with it, inside a thin border."""
    fill = _fill_of(ratings, rating)
    run = paragraph.add_run(f"\u00a0{prose.rating_words(rating)}\u00a0")  # room inside the badge
    run.bold = True
    run.font.color.rgb = RGBColor.from_string(badge_text_colour("#" + fill).lstrip("#"))
    properties = run._r.get_or_add_rPr()
    border = OxmlElement("w:bdr")
    for key, value in (("val", "single"), ("sz", "4"), ("space", "0")):
        border.set(qn(f"w:{key}"), value)
    border.set(qn("w:color"), BADGE_OUTLINE.lstrip("#"))
    properties.append(border)
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    properties.append(shading)


def _rated_cells(
    table: Table, ratings: ReportRatings, column: int, values: list[str | None]
) -> None:
    """The rating column of a table as badges: each cell on its rating's fill, its words
    bold in the contrasting ink (a row with no rating keeps its words on white)."""
    for row, rating in zip(table.rows[1:], values, strict=True):
        if rating is None:
            continue
        cell = row.cells[column]
        fill = _fill_of(ratings, rating)
        _shade(cell, fill)
        for run in cell.paragraphs[0].runs:
            run.bold = True
            run.font.color.rgb = RGBColor.from_string(badge_text_colour("#" + fill).lstrip("#"))


def _overall(document: DocxDocument, ratings: ReportRatings) -> None:
    """The overall rating as a badge, then the standards' ratings (the summary's box)."""
    paragraph = _text(document, translated(prose.OVERALL_RATING) + ": ", bold=True, color=NAVY)
    _rated_run(paragraph, ratings, ratings.overall_rating)
    _text(document, prose.overall_score_line(ratings))
    lines = prose.standards_rated_lines(ratings)
    for index, line in enumerate(lines, start=1):
        if index < len(lines):  # one block: the last line keeps the space after it
            _text(document, line).paragraph_format.space_after = Pt(0)
        else:
            _text(document, line)


def _ratings(document: DocxDocument, data: ReportData) -> None:
    """The ratings section: the overall rating, then each standard's badge and its table of
    key questions, with an adjustment's justification, as the PDF prints them (nothing for a
    framework that does not rate)."""
    ratings = data.ratings
    if ratings is None:
        return
    _heading(document, translated(prose.RATINGS))
    _text(document, prose.ratings_intro(ratings))
    _overall(document, ratings)
    for standard in ratings.standards:
        _standard_rating(document, ratings, standard, data)


def _standard_rating(
    document: DocxDocument, ratings: ReportRatings, standard: StandardRatingRow, data: ReportData
) -> None:
    _heading(document, f"{standard.code} {standard.title}", level=2)
    paragraph = _text(document, _("Rating: "), bold=True)
    paragraph.paragraph_format.keep_with_next = True
    _rated_run(paragraph, ratings, standard.rating)
    disputed = _disputed_questions(data)
    rows = [
        [
            (key.label or key.code) + _dagger(key.code in disputed, data),
            str(key.sufficient),
            str(key.relevant),
            prose.key_question_percent(key.percent),
            key.rating or _("Not scored"),
        ]
        for key in standard.key_questions
    ]
    table = _table(
        document,
        _("{code} {title}: the key questions' scores and ratings").format(
            code=standard.code, title=standard.title
        ),
        [_("Key question"), _("Sufficient"), _("Relevant cases"), _("Per cent"), _("Rating")],
        rows,
        numeric=(1, 2, 3),
        widths=(70, 20, 22, 18, 32),
    )
    for row, key in zip(table.rows[1:], standard.key_questions, strict=True):
        if key.deciding:
            for cell in row.cells[:4]:
                for run in cell.paragraphs[0].runs:
                    run.bold = True
    _rated_cells(table, ratings, 4, [key.rating for key in standard.key_questions])
    if standard.adjusted:
        _text(
            document, prose.adjusted_line(standard), bold=True
        ).paragraph_format.space_before = Pt(6)
        _text(document, prose.figures_gave_line(standard), color=MUTED, italic=True)
    else:
        line = _text(document, prose.deciding_line(standard), color=MUTED, italic=True)
        line.paragraph_format.space_before = Pt(6)


def _rating_rules(document: DocxDocument, ratings: ReportRatings) -> None:
    """The scoring appendix's statement of the rating rules, from the framework's data."""
    _heading(document, translated(prose.RATING_RULES), level=2)
    for paragraph in ratings.rules:
        _text(document, paragraph)
    bands = _table(
        document,
        _("The ratings of a key question and a standard, by printed percentage"),
        [_("Rating"), _("Printed percentage of a key question"), _("Score")],
        [list(row) for row in ratings.bands],
        numeric=(2,),
        widths=(45, 90, 27),
    )
    _rated_cells(bands, ratings, 0, [rating for rating, _share, _score in ratings.bands])
    overall = _table(
        document,
        _("The overall rating, by the standards' scores added together"),
        [translated(prose.OVERALL_RATING), _("The standards' scores added together")],
        [list(row) for row in ratings.overall_bands],
        widths=(45, 117),
    )
    _rated_cells(overall, ratings, 0, [rating for rating, _scores in ratings.overall_bands])


# --- compared with the areas inspected to date ---------------------------------------------------

# How far a row's name is set in under its stage (a criterion) or its standard (a key
# question), in mm: the paragraph's own indent, never spaces.
_COMPARISON_INDENT = {COMPARED_CRITERION: 3.5, COMPARED_QUESTION: 7.0}


def _area_comparison(document: DocxDocument, data: ReportData) -> None:
    """This area's scores beside the areas inspected to date, as the PDF prints them (the
    same table, the whole as its bold last row); one sentence in place of the table when
    there is nothing to compare with; nothing when no store is configured."""
    comparison = data.area_comparison
    if comparison is None:
        return
    _heading(document, translated(AREA_COMPARISON))
    if not comparison.rows:
        _text(document, area_comparison_note(comparison))
        return
    _text(document, area_comparison_intro(data.organisation, comparison))
    head = [_("Aspect of the work"), _("Lowest"), _("Highest"), _("Average"), data.organisation]
    widths: tuple[float, ...] = (86, 19, 19, 19, 19)
    if comparison.counts_vary:
        head.append(_("Areas"))
        widths = (72, 18, 18, 18, 22, 14)
    overall = [r for r in comparison.rows if r.level == COMPARED_OVERALL]
    ordered = [*(r for r in comparison.rows if r.level != COMPARED_OVERALL), *overall]
    rows = []
    for row in ordered:
        cells = [
            row.label,
            percent_text(row.lowest),
            percent_text(row.highest),
            percent_text(row.average),
            row.figure,
        ]
        if comparison.counts_vary:
            cells.append(str(row.count))
        rows.append(cells)
    table = _table(
        document,
        area_comparison_title(data.organisation),
        head,
        rows,
        numeric=tuple(range(1, len(head))),
        widths=widths,
    )
    for row, table_row in zip(ordered, table.rows[1:], strict=True):
        strong = row.level in (COMPARED_OVERALL, COMPARED_STAGE)
        indent = _COMPARISON_INDENT.get(row.level)
        if indent:
            table_row.cells[0].paragraphs[0].paragraph_format.left_indent = Mm(indent)
        for column, cell in enumerate(table_row.cells):
            for run in cell.paragraphs[0].runs:
                run.bold = strong or column == 4  # this area's column, set apart
    source = area_comparison_source(comparison, final=data.final)
    _text(document, source, color=MUTED, italic=True, size=9)


def _scoring_summary(document: DocxDocument, data: ReportData) -> None:
    _heading(document, translated(prose.SCORING_SUMMARY))
    _text(document, prose.scoring_summary_intro())
    unit = _unit_name(data)
    rows = [
        [
            f"{c.label} {c.title}{_dagger(c.disputed, data)}",
            str(c.denominator),
            str(c.sufficient),
            base_percent_text(c.percent, c.denominator),
            c.words or "–",
        ]
        for c in data.chapters
    ]
    rows.append(
        [
            _("All the work"),
            str(data.overall_denominator),
            str(data.overall_sufficient),
            percent_text(data.overall_percent),
            data.overall_words or "–",
        ]
    )
    # The figure first, then the table, as in the PDF.
    bars = area_bars([(c.label, c.title, c.percent, c.denominator) for c in data.chapters])
    figures = [
        f"{c.label} {c.title} {_figures(c.sufficient, c.denominator, c.percent)}"
        for c in data.chapters
    ]
    overall = _figures(data.overall_sufficient, data.overall_denominator, data.overall_percent)
    _chart(
        document,
        bar_chart(
            bars,
            TEXT_WIDTH_MM * mm,
            reference=data.overall_percent,
            reference_label=_("All the work {percent}").format(
                percent=percent_text(data.overall_percent)
            ),
            compact=True,
        ),
        caption=prose.areas_caption(data),
        number=1,
        summary=_("Bar chart: work judged sufficient, by {unit}").format(unit=unit.lower()),
        figures=figures,
        reference=_("all the work {figures}").format(figures=overall)
        if data.overall_percent is not None
        else "",
    )
    table = _table(
        document,
        _("Judgements and work judged sufficient, by {unit}").format(unit=unit.lower()),
        [unit, _("Judgements"), _("Sufficient"), _("Per cent"), _("In words")],
        rows,
        numeric=(1, 2, 3),
        widths=(62, 24, 22, 20, 34),
    )
    for cell in table.rows[-1].cells:
        for run in cell.paragraphs[0].runs:
            run.bold = True


def _unit_name(data: ReportData) -> str:
    """What a row of the scoring summary is, in the framework's own word (as the PDF names
    it): a standard (a framework that rates calls its criteria standards), a criterion, or
    (for a framework that declares none) an aspect of the work."""
    if data.ratings is not None:
        return _("Standard")
    return _("Criterion") if any(c.stage_code for c in data.chapters) else _("Aspect of the work")


def _whole_word(chapter: Chapter, data: ReportData) -> str:
    """The whole a chapter's bars are part of, as its chart's dashed line names it: "standard",
    "criterion" or "this chapter" (as the scoring summary names its rows)."""
    if not chapter.stage_code:
        return _("this chapter")
    return _("standard") if data.ratings is not None else _("criterion")


def _disputed_questions(data: ReportData) -> frozenset[str]:
    """The codes of the questions whose figures an unresolved conflict touches: a table that
    names a question by its label marks it as Appendix 1 does."""
    return frozenset(q.code for c in data.chapters for q in c.questions if q.disputed)


def _key_figure(document: DocxDocument, chapter: Chapter, data: ReportData) -> None:
    """The chapter's key figure, large, then its overview. A count ("1 of 4") is stated by the
    overview itself, so that mention is set as the key figure rather than printed before it
    too: the count is read once, where the PDF gives it a box of its own."""
    overview = document.add_paragraph()
    text = chapter.overview + _dagger(chapter.disputed, data)
    before, figure_text, after = "", f"{chapter.figure}\u2003", text  # one em space
    if not chapter.figure.endswith("%") and chapter.figure in text:
        before, figure_text, after = text.partition(chapter.figure)
    if before:
        overview.add_run(before)
    figure = overview.add_run(figure_text)
    figure.bold = True
    figure.font.size = Pt(16)
    figure.font.color.rgb = NAVY
    if chapter.figure.endswith("%"):
        overview.add_run(f"{translated(prose.DONE_WELL_ENOUGH)}.\u2003").italic = True
    overview.add_run(after)


def _chapter(document: DocxDocument, chapter: Chapter, data: ReportData) -> None:
    if chapter.stage_code:  # a criterion within its stage's chapter
        _heading(document, chapter.heading, level=2)
    else:
        _heading(document, chapter.heading)
    if chapter.criterion:
        _text(document, prose.criterion_line(chapter.criterion), color=MUTED, italic=True)
    _key_figure(document, chapter, data)
    for sentence in chapter.subgroup_findings:
        _text(document, sentence)
    for commentary in chapter.commentary:
        _text(document, commentary)
    named = f"{chapter.code} {chapter.title}" if chapter.stage_code else chapter.title
    whole = _whole_word(chapter, data)
    # The questions in plain words, as the PDF's chart names them (the table gives the codes).
    names = [smart_quotes(q.label or q.code) for q in chapter.questions]
    _chart(
        document,
        bar_chart(
            [
                Bar(f"{name} ({q.denominator})", q.percent, q.denominator)
                for name, q in zip(names, chapter.questions, strict=True)
            ],
            TEXT_WIDTH_MM * mm,
            reference=chapter.percent,
            reference_label=_("{whole} {percent}").format(
                whole=whole.capitalize(), percent=percent_text(chapter.percent)
            ),
        ),
        caption=prose.chapter_caption(chapter.number, named),
        number=chapter.number + 1,
        summary=_("Bar chart: {named}: work judged sufficient, by question").format(named=named),
        figures=[
            f"{name} {_figures(q.sufficient, q.denominator, q.percent)}"
            for name, q in zip(names, chapter.questions, strict=True)
        ],
        reference=(
            f"{whole} {_figures(chapter.sufficient, chapter.denominator, chapter.percent)}"
            if chapter.percent is not None
            else ""
        ),
    )
    _table(
        document,
        _("{named}: work judged sufficient, by question").format(named=named),
        [_("Question"), _("Sufficient"), _("Judged"), _("Per cent")],
        [  # the question as the chart names it, in words (Appendix 1 lists the codes)
            [
                name,
                str(q.sufficient),
                str(q.denominator),
                percent_text(q.percent),
            ]
            for name, q in zip(names, chapter.questions, strict=True)
        ],
        numeric=(1, 2, 3),
        widths=(88, 24, 24, 24),
    )
    level = 3 if chapter.stage_code else 2  # beneath the criterion (or the chapter)
    _heading(document, translated(prose.FINDINGS), level=level)
    for question in chapter.questions:
        _text(
            document,
            question.finding + _dagger(question.disputed, data),
            style_id=FINDING_LIST.replace(" ", ""),
        )
    for example in chapter.examples:  # the PDF's boxed example: a heading, not a layout table
        _heading(document, f"{translated(prose.PRACTICE_EXAMPLE)}: {example.title}", level=level)
        _text(document, example.case_label, color=MUTED, italic=True)
        for paragraph_text in example.paragraphs:
            _text(document, paragraph_text)


def score_widths(labels: list[str]) -> tuple[float, ...]:
    """The count columns' widths (in the table's units), by their heading's length."""
    return tuple(max(10.0, 2.0 + 1.4 * len(label)) for label in labels)


def _appendices(document: DocxDocument, data: ReportData) -> None:
    _heading(document, translated(prose.APPENDIX_SCORES))
    _text(document, prose.scores_intro(data))
    labels = prose.score_labels(data)
    for chapter in data.chapters:
        _heading(document, chapter.heading, level=2)
        rows = []
        for q in chapter.questions:
            mark = f" {prose.REVERSED_MARK}" if q.reversed else ""
            rows.append(
                [q.code, q.text + mark + _dagger(q.disputed, data), *prose.score_counts(data, q)]
            )
        _table(
            document,
            _("{heading}: the answers and the score for every question").format(
                heading=chapter.heading
            ),
            [_("Code"), _("Question"), *labels],
            rows,
            numeric=tuple(range(2, 2 + len(labels))),
            widths=(13, 62, *score_widths(labels)),
            size=8,
        )

    _heading(document, translated(prose.APPENDIX_SAMPLE))
    _text(document, prose.sample_intro(data))
    for profile in data.profile:
        _table(  # each table's caption parts it from the one before (no empty paragraph)
            document,
            _("The case sample: {title}").format(title=profile.title),
            [profile.title, _("Cases"), "%"],
            [[row.label, row.count, row.percent] for row in profile.rows],
            numeric=(1, 2),
            widths=(90, 25, 25),
        )

    _heading(document, translated(prose.APPENDIX_ARRANGEMENTS))
    _text(document, prose.arrangements_intro(data))
    overridden = override_facts(data.cases_complete, data.sample_size, data.override_reason)
    facts = _table(
        document,
        _("The inspection arrangements"),
        [_("Arrangement"), _("Detail")],
        [*prose.arrangements_facts(data), *overridden],
        widths=(70, 92),
    )
    for row in facts.rows:
        for run in row.cells[0].paragraphs[0].runs:
            run.bold = True
    _heading(document, translated(prose.TEAM), level=2)
    _table(
        document,
        translated(prose.TEAM),
        [_("Name"), _("Role")],
        [[m.name, m.role] for m in data.team],
        widths=(70, 92),
    )

    _heading(document, translated(prose.APPENDIX_SCORING))
    for paragraph in data.scoring_approach:
        _text(document, paragraph)
    if data.ratings is not None:
        _rating_rules(document, data.ratings)
    _heading(document, translated(prose.WORDING_TABLE), level=2)
    _table(
        document,
        translated(prose.WORDING_TABLE),
        [_("Printed percentage"), _("Words used")],
        [list(row) for row in data.wording_table],
        widths=(55, 107),
    )

    _heading(document, translated(prose.APPENDIX_GLOSSARY))
    glossary = _table(
        document,
        _("The terms and abbreviations used in this report"),
        [_("Term"), _("Meaning")],
        [list(row) for row in data.glossary],
        widths=(35, 127),
    )
    for row in glossary.rows:
        for run in row.cells[0].paragraphs[0].runs:
            run.bold = True

    _heading(document, translated(prose.APPENDIX_CRITERIA))
    for stage, entries in data.criteria_appendix:
        if stage:
            _heading(document, stage, level=2)
        for entry in entries:  # beneath its stage, or the appendix when there are no stages
            _heading(document, f"{entry.code} {entry.title}", level=3 if stage else 2)
            _text(document, prose.criterion_line(entry.looked_for), color=MUTED, italic=True)
            for question in entry.questions:
                _text(document, question, style_id=QUESTION_LIST.replace(" ", ""))

    if data.final and not data.context_facts and not data.long_list_comparison:
        return
    _heading(document, translated(prose.APPENDIX_CONTEXT))
    if data.context_facts:
        labelled = [[label, value] for label, value in data.context_facts if label]
        if labelled:
            _table(
                document,
                _("Facts about the area and the service"),
                [_("Fact"), _("Detail")],
                labelled,
                widths=(55, 107),
            )
        for label, value in data.context_facts:
            if not label:  # a sentence of its own, as in the PDF
                _text(document, value)
    elif not data.final:
        _text(document, translated(prose.NO_CONTEXT_FACTS), color=MUTED, italic=True)
    if data.long_list_comparison:
        _heading(document, translated(prose.LONG_LIST_BESIDE_SAMPLE), level=2)
        _text(document, prose.long_list_intro(data.long_list_comparison[0]))
    for comparison in data.long_list_comparison:
        _table(
            document,
            _("{title}: the long list beside the sample (per cent)").format(title=comparison.title),
            [
                comparison.title,
                _("Long list ({count})").format(count=comparison.long_list),
                _("Sample ({count})").format(count=comparison.sample),
            ],
            [
                [value or _("not recorded"), percent_text(whole), percent_text(drawn)]
                for value, whole, drawn in comparison.rows
            ],
            numeric=(1, 2),
            widths=(82, 40, 40),
        )


def _back_matter(document: DocxDocument, data: ReportData) -> None:
    """The inspectorate's role, the copyright line and the ISBN, as the PDF ends."""
    _heading(document, _("The role of {inspectorate}").format(inspectorate=data.inspectorate))
    for paragraph in data.inspectorate_role:
        _text(document, paragraph)
    isbn = _("ISBN {isbn}").format(isbn=data.isbn) if data.isbn else ""
    for line in (data.copyright_line, isbn):
        if line:
            _text(document, line, color=MUTED, size=9)


# --- small builders ---------------------------------------------------------------------------


def _heading(document: DocxDocument, text: str, level: int = 1) -> Paragraph:
    """A heading in Word's own Heading 1, 2 or 3: a chapter or appendix at 1, a criterion or
    a part of an appendix at 2, a criterion's findings at 3 (the caller keeps them in order:
    no level is skipped)."""
    heading = _styled(document, f"Heading{level}")
    heading.add_run(text)
    return heading


def _styled(document: DocxDocument, style_id: str | None) -> Paragraph:
    """A new paragraph in the style of that id ("Heading1", "ListBullet", "Caption": the
    template's own styles). Set by id: python-docx's lookup of a style by its name reads every
    style in the document each time, which was most of the time the Word draft took."""
    paragraph = document.add_paragraph()
    if style_id is not None:
        paragraph._p.get_or_add_pPr().style = style_id
    return paragraph


def _text(
    document: DocxDocument,
    text: str,
    *,
    style_id: str | None = None,
    bold: bool = False,
    italic: bool = False,
    color: RGBColor | None = None,
    size: float | None = None,
) -> Paragraph:
    paragraph = _styled(document, style_id)
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
    caption: str,
    head: list[str],
    rows: Sequence[Sequence[str]],
    *,
    numeric: tuple[int, ...] = (),
    widths: tuple[float, ...] = (),
    size: float = 9,
) -> Table:
    """A table under its caption ("Table n: ..."), its first row a header row: marked as one
    (repeated on each page, announced by a screen reader) and set in bold on a tint. No cell
    is merged."""
    number = len(document.tables) + 1
    _caption(document, "Table", number, caption).paragraph_format.keep_with_next = True
    table: Table = document.add_table(rows=0, cols=len(head))
    table._tbl.tblPr.style = "TableGrid"  # by id, as _styled does
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    for index, values in enumerate([head, *rows]):
        cells = table.add_row().cells
        for column, value in enumerate(values):
            paragraph = cells[column].paragraphs[0]
            paragraph.paragraph_format.space_after = Pt(0)
            run = paragraph.add_run(value)
            run.font.size = Pt(size)
            if column in numeric:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if index == 0:
                run.bold = True
                run.font.color.rgb = NAVY
                _shade(cells[column], "EEF2F5")
            if widths:
                cells[column].width = Mm(widths[column])
    _repeat_header(table)
    # The caption as the table's own title too (Table Properties > Alt Text), read out by a
    # screen reader on entering the table. Last in tblPr, after tblLook, as the schema orders.
    title = OxmlElement("w:tblCaption")
    label = _("Table {number}: {caption}").format(number=number, caption=caption)
    title.set(qn("w:val"), smart_quotes(label))
    table._tbl.tblPr.append(title)
    return table


def _caption(document: DocxDocument, kind: str, number: int, text: str) -> Paragraph:
    """A caption, "Table 3: ..." or "Figure 2: ...", in Word's Caption style, numbered by a
    SEQ field (showing `number` until Word updates it) as Word's Insert Caption does, so Word
    can list the tables and figures and keeps the numbers in step when an editor adds one.
    `kind` ("Table" or "Figure") names the sequence; the words shown are translated."""
    paragraph = _styled(document, "Caption")
    if kind == "Table":
        paragraph.paragraph_format.space_before = Pt(9)
    label = _("Table") if kind == "Table" else _("Figure")
    paragraph.add_run(f"{label} ")
    _field(paragraph, f"SEQ {kind} \\* ARABIC", str(number))
    paragraph.add_run(f": {text}")
    return paragraph


def _chart(
    document: DocxDocument,
    drawing: Drawing,
    *,
    caption: str,
    number: int,
    summary: str,
    figures: list[str],
    reference: str,
) -> None:
    """A chart as the PDF draws it, as an inline picture at its printed size, with its
    "Figure n" caption below. Its alternative text (the picture's description) says what the
    chart shows and every bar's figure, so a screen reader user loses nothing: "Bar chart:
    work judged sufficient, by criterion. 1.1 Assisting sentencing 79% (23 of 29); ...".
    The picture's title is the caption."""
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.keep_with_next = True  # the chart stays with its caption
    paragraph.paragraph_format.space_before = Pt(6)
    shape = paragraph.add_run().add_picture(
        io.BytesIO(_png(drawing)),
        width=Pt(drawing.width),
        height=Pt(drawing.height),
    )
    description = f"{summary}. {'; '.join(figures) if figures else _('No questions')}."
    if reference:
        description += _(" Dashed line: {reference}.").format(reference=reference)
    properties = shape._inline.docPr
    properties.set("descr", smart_quotes(description))
    properties.set("title", smart_quotes(caption))
    prefix = _("Figure {number}: ").format(number=number)
    if caption.startswith(prefix):
        _caption(document, "Figure", number, caption.removeprefix(prefix))
    else:  # the wording has lost its number: the caption as written
        _styled(document, "Caption").add_run(caption)


def _figures(sufficient: int, denominator: int, percent: int | None) -> str:
    """One bar's figures for a chart's alternative text: "79% (23 of 29)"."""
    if percent is None or denominator == 0:
        return _("no cases")
    few = (
        _("; fewer than {small} cases").format(small=SMALL_BASE) if denominator < SMALL_BASE else ""
    )
    return _("{percent}% ({sufficient} of {denominator}{few})").format(
        percent=percent, sufficient=sufficient, denominator=denominator, few=few
    )


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
            # A chart's PNG is compressed already: stored as it is, not deflated again.
            stored = info.filename.endswith(".png")
            member.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            member.create_system = 3
            target.writestr(member, source.read(info.filename))
    return out.getvalue()


# --- charts as pictures -----------------------------------------------------------------------


def _png(drawing: Drawing) -> bytes:
    """The drawing as a PNG at CHART_DPI: the same bytes for the same drawing (no timestamp
    is written, and the text layout is Pillow's own, not whichever shaping library is
    installed)."""
    scale = CHART_DPI / 72
    size = (math.ceil(drawing.width * scale), math.ceil(drawing.height * scale))
    image = Image.new("RGB", size, "white")
    _Raster(image, scale, drawing.height).render(drawing)
    out = io.BytesIO()
    image.save(out, "PNG", dpi=(CHART_DPI, CHART_DPI))
    return out.getvalue()


_Colour = tuple[int, int, int]


class _Raster(Renderer):  # ReportLab is untyped: Renderer is Any to mypy
    """Draws a ReportLab drawing onto a Pillow image: the shapes the report's charts are made
    of (rectangles, straight and dashed lines, text in the report's TrueType fonts), under the
    drawing's transforms. ReportLab's renderPM does this with a backend that is not installed
    here; any other shape is refused rather than silently left out."""

    def __init__(self, image: Image.Image, scale: float, height: float) -> None:
        self._draw = ImageDraw.Draw(image)
        self._scale = scale
        self._height = height

    def render(self, drawing: Drawing) -> None:
        self._tracker = StateTracker(defaultObj=drawing)
        try:
            self.drawNode(drawing)
        finally:
            del self._tracker

    def drawNode(self, node: Any) -> None:
        self._tracker.push(getStateDelta(node))
        try:
            self.drawNodeDispatcher(node)
        finally:
            self._tracker.pop()

    def drawRect(self, rect: Rect) -> None:
        state = self._tracker.getState()
        fill, outline = _colour(state["fillColor"]), _colour(state["strokeColor"])
        x0, y0 = self._point(rect.x, rect.y)
        x1, y1 = self._point(rect.x + rect.width, rect.y + rect.height)
        box = (round(min(x0, x1)), round(min(y0, y1)), round(max(x0, x1)), round(max(y0, y1)))
        if box[2] <= box[0] or box[3] <= box[1] or (fill is None and outline is None):
            return  # a bar of 0%: nothing to draw
        width = self._pixels(state["strokeWidth"]) if outline is not None else 0
        corner = (box[2] - 1, box[3] - 1)  # Pillow includes the far edge; ReportLab does not
        self._draw.rectangle((box[:2], corner), fill=fill, outline=outline, width=width)

    def drawLine(self, line: Line) -> None:
        state = self._tracker.getState()
        colour = _colour(state["strokeColor"])
        if colour is None:
            return
        width = self._pixels(state["strokeWidth"])
        for x1, y1, x2, y2 in _dashes(line.x1, line.y1, line.x2, line.y2, state["strokeDashArray"]):
            (a, b), (c, d) = self._point(x1, y1), self._point(x2, y2)
            if abs(a - c) < 0.01 or abs(b - d) < 0.01:  # upright or level: whole pixels, crisp
                left = round(min(a, c) - width / 2) if abs(a - c) < 0.01 else round(min(a, c))
                top = round(min(b, d) - width / 2) if abs(b - d) < 0.01 else round(min(b, d))
                right = left + width if abs(a - c) < 0.01 else round(max(a, c))
                bottom = top + width if abs(b - d) < 0.01 else round(max(b, d))
                self._draw.rectangle(((left, top), (right - 1, bottom - 1)), fill=colour)
            else:
                self._draw.line(((a, b), (c, d)), fill=colour, width=width)

    def drawString(self, string: String) -> None:
        state = self._tracker.getState()
        colour = _colour(state["fillColor"])
        if colour is None or not string.text:
            return
        name, size, anchor = state["fontName"], state["fontSize"], state["textAnchor"]
        offset = {"start": 0.0, "middle": 0.5}.get(anchor, 1.0)  # "end", "numeric"
        x = string.x - pdfmetrics.stringWidth(string.text, name, size) * offset
        point = self._point(x, string.y)
        font = _font(name, round(size * self._scale * self._magnification(), 2))
        self._draw.text(point, string.text, fill=colour, font=font, anchor="ls")

    def _point(self, x: float, y: float) -> tuple[float, float]:
        """A point of the drawing in pixels: through the current transform, then flipped
        (the drawing's y runs up the page, the image's down)."""
        a, b, c, d, e, f = self._tracker.getState()["ctm"]
        return (a * x + c * y + e) * self._scale, (self._height - (b * x + d * y + f)) * self._scale

    def _magnification(self) -> float:
        a, b, c, d, _, _ = self._tracker.getState()["ctm"]
        return math.sqrt(abs(a * d - b * c))

    def _pixels(self, points: float) -> int:
        """A line's width in whole pixels, never less than one."""
        return max(1, round(points * self._scale * self._magnification()))


def _colour(colour: Any) -> _Colour | None:
    """A ReportLab colour as Pillow's RGB, or None for none (or a fully transparent one)."""
    if colour is None or getattr(colour, "alpha", 1) == 0:
        return None
    return (round(colour.red * 255), round(colour.green * 255), round(colour.blue * 255))


def _dashes(
    x1: float, y1: float, x2: float, y2: float, pattern: Any
) -> list[tuple[float, float, float, float]]:
    """The line from (x1, y1) to (x2, y2) as its dashes, for a ReportLab dash array ([on,
    off, ...], or (phase, [on, off, ...]) whose phase is taken as 0); the whole line if none."""
    if pattern and isinstance(pattern, tuple) and len(pattern) == 2:
        pattern = pattern[1] if isinstance(pattern[1], (list, tuple)) else pattern
    lengths = [float(n) for n in pattern or ()] if isinstance(pattern, (list, tuple)) else []
    length = math.hypot(x2 - x1, y2 - y1)
    if not lengths or sum(lengths) <= 0 or length == 0:
        return [(x1, y1, x2, y2)]
    pieces = []
    at, index = 0.0, 0
    while at < length:
        end = min(at + lengths[index % len(lengths)], length)
        if index % 2 == 0:  # the "on" lengths
            t0, t1 = at / length, end / length
            pieces.append(
                (x1 + (x2 - x1) * t0, y1 + (y2 - y1) * t0, x1 + (x2 - x1) * t1, y1 + (y2 - y1) * t1)
            )
        at, index = end, index + 1
    return pieces


@cache
def _font(name: str, pixels: float) -> ImageFont.FreeTypeFont:
    """The TrueType file ReportLab sets `name` in (the report's own fonts), at a size in pixels.
    Pillow's basic layout, so the glyphs' placing does not depend on an optional library."""
    register_fonts()
    font = pdfmetrics.getFont(name)
    if not isinstance(font, TTFont):  # a base-14 name: the charts never set one
        font = pdfmetrics.getFont(REGULAR)
    return ImageFont.truetype(font.face.filename, pixels, layout_engine=ImageFont.Layout.BASIC)
