"""Checks on the revisions a fieldwork file holds, made on its private copy before the merge.

A file from outside could hold a revision of a kind or field a fieldwork file never writes,
a revision whose key points at another value (another assessor's answer), a clock stamp that
is not one (or lies in the future, to win every comparison and drag the master's clock
along), or a value its question's scale, the case profile or the case status does not allow.
Any of these refuses the whole file. These checks need nothing from the master but its
framework, its clock and, for a stamp ahead of that clock, whether the master already holds
the revision; so each file is checked on its own connection, alongside the others.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from inspector_app.core.cases.case_data import STATUS_FIELD
from inspector_app.core.cases.review import review_value_problem
from inspector_app.core.framework import Framework
from inspector_app.core.framework.profile import is_valid_value, sample_label
from inspector_app.core.merge import compiled
from inspector_app.core.narrative.parts import (
    CHAPTER_PREFIX,
    FINAL,
    LIST_PARTS,
    OVERRIDE,
    PRACTICE_EXAMPLES,
    RATING_OVERRIDES,
    SETTING_PREFIX,
    TEXT_PARTS,
    UNENCRYPTED_REASON,
)
from inspector_app.core.revisions import ids
from inspector_app.core.revisions.checks import (
    count_stamp_and_value_problems,
    distinct_values,
    first_answer_outside_scales,
    first_astray_field,
    first_bad_stamp,
    first_revision_outside,
    first_unreadable_value,
    link_problems,
    repair_wide_counters,
    revisions_signed_by_owner,
    stamped_after,
    value_keys,
)
from inspector_app.core.revisions.log import Kind, decode_value
from inspector_app.core.revisions.review_records import FIELD_PATTERN, REVIEWED_FIELD
from inspector_app.core.storage.dbapi import Connection

# How far ahead of the merging computer's clock (or of the master's own clock, if that is
# further on) a revision new to the master may be stamped. Laptops that set their clocks
# from the network agree within seconds, and one left offline for a fieldwork week drifts by
# well under a minute; ten minutes covers that with room to spare. A stamp further ahead
# would drag the master's clock with it: every edit the lead made afterwards would carry that
# future time, and win every tie against work stamped honestly. A laptop whose clock really
# is wrong by more (a wrong time zone, a wrong date) is told so, with the time from which its
# file will merge; a revision the master already holds is not the file's to answer for.
MAX_AHEAD_MS = 10 * 60 * 1000
_NAMESPACE = ids.NAMESPACE.bytes
HeldFn = Callable[[Sequence[tuple[str, str]]], Collection[tuple[str, str]]]


@dataclass(frozen=True)
class ClockLimit:
    """How far ahead a stamp may lie (`limit_ms`, the master's clock or now, whichever is
    further on, plus MAX_AHEAD_MS), and how to ask which of the revisions stamped beyond it
    the master already holds (by record key and id)."""

    limit_ms: int
    held: HeldFn


@dataclass(frozen=True)
class Problem:
    """Why a file is refused, in words; `altered` when only a changed file can explain it."""

    text: str
    altered: bool = True


def revisions_problem(conn: Connection, framework: Framework, clock: ClockLimit) -> Problem | None:
    """The first problem with the revisions in `conn`'s file (a private copy: an over-wide
    clock counter is repaired in it, `repair_wide_counters`), or None. Their keys are
    checked apart, once the file's current values are worked out (`key_problem`)."""
    return (
        _row_problem(conn, framework, clock)
        or _link_problem(conn)
        or _value_problem(conn, framework)
        or _sign_off_problem(conn, clock)
    )


def _row_problem(conn: Connection, framework: Framework, clock: ClockLimit) -> Problem | None:
    """Kinds and fields; then clock stamps and values, counted in one pass over the file."""
    codes = [q.code for q in framework.questions()]
    profile_fields = [f.name for f in framework.profile.profile_fields]
    wrong_kind = first_revision_outside(
        conn,
        {
            Kind.ANSWER: codes,
            Kind.PROFILE: profile_fields,
            Kind.STATUS: [STATUS_FIELD, REVIEWED_FIELD],
        },
        {Kind.REVIEW: FIELD_PATTERN},
    )
    if wrong_kind:
        kind, field = (_named(part) for part in wrong_kind)
        return Problem(f"holds a {kind} revision for '{field}', which a fieldwork file cannot hold")
    bad_stamps, ahead, unreadable = count_stamp_and_value_problems(conn, clock.limit_ms)
    if bad_stamps and repair_wide_counters(conn):  # rare: counted again once repaired
        bad_stamps, ahead, unreadable = count_stamp_and_value_problems(conn, clock.limit_ms)
    if bad_stamps:
        stamp = first_bad_stamp(conn)
        return Problem(f"a revision has an invalid time stamp ({str(stamp)[:30]!r})")
    if ahead:
        problem = _ahead_problem(conn, clock)
        if problem:
            return problem
    if unreadable:
        return Problem(f"the value of '{first_unreadable_value(conn)}' is not readable")
    return None


