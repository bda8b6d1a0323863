"""The publication gate: what must be settled before the report can be marked final.

`publication_blockers(file)` lists every reason the report is not ready to publish, each a
`Blocker` saying what is wrong, where to put it right (in the app and on the command line),
and whether the lead may override it. Only cases that are not complete can be overridden, with
a reason: the reason is recorded in the file and printed in the final report's inspection
arrangements. Everything else (open conflicts, a missing judgement, foreword, recommendations
or Chief Inspector's name, proposals nobody reviewed, a placeholder left in the text) must be
put right first.

`mark_final` is the only way the app and the command line mark the report final: it refuses,
listing every blocker and changing nothing, unless the report may be published. Marking it a
draft again is never refused. Qt-free.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from inspector_app.core.cases.case_data import STATUS_FIELD
from inspector_app.core.errors import ValidationError
from inspector_app.core.files import case_queries
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.framework.profile import sample_label
from inspector_app.core.merge.conflicts import list_conflicts
from inspector_app.core.narrative.parts import (
    CONCERNS,
    REPORT_DATE,
    STRENGTHS,
    Narrative,
    control_character_problem,
    load_narrative,
    set_final,
    setting_part,
)
from inspector_app.core.report.settings import (
    KEYS,
    PUBLICATION_MONTH,
    SPECS,
    conflicted_settings,
    defaults_for,
    settings_from,
)
from inspector_app.core.revisions.current import values_by_case
from inspector_app.core.revisions.log import Kind

# What each blocker is about (`Blocker.code`).
CASES = "cases"
SAMPLE = "sample"
CONFLICTS = "conflicts"
JUDGEMENT = "judgement"
FOREWORD = "foreword"
RECOMMENDATIONS = "recommendations"
CHIEF_INSPECTOR = "chief_inspector"
PROPOSALS = "proposals"
PLACEHOLDER = "placeholder"

MAX_REASON_CHARS = 2_000
_LISTED = 10  # cases or conflicts named in one blocker before "and N more"

# Text left for someone to fill in: anything in square brackets (the draft's own markers are
# bracketed instructions), "TBC"-style abbreviations, "to be decided" and its kind, XXX, ???,
# "<insert ...>", lorem ipsum.
PLACEHOLDER_PATTERN = re.compile(
    r"\[[^\[\]\n]{0,80}\]?|\]"
    r"|\bTB[ACD]\b"
    r"|\bto be (?:decided|confirmed|agreed|added|written|inserted|completed|provided"
    r"|finalised|finalized|checked|drafted)\b"
    r"|\bX{3,}\b|\?{3,}|<\s*insert\b[^>]{0,60}>?|\blorem ipsum\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Blocker:
    """One reason the report cannot be marked final: `what` is wrong, `where` to put it right,
    and whether the lead may mark it final anyway with a reason (`overridable`)."""

    code: str
    what: str
    where: str  # in the app
    overridable: bool = False
    command: str = ""  # the same on the command line, after "inspector-app "

    def __str__(self) -> str:
        can = " (may be overridden with a reason)" if self.overridable else ""
        cli = f"; or on the command line, inspector-app {self.command}" if self.command else ""
        return f"{self.what}{can}. To fix: {self.where}{cli}"


class PublicationBlocked(ValidationError):
    """The report cannot be marked final; the message lists every blocker, one a line."""

    def __init__(self, blockers: Sequence[Blocker], *, override_asked: bool = False) -> None:
        self.blockers = tuple(blockers)
        super().__init__(blocked_message(self.blockers, override_asked=override_asked))


def blocked_message(blockers: Sequence[Blocker], *, override_asked: bool = False) -> str:
    count = len(blockers)
    things = f"{count} thing{'s' if count != 1 else ''} to settle first"
    if override_asked:
        first = (
            f"The report cannot be marked final, even with an override reason: only cases not "
            f"complete can be overridden; {things}:"
        )
    elif blockers and all(b.overridable for b in blockers):
        first = (
            f"The report cannot be marked final: {things} (or mark it final anyway with a "
            "reason, which is printed in the report):"
        )
    else:
        first = f"The report cannot be marked final: {things}:"
    return "\n".join([first, *(f"- {b}" for b in blockers)])


# --- the checks ---------------------------------------------------------------------------------


def publication_blockers(file: InspectionFile) -> list[Blocker]:
    """Every reason the report of this master cannot be marked final, in the order a lead
    would settle them (empty: it may be published). Reads only; a few set-based queries."""
    narrative = load_narrative(file)
    settings = settings_from(narrative, defaults_for(file))
    name = file.path.name
    blockers: list[Blocker] = []
    blockers += _case_blockers(file, name)
    blockers += _conflict_blockers(file, narrative, name)
    rated = file.framework.ratings is not None  # the overall rating is the verdict
    blockers += _missing_blockers(narrative, settings, name, rated=rated)
    blockers += _proposal_blockers(narrative, name)
    blockers += _placeholder_blockers(narrative, settings, name)
    return blockers


def final_report_blockers(file: InspectionFile) -> list[Blocker]:
    """What stops a report already marked final being written as final now: the blockers,
    less the cases not complete when the lead recorded a reason for overriding them."""
    blockers = publication_blockers(file)
    if load_narrative(file).override_reason:
        blockers = [b for b in blockers if not b.overridable]
    return blockers


def _cli(name: str, command: str) -> str:
    return command.format(file=name)


def _source(code: str) -> str:
    """A proposal's source as the narrative editor names it: "1.3, a sub-group" for the
    sub-group figure of criterion 1.3, a question's code as it is."""
    criterion, at, _group = code.partition("@")
    return f"{criterion}, a sub-group" if at else code


