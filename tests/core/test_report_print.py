"""The PDF report to print and accessibility standards: type sizes read back from the PDF, the
measure of running text, an unnumbered cover, a watermark that is a shape rather than text,
embedded fonts only, curly quotes, tables that carry their header and a "(continued)" heading
over a page break, chart figures clear of the reference line, and dates from the data."""

from __future__ import annotations

import io
import math
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject, IndirectObject

from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.findings.figures import compute_findings
from inspector_app.core.narrative import parts as nv
from inspector_app.core.report.charts import Bar, bar_chart
from inspector_app.core.report.data import ReportData, ReportSettings, build_report_data
from inspector_app.core.report.pdf import render_pdf
from tests.report_helpers import merged_demo

FOREWORD = (
    "The service's staff told us they were \"proud\" of their work with the region's courts; "
    "one manager called it 'the best year we've had'.\n\n"
    "Inspectors' findings are set out in the chapters that follow."
)
SETTINGS = ReportSettings(chief_inspector="Alex Morgan")
BASE_14 = {
    "Courier",
    "Courier-Bold",
    "Courier-BoldOblique",
    "Courier-Oblique",
    "Helvetica",
    "Helvetica-Bold",
    "Helvetica-BoldOblique",
    "Helvetica-Oblique",
    "Symbol",
    "Times-Bold",
    "Times-BoldItalic",
    "Times-Italic",
    "Times-Roman",
    "ZapfDingbats",
}


@dataclass(frozen=True)
class Run:
    """One line of text as the PDF sets it: its text, font and effective size in points."""

    text: str
    font: str
    size: float


@dataclass(frozen=True)
class Rendered:
    data: ReportData
    pdf: bytes
    pages: tuple[str, ...]
    runs: tuple[tuple[Run, ...], ...]

    @property
    def text(self) -> str:
        return " ".join(" ".join(page.split()) for page in self.pages)


def read_runs(pdf: bytes) -> tuple[tuple[str, ...], tuple[tuple[Run, ...], ...]]:
    """Every page's extracted text, and its lines with the size each is set at (the Tf size
    scaled by the text and graphics matrices)."""
    reader = PdfReader(io.BytesIO(pdf))
    pages, runs = [], []
    for page in reader.pages:
        found: list[Run] = []
        pages.append(page.extract_text(visitor_text=collector(found)))
        runs.append(tuple(found))
    return tuple(pages), tuple(runs)


def collector(found: list[Run]) -> Callable[..., None]:
    """A pypdf text visitor that appends each line it is shown to `found`."""

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        text = " ".join(text.split())
        if not text or not isinstance(font, DictionaryObject):
            return
        a, b, c, d = (
            tm[0] * cm[0] + tm[1] * cm[2],
            tm[0] * cm[1] + tm[1] * cm[3],
            tm[2] * cm[0] + tm[3] * cm[2],
            tm[2] * cm[1] + tm[3] * cm[3],
        )
        scale = math.sqrt(abs(a * d - b * c))
        found.append(Run(text, str(font.get("/BaseFont", "")), size * scale))

    return visit


def render(data: ReportData) -> Rendered:
    pdf = render_pdf(data)
    pages, runs = read_runs(pdf)
    return Rendered(data, pdf, pages, runs)