def _ahead_problem(conn: Connection, clock: ClockLimit) -> Problem | None:
    """Revisions stamped beyond the limit refuse the file, unless the master holds them
    already (a re-issued file carries the master's revisions; the merge skips those, and
    their stamps here are not the ones the master keeps)."""
    rows = stamped_after(conn, clock.limit_ms)
    held = set(clock.held([(key, rid) for key, rid, _ms in rows]))
    new = [ms for key, rid, ms in rows if (key, rid) not in held]
    if not new:
        return None
    furthest = max(new)
    limit = clock.limit_ms - MAX_AHEAD_MS
    after = datetime.fromtimestamp((furthest - MAX_AHEAD_MS) / 1000, UTC)
    return Problem(
        f"{len(new)} revision(s) are dated in the future, up to {_duration(furthest - limit)}"
        f" ahead of this computer's clock (more than {MAX_AHEAD_MS // 60_000} minutes is"
        " refused); check the date, time and time zone of the laptop it came from, or merge it"
        f" after {after:%Y-%m-%d %H:%M} UTC",
        altered=False,
    )


def _duration(ms: int) -> str:
    minutes = (ms + 30_000) // 60_000
    if minutes < 120:
        return f"{minutes} minutes"
    if minutes < 48 * 60:
        return f"{minutes // 60} hours"
    return f"{minutes // (24 * 60)} days"


def _link_problem(conn: Connection) -> Problem | None:
    """A parent link belongs to a revision of the file, of the same value (a link with no
    such revision could replace someone else's answer with nothing), and never to itself.
    The parent may be missing: a second reader's file leaves out the first reader's
    revisions that theirs replaced."""
    dangling, own = link_problems(conn)
    if dangling:
        return Problem(f"{dangling} link(s) between revisions belong to no revision it holds")
    if own:
        return Problem(f"{own} revision(s) name themselves as the revision they replace")
    return None


def key_problem(conn: Connection) -> str | None:
    """Every revision's key must be the one its case, kind and field give (ids.record_key).
    Needs the file's current values worked out afresh from its revisions (recompute_all):
    one row per key, so each key is hashed once, and every revision must agree with its
    key's row."""
    astray = first_astray_field(conn)
    if astray is not None:
        return f"a revision of '{astray}' carries the key of another value"
    for _record_key, _case_key, _kind, field in _wrong_keys(value_keys(conn)):
        return f"a revision of '{field}' carries the key of another value"
    return None


def _wrong_keys(
    rows: Iterable[tuple[str, str | None, str, str]],
) -> Iterator[tuple[str, str | None, str, str]]:
    """ids.record_key (a uuid5) computed inline: fast enough to check every distinct key."""
    sha1, prefix = hashlib.sha1, _NAMESPACE + b"record\x1f"
    for row in rows:
        record_key, case_key, kind, field = row
        key = bytearray(sha1(prefix + f"{case_key or ''}\x1f{kind}\x1f{field}".encode()).digest())
        key[6] = (key[6] & 0x0F) | 0x50  # uuid5: version 5
        key[8] = (key[8] & 0x3F) | 0x80  # and the RFC 4122 variant
        if key[:16].hex() != record_key:
            yield row


# -- values ------------------------------------------------------------------------------------


def _value_problem(conn: Connection, framework: Framework) -> Problem | None:
    """Every value against what its kind allows: an answer against its question's scale (a
    choice, or text for a free-text question), a profile value against the framework's case
    profile, a case status is true or false, a narrative part is text, a list of items or a
    flag as narrative/parts.py writes it, a review note, reply or addressed flag as
    cases/review.py writes it. Answers are many and checked in SQL; the others are few and
    checked distinct value by distinct value."""
    problem = _answer_problem(conn, framework)
    if problem:
        return Problem(problem)
    fields = framework.profile.by_name
    rows = distinct_values(conn, (Kind.PROFILE, Kind.STATUS, Kind.NARRATIVE, Kind.REVIEW))
    for kind, field, text, case_key in rows:
        value = decode_value(text)
        shown = _shown(text)
        if kind == Kind.PROFILE:
            spec = fields.get(field)
            if spec is None or not is_valid_value(spec, value):
                return Problem(
                    f"{_case(conn, case_key)}: the profile field '{field}' is {shown},"
                    " which the case profile does not allow"
                )
        elif kind == Kind.STATUS:
            if not isinstance(value, bool):
                states = _STATES.get(field, _STATES[STATUS_FIELD])
                return Problem(
                    f"{_case(conn, case_key)}: the case status '{field}' is {shown},"
                    f" which is neither {states}"
                )
        elif kind == Kind.REVIEW:
            wrong = review_value_problem(framework, field, value)
            if wrong:
                return Problem(f"{_case(conn, case_key)}: the review value '{field}' {wrong}")
        else:
            wrong = narrative_value_problem(field, value)
            if wrong:
                return Problem(f"the narrative part '{field}' is {shown}, {wrong}")
    return None