def _case_blockers(file: InspectionFile, name: str) -> list[Blocker]:
    status = values_by_case(file.db.raw, Kind.STATUS, STATUS_FIELD)
    rows = [
        (sample_no, status.get(case_key))
        for case_key, sample_no in case_queries.keys_in_sample_order(file.db)
    ]
    if not rows:
        return [
            Blocker(
                SAMPLE,
                "The inspection has no cases",
                "import the case sample (File > New inspection)",
                command=_cli(name, "import-sample {file} SAMPLE.csv"),
            )
        ]
    open_cases = [n for n, value in rows if value != "true"]
    if not open_cases:
        return []
    listed = ", ".join(sample_label(n) for n in open_cases[:_LISTED])
    more = f" and {len(open_cases) - _LISTED} more" if len(open_cases) > _LISTED else ""
    return [
        Blocker(
            CASES,
            f"{len(open_cases)} of {len(rows)} cases are not complete: {listed}{more}",
            "finish each case and mark it complete (Ctrl+Shift+C in the case review), or "
            "merge the fieldwork files that hold them",
            overridable=True,
            command=_cli(name, "complete {file} CASE"),
        )
    ]


def _conflict_blockers(file: InspectionFile, narrative: Narrative, name: str) -> list[Blocker]:
    conflicts = list_conflicts(file)
    blockers: list[Blocker] = []
    answers = [c for c in conflicts if c.case_key is not None]
    if answers:
        listed = ", ".join(f"{c.label} {c.field}" for c in answers[:_LISTED])
        more = f" and {len(answers) - _LISTED} more" if len(answers) > _LISTED else ""
        blockers.append(
            Blocker(
                CONFLICTS,
                f"{len(answers)} conflict{'s' if len(answers) != 1 else ''} between assessors "
                f"still open: {listed}{more}",
                "settle each in the Conflicts window (Inspection > Conflicts)",
                command=_cli(name, "conflicts {file} --resolve CASE QUESTION --value V --reason R"),
            )
        )
    settings = conflicted_settings(narrative)
    setting_parts = {setting_part(k) for k in KEYS} | {REPORT_DATE}
    parts = sorted(
        p for p in narrative.conflicted if p not in setting_parts and not p.endswith(".dismissed")
    )
    if parts:
        blockers.append(
            Blocker(
                CONFLICTS,
                "Two people wrote different versions of the narrative: " + ", ".join(parts),
                "save the part again on the Report screen (the newest version is shown)",
                command=_cli(name, "narrative {file} --set-from FILE.toml"),
            )
        )
    if settings:
        labels = ", ".join(SPECS[k].label for k in settings)
        blockers.append(
            Blocker(
                CONFLICTS,
                f"Two people set different report settings: {labels}",
                "save them again in Report settings (on the Report screen)",
                command=_cli(name, "report-settings {file} --set KEY=VALUE"),
            )
        )
    return blockers


