"""Every case's summary from one scan of the file: what the case list, the overview and
`status` show of each case, at 10,000 cases and more.

`status.summarise` works from `load_cases`, which reads each value with the revision that won
it and works out afresh which questions apply to each case: seconds for 10,000 cases. Here the
values are read without their revisions (a note matters to a summary only where an answer
needs one, and then only whether it is blank, so only such notes are read), and which
questions apply is worked out once for each combination of the facts the framework's
conditions test, which many cases share. The summaries are the same, case for case
(tests/core/test_summary_scan.py).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from itertools import chain

from inspector_app.core.cases.case_data import (
    COMPLETE,
    IN_PROGRESS,
    NOT_STARTED,
    STATUS_FIELD,
    is_required,
    readers_by_name,
)
from inspector_app.core.cases.status import CaseSummary, profile_columns
from inspector_app.core.files import case_queries, withdrawal_queries
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.framework import Framework, applicability
from inspector_app.core.framework.model import All, AnswerTest, Any, Condition, FieldTest, Not
from inspector_app.core.framework.profile import (
    Profile,
    ProfileDefinition,
    is_valid_value,
    sample_label,
)
from inspector_app.core.revisions.current import case_values, every_value, maybe_blank_notes
from inspector_app.core.revisions.log import Kind, encode_value
from inspector_app.core.revisions.review_records import REVIEWED_FIELD, OpenNotes

_ANSWER, _PROFILE, _STATUS, _REVIEW = Kind.ANSWER, Kind.PROFILE, Kind.STATUS, Kind.REVIEW
_NONE: set[str] = set()  # shared by the cases with none: made their own on the first added
_UNSEEN = object()


class _Case:
    """What the scan gathers of one case (the parts of `CaseState` a summary reads)."""

    __slots__ = (
        "answered",
        "answers",
        "conflicted",
        "edits",
        "first_reader",
        "imported",
        "key",
        "marked_complete",
        "needs_note",
        "reviewed",
        "sample_no",
        "second_reader",
    )

    def __init__(self, key: str, sample_no: int, imported: Profile) -> None:
        self.key = key
        self.sample_no = sample_no
        self.imported = imported
        self.edits: dict[str, object] = {}
        self.answers: dict[str, object] = {}  # question code -> answer, as decoded
        self.answered: set[str] = set()  # codes with an answer (not empty)
        self.needs_note: set[str] = _NONE  # answered with a value that needs a note
        self.conflicted: set[str] = _NONE  # answered, and in conflict
        self.marked_complete = False
        self.reviewed = False
        self.first_reader: str | None = None
        self.second_reader: str | None = None

    def profile(self) -> Profile:
        return {**self.imported, **self.edits} if self.edits else self.imported


def scan_summaries(file: InspectionFile) -> list[tuple[CaseSummary, Profile]]:
    """Every case's summary with its profile (as confirmed on site), in sample-number order:
    what `status.summarise` makes of each of `load_cases(file)`, in one scan."""
    framework = file.framework
    read_profile = _profile_reader(framework.profile)
    withdrawn = withdrawal_queries.withdrawn_keys(file.db)
    cases = {
        key: _Case(key, sample_no, read_profile(profile))
        for key, sample_no, profile, _raw in case_queries.case_rows(file.db)
        if key not in withdrawn
    }
    note_values = {q.code: q.note_required for q in framework.questions() if q.note_required}
    stored = {
        (code, text)
        for code, values in note_values.items()
        for v in values
        if (text := encode_value(v))
    }
    respelt, review_notes = _read_values(file, cases, note_values, stored)
    blank = _blank_notes(file, cases, stored, respelt)
    for case_key, name, second in readers_by_name(file):
        case = cases.get(case_key)
        if case is not None and second:
            case.second_reader = name
        elif case is not None:
            case.first_reader = name
    applying = _Applicability(framework)
    return [
        _summary(case, applying, blank.get(case.key, _NONE), review_notes.get(case.key, 0))
        for case in cases.values()
    ]


def _read_values(
    file: InspectionFile,
    cases: dict[str, _Case],
    note_values: dict[str, tuple[str, ...]],
    stored: set[tuple[str, str]],
) -> tuple[set[str], dict[str, int]]:
    """Every current value into its case, as `case_data.load_cases` reads them; returns the
    cases holding an answer that needs a note in a spelling other than `stored` (see
    `_blank_notes`), and each case's open review notes."""
    respelt: set[str] = set()
    open_notes = OpenNotes()
    decoded: dict[str, object] = {}  # few answers are distinct: decode each text once
    # Names bound here: this loop runs once per value, 1.7 million times at 100,000 cases.
    case_of, decoded_of, notes_for = cases.get, decoded.get, note_values.get
    answer_kind, unseen = str(_ANSWER), _UNSEEN
    for case_key, kind, field, value, conflicted in every_value(file.db.raw):
        case = case_of(case_key) if case_key is not None else None
        if case is None:
            continue
        if value is None:
            answer: object = None
        else:
            answer = decoded_of(value, unseen)
            if answer is unseen:
                answer = decoded[value] = json.loads(value)
        if kind == answer_kind:
            case.answers[field] = answer
            if answer:
                case.answered.add(field)
                if conflicted:
                    case.conflicted = _add(case.conflicted, field)
                if answer in notes_for(field, ()):
                    case.needs_note = _add(case.needs_note, field)
                    if (field, value) not in stored:
                        respelt.add(case.key)
        elif kind == _PROFILE:
            case.edits[field] = answer
        elif kind == _STATUS and field == STATUS_FIELD:
            case.marked_complete = bool(answer)
        elif kind == _STATUS and field == REVIEWED_FIELD:
            case.reviewed = answer is True
        elif kind == _REVIEW:
            open_notes.add(case.key, field, answer)
    return respelt, open_notes.counts()


