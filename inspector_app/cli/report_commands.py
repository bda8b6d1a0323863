"""The report's words and settings on the command line: `report-settings`, `narrative`,
`complete`, and the publication gate behind `report --final`.

Every command checks all it is given before it writes, and a refusal changes nothing (the
master is opened read-only until there is something to write)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from inspector_app.core.errors import ValidationError
from inspector_app.core.i18n import N_, _, translated
from inspector_app.core.plural import counted

if TYPE_CHECKING:
    from inspector_app.core.files.inspection_file import InspectionFile
    from inspector_app.core.narrative.parts import Narrative, NarrativeItem

PASSPHRASE_HELP = N_("read the passphrase of an encrypted file from F (first line)")
COMMANDS = ("report-settings", "narrative", "complete")

# The narrative's parts as a TOML file names them (see `narrative --set-from`).
TEXT_KEYS = ("judgement", "headline", "foreword", "report_date")
LIST_KEYS = ("strengths", "concerns", "recommendations")
CHAPTERS_KEY = "chapters"
NARRATIVE_KEYS = (*TEXT_KEYS, *LIST_KEYS, CHAPTERS_KEY)
_MULTILINE = ("foreword",)


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "report-settings",
        help=_("show or change the report settings (Chief Inspector, markings, press office...)"),
    )
    p.add_argument("master", type=Path)
    p.add_argument("--passphrase-file", type=Path, metavar="F", help=translated(PASSPHRASE_HELP))
    p.add_argument("--json", action="store_true")
    p.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help=_("change a setting (repeatable; an empty VALUE clears it)"),
    )
    p.add_argument(
        "--from", dest="from_file", type=Path, metavar="FILE.toml", help=_('key = "value" lines')
    )
    p.set_defaults(handler=cmd_report_settings)

    p = sub.add_parser("narrative", help=_("show the report's narrative, or write it from TOML"))
    p.add_argument("master", type=Path)
    p.add_argument("--passphrase-file", type=Path, metavar="F", help=translated(PASSPHRASE_HELP))
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--show", action="store_true", help=_("print every part"))
    what.add_argument(
        "--set-from",
        type=Path,
        metavar="FILE.toml",
        help=_("write the parts the file names: ") + ", ".join(NARRATIVE_KEYS),
    )
    what.add_argument(
        "--keep",
        metavar="PART[:N,N]",
        help=_(
            "keep proposals as the app wrote them, once read: strengths or concerns, and the "
            "items' numbers as --show lists them (none: every proposal of the part)"
        ),
    )
    p.add_argument("--json", action="store_true", help=_("with --show: as JSON"))
    p.set_defaults(handler=cmd_narrative)

    p = sub.add_parser("complete", help=_("mark cases complete (or reopen them)"))
    p.add_argument("file", type=Path)
    p.add_argument("--passphrase-file", type=Path, metavar="F", help=translated(PASSPHRASE_HELP))
    p.add_argument("cases", nargs="*", metavar="CASE", help=_("sample numbers"))
    p.add_argument("--all", action="store_true", help=_("every case in the file"))
    p.add_argument("--reopen", action="store_true", help=_("mark them not complete again"))
    p.set_defaults(handler=cmd_complete)


def _open(ns: argparse.Namespace, path: Path, readonly: bool = False) -> InspectionFile:
    from inspector_app.cli.main import read_passphrase_file
    from inspector_app.core.files.inspection_file import InspectionFile

    passphrase = read_passphrase_file(getattr(ns, "passphrase_file", None))
    return InspectionFile.open(path, readonly=readonly, passphrase=passphrase)


def _print_json(data: object) -> None:
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


def _printable(text: str) -> str:
    from inspector_app.cli.main import printable

    return printable(text)


# --- report-settings ------------------------------------------------------------------------------


def cmd_report_settings(ns: argparse.Namespace) -> int:
    from inspector_app.core.report.settings import (
        check_settings,
        parse_assignments,
        read_settings_toml,
        save_report_settings,
        setting_values,
        stored_settings,
    )

    values: dict[str, str] = {}
    if ns.from_file is not None:
        values.update(read_settings_toml(ns.from_file))
    values.update(parse_assignments(ns.set))
    check_settings(values)  # refused before the file is opened for writing
    if values:
        with _open(ns, ns.master) as master:
            before = setting_values(master)
            after = save_report_settings(master, values)
            stored = set(stored_settings(_narrative(master)))
        changed = [k for k in values if before.get(k) != after.get(k)]
        if not ns.json:
            if changed:
                print(
                    counted(len(changed), "Saved {n} report setting", "Saved {n} report settings")
                )
            else:
                print(_("No change: the settings already held these values"))
    else:
        with _open(ns, ns.master, readonly=True) as master:
            after = setting_values(master)
            stored = set(stored_settings(_narrative(master)))
    _show_settings(after, stored, as_json=ns.json)
    return 0


def _narrative(file: InspectionFile) -> Narrative:
    from inspector_app.core.narrative.parts import load_narrative

    return load_narrative(file)


def _show_settings(values: Mapping[str, str], stored: set[str], *, as_json: bool) -> None:
    from inspector_app.core.report.settings import SETTINGS

    if as_json:
        _print_json(
            {
                s.key: {"value": values[s.key], "label": s.label, "default": s.key not in stored}
                for s in SETTINGS
            }
        )
        return
    width = max(len(s.key) for s in SETTINGS)
    for s in SETTINGS:
        value = values[s.key]
        shown = _printable(value) if value else "(none)"
        default = "" if s.key in stored else "  [default]"
        print(f"{s.key:{width}}  {shown}{default}")


# --- narrative ----------------------------------------------------------------------------------


def cmd_narrative(ns: argparse.Namespace) -> int:
    if ns.keep is not None:
        if ns.json:
            raise ValidationError(_("--json goes with --show"))
        return _keep_proposals(ns)
    if ns.set_from is not None:
        if ns.json:
            raise ValidationError(_("--json goes with --show"))
        return _set_narrative(ns)
    with _open(ns, ns.master, readonly=True) as master:
        narrative = _narrative(master)
        titles = {c.code: c.title for c in master.framework.criteria()}
    if ns.json:
        _print_json(narrative_json(narrative))
        return 0
    _show_narrative(narrative, titles)
    return 0


def _keep_proposals(ns: argparse.Namespace) -> int:
    from inspector_app.core.narrative.parts import keep_items

    part, _colon, numbers = str(ns.keep).partition(":")
    if part not in ("strengths", "concerns"):
        raise ValidationError(
            _("--keep {part}: proposals are kept in strengths or concerns").format(part=part)
        )
    with _open(ns, ns.master) as master:
        items = _narrative(master).items(part)
        if numbers:
            try:
                chosen = [int(n) for n in numbers.split(",")]
            except ValueError:
                raise ValidationError(
                    _("--keep {keep}: give the items' numbers, as in strengths:1,3").format(
                        keep=ns.keep
                    )
                ) from None
            wrong = [n for n in chosen if not 1 <= n <= len(items)]
            if wrong:
                raise ValidationError(
                    _("--keep {keep}: the {part} have items 1 to {count}").format(
                        keep=ns.keep, part=part, count=len(items)
                    )
                )
            ids = [items[n - 1].id for n in chosen]
        else:
            ids = [i.id for i in items]
        before = sum(1 for i in items if not i.reviewed)
        after = sum(1 for i in keep_items(master, part, ids).items(part) if not i.reviewed)
    print(
        _("Kept {kept} as written; {left} of the {part} still to review").format(
            kept=before - after, left=after, part=part
        )
    )
    return 0


def narrative_json(narrative: Narrative) -> dict[str, object]:
    return {
        "judgement": narrative.judgement,
        "headline": narrative.headline,
        "foreword": narrative.foreword,
        "report_date": narrative.report_date,
        "strengths": [i.to_json() for i in narrative.strengths],
        "concerns": [i.to_json() for i in narrative.concerns],
        "recommendations": [i.to_json() for i in narrative.recommendations],
        "chapters": dict(narrative.chapters),
        "final": narrative.final,
        "override_reason": narrative.override_reason,
        "reviewed": {
            part: narrative.has(part) and all(i.reviewed for i in narrative.items(part))
            for part in ("strengths", "concerns")
        },
        "conflicted": sorted(narrative.conflicted),
    }


def _show_narrative(narrative: Narrative, titles: Mapping[str, str]) -> None:
    def line(label: str, text: str) -> None:
        print(f"{label}: {_printable(text) if text else _('(not written)')}")

    state = "final" if narrative.final else "draft"
    if narrative.override_reason and narrative.final:
        state += _(" (cases not complete; reason: {printable})").format(
            printable=_printable(narrative.override_reason)
        )
    print(_("Report: {state}").format(state=state))
    line(_("Judgement"), narrative.judgement)
    line(_("Press headline"), narrative.headline)
    line(_("Month of publication"), narrative.report_date)
    print(_("Foreword:") if narrative.foreword else _("Foreword: (not written)"))
    for paragraph in narrative.foreword.split("\n"):
        if paragraph.strip():
            print(f"  {_printable(paragraph)}")
    for part, title in (
        ("strengths", _("Strengths")),
        ("concerns", _("Areas for improvement")),
        ("recommendations", _("Recommendations")),
    ):
        items = narrative.items(part)
        if not narrative.has(part):
            print(_("{title}: (not written)").format(title=title))
            continue
        print(f"{title} ({len(items)}):")
        for n, item in enumerate(items, start=1):
            if not item.reviewed:
                source = _("  [proposed from {source_code}, not reviewed]").format(
                    source_code=item.source_code
                )
            elif item.source_code and item.kept and not item.edited:
                source = _("  [kept as proposed from {source_code}]").format(
                    source_code=item.source_code
                )
            elif item.source_code:
                source = _("  [edited, proposed from {source_code}]").format(
                    source_code=item.source_code
                )
            else:
                source = ""
            print(f"  {n}. {_printable(item.text)}{source}")
    for code, text in narrative.chapters.items():
        print(
            _("Chapter {code} {title}:")
            .format(code=code, title=titles.get(code, ""))
            .replace(" :", ":")
        )
        print(f"  {_printable(' '.join(text.split()))}")
    if narrative.conflicted:
        print(_("Written differently by two people: ") + ", ".join(sorted(narrative.conflicted)))


def _set_narrative(ns: argparse.Namespace) -> int:
    from inspector_app.core.narrative.parts import chapter_part, check_texts, set_texts
    from inspector_app.core.report.settings import read_toml

    texts, lists, chapters = read_narrative_toml(ns.set_from, read_toml(ns.set_from))
    parts = dict(texts) | {chapter_part(code): text for code, text in chapters.items()}
    # everything is checked on the file opened read-only: a refusal leaves it as it was
    with _open(ns, ns.master, readonly=True) as master:
        codes = {c.code for c in master.framework.criteria()}
        unknown = sorted(set(chapters) - codes)
        if unknown:
            raise ValidationError(
                _(
                    "{name}: chapters: the report has no chapter {unknown!r} (its "
                    "criteria are {join})"
                ).format(name=ns.set_from.name, unknown=unknown[0], join=", ".join(sorted(codes)))
            )
        check_texts(master, parts)
    with _open(ns, ns.master) as master:
        current = _narrative(master)
        items = {part: _items_from(current, part, lines) for part, lines in lists.items()}
        set_texts(master, parts, lists=items, note=f"from {ns.set_from.name}")
    written = [*texts, *lists, *(_("chapter {c}").format(c=c) for c in chapters)]
    print(
        _("Wrote {value} from {name}").format(
            value=", ".join(written) or _("nothing"), name=ns.set_from.name
        )
    )
    return 0


def read_narrative_toml(
    path: Path, table: Mapping[str, object]
) -> tuple[dict[str, str], dict[str, list[str]], dict[str, str]]:
    """(text parts, list parts, chapter commentary by section code) from a TOML table; a
    ValidationError names the first key or value that cannot be written."""
    name = path.name
    texts: dict[str, str] = {}
    lists: dict[str, list[str]] = {}
    chapters: dict[str, str] = {}
    for key, value in table.items():
        if key not in NARRATIVE_KEYS:
            raise ValidationError(
                _("{name}: no narrative part '{key}'; the parts are: {join}").format(
                    name=name, key=key, join=", ".join(NARRATIVE_KEYS)
                )
            )
        if key in TEXT_KEYS:
            texts[key] = _text_value(name, key, value, multiline=key in _MULTILINE)
        elif key in LIST_KEYS:
            if not isinstance(value, list):
                raise ValidationError(
                    _('{name}: {key} must be a list of texts, ["...", "..."]').format(
                        name=name, key=key
                    )
                )
            lines = [
                _text_value(name, _("{key} item {n}").format(key=key, n=n), v)
                for n, v in enumerate(value, 1)
            ]
            empty = [n for n, text in enumerate(lines, 1) if not text.strip()]
            if empty:
                raise ValidationError(
                    _("{name}: {key} item {empty} has no text").format(
                        name=name, key=key, empty=empty[0]
                    )
                )
            lists[key] = lines
        else:
            if not isinstance(value, dict):
                raise ValidationError(
                    _('{name}: write chapters as a table: [chapters] B = "..."').format(name=name)
                )
            for code, text in value.items():
                chapters[str(code)] = _text_value(
                    name, _("chapter {code}").format(code=code), text, multiline=True
                )
    return texts, lists, chapters


def _text_value(name: str, where: str, value: object, *, multiline: bool = False) -> str:
    from inspector_app.core.narrative.parts import control_character_problem

    if not isinstance(value, str):
        raise ValidationError(
            _("{name}: {where} must be text in quotes, not {value!r}").format(
                name=name, where=where, value=value
            )
        )
    problem = control_character_problem(value, multiline=multiline)
    if problem:
        raise ValidationError(f"{name}: {where} {problem}")
    return value


def _items_from(current: Narrative, part: str, lines: Sequence[str]) -> list[NarrativeItem]:
    """The lead's list as written: an item whose text is already in the list keeps its id
    (and where it was proposed from), and counts as reviewed; the others are the lead's own."""
    from dataclasses import replace

    from inspector_app.core.narrative.parts import NarrativeItem
    from inspector_app.core.revisions import ids

    unused = list(current.items(part))
    items: list[NarrativeItem] = []
    for text in lines:
        stripped = text.strip()
        match = next((i for i in unused if i.text == stripped), None)
        if match is not None:
            unused.remove(match)
            items.append(replace(match, edited=True))
        else:
            items.append(NarrativeItem(id=ids.new_id(), text=stripped, edited=True))
    return items


