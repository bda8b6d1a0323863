"""Review notes and sign-off: the lead's notes travel to the inspector in a fieldwork file,
the replies and addressed flags come back with the merge, nothing conflicts in normal use,
a hostile file cannot smuggle in a review value the app never writes, and no note ever
reaches the report or the exports."""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from inspector_app.app.case_rows import build_case_rows
from inspector_app.cli import review_commands
from inspector_app.core.cases import review
from inspector_app.core.cases.answers import set_answer
from inspector_app.core.cases.case_data import load_case, load_cases
from inspector_app.core.cases.history import value_history
from inspector_app.core.cases.status import case_summaries
from inspector_app.core.changes import Changes
from inspector_app.core.errors import NotFound, ValidationError
from inspector_app.core.exports.answers import answers_table
from inspector_app.core.files.fieldwork_export import export_fieldwork
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.files.merge_copy import snapshot_path
from inspector_app.core.limits import MAX_NOTE_CHARS
from inspector_app.core.merge.conflicts import list_conflicts
from inspector_app.core.merge.run import merge_files
from inspector_app.core.report.data import build_report_data
from inspector_app.core.report.pdf import render_pdf
from inspector_app.core.revisions import ids
from inspector_app.core.revisions.log import Kind, head_revisions, write_revision
from inspector_app.core.revisions.review_records import (
    REVIEWED_FIELD,
    OpenNotes,
    ReviewField,
    addressed_field,
    note_field,
    parse_field,
    reply_field,
)
from inspector_app.core.sample.placement import allocate_case
from tests.conftest import INSPECTORS, LEAD
from tests.merge_helpers import closed_hash, content

DANIEL, PRIYA = INSPECTORS
# Words that appear nowhere else, so finding them anywhere means the note leaked.
SECRET = "Quokkaform evidence mismatch"


def _code(file: InspectionFile, n: int = 0) -> str:
    return [q.code for q in file.framework.questions() if q.scored and q.applies_if is None][n]


def _revisions(path: Path) -> int:
    return len(content(path)[0])


@pytest.fixture
def daniel(master: InspectionFile, tmp_path: Path) -> Path:
    """Case 1 is Daniel's alone; the lead has left two notes on it (one on the case, one on
    an answer) before his fieldwork file was written."""
    allocate_case(master, 1, DANIEL)
    return tmp_path / "daniel.inspection"


def _export(master: InspectionFile, path: Path, name: str = DANIEL) -> Path:
    return export_fieldwork(master, name, path).path


def _notes(file: InspectionFile, sample_no: int = 1) -> list[review.ReviewNote]:
    return review.notes_of_case(file, file.case_key_for(sample_no))


# -- the round trip --------------------------------------------------------------------------


def test_notes_travel_to_the_inspector_and_the_replies_come_back(
    master: InspectionFile, daniel: Path
) -> None:
    case = master.case_key_for(1)
    code = _code(master)
    on_case, changes = review.add_note(master, case, "Is the sentence plan on file?")
    assert changes == Changes(case_keys=frozenset({case}), review=True)
    on_answer, _ = review.add_note(master, case, "The note does not support 'Yes'.", code)
    assert review.open_notes(master) == {case: 2}
    _export(master, daniel)

    with InspectionFile.open(daniel) as fieldwork:
        notes = {n.id: n for n in _notes(fieldwork)}
        assert set(notes) == {on_case, on_answer}
        assert (notes[on_answer].question, notes[on_case].question) == (code, None)
        assert notes[on_answer].author == LEAD
        review.reply(fieldwork, case, on_answer, "Changed to 'No': the plan is not there.")
        review.set_addressed(fieldwork, case, on_answer, True)
        assert review.open_notes(fieldwork) == {case: 1}
    report = merge_files(master, [daniel])
    assert [(s.refusal, s.new_revisions) for s in report.sources] == [(None, 2)]

    merged = {n.id: n for n in _notes(master)}
    answered = merged[on_answer]
    assert [(r.author, r.text) for r in answered.replies] == [
        (DANIEL, "Changed to 'No': the plan is not there.")
    ]
    assert (answered.addressed, answered.addressed_by, answered.is_open) == (True, DANIEL, False)
    assert merged[on_case].is_open and not merged[on_case].replies
    assert review.open_notes(master) == {case: 1}
    assert load_case(master, case).review_notes_open == 1
    assert list_conflicts(master) == []

    before = _revisions(master.path)
    again = merge_files(master, [daniel])
    assert [(s.refusal, s.new_revisions, s.conflicts_raised) for s in again.sources] == [
        (None, 0, 0)
    ]
    assert _revisions(master.path) == before
    assert _notes(master) == list(merged.values())  # the same notes, in the same order


