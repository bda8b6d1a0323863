"""Everything a report prints, assembled once from the file into one frozen value.

The renderers (PDF, Word, press release) are pure functions of `ReportData`: they never touch
the database, the clock or Qt, so the same data always gives the same bytes and a renderer can
be tested with hand-made data. Every decision about *what* is printed lives here: placeholders
in a draft, the house-style punctuation of bullet lists, the suppression of small counts in the
sample profile. Only counts, the framework's words and the narrative reach the report; the
identity table (CRNs, names) is never read, and cases are never listed individually.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

from inspector_app.core.cases.case_data import COMPLETE, CaseState, load_cases, status_of
from inspector_app.core.cases.team import list_members
from inspector_app.core.files.inspection_file import (
    DEFAULT_PROGRAMME,
    InspectionFile,
    InspectionInfo,
)
from inspector_app.core.findings.agreement import QualityAssurance, quality_assurance
from inspector_app.core.findings.figures import (
    Findings,
    PooledFigures,
    SubgroupFigure,
    findings_from_cases,
    propose_strengths_and_concerns,
)
from inspector_app.core.findings.percentages import percent_of, share_text
from inspector_app.core.findings.ratings import NO_RELEVANT_CASES, Ratings
from inspector_app.core.findings.wording import (
    capitalise,
    describe_share,
    share_phrase,
    words_for_percent,
)
from inspector_app.core.framework import Framework, WordingBand
from inspector_app.core.framework.model import RatingRules
from inspector_app.core.framework.profile import ProfileDefinition, default_profile
from inspector_app.core.i18n import ENGLISH, N_, _, active, speaking, translated
from inspector_app.core.narrative.parts import CONCERNS, STRENGTHS, Narrative, load_narrative
from inspector_app.core.narrative.practice_examples import examples_by_chapter, examples_in
from inspector_app.core.narrative.rating_overrides import adjusted_ratings
from inspector_app.core.plural import counted
from inspector_app.core.sample.long_list import LongListSummary, long_list_summary, value_text
from inspector_app.core.sample.placement import sample_sources
from inspector_app.core.sample.withdrawal import withdrawal_fact

SMALL_COUNT = 5  # counts below this are printed as "<5" in the sample profile
SUPPRESSED = f"<{SMALL_COUNT}"
WITHHELD = "[c]"  # a larger count withheld so that a small one cannot be worked out
NOT_RECORDED = N_("Not recorded")

MONTHS = (
    N_("January"),
    N_("February"),
    N_("March"),
    N_("April"),
    N_("May"),
    N_("June"),
    N_("July"),
    N_("August"),
    N_("September"),
    N_("October"),
    N_("November"),
    N_("December"),
)

ROLE_LABELS = {
    "lead": N_("Lead inspector"),
    "inspector": N_("Inspector"),
    "assessor": N_("Local assessor"),
}

AREA_COMPARISON = N_("Compared with the areas inspected to date")
# The levels of a compared figure, as the store of published inspections names them.
COMPARED_OVERALL = "overall"
COMPARED_STAGE = "stage"
COMPARED_CRITERION = "criterion"
COMPARED_QUESTION = "question"
COMPARED_LEVELS = (COMPARED_OVERALL, COMPARED_STAGE, COMPARED_CRITERION, COMPARED_QUESTION)

STRENGTHS_INTRO = N_("Inspectors were pleased to find that:")
CONCERNS_INTRO = N_("However, inspectors were concerned to find that:")

GLOSSARY: tuple[tuple[str, str], ...] = (
    (
        N_("Accredited programme"),
        N_(
            "A programme of group or individual work with offenders, shown to reduce reoffending "
            "and accredited by the Correctional Services Accreditation Panel"
        ),
    ),
    (N_("ATR"), N_("Alcohol treatment requirement: a requirement of a community sentence")),
    (
        N_("Case sample"),
        N_("The cases drawn from those the service supervised, read by inspectors"),
    ),
    (
        N_("Community order"),
        N_(
            "A sentence served in the community, made up of one or more requirements (such as "
            "supervision, unpaid work or a programme), for up to three years"
        ),
    ),
    (N_("CRN"), N_("Case reference number; never printed in this report")),
    (N_("HMI Probation"), N_("HM Inspectorate of Probation")),
    (
        N_("Licence"),
        N_(
            "The conditions under which a prisoner is released before the end of the sentence and "
            "supervised in the community; a breach can lead to recall to prison"
        ),
    ),
    (
        N_("Likelihood of reoffending"),
        N_(
            "How likely the offender is to commit another offence, assessed with OASys and OGRS; "
            "the work to reduce it is the heart of the sentence plan"
        ),
    ),
    (
        N_("MAPPA"),
        N_(
            "Multi-agency public protection arrangements, under which the police, probation "
            "and prison services manage the risks posed by certain offenders (categories and "
            "levels 1-3)"
        ),
    ),
    (N_("OASys"), N_("Offender assessment system: the assessment tool used by probation services")),
    (N_("OGRS"), N_("Offender group reconviction scale: a static predictor of reoffending")),
    (N_("OM"), N_("Offender manager: the person responsible for managing the sentence")),
    (N_("PO"), N_("Probation officer")),
    (N_("PSO"), N_("Probation services officer")),
    (N_("PSR"), N_("Pre-sentence report, prepared to help a court decide on a sentence")),
    (
        N_("Risk of harm work"),
        N_(
            "The work to protect the public from the harm an offender may cause: assessing the "
            "risk of serious harm, planning how to manage it and acting on the plan, often with "
            "other agencies"
        ),
    ),
    (N_("RMP"), N_("Risk management plan: how the risk of serious harm will be managed")),
    (
        N_("RoSH"),
        N_(
            "Risk of serious harm: the classification, recorded in OASys, of the risk that the "
            "offender will cause serious harm to others (low, medium, high or very high)"
        ),
    ),
    (
        N_("Sentence plan"),
        N_(
            "The plan, agreed with the offender, of the work to be done during the sentence to "
            "reduce the likelihood of reoffending and manage the risk of harm"
        ),
    ),
    (
        N_("Suspended sentence order"),
        N_(
            "A prison sentence that is not served unless the offender breaches the requirements "
            "the court sets, or commits a further offence, during the period of suspension"
        ),
    ),
    (N_("Tier"), N_("The level of resourcing a case needs, from tier 1 (lowest) to tier 4")),
    (
        N_("Victim liaison officer"),
        N_(
            "The probation officer who keeps victims of serious violent or sexual offences "
            "informed about the sentence and can put their concerns into licence conditions"
        ),
    ),
)


@dataclass(frozen=True)
class ReportSettings:
    """What the report says about the inspectorate itself: organisational settings, not
    inspection data, passed in so nothing here is hard-wired into a renderer."""

    inspectorate: str = "HM Inspectorate of Probation"
    inspectorate_short: str = "HMI Probation"
    chief_inspector: str = ""
    chief_inspector_title: str = "Chief Inspector of Probation"
    draft_marking: str = "OFFICIAL-SENSITIVE"
    final_marking: str = "OFFICIAL"
    work_phrase: str = "work with adults who had offended"
    programme_start: str = "April 2013"
    press_contact: str = ""
    organisation_name: str = ""  # "Merseyside Probation Trust"; else the inspection's
    area_name: str = ""  # "Merseyside", as the text names the area; else the inspection's
    series_statement: str = ""  # "the second of six inspections focusing on ..."
    copyright_line: str = ""
    isbn: str = ""  # printed with the copyright line when given
    # Facts about the area and the service the lead gives, "Label: value" separated by ";"
    # ("Caseload: about 5,200; Offender managers in post: 180").
    context_facts: str = ""
    acknowledgements: str = ""  # "" for the shipped words, naming the organisation
    inspectorate_role: str = (
        "HM Inspectorate of Probation is the independent inspector of probation work in "
        "England and Wales. It reports on how well the work with people who have offended "
        "reduces reoffending and protects the public, whoever does that work, and it "
        "publishes what it finds."
    )


# --- the value --------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionRow:
    """One scored question's figures and drafted finding. `reversed` marks a question whose
    sufficient answer is No (negative polarity)."""

    code: str
    text: str
    finding: str
    yes: int
    no: int
    na: int
    unanswered: int
    sufficient: int
    denominator: int
    percent: int | None
    words: str | None
    disputed: bool
    reversed: bool
    label: str = ""  # the question in plain words, as charts name it


@dataclass(frozen=True)
class ComparisonTable:
    """One profile field, the long list's share of each value beside the sample's."""

    title: str
    rows: tuple[tuple[str, int | None, int | None], ...]  # (value, long list %, sample %)
    long_list: int
    sample: int


@dataclass(frozen=True)
class CriterionEntry:
    """One criterion as the criteria appendix lists it."""

    code: str
    title: str
    looked_for: str
    questions: tuple[str, ...]  # in plain words


@dataclass(frozen=True)
class ExampleBox:
    """A practice example as the report prints it: the case only by its sample number."""

    title: str
    case_label: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Chapter:
    """One criterion the report scores (a framework section, for a framework that declares no
    criteria), with the stage it belongs to: the renderers open a chapter at each stage."""

    number: int
    code: str
    title: str
    criterion: str  # what inspectors looked for
    sufficient: int
    denominator: int
    percent: int | None
    words: str | None
    disputed: bool
    overview: str
    commentary: tuple[str, ...]
    questions: tuple[QuestionRow, ...]
    stage_code: str = ""  # "" when the framework declares no stages
    stage_title: str = ""
    examples: tuple[ExampleBox, ...] = ()
    # What the framework asks the report to state for named sub-groups of cases, in words.
    subgroup_findings: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """Stable bookmark key (identical on every build pass)."""
        return f"chapter-{self.number}"

    @property
    def label(self) -> str:
        """How the report numbers it: the criterion's code ("1.3") under a stage, else the
        chapter's number."""
        return self.code if self.stage_code else str(self.number)

    @property
    def heading(self) -> str:
        """Its heading: "1.3 Assessing and planning for the risk of harm" under a stage, else
        "2. Assessment"."""
        return f"{self.code} {self.title}" if self.stage_code else f"{self.number}. {self.title}"

    @property
    def figure(self) -> str:
        """The chapter's key figure: a percentage, or the count where under five judgements
        stand behind it (a percentage of two cases would mislead)."""
        if self.denominator == 0:
            return "–"
        if self.denominator < SMALL_COUNT:
            return _("{sufficient} of {denominator}").format(
                sufficient=self.sufficient, denominator=self.denominator
            )
        return f"{self.percent}%"


