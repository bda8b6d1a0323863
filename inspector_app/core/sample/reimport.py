"""Importing the sample into a master that already exists: after "I will import the sample
later" in the wizard, or again when the service sends a corrected file before fieldwork begins.

The cases imported replace the ones in the master (with their allocation and any withdrawal),
in one transaction with the import: nothing is half-written. Refused once anyone has written on
a case, and for a sample drawn from a long list (replace or withdraw its cases instead). The
file may also be the trust's whole long list: the sample is then drawn from it, in the same
transaction.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from inspector_app.core.changes import Changes
from inspector_app.core.errors import ValidationError
from inspector_app.core.files import case_queries
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.revisions.current import every_value
from inspector_app.core.sample.long_list import (
    CANDIDATE,
    DrawOutcome,
    check_drawn_as_shown,
    draw_sample,
    import_long_list,
)
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
    old = _refused_or_cases(file)
    with file.db.write() as conn:
        _remove_cases(file, old)
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


def _refused_or_cases(file: InspectionFile) -> list[str]:
    """The keys of the cases an import replaces; raises when it is refused."""
    refusal = sample_import_refusal(file)
    if refusal is not None:
        raise ValidationError(refusal)
    return [key for key, _number in case_queries.keys_in_sample_order(file.db)]


def _remove_cases(file: InspectionFile, keys: list[str]) -> None:
    for key in keys:  # identifiers, readers and any withdrawal go with each case
        case_queries.delete_case(file.db, key)


def draw_from_long_list_again(
    file: InspectionFile,
    path: Path,
    *,
    size: int,
    strata: tuple[str, ...],
    seed: str,
    minimum: int = 1,
    reserves: int = 2,
    shown: tuple[tuple[int, int], ...] | None = None,
    mapping: SampleMapping | None = None,
    accept_valid_rows: bool = False,
    confirm_exclusion: bool = False,
    exclusion_reason: str = "",
) -> DrawOutcome:
    """Import the trust's long list and draw the sample from it, in place of the cases in
    the master (none of them worked on), all in one transaction; refused as
    `import_sample_again` is, and when `shown` (sample number, row of the file) is not the
    draw made."""
    old = _refused_or_cases(file)
    with file.db.write():
        _remove_cases(file, old)
        import_long_list(
            file,
            path,
            mapping=mapping,
            accept_valid_rows=accept_valid_rows,
            confirm_exclusion=confirm_exclusion,
            exclusion_reason=exclusion_reason,
        )
        drawn = draw_sample(
            file, size=size, strata=strata, seed=seed, minimum=minimum, reserves=reserves
        )
        if shown is not None:
            check_drawn_as_shown(file, drawn, shown, path.name)
    changes = drawn.changes | Changes(
        case_keys=frozenset(old), cases=True, all_cases=True, team=True
    )
    return replace(drawn, changes=changes)
