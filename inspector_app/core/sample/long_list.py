"""The trust's whole long list, and the stratified sample drawn from it.

A trust sends every eligible case (hundreds to thousands); the inspectorate draws the sample.
The long list is imported through the same mapping as a sample, kept in the master (with its
identifiers apart), and a draw records its seed, strata and the long list's totals so that the
same draw can be made again and the report can set the sample beside the long list. An
unsuitable case is replaced by the next reserve of its stratum, with the reason kept.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from inspector_app.core.changes import Changes
from inspector_app.core.errors import ValidationError
from inspector_app.core.files import allocation_queries, case_queries, withdrawal_queries
from inspector_app.core.files.inspection_file import InspectionFile, utc_now_iso
from inspector_app.core.framework.profile import (
    ProfileDefinition,
    ProfileField,
    profile_from_json,
    profile_to_json,
    sample_label,
)
from inspector_app.core.revisions import ids
from inspector_app.core.revisions.reads import case_has_revisions
from inspector_app.core.sample.draw import DrawResult, draw_stratified
from inspector_app.core.sample.mapping import SampleMapping
from inspector_app.core.sample.mapping_memory import remember_mapping
from inspector_app.core.sample.placement import accepted_read, record_source

CANDIDATE, DRAWN, RESERVE, REPLACED = "candidate", "drawn", "reserve", "replaced"


@dataclass(frozen=True)
class LongListOutcome:
    imported: int
    skipped: int
    excluded: int
    changes: Changes


def import_long_list(
    file: InspectionFile,
    path: Path,
    *,
    mapping: SampleMapping | None = None,
    accept_valid_rows: bool = False,
    confirm_exclusion: bool = False,
    exclusion_reason: str = "",
) -> LongListOutcome:
    """Import the trust's long list (no sample numbers needed) into the master. Refused while
    a sample drawn from an earlier long list is in the file."""
    path = Path(path)
    if not file.is_master:
        raise ValidationError(f"{file.path.name}: the long list is imported into the master file")
    drawn = file.db.raw.execute(
        "SELECT count(*) FROM long_list_entry WHERE status <> ?", (CANDIDATE,)
    ).fetchone()[0]
    if drawn:
        raise ValidationError(
            f"{file.path.name}: a sample has already been drawn from the long list; "
            "it cannot be replaced now"
        )
    result, differences = accepted_read(
        file,
        path,
        mapping,
        accept_valid_rows=accept_valid_rows,
        confirm_exclusion=confirm_exclusion,
        long_list=True,
    )
    with file.db.write() as conn:
        conn.execute("DELETE FROM long_list_entry")
        conn.executemany(
            "INSERT INTO long_list_entry (entry_no, row_number, profile, raw) VALUES (?, ?, ?, ?)",
            (  # one row at a time: a long list's JSON is never all in memory at once
                (n, row.row_number, profile_to_json(row.profile), profile_to_json(dict(row.raw)))
                for n, row in enumerate(result.rows, start=1)
            ),
        )
        conn.executemany(
            "INSERT INTO long_list_identity (entry_no, crn, name) VALUES (?, ?, ?)",
            (
                (n, row.crn, row.name)
                for n, row in enumerate(result.rows, start=1)
                if row.crn or row.name
            ),
        )
        record_source(conn, "long_list", path.name, result, differences, exclusion_reason)
    remember_mapping(file.inspection.organisation, result.mapping)
    return LongListOutcome(
        len(result.rows),
        result.total_rows - len(result.rows),
        len(result.excluded) + len(result.invalid_profiles),
        Changes(),
    )


@dataclass(frozen=True)
class DrawOutcome:
    """A draw, written or previewed: the long-list entries drawn (in sample order) with the
    sample numbers they get, and the reserves per stratum."""

    size: int
    seed: str
    strata: tuple[str, ...]
    drawn: tuple[tuple[int, int], ...]  # (sample number, long-list entry number)
    reserves: dict[str, tuple[int, ...]]  # stratum as text -> entry numbers in order of use
    plan: tuple[tuple[str, int, int], ...]  # (stratum, population, drawn)
    written: bool
    changes: Changes
    # Each stratum's reserves, in the order of `plan` (two strata may read alike as text, as
    # a blank and a value written "not recorded" do: the reserves are written from these).
    in_reserve: tuple[tuple[int, ...], ...] = ()

    def as_json(self) -> dict[str, object]:
        return {
            "size": self.size,
            "seed": self.seed,
            "strata": list(self.strata),
            "drawn": [{"sample_no": s, "entry": e} for s, e in self.drawn],
            "reserves": {k: list(v) for k, v in self.reserves.items()},
            "plan": [{"stratum": s, "population": p, "drawn": d} for s, p, d in self.plan],
            "written": self.written,
        }


def _next_sample_number(file: InspectionFile) -> int:
    """After every number ever given: a replaced case's number is never given again."""
    in_long_list = file.db.raw.execute("SELECT max(sample_no) FROM long_list_entry").fetchone()[0]
    sampled = case_queries.highest_sample_no(file.db)
    return max(in_long_list or 0, sampled or 0) + 1


