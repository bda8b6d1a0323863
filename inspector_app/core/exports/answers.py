"""The answers of an inspection file as one table for analysts: a row per case and question
answered (or, when asked, per question that applies, answered or not), with the case's
profile, who it is allocated to, the answer as printed and as stored, its evidence note, who
gave the current answer and when, and whether it is in conflict.

Built on the read models of cases (`load_cases`), so the rows say what the case screens say.
No CRN or name unless asked for: they live apart from the profile, in the identity table, and
a file that holds them holds personal data.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from inspector_app.core.cases.case_data import (
    AnswerValue,
    CaseState,
    load_cases,
    member_names,
)
from inspector_app.core.exports.spreadsheet import Cell, Table, Written, check_target, write_tables
from inspector_app.core.files import case_queries
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.framework import Framework, Question, applicable_questions
from inspector_app.core.revisions.hlc import normalise

SHEET = "Answers"
UNKNOWN_AUTHOR = "unknown author"
YES, NO = "Yes", "No"

SAMPLE_NUMBER = "Sample number"
ASSESSOR = "Assessor"
SECOND_READER = "Second reader"
QUESTION = "Question"
QUESTION_TEXT = "Question text"
SHORT_LABEL = "Short label"
APPLIES = "Applies"
ANSWER = "Answer"
VALUE = "Value"
NOTE = "Evidence note"
AUTHOR = "Answered by"
WHEN = "Answered at (UTC)"
COMPLETE = "Case complete"
CONFLICT = "In conflict"


def answers_table(
    file: InspectionFile, *, all_questions: bool = False, include_identifiers: bool = False
) -> Table:
    """The answers of every case, in sample-number order, questions in framework order. A
    row per question with an answer (a value or an evidence note); with `all_questions`, also
    one per question that applies to the case and has none. CRN and name only with
    `include_identifiers`."""
    framework = file.framework
    fields = framework.profile.profile_fields
    labelled = any(q.label for q in framework.questions())
    identities = identities_of(file) if include_identifiers else {}
    names = member_names(file)
    columns = [SAMPLE_NUMBER]
    if include_identifiers:
        columns += _identity_headings(framework)
    columns += [f.label for f in fields]
    columns += [ASSESSOR, SECOND_READER, QUESTION, QUESTION_TEXT]
    columns += [SHORT_LABEL] if labelled else []
    columns += [APPLIES, ANSWER, VALUE, NOTE, AUTHOR, WHEN, COMPLETE, CONFLICT]
    rows: list[tuple[Cell, ...]] = []
    for case in load_cases(file):
        start: list[Cell] = [case.sample_no]
        if include_identifiers:
            start += list(identities.get(case.key, (None, None)))
        start += [_profile_cell(case.profile.get(f.name)) for f in fields]
        start += [case.first_reader, case.second_reader]
        complete = _yes_no(case.marked_complete)
        for code, question, applies in _questions_of(framework, case, all_questions):
            answer = case.answers.get(code)
            middle: list[Cell] = [code, question.text if question else None]
            if labelled:
                middle.append(question.label if question else None)
            rows.append(
                (
                    *start,
                    *middle,
                    _yes_no(applies),
                    *_answer_cells(framework, question, answer, names),
                    complete,
                    _yes_no(bool(answer and answer.conflicted)),
                )
            )
    return Table(SHEET, tuple(columns), tuple(rows))


def write_answers(
    source: Path,
    target: Path,
    *,
    passphrase: str | None = None,
    all_questions: bool = False,
    include_identifiers: bool = False,
    overwrite: bool = False,
) -> Written:
    """Export the answers of the inspection file at `source` to `target` (.xlsx or .csv);
    the target is checked before the file is opened, and written whole or not at all."""
    check_target(target, source=source, overwrite=overwrite)
    with InspectionFile.open(source, readonly=True, passphrase=passphrase) as file:
        table = answers_table(
            file, all_questions=all_questions, include_identifiers=include_identifiers
        )
        title = f"Answers: {file.inspection.title}"
    return write_tables(target, [table], source=source, overwrite=overwrite, title=title)


def identities_of(file: InspectionFile) -> dict[str, tuple[str | None, str | None]]:
    """Each case's (CRN, name), by case key: none for a case without them (a fieldwork file
    exported without identifiers, a master after the purge)."""
    return case_queries.identities(file.db)


def _identity_headings(framework: Framework) -> list[str]:
    by_name = framework.profile.by_name
    return [
        by_name[name].label if name in by_name else default
        for name, default in (("crn", "CRN"), ("name", "Name"))
    ]


def _questions_of(
    framework: Framework, case: CaseState, all_questions: bool
) -> list[tuple[str, Question | None, bool]]:
    """The (code, question, applies) a case has rows for: answered questions (and, with
    `all_questions`, every one that applies) in framework order; an answer to a question the
    framework no longer has comes last, kept rather than lost."""
    applicable = {
        q.code for q in applicable_questions(framework, case.profile, case.answer_values())
    }
    found: list[tuple[str, Question | None, bool]] = []
    for question in framework.questions():
        answered = _has_answer(case.answers.get(question.code))
        if answered or (all_questions and question.code in applicable):
            found.append((question.code, question, question.code in applicable))
    for code in sorted(case.answers):
        if not framework.has_question(code) and _has_answer(case.answers[code]):
            found.append((code, None, False))
    return found


def _has_answer(answer: AnswerValue | None) -> bool:
    return answer is not None and bool(answer.value or answer.note)


def _answer_cells(
    framework: Framework,
    question: Question | None,
    answer: AnswerValue | None,
    names: dict[str, str],
) -> tuple[Cell, ...]:
    """(answer as printed, value as stored, note, author, when) of the current answer."""
    if answer is None:
        return (None, None, None, None, None)
    value = answer.value or None
    return (
        _printed(framework, question, value),
        value,
        answer.note or None,
        names.get(answer.author, UNKNOWN_AUTHOR),
        stamp_time(answer.hlc),
    )


def _printed(framework: Framework, question: Question | None, value: str | None) -> str | None:
    """The answer as the app shows it: the scale's label ("Yes"); free text as written."""
    if value is None or question is None:
        return value
    scale = framework.scale_of(question)
    return value if scale.kind == "text" else scale.label_of(value)


def stamp_time(stamp: str) -> str | None:
    """When a revision was written, from its clock stamp's wall time, as ISO 8601 in UTC
    ("2026-11-03T14:05:09Z"); None for a stamp that cannot be read."""
    parts = normalise(stamp)
    if parts is None:
        return None
    try:
        when = datetime.fromtimestamp(parts[0] / 1000, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def _profile_cell(value: object) -> Cell:
    """A profile value as a cell: a flag as Yes / No, a number as a number, else text."""
    if value is None:
        return None
    if isinstance(value, bool):
        return _yes_no(value)
    if isinstance(value, int | float | str):
        return value
    return str(value)


def _yes_no(flag: bool) -> str:
    return YES if flag else NO