def test_the_lead_may_reopen_a_note_and_it_travels_again(
    master: InspectionFile, daniel: Path, tmp_path: Path
) -> None:
    case = master.case_key_for(1)
    note, _ = review.add_note(master, case, "Check the risk assessment date.")
    _export(master, daniel)
    with InspectionFile.open(daniel) as fieldwork:
        review.set_addressed(fieldwork, case, note, True)
    merge_files(master, [daniel])
    review.set_addressed(master, case, note, False)
    (reopened,) = _notes(master)
    assert (reopened.addressed, reopened.addressed_by, reopened.is_open) == (False, LEAD, True)
    again = _export(master, tmp_path / "daniel-2.inspection")
    with InspectionFile.open(again) as fieldwork:
        assert _notes(fieldwork) == [reopened]
        review.set_addressed(fieldwork, case, note, True)
    report = merge_files(master, [again])
    assert report.sources[0].conflicts_raised == 0
    assert review.open_notes(master) == {}


def test_the_lead_and_the_inspector_replying_at_once_make_no_conflict(
    master: InspectionFile, daniel: Path
) -> None:
    case = master.case_key_for(1)
    note, _ = review.add_note(master, case, "Was the victim contacted?")
    _export(master, daniel)
    with InspectionFile.open(daniel) as fieldwork:
        review.reply(fieldwork, case, note, "Yes, by letter.")
        review.set_addressed(fieldwork, case, note, True)
    review.reply(master, case, note, "Please say when.")
    review.set_addressed(master, case, note, True)  # both mark it: the same value, no conflict
    report = merge_files(master, [daniel])
    assert report.sources[0].conflicts_raised == 0
    assert list_conflicts(master) == []
    (merged,) = _notes(master)
    assert sorted((r.author, r.text) for r in merged.replies) == [
        (DANIEL, "Yes, by letter."),
        (LEAD, "Please say when."),
    ]
    assert merged.addressed


def test_a_second_readers_file_carries_only_their_own_review_values(
    master: InspectionFile, daniel: Path, tmp_path: Path
) -> None:
    """A second reader's file leaves out what others wrote on the case (so the second
    reading stays independent): the lead's notes, which may quote the first reader's
    answers, included. What the second reader writes there comes back all the same."""
    allocate_case(master, 1, PRIYA, second_reader=True)
    case = master.case_key_for(1)
    review.add_note(master, case, "The first reader's 'Yes' to A1 needs evidence.")
    priya = _export(master, tmp_path / "priya.inspection", PRIYA)
    with InspectionFile.open(priya) as fieldwork:
        assert _notes(fieldwork) == []
        own, _ = review.add_note(fieldwork, case, "A question from the second reader.")
    assert not merge_files(master, [priya]).refused
    assert {n.author for n in _notes(master)} == {LEAD, PRIYA}
    assert own in {n.id for n in _notes(master)}


def test_a_note_marked_both_ways_at_once_is_settled_by_marking_it_again(
    master: InspectionFile, daniel: Path
) -> None:
    """The one review value two people may set apart: the lead reopens a note while the
    inspector, working from an older file, marks it addressed. The flag has two heads, settled
    on the note itself (marking it again, either way, writes over both), never listed with the
    answers to settle."""
    case = master.case_key_for(1)
    note, _ = review.add_note(master, case, "Check the dates.")
    review.set_addressed(master, case, note, True)
    _export(master, daniel)
    review.set_addressed(master, case, note, False)
    with InspectionFile.open(daniel) as fieldwork:
        review.reply(fieldwork, case, note, "Dates checked.")
        review.set_addressed(fieldwork, case, note, False)
        review.set_addressed(fieldwork, case, note, True)
    merge_files(master, [daniel])
    flag = ids.record_key(case, Kind.REVIEW, addressed_field(note))
    assert len({h.value for h in head_revisions(master.db.raw, flag)}) == 2
    assert list_conflicts(master) == []
    review.set_addressed(master, case, note, True)
    assert len(head_revisions(master.db.raw, flag)) == 1
    assert _notes(master)[0].addressed


