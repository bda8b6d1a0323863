"""A demo inspection with double reading, built through the core services: the three team
files of `create_demo`, plus the lead's own fieldwork file for the cases she second-reads, with
answers that agree on some questions and disagree on others (so merging raises conflicts).
Used by the tests and by docs/screenshots/make_merge_screenshots.py."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from inspector_app.core.cases.answers import set_answer
from inspector_app.core.demo import LEAD, create_demo
from inspector_app.core.files.fieldwork_export import export_fieldwork
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.framework import Question

DANIEL, PRIYA, TOM = "Daniel Okafor", "Priya Raman", "Tom Gallagher"

# (case, first reader) double-read by the lead in create_demo
DOUBLE_READ = ((3, DANIEL), (18, PRIYA))

# On each double-read case, the lead answers the first four questions; (agrees?) per question.
PLAN = {3: (False, False, True, True), 18: (False, True, True, True)}

FIRST_NOTES = (
    "Clear evidence on the case record; the offender manager described the work well.",
    "Risk assessment completed within five days of sentence and recorded in OASys.",
    "Discussed at supervision; the individual's views were recorded and used.",
    "Done within timescales.",
)
LEAD_NOTES = (
    "No evidence on file; the offender manager confirmed this was not done.",
    "Completed late and did not reflect the police information available at the time.",
    "",
    "",
)


@dataclass(frozen=True)
class TeamDemo:
    folder: Path
    master: Path
    team: tuple[Path, ...]  # Daniel, Priya, Tom
    lead: Path
    codes: tuple[str, ...]  # the questions the plan answers

    @property
    def all_files(self) -> tuple[Path, ...]:
        return (*self.team, self.lead)

    def expected_conflicts(self) -> list[tuple[int, str]]:
        return [
            (case, self.codes[i])
            for case, agrees in PLAN.items()
            for i, agreed in enumerate(agrees)
            if not agreed
        ]


def planned_questions(file: InspectionFile, count: int = 4) -> list[Question]:
    return [
        q
        for q in file.framework.questions()
        if q.scored and q.applies_if is None and q.sufficient_value and q.insufficient_value
    ][:count]


def build_team_demo(folder: Path, cases: int = 60) -> TeamDemo:
    outcome = create_demo(folder, cases=cases)
    with InspectionFile.open(outcome.master) as master:
        lead_path = export_fieldwork(master, LEAD, folder).path
        questions = planned_questions(master)
    by_reader = {DANIEL: outcome.fieldwork[0], PRIYA: outcome.fieldwork[1]}
    for case, reader in DOUBLE_READ:
        with (
            InspectionFile.open(by_reader[reader]) as first,
            InspectionFile.open(lead_path) as lead,
        ):
            for i, (question, agrees) in enumerate(zip(questions, PLAN[case], strict=True)):
                mine = question.sufficient_value
                hers = mine if agrees else question.insufficient_value
                set_answer(first, first.case_key_for(case), question.code, mine, FIRST_NOTES[i])
                note = FIRST_NOTES[i] if agrees else LEAD_NOTES[i]
                set_answer(lead, lead.case_key_for(case), question.code, hers, note)
    return TeamDemo(
        folder,
        outcome.master,
        tuple(outcome.fieldwork),
        lead_path,
        tuple(q.code for q in questions),
    )
