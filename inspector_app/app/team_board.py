"""What the lead's set-up screen shows: the team with each person's capacity, cases and mix,
the cases no one has yet, the cases withdrawn, the work each person has sent back and when
their fieldwork file was written and merged. Read in one pass, no Qt."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from inspector_app.core.cases.status import CaseSummary, case_summaries
from inspector_app.core.cases.team import list_members
from inspector_app.core.files import fieldwork_records, team_queries
from inspector_app.core.files.fieldwork_records import FileHistory
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.revisions.authors import work_by_author
from inspector_app.core.revisions.hlc import wall_ms
from inspector_app.core.sample.withdrawal import WithdrawnCase, withdrawn_cases


@dataclass(frozen=True)
class BoardCase:
    key: str
    sample_no: int
    label: str  # "Case 003"
    description: str  # "Licence · High · Tier 3"
    first_reader: str | None
    second_reader: str | None
    status: str


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    role: str
    first_reads: tuple[BoardCase, ...]
    second_reads: tuple[BoardCase, ...]
    revisions: int  # what of theirs is in this file
    latest_ms: int | None  # when the newest of it was written (ms since the epoch, UTC)
    capacity: int | None = None  # the cases they can read first this week; None: no limit
    # When their fieldwork file was written and last merged.
    history: FileHistory = field(default_factory=FileHistory)

    @property
    def over_capacity(self) -> int:
        """How many cases they read first beyond their capacity (0: within it)."""
        if self.capacity is None:
            return 0
        return max(0, len(self.first_reads) - self.capacity)

    @property
    def mix(self) -> str:
        """The kinds of case they read first, most common first: "3 Licence, 2 CO"."""
        counts = Counter(case.description.split(" · ", 1)[0] for case in self.first_reads)
        return ", ".join(f"{n} {kind}" for kind, n in counts.most_common() if kind)

    @property
    def may_be_removed(self) -> bool:
        return not self.first_reads and not self.second_reads and not self.revisions


@dataclass(frozen=True)
class TeamBoard:
    people: tuple[Person, ...]
    unallocated: tuple[BoardCase, ...]
    withdrawn: tuple[WithdrawnCase, ...] = ()

    def person(self, name: str) -> Person:
        return next(p for p in self.people if p.name == name)

    def case(self, sample_no: int) -> BoardCase:
        for group in (self.unallocated, *(p.first_reads for p in self.people)):
            for case in group:
                if case.sample_no == sample_no:
                    return case
        raise KeyError(sample_no)


def _board_case(summary: CaseSummary) -> BoardCase:
    parts = [summary.sentence_type or "", summary.rosh or ""]
    if summary.tier is not None:
        parts.append(f"Tier {summary.tier}")
    return BoardCase(
        key=summary.key,
        sample_no=summary.sample_no,
        label=summary.label,
        description=" · ".join(p for p in parts if p),
        first_reader=summary.assessor,
        second_reader=summary.second_reader,
        status=summary.status,
    )


def build_team_board(file: InspectionFile) -> TeamBoard:
    cases = [_board_case(s) for s in case_summaries(file)]
    work = work_by_author(file.db.raw)
    capacities = team_queries.capacities(file.db)
    histories = fieldwork_records.history_by_member(file.db)
    people = []
    for member in list_members(file):
        done = work.get(member.id)
        people.append(
            Person(
                id=member.id,
                name=member.name,
                role=member.role,
                first_reads=tuple(c for c in cases if c.first_reader == member.name),
                second_reads=tuple(c for c in cases if c.second_reader == member.name),
                revisions=done.revisions if done else 0,
                latest_ms=wall_ms(done.newest_stamp) if done and done.newest_stamp else None,
                capacity=capacities.get(member.id),
                history=histories.get(member.id, FileHistory()),
            )
        )
    return TeamBoard(
        tuple(people),
        tuple(c for c in cases if c.first_reader is None),
        tuple(withdrawn_cases(file)),
    )
