"""The lead's overview of fieldwork: per person and overall, each figure with the cases behind it.

Qt-free so a background worker can build it with its own connection and tests can recount it
without a display. Every figure carries the `CaseScope` that selects its cases in the case list,
so a figure and the list it links to can never disagree.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from inspector_app.app.case_rows import CaseRow
from inspector_app.core.cases.case_data import COMPLETE, IN_PROGRESS, NOT_STARTED
from inspector_app.core.cases.status import CaseSummary, case_summaries
from inspector_app.core.cases.team import Role, list_members
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.revisions.authors import work_by_author
from inspector_app.core.revisions.hlc import wall_ms
from inspector_app.core.times import local_time

# What a scope may ask of a case besides its reader: one of the case list's statuses, or these.
NOTES_MISSING = "notes missing"
CONFLICT = "conflict"
REVIEW_NOTE = "review note"  # a review note still open
STATUSES = (NOT_STARTED, IN_PROGRESS, COMPLETE)
CONDITIONS = (*STATUSES, NOTES_MISSING, CONFLICT, REVIEW_NOTE)
FIRST = "first"
SECOND = "second"
READERS = (FIRST, SECOND)
NOTHING_YET = "nothing yet"

ROLE_NAMES: dict[str, str] = {
    Role.LEAD.value: "Lead inspector",
    Role.INSPECTOR.value: "Inspector",
    Role.ASSESSOR.value: "Local assessor",
}


@dataclass(frozen=True)
class CaseScope:
    """The cases a figure counts, as the case list narrows to them: whose (`person` as first or
    second `reader`, or either when `reader` is None) and in what state (`condition`)."""

    person: str | None = None
    reader: str | None = None
    condition: str | None = None

    def __post_init__(self) -> None:
        if self.reader is not None and self.reader not in READERS:
            raise ValueError(f"unknown reader '{self.reader}'")
        if self.condition is not None and self.condition not in CONDITIONS:
            raise ValueError(f"unknown condition '{self.condition}'")

    def matches(self, row: CaseRow) -> bool:
        return self.matches_summary(row.summary)

    def matches_summary(self, s: CaseSummary) -> bool:
        if not self._reads(s):
            return False
        if self.condition is None:
            return True
        if self.condition == NOTES_MISSING:
            return s.notes_missing > 0
        if self.condition == CONFLICT:
            return s.conflicts > 0
        if self.condition == REVIEW_NOTE:
            return s.review_notes_open > 0
        return s.status == self.condition

    def _reads(self, s: CaseSummary) -> bool:
        if self.reader == FIRST:
            return s.assessor is not None and self.person in (None, s.assessor)
        if self.reader == SECOND:
            return s.second_reader is not None and self.person in (None, s.second_reader)
        return self.person is None or self.person in (s.assessor, s.second_reader)

    def describe(self) -> str:
        """What the case list says it is showing: "Daniel Okafor's cases in progress"."""
        if self.reader == SECOND:
            noun = "second reads"
        elif self.reader == FIRST:
            noun = "cases" if self.person else "allocated cases"
        else:
            noun = "cases" if self.person is None else "cases and second reads"
        phrase = {
            None: noun,
            NOT_STARTED: f"{noun} not started",
            IN_PROGRESS: f"{noun} in progress",
            COMPLETE: f"complete {noun}",
            NOTES_MISSING: f"{noun} with notes missing",
            CONFLICT: f"{noun} with open conflicts",
            REVIEW_NOTE: f"{noun} with review notes open",
        }[self.condition]
        if self.person is not None:
            return f"{self.person}'s {phrase}"
        return "All cases" if phrase == "cases" else phrase[0].upper() + phrase[1:]


@dataclass(frozen=True)
class Figure:
    """A number on the dashboard and the cases it counts."""

    count: int
    scope: CaseScope


@dataclass(frozen=True)
class Progress:
    """One row of the dashboard: a person's cases as first reader and their second reads, or
    (with no name) every case of the inspection."""

    name: str | None
    role: str
    cases: Figure
    not_started: Figure
    in_progress: Figure
    complete: Figure
    notes_missing: Figure  # cases with at least one answer missing its required note
    notes_missing_answers: int  # the answers themselves
    conflicts: Figure  # cases with conflicting answers
    review_notes: Figure  # cases with a review note still open
    second_reads: Figure
    second_reads_complete: Figure
    latest_work: datetime | None  # UTC: the newest revision of theirs in the master

    @property
    def latest_text(self) -> str:
        return when_text(self.latest_work)

    def figures(self) -> tuple[Figure, ...]:
        return (
            self.cases,
            self.not_started,
            self.in_progress,
            self.complete,
            self.notes_missing,
            self.conflicts,
            self.review_notes,
            self.second_reads,
            self.second_reads_complete,
        )


@dataclass(frozen=True)
class Dashboard:
    title: str
    fieldwork_dates: str  # "2 to 6 November 2026", "" when the file has none
    people: tuple[Progress, ...]  # team members with cases, lead first, then by name
    total: Progress
    open_conflicts: int  # every value to settle in Inspection > Conflicts, not only answers

    def figures(self) -> Iterator[Figure]:
        """Every linked figure on the page, for the page and for recounting."""
        for row in (*self.people, self.total):
            yield from row.figures()


def when_text(when: datetime | None) -> str:
    """A time as the dashboard prints it, in local time: "Tue 3 Nov 14:05"."""
    if when is None:
        return NOTHING_YET
    return local_time(when)


def stamp_time(stamp: str | None) -> datetime | None:
    return None if stamp is None else datetime.fromtimestamp(wall_ms(stamp) / 1000, tz=UTC)


@dataclass
class _Tally:
    """Counts built in one pass over the case summaries."""

    cases: int = 0
    statuses: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))
    notes_missing: int = 0
    notes_missing_answers: int = 0
    conflicts: int = 0
    review_notes: int = 0
    second_reads: int = 0
    second_reads_complete: int = 0

    def add_case(self, s: CaseSummary) -> None:
        self.cases += 1
        self.statuses[s.status] = self.statuses.get(s.status, 0) + 1
        if s.notes_missing:
            self.notes_missing += 1
            self.notes_missing_answers += s.notes_missing
        if s.conflicts:
            self.conflicts += 1
        if s.review_notes_open:
            self.review_notes += 1

    def add_second_read(self, s: CaseSummary) -> None:
        self.second_reads += 1
        if s.status == COMPLETE:
            self.second_reads_complete += 1

    def progress(
        self, name: str | None, role: str, latest: datetime | None, cases_reader: str | None
    ) -> Progress:
        def first(count: int, condition: str | None = None) -> Figure:
            return Figure(count, CaseScope(name, cases_reader, condition))

        def second(count: int, condition: str | None = None) -> Figure:
            return Figure(count, CaseScope(name, SECOND, condition))

        return Progress(
            name=name,
            role=role,
            cases=first(self.cases),
            not_started=first(self.statuses[NOT_STARTED], NOT_STARTED),
            in_progress=first(self.statuses[IN_PROGRESS], IN_PROGRESS),
            complete=first(self.statuses[COMPLETE], COMPLETE),
            notes_missing=first(self.notes_missing, NOTES_MISSING),
            notes_missing_answers=self.notes_missing_answers,
            conflicts=first(self.conflicts, CONFLICT),
            review_notes=first(self.review_notes, REVIEW_NOTE),
            second_reads=second(self.second_reads),
            second_reads_complete=second(self.second_reads_complete, COMPLETE),
            latest_work=latest,
        )


@dataclass(frozen=True)
class Person:
    """A team member as the dashboard lists them."""

    name: str
    role: str  # as shown: "Inspector", "Local assessor"
    latest_work: datetime | None


def team_progress(
    summaries: Iterable[CaseSummary], team: Iterable[Person]
) -> tuple[tuple[Progress, ...], Progress]:
    """A row for each member with cases (as first or second reader), in the team's order, and
    the totals over every case. One pass over the summaries: a 10,000-case master stays quick."""
    total = _Tally()
    by_name: dict[str, _Tally] = {}
    for s in summaries:
        total.add_case(s)
        if s.assessor is not None:
            by_name.setdefault(s.assessor, _Tally()).add_case(s)
        if s.second_reader is not None:
            total.add_second_read(s)
            by_name.setdefault(s.second_reader, _Tally()).add_second_read(s)
    members = list(team)
    people = tuple(
        by_name[p.name].progress(p.name, p.role, p.latest_work, FIRST)
        for p in members
        if p.name in by_name
    )
    # The work received from the people with cases (the lead's own setting up is none).
    stamps = [p.latest_work for p in members if p.name in by_name and p.latest_work is not None]
    return people, total.progress(None, "", max(stamps, default=None), None)


def build_dashboard(file: InspectionFile) -> Dashboard:
    """Where fieldwork in this file stands now (the master's figures, or a fieldwork file's)."""
    # Imported here: the case list imports this module, and opening a file need not load
    # the report's and the merge's modules.
    from inspector_app.core.merge.conflicts import list_conflicts
    from inspector_app.core.report.data import date_range

    work = work_by_author(file.db.raw)
    team = [
        Person(
            member.name,
            ROLE_NAMES.get(member.role, member.role.capitalize()),
            stamp_time(done.newest_stamp) if (done := work.get(member.id)) else None,
        )
        for member in list_members(file)
    ]
    people, total = team_progress(case_summaries(file), team)
    info = file.inspection
    return Dashboard(
        title=info.title,
        fieldwork_dates=date_range(info.fieldwork_start, info.fieldwork_end),
        people=people,
        total=total,
        open_conflicts=len(list_conflicts(file)),
    )


def load_dashboard(path: Path, passphrase: str | None = None) -> Dashboard:
    """The same, through a connection of its own: what a background worker calls."""
    with InspectionFile.open(path, readonly=True, passphrase=passphrase, checked=True) as file:
        return build_dashboard(file)
