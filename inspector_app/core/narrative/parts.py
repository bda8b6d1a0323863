"""The report narrative: what the lead writes around the figures, stored as revisions.

The words of a report are as much the inspection's record as the answers, so every part is a
revision (kind narrative, keyed on the inspection): it has history, merges and raises conflicts
like an answer does. A text part is one string; a list part (strengths, areas for improvement,
recommendations) is one JSON value holding its items in reading order, each
`{id, text, source_code, edited}`, so reordering is one revision and the order is never lost.

The app proposes strengths and areas for improvement from the figures; the lead keeps, edits,
reorders or removes them. Refreshing the proposals after more cases are merged updates only the
sentences nobody touched: an edited item (`edited=True`) is never overwritten, and a proposal
the lead removed is remembered (in the list's `dismissed` part) and never comes back unless
restored.

Every writer takes `author`, a team member's name (None: the file's owner, or the master's
lead), and returns the new `Narrative`, which is all a view needs to redraw.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import cast

from inspector_app.core.errors import NotFound, ValidationError
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.findings.figures import Findings, Proposal, propose_strengths_and_concerns
from inspector_app.core.revisions import ids
from inspector_app.core.revisions.current import report_values, value_of
from inspector_app.core.revisions.log import Kind, decode_value, encode_value, write_revision

# --- the parts ----------------------------------------------------------------------------------

JUDGEMENT = "judgement"  # the headline judgement: completes "work ... was of a ___ standard"
HEADLINE = "headline"  # the press headline after the organisation: "working well to ..."
FOREWORD = "foreword"
REPORT_DATE = "report_date"  # month of publication, "YYYY-MM" (the report's date is data)
STRENGTHS = "strengths"  # "Inspectors were pleased to find that:"
CONCERNS = "concerns"  # "However, inspectors were concerned to find that:"
RECOMMENDATIONS = "recommendations"
FINAL = "final"  # the report is marked final: no DRAFT watermark, final marking
# Why the report was marked final with cases not complete (see core.publication_gate); it is
# printed in the inspection arrangements of the final report. Written only with FINAL.
OVERRIDE = "final_override"
# Why the master (and so the fieldwork files it exports) is not encrypted: every file holds
# offenders' data, so leaving it open is a decision on the record, with history and an author.
# Written by the New Inspection wizard; not a text part (the report never prints it).
UNENCRYPTED_REASON = "unencrypted_reason"
CHAPTER_PREFIX = "chapter:"
# The report settings (the Chief Inspector's name, the markings...) are narrative parts too,
# `setting.<key>`, so they have history and merge like the words they sit beside (see
# core.report_settings for the keys and their defaults).
SETTING_PREFIX = "setting."
# Parts with a structure of their own, written whole by their owning module through
# `write_part` (core.practice_examples owns "practice_examples").
PRACTICE_EXAMPLES = "practice_examples"
# The lead's adjusted ratings, with their justifications (core.narrative.rating_overrides).
RATING_OVERRIDES = "rating_overrides"
STRUCTURED_PARTS = (PRACTICE_EXAMPLES, RATING_OVERRIDES)

TEXT_PARTS = (JUDGEMENT, HEADLINE, FOREWORD, REPORT_DATE)
LIST_PARTS = (STRENGTHS, CONCERNS, RECOMMENDATIONS)
PROPOSED_PARTS = (STRENGTHS, CONCERNS)
_DISMISSED_SUFFIX = ".dismissed"
_ITEM_NAMESPACE = uuid.UUID("2c4f8f0e-5b1d-4a57-9d0b-3a7e61c2b9d4")


def chapter_part(section_code: str) -> str:
    """The part holding the commentary of one framework section's chapter."""
    return f"{CHAPTER_PREFIX}{section_code}"


def setting_part(key: str) -> str:
    """The part holding one report setting."""
    return f"{SETTING_PREFIX}{key}"


