"""Putting the case sample into the master, and allocating cases to the team."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from inspector_app.core import ids
from inspector_app.core.changes import Changes
from inspector_app.core.errors import ValidationError
from inspector_app.core.inspection_file import InspectionFile
from inspector_app.core.profile import PROFILE_FIELDS
from inspector_app.core.sample_import import Problem, SampleRow, read_sample

_PROFILE_COLUMNS = [f.name for f in PROFILE_FIELDS]
READERS = ("first", "second")


@dataclass(frozen=True)
class SampleImportOutcome:
    imported: int
    skipped: int
    problems: tuple[Problem, ...]


def import_sample(
    file: InspectionFile, path: Path, *, accept_valid_rows: bool = False
) -> SampleImportOutcome:
    """Import the sample; a file with any problem imports nothing unless the caller accepts
    importing only the valid rows."""
    path = Path(path)
    if not file.is_master:
        raise ValidationError(f"{file.path.name}: the sample is imported into the master file")
    result = read_sample(path)
    existing = {r[0] for r in file.db.raw.execute("SELECT sample_no FROM case_record")}
    clashes = [
        Problem(
            row.row_number,
            "sample_no",
            f"{path.name} row {row.row_number}: sample number {row.sample_no} is already in "
            "the inspection",
        )
        for row in result.rows
        if row.sample_no in existing
    ]
    problems = tuple(sorted((*result.problems, *clashes), key=_problem_order))
    rows = [row for row in result.rows if row.sample_no not in existing]
    if problems and not accept_valid_rows:
        shown = "\n".join(p.message for p in problems[:20])
        more = f"\n... and {len(problems) - 20} more" if len(problems) > 20 else ""
        raise ValidationError(
            f"{path.name}: nothing imported; {len(problems)} problem(s) "
            f"(use --accept-valid-rows to import the {len(rows)} valid rows):\n{shown}{more}"
        )
    _insert_cases(file, rows)
    return SampleImportOutcome(len(rows), result.total_rows - len(rows), problems)


def _problem_order(problem: Problem) -> tuple[int, str]:
    return (problem.row or 0, problem.column or "")


def _insert_cases(file: InspectionFile, rows: list[SampleRow]) -> None:
    placeholders = ", ".join("?" * (len(_PROFILE_COLUMNS) + 2))
    with file.db.write() as conn:
        conn.executemany(
            f"INSERT INTO case_record (key, sample_no, {', '.join(_PROFILE_COLUMNS)})"
            f" VALUES ({placeholders})",
            [
                (
                    ids.case_key(file.inspection.id, row.sample_no),
                    row.sample_no,
                    *(row.profile.get(name) for name in _PROFILE_COLUMNS),
                )
                for row in rows
            ],
        )
        conn.executemany(
            "INSERT INTO case_identity (case_key, crn, name) VALUES (?, ?, ?)",
            [
                (ids.case_key(file.inspection.id, row.sample_no), row.crn, row.name)
                for row in rows
                if row.crn or row.name
            ],
        )


def allocate_auto(file: InspectionFile) -> dict[str, int]:
    """Give every unallocated case a first reader, balancing case counts across inspectors
    and assessors (the lead only if nobody else is in the team). Stable: the same team and
    sample always give the same allocation; existing allocations are kept."""
    conn = file.db.raw
    readers = (
        conn.execute(
            "SELECT id, name FROM team_member WHERE role IN ('inspector', 'assessor') ORDER BY name"
        ).fetchall()
        or conn.execute("SELECT id, name FROM team_member ORDER BY name").fetchall()
    )
    if not readers:
        raise ValidationError(f"{file.path.name}: add the team before allocating cases")
    counts = Counter(
        dict(
            conn.execute(
                "SELECT member_id, count(*) FROM allocation"
                " WHERE reader = 'first' GROUP BY member_id"
            )
        )
    )
    order = {member_id: i for i, (member_id, _) in enumerate(readers)}
    unallocated = [
        r[0]
        for r in conn.execute(
            "SELECT key FROM case_record WHERE key NOT IN"
            " (SELECT case_key FROM allocation WHERE reader = 'first') ORDER BY sample_no"
        )
    ]
    new_rows = []
    for case_key in unallocated:
        member_id = min(order, key=lambda m: (counts[m], order[m]))
        counts[member_id] += 1
        new_rows.append((case_key, member_id))
    with file.db.write() as conn:
        conn.executemany(
            "INSERT INTO allocation (case_key, member_id, reader) VALUES (?, ?, 'first')",
            new_rows,
        )
    names = dict(readers)
    return {names[m]: counts[m] for m in order}


def allocate_case(
    file: InspectionFile, sample_no: int, name: str, *, second_reader: bool = False
) -> Changes:
    """Allocate one case to a named member, as first reader (replacing any other first reader)
    or as second reader for quality assurance."""
    case_key = file.case_key_for(sample_no)
    member_id, member_name, _ = file.member_by_name(name)
    reader = "second" if second_reader else "first"
    with file.db.write() as conn:
        other = conn.execute(
            "SELECT reader FROM allocation WHERE case_key = ? AND member_id = ?",
            (case_key, member_id),
        ).fetchone()
        if other and other[0] != reader:
            raise ValidationError(
                f"{member_name} is already the {other[0]} reader of case {sample_no}; "
                "a case needs two different readers"
            )
        if reader == "first":
            conn.execute(
                "DELETE FROM allocation WHERE case_key = ? AND reader = 'first'", (case_key,)
            )
        conn.execute(
            "INSERT OR REPLACE INTO allocation (case_key, member_id, reader) VALUES (?, ?, ?)",
            (case_key, member_id, reader),
        )
    return Changes(case_keys=frozenset({case_key}), cases=True)