def test_a_review_note_is_no_answer(master: InspectionFile) -> None:
    """The case read model ignores review values for answers and progress, and counts the
    open notes in the same pass; the case list can find cases with open notes."""
    case = master.case_key_for(1)
    before = load_case(master, case)
    review.add_note(master, case, "Whose handwriting is this?", _code(master))
    after = load_case(master, case)
    assert (after.answers, after.marked_complete) == (before.answers, before.marked_complete)
    assert (after.review_notes_open, after.reviewed) == (1, False)
    (summary,) = case_summaries(master, [case])
    assert (summary.review_notes_open, summary.answered, summary.status) == (1, 0, "not started")
    rows = {row.key: row for row in build_case_rows(master)}
    assert "review note" in rows[case].search_text
    assert "review note" not in rows[master.case_key_for(2)].search_text
    assert [c.review_notes_open for c in load_cases(master)].count(1) == 1


def test_editing_and_withdrawing_a_note(master: InspectionFile) -> None:
    case = master.case_key_for(1)
    note, _ = review.add_note(master, case, "First words.", _code(master))
    assert review.edit_note(master, case, note, "First words.") == Changes()  # nothing new
    review.edit_note(master, case, note, "  Better words.  ")
    (edited,) = _notes(master)
    assert (edited.text, edited.question) == ("Better words.", _code(master))
    assert edited.edited_at is not None and edited.edited_at >= edited.written_at
    history = value_history(master, ids.record_key(case, Kind.REVIEW, note_field(note)))
    assert [h.value for h in history] == [
        {"text": "First words.", "question": _code(master)},
        {"text": "Better words.", "question": _code(master)},
    ]
    with pytest.raises(ValidationError, match=f"only {LEAD}, who wrote the review note"):
        review.edit_note(master, case, note, "Not mine.", author=DANIEL)
    review.withdraw_note(master, case, note)
    (withdrawn,) = _notes(master)
    assert (withdrawn.withdrawn, withdrawn.is_open, withdrawn.text) == (
        True,
        False,
        "Better words.",
    )
    assert review.open_notes(master) == {}
    with pytest.raises(ValidationError, match="withdrawn"):
        review.reply(master, case, note, "Too late.")


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda f, c: review.add_note(f, c, "   "), ValidationError, "the review note has no"),
        (
            lambda f, c: review.add_note(f, c, "x" * (MAX_NOTE_CHARS + 1)),
            ValidationError,
            f"the limit is {MAX_NOTE_CHARS:,}",
        ),
        (lambda f, c: review.add_note(f, c, "Text.", "Z9.9"), NotFound, "no question 'Z9.9'"),
        (lambda f, c: review.add_note(f, "0" * 32, "Text."), NotFound, "no such case"),
        (lambda f, c: review.reply(f, c, "0" * 32, "Hello."), NotFound, "no review note"),
        (lambda f, c: review.reply(f, c, "../x", "Hello."), NotFound, "no review note"),
        (lambda f, c: review.set_addressed(f, c, "abc", True), NotFound, "no review note"),
    ],
)
def test_what_a_note_may_not_be(
    master: InspectionFile, call: object, error: type[Exception], message: str
) -> None:
    case = master.case_key_for(1)
    before = _revisions(master.path)
    with pytest.raises(error, match=message) as raised:
        call(master, case)  # type: ignore[operator]
    assert len(str(raised.value).splitlines()) == 1
    assert _revisions(master.path) == before


# -- sign-off --------------------------------------------------------------------------------


def test_the_lead_signs_a_case_off_with_author_and_time(master: InspectionFile) -> None:
    case = master.case_key_for(3)
    started = datetime.now(UTC) - timedelta(seconds=1)
    assert review.set_reviewed(master, case, True) == Changes(
        case_keys=frozenset({case}), status=True
    )
    signed = review.reviewed_cases(master)
    assert set(signed) == {case}
    assert signed[case].author == LEAD
    assert started <= signed[case].at <= datetime.now(UTC) + timedelta(seconds=1)
    assert load_case(master, case).reviewed
    assert "reviewed" in {row.key: row for row in build_case_rows(master)}[case].search_text
    assert review.set_reviewed(master, case, True) == Changes()  # already: nothing written
    review.set_reviewed(master, case, False)
    assert review.reviewed_cases(master) == {}
    history = value_history(master, ids.record_key(case, Kind.STATUS, REVIEWED_FIELD))
    assert [(h.author, h.value) for h in history] == [(LEAD, True), (LEAD, False)]
    assert load_case(master, case).marked_complete is False  # a sign-off is not completion


