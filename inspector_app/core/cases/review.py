"""Review notes and sign-off: the lead's questions on a case, and the answers to them.

The lead (or a QA inspector) leaves a note on a case or on one of its answers; it travels in
the next fieldwork file, the inspector replies and marks it addressed, and that comes back
with the next merge. Each note, each person's reply and each note's addressed flag is a value
of its own (see revisions/review_records.py), so the lead and an inspector never write the
same value, and merging them is conflict-free in normal use. The lead signs a case off as
reviewed in the master (a case status). None of this is an answer: the findings, the report
and the exports never read it.

Every writer takes `author`, a team member's name (None: the file's owner, or the master's
lead), writes one revision on top of the value's current heads (so edits in one file chain,
and edits made apart meet as heads), and returns what it changed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime

from inspector_app.core.cases.answers import check_note
from inspector_app.core.cases.case_data import member_names
from inspector_app.core.changes import Changes
from inspector_app.core.errors import NotFound, ValidationError
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.framework import Framework
from inspector_app.core.limits import MAX_NOTE_CHARS
from inspector_app.core.revisions import ids
from inspector_app.core.revisions.current import value_of
from inspector_app.core.revisions.hlc import wall_ms
from inspector_app.core.revisions.log import (
    Kind,
    decode_value,
    encode_value,
    history,
    write_revision,
)
from inspector_app.core.revisions.review_records import (
    ADDRESSED,
    NOTE,
    REPLY,
    REVIEWED_FIELD,
    addressed_field,
    count_open,
    first_written,
    is_review_id,
    note_field,
    parse_field,
    reply_field,
    review_values,
    signed_off,
)
from inspector_app.core.storage.dbapi import Connection

_UNKNOWN = "unknown author"


# --- read model ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reply:
    """One person's reply to a note (their latest words: a second reply replaces the first)."""

    author: str  # the team member's name
    author_id: str
    text: str
    written_at: datetime  # UTC, from the revision's clock stamp


@dataclass(frozen=True)
class ReviewNote:
    """A review note as it stands. `written_at` is when it was first written, `edited_at`
    when it last changed (edited or withdrawn; None if never). A withdrawn note keeps the
    text and question it had. `addressed_by`/`addressed_at` say who last
    set the addressed flag and when, either way (None if nobody has)."""

    id: str
    case_key: str
    question: str | None  # the question code it is about; None: the case as a whole
    text: str
    author: str
    author_id: str
    written_at: datetime
    edited_at: datetime | None = None
    replies: tuple[Reply, ...] = ()
    addressed: bool = False
    addressed_by: str | None = None
    addressed_at: datetime | None = None
    withdrawn: bool = False

    @property
    def is_open(self) -> bool:
        """Still waiting for the inspector: written, not withdrawn, not addressed."""
        return not (self.withdrawn or self.addressed)

    def to_json(self) -> dict[str, object]:
        """The note as plain data (times as ISO 8601 UTC), for scripts."""
        return {
            "id": self.id,
            "question": self.question,
            "text": self.text,
            "author": self.author,
            "written_at": self.written_at.isoformat(),
            "edited_at": _iso(self.edited_at),
            "replies": [
                {"author": r.author, "text": r.text, "written_at": r.written_at.isoformat()}
                for r in self.replies
            ],
            "addressed": self.addressed,
            "addressed_by": self.addressed_by,
            "addressed_at": _iso(self.addressed_at),
            "withdrawn": self.withdrawn,
        }


@dataclass(frozen=True)
class ReviewedBy:
    """Who signed a case off as reviewed, and when."""

    author: str
    author_id: str
    at: datetime


@dataclass
class _Parts:
    """A note's values as read: the note itself (field, value, author, stamp), the replies,
    and the addressed flag (value, author, stamp)."""

    note: tuple[str, str | None, str, str] | None = None
    replies: list[Reply] = field(default_factory=list)
    flag: tuple[bool, str, str] | None = None


