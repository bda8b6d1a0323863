"""A merged demo inspection to report on, built once per test module and copied per test."""

from __future__ import annotations

import csv
import shutil
from dataclasses import dataclass, replace
from pathlib import Path

from inspector_app.core.demo import create_demo
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.findings.figures import Findings, QuestionFigures
from inspector_app.core.merge.run import merge_files


@dataclass(frozen=True)
class MergedDemo:
    master: Path
    sample_csv: Path

    def copy_to(self, folder: Path) -> Path:
        """A private copy of the merged master (the file is closed, so it is one file)."""
        target = folder / self.master.name
        shutil.copyfile(self.master, target)
        return target

    def identities(self) -> list[tuple[str, str]]:
        """(crn, name) of every case in the long list: what must never reach a report."""
        with open(self.sample_csv, newline="", encoding="utf-8") as handle:
            return [(row["crn"], row["name"]) for row in csv.DictReader(handle)]


def merged_demo(folder: Path, cases: int = 60) -> MergedDemo:
    """The demo's master with every fieldwork file merged into it."""
    outcome = create_demo(folder, cases=cases)
    with InspectionFile.open(outcome.master) as master:
        report = merge_files(master, outcome.fieldwork)
        assert not report.refused, report.refused
    return MergedDemo(outcome.master, outcome.sample_csv)


def with_figures(findings: Findings, code: str, sufficient: int, insufficient: int) -> Findings:
    """The findings with one question's figures replaced (as after more cases are merged)."""
    questions: list[QuestionFigures] = []
    for figures in findings.questions:
        if figures.code == code:
            figures = replace(
                figures,
                yes=sufficient,
                no=insufficient,
                sufficient=sufficient,
                insufficient=insufficient,
            )
        questions.append(figures)
    return replace(findings, questions=tuple(questions))