_STATES = {
    STATUS_FIELD: "complete (true) nor open (false)",
    REVIEWED_FIELD: "reviewed (true) nor not reviewed (false)",
}


def _sign_off_problem(conn: Connection, clock: ClockLimit) -> Problem | None:
    """Only the master signs a case off: a sign-off signed by the file's own owner must be
    one the master holds already (a lead's own fieldwork file carries the lead's sign-offs),
    never one the file adds. Asked of the master only when the file holds one, which is rare."""
    own = revisions_signed_by_owner(conn, Kind.STATUS, REVIEWED_FIELD)
    if not own:
        return None
    added = len(set(own) - set(clock.held(own)))
    if added:
        return Problem(
            f"{added} case(s) are signed off as reviewed by the file's owner; only the master"
            " records that a case was reviewed"
        )
    return None


def _answer_problem(conn: Connection, framework: Framework) -> str | None:
    """An answer on a choice scale is one of its options; one on a free-text scale is text.
    (NULL is an answer cleared.)"""
    free_text: list[str] = []
    allowed: list[tuple[str, str]] = []
    for question in framework.questions():
        scale = framework.scale_of(question)
        if scale.kind == "text":
            free_text.append(question.code)
        allowed.extend((question.code, option.value) for option in scale.options)
    bad = first_answer_outside_scales(conn, Kind.ANSWER, allowed, free_text)
    if bad:
        case_key, field, text = bad
        return (
            f"{_case(conn, case_key)}: the answer to {field} is {_shown(text)},"
            " which its scale does not allow"
        )
    return None


def narrative_value_problem(part: str, value: object) -> str | None:
    """What is wrong with a narrative part's value, as narrative/parts.py writes them, or None:
    text for a text part, a chapter, a report setting, the reason a report was marked final
    or the reason the file is not encrypted; true or false for `final`; for a list part, its
    items ({id, text, source_code, edited}); for a list part's dismissed proposals, question
    codes."""
    if part == FINAL:
        return None if isinstance(value, bool) else "which is neither true nor false"
    if part == PRACTICE_EXAMPLES:
        from inspector_app.core.narrative.practice_examples import example_value_problem

        return example_value_problem(value)
    if part == RATING_OVERRIDES:
        from inspector_app.core.narrative.rating_overrides import override_value_problem

        return override_value_problem(value)
    if part in LIST_PARTS:
        return None if _is_item_list(value) else "which is not a list of items"
    if part.removesuffix(".dismissed") in LIST_PARTS:
        is_codes = isinstance(value, list) and all(isinstance(v, str) for v in value)
        return None if is_codes else "which is not a list of question codes"
    if (
        part in (*TEXT_PARTS, OVERRIDE, UNENCRYPTED_REASON)
        or (part.startswith(CHAPTER_PREFIX) and part != CHAPTER_PREFIX)
        or (part.startswith(SETTING_PREFIX) and part != SETTING_PREFIX)
    ):
        return None if isinstance(value, str) else "which is not text"
    return "which is no part of a report"


_ITEM_TYPES = {"id": (str,), "text": (str,), "source_code": (str, type(None)), "edited": (bool,)}


def _is_item_list(value: object) -> bool:
    return isinstance(value, list) and all(
        isinstance(item, dict)
        and item.keys() == _ITEM_TYPES.keys()
        and all(isinstance(item[k], types) for k, types in _ITEM_TYPES.items())
        for item in value
    )


def _case(conn: Connection, case_key: str | None) -> str:
    """The case a value belongs to, as people name it ('Case 007')."""
    if case_key is None:
        return "no case"
    row = conn.execute(compiled.SAMPLE_NUMBER_OF_CASE, (case_key,)).fetchone()
    if row is None or not isinstance(row[0], int):
        return f"a case not in the file ({str(case_key)[:12]})"
    return sample_label(row[0])


def _named(name: object) -> str:
    """A kind or field from the file as a refusal names it: on one line, at most 80
    characters (a line break or a NUL in it is shown escaped)."""
    shown = ascii(str(name))[1:-1]
    return shown if len(shown) <= 80 else shown[:77] + "..."


def _shown(text: str | None) -> str:
    """A stored (JSON) value as a refusal quotes it: short, on one line."""
    if text is None:
        return "empty"
    shown = json.dumps(decode_value(text))
    return shown if len(shown) <= 40 else shown[:37] + "..."
