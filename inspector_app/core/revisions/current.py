"""Reads of the current values (each key's winning head, materialised by `log`) for the
screens, the report and conflict handling. Values are returned as stored: canonical JSON,
for `log.decode_value`; a conflicted flag as stored (0 or 1).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence

from inspector_app.core.revisions import compiled
from inspector_app.core.storage.dbapi import Connection

# (case key, kind, field, value, note, author, clock stamp, conflicted): a case's value with
# the note, author and time of the revision that won.
CaseValue = tuple[str, str, str, str | None, str, str, str, int]
# (case key or None, kind, field, value, conflicted): a current value without its revision.
BareValue = tuple[str | None, str, str, str | None, int]
# (record key, case key, kind, field): which value a key is.
ValueKey = tuple[str, str | None, str, str]
# (winning revision id, conflicted, case key, kind, field).
CurrentRevision = tuple[str, int, str | None, str, str]


def case_values(conn: Connection, case_keys: Sequence[str] | None = None) -> Iterator[CaseValue]:
    """The current value of every case-level key of the cases in `case_keys` (None: every
    case), with its winner's note, author and stamp: all a case screen shows, in one read."""
    if case_keys is None:
        every: Iterator[CaseValue] = conn.execute(compiled.CASE_VALUES)
        return every
    rows: Iterator[CaseValue] = conn.execute(
        compiled.CASE_VALUES_OF, (json.dumps(list(case_keys)),)
    )
    return rows


def every_value(conn: Connection) -> Iterator[BareValue]:
    """Every current value without its revision (values of no case too, their case key
    None): what a summary of every case reads, in one pass."""
    rows: Iterator[BareValue] = conn.execute(compiled.EVERY_VALUE)
    return rows


def maybe_blank_notes(
    conn: Connection, kind: str, values: Iterable[tuple[str, str]]
) -> Iterator[tuple[str, str, str]]:
    """(case key, field, note) of the current values of `kind` holding, in a field, one of
    its (field, value as stored) `values`, whose note may be blank: every one whose note is,
    and a few more (a note of punctuation only), so the caller decides by the note."""
    pairs = sorted(f"{field}\x1f{value}" for field, value in values)
    rows: Iterator[tuple[str, str, str]] = conn.execute(
        compiled.MAYBE_BLANK_NOTES, (kind, json.dumps(pairs))
    )
    return rows


def value_and_note(conn: Connection, record_key: str) -> tuple[str | None, str, int] | None:
    """A key's current (value, note, conflicted), or None if it was never written: an edit
    that changes neither writes no revision."""
    row: tuple[str | None, str, int] | None = conn.execute(
        compiled.VALUE_AND_NOTE, (record_key,)
    ).fetchone()
    return row


def value_of(conn: Connection, record_key: str) -> tuple[str | None, int] | None:
    """A key's current (value, conflicted), or None if it was never written."""
    row: tuple[str | None, int] | None = conn.execute(compiled.VALUE_OF, (record_key,)).fetchone()
    return row


def report_values(conn: Connection, kind: str) -> list[tuple[str, str | None, int]]:
    """Every (field, value, conflicted) of a kind that belongs to no case (the report's
    parts), in one read."""
    rows: list[tuple[str, str | None, int]] = conn.execute(
        compiled.REPORT_VALUES, (kind,)
    ).fetchall()
    return rows


def values_by_case(conn: Connection, kind: str, field: str) -> dict[str, str | None]:
    """One field's current value on each case that has one, by case key."""
    return dict(conn.execute(compiled.VALUES_BY_CASE, (kind, field)))


def conflicted_keys(conn: Connection) -> set[str]:
    """The keys whose heads disagree (open conflicts)."""
    return {row[0] for row in conn.execute(compiled.CONFLICTED_KEYS)}


def conflicted_values(conn: Connection) -> list[ValueKey]:
    """Which values are in conflict: the conflicts the lead has to settle."""
    rows: list[ValueKey] = conn.execute(compiled.CONFLICTED_VALUES).fetchall()
    return rows


def current_revision(conn: Connection, record_key: str) -> CurrentRevision | None:
    """Which revision a key's current value is, whether it is conflicted, and which value the
    key is; None if it was never written."""
    row: CurrentRevision | None = conn.execute(compiled.CURRENT_REVISION, (record_key,)).fetchone()
    return row
