"""The report, the Word draft and the press release of a framework that rates (the 2018 case
supervision standards): each standard's rating in a badge that reads in greyscale print, the
key questions' scores and bands, the overall rating, the lead's adjustment with its
justification, a standard with no relevant cases "Not rated", and the rules stated from the
framework's data."""

from __future__ import annotations

import io
import itertools
import re
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader

from inspector_app.core.cases.case_data import load_cases
from inspector_app.core.cases.team import list_members
from inspector_app.core.demo import create_lead_demo
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.findings.figures import findings_from_cases
from inspector_app.core.findings.ratings import rate
from inspector_app.core.narrative.parts import load_narrative
from inspector_app.core.narrative.rating_overrides import adjust_rating
from inspector_app.core.report.charts import (
    NOT_RATED_FILL,
    RATING_FILLS,
    badge_text_colour,
    contrast_ratio,
    lightness,
    rating_fill,
    relative_luminance,
)
from inspector_app.core.report.data import ReportData, assemble_report_data, build_report_data
from inspector_app.core.report.docx import render_docx
from inspector_app.core.report.pdf import render_pdf
from inspector_app.core.report.press_release import render_press_release
from inspector_app.core.report.settings import load_report_settings

FRAMEWORK = "case-supervision-2018"
ADJUSTED = "2.4"
ADJUSTED_TO = "Inadequate"
JUSTIFICATION = (
    "Reviews rarely followed a change in the risk of harm, which the key question figures do "
    "not show."
)
UNRATED = "2.3"  # made to have no relevant cases


@dataclass(frozen=True)
class Rendered:
    data: ReportData
    pdf_text: str
    docx_text: str
    docx_xml: str
    press: str


def _flat(text: str) -> str:
    """Extracted text with its line breaks and runs of spaces as single spaces."""
    return " ".join(text.replace("\u00a0", " ").split())


def _render(data: ReportData) -> Rendered:
    pdf = PdfReader(io.BytesIO(render_pdf(data)))
    word = render_docx(data)
    document = Document(io.BytesIO(word))
    lines = [p.text for p in document.paragraphs]
    lines += [c.text for t in document.tables for r in t.rows for c in r.cells]
    with zipfile.ZipFile(io.BytesIO(word)) as package:
        xml = package.read("word/document.xml").decode("utf-8")
    return Rendered(
        data,
        _flat(" ".join(page.extract_text() for page in pdf.pages)),
        _flat(" ".join(lines)),
        xml,
        render_press_release(data),
    )