def _missing_blockers(
    narrative: Narrative, settings: dict[str, str], name: str, *, rated: bool
) -> list[Blocker]:
    set_from = _cli(name, "narrative {file} --set-from FILE.toml")
    blockers = []
    if not rated and not narrative.judgement.strip():
        blockers.append(
            Blocker(
                JUDGEMENT,
                "The headline judgement is not written",
                "Report screen, Summary tab: Judgement",
                command=f"{set_from} (judgement = ...)",
            )
        )
    if not narrative.foreword.strip():
        blockers.append(
            Blocker(
                FOREWORD,
                "The foreword is not written",
                "Report screen, Summary tab: Foreword",
                command=f"{set_from} (foreword = ...)",
            )
        )
    if not any(i.text.strip() for i in narrative.recommendations):
        blockers.append(
            Blocker(
                RECOMMENDATIONS,
                "There are no recommendations",
                "Report screen, Recommendations tab: Add",
                command=f"{set_from} (recommendations = [...])",
            )
        )
    if not settings.get("chief_inspector", "").strip():
        blockers.append(
            Blocker(
                CHIEF_INSPECTOR,
                "The Chief Inspector's name is not set",
                "Report screen: Report settings, Chief Inspector's name",
                command=_cli(name, "report-settings {file} --set chief_inspector=NAME"),
            )
        )
    return blockers


def _proposal_blockers(narrative: Narrative, name: str) -> list[Blocker]:
    """Strengths and areas for improvement the lead never looked at: a list never written
    (the app's proposals would stand in), or proposed items nobody edited."""
    blockers = []
    for part, title in ((STRENGTHS, "strengths"), (CONCERNS, "areas for improvement")):
        where = (
            f"Report screen, {title.capitalize()} tab: read each proposal, then keep it as "
            "written (Keep as written), edit it or remove it"
        )
        write = _cli(name, "narrative {file} --set-from FILE.toml") + f" ({part} = [...])"
        command = _cli(name, "narrative {file} --keep " + part + "[:N,N]") + f", or {write}"
        if not narrative.has(part):
            blockers.append(
                Blocker(
                    PROPOSALS,
                    f"The {title} have never been reviewed: the app's proposals would be "
                    "printed as they stand",
                    where,
                    command=write,
                )
            )
            continue
        unreviewed = [(n, i) for n, i in enumerate(narrative.items(part), 1) if not i.reviewed]
        if unreviewed:
            verb = "is" if len(unreviewed) == 1 else "are"
            listed = ", ".join(
                f"{n} (from {_source(i.source_code or '')})" for n, i in unreviewed[:_LISTED]
            )
            blockers.append(
                Blocker(
                    PROPOSALS,
                    f"{len(unreviewed)} of the {title} {verb} still as the app proposed, "
                    f"never reviewed: item{'s' if len(unreviewed) != 1 else ''} {listed}",
                    where,
                    command=command,
                )
            )
    return blockers


