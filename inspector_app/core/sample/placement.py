"""Putting the case sample into the master, and allocating cases to the team."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from inspector_app.core.cases.allocation_plan import AllocationPlan, Reader, plan_allocation
from inspector_app.core.cases.case_data import load_cases
from inspector_app.core.changes import Changes
from inspector_app.core.errors import ValidationError
from inspector_app.core.files import (
    allocation_queries,
    case_queries,
    team_queries,
    withdrawal_queries,
)
from inspector_app.core.files.inspection_file import InspectionFile, utc_now_iso
from inspector_app.core.framework.profile import profile_to_json
from inspector_app.core.revisions import ids
from inspector_app.core.revisions.authors import cases_written_by
from inspector_app.core.sample.exclusion_check import Difference, compare_left_out
from inspector_app.core.sample.importing import (
    Problem,
    SampleReadResult,
    SampleRow,
    convert_table,
    read_sample_table,
)
from inspector_app.core.sample.mapping import SampleMapping, propose_mapping
from inspector_app.core.sample.mapping_memory import remember_mapping, remembered_mapping
from inspector_app.core.storage.dbapi import Connection

READERS = ("first", "second")
SHOWN_PROBLEMS = 20


@dataclass(frozen=True)
class SampleImportOutcome:
    imported: int
    skipped: int
    problems: tuple[Problem, ...]
    excluded: int = 0
    differences: tuple[Difference, ...] = ()
    changes: Changes = field(default_factory=Changes)


def reference_date(file: InspectionFile) -> dt.date:
    """The date ages are worked out on: the fieldwork start (the profile's declared reference),
    else today."""
    start = file.inspection.fieldwork_start
    if file.framework.profile.age_reference == "fieldwork_start" and start:
        try:
            return dt.date.fromisoformat(start)
        except ValueError:
            pass
    return dt.date.today()


def read_for_import(
    file: InspectionFile,
    path: Path,
    mapping: SampleMapping | None = None,
    *,
    long_list: bool = False,
) -> SampleReadResult:
    """The file read through the organisation's remembered mapping with `mapping`'s choices on
    top, checked against the cases already in the master. Writes nothing."""
    path = Path(path)
    definition = file.framework.profile
    table = read_sample_table(
        path,
        definition,
        sheet=mapping.sheet if mapping else None,
        header_row=mapping.header_row if mapping else None,
    )
    base = remembered_mapping(file.inspection.organisation, definition)
    if base is not None and mapping is not None:
        chosen = propose_mapping(definition, table, base.merged_with(mapping))
    else:
        chosen = propose_mapping(definition, table, mapping or base)
    result = convert_table(
        table, definition, chosen, long_list=long_list, reference_date=reference_date(file)
    )
    if long_list:
        return result
    existing = set(case_queries.keys_by_sample_no(file.db))
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
    if not clashes:
        return result
    clashing = {p.row for p in clashes}
    return SampleReadResult(
        result.path,
        tuple(row for row in result.rows if row.row_number not in clashing),
        tuple(sorted((*result.problems, *clashes), key=_problem_order)),
        result.total_rows,
        result.excluded,
        (
            *result.invalid_profiles,
            *((row.row_number, row.profile) for row in result.rows if row.row_number in clashing),
        ),
        result.mapping,
        result.table,
    )


def exclusion_differences(result: SampleReadResult, file: InspectionFile) -> list[Difference]:
    """How the rows left out (mapped out, or with problems) differ from the rows imported."""
    return compare_left_out(result, file.framework.profile)


def default_exclusion_reason(result: SampleReadResult) -> str:
    """What the lead chose when they gave no reason: the values mapped out and the rows with
    problems, with their counts."""
    parts = [
        f"{reason} ({count})"
        for reason, count in sorted(Counter(e.reason for e in result.excluded).items())
    ]
    if result.invalid_profiles:
        parts.append(
            f"rows with problems the file could not import ({len(result.invalid_profiles)})"
        )
    return "left out by the mapping: " + "; ".join(parts) if result.excluded else "; ".join(parts)


def problems_message(name: str, problems: Sequence[Problem], valid: int) -> str:
    shown = "\n".join(p.message for p in problems[:SHOWN_PROBLEMS])
    more = (
        f"\n... and {len(problems) - SHOWN_PROBLEMS} more (--problems-csv FILE lists them all)"
        if len(problems) > SHOWN_PROBLEMS
        else ""
    )
    route = (
        f"map the values or leave out the {len(problems)} problem row(s) to import the "
        f"{valid} valid rows (in the app: Values to decide, or 'Import only the valid rows'; "
        "on the command line: --show-values and --map MAP.toml, or --accept-valid-rows)"
        if valid
        else "map the values (in the app: Values to decide; on the command line: "
        "--show-values and --map MAP.toml); no row can be imported as it is"
    )
    return f"{name}: nothing imported; {len(problems)} problem(s); {route}:\n{shown}{more}"


def import_sample(
    file: InspectionFile,
    path: Path,
    *,
    mapping: SampleMapping | None = None,
    accept_valid_rows: bool = False,
    confirm_exclusion: bool = False,
    exclusion_reason: str = "",
) -> SampleImportOutcome:
    """Import the sample through the mapping. A file with any problem imports nothing unless
    the caller accepts importing only the valid rows; leaving rows out that differ from the
    rest (all of one ethnicity, say) needs `confirm_exclusion` too. The mapping, the rows left
    out and the reason are recorded in the file, and the mapping is remembered for the
    organisation."""
    path = Path(path)
    if not file.is_master:
        raise ValidationError(f"{file.path.name}: the sample is imported into the master file")
    result, differences = accepted_read(
        file,
        path,
        mapping,
        accept_valid_rows=accept_valid_rows,
        confirm_exclusion=confirm_exclusion,
    )
    with file.db.write() as conn:
        keys = _insert_cases(file, result.rows)
        record_source(conn, "sample", path.name, result, differences, exclusion_reason)
    remember_mapping(file.inspection.organisation, result.mapping)
    return SampleImportOutcome(
        len(result.rows),
        result.total_rows - len(result.rows),
        result.problems,
        len(result.excluded) + len(result.invalid_profiles),
        tuple(differences),
        Changes(case_keys=frozenset(keys), cases=True),
    )


def accepted_read(
    file: InspectionFile,
    path: Path,
    mapping: SampleMapping | None,
    *,
    accept_valid_rows: bool,
    confirm_exclusion: bool,
    long_list: bool = False,
) -> tuple[SampleReadResult, list[Difference]]:
    """The file read for import, refused (nothing written) while it has problems the lead has
    not accepted, has no importable case, or leaves out rows that differ from the rest without
    the lead's confirmation."""
    result = read_for_import(file, path, mapping, long_list=long_list)
    if result.problems and not accept_valid_rows:
        raise ValidationError(problems_message(path.name, result.problems, len(result.rows)))
    if not result.rows:
        raise ValidationError(f"{path.name}: no case can be imported; nothing was changed")
    differences = exclusion_differences(result, file)
    check_exclusion(path.name, result, differences, confirm_exclusion)
    return result, differences


def check_exclusion(
    name: str, result: SampleReadResult, differences: Sequence[Difference], confirmed: bool
) -> None:
    notable = [d for d in differences if d.notable]
    if notable and not confirmed:
        left_out = len(result.excluded) + len(result.invalid_profiles)
        raise ValidationError(
            f"{name}: leaving out {left_out} row(s) would change the sample: "
            + "; ".join(d.sentence for d in notable)
            + ". Nothing imported; map the values instead, or confirm the exclusion "
            "(--confirm-exclusion) and give the reason (--exclusion-reason)."
        )


def record_source(
    conn: Connection,
    kind: str,
    file_name: str,
    result: SampleReadResult,
    differences: Sequence[Difference],
    reason: str,
) -> None:
    """Keep the mapping used, the rows left out and why (the lead's reason, else what was left
    out), in the transaction that writes the cases."""
    excluded = [{"row": e.row_number, "reason": e.reason} for e in result.excluded] + [
        {"row": row, "reason": "problem in the row"} for row, _ in result.invalid_profiles
    ]
    reason = reason or default_exclusion_reason(result)
    conn.execute(
        "INSERT INTO sample_source (kind, file_name, imported_at, mapping, rows_read,"
        " imported, excluded, exclusion_reason, comparison)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            kind,
            file_name,
            utc_now_iso(),
            result.mapping.to_toml(),
            result.total_rows,
            len(result.rows),
            json.dumps(sorted(excluded, key=lambda e: e["row"])),
            reason if excluded else "",
            json.dumps([d.sentence for d in differences if d.notable]),
        ),
    )


