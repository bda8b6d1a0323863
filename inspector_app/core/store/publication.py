"""What a master sends to the store: its anonymised content as plain data, hashed.

Built from the master by the code the report is built by (`load_cases`, then
`findings_from_cases`, as `compute_findings` and the report do), so a published figure and a
printed one can never disagree. What goes: the inspection's metadata; per case its sample
number, whether it is complete, its profile without the identifying fields (the profile
definition marks them) and its answers on choice scales; the figures and ratings. What never
goes: CRNs, names, evidence notes, free-text answers, the team.

The hash covers everything published, so the same master published twice is recognised and
nothing is written the second time.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace

from inspector_app import __version__
from inspector_app.core.cases.case_data import COMPLETE, CaseState, load_cases, status_of
from inspector_app.core.errors import FileRefused
from inspector_app.core.files.inspection_file import InspectionFile, InspectionInfo
from inspector_app.core.findings.figures import Findings, PooledFigures, findings_from_cases
from inspector_app.core.findings.ratings import Ratings
from inspector_app.core.framework import Framework
from inspector_app.core.framework.profile import ProfileDefinition

# The levels of figures, as stored and compared.
OVERALL = "overall"
STAGE = "stage"
CRITERION = "criterion"
QUESTION = "question"
LEVELS = (OVERALL, STAGE, CRITERION, QUESTION)

ProfileValue = str | int | bool


@dataclass(frozen=True)
class PublishedCase:
    """One case as published: never its CRN or name (not even its case key)."""

    sample_no: int
    complete: bool
    profile: tuple[tuple[str, ProfileValue], ...]  # known values only, by field name
    answers: tuple[tuple[str, str], ...]  # (question code, value), in framework order

    def to_json(self) -> dict[str, object]:
        return {
            "sample_no": self.sample_no,
            "complete": self.complete,
            "profile": dict(self.profile),
            "answers": dict(self.answers),
        }


@dataclass(frozen=True)
class Figure:
    """One figure of the findings: the inspection's score for a question, a criterion (a
    standard), a stage or the whole; `percent` as the report prints it."""

    level: str  # one of LEVELS
    code: str
    title: str
    stage: str  # the stage a criterion or question belongs to ("" if none)
    position: int  # report order
    sufficient: int
    insufficient: int
    percent: int | None
    rating: str | None = None  # a standard's rating as the figures give it
    adjusted_rating: str | None = None  # the lead's adjustment of it, if any

    @property
    def denominator(self) -> int:
        return self.sufficient + self.insufficient

    def to_json(self) -> dict[str, object]:
        return {
            "level": self.level,
            "code": self.code,
            "title": self.title,
            "stage": self.stage,
            "position": self.position,
            "sufficient": self.sufficient,
            "insufficient": self.insufficient,
            "percent": self.percent,
            "rating": self.rating,
            "adjusted_rating": self.adjusted_rating,
        }


@dataclass(frozen=True)
class Publication:
    """Everything one inspection publishes (see the module's docstring)."""

    inspection_id: str
    title: str
    organisation: str
    programme: str
    fieldwork_start: str | None
    fieldwork_end: str | None
    framework_id: str
    framework_version: str
    cases_counted: int
    report_final: bool
    overall_rating: str | None
    overall_score: int | None
    open_conflicts: int
    cases: tuple[PublishedCase, ...]
    figures: tuple[Figure, ...]
    app_version: str = __version__

    @property
    def fieldwork_year(self) -> int | None:
        date = self.fieldwork_start or self.fieldwork_end
        return int(date[:4]) if date and date[:4].isdigit() else None

    @property
    def answer_count(self) -> int:
        return sum(len(case.answers) for case in self.cases)

    def to_json(self) -> dict[str, object]:
        """The published content (the app's version aside: a new version of the app that
        publishes the same figures changes nothing)."""
        return {
            "inspection": {
                "id": self.inspection_id,
                "title": self.title,
                "organisation": self.organisation,
                "programme": self.programme,
                "fieldwork_start": self.fieldwork_start,
                "fieldwork_end": self.fieldwork_end,
                "framework": {"id": self.framework_id, "version": self.framework_version},
                "cases_counted": self.cases_counted,
                "report_final": self.report_final,
                "overall_rating": self.overall_rating,
                "overall_score": self.overall_score,
                "open_conflicts": self.open_conflicts,
            },
            "cases": [case.to_json() for case in self.cases],
            "figures": [figure.to_json() for figure in self.figures],
        }

    @functools.cached_property
    def content_hash(self) -> str:
        text = json.dumps(self.to_json(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


def publication_from_file(file: InspectionFile) -> Publication:
    """The master's publication, read once (cases, findings, conflicts, narrative)."""
    from inspector_app.core.merge.conflicts import list_conflicts
    from inspector_app.core.narrative.parts import load_narrative
    from inspector_app.core.narrative.rating_overrides import adjusted_ratings

    if not file.is_master:
        raise FileRefused(
            f"{file.path.name}: is a fieldwork file; publish the lead's master, after merging"
        )
    cases = load_cases(file)
    findings = findings_from_cases(file.framework, cases)
    adjusted = adjusted_ratings(file, findings.ratings) if findings.ratings else None
    return build_publication(
        file.inspection,
        file.framework,
        cases,
        findings,
        open_conflicts=len(list_conflicts(file)),
        report_final=load_narrative(file).final,
        adjusted=adjusted,
    )


def build_publication(
    info: InspectionInfo,
    framework: Framework,
    cases: Sequence[CaseState],
    findings: Findings,
    *,
    open_conflicts: int = 0,
    report_final: bool = False,
    adjusted: Ratings | None = None,
) -> Publication:
    """A publication from already loaded cases and their findings (pure: the bench and the
    tests build inspections this way, without a file)."""
    ratings = adjusted or findings.ratings
    return Publication(
        inspection_id=info.id,
        title=info.title,
        organisation=info.organisation,
        programme=info.programme,
        fieldwork_start=info.fieldwork_start,
        fieldwork_end=info.fieldwork_end,
        framework_id=info.framework_id,
        framework_version=info.framework_version,
        cases_counted=findings.cases_counted,
        report_final=report_final,
        overall_rating=ratings.overall_rating if ratings else None,
        overall_score=ratings.overall_score if ratings else None,
        open_conflicts=open_conflicts,
        cases=tuple(published_case(framework, case) for case in cases),
        figures=figures_of(findings, adjusted),
    )


def published_case(framework: Framework, case: CaseState) -> PublishedCase:
    """A case without what identifies it: its profile's non-identifying fields, its answers
    on choice scales (a text answer is free text, like an evidence note: it stays)."""
    answers = case.answer_values()
    return PublishedCase(
        sample_no=case.sample_no,
        complete=status_of(case) == COMPLETE,
        profile=anonymous_profile(framework.profile, case.profile),
        answers=tuple(
            (question.code, value)
            for question in framework.questions()
            if (value := answers.get(question.code)) and framework.scale_of(question).kind != "text"
        ),
    )


def anonymous_profile(
    definition: ProfileDefinition, profile: Mapping[str, object]
) -> tuple[tuple[str, ProfileValue], ...]:
    """The known values of the profile's fields; the sample number and every field the
    definition marks identifying are left out (`profile_fields` holds neither)."""
    return tuple(
        (spec.name, value)
        for spec in definition.profile_fields
        if not spec.identifying
        and isinstance(value := profile.get(spec.name), str | int | bool)
        and value != ""
    )


def figures_of(findings: Findings, adjusted: Ratings | None = None) -> tuple[Figure, ...]:
    """The findings as figures, in report order: the whole, then each stage followed by its
    criteria, each criterion followed by its questions; questions no criterion holds last."""
    return tuple(
        replace(figure, position=position)
        for position, figure in enumerate(_figures_in_order(findings, adjusted))
    )


def _figures_in_order(findings: Findings, adjusted: Ratings | None) -> Iterator[Figure]:
    yield _pooled(OVERALL, findings.overall, "")
    rated = {s.code: s for s in findings.ratings.standards} if findings.ratings else {}
    changed = {s.code: s for s in adjusted.standards} if adjusted else {}
    stage_figures = {s.code: s for s in findings.stage_figures}
    placed: set[str] = set()
    stages_done: set[str] = set()
    for criterion in findings.criteria:
        if (
            criterion.stage
            and criterion.stage not in stages_done
            and criterion.stage in stage_figures
        ):
            stages_done.add(criterion.stage)
            yield _pooled(STAGE, stage_figures[criterion.stage], criterion.stage)
        standard = rated.get(criterion.code)
        adjustment = changed.get(criterion.code)
        yield Figure(
            level=CRITERION,
            code=criterion.code,
            title=criterion.title,
            stage=criterion.stage,
            position=0,
            sufficient=criterion.sufficient,
            insufficient=criterion.insufficient,
            percent=criterion.percent,
            rating=standard.rating if standard else None,
            adjusted_rating=adjustment.rating
            if adjustment and adjustment.justification is not None
            else None,
        )
        for code in criterion.question_codes:
            if code not in placed:
                placed.add(code)
                yield _question(findings, code, criterion.stage)
    for question in findings.questions:
        if question.code not in placed:
            yield _question(findings, question.code, "")


def _pooled(level: str, pooled: PooledFigures, stage: str) -> Figure:
    return Figure(
        level=level,
        code=pooled.code,
        title=pooled.title,
        stage=stage,
        position=0,
        sufficient=pooled.sufficient,
        insufficient=pooled.insufficient,
        percent=pooled.percent,
    )


def _question(findings: Findings, code: str, stage: str) -> Figure:
    question = findings.question(code)
    return Figure(
        level=QUESTION,
        code=code,
        title=question.label or question.code,
        stage=stage,
        position=0,
        sufficient=question.sufficient,
        insufficient=question.insufficient,
        percent=question.percent,
    )
