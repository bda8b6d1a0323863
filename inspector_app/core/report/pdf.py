"""The report as a print-ready PDF: `render_pdf(data) -> bytes`.

A pure function of `ReportData` (no database, no clock, no Qt), built with ReportLab platypus:
a `BaseDocTemplate` with two page templates (cover, body) whose `onPage` hooks draw the
protective marking, the running head, the DRAFT watermark and the footer with "Page x of y"
(the cover is page 1 but carries no number; y is the count the previous pass ended with);
`multiBuild` fills the contents page, with bookmark keys derived from the data so they are
identical on every pass. Invariant mode plus creation and modification dates taken from the
report's month make the same data give the same bytes, so an issued report can be verified
against its master.

Print and accessibility: body text is 11 pt on a measure of about 70 characters (tables and
charts use the full width), table text 9 pt, chart text 8 pt or more; every font is embedded
(no base-14 font is referenced, not even by a table's default cell font); the watermark is drawn
from glyph outlines, so it is no text to extract or read aloud; quotes and apostrophes are
typeset curly (`smart_quotes`); a table that runs over a page repeats its header row under the
heading of its section marked "(continued)".
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import FILL_NON_ZERO, Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    ListFlowable,
    ListItem,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents

from inspector_app.core.i18n import _, language_tag, speaking, translated
from inspector_app.core.report import text as prose
from inspector_app.core.report.charts import (
    BADGE_OUTLINE,
    NOT_RATED_FILL,
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
    AreaComparison,
    Chapter,
    ExampleBox,
    ProfileTable,
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
from inspector_app.core.report.fonts import BOLD, OBLIQUE, REGULAR, register_fonts, text_outline
from inspector_app.core.report.publication_gate import override_facts
from inspector_app.core.report.typography import smart_quotes

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_LEFT = MARGIN_RIGHT = 22 * mm
MARGIN_TOP = 28 * mm
MARGIN_BOTTOM = 26 * mm
FRAME_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
# Running text is set on a narrower measure than tables and charts: at 11 pt this is about
# 70 characters a line (the most a reader's eye follows comfortably is about 80).
MEASURE = 142 * mm
TEXT_INDENT = FRAME_WIDTH - MEASURE  # the right indent of running text

BODY_SIZE = 11
TABLE_SIZE = 9
FURNITURE_SIZE = 8.5  # running head and footer

INK = colors.HexColor("#1f2327")
NAVY = colors.HexColor("#1d3b5c")
MUTED = colors.HexColor("#5d6870")
RULE = colors.HexColor("#c9d1d8")
HAIRLINE = colors.HexColor("#e1e6ea")
TINT = colors.HexColor("#eef2f5")
WATERMARK = colors.HexColor("#e8ebee")
PLACEHOLDER = colors.HexColor("#8a5a00")

CREATOR = "Inspector app"
WATERMARK_FORM = "DraftWatermark"


# --- styles -----------------------------------------------------------------------------------


def _text_frame(frame_id: str) -> Frame:
    """The page's text area inside the margins (the cover and the body share it)."""
    return Frame(
        MARGIN_LEFT,
        MARGIN_BOTTOM,
        FRAME_WIDTH,
        PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id=frame_id,
    )


@dataclass(frozen=True)
class Styles:
    """The report's named paragraph styles; every flowable uses one of these."""

    body: ParagraphStyle
    lead: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    h3: ParagraphStyle  # a criterion's findings, under its h2
    h2_loose: ParagraphStyle  # an h2 not kept with what follows (before long tables)
    continued: ParagraphStyle  # "Heading (continued)" over the rest of a table split by a page
    kicker: ParagraphStyle
    criterion: ParagraphStyle
    intro: ParagraphStyle
    bullet: ParagraphStyle
    finding: ParagraphStyle
    caption: ParagraphStyle
    note: ParagraphStyle
    figure: ParagraphStyle
    figure_small: ParagraphStyle
    key_text: ParagraphStyle
    cell: ParagraphStyle
    cell_right: ParagraphStyle
    cell_bold: ParagraphStyle
    cell_bold_right: ParagraphStyle
    cell_head: ParagraphStyle
    cell_head_right: ParagraphStyle
    term: ParagraphStyle
    meaning: ParagraphStyle
    cover_org: ParagraphStyle
    cover_title: ParagraphStyle
    cover_sub: ParagraphStyle
    toc: ParagraphStyle
    signature: ParagraphStyle


def _indent_for(size: float) -> float:
    """The right indent that keeps smaller running text (notes, captions) to about the same
    number of characters a line as body text."""
    return float(FRAME_WIDTH - MEASURE * size / BODY_SIZE)


def make_styles() -> Styles:
    """Builds the named styles (registering the embedded fonts first)."""
    family = register_fonts()
    # The base of every style: full width (headings, cells); running text adds the measure.
    base = ParagraphStyle(
        "Base",
        fontName=family,
        fontSize=BODY_SIZE,
        leading=15.6,
        textColor=INK,
        spaceAfter=8,
        allowWidows=0,
        allowOrphans=0,
        splitLongWords=0,
        bulletFontName=family,
    )

    def derive(name: str, parent: ParagraphStyle = base, **changes: Any) -> ParagraphStyle:
        return ParagraphStyle(name, parent=parent, **changes)

    body = derive("Body", rightIndent=TEXT_INDENT)
    h2 = derive(
        "Heading2",
        fontName=BOLD,
        fontSize=13,
        leading=17,
        textColor=NAVY,
        spaceBefore=14,
        spaceAfter=7,
        keepWithNext=1,
    )
    figure = derive(
        "KeyFigure", fontName=BOLD, fontSize=24, leading=28, textColor=NAVY, spaceAfter=0
    )
    cell = derive("Cell", fontSize=TABLE_SIZE, leading=11.8, spaceAfter=0)
    cell_bold = derive("CellBold", cell, fontName=BOLD)
    cell_head = derive("CellHead", cell, fontName=BOLD, leading=11.2, textColor=NAVY)
    term = derive("Term", cell, fontName=BOLD)
    return Styles(
        body=body,
        lead=derive("Lead", body, fontSize=13.5, leading=19, textColor=NAVY, spaceAfter=12),
        h1=derive(
            "Heading1",
            fontName=BOLD,
            fontSize=21,
            leading=26,
            textColor=NAVY,
            spaceAfter=16,
            keepWithNext=1,
        ),
        h2=h2,
        h3=derive("Heading3", h2, fontSize=BODY_SIZE + 0.5, leading=15, spaceBefore=8),
        h2_loose=derive("Heading2Loose", h2, keepWithNext=0),
        continued=derive("Continued", h2, spaceBefore=0, keepWithNext=0),
        kicker=derive(
            "Kicker",
            fontName=BOLD,
            fontSize=9,
            leading=12,
            textColor=MUTED,
            spaceAfter=4,
            keepWithNext=1,
        ),
        criterion=derive("Criterion", body, fontName=OBLIQUE, textColor=MUTED),
        intro=derive(
            "ListIntro",
            body,
            fontName=BOLD,
            spaceBefore=6,
            spaceAfter=6,
            keepWithNext=1,
            textColor=NAVY,
        ),
        bullet=derive("Bullet", body, spaceAfter=5),
        finding=derive(
            "Finding",
            body,
            leftIndent=18,
            bulletIndent=4,
            bulletFontName=BOLD,
            bulletFontSize=BODY_SIZE,
            bulletColor=NAVY,
            spaceAfter=7,
        ),
        caption=derive(
            "Caption",
            body,
            fontName=OBLIQUE,
            fontSize=9,
            leading=12.5,
            textColor=MUTED,
            spaceBefore=3,
            spaceAfter=12,
            rightIndent=_indent_for(9),
        ),
        note=derive(
            "Note",
            body,
            fontSize=9.5,
            leading=13.5,
            textColor=MUTED,
            spaceAfter=8,
            rightIndent=_indent_for(9.5),
        ),
        figure=figure,
        figure_small=derive("KeyFigureSmall", figure, fontSize=17, leading=21),
        key_text=derive("KeyText", spaceAfter=0),
        cell=cell,
        cell_right=derive("CellRight", cell, alignment=TA_RIGHT),
        cell_bold=cell_bold,
        cell_bold_right=derive("CellBoldRight", cell_bold, alignment=TA_RIGHT),
        cell_head=cell_head,
        cell_head_right=derive("CellHeadRight", cell_head, alignment=TA_RIGHT),
        term=term,
        meaning=derive("Meaning", term, fontName=family),
        cover_org=derive(
            "CoverInspectorate",
            fontName=BOLD,
            fontSize=13,
            leading=17,
            textColor=NAVY,
            spaceAfter=0,
        ),
        cover_title=derive(
            "CoverTitle", fontName=BOLD, fontSize=28, leading=34, textColor=NAVY, spaceAfter=14
        ),
        cover_sub=derive(
            "CoverSubtitle", body, fontSize=13, leading=18, textColor=MUTED, spaceAfter=4
        ),
        toc=derive("Contents", fontSize=BODY_SIZE, leading=15, spaceBefore=3, spaceAfter=3),
        signature=derive("Signature", body, spaceAfter=0, alignment=TA_LEFT),
    )