def _stratum_text(values: Sequence[str]) -> str:
    return " / ".join(v or "not recorded" for v in values)


def value_text(value: object) -> str:
    """A profile value as the long list's totals spell it (yes/no for a flag)."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else str(value)


def strata_fields(definition: ProfileDefinition) -> tuple[ProfileField, ...]:
    """The profile fields a sample may be stratified by: the case profile's (the sample
    number and the identifying fields are not in it), a free-text field such as the office
    too: a trust's offices are a few names."""
    return definition.profile_fields


def check_strata(definition: ProfileDefinition, strata: Sequence[str]) -> None:
    """Refuse a strata field the profile does not have."""
    allowed = {f.name for f in strata_fields(definition)}
    for name in strata:
        if name not in allowed:
            known = ", ".join(f.name for f in strata_fields(definition))
            raise ValidationError(f"no profile field {name!r} to stratify by (fields: {known})")


def plan_draw(
    entries: Sequence[tuple[int, Mapping[str, object]]],
    *,
    size: int,
    strata: Sequence[str],
    seed: str,
    minimum: int = 1,
    reserves: int = 2,
    first_sample_no: int = 1,
) -> DrawOutcome:
    """The draw from long-list entries, given as (entry number, profile), written nowhere:
    what `draw_sample` writes for the same entries, strata and seed, and what the New
    Inspection wizard shows before the master exists."""
    candidates = [
        (f"{entry_no:09d}", tuple(value_text(profile.get(name)) for name in strata))
        for entry_no, profile in entries
    ]
    result: DrawResult = draw_stratified(
        candidates, size, seed=str(seed), minimum=minimum, reserves_per_stratum=reserves
    )
    drawn = tuple((first_sample_no + i, int(key)) for i, key in enumerate(result.drawn))
    reserve_map = {
        _stratum_text(stratum): tuple(int(k) for k in keys)
        for stratum, keys in result.reserves.items()
    }
    plan = tuple((_stratum_text(p.stratum), p.population, p.drawn) for p in result.plan)
    in_reserve = tuple(tuple(int(k) for k in result.reserves[p.stratum]) for p in result.plan)
    return DrawOutcome(
        size, str(seed), tuple(strata), drawn, reserve_map, plan, False, Changes(), in_reserve
    )


