"""What the lead's screens read off the UI thread (the findings, the conflict count).

Each function is the `fn` of a `run_in_background` call: it opens the master itself (read-only,
with the passphrase the window opened it with, held in memory only), calls core services and
returns plain values. Nothing here touches Qt, so a worker never shares a Qt object.
"""

from __future__ import annotations

from pathlib import Path

from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.findings.figures import Findings, compute_findings
from inspector_app.core.merge.conflicts import list_conflicts


def load_findings(
    path: Path,
    passphrase: str | None,
    *,
    include_in_progress: bool = False,
    subgroup: str | None = None,
) -> Findings:
    """The figures of the master as it is on disk now."""
    with InspectionFile.open(path, readonly=True, passphrase=passphrase, checked=True) as file:
        return compute_findings(file, include_in_progress=include_in_progress, subgroup=subgroup)


def count_open_conflicts(path: Path, passphrase: str | None) -> int:
    with InspectionFile.open(path, readonly=True, passphrase=passphrase, checked=True) as file:
        return len(list_conflicts(file))
