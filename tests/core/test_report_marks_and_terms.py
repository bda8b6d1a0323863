"""The report's marks and words, alike in the PDF and the Word draft, on a lead's demo with two
open conflicts: every table that names a disputed figure marks it †, in the Word draft as in
the PDF (the scoring summary, and the ratings tables of a framework that rates); a chapter's
key figure given as a count is read once in the Word draft, not twice; and under the 2018
standards the scoring summary and the charts call their criteria standards, as the rest of that
report does, while the 2013 report keeps its criteria."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path

import docx
import pytest
from docx.document import Document
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.table import Table
from pypdf import PdfReader

from inspector_app.core.demo import create_lead_demo
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.report.data import ReportData, build_report_data
from inspector_app.core.report.docx import render_docx
from inspector_app.core.report.pdf import render_pdf

DAGGER = "†"
SUMMARY_TABLE = "Judgements and work judged sufficient"
KEY_QUESTIONS_TABLE = "scores and ratings"
SCORES_TABLE = "the answers and the score for every question"


@dataclass(frozen=True)
class Rendered:
    """A report's data with its PDF's text and its Word draft, both as printed."""

    data: ReportData
    pdf_text: str
    document: Document
    docx_xml: str

    @property
    def docx_text(self) -> str:
        lines = [p.text for p in self.document.paragraphs]
        lines += [c.text for t in self.document.tables for r in t.rows for c in r.cells]
        return _flat(" ".join(lines))


def _flat(text: str) -> str:
    """Extracted text with its line breaks and runs of spaces as single spaces."""
    return " ".join(text.replace("\u00a0", " ").split())


def _render(master: Path) -> Rendered:
    with InspectionFile.open(master, readonly=True) as file:
        data = build_report_data(file, include_in_progress=True)
    pdf = PdfReader(io.BytesIO(render_pdf(data)))
    word = render_docx(data)
    with zipfile.ZipFile(io.BytesIO(word)) as package:
        xml = package.read("word/document.xml").decode("utf-8")
    return Rendered(
        data,
        _flat(" ".join(page.extract_text() for page in pdf.pages)),
        docx.Document(io.BytesIO(word)),
        xml,
    )


@pytest.fixture(scope="module")
def report_2013(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    """The 2013 programme's demo as the lead has it mid-inspection: two open conflicts."""
    folder = tmp_path_factory.mktemp("marks-2013")
    return _render(create_lead_demo(folder / "demo").master)