@dataclass(frozen=True)
class CountRow:
    """A row of a profile table, counts already suppressed where small."""

    label: str
    count: str
    percent: str


@dataclass(frozen=True)
class ProfileTable:
    title: str
    rows: tuple[CountRow, ...]
    total: int


@dataclass(frozen=True)
class TeamRow:
    name: str
    role: str


@dataclass(frozen=True)
class KeyQuestionRating:
    """A key question as the ratings table prints it: its printed percentage of relevant
    cases judged sufficient, with the counts behind it, and the band that percentage falls in
    (None, with no percentage, when no case was relevant)."""

    code: str
    label: str
    sufficient: int
    relevant: int
    percent: int | None
    rating: str | None
    deciding: bool = False  # the lowest key question, which gave the standard its rating


@dataclass(frozen=True)
class StandardRatingRow:
    """A standard's rating as printed (the lead's, when adjusted), its key questions, the one
    that decided it, why it is not rated, and an adjustment with its justification."""

    code: str
    title: str
    rating: str | None  # None: not rated (`not_rated_reason` says why)
    key_questions: tuple[KeyQuestionRating, ...]
    decided_by: str | None = None  # the code of the lowest key question
    not_rated_reason: str = ""  # in words: "no relevant cases"
    # When the lead adjusted the rating: what the figures gave (None: no rating) and why.
    adjusted_from: str | None = None
    justification: str = ""

    @property
    def adjusted(self) -> bool:
        return bool(self.justification)

    @property
    def deciding(self) -> KeyQuestionRating | None:
        return next((k for k in self.key_questions if k.deciding), None)


@dataclass(frozen=True)
class ReportRatings:
    """Every standard's rating and the overall one, for a framework that rates, with the
    framework's rules stated in words and tables for the scoring appendix."""

    standards: tuple[StandardRatingRow, ...]
    overall_rating: str | None
    overall_score: int | None
    maximum_score: int
    overall_not_rated_reason: str = ""
    scale: tuple[str, ...] = ()  # the ratings a standard can take, best first
    rules: tuple[str, ...] = ()  # paragraphs: how the ratings are decided
    # (rating, printed percentage of a key question, score) and (rating, summed score).
    bands: tuple[tuple[str, str, str], ...] = ()
    overall_bands: tuple[tuple[str, str], ...] = ()

    def rank(self, rating: str) -> int:
        """The rating's place on the scale, 0 the best (a rating not on it: the last)."""
        return self.scale.index(rating) if rating in self.scale else max(len(self.scale) - 1, 0)


@dataclass(frozen=True)
class AreaComparisonRow:
    """One figure of this inspection beside the same figure of the areas inspected to date, as
    the central store of published inspections holds them: every percentage as the report
    prints it (the average of the areas' percentages rounded half up, like every printed
    figure); None where nothing was judged."""

    level: str  # one of COMPARED_LEVELS
    code: str
    title: str
    sufficient: int  # this inspection's judgements behind `percent`
    denominator: int
    percent: int | None
    lowest: int | None
    highest: int | None
    average: int | None
    count: int  # areas with a score here

    @property
    def figure(self) -> str:
        """This inspection's figure as the report prints it: the count where under five
        judgements stand behind it, as a chapter's key figure reads."""
        if self.denominator == 0 or self.percent is None:
            return "–"
        if self.denominator < SMALL_COUNT:
            return _("{sufficient} of {denominator}").format(
                sufficient=self.sufficient, denominator=self.denominator
            )
        return f"{self.percent}%"

    @property
    def label(self) -> str:
        """The row's name: "All the work", "1. Assessment and planning" for a stage (as its
        chapter is headed), "1.3 Assessing and planning for the risk of harm"."""
        if self.level == COMPARED_OVERALL:
            return _("All the work")
        if self.level == COMPARED_STAGE:
            return _("{number}. {title}").format(number=self.code, title=self.title)
        return f"{self.code} {self.title}"