def test_a_fieldwork_file_cannot_sign_a_case_off(master: InspectionFile, daniel: Path) -> None:
    _export(master, daniel)
    with InspectionFile.open(daniel) as fieldwork:
        before = _revisions(daniel)
        with pytest.raises(ValidationError) as refused:
            review.set_reviewed(fieldwork, fieldwork.case_key_for(1), True)
        assert str(refused.value) == (
            "daniel.inspection: is a fieldwork file; a case is marked reviewed in the master"
        )
        assert _revisions(daniel) == before


def test_a_sign_off_travels_in_a_reissued_file_and_merges_back(
    master: InspectionFile, daniel: Path
) -> None:
    case = master.case_key_for(1)
    review.set_reviewed(master, case, True)
    _export(master, daniel)
    with InspectionFile.open(daniel) as fieldwork:
        assert load_case(fieldwork, case).reviewed
        review.add_note(fieldwork, case, "A question for the lead.")
    report = merge_files(master, [daniel])
    assert [(s.refusal, s.new_revisions) for s in report.sources] == [(None, 1)]
    assert set(review.reviewed_cases(master)) == {case}


# -- hostile files ---------------------------------------------------------------------------

NOTE_ID, OTHER_ID = "a" * 32, "b" * 32


def _write(path: Path, kind: str, field: str, value: object) -> None:
    """One revision by the file's owner on case 1, with the key its case, kind and field
    give: only the field or the value can be wrong."""
    with InspectionFile.open(path) as file, file.db.write() as conn:
        case = file.case_key_for(1)
        write_revision(
            conn,
            record_key=ids.record_key(case, kind, field),
            kind=kind,
            case_key=case,
            field=field,
            value=value,
            note="",
            author=file.author_id(),
            hlc=file.clock.tick(),
        )


def _refusal(master: InspectionFile, source: Path) -> str:
    """Merge `source` into the (closed, reopened) master: refused in one line naming the
    file, and the master byte for byte as it was."""
    path = master.path
    master.close()
    before = closed_hash(path)
    with InspectionFile.open(path) as reopened:
        report = merge_files(reopened, [source])
    (outcome,) = report.sources
    assert outcome.refusal is not None, "merged"
    assert outcome.refusal.startswith(source.name + ": ")
    assert len(outcome.refusal.splitlines()) == 1
    assert closed_hash(path) == before
    assert not snapshot_path(path).exists()
    return outcome.refusal


