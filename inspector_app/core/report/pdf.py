"""The report as a print-ready PDF: `render_pdf(data) -> bytes`.

A pure function of `ReportData` (no database, no clock, no Qt), built with ReportLab platypus:
a `BaseDocTemplate` with two page templates (cover, body) whose `onPage` hooks draw the
protective marking, the running head, the DRAFT watermark and the footer; a numbered canvas
writes "Page x of y"; `multiBuild` fills the contents page, with bookmark keys derived from the
data so they are identical on every pass. Invariant mode plus a date taken from the data make
the same data give the same bytes, so an issued report can be verified against its master.
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
from reportlab.pdfgen.canvas import Canvas
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

from inspector_app.core.publication_gate import override_facts
from inspector_app.core.report import text as prose
from inspector_app.core.report.charts import Bar, bar_chart
from inspector_app.core.report.data import (
    CONCERNS_INTRO,
    STRENGTHS_INTRO,
    Chapter,
    ProfileTable,
    ReportData,
    percent_text,
)
from inspector_app.core.report.fonts import BOLD, OBLIQUE, REGULAR, register_fonts

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_LEFT = MARGIN_RIGHT = 24 * mm
MARGIN_TOP = 28 * mm
MARGIN_BOTTOM = 26 * mm
FRAME_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT

INK = colors.HexColor("#1f2327")
NAVY = colors.HexColor("#1d3b5c")
MUTED = colors.HexColor("#5d6870")
RULE = colors.HexColor("#c9d1d8")
HAIRLINE = colors.HexColor("#e1e6ea")
TINT = colors.HexColor("#eef2f5")
WATERMARK = colors.HexColor("#eceef0")
PLACEHOLDER = colors.HexColor("#8a5a00")

CREATOR = "Inspector app"


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
    h2_loose: ParagraphStyle  # an h2 not kept with what follows (before long tables)
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


def make_styles() -> Styles:
    """Builds the named styles (registering the embedded fonts first)."""
    family = register_fonts()
    body = ParagraphStyle(
        "Body",
        fontName=family,
        fontSize=9.5,
        leading=14.2,
        textColor=INK,
        spaceAfter=7,
        allowWidows=0,
        allowOrphans=0,
        splitLongWords=0,
    )

    def derive(name: str, parent: ParagraphStyle = body, **changes: Any) -> ParagraphStyle:
        return ParagraphStyle(name, parent=parent, **changes)

    h2 = derive(
        "Heading2",
        fontName=BOLD,
        fontSize=11.5,
        leading=15,
        textColor=NAVY,
        spaceBefore=12,
        spaceAfter=6,
        keepWithNext=1,
    )
    figure = derive(
        "KeyFigure", fontName=BOLD, fontSize=24, leading=28, textColor=NAVY, spaceAfter=0
    )
    cell = derive("Cell", fontSize=7.8, leading=10.2, spaceAfter=0)
    cell_bold = derive("CellBold", cell, fontName=BOLD)
    cell_head = derive("CellHead", cell, fontName=BOLD, fontSize=7.4, leading=9.4, textColor=NAVY)
    term = derive("Term", cell, fontName=BOLD, fontSize=8.4, leading=11.5)
    return Styles(
        body=body,
        lead=derive("Lead", fontSize=12.5, leading=17.5, textColor=NAVY, spaceAfter=12),
        h1=derive(
            "Heading1",
            fontName=BOLD,
            fontSize=19,
            leading=24,
            textColor=NAVY,
            spaceAfter=16,
            keepWithNext=1,
        ),
        h2=h2,
        h2_loose=derive("Heading2Loose", h2, keepWithNext=0),
        kicker=derive(
            "Kicker",
            fontName=BOLD,
            fontSize=8,
            leading=11,
            textColor=MUTED,
            spaceAfter=4,
            keepWithNext=1,
        ),
        criterion=derive("Criterion", fontName=OBLIQUE, textColor=MUTED),
        intro=derive(
            "ListIntro", fontName=BOLD, spaceBefore=6, spaceAfter=5, keepWithNext=1, textColor=NAVY
        ),
        bullet=derive("Bullet", spaceAfter=4),
        finding=derive(
            "Finding",
            leftIndent=38,
            bulletIndent=0,
            bulletFontName=BOLD,
            bulletFontSize=8,
            bulletColor=MUTED,
            spaceAfter=6,
        ),
        caption=derive(
            "Caption",
            fontName=OBLIQUE,
            fontSize=8,
            leading=11,
            textColor=MUTED,
            spaceBefore=2,
            spaceAfter=10,
        ),
        note=derive("Note", fontSize=8, leading=11, textColor=MUTED, spaceAfter=6),
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
            fontSize=12,
            leading=16,
            textColor=NAVY,
            spaceAfter=0,
        ),
        cover_title=derive(
            "CoverTitle", fontName=BOLD, fontSize=27, leading=33, textColor=NAVY, spaceAfter=14
        ),
        cover_sub=derive("CoverSubtitle", fontSize=12, leading=17, textColor=MUTED, spaceAfter=4),
        toc=derive("Contents", fontSize=10, leading=14, spaceBefore=3, spaceAfter=3),
        signature=derive("Signature", spaceAfter=0, alignment=TA_LEFT),
    )


# --- entry point ------------------------------------------------------------------------------


def render_pdf(data: ReportData) -> bytes:
    """The report as PDF bytes; the same data always gives the same bytes."""
    styles = make_styles()
    buffer = io.BytesIO()
    counter = _PageCount()
    doc = _ReportDocument(buffer, data)
    story = build_story(data, styles)
    story.append(counter)
    doc.multiBuild(story, maxPasses=6, canvasmaker=_numbered_canvas(counter))
    return buffer.getvalue()


# --- document, page templates and the numbered canvas --------------------------------------------


class _ReportDocument(BaseDocTemplate):
    """Page templates and the outline / contents bookkeeping."""

    def __init__(self, target: io.BytesIO, data: ReportData) -> None:
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
            lang="en-GB",
            initialFontName=REGULAR,
        )
        self.data = data
        self.addPageTemplates(
            [
                PageTemplate(
                    id="cover", frames=[_text_frame("cover")], onPage=self._draw_cover_page
                ),
                PageTemplate(id="body", frames=[_text_frame("body")], onPage=self._draw_body_page),
            ]
        )

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
        canv.saveState()
        canv.showOutline()
        self._watermark(canv)
        canv.setFillColor(NAVY)
        canv.rect(0, PAGE_HEIGHT - 8 * mm, PAGE_WIDTH, 8 * mm, stroke=0, fill=1)
        self._marking(canv)
        canv.restoreState()

    def _draw_body_page(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        canv.saveState()
        self._watermark(canv)
        self._marking(canv)
        top = PAGE_HEIGHT - 17 * mm
        canv.setFont(REGULAR, 7.5)
        canv.setFillColor(MUTED)
        canv.drawString(MARGIN_LEFT, top, self.data.title)
        if self.data.report_month:
            canv.drawRightString(PAGE_WIDTH - MARGIN_RIGHT, top, self.data.report_month)
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.5)
        canv.line(MARGIN_LEFT, top - 4, PAGE_WIDTH - MARGIN_RIGHT, top - 4)
        bottom = 17 * mm
        canv.line(MARGIN_LEFT, bottom + 9, PAGE_WIDTH - MARGIN_RIGHT, bottom + 9)
        canv.drawString(MARGIN_LEFT, bottom, self.data.inspectorate)
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
        if self.data.final:
            return
        canv.saveState()
        canv.setFont(BOLD, 120)
        canv.setFillColor(WATERMARK)
        canv.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
        canv.rotate(52)
        canv.drawCentredString(0, -42, "DRAFT")
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


def _numbered_canvas(counter: _PageCount) -> Callable[..., Canvas]:
    """A canvas class that writes "Page x of y" on every page, y being the count the previous
    pass ended with (multiBuild repeats until that is stable)."""

    class NumberedCanvas(Canvas):
        def showPage(self) -> None:
            total = counter.pages
            label = f"Page {self.getPageNumber()}"
            if total:
                label += f" of {total}"
            self.saveState()
            self.setFont(REGULAR, 7.5)
            self.setFillColor(MUTED)
            self.drawRightString(PAGE_WIDTH - MARGIN_RIGHT, 17 * mm, label)
            self.restoreState()
            super().showPage()

    return NumberedCanvas


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
        escape(text),
        style or (styles.h1 if level == 0 else styles.h2),
        _Entry(key, text, level, in_contents and level == 0),
    )


# --- the story --------------------------------------------------------------------------------


def build_story(data: ReportData, styles: Styles) -> list[Flowable]:
    """Every flowable of the report, in reading order."""
    story: list[Flowable] = []
    story += _cover(data, styles)
    story += [NextPageTemplate("body"), PageBreak()]
    story += _contents(styles)
    front: list[Callable[[ReportData, Styles], list[Flowable]]] = [
        _foreword,
        _summary,
        _recommendations,
        _scoring_summary,
    ]
    for make in front:
        part = make(data, styles)
        if part:
            story += [PageBreak(), *part]
    for chapter in data.chapters:
        story += [PageBreak(), *_chapter(chapter, data, styles)]
    for make in (
        _appendix_scores,
        _appendix_profile,
        _appendix_arrangements,
        _appendix_scoring,
        _appendix_glossary,
    ):
        story += [PageBreak(), *make(data, styles)]
    return story


def _cover(data: ReportData, styles: Styles) -> list[Flowable]:
    flowables: list[Flowable] = [
        _Anchor(_Entry("cover", "Cover", in_contents=False)),
        Spacer(1, 6 * mm),
        Paragraph(escape(data.inspectorate), styles.cover_org),
        Spacer(1, 80 * mm),
        Paragraph(escape(data.title), styles.cover_title),
        _Rule(FRAME_WIDTH * 0.35, NAVY, 1.6, space=12),
        Paragraph(escape(prose.byline(data)), styles.cover_sub),
        Paragraph(escape(data.report_month), styles.cover_sub),
    ]
    if data.series_statement:
        series = f"This inspection was {data.series_statement}."
        flowables += [Spacer(1, 6 * mm), Paragraph(escape(series), styles.cover_sub)]
    if not data.final:
        draft = ParagraphStyle("CoverDraft", parent=styles.note, fontName=BOLD)
        flowables += [Spacer(1, 12 * mm), Paragraph(escape(prose.draft_notice()), draft)]
    if data.copyright_line:
        flowables += [Spacer(1, 12 * mm), Paragraph(escape(data.copyright_line), styles.note)]
    return flowables


def _contents(styles: Styles) -> list[Flowable]:
    toc = TableOfContents(dotsMinLevel=0, rightColumnWidth=40)
    toc.levelStyles = [styles.toc]
    return [heading("Contents", styles, "contents", in_contents=False), toc]


def _foreword(data: ReportData, styles: Styles) -> list[Flowable]:
    if not data.foreword:
        return []
    flowables: list[Flowable] = [heading(prose.FOREWORD, styles, "foreword")]
    flowables += [_para(p, styles.body) for p in data.foreword]
    flowables += [
        Spacer(1, 10),
        Paragraph(f"<b>{escape(data.chief_inspector)}</b>", styles.signature),
        Paragraph(escape(data.chief_inspector_title), styles.signature),
        Paragraph(escape(data.report_month), styles.signature),
    ]
    return flowables


def _summary(data: ReportData, styles: Styles) -> list[Flowable]:
    flowables: list[Flowable] = [heading(prose.SUMMARY, styles, "summary")]
    if data.judgement_sentence:
        flowables.append(_para(data.judgement_sentence, styles.lead))
    flowables.append(_para(prose.summary_context(data), styles.body))
    if data.summary_proposed:
        flowables.append(_para(prose.proposed_note(), styles.note))
    for intro, bullets in (
        (STRENGTHS_INTRO, data.strength_bullets),
        (CONCERNS_INTRO, data.concern_bullets),
    ):
        if bullets:
            flowables += [Paragraph(escape(intro), styles.intro), _bullets(bullets, styles)]
    if data.disputed and not data.final:
        flowables.append(_para(prose.disputed_note(), styles.note))
    return flowables


def _recommendations(data: ReportData, styles: Styles) -> list[Flowable]:
    if not data.recommendations:
        return []
    items = [
        ListItem(_para(text, styles.bullet), value=number)
        for number, text in enumerate(data.recommendations, start=1)
    ]
    return [
        heading(prose.RECOMMENDATIONS, styles, "recommendations"),
        _para(prose.recommendations_intro(data), styles.body),
        ListFlowable(
            items,
            bulletType="1",
            bulletFormat="%s.",
            bulletFontName=BOLD,
            bulletFontSize=9.5,
            bulletColor=NAVY,
            leftIndent=20,
            bulletDedent=20,
        ),
    ]


def _scoring_summary(data: ReportData, styles: Styles) -> list[Flowable]:
    head = [
        _cell("Area", styles.cell_head),
        _cell("Judgements", styles.cell_head_right),
        _cell("Sufficient", styles.cell_head_right),
        _cell("Per cent", styles.cell_head_right),
        _cell("In words", styles.cell_head),
    ]
    rows: list[list[Flowable]] = [head]
    for chapter in data.chapters:
        title = f"{chapter.number}  {chapter.title}{_dagger(chapter.disputed, data)}"
        rows.append(
            [
                _cell(title, styles.cell),
                _cell(str(chapter.denominator), styles.cell_right),
                _cell(str(chapter.sufficient), styles.cell_right),
                _cell(percent_text(chapter.percent), styles.cell_right),
                _cell(chapter.words or "–", styles.cell),
            ]
        )
    rows.append(
        [
            _cell("All areas", styles.cell_bold),
            _cell(str(data.overall_denominator), styles.cell_bold_right),
            _cell(str(data.overall_sufficient), styles.cell_bold_right),
            _cell(percent_text(data.overall_percent), styles.cell_bold_right),
            _cell(data.overall_words or "–", styles.cell_bold),
        ]
    )
    table = Table(rows, colWidths=_widths([0.40, 0.13, 0.13, 0.11, 0.23]), repeatRows=1)
    table.hAlign = "LEFT"
    table.setStyle(_table_style(total_row=True))
    bars = [Bar(f"{c.number}  {_short(c.title)}", c.percent, c.denominator) for c in data.chapters]
    chart = bar_chart(
        bars,
        FRAME_WIDTH,
        reference=data.overall_percent,
        reference_label=f"All areas {percent_text(data.overall_percent)}",
        label_width=150,
    )
    return [
        heading(prose.SCORING_SUMMARY, styles, "scoring-summary"),
        _para(prose.scoring_summary_intro(), styles.body),
        Spacer(1, 4),
        table,
        Spacer(1, 16),
        KeepTogether([chart, Paragraph(escape(prose.areas_caption()), styles.caption)]),
    ]


def _chapter(chapter: Chapter, data: ReportData, styles: Styles) -> list[Flowable]:
    flowables: list[Flowable] = [
        Paragraph(f"CHAPTER {chapter.number}", styles.kicker),
        _Heading(
            escape(chapter.title),
            styles.h1,
            _Entry(chapter.key, prose.chapter_heading(chapter.number, chapter.title)),
        ),
    ]
    if chapter.criterion:
        flowables.append(_para(prose.criterion_line(chapter.criterion), styles.criterion))
    flowables.append(_key_figure(chapter, data, styles))
    flowables += [_para(p, styles.body) for p in chapter.commentary]
    bars = [Bar(f"{q.code} ({q.denominator})", q.percent, q.denominator) for q in chapter.questions]
    chart = bar_chart(
        bars,
        FRAME_WIDTH,
        reference=chapter.percent,
        reference_label=f"Area {percent_text(chapter.percent)}",
    )
    caption_text = prose.chapter_caption(chapter.number, chapter.title)
    caption = Paragraph(escape(caption_text), styles.caption)
    flowables.append(KeepTogether([Spacer(1, 4), chart, caption]))
    flowables.append(Paragraph(prose.FINDINGS, styles.h2))
    for question in chapter.questions:
        flowables.append(
            Paragraph(
                escape(question.finding) + _dagger(question.disputed, data),
                styles.finding,
                bulletText=question.code,
            )
        )
    return flowables


def _key_figure(chapter: Chapter, data: ReportData, styles: Styles) -> Flowable:
    style = styles.figure if chapter.denominator >= 5 else styles.figure_small
    figure = Paragraph(escape(chapter.figure), style)
    text = _para(chapter.overview + _dagger(chapter.disputed, data), styles.key_text)
    table = Table([[figure, text]], colWidths=[32 * mm, FRAME_WIDTH - 32 * mm])
    table.hAlign = "LEFT"
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), TINT),
                ("LINEBEFORE", (0, 0), (0, 0), 2.5, NAVY),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 10),
                ("RIGHTPADDING", (0, 0), (-1, -1), 10),
                ("TOPPADDING", (0, 0), (-1, -1), 9),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 10),
            ]
        )
    )
    return KeepTogether([table, Spacer(1, 10)])


# --- appendices -------------------------------------------------------------------------------


def _appendix_scores(data: ReportData, styles: Styles) -> list[Flowable]:
    flowables: list[Flowable] = [
        heading(prose.APPENDIX_SCORES, styles, "appendix-1"),
        _para(prose.scores_intro(), styles.body),
    ]
    head = [
        _cell("Code", styles.cell_head),
        _cell("Question", styles.cell_head),
        _cell("Yes", styles.cell_head_right),
        _cell("No", styles.cell_head_right),
        _cell("N/A", styles.cell_head_right),
        _cell("Not answered", styles.cell_head_right),
        _cell("Sufficient", styles.cell_head_right),
        _cell("Judged", styles.cell_head_right),
        _cell("%", styles.cell_head_right),
    ]
    widths = [30, 0, 24, 24, 26, 50, 46, 34, 26]
    widths[1] = FRAME_WIDTH - sum(widths)
    for chapter in data.chapters:
        rows: list[list[Flowable]] = [head]
        for q in chapter.questions:
            mark = f" {prose.REVERSED_MARK}" if q.reversed else ""
            rows.append(
                [
                    _cell(q.code, styles.cell),
                    _cell(q.text + mark + _dagger(q.disputed, data), styles.cell),
                    _cell(str(q.yes), styles.cell_right),
                    _cell(str(q.no), styles.cell_right),
                    _cell(str(q.na), styles.cell_right),
                    _cell(str(q.unanswered), styles.cell_right),
                    _cell(str(q.sufficient), styles.cell_right),
                    _cell(str(q.denominator), styles.cell_right),
                    _cell(percent_text(q.percent).rstrip("%"), styles.cell_right),
                ]
            )
        table = Table(rows, colWidths=widths, repeatRows=1)
        table.hAlign = "LEFT"
        table.setStyle(_table_style())
        title = prose.chapter_heading(chapter.number, chapter.title)
        entry = _Entry(f"appendix-1-{chapter.number}", title, level=1, in_contents=False)
        # The heading is not kept with the whole table (that would push a long table to the
        # next page and leave a gap); CondPageBreak keeps it with the first rows instead.
        flowables += [CondPageBreak(60 * mm), _Heading(escape(title), styles.h2_loose, entry)]
        flowables.append(table)
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
    grid.hAlign = "LEFT"
    grid.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 18),
            ]
        )
    )
    return [
        heading(prose.APPENDIX_SAMPLE, styles, "appendix-2"),
        _para(prose.sample_intro(data), styles.body),
        grid,
    ]


def _profile_table(table: ProfileTable, styles: Styles) -> Table:
    half = (FRAME_WIDTH - 16) / 2
    rows: list[list[Flowable]] = [
        [
            _cell(table.title, styles.cell_head),
            _cell("Cases", styles.cell_head_right),
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
    result = Table(rows, colWidths=[half - 80, 44, 36])
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
    facts.hAlign = "LEFT"
    facts.setStyle(_table_style(header=False))
    team_rows: list[list[Flowable]] = [
        [_cell("Name", styles.cell_head), _cell("Role", styles.cell_head)]
    ]
    team_rows += [[_cell(m.name, styles.cell), _cell(m.role, styles.cell)] for m in data.team]
    team = Table(team_rows, colWidths=_widths([0.42, 0.58]), repeatRows=1)
    team.hAlign = "LEFT"
    team.setStyle(_table_style())
    return [
        heading(prose.APPENDIX_ARRANGEMENTS, styles, "appendix-3"),
        _para(prose.arrangements_intro(data), styles.body),
        facts,
        Paragraph(prose.TEAM, styles.h2),
        team,
    ]


def _override_facts(data: ReportData) -> list[tuple[str, str]]:
    """Why a final report was marked final with cases not complete, if it was."""
    return override_facts(data.cases_complete, data.sample_size, data.override_reason)


def _appendix_scoring(data: ReportData, styles: Styles) -> list[Flowable]:
    rows: list[list[Flowable]] = [
        [_cell("Printed percentage", styles.cell_head), _cell("Words used", styles.cell_head)]
    ]
    rows += [
        [_cell(share, styles.cell), _cell(words, styles.cell)]
        for share, words in data.wording_table
    ]
    table = Table(rows, colWidths=_widths([0.34, 0.66]), repeatRows=1)
    table.hAlign = "LEFT"
    table.setStyle(_table_style())
    flowables: list[Flowable] = [heading(prose.APPENDIX_SCORING, styles, "appendix-4")]
    flowables += [_para(p, styles.body) for p in data.scoring_approach]
    flowables += [Paragraph(prose.WORDING_TABLE, styles.h2), table]
    return flowables


def _appendix_glossary(data: ReportData, styles: Styles) -> list[Flowable]:
    rows = [
        [_cell(term, styles.term), _cell(meaning, styles.meaning)]
        for term, meaning in data.glossary
    ]
    table = Table(rows, colWidths=_widths([0.22, 0.78]))
    table.hAlign = "LEFT"
    table.setStyle(_table_style(header=False))
    return [heading(prose.APPENDIX_GLOSSARY, styles, "appendix-5"), table]


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
            f'<font name="{OBLIQUE}" color="{PLACEHOLDER.hexval()}">{escape(text)}</font>',
            style,
        )
    return Paragraph(escape(text), style)


def _cell(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text), style)


def _bullets(lines: Iterable[str], styles: Styles) -> ListFlowable:
    return ListFlowable(
        [ListItem(_para(line, styles.bullet)) for line in lines],
        bulletType="bullet",
        start="•",
        bulletFontName=REGULAR,
        bulletFontSize=9.5,
        bulletColor=NAVY,
        leftIndent=16,
        bulletDedent=12,
        spaceAfter=6,
    )


def _dagger(disputed: bool, data: ReportData) -> str:
    return f" {prose.DISPUTED_MARK}" if disputed and not data.final else ""


def _short(title: str, limit: int = 26) -> str:
    return title if len(title) <= limit else title[: limit - 1].rstrip() + "…"


def _widths(shares: Sequence[float]) -> list[float]:
    return [FRAME_WIDTH * s for s in shares]


def _table_style(*, header: bool = True, total_row: bool = False) -> TableStyle:
    commands: list[tuple] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3.2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3.6),
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


__all__ = ["build_story", "make_styles", "render_pdf"]
