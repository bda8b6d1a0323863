"""The records of review notes and the reads over them.

A review note, each reply to it and its addressed flag are separate values (revisions of kind
`review` on the note's case), so the lead's and an inspector's work on one note never touch
the same value and merge without conflicts. The fields name the note by its id (a random hex
id, as `ids.new_id` makes) and a reply by its note and the replier's member id (hex too):

    note:<note id>                    {"text": ..., "question": code or None}, None: withdrawn
    reply:<note id>:<member id>       the reply's text
    addressed:<note id>               true or false

The lead's sign-off of a case is a case status (`REVIEWED_FIELD`), not a review value.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from inspector_app.core.revisions import compiled
from inspector_app.core.revisions.log import Kind
from inspector_app.core.storage.dbapi import Connection

NOTE = "note"
REPLY = "reply"
ADDRESSED = "addressed"
# Kind.STATUS field: the lead has reviewed (signed off) the case.
REVIEWED_FIELD = "reviewed"

_ID = "[0-9a-f]{32}"  # ids.new_id() and ids.member_id(): a uuid's 32 lowercase hex digits
# Every field a review value may have, whole (use with fullmatch).
FIELD_PATTERN = rf"(?:{NOTE}|{ADDRESSED}):{_ID}|{REPLY}:{_ID}:{_ID}"
_FIELD = re.compile(FIELD_PATTERN)
_ID_SHAPE = re.compile(_ID)


@dataclass(frozen=True)
class ReviewField:
    """What a review value's field names: the record (NOTE, REPLY or ADDRESSED), the note,
    and for a reply the member who wrote it."""

    what: str
    note_id: str
    member_id: str | None = None


def is_review_id(text: object) -> bool:
    """Whether `text` has the shape of a note or member id (so it can stand in a field)."""
    return isinstance(text, str) and _ID_SHAPE.fullmatch(text) is not None


def note_field(note_id: str) -> str:
    return f"{NOTE}:{note_id}"


def reply_field(note_id: str, member_id: str) -> str:
    return f"{REPLY}:{note_id}:{member_id}"


def addressed_field(note_id: str) -> str:
    return f"{ADDRESSED}:{note_id}"


def parse_field(field: str) -> ReviewField | None:
    """The parts of a review value's field, or None if it is not one."""
    if _FIELD.fullmatch(field) is None:
        return None
    what, note_id, *member = field.split(":")
    return ReviewField(what, note_id, member[0] if member else None)


class OpenNotes:
    """Counts each case's open notes (written, not withdrawn, not marked addressed) from its
    review values, fed in any order: one pass over values read for something else."""

    def __init__(self) -> None:
        self._live: defaultdict[str, set[str]] = defaultdict(set)
        self._addressed: defaultdict[str, set[str]] = defaultdict(set)

    def add(self, case_key: str, field: str, value: object) -> None:
        """One review value (decoded) of a case."""
        parsed = parse_field(field)
        if parsed is None:
            return
        if parsed.what == NOTE and value is not None:
            self._live[case_key].add(parsed.note_id)
        elif parsed.what == ADDRESSED and value is True:
            self._addressed[case_key].add(parsed.note_id)

    def counts(self) -> dict[str, int]:
        """Open notes per case, for the cases that have any."""
        counts = {key: len(live - self._addressed[key]) for key, live in self._live.items()}
        return {key: n for key, n in counts.items() if n}


# -- reads -------------------------------------------------------------------------------------

# (case key, field, value as stored JSON, author id, clock stamp, conflicted): a review value
# with the author and stamp of the revision that won.
ReviewValue = tuple[str, str, str | None, str, str, int]
# (first stamp, revisions): when a value was first written, and how often.
Written = tuple[str, int]


def review_values(conn: Connection, case_key: str | None = None) -> list[ReviewValue]:
    """The current review values of a case (None: of every case), in one read."""
    if case_key is None:
        every: list[ReviewValue] = conn.execute(
            compiled.REVIEW_VALUES, (Kind.REVIEW.value,)
        ).fetchall()
        return every
    rows: list[ReviewValue] = conn.execute(
        compiled.REVIEW_VALUES_OF_CASE, (case_key, Kind.REVIEW.value)
    ).fetchall()
    return rows


def first_written(conn: Connection, case_key: str) -> dict[str, Written]:
    """Of each review value of a case, by field: its first stamp and how many revisions it
    has (a note written once has one)."""
    return {
        field: (first, int(count))
        for field, first, count in conn.execute(
            compiled.FIRST_WRITTEN, (case_key, Kind.REVIEW.value)
        )
    }


def signed_off(conn: Connection) -> list[tuple[str, str, str]]:
    """The (case key, author id, clock stamp) of every case whose reviewed status is true."""
    rows: list[tuple[str, str, str]] = conn.execute(
        compiled.SIGNED_OFF, (Kind.STATUS.value, REVIEWED_FIELD)
    ).fetchall()
    return rows


def count_open(values: Iterable[tuple[str, str, object]]) -> dict[str, int]:
    """Open notes per case from (case key, field, decoded value) rows."""
    counter = OpenNotes()
    for case_key, field, value in values:
        counter.add(case_key, field, value)
    return counter.counts()