def notes_of_case(file: InspectionFile, case_key: str) -> list[ReviewNote]:
    """Every note of a case (withdrawn ones too, marked so), oldest first."""
    conn = file.db.raw
    names = member_names(file)
    parts: defaultdict[str, _Parts] = defaultdict(_Parts)
    for _case, fld, value, author, stamp, _conflicted in review_values(conn, case_key):
        parsed = parse_field(fld)
        if parsed is None:
            continue
        decoded = decode_value(value)
        of_note = parts[parsed.note_id]
        if parsed.what == NOTE:
            of_note.note = (fld, value, author, stamp)
        elif parsed.what == REPLY and isinstance(decoded, str):
            name = names.get(author, _UNKNOWN)
            of_note.replies.append(Reply(name, author, decoded, _when(stamp)))
        elif parsed.what == ADDRESSED:
            of_note.flag = (decoded is True, author, stamp)
    # Asked only of a case with notes: it reads the whole log (a tenth of a second at
    # 10,000 cases), which opening any other case need not wait for.
    written = first_written(conn, case_key) if parts else {}
    found = [
        (
            written.get(p.note[0], (p.note[3], 1))[0],
            _note(conn, case_key, note_id, p, written, names),
        )
        for note_id, p in parts.items()
        if p.note is not None  # replies to a note this file does not hold are not shown
    ]
    # By the clock stamp of each note's first revision, which orders two notes written in the
    # same millisecond as they were written (a wall time would leave them to chance).
    return [note for _stamp, note in sorted(found, key=lambda pair: (pair[0], pair[1].id))]


def _note(
    conn: Connection,
    case_key: str,
    note_id: str,
    parts: _Parts,
    written: dict[str, tuple[str, int]],
    names: dict[str, str],
) -> ReviewNote:
    assert parts.note is not None
    fld, value, author, stamp = parts.note
    first, revisions = written.get(fld, (stamp, 1))
    decoded = decode_value(value)
    withdrawn = not isinstance(decoded, dict)
    # A withdrawn note shows what it said last, from its history.
    content = decoded if isinstance(decoded, dict) else _last_words(conn, case_key, note_id)
    addressed, flagged_by, flagged_at = parts.flag or (False, None, None)
    question = content.get("question")
    return ReviewNote(
        id=note_id,
        case_key=case_key,
        question=question if isinstance(question, str) else None,
        text=str(content.get("text", "")),
        author=names.get(author, _UNKNOWN),
        author_id=author,
        written_at=_when(first),
        edited_at=_when(stamp) if revisions > 1 and stamp != first else None,
        replies=tuple(sorted(parts.replies, key=lambda r: (r.written_at, r.author))),
        addressed=addressed,
        addressed_by=names.get(flagged_by, _UNKNOWN) if flagged_by else None,
        addressed_at=_when(flagged_at) if flagged_at else None,
        withdrawn=withdrawn,
    )


def _last_words(conn: Connection, case_key: str, note_id: str) -> dict[str, object]:
    """The last text and question a note had before it was withdrawn."""
    key = ids.record_key(case_key, Kind.REVIEW, note_field(note_id))
    for revision in reversed(history(conn, key)):
        if isinstance(revision.value, dict):
            return revision.value
    return {}


def notes_by_case(file: InspectionFile) -> dict[str, list[ReviewNote]]:
    """Every case's notes, for the cases that have any (withdrawn ones too)."""
    case_keys = sorted({row[0] for row in review_values(file.db.raw)})
    found = {case_key: notes_of_case(file, case_key) for case_key in case_keys}
    return {case_key: notes for case_key, notes in found.items() if notes}


def open_notes(file: InspectionFile) -> dict[str, int]:
    """How many notes of each case are open (not addressed, not withdrawn), for the cases
    that have any: one read of every case's review values."""
    rows = review_values(file.db.raw)
    return count_open((case_key, fld, decode_value(value)) for case_key, fld, value, *_ in rows)


