"""Read models of cases: profile, answers, applicability and progress.

Built from the materialised current values in a few set-based queries, so the case list of a
10,000-case master is one pass, not a query per case.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from inspector_app.core.files import (
    allocation_queries,
    case_queries,
    team_queries,
    withdrawal_queries,
)
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.framework import Framework, Question, applicable_questions
from inspector_app.core.framework.profile import profile_from_json, raw_from_json, sample_label
from inspector_app.core.revisions.current import case_values
from inspector_app.core.revisions.log import Kind, decode_value
from inspector_app.core.revisions.review_records import REVIEWED_FIELD, OpenNotes
from inspector_app.core.storage.dbapi import Connection

NOT_STARTED = "not started"
IN_PROGRESS = "in progress"
COMPLETE = "complete"
STATUS_FIELD = "complete"


@dataclass(frozen=True)
class AnswerValue:
    """The current answer to one question of one case."""

    value: str | None
    note: str
    author: str
    hlc: str
    conflicted: bool = False


@dataclass
class CaseState:
    """Everything known about one case's current values."""

    key: str
    sample_no: int
    imported_profile: dict[str, object]
    profile_edits: dict[str, object] = field(default_factory=dict)
    answers: dict[str, AnswerValue] = field(default_factory=dict)
    marked_complete: bool = False
    first_reader: str | None = None
    second_reader: str | None = None
    raw: dict[str, str] = field(default_factory=dict)  # the export's spelling, where mapped
    review_notes_open: int = 0  # review notes not addressed nor withdrawn (cases/review.py)
    reviewed: bool = False  # the lead signed the case off

    @property
    def label(self) -> str:
        return sample_label(self.sample_no)

    @property
    def profile(self) -> dict[str, object]:
        """The profile as confirmed on site: the import overlaid with corrections."""
        return {**self.imported_profile, **self.profile_edits}

    def answer_values(self) -> dict[str, str | None]:
        return {code: a.value for code, a in self.answers.items()}


@dataclass(frozen=True)
class Progress:
    applicable: int  # questions that apply and need an answer
    answered: int
    notes_missing: int
    conflicts: int


def is_required(framework: Framework, question: Question) -> bool:
    """Free-text items (an interview note) are optional; every choice question needs an answer."""
    return framework.scale_of(question).kind != "text"


NOT_ANSWERED = "not answered"
NEEDS_NOTE = "needs an evidence note"


def question_problem(question: Question, case: CaseState) -> str | None:
    """What stops a required, applicable question counting as done (NOT_ANSWERED or
    NEEDS_NOTE), or None when it is done: the one rule for progress, section progress and
    the completion check."""
    answer = case.answers.get(question.code)
    if answer is None or not answer.value:
        return NOT_ANSWERED
    if question.needs_note(answer.value) and not answer.note.strip():
        return NEEDS_NOTE
    return None


def progress_of(framework: Framework, case: CaseState) -> Progress:
    applicable = [
        q
        for q in applicable_questions(framework, case.profile, case.answer_values())
        if is_required(framework, q)
    ]
    problems = [question_problem(q, case) for q in applicable]
    conflicts = sum(
        1
        for q, problem in zip(applicable, problems, strict=True)
        if problem != NOT_ANSWERED and case.answers[q.code].conflicted
    )
    return Progress(
        applicable=len(applicable),
        answered=sum(problem != NOT_ANSWERED for problem in problems),
        notes_missing=problems.count(NEEDS_NOTE),
        conflicts=conflicts,
    )


def status_of(case: CaseState) -> str:
    if case.marked_complete:
        return COMPLETE
    if any(a.value for a in case.answers.values()):
        return IN_PROGRESS
    return NOT_STARTED


def load_cases(file: InspectionFile, case_keys: list[str] | None = None) -> list[CaseState]:
    """Current state of every case (or of the given ones), in sample-number order."""
    definition = file.framework.profile
    cases: dict[str, CaseState] = {}
    withdrawn = withdrawal_queries.withdrawn_keys(file.db)  # out of every list and count
    for key, sample_no, profile, raw in case_queries.case_rows(file.db, case_keys):
        if key in withdrawn:
            continue
        cases[key] = CaseState(
            key=key,
            sample_no=sample_no,
            imported_profile=profile_from_json(profile, definition),
            raw=raw_from_json(raw),
        )
    _load_current_values(file.db.raw, cases, case_keys)
    _load_readers(file, cases, case_keys)
    return list(cases.values())


def load_case(file: InspectionFile, case_key: str) -> CaseState:
    found = load_cases(file, [case_key])
    if not found:
        from inspector_app.core.errors import NotFound

        raise NotFound(f"{file.path.name}: no such case")
    return found[0]


def _load_current_values(
    conn: Connection, cases: dict[str, CaseState], case_keys: list[str] | None
) -> None:
    """Answers, profile corrections and statuses, by kind; review values only count the
    open notes (they are no answer: nothing else reads them here)."""
    open_notes = OpenNotes()
    for case_key, kind, fld, value, note, author, hlc, conflicted in case_values(conn, case_keys):
        case = cases.get(case_key)
        if case is None:
            continue
        decoded = decode_value(value)
        if kind == Kind.ANSWER:
            # ignore: a stored answer decodes to text or None (merge/validation.py refuses others)
            case.answers[fld] = AnswerValue(decoded, note, author, hlc, bool(conflicted))  # type: ignore[arg-type]
        elif kind == Kind.PROFILE:
            case.profile_edits[fld] = decoded
        elif kind == Kind.STATUS and fld == STATUS_FIELD:
            case.marked_complete = bool(decoded)
        elif kind == Kind.STATUS and fld == REVIEWED_FIELD:
            case.reviewed = decoded is True
        elif kind == Kind.REVIEW:
            open_notes.add(case_key, fld, decoded)
    for case_key, count in open_notes.counts().items():
        cases[case_key].review_notes_open = count


def _load_readers(
    file: InspectionFile, cases: dict[str, CaseState], case_keys: list[str] | None
) -> None:
    for case_key, name, second in readers_by_name(file, case_keys):
        case = cases.get(case_key)
        if case is None:
            continue
        if second:
            case.second_reader = name
        else:
            case.first_reader = name


def readers_by_name(
    file: InspectionFile, case_keys: list[str] | None = None
) -> list[tuple[str, str, bool]]:
    """(case key, reader's name, second reader?) of each case's readers, to apply in order: a
    reader missing from the team is left out; of two in one place the last by name holds it."""
    names = team_queries.names_by_id(file.db)
    readers = [
        (names[member_id], case_key, reader)
        for case_key, member_id, reader in allocation_queries.allocation_rows(file.db, case_keys)
        if member_id in names
    ]
    return [
        (case_key, name, reader == allocation_queries.SECOND)
        for name, case_key, reader in sorted(readers)
    ]


def member_names(file: InspectionFile) -> dict[str, str]:
    """Team member id -> name, for showing authors."""
    return team_queries.names_by_id(file.db)