def control_character_problem(text: str, *, multiline: bool = False) -> str | None:
    """What is wrong with text that holds a control character (None when it has none): a
    name or a one-line part may hold none at all; a multi-line part may hold line breaks and
    tabs, nothing else."""
    allowed = "\n\r\t" if multiline else ""
    for ch in text:
        if (ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0) and ch not in allowed:
            return f"holds a control character ({ascii(ch)[1:-1]})"
        if ch in "\u2028\u2029" and not multiline:
            return "holds a line break"
    return None


def narrative_key(file: InspectionFile, part: str) -> str:
    """Record key of a narrative part (for `history.value_history`)."""
    return ids.record_key(file.inspection.id, Kind.NARRATIVE, part)


# --- read model ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class NarrativeItem:
    """One bullet or recommendation. `source_code` is the question a proposal came from (None
    for an item the lead wrote); `edited` is True once a person changed the text, which
    protects it from every later refresh; `kept` is True once the lead read a proposal and
    kept it as the app wrote it (a refresh that words it differently asks again)."""

    id: str
    text: str
    source_code: str | None = None
    edited: bool = False
    kept: bool = False

    @property
    def reviewed(self) -> bool:
        """Whether a person stands behind the words: the lead's own, edited or kept."""
        return not self.source_code or self.edited or self.kept

    def to_json(self) -> dict[str, object]:
        kept: dict[str, object] = {"kept": True} if self.kept else {}
        return {
            "id": self.id,
            "text": self.text,
            "source_code": self.source_code,
            "edited": self.edited,
            **kept,  # written only when kept: a list written before keeps its bytes
        }

    @classmethod
    def from_json(cls, raw: Mapping[str, object]) -> NarrativeItem:
        source = raw.get("source_code")
        return cls(
            id=str(raw["id"]),
            text=str(raw.get("text", "")),
            source_code=str(source) if source else None,
            edited=bool(raw.get("edited", False)),
            kept=bool(raw.get("kept", False)),
        )


@dataclass(frozen=True)
class Narrative:
    """The current narrative. Text parts never written are "" and list parts never written are
    empty; `stored` names the parts that have a value, so a report can tell "the lead removed
    every strength" from "nobody has looked at the strengths yet". `conflicted` names parts
    with two differing heads (the current value shown is the newest head)."""

    judgement: str = ""
    headline: str = ""
    foreword: str = ""
    report_date: str = ""
    strengths: tuple[NarrativeItem, ...] = ()
    concerns: tuple[NarrativeItem, ...] = ()
    recommendations: tuple[NarrativeItem, ...] = ()
    chapters: Mapping[str, str] = field(default_factory=dict)
    final: bool = False
    dismissed: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    stored: frozenset[str] = frozenset()
    conflicted: frozenset[str] = frozenset()
    override_reason: str = ""  # why it was marked final with cases not complete ("" if not)
    unencrypted_reason: str = ""  # why the file is not encrypted ("" if none was recorded)
    settings: Mapping[str, str] = field(default_factory=dict)  # stored report settings by key
    values: Mapping[str, object] = field(default_factory=dict, compare=False, repr=False)

    def items(self, part: str) -> tuple[NarrativeItem, ...]:
        _check_list_part(part)
        items: tuple[NarrativeItem, ...] = getattr(self, part)
        return items

    def text(self, part: str) -> str:
        if part.startswith(CHAPTER_PREFIX):
            return self.chapters.get(part.removeprefix(CHAPTER_PREFIX), "")
        _check_text_part(part)
        text: str = getattr(self, part)
        return text

    def chapter(self, section_code: str) -> str:
        return self.chapters.get(section_code, "")

    def has(self, part: str) -> bool:
        """True if the part has ever been written."""
        return part in self.stored


def load_narrative(file: InspectionFile) -> Narrative:
    """The current value of every narrative part, in one query."""
    values: dict[str, object] = {}
    conflicted: set[str] = set()
    for part, value, is_conflicted in report_values(file.db.raw, Kind.NARRATIVE):
        values[part] = decode_value(value)
        if is_conflicted:
            conflicted.add(part)
    return _narrative_from(values, frozenset(conflicted))