def reviewed_cases(file: InspectionFile) -> dict[str, ReviewedBy]:
    """The cases signed off as reviewed, with who did it and when."""
    names = member_names(file)
    return {
        case_key: ReviewedBy(names.get(author, _UNKNOWN), author, _when(stamp))
        for case_key, author, stamp in signed_off(file.db.raw)
    }


def _when(stamp: str) -> datetime:
    return datetime.fromtimestamp(wall_ms(stamp) / 1000, tz=UTC)


def _iso(when: datetime | None) -> str | None:
    return None if when is None else when.isoformat()


# --- writing ------------------------------------------------------------------------------------


def add_note(
    file: InspectionFile,
    case_key: str,
    text: str,
    question: str | None = None,
    author: str | None = None,
) -> tuple[str, Changes]:
    """Leave a note on a case, or on one of its questions; returns the new note's id."""
    value = _note_value(file, text, question)
    file.case_label(case_key)  # refuses an unknown case before anything is written
    note_id = ids.new_id()
    with file.db.write() as conn:
        _write(file, conn, case_key, note_field(note_id), value, author)
    return note_id, _changed(case_key)


def edit_note(
    file: InspectionFile, case_key: str, note_id: str, text: str, author: str | None = None
) -> Changes:
    """Change a note's text (only its author may); its question stays."""
    current = _own_note(file, case_key, note_id, author)
    value = _note_value(file, text, current.question)
    return _write_if_changed(file, case_key, note_field(note_id), value, author)


def withdraw_note(
    file: InspectionFile, case_key: str, note_id: str, author: str | None = None
) -> Changes:
    """Take a note back (only its author may): it is no longer open, and its history stays."""
    _own_note(file, case_key, note_id, author)
    return _write_if_changed(file, case_key, note_field(note_id), None, author)


def reply(
    file: InspectionFile, case_key: str, note_id: str, text: str, author: str | None = None
) -> Changes:
    """Reply to a note. Each person has one reply per note (their own value), so the lead's
    and the inspector's replies never conflict; replying again replaces one's own words."""
    _live_note(file, case_key, note_id)
    words = _text(text, "the reply")
    member_id = file.author_id(author)
    return _write_if_changed(file, case_key, reply_field(note_id, member_id), words, author)


def set_addressed(
    file: InspectionFile,
    case_key: str,
    note_id: str,
    addressed: bool,
    author: str | None = None,
) -> Changes:
    """Mark a note addressed (the inspector has dealt with it) or open again (the lead
    reopens it)."""
    _live_note(file, case_key, note_id)
    return _write_if_changed(file, case_key, addressed_field(note_id), bool(addressed), author)


def set_reviewed(file: InspectionFile, case_key: str, reviewed: bool) -> Changes:
    """Sign a case off as reviewed, or take the sign-off back: the lead's, in the master."""
    if not file.is_master:
        raise ValidationError(
            f"{file.path.name}: is a fieldwork file; a case is marked reviewed in the master"
        )
    file.case_label(case_key)  # refuses an unknown case
    key = ids.record_key(case_key, Kind.STATUS, REVIEWED_FIELD)
    row = value_of(file.db.raw, key)
    if row is None and not reviewed:
        return Changes()  # never reviewed: nothing to take back
    if row is not None and row[0] == encode_value(bool(reviewed)) and not row[1]:
        return Changes()
    with file.db.write() as conn:
        write_revision(
            conn,
            record_key=key,
            kind=Kind.STATUS,
            case_key=case_key,
            field=REVIEWED_FIELD,
            value=bool(reviewed),
            note="",
            author=file.author_id(),
            hlc=file.clock.tick(),
        )
    return Changes(case_keys=frozenset({case_key}), status=True)


# --- checks -------------------------------------------------------------------------------------