@pytest.fixture(scope="module")
def report_2018(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    """The 2018 standards' demo (a framework that rates), with two open conflicts."""
    folder = tmp_path_factory.mktemp("marks-2018")
    return _render(create_lead_demo(folder / "demo", framework_id="case-supervision-2018").master)


def _tables(document: Document, caption: str) -> list[Table]:
    """The Word draft's tables whose caption (their title for a screen reader) holds `caption`."""
    found = []
    for table in document.tables:
        title = table._tbl.tblPr.find(qn("w:tblCaption"))
        if title is not None and caption in title.get(qn("w:val")):
            found.append(table)
    return found


def _first_cells(table: Table) -> list[str]:
    return [row.cells[0].text for row in table.rows[1:]]


# --- † in the scoring summary ---------------------------------------------------------------


@pytest.mark.parametrize("report", ["report_2013", "report_2018"])
def test_the_word_scoring_summary_marks_what_the_pdf_marks(
    report: str, request: pytest.FixtureRequest
) -> None:
    rendered: Rendered = request.getfixturevalue(report)
    chapters = rendered.data.chapters
    assert any(c.disputed for c in chapters), "the demo's conflicts touch no chapter"
    (table,) = _tables(rendered.document, SUMMARY_TABLE)
    word_rows = _first_cells(table)[: len(chapters)]
    for chapter, word_row in zip(chapters, word_rows, strict=True):
        name = f"{chapter.label} {chapter.title}"
        # The PDF's row as extracted: its name, then its judgements and sufficient counts.
        in_pdf = f"{name} {DAGGER} {chapter.denominator} {chapter.sufficient} " in (
            rendered.pdf_text
        )
        assert in_pdf == chapter.disputed, name
        assert word_row == (f"{name} {DAGGER}" if in_pdf else name)


# --- a count read once ----------------------------------------------------------------------


def test_a_key_figure_given_as_a_count_is_read_once_in_the_word_draft(
    report_2013: Rendered,
) -> None:
    """A chapter's count ("1 of 4") stated in its overview is set large where the overview
    says it, not printed once more before it; a count the overview words otherwise ("none of
    the 4") goes first, as a percentage does."""
    first = report_2013.data.chapters[0]
    stated = replace(
        first,
        sufficient=1,
        denominator=4,
        percent=25,
        overview="In this aspect of the work, 1 of 4 judgements found it sufficient.",
        disputed=False,
    )
    worded = replace(
        report_2013.data.chapters[1],
        sufficient=0,
        denominator=4,
        percent=0,
        overview="In this aspect of the work, none of the 4 judgements found it sufficient.",
        disputed=False,
    )
    data = replace(report_2013.data, chapters=(stated, worded))
    document = docx.Document(io.BytesIO(render_docx(data)))
    (paragraph,) = [p for p in document.paragraphs if stated.overview in p.text]
    assert paragraph.text == stated.overview
    (figure,) = [run for run in paragraph.runs if "1 of 4" in run.text]
    assert figure.text == "1 of 4"  # set large, as the key figure always is
    assert figure.bold and figure.font.size == Pt(16)
    (paragraph,) = [p for p in document.paragraphs if worded.overview in p.text]
    assert paragraph.text == f"0 of 4\u2003{worded.overview}"


# --- † in the ratings tables ------------------------------------------------------------------


def test_the_ratings_tables_mark_a_disputed_key_question(report_2018: Rendered) -> None:
    ratings = report_2018.data.ratings
    assert ratings is not None
    disputed = {q.code for c in report_2018.data.chapters for q in c.questions if q.disputed}
    keys = [k for s in ratings.standards for k in s.key_questions]
    assert disputed & {k.code for k in keys}, "the demo's conflicts touch no key question"
    word_rows = [
        row for table in _tables(report_2018.document, KEY_QUESTIONS_TABLE) for row in table.rows
    ]
    for key in keys:
        mark = f" {DAGGER}" if key.code in disputed else ""
        row = f"{key.label}{mark} {key.sufficient} {key.relevant} {key.percent}% {key.rating}"
        assert row in report_2018.pdf_text, row
        assert row in report_2018.docx_text, row
        (word_row,) = [r for r in word_rows if r.cells[0].text.startswith(key.label)]
        assert word_row.cells[0].text == f"{key.label}{mark}"


# --- the framework's own word for its criteria -------------------------------------------------


def _speaks_of(rendered: Rendered, noun: str, other: str) -> None:
    """The scoring summary, its caption and every chart's dashed line call the criteria
    `noun` ("Standard"), never `other`."""
    (table,) = _tables(rendered.document, SUMMARY_TABLE)
    assert table.rows[0].cells[0].text == noun
    lower = noun.lower()
    assert f"Judgements and work judged sufficient, by {lower}" in rendered.docx_text
    assert f"{noun} Judgements Sufficient Per cent" in rendered.pdf_text
    assert f'descr="Bar chart: work judged sufficient, by {lower}.' in rendered.docx_xml
    for chapter in rendered.data.chapters:
        if chapter.percent is None:
            continue
        line = f"{noun} {chapter.percent}%"
        assert line in rendered.pdf_text, line  # the dashed line's label on its chart
        assert f"Dashed line: {lower} {chapter.percent}% (" in rendered.docx_xml
    assert not re.search(rf"\b{other}\b", rendered.pdf_text + rendered.docx_text)
    assert f"by {other.lower()}." not in rendered.docx_xml


def test_the_2018_scoring_summary_and_charts_speak_of_standards(report_2018: Rendered) -> None:
    _speaks_of(report_2018, "Standard", "Criterion")


def test_the_2013_report_keeps_its_criteria(report_2013: Rendered) -> None:
    _speaks_of(report_2013, "Criterion", "Standard")
    assert "Figure 1: Work judged sufficient, by criterion" in report_2013.pdf_text


def test_the_2018_summary_chart_is_captioned_by_standard(report_2018: Rendered) -> None:
    caption = "Figure 1: Work judged sufficient, by standard (per cent of judgements)"
    assert caption in report_2018.pdf_text
    assert caption in report_2018.docx_text


def test_appendix_1_heads_the_answers_in_the_scales_own_words(report_2018: Rendered) -> None:
    assert "No is the sufficient answer" not in report_2018.pdf_text
    assert "No is the sufficient answer" not in report_2018.docx_text
    for table in _tables(report_2018.document, SCORES_TABLE):
        head = [cell.text for cell in table.rows[0].cells]
        assert head[2:] == ["Sufficient", "Insufficient", "N/A", "Not answered", "Judged", "%"]


def test_appendix_1_keeps_yes_no_and_the_sufficient_column_where_no_can_be_sufficient(
    report_2013: Rendered,
) -> None:
    assert "phrased so that No is the sufficient answer" in report_2013.pdf_text
    for table in _tables(report_2013.document, SCORES_TABLE):
        head = [cell.text for cell in table.rows[0].cells]
        assert head[2:] == ["Yes", "No", "N/A", "Not answered", "Sufficient", "Judged", "%"]


def _chart_names(rendered: Rendered) -> list[str]:
    """Figure 1's category names as the chart draws them, at the report's frame width."""
    from reportlab.graphics.charts.barcharts import HorizontalBarChart

    from inspector_app.core.report.charts import area_bars, bar_chart
    from inspector_app.core.report.pdf import FRAME_WIDTH

    chapters = rendered.data.chapters
    bars = area_bars([(c.label, c.title, c.percent, c.denominator) for c in chapters])
    drawing = bar_chart(bars, FRAME_WIDTH, reference=70)
    (chart,) = [c for c in drawing.contents if isinstance(c, HorizontalBarChart)]
    return list(chart.categoryAxis.categoryNames)


def test_the_summary_chart_names_each_criterion_whole_or_cut_at_a_word(
    report_2018: Rendered, report_2013: Rendered
) -> None:
    """ "2.3 Implementation and delive…" was cut at 26 characters, mid-word."""
    for rendered in (report_2018, report_2013):
        names = _chart_names(rendered)
        for chapter, shown in zip(rendered.data.chapters, names, strict=True):
            whole = f"{chapter.label} {chapter.title}"
            shown = shown.replace("\n", " ")  # a long name takes two lines
            cut = shown.removesuffix("…")
            assert shown == whole or (cut != shown and f"{whole} ".startswith(f"{cut} ")), shown
    assert "2.3 Implementation and delivery" in _chart_names(report_2018)


def test_the_scoring_summary_gives_no_percentage_of_under_five_judgements(
    report_2013: Rendered,
) -> None:
    """The report says a count is given where fewer than five were judged: the scoring
    summary's percentage cell then stays empty (the count is beside it)."""
    first = replace(
        report_2013.data.chapters[0], sufficient=1, denominator=4, percent=25, disputed=False
    )  # undisputed: which figures the demo's open conflicts touch differs from run to run
    data = replace(report_2013.data, chapters=(first, *report_2013.data.chapters[1:]))
    document = docx.Document(io.BytesIO(render_docx(data)))
    (table,) = _tables(document, SUMMARY_TABLE)
    cells = [c.text for c in table.rows[1].cells]
    assert cells[1:4] == ["4", "1", "–"]
    pdf_text = _flat(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(render_pdf(data))).pages)
    )
    assert f"{first.label} {first.title} 4 1 – " in pdf_text