HOSTILE = {
    "field-not-hex": (Kind.REVIEW, "note:" + "g" * 32, {"text": "x", "question": None}),
    "field-in-capitals": (Kind.REVIEW, "note:" + "A" * 32, {"text": "x", "question": None}),
    "field-too-short": (Kind.REVIEW, "note:" + "a" * 31, {"text": "x", "question": None}),
    "field-with-a-tail": (Kind.REVIEW, f"note:{NOTE_ID}:x", {"text": "x", "question": None}),
    "field-with-a-line-break": (Kind.REVIEW, f"addressed:{NOTE_ID}\n", True),
    "field-with-a-nul": (Kind.REVIEW, f"addressed:{NOTE_ID}\x00", True),
    "reply-without-member": (Kind.REVIEW, f"reply:{NOTE_ID}", "Hello."),
    "unknown-record": (Kind.REVIEW, f"comment:{NOTE_ID}", "Hello."),
    "status-of-another-field": (Kind.STATUS, "signed_off", True),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_review_revision_of_a_field_never_written_is_refused(
    master: InspectionFile, daniel: Path, name: str
) -> None:
    kind, field, value = HOSTILE[name]
    _export(master, daniel)
    _write(daniel, kind, field, value)
    refusal = _refusal(master, daniel)
    assert f"holds a {kind} revision for " in refusal, refusal
    assert "which a fieldwork file cannot hold" in refusal


BAD_VALUES = {
    "note-as-text": (note_field(NOTE_ID), "Just words.", "is not a note"),
    "note-with-extra-key": (
        note_field(NOTE_ID),
        {"text": "x", "question": None, "author": "the lead"},
        "is not a note",
    ),
    "note-text-as-list": (note_field(NOTE_ID), {"text": ["x"], "question": None}, "is not a note"),
    "note-on-no-question": (
        note_field(NOTE_ID),
        {"text": "x", "question": "Z9.9"},
        "which is no question of the framework",
    ),
    "note-too-long": (
        note_field(NOTE_ID),
        {"text": "x" * (MAX_NOTE_CHARS + 1), "question": None},
        f"the limit is {MAX_NOTE_CHARS:,}",
    ),
    "reply-as-number": (reply_field(NOTE_ID, OTHER_ID), 3, "is not text"),
    "reply-too-long": (
        reply_field(NOTE_ID, OTHER_ID),
        "x" * (MAX_NOTE_CHARS + 1),
        f"the limit is {MAX_NOTE_CHARS:,}",
    ),
    "addressed-as-text": (addressed_field(NOTE_ID), "yes", "is neither true nor false"),
    "addressed-empty": (addressed_field(NOTE_ID), None, "is neither true nor false"),
}


@pytest.mark.parametrize("name", list(BAD_VALUES))
def test_a_review_value_the_app_never_writes_is_refused(
    master: InspectionFile, daniel: Path, name: str
) -> None:
    field, value, expected = BAD_VALUES[name]
    _export(master, daniel)
    _write(daniel, Kind.REVIEW, field, value)
    refusal = _refusal(master, daniel)
    assert f"Case 001: the review value '{field}' " in refusal, refusal
    assert expected in refusal, refusal
    assert refusal.endswith("the file has been altered and is refused")


def test_a_reviewed_status_that_is_no_flag_is_refused(master: InspectionFile, daniel: Path) -> None:
    _export(master, daniel)
    _write(daniel, Kind.STATUS, REVIEWED_FIELD, "done")
    assert "Case 001: the case status 'reviewed' is \"done\", which is neither reviewed" in (
        _refusal(master, daniel)
    )


def test_an_inspector_cannot_sign_off_their_own_case(master: InspectionFile, daniel: Path) -> None:
    _export(master, daniel)
    _write(daniel, Kind.STATUS, REVIEWED_FIELD, True)
    assert "1 case(s) are signed off as reviewed by the file's owner" in _refusal(master, daniel)


def test_a_well_formed_review_value_written_outside_the_app_merges(
    master: InspectionFile, daniel: Path
) -> None:
    """What the app writes is what the checks let in, however it was written."""
    _export(master, daniel)
    _write(daniel, Kind.REVIEW, note_field(NOTE_ID), {"text": "From me.", "question": None})
    _write(daniel, Kind.REVIEW, addressed_field(NOTE_ID), False)
    report = merge_files(master, [daniel])
    assert [(s.refusal, s.new_revisions) for s in report.sources] == [(None, 2)]
    (note,) = _notes(master)
    assert (note.id, note.author, note.text) == (NOTE_ID, DANIEL, "From me.")


# -- never in the report or the exports -------------------------------------------------------


def test_a_note_never_reaches_the_report_or_the_answers_export(master: InspectionFile) -> None:
    case = master.case_key_for(1)
    code = _code(master)
    set_answer(master, case, code, "yes", "The plan was seen.")
    table_before = answers_table(master, all_questions=True)
    note, _ = review.add_note(master, case, SECRET, code)
    review.add_note(master, case, SECRET + " on the case")
    review.reply(master, case, note, SECRET + " replied")
    review.set_reviewed(master, case, True)

    table = answers_table(master, all_questions=True)
    assert table == table_before
    assert SECRET not in repr(table)
    data = build_report_data(master, include_in_progress=True)
    assert SECRET not in repr(data)
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(render_pdf(data))).pages)
    assert "Quokkaform" not in text


# -- the command line ------------------------------------------------------------------------


def _cli(*args: str) -> tuple[int, str]:
    parser = argparse.ArgumentParser(prog="inspector-app")
    sub = parser.add_subparsers(dest="command")
    review_commands.add_parsers(sub)
    ns = parser.parse_args(list(args))
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = ns.handler(ns)
    return code, out.getvalue()


def test_every_option_has_help_text() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers()
    review_commands.add_parsers(sub)
    assert set(sub.choices) == set(review_commands.COMMANDS)
    for command in sub.choices.values():
        for action in command._actions:
            assert action.help, f"{command.prog} {action.dest}"


