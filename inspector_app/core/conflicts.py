"""Conflicts (one value with two or more heads that disagree) and how the lead settles them.

A resolution is a new revision whose parents are every head, so merging the old files again
can never bring the conflict back, and the history keeps both sides and the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from inspector_app.core import ids
from inspector_app.core.answers import normalise_answer
from inspector_app.core.case_data import member_names
from inspector_app.core.changes import Changes
from inspector_app.core.errors import NotFound, ValidationError
from inspector_app.core.hlc import wall_ms
from inspector_app.core.inspection_file import InspectionFile
from inspector_app.core.profile import FIELDS_BY_NAME, sample_label
from inspector_app.core.revisions import Kind, head_revisions, write_revision


@dataclass(frozen=True)
class ConflictHead:
    revision_id: str
    author: str
    when: datetime
    value: object
    note: str


@dataclass(frozen=True)
class Conflict:
    record_key: str
    case_key: str | None
    sample_no: int | None
    kind: str
    field: str  # question code or profile field
    title: str  # question text or profile field label
    heads: tuple[ConflictHead, ...]

    @property
    def label(self) -> str:
        return sample_label(self.sample_no) if self.sample_no else "Report"

    def to_json(self) -> dict:
        return {
            "case": self.sample_no,
            "kind": self.kind,
            "question": self.field,
            "title": self.title,
            "heads": [
                {
                    "author": h.author,
                    "when": h.when.isoformat(),
                    "value": h.value,
                    "note": h.note,
                }
                for h in self.heads
            ],
        }


def list_conflicts(file: InspectionFile) -> list[Conflict]:
    """Every open conflict, in case then framework order."""
    conn = file.db.raw
    names = member_names(file)
    order = {q.code: i for i, q in enumerate(file.framework.questions())}
    rows = conn.execute(
        "SELECT c.record_key, c.case_key, k.sample_no, c.kind, c.field FROM current_value c"
        " LEFT JOIN case_record k ON k.key = c.case_key WHERE c.conflicted"
    ).fetchall()
    conflicts = []
    for record_key, case_key, sample_no, kind, fld in rows:
        heads = tuple(
            ConflictHead(
                r.id,
                names.get(r.author, "unknown author"),
                datetime.fromtimestamp(wall_ms(r.hlc) / 1000, tz=UTC),
                r.value,
                r.note,
            )
            for r in head_revisions(conn, record_key)
        )
        conflicts.append(
            Conflict(record_key, case_key, sample_no, kind, fld, _title(file, kind, fld), heads)
        )
    conflicts.sort(key=lambda c: (c.sample_no or 0, order.get(c.field, len(order)), c.field))
    return conflicts


def _title(file: InspectionFile, kind: str, fld: str) -> str:
    if kind == Kind.ANSWER and file.framework.has_question(fld):
        return file.framework.question(fld).text
    if kind == Kind.PROFILE and fld in FIELDS_BY_NAME:
        return FIELDS_BY_NAME[fld].label
    return fld


def resolve_conflict(
    file: InspectionFile,
    sample_no: int,
    field: str,
    *,
    value: object = None,
    take_author: str | None = None,
    take_revision: str | None = None,
    reason: str,
) -> Changes:
    """Settle a conflict by taking one answer (by its revision, or by its author when that is
    unambiguous) or writing a new value, with a reason."""
    if sum(x is not None for x in (value, take_author, take_revision)) != 1:
        raise ValidationError(
            "resolve with one of: a value, the author whose answer to take, or the answer itself"
        )
    if not reason.strip():
        raise ValidationError("a resolution needs a reason (it is kept in the history)")
    case_key = file.case_key_for(sample_no)
    kind, record_key, heads = _conflicted_heads(file, case_key, field)
    if len({_canonical(h.value) for h in heads}) < 2:
        raise NotFound(f"{sample_label(sample_no)}: {field} has no open conflict")
    names = member_names(file)
    if take_revision is not None:
        chosen = [h for h in heads if h.id == take_revision]
        if not chosen:
            raise NotFound(f"{sample_label(sample_no)}: {field}: that answer is no longer open")
        new_value, note = chosen[0].value, chosen[0].note
    elif take_author is not None:
        wanted = take_author.casefold().strip()
        chosen = [h for h in heads if names.get(h.author, "").casefold() == wanted]
        if not chosen:
            offered = ", ".join(sorted({names.get(h.author, "?") for h in heads}))
            raise NotFound(
                f"{sample_label(sample_no)}: {field}: no answer by '{take_author}' "
                f"(the answers are by {offered})"
            )
        if len({_canonical(h.value) for h in chosen}) > 1:
            raise ValidationError(
                f"{sample_label(sample_no)}: {field}: {take_author} gave different answers in "
                "two copies of their file; settle it in the Conflicts view or with --value"
            )
        new_value, note = chosen[0].value, chosen[0].note
    elif kind == Kind.STATUS:
        new_value, note = _status_value(value), heads[0].note
    else:
        new_value = (
            normalise_answer(file.framework, file.framework.question(field), value)
            if kind == Kind.ANSWER
            else value
        )
        note = heads[0].note
    with file.db.write() as conn:
        write_revision(
            conn,
            record_key=record_key,
            kind=kind,
            case_key=case_key,
            field=field,
            value=new_value,
            note=note,
            reason=reason.strip(),
            author=file.author_id(),
            hlc=file.clock.tick(),
            parents=[h.id for h in heads],
        )
    return Changes(
        case_keys=frozenset({case_key}),
        answers=kind == Kind.ANSWER,
        profile=kind == Kind.PROFILE,
        status=kind == Kind.STATUS,
    )


def _conflicted_heads(file: InspectionFile, case_key: str, field: str) -> tuple[str, str, list]:
    """The kind, key and heads of a case's value called `field`: a question's answer, the case
    status ('complete') or a profile field, whichever is in conflict."""
    kinds = [Kind.ANSWER] if file.framework.has_question(field) else [Kind.STATUS, Kind.PROFILE]
    found = None
    for kind in kinds:
        record_key = ids.record_key(case_key, kind, field)
        heads = head_revisions(file.db.raw, record_key)
        if len({_canonical(h.value) for h in heads}) > 1:
            return kind, record_key, heads
        found = found or (kind, record_key, heads)
    assert found is not None
    return found


def _status_value(value: object) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().casefold()
    if text in ("complete", "true", "yes", "1"):
        return True
    if text in ("open", "in progress", "false", "no", "0"):
        return False
    raise ValidationError(f"'{value}' is not a case status (complete or open)")


def _canonical(value: object) -> str:
    return repr(value)
