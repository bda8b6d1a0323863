"""The report narrative: stored as revisions, proposals refreshed without losing the lead's work."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inspector_app.core.cases.history import value_history
from inspector_app.core.errors import NotFound, ValidationError
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.findings.figures import (
    Proposal,
    compute_findings,
    propose_strengths_and_concerns,
)
from inspector_app.core.narrative import parts as nv
from inspector_app.core.revisions.log import Kind, current_heads, write_revision
from tests.conftest import LEAD
from tests.report_helpers import MergedDemo, merged_demo, with_figures


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> MergedDemo:
    return merged_demo(tmp_path_factory.mktemp("narrative-demo"))


@pytest.fixture
def lead_file(demo: MergedDemo, tmp_path: Path):
    with InspectionFile.open(demo.copy_to(tmp_path)) as file:
        yield file


def codes(items: tuple[nv.NarrativeItem, ...]) -> list[str | None]:
    return [i.source_code for i in items]


# --- proposals ----------------------------------------------------------------------------------


def test_first_refresh_stores_the_proposals_in_framework_order(lead_file: InspectionFile) -> None:
    findings = compute_findings(lead_file)
    proposals = propose_strengths_and_concerns(findings)
    assert proposals.strengths and proposals.concerns

    narrative = nv.refresh_proposals(lead_file, findings)

    assert codes(narrative.strengths) == [p.code for p in proposals.strengths]
    assert codes(narrative.concerns) == [p.code for p in proposals.concerns]
    assert [i.text for i in narrative.strengths] == [p.sentence for p in proposals.strengths]
    assert not any(i.edited for i in narrative.strengths + narrative.concerns)


def test_refreshing_the_same_figures_records_nothing(lead_file: InspectionFile) -> None:
    findings = compute_findings(lead_file)
    nv.refresh_proposals(lead_file, findings)
    key = nv.narrative_key(lead_file, nv.STRENGTHS)
    before = len(value_history(lead_file, key))

    nv.refresh_proposals(lead_file, findings)

    assert len(value_history(lead_file, key)) == before == 1


def test_an_edited_item_is_kept_across_refreshes(lead_file: InspectionFile) -> None:
    findings = compute_findings(lead_file)
    first = nv.refresh_proposals(lead_file, findings)
    edited, untouched = first.strengths[0], first.strengths[1]
    nv.edit_item(lead_file, nv.STRENGTHS, edited.id, "work to deliver the sentence was effective")

    # More cases merged: both questions' figures move, and the edited one drops to a concern.
    moved = with_figures(findings, edited.source_code, 2, 20)
    moved = with_figures(moved, untouched.source_code, 30, 0)
    narrative = nv.refresh_proposals(lead_file, moved)

    kept = next(i for i in narrative.strengths if i.id == edited.id)
    assert kept.text == "work to deliver the sentence was effective"
    assert kept.edited
    refreshed = next(i for i in narrative.strengths if i.id == untouched.id)
    new_sentence = next(
        p.sentence
        for p in propose_strengths_and_concerns(moved).strengths
        if p.code == refreshed.source_code
    )
    assert refreshed.text == new_sentence
    if "always" not in untouched.text:  # the demo may have given it every case already
        assert refreshed.text != untouched.text
    assert not refreshed.edited


def test_set_items_marks_changed_text_as_edited(lead_file: InspectionFile) -> None:
    narrative = nv.refresh_proposals(lead_file, compute_findings(lead_file))
    items = list(narrative.concerns)
    items[0] = nv.NarrativeItem(items[0].id, "a rewritten concern", items[0].source_code, False)

    stored = nv.set_items(lead_file, nv.CONCERNS, items)

    assert stored.concerns[0].text == "a rewritten concern"
    assert stored.concerns[0].edited
    assert not stored.concerns[1].edited


def test_a_removed_proposal_is_never_added_again(lead_file: InspectionFile) -> None:
    findings = compute_findings(lead_file)
    narrative = nv.refresh_proposals(lead_file, findings)
    removed = narrative.concerns[1]

    after = nv.remove_item(lead_file, nv.CONCERNS, removed.id)
    assert removed.source_code in after.dismissed[nv.CONCERNS]

    # Even when the figures change and it is still (or again) proposed.
    refreshed = nv.refresh_proposals(lead_file, with_figures(findings, removed.source_code, 1, 20))
    assert removed.source_code not in codes(refreshed.concerns)
    assert removed.id not in [i.id for i in refreshed.concerns]

    restored = nv.restore_proposal(lead_file, nv.CONCERNS, removed.source_code)
    assert removed.source_code not in restored.dismissed[nv.CONCERNS]
    again = nv.refresh_proposals(lead_file, findings)
    assert removed.source_code in codes(again.concerns)


def test_removing_an_edited_proposal_dismisses_it_too(lead_file: InspectionFile) -> None:
    findings = compute_findings(lead_file)
    narrative = nv.refresh_proposals(lead_file, findings)
    target = narrative.strengths[2]
    nv.edit_item(lead_file, nv.STRENGTHS, target.id, "an edited strength")
    nv.remove_item(lead_file, nv.STRENGTHS, target.id)

    refreshed = nv.refresh_proposals(lead_file, findings)

    assert target.source_code not in codes(refreshed.strengths)
    assert "an edited strength" not in [i.text for i in refreshed.strengths]


def test_reordering_is_kept_across_refreshes(lead_file: InspectionFile) -> None:
    findings = compute_findings(lead_file)
    narrative = nv.refresh_proposals(lead_file, findings)
    last = narrative.strengths[-1]

    moved = nv.move_item(lead_file, nv.STRENGTHS, last.id, 0)
    order = [i.id for i in moved.strengths]
    assert order[0] == last.id

    own = nv.add_item(lead_file, nv.STRENGTHS, "victim contact work was undertaken appropriately")
    order = [i.id for i in own.strengths]
    refreshed = nv.refresh_proposals(lead_file, findings)

    assert [i.id for i in refreshed.strengths] == order
    assert refreshed.strengths[-1].text == "victim contact work was undertaken appropriately"
    assert refreshed.strengths[-1].source_code is None


def test_an_untouched_proposal_the_figures_no_longer_support_is_dropped(
    lead_file: InspectionFile,
) -> None:
    findings = compute_findings(lead_file)
    narrative = nv.refresh_proposals(lead_file, findings)
    fallen = narrative.strengths[0]

    refreshed = nv.refresh_proposals(lead_file, with_figures(findings, fallen.source_code, 3, 30))

    assert fallen.source_code not in codes(refreshed.strengths)
    assert fallen.source_code not in refreshed.dismissed[nv.STRENGTHS]  # not the lead's choice


def test_merge_proposals_rule_without_a_file() -> None:
    def proposal(code: str, sentence: str) -> Proposal:
        return Proposal(code, "strength", sentence, 9, 10, 9, "nearly all", False)

    items = [
        nv.NarrativeItem("own", "the lead's own strength"),
        nv.NarrativeItem("b", "old B", "B", edited=False),
        nv.NarrativeItem("c", "edited C", "C", edited=True),
        nv.NarrativeItem("d", "old D", "D", edited=False),
    ]
    proposed = [proposal("A", "new A"), proposal("B", "new B"), proposal("E", "new E")]

    merged = nv.merge_proposals(items, proposed, dismissed=["E"], part=nv.STRENGTHS)

    assert [(i.source_code, i.text) for i in merged] == [
        (None, "the lead's own strength"),
        ("B", "new B"),
        ("C", "edited C"),
        ("A", "new A"),
    ]


# --- text parts, history, files -------------------------------------------------------------------


def test_history_of_narrative_text(lead_file: InspectionFile) -> None:
    for text in ("good", "reasonable", "good"):
        nv.set_text(lead_file, nv.JUDGEMENT, text)
    nv.set_text(lead_file, nv.JUDGEMENT, "good")  # unchanged: no revision

    history = value_history(lead_file, nv.narrative_key(lead_file, nv.JUDGEMENT))

    assert [h.value for h in history] == ["good", "reasonable", "good"]
    assert all(h.author == LEAD for h in history)
    assert [h.is_head for h in history] == [False, False, True]


def test_chapter_commentary_and_report_date(lead_file: InspectionFile) -> None:
    nv.set_text(lead_file, nv.chapter_part("1.2"), "  Risk assessments were often late.  ")
    nv.set_text(lead_file, nv.REPORT_DATE, "2027-02")

    narrative = nv.load_narrative(lead_file)

    assert narrative.chapter("1.2") == "Risk assessments were often late."
    assert narrative.text(nv.chapter_part("1.2")) == narrative.chapter("1.2")
    assert narrative.report_date == "2027-02"
    with pytest.raises(NotFound):
        nv.set_text(lead_file, nv.chapter_part("Z"), "no such section")
    with pytest.raises(ValidationError):
        nv.set_text(lead_file, nv.REPORT_DATE, "February")


def test_narrative_survives_close_and_reopen(demo: MergedDemo, tmp_path: Path) -> None:
    path = demo.copy_to(tmp_path)
    with InspectionFile.open(path) as file:
        nv.refresh_proposals(file, compute_findings(file))
        nv.set_text(file, nv.FOREWORD, "First paragraph.\n\nSecond — with “quotes” & <marks>.")
        nv.add_item(file, nv.RECOMMENDATIONS, "Improve the quality of risk management plans.")
        nv.set_final(file, True)
        written = nv.load_narrative(file)

    with InspectionFile.open(path) as file:
        reread = nv.load_narrative(file)

    assert reread == written
    assert reread.final
    assert reread.foreword.endswith("& <marks>.")
    assert reread.has(nv.RECOMMENDATIONS) and not reread.has(nv.HEADLINE)


def test_final_flag_can_be_withdrawn(lead_file: InspectionFile) -> None:
    assert not nv.load_narrative(lead_file).final
    assert nv.set_final(lead_file, True).final
    assert not nv.set_final(lead_file, False).final


def test_items_are_validated(lead_file: InspectionFile) -> None:
    with pytest.raises(ValidationError):
        nv.set_items(lead_file, nv.RECOMMENDATIONS, [{"text": "   "}])
    with pytest.raises(ValidationError):
        nv.set_items(
            lead_file, nv.RECOMMENDATIONS, [{"id": "x", "text": "a"}, {"id": "x", "text": "b"}]
        )
    with pytest.raises(NotFound):
        nv.set_items(lead_file, "judgement", [])
    with pytest.raises(NotFound):
        nv.set_text(lead_file, nv.STRENGTHS, "not a text part")
    with pytest.raises(NotFound):
        nv.remove_item(lead_file, nv.RECOMMENDATIONS, "missing")


def test_no_figures_no_proposals_nothing_written(new_master: InspectionFile) -> None:
    narrative = nv.refresh_proposals(new_master, compute_findings(new_master))

    assert narrative.strengths == () and not narrative.has(nv.STRENGTHS)


def test_conflicting_narrative_is_flagged_and_resolved_by_writing(
    lead_file: InspectionFile,
) -> None:
    """Two people who changed the headline from the same starting point leave a conflict (as
    after a merge); writing the part again resolves it."""
    nv.set_text(lead_file, nv.HEADLINE, "working well")
    key = nv.narrative_key(lead_file, nv.HEADLINE)
    base = current_heads(lead_file.db.raw, key)
    author = lead_file.author_id()
    with lead_file.db.write() as conn:
        for value in ("working well to prevent reoffending", "doing well"):
            write_revision(
                conn,
                record_key=key,
                kind=Kind.NARRATIVE,
                case_key=None,
                field=nv.HEADLINE,
                value=value,
                note="",
                author=author,
                hlc=lead_file.clock.tick(),
                parents=base,
            )
    assert nv.HEADLINE in nv.load_narrative(lead_file).conflicted

    resolved = nv.set_text(lead_file, nv.HEADLINE, "doing well")

    assert nv.HEADLINE not in resolved.conflicted
    assert resolved.headline == "doing well"
    assert len(current_heads(lead_file.db.raw, key)) == 1


# --- the refresh rule, for any list -------------------------------------------------------------

CODES = ("A1", "A2", "B1", "B2", "C1", "D1")


@st.composite
def refresh_inputs(draw: st.DrawFn):
    listed = draw(st.lists(st.sampled_from(CODES), unique=True))
    items = [
        nv.NarrativeItem(f"id-{code}", f"text {code}", code, edited=draw(st.booleans()))
        for code in listed
    ]
    for index in range(draw(st.integers(0, 2))):
        items.insert(draw(st.integers(0, len(items))), nv.NarrativeItem(f"own-{index}", "mine"))
    proposed = draw(st.lists(st.sampled_from(CODES), unique=True))
    unlisted = [c for c in CODES if c not in listed]
    dismissed = draw(st.lists(st.sampled_from(unlisted), unique=True)) if unlisted else []
    return items, proposed, dismissed


@given(refresh_inputs())
def test_refresh_rule_properties(inputs) -> None:
    items, proposed, dismissed = inputs
    proposals = [
        Proposal(code, "strength", f"new {code}", 9, 10, 9, "nearly all", False)
        for code in proposed
    ]

    result = nv.merge_proposals(items, proposals, dismissed, nv.STRENGTHS)

    kept = [i for i in items if i.edited or i.source_code is None]
    assert [i for i in result if i in kept] == kept  # the lead's work, untouched and in order
    codes_out = [i.source_code for i in result if i.source_code]
    assert len(codes_out) == len(set(codes_out))
    assert set(codes_out) == {i.source_code for i in kept if i.source_code} | (
        set(proposed) - set(dismissed)
    )
    before = {i.id for i in items}
    new = [i for i in result if i.id not in before]
    assert all(i.source_code not in dismissed and not i.edited for i in new)
    order = [i.id for i in result if i.id in before]
    assert order == [i.id for i in items if i.id in set(order)]  # nothing reordered


# --- a proposal kept as written -----------------------------------------------------------------


def test_a_kept_proposal_stays_kept_until_a_refresh_words_it_differently() -> None:
    def proposal(code: str, sentence: str) -> Proposal:
        return Proposal(code, "strength", sentence, 9, 10, 9, "nearly all", False)

    items = [
        nv.NarrativeItem("a", "A as proposed", "A", kept=True),
        nv.NarrativeItem("b", "B as proposed", "B", kept=True),
    ]
    proposed = [proposal("A", "A as proposed"), proposal("B", "B, the figures moved")]

    merged = nv.merge_proposals(items, proposed, dismissed=[], part=nv.STRENGTHS)

    assert [(i.text, i.kept, i.reviewed) for i in merged] == [
        ("A as proposed", True, True),
        ("B, the figures moved", False, False),  # to be read again
    ]


def test_keeping_a_proposal_marks_it_reviewed_without_changing_its_words(
    lead_file: InspectionFile,
) -> None:
    narrative = nv.refresh_proposals(lead_file, compute_findings(lead_file))
    first, second = narrative.strengths[0], narrative.strengths[1]
    assert not first.reviewed

    kept = nv.keep_items(lead_file, nv.STRENGTHS, [first.id])

    assert kept.strengths[0].text == first.text and kept.strengths[0].kept
    assert kept.strengths[0].reviewed and not kept.strengths[0].edited
    assert not kept.strengths[1].reviewed and kept.strengths[1].id == second.id
    # The same figures again: nothing changes, the item stays kept.
    again = nv.refresh_proposals(lead_file, compute_findings(lead_file))
    assert again.strengths[0].kept
    # An item never kept is written as before (no "kept" key): a list's bytes do not move.
    assert "kept" not in second.to_json() and kept.strengths[0].to_json()["kept"] is True
