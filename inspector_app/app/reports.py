"""The report's outputs, one registry for the screens and the commands: build the report
data from the master, render one kind (PDF, Word draft, press release) and write it safely.

The renderers are imported when first used: opening the app never loads ReportLab or
python-docx.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from inspector_app.core.files.disk import save_output
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.report.data import ReportData, build_report_data

PDF = "pdf"
DOCX = "docx"
PRESS_RELEASE = "press release"

KINDS = (PDF, DOCX, PRESS_RELEASE)


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
) -> Written:
    """Build the report from the master, render `kind` and write it to `out` atomically (the
    old file, if any, stays whole until the new one is complete). A cancel before the write
    leaves `out` untouched."""
    with InspectionFile.open(path, readonly=True, passphrase=passphrase) as file:
        data = build_report_data(file, include_in_progress=include_in_progress)
    if is_cancelled():
        return Written(kind, None, cancelled=True)
    payload = render(kind, data)
    if is_cancelled():
        return Written(kind, None, cancelled=True)
    save_output(out, payload)
    return Written(kind, out)