def draw_sample(
    file: InspectionFile,
    *,
    size: int,
    strata: Sequence[str],
    seed: str,
    minimum: int = 1,
    reserves: int = 2,
    dry_run: bool = False,
) -> DrawOutcome:
    """Draw a stratified random sample from the long list (proportional allocation with a
    minimum per stratum), with reserves per stratum. The same long list, strata and seed give
    the same draw. Cases get the sample numbers after the highest already in the file."""
    if not file.is_master:
        raise ValidationError(f"{file.path.name}: the sample is drawn in the master file")
    check_strata(file.framework.profile, strata)
    conn = file.db.raw
    if conn.execute(
        "SELECT count(*) FROM long_list_entry WHERE status <> ?", (CANDIDATE,)
    ).fetchone()[0]:
        raise ValidationError(
            f"{file.path.name}: a sample has already been drawn from the long list"
        )
    entries = [
        (entry_no, profile_from_json(text, file.framework.profile))
        for entry_no, text in conn.execute(
            "SELECT entry_no, profile FROM long_list_entry ORDER BY entry_no"
        )
    ]
    if not entries:
        raise ValidationError(f"{file.path.name}: import the long list first (import-long-list)")
    outcome = plan_draw(
        entries,
        size=size,
        strata=strata,
        seed=seed,
        minimum=minimum,
        reserves=reserves,
        first_sample_no=_next_sample_number(file),
    )
    if dry_run:
        return outcome
    drawn, plan = outcome.drawn, outcome.plan
    totals = _long_list_totals(entries, file)
    with file.db.write() as write:
        keys = _copy_entries(file, drawn)
        write.executemany(
            "UPDATE long_list_entry SET status = ?, reserve_rank = ? WHERE entry_no = ?",
            [
                (RESERVE, rank, entry_no)
                for in_order in outcome.in_reserve
                for rank, entry_no in enumerate(in_order, start=1)
            ],
        )
        write.execute(
            "INSERT INTO sample_draw (drawn_at, size, seed, strata, minimum, reserves, plan,"
            " long_list_totals) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                utc_now_iso(),
                size,
                str(seed),
                json.dumps(list(strata)),
                minimum,
                reserves,
                json.dumps([list(p) for p in plan]),
                json.dumps(totals, sort_keys=True),
            ),
        )
    return replace(outcome, written=True, changes=Changes(case_keys=frozenset(keys), cases=True))


def _long_list_totals(
    entries: Sequence[tuple[int, dict[str, object]]], file: InspectionFile
) -> dict[str, dict[str, int]]:
    """Each reported field's counts over the whole long list, to set the sample beside."""
    totals: dict[str, dict[str, int]] = {}
    for spec in file.framework.profile.profile_fields:
        if not spec.in_report:
            continue
        counts = Counter(value_text(p.get(spec.name)) or "not recorded" for _, p in entries)
        totals[spec.name] = dict(sorted(counts.items()))
    return totals


def _copy_entries(file: InspectionFile, drawn: Sequence[tuple[int, int]]) -> list[str]:
    """Long-list entries, given as (sample number, entry number), become sampled cases
    (profile, raw spellings and identifiers), in the caller's transaction; their keys."""
    conn = file.db.raw
    keys, cases, identities = [], [], []
    for sample_no, entry_no in drawn:
        key = ids.case_key(file.inspection.id, sample_no)
        profile, raw = conn.execute(
            "SELECT profile, raw FROM long_list_entry WHERE entry_no = ?", (entry_no,)
        ).fetchone()
        cases.append((key, sample_no, profile, raw))
        identity = conn.execute(
            "SELECT crn, name FROM long_list_identity WHERE entry_no = ?", (entry_no,)
        ).fetchone()
        if identity is not None:
            identities.append((key, identity[0], identity[1]))
        keys.append(key)
    case_queries.add_cases(file.db, cases)
    case_queries.add_identities(file.db, identities)
    conn.executemany(
        "UPDATE long_list_entry SET status = ?, sample_no = ? WHERE entry_no = ?",
        [(DRAWN, sample_no, entry_no) for sample_no, entry_no in drawn],
    )
    return keys


def check_drawn_as_shown(
    file: InspectionFile, outcome: DrawOutcome, shown: Sequence[tuple[int, int]], name: str
) -> None:
    """Refuse (in the caller's transaction, so nothing is kept) a draw written into the file
    that is not the one shown before, given as (sample number, row of the file `name`) for
    each case: the file changed on disk since it was checked."""
    rows = dict(file.db.raw.execute("SELECT entry_no, row_number FROM long_list_entry"))
    if tuple((number, rows[entry]) for number, entry in outcome.drawn) != tuple(shown):
        raise ValidationError(
            f"{name} has changed since it was checked: the sample drawn from it is not the "
            "one shown. Check the file again."
        )