def test_a_long_question_label_takes_two_lines_whole_and_the_rows_make_room() -> None:
    """ "Barriers to engagement identified and…" lost its end to the chart's edge."""
    from reportlab.graphics.charts.barcharts import HorizontalBarChart

    from inspector_app.core.report.charts import ROW, ROW_TWO_LINES, Bar, bar_chart

    long = "Barriers to engagement identified and addressed with the individual (14)"
    short = Bar("Risk assessed (20)", 80, 20)
    drawing = bar_chart([Bar(long, 60, 14), short], 400.0, label_width=200.0)
    (chart,) = [c for c in drawing.contents if isinstance(c, HorizontalBarChart)]
    first, second = chart.categoryAxis.categoryNames
    assert "\n" in first and first.replace("\n", " ") == long  # nothing cut
    assert second == "Risk assessed (20)"
    assert chart.height == 2 * ROW_TWO_LINES > 2 * ROW
    hopeless = "Assessment " * 30 + "(3)"
    (cut,) = next(
        c
        for c in bar_chart([Bar(hopeless, 10, 3)], 300.0, label_width=150.0).contents
        if isinstance(c, HorizontalBarChart)
    ).categoryAxis.categoryNames
    assert cut.count("\n") == 1 and cut.endswith("… (3)")  # two lines, then cut at a word
    # Only the count past the room: it goes down with the last word, never alone.
    words = "Assessment focused on offending and desistance"
    (label,) = next(
        c
        for c in bar_chart(
            [Bar(f"{words} (29)", 52, 29)], 400.0, label_width=10 + _text_width(words) + 1
        ).contents
        if isinstance(c, HorizontalBarChart)
    ).categoryAxis.categoryNames
    assert label == "Assessment focused on offending and\ndesistance (29)"


def _text_width(text: str) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from inspector_app.core.report.charts import LABEL_SIZE
    from inspector_app.core.report.fonts import REGULAR, register_fonts

    register_fonts()
    return stringWidth(text, REGULAR, LABEL_SIZE)


def test_a_single_word_wider_than_the_room_is_cut_to_it() -> None:
    from reportlab.graphics.charts.barcharts import HorizontalBarChart

    from inspector_app.core.report.charts import Bar, bar_chart

    word = "Supercalifragilisticexpialidocious" * 2
    (label,) = next(
        c
        for c in bar_chart([Bar(f"{word} (7)", 40, 7)], 300.0, label_width=90.0).contents
        if isinstance(c, HorizontalBarChart)
    ).categoryAxis.categoryNames
    assert label.endswith("… (7)") and _text_width(label) <= 80.0