@dataclass(frozen=True)
class SampleSource:
    kind: str
    file_name: str
    imported_at: str
    rows_read: int
    imported: int
    excluded: int
    exclusion_reason: str
    comparison: tuple[str, ...]


def sample_sources(file: InspectionFile) -> list[SampleSource]:
    """Every import into this file, oldest first, for the report's inspection arrangements."""
    return [
        SampleSource(
            kind,
            name,
            at,
            read,
            imported,
            len(json.loads(excluded or "[]")),
            reason,
            tuple(json.loads(comparison or "[]")),
        )
        for kind, name, at, read, imported, excluded, reason, comparison in file.db.raw.execute(
            "SELECT kind, file_name, imported_at, rows_read, imported, excluded,"
            " exclusion_reason, comparison FROM sample_source ORDER BY id"
        )
    ]


def _problem_order(problem: Problem) -> tuple[int, str]:
    return (problem.row or 0, problem.column or "")


def _insert_cases(file: InspectionFile, rows: Sequence[SampleRow]) -> list[str]:
    """The rows as sampled cases, with their identifiers apart (in the caller's transaction)."""
    numbered = []
    for row in rows:
        assert row.sample_no is not None  # a sample's rows are numbered (a long list's are not)
        numbered.append((ids.case_key(file.inspection.id, row.sample_no), row.sample_no, row))
    case_queries.add_cases(
        file.db,
        (
            (key, sample_no, profile_to_json(row.profile), profile_to_json(dict(row.raw)))
            for key, sample_no, row in numbered
        ),
    )
    case_queries.add_identities(file.db, ((key, row.crn, row.name) for key, _, row in numbered))
    return [key for key, _, _ in numbered]