# --- entry point ------------------------------------------------------------------------------


def render_pdf(data: ReportData) -> bytes:
    """The report as PDF bytes; the same data always gives the same bytes (its words in
    `data.language`)."""
    with speaking(data.language):
        return _render(data)


def _render(data: ReportData) -> bytes:
    styles = make_styles()
    buffer = io.BytesIO()
    counter = _PageCount()
    doc = _ReportDocument(buffer, data, counter)
    story = build_story(data, styles)
    story.append(counter)
    doc.multiBuild(story, maxPasses=6)
    return buffer.getvalue()


def report_date(data: ReportData) -> tuple[int, int, int]:
    """The date the PDF says it was made: the first of the report's month ("February 2027"),
    or 1 January 2000 (ReportLab's invariant date) when the data has no month."""
    try:
        month, year = data.report_month.split(" ")
        return int(year), month_number(month), 1
    except ValueError:
        return 2000, 1, 1


def pdf_date(data: ReportData) -> str:
    """The report's date in the PDF date format (ISO 32000-1, 7.9.4), at midnight UTC."""
    year, month, day = report_date(data)
    return f"D:{year:04d}{month:02d}{day:02d}000000+00'00'"


# --- typography -------------------------------------------------------------------------------


def _markup(text: str) -> str:
    """Plain text from the data as Paragraph markup: curly quotes, then XML escapes."""
    return escape(smart_quotes(text))


# --- document and page templates ----------------------------------------------------------------