def _placeholder_blockers(
    narrative: Narrative, settings: dict[str, str], name: str
) -> list[Blocker]:
    set_from = _cli(name, "narrative {file} --set-from FILE.toml")
    texts: list[tuple[str, str, str]] = [
        ("The headline judgement", narrative.judgement, "Report screen, Summary tab: Judgement"),
        ("The press headline", narrative.headline, "Report screen, Summary tab: Press headline"),
        ("The foreword", narrative.foreword, "Report screen, Summary tab: Foreword"),
    ]
    for code, text in narrative.chapters.items():
        texts.append(
            (f"Chapter {code}'s commentary", text, f"Report screen, Chapters tab: chapter {code}")
        )
    for part, title, tab in (
        (STRENGTHS, "Strength", "Strengths"),
        (CONCERNS, "Area for improvement", "Areas for improvement"),
        ("recommendations", "Recommendation", "Recommendations"),
    ):
        for n, item in enumerate(narrative.items(part), start=1):
            texts.append((f"{title} {n}", item.text, f"Report screen, {tab} tab: item {n}"))
    blockers = [
        Blocker(
            PLACEHOLDER, f"{what} still holds a placeholder: “{found}”", where, command=set_from
        )
        for what, text, where in texts
        if (found := find_placeholder(text))
    ]
    for key in KEYS:
        if key == PUBLICATION_MONTH:
            continue
        found = find_placeholder(settings.get(key, ""))
        if found:
            blockers.append(
                Blocker(
                    PLACEHOLDER,
                    f"The report setting {SPECS[key].label} still holds a placeholder: “{found}”",
                    "Report screen: Report settings",
                    command=_cli(name, f"report-settings {{file}} --set {key}=VALUE"),
                )
            )
    return blockers


def find_placeholder(text: str) -> str:
    """The first placeholder in `text` ("" if none): see PLACEHOLDER_PATTERN."""
    match = PLACEHOLDER_PATTERN.search(text or "")
    return match.group(0) if match else ""


def placeholders_in(texts: Iterable[str]) -> list[str]:
    """Every placeholder in some texts (for checking a rendered report)."""
    return [m.group(0) for text in texts for m in PLACEHOLDER_PATTERN.finditer(text)]


# --- marking the report final ---------------------------------------------------------------------


def check_override_reason(reason: str) -> str:
    """The reason as it is recorded; ValidationError if it is empty or not one fit to print."""
    text = reason.strip()
    if not text:
        raise ValidationError(
            "an override needs a reason (it is recorded and printed in the report)"
        )
    problem = control_character_problem(text, multiline=True)
    if problem:
        raise ValidationError(f"the override reason {problem}")
    if len(text) > MAX_REASON_CHARS:
        raise ValidationError(
            f"the override reason is {len(text):,} characters; the limit is {MAX_REASON_CHARS:,}"
        )
    if find_placeholder(text):
        raise ValidationError(
            f"the override reason holds a placeholder (“{find_placeholder(text)}”): it is "
            "printed in the final report"
        )
    return " ".join(text.split())


def check_may_mark_final(
    file: InspectionFile, override_reason: str | None = None
) -> tuple[list[Blocker], str]:
    """(the blockers overridden, the reason to record) if the report may be marked final now;
    else PublicationBlocked (or ValidationError for a bad reason). Reads only."""
    reason = "" if override_reason is None else check_override_reason(override_reason)
    blockers = publication_blockers(file)
    if not blockers:
        if reason:
            raise ValidationError(
                "nothing to override: every case is complete; mark the report final "
                "without an override reason"
            )
        return [], ""
    if not reason or not all(b.overridable for b in blockers):
        raise PublicationBlocked(blockers, override_asked=bool(reason))
    return blockers, reason


def mark_final(
    file: InspectionFile, *, override_reason: str | None = None, author: str | None = None
) -> Narrative:
    """Mark the report final if nothing blocks it (or only cases not complete, with
    `override_reason`, which is recorded). Refuses with PublicationBlocked, writing
    nothing, otherwise. Returns the narrative."""
    _overridden, reason = check_may_mark_final(file, override_reason)
    return set_final(file, True, override_reason=reason, author=author)


def mark_draft(file: InspectionFile, *, author: str | None = None) -> Narrative:
    """The report is a draft again (always allowed)."""
    return set_final(file, False, author=author)


def override_facts(cases_complete: int, sample_size: int, reason: str) -> list[tuple[str, str]]:
    """The inspection-arrangements row of a report marked final with cases not complete."""
    if not reason:
        return []
    missing = max(sample_size - cases_complete, 0)
    return [
        (
            "Marked final with cases not complete",
            f"{missing} of {sample_size} cases were not complete when the report was marked "
            f"final. The lead inspector's reason: {reason}",
        )
    ]