DEFAULT_BALANCE = ("sentence_type", "rosh")


@dataclass(frozen=True)
class AllocationPreview:
    """A balanced allocation before it is written: who gets which case, and each person's mix."""

    plan: AllocationPlan
    names: dict[str, str]  # member id -> name
    sample_numbers: dict[str, int]  # case key -> sample number
    balance: tuple[str, ...]


def plan_auto_allocation(
    file: InspectionFile,
    *,
    balance: Sequence[str] = DEFAULT_BALANCE,
    capacities: dict[str, int] | None = None,
) -> AllocationPreview:
    """A first reader for every unallocated case, balancing the number of cases and the mix
    (the first `balance` field strictly, the others as well as possible) across inspectors
    and assessors (the lead only if nobody else is in the team), within each person's
    capacity (those kept with the team, with `capacities` by name for this plan on top).
    Stable: the same team and sample give the same plan."""
    members = team_queries.ids_and_names(
        file.db, roles=("inspector", "assessor")
    ) or team_queries.ids_and_names(file.db)
    if not members:
        raise ValidationError(f"{file.path.name}: add the team before allocating cases")
    names = dict(members)
    kept = team_queries.capacities(file.db)
    capacities = {
        **{name: kept[member_id] for member_id, name in members if member_id in kept},
        **(capacities or {}),
    }
    unknown = sorted(set(capacities) - set(names.values()))
    if unknown:
        raise ValidationError(f"{file.path.name}: no team member called {unknown[0]!r}")
    fields = file.framework.profile.by_name
    for name in balance:
        if name not in fields:
            raise ValidationError(f"{file.path.name}: no profile field {name!r} to balance")
    readers = [
        Reader(member_id, name, capacity=capacities.get(name)) for member_id, name in members
    ]
    cases = load_cases(file)
    first_readers = allocation_queries.first_readers(file.db)
    existing: dict[str, list[dict[str, object]]] = {}
    to_allocate: list[tuple[str, dict[str, object]]] = []
    # Planned by sample number, not by case key (which derives from the inspection's random
    # id), so the same sample and team always give the same allocation.
    key_of: dict[str, str] = {}
    for case in cases:
        holder = first_readers.get(case.key)
        if holder is None:
            number = f"{case.sample_no:012d}"
            key_of[number] = case.key
            to_allocate.append((number, case.profile))
        elif holder in names:
            existing.setdefault(holder, []).append(case.profile)
    by_number = plan_allocation(to_allocate, readers, balance=tuple(balance), existing=existing)
    plan = dataclasses.replace(
        by_number, assignments={key_of[n]: m for n, m in by_number.assignments.items()}
    )
    return AllocationPreview(plan, names, {c.key: c.sample_no for c in cases}, tuple(balance))


