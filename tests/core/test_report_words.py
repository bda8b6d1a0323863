"""The report's words as a reader of inspection reports expects them: "area" means only the
area inspected, and the glossary defines the core terms, the right way round."""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
import pytest

from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.report.data import GLOSSARY, build_report_data
from inspector_app.core.report.docx import render_docx
from tests.report_helpers import merged_demo


@pytest.fixture(scope="module")
def report_text(tmp_path_factory: pytest.TempPathFactory) -> str:
    demo = merged_demo(tmp_path_factory.mktemp("words") / "demo", cases=24)
    with InspectionFile.open(demo.master, readonly=True) as file:
        data = build_report_data(file)
    document = docx.Document(io.BytesIO(render_docx(data)))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_area_names_only_the_area_inspected(report_text: str) -> None:
    for wrong in ("in this area", "by area", "in each area", "An area's", "All areas"):
        assert wrong not in report_text
    assert not re.search(r"^Area$", report_text, re.MULTILINE)  # no column headed "Area"
    assert "aspect of the work" in report_text


def test_the_glossary_defines_the_core_terms() -> None:
    terms = {term for term, _ in GLOSSARY}
    for term in (
        "Accredited programme",
        "Community order",
        "Licence",
        "Likelihood of reoffending",
        "Sentence plan",
        "Suspended sentence order",
        "Victim liaison officer",
        "RoSH",
        "Risk of harm work",
    ):
        assert term in terms
    meaning = dict(GLOSSARY)
    # RoSH is the classification; risk of harm work is what is done about it.
    assert meaning["RoSH"].startswith("Risk of serious harm: the classification")
    assert "protect the public" in meaning["Risk of harm work"]
    assert [t.casefold() for t, _ in GLOSSARY] == sorted(t.casefold() for t, _ in GLOSSARY)


def test_the_glossary_reaches_the_report(report_text: str) -> None:
    assert "Victim liaison officer" in report_text
    assert re.search(r"Risk of harm work\s*The work to protect the public", report_text)


def test_the_word_draft_sets_quotes_as_the_pdf_does(report_text: str) -> None:
    assert "\u2019" in report_text  # "the service’s", "Children’s Services"
    assert "'" not in report_text and '"' not in report_text


def test_no_question_code_before_the_appendix_that_lists_them(tmp_path: Path) -> None:
    """Readers meet questions in words: the text and the charts never print a code such as
    "B2.10"; only Appendix 1, the scores for every question, lists codes for the service's
    own use."""
    from pypdf import PdfReader

    from inspector_app.core.report.pdf import render_pdf

    demo = merged_demo(tmp_path / "demo", cases=24)
    with InspectionFile.open(demo.master, readonly=True) as file:
        pages = [
            p.extract_text()
            for p in PdfReader(io.BytesIO(render_pdf(build_report_data(file)))).pages
        ]
    first_appendix = next(
        i
        for i, page in enumerate(pages)
        if i > 2 and "Appendix 1: Scores for every question" in page
    )
    code = re.compile(r"\b[A-G]\d+(?:\.\d+)?\b")
    for number, page in enumerate(pages[:first_appendix], start=1):
        assert not code.search(page), (number, code.search(page))
    assert code.search(pages[first_appendix])  # the appendix does list them


def test_the_word_draft_names_questions_in_words_before_the_appendix(tmp_path: Path) -> None:
    """Paragraphs and tables in document order, up to Appendix 1: no question code."""
    from docx.oxml.ns import qn

    demo = merged_demo(tmp_path / "demo", cases=24)
    with InspectionFile.open(demo.master, readonly=True) as file:
        document = docx.Document(io.BytesIO(render_docx(build_report_data(file))))
    code = re.compile(r"\b[A-G]\d+(?:\.\d+)?\b")
    seen = 0
    for element in document.element.body.iterchildren():
        text = "".join(t.text or "" for t in element.iter(qn("w:t")))
        if text.startswith("Appendix 1: Scores for every question"):
            break
        assert not code.search(text), text
        seen += 1
    else:
        raise AssertionError("no Appendix 1 in the Word draft")
    assert seen > 100


def test_a_score_reads_done_well_enough(report_text: str) -> None:
    assert re.search(r"\d+%\u2003done well enough\.\u2003", report_text)