# --- complete -----------------------------------------------------------------------------------


def cmd_complete(ns: argparse.Namespace) -> int:
    from inspector_app.core.cases.answers import missing_for_completion, set_case_complete
    from inspector_app.core.cases.case_data import load_cases
    from inspector_app.core.cases.sample_numbers import parse_sample_number

    if ns.all == bool(ns.cases):
        raise ValidationError(_("complete needs sample numbers, or --all"))
    numbers = []
    for text in ns.cases:
        number = parse_sample_number(text)
        if number is None:
            raise ValidationError(_("'{text}' is not a sample number").format(text=text))
        numbers.append(number)
    with _open(ns, ns.file, readonly=True) as file:
        cases = load_cases(file)
        by_number = {c.sample_no: c for c in cases}
        for number in numbers:
            if number not in by_number:
                raise ValidationError(
                    _("{name}: no case with sample number {number}").format(
                        name=ns.file.name, number=number
                    )
                )
        chosen = cases if ns.all else [by_number[n] for n in dict.fromkeys(numbers)]
        problems: list[str] = []
        if not ns.reopen:
            for case in chosen:
                missing = missing_for_completion(file.framework, case)
                if missing:
                    listed = "; ".join(f"{m.code} {m.problem}" for m in missing)
                    problems.append(f"{case.label}: {listed}")
        to_change = [c for c in chosen if c.marked_complete == ns.reopen]
    if problems:
        count = len(problems)
        raise ValidationError(
            counted(
                count,
                "nothing marked complete: {n} case is not finished (what is missing, "
                "question by question):",
                "nothing marked complete: {n} cases are not finished (what is missing, "
                "question by question):",
            )
            + "\n"
            + "\n".join(problems)
        )
    if to_change:
        with _open(ns, ns.file) as file:
            for case in to_change:
                set_case_complete(file, case.key, not ns.reopen)
    verb = _("reopened") if ns.reopen else _("marked complete")
    already = len(chosen) - len(to_change)
    note = ""
    if already:
        note = _(" ({n} already open)") if ns.reopen else _(" ({n} already complete)")
        note = note.format(n=already)
    print(
        _("{cases} {verb}{note}").format(
            cases=counted(len(to_change), "{n} case", "{n} cases"), verb=verb, note=note
        )
    )
    return 0


