"""Plain (Qt-free) shapes the screens show, built from the core read models.

Kept apart from the Qt models so a background worker can build them with its own connection
and tests can check them without a display.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from inspector_app.core.cases.case_data import (
    COMPLETE,
    IN_PROGRESS,
    NEEDS_NOTE,
    NOT_ANSWERED,
    NOT_STARTED,
    CaseState,
    is_required,
    question_problem,
)
from inspector_app.core.cases.status import (
    CaseSummary,
    page_of_summaries,
    summaries_with_profiles,
)
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.framework import Framework, Question, Section
from inspector_app.core.framework.profile import (
    FIELDS_BY_NAME,
    PROFILE_FIELDS,
    ROSH_LEVELS,
    FieldKind,
)

# Short forms of the profile flags for the case list's narrow "Flags" column.
FLAG_SHORT = {
    "child_protection": "Child protection",
    "domestic_abuse": "Domestic abuse",
    "alcohol_misuse": "Alcohol",
    "drug_misuse": "Drugs",
    "statutory_victim": "Victim",
    "req_accredited_programme": "Programme",
    "req_unpaid_work": "UPW",
    "req_alcohol_treatment": "ATR",
    "req_drug_rehabilitation": "DRR",
    "req_rehabilitation_activity": "RAR",
    "req_curfew": "Curfew",
}
_FLAG_NAME_BY_LABEL = {FIELDS_BY_NAME[name].label: name for name in FLAG_SHORT}
# Rows shown at once when a file opens: more than a screenful, few enough to read in a blink
# (0.2 ms a case, 30 ms for this many). An inspection's whole sample (60 to 150 cases) fits,
# so its master, like a fieldwork file, is listed whole as it opens, and no worker opens it
# again (for an encrypted file, a second key derivation of about a tenth of a second).
FIRST_ROWS = 150


def short_flags(labels: Iterable[str]) -> str:
    """'Child protection, Alcohol' for the flag labels a case summary carries."""
    return ", ".join(FLAG_SHORT.get(_FLAG_NAME_BY_LABEL.get(label, ""), label) for label in labels)


@dataclass(frozen=True)
class CaseRow:
    """One row of the case list: the core summary and the text the filter box searches."""

    summary: CaseSummary
    search_text: str

    @property
    def key(self) -> str:
        return self.summary.key


def search_text(summary: CaseSummary, profile: Mapping[str, object]) -> str:
    """Everything a user may type to find a case, folded for case-insensitive matching:
    sample number, every profile value, assessor, second reader, status, and whether the
    case has open review notes or was signed off as reviewed."""
    parts: list[str] = [summary.label, str(summary.sample_no)]
    for spec in PROFILE_FIELDS:
        value = profile.get(spec.name)
        if value is None or value == "":
            continue
        if spec.kind is FieldKind.FLAG:
            if value:
                parts.append(spec.label)
                parts.append(FLAG_SHORT.get(spec.name, ""))
        elif spec.kind is FieldKind.INTEGER:
            parts.append(f"{spec.label} {value}")
            if spec.name == "tier":
                parts.append(f"t{value}")
        else:
            parts.append(str(value))
    parts.extend(name for name in (summary.assessor, summary.second_reader) if name)
    parts.append(summary.status)
    if summary.notes_missing:
        parts.append("notes missing")
    if summary.conflicts:
        parts.append("conflict")
    if summary.review_notes_open:
        parts.append("review note")
    if summary.reviewed:
        parts.append("reviewed")
    return " | ".join(parts).casefold()


def build_case_rows(file: InspectionFile, case_keys: list[str] | None = None) -> list[CaseRow]:
    """Case list rows for every case of `file` (in one scan) or the given ones, in
    sample-number order."""
    return _rows(summaries_with_profiles(file, case_keys))


class CasePages:
    """The rows of a file a page at a time, by sample number, read case by case from the
    file open on the UI thread: what the list shows at once, and as the user scrolls, while a
    worker reads every row (`load_case_rows`), which takes seconds at 10,000 cases and more."""

    def __init__(self, file: InspectionFile, size: int | None = None) -> None:
        self._file = file
        self._size = size or FIRST_ROWS
        self._start = 0
        self.done = False

    def next_page(self) -> list[CaseRow]:
        """The next page's rows; none once every case has been read."""
        while not self.done:
            summaries, start = page_of_summaries(self._file, self._start, self._size)
            self.done = start < self._start + self._size
            self._start = start
            if summaries:
                return _rows(summaries)
        return []