def test_the_review_commands_round_trip(master: InspectionFile, daniel: Path) -> None:
    code = _code(master)
    path = master.path
    master.close()
    _, said = _cli("review-note", str(path), "--case", "1", "--question", code, "--text", "Why?")
    note = said.split()[3]
    assert said == f"Left review note {note} on Case 001\n"
    assert _cli("review", str(path), "--case", "1")[1] == "Case 001 marked reviewed\n"
    assert _cli("review", str(path), "--case", "1")[1] == "Case 001 was already reviewed\n"
    with InspectionFile.open(path) as reopened:
        _export(reopened, daniel)
    _cli("review-note", str(daniel), "--case", "1", "--reply", note, "--text", "Because.")
    _cli("review-note", str(daniel), "--case", "1", "--addressed", note)
    with InspectionFile.open(path) as reopened:
        assert not merge_files(reopened, [daniel]).refused
    _, listed = _cli("review-note", str(path), "--list", "--json")
    (shown,) = json.loads(listed)
    assert (shown["case"], shown["id"], shown["question"], shown["text"]) == (1, note, code, "Why?")
    assert shown["replies"][0]["author"] == DANIEL and shown["addressed"] is True
    _, text = _cli("review-note", str(path), "--case", "1", "--list")
    assert f"Case 001  {note}  addressed on {code}  by {LEAD}" in text
    assert f"reply by {DANIEL}: Because." in text
    assert _cli("review-note", str(path), "--case", "2", "--list")[1] == "No review notes\n"
    assert _cli("review", str(path), "--case", "1", "--undo")[1] == "Case 001 marked not reviewed\n"
    with pytest.raises(ValidationError, match="is a fieldwork file"):
        _cli("review", str(daniel), "--case", "1")
    with pytest.raises(ValidationError, match="give the words with --text"):
        _cli("review-note", str(path), "--case", "1", "--reply", note)


# -- properties ------------------------------------------------------------------------------

hex_ids = st.text(alphabet="0123456789abcdef", min_size=32, max_size=32)


@given(note_id=hex_ids, member=hex_ids)
def test_every_field_the_app_writes_parses_back(note_id: str, member: str) -> None:
    assert parse_field(note_field(note_id)) == ReviewField("note", note_id)
    assert parse_field(reply_field(note_id, member)) == ReviewField("reply", note_id, member)
    assert parse_field(addressed_field(note_id)) == ReviewField("addressed", note_id)


@given(st.text(max_size=80))
def test_nothing_else_parses_as_a_review_field(text: str) -> None:
    parsed = parse_field(text)
    if parsed is not None:
        rebuilt = {
            "note": note_field(parsed.note_id),
            "addressed": addressed_field(parsed.note_id),
            "reply": reply_field(parsed.note_id, parsed.member_id or ""),
        }[parsed.what]
        assert rebuilt == text


@given(
    st.lists(
        st.tuples(
            st.sampled_from(("k1", "k2")),
            st.sampled_from(("a" * 32, "b" * 32, "c" * 32)),
            st.sampled_from(("note", "addressed", "reply")),
            st.sampled_from((None, True, False, {"text": "x", "question": None})),
        ),
        unique_by=lambda row: (row[0], row[1], row[2]),
    ),
    st.randoms(),
)
def test_open_notes_are_counted_in_any_order(rows: list[tuple], rnd: object) -> None:
    def fields(order: list[tuple]) -> dict[str, int]:
        counter = OpenNotes()
        for case, note, what, value in order:
            field = reply_field(note, note) if what == "reply" else f"{what}:{note}"
            counter.add(case, field, value)
        return counter.counts()

    shuffled = list(rows)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    assert fields(rows) == fields(shuffled)
    for case, count in fields(rows).items():
        live = {n for c, n, w, v in rows if c == case and w == "note" and v is not None}
        done = {n for c, n, w, v in rows if c == case and w == "addressed" and v is True}
        assert count == len(live - done) > 0


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A master with a note on Daniel's case 1, and his fieldwork file carrying it."""
    import random

    from inspector_app.core.cases.team import add_member
    from inspector_app.core.demo import write_sample_csv
    from inspector_app.core.sample.placement import import_sample

    folder = tmp_path_factory.mktemp("review-template")
    write_sample_csv(folder / "sample.csv", 3, random.Random(3))
    with InspectionFile.create(
        folder / "master.inspection", title="T", organisation="O", lead=LEAD
    ) as master:
        add_member(master, DANIEL)
        import_sample(master, folder / "sample.csv")
        allocate_case(master, 1, DANIEL)
        note, _ = review.add_note(master, master.case_key_for(1), "Why?")
        export_fieldwork(master, DANIEL, folder / "daniel.inspection")
    return folder, note


