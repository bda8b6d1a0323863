"""Conflicts (one value with two or more heads that disagree) and how the lead settles them.

A resolution is a new revision whose parents are every head, so merging the old files again
can never bring the conflict back, and the history keeps both sides and the reason.

An inspector whose file was re-issued after the lead settled a value may still change it;
that change merges (it is the newer work) but is never taken silently: until the lead
settles it again, it is listed with the conflicts as a change after a resolution, the new
value beside the resolution it replaced.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import cast

from inspector_app.core.cases.answers import normalise_answer
from inspector_app.core.cases.case_data import member_names
from inspector_app.core.changes import Changes
from inspector_app.core.errors import NotFound, ValidationError
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.framework.profile import FIELDS_BY_NAME, sample_label
from inspector_app.core.merge import compiled
from inspector_app.core.revisions import ids
from inspector_app.core.revisions.current import conflicted_values, current_revision
from inspector_app.core.revisions.hlc import wall_ms
from inspector_app.core.revisions.log import (
    Kind,
    RevisionRow,
    head_revisions,
    history,
    write_revision,
)
from inspector_app.core.revisions.reads import resolutions


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
    # A change made on top of the lead's resolution: heads are (the change, the resolution).
    after_resolution: bool = False

    @property
    def label(self) -> str:
        return sample_label(self.sample_no) if self.sample_no else "Report"

    def to_json(self) -> dict[str, object]:
        return {
            "case": self.sample_no,
            "kind": self.kind,
            "question": self.field,
            "title": self.title,
            "changed_after_resolution": self.after_resolution,
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


# A value, as the queries below return it: (record key, case key, sample number, kind, field).
_ValueKey = tuple[str, str | None, int | None, str, str]


def list_conflicts(file: InspectionFile) -> list[Conflict]:
    """Every open conflict, then every change made on top of a resolution, each in case then
    framework order."""
    conn = file.db.raw
    names = member_names(file)
    order = {q.code: i for i, q in enumerate(file.framework.questions())}
    sample_nos = _sample_numbers(file)
    rows = [
        (record_key, case_key, sample_nos.get(case_key), kind, fld)
        for record_key, case_key, kind, fld in conflicted_values(conn)
        # A review note's flag two people set differently is settled on the note itself
        # (marking it addressed or reopening it again), not here.
        if kind != Kind.REVIEW
    ]
    conflicts = [
        _conflict(file, names, row, head_revisions(conn, row[0]), after_resolution=False)
        for row in rows
    ]
    reviews = [
        _conflict(file, names, row, list(pair), after_resolution=True)
        for row, pair in _changes_after_resolution(file).items()
    ]

    def position(c: Conflict) -> tuple[int, int, str]:
        return (c.sample_no or 0, order.get(c.field, len(order)), c.field)

    return sorted(conflicts, key=position) + sorted(reviews, key=position)


def _conflict(
    file: InspectionFile,
    names: dict[str, str],
    row: _ValueKey,
    revisions: list[RevisionRow],
    *,
    after_resolution: bool,
) -> Conflict:
    record_key, case_key, sample_no, kind, fld = row
    heads = tuple(
        ConflictHead(
            r.id,
            names.get(r.author, "unknown author"),
            datetime.fromtimestamp(wall_ms(r.hlc) / 1000, tz=UTC),
            r.value,
            r.note,
        )
        for r in revisions
    )
    return Conflict(
        record_key,
        case_key,
        sample_no,
        kind,
        fld,
        _title(file, kind, fld),
        heads,
        after_resolution=after_resolution,
    )


def count_changes_after_resolution(file: InspectionFile) -> int:
    """How many values someone changed after the lead settled them, waiting for review."""
    return len(_changes_after_resolution(file))


def _changes_after_resolution(
    file: InspectionFile,
) -> dict[_ValueKey, tuple[RevisionRow, RevisionRow]]:
    """Values whose current revision is someone else's change made on top of a resolution
    (with nothing of the resolver's in between): (the change, the resolution), by the
    value's (record key, case key, sample number, kind, field)."""
    conn = file.db.raw
    latest: dict[str, tuple[str, str]] = {}  # record key -> (hlc, resolution id)
    for record_key, revision_id, hlc in resolutions(conn):
        if record_key not in latest or hlc > latest[record_key][0]:
            latest[record_key] = (hlc, revision_id)
    found: dict[_ValueKey, tuple[RevisionRow, RevisionRow]] = {}
    sample_nos = _sample_numbers(file) if latest else {}
    for record_key, (_, resolution_id) in latest.items():
        current = current_revision(conn, record_key)
        if current is None or current[1] or current[0] == resolution_id:
            continue
        current_id, _, case_key, kind, fld = current
        by_id = {r.id: r for r in history(conn, record_key)}
        change, resolution = by_id[current_id], by_id[resolution_id]
        if _built_on(by_id, change, resolution):
            found[(record_key, case_key, sample_nos.get(case_key), kind, fld)] = (
                change,
                resolution,
            )
    return found


def _sample_numbers(file: InspectionFile) -> dict[str | None, int]:
    """Each case's sample number, by case key."""
    return dict(file.db.raw.execute(compiled.SAMPLE_NUMBERS))


def _built_on(by_id: dict[str, RevisionRow], change: RevisionRow, resolution: RevisionRow) -> bool:
    """Whether `change` descends from `resolution` through revisions none of which is the
    resolver's own (the resolver editing the value again has seen the change)."""
    stack, seen = [change.id], set()
    while stack:
        revision = by_id.get(stack.pop())
        if revision is None or revision.id in seen:
            continue
        seen.add(revision.id)
        if revision.id == resolution.id:
            return True
        if revision.author == resolution.author:
            continue
        stack.extend(revision.parents)
    return False


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
        review = next(
            (
                (key, pair)
                for key, pair in _changes_after_resolution(file).items()
                if key[1] == case_key and key[4] == field
            ),
            None,
        )
        if review is None:
            raise NotFound(f"{sample_label(sample_no)}: {field} has no open conflict")
        (record_key, _, _, kind, _), pair = review
        heads = list(pair)  # settling it again: the new revision follows both
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
            # an answer arrives as the text typed (profile values, int or bool, go below)
            normalise_answer(
                file.framework, file.framework.question(field), cast(str | None, value)
            )
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


def _conflicted_heads(
    file: InspectionFile, case_key: str, field: str
) -> tuple[str, str, list[RevisionRow]]:
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
