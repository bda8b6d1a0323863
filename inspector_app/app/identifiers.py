"""Removing the offenders' names and CRNs once the report is published, as the lead does it
from the window or the command line: refused before the report is final unless the lead says
so, because a purged master cannot show who a case was when a reader asks."""

from __future__ import annotations

from inspector_app.core.errors import ValidationError
from inspector_app.core.files.identity import PurgeOutcome, purge_identifiers_verified
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.narrative.parts import load_narrative


class NotYetFinal(ValidationError):
    """The report is not marked final: purging now needs the lead's explicit say-so."""


def report_is_final(file: InspectionFile) -> bool:
    return load_narrative(file).final


def purge_after_publication(file: InspectionFile, *, before_final: bool = False) -> PurgeOutcome:
    """Delete every CRN and name, and the copies that hold them; refused while the report is
    still a draft, unless `before_final`."""
    if not before_final and not report_is_final(file):
        raise NotYetFinal(
            f"{file.path.name}: the report is not marked final yet; names and CRNs are removed "
            "after publication (say so explicitly to remove them now)"
        )
    return purge_identifiers_verified(file)