def _narrative_from(values: Mapping[str, object], conflicted: frozenset[str]) -> Narrative:
    def text(part: str) -> str:
        value = values.get(part)
        return value if isinstance(value, str) else ""

    def items(part: str) -> tuple[NarrativeItem, ...]:
        value = values.get(part)
        if not isinstance(value, list):
            return ()
        return tuple(NarrativeItem.from_json(v) for v in value if isinstance(v, dict) and "id" in v)

    chapters = {
        part.removeprefix(CHAPTER_PREFIX): value
        for part, value in sorted(values.items())
        if part.startswith(CHAPTER_PREFIX) and isinstance(value, str) and value.strip()
    }

    def dismissed_ids(part: str) -> Iterable[object]:
        # written by _write_list as a sorted list of item ids
        return cast("Iterable[object]", values.get(part + _DISMISSED_SUFFIX) or ())

    dismissed = {part: tuple(sorted(str(c) for c in dismissed_ids(part))) for part in LIST_PARTS}
    return Narrative(
        judgement=text(JUDGEMENT),
        headline=text(HEADLINE),
        foreword=text(FOREWORD),
        report_date=text(REPORT_DATE),
        strengths=items(STRENGTHS),
        concerns=items(CONCERNS),
        recommendations=items(RECOMMENDATIONS),
        chapters=chapters,
        final=values.get(FINAL) is True,
        dismissed=dismissed,
        stored=frozenset(values),
        conflicted=conflicted,
        override_reason=text(OVERRIDE),
        unencrypted_reason=text(UNENCRYPTED_REASON),
        values=dict(values),
        settings={
            part.removeprefix(SETTING_PREFIX): value
            for part, value in sorted(values.items())
            if part.startswith(SETTING_PREFIX) and isinstance(value, str)
        },
    )


# --- writing ------------------------------------------------------------------------------------


def set_text(
    file: InspectionFile, part: str, text: str, *, note: str = "", author: str | None = None
) -> Narrative:
    """Write a text part (the judgement, headline, foreword, report date or a chapter's
    commentary, see `chapter_part`). Writing the same text again records nothing."""
    return set_texts(file, {part: text}, note=note, author=author)


def set_texts(
    file: InspectionFile,
    texts: Mapping[str, str],
    *,
    lists: Mapping[str, Sequence[NarrativeItem | Mapping[str, object]]] | None = None,
    note: str = "",
    author: str | None = None,
) -> Narrative:
    """Write several parts in one transaction, all or none: text parts (as `set_text`),
    report settings (`setting_part`, checked by core.report_settings) and, in `lists`, list
    parts (as `set_items`). Every part is checked before anything is written."""
    cleaned = check_texts(file, texts)
    current = load_narrative(file)
    prepared = {
        part: _prepared_items(current, part, items) for part, items in (lists or {}).items()
    }
    with file.db.write() as conn:
        for part, value in cleaned.items():
            _write(file, conn, part, value, note, author)
        for part, (kept, dismissed) in prepared.items():
            _write_list(file, conn, part, kept, dismissed, current, note, author)
    return load_narrative(file)


def check_texts(file: InspectionFile, texts: Mapping[str, str]) -> dict[str, str]:
    """The text parts as `set_texts` would write them (stripped), or the error it would
    raise; writes nothing (so a caller can check on a file opened read-only)."""
    cleaned: dict[str, str] = {}
    for part, text in texts.items():
        _check_writable_text_part(file, part)
        if not isinstance(text, str):
            raise ValidationError(f"{part}: expected text")
        value = text.strip()
        if part == REPORT_DATE and value:
            _check_report_date(value)
        cleaned[part] = value
    return cleaned


def set_final(
    file: InspectionFile,
    final: bool,
    *,
    override_reason: str = "",
    author: str | None = None,
) -> Narrative:
    """Mark the report final (or back to draft); the renderer drops DRAFT when final. Marking
    it final also records `override_reason` (why it is final with cases not complete; "" for
    none). This writes unchecked: core.publication_gate.mark_final checks first."""
    current = load_narrative(file)
    with file.db.write() as conn:
        _write(file, conn, FINAL, bool(final), "", author)
        if final and (override_reason.strip() or current.has(OVERRIDE)):
            _write(file, conn, OVERRIDE, override_reason.strip(), "", author)
    return load_narrative(file)