def _rows(summaries: Iterable[tuple[CaseSummary, Mapping[str, object]]]) -> list[CaseRow]:
    return [CaseRow(summary, search_text(summary, profile)) for summary, profile in summaries]


class CaseRows(list[CaseRow]):
    """Every row of a file, with each column's ascending order worked out beside them (off
    the UI thread, so that at 100,000 rows no sort waits for it)."""

    def __init__(self, rows: Iterable[CaseRow]) -> None:
        super().__init__(rows)
        by_number = sort_order(self, SAMPLE)
        self.orders = {column: sort_order(self, column, by_number) for column in SORT_VALUES}
        self.orders[SAMPLE] = by_number
        # As in any file, no two share a sample number: each order reversed is descending.
        self.numbers_differ = len({row.summary.sample_no for row in self}) == len(self)


def load_case_rows(path: Path, passphrase: str | None = None) -> CaseRows:
    """Every row, through a connection of its own: what a background worker calls for the
    file open in the window (which checked it for damage when it opened it)."""
    with InspectionFile.open(path, readonly=True, passphrase=passphrase, checked=True) as file:
        return CaseRows(build_case_rows(file))


# -- sorting -----------------------------------------------------------------------------------

SAMPLE = "sample"  # the column of sample numbers, which every other column sorts by second
_STATUS_ORDER = {NOT_STARTED: 0, IN_PROGRESS: 1, COMPLETE: 2}
_ROSH_ORDER = {level: n for n, level in enumerate(ROSH_LEVELS)}
# What each other column sorts by before the sample number.
SORT_VALUES: dict[str, Callable[[CaseSummary], Any]] = {
    "sentence": lambda s: s.sentence_type or "",
    "rosh": lambda s: _ROSH_ORDER.get(s.rosh or "", -1),
    "tier": lambda s: s.tier or 0,
    # By how many, then the labels in turn: one string orders so, and sorts faster than a
    # tuple would (the NUL that parts the labels sorts before any character they hold).
    "flags": lambda s: chr(len(s.flags)) + "\0".join(s.flags),
    "assessor": lambda s: s.assessor or "",
    "status": lambda s: _STATUS_ORDER.get(s.status, 0),
    "progress": lambda s: s.answered / s.applicable if s.applicable else 0.0,
}


def sort_order(
    rows: Sequence[CaseRow],
    column: str,
    by_number: list[int] | None = None,
    *,
    descending: bool = False,
) -> list[int]:
    """The rows' indexes in a column's order: by its value, then by sample number. Sorted
    by the value alone from the rows in sample-number order (`by_number`, in the same
    direction), a stable sort gives that order in half the time."""
    if by_number is None:
        numbers = [row.summary.sample_no for row in rows]
        by_number = sorted(range(len(rows)), key=numbers.__getitem__, reverse=descending)
    if column == SAMPLE:
        return by_number
    value = SORT_VALUES[column]
    values = [value(row.summary) for row in rows]
    return sorted(by_number, key=values.__getitem__, reverse=descending)


def filter_tokens(text: str) -> tuple[str, ...]:
    """The words of a filter string; a case matches when its text contains every word."""
    return tuple(text.casefold().split())


def matches(tokens: tuple[str, ...], haystack: str) -> bool:
    return all(token in haystack for token in tokens)


# -- one case under review ---------------------------------------------------------------------


@dataclass(frozen=True)
class SectionProgress:
    """How far a section of one case has got: required questions that apply, answered, and
    answered ones still lacking the note the framework asks for."""

    code: str
    title: str
    applicable: int
    answered: int
    notes_missing: int

    @property
    def done(self) -> bool:
        return self.answered == self.applicable and not self.notes_missing


def question_needs_attention(
    framework: Framework, question: Question, case: CaseState, applies: bool
) -> str | None:
    """Why a question stops the case being complete ('not answered', 'needs an evidence
    note'), or None when it is fine as it is."""
    if not applies or not is_required(framework, question):
        return None
    return question_problem(question, case)


def section_progress(
    framework: Framework, section: Section, case: CaseState, flags: Mapping[str, bool]
) -> SectionProgress:
    problems = [
        question_problem(question, case)
        for question in section.questions
        if flags.get(question.code) and is_required(framework, question)
    ]
    return SectionProgress(
        section.code,
        section.title,
        applicable=len(problems),
        answered=sum(problem != NOT_ANSWERED for problem in problems),
        notes_missing=problems.count(NEEDS_NOTE),
    )