@dataclass(frozen=True)
class AreaComparison:
    """This inspection's scores beside the areas inspected to date with the same framework
    version, from the store of published inspections the lead configured. No rows: the store
    had nothing to compare with, or could not be read (`reachable`), and the report says so
    in one sentence where the table would be."""

    store: str  # the store's address, never its password ("" for an unusable address)
    framework_id: str
    framework_version: str
    inspections: int  # published inspections compared with
    includes_this: bool  # this inspection is one of them
    rows: tuple[AreaComparisonRow, ...]  # in the framework's order, the whole first
    reachable: bool = True
    # Why the store could not be read, in one line without its password: for the command
    # line's warning, never printed in the report.
    problem: str = ""
    imported: int = 0  # of `inspections`, imported from reports published before the app

    @property
    def counts_vary(self) -> bool:
        """Some row draws on fewer areas than the rest: the table gives each row's count."""
        return any(row.count != self.inspections for row in self.rows)


@dataclass(frozen=True)
class ReportData:
    """The whole report as plain values; see the module docstring."""

    title: str
    organisation: str
    programme: str
    inspectorate: str
    inspectorate_short: str
    chief_inspector: str
    chief_inspector_title: str
    report_month: str
    fieldwork_dates: str
    final: bool
    marking: str
    judgement: str
    judgement_sentence: str
    headline: str
    foreword: tuple[str, ...]
    strengths: tuple[str, ...]
    concerns: tuple[str, ...]
    recommendations: tuple[str, ...]
    summary_proposed: bool
    chapters: tuple[Chapter, ...]
    overall_sufficient: int
    overall_denominator: int
    overall_percent: int | None
    overall_words: str | None
    overall_disputed: bool
    sample_size: int
    cases_complete: int
    cases_counted: int
    second_reads: int
    include_in_progress: bool
    profile: tuple[ProfileTable, ...]
    team: tuple[TeamRow, ...]
    scoring_approach: tuple[str, ...]
    wording_table: tuple[tuple[str, str], ...]
    glossary: tuple[tuple[str, str], ...]
    work_phrase: str
    programme_start: str
    press_contact: str
    framework_title: str
    framework_version: str
    # How the sample was chosen and what was left out of it, as (label, fact) rows.
    selection: tuple[tuple[str, str], ...] = ()
    # Why a final report was marked final with cases not complete ("" if it was not).
    override_reason: str = ""
    # Double reading as the answers show it (None when no case has two readers' answers).
    quality_assurance: QualityAssurance | None = None
    # Offender managers interviewed, from the framework's interview question: (yes, asked).
    interviews: tuple[int, int] | None = None
    # The press release's bullets: the summary's, less any proposal on too small a base.
    press_strengths: tuple[str, ...] = ()
    press_concerns: tuple[str, ...] = ()
    organisation_name: str = ""  # the organisation's full name, for the arrangements
    series_statement: str = ""
    copyright_line: str = ""
    isbn: str = ""
    acknowledgements: tuple[str, ...] = ()  # paragraphs
    inspectorate_role: tuple[str, ...] = ()  # paragraphs
    # The framework's criteria, for the appendix that lists them: per stage (its title, "" for
    # none), each criterion's code, title, what inspectors looked for and its questions in
    # words.
    criteria_appendix: tuple[tuple[str, tuple[CriterionEntry, ...]], ...] = ()
    # Contextual information: the lead's facts as (label, value), and, when the sample was
    # drawn from the service's long list, the long list beside the sample, field by field.
    context_facts: tuple[tuple[str, str], ...] = ()
    long_list_comparison: tuple[ComparisonTable, ...] = ()
    # The standards' ratings and the overall rating, with the lead's adjustments in place;
    # None for a framework that does not rate.
    ratings: ReportRatings | None = None
    # The words of the scored questions' answers, for the appendix that counts them: their
    # scale's own ("Sufficient", "Insufficient") when every one shares them, else Yes and No.
    answer_labels: tuple[str, str] = ("Yes", "No")
    # What the press release says the inspection is for, and what these inspections focus on
    # (from the framework's programme and its standards).
    purpose: str = ""
    programme_focus: str = ""
    # Whom inspectors interviewed about each case, as the framework's interview question
    # names them ("offender manager").
    interviewee: str = ""
    # This inspection beside the areas inspected to date, from the store of published
    # inspections; None when no store is configured (the report says nothing about one).
    area_comparison: AreaComparison | None = None
    # The language every word above was written in, and that the renderers print their own
    # words in: an input of the report like the master, so the same pair gives the same bytes.
    language: str = ENGLISH

    @property
    def disputed(self) -> bool:
        """True if any printed figure is touched by an unresolved conflict."""
        return self.overall_disputed

    @property
    def subject(self) -> str:
        return _("Report of the {programme} in {organisation}").format(
            programme=self.programme, organisation=self.organisation
        )

    @property
    def strength_bullets(self) -> tuple[str, ...]:
        return bullet_lines(self.strengths)

    @property
    def concern_bullets(self) -> tuple[str, ...]:
        return bullet_lines(self.concerns)

    @property
    def press_strength_bullets(self) -> tuple[str, ...]:
        return bullet_lines(self.press_strengths)

    @property
    def press_concern_bullets(self) -> tuple[str, ...]:
        return bullet_lines(self.press_concerns)


# --- the service ------------------------------------------------------------------------------


def build_report_data(
    file: InspectionFile,
    *,
    include_in_progress: bool = False,
    final: bool | None = None,
    settings: ReportSettings | None = None,
    language: str | None = None,
) -> ReportData:
    """Reads the file once (cases, narrative, team) and assembles the report. `final` overrides
    the narrative's final flag (None: as marked in the file); `language` is the one the report
    is written in (None: the language messages are printed in now)."""
    with speaking(language or active().language):
        return _build_report_data(
            file, include_in_progress=include_in_progress, final=final, settings=settings
        )


def _build_report_data(
    file: InspectionFile,
    *,
    include_in_progress: bool,
    final: bool | None,
    settings: ReportSettings | None,
) -> ReportData:
    if settings is None:
        from inspector_app.core.report.settings import load_report_settings

        settings = load_report_settings(file)
    cases = load_cases(file)
    findings = findings_from_cases(file.framework, cases, include_in_progress=include_in_progress)
    if findings.ratings is not None:  # the lead's adjustments, each with its justification
        findings = replace(findings, ratings=adjusted_ratings(file, findings.ratings))
    narrative = load_narrative(file)
    data = assemble_report_data(
        file.inspection,
        file.framework,
        findings,
        narrative,
        cases,
        [(m.name, m.role) for m in list_members(file)],
        final=final,
        settings=settings,
    )
    qa = quality_assurance(file)
    summary = long_list_summary(file)
    return dataclasses.replace(
        data,
        selection=selection_facts(file),
        long_list_comparison=long_list_comparison(summary, cases, file.framework)
        if summary is not None and summary.drawn
        else (),
        override_reason=narrative.override_reason if data.final else "",
        second_reads=qa.cases,
        quality_assurance=qa if qa.compared else None,
        interviews=interview_counts(file.framework, cases, include_in_progress),
    )


def context_facts(text: str) -> tuple[tuple[str, str], ...]:
    """The lead's "Label: value; Label: value" as rows (a part without a colon is a fact of
    its own, with no label)."""
    rows = []
    for part in text.split(";"):
        label, colon, value = part.partition(":")
        if not part.strip():
            continue
        rows.append((label.strip(), value.strip()) if colon else ("", part.strip()))
    return tuple(rows)