def check_unencrypted_reason(reason: str | None) -> str:
    """The reason for not encrypting as it is recorded (stripped), or ValidationError (None:
    no reason given): leaving offenders' data unencrypted needs words a reader can see, on
    one line."""
    text = reason.strip() if isinstance(reason, str) else ""
    if not text:
        raise ValidationError(
            "a file left unencrypted needs a reason (every file holds offenders' data)"
        )
    problem = control_character_problem(text)
    if problem:
        raise ValidationError(f"the reason for not encrypting {problem}")
    return text


def record_unencrypted_reason(
    file: InspectionFile, reason: str, *, author: str | None = None
) -> Narrative:
    """Record why the file is not encrypted, as a revision, so the decision keeps its author
    and history and travels with the inspection. Refuses (ValidationError, nothing written)
    a reason that is empty or holds a control character."""
    text = check_unencrypted_reason(reason)
    with file.db.write() as conn:
        _write(file, conn, UNENCRYPTED_REASON, text, "", author)
    return load_narrative(file)


def set_items(
    file: InspectionFile,
    part: str,
    items: Sequence[NarrativeItem | Mapping[str, object]],
    *,
    note: str = "",
    author: str | None = None,
) -> Narrative:
    """Replace a list part with `items` in the given order (the lead's reorder, edit, add and
    remove all come through here). An item whose text differs from what its id held before is
    marked edited; a proposed item that is left out is remembered as dismissed, so refreshing
    the proposals never brings it back."""
    current = load_narrative(file)
    kept, dismissed = _prepared_items(current, part, items)
    with file.db.write() as conn:
        _write_list(file, conn, part, kept, dismissed, current, note, author)
    return load_narrative(file)


def _prepared_items(
    current: Narrative, part: str, items: Sequence[NarrativeItem | Mapping[str, object]]
) -> tuple[list[NarrativeItem], set[str]]:
    """The list `set_items` writes and the proposals it then remembers as dismissed."""
    _check_list_part(part)
    new_items = [_as_item(i) for i in items]
    _check_items(part, new_items)
    before = {i.id: i for i in current.items(part)}
    kept: list[NarrativeItem] = []
    for item in new_items:
        old = before.get(item.id)
        if old is not None and item.text != old.text and not item.edited:
            item = replace(item, edited=True)
        kept.append(item)
    dismissed = set(current.dismissed.get(part, ()))
    kept_ids = {i.id for i in kept}
    kept_codes = {i.source_code for i in kept if i.source_code}
    dismissed |= {
        i.source_code
        for i in current.items(part)
        if i.source_code and i.id not in kept_ids and i.source_code not in kept_codes
    }
    dismissed -= kept_codes
    return kept, dismissed


def add_item(file: InspectionFile, part: str, text: str, *, author: str | None = None) -> Narrative:
    """Append an item the lead wrote (a recommendation, an extra strength)."""
    current = load_narrative(file)
    item = NarrativeItem(id=ids.new_id(), text=text.strip(), source_code=None, edited=True)
    return set_items(file, part, [*current.items(part), item], author=author)


def edit_item(
    file: InspectionFile, part: str, item_id: str, text: str, *, author: str | None = None
) -> Narrative:
    """Change one item's text; it is then edited and kept across refreshes."""
    current = load_narrative(file)
    items = list(current.items(part))
    index = _index_of(items, item_id, part)
    items[index] = replace(items[index], text=text.strip(), edited=True)
    return set_items(file, part, items, author=author)


_LIST_TITLES = {STRENGTHS: "strengths", CONCERNS: "areas for improvement"}


def keep_items(
    file: InspectionFile, part: str, item_ids: Iterable[str], *, author: str | None = None
) -> Narrative:
    """Keep proposals as the app wrote them: the lead has read them and stands behind the
    words (the items the lead wrote or edited need nothing). Refused for a list never drafted
    (the report prints the app's proposals in its place: they are to be drafted and read
    first), and nothing is written when nothing changes."""
    current = load_narrative(file)
    if not current.has(part):
        raise ValidationError(
            f"the {_LIST_TITLES.get(part, part)} were never drafted: draft them on the Report "
            "screen (the proposals appear there), or write them with narrative --set-from"
        )
    items = list(current.items(part))
    before = list(items)
    for item_id in item_ids:
        index = _index_of(items, item_id, part)
        if not items[index].reviewed:
            items[index] = replace(items[index], kept=True)
    if items == before:
        return current
    return set_items(file, part, items, author=author)


