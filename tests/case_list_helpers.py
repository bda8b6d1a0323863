"""A master with cases in every state the case list shows, and the case list's rows worked
out case by case (`load_cases` and `summarise`), the count the one-scan reading is held to."""

from __future__ import annotations

from dataclasses import dataclass, replace

from inspector_app.app.case_rows import CaseRow, search_text
from inspector_app.core.cases.answers import set_answer, set_case_complete, set_profile_value
from inspector_app.core.cases.case_data import load_case, load_cases
from inspector_app.core.cases.review import add_note, set_addressed, set_reviewed, withdraw_note
from inspector_app.core.cases.status import summarise
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.framework import AnswerTest, Question
from inspector_app.core.sample.withdrawal import withdraw_case
from tests.conftest import INSPECTORS
from tests.core.test_dashboard import Week, cases_of, fieldwork_week, finish

DANIEL, PRIYA = INSPECTORS
# Notes to an answer that needs one: blank, blank to Python only (a no-break space), of
# punctuation only (written), and written.
NOTES = ("  \n", "\u00a0", "...", "Seen in the sentence plan.")


@dataclass(frozen=True)
class States(Week):
    """Besides the week's work (notes missing, complete, started, conflicted, second reads):
    the sample numbers of the cases put in the other states."""

    review_notes: int  # one note open, one addressed, one withdrawn
    reviewed: int  # the complete case, signed off
    corrected: int  # its alcohol misuse flag corrected (to `alcohol`), a question answered
    notes: int  # needs-note answers with each of NOTES
    emptied: int  # its one answer emptied again: not started
    stale: int  # a follow-up answered, then its gate answered so it no longer applies
    reopened: int  # finished, then its completion taken back
    withdrawn: int  # taken out of the inspection
    alcohol: bool = False


def master_in_every_state(master: InspectionFile) -> States:
    week = fieldwork_week(master)
    daniel, priya = cases_of(master, DANIEL), cases_of(master, PRIYA)
    key = master.case_key_for
    with_notes = [
        q for q in master.framework.questions() if q.applies_if is None and q.note_required
    ]
    states = States(
        **vars(week),
        review_notes=priya[2],
        reviewed=week.complete,
        corrected=daniel[3],
        notes=daniel[4],
        emptied=priya[3],
        stale=priya[4],
        reopened=daniel[5],
        withdrawn=priya[5],
    )

    open_note, _ = add_note(master, key(states.review_notes), "Check the risk assessment.")
    addressed, _ = add_note(master, key(states.review_notes), "Name the partner agency.")
    set_addressed(master, key(states.review_notes), addressed, True)
    withdrawn, _ = add_note(master, key(states.review_notes), "Sorry, wrong case.")
    withdraw_note(master, key(states.review_notes), withdrawn)
    assert open_note
    set_reviewed(master, key(states.reviewed), True)

    case = load_case(master, key(states.corrected))
    states = replace(states, alcohol=not case.profile["alcohol_misuse"])
    set_profile_value(master, case.key, "alcohol_misuse", states.alcohol)
    set_answer(master, case.key, with_notes[0].code, "yes", "")

    for question, note in zip(with_notes, NOTES, strict=False):
        set_answer(master, key(states.notes), question.code, question.note_required[0], note)

    set_answer(master, key(states.emptied), with_notes[0].code, "yes", "")
    set_answer(master, key(states.emptied), with_notes[0].code, None, "")

    gate, follow_up = _gated_question(master)
    test = follow_up.applies_if
    assert isinstance(test, AnswerTest)
    set_answer(master, key(states.stale), gate.code, str(test.value), "")
    follow_up_value = master.framework.scale_of(follow_up).values[0]
    set_answer(master, key(states.stale), follow_up.code, follow_up_value, "")
    other = next(v for v in master.framework.scale_of(gate).values if v != test.value)
    set_answer(master, key(states.stale), gate.code, other, "Seen on the case record.")

    finish(master, states.reopened, master.member_by_name(DANIEL)[0])
    set_case_complete(master, key(states.reopened), False)

    withdraw_case(master, states.withdrawn, "Moved out of the area before the inspection.")
    return states


def _gated_question(file: InspectionFile) -> tuple[Question, Question]:
    """A question that always applies and a follow-up that applies on one answer to it."""
    for question in file.framework.questions():
        test = question.applies_if
        if isinstance(test, AnswerTest) and test.op == "is":
            gate = file.framework.question(test.question)
            if gate.applies_if is None:
                return gate, question
    raise AssertionError("the framework has no follow-up question")


def rows_case_by_case(file: InspectionFile) -> list[CaseRow]:
    """The case list's rows as each case's own screen counts them."""
    return [
        CaseRow(summary, search_text(summary, case.profile))
        for case in load_cases(file)
        for summary in (summarise(file, case),)
    ]
