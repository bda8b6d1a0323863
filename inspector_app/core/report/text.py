"""The report's fixed prose and titles, shared by the PDF and the Word draft.

Both renderers print the same words, so the Word draft a lead edits is the report they will
publish; keeping the sentences here (built only from `ReportData`) means a change of wording is
made once.
"""

from __future__ import annotations

from inspector_app.core.findings.percentages import share_text
from inspector_app.core.i18n import N_, _, ngettext, translated
from inspector_app.core.plural import counted
from inspector_app.core.report.data import (
    NOT_RECORDED,
    SMALL_COUNT,
    SUPPRESSED,
    WITHHELD,
    ComparisonTable,
    QuestionRow,
    ReportData,
    ReportRatings,
    StandardRatingRow,
    percent_text,
)

FOREWORD = N_("Foreword")
SUMMARY = N_("Summary")
RECOMMENDATIONS = N_("Recommendations")
SCORING_SUMMARY = N_("Scoring summary")
FINDINGS = N_("Findings")
APPENDIX_SCORES = N_("Appendix 1: Scores for every question")
APPENDIX_SAMPLE = N_("Appendix 2: The case sample")
APPENDIX_ARRANGEMENTS = N_("Appendix 3: Inspection arrangements")
APPENDIX_SCORING = N_("Appendix 4: Scoring approach")
APPENDIX_GLOSSARY = N_("Appendix 5: Glossary")
APPENDIX_CRITERIA = N_("Appendix 6: Inspection criteria")
APPENDIX_CONTEXT = N_("Appendix 7: Contextual information")
# Beside a key figure: what the percentage means ("79% done well enough"), as published
# scores read.
DONE_WELL_ENOUGH = N_("done well enough")
LONG_LIST_BESIDE_SAMPLE = N_("The sample beside the service's long list")
NO_CONTEXT_FACTS = N_("[Facts about the area and the service to be given in the report settings]")
ACKNOWLEDGEMENTS = N_("Acknowledgements")
ROLE_OF_THE_INSPECTORATE = N_("The role of HM Inspectorate of Probation")
PRACTICE_EXAMPLE = N_("Practice example")
TEAM = N_("The inspection team")
WORDING_TABLE = N_("The house-style wording table")
RATINGS = N_("Ratings")
RATING_RULES = N_("How the ratings are decided")
NOT_RATED = N_("Not rated")
OVERALL_RATING = N_("Overall rating")

REVERSED_MARK = "‡"
DISPUTED_MARK = "†"


def draft_notice() -> str:
    return _(
        "DRAFT for the Chief Inspector: not for publication. Figures and text may change "
        "before the report is final."
    )


def byline(data: ReportData) -> str:
    return _("A report by {inspectorate}").format(inspectorate=data.inspectorate)


def chapter_heading(number: int, title: str) -> str:
    return _("{number}. {title}").format(number=number, title=title)


def summary_context(data: ReportData) -> str:
    """The paragraph after the headline judgement: the sample and the overall figure."""
    judged = data.overall_denominator
    text = examined(data, _(" supervised by {organisation}").format(organisation=data.organisation))
    text += " "
    if judged:
        text += _(
            "Across the {cases} counted, {words} of the {judgements} made found the work "
            "sufficient ({sufficient} of {judged}; {percent} per cent)."
        ).format(
            cases=counted(data.cases_counted, "{n} case", "{n} cases"),
            words=data.overall_words,
            judgements=counted(judged, "{n} judgement", "{n} judgements"),
            sufficient=data.overall_sufficient,
            judged=judged,
            percent=data.overall_percent,
        )
    elif data.include_in_progress:
        text += _("No case has been counted yet.")
    else:
        text += _("No completed case has been counted yet.")
    return text


def examined(data: ReportData, whose: str = "") -> str:
    """ "Inspectors examined a sample of 60 cases{whose} during fieldwork from ...", once every
    case of it is complete; before that, how many of it the figures rest on: "Inspectors
    examined 27 of a sample of 60 cases ..."."""
    during = during_fieldwork(data)
    if data.sample_size and data.cases_complete >= data.sample_size:
        return _("Inspectors examined a sample of {cases}{whose}{during}.").format(
            cases=counted(data.sample_size, "{n} case", "{n} cases"), whose=whose, during=during
        )
    return counted(
        data.sample_size,
        "Inspectors examined {counted} of a sample of {n} case{whose}{during}.",
        "Inspectors examined {counted} of a sample of {n} cases{whose}{during}.",
        counted=data.cases_counted,
        whose=whose,
        during=during,
    )