def remove_item(
    file: InspectionFile, part: str, item_id: str, *, author: str | None = None
) -> Narrative:
    """Remove one item; a removed proposal stays dismissed."""
    current = load_narrative(file)
    items = list(current.items(part))
    del items[_index_of(items, item_id, part)]
    return set_items(file, part, items, author=author)


def move_item(
    file: InspectionFile, part: str, item_id: str, position: int, *, author: str | None = None
) -> Narrative:
    """Move one item to `position` (0-based, clamped to the list)."""
    current = load_narrative(file)
    items = list(current.items(part))
    item = items.pop(_index_of(items, item_id, part))
    items.insert(max(0, min(position, len(items))), item)
    return set_items(file, part, items, author=author)


def restore_proposal(
    file: InspectionFile, part: str, source_code: str, *, author: str | None = None
) -> Narrative:
    """Forget that a proposal was dismissed, so the next refresh may propose it again."""
    _check_list_part(part)
    current = load_narrative(file)
    dismissed = set(current.dismissed.get(part, ())) - {source_code}
    with file.db.write() as conn:
        _write_list(file, conn, part, list(current.items(part)), dismissed, current, "", author)
    return load_narrative(file)


def refresh_proposals(
    file: InspectionFile, findings: Findings, *, n: int = 5, author: str | None = None
) -> Narrative:
    """Bring the proposed strengths and areas for improvement up to date with `findings`.

    Per list: an unedited proposed item still proposed gets the new sentence (the figures may
    have moved); an unedited proposed item no longer proposed is dropped; edited items and the
    lead's own items are kept as they are, where they are; proposals not yet in the list and
    not dismissed are appended, in framework order. Nothing is written if nothing changed.
    """
    proposals = propose_strengths_and_concerns(findings, n)
    current = load_narrative(file)
    with file.db.write() as conn:
        for part, proposed in (
            (STRENGTHS, proposals.strengths),
            (CONCERNS, proposals.concerns),
        ):
            items = merge_proposals(
                current.items(part), proposed, current.dismissed.get(part, ()), part
            )
            if not items and not current.has(part):
                continue  # nothing proposed yet: leave the part unwritten
            dismissed = set(current.dismissed.get(part, ()))
            _write_list(file, conn, part, items, dismissed, current, "proposals refreshed", author)
    return load_narrative(file)


def merge_proposals(
    items: Iterable[NarrativeItem],
    proposed: Iterable[Proposal],
    dismissed: Iterable[str],
    part: str,
) -> list[NarrativeItem]:
    """The rule of `refresh_proposals` as a pure function (so it can be tested and previewed
    without a file)."""
    by_code = {p.code: p for p in proposed}
    dismissed_codes = set(dismissed)
    result: list[NarrativeItem] = []
    present: set[str] = set()
    for item in items:
        code = item.source_code
        if code:
            present.add(code)
        if item.edited or not code:
            result.append(item)
        elif code in by_code:
            sentence = by_code[code].sentence
            # Kept as it was worded: reworded (the figures moved), it is to be read again.
            result.append(replace(item, text=sentence, kept=item.kept and sentence == item.text))
        # else: an untouched proposal the figures no longer support is dropped
    for code, proposal in by_code.items():
        if code not in present and code not in dismissed_codes:
            result.append(
                NarrativeItem(
                    id=proposal_item_id(part, code),
                    text=proposal.sentence,
                    source_code=code,
                    edited=False,
                )
            )
    return result


def proposal_item_id(part: str, code: str) -> str:
    """A proposed item's id, the same in every file, so two people who refresh the same
    proposals produce the same item."""
    return uuid.uuid5(_ITEM_NAMESPACE, f"{part}\x1f{code}").hex


# --- internals ----------------------------------------------------------------------------------