def _add(codes: set[str], code: str) -> set[str]:
    if codes is _NONE:
        return {code}
    codes.add(code)
    return codes


def _summary(
    case: _Case, applying: _Applicability, blank: set[str], review_notes_open: int
) -> tuple[CaseSummary, Profile]:
    profile = case.profile()
    applicable = applying.required_applicable(profile, case.answers)
    answered = applicable & case.answered
    status = COMPLETE if case.marked_complete else IN_PROGRESS if case.answered else NOT_STARTED
    summary = CaseSummary(
        key=case.key,
        sample_no=case.sample_no,
        label=sample_label(case.sample_no),
        **profile_columns(profile),
        assessor=case.first_reader,
        second_reader=case.second_reader,
        status=status,
        answered=len(answered),
        applicable=len(applicable),
        notes_missing=len(answered & case.needs_note & blank),
        conflicts=len(answered & case.conflicted),
        review_notes_open=review_notes_open,
        reviewed=case.reviewed,
    )
    return summary, profile


def _blank_notes(
    file: InspectionFile,
    cases: dict[str, _Case],
    stored: set[tuple[str, str]],
    respelt: set[str],
) -> dict[str, set[str]]:
    """Case key -> the questions answered with a value that needs a note whose note is blank.
    Only the notes that may be blank are read, found by the (question, answer) pairs as
    written (`stored`); a case holding such an answer in another spelling of its JSON
    (`respelt`: none is written so) has its notes read case by case."""
    blank: dict[str, set[str]] = {}
    if not any(case.needs_note for case in cases.values()):
        return blank
    notes: Iterable[tuple[str, str, str]] = maybe_blank_notes(file.db.raw, _ANSWER, stored)
    if respelt:
        every = case_values(file.db.raw, sorted(respelt))
        answers = ((key, fld, note) for key, kind, fld, _v, note, *_ in every if kind == _ANSWER)
        notes = chain(notes, answers)
    for case_key, field, note in notes:
        case = cases.get(case_key)
        if case is not None and field in case.needs_note and not note.strip():
            blank.setdefault(case_key, set()).add(field)
    return blank


class _Applicability:
    """Which required questions apply to a case, worked out once per combination of the
    profile fields and answers that the framework's conditions test."""

    def __init__(self, framework: Framework) -> None:
        self._framework = framework
        fields: set[str] = set()
        questions: set[str] = set()
        for question in framework.questions():
            for test in _tests(question.applies_if):
                if isinstance(test, FieldTest):
                    fields.add(test.field)
                else:
                    questions.add(test.question)
        self._fields = tuple(sorted(fields))
        self._questions = tuple(sorted(questions))
        self._required = frozenset(
            q.code for q in framework.questions() if is_required(framework, q)
        )
        self._known: dict[tuple[object, ...], frozenset[str]] = {}

    def required_applicable(self, profile: Profile, answers: dict[str, object]) -> frozenset[str]:
        # A flag is told apart from a number (True == 1 in a key): conditions do so too.
        facts = tuple((type(v), v) for v in map(profile.get, self._fields))
        key = (facts, tuple(map(answers.get, self._questions)))
        try:
            found = self._known.get(key)
        except TypeError:  # a value no import writes (a list): not kept, worked out each time
            return self._work_out(profile, answers)
        if found is None:
            found = self._known[key] = self._work_out(profile, answers)
        return found

    def _work_out(self, profile: Profile, answers: dict[str, object]) -> frozenset[str]:
        # ignore: a stored answer decodes to text or None (merge/validation.py refuses others)
        flags = applicability(self._framework, profile, answers)  # type: ignore[arg-type]
        return frozenset(code for code, ok in flags.items() if ok and code in self._required)


def _tests(condition: Condition | None) -> Iterator[FieldTest | AnswerTest]:
    """The field and answer tests a condition is made of."""
    if condition is None:
        return
    if isinstance(condition, All | Any):
        for item in condition.items:
            yield from _tests(item)
    elif isinstance(condition, Not):
        yield from _tests(condition.item)
    else:
        yield condition


def _profile_reader(definition: ProfileDefinition) -> Callable[[str | None], Profile]:
    """`profile_from_json` for many profiles: each field's check of a value made once."""
    specs = [(spec.name, spec) for spec in definition.profile_fields]
    valid: dict[tuple[str, type, object], bool] = {}

    def read(text: str | None) -> Profile:
        try:
            stored = json.loads(text or "{}")
        except ValueError:
            stored = {}
        if not isinstance(stored, dict):
            stored = {}
        values: Profile = {}
        for name, spec in specs:
            value = stored.get(name)
            if value is not None:
                key = (name, type(value), value)
                try:
                    ok = valid.get(key)
                    if ok is None:
                        ok = valid[key] = is_valid_value(spec, value)
                except TypeError:  # not hashable, so not a valid value of any field
                    ok = is_valid_value(spec, value)
                if not ok:
                    value = None
            values[name] = value
        return values

    return read