def apply_allocation(file: InspectionFile, preview: AllocationPreview) -> Changes:
    allocation_queries.add(
        file.db,
        (
            (key, member_id, allocation_queries.FIRST)
            for key, member_id in sorted(preview.plan.assignments.items())
        ),
    )
    return Changes(case_keys=frozenset(preview.plan.assignments), cases=True)


def allocate_by_sample_number(file: InspectionFile, assignments: dict[int, str]) -> dict[str, int]:
    """First readers chosen case by case (as the lead confirmed them in a preview), written in
    one transaction; cases already allocated keep their reader. Returns each person's number
    of cases."""
    members = {name: member_id for member_id, name in team_queries.names_by_id(file.db).items()}
    keys = case_queries.keys_by_sample_no(file.db)
    held = set(allocation_queries.first_readers(file.db))
    rows = []
    for sample_no, name in sorted(assignments.items()):
        if name not in members:
            raise ValidationError(f"{file.path.name}: no team member called {name!r}")
        if sample_no not in keys:
            raise ValidationError(f"{file.path.name}: no case with sample number {sample_no}")
        if keys[sample_no] not in held:
            rows.append((keys[sample_no], members[name], allocation_queries.FIRST))
    allocation_queries.add(file.db, rows)
    counts = dict.fromkeys(sorted(set(assignments.values())), 0)
    for name in assignments.values():
        counts[name] += 1
    return counts


def allocate_auto(
    file: InspectionFile,
    *,
    balance: Sequence[str] = DEFAULT_BALANCE,
    capacities: dict[str, int] | None = None,
) -> dict[str, int]:
    """Allocate every unallocated case by a balanced plan; existing allocations are kept.
    Returns each person's number of cases."""
    preview = plan_auto_allocation(file, balance=balance, capacities=capacities)
    apply_allocation(file, preview)
    return {preview.names[m]: n for m, n in preview.plan.totals.items()}


def allocate_case(
    file: InspectionFile, sample_no: int, name: str, *, second_reader: bool = False
) -> Changes:
    """Allocate one case to a named member, as first reader or as second reader for quality
    assurance, replacing whoever had that place."""
    case_key = file.case_key_for(sample_no)
    _check_not_withdrawn(file, {sample_no: case_key})
    member_id, member_name, _ = file.member_by_name(name)
    reader = allocation_queries.SECOND if second_reader else allocation_queries.FIRST
    with file.db.transaction():
        other = allocation_queries.reader_of(file.db, case_key, member_id)
        if other and other != reader:
            raise ValidationError(
                f"{member_name} is already the {other} reader of case {sample_no}; "
                "a case needs two different readers"
            )
        # A case has one first reader and at most one second: the new one replaces the old.
        allocation_queries.put_reader(file.db, case_key, member_id, reader)
    return Changes(case_keys=frozenset({case_key}), cases=True)


