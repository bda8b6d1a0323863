"""The report's fixed prose and titles, shared by the PDF and the Word draft.

Both renderers print the same words, so the Word draft a lead edits is the report they will
publish; keeping the sentences here (built only from `ReportData`) means a change of wording is
made once.
"""

from __future__ import annotations

from inspector_app.core.findings.percentages import share_text
from inspector_app.core.plural import counted, noun_for
from inspector_app.core.report.data import (
    NOT_RECORDED,
    SMALL_COUNT,
    SUPPRESSED,
    WITHHELD,
    ComparisonTable,
    ReportData,
)

FOREWORD = "Foreword"
SUMMARY = "Summary"
RECOMMENDATIONS = "Recommendations"
SCORING_SUMMARY = "Scoring summary"
FINDINGS = "Findings"
APPENDIX_SCORES = "Appendix 1: Scores for every question"
APPENDIX_SAMPLE = "Appendix 2: The case sample"
APPENDIX_ARRANGEMENTS = "Appendix 3: Inspection arrangements"
APPENDIX_SCORING = "Appendix 4: Scoring approach"
APPENDIX_GLOSSARY = "Appendix 5: Glossary"
APPENDIX_CRITERIA = "Appendix 6: Inspection criteria"
APPENDIX_CONTEXT = "Appendix 7: Contextual information"
# Beside a key figure: what the percentage means ("79% done well enough"), as published
# scores read.
DONE_WELL_ENOUGH = "done well enough"
LONG_LIST_BESIDE_SAMPLE = "The sample beside the service's long list"
NO_CONTEXT_FACTS = "[Facts about the area and the service to be given in the report settings]"
ACKNOWLEDGEMENTS = "Acknowledgements"
ROLE_OF_THE_INSPECTORATE = "The role of HM Inspectorate of Probation"
PRACTICE_EXAMPLE = "Practice example"
TEAM = "The inspection team"
WORDING_TABLE = "The house-style wording table"

REVERSED_MARK = "‡"
DISPUTED_MARK = "†"


def draft_notice() -> str:
    return (
        "DRAFT for the Chief Inspector: not for publication. Figures and text may change "
        "before the report is final."
    )


def byline(data: ReportData) -> str:
    return f"A report by {data.inspectorate}"


def chapter_heading(number: int, title: str) -> str:
    return f"{number}. {title}"


def summary_context(data: ReportData) -> str:
    """The paragraph after the headline judgement: the sample and the overall figure."""
    judged = data.overall_denominator
    text = (
        f"Inspectors examined a sample of {counted(data.sample_size, 'case')} supervised by "
        f"{data.organisation}{during_fieldwork(data)}. "
    )
    if judged:
        text += (
            f"Across the {counted(data.cases_counted, 'case')} counted, {data.overall_words} of "
            f"the {counted(judged, 'judgement')} made found the work sufficient "
            f"({data.overall_sufficient} of {judged}; {data.overall_percent} per cent)."
        )
    else:
        text += "No completed case has been counted yet."
    return text


def during_fieldwork(data: ReportData) -> str:
    """ " during fieldwork from 2 to 6 November 2026", or nothing when the dates are unknown."""
    return f" during fieldwork{_from(data)}" if data.fieldwork_dates else ""


def _from(data: ReportData) -> str:
    return f" from {data.fieldwork_dates}" if data.fieldwork_dates else ""


def proposed_note() -> str:
    return (
        "[The lists below include the app's proposals from the figures; the lead inspector "
        "has not yet reviewed them.]"
    )


def disputed_note() -> str:
    return (
        "[Some figures are affected by conflicts between assessors that are not yet resolved; "
        f"they are marked {DISPUTED_MARK} in the chapters.]"
    )


def recommendations_intro(data: ReportData) -> str:
    return (
        "Inspectors made the following recommendations to assist "
        f"{data.organisation} in its continuing improvement."
    )


def scoring_summary_intro() -> str:
    return (
        "The share of judgements in each aspect of the work where inspectors found it "
        "sufficient. A judgement is one scored question answered for one case; cases where a "
        "question did not apply are not counted."
    )


