"""Reads of the current values (each key's winning head, materialised by `log`) for the
screens, the report and conflict handling. Values are returned as stored: canonical JSON,
for `log.decode_value`; a conflicted flag as stored (0 or 1).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence

from inspector_app.core.revisions import compiled
from inspector_app.core.storage.dbapi import Connection

# (case key, kind, field, value, note, author, clock stamp, conflicted): a case's value with
# the note, author and time of the revision that won.
CaseValue = tuple[str, str, str, str | None, str, str, str, int]
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
