"""The figures a report is built on: per question, per section and overall, for any sub-group.

Every number in a published report comes from here, so the rules are kept in one place and
stated plainly: a question counts in the cases (complete ones, unless asked otherwise) to which
it applies; the share is sufficient / (sufficient + insufficient), polarity deciding which answer
is sufficient; N/A and unanswered are counted but kept out of the denominator; a figure touched
by an unresolved conflict is flagged as disputed so nobody publishes it unknowingly.

Sub-groups are data (resources/subgroups.toml) in the same condition language as `applies_if`,
so "cases posing a high risk of serious harm or with child protection issues" is defined once,
where an inspector can read it.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path
from typing import Literal

from inspector_app.core.cases.case_data import (
    COMPLETE,
    IN_PROGRESS,
    CaseState,
    load_cases,
    status_of,
)
from inspector_app.core.errors import FrameworkError, NotFound
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.findings.percentages import percent_of
from inspector_app.core.findings.ratings import Ratings, rate
from inspector_app.core.findings.wording import (
    bands_for,
    draft_concern,
    draft_strength,
    finding_phrase,
    finding_sentence,
    proportion_words,
)
from inspector_app.core.framework import (
    Condition,
    Framework,
    HeadlineRules,
    Question,
    WordingBand,
    applicability,
    applies,
    gate_questions,
    resources_dir,
)

# The condition parser is the loader's own, so sub-groups and applies_if can never drift apart.
from inspector_app.core.framework.loader import _Loader

SUBGROUPS_FILE = "subgroups.toml"
_SUBGROUP_KEYS = ("name", "title", "label", "condition")


# --- sub-groups -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Subgroup:
    """A named group of cases. `label` is the noun phrase a report uses ("cases supervised on
    licence"); `title` is the short name for menus."""

    name: str
    label: str
    condition: Condition
    title: str = ""


def subgroups(path: str | Path | None = None) -> dict[str, Subgroup]:
    """The shipped sub-groups (or those in `path`), by name, in file order."""
    path = Path(path) if path is not None else resources_dir() / SUBGROUPS_FILE
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise FrameworkError(f"{path.name}: cannot read the file: {exc.strerror}") from exc
    return parse_subgroups(text, path.name)


def parse_subgroups(text: str, source_name: str) -> dict[str, Subgroup]:
    """Parses sub-group TOML; errors name the file, the sub-group and the problem."""
    loader = _Loader(source_name)
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        loader.fail(None, f"invalid TOML: {exc}")
    loader.check_keys(doc, ("subgroup",), "top level")
    raw_groups = doc.get("subgroup", [])
    if not isinstance(raw_groups, list):
        loader.fail(None, "'subgroup' must be an array of tables ([[subgroup]])")
    found: dict[str, Subgroup] = {}
    for index, raw in enumerate(raw_groups, start=1):
        where = f"subgroup {index}"
        table = loader.table(raw, where, "a sub-group")
        if isinstance(table.get("name"), str):
            where = f"subgroup {table['name']}"
        loader.check_keys(table, _SUBGROUP_KEYS, where)
        name = loader.code(table, where, key="name")
        if name in found:
            loader.fail(where, "sub-group name used twice")
        if "condition" not in table:
            loader.fail(where, "missing 'condition'")
        found[name] = Subgroup(
            name=name,
            label=loader.string(table, "label", where),
            condition=loader.condition(table["condition"], where, own_code=""),
            title=loader.string(table, "title", where, default=name),
        )
    return found


def subgroup_named(name: str, available: Mapping[str, Subgroup] | None = None) -> Subgroup:
    """The shipped sub-group with this name; NotFound lists the names there are."""
    groups = subgroups() if available is None else available
    try:
        return groups[name]
    except KeyError:
        names = ", ".join(groups) or "none"
        raise NotFound(f"no sub-group {name!r} (available: {names})") from None


# --- figures ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionFigures:
    """The figures for one scored question. `yes` / `no` count the scale's positive / negative
    answers; `sufficient` / `insufficient` apply the question's polarity to them."""

    code: str
    section_code: str
    text: str
    polarity: str
    finding: str | None
    conditional: bool
    yes: int
    no: int
    na: int
    unanswered: int
    sufficient: int
    insufficient: int
    disputed_answers: int
    words: str | None
    sentence: str
    gates: tuple[str, ...] = ()  # questions whose answers decide whether this one applies
    label: str = ""  # the question in a few plain words, for charts (never its code)

    @property
    def denominator(self) -> int:
        return self.sufficient + self.insufficient

    @property
    def percent(self) -> int | None:
        return percent_of(self.sufficient, self.denominator)

    @property
    def disputed(self) -> bool:
        """True if an open conflict touches an answer counted here."""
        return self.disputed_answers > 0

    def to_json(self) -> dict[str, object]:
        return {
            "code": self.code,
            "section": self.section_code,
            "text": self.text,
            "polarity": self.polarity,
            "yes": self.yes,
            "no": self.no,
            "na": self.na,
            "unanswered": self.unanswered,
            "sufficient": self.sufficient,
            "insufficient": self.insufficient,
            "denominator": self.denominator,
            "percent": self.percent,
            "words": self.words,
            "sentence": self.sentence,
            "disputed": self.disputed,
        }


@dataclass(frozen=True)
class PooledFigures:
    """A section's (or the whole framework's) scored questions pooled: every sufficient and
    insufficient answer counted together, as the report scores a criterion."""

    code: str
    title: str
    question_codes: tuple[str, ...]
    sufficient: int
    insufficient: int
    disputed: bool
    words: str | None
    stage: str = ""  # a criterion's stage code ("" for a section or the whole)

    @property
    def denominator(self) -> int:
        return self.sufficient + self.insufficient

    @property
    def percent(self) -> int | None:
        return percent_of(self.sufficient, self.denominator)

    def to_json(self) -> dict[str, object]:
        return {
            "code": self.code,
            "title": self.title,
            "questions": list(self.question_codes),
            "sufficient": self.sufficient,
            "insufficient": self.insufficient,
            "denominator": self.denominator,
            "percent": self.percent,
            "words": self.words,
            "disputed": self.disputed,
            **({"stage": self.stage} if self.stage else {}),
        }


@dataclass(frozen=True)
class SubgroupFigure:
    """A criterion's figure for a named sub-group the framework asks the report to state."""

    criterion: str
    title: str  # the criterion's title
    name: str  # the sub-group's name (resources/subgroups.toml)
    label: str  # "cases classified as posing a high risk of serious harm or ..."
    figures: PooledFigures
    cases: int = 0  # the sub-group's cases counted (the base a headline needs)

    def to_json(self) -> dict[str, object]:
        return {
            "criterion": self.criterion,
            "subgroup": self.name,
            "label": self.label,
            **{k: v for k, v in self.figures.to_json().items() if k != "code"},
        }


@dataclass(frozen=True)
class Findings:
    """Everything computed for one set of counted cases; plain data for the GUI, CLI and
    report."""

    framework_id: str
    framework_version: str
    cases_counted: int
    include_in_progress: bool
    subgroup: str | None
    subgroup_label: str | None
    questions: tuple[QuestionFigures, ...]
    sections: tuple[PooledFigures, ...]
    overall: PooledFigures
    # The report's structure: each criterion's questions pooled (the sections, for a framework
    # that declares no criteria), and the stages they are grouped under as (code, title).
    criteria: tuple[PooledFigures, ...] = ()
    stages: tuple[tuple[str, str], ...] = ()
    # Each stage's criteria pooled (code = the stage's code), in stage order.
    stage_figures: tuple[PooledFigures, ...] = ()
    # The sub-group figures the criteria ask for (none in a sub-group's own findings).
    subgroup_figures: tuple[SubgroupFigure, ...] = ()
    bands: tuple[WordingBand, ...] = field(repr=False, compare=False, default=())
    headlines: HeadlineRules = field(repr=False, compare=False, default_factory=HeadlineRules)
    # Each standard's rating and the overall one, for a framework that declares [ratings].
    ratings: Ratings | None = None

    @property
    def disputed(self) -> bool:
        return any(q.disputed for q in self.questions)

    def question(self, code: str) -> QuestionFigures:
        for figures in self.questions:
            if figures.code == code:
                return figures
        raise NotFound(f"no scored question {code!r} in the findings")

    def section(self, code: str) -> PooledFigures:
        for figures in self.sections:
            if figures.code == code:
                return figures
        raise NotFound(f"no scored section {code!r} in the findings")

    def criterion(self, code: str) -> PooledFigures:
        for figures in self.criteria:
            if figures.code == code:
                return figures
        raise NotFound(f"no scored criterion {code!r} in the findings")

    def to_json(self) -> dict[str, object]:
        """What `inspector-app findings --json` prints."""
        return {
            "framework": {"id": self.framework_id, "version": self.framework_version},
            "cases_counted": self.cases_counted,
            "include_in_progress": self.include_in_progress,
            "subgroup": self.subgroup,
            "subgroup_label": self.subgroup_label,
            "disputed": self.disputed,
            "overall": self.overall.to_json(),
            "stages": [{"code": code, "title": title} for code, title in self.stages],
            "criteria": [c.to_json() for c in self.criteria],
            "subgroup_figures": [s.to_json() for s in self.subgroup_figures],
            "sections": [s.to_json() for s in self.sections],
            "questions": [q.to_json() for q in self.questions],
            **({"ratings": self.ratings.to_json()} if self.ratings is not None else {}),
        }


def compute_findings(
    file: InspectionFile,
    *,
    include_in_progress: bool = False,
    subgroup: Subgroup | Condition | str | None = None,
    subgroup_name: str | None = None,
    subgroup_label: str | None = None,
) -> Findings:
    """The figures of an inspection file: complete cases by default, in-progress ones too when
    asked; `subgroup` is a shipped sub-group (or its name) or any profile condition, which
    `subgroup_name` / `subgroup_label` name for the metadata and the drafted sentences."""
    return findings_from_cases(
        file.framework,
        load_cases(file),
        include_in_progress=include_in_progress,
        subgroup=subgroup,
        subgroup_name=subgroup_name,
        subgroup_label=subgroup_label,
    )


@dataclass
class _Tally:
    yes: int = 0
    no: int = 0
    na: int = 0
    unanswered: int = 0
    sufficient: int = 0
    insufficient: int = 0
    disputed: int = 0


def findings_from_cases(
    framework: Framework,
    cases: Iterable[CaseState],
    *,
    include_in_progress: bool = False,
    subgroup: Subgroup | Condition | str | None = None,
    subgroup_name: str | None = None,
    subgroup_label: str | None = None,
) -> Findings:
    """The figures for already loaded cases (what `compute_findings` does after reading the
    file); pure, so the report and tests can call it on any set of cases."""
    condition, name, label = _resolve_subgroup(subgroup, subgroup_name, subgroup_label)
    statuses = {COMPLETE, IN_PROGRESS} if include_in_progress else {COMPLETE}
    scored = [q for q in framework.questions() if q.scored]
    tallies = {q.code: _Tally() for q in scored}
    counted = 0
    cases = list(cases)  # read again for the sub-group figures
    for case in cases:
        if status_of(case) not in statuses:
            continue
        answers = case.answer_values()
        if condition is not None and not applies(condition, case.profile, answers):
            continue
        counted += 1
        flags = applicability(framework, case.profile, answers)
        for question in scored:
            if flags[question.code]:
                _count(framework, question, case, tallies[question.code])

    bands = bands_for(framework)
    questions = tuple(
        _question_figures(question, tallies[question.code], bands, label) for question in scored
    )
    by_code = {q.code: q for q in questions}
    sections = tuple(
        _pooled(
            section.code,
            section.title,
            [by_code[q.code] for q in section.questions if q.code in by_code],
            bands,
        )
        for section in framework.sections
        if any(q.code in by_code for q in section.questions)
    )
    return Findings(
        framework_id=framework.id,
        framework_version=framework.version,
        cases_counted=counted,
        include_in_progress=include_in_progress,
        subgroup=name,
        subgroup_label=label,
        questions=questions,
        sections=sections,
        overall=_pooled("overall", "All scored questions", list(questions), bands),
        criteria=tuple(
            replace(
                _pooled(c.code, c.title, [by_code[q] for q in c.questions if q in by_code], bands),
                stage=c.stage,
            )
            for c in framework.criteria()
        ),
        stages=tuple((s.code, s.title) for s in framework.stages),
        stage_figures=tuple(
            _pooled(
                stage.code,
                stage.title,
                [
                    by_code[q]
                    for c in framework.criteria()
                    if c.stage == stage.code
                    for q in c.questions
                    if q in by_code
                ],
                bands,
            )
            for stage in framework.stages
        ),
        subgroup_figures=()
        if condition is not None
        else _subgroup_figures(framework, cases, include_in_progress),
        bands=bands,
        headlines=framework.headlines,
        ratings=None
        if framework.ratings is None
        else rate(framework.ratings, framework.criteria(), by_code),
    )


def _subgroup_figures(
    framework: Framework, cases: Iterable[CaseState], include_in_progress: bool
) -> tuple[SubgroupFigure, ...]:
    """Each criterion's figure for each sub-group it names, counted as the main figures are."""
    named = sorted({name for c in framework.criteria() for name in c.subgroups})
    if not named:
        return ()
    cases = list(cases)
    available = subgroups()
    found: list[SubgroupFigure] = []
    by_group = {
        name: findings_from_cases(
            framework,
            cases,
            include_in_progress=include_in_progress,
            subgroup=subgroup_named(name, available),
        )
        for name in named
    }
    for criterion in framework.criteria():
        for name in criterion.subgroups:
            group = by_group[name]
            found.append(
                SubgroupFigure(
                    criterion.code,
                    criterion.title,
                    name,
                    group.subgroup_label or name,
                    group.criterion(criterion.code),
                    group.cases_counted,
                )
            )
    return tuple(found)


def _resolve_subgroup(
    subgroup: Subgroup | Condition | str | None, name: str | None, label: str | None
) -> tuple[Condition | None, str | None, str | None]:
    if subgroup is None:
        return None, name, label
    if isinstance(subgroup, str):
        subgroup = subgroup_named(subgroup)
    if isinstance(subgroup, Subgroup):
        return subgroup.condition, name or subgroup.name, label or subgroup.label
    return subgroup, name or "custom", label


def _count(framework: Framework, question: Question, case: CaseState, tally: _Tally) -> None:
    """Adds one case's answer to a question that applies to it."""
    answer = case.answers.get(question.code)
    if answer is not None and answer.conflicted:
        tally.disputed += 1
    value = answer.value if answer is not None else None
    if not value:
        tally.unanswered += 1
        return
    scale = framework.scale_of(question)
    if value == scale.positive:
        tally.yes += 1
    elif value == scale.negative:
        tally.no += 1
    else:
        tally.na += 1
    sufficient = question.is_sufficient(value)
    if sufficient is True:
        tally.sufficient += 1
    elif sufficient is False:
        tally.insufficient += 1


def _question_figures(
    question: Question, tally: _Tally, bands: tuple[WordingBand, ...], label: str | None
) -> QuestionFigures:
    denominator = tally.sufficient + tally.insufficient
    figures = QuestionFigures(
        code=question.code,
        section_code=question.section_code,
        text=question.text,
        polarity=question.polarity,
        finding=question.finding,
        conditional=question.applies_if is not None,
        yes=tally.yes,
        no=tally.no,
        na=tally.na,
        unanswered=tally.unanswered,
        sufficient=tally.sufficient,
        insufficient=tally.insufficient,
        disputed_answers=tally.disputed,
        words=proportion_words(tally.sufficient, denominator, bands) if denominator else None,
        sentence="",
        gates=gate_questions(question.applies_if),
        label=question.short_label(),
    )
    sentence = finding_sentence(question, figures, bands, cases=label, definite=label is not None)
    return replace(figures, sentence=sentence)


def _pooled(
    code: str, title: str, questions: list[QuestionFigures], bands: tuple[WordingBand, ...]
) -> PooledFigures:
    sufficient = sum(q.sufficient for q in questions)
    insufficient = sum(q.insufficient for q in questions)
    denominator = sufficient + insufficient
    return PooledFigures(
        code=code,
        title=title,
        question_codes=tuple(q.code for q in questions),
        sufficient=sufficient,
        insufficient=insufficient,
        disputed=any(q.disputed for q in questions),
        words=proportion_words(sufficient, denominator, bands) if denominator else None,
    )


# --- proposed strengths and areas for improvement ---------------------------------------------

ProposalKind = Literal["strength", "concern"]


@dataclass(frozen=True)
class Proposal:
    """A drafted bullet for "Inspectors were pleased to find that:" (strength) or "However,
    inspectors were concerned to find that:" (concern). `sentence` is in the press-release voice
    (lower case, no full stop, no figures); the figures travel beside it for the lead to check.
    `stated` is the count the sentence speaks of: the insufficient cases for a concern worded
    as "not delivered in one-quarter of cases", otherwise the sufficient ones. `words` describe
    the sufficient share, as in the findings table."""

    code: str
    kind: ProposalKind
    sentence: str
    sufficient: int
    denominator: int
    stated: int
    words: str
    disputed: bool

    @property
    def percent(self) -> int | None:
        return percent_of(self.sufficient, self.denominator)

    @property
    def figures(self) -> str:
        """The exact figures of what the sentence says, for a report that prints them."""
        return f"{self.stated} of {self.denominator}"

    def to_json(self) -> dict[str, object]:
        return {
            "code": self.code,
            "kind": self.kind,
            "sentence": self.sentence,
            "sufficient": self.sufficient,
            "denominator": self.denominator,
            "percent": self.percent,
            "stated": self.stated,
            "figures": self.figures,
            "words": self.words,
            "disputed": self.disputed,
        }


@dataclass(frozen=True)
class Proposals:
    """Proposed bullets, each list in framework order (the order a report reads in)."""

    strengths: tuple[Proposal, ...]
    concerns: tuple[Proposal, ...]


def propose_strengths_and_concerns(
    findings: Findings, n: int | None = None, *, min_denominator: int | None = None
) -> Proposals:
    """Up to `n` strengths (the highest-scoring questions) and `n` areas for improvement (the
    lowest), drafted as sentences for the lead to accept, edit or drop, by the framework's
    headline rules.

    Only questions with at least the minimum base of counted cases are proposed (a share of 3
    cases says little); at most `per_section` per list from one section; a follow-up question
    never beside the question that gates it; ties go to the larger base. The split is relative
    to this inspection's overall pooled share: a strength scores at or above it (and at least
    half), an area for improvement below it, so no question is proposed as both.
    """
    rules = findings.headlines
    n = rules.count if n is None else n
    base = rules.report_minimum_base if min_denominator is None else min_denominator
    overall = findings.overall
    if overall.denominator == 0 or n <= 0:
        return Proposals((), ())
    order = {q.code: index for index, q in enumerate(findings.questions)}
    eligible = [q for q in findings.questions if q.denominator >= max(1, base)]

    def share_above_or_equal(q: QuestionFigures) -> bool:
        return q.sufficient * overall.denominator >= overall.sufficient * q.denominator

    high = [q for q in eligible if share_above_or_equal(q) and 2 * q.sufficient >= q.denominator]
    low = [q for q in eligible if not share_above_or_equal(q)]
    # Highest share first (larger bases first among equals); lowest first for concerns.
    high.sort(key=lambda q: (-Fraction(q.sufficient, q.denominator), -q.denominator, order[q.code]))
    low.sort(key=lambda q: (Fraction(q.sufficient, q.denominator), -q.denominator, order[q.code]))
    chosen: set[str] = set()
    gates = {q.code: q.gates for q in findings.questions}
    strengths = _headlines(high, n, rules.per_section, chosen, gates)
    concerns = _headlines(low, n, rules.per_section, chosen, gates)
    groups = [
        _group_proposal(findings, figure)
        for figure in findings.subgroup_figures
        if figure.cases >= max(1, base) and figure.figures.denominator
    ]
    return Proposals(
        strengths=tuple(
            _proposal(findings, q, "strength")
            for q in sorted(strengths, key=lambda q: order[q.code])
        )
        + tuple(p for p in groups if p is not None and p.kind == "strength"),
        concerns=tuple(
            _proposal(findings, q, "concern") for q in sorted(concerns, key=lambda q: order[q.code])
        )
        + tuple(p for p in groups if p is not None and p.kind == "concern"),
    )


def _group_proposal(findings: Findings, figure: SubgroupFigure) -> Proposal | None:
    """A sub-group's figure offered as a bullet, after the questions' (code "1.3@name"), when
    it tells the reader something the criterion's own figure does not: an area for
    improvement when the sub-group fares clearly worse (5 points or more below the criterion's
    figure for all cases), a strength when it fares well (at least four-fifths sufficient) and
    no worse than all cases."""
    pooled, bands = figure.figures, findings.bands or None
    whole = findings.criterion(figure.criterion)
    if not whole.denominator:
        return None
    # Compared as whole numbers: 100 * s/d against 100 * S/D - 5.
    group_share = 100 * pooled.sufficient * whole.denominator
    whole_share = 100 * whole.sufficient * pooled.denominator
    work = figure.title[:1].lower() + figure.title[1:]
    if group_share <= whole_share - 5 * pooled.denominator * whole.denominator:
        kind: ProposalKind = "concern"
        stated = pooled.insufficient
        sentence = f"in the {figure.label}, {work} was not sufficient in "
    elif 5 * pooled.sufficient >= 4 * pooled.denominator and group_share >= whole_share:
        kind, stated = "strength", pooled.sufficient
        sentence = f"in the {figure.label}, {work} was sufficient in "
    else:
        return None
    words = proportion_words(stated, pooled.denominator, bands)
    return Proposal(
        code=f"{figure.criterion}@{figure.name}",
        kind=kind,
        sentence=f"{sentence}{words} of the judgements",
        sufficient=pooled.sufficient,
        denominator=pooled.denominator,
        stated=stated,
        words=pooled.words or "",
        disputed=pooled.disputed,
    )


def _headlines(
    ranked: list[QuestionFigures],
    n: int,
    per_section: int,
    chosen: set[str],
    gates: dict[str, tuple[str, ...]],
) -> list[QuestionFigures]:
    """The best `n` by rank, at most `per_section` from one section, and none beside its gate
    or its follow-up (`chosen` holds what either list took already)."""
    taken: list[QuestionFigures] = []
    per: dict[str, int] = {}
    for q in ranked:
        if len(taken) >= n:
            break
        if per.get(q.section_code, 0) >= per_section:
            continue
        if any(gate in chosen for gate in q.gates) or any(q.code in gates[c] for c in chosen):
            continue
        taken.append(q)
        chosen.add(q.code)
        per[q.section_code] = per.get(q.section_code, 0) + 1
    return taken


def _proposal(findings: Findings, figures: QuestionFigures, kind: ProposalKind) -> Proposal:
    phrase = finding_phrase(figures.code, figures.finding)
    if findings.subgroup_label:
        cases, definite = findings.subgroup_label, True
    else:
        cases, definite = ("relevant cases" if figures.conditional else "cases"), False
    drafter = draft_strength if kind == "strength" else draft_concern
    draft = drafter(
        phrase,
        figures.sufficient,
        figures.denominator,
        findings.bands or None,
        cases=cases,
        definite=definite,
    )
    return Proposal(
        code=figures.code,
        kind=kind,
        sentence=draft.text,
        sufficient=figures.sufficient,
        denominator=figures.denominator,
        stated=draft.numerator,
        words=figures.words or "",
        disputed=figures.disputed,
    )
