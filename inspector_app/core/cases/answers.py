"""Recording answers, evidence notes, profile corrections and case completion.

Every edit is one revision committed (synchronous=FULL) before the call returns, so when the
GUI says "Saved" the edit survives a crash or a power cut.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from inspector_app.core.cases.case_data import (
    STATUS_FIELD,
    CaseState,
    is_required,
    load_case,
    load_cases,
    question_problem,
)
from inspector_app.core.cases.sample_numbers import parse_sample_number
from inspector_app.core.changes import Changes
from inspector_app.core.errors import NotFound, ValidationError
from inspector_app.core.files import allocation_queries, case_queries, team_queries
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.framework import Framework, Question, applicable_questions, applies
from inspector_app.core.framework.profile import FIELDS_BY_NAME, is_valid_value
from inspector_app.core.limits import CSV_FIELD_CHARS, MAX_NOTE_CHARS
from inspector_app.core.revisions import ids
from inspector_app.core.revisions.current import value_and_note
from inspector_app.core.revisions.log import Kind, encode_value, write_revision

# An evidence note is a few paragraphs; anything far beyond is a pasted document by mistake.

_NA_SPELLINGS = {"n/a": "na", "not applicable": "na", "n.a.": "na"}


def check_note(note: str, where: str = "the evidence note") -> None:
    if len(note) > MAX_NOTE_CHARS:
        raise ValidationError(
            f"{where} is {len(note):,} characters long; the limit is {MAX_NOTE_CHARS:,}"
        )


def normalise_answer(framework: Framework, question: Question, raw: str | None) -> str | None:
    """The stored value for what a person typed: a value, a label or a key letter, any case.
    Free-text questions keep the text as written. Raises ValidationError if not allowed."""
    scale = framework.scale_of(question)
    if raw is None:
        return None
    if scale.kind == "text":
        return raw
    text = raw.strip()
    if not text:
        return None
    folded = _NA_SPELLINGS.get(text.casefold(), text.casefold())
    for option in scale.options:
        if folded in (option.value.casefold(), option.label.casefold(), option.key.casefold()):
            return option.value
    allowed = ", ".join(o.value for o in scale.options)
    raise ValidationError(
        f"question {question.code}: '{raw}' is not an answer on its scale (expected {allowed})"
    )


def set_answer(
    file: InspectionFile,
    case_key: str,
    code: str,
    value: str | None,
    note: str = "",
    *,
    author: str | None = None,
) -> Changes:
    """Record an answer and its evidence note as one revision."""
    check_note(note)
    question = _question(file, code)
    value = normalise_answer(file.framework, question, value)
    if question.applies_if is not None:
        case = load_case(file, case_key)
        others = {k: v for k, v in case.answer_values().items() if k != code}
        if not applies(question.applies_if, case.profile, others):
            raise ValidationError(f"{case.label}: question {code} does not apply to this case")
    record_key = ids.record_key(case_key, Kind.ANSWER, code)
    current = value_and_note(file.db.raw, record_key)
    if current == (encode_value(value), note, 0):
        return Changes()  # nothing changed: no revision
    if current is None:
        file.case_label(case_key)  # refuses an unknown case before anything is written
    with file.db.write() as conn:
        write_revision(
            conn,
            record_key=record_key,
            kind=Kind.ANSWER,
            case_key=case_key,
            field=code,
            value=value,
            note=note,
            author=author or file.author_id(),
            hlc=file.clock.tick(),
        )
    return Changes(case_keys=frozenset({case_key}), answers=True)


def set_profile_value(
    file: InspectionFile, case_key: str, field_name: str, value: object, note: str = ""
) -> Changes:
    """Correct a profile field on site (the import stays as it was; this is a revision)."""
    spec = FIELDS_BY_NAME.get(field_name)
    if spec is None:
        raise NotFound(f"no profile field '{field_name}'")
    if not is_valid_value(spec, value):
        raise ValidationError(f"{spec.label}: '{value}' is not an allowed value")
    with file.db.write() as conn:
        write_revision(
            conn,
            record_key=ids.record_key(case_key, Kind.PROFILE, field_name),
            kind=Kind.PROFILE,
            case_key=case_key,
            field=field_name,
            value=value,
            note=note,
            author=file.author_id(),
            hlc=file.clock.tick(),
        )
    return Changes(case_keys=frozenset({case_key}), profile=True)


@dataclass(frozen=True)
class MissingItem:
    """Something that stops a case being marked complete; `code` lets the GUI jump to it."""

    code: str
    problem: str


def missing_for_completion(framework: Framework, case: CaseState) -> list[MissingItem]:
    missing: list[MissingItem] = []
    for question in applicable_questions(framework, case.profile, case.answer_values()):
        if is_required(framework, question):
            problem = question_problem(question, case)
            if problem:
                missing.append(MissingItem(question.code, problem))
    return missing


def set_case_complete(file: InspectionFile, case_key: str, complete: bool = True) -> Changes:
    """Mark a case complete (only when nothing is missing) or reopen it."""
    case = load_case(file, case_key)
    if complete:
        missing = missing_for_completion(file.framework, case)
        if missing:
            listed = "; ".join(f"{m.code} {m.problem}" for m in missing[:5])
            more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
            raise ValidationError(f"{case.label} is not finished: {listed}{more}")
    if case.marked_complete == complete:
        return Changes()
    with file.db.write() as conn:
        write_revision(
            conn,
            record_key=ids.record_key(case_key, Kind.STATUS, STATUS_FIELD),
            kind=Kind.STATUS,
            case_key=case_key,
            field=STATUS_FIELD,
            value=complete,
            note="",
            author=file.author_id(),
            hlc=file.clock.tick(),
        )
    return Changes(case_keys=frozenset({case_key}), status=True)


def _question(file: InspectionFile, code: str) -> Question:
    if not file.framework.has_question(code):
        raise NotFound(f"no question '{code}' in framework {file.framework.id}")
    return file.framework.question(code)


# -- import-answers --------------------------------------------------------------------------

_ANSWER_COLUMNS = ("case", "question", "answer", "note")


@dataclass(frozen=True)
class _AnswerRow:
    row: int
    case_key: str
    code: str
    value: str | None
    note: str


def import_answers(file: InspectionFile, csv_path: Path, as_name: str | None = None) -> int:
    """Import answers from a CSV (case, question, answer, note); all rows or none."""
    csv_path = Path(csv_path)
    author = file.author_id(as_name)
    author_is_lead = team_queries.role_of(file.db, author) == "lead"
    allocated = {case_key for case_key, _ in allocation_queries.readings_of(file.db, author)}
    rows, problems = _read_answer_rows(file, csv_path)
    cases = {c.key: c for c in load_cases(file, sorted({r.case_key for r in rows}))}
    for r in rows:
        case = cases[r.case_key]
        if not author_is_lead and r.case_key not in allocated:
            problems.append(
                f"{csv_path.name} row {r.row}: {case.label} is not allocated to this author"
            )
    problems.extend(_applicability_problems(file.framework, csv_path.name, rows, cases))
    if problems:
        raise ValidationError(_problem_report(csv_path.name, problems))
    write_answers(file, [(r.case_key, r.code, r.value, r.note) for r in rows], author)
    return len(rows)


def write_answers(
    file: InspectionFile,
    answers: list[tuple[str, str, str | None, str]],
    author: str,
) -> None:
    """Write already-validated (case key, code, value, note) answers in one transaction."""
    with file.db.write() as conn:
        for case_key, code, value, note in answers:
            write_revision(
                conn,
                record_key=ids.record_key(case_key, Kind.ANSWER, code),
                kind=Kind.ANSWER,
                case_key=case_key,
                field=code,
                value=value,
                note=note,
                author=author,
                hlc=file.clock.tick(),
            )


def _read_answer_rows(file: InspectionFile, path: Path) -> tuple[list[_AnswerRow], list[str]]:
    name = path.name
    try:
        data = path.read_bytes()
    except IsADirectoryError as exc:
        raise ValidationError(f"{name}: is a folder, not a CSV file") from exc
    except OSError as exc:
        raise ValidationError(f"{name}: cannot be read ({exc.strerror or exc})") from exc
    if b"\x00" in data:
        raise ValidationError(f"{name}: not a CSV file (it contains binary data)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(
            f"{name}: not UTF-8 text (byte 0x{data[exc.start]:02X} at position {exc.start});"
            " save the file as CSV UTF-8"
        ) from exc
    csv.field_size_limit(max(csv.field_size_limit(), CSV_FIELD_CHARS))
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        return _parse_answer_rows(file, name, reader)
    except csv.Error as exc:
        raise ValidationError(f"{name} line {reader.line_num}: not valid CSV ({exc})") from exc


def _parse_answer_rows(
    file: InspectionFile, name: str, reader: Iterator[list[str]]
) -> tuple[list[_AnswerRow], list[str]]:
    header = next(reader, None)
    if not header:
        raise ValidationError(
            f"{name}: the file is empty (expected columns case, question, answer, note)"
        )
    columns = [h.strip().casefold() for h in header]
    missing = [c for c in _ANSWER_COLUMNS[:3] if c not in columns]
    if missing:
        raise ValidationError(f"{name}: missing column(s) {', '.join(missing)}")
    index = {c: columns.index(c) for c in _ANSWER_COLUMNS if c in columns}
    case_keys = case_queries.keys_by_sample_no(file.db)
    rows: list[_AnswerRow] = []
    problems: list[str] = []
    seen: dict[tuple[str, str], int] = {}
    for row_no, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        cell = {c: (cells[i] if i < len(cells) else "") for c, i in index.items()}
        where = f"{name} row {row_no}"
        sample_no = parse_sample_number(cell["case"])
        if sample_no is None:
            problems.append(f"{where}: '{cell['case']}' is not a sample number")
            continue
        case_key = case_keys.get(sample_no)
        if case_key is None:
            problems.append(f"{where}: no case with sample number {sample_no} in this file")
            continue
        code = cell["question"].strip()
        if not file.framework.has_question(code):
            problems.append(f"{where}: unknown question code '{code}'")
            continue
        question = file.framework.question(code)
        try:
            value = normalise_answer(file.framework, question, cell["answer"])
        except ValidationError as exc:
            problems.append(f"{where}: {exc}")
            continue
        if value is None:
            problems.append(f"{where}: question {code} has no answer")
            continue
        if (case_key, code) in seen:
            problems.append(
                f"{where}: question {code} of case {sample_no} is already answered"
                f" on row {seen[case_key, code]}"
            )
            continue
        seen[case_key, code] = row_no
        note = cell.get("note", "")
        if len(note) > MAX_NOTE_CHARS:
            problems.append(
                f"{where}: the note is {len(note):,} characters long; the limit is "
                f"{MAX_NOTE_CHARS:,}"
            )
            continue
        rows.append(_AnswerRow(row_no, case_key, code, value, note))
    return rows, problems


def _applicability_problems(
    framework: Framework, name: str, rows: list[_AnswerRow], cases: dict[str, CaseState]
) -> list[str]:
    """An answer to a question that does not apply to its case (given its profile, its
    current answers and the file's other answers) is an error naming the row."""
    combined: dict[str, dict[str, str | None]] = {
        key: case.answer_values() for key, case in cases.items()
    }
    for r in rows:
        combined[r.case_key][r.code] = r.value
    problems = []
    for r in rows:
        case = cases[r.case_key]
        applicable = {
            q.code for q in applicable_questions(framework, case.profile, combined[r.case_key])
        }
        if r.code not in applicable:
            problems.append(f"{name} row {r.row}: question {r.code} does not apply to {case.label}")
    return problems


def _problem_report(name: str, problems: list[str]) -> str:
    shown = problems[:20]
    more = f"\n... and {len(problems) - 20} more problems" if len(problems) > 20 else ""
    return f"{name}: nothing imported; {len(problems)} problem(s):\n" + "\n".join(shown) + more