replies = st.lists(
    st.tuples(st.sampled_from((LEAD, DANIEL)), st.sampled_from(("Yes.", "No.", "See A1.")))
)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(interleaving=replies)
def test_any_interleaving_of_replies_merges_without_conflict(
    template: tuple[Path, str],
    tmp_path_factory: pytest.TempPathFactory,
    interleaving: list[tuple[str, str]],
) -> None:
    """The lead replies in the master while Daniel replies in his file, in any order and as
    often as they like: the merge raises no conflict, each person's last words are kept,
    and merging again (or re-issuing and merging back) changes nothing."""
    source, note = template
    folder = tmp_path_factory.mktemp("example")
    for name in ("master", "daniel"):
        shutil.copy(source / f"{name}.inspection", folder / f"{name}.inspection")
    with (
        InspectionFile.open(folder / "master.inspection") as master,
        InspectionFile.open(folder / "daniel.inspection") as fieldwork,
    ):
        case = master.case_key_for(1)
        last: dict[str, str] = {}
        for who, words in interleaving:
            file = master if who == LEAD else fieldwork
            review.reply(file, case, note, words)
            last[who] = words
    with InspectionFile.open(folder / "master.inspection") as master:
        report = merge_files(master, [folder / "daniel.inspection"])
        assert [(s.refusal, s.conflicts_raised) for s in report.sources] == [(None, 0)]
        assert list_conflicts(master) == []
        (merged,) = review.notes_of_case(master, case)
        assert {r.author: r.text for r in merged.replies} == last
        before = content(folder / "master.inspection")
        assert merge_files(master, [folder / "daniel.inspection"]).sources[0].new_revisions == 0
        assert content(folder / "master.inspection") == before
        reissued = export_fieldwork(master, DANIEL, folder / "again.inspection").path
    with InspectionFile.open(reissued) as fieldwork:
        assert review.notes_of_case(fieldwork, case) == [merged]


@pytest.mark.parametrize("forgery", ["rewrite the note", "withdraw the note", "reply as the lead"])
def test_a_fieldwork_file_may_not_speak_for_the_notes_author(
    master: InspectionFile, tmp_path: Path, forgery: str
) -> None:
    from inspector_app.core.cases import review as review_module
    from inspector_app.core.revisions.review_records import note_field, reply_field
    from tests.merge_helpers import closed_hash

    daniel = INSPECTORS[0]
    allocate_case(master, 1, daniel)
    case = master.case_key_for(1)
    note_id, _ = review_module.add_note(master, case, "The lead's concern")
    lead_id = master.author_id()
    review_module.reply(master, case, note_id, "The lead's own reply")
    path = export_fieldwork(master, daniel, tmp_path / "daniel.inspection").path
    field, value = {
        "rewrite the note": (note_field(note_id), {"text": "Nothing to see", "question": None}),
        "withdraw the note": (note_field(note_id), None),
        "reply as the lead": (reply_field(note_id, lead_id), "Agreed, no action needed"),
    }[forgery]
    with InspectionFile.open(path) as fieldwork:
        record = ids.record_key(case, Kind.REVIEW, field)
        with fieldwork.db.write() as conn:
            write_revision(
                conn,
                record_key=record,
                kind=Kind.REVIEW,
                case_key=case,
                field=field,
                value=value,
                note="",
                author=fieldwork.author_id(),
                hlc=fieldwork.clock.tick(),
                parents=[h.id for h in head_revisions(conn, record)],
            )
    master_path = Path(master.path)
    master.close()
    before = closed_hash(master_path)
    with InspectionFile.open(master_path) as again:
        report = merge_files(again, [path])
    (source,) = report.sources
    assert source.refusal and "speak for someone other than" in source.refusal
    assert closed_hash(master_path) == before


def test_notes_written_in_the_same_millisecond_keep_the_order_they_were_written(
    master: InspectionFile,
) -> None:
    """The clock stamp, not the wall time, orders notes: many notes written within one
    millisecond still list oldest first."""
    master.clock.now = lambda: master.clock.last_ms  # the wall clock stands still
    key = master.case_key_for(1)
    texts = [f"Question number {n}?" for n in range(8)]
    for text in texts:
        review.add_note(master, key, text)
    assert [n.text for n in review.notes_of_case(master, key)] == texts