class _ReportDocument(BaseDocTemplate):
    """Page templates and the outline / contents bookkeeping."""

    def __init__(self, target: io.BytesIO, data: ReportData, counter: _PageCount) -> None:
        super().__init__(
            target,
            pagesize=A4,
            leftMargin=MARGIN_LEFT,
            rightMargin=MARGIN_RIGHT,
            topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM,
            title=data.title,
            author=data.inspectorate,
            subject=data.subject,
            creator=CREATOR,
            keywords=f"{data.programme}, {data.organisation}, {data.report_month}",
            invariant=1,
            lang=language_tag(data.language),
            initialFontName=REGULAR,
        )
        self.data = data
        self.counter = counter
        self.addPageTemplates(
            [
                PageTemplate(
                    id="cover", frames=[_text_frame("cover")], onPage=self._draw_cover_page
                ),
                PageTemplate(id="body", frames=[_text_frame("body")], onPage=self._draw_body_page),
            ]
        )

    def beforeDocument(self) -> None:
        """Each pass has a new canvas: it dates the document by the report, not the clock."""
        date = pdf_date(self.data)
        self.canv.setDateFormatter(lambda *_clock: date)

    def afterFlowable(self, flowable: Flowable) -> None:
        entry: _Entry | None = getattr(flowable, "entry", None)
        if entry is None:
            return
        self.canv.bookmarkPage(entry.key)
        self.canv.addOutlineEntry(entry.text, entry.key, level=entry.level, closed=entry.closed)
        if entry.in_contents:
            self.notify("TOCEntry", (0, entry.text, self.page, entry.key))

    # page furniture ----------------------------------------------------------------------------

    def _draw_cover_page(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        """The cover: a band, the marking; no running head and no page number."""
        canv.saveState()
        canv.showOutline()
        self._watermark(canv)
        canv.setFillColor(NAVY)
        canv.rect(0, PAGE_HEIGHT - 8 * mm, PAGE_WIDTH, 8 * mm, stroke=0, fill=1)
        self._marking(canv)
        canv.restoreState()

    def _draw_body_page(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        """Running head, footer and "Page x of y": y is the count the previous pass ended
        with (multiBuild repeats until that is stable), x counts the cover as page 1."""
        canv.saveState()
        self._watermark(canv)
        self._marking(canv)
        top = PAGE_HEIGHT - 17 * mm
        right = PAGE_WIDTH - MARGIN_RIGHT
        canv.setFont(REGULAR, FURNITURE_SIZE)
        canv.setFillColor(MUTED)
        month = self.data.report_month
        room = right - MARGIN_LEFT - (_furniture_width(month) + 6 * mm if month else 0)
        canv.drawString(MARGIN_LEFT, top, fit_furniture(smart_quotes(self.data.title), room))
        if month:
            canv.drawRightString(right, top, month)
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.5)
        canv.line(MARGIN_LEFT, top - 4.5, right, top - 4.5)
        bottom = 17 * mm
        canv.line(MARGIN_LEFT, bottom + 10, right, bottom + 10)
        label = _("Page {number}").format(number=canv.getPageNumber())
        if self.counter.pages:
            label = _("Page {number} of {pages}").format(
                number=canv.getPageNumber(), pages=self.counter.pages
            )
        room = right - MARGIN_LEFT - _furniture_width(label) - 6 * mm
        canv.drawString(
            MARGIN_LEFT, bottom, fit_furniture(smart_quotes(self.data.inspectorate), room)
        )
        canv.drawRightString(right, bottom, label)
        canv.restoreState()

    def _marking(self, canv: Canvas) -> None:
        """The protective marking, centred at the top and the bottom of every page."""
        marking = self.data.marking
        if not marking:
            return
        canv.setFont(BOLD, 8.5)
        canv.setFillColor(INK)
        canv.drawCentredString(PAGE_WIDTH / 2, PAGE_HEIGHT - 12 * mm, marking)
        canv.drawCentredString(PAGE_WIDTH / 2, 9 * mm, marking)

    def _watermark(self, canv: Canvas) -> None:
        """DRAFT across the page, drawn as the glyphs' outlines (a shape, not text: nothing
        for text extraction, search or a screen reader to pick up), defined once per document
        as a form and placed on every page."""
        if self.data.final:
            return
        if not getattr(canv, "_report_watermark", False):
            canv.beginForm(WATERMARK_FORM, 0, 0, PAGE_WIDTH, PAGE_HEIGHT)
            _draw_watermark(canv, _("DRAFT"))
            canv.endForm()
            canv._report_watermark = True
        canv.doForm(WATERMARK_FORM)


def _draw_watermark(canv: Canvas, text: str = "DRAFT", size: float = 120) -> None:
    outline = text_outline(BOLD, text)
    canv.saveState()
    canv.setFillColor(WATERMARK)
    canv.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
    canv.rotate(52)
    canv.translate(-outline.width * size / 2, -42)
    canv.scale(size, size)
    path = canv.beginPath()
    for name, *points in outline.ops:
        getattr(path, str(name))(*points)
    canv.drawPath(path, stroke=0, fill=1, fillMode=FILL_NON_ZERO)
    canv.restoreState()


class _PageCount(Flowable):
    """An invisible indexing flowable at the end of the story: it records the page count of
    each pass, and is satisfied once a pass ends with the count the previous pass had, so the
    final pass prints the right "of y" everywhere."""

    def __init__(self) -> None:
        super().__init__()
        self.pages = 0
        self._previous = -1

    def isIndexing(self) -> int:
        return 1

    def beforeBuild(self) -> None:
        self._previous = self.pages

    def afterBuild(self) -> None:
        pass

    def notify(self, kind: str, stuff: object) -> None:
        """Indexing flowables hear every notification; this one needs none."""

    def isSatisfied(self) -> bool:
        return self.pages == self._previous

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.pages = self.canv.getPageNumber()


# --- headings that feed the outline and the contents --------------------------------------------


@dataclass(frozen=True)
class _Entry:
    key: str
    text: str
    level: int = 0
    in_contents: bool = True
    closed: bool = False


class _Heading(Paragraph):
    def __init__(self, text: str, style: ParagraphStyle, entry: _Entry) -> None:
        super().__init__(text, style)
        self.entry = entry


class _Anchor(Flowable):
    """A zero-size mark that adds an outline entry where no heading is printed."""

    def __init__(self, entry: _Entry) -> None:
        super().__init__()
        self.entry = entry

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        pass


def heading(
    text: str,
    styles: Styles,
    key: str,
    *,
    level: int = 0,
    in_contents: bool = True,
    style: ParagraphStyle | None = None,
) -> _Heading:
    return _Heading(
        _markup(text),
        style or (styles.h1 if level == 0 else styles.h2),
        _Entry(key, smart_quotes(text), level, in_contents and level == 0),
    )


class _Continued(Flowable):
    """A table that, when it runs over a page, goes on under its section's heading marked
    "(continued)" (and its header row, which the table repeats itself: `repeatRows`)."""

    def __init__(self, table: Table, section: str, style: ParagraphStyle) -> None:
        super().__init__()
        self.table, self.section, self.style = table, section, style
        self.heading: Paragraph | None = None
        self.hAlign = "LEFT"

    def _continued(self, table: Table) -> _Continued:
        part = _Continued(table, self.section, self.style)
        part.heading = Paragraph(
            _markup(_("{section} (continued)").format(section=self.section)), self.style
        )
        return part

    def _heading_height(self, available_width: float) -> float:
        if self.heading is None:
            return 0.0
        _, height = self.heading.wrap(available_width, PAGE_HEIGHT)
        return float(height + self.style.spaceAfter)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        above = self._heading_height(available_width)
        width, height = self.table.wrap(available_width, available_height - above)
        self.width, self.height = (available_width if self.heading else width), above + height
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        above = self._heading_height(available_width)
        parts = self.table.split(available_width, available_height - above)
        if len(parts) < 2:
            return []  # nothing fits here: the whole table moves to the next page
        first = _Continued(parts[0], self.section, self.style)
        first.heading = self.heading
        return [first, self._continued(parts[1])]

    def draw(self) -> None:
        top = self.height
        if self.heading is not None:
            self.heading.drawOn(self.canv, 0, top - self.heading.height)
        self.table.drawOn(self.canv, 0, 0)


# --- the story --------------------------------------------------------------------------------


def build_story(data: ReportData, styles: Styles) -> list[Flowable]:
    """Every flowable of the report, in reading order."""
    story: list[Flowable] = []
    story += _cover(data, styles)
    story += [NextPageTemplate("body"), PageBreak()]
    story += _contents(styles)
    front: list[Callable[[ReportData, Styles], list[Flowable]]] = [
        _acknowledgements,
        _foreword,
        _summary,
        _ratings,
        _area_comparison,
        _recommendations,
        _scoring_summary,
    ]
    for make in front:
        part = make(data, styles)
        if part:
            story += [PageBreak(), *part]
    stage = ""
    for chapter in data.chapters:
        if not chapter.stage_code:
            stage = ""
            story += [PageBreak(), *_chapter(chapter, data, styles)]
            continue
        if chapter.stage_code != stage:  # a stage opens a chapter; its criteria follow on
            stage = chapter.stage_code
            story += [PageBreak(), *_stage_opening(chapter, styles)]
        else:
            story.append(CondPageBreak(90 * mm))
        story += _criterion(chapter, data, styles)
    for make in (
        _appendix_scores,
        _appendix_profile,
        _appendix_arrangements,
        _appendix_scoring,
        _appendix_glossary,
        _appendix_criteria,
        _appendix_context,
    ):
        part = make(data, styles)
        if part:
            story += [PageBreak(), *part]
    story += [PageBreak(), *_back_matter(data, styles)]
    return story


def _cover(data: ReportData, styles: Styles) -> list[Flowable]:
    flowables: list[Flowable] = [
        _Anchor(_Entry("cover", _("Cover"), in_contents=False)),
        Spacer(1, 6 * mm),
        Paragraph(_markup(data.inspectorate), styles.cover_org),
        Spacer(1, 76 * mm),
        Paragraph(_markup(data.title), styles.cover_title),
        _Rule(FRAME_WIDTH * 0.35, NAVY, 1.6, space=12),
        Paragraph(_markup(prose.byline(data)), styles.cover_sub),
        Paragraph(_markup(data.report_month), styles.cover_sub),
    ]
    if data.series_statement:
        series = _("This inspection was {series}.").format(series=data.series_statement)
        flowables += [Spacer(1, 6 * mm), Paragraph(_markup(series), styles.cover_sub)]
    if not data.final:
        draft = ParagraphStyle("CoverDraft", parent=styles.note, fontName=BOLD, fontSize=10)
        flowables += [Spacer(1, 12 * mm), Paragraph(_markup(prose.draft_notice()), draft)]
    if data.copyright_line:
        flowables += [Spacer(1, 12 * mm), Paragraph(_markup(data.copyright_line), styles.note)]
    if data.isbn:
        flowables.append(Paragraph(_markup(_("ISBN {isbn}").format(isbn=data.isbn)), styles.note))
    return flowables


def _contents(styles: Styles) -> list[Flowable]:
    toc = TableOfContents(
        dotsMinLevel=0,
        rightColumnWidth=40,
        tableStyle=TableStyle(
            [
                *_font_commands(),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        ),
    )
    toc.levelStyles = [styles.toc]
    return [heading(_("Contents"), styles, "contents", in_contents=False), toc]


def _acknowledgements(data: ReportData, styles: Styles) -> list[Flowable]:
    if not data.acknowledgements:
        return []
    return [
        heading(translated(prose.ACKNOWLEDGEMENTS), styles, "acknowledgements"),
        *(_para(p, styles.body) for p in data.acknowledgements),
    ]


def _back_matter(data: ReportData, styles: Styles) -> list[Flowable]:
    """The inspectorate's role, on the last page (the copyright line and ISBN are on the
    cover)."""
    return [
        heading(
            _("The role of {inspectorate}").format(inspectorate=data.inspectorate), styles, "role"
        ),
        *(_para(p, styles.body) for p in data.inspectorate_role),
    ]


def _appendix_criteria(data: ReportData, styles: Styles) -> list[Flowable]:
    """Every criterion by stage: what inspectors looked for, and its questions in words."""
    flowables: list[Flowable] = [heading(translated(prose.APPENDIX_CRITERIA), styles, "appendix-6")]
    for stage, entries in data.criteria_appendix:
        if stage:
            flowables.append(Paragraph(_markup(stage), styles.h2))
        for entry in entries:
            flowables.append(Paragraph(_markup(f"{entry.code} {entry.title}"), styles.h3))
            flowables.append(_para(prose.criterion_line(entry.looked_for), styles.criterion))
            flowables.append(
                ListFlowable(
                    [ListItem(_para(q, styles.body), value="•") for q in entry.questions],
                    bulletType="bullet",
                    start="•",
                    leftIndent=14,
                    bulletFontName=REGULAR,
                    bulletFontSize=BODY_SIZE,
                    bulletColor=NAVY,
                )
            )
    return flowables


def _appendix_context(data: ReportData, styles: Styles) -> list[Flowable]:
    """The lead's facts about the area and the service, and the long list beside the sample
    (a final report with neither has no such appendix)."""
    if data.final and not data.context_facts and not data.long_list_comparison:
        return []
    flowables: list[Flowable] = [heading(translated(prose.APPENDIX_CONTEXT), styles, "appendix-7")]
    if data.context_facts:
        labelled = [(label, value) for label, value in data.context_facts if label]
        if labelled:
            rows = [
                [_cell(label, styles.term), _cell(value, styles.cell)] for label, value in labelled
            ]
            table = Table(rows, colWidths=_widths([0.35, 0.65]))
            table.setStyle(_table_style(header=False))
            flowables.append(
                _Continued(table, translated(prose.APPENDIX_CONTEXT), styles.continued)
            )
        # A fact the lead gave no label reads as a sentence of its own, not beside an empty
        # cell.
        flowables += [_para(value, styles.body) for label, value in data.context_facts if not label]
    elif not data.final:
        flowables.append(_para(translated(prose.NO_CONTEXT_FACTS), styles.note))
    if data.long_list_comparison:
        flowables.append(Paragraph(translated(prose.LONG_LIST_BESIDE_SAMPLE), styles.h2))
        flowables.append(_para(prose.long_list_intro(data.long_list_comparison[0]), styles.body))
    for comparison in data.long_list_comparison:
        head = [
            _cell(comparison.title, styles.cell_head),
            _cell(
                _("Long list ({count})").format(count=comparison.long_list), styles.cell_head_right
            ),
            _cell(_("Sample ({count})").format(count=comparison.sample), styles.cell_head_right),
        ]
        rows = [head] + [
            [
                _cell(value or _("not recorded"), styles.cell),
                _cell(percent_text(whole), styles.cell_right),
                _cell(percent_text(drawn), styles.cell_right),
            ]
            for value, whole, drawn in comparison.rows
        ]
        table = Table(rows, colWidths=_widths([0.5, 0.25, 0.25]), repeatRows=1)
        table.setStyle(_table_style())
        flowables += [
            Spacer(1, 6),
            _Continued(table, translated(prose.APPENDIX_CONTEXT), styles.continued),
        ]
    return flowables


def _foreword(data: ReportData, styles: Styles) -> list[Flowable]:
    if not data.foreword:
        return []
    flowables: list[Flowable] = [heading(translated(prose.FOREWORD), styles, "foreword")]
    flowables += [_para(p, styles.body) for p in data.foreword]
    flowables += [
        Spacer(1, 10),
        Paragraph(f"<b>{_markup(data.chief_inspector)}</b>", styles.signature),
        Paragraph(_markup(data.chief_inspector_title), styles.signature),
        Paragraph(_markup(data.report_month), styles.signature),
    ]
    return flowables


def _summary(data: ReportData, styles: Styles) -> list[Flowable]:
    flowables: list[Flowable] = [heading(translated(prose.SUMMARY), styles, "summary")]
    if data.judgement_sentence:
        flowables.append(_para(data.judgement_sentence, styles.lead))
    if data.ratings is not None:
        flowables.append(_overall_box(data.ratings, styles))
    flowables.append(_para(prose.summary_context(data), styles.body))
    if data.summary_proposed:
        flowables.append(_para(prose.proposed_note(), styles.note))
    for intro, bullets in (
        (translated(STRENGTHS_INTRO), data.strength_bullets),
        (translated(CONCERNS_INTRO), data.concern_bullets),
    ):
        if bullets:
            flowables += [Paragraph(_markup(intro), styles.intro), _bullets(bullets, styles)]
    if data.disputed and not data.final:
        flowables.append(_para(prose.disputed_note(), styles.note))
    return flowables


# --- ratings ------------------------------------------------------------------------------------

BADGE_SIZE = 11.5  # a standard's and the overall rating's badge
BADGE_SMALL_SIZE = 8.5  # a key question's band, in a table cell


class _Badge(Flowable):
    """A rating in a rounded badge: its words always printed inside (so it reads in greyscale
    print and aloud), on its rating's fill, in the ink that contrasts with the fill, in a thin
    outline that keeps a pale fill apart from the paper."""

    def __init__(self, text: str, fill: str, *, size: float, width: float) -> None:
        super().__init__()
        self.text, self.fill, self.size = text, fill, size
        self.width = width
        self.height = size * 2.1
        self.hAlign = "LEFT"

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canv = self.canv
        canv.saveState()
        canv.setFillColor(colors.HexColor(self.fill))
        canv.setStrokeColor(colors.HexColor(BADGE_OUTLINE))
        canv.setLineWidth(0.6)
        canv.roundRect(0, 0, self.width, self.height, self.size * 0.45, stroke=1, fill=1)
        canv.setFillColor(colors.HexColor(badge_text_colour(self.fill)))
        size = self.size
        room = self.width - self.size
        while size > 6 and stringWidth(self.text, BOLD, size) > room:
            size -= 0.5
        canv.setFont(BOLD, size)
        canv.drawCentredString(self.width / 2, (self.height - size * 0.7) / 2, self.text)
        canv.restoreState()


def _badge_width(ratings: ReportRatings, size: float) -> float:
    """One width for every badge of a size: the longest rating's words with room either side."""
    words = [*ratings.scale, translated(prose.NOT_RATED)]
    return max(float(stringWidth(w, BOLD, size)) for w in words) + 2.2 * size


def _badge(ratings: ReportRatings, rating: str | None, *, size: float = BADGE_SIZE) -> _Badge:
    fill = (
        NOT_RATED_FILL if rating is None else rating_fill(ratings.rank(rating), len(ratings.scale))
    )
    return _Badge(prose.rating_words(rating), fill, size=size, width=_badge_width(ratings, size))


def _overall_box(ratings: ReportRatings, styles: Styles) -> Flowable:
    """The overall rating on a tint, its badge beside the standards' ratings."""
    label = ParagraphStyle("OverallLabel", parent=styles.kicker, spaceAfter=3)
    left: list[Flowable] = [
        Paragraph(_markup(translated(prose.OVERALL_RATING)), label),
        _badge(ratings, ratings.overall_rating),
    ]
    line = ParagraphStyle("RatedLine", parent=styles.key_text, leading=14)
    right = [
        _para(prose.overall_score_line(ratings), styles.key_text),
        Spacer(1, 4),
        *(_para(text, line) for text in prose.standards_rated_lines(ratings)),
    ]
    side = _badge_width(ratings, BADGE_SIZE) + 22
    table = Table([[left, right]], colWidths=[side, FRAME_WIDTH - side])
    table.hAlign = "LEFT"
    table.setStyle(
        TableStyle(
            [
                *_font_commands(),
                ("BACKGROUND", (0, 0), (-1, -1), TINT),
                ("LINEBEFORE", (0, 0), (0, 0), 2.5, NAVY),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 10),
                ("RIGHTPADDING", (0, 0), (-1, -1), 12),
                ("TOPPADDING", (0, 0), (-1, -1), 9),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 10),
            ]
        )
    )
    return KeepTogether([table, Spacer(1, 12)])


