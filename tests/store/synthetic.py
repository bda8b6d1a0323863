"""Synthetic inspections made straight into the publish function's input, for the bench and for
tests that need many inspections or a framework the demo does not make.

Each inspection is a seeded set of cases (`CaseState`, as `load_cases` returns them) with
profiles drawn from the framework's own allowed values and every applicable question answered
in framework order, a service's strength per question varying from area to area. The findings
come from `findings_from_cases`, the report's code, and the publication from
`build_publication`, the same builder a master's goes through. No file is written.
"""

from __future__ import annotations

import random
import uuid

from inspector_app.core.cases.case_data import AnswerValue, CaseState
from inspector_app.core.files.inspection_file import DEFAULT_PROGRAMME, InspectionInfo
from inspector_app.core.findings.figures import findings_from_cases
from inspector_app.core.framework import Framework, applies
from inspector_app.core.framework.profile import FieldKind, ProfileDefinition
from inspector_app.core.store.publication import Publication, build_publication

AREAS = (
    "Avon and Somerset",
    "Cheshire",
    "Cumbria",
    "Derbyshire",
    "Durham",
    "Essex",
    "Gwent",
    "Kent",
    "Lancashire",
    "Merseyside",
    "Norfolk",
    "Northumbria",
    "South Yorkshire",
    "Staffordshire",
    "Thames Valley",
    "West Mercia",
)
OFFICES = ("North", "South", "Central", "East", "West")


def synthetic_publication(
    framework: Framework,
    seed: int,
    *,
    cases: int = 40,
    year: int = 2026,
    area: str | None = None,
    complete_share: float = 0.95,
    complex_share: float = 0.3,
) -> Publication:
    """One inspection's publication, the same for the same seed. `complex_share` is how often
    a case's flag is set and a gate question opens its follow-ups: near 1, nearly every
    question applies to every case (the bench's 60 answers a case)."""
    rng = random.Random(seed)
    area = area or f"{AREAS[seed % len(AREAS)]} {seed // len(AREAS) + 1}"
    month = 1 + seed % 12
    info = InspectionInfo(
        id=uuid.UUID(int=rng.getrandbits(128)).hex,
        title=f"Inspection of Adult Offending Work: {area}",
        organisation=area,
        programme=DEFAULT_PROGRAMME,
        fieldwork_start=f"{year}-{month:02d}-02",
        fieldwork_end=f"{year}-{month:02d}-06",
        framework_id=framework.id,
        framework_version=framework.version,
    )
    strength = {q.code: rng.uniform(0.45, 0.95) for q in framework.questions()}
    states = [
        _case(framework, number, rng, strength, rng.random() < complete_share, complex_share)
        for number in range(1, cases + 1)
    ]
    findings = findings_from_cases(framework, states)
    return build_publication(info, framework, states, findings)


def _case(
    framework: Framework,
    number: int,
    rng: random.Random,
    strength: dict[str, float],
    complete: bool,
    complex_share: float,
) -> CaseState:
    profile = _profile(framework.profile, rng, complex_share)
    values: dict[str, str | None] = {}
    answers: dict[str, AnswerValue] = {}
    for question in framework.questions():
        if not applies(question.applies_if, profile, values):
            continue
        scale = framework.scale_of(question)
        if scale.kind == "text":
            value = "Interviewed at the office."
        elif question.scored and question.sufficient_value and question.insufficient_value:
            if "na" in scale.values and rng.random() < 0.04:
                value = "na"
            elif rng.random() < strength[question.code]:
                value = question.sufficient_value
            else:
                value = question.insufficient_value
        elif "yes" in scale.values and rng.random() < complex_share:
            value = "yes"
        else:
            value = rng.choice(scale.values)
        values[question.code] = value
        answers[question.code] = AnswerValue(value, "", "author", f"{number:06d}")
    return CaseState(
        key=f"case-{number}",
        sample_no=number,
        imported_profile=profile,
        answers=answers,
        marked_complete=complete,
    )


def _profile(
    definition: ProfileDefinition, rng: random.Random, complex_share: float
) -> dict[str, object]:
    profile: dict[str, object] = {}
    for spec in definition.profile_fields:
        if spec.kind is FieldKind.FLAG:
            profile[spec.name] = rng.random() < complex_share
        elif spec.kind is FieldKind.TEXT:
            profile[spec.name] = rng.choice(OFFICES)
        elif spec.values:
            profile[spec.name] = rng.choice(spec.values)
        else:
            profile[spec.name] = rng.randint(1, 4)
    return profile
