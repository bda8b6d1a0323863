"""A realistic synthetic inspection, for trying the app and for benchmarks.

Everything is generated from a seed: the same seed gives the same sample, team, allocation
and answers. No real person or case is represented.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from inspector_app.core.cases.answers import (
    missing_for_completion,
    set_case_complete,
    write_answers,
)
from inspector_app.core.cases.case_data import load_cases
from inspector_app.core.cases.team import add_member
from inspector_app.core.errors import FileRefused
from inspector_app.core.files.fieldwork_export import export_fieldwork
from inspector_app.core.files.inspection_file import DEFAULT_FRAMEWORK, InspectionFile
from inspector_app.core.framework import Framework, Question, applies, load_builtin
from inspector_app.core.framework.profile import (
    AGE_BANDS,
    ETHNICITIES,
    OFFENCE_GROUPS,
    ProfileDefinition,
)
from inspector_app.core.sample.importing import SAMPLE_COLUMNS
from inspector_app.core.sample.placement import allocate_auto, allocate_case, import_sample

ORGANISATION = "Merseyside"
SENTENCE_FIELD = "sentence_type"
_SENTENCES = ("Community order", "Suspended sentence order", "Licence")
LEAD = "Helen Ashworth"
TEAM = (("Daniel Okafor", "inspector"), ("Priya Raman", "inspector"), ("Tom Gallagher", "assessor"))

_FIRST = ("Jason", "Lee", "Craig", "Mark", "Ryan", "Kelly", "Dean", "Gary", "Sarah", "Paul")
_LAST = ("Walsh", "Hughes", "Roberts", "Kelly", "Doyle", "Evans", "Byrne", "Murphy", "Price")
_POSITIVE_NOTES = (
    "Clear evidence on the case record; the offender manager described the work well.",
    "Done within timescales and recorded in OASys.",
    "Good quality; individual's views were recorded and used.",
)
_NEGATIVE_NOTES = (
    "No evidence on file; the offender manager confirmed this was not done.",
    "Completed late and did not reflect the information available at the time.",
    "Partly done: key information from the police was not followed up.",
)
# For a question that records a fact rather than judging the work: a note that says the same
# as the answer (as many as the lists above, so the seeded draw stays the same).
_FACT_NOTES = {
    "yes": (
        "Confirmed on the case record.",
        "Recorded on the case record and confirmed by the offender manager.",
        "Seen on the case record.",
    ),
    "no": (
        "Not the case here; checked on the case record.",
        "The case record shows this did not happen.",
        "Not recorded, and the offender manager confirmed it did not happen.",
    ),
}
_NEUTRAL_NOTES = (
    "Checked on the case record.",
    "From the case record and the interview with the offender manager.",
    "As recorded on the case record.",
)


@dataclass(frozen=True)
class DemoOutcome:
    master: Path
    fieldwork: tuple[Path, ...]
    sample_csv: Path


def create_demo(
    folder: Path, *, cases: int = 60, seed: int = 2013, framework_id: str = DEFAULT_FRAMEWORK
) -> DemoOutcome:
    """Master with a team of four and `cases` sampled cases, plus partly answered fieldwork
    files, one per inspector or assessor, under any shipped framework."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    master_path = folder / f"{ORGANISATION}-master.inspection"
    if master_path.exists():
        raise FileRefused(f"{master_path.name}: already exists in {folder}; choose an empty folder")
    rng = random.Random(seed)
    sample_csv = folder / f"{ORGANISATION}-sample.csv"
    framework = load_builtin(framework_id)
    # The shipped framework's demo keeps its columns, so its seeded data never changes.
    profile = None if framework_id == DEFAULT_FRAMEWORK else framework.profile
    write_sample_csv(sample_csv, cases, rng, profile)
    title = (
        f"Inspection of Adult Offending Work: {ORGANISATION}"
        if framework_id == DEFAULT_FRAMEWORK
        else f"{framework.programme}: {ORGANISATION}"
    )
    with InspectionFile.create(
        master_path,
        title=title,
        organisation=ORGANISATION,
        framework_id=framework_id,
        lead=LEAD,
        fieldwork_start="2026-11-02",
        fieldwork_end="2026-11-06",
    ) as master:
        for name, role in TEAM:
            add_member(master, name, role)
        import_sample(master, sample_csv)
        allocate_auto(master)
        # The lead double-reads a few cases for quality assurance.
        for sample_no in range(3, cases + 1, 15):
            allocate_case(master, sample_no, TEAM[(sample_no // 15) % len(TEAM)][0])
            allocate_case(master, sample_no, LEAD, second_reader=True)
        fieldwork = [export_fieldwork(master, name, folder).path for name, _ in TEAM]
    for index, path in enumerate(fieldwork):
        with InspectionFile.open(path) as file:
            answer_some_cases(file, rng, share_started=0.5 + 0.15 * index)
    return DemoOutcome(master_path, tuple(fieldwork), sample_csv)


# Written beside the demo inspection; a demo made by an older version is made again.
DEMO_EDITION = "2: the lead's master, merged"
DISAGREEMENTS = 2  # answers the lead reads differently from the first reader


def create_lead_demo(
    folder: Path,
    *,
    cases: int = 60,
    seed: int = 2013,
    complete: bool = False,
    framework_id: str = DEFAULT_FRAMEWORK,
) -> DemoOutcome:
    """The lead's week in full: the team's files merged into the master, the lead's second
    reads disagreeing with the first reader twice (two open conflicts, and the agreement
    figures to go with them), and the narrative drafted from the figures. With `complete`,
    every case is answered, complete and agreed: ready for a final report."""
    from inspector_app.core.findings.figures import compute_findings
    from inspector_app.core.merge.run import merge_files
    from inspector_app.core.narrative.parts import (
        HEADLINE,
        JUDGEMENT,
        REPORT_DATE,
        refresh_proposals,
        set_texts,
    )

    outcome = create_demo(folder, cases=cases, seed=seed, framework_id=framework_id)
    rng = random.Random(seed + 1)
    if complete:
        for path in outcome.fieldwork:
            with InspectionFile.open(path) as file:
                answer_some_cases(file, rng, share_started=1.0, finish=True)
    with InspectionFile.open(outcome.master) as master:
        _second_reads(master, outcome.fieldwork, 0 if complete else DISAGREEMENTS)
        merge_files(master, list(outcome.fieldwork))
        findings = compute_findings(master, include_in_progress=not complete)
        refresh_proposals(master, findings)
        set_texts(
            master,
            {
                JUDGEMENT: "reasonable",
                HEADLINE: "needing to do more to keep people safe",
                REPORT_DATE: "2027-02",
            },
        )
        if complete:
            _ready_to_publish(master)
        else:
            _review_notes(master)
    return outcome


def _review_notes(master: InspectionFile) -> None:
    """The lead's review of two finished cases: one note answered and addressed by the
    inspector, one still open."""
    from inspector_app.core.cases.review import add_note, reply, set_addressed

    finished = [c for c in load_cases(master) if c.marked_complete and c.first_reader]
    for number, case in enumerate(finished[:2]):
        scored = [code for code in case.answers if master.framework.question(code).scored]
        code = scored[0] if scored else None
        note_id, _ = add_note(
            master,
            case.key,
            "The evidence note does not say what was seen on the case record; please add "
            "where the judgement comes from.",
            code,
        )
        if number == 0 and case.first_reader:
            reply(
                master,
                case.key,
                note_id,
                "Added: the OASys assessment of March and the offender manager's interview.",
                author=case.first_reader,
            )
            set_addressed(master, case.key, note_id, True, author=case.first_reader)


def _ready_to_publish(master: InspectionFile) -> None:
    """What the lead writes before a report may be final: the foreword, recommendations, the
    Chief Inspector's name, and every proposal read and kept."""
    from inspector_app.core.narrative.parts import (
        CONCERNS,
        FOREWORD,
        STRENGTHS,
        add_item,
        edit_item,
        load_narrative,
        set_text,
    )
    from inspector_app.core.report.settings import save_report_settings

    # The shipped framework's demo keeps its words; another speaks of its own work.
    shipped = master.framework.id == DEFAULT_FRAMEWORK
    work = (
        "adult offending work"
        if shipped
        else master.framework.report_defaults.get("work_phrase", "the work")
    )
    practitioners = "Offender managers" if shipped else "Practitioners"
    set_text(
        master,
        FOREWORD,
        f"This inspection of {work} in {ORGANISATION} found staff committed to "
        "their work, and assessments that were mostly sound. Planning to keep other people safe "
        "was not always as good as it needed to be.\n\nThe recommendations in this report are "
        "made to help the service build on what it does well.",
    )
    for text in (
        f"{ORGANISATION} should make sure that plans address the risk of harm to others.",
        f"{practitioners} should review cases when circumstances change.",
        "Managers should check the quality of assessments regularly.",
    ):
        add_item(master, "recommendations", text)
    narrative = load_narrative(master)
    for part in (STRENGTHS, CONCERNS):
        for item in narrative.items(part):
            if item.source_code and not item.edited:
                edit_item(master, part, item.id, item.text)
    save_report_settings(master, {"chief_inspector": "Alex Morgan"})


def _second_reads(master: InspectionFile, fieldwork: Sequence[Path], disagreements: int) -> None:
    """The lead's second reads, written in the master before the team's files are merged (as
    on site): the first reader's answers read again, the same except `disagreements` of them,
    which become conflicts when the files are merged."""
    lead = master.author_id()
    second_reads = [c for c in load_cases(master) if c.second_reader == LEAD]
    first_answers: dict[str, dict[str, tuple[str | None, str]]] = {}
    for path in fieldwork:
        with InspectionFile.open(path, readonly=True) as file:
            for case in load_cases(file, [c.key for c in second_reads]):
                if case.first_reader == file.role.owner_name and case.answers:
                    first_answers[case.key] = {
                        code: (answer.value, answer.note) for code, answer in case.answers.items()
                    }
    rows: list[tuple[str, str, str | None, str]] = []
    left = disagreements
    # In sample and framework order: the keys, and so the order answers are read in, differ
    # with each inspection's id, and the same demo disagrees on the same questions.
    place = {q.code: n for n, q in enumerate(master.framework.questions())}
    for case in sorted(second_reads, key=lambda c: c.sample_no):
        disagreed = False  # one disagreement a case, so two cases show one each
        answers = first_answers.get(case.key, {})
        for code, (value, note) in sorted(answers.items(), key=lambda a: place.get(a[0], 0)):
            question = master.framework.question(code)
            other = _other_judgement(question, value)
            if left and other is not None and not disagreed:
                left -= 1
                disagreed = True
                rows.append((case.key, code, other, "Read again by the lead: " + note_for(other)))
            else:
                rows.append((case.key, code, value, note))
    write_answers(master, rows, lead)


def _other_judgement(question: Question, value: str | None) -> str | None:
    """The opposite judgement of a scored answer, or None for anything else."""
    if not question.scored or question.sufficient_value is None:
        return None
    if value == question.sufficient_value:
        return question.insufficient_value
    if value == question.insufficient_value:
        return question.sufficient_value
    return None


def note_for(value: str) -> str:
    return "the work was not good enough." if value == "no" else "the work was good enough."


def ensure_demo() -> Path:
    """The demo inspection in the user's data folder, made on first use (and again when an
    older version made it); returns the lead's master, merged, with its overview to open."""
    from inspector_app.core.files.paths import demo_dir

    folder = demo_dir()
    marker = folder / "demo-edition.txt"
    masters = sorted(folder.glob("*-master.inspection"))
    current = marker.exists() and marker.read_text(encoding="utf-8").strip() == DEMO_EDITION
    if masters and current:
        return masters[0]
    marker.unlink(missing_ok=True)  # written again only once the demo is whole
    for leftover in [*folder.glob("*.inspection*"), *folder.glob("*.csv")]:
        if leftover.is_file():
            leftover.unlink()
    outcome = create_lead_demo(folder)
    marker.write_text(DEMO_EDITION + "\n", encoding="utf-8")
    return outcome.master


def write_sample_csv(
    path: Path, count: int, rng: random.Random, profile: ProfileDefinition | None = None
) -> None:
    """A long-list style CSV of `count` synthetic cases, in the columns of `profile` (the
    shipped framework's by default)."""
    columns = SAMPLE_COLUMNS if profile is None else tuple(f.name for f in profile.fields)
    sentences: tuple[str, ...] = _SENTENCES
    if profile is not None and SENTENCE_FIELD in profile.by_name:
        sentences = tuple(str(v) for v in profile.by_name[SENTENCE_FIELD].values)
    crns: set[object] = set()  # one person, one row: the import refuses a CRN given twice
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for number in range(1, count + 1):
            row = {column: _sample_cell(column, number, rng, sentences) for column in columns}
            if "crn" in row:
                while row["crn"] in crns:  # drawn again (rare below 10,000 rows)
                    row["crn"] = _sample_cell("crn", number, rng)
                crns.add(row["crn"])
            if row.get(SENTENCE_FIELD) != "Licence" and "short_licence" in row:
                row["short_licence"] = "no"  # only a licence can be a short one
            writer.writerow(row.values())


def _sample_cell(
    column: str, number: int, rng: random.Random, sentences: Sequence[str] = ()
) -> object:
    def yes_no(p: float) -> str:
        return "yes" if rng.random() < p else "no"

    match column:
        case "sample_no":
            return number
        case "crn":
            return f"{rng.choice('ABCDEFGHJKLMNPRSTUVWXYZ')}{rng.randrange(100000, 999999)}"
        case "name":
            return f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
        case "gender":
            return rng.choices(("Male", "Female"), (0.86, 0.14))[0]
        case "ethnicity":
            return rng.choices(ETHNICITIES, (0.88, 0.03, 0.02, 0.04, 0.01, 0.02))[0]
        case "age_band":
            return rng.choices(AGE_BANDS, (0.08, 0.16, 0.2, 0.3, 0.18, 0.08))[0]
        case "sentence_type":
            # The usual mix; a sentence the framework adds (post-sentence supervision) is rarer.
            weights = (0.45, 0.3, 0.25, *(0.12 for _ in sentences[3:]))
            return rng.choices(sentences or _SENTENCES, weights[: len(sentences or _SENTENCES)])[0]
        case "short_licence":
            return yes_no(0.2)
        case "offence_group":
            return rng.choices(OFFENCE_GROUPS, (40, 3, 4, 8, 12, 4, 6, 10, 6, 7))[0]
        case "rosh":
            return rng.choices(("Low", "Medium", "High", "Very high"), (0.2, 0.5, 0.27, 0.03))[0]
        case "tier":
            return rng.choices((1, 2, 3, 4), (0.1, 0.3, 0.45, 0.15))[0]
        case "mappa_category":
            return rng.choice((1, 2)) if rng.random() < 0.12 else ""
        case "mappa_level":
            return ""
        case "child_protection" | "domestic_abuse":
            return yes_no(0.3)
        case "alcohol_misuse":
            return yes_no(0.45)
        case "drug_misuse":
            return yes_no(0.35)
        case "statutory_victim":
            return yes_no(0.15)
        case "om_grade":
            return rng.choices(("PO", "PSO"), (0.7, 0.3))[0]
        case "office":
            return rng.choice(("Liverpool North", "Liverpool South", "Wirral", "Sefton"))
    return ""


def answer_some_cases(
    file: InspectionFile, rng: random.Random, share_started: float, *, finish: bool = False
) -> None:
    """Answer a share of the file's cases the way an assessor would: in framework order,
    with notes where the framework asks for them; finished cases are marked complete. With
    `finish`, every case not yet complete is answered to the end."""
    author = file.author_id()
    tendencies = _question_tendencies(file.framework, rng)
    keys = _key_questions(file.framework) if file.framework.ratings is not None else {}
    finished = []
    for case in load_cases(file):
        if finish:
            if case.marked_complete:
                continue
        elif rng.random() > share_started:
            continue
        completion = 1.0 if finish or rng.random() < 0.6 else rng.uniform(0.2, 0.8)
        answers = case.answer_values()
        judged: dict[str, bool] = {}  # this case's key questions: is the work sufficient?
        rows: list[tuple[str, str, str | None, str]] = []
        for question in file.framework.questions():
            if not applies(question.applies_if, case.profile, answers):
                continue
            if rng.random() > completion:
                break
            if question.code in keys or (keys and question.code in keys.values()):
                value, note = _judged_answer(
                    file.framework, question, keys, judged, tendencies, rng
                )
            else:
                value, note = _answer_for(file.framework, question, tendencies, rng)
            answers[question.code] = value
            rows.append((case.key, question.code, value, note))
        write_answers(file, rows, author)
        if completion == 1.0:
            finished.append(case.key)
    for case in load_cases(file, finished):
        if not missing_for_completion(file.framework, case):
            set_case_complete(file, case.key)


def _question_tendencies(framework: Framework, rng: random.Random) -> dict[str, float]:
    """How often each question's work is sufficient at this service (a stable profile)."""
    return {q.code: rng.uniform(0.5, 0.95) for q in framework.questions()}


def _key_questions(framework: Framework) -> dict[str, str]:
    """Each prompt (an unscored yes/no question) and the scored question after it in its
    section, which judges the work the prompts look at."""
    keys: dict[str, str] = {}
    for section in framework.sections:
        waiting: list[str] = []
        for question in section.questions:
            if question.scored:
                keys.update(dict.fromkeys(waiting, question.code))
                waiting = []
            elif framework.scale_of(question).scorable:
                waiting.append(question.code)
    return keys


def _judged_answer(
    framework: Framework,
    question: Question,
    keys: dict[str, str],
    judged: dict[str, bool],
    tendencies: dict[str, float],
    rng: random.Random,
) -> tuple[str, str]:
    """A prompt or its key question, agreeing with each other: the case's work on the key
    question is judged once, its prompts mostly say the same, the judgement's note too."""
    key = keys.get(question.code, question.code)
    good = judged.setdefault(key, rng.random() < tendencies[key])
    scale = framework.scale_of(question)
    if not question.scored:
        assert scale.positive is not None and scale.negative is not None
        if "na" in scale.values and rng.random() < 0.05:
            return "na", ""
        value = scale.positive if rng.random() < (0.85 if good else 0.3) else scale.negative
        return value, ""
    assert question.sufficient_value is not None and question.insufficient_value is not None
    value = question.sufficient_value if good else question.insufficient_value
    return value, rng.choice(_notes_for(question, value))


def _answer_for(
    framework: Framework, question: Question, tendencies: dict[str, float], rng: random.Random
) -> tuple[str, str]:
    scale = framework.scale_of(question)
    if scale.kind == "text":
        return "Interviewed in person at the office; engaged well.", ""
    if question.scored and question.sufficient_value and question.insufficient_value:
        if "na" in scale.values and rng.random() < 0.05:
            return "na", ""
        good = rng.random() < tendencies[question.code]
        value = question.sufficient_value if good else question.insufficient_value
    else:
        value = rng.choice(scale.values)
    needs_note = question.needs_note(value)
    note = rng.choice(_notes_for(question, value))
    if not needs_note and rng.random() < 0.5:
        note = ""
    return value, note


def _notes_for(question: Question, value: str) -> tuple[str, ...]:
    """Notes that agree with the answer: praise for work judged sufficient, the gap for work
    judged insufficient, the fact itself for a question that records one."""
    if question.scored and value == question.sufficient_value:
        return _POSITIVE_NOTES
    if question.scored and value == question.insufficient_value:
        return _NEGATIVE_NOTES
    if question.needs_note(value):
        return _NEGATIVE_NOTES
    return _FACT_NOTES.get(value, _NEUTRAL_NOTES)