def during_fieldwork(data: ReportData) -> str:
    """ " during fieldwork from 2 to 6 November 2026", or nothing when the dates are unknown."""
    return _(" during fieldwork{dates}").format(dates=_from(data)) if data.fieldwork_dates else ""


def _from(data: ReportData) -> str:
    return _(" from {dates}").format(dates=data.fieldwork_dates) if data.fieldwork_dates else ""


def proposed_note() -> str:
    return _(
        "[The lists below include the app's proposals from the figures; the lead inspector "
        "has not yet reviewed them.]"
    )


def disputed_note() -> str:
    return _(
        "[Some figures are affected by conflicts between assessors that are not yet resolved; "
        "they are marked {mark} in the chapters.]"
    ).format(mark=DISPUTED_MARK)


def recommendations_intro(data: ReportData) -> str:
    return _(
        "Inspectors made the following recommendations to assist {organisation} in its "
        "continuing improvement."
    ).format(organisation=data.organisation)


def scoring_summary_intro() -> str:
    return _(
        "The share of judgements in each aspect of the work where inspectors found it "
        "sufficient. A judgement is one scored question answered for one case; cases where a "
        "question did not apply are not counted."
    )


def criterion_line(criterion: str) -> str:
    return _("What inspectors looked for: {criterion}").format(criterion=criterion)


def areas_caption(data: ReportData) -> str:
    if data.ratings is not None:  # a framework that rates calls its criteria standards
        return _("Figure 1: Work judged sufficient, by standard (per cent of judgements)")
    if any(c.stage_code for c in data.chapters):
        return _("Figure 1: Work judged sufficient, by criterion (per cent of judgements)")
    return _("Figure 1: Work judged sufficient, by aspect of the work (per cent of judgements)")


def chapter_caption(number: int, title: str) -> str:
    return _(
        "Figure {number}: {title}: work judged sufficient, by question (cases judged in "
        "brackets; paler bars: fewer than {small} cases)"
    ).format(number=number + 1, title=title, small=SMALL_COUNT)


def scores_intro(data: ReportData) -> str:
    """What Appendix 1 counts, in the words of the answers themselves."""
    positive, negative = data.answer_labels
    text = _(
        "For each scored question: the answers given, the cases judged ({positive} and "
        "{negative}; Not applicable and unanswered are left out) and the share where the work "
        "was sufficient."
    ).format(positive=positive, negative=negative)
    if any_reversed(data):
        text += " " + _(
            "Questions marked {mark} are phrased so that {negative} is the sufficient answer."
        ).format(mark=REVERSED_MARK, negative=negative)
    return text


def score_labels(data: ReportData) -> list[str]:
    """Appendix 1's count columns: the answers in their own words, then the cases judged and
    the share; a column of sufficient answers only when some question counts its negative
    answer as the sufficient one (else it repeats the first column)."""
    positive, negative = data.answer_labels
    sufficient = [_("Sufficient")] if any_reversed(data) else []
    return [positive, negative, _("N/A"), _("Not answered"), *sufficient, _("Judged"), "%"]


def score_counts(data: ReportData, question: QuestionRow) -> list[str]:
    """One question's cells under `score_labels`."""
    sufficient = [str(question.sufficient)] if any_reversed(data) else []
    return [
        str(question.yes),
        str(question.no),
        str(question.na),
        str(question.unanswered),
        *sufficient,
        str(question.denominator),
        percent_text(question.percent).rstrip("%"),
    ]


def any_reversed(data: ReportData) -> bool:
    """Whether a question's sufficient answer is its negative one: only then does the count
    of sufficient answers differ from the count of positive ones."""
    return any(q.reversed for chapter in data.chapters for q in chapter.questions)


