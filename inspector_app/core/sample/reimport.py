"""Importing the sample into a master that already exists: after "I will import the sample
later" in the wizard, or again when the service sends a corrected file before fieldwork begins.

The cases imported replace the ones in the master (with their allocation and any withdrawal),
in one transaction with the import: nothing is half-written. Refused once anyone has written on
a case, and for a sample drawn from a long list (replace or withdraw its cases instead).
"""

from __future__ import annotations

from pathlib import Path

from inspector_app.core.changes import Changes
from inspector_app.core.errors import ValidationError
from inspector_app.core.files import case_queries
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.revisions.current import every_value
from inspector_app.core.sample.long_list import CANDIDATE
from inspector_app.core.sample.mapping import SampleMapping
from inspector_app.core.sample.placement import SampleImportOutcome, import_sample


def sample_import_refusal(file: InspectionFile) -> str | None:
    """Why the sample cannot be imported into this file now, in one line; None when it can."""
    if not file.is_master:
        return f"{file.path.name}: the sample is imported into the master file"
    drawn = file.db.raw.execute(
        "SELECT count(*) FROM long_list_entry WHERE status <> ?", (CANDIDATE,)
    ).fetchone()[0]
    if drawn:
        return (
            f"{file.path.name}: the sample was drawn from the long list; replace or withdraw "
            "its cases instead of importing another"
        )
    worked = len({row[0] for row in every_value(file.db.raw) if row[0] is not None})
    if worked:
        return (
            f"{file.path.name}: fieldwork has begun ({worked} case"
            f"{'s have' if worked != 1 else ' has'} answers or corrections); the sample "
            "can no longer be imported again"
        )
    return None


def import_sample_again(
    file: InspectionFile,
    path: Path,
    *,
    mapping: SampleMapping | None = None,
    accept_valid_rows: bool = False,
    confirm_exclusion: bool = False,
    exclusion_reason: str = "",
) -> SampleImportOutcome:
    """Import the sample through the mapping, replacing the cases in the master (none of them
    worked on). Refused, with nothing changed, when `sample_import_refusal` says so or the file
    cannot be imported as mapped."""
    refusal = sample_import_refusal(file)
    if refusal is not None:
        raise ValidationError(refusal)
    old = [key for key, _number in case_queries.keys_in_sample_order(file.db)]
    with file.db.write() as conn:
        for key in old:  # identifiers, readers and any withdrawal go with each case
            case_queries.delete_case(file.db, key)
        conn.execute("DELETE FROM sample_source WHERE kind = 'sample'")
        outcome = import_sample(
            file,
            path,
            mapping=mapping,
            accept_valid_rows=accept_valid_rows,
            confirm_exclusion=confirm_exclusion,
            exclusion_reason=exclusion_reason,
        )
    changes = outcome.changes | Changes(
        case_keys=frozenset(old), cases=True, all_cases=True, team=True
    )
    return SampleImportOutcome(
        outcome.imported,
        outcome.skipped,
        outcome.problems,
        outcome.excluded,
        outcome.differences,
        changes,
    )
