"""The full report of a 200-case inspection: data from the master, then the PDF.

    .venv/bin/python bench/report.py [--cases 200] [--runs 7]

Builds the demo inspection with `--cases` cases once (into bench/out/), merges its fieldwork
files, drafts the narrative from the proposals, then times `build_report_data` + `render_pdf`
(contents, outline, charts, every appendix; two or more multiBuild passes) over several runs.
Prints the pages, the median seconds and pages per second; the Word draft and the press release
are timed too. Goal: >= 30 pages/s and <= 2 s for the PDF.
"""

from __future__ import annotations

import argparse
import io
import shutil
import statistics
import time
from pathlib import Path

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
    """The merged master of a `cases`-case demo with a drafted narrative (made once)."""
    folder = OUT / f"report-{cases}"
    marker = folder / "complete"
    master = folder / "Merseyside-master.inspection"
    if marker.exists():
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


def timed(fn, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=200)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    master = build(args.cases)
    with InspectionFile.open(master, readonly=True) as file:
        render_pdf(build_report_data(file))  # warm-up: font registration, imports

        def full_report() -> bytes:
            return render_pdf(build_report_data(file))

        data_seconds, data = timed(lambda: build_report_data(file), args.runs)
        pdf_seconds, pdf = timed(full_report, args.runs)
    docx_seconds, _ = timed(lambda: render_docx(data), args.runs)
    press_seconds, _ = timed(lambda: render_press_release(data), args.runs)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    rate = pages / pdf_seconds
    print(f"cases: {args.cases} ({data.cases_counted} complete and counted), runs: {args.runs}")
    print(f"report data: {data_seconds:.3f} s median")
    print(
        f"full PDF (data + render): {pages} pages, {pdf_seconds:.3f} s median, "
        f"{rate:.1f} pages/s, {len(pdf) / 1024:.0f} KiB"
    )
    print(f"Word draft: {docx_seconds:.3f} s median; press release: {press_seconds * 1000:.1f} ms")
    verdict = "met" if rate >= 30 and pdf_seconds <= 2 else "NOT met"
    print(f"goal (>= 30 pages/s and <= 2 s): {verdict}")


if __name__ == "__main__":
    main()