@pytest.fixture(scope="module")
def master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A merged 2018 master, every case complete, with one rating adjusted by the lead."""
    folder = tmp_path_factory.mktemp("case-supervision")
    outcome = create_lead_demo(folder, cases=30, complete=True, framework_id=FRAMEWORK)
    with InspectionFile.open(outcome.master) as file:
        adjust_rating(file, ADJUSTED, ADJUSTED_TO, JUSTIFICATION, author="Helen Ashworth")
    return outcome.master


@pytest.fixture(scope="module")
def rated(master: Path) -> Rendered:
    with InspectionFile.open(master, readonly=True) as file:
        return _render(build_report_data(file))


@pytest.fixture(scope="module")
def unrated(master: Path) -> Rendered:
    """The same master, but with no relevant case for one standard's key questions: the
    figures as the rules would rate them."""
    with InspectionFile.open(master, readonly=True) as file:
        framework = file.framework
        cases = load_cases(file)
        findings = findings_from_cases(framework, cases)
        narrative = load_narrative(file)
        team = [(m.name, m.role) for m in list_members(file)]
        settings = load_report_settings(file)
    assert framework.ratings is not None
    empty = set(next(c for c in framework.criteria() if c.code == UNRATED).questions)
    counts = {
        q.code: replace(q, sufficient=0, insufficient=0) if q.code in empty else q
        for q in findings.questions
    }
    ratings = rate(framework.ratings, framework.criteria(), counts)
    findings = replace(findings, ratings=ratings)
    data = assemble_report_data(
        file.inspection, framework, findings, narrative, cases, team, settings=settings
    )
    return _render(data)


def test_every_standards_rating_and_the_overall_rating_are_printed(rated: Rendered) -> None:
    ratings = rated.data.ratings
    assert ratings is not None and ratings.overall_rating
    assert len(ratings.standards) == 4
    for standard in ratings.standards:
        assert standard.rating
        printed = f"{standard.code} {standard.title}: {standard.rating}"
        assert printed in rated.pdf_text, printed
        assert printed in rated.docx_text, printed
        # Each key question's printed percentage with its counts and band, in both.
        for key in standard.key_questions:
            row = f"{key.label} {key.sufficient} {key.relevant} {key.percent}% {key.rating}"
            assert row in rated.pdf_text, row
            assert row in rated.docx_text, row
    overall = f"Overall rating {ratings.overall_rating}"
    assert overall in rated.pdf_text
    assert f"Overall rating: {ratings.overall_rating}" in rated.docx_text
    score = f"add up to {ratings.overall_score} of a possible {ratings.maximum_score}"
    assert score in rated.pdf_text and score in rated.docx_text


def test_an_adjusted_rating_prints_the_justification_and_what_the_figures_gave(
    rated: Rendered,
) -> None:
    ratings = rated.data.ratings
    assert ratings is not None
    standard = next(s for s in ratings.standards if s.code == ADJUSTED)
    assert standard.rating == ADJUSTED_TO and standard.adjusted_from
    assert standard.adjusted_from != ADJUSTED_TO
    for text in (rated.pdf_text, rated.docx_text):
        assert f"Rating adjusted by the lead inspector: {_flat(JUSTIFICATION)}" in text
        assert f"The rating the figures gave: {standard.adjusted_from}" in text
    # The overall rating follows the adjusted one: it is the band of the adjusted scores.
    assert f"{standard.code} {standard.title}: {ADJUSTED_TO}" in rated.pdf_text


def test_the_press_release_says_how_the_work_was_rated(rated: Rendered) -> None:
    ratings = rated.data.ratings
    assert ratings is not None
    assert re.search(rf"was rated {ratings.overall_rating} overall, said ", rated.press)
    for standard in ratings.standards:
        assert f"{standard.title}: {standard.rating}" in rated.press
    # The 2018 programme's words, not the 2013 programme's.
    headline = next(b for b in rated.press.split("\n\n") if not b.startswith(("DRAFT", "[")))
    assert headline.startswith("Inspection of probation services: ")
    for words in ("adult offending work", "Adult Offending Work", "courts and victims"):
        assert words not in rated.press, words
    assert "’s the " not in rated.press  # "Merseyside’s the supervision of ..."


def test_a_standard_with_no_relevant_cases_reads_not_rated(unrated: Rendered) -> None:
    ratings = unrated.data.ratings
    assert ratings is not None
    standard = next(s for s in ratings.standards if s.code == UNRATED)
    assert standard.rating is None
    for text in (unrated.pdf_text, unrated.docx_text):
        assert "Not rated: no relevant cases" in text
        assert f"{standard.code} {standard.title}: Not rated" in text
        assert f"Not rated overall, because not every standard is rated ({UNRATED})" in text
    assert f"{standard.title}: not rated (no relevant cases)" in unrated.press
    assert " overall, said " not in unrated.press
    assert "supervision of people on probation" in unrated.press


def test_the_rating_rules_are_stated_from_the_framework(master: Path, rated: Rendered) -> None:
    with InspectionFile.open(master, readonly=True) as file:
        rules = file.framework.ratings
    assert rules is not None
    appendix = rated.pdf_text[rated.pdf_text.index("How the ratings are decided") :]
    for band in rules.bands:
        assert f"{band.rating} {band.low}% to {band.high}% {band.score}" in appendix
    for band in rules.overall:
        assert f"{band.rating} {band.low} to {band.high}" in appendix
    assert "lowest key question" in appendix
    docx_appendix = rated.docx_text[rated.docx_text.index("How the ratings are decided") :]
    for band in rules.bands:
        assert f"{band.rating} {band.low}% to {band.high}% {band.score}" in docx_appendix


def test_badge_fills_print_as_clearly_different_greys() -> None:
    """In greyscale print the fills stay apart: CIE L* (the grey a colour prints as) at least
    20 apart and relative luminance at least 0.1 apart, for every pair, the white "Not rated"
    badge included."""
    fills = (*RATING_FILLS, NOT_RATED_FILL)
    for first, second in itertools.combinations(fills, 2):
        assert abs(lightness(first) - lightness(second)) >= 10, (first, second)
    for first, second in itertools.combinations(RATING_FILLS, 2):
        assert abs(lightness(first) - lightness(second)) >= 20, (first, second)
        assert abs(relative_luminance(first) - relative_luminance(second)) >= 0.1


def test_the_words_on_every_badge_meet_wcag_contrast() -> None:
    """Dark words on the light fills, light words on the dark ones, at 4.5:1 or more."""
    for fill in (*RATING_FILLS, NOT_RATED_FILL):
        ink = badge_text_colour(fill)
        assert contrast_ratio(fill, ink) >= 4.5, fill
        dark_fill = relative_luminance(fill) < 0.18
        assert (relative_luminance(ink) > 0.5) == dark_fill, fill


def test_each_rating_has_its_own_fill_in_the_word_draft(rated: Rendered) -> None:
    ratings = rated.data.ratings
    assert ratings is not None
    fills = [rating_fill(rank, len(ratings.scale)) for rank in range(len(ratings.scale))]
    assert len(set(fills)) == len(ratings.scale)  # one fill per rating
    for fill in fills:  # the appendix's band tables shade every rating
        assert f'w:fill="{fill.lstrip("#")}"' in rated.docx_xml


def test_a_framework_that_does_not_rate_has_no_ratings(tmp_path: Path) -> None:
    outcome = create_lead_demo(tmp_path, cases=12, complete=True)
    with InspectionFile.open(outcome.master, readonly=True) as file:
        data = build_report_data(file)
    assert data.ratings is None
    press = render_press_release(data)
    assert " rated " not in press
    assert "The purpose of the inspection is to assess whether the sentence of the court" in press


def test_the_summary_states_the_overall_rating_not_a_free_text_judgement(
    master: Path, rated: Rendered
) -> None:
    """The demo's narrative holds a free-text judgement ("reasonable"); beside an overall
    rating it could contradict it, so a rated report states the rating alone."""
    with InspectionFile.open(master, readonly=True) as file:
        assert load_narrative(file).judgement.strip()
    ratings = rated.data.ratings
    assert ratings is not None
    sentence = f"was rated ‘{ratings.overall_rating}’."
    assert rated.data.judgement_sentence.startswith("Overall, ")
    assert sentence in rated.data.judgement_sentence
    for text in (rated.pdf_text, rated.docx_text):
        assert sentence in text
        assert "was of a reasonable standard" not in text


def test_a_rated_report_needs_no_free_text_judgement_to_be_final(tmp_path: Path) -> None:
    from inspector_app.core.narrative.parts import JUDGEMENT, set_texts
    from inspector_app.core.report.publication_gate import publication_blockers

    outcome = create_lead_demo(tmp_path, cases=12, complete=True, framework_id=FRAMEWORK)
    with InspectionFile.open(outcome.master) as file:
        set_texts(file, {JUDGEMENT: ""})
        assert JUDGEMENT not in {b.code for b in publication_blockers(file)}