@dataclass(frozen=True)
class Replacement:
    replaced: int  # the sample number left out
    sample_no: int  # the reserve's new sample number
    entry_no: int
    changes: Changes


def replace_case(file: InspectionFile, sample_no: int, reason: str) -> Replacement:
    """Replace an unsuitable drawn case by the next reserve of its stratum. Refused once the
    case has any answer or correction, so no fieldwork is ever thrown away."""
    reason = reason.strip()
    if not reason:
        raise ValidationError("give the reason the case is unsuitable (--reason)")
    conn = file.db.raw
    row = conn.execute(
        "SELECT entry_no, profile FROM long_list_entry WHERE sample_no = ? AND status = ?",
        (sample_no, DRAWN),
    ).fetchone()
    if row is None:
        raise ValidationError(f"case {sample_no} was not drawn from the long list")
    entry_no, profile_text = row
    key = file.case_key_for(sample_no)
    if key in withdrawal_queries.withdrawn_keys(file.db):
        raise ValidationError(f"case {sample_no} is withdrawn; reinstate it before replacing it")
    if case_has_revisions(conn, key):
        raise ValidationError(
            f"case {sample_no} already has answers or corrections; it cannot be replaced"
        )
    draw = conn.execute("SELECT strata FROM sample_draw ORDER BY id DESC LIMIT 1").fetchone()
    strata = json.loads(draw[0]) if draw else []
    definition = file.framework.profile
    profile = profile_from_json(profile_text, definition)
    stratum = tuple(value_text(profile.get(name)) for name in strata)
    reserve = None
    for candidate, text in conn.execute(
        "SELECT entry_no, profile FROM long_list_entry WHERE status = ? ORDER BY reserve_rank",
        (RESERVE,),
    ):
        other = profile_from_json(text, definition)
        if tuple(value_text(other.get(name)) for name in strata) == stratum:
            reserve = candidate
            break
    if reserve is None:
        raise ValidationError(
            f"No reserve is left in the stratum of {sample_label(sample_no)} "
            f"({_stratum_text(stratum) or 'the whole list'}); withdraw the case instead, "
            "with its reason (it is then left out of every count)"
        )
    new_number = _next_sample_number(file)
    readers = allocation_queries.readers_of(file.db, key)
    with file.db.write() as write:
        case_queries.delete_case(file.db, key)
        write.execute(
            "UPDATE long_list_entry SET status = ?, reason = ? WHERE entry_no = ?",
            (REPLACED, reason, entry_no),
        )
        (new_key,) = _copy_entries(file, [(new_number, reserve)])
        # The replacement goes to whoever was to read the case it replaces.
        allocation_queries.add(
            file.db, [(new_key, member_id, reader) for member_id, reader in readers]
        )
    return Replacement(
        sample_no,
        new_number,
        reserve,
        Changes(case_keys=frozenset({key, new_key}), cases=True, all_cases=True),
    )


@dataclass(frozen=True)
class LongListSummary:
    entries: int
    drawn: int
    reserves: int
    replaced: tuple[tuple[int, str], ...]  # (sample number, reason)
    seed: str | None
    strata: tuple[str, ...]
    totals: dict[str, dict[str, int]]


def long_list_summary(file: InspectionFile) -> LongListSummary | None:
    """What the report says about the draw, or None when the sample was imported as it is."""
    conn = file.db.raw
    counts = dict(
        conn.execute("SELECT status, count(*) FROM long_list_entry GROUP BY status").fetchall()
    )
    if not counts:
        return None
    draw = conn.execute(
        "SELECT seed, strata, long_list_totals FROM sample_draw ORDER BY id DESC LIMIT 1"
    ).fetchone()
    replaced = tuple(
        conn.execute(
            "SELECT sample_no, reason FROM long_list_entry WHERE status = ? ORDER BY sample_no",
            (REPLACED,),
        ).fetchall()
    )
    return LongListSummary(
        sum(counts.values()),
        counts.get(DRAWN, 0),
        counts.get(RESERVE, 0),
        replaced,
        draw[0] if draw else None,
        tuple(json.loads(draw[1])) if draw else (),
        json.loads(draw[2]) if draw else {},
    )