def write_part(
    file: InspectionFile, part: str, value: object, *, author: str | None = None
) -> bool:
    """Write one structured part whole (its owning module has checked it); True if it
    changed."""
    if part not in STRUCTURED_PARTS:
        raise NotFound(f"no structured narrative part {part!r}")
    with file.db.write() as conn:
        return _write(file, conn, part, value, "", author)


def _write(
    file: InspectionFile,
    conn: sqlite3.Connection,
    part: str,
    value: object,
    note: str,
    author: str | None,
) -> bool:
    """One revision of a part, unless it already holds exactly this value (a conflicted part
    is always written: writing it resolves the conflict)."""
    key = narrative_key(file, part)
    row = value_of(conn, key)
    if row is not None and row[0] == encode_value(value) and not row[1]:
        return False
    write_revision(
        conn,
        record_key=key,
        kind=Kind.NARRATIVE,
        case_key=None,
        field=part,
        value=value,
        note=note,
        author=file.author_id(author),
        hlc=file.clock.tick(),
    )
    return True


def _write_list(
    file: InspectionFile,
    conn: sqlite3.Connection,
    part: str,
    items: Sequence[NarrativeItem],
    dismissed: set[str],
    current: Narrative,
    note: str,
    author: str | None,
) -> None:
    _write(file, conn, part, [i.to_json() for i in items], note, author)
    dismissed_part = part + _DISMISSED_SUFFIX
    if dismissed or current.has(dismissed_part):
        _write(file, conn, dismissed_part, sorted(dismissed), note, author)


def _as_item(raw: NarrativeItem | Mapping[str, object]) -> NarrativeItem:
    if isinstance(raw, NarrativeItem):
        item = raw
    else:
        if "id" not in raw:
            raw = {**raw, "id": ids.new_id()}
        item = NarrativeItem.from_json(raw)
    return replace(item, text=item.text.strip())


def _check_items(part: str, items: Sequence[NarrativeItem]) -> None:
    seen: set[str] = set()
    for position, item in enumerate(items, start=1):
        if not item.text:
            raise ValidationError(f"{_PART_LABELS[part]}: item {position} has no text")
        if item.id in seen:
            raise ValidationError(f"{_PART_LABELS[part]}: item {position} repeats an id")
        seen.add(item.id)


def _index_of(items: Sequence[NarrativeItem], item_id: str, part: str) -> int:
    for index, item in enumerate(items):
        if item.id == item_id:
            return index
    raise NotFound(f"{_PART_LABELS[part]}: no such item")


def _check_list_part(part: str) -> None:
    if part not in LIST_PARTS:
        raise NotFound(f"no narrative list {part!r} (expected {', '.join(LIST_PARTS)})")


def _check_writable_text_part(file: InspectionFile, part: str) -> None:
    if part.startswith(CHAPTER_PREFIX):
        code = part.removeprefix(CHAPTER_PREFIX)
        if not any(c.code == code for c in file.framework.criteria()):
            known = ", ".join(c.code for c in file.framework.criteria())
            raise NotFound(f"the report has no chapter {code!r} (its criteria are {known})")
    elif part.startswith(SETTING_PREFIX):
        if not part.removeprefix(SETTING_PREFIX):
            raise NotFound("a report setting needs a key")
    else:
        _check_text_part(part)


def _check_text_part(part: str) -> None:
    if part not in TEXT_PARTS:
        expected = ", ".join((*TEXT_PARTS, CHAPTER_PREFIX + "CODE"))
        raise NotFound(f"no narrative text {part!r} (expected {expected})")


def _check_report_date(text: str) -> None:
    parts = text.split("-")
    ok = len(parts) in (2, 3) and all(p.isdigit() for p in parts) and len(parts[0]) == 4
    if ok:
        ok = 1 <= int(parts[1]) <= 12 and (len(parts) == 2 or 1 <= int(parts[2]) <= 31)
    if not ok:
        raise ValidationError(f"report date: '{text}' is not a month such as 2027-02")


_PART_LABELS = {
    STRENGTHS: "Strengths",
    CONCERNS: "Areas for improvement",
    RECOMMENDATIONS: "Recommendations",
}