def sample_intro(data: ReportData) -> str:
    """The profile is the sample's as recorded, with what inspectors corrected on the cases
    they read: nothing says every case's profile was checked on site."""
    confirmed = _(
        ", as recorded for the sample and corrected by inspectors where the case record differed"
    )
    return _(
        "The profile of the {cases} in the sample{confirmed}. Counts under {small} are shown "
        "as {suppressed} and, where a table's total would reveal one, a second count is "
        "withheld ({withheld}), so that no individual can be identified. Cases appear in this "
        "report by their sample number only."
    ).format(
        cases=counted(data.sample_size, "{n} case", "{n} cases"),
        confirmed=confirmed,
        small=SMALL_COUNT,
        suppressed=SUPPRESSED,
        withheld=WITHHELD,
    )


def arrangements_intro(data: ReportData) -> str:
    """What was done, stating only what the answers show: the interviews counted from the
    interview question, and double reading only where two readers answered the same case."""
    text = _reading(data)
    if data.interviews is not None and data.interviews[1]:
        interviewed, asked = data.interviews
        if asked == data.cases_counted:
            text += counted(
                asked,
                " They interviewed the {interviewee} in {interviewed} of the {n} case counted.",
                " They interviewed the {interviewee} in {interviewed} of the {n} cases counted.",
                interviewed=interviewed,
                interviewee=data.interviewee or _("offender manager"),
            )
        else:  # the interview is not recorded for every counted case: say on what base
            text += counted(
                asked,
                " They interviewed the {interviewee} in {interviewed} of the {n} case for "
                "which the interview was recorded.",
                " They interviewed the {interviewee} in {interviewed} of the {n} cases for "
                "which the interview was recorded.",
                interviewed=interviewed,
                interviewee=data.interviewee or _("offender manager"),
            )
    qa = data.quality_assurance
    if qa is not None:
        text += _(
            " A second inspector also read {cases} to check the consistency of judgements; "
            "the two readers gave the same answer to {agreed} of the {questions} they both "
            "answered ({share})"
        ).format(
            cases=counted(qa.cases, "{n} case", "{n} cases"),
            agreed=qa.agreed,
            questions=counted(qa.compared, "{n} question", "{n} questions"),
            share=share_text(qa.agreed, qa.compared),
        )
        if qa.disagreements:
            text += _(", and {settled}").format(settled=_settled(qa.settled, qa.disagreements))
        text += "."
    return text


def _reading(data: ReportData) -> str:
    """Which cases inspectors read: every case of the sample only once every case is complete;
    before that, how many were complete (and, when they are counted, how many in progress)."""
    where = {"organisation": data.organisation, "dates": _from(data)}
    if data.sample_size and data.cases_complete >= data.sample_size:
        return _(
            "Inspectors read each case in the sample during fieldwork in {organisation}{dates}."
        ).format(**where)
    in_progress = data.cases_counted - data.cases_complete if data.include_in_progress else 0
    text = counted(
        data.sample_size,
        "Inspectors read cases from the sample of {n} during fieldwork in {organisation}"
        "{dates}; {complete} complete when this report was produced",
        "Inspectors read cases from the sample of {n} during fieldwork in {organisation}"
        "{dates}; {complete} complete when this report was produced",
        complete=_complete(data.cases_complete),
        **where,
    )
    if in_progress > 0:
        text += counted(
            in_progress,
            ", and the figures also count the {n} case still in progress",
            ", and the figures also count the {n} cases still in progress",
        )
    return text + "."


def _complete(count: int) -> str:
    """ "none was", "1 was", "21 were": the start of "... complete when ..."."""
    if count == 0:
        return _("none was")
    return counted(count, "{n} was", "{n} were")


def _settled(settled: int, differences: int) -> str:
    if settled == differences == 2:
        return _("both differences were discussed and settled")
    if settled == differences:
        return counted(
            differences,
            "the difference was discussed and settled",
            "all {n} differences were discussed and settled",
        )
    if settled == 0:
        return counted(
            differences,
            "the difference is still to be settled",
            "the {n} differences are still to be settled",
        )
    # The verb agrees with what was settled: "1 of the 3 differences has been settled".
    return counted(
        settled,
        "{n} of the {total} differences has been settled",
        "{n} of the {total} differences have been settled",
        total=differences,
    )