# --- report --final -------------------------------------------------------------------------------


def mark_final_for_report(ns: argparse.Namespace, outputs: Sequence[Path]) -> None:
    """`report --final [--override REASON]`: refuse (PublicationBlocked, listing every
    blocker; nothing changed) unless the report may be published; else mark it final,
    recording the reason."""
    from inspector_app.core.report.publication_gate import check_may_mark_final, mark_final

    with _open(ns, ns.master, readonly=True) as master:
        overridden, _reason = check_may_mark_final(master, ns.override)
    for path in outputs:  # a missing folder is found before the file is marked final
        if not path.parent.is_dir():
            raise ValidationError(_("{parent}: no such folder").format(parent=path.parent))
    with _open(ns, ns.master) as master:
        mark_final(master, override_reason=ns.override)
    if overridden:
        print(
            _(
                "Marked the report final with cases not complete; the reason is recorded "
                "and printed in the inspection arrangements"
            ),
            file=sys.stderr,
        )


def final_for_report(master: InspectionFile, asked_final: bool) -> bool | None:
    """What `report` writes: final when asked (the gate has passed); a report the file marks
    final is written as a draft if something now blocks it (said on stderr), so a final
    report never prints a placeholder. None: as the file says."""
    from inspector_app.core.report.publication_gate import final_report_blockers

    if asked_final:
        return True
    if not _narrative(master).final:
        return None
    blockers = final_report_blockers(master)
    if not blockers:
        return None
    print(
        _(
            "Note: the report is marked final, but it cannot be published as it stands; "
            "writing a draft. Settle these, then run report --final:"
        ),
        file=sys.stderr,
    )
    for blocker in blockers:
        print(f"  - {blocker}", file=sys.stderr)
    return False