@pytest.fixture(scope="module")
def draft(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    """A merged 60-case demo with a foreword full of quotes and apostrophes, as a draft."""
    demo = merged_demo(tmp_path_factory.mktemp("print-demo"))
    with InspectionFile.open(demo.master) as file:
        nv.refresh_proposals(file, compute_findings(file))
        nv.set_text(file, nv.JUDGEMENT, "good")
        nv.set_text(file, nv.FOREWORD, FOREWORD)
        nv.set_text(file, nv.REPORT_DATE, "2027-02")
        nv.add_item(file, nv.RECOMMENDATIONS, "Assess risk of harm accurately and promptly.")
        data = build_report_data(file, settings=SETTINGS)
    assert not data.final
    return render(data)


STRAIGHT = str.maketrans("\u2018\u2019\u201c\u201d", "''\"\"")


def runs_of(rendered: Rendered, texts: list[str]) -> list[Run]:
    """The lines that belong to the given paragraphs (each line a piece of one of them)."""
    wanted = [" ".join(t.translate(STRAIGHT).split()) for t in texts]
    return [
        run
        for page in rendered.runs
        for run in page
        if len(run.text) >= 12
        and any(run.text.translate(STRAIGHT) in paragraph for paragraph in wanted)
    ]


# --- type sizes and the measure -------------------------------------------------------------------


def test_body_text_is_at_least_10_5_pt(draft: Rendered) -> None:
    body = [*draft.data.foreword, *draft.data.scoring_approach]
    runs = runs_of(draft, body)
    assert len(runs) >= 10
    assert min(run.size for run in runs) >= 10.5, sorted({run.size for run in runs})


def test_running_text_is_at_most_80_characters_a_line(draft: Rendered) -> None:
    runs = runs_of(draft, list(draft.data.scoring_approach))
    lengths = [len(run.text) for run in runs]
    assert len(lengths) >= 10
    assert max(lengths) <= 80, max(lengths)
    assert max(lengths) >= 55  # a full line, not a narrow column


def test_table_text_is_at_least_9_pt(draft: Rendered) -> None:
    questions = [q.text for chapter in draft.data.chapters for q in chapter.questions]
    runs = runs_of(draft, questions)
    assert len(runs) >= 40
    headers = [
        run
        for page in draft.runs
        for run in page
        if run.text in ("Sufficient", "Judged", "Printed percentage", "Words used")
    ]
    assert len(headers) >= 4
    sizes = [run.size for run in runs + headers]
    assert min(sizes) >= 9, sorted(set(sizes))


CHART_TEXT = re.compile(
    r"^(\d+%|[A-G][0-9.]+ \(\d+\)|(This chapter|Criterion|All the work) \d+%|no cases)$"
)


def test_chart_text_in_the_pdf_is_at_least_8_pt(draft: Rendered) -> None:
    runs = [run for page in draft.runs for run in page if CHART_TEXT.match(run.text)]
    assert {"0%", "100%"} <= {run.text for run in runs}  # the value axes
    assert any(run.text.startswith("Criterion ") for run in runs)  # a reference label
    assert min(run.size for run in runs) >= 8, sorted({run.size for run in runs})


def shapes(node: object, matrix: tuple[float, ...] = (1, 0, 0, 1, 0, 0)) -> Iterator[tuple]:
    """Every primitive shape of a drawing (charts and labels drawn out) with the transform
    that places it."""
    from reportlab.graphics.shapes import Group, UserNode, mmult

    if isinstance(node, UserNode):
        yield from shapes(node.provideNode(), matrix)
    elif isinstance(node, Group):
        here = mmult(matrix, tuple(node.transform))
        for child in node.contents:
            yield from shapes(child, here)
    else:
        yield node, matrix


def chart_strings(drawing: object) -> list[tuple[object, float, float, float]]:
    """(String, left x, right x, baseline y) of every string in a chart, in drawing units."""
    from reportlab.graphics.shapes import String
    from reportlab.pdfbase.pdfmetrics import stringWidth

    placed = []
    for shape, (a, _b, _c, d, e, f) in shapes(drawing):
        if not isinstance(shape, String):
            continue
        width = stringWidth(shape.text, shape.fontName, shape.fontSize)
        anchor = {"start": 0, "middle": 0.5, "end": 1}.get(shape.textAnchor, 0)
        left = e + a * (shape.x - anchor * width)
        placed.append((shape, left, left + a * width, f + d * shape.y))
    return placed


def contrast_on_white(color: object) -> float:
    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.03928 else ((channel + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(getattr(color, name)) for name in ("red", "green", "blue"))
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    return 1.05 / (luminance + 0.05)


def test_chart_text_is_large_dark_and_in_the_embedded_font() -> None:
    bars = [Bar("B1.1 (72)", 88, 72), Bar("B1.2 (3)", 33, 3), Bar("B1.3 (0)", None, 0)]
    drawing = bar_chart(bars, 460, reference=70, reference_label="Area 70%")
    strings = chart_strings(drawing)
    texts = {s.text for s, *_ in strings}
    assert {"B1.1 (72)", "88%", "33%", "0%", "100%", "Area 70%"} <= texts
    for string, *_ in strings:
        assert string.fontSize >= 8, (string.text, string.fontSize)
        assert string.fontName.startswith("DejaVuSans"), (string.text, string.fontName)
        assert contrast_on_white(string.fillColor) >= 4.5, string.text
    assert getattr(drawing, "initialFontName", "Helvetica").startswith("DejaVuSans")


@pytest.mark.parametrize("reference", [50, 52, 54, 56, 58, 60, 61, 63, 100])
def test_chart_figures_never_sit_on_the_reference_line(reference: int) -> None:
    percents = [48, 50, 51, 53, 55, 57, 59, 60, 62, 99, None]
    bars = [Bar(f"Q{n} (20)", p, 20) for n, p in enumerate(percents)]
    drawing = bar_chart(bars, 460, reference=reference, reference_label="This chapter")
    from reportlab.graphics.shapes import Line

    lines = [(shape, m) for shape, m in shapes(drawing) if isinstance(shape, Line)]
    dashed = [(s, m) for s, m in lines if s.strokeDashArray]
    assert len(dashed) == 1
    line, matrix = dashed[0]
    x = matrix[4] + matrix[0] * line.x1
    low, high = sorted((line.y1, line.y2))
    figures = [
        (s, left, right, y)
        for s, left, right, y in chart_strings(drawing)
        if re.fullmatch(r"\d+%|no cases", s.text) and low <= y <= high
    ]
    assert len(figures) == len(percents)
    for string, left, right, _y in figures:
        assert not (left - 1 <= x <= right + 1), (string.text, left, right, x)


# --- the cover, the watermark, the fonts -----------------------------------------------------------


def test_the_cover_is_not_numbered_and_the_rest_are(draft: Rendered) -> None:
    total = len(draft.pages)
    assert "Page " not in draft.pages[0]
    for number, page in enumerate(draft.pages[1:], start=2):
        assert f"Page {number} of {total}" in page


def draft_letters(text: str) -> bool:
    """True if the letters of DRAFT appear in order, however extraction spaces them out."""
    squeezed = re.sub(r"\s+", "", text)
    return "DRAFT" in squeezed or bool(re.search(r"FT\s*RA\s*D|D\s*R\s*A\s*F\s*T", text))


def test_the_watermark_is_seen_but_is_no_text(draft: Rendered, tmp_path: Path) -> None:
    cover, *rest = draft.pages
    # The cover's draft notice is text, and says so; the watermark adds nothing to it.
    assert cover.count("DRAFT") == 1 and "DRAFT for the Chief Inspector" in cover
    assert not draft_letters(cover.replace("DRAFT for the Chief Inspector", ""))
    for page in rest:
        assert not draft_letters(page), page[:200]
    assert "FT RA D" not in draft.text
    if shutil.which("pdftoppm") is None:
        pytest.skip("needs poppler's pdftoppm to see the watermark")
    final = render_pdf(replace(draft.data, final=True, marking="OFFICIAL"))
    seen = pale_pixels(draft.pdf, 3, tmp_path) - pale_pixels(final, 3, tmp_path)
    assert seen > 1500, seen  # the draft's page is the final's with the watermark


def pale_pixels(pdf: bytes, page: int, folder: Path) -> int:
    """Pixels in a pale neutral grey (a watermark's) on a page rendered at 40 dpi."""
    from PIL import Image

    path = folder / "report.pdf"
    path.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", "-f", str(page), "-l", str(page), path, folder / "p"],
        check=True,
    )
    (png,) = folder.glob("p*.png")
    image = Image.open(png).convert("RGB")
    png.unlink()
    colours = image.getcolors(maxcolors=image.width * image.height) or []
    return sum(
        n for n, rgb in colours if min(rgb) >= 215 and max(rgb) <= 245 and max(rgb) - min(rgb) <= 12
    )


def font_objects(pdf: bytes) -> list[DictionaryObject]:
    """Every font dictionary in the file, wherever it is referenced from."""
    reader = PdfReader(io.BytesIO(pdf))
    fonts = []
    for number in range(1, reader.trailer["/Size"]):
        obj = reader.get_object(IndirectObject(number, 0, reader))
        if isinstance(obj, DictionaryObject) and obj.get("/Type") == "/Font":
            fonts.append(obj)
    return fonts


def test_every_font_is_embedded_and_no_base_14_font_is_referenced(draft: Rendered) -> None:
    fonts = font_objects(draft.pdf)
    names = [str(font["/BaseFont"]).lstrip("/") for font in fonts]
    assert len(fonts) >= 3
    for font, name in zip(fonts, names, strict=True):
        assert name.split("+")[-1] not in BASE_14, name
        descriptor = font["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor, name  # embedded TrueType
        assert re.fullmatch(r"[A-Z]{6}\+DejaVuSans(-Bold|-Oblique)?", name), name
    tags = [name.split("+")[0] for name in names]
    assert len(set(tags)) == len(tags), tags  # a distinct subset tag for each subset


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="needs poppler's pdffonts")
def test_pdffonts_lists_only_embedded_fonts(draft: Rendered, tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(draft.pdf)
    listing = subprocess.run(
        ["pdffonts", path], check=True, capture_output=True, text=True
    ).stdout.splitlines()[2:]
    assert listing
    for line in listing:
        name, *_, embedded, _subset, _unicode, _obj, _gen = line.split()
        assert embedded == "yes", line
        assert name.split("+")[-1] not in BASE_14, line


# --- typography -----------------------------------------------------------------------------------


def test_smart_quotes() -> None:
    from inspector_app.core.report.typography import smart_quotes

    assert smart_quotes("the service's staff") == "the service\u2019s staff"
    assert smart_quotes('they were "proud" of it') == "they were \u201cproud\u201d of it"
    assert smart_quotes("(or 'almost all')") == "(or \u2018almost all\u2019)"
    assert smart_quotes("inspectors' findings") == "inspectors\u2019 findings"
    assert smart_quotes('"Quoted," she said.') == "\u201cQuoted,\u201d she said."
    assert smart_quotes("it's 'the best year we've had'.") == (
        "it\u2019s \u2018the best year we\u2019ve had\u2019."
    )
    assert smart_quotes("<real> & 'x'") == "<real> & \u2018x\u2019"  # no markup is made
    assert smart_quotes("no quotes at all") == "no quotes at all"


def test_quotes_and_apostrophes_are_curly(draft: Rendered) -> None:
    text = draft.text
    assert "The service\u2019s staff" in text
    assert "\u201cproud\u201d" in text and "\u2018the best year we\u2019ve had\u2019" in text
    assert "Inspectors\u2019 findings" in text
    assert "Children\u2019s Services" in text  # from the framework's findings
    assert "'" not in text and '"' not in text


def test_a_table_over_a_page_repeats_its_header_under_a_continued_heading(
    draft: Rendered,
) -> None:
    rows = tuple((f"{n}% to {n}%", f"the words for {n} per cent") for n in range(90))
    long = render(replace(draft.data, wording_table=rows))
    heading = "The house-style wording table"
    pages = [" ".join(page.split()) for page in long.pages]
    first = next(i for i, page in enumerate(pages) if f"{heading} Printed percentage" in page)
    continued = [page for page in pages if f"{heading} (continued)" in page]
    assert continued, "the table did not go on under a continued heading"
    assert f"{heading} (continued)" not in pages[first]
    for page in continued:
        assert f"{heading} (continued) Printed percentage Words used" in page
    for n in range(90):
        assert f"{n}% to {n}% the words for {n} per cent" in long.text  # no row lost


# --- dates and determinism ------------------------------------------------------------------------


def test_same_data_same_bytes_dated_by_the_report(draft: Rendered) -> None:
    again = render_pdf(draft.data)
    assert again == draft.pdf
    meta = PdfReader(io.BytesIO(draft.pdf)).metadata
    assert meta is not None
    february = datetime(2027, 2, 1, tzinfo=UTC)
    assert meta.creation_date == february
    assert meta.modification_date == february
    later = replace(draft.data, report_month="March 2027")
    assert PdfReader(io.BytesIO(render_pdf(later))).metadata.creation_date == datetime(
        2027, 3, 1, tzinfo=UTC
    )