def _ratings(data: ReportData, styles: Styles) -> list[Flowable]:
    """The ratings: the overall rating, then each standard with its badge and a table of its
    key questions' scores and bands; an adjustment with the lead's justification."""
    ratings = data.ratings
    if ratings is None:
        return []
    flowables: list[Flowable] = [
        heading(translated(prose.RATINGS), styles, "ratings"),
        _para(prose.ratings_intro(ratings), styles.body),
        _overall_box(ratings, styles),
    ]
    for standard in ratings.standards:
        flowables.append(KeepTogether(_standard_rating(standard, ratings, data, styles)))
    return flowables


def _standard_rating(
    standard: StandardRatingRow, ratings: ReportRatings, data: ReportData, styles: Styles
) -> list[Flowable]:
    title = f"{standard.code} {standard.title}"
    entry = _Entry(f"rating-{standard.code}", smart_quotes(title), level=1, in_contents=False)
    name = Paragraph(_markup(title), styles.h2)
    badge = _badge(ratings, standard.rating)
    top = Table([[name, badge]], colWidths=[FRAME_WIDTH - badge.width, badge.width])
    top.hAlign = "LEFT"
    top.setStyle(
        TableStyle(
            [
                *_font_commands(),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    labels = (_("Sufficient"), _("Relevant cases"), _("Per cent"))
    head = [
        _cell(_("Key question"), styles.cell_head),
        *(_cell(label, styles.cell_head_right) for label in labels),
        _cell(_("Rating"), styles.cell_head),
    ]
    rows: list[list[Flowable]] = [head]
    bold: list[int] = []
    disputed = _disputed_questions(data)
    for number, key in enumerate(standard.key_questions, start=1):
        plain, right = (
            (styles.cell_bold, styles.cell_bold_right)
            if key.deciding
            else (styles.cell, styles.cell_right)
        )
        if key.deciding:
            bold.append(number)
        rows.append(
            [
                _cell((key.label or key.code) + _dagger(key.code in disputed, data), plain),
                _cell(str(key.sufficient), right),
                _cell(str(key.relevant), right),
                _cell(prose.key_question_percent(key.percent), right),
                _badge(ratings, key.rating, size=BADGE_SMALL_SIZE)
                if key.rating
                else _cell(_("Not scored"), styles.cell),
            ]
        )
    small = _badge_width(ratings, BADGE_SMALL_SIZE) + 2 * CELL_PADDING
    numbers = [_fit([label, "100%"]) for label in labels]
    widths = [FRAME_WIDTH - sum(numbers) - small, *numbers, small]
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.hAlign = "LEFT"
    style = _table_style()
    style.add("VALIGN", (0, 1), (-1, -1), "MIDDLE")
    table.setStyle(style)
    flowables: list[Flowable] = [_Anchor(entry), Spacer(1, 6), top, table, Spacer(1, 5)]
    if standard.adjusted:
        flowables.append(_para(prose.adjusted_line(standard), styles.body))
        flowables.append(_para(prose.figures_gave_line(standard), styles.note))
    else:
        flowables.append(_para(prose.deciding_line(standard), styles.note))
    flowables.append(Spacer(1, 6))
    return flowables


def _rating_rules(ratings: ReportRatings, styles: Styles) -> list[Flowable]:
    """The scoring appendix's statement of the rating rules: the words and the two band tables,
    all from the framework's data."""
    width = _badge_width(ratings, BADGE_SMALL_SIZE) + 2 * CELL_PADDING
    bands: list[list[Flowable]] = [
        [
            _cell(_("Rating"), styles.cell_head),
            _cell(_("Printed percentage of a key question"), styles.cell_head),
            _cell(_("Score"), styles.cell_head_right),
        ]
    ]
    bands += [
        [
            _badge(ratings, rating, size=BADGE_SMALL_SIZE),
            _cell(share, styles.cell),
            _cell(score, styles.cell_right),
        ]
        for rating, share, score in ratings.bands
    ]
    score = _fit([_("Score"), "12"])
    band_table = Table(bands, colWidths=[width, FRAME_WIDTH - width - score, score], repeatRows=1)
    overall: list[list[Flowable]] = [
        [
            _cell(translated(prose.OVERALL_RATING), styles.cell_head),
            _cell(_("The standards' scores added together"), styles.cell_head),
        ]
    ]
    overall += [
        [_badge(ratings, rating, size=BADGE_SMALL_SIZE), _cell(scores, styles.cell)]
        for rating, scores in ratings.overall_bands
    ]
    overall_table = Table(overall, colWidths=[width, FRAME_WIDTH - width], repeatRows=1)
    for table in (band_table, overall_table):
        table.hAlign = "LEFT"
        style = _table_style()
        style.add("VALIGN", (0, 1), (-1, -1), "MIDDLE")
        table.setStyle(style)
    title = translated(prose.RATING_RULES)
    return [
        Paragraph(_markup(title), styles.h2),
        *(_para(p, styles.body) for p in ratings.rules),
        _Continued(band_table, title, styles.continued),
        Spacer(1, 10),
        _Continued(overall_table, title, styles.continued),
    ]


# --- compared with the areas inspected to date ---------------------------------------------------

# How far a row's name is set in under the one above it: a criterion under its stage, a key
# question under its standard.
_COMPARISON_INDENT = {COMPARED_CRITERION: 10, COMPARED_QUESTION: 20}


def _area_comparison(data: ReportData, styles: Styles) -> list[Flowable]:
    """This area's scores beside the lowest, highest and average of the areas inspected to
    date, when a store is configured: stages in bold with their criteria under them, the whole
    as the total row; in place of the table, one sentence when there is nothing to compare
    with. Nothing at all when no store is configured."""
    comparison = data.area_comparison
    if comparison is None:
        return []
    section = translated(AREA_COMPARISON)
    flowables: list[Flowable] = [heading(section, styles, "comparison")]
    if not comparison.rows:
        return [*flowables, _para(area_comparison_note(comparison), styles.body)]
    flowables.append(_para(area_comparison_intro(data.organisation, comparison), styles.body))
    title = area_comparison_title(data.organisation)
    flowables.append(Paragraph(_markup(title), styles.h3))
    flowables.append(
        _Continued(_comparison_table(data, comparison, styles), title, styles.continued)
    )
    flowables.append(_para(area_comparison_source(comparison, final=data.final), styles.caption))
    return flowables


def _comparison_table(data: ReportData, comparison: AreaComparison, styles: Styles) -> Table:
    labels = [_("Lowest"), _("Highest"), _("Average")]
    head = [_cell(_("Aspect of the work"), styles.cell_head)]
    head += [_cell(label, styles.cell_head_right) for label in labels]
    head.append(_cell(data.organisation, styles.cell_head_right))
    if comparison.counts_vary:
        head.append(_cell(_("Areas"), styles.cell_head_right))
    rows: list[list[Flowable]] = [head]
    overall = [r for r in comparison.rows if r.level == COMPARED_OVERALL]
    for row in [*(r for r in comparison.rows if r.level != COMPARED_OVERALL), *overall]:
        strong = row.level in (COMPARED_OVERALL, COMPARED_STAGE)
        name_style = styles.cell_bold if strong else styles.cell
        indent = _COMPARISON_INDENT.get(row.level, 0)
        if indent:
            name_style = ParagraphStyle(
                f"ComparedName{indent}", parent=name_style, leftIndent=indent
            )
        number = styles.cell_bold_right if strong else styles.cell_right
        cells = [
            _cell(row.label, name_style),
            _cell(percent_text(row.lowest), number),
            _cell(percent_text(row.highest), number),
            _cell(percent_text(row.average), number),
            _cell(row.figure, styles.cell_bold_right),
        ]
        if comparison.counts_vary:
            cells.append(_cell(str(row.count), number))
        rows.append(cells)
    figures = ["100%", *(row.figure for row in comparison.rows)]
    widths = [0.0]
    widths += [_fit([label, "100%"]) for label in labels]
    widths.append(max(_fit([data.organisation]), _fit(figures, words=False)))
    if comparison.counts_vary:
        widths.append(_fit([_("Areas"), str(comparison.inspections)]))
    widths[0] = FRAME_WIDTH - sum(widths)
    table = Table(rows, colWidths=widths, repeatRows=1)
    style = _table_style(total_row=bool(overall))
    style.add("BACKGROUND", (4, 1), (4, -1), TINT)  # this area's column, set apart
    table.setStyle(style)
    return table


def _recommendations(data: ReportData, styles: Styles) -> list[Flowable]:
    if not data.recommendations:
        return []
    items = [
        ListItem(_para(text, styles.bullet), value=number)
        for number, text in enumerate(data.recommendations, start=1)
    ]
    return [
        heading(translated(prose.RECOMMENDATIONS), styles, "recommendations"),
        _para(prose.recommendations_intro(data), styles.body),
        ListFlowable(
            items,
            bulletType="1",
            bulletFormat="%s.",
            bulletFontName=BOLD,
            bulletFontSize=BODY_SIZE,
            bulletColor=NAVY,
            leftIndent=22,
            bulletDedent=22,
        ),
    ]


def _scoring_summary(data: ReportData, styles: Styles) -> list[Flowable]:
    head = [
        _cell(_unit_name(data), styles.cell_head),
        _cell(_("Judgements"), styles.cell_head_right),
        _cell(_("Sufficient"), styles.cell_head_right),
        _cell(_("Per cent"), styles.cell_head_right),
        _cell(_("In words"), styles.cell_head),
    ]
    rows: list[list[Flowable]] = [head]
    for chapter in data.chapters:
        title = f"{chapter.label}  {chapter.title}{_dagger(chapter.disputed, data)}"
        rows.append(
            [
                _cell(title, styles.cell),
                _cell(str(chapter.denominator), styles.cell_right),
                _cell(str(chapter.sufficient), styles.cell_right),
                _cell(base_percent_text(chapter.percent, chapter.denominator), styles.cell_right),
                _cell(chapter.words or "–", styles.cell),
            ]
        )
    rows.append(
        [
            _cell(_("All the work"), styles.cell_bold),
            _cell(str(data.overall_denominator), styles.cell_bold_right),
            _cell(str(data.overall_sufficient), styles.cell_bold_right),
            _cell(percent_text(data.overall_percent), styles.cell_bold_right),
            _cell(data.overall_words or "–", styles.cell_bold),
        ]
    )
    labels = (_("Judgements"), _("Sufficient"), _("Per cent"))
    numbers = [_fit([label], words=False) for label in labels]
    widths = [0.0, *numbers, FRAME_WIDTH * 0.32]
    widths[0] = FRAME_WIDTH - sum(widths)
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(_table_style(total_row=True))
    bars = area_bars([(c.label, c.title, c.percent, c.denominator) for c in data.chapters])
    chart = bar_chart(
        bars,
        FRAME_WIDTH,
        reference=data.overall_percent,
        reference_label=_("All the work {percent}").format(
            percent=percent_text(data.overall_percent)
        ),
        compact=True,
    )
    # The figure first, kept whole, and the table after it, which may run on to the next
    # page: a figure that cannot follow a long table on its page no longer leaves half of
    # it empty.
    return [
        heading(translated(prose.SCORING_SUMMARY), styles, "scoring-summary"),
        _para(prose.scoring_summary_intro(), styles.body),
        Spacer(1, 4),
        KeepTogether([chart, Paragraph(_markup(prose.areas_caption(data)), styles.caption)]),
        Spacer(1, 12),
        _Continued(table, translated(prose.SCORING_SUMMARY), styles.continued),
    ]


def _unit_name(data: ReportData) -> str:
    """What a row of the scoring summary is, in the framework's own word: a standard (a
    framework that rates calls its criteria standards, as the ratings do), a criterion, or
    (for a framework that declares none) an aspect of the work."""
    if data.ratings is not None:
        return _("Standard")
    return _("Criterion") if any(c.stage_code for c in data.chapters) else _("Aspect of the work")


def _whole_label(chapter: Chapter, data: ReportData) -> str:
    """The label of a chapter's chart's dashed line: the whole the bars are part of, named as
    the scoring summary names it ("Standard 67%", "Criterion 79%", "This chapter 74%")."""
    percent = percent_text(chapter.percent)
    if not chapter.stage_code:
        return _("This chapter {percent}").format(percent=percent)
    if data.ratings is not None:
        return _("Standard {percent}").format(percent=percent)
    return _("Criterion {percent}").format(percent=percent)


def _disputed_questions(data: ReportData) -> frozenset[str]:
    """The codes of the questions whose figures an unresolved conflict touches: a table that
    names a question by its label marks it as Appendix 1 does."""
    return frozenset(q.code for c in data.chapters for q in c.questions if q.disputed)


def _stage_opening(chapter: Chapter, styles: Styles) -> list[Flowable]:
    """A stage of the offender's journey, as a chapter of the report: its criteria follow."""
    text = prose.chapter_heading(int(chapter.stage_code), chapter.stage_title)
    return [
        Paragraph(_("CHAPTER {number}").format(number=chapter.stage_code), styles.kicker),
        _Heading(
            _markup(chapter.stage_title),
            styles.h1,
            _Entry(f"stage-{chapter.stage_code}", smart_quotes(text)),
        ),
    ]


def _criterion(chapter: Chapter, data: ReportData, styles: Styles) -> list[Flowable]:
    """One criterion within its stage's chapter: its score, what inspectors looked for, the
    lead's commentary, a chart of its questions and their findings."""
    title = f"{chapter.code} {chapter.title}"
    entry = _Entry(chapter.key, smart_quotes(title), level=1, in_contents=False)
    flowables: list[Flowable] = [_Heading(_markup(title), styles.h2, entry)]
    return flowables + _chapter_body(chapter, data, styles)


def _chapter(chapter: Chapter, data: ReportData, styles: Styles) -> list[Flowable]:
    flowables: list[Flowable] = [
        Paragraph(_("CHAPTER {number}").format(number=chapter.number), styles.kicker),
        _Heading(
            _markup(chapter.title),
            styles.h1,
            _Entry(chapter.key, smart_quotes(prose.chapter_heading(chapter.number, chapter.title))),
        ),
    ]
    return flowables + _chapter_body(chapter, data, styles)


def _chapter_body(chapter: Chapter, data: ReportData, styles: Styles) -> list[Flowable]:
    flowables: list[Flowable] = []
    if chapter.criterion:
        flowables.append(_para(prose.criterion_line(chapter.criterion), styles.criterion))
    flowables.append(_key_figure(chapter, data, styles))
    flowables += [_para(p, styles.body) for p in chapter.subgroup_findings]
    flowables += [_para(p, styles.body) for p in chapter.commentary]
    # Questions in plain words, never by their codes (the appendix of scores lists the codes).
    bars = [
        Bar(smart_quotes(f"{q.label or q.code} ({q.denominator})"), q.percent, q.denominator)
        for q in chapter.questions
    ]
    chart = bar_chart(
        bars,
        FRAME_WIDTH,
        reference=chapter.percent,
        reference_label=_whole_label(chapter, data),
    )
    named = f"{chapter.code} {chapter.title}" if chapter.stage_code else chapter.title
    caption_text = prose.chapter_caption(chapter.number, named)
    caption = Paragraph(_markup(caption_text), styles.caption)
    flowables.append(KeepTogether([Spacer(1, 4), chart, caption]))
    flowables.append(
        Paragraph(translated(prose.FINDINGS), styles.h3 if chapter.stage_code else styles.h2)
    )
    for question in chapter.questions:
        flowables.append(
            Paragraph(
                _markup(question.finding) + _dagger(question.disputed, data),
                styles.finding,
                bulletText="•",
            )
        )
    flowables += [_example_box(example, styles) for example in chapter.examples]
    return flowables


def _example_box(example: ExampleBox, styles: Styles) -> Flowable:
    """A practice example in a ruled box: its title, the case by number only, the text."""
    cells: list[Flowable] = [
        Paragraph(_markup(f"{translated(prose.PRACTICE_EXAMPLE)}: {example.title}"), styles.h3),
        _para(example.case_label, styles.note),
        *(_para(p, styles.body) for p in example.paragraphs),
    ]
    table = Table([[cells]], colWidths=[FRAME_WIDTH])
    table.hAlign = "LEFT"
    table.setStyle(
        TableStyle(
            [
                *_font_commands(),
                ("BOX", (0, 0), (-1, -1), 0.8, NAVY),
                ("BACKGROUND", (0, 0), (-1, -1), TINT),
                ("LEFTPADDING", (0, 0), (-1, -1), 12),
                ("RIGHTPADDING", (0, 0), (-1, -1), 12),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
            ]
        )
    )
    return KeepTogether([Spacer(1, 10), table, Spacer(1, 6)])


def _key_figure(chapter: Chapter, data: ReportData, styles: Styles) -> Flowable:
    style = styles.figure if chapter.denominator >= 5 else styles.figure_small
    figure: list[Flowable] = [Paragraph(_markup(chapter.figure), style)]
    if chapter.figure.endswith("%"):
        beside = ParagraphStyle("DoneWellEnough", parent=styles.note, rightIndent=0, spaceAfter=0)
        figure.append(_para(translated(prose.DONE_WELL_ENOUGH), beside))
    text = _para(chapter.overview + _dagger(chapter.disputed, data), styles.key_text)
    table = Table([[figure, text]], colWidths=[42 * mm, FRAME_WIDTH - 42 * mm])
    table.hAlign = "LEFT"
    table.setStyle(
        TableStyle(
            [
                *_font_commands(),
                ("BACKGROUND", (0, 0), (-1, -1), TINT),
                ("LINEBEFORE", (0, 0), (0, 0), 2.5, NAVY),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 10),
                ("RIGHTPADDING", (0, 0), (-1, -1), 12),
                ("TOPPADDING", (0, 0), (-1, -1), 10),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 11),
            ]
        )
    )
    return KeepTogether([table, Spacer(1, 12)])


# --- appendices -------------------------------------------------------------------------------


def _appendix_scores(data: ReportData, styles: Styles) -> list[Flowable]:
    flowables: list[Flowable] = [
        heading(translated(prose.APPENDIX_SCORES), styles, "appendix-1"),
        _para(prose.scores_intro(data), styles.body),
    ]
    labels = [_("Code"), _("Question"), *prose.score_labels(data)]
    head = [_cell(labels[0], styles.cell_head), _cell(labels[1], styles.cell_head)]
    head += [_cell(label, styles.cell_head_right) for label in labels[2:]]
    questions = [q for chapter in data.chapters for q in chapter.questions]
    counts = [str(max([0, *(q.denominator + q.na + q.unanswered for q in questions)])), "100"]
    widths = [_fit([labels[0], *(q.code for q in questions)]), 0.0]
    widths += [_fit([label, *counts]) for label in labels[2:]]
    widths[1] = FRAME_WIDTH - sum(widths)
    for chapter in data.chapters:
        rows: list[list[Flowable]] = [head]
        for q in chapter.questions:
            mark = f" {prose.REVERSED_MARK}" if q.reversed else ""
            rows.append(
                [
                    _cell(q.code, styles.cell),
                    _cell(q.text + mark + _dagger(q.disputed, data), styles.cell),
                    *(_cell(n, styles.cell_right) for n in prose.score_counts(data, q)),
                ]
            )
        table = Table(rows, colWidths=widths, repeatRows=1)
        table.setStyle(_table_style())
        title = smart_quotes(chapter.heading)
        entry = _Entry(f"appendix-1-{chapter.number}", title, level=1, in_contents=False)
        # The heading is not kept with the whole table (that would push a long table to the
        # next page and leave a gap); CondPageBreak keeps it with the first rows instead.
        flowables += [CondPageBreak(60 * mm), _Heading(_markup(title), styles.h2_loose, entry)]
        flowables.append(_Continued(table, title, styles.continued))
    return flowables


def _appendix_profile(data: ReportData, styles: Styles) -> list[Flowable]:
    tables: list[Flowable] = [_profile_table(t, styles) for t in data.profile]
    gap = 16
    half = (FRAME_WIDTH - gap) / 2
    grid_rows = []
    for index in range(0, len(tables), 2):
        pair = tables[index : index + 2]
        while len(pair) < 2:
            pair.append(Spacer(1, 1))
        grid_rows.append([pair[0], "", pair[1]])
    grid = Table(grid_rows, colWidths=[half, gap, half])
    grid.setStyle(
        TableStyle(
            [
                *_font_commands(),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 18),
            ]
        )
    )
    return [
        heading(translated(prose.APPENDIX_SAMPLE), styles, "appendix-2"),
        _para(prose.sample_intro(data), styles.body),
        _Continued(grid, translated(prose.APPENDIX_SAMPLE), styles.continued),
    ]


