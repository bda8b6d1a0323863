"""The findings as tables for analysts: a row per scored question, per criterion (a section,
for a framework that declares no criteria), per stage, per sub-group figure the criteria ask
for, and for all the work together, with the figures the report prints beside them.

Everything comes from `compute_findings`, so the export and the report never disagree: the
percentage is the one the report prints (rounded half up, `percent_of`), the share is the
same fraction unrounded, and the words are the house style's.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from inspector_app.core.exports.spreadsheet import Cell, Table, Written, check_target, write_tables
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.findings.figures import (
    Findings,
    PooledFigures,
    QuestionFigures,
    compute_findings,
)
from inspector_app.core.findings.percentages import percent_of
from inspector_app.core.framework import Framework

# The level of a row, as the tidy CSV's first column names it.
QUESTION = "question"
CRITERION = "criterion"
SECTION = "section"
STAGE = "stage"
SUBGROUP = "sub-group"
OVERALL = "overall"

LEVEL = "Level"
CODE = "Code"
TITLE = "Title"
SUBGROUP_COLUMN = "Sub-group"
STAGE_COLUMN = "Stage"
CASES = "Cases"
YES = "Yes"
NO = "No"
NA = "N/A"
NOT_ANSWERED = "Not answered"
SUFFICIENT = "Sufficient"
INSUFFICIENT = "Insufficient"
JUDGEMENTS = "Judgements"
PERCENT = "Per cent"
SHARE = "Share (unrounded)"
WORDS = "In words"
DISPUTED = "Disputed"
ALL_THE_WORK = "All the work"

# The figures every level has, after its own columns.
_FIGURES = (SUFFICIENT, INSUFFICIENT, JUDGEMENTS, PERCENT, SHARE, WORDS, DISPUTED)


def findings_tables(findings: Findings, framework: Framework) -> tuple[Table, ...]:
    """The findings as tables, one per level (questions, criteria or sections, stages if
    the framework has any, sub-groups if the criteria ask for any, all the work)."""
    unit = CRITERION if framework.declared_criteria else SECTION
    unit_column = unit.capitalize()
    staged = bool(findings.stages)
    parent = {code: c for c in findings.criteria for code in c.question_codes}

    stage_of: list[str] = [STAGE_COLUMN] if staged else []
    question_columns = (LEVEL, CODE, TITLE, unit_column, *stage_of, YES, NO, NA, NOT_ANSWERED)
    questions = Table(
        "Questions",
        (*question_columns, *_FIGURES),
        tuple(_question_row(q, parent.get(q.code), staged) for q in findings.questions),
    )
    criteria = Table(
        "Criteria" if unit == CRITERION else "Sections",
        (LEVEL, CODE, TITLE, *stage_of, *_FIGURES),
        tuple(
            (unit, c.code, c.title, *([c.stage or None] if staged else []), *_figures(c))
            for c in findings.criteria
        ),
    )
    tables = [questions, criteria]
    if findings.stage_figures:
        tables.append(
            Table(
                "Stages",
                (LEVEL, CODE, TITLE, *_FIGURES),
                tuple((STAGE, s.code, s.title, *_figures(s)) for s in findings.stage_figures),
            )
        )
    if findings.subgroup_figures:
        stages = {c.code: c.stage for c in findings.criteria}
        tables.append(
            Table(
                "Sub-groups",
                (LEVEL, CODE, TITLE, SUBGROUP_COLUMN, *stage_of, CASES, *_FIGURES),
                tuple(
                    (
                        SUBGROUP,
                        g.criterion,
                        g.title,
                        g.label,
                        *([stages.get(g.criterion) or None] if staged else []),
                        g.cases,
                        *_figures(g.figures),
                    )
                    for g in findings.subgroup_figures
                ),
            )
        )
    tables.append(
        Table(
            "Overall",
            (LEVEL, CODE, TITLE, CASES, *_FIGURES),
            ((OVERALL, None, ALL_THE_WORK, findings.cases_counted, *_figures(findings.overall)),),
        )
    )
    return tuple(tables)


def tidy_columns(tables: Sequence[Table]) -> tuple[str, ...]:
    """The columns of the one CSV table all levels share: the level, what the row is, then
    the counts and figures."""
    present = {c for t in tables for c in t.columns}
    order = [LEVEL, CODE, TITLE, SUBGROUP_COLUMN, CRITERION.capitalize()]
    order += [SECTION.capitalize(), STAGE_COLUMN, CASES, YES, NO, NA, NOT_ANSWERED, *_FIGURES]
    return tuple(c for c in order if c in present)


def write_findings(
    source: Path,
    target: Path,
    *,
    passphrase: str | None = None,
    include_in_progress: bool = False,
    overwrite: bool = False,
) -> Written:
    """Export the findings of the inspection file at `source` to `target`: XLSX, a sheet
    per level; CSV, one tidy table with a Level column. The target is checked before the
    file is opened, and written whole or not at all."""
    check_target(target, source=source, overwrite=overwrite)
    with InspectionFile.open(source, readonly=True, passphrase=passphrase) as file:
        findings = compute_findings(file, include_in_progress=include_in_progress)
        tables = findings_tables(findings, file.framework)
        title = f"Findings: {file.inspection.title}"
    scope = "complete and in-progress" if include_in_progress else "complete"
    return write_tables(
        target,
        tables,
        source=source,
        overwrite=overwrite,
        title=title,
        description=f"Figures of the {findings.cases_counted} {scope} cases counted",
        csv_columns=tidy_columns(tables),
    )


def _question_row(
    q: QuestionFigures, criterion: PooledFigures | None, staged: bool
) -> tuple[Cell, ...]:
    where: list[Cell] = [criterion.code if criterion else None]
    if staged:
        where.append((criterion.stage if criterion else "") or None)
    return (QUESTION, q.code, q.text, *where, q.yes, q.no, q.na, q.unanswered, *_figures(q))


def _figures(f: QuestionFigures | PooledFigures) -> tuple[Cell, ...]:
    """Sufficient, insufficient, judgements, the percentage as printed, the unrounded share,
    the words and whether an open conflict touches it."""
    share = f.sufficient / f.denominator if f.denominator else None
    return (
        f.sufficient,
        f.insufficient,
        f.denominator,
        percent_of(f.sufficient, f.denominator),
        share,
        f.words,
        "Yes" if f.disputed else "No",
    )