def review_value_problem(framework: Framework, fld: str, value: object) -> str | None:
    """What is wrong with a review value as this module writes them (None: nothing), as the
    end of a sentence naming the value: a note is {text, question} (or None once withdrawn),
    a reply is text, an addressed flag is true or false."""
    parsed = parse_field(fld)
    if parsed is None:
        return "is no review note, reply or addressed flag"
    if parsed.what == ADDRESSED:
        return None if isinstance(value, bool) else "is neither true nor false"
    if parsed.what == REPLY:
        if not isinstance(value, str):
            return "is not text"
        return _too_long(value)
    if value is None:
        return None  # withdrawn
    if not isinstance(value, dict) or set(value) != {"text", "question"}:
        return "is not a note (its text and question)"
    text, question = value["text"], value["question"]
    if not isinstance(text, str):
        return "is not a note (its text is not text)"
    if question is not None and not (
        isinstance(question, str) and framework.has_question(question)
    ):
        return f"is a note on {_shown(question)}, which is no question of the framework"
    return _too_long(text)


def _too_long(text: str) -> str | None:
    if len(text) > MAX_NOTE_CHARS:
        return f"is {len(text):,} characters long; the limit is {MAX_NOTE_CHARS:,}"
    return None


def _shown(value: object) -> str:
    shown = repr(value)
    return shown if len(shown) <= 40 else shown[:37] + "..."


# --- internals ----------------------------------------------------------------------------------


def _note_value(file: InspectionFile, text: str, question: str | None) -> dict[str, object]:
    words = _text(text, "the review note")
    if question is not None and not file.framework.has_question(question):
        raise NotFound(f"no question '{question}' in framework {file.framework.id}")
    return {"text": words, "question": question}


def _text(text: str, where: str) -> str:
    if not isinstance(text, str):
        raise ValidationError(f"{where}: expected text")
    words = text.strip()
    if not words:
        raise ValidationError(f"{where} has no text")
    check_note(words, where)
    return words


def _find(file: InspectionFile, case_key: str, note_id: str) -> ReviewNote:
    label = file.case_label(case_key)
    if is_review_id(note_id):
        for note in notes_of_case(file, case_key):
            if note.id == note_id:
                return note
    raise NotFound(f"{label}: no review note {str(note_id)[:40]!r}")


def _live_note(file: InspectionFile, case_key: str, note_id: str) -> ReviewNote:
    note = _find(file, case_key, note_id)
    if note.withdrawn:
        raise ValidationError(f"{file.case_label(case_key)}: that review note was withdrawn")
    return note


def _own_note(file: InspectionFile, case_key: str, note_id: str, author: str | None) -> ReviewNote:
    note = _live_note(file, case_key, note_id)
    if note.author_id != file.author_id(author):
        raise ValidationError(
            f"{file.case_label(case_key)}: only {note.author}, who wrote the review note,"
            " can change it"
        )
    return note


def _write_if_changed(
    file: InspectionFile, case_key: str, fld: str, value: object, author: str | None
) -> Changes:
    """One revision, unless the value already holds exactly this (a conflicted value is
    always written: writing it settles the conflict)."""
    key = ids.record_key(case_key, Kind.REVIEW, fld)
    row = value_of(file.db.raw, key)
    if row is not None and row[0] == encode_value(value) and not row[1]:
        return Changes()
    with file.db.write() as conn:
        _write(file, conn, case_key, fld, value, author)
    return _changed(case_key)


def _write(
    file: InspectionFile,
    conn: Connection,
    case_key: str,
    fld: str,
    value: object,
    author: str | None,
) -> None:
    """One review revision on top of every current head of its value."""
    write_revision(
        conn,
        record_key=ids.record_key(case_key, Kind.REVIEW, fld),
        kind=Kind.REVIEW,
        case_key=case_key,
        field=fld,
        value=value,
        note="",
        author=file.author_id(author),
        hlc=file.clock.tick(),
    )


def _changed(case_key: str) -> Changes:
    return Changes(case_keys=frozenset({case_key}), review=True)
