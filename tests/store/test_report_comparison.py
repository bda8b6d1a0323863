"""The report's comparison with the areas inspected to date: when the lead has configured a
store (INSPECTOR_APP_STORE here, or --store), the PDF and the Word draft set the master's scores
beside the lowest, highest and average of the published inspections, each figure equal to
`compare()`'s; the same store content gives the same bytes; a configured store with nothing to
compare with (or one that cannot be read) gives one sentence in place of the table, naming no
password; and with no store configured the report has no comparison at all, whatever the
default store file in the data folder holds."""

from __future__ import annotations

import io
import math
import shutil
from collections.abc import Sequence
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader

from inspector_app.app.reports import DOCX, PDF, build_report, render, write_report
from inspector_app.cli.main import run_cli
from inspector_app.core.demo import create_lead_demo
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.framework import load_builtin
from inspector_app.core.report.data import build_report_data
from inspector_app.core.store.access import init_store, open_store
from inspector_app.core.store.compare import Comparison, ComparisonRow, compare
from inspector_app.core.store.configured import ENVIRONMENT_VARIABLE
from inspector_app.core.store.publish import publish
from tests.store.helpers import read_publication
from tests.store.synthetic import synthetic_publication

SECTION = "Compared with the areas inspected to date"
TABLE_TITLE = "Scores for Merseyside compared with the areas inspected to date"
SHOWN_LEVELS = ("stage", "criterion", "overall")  # the iaow-2013 report's rows


@pytest.fixture(autouse=True)
def _no_store_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test configures the store it means (the user home is already a private one)."""
    monkeypatch.delenv(ENVIRONMENT_VARIABLE, raising=False)


def new_store(folder: Path, masters: Sequence[Path] = ()) -> str:
    """A store file set up by `store init` (not remembered), with `masters` published."""
    address = str(folder / "office-store.sqlite")
    init_store(address, remember_it=False)
    with open_store(address) as store:
        for master in masters:
            publish(store, read_publication(master))
    return address


def compared(address: str, master: Path) -> Comparison:
    with open_store(address) as store:
        return compare(store, read_publication(master))


def half_up(value: float) -> int:
    return math.floor(value + 0.5)


def expected_line(row: ComparisonRow) -> str:
    """A row as the PDF's text reads it: name, lowest, highest, average, this area."""
    if row.level == "overall":
        name = "All the work"
    elif row.level == "stage":
        name = f"{row.code}. {row.title}"
    else:
        name = f"{row.code} {row.title}"
    assert row.lowest is not None and row.highest is not None and row.average is not None
    this = f"{row.sufficient} of {row.denominator}" if row.denominator < 5 else f"{row.percent}%"
    return f"{name} {row.lowest}% {row.highest}% {half_up(row.average)}% {this}"


def pdf_text(payload: bytes) -> str:
    """Every page's text, its white space made single spaces."""
    reader = PdfReader(io.BytesIO(payload))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def docx_paragraphs(payload: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(payload)).paragraphs]


def docx_comparison_rows(payload: bytes) -> list[list[str]]:
    """The rows of the Word draft's comparison table (its header row first)."""
    for table in Document(io.BytesIO(payload)).tables:
        rows = [[cell.text for cell in row.cells] for row in table.rows]
        if rows and rows[0][1:4] == ["Lowest", "Highest", "Average"]:
            return rows
    raise AssertionError("no comparison table in the Word draft")


def write(master: Path, kind: str, out: Path, **options: object) -> bytes:
    """An output written the way the report screen writes it (`write_report`)."""
    written = write_report(master, None, kind, out, **options)  # type: ignore[arg-type]
    assert written.path == out
    return out.read_bytes()


# --- with a configured store ------------------------------------------------------------------