def _profile_table(table: ProfileTable, styles: Styles) -> Table:
    half = (FRAME_WIDTH - 16) / 2
    rows: list[list[Flowable]] = [
        [
            _cell(table.title, styles.cell_head),
            _cell(_("Cases"), styles.cell_head_right),
            _cell("%", styles.cell_head_right),
        ]
    ]
    for row in table.rows:
        rows.append(
            [
                _cell(row.label, styles.cell),
                _cell(row.count, styles.cell_right),
                _cell(row.percent, styles.cell_right),
            ]
        )
    cases = _fit([_("Cases"), *(row.count for row in table.rows)])
    share = _fit(["100%", *(row.percent for row in table.rows)])
    result = Table(rows, colWidths=[half - cases - share, cases, share])
    result.hAlign = "LEFT"
    result.setStyle(_table_style())
    return result


def _appendix_arrangements(data: ReportData, styles: Styles) -> list[Flowable]:
    facts = Table(
        [
            [_cell(k, styles.cell_bold), _cell(v, styles.cell)]
            for k, v in [*prose.arrangements_facts(data), *_override_facts(data)]
        ],
        colWidths=_widths([0.42, 0.58]),
    )
    facts.setStyle(_table_style(header=False))
    team_rows: list[list[Flowable]] = [
        [_cell(_("Name"), styles.cell_head), _cell(_("Role"), styles.cell_head)]
    ]
    team_rows += [[_cell(m.name, styles.cell), _cell(m.role, styles.cell)] for m in data.team]
    team = Table(team_rows, colWidths=_widths([0.42, 0.58]), repeatRows=1)
    team.setStyle(_table_style())
    return [
        heading(translated(prose.APPENDIX_ARRANGEMENTS), styles, "appendix-3"),
        _para(prose.arrangements_intro(data), styles.body),
        _Continued(facts, translated(prose.APPENDIX_ARRANGEMENTS), styles.continued),
        Paragraph(_markup(translated(prose.TEAM)), styles.h2),
        _Continued(team, translated(prose.TEAM), styles.continued),
    ]