def long_list_comparison(
    summary: LongListSummary, cases: Sequence[CaseState], framework: Framework
) -> tuple[ComparisonTable, ...]:
    """The long list's profile beside the sample's, for each field the draw recorded: a
    reader can see the sample stands for the caseload."""
    tables = []
    fields = framework.profile.by_name
    for name, counts in summary.totals.items():
        if name not in fields:
            continue
        total = sum(counts.values())
        sampled = Counter(value_text(c.profile.get(name)) or _("not recorded") for c in cases)
        values = list(counts) + [v for v in sampled if v not in counts]
        rows = tuple(
            (value, percent_of(counts.get(value, 0), total), percent_of(sampled[value], len(cases)))
            for value in values
        )
        tables.append(ComparisonTable(fields[name].label, rows, total, len(cases)))
    return tuple(tables)


def answer_labels(framework: Framework) -> tuple[str, str]:
    """The labels of the scored questions' positive and negative answers when every scored
    question's scale gives the same ones; else "Yes" and "No"."""
    labels = set()
    for question in framework.questions():
        if not question.scored:
            continue
        scale = framework.scales[question.scale]
        positive = scale.option(scale.positive or "")
        negative = scale.option(scale.negative or "")
        labels.add((positive.label if positive else "", negative.label if negative else ""))
    if len(labels) == 1:
        (only,) = labels
        if all(only):
            return only
    return (_("Yes"), _("No"))


def interview_counts(
    framework: Framework, cases: Sequence[CaseState], include_in_progress: bool
) -> tuple[int, int] | None:
    """How many offender managers were interviewed, from the answers to the framework's
    interview question over the counted cases; None when the framework names none."""
    code = framework.interview_question
    if not code or not framework.has_question(code):
        return None
    counted = [c for c in cases if include_in_progress or status_of(c) == COMPLETE]
    answers = [c.answers[code].value for c in counted if code in c.answers]
    asked = [a for a in answers if a]
    return sum(1 for a in asked if a == "yes"), len(asked)


def _lower_label(label: str) -> str:
    """'Sentence type' -> 'sentence type'; 'RoSH level' and 'MAPPA level' keep their capitals."""
    first = label.split(" ", 1)[0]
    return label[0].lower() + label[1:] if first[1:].islower() else label


def selection_facts(file: InspectionFile) -> tuple[tuple[str, str], ...]:
    """How the sample was chosen (a draw from the long list) and every exclusion with its
    reason, as the inspection arrangements state them."""
    facts: list[tuple[str, str]] = []
    summary = long_list_summary(file)
    if summary is not None and summary.drawn:
        fields = file.framework.profile.by_name
        strata = [_lower_label(fields[n].label) if n in fields else n for n in summary.strata]
        by = ""
        if strata:
            by = _(", in proportion within each {fields} group").format(
                fields=_(" and ").join(strata)
            )
        facts.append(
            (
                _("How the sample was chosen"),
                _(
                    "At random from the {entries} cases on the service's long list{by} "
                    "(seed {seed})."
                ).format(entries=summary.entries, by=by, seed=summary.seed),
            )
        )
        if summary.replaced:
            reasons = "; ".join(
                _("case {number:03d}: {reason}").format(number=n, reason=reason)
                for n, reason in summary.replaced
            )
            count = len(summary.replaced)
            facts.append(
                (
                    _("Cases replaced from the reserve list"),
                    f"{count} ({reasons})" if count else _("None"),
                )
            )
    withdrawn = withdrawal_fact(file)
    if withdrawn is not None:
        facts.append(withdrawn)
    for source in sample_sources(file):
        if source.excluded:
            label = (
                _("Cases left out of the long list")
                if source.kind == "long_list"
                else _("Cases left out of the sample file")
            )
            facts.append(
                (
                    label,
                    _("{excluded} of {rows_read}: {reason}").format(
                        excluded=source.excluded,
                        rows_read=source.rows_read,
                        reason=source.exclusion_reason,
                    ),
                )
            )
    return tuple(facts)


def assemble_report_data(
    inspection: InspectionInfo,
    framework: Framework,
    findings: Findings,
    narrative: Narrative,
    cases: Sequence[CaseState],
    team: Iterable[tuple[str, str]],
    *,
    final: bool | None = None,
    settings: ReportSettings | None = None,
    language: str | None = None,
) -> ReportData:
    """The pure part of `build_report_data`, for tests and for callers that already hold the
    pieces."""
    with speaking(language or active().language) as words:
        return _assemble(
            inspection, framework, findings, narrative, cases, team, final, settings, words.language
        )


def _assemble(
    inspection: InspectionInfo,
    framework: Framework,
    findings: Findings,
    narrative: Narrative,
    cases: Sequence[CaseState],
    team: Iterable[tuple[str, str]],
    final: bool | None,
    settings: ReportSettings | None,
    language: str,
) -> ReportData:
    settings = settings or ReportSettings()
    is_final = narrative.final if final is None else final

    def placeholder(text: str, what: str) -> str:
        return text if text.strip() else ("" if is_final else f"[{what}]")

    strengths, concerns, proposed = _summary_lists(narrative, findings)
    press_strengths, press_concerns = _press_lists(narrative, findings)
    organisation = settings.area_name.strip() or inspection.organisation
    judgement = placeholder(narrative.judgement, _("judgement to be decided"))
    overall_rating = findings.ratings.overall_rating if findings.ratings is not None else None
    if overall_rating:
        # A rated inspection's verdict is its overall rating; a free-text judgement beside
        # it could contradict it ("a reasonable standard" over "Requires improvement").
        judgement_sentence = _(
            "Overall, {work_phrase} in {organisation} was rated ‘{rating}’."
        ).format(work_phrase=settings.work_phrase, organisation=organisation, rating=overall_rating)
    elif judgement:
        judgement_sentence = capitalise(
            _("{work_phrase} in {organisation} was of a {judgement} standard.").format(
                work_phrase=settings.work_phrase,
                organisation=organisation,
                judgement=judgement.rstrip("."),
            )
        )
    else:
        judgement_sentence = ""
    criteria = {c.code: c for c in framework.criteria()}
    stage_titles = dict(findings.stages)
    examples = examples_by_chapter(examples_in(narrative))

    chapters = tuple(
        replace(
            _chapter(
                number,
                pooled,
                criteria[pooled.code].looked_for,
                findings,
                narrative.chapter(pooled.code),
            ),
            stage_code=pooled.stage,
            stage_title=stage_titles.get(pooled.stage, ""),
            examples=tuple(
                ExampleBox(e.title, e.case_label, paragraphs(e.text))
                for e in examples.get(pooled.code, ())
            ),
            subgroup_findings=tuple(
                sentence
                for figure in findings.subgroup_figures
                if figure.criterion == pooled.code
                and (sentence := subgroup_sentence(figure, findings.bands, whole=pooled))
            ),
        )
        for number, pooled in enumerate((c for c in findings.criteria if c.question_codes), start=1)
    )
    overall = findings.overall
    return ReportData(
        title=inspection.title,
        organisation=organisation,
        programme=programme_of(inspection, framework),
        inspectorate=settings.inspectorate,
        inspectorate_short=settings.inspectorate_short,
        chief_inspector=placeholder(settings.chief_inspector, _("Chief Inspector")),
        chief_inspector_title=settings.chief_inspector_title,
        report_month=month_year(
            narrative.report_date or inspection.fieldwork_end or inspection.fieldwork_start
        ),
        fieldwork_dates=date_range(inspection.fieldwork_start, inspection.fieldwork_end),
        final=is_final,
        marking=settings.final_marking if is_final else settings.draft_marking,
        judgement=judgement,
        judgement_sentence=judgement_sentence,
        headline=narrative.headline.strip(),
        foreword=paragraphs(placeholder(narrative.foreword, _("Foreword to be written"))),
        strengths=strengths,
        press_strengths=press_strengths,
        press_concerns=press_concerns,
        organisation_name=settings.organisation_name.strip() or inspection.organisation,
        series_statement=settings.series_statement.strip().rstrip("."),
        copyright_line=settings.copyright_line.strip(),
        isbn=settings.isbn.strip(),
        acknowledgements=paragraphs(
            settings.acknowledgements.strip()
            or _(
                "The inspectors would like to thank the managers, offender managers and other "
                "staff of {organisation} for their help and cooperation during the inspection, "
                "and the offender managers who made time to be interviewed about their cases."
            ).format(organisation=settings.organisation_name.strip() or inspection.organisation)
        ),
        inspectorate_role=paragraphs(settings.inspectorate_role.strip()),
        criteria_appendix=criteria_appendix(framework),
        context_facts=context_facts(settings.context_facts),
        concerns=concerns,
        recommendations=tuple(i.text for i in narrative.recommendations)
        or (() if is_final else (_("[Recommendations to be written]"),)),
        summary_proposed=proposed and not is_final,
        chapters=chapters,
        overall_sufficient=overall.sufficient,
        overall_denominator=overall.denominator,
        overall_percent=overall.percent,
        overall_words=overall.words,
        overall_disputed=findings.disputed,
        sample_size=len(cases),
        cases_complete=sum(1 for c in cases if status_of(c) == COMPLETE),
        cases_counted=findings.cases_counted,
        second_reads=0,  # from the answers: build_report_data
        include_in_progress=findings.include_in_progress,
        profile=sample_profile(cases, framework.profile),
        team=tuple(TeamRow(name, _role_label(role)) for name, role in team),
        scoring_approach=_scoring_approach(findings, framework),
        wording_table=wording_table(findings.bands),
        glossary=framework.glossary
        or tuple((translated(term), translated(meaning)) for term, meaning in GLOSSARY),
        work_phrase=settings.work_phrase,
        programme_start=settings.programme_start,
        press_contact=placeholder(settings.press_contact, _("press office contact details")),
        framework_title=framework.title,
        framework_version=framework.version,
        ratings=report_ratings(findings.ratings, framework),
        answer_labels=answer_labels(framework),
        purpose=purpose_sentence(framework, settings),
        programme_focus=programme_focus(framework, settings),
        interviewee=interviewee(framework),
        language=language,
    )