def arrangements_facts(data: ReportData) -> list[tuple[str, str]]:
    cases = (
        _("{count} (complete cases and cases in progress)")
        if data.include_in_progress
        else _("{count} (complete cases)")
    ).format(count=data.cases_counted)
    framework = _("{title}, version {version}").format(
        title=data.framework_title, version=data.framework_version
    )
    return [
        (_("Organisation inspected"), data.organisation_name or data.organisation),
        (_("Programme"), data.programme),
        (_("Fieldwork"), data.fieldwork_dates or translated(NOT_RECORDED)),
        (_("Cases in the sample"), str(data.sample_size)),
        *data.selection,
        (_("Cases complete"), str(data.cases_complete)),
        (_("Cases counted in the figures"), cases),
        (_("Cases read by two inspectors (quality assurance)"), str(data.second_reads)),
        (_("Case assessment framework"), framework),
    ]


def long_list_intro(table: ComparisonTable) -> str:
    return _(
        "The sample of {sample} cases was drawn from the {long_list} cases on the service's "
        "long list. For each part of the case profile, the share of the long list and of the "
        "sample with each value (per cent):"
    ).format(sample=table.sample, long_list=table.long_list)


# --- ratings ------------------------------------------------------------------------------------


def rating_words(rating: str | None) -> str:
    """A rating as its badge prints it: the rating, or "Not rated"."""
    return rating if rating else translated(NOT_RATED)


def ratings_intro(ratings: ReportRatings) -> str:
    return ngettext(
        "Inspectors rated the standard from its key questions. The table gives each key "
        "question's score (the percentage of relevant cases where the work was judged "
        "sufficient) and the rating it falls in; the standard takes the rating of its lowest "
        "key question. Appendix 4 sets out how the ratings are decided.",
        "Inspectors rated each standard from its key questions. Each table gives a key "
        "question's score (the percentage of relevant cases where the work was judged "
        "sufficient) and the rating it falls in; the standard takes the rating of its lowest "
        "key question. Appendix 4 sets out how the ratings are decided.",
        len(ratings.standards),
    )


def overall_score_line(ratings: ReportRatings) -> str:
    """Beside the overall rating's badge: the score it was decided by, or why there is none."""
    if ratings.overall_rating is None:
        return _("Not rated overall, because {reason}.").format(
            reason=ratings.overall_not_rated_reason
        )
    return _("The standards' scores add up to {score} of a possible {maximum}.").format(
        score=ratings.overall_score, maximum=ratings.maximum_score
    )


def standards_rated_lines(ratings: ReportRatings) -> list[str]:
    """The standards' ratings, one line each, for the summary: "2.1 Assessment: Good"."""
    return [
        _("{code} {title}: {rating}").format(
            code=s.code, title=s.title, rating=rating_words(s.rating)
        )
        for s in ratings.standards
    ]


def deciding_line(standard: StandardRatingRow) -> str:
    """Which key question decided the standard's rating ("" for an adjusted rating, whose
    figures `figures_gave_line` states), or why it is not rated."""
    if standard.rating is None:
        return not_rated_line(standard)
    key = standard.deciding
    if standard.adjusted or key is None:
        return ""
    return _(
        "The standard takes the rating of its lowest key question: {label} ({percent}%, {rating})."
    ).format(label=key.label or key.code, percent=key.percent, rating=key.rating)


def not_rated_line(standard: StandardRatingRow) -> str:
    return _("Not rated: {reason}").format(reason=standard.not_rated_reason)


def adjusted_line(standard: StandardRatingRow) -> str:
    """ "Rating adjusted by the lead inspector: <justification>"."""
    return _("Rating adjusted by the lead inspector: {justification}").format(
        justification=standard.justification
    )


def figures_gave_line(standard: StandardRatingRow) -> str:
    """The rating the figures gave an adjusted standard, and the key question that gave it."""
    key = standard.deciding
    if standard.adjusted_from is None or key is None:
        return _("The figures gave no rating: no relevant cases.")
    return _(
        "The rating the figures gave: {rating} (its lowest key question: {label}, {percent}%)."
    ).format(rating=standard.adjusted_from, label=key.label or key.code, percent=key.percent)


def key_question_percent(percent: int | None) -> str:
    return "–" if percent is None else f"{percent}%"
