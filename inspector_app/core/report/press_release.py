"""The press-release draft: `render_press_release(data) -> str`, in the shape of the
inspectorate's published releases: a draft's marking, headline, lead paragraph, what the
inspection is for, "Inspectors were pleased to find that:", "However, inspectors were
concerned to find that:", the recommendations, a quote for the Chief Inspector to write, and
notes to editors.

Plain text (UTF-8, curly quotes as the releases use them) so the press office can paste it into
any template. The bullets carry the same words and punctuation as the report's summary.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from inspector_app.core.findings.wording import capitalise
from inspector_app.core.i18n import _, ngettext, speaking, translated
from inspector_app.core.plural import counted
from inspector_app.core.report import text as prose
from inspector_app.core.report.data import (
    CONCERNS_INTRO,
    STRENGTHS_INTRO,
    ReportData,
    bullet_lines,
)

BULLET = "  • "


def render_press_release(data: ReportData) -> str:
    """The press-release draft as text; placeholders in [brackets] are for the press office
    and the Chief Inspector to fill in. A final release has none: what is not written is left
    out (the quote, an unnamed speaker's name), never printed empty or bracketed."""
    with speaking(data.language):
        return _release(data)


def _release(data: ReportData) -> str:
    blocks: list[str] = [*draft_heading(data), headline(data), lead_paragraph(data)]
    blocks += ratings_blocks(data)
    blocks.append(purpose_paragraph(data))
    for intro, bullets in (
        (STRENGTHS_INTRO, data.press_strength_bullets),
        (CONCERNS_INTRO, data.press_concern_bullets),
    ):
        if bullets:
            blocks.append(translated(intro))
            blocks.append("\n".join(BULLET + line for line in bullets))
    if data.recommendations and not _all_placeholders(data.recommendations):
        blocks.append(recommendations_paragraph(data))
    if not data.final:
        blocks.append(_("{speaker} said:").format(speaker=data.chief_inspector))
        blocks.append(_("‘[Quote from the Chief Inspector to be added.]’"))
    blocks.append(_("Notes to editors:"))
    blocks.append("\n\n".join(f"{n}. {note}" for n, note in enumerate(notes(data), start=1)))
    return "\n\n".join(blocks) + "\n"


def draft_heading(data: ReportData) -> list[str]:
    """A draft release says so before anything else (a copy forwarded alone must not pass for
    one to publish), with its protective marking, on how much of the sample its figures rest
    while that is part of it, and whether its lists are still the app's proposals."""
    if data.final:
        return []
    marking = f" ({data.marking})" if data.marking else ""
    heading = [_("DRAFT: NOT FOR RELEASE{marking}").format(marking=marking)]
    base = figures_base(data)
    if base:
        heading.append(f"[{base}]")
    if data.summary_proposed:  # as the report's summary says of the same lists
        heading.append(prose.proposed_note())
    return heading


def figures_base(data: ReportData) -> str:
    """ "The figures rest on 27 of the 60 cases in the sample: 21 complete and 6 still in
    progress."; "" once they rest on every case, each complete."""
    if data.sample_size and data.cases_complete >= data.sample_size:
        return ""
    if data.cases_counted == 0:
        return counted(
            data.sample_size,
            "No case of the {n} in the sample has been counted yet.",
            "No case of the {n} in the sample has been counted yet.",
        )
    in_progress = data.cases_counted - data.cases_complete if data.include_in_progress else 0
    if in_progress <= 0:
        return counted(
            data.cases_complete,
            "The figures rest on the {n} complete case of the {sample} in the sample.",
            "The figures rest on the {n} complete cases of the {sample} in the sample.",
            sample=data.sample_size,
        )
    return counted(
        data.sample_size,
        "The figures rest on {counted} of the {n} case in the sample: {complete} complete and "
        "{in_progress} still in progress.",
        "The figures rest on {counted} of the {n} cases in the sample: {complete} complete and "
        "{in_progress} still in progress.",
        counted=data.cases_counted,
        complete=data.cases_complete,
        in_progress=in_progress,
    )


def headline(data: ReportData) -> str:
    """ "Inspection of adult offending work: Merseyside working well to prevent reoffending"."""
    title = _("{programme}: {organisation}").format(
        programme=_sentence_case(data.programme), organisation=data.organisation
    )
    return f"{title} {data.headline}" if data.headline else title


def lead_paragraph(data: ReportData) -> str:
    """ "Merseyside's work with adults who had offended was of a good standard, said ..."; for
    a framework that rates, "... was rated Good overall, said ..."."""
    if data.ratings is not None and data.ratings.overall_rating:
        return _(
            "{organisations} {work_phrase} was rated {rating} overall, said {speaker}, "
            "publishing the report of a recent inspection of {organisation}."
        ).format(
            organisations=_possessive(data.organisation),
            work_phrase=_after_possessive(data.work_phrase),
            rating=data.ratings.overall_rating,
            speaker=speaker(data),
            organisation=data.organisation,
        )
    judgement = data.judgement.rstrip(".")
    if not judgement and not data.final:
        judgement = _("[judgement to be decided]")
    if not judgement:
        return capitalise(
            _(
                "{speaker} has published the report of a recent inspection of {organisation}."
            ).format(speaker=speaker(data), organisation=data.organisation)
        )
    return _(
        "{organisations} {work_phrase} was of a {judgement} standard, said {speaker}, "
        "publishing the report of a recent inspection of {organisation}."
    ).format(
        organisations=_possessive(data.organisation),
        work_phrase=_after_possessive(data.work_phrase),
        judgement=judgement,
        speaker=speaker(data),
        organisation=data.organisation,
    )


def speaker(data: ReportData) -> str:
    """Who speaks for the report: "Alex Morgan, Chief Inspector of Probation"; without a name,
    "the Chief Inspector of Probation" (never "said , Chief Inspector")."""
    name = data.chief_inspector.strip()
    title = data.chief_inspector_title.strip()
    if name and title:
        return _("{name}, {title}").format(name=name, title=title)
    if name:
        return name
    if title:
        return _("the {title}").format(title=title)
    return data.inspectorate


def ratings_blocks(data: ReportData) -> list[str]:
    """The standards' ratings, for a framework that rates: an introduction and a bulleted
    list ("Assessment: Good;"), with the reason for any standard not rated."""
    ratings = data.ratings
    if ratings is None:
        return []
    items = []
    for standard in ratings.standards:
        if standard.rating is None:
            rating = _("not rated ({reason})").format(reason=standard.not_rated_reason)
        else:
            rating = standard.rating
        items.append(_("{title}: {rating}").format(title=standard.title, rating=rating))
    intro = ngettext(
        "Inspectors rated the standard as follows:",
        "Inspectors rated the standards as follows:",
        len(ratings.standards),
    )
    return [intro, "\n".join(BULLET + line for line in bullet_lines(items))]


def purpose_paragraph(data: ReportData) -> str:
    """What the inspection is for (the programme's words, from the report data) and the
    sample inspectors read."""
    series = ""
    if data.series_statement:
        series = _(" This inspection was {series}.").format(series=data.series_statement)
    examined = prose.examined(data)
    return " ".join(part for part in (data.purpose, examined) if part) + series


def recommendations_paragraph(data: ReportData) -> str:
    names = {*data.organisation.split(), *data.organisation_name.split()}
    items = [_clause(r, names) for r in data.recommendations]
    if len(items) == 1:  # "recommendations ..., including:" a list of one reads oddly
        return _(
            "Inspectors made one recommendation to assist {organisation} in its continuing "
            "improvement: {listed}."
        ).format(organisation=data.organisation, listed=items[0])
    listed = "; ".join(items[:-1]) + _("; and ") + items[-1]
    return _(
        "Inspectors made recommendations to assist {organisation} in its continuing "
        "improvement, including: {listed}."
    ).format(organisation=data.organisation, listed=listed)


def notes(data: ReportData) -> list[str]:
    programme = data.programme
    started = ""
    if data.programme_start:
        started = _(" that started in {start}").format(start=data.programme_start)
    return [
        _("View the report ({title}, PDF).").format(title=data.title),
        _(
            "This inspection of {work} in {organisation} was undertaken as part of "
            "{inspectorates} {programme} programme{started}, which will cover all "
            "geographical areas in England and Wales."
        ).format(
            work=programme.removeprefix("Inspection of ").lower(),
            organisation=data.organisation,
            inspectorates=_possessive(data.inspectorate_short),
            programme=programme,
            started=started,
        ),
        *([data.programme_focus] if data.programme_focus else []),
        *([base] if (base := figures_base(data)) and data.final else []),
        _("For further information or to request an interview, please contact {contact}.").format(
            contact=data.press_contact or _("the press office")
        ),
    ]


def _sentence_case(title: str) -> str:
    """ "Inspection of Adult Offending Work" -> "Inspection of adult offending work"."""
    return capitalise(title.lower())


def _after_possessive(phrase: str) -> str:
    """The work phrase after "Merseyside's": without a leading article ("the supervision of
    people on probation" -> "supervision of people on probation")."""
    first, _space, rest = phrase.partition(" ")
    return rest if first.lower() == "the" and rest else phrase


def _possessive(name: str) -> str:
    return f"{name}’" if name.endswith("s") else f"{name}’s"


def _clause(text: str, names: Collection[str] = ()) -> str:
    """A recommendation as a clause in a running sentence: lower-case first letter (unless an
    acronym or a name, such as the organisation's: "Merseyside should..."), no end
    punctuation."""
    text = text.strip().rstrip(".;")
    first = re.sub(r"(['’]s)?[,:;]?$", "", text.split(" ", 1)[0])  # "Merseyside's," -> name
    if len(text) > 1 and text[0].isupper() and text[1].islower() and first not in names:
        text = text[0].lower() + text[1:]
    return text


def _all_placeholders(items: tuple[str, ...]) -> bool:
    return all(i.startswith("[") and i.endswith("]") for i in items)
