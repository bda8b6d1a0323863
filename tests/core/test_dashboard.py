"""The lead's overview: every figure equals a recount of the case summaries, and every figure's
scope selects exactly the cases it counts."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspector_app.app.case_rows import CaseRow, build_case_rows
from inspector_app.app.dashboard import (
    CONDITIONS,
    CONFLICT,
    FIRST,
    NOTES_MISSING,
    SECOND,
    STATUSES,
    CaseScope,
    Dashboard,
    Person,
    Progress,
    build_dashboard,
    load_dashboard,
    team_progress,
    when_text,
)
from inspector_app.core.cases.answers import missing_for_completion, set_answer, set_case_complete
from inspector_app.core.cases.case_data import COMPLETE, IN_PROGRESS, NOT_STARTED, load_case
from inspector_app.core.cases.status import CaseSummary, case_summaries
from inspector_app.core.cases.team import add_member
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.framework import Question
from inspector_app.core.revisions.hlc import wall_ms
from inspector_app.core.sample.placement import allocate_case
from tests.conftest import INSPECTORS, LEAD
from tests.merge_helpers import make_conflict

DANIEL, PRIYA = INSPECTORS
ASSESSOR = "Tom Gallagher"


# -- a master part-way through fieldwork -------------------------------------------------------


@dataclass(frozen=True)
class Week:
    """Which cases the scenario put in which state (sample numbers)."""

    notes_missing: int  # Daniel's, in progress, one answer lacking its note
    complete: int  # Daniel's, finished
    started: int  # Priya's, one answer
    conflicted: int  # Priya's, two readings of one answer that disagree


def note_question(file: InspectionFile) -> tuple[Question, str]:
    """A question that always applies and an answer to it that needs an evidence note."""
    for question in file.framework.questions():
        if question.scored and question.applies_if is None and question.note_required:
            return question, question.note_required[0]
    raise AssertionError("the framework has no question that asks for a note")


def cases_of(file: InspectionFile, name: str) -> list[int]:
    return sorted(s.sample_no for s in case_summaries(file) if s.assessor == name)


def finish(file: InspectionFile, sample_no: int, author: str) -> None:
    """Answer everything that applies, with notes, and mark the case complete."""
    case_key = file.case_key_for(sample_no)
    while missing := missing_for_completion(file.framework, load_case(file, case_key)):
        question = file.framework.question(missing[0].code)
        value = file.framework.scale_of(question).values[0]
        set_answer(file, case_key, question.code, value, "Seen on the case record", author=author)
    set_case_complete(file, case_key)


def fieldwork_week(master: InspectionFile) -> Week:
    """Daniel has a case with a note missing and a finished one; Priya has started one and has
    a conflict on another; Priya, the lead and a local assessor (who has written nothing) hold
    second reads."""
    daniel = master.member_by_name(DANIEL)[0]
    priya = master.member_by_name(PRIYA)[0]
    question, needs_note = note_question(master)
    d_cases, p_cases = cases_of(master, DANIEL), cases_of(master, PRIYA)
    week = Week(d_cases[0], d_cases[1], p_cases[0], p_cases[1])

    key = master.case_key_for(week.notes_missing)
    set_answer(master, key, question.code, needs_note, "", author=daniel)
    finish(master, week.complete, daniel)
    set_answer(master, master.case_key_for(week.started), question.code, "yes", "", author=priya)
    make_conflict(master, master.case_key_for(week.conflicted), question.code)

    add_member(master, ASSESSOR, "assessor")
    allocate_case(master, week.complete, PRIYA, second_reader=True)
    allocate_case(master, week.started, LEAD, second_reader=True)
    allocate_case(master, d_cases[2], ASSESSOR, second_reader=True)
    return week


@pytest.fixture
def week(master: InspectionFile) -> Week:
    return fieldwork_week(master)


def row_of(dashboard: Dashboard, name: str) -> Progress:
    return next(p for p in dashboard.people if p.name == name)


# -- the figures ------------------------------------------------------------------------------


def recount(summaries: list[CaseSummary], name: str | None) -> dict[str, int]:
    """The figures of one person (None: every case), counted afresh from the summaries."""
    mine = [s for s in summaries if name is None or s.assessor == name]
    second = [s for s in summaries if s.second_reader and name in (None, s.second_reader)]
    statuses = Counter(s.status for s in mine)
    return {
        "cases": len(mine),
        "not_started": statuses[NOT_STARTED],
        "in_progress": statuses[IN_PROGRESS],
        "complete": statuses[COMPLETE],
        "notes_missing": sum(1 for s in mine if s.notes_missing),
        "notes_missing_answers": sum(s.notes_missing for s in mine),
        "conflicts": sum(1 for s in mine if s.conflicts),
        "second_reads": len(second),
        "second_reads_complete": sum(1 for s in second if s.status == COMPLETE),
    }


def shown(progress: Progress) -> dict[str, int]:
    return {
        "cases": progress.cases.count,
        "not_started": progress.not_started.count,
        "in_progress": progress.in_progress.count,
        "complete": progress.complete.count,
        "notes_missing": progress.notes_missing.count,
        "notes_missing_answers": progress.notes_missing_answers,
        "conflicts": progress.conflicts.count,
        "second_reads": progress.second_reads.count,
        "second_reads_complete": progress.second_reads_complete.count,
    }


def test_every_figure_equals_a_recount(master: InspectionFile, week: Week) -> None:
    dashboard = build_dashboard(master)
    summaries = case_summaries(master)
    assert [p.name for p in dashboard.people] == [LEAD, DANIEL, PRIYA, ASSESSOR]
    for person in dashboard.people:
        assert shown(person) == recount(summaries, person.name), person.name
    assert shown(dashboard.total) == recount(summaries, None)


def test_the_figures_are_the_weeks_work(master: InspectionFile, week: Week) -> None:
    """The recount above could share a mistake with the dashboard: here the scenario's own
    numbers."""
    dashboard = build_dashboard(master)
    daniel, priya = row_of(dashboard, DANIEL), row_of(dashboard, PRIYA)
    assert (daniel.in_progress.count, daniel.complete.count) == (1, 1)
    assert (daniel.notes_missing.count, daniel.notes_missing_answers) == (1, 1)
    assert (priya.in_progress.count, priya.conflicts.count) == (2, 1)
    assert (priya.second_reads.count, priya.second_reads_complete.count) == (1, 1)
    assert row_of(dashboard, LEAD).cases.count == 0
    assert row_of(dashboard, ASSESSOR).second_reads.count == 1
    total = dashboard.total
    assert (total.cases.count, total.not_started.count) == (12, 8)
    assert (total.second_reads.count, total.second_reads_complete.count) == (3, 1)
    assert total.conflicts.count == 1 and dashboard.open_conflicts == 1
    assert dashboard.title == master.inspection.title
    assert dashboard.fieldwork_dates == "2 to 6 November 2026"


def test_every_figures_scope_matches_that_many_case_rows(
    master: InspectionFile, week: Week
) -> None:
    dashboard = build_dashboard(master)
    rows = build_case_rows(master)
    figures = list(dashboard.figures())
    assert len(figures) == 9 * (len(dashboard.people) + 1)
    for figure in figures:
        matched = [row.key for row in rows if figure.scope.matches(row)]
        assert len(matched) == figure.count, figure.scope.describe()


def test_members_without_cases_have_no_row(master: InspectionFile) -> None:
    add_member(master, "Sam Idle", "inspector")
    names = [p.name for p in build_dashboard(master).people]
    assert "Sam Idle" not in names and LEAD not in names  # nothing allocated to either


def test_latest_work_is_the_newest_revision_each_person_wrote(
    master: InspectionFile, week: Week
) -> None:
    priya = master.member_by_name(PRIYA)[0]
    before = time.time_ns() // 1_000_000
    code = note_question(master)[0].code
    set_answer(master, master.case_key_for(week.started), code, "no", "Late", author=priya)
    dashboard = build_dashboard(master)
    conn = master.db.raw
    for person in dashboard.people:
        member_id = master.member_by_name(person.name or "")[0]
        written = conn.execute("SELECT hlc FROM revision WHERE author = ?", (member_id,))
        stamps = [hlc for (hlc,) in written]
        newest = max((wall_ms(s) for s in stamps), default=None)
        got = person.latest_work
        assert (None if got is None else round(got.timestamp() * 1000)) == newest, person.name
    assert row_of(dashboard, ASSESSOR).latest_text == "nothing yet"
    latest_priya = row_of(dashboard, PRIYA).latest_work
    assert latest_priya is not None and latest_priya.timestamp() * 1000 >= before
    assert dashboard.total.latest_work == max(
        p.latest_work for p in dashboard.people if p.latest_work is not None
    )


def test_a_worker_reads_the_same_figures_from_disk(master: InspectionFile, week: Week) -> None:
    assert load_dashboard(master.path, None) == build_dashboard(master)


def test_times_print_in_local_time(monkeypatch: pytest.MonkeyPatch) -> None:
    when = datetime(2026, 11, 3, 14, 5, tzinfo=UTC)
    try:
        monkeypatch.setenv("TZ", "UTC")
        time.tzset()
        assert when_text(when) == "Tue 3 Nov 14:05"
        monkeypatch.setenv("TZ", "Asia/Kolkata")
        time.tzset()
        assert when_text(when) == "Tue 3 Nov 19:35"
    finally:
        monkeypatch.undo()
        time.tzset()
    assert when_text(None) == "nothing yet"


# -- scopes ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scope", "text"),
    [
        (CaseScope(), "All cases"),
        (CaseScope(DANIEL, FIRST, IN_PROGRESS), "Daniel Okafor's cases in progress"),
        (CaseScope(DANIEL, FIRST, NOT_STARTED), "Daniel Okafor's cases not started"),
        (CaseScope(DANIEL, FIRST, COMPLETE), "Daniel Okafor's complete cases"),
        (CaseScope(PRIYA, SECOND), "Priya Raman's second reads"),
        (CaseScope(PRIYA, SECOND, COMPLETE), "Priya Raman's complete second reads"),
        (CaseScope(PRIYA, FIRST, CONFLICT), "Priya Raman's cases with open conflicts"),
        (CaseScope(PRIYA), "Priya Raman's cases and second reads"),
        (CaseScope(condition=NOTES_MISSING), "Cases with notes missing"),
        (CaseScope(condition=COMPLETE), "Complete cases"),
        (CaseScope(reader=SECOND), "Second reads"),
        (CaseScope(reader=FIRST), "Allocated cases"),
    ],
)
def test_scopes_describe_themselves(scope: CaseScope, text: str) -> None:
    assert scope.describe() == text


def test_a_scope_refuses_what_the_case_list_cannot_show() -> None:
    with pytest.raises(ValueError, match="reader"):
        CaseScope(DANIEL, "third")
    with pytest.raises(ValueError, match="condition"):
        CaseScope(condition="overdue")


# -- invariants over any fieldwork -------------------------------------------------------------

NAMES = ("Ann", "Bo", "Cy")


@st.composite
def summaries(draw: st.DrawFn) -> list[CaseSummary]:
    count = draw(st.integers(0, 30))
    made = []
    for n in range(1, count + 1):
        first = draw(st.sampled_from((None, *NAMES)))
        second = draw(st.sampled_from((None, *(x for x in NAMES if x != first))))
        status = draw(st.sampled_from((NOT_STARTED, IN_PROGRESS, COMPLETE)))
        started = status != NOT_STARTED
        made.append(
            CaseSummary(
                key=f"k{n}",
                sample_no=n,
                label=f"Case {n:03}",
                sentence_type=None,
                rosh=None,
                tier=None,
                flags=(),
                assessor=first,
                second_reader=second,
                status=status,
                answered=0,
                applicable=0,
                notes_missing=draw(st.integers(0, 3)) if started else 0,
                conflicts=draw(st.integers(0, 2)) if started else 0,
            )
        )
    return made


@settings(max_examples=150, deadline=None)
@given(summaries(), st.sets(st.sampled_from(NAMES)))
def test_figures_add_up_for_any_fieldwork(cases: list[CaseSummary], team: set[str]) -> None:
    people, total = team_progress(cases, [Person(n, "Inspector", None) for n in sorted(team)])
    rows = [CaseRow(s, "") for s in cases]
    for progress in (*people, total):
        parts = progress.not_started, progress.in_progress, progress.complete
        assert sum(f.count for f in parts) == progress.cases.count
        assert progress.notes_missing.count <= progress.notes_missing_answers
        assert progress.second_reads_complete.count <= progress.second_reads.count
        for figure in progress.figures():
            assert sum(figure.scope.matches(r) for r in rows) == figure.count
    assert total.cases.count == len(cases)
    # Everyone with cases has a row, nobody without; a case counts once under its first reader.
    readers = {n for s in cases for n in (s.assessor, s.second_reader) if n in team}
    assert {p.name for p in people} == readers
    assert sum(p.cases.count for p in people) == sum(1 for s in cases if s.assessor in team)


@given(st.sampled_from((None, *NAMES)), st.sampled_from((None, FIRST, SECOND)), summaries())
def test_status_scopes_split_a_scope_without_overlap(
    name: str | None, reader: str | None, cases: list[CaseSummary]
) -> None:
    rows = [CaseRow(s, "") for s in cases]

    def keys(scope: CaseScope) -> set[str]:
        return {r.key for r in rows if scope.matches(r)}

    whole = keys(CaseScope(name, reader))
    parts = [keys(CaseScope(name, reader, status)) for status in STATUSES]
    assert set().union(*parts) == whole
    assert sum(len(part) for part in parts) == len(whole)
    for condition in CONDITIONS:
        assert keys(CaseScope(name, reader, condition)) <= whole


def test_open_review_notes_are_counted_and_linked(master: InspectionFile) -> None:
    from inspector_app.core.cases.review import add_note, set_addressed

    first = master.case_key_for(1)
    second = master.case_key_for(2)
    add_note(master, first, "Where is the evidence for this?")
    addressed, _ = add_note(master, second, "Please check the dates.")
    set_addressed(master, second, addressed, True)
    dashboard = build_dashboard(master)
    assert dashboard.total.review_notes.count == 1
    rows = build_case_rows(master)
    matched = [row.key for row in rows if dashboard.total.review_notes.scope.matches(row)]
    assert matched == [first]
    assert dashboard.total.review_notes.scope.describe() == "Cases with review notes open"


def test_the_whole_teams_latest_work_is_that_of_the_people_with_cases() -> None:
    """A master just set up said "latest work received: Mon 7 Dec 08:15" (the lead's setting
    up) while every person with cases had sent nothing yet."""
    set_up = datetime(2026, 12, 7, 8, 15, tzinfo=UTC)
    case = CaseSummary(
        key="k1",
        sample_no=1,
        label="Case 001",
        sentence_type=None,
        rosh=None,
        tier=None,
        flags=(),
        assessor="Ann",
        second_reader=None,
        status=NOT_STARTED,
        answered=0,
        applicable=0,
        notes_missing=0,
        conflicts=0,
    )
    team = [Person("Helen", "Lead", set_up), Person("Ann", "Inspector", None)]
    _people, total = team_progress([case], team)
    assert total.latest_work is None
    sent = datetime(2026, 12, 8, 17, 0, tzinfo=UTC)
    _people, total = team_progress([case], [team[0], Person("Ann", "Inspector", sent)])
    assert total.latest_work == sent