def programme_of(inspection: InspectionInfo, framework: Framework) -> str:
    """The programme the report names: the inspection's, except that a file which holds the
    app's default (the 2013 programme, filled in whatever the framework) under a framework of
    another programme is named by its framework's programme."""
    programme = inspection.programme
    if programme == DEFAULT_PROGRAMME and framework.programme.strip():
        return framework.programme.strip()
    return programme


# --- the programme's own words ------------------------------------------------------------------

# The press release's words for a programme whose purpose is not stated by its standards: the
# 2013 programme scores questions and rates nothing. Keyed by the framework's `programme`; any
# other programme's words are written from its framework (its standards and the work they cover).
PROGRAMME_WORDS: dict[str, tuple[str, str]] = {
    "Inspection of Adult Offending Work": (
        N_(
            "The purpose of the inspection is to assess whether the sentence of the court is "
            "delivered effectively, and whether work with the individual protects the public, "
            "reduces the likelihood of reoffending and provides a high quality service to "
            "courts and victims."
        ),
        N_(
            "These inspections focus on issues not subject to other forms of external "
            "scrutiny: work to reduce the likelihood of reoffending, the management and "
            "minimisation of risk of harm to the public, delivery of the court sentence "
            "effectively and providing a service to courts and victims."
        ),
    ),
}


def purpose_sentence(framework: Framework, settings: ReportSettings) -> str:
    """What the inspection is for, in one sentence: the programme's own words, or the work and
    the standards (criteria) it is assessed against, from the framework."""
    words = PROGRAMME_WORDS.get(framework.programme)
    if words is not None:
        return translated(words[0])
    titles = [_lower_first(c.title) for c in framework.criteria()]
    return _(
        "The purpose of the inspection is to assess the quality of {work} against the "
        "{standards}: {titles}."
    ).format(
        work=settings.work_phrase,
        standards=_lower_first(framework.title),
        titles=_listed(titles),
    )


def programme_focus(framework: Framework, settings: ReportSettings) -> str:
    """What these inspections look at and how they judge it, for the notes to editors."""
    words = PROGRAMME_WORDS.get(framework.programme)
    if words is not None:
        return translated(words[1])
    if framework.ratings is not None:
        return _(
            "These inspections rate {work} from the cases inspectors read. Each key question "
            "is rated by the share of relevant cases in which inspectors found the work "
            "sufficient; each standard takes the rating of its lowest key question, and the "
            "overall rating follows from the standards’ scores added together."
        ).format(work=settings.work_phrase)
    return _(
        "These inspections judge {work} from the cases inspectors read, question by question."
    ).format(work=settings.work_phrase)


def interviewee(framework: Framework) -> str:
    """Whom the framework's interview question asks about ("Was the offender manager
    interviewed?": "offender manager"), or "" when it names none in that form."""
    code = framework.interview_question
    if not code or not framework.has_question(code):
        return ""
    text = framework.question(code).text.strip()
    prefix, suffix = "Was the ", " interviewed?"
    if text.startswith(prefix) and text.endswith(suffix):
        return text[len(prefix) : -len(suffix)].strip()
    return ""


def _lower_first(text: str) -> str:
    """'Assessment' -> 'assessment' in running text; 'MAPPA work' keeps its capitals."""
    first = text.split(" ", 1)[0]
    return text[0].lower() + text[1:] if text and first[1:].islower() else text


def _listed(items: Sequence[str]) -> str:
    """ "a; b; c and d; and e": semicolons, since an item may hold an "and" of its own."""
    if len(items) < 2:
        return "".join(items)
    return _("{items}; and {last}").format(items="; ".join(items[:-1]), last=items[-1])


# --- ratings ------------------------------------------------------------------------------------


def not_rated_reason(reason: str | None) -> str:
    """Why a standard is not rated, in words."""
    if reason == NO_RELEVANT_CASES:
        return _("no relevant cases")
    return reason or ""


def report_ratings(ratings: Ratings | None, framework: Framework) -> ReportRatings | None:
    """The ratings as the report prints them (already adjusted by the lead), with the rules
    they were decided by, stated from the framework's data."""
    rules = framework.ratings
    if ratings is None or rules is None:
        return None
    standards = tuple(
        StandardRatingRow(
            code=s.code,
            title=s.title,
            rating=s.rating,
            key_questions=tuple(
                KeyQuestionRating(
                    code=k.code,
                    label=k.label,
                    sufficient=k.sufficient,
                    relevant=k.relevant,
                    percent=k.percent,
                    rating=k.rating,
                    deciding=k.code == s.decided_by,
                )
                for k in s.key_questions
            ),
            decided_by=s.decided_by,
            not_rated_reason="" if s.rating else not_rated_reason(s.not_rated_because),
            adjusted_from=s.adjusted_from,
            justification=s.justification or "",
        )
        for s in ratings.standards
    )
    unrated = [s.code for s in standards if s.rating is None]
    maximum = max((b.score or 0 for b in rules.bands), default=0) * len(standards)
    return ReportRatings(
        standards=standards,
        overall_rating=ratings.overall_rating,
        overall_score=ratings.overall_score,
        maximum_score=maximum,
        overall_not_rated_reason=""
        if ratings.overall_rating
        else _("not every standard is rated ({codes})").format(codes=", ".join(unrated)),
        scale=rules.ratings,
        rules=rating_rules(rules, len(standards), maximum, _judged(framework, ratings)),
        bands=tuple(
            (band.rating, _percent_range(band.low, band.high), str(band.score or 0))
            for band in rules.bands
        ),
        overall_bands=tuple(
            (band.rating, _score_range(band.low, band.high)) for band in rules.overall
        ),
    )