def criterion_line(criterion: str) -> str:
    return f"What inspectors looked for: {criterion}"


def areas_caption(data: ReportData) -> str:
    unit = "criterion" if any(c.stage_code for c in data.chapters) else "aspect of the work"
    return f"Figure 1: Work judged sufficient, by {unit} (per cent of judgements)"


def chapter_caption(number: int, title: str) -> str:
    return (
        f"Figure {number + 1}: {title}: work judged sufficient, by question (cases judged in "
        f"brackets; paler bars: fewer than {SMALL_COUNT} cases)"
    )


def scores_intro() -> str:
    return (
        "For each scored question: the answers given, the cases judged (Yes and No; Not "
        "applicable and unanswered are left out) and the share where the work was sufficient. "
        f"Questions marked {REVERSED_MARK} are phrased so that No is the sufficient answer."
    )


def sample_intro(data: ReportData) -> str:
    return (
        f"The profile of the {counted(data.sample_size, 'case')} in the sample, as confirmed by "
        "inspectors "
        f"on site. Counts under {SMALL_COUNT} are shown as {SUPPRESSED} and, where a table's "
        f"total would reveal one, a second count is withheld ({WITHHELD}), so that no "
        "individual can be identified. Cases appear in this report by their sample number only."
    )


def arrangements_intro(data: ReportData) -> str:
    """What was done, stating only what the answers show: the interviews counted from the
    interview question, and double reading only where two readers answered the same case."""
    text = (
        "Inspectors read each case in the sample during fieldwork in "
        f"{data.organisation}{_from(data)}."
    )
    if data.interviews is not None and data.interviews[1]:
        interviewed, asked = data.interviews
        text += (
            f" They interviewed the offender manager in {interviewed} of the {asked} "
            f"{plural(asked, 'case', 'cases')} counted."
        )
    qa = data.quality_assurance
    if qa is not None:
        cases = plural(qa.cases, "case was", "cases were")
        text += (
            f" {qa.cases} {cases} read by a second inspector to check the consistency of "
            f"judgements; the two readers gave the same answer to {qa.agreed} of the "
            f"{qa.compared} {plural(qa.compared, 'question', 'questions')} they both answered "
            f"({share_text(qa.agreed, qa.compared)})"
        )
        if qa.disagreements:
            text += f", and {_settled(qa.settled, qa.disagreements)}"
        text += "."
    return text


def _settled(settled: int, differences: int) -> str:
    if settled == differences:
        if differences == 1:
            return "the difference was discussed and settled"
        return f"all {differences} differences were discussed and settled"
    if settled == 0:
        if differences == 1:
            return "the difference is still to be settled"
        return f"the {differences} differences are still to be settled"
    return f"{settled} of the {differences} differences have been settled"


def plural(count: int, one: str, many: str) -> str:
    """'case' or 'cases' as the count needs: 1 case, 2 cases, 0 cases."""
    return noun_for(count, one, many)


def arrangements_facts(data: ReportData) -> list[tuple[str, str]]:
    counted = (
        f"{data.cases_counted} (complete cases and cases in progress)"
        if data.include_in_progress
        else f"{data.cases_counted} (complete cases)"
    )
    return [
        ("Organisation inspected", data.organisation_name or data.organisation),
        ("Programme", data.programme),
        ("Fieldwork", data.fieldwork_dates or NOT_RECORDED),
        ("Cases in the sample", str(data.sample_size)),
        *data.selection,
        ("Cases complete", str(data.cases_complete)),
        ("Cases counted in the figures", counted),
        ("Cases read by two inspectors (quality assurance)", str(data.second_reads)),
        ("Case assessment framework", f"{data.framework_title}, version {data.framework_version}"),
    ]


def long_list_intro(table: ComparisonTable) -> str:
    return (
        f"The sample of {table.sample} cases was drawn from the {table.long_list} cases on the "
        "service's long list. For each part of the case profile, the share of the long list "
        "and of the sample with each value (per cent):"
    )
