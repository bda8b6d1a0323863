"""The report's outputs, one registry for the screens and the commands: build the report
data from the master, render one kind (PDF, Word draft, press release) and write it safely.

When the lead has configured a store of published inspections (--store, INSPECTOR_APP_STORE or
the store `store init` remembered: `app.store.store_configured`), the report data gains the
comparison with the areas inspected to date (`with_area_comparison`), which the PDF and the
Word draft print after the ratings or the summary; without one, the report is exactly what it
was without a store. The comparison is plain values made here, so the report's core never
reads the store, and the same store content gives the same bytes.

The renderers are imported when first used: opening the app never loads ReportLab or
python-docx.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from inspector_app.core.files.disk import save_output
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.report.data import (
    COMPARED_CRITERION,
    COMPARED_OVERALL,
    COMPARED_QUESTION,
    COMPARED_STAGE,
    AreaComparison,
    AreaComparisonRow,
    ReportData,
    build_report_data,
    printed_average,
)

PDF = "pdf"
DOCX = "docx"
PRESS_RELEASE = "press release"

KINDS = (PDF, DOCX, PRESS_RELEASE)


def build_report(
    file: InspectionFile,
    *,
    include_in_progress: bool = False,
    final: bool | None = None,
    comparison: bool = True,
    address: str | None = None,
) -> ReportData:
    """The report data of an open file, with the comparison with the areas inspected to date
    when a store is configured (`address` names one; `comparison` False leaves it out)."""
    data = build_report_data(file, include_in_progress=include_in_progress, final=final)
    if comparison:
        data = with_area_comparison(
            data, file, address=address, include_in_progress=include_in_progress
        )
    return data


def with_area_comparison(
    data: ReportData,
    file: InspectionFile,
    *,
    address: str | None = None,
    include_in_progress: bool = False,
) -> ReportData:
    """`data` with the file's scores beside the published inspections of its framework
    version, when a store is configured (else `data` itself, unchanged). A store with nothing
    to compare with, or one that cannot be read, gives a comparison without rows: the report
    prints one sentence saying so."""
    from inspector_app.app.store import COMPARED, UNREACHABLE, compare_file, store_configured

    if not store_configured(address):
        return data
    compared = compare_file(file, address=address, include_in_progress=include_in_progress)
    levels = {COMPARED_OVERALL, COMPARED_STAGE, COMPARED_CRITERION}
    if data.ratings is not None:  # a framework that rates: its key questions too
        levels.add(COMPARED_QUESTION)
    rows: tuple[AreaComparisonRow, ...] = ()
    inspections, includes_this, imported = 0, False, 0
    if compared.status == COMPARED and compared.comparison is not None:
        inspections = compared.comparison.inspections
        includes_this = compared.comparison.includes_this
        imported = compared.comparison.imported
        rows = tuple(
            AreaComparisonRow(
                level=row.level,
                code=row.code,
                title=row.title,
                sufficient=row.sufficient,
                denominator=row.denominator,
                percent=row.percent,
                lowest=row.lowest,
                highest=row.highest,
                average=printed_average(row.average, row.count),
                count=row.count,
            )
            for row in compared.comparison.rows  # the framework's order, as published
            if row.level in levels
        )
    return replace(
        data,
        area_comparison=AreaComparison(
            store=compared.store,
            framework_id=compared.framework_id,
            framework_version=compared.framework_version,
            inspections=inspections,
            includes_this=includes_this,
            rows=rows,
            reachable=compared.status != UNREACHABLE,
            problem=compared.problem,
            imported=imported,
        ),
    )


def render(kind: str, data: ReportData) -> bytes:
    """The bytes of one output of the report (the renderers are imported when first used)."""
    if kind == PDF:
        from inspector_app.core.report.pdf import render_pdf

        return render_pdf(data)
    if kind == DOCX:
        from inspector_app.core.report.docx import render_docx

        return render_docx(data)
    if kind == PRESS_RELEASE:
        from inspector_app.core.report.press_release import render_press_release

        return render_press_release(data).encode("utf-8")
    raise ValueError(f"no report output {kind!r}")


@dataclass(frozen=True)
class Written:
    """How writing an output ended: the file written, or cancelled (nothing written)."""

    kind: str
    path: Path | None
    cancelled: bool = False


def write_report(
    path: Path,
    passphrase: str | None,
    kind: str,
    out: Path,
    *,
    include_in_progress: bool = False,
    is_cancelled: Callable[[], bool] = lambda: False,
    comparison: bool = True,
    address: str | None = None,
) -> Written:
    """Build the report from the master (with the comparison when a store is configured:
    `build_report`), render `kind` and write it to `out` atomically (the old file, if any,
    stays whole until the new one is complete). A cancel before the write leaves `out`
    untouched."""
    with InspectionFile.open(path, readonly=True, passphrase=passphrase) as file:
        data = build_report(
            file,
            include_in_progress=include_in_progress,
            comparison=comparison,
            address=address,
        )
    if is_cancelled():
        return Written(kind, None, cancelled=True)
    payload = render(kind, data)
    if is_cancelled():
        return Written(kind, None, cancelled=True)
    save_output(out, payload)
    return Written(kind, out)