def test_the_pdf_and_the_word_draft_compare_with_the_configured_store(
    demo_masters: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    address = new_store(tmp_path, demo_masters[1:])
    monkeypatch.setenv(ENVIRONMENT_VARIABLE, address)
    expected = compared(address, demo_masters[0])
    assert expected.inspections == 2 and not expected.includes_this
    rows = [row for row in expected.rows if row.level in SHOWN_LEVELS]

    text = pdf_text(write(demo_masters[0], PDF, tmp_path / "report.pdf"))

    assert SECTION in text and TABLE_TITLE in text
    assert "the 2 areas inspected to date with the same framework" in text
    for row in rows:
        assert expected_line(row) in text, expected_line(row)
    assert "1.1.1" not in text.split(TABLE_TITLE, 1)[1].split("Source:", 1)[0]  # no question
    assert f"Source: the store of published inspections at {address}" in text
    assert "framework iaow-2013 version 1.2" in text

    table = docx_comparison_rows(write(demo_masters[0], DOCX, tmp_path / "report.docx"))
    assert table[0] == ["Aspect of the work", "Lowest", "Highest", "Average", "Merseyside"]
    body = [" ".join(cells) for cells in table[1:]]
    ordered = [r for r in rows if r.level != "overall"] + [r for r in rows if r.level == "overall"]
    assert body == [expected_line(row) for row in ordered]  # the whole last, as the total


def test_the_report_data_holds_the_comparison_as_plain_values(
    demo_masters: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    address = new_store(tmp_path, demo_masters)  # this master published too
    monkeypatch.setenv(ENVIRONMENT_VARIABLE, address)
    expected = compared(address, demo_masters[0])

    with InspectionFile.open(demo_masters[0], readonly=True) as master:
        data = build_report(master)

    comparison = data.area_comparison
    assert comparison is not None and comparison.reachable
    assert (comparison.store, comparison.framework_id, comparison.framework_version) == (
        address,
        "iaow-2013",
        "1.2",
    )
    assert comparison.inspections == 3 and comparison.includes_this
    shown = [row for row in expected.rows if row.level in SHOWN_LEVELS]
    assert [(r.level, r.code) for r in comparison.rows] == [(r.level, r.code) for r in shown]
    for row, want in zip(comparison.rows, shown, strict=True):
        assert want.average is not None
        assert (row.percent, row.lowest, row.highest, row.count) == (
            want.percent,
            want.lowest,
            want.highest,
            want.count,
        )
        assert row.average == half_up(want.average)
    assert "password" not in repr(comparison).lower()


def test_the_same_store_content_gives_the_same_bytes(
    demo_masters: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    address = new_store(tmp_path, demo_masters[1:])
    monkeypatch.setenv(ENVIRONMENT_VARIABLE, address)

    first = write(demo_masters[0], PDF, tmp_path / "first.pdf")
    again = write(demo_masters[0], PDF, tmp_path / "again.pdf")
    assert first == again
    assert SECTION in pdf_text(first)
    word = write(demo_masters[0], DOCX, tmp_path / "first.docx")
    assert word == write(demo_masters[0], DOCX, tmp_path / "again.docx")

    with open_store(address) as store:  # more published: the comparison changes with it
        publish(store, read_publication(demo_masters[0]))
    assert write(demo_masters[0], PDF, tmp_path / "after.pdf") != first


def test_a_configured_store_with_nothing_to_compare_prints_one_sentence(
    demo_masters: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    address = new_store(tmp_path)
    monkeypatch.setenv(ENVIRONMENT_VARIABLE, address)
    note = (
        "No inspection made with framework iaow-2013 version 1.2 had been published to the "
        f"store at {address} when this report was made, so the scores are not compared with "
        "other areas."
    )

    text = pdf_text(write(demo_masters[0], PDF, tmp_path / "report.pdf"))
    assert SECTION in text and note in text
    assert TABLE_TITLE not in text and "Lowest" not in text

    paragraphs = docx_paragraphs(write(demo_masters[0], DOCX, tmp_path / "report.docx"))
    at = paragraphs.index(SECTION)
    assert paragraphs[at + 1] == note
    assert not any(
        [cell.text for cell in t.rows[0].cells][1:4] == ["Lowest", "Highest", "Average"]
        for t in Document(str(tmp_path / "report.docx")).tables
    )


def test_a_store_that_cannot_be_read_is_one_sentence_and_never_its_password(
    demo_masters: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    address = "postgresql+psycopg://inspector:s3cret-word@127.0.0.1:1/inspections"
    out = tmp_path / "report.pdf"
    word = tmp_path / "report.docx"

    args = ["report", str(demo_masters[0]), "-o", str(out), "--docx", str(word)]
    code = run_cli([*args, "--store", address])

    assert code == 0
    err = capsys.readouterr().err
    text = pdf_text(out.read_bytes())
    shown = "postgresql+psycopg://inspector:***@127.0.0.1:1/inspections"
    assert (
        f"The store of published inspections at {shown} could not be read when this report "
        "was made, so the scores are not compared with other areas."
    ) in text
    assert "could not be read" in err and shown in err
    assert "s3cret-word" not in text + err + " ".join(docx_paragraphs(word.read_bytes()))


# --- with none configured ---------------------------------------------------------------------


def test_without_a_configured_store_the_report_has_no_comparison(
    demo_masters: list[Path], tmp_path: Path
) -> None:
    with open_store(None) as default:  # the data folder's store file: used, never configured
        assert default.location.default
        for path in demo_masters:
            publish(default, read_publication(path))

    with InspectionFile.open(demo_masters[0], readonly=True) as master:
        data = build_report(master)
        plain = build_report_data(master)
    assert data.area_comparison is None and data == plain

    payload = write(demo_masters[0], PDF, tmp_path / "report.pdf")
    assert payload == render(PDF, plain)  # byte for byte the report without a store
    text = pdf_text(payload)
    assert "inspected to date" not in text and "store" not in text.lower()
    word = write(demo_masters[0], DOCX, tmp_path / "report.docx")
    assert word == render(DOCX, plain)


def test_the_command_line_takes_a_store_and_leaves_the_comparison_out_when_told(
    demo_masters: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    address = new_store(tmp_path, demo_masters[1:])
    master = tmp_path / "master.inspection"
    shutil.copyfile(demo_masters[0], master)

    given = tmp_path / "given.pdf"
    assert run_cli(["report", str(master), "-o", str(given), "--store", address]) == 0
    monkeypatch.setenv(ENVIRONMENT_VARIABLE, address)
    configured = tmp_path / "configured.pdf"
    assert run_cli(["report", str(master), "-o", str(configured)]) == 0
    left_out = tmp_path / "left-out.pdf"
    assert run_cli(["report", str(master), "-o", str(left_out), "--no-comparison"]) == 0

    assert given.read_bytes() == configured.read_bytes()
    assert TABLE_TITLE in pdf_text(given.read_bytes())
    monkeypatch.delenv(ENVIRONMENT_VARIABLE)
    with InspectionFile.open(master, readonly=True) as opened:
        assert left_out.read_bytes() == render(PDF, build_report_data(opened))


def test_a_framework_that_rates_compares_its_standards_and_key_questions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    framework = load_builtin("case-supervision-2018")
    address = new_store(tmp_path)
    with open_store(address) as store:
        for seed in range(4):
            publish(store, synthetic_publication(framework, seed, cases=12))
    master = create_lead_demo(
        tmp_path / "demo", cases=12, seed=21, complete=True, framework_id=framework.id
    ).master
    monkeypatch.setenv(ENVIRONMENT_VARIABLE, address)
    expected = compared(address, master)

    with InspectionFile.open(master, readonly=True) as opened:
        data = build_report(opened)

    assert data.ratings is not None and data.area_comparison is not None
    rows = data.area_comparison.rows
    assert [(r.level, r.code) for r in rows] == [(r.level, r.code) for r in expected.rows]
    assert {r.level for r in rows} >= {"overall", "criterion", "question"}
    standard = next(r for r in rows if r.level == "criterion")
    key_question = next(r for r in rows if r.level == "question")
    text = pdf_text(render(PDF, data))
    assert f"{standard.code} {standard.title}" in text
    assert f"{key_question.code} {key_question.title}" in text


def test_a_final_report_names_the_store_but_not_its_address(
    demo_masters: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A path on the lead's laptop or an office server's address means nothing to the
    published report's readers; a draft keeps it for the lead."""
    from dataclasses import replace

    from inspector_app.core.report.data import area_comparison_source

    address = new_store(tmp_path, demo_masters)
    monkeypatch.setenv(ENVIRONMENT_VARIABLE, address)
    with InspectionFile.open(demo_masters[0], readonly=True) as master:
        data = build_report(master)
    comparison = data.area_comparison
    assert comparison is not None
    assert address in area_comparison_source(comparison)
    final = area_comparison_source(comparison, final=True)
    assert address not in final
    assert final.startswith("Source: the inspectorate's store of published inspections;")
    text = "".join(
        page.extract_text()
        for page in PdfReader(io.BytesIO(render(PDF, replace(data, final=True)))).pages
    )
    printed = " ".join(text.split()).replace("\u2019", "'")  # the report's typographic apostrophe
    assert "the inspectorate's store of published inspections;" in printed
    assert address not in printed