def _override_facts(data: ReportData) -> list[tuple[str, str]]:
    """Why a final report was marked final with cases not complete, if it was."""
    return override_facts(data.cases_complete, data.sample_size, data.override_reason)


def _appendix_scoring(data: ReportData, styles: Styles) -> list[Flowable]:
    rows: list[list[Flowable]] = [
        [_cell(_("Printed percentage"), styles.cell_head), _cell(_("Words used"), styles.cell_head)]
    ]
    rows += [
        [_cell(share, styles.cell), _cell(words, styles.cell)]
        for share, words in data.wording_table
    ]
    table = Table(rows, colWidths=_widths([0.34, 0.66]), repeatRows=1)
    table.setStyle(_table_style())
    flowables: list[Flowable] = [heading(translated(prose.APPENDIX_SCORING), styles, "appendix-4")]
    flowables += [_para(p, styles.body) for p in data.scoring_approach]
    if data.ratings is not None:
        flowables += _rating_rules(data.ratings, styles)
    flowables += [
        Paragraph(_markup(translated(prose.WORDING_TABLE)), styles.h2),
        _Continued(table, translated(prose.WORDING_TABLE), styles.continued),
    ]
    return flowables


def _appendix_glossary(data: ReportData, styles: Styles) -> list[Flowable]:
    rows = [
        [_cell(term, styles.term), _cell(meaning, styles.meaning)]
        for term, meaning in data.glossary
    ]
    table = Table(rows, colWidths=_widths([0.24, 0.76]))
    table.setStyle(_table_style(header=False))
    return [
        heading(translated(prose.APPENDIX_GLOSSARY), styles, "appendix-5"),
        _Continued(table, translated(prose.APPENDIX_GLOSSARY), styles.continued),
    ]