# How a standard is rated from its key questions, by the framework's `standard_rule`.
STANDARD_RULES = {
    "lowest": N_(
        "A standard takes the rating of its lowest key question: the band its lowest printed "
        "percentage falls in. Where two key questions share the lowest figure, the first in "
        "the framework is named as deciding it."
    ),
}


def rating_rules(
    rules: RatingRules, standards: int, maximum: int, judged: tuple[str, str]
) -> tuple[str, ...]:
    """The rules the ratings were decided by, in words, from the framework's data (the band
    tables beside them are `ReportRatings.bands` and `overall_bands`); `judged` are the key
    questions' scale's words for a sufficient and an insufficient judgement."""
    positive, negative = judged
    return (
        _(
            "Each standard is rated from its key questions. Inspectors judged each key "
            "question {positive} or {negative} in every case where it was relevant; a key "
            "question's score is the percentage of those relevant cases judged sufficient, as "
            "printed (rounded half up), so a printed figure and its rating always agree. A key "
            "question with no relevant cases is not scored, and a standard none of whose key "
            "questions is scored is not rated."
        ).format(positive=positive, negative=negative),
        translated(STANDARD_RULES[rules.standard_rule]),
        counted(
            standards,
            "Each rating carries the score in the table below. The overall rating is decided "
            "by the score of the {n} standard (at most {maximum}), by the overall bands below; "
            "it is given only when the standard is rated.",
            "Each rating carries the score in the table below. The overall rating is decided "
            "by the scores of the {n} standards added together (at most {maximum}), by the "
            "overall bands below; it is given only when every standard is rated.",
            maximum=maximum,
        ),
        _(
            "The lead inspector may adjust a standard's rating where the evidence calls for "
            "it. An adjusted rating is printed with the lead inspector's written justification "
            "and the rating the figures gave, and the overall rating follows the adjusted one."
        ),
    )


def _judged(framework: Framework, ratings: Ratings) -> tuple[str, str]:
    """The words of the key questions' scale for its positive and negative answers
    ("Sufficient", "Insufficient")."""
    for standard in ratings.standards:
        for key in standard.key_questions:
            if framework.has_question(key.code):
                scale = framework.scale_of(key.code)
                if scale.positive and scale.negative:
                    return scale.label_of(scale.positive), scale.label_of(scale.negative)
    return _("sufficient"), _("insufficient")


def _score_range(low: int, high: int) -> str:
    return str(low) if low == high else _("{low} to {high}").format(low=low, high=high)


def _role_label(role: str) -> str:
    """The team table's words for a role; a role the app does not know, as it is."""
    return translated(ROLE_LABELS[role]) if role in ROLE_LABELS else capitalise(role)