def remove_second_reader(file: InspectionFile, sample_no: int) -> Changes:
    """The case is read once only. What the second reader wrote stays in the file."""
    case_key = file.case_key_for(sample_no)
    removed = allocation_queries.remove_reader(file.db, case_key, allocation_queries.SECOND)
    if not removed:
        raise ValidationError(f"case {sample_no} has no second reader")
    return Changes(case_keys=frozenset({case_key}), cases=True)


def check_move(file: InspectionFile, sample_numbers: list[int], name: str) -> list[str]:
    """Checks a move of several cases to `name` as first reader before any is made: refused
    whole when one cannot go (no such case, or `name` already reads it second). Returns the
    labels of the cases whose present reader has written on them."""
    member_id, member_name, _ = file.member_by_name(name)
    keys = {number: file.case_key_for(number) for number in sample_numbers}
    _check_not_withdrawn(file, keys)
    rows = allocation_queries.allocation_rows(file.db, list(keys.values()))
    first = {key: member for key, member, reader in rows if reader == "first"}
    for number, key in keys.items():
        if any(k == key and m == member_id and r == "second" for k, m, r in rows):
            raise ValidationError(
                f"{member_name} is already the second reader of case {number}; "
                "a case needs two different readers"
            )
    stranded = []
    for key in keys.values():
        reader = first.get(key)
        if reader and reader != member_id and cases_written_by(file.db.raw, reader, [key]):
            stranded.append(file.case_label(key))
    return stranded


@dataclass(frozen=True)
class Readers:
    """Who reads a case, by name (None: nobody in that place)."""

    first: str | None
    second: str | None


def readers_by_sample_no(file: InspectionFile, sample_numbers: Sequence[int]) -> dict[int, Readers]:
    """The present readers of each case, to put back with `put_readers`."""
    keys = {number: file.case_key_for(number) for number in sample_numbers}
    names = team_queries.names_by_id(file.db)
    places: dict[str, dict[str, str]] = {}
    for key, member_id, reader in allocation_queries.allocation_rows(file.db, list(keys.values())):
        if member_id in names:
            places.setdefault(key, {})[reader] = names[member_id]
    return {
        number: Readers(
            places.get(key, {}).get(allocation_queries.FIRST),
            places.get(key, {}).get(allocation_queries.SECOND),
        )
        for number, key in keys.items()
    }


def put_readers(file: InspectionFile, readers: dict[int, Readers]) -> Changes:
    """Give each case exactly these readers (a move or a second reader taken back), all in one
    transaction."""
    keys = {number: file.case_key_for(number) for number in readers}
    with file.db.transaction():
        for number, wanted in readers.items():
            key = keys[number]
            for place in (allocation_queries.FIRST, allocation_queries.SECOND):
                allocation_queries.remove_reader(file.db, key, place)
            for place, name in (
                (allocation_queries.FIRST, wanted.first),
                (allocation_queries.SECOND, wanted.second),
            ):
                if name is not None:
                    member_id = file.member_by_name(name)[0]
                    allocation_queries.put_reader(file.db, key, member_id, place)
    return Changes(case_keys=frozenset(keys.values()), cases=True)


def _check_not_withdrawn(file: InspectionFile, keys: dict[int, str]) -> None:
    withdrawn = withdrawal_queries.withdrawn_keys(file.db)
    for number, key in keys.items():
        if key in withdrawn:
            raise ValidationError(f"case {number} is withdrawn; reinstate it before allocating it")
