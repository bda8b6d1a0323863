"""The full report of a 200-case inspection: data from the master, then the PDF.

    .venv/bin/python bench/report.py [--cases 200] [--runs 7] [--json]

Builds the demo inspection with `--cases` cases once (into bench/out/), merges its fieldwork
files, drafts the narrative from the proposals, then times `build_report_data` + `render_pdf`
(contents, outline, charts, every appendix; two or more multiBuild passes) over several runs.
Prints the pages, the median seconds and pages per second; the Word draft and the press release
are timed too. Goal: >= 30 pages/s and <= 2 s for the PDF. With --json, one object
(bench/_report.py).
"""

from __future__ import annotations

import argparse
import io
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import _report
from pypdf import PdfReader

from inspector_app.core.demo import create_demo
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.findings.figures import compute_findings
from inspector_app.core.merge.run import merge_files
from inspector_app.core.narrative import parts as narrative
from inspector_app.core.report.data import build_report_data
from inspector_app.core.report.docx import render_docx
from inspector_app.core.report.pdf import render_pdf
from inspector_app.core.report.press_release import render_press_release

OUT = Path(__file__).resolve().parent / "out"


def build(cases: int) -> Path:
    """The merged master of a `cases`-case demo with a drafted narrative (made once, and again
    when the file format moves on: the bench opens it read-only, which an old format refuses)."""
    from inspector_app.core.storage.connection import read_header
    from inspector_app.core.storage.database import CURRENT_GENERATION

    folder = OUT / f"report-{cases}"
    marker = folder / "complete"
    master = folder / "Merseyside-master.inspection"
    if marker.exists() and read_header(master).user_version == CURRENT_GENERATION:
        return master
    shutil.rmtree(folder, ignore_errors=True)
    outcome = create_demo(folder, cases=cases)
    with InspectionFile.open(outcome.master) as file:
        merge_files(file, outcome.fieldwork)
        narrative.refresh_proposals(file, compute_findings(file))
        narrative.set_text(file, narrative.JUDGEMENT, "good")
        narrative.set_text(file, narrative.FOREWORD, "A foreword of two paragraphs.\n\nThe second.")
        for text in ("Assess risk of harm promptly.", "Improve management oversight."):
            narrative.add_item(file, narrative.RECOMMENDATIONS, text)
    marker.write_text("ok")
    return master


def timed(fn: Callable[[], Any], runs: int) -> tuple[list[float], Any]:
    """Each run's seconds, and the last run's result."""
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return times, result


def measure(cases: int, runs: int) -> tuple[dict[str, list[float]], Any, bytes]:
    """Seconds per run for the report data, the full PDF, the Word draft and the press
    release; with the report data and the PDF of the last run."""
    master = build(cases)
    with InspectionFile.open(master, readonly=True) as file:
        render_pdf(build_report_data(file))  # warm-up: font registration, imports

        def full_report() -> bytes:
            return render_pdf(build_report_data(file))

        data_times, data = timed(lambda: build_report_data(file), runs)
        pdf_times, pdf = timed(full_report, runs)
    docx_times, _ = timed(lambda: render_docx(data), runs)
    press_times, _ = timed(lambda: render_press_release(data), runs)
    times = {"data": data_times, "pdf": pdf_times, "docx": docx_times, "press": press_times}
    return times, data, pdf


def report(
    args: argparse.Namespace, times: dict[str, list[float]], data: Any, pdf: bytes
) -> _report.Report:
    """Goals from the script: the PDF in <= 2 s at >= 30 pages/s."""
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    out = _report.Report(
        "report",
        f"The full report of a {args.cases}-case inspection: data, PDF, Word draft",
        _report.parameters(args),
    )
    out.facts.update(pages=pages, cases_counted=data.cases_counted, pdf_kib=len(pdf) // 1024)
    out.add("data_s", times["data"], "s", "report data from the master")
    rate = out.add(
        "pages_per_s",
        [pages / t for t in times["pdf"]],
        "pages/s",
        "full PDF, pages a second",
        goals=[_report.at_least(30)],
    )
    out.add("pdf_s", times["pdf"], "s", "full PDF: data + render", goals=[_report.at_most(2)])
    out.add("docx_s", times["docx"], "s", "Word draft")
    out.add("press_release_ms", [t * 1000 for t in times["press"]], "ms", "press release")
    out.top("pages_per_s", rate["median"])
    return out


def print_summary(args: argparse.Namespace, result: _report.Report) -> None:
    figures, facts = result.figures, result.facts
    pdf_seconds, rate = figures["pdf_s"]["median"], figures["pages_per_s"]["median"]
    print(f"cases: {args.cases} ({facts['cases_counted']} complete and counted), runs: {args.runs}")
    print(f"report data: {figures['data_s']['median']:.3f} s median")
    print(
        f"full PDF (data + render): {facts['pages']} pages, {pdf_seconds:.3f} s median, "
        f"{rate:.1f} pages/s, {facts['pdf_kib']} KiB"
    )
    print(
        f"Word draft: {figures['docx_s']['median']:.3f} s median; press release: "
        f"{figures['press_release_ms']['median']:.1f} ms"
    )
    print(f"goal (>= 30 pages/s and <= 2 s): {'met' if result.goals_met() else 'NOT met'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=200)
    parser.add_argument("--runs", type=int, default=7)
    _report.add_json_option(parser)
    args = parser.parse_args()
    with _report.stdout_to_stderr(args.json):
        times, data, pdf = measure(args.cases, args.runs)
        result = report(args, times, data, pdf)
        print_summary(args, result)
    if args.json:
        _report.emit(result)


if __name__ == "__main__":
    main()