def _press_lists(
    narrative: Narrative, findings: Findings
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The summary's lists for the press release, which headlines nothing judged in fewer
    cases than the framework's press minimum base: a proposal the lead left as proposed is
    dropped there, kept as written or not: keeping it vouches for its words in the report,
    not for a headline (the lead's own and edited bullets always stay)."""
    base = findings.headlines.press_minimum_base
    bases = {q.code: q.denominator for q in findings.questions} | {
        f"{f.criterion}@{f.name}": f.cases for f in findings.subgroup_figures
    }
    proposals = None
    lists: list[tuple[str, ...]] = []
    for part in (STRENGTHS, CONCERNS):
        if narrative.has(part):
            lists.append(
                tuple(
                    i.text
                    for i in narrative.items(part)
                    if i.edited or i.source_code is None or bases.get(i.source_code, 0) >= base
                )
            )
            continue
        if proposals is None:
            proposals = propose_strengths_and_concerns(findings)
        chosen = proposals.strengths if part == STRENGTHS else proposals.concerns
        lists.append(tuple(p.sentence for p in chosen if p.denominator >= base))
    return lists[0], lists[1]


def _summary_lists(
    narrative: Narrative, findings: Findings
) -> tuple[tuple[str, ...], tuple[str, ...], bool]:
    """The lead's strengths and concerns; where a list has never been written, the current
    proposals stand in (not stored: building a report never writes to the file). The flag
    says whether any proposal stood in."""
    proposals = None
    proposed = False
    lists: dict[str, tuple[str, ...]] = {}
    for part in (STRENGTHS, CONCERNS):
        if narrative.has(part):
            lists[part] = tuple(i.text for i in narrative.items(part))
            continue
        if proposals is None:
            proposals = propose_strengths_and_concerns(findings)
        chosen = proposals.strengths if part == STRENGTHS else proposals.concerns
        proposed = proposed or bool(chosen)
        lists[part] = tuple(p.sentence for p in chosen)
    return lists[STRENGTHS], lists[CONCERNS], proposed


def _chapter(
    number: int, pooled: PooledFigures, criterion: str, findings: Findings, commentary: str
) -> Chapter:
    rows = tuple(
        QuestionRow(
            code=q.code,
            text=q.text,
            label=q.label,
            finding=q.sentence,
            yes=q.yes,
            no=q.no,
            na=q.na,
            unanswered=q.unanswered,
            sufficient=q.sufficient,
            denominator=q.denominator,
            percent=q.percent,
            words=q.words,
            disputed=q.disputed,
            reversed=q.polarity == "negative",
        )
        for q in findings.questions
        if q.code in pooled.question_codes
    )
    return Chapter(
        number=number,
        code=pooled.code,
        title=pooled.title,
        criterion=criterion,
        sufficient=pooled.sufficient,
        denominator=pooled.denominator,
        percent=pooled.percent,
        words=pooled.words,
        disputed=pooled.disputed,
        overview=pooled_sentence(pooled, findings.bands),
        commentary=paragraphs(commentary),
        questions=rows,
    )


def criteria_appendix(
    framework: Framework,
) -> tuple[tuple[str, tuple[CriterionEntry, ...]], ...]:
    """The framework's criteria by stage, with their questions in plain words."""
    groups: list[tuple[str, list[CriterionEntry]]] = []
    for criterion in framework.criteria():
        stage = framework.stage(criterion.stage)
        title = stage.title if stage is not None else ""
        if not groups or groups[-1][0] != title:
            groups.append((title, []))
        questions = tuple(framework.question(code).short_label() for code in criterion.questions)
        groups[-1][1].append(
            CriterionEntry(criterion.code, criterion.title, criterion.looked_for, questions)
        )
    return tuple((title, tuple(entries)) for title, entries in groups)


def subgroup_sentence(
    figure: SubgroupFigure, bands: tuple[WordingBand, ...], *, whole: PooledFigures | None = None
) -> str:
    """A criterion's figure for a sub-group, in the same words and small-number rules as the
    rest: "In the cases classified as posing a high risk of serious harm ..., more than
    two-thirds of the judgements found the work sufficient (27 of 39; 69 per cent)." ("" when
    no case of the group called for a judgement). When every judgement of the criterion
    (`whole`) is the group's, its figure is the criterion's: the sentence says so rather than
    give the same figure twice."""
    pooled = figure.figures
    if pooled.denominator == 0:
        return ""
    if whole is not None and (whole.sufficient, whole.denominator) == (
        pooled.sufficient,
        pooled.denominator,
    ):
        return _(
            "Every judgement in this aspect of the work concerned the {group}, so the figure "
            "above is theirs."
        ).format(group=figure.label)
    table = bands or None
    share = share_phrase(
        pooled.sufficient, pooled.denominator, table, cases="judgements", definite=True
    )
    figures = ""
    if describe_share(pooled.sufficient, pooled.denominator, table).kind != "count":
        figures = _figures(pooled)
    return _("In the {group}, {share} found the work sufficient{figures}.").format(
        group=figure.label, share=share, figures=figures
    )


def _figures(pooled: PooledFigures) -> str:
    """ " (27 of 39; 69 per cent)", after a share in words."""
    return _(" ({sufficient} of {denominator}; {percent} per cent)").format(
        sufficient=pooled.sufficient, denominator=pooled.denominator, percent=pooled.percent
    )


def pooled_sentence(pooled: PooledFigures, bands: tuple[WordingBand, ...]) -> str:
    """A section's pooled figure in words and figures: "Nearly four-fifths of the judgements
    in this aspect of the work found it sufficient (36 of 46; 78 per cent)."; a small base as
    its count: "In this aspect of the work, 1 of 4 judgements found it sufficient."."""
    if pooled.denominator == 0:
        return _("No case in the sample called for a judgement in this aspect of the work.")
    table = bands or None
    share = share_phrase(
        pooled.sufficient, pooled.denominator, table, cases="judgements", definite=True
    )
    if describe_share(pooled.sufficient, pooled.denominator, table).kind == "count":
        # A count is its own figure, and a sentence never opens on a numeral.
        return _("In this aspect of the work, {share} found it sufficient.").format(share=share)
    return capitalise(
        _("{share} in this aspect of the work found it sufficient{figures}.").format(
            share=share, figures=_figures(pooled)
        )
    )


# --- formatting helpers shared by the renderers -------------------------------------------------


def bullet_lines(items: Sequence[str]) -> tuple[str, ...]:
    """The press-release punctuation of a bullet list: each item ends with ";", the one before
    last with "; and", the last with "." (items are stripped of their own end punctuation)."""
    clean = [i.strip().rstrip(";.,").rstrip() for i in items if i.strip()]
    lines = []
    for index, item in enumerate(clean):
        if index == len(clean) - 1:
            lines.append(item + ".")
        elif index == len(clean) - 2:
            lines.append(item + _("; and"))
        else:
            lines.append(item + ";")
    return tuple(lines)


def paragraphs(text: str) -> tuple[str, ...]:
    """Paragraphs of a text part: separated by blank lines, inner line breaks joined."""
    blocks = [" ".join(block.split()) for block in text.replace("\r\n", "\n").split("\n\n")]
    return tuple(b for b in blocks if b)


def month_year(iso: str | None) -> str:
    """ "2026-11" or "2026-11-06" -> "November 2026" ("" when unknown)."""
    if not iso:
        return ""
    try:
        year, month = iso.split("-")[:2]
        return _("{month} {year}").format(month=_month(int(month)), year=int(year))
    except (ValueError, IndexError):
        return ""


def date_range(start: str | None, end: str | None) -> str:
    """Fieldwork dates in words: "2 to 6 November 2026", "30 October to 3 November 2026"
    ("" when the file has none)."""
    first, last = _day(start), _day(end)
    if first is None and last is None:
        return ""
    if first is None or last is None or first == last:
        day = first or last
        assert day is not None
        return _("{day} {month} {year}").format(day=day[2], month=_month(day[1]), year=day[0])
    (y1, m1, d1), (y2, m2, d2) = first, last
    if y1 != y2:
        return _("{day} {month} {year} to {day2} {month2} {year2}").format(
            day=d1, month=_month(m1), year=y1, day2=d2, month2=_month(m2), year2=y2
        )
    if m1 != m2:
        return _("{day} {month} to {day2} {month2} {year}").format(
            day=d1, month=_month(m1), day2=d2, month2=_month(m2), year=y2
        )
    return _("{day} to {day2} {month} {year}").format(day=d1, day2=d2, month=_month(m2), year=y2)


def month_number(name: str) -> int:
    """1 for "January", in the report's language (ValueError for a word that is no month)."""
    return [translated(month) for month in MONTHS].index(name) + 1


def _month(number: int) -> str:
    """The month's name (1 is January) in the report's language."""
    return translated(MONTHS[number - 1])


def _day(iso: str | None) -> tuple[int, int, int] | None:
    if not iso:
        return None
    try:
        year, month, day = (int(p) for p in iso.split("-")[:3])
    except ValueError:
        return None
    return (year, month, day) if 1 <= month <= 12 else None


def printed_average(average: float | None, count: int) -> int | None:
    """The mean of `count` whole percentages as the report prints a percentage: rounded half
    up, in integers (the sum is recovered exactly from the mean, so no boundary is decided by
    floating point). None when no area had a score."""
    if average is None or count <= 0:
        return None
    return percent_of(round(average * count), 100 * count)


def area_comparison_title(organisation: str) -> str:
    """The comparison table's heading, as an inspection report heads it."""
    return _("Scores for {area} compared with the areas inspected to date").format(
        area=organisation
    )


def area_comparison_intro(organisation: str, comparison: AreaComparison) -> str:
    """What the comparison table shows, and which areas it draws on."""
    areas = counted(comparison.inspections, "{n} area", "{n} areas")
    if comparison.includes_this:
        text = _(
            "The table sets the scores for {area} beside the lowest, highest and average "
            "scores of the {areas} inspected to date with the same framework, {area} among "
            "them. Each area counts once in the average."
        )
    else:
        text = _(
            "The table sets the scores for {area} beside the lowest, highest and average "
            "scores of the {areas} inspected to date with the same framework; {area} is not "
            "among them until its inspection is published. Each area counts once in the "
            "average."
        )
    sentences = [text.format(area=organisation, areas=areas)]
    if comparison.counts_vary:
        sentences.append(
            _(
                "Not every area had work to judge in every aspect: the last column gives "
                "the number of areas each row draws on."
            )
        )
    if any(0 < row.denominator < SMALL_COUNT for row in comparison.rows):
        sentences.append(
            _(
                "Where fewer than five judgements were made in {area}, the count is given "
                "instead of a percentage."
            ).format(area=organisation)
        )
    return " ".join(sentences)


def area_comparison_source(comparison: AreaComparison, *, final: bool = False) -> str:
    """Where the compared figures come from: the store (never its password) and the
    framework version compared on. A final report names no address: a path on the lead's
    laptop or an office server means nothing to its readers."""
    if final:
        source = _(
            "Source: the inspectorate's store of published inspections; inspections made with "
            "framework {framework} version {version}."
        ).format(framework=comparison.framework_id, version=comparison.framework_version)
    else:
        source = _(
            "Source: the store of published inspections at {store}; inspections made with "
            "framework {framework} version {version}."
        ).format(
            store=comparison.store,
            framework=comparison.framework_id,
            version=comparison.framework_version,
        )
    if comparison.imported:
        source += " " + counted(
            comparison.imported,
            "{n} of these inspections was imported from published reports.",
            "{n} of these inspections were imported from published reports.",
        )
    return source


def area_comparison_note(comparison: AreaComparison) -> str:
    """The one sentence printed in place of the table when there is nothing to compare with
    or the store could not be read (it names the store, never its password)."""
    if not comparison.reachable:
        if not comparison.store:
            return _(
                "The store of published inspections could not be read when this report was "
                "made, so the scores are not compared with other areas."
            )
        return _(
            "The store of published inspections at {store} could not be read when this report "
            "was made, so the scores are not compared with other areas."
        ).format(store=comparison.store)
    return _(
        "No inspection made with framework {framework} version {version} had been published "
        "to the store at {store} when this report was made, so the scores are not compared "
        "with other areas."
    ).format(
        store=comparison.store,
        framework=comparison.framework_id,
        version=comparison.framework_version,
    )


def percent_text(percent: int | None) -> str:
    return "–" if percent is None else f"{percent}%"


def base_percent_text(percent: int | None, base: int) -> str:
    """A table's percentage, or "–" where under five judgements stand behind it: the report
    gives the count there instead (a percentage of four judgements would mislead)."""
    return percent_text(percent) if base >= SMALL_COUNT else "–"


# --- the case sample profile --------------------------------------------------------------------


def sample_profile(
    cases: Sequence[CaseState], definition: ProfileDefinition | None = None
) -> tuple[ProfileTable, ...]:
    """The sample by sentence type, RoSH, tier, gender, ethnicity and flags, with small counts
    suppressed (`suppress_counts`). Values and labels come from the framework's profile; a
    flag no case records (a list without requirements) is left out rather than shown as 0."""
    definition = definition or default_profile()
    fields = definition.by_name
    profiles = [c.profile for c in cases]
    total = len(profiles)

    def by(field_name: str, label: Callable[[str | int], str] = str) -> tuple[CountRow, ...]:
        values = fields[field_name].values
        counts = Counter(p.get(field_name) for p in profiles)
        labels = [label(v) for v in values]
        numbers = [counts.get(v, 0) for v in values]
        others = total - sum(numbers)
        if others:
            labels.append(translated(NOT_RECORDED))
            numbers.append(others)
        return _rows(labels, numbers, total, complementary=True)

    flag_fields = [
        f
        for f in definition.flag_fields
        if fields[f].in_report and any(p.get(f) is not None for p in profiles)
    ]
    flag_counts = [sum(1 for p in profiles if p.get(f) is True) for f in flag_fields]
    flag_labels = [fields[f].label for f in flag_fields]
    flag_labels.append(_("MAPPA case"))
    flag_counts.append(sum(1 for p in profiles if p.get("mappa_category") is not None))
    return (
        ProfileTable(_("Sentence type"), by("sentence_type"), total),
        ProfileTable(_("Risk of serious harm (RoSH)"), by("rosh"), total),
        ProfileTable(_("Tier"), by("tier", lambda t: _("Tier {tier}").format(tier=t)), total),
        ProfileTable(_("Gender"), by("gender"), total),
        ProfileTable(_("Ethnicity"), by("ethnicity"), total),
        ProfileTable(
            _("Flags (cases where recorded)"),
            _rows(flag_labels, flag_counts, total, complementary=False),
            total,
        ),
    )


def suppress_counts(counts: Sequence[int], *, complementary: bool = True) -> list[str]:
    """Counts as printed: 1 to 4 become "<5"; with `complementary` (a table whose rows add up
    to a printed total), a lone suppressed count would be recoverable by subtraction, so the
    next smallest non-zero count is withheld too ("[c]"). Zero is printed as 0."""
    shown = [str(c) if c == 0 or c >= SMALL_COUNT else SUPPRESSED for c in counts]
    small = [i for i, c in enumerate(counts) if 0 < c < SMALL_COUNT]
    if complementary and len(small) == 1:
        others = [i for i, c in enumerate(counts) if c >= SMALL_COUNT]
        if others:
            shown[min(others, key=lambda i: (counts[i], i))] = WITHHELD
    return shown


def _rows(
    labels: Sequence[str], counts: Sequence[int], total: int, *, complementary: bool
) -> tuple[CountRow, ...]:
    shown = suppress_counts(counts, complementary=complementary)
    rows = []
    for label, count, text in zip(labels, counts, shown, strict=True):
        percent = "–" if text in (SUPPRESSED, WITHHELD) else share_text(count, total)
        rows.append(CountRow(label, text, percent))
    return tuple(rows)


# --- how the figures are made -------------------------------------------------------------------


def _scoring_approach(findings: Findings, framework: Framework) -> tuple[str, ...]:
    counted = (
        _("complete cases and cases still in progress")
        if findings.include_in_progress
        else _("complete cases")
    )
    # How the cases were read is the framework's to say (its [report] case_reading); the
    # shipped framework's words are the default.
    reading = framework.report_defaults.get("case_reading") or _(
        "Inspectors answered a set of case assessment questions for each case they read, "
        "reading the case record and interviewing the offender manager where they could. "
        "Each question was answered Yes, No or Not applicable, with an evidence note where the "
        "work fell short. "
        "Not every question applies to every case: some depend on the case profile (alcohol "
        "misuse, a high risk of serious harm, child protection concerns) or on earlier answers."
    )
    base = _(
        "The figures count {counted}. For each question, the share of cases where the work "
        "was sufficient is the number of sufficient answers divided by the number of cases "
        "judged (sufficient plus insufficient); cases where the question did not apply, or was "
        "not answered, are left out of that base, which is always shown."
    ).format(counted=counted)
    if any(q.scored and q.polarity == "negative" for q in framework.questions()):
        base += " " + _(
            "For a few questions a No is the sufficient answer (for example, no evidence of "
            "further offending); they are marked in the tables."
        )
    return (
        reading,
        base,
        _(
            "The score for each aspect of the work pools all the judgements made on its scored "
            "questions. Proportions are "
            "written in words in the inspectorate's house style, always with the exact figures "
            "beside them. The words follow the printed percentage (rounded half up), so the same "
            "figure always reads the same, as in the table below. Where fewer than five cases "
            "were judged, the count is given instead."
        ),
        _(
            "To protect the individuals whose cases were inspected, the case sample profile "
            "shows counts under {small} as {suppressed}, and withholds a second count "
            "({withheld}) where a small one could otherwise be worked out from the total. No "
            "case reference number or name appears in this report."
        ).format(small=SMALL_COUNT, suppressed=SUPPRESSED, withheld=WITHHELD),
    )


def wording_table(bands: Sequence[WordingBand]) -> tuple[tuple[str, str], ...]:
    """The house-style wording as (printed percentage, words) rows for the scoring appendix,
    worked out by describing every printed percentage from 0 to 100 with the framework's own
    table, so the appendix is the table in use by construction; then the count form for small
    bases."""
    rows: list[tuple[str, str]] = []
    start, current = 0, None
    for printed in range(101):
        described = words_for_percent(printed, tuple(bands))
        words = described.words + (
            _(" (or '{adverb}')").format(adverb=described.adverb) if described.adverb else ""
        )
        if words != current:
            if current is not None:
                rows.append((_percent_range(start, printed - 1), current))
            start, current = printed, words
    assert current is not None
    rows.append((_percent_range(start, 100), current))
    small = next((b.fewer_cases_than for b in bands if b.fewer_cases_than), None)
    if small:
        rows.append(
            (
                _("Fewer than {small} cases judged").format(small=small),
                _("the count itself ('3 of 4 cases')"),
            )
        )
    return tuple(rows)


def _percent_range(low: int, high: int) -> str:
    return f"{low}%" if low == high else _("{low}% to {high}%").format(low=low, high=high)
