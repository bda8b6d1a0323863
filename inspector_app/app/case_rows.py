"""Plain (Qt-free) shapes the screens show, built from the core read models.

Kept apart from the Qt models so a background worker can build them with its own connection
and tests can check them without a display.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from inspector_app.core.cases.case_data import (
    NEEDS_NOTE,
    NOT_ANSWERED,
    CaseState,
    is_required,
    load_cases,
    question_problem,
)
from inspector_app.core.cases.status import CaseSummary, summarise
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.framework import Framework, Question, Section
from inspector_app.core.framework.profile import FIELDS_BY_NAME, PROFILE_FIELDS, FieldKind

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
    """Case list rows for every case of `file` (or the given ones), in sample-number order."""
    return [
        CaseRow(summary, search_text(summary, case.profile))
        for case in load_cases(file, case_keys)
        for summary in (summarise(file, case),)
    ]


def load_case_rows(path: Path, passphrase: str | None = None) -> list[CaseRow]:
    """The same, through a connection of its own: what a background worker calls."""
    with InspectionFile.open(path, readonly=True, passphrase=passphrase) as file:
        return build_case_rows(file)


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
