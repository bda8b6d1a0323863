"""Setting up an inspection from the New Inspection wizard's plan: the master with its team
and sample, the balanced allocation, the fieldwork files, all written or (on any failure)
none; and the allocation preview, planned on the rows in hand without writing a file.

Qt-free, so the wizard's pages only collect a `Plan` and show what comes back.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path

from inspector_app.app.frameworks import load_installed
from inspector_app.core.cases.allocation_plan import Reader, plan_allocation
from inspector_app.core.cases.team import add_member
from inspector_app.core.errors import InspectorError
from inspector_app.core.files.fieldwork_export import ExportOutcome, export_fieldwork
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.framework.profile import ProfileDefinition
from inspector_app.core.narrative.parts import check_unencrypted_reason, record_unencrypted_reason
from inspector_app.core.sample.capacity import CAPACITY_LIMIT, set_capacity
from inspector_app.core.sample.importing import SampleRow
from inspector_app.core.sample.long_list import (
    check_drawn_as_shown,
    draw_sample,
    import_long_list,
    long_list_summary,
)
from inspector_app.core.sample.mapping import SampleMapping
from inspector_app.core.sample.placement import (
    DEFAULT_BALANCE,
    SampleImportOutcome,
    allocate_auto,
    allocate_by_sample_number,
    import_sample,
)

_SIDE_FILES = ("-wal", "-shm", "-journal")


@dataclass(frozen=True)
class Member:
    name: str
    role: str  # lead, inspector or assessor


@dataclass(frozen=True)
class DrawChoice:
    """The sample to draw from a long list, as the lead chose it, and the draw the wizard
    showed: (sample number, row of the file) for each case, so the master gets exactly the
    cases the allocation was planned on."""

    size: int
    strata: tuple[str, ...]
    seed: str
    minimum: int
    reserves: int
    shown: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Plan:
    """Everything the user chose; the master is built from this and nothing else."""

    title: str
    organisation: str
    programme: str
    framework_id: str
    fieldwork_start: str  # ISO dates
    fieldwork_end: str
    passphrase: str | None
    team: tuple[Member, ...]
    unencrypted_reason: str | None = None  # why the master is not encrypted (None when it is)
    sample: Path | None = None
    accept_valid_rows: bool = False
    mapping: SampleMapping | None = None  # the lead's mapping of the sample's columns and values
    confirm_exclusion: bool = False  # the lead confirmed leaving rows out ...
    exclusion_reason: str = ""  # ... for this reason
    draw: DrawChoice | None = None  # `sample` is the trust's long list: the sample to draw
    allocation: tuple[tuple[int, str], ...] = ()  # (sample number, first reader) as previewed
    capacities: tuple[tuple[str, int], ...] = ()  # (name, most cases) the lead set
    fieldwork_folder: Path | None = None  # None: no fieldwork files now
    fieldwork_passphrases: tuple[tuple[str, str], ...] = ()  # (name, passphrase)
    with_identifiers: bool = False
    master: Path | None = None

    @property
    def lead(self) -> str:
        return next(m.name for m in self.team if m.role == "lead")


@dataclass(frozen=True)
class Created:
    """What `create_inspection` wrote."""

    master: Path
    encrypted: bool
    imported: int
    skipped: int
    allocation: dict[str, int]
    exports: tuple[ExportOutcome, ...]
    encrypted_exports: frozenset[str]  # names whose file has its own passphrase
    long_list: int = 0  # the long list's cases, when the sample was drawn from it


def _build_master(path: Path, plan: Plan) -> tuple[InspectionFile, SampleImportOutcome | None]:
    """Create the master at `path` with the team and the sample. On failure the file is
    closed and removed (it was new) and the error raised."""
    file = InspectionFile.create(
        path,
        title=plan.title,
        organisation=plan.organisation,
        programme=plan.programme,
        framework_id=plan.framework_id,
        framework=load_installed(plan.framework_id),
        lead=plan.lead,
        fieldwork_start=plan.fieldwork_start,
        fieldwork_end=plan.fieldwork_end,
        passphrase=plan.passphrase,
    )
    try:
        if not file.encrypted:
            record_unencrypted_reason(file, plan.unencrypted_reason or "")
        for member in plan.team:
            if member.role != "lead":
                add_member(file, member.name, member.role)
        for name, capacity in plan.capacities:
            # Kept for the board; 0 in the preview means "no cases now", not a limit to keep.
            if 1 <= capacity <= CAPACITY_LIMIT:
                set_capacity(file, name, capacity)
        outcome = None
        if plan.sample is not None and plan.draw is not None:
            outcome = _draw_from_long_list(file, plan.sample, plan.draw, plan)
        elif plan.sample is not None:
            outcome = import_sample(
                file,
                plan.sample,
                mapping=plan.mapping,
                accept_valid_rows=plan.accept_valid_rows,
                confirm_exclusion=plan.confirm_exclusion,
                exclusion_reason=plan.exclusion_reason,
            )
    except BaseException:
        file.close()
        _remove_database(path)
        raise
    return file, outcome


def _draw_from_long_list(
    file: InspectionFile, path: Path, draw: DrawChoice, plan: Plan
) -> SampleImportOutcome:
    """Import the long list and draw the sample from it; refused (and so nothing written)
    when the draw differs from the one the lead was shown, as it would if the file changed
    on disk since it was checked."""
    listed = import_long_list(
        file,
        path,
        mapping=plan.mapping,
        accept_valid_rows=plan.accept_valid_rows,
        confirm_exclusion=plan.confirm_exclusion,
        exclusion_reason=plan.exclusion_reason,
    )
    drawn = draw_sample(
        file,
        size=draw.size,
        strata=draw.strata,
        seed=draw.seed,
        minimum=draw.minimum,
        reserves=draw.reserves,
    )
    check_drawn_as_shown(file, drawn, draw.shown, path.name)
    return SampleImportOutcome(len(drawn.drawn), listed.skipped, (), excluded=listed.excluded)


@dataclass(frozen=True)
class AllocationPreview:
    """How the cases will be shared: each person's number of cases and mix of the first
    balanced field (the sentence type)."""

    counts: dict[str, int]  # name -> cases, in the order the master lists the team
    field_label: str  # the balanced field shown, e.g. "Sentence type"
    values: tuple[str, ...]  # its values, in the profile's order ("" for not recorded)
    mix: dict[str, dict[str, int]]  # name -> value -> cases
    assignments: dict[int, str] = field(default_factory=dict)  # sample number -> name


def preview_allocation(
    team: tuple[Member, ...],
    rows: tuple[SampleRow, ...],
    definition: ProfileDefinition,
    *,
    capacities: dict[str, int] | None = None,
    moves: dict[int, str] | None = None,
) -> AllocationPreview:
    """The balanced allocation the master will get, planned on the rows in hand as
    `allocate_auto` plans it on the imported cases (the same readers in the same order, the
    same balance), so the counts and each person's mix of sentence types are the same.
    Writes nothing."""
    readers = sorted(m.name for m in team if m.role in ("inspector", "assessor")) or sorted(
        m.name for m in team
    )
    balance = tuple(name for name in DEFAULT_BALANCE if name in definition.by_name)
    capacities = capacities or {}
    by_number = {row.sample_no: row.profile for row in rows if row.sample_no is not None}
    cases = [(f"{number:09d}", profile) for number, profile in sorted(by_number.items())]
    team_readers = [Reader(name, name, capacity=capacities.get(name)) for name in readers]
    plan = plan_allocation(cases, team_readers, balance=balance)
    assignments = {int(key): name for key, name in plan.assignments.items()}
    for number, name in (moves or {}).items():  # cases the lead moved by hand
        if number in assignments and name in readers:
            assignments[number] = name
    shown = balance[0] if balance else ""
    spec = definition.by_name.get(shown)
    mix: dict[str, dict[str, int]] = {name: {} for name in readers}
    for number, name in assignments.items():
        value = by_number[number].get(shown)
        text = "" if value is None else str(value)
        mix[name][text] = mix[name].get(text, 0) + 1
    seen = {value for name in readers for value in mix[name]}
    declared = [str(v) for v in spec.values] if spec is not None else []
    values = tuple(v for v in declared if v in seen) + tuple(
        sorted(v for v in seen if v not in declared)
    )
    counts = {name: sum(1 for n in assignments.values() if n == name) for name in readers}
    return AllocationPreview(
        counts=counts,
        field_label=spec.label if spec is not None else "",
        values=values,
        mix=mix,
        assignments=assignments,
    )


def create_inspection(plan: Plan) -> Created:
    """Write the master and the fieldwork files: all of them, or (on any failure) none."""
    if plan.master is None:
        raise InspectorError("Choose where to save the master file.")
    if not plan.passphrase:  # an unencrypted master needs its reason: checked before writing
        check_unencrypted_reason(plan.unencrypted_reason)
    file, outcome = _build_master(plan.master, plan)
    written: list[Path] = []
    try:
        if outcome is None:
            allocation: dict[str, int] = {}
        elif plan.allocation:  # the allocation the lead saw, with any case moved by hand
            counts = allocate_by_sample_number(file, dict(plan.allocation))
            allocation = {m.name: counts.get(m.name, 0) for m in plan.team if m.name in counts}
        else:
            allocation = allocate_auto(file)
        exports: list[ExportOutcome] = []
        passphrases = dict(plan.fieldwork_passphrases)
        if plan.fieldwork_folder is not None:
            for name, count in allocation.items():
                if count == 0:
                    continue
                exported = export_fieldwork(
                    file,
                    name,
                    plan.fieldwork_folder,
                    with_identifiers=plan.with_identifiers,
                    passphrase=passphrases.get(name) or None,
                )
                written.append(exported.path)
                exports.append(exported)
        encrypted = file.encrypted
        summary = long_list_summary(file)
        long_list = summary.entries if summary is not None else 0
    except BaseException:
        file.close()
        for path in written:
            _remove_database(path)
        _remove_database(plan.master)
        raise
    file.close()
    return Created(
        master=plan.master,
        encrypted=encrypted,
        imported=outcome.imported if outcome else 0,
        skipped=outcome.skipped if outcome else 0,
        allocation=allocation,
        exports=tuple(exports),
        encrypted_exports=frozenset(n for n, p in passphrases.items() if p),
        long_list=long_list,
    )


def _remove_database(path: Path) -> None:
    for candidate in (path, *(path.with_name(path.name + s) for s in _SIDE_FILES)):
        with contextlib.suppress(OSError):
            candidate.unlink(missing_ok=True)