# --- small builders ---------------------------------------------------------------------------


class _Rule(Flowable):
    """A short horizontal rule (the cover's accent)."""

    def __init__(self, width: float, color: colors.Color, thickness: float, space: float) -> None:
        super().__init__()
        self.width, self.color, self.thickness, self.space = width, color, thickness, space

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.thickness + 2 * self.space

    def draw(self) -> None:
        self.canv.setStrokeColor(self.color)
        self.canv.setLineWidth(self.thickness)
        y = self.space + self.thickness / 2
        self.canv.line(0, y, self.width, y)


def _para(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text (escaped); a draft's "[...]" placeholder is set apart."""
    if text.startswith("[") and text.endswith("]"):
        return Paragraph(
            f'<font name="{OBLIQUE}" color="{PLACEHOLDER.hexval()}">{_markup(text)}</font>',
            style,
        )
    return Paragraph(_markup(text), style)


def _cell(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(_markup(text), style)


def _bullets(lines: Iterable[str], styles: Styles) -> ListFlowable:
    return ListFlowable(
        [ListItem(_para(line, styles.bullet)) for line in lines],
        bulletType="bullet",
        start="•",
        bulletFontName=REGULAR,
        bulletFontSize=BODY_SIZE,
        bulletColor=NAVY,
        leftIndent=18,
        bulletDedent=13,
        spaceAfter=8,
    )


def _dagger(disputed: bool, data: ReportData) -> str:
    return f" {prose.DISPUTED_MARK}" if disputed and not data.final else ""


def _widths(shares: Sequence[float]) -> list[float]:
    return [FRAME_WIDTH * s for s in shares]


CELL_PADDING = 4.0


def _fit(texts: Iterable[str], *, words: bool = True) -> float:
    """The width of a column that shows each text on one line, set in bold (headers are); with
    `words`, only each word (a header may take two lines, a figure never does)."""
    parts = [part for text in texts for part in (text.split() if words else [text])]
    widest = max(float(stringWidth(part, BOLD, TABLE_SIZE)) for part in parts)
    return widest + 2 * CELL_PADDING + 1


def _font_commands() -> list[tuple[object, ...]]:
    """A table's own cell font: ReportLab's default is Helvetica, which would be referenced
    (unembedded) even though every cell holds a Paragraph in the embedded font."""
    return [("FONT", (0, 0), (-1, -1), REGULAR, TABLE_SIZE)]


def _table_style(*, header: bool = True, total_row: bool = False) -> TableStyle:
    commands: list[tuple[object, ...]] = [
        *_font_commands(),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("TOPPADDING", (0, 0), (-1, -1), 3.6),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4.2),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, HAIRLINE),
    ]
    if header:
        commands += [
            ("BACKGROUND", (0, 0), (-1, 0), TINT),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, NAVY),
            ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
        ]
    else:
        commands.append(("LINEABOVE", (0, 0), (-1, 0), 0.8, NAVY))
    if total_row:
        commands += [
            ("LINEABOVE", (0, -1), (-1, -1), 0.8, NAVY),
            ("LINEBELOW", (0, -1), (-1, -1), 0.8, NAVY),
        ]
    return TableStyle(commands)


__all__ = ["build_story", "make_styles", "render_pdf", "smart_quotes"]


def _furniture_width(text: str) -> float:
    return float(stringWidth(text, REGULAR, FURNITURE_SIZE))


def fit_furniture(text: str, room: float) -> str:
    """A running head or footer that fits beside the date or page number: a long title (a
    hundred-character organisation's name) is cut at a word and ends with an ellipsis,
    rather than running into them."""
    if _furniture_width(text) <= room:
        return text
    words = text.split()
    while len(words) > 1:
        words.pop()
        shorter = " ".join(words).rstrip(",:;") + "…"
        if _furniture_width(shorter) <= room:
            return shorter
    cut = text
    while len(cut) > 1 and _furniture_width(cut + "…") > room:  # one long word
        cut = cut[:-1]
    return cut + "…"
