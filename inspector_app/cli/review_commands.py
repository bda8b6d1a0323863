"""Review notes and sign-off on the command line: `review-note` leaves, answers, marks
addressed and lists the lead's notes on a case; `review` marks a case reviewed (the same use
cases as the case review screen's notes panel)."""

from __future__ import annotations

import argparse
from pathlib import Path

from inspector_app.cli.report_commands import PASSPHRASE_HELP, _open, _print_json
from inspector_app.core.i18n import N_, _, translated

COMMANDS = ("review-note", "review")

AS_HELP = N_("who writes, a team member's name (default: the file's owner, or the master's lead)")


def _sample_number(text: str) -> int:
    from inspector_app.core.cases.sample_numbers import parse_sample_number

    number = parse_sample_number(text)
    if number is None:
        raise argparse.ArgumentTypeError(_("'{text}' is not a sample number").format(text=text))
    return number


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "review-note",
        help=_("leave, answer, mark addressed or list review notes on a case"),
        description=_(
            "With --case and --text (and no other action): leave a note on the case, or "
            "with --question on one of its answers. Notes travel in the next fieldwork "
            "file and come back with the next merge; they never appear in the report or "
            "the exports."
        ),
    )
    p.add_argument("file", type=Path, help=_("the inspection file (master or fieldwork)"))
    p.add_argument("--passphrase-file", type=Path, metavar="F", help=translated(PASSPHRASE_HELP))
    p.add_argument("--case", type=_sample_number, metavar="N", help=_("the case's sample number"))
    p.add_argument("--question", metavar="CODE", help=_("with a new note: the question it is on"))
    p.add_argument("--text", help=_("the words of a new note, a changed note or a reply"))
    p.add_argument("--as", dest="as_name", metavar="NAME", help=translated(AS_HELP))
    what = p.add_mutually_exclusive_group()
    what.add_argument("--reply", metavar="NOTE_ID", help=_("reply to a note (with --text)"))
    what.add_argument("--edit", metavar="NOTE_ID", help=_("change your note's text (with --text)"))
    what.add_argument("--withdraw", metavar="NOTE_ID", help=_("take your note back"))
    what.add_argument("--addressed", metavar="NOTE_ID", help=_("mark a note addressed"))
    what.add_argument("--reopen", metavar="NOTE_ID", help=_("mark a note not addressed again"))
    what.add_argument(
        "--list", action="store_true", help=_("list the notes of the case (or of every case)")
    )
    p.add_argument("--json", action="store_true", help=_("with --list: print JSON (for scripts)"))
    p.set_defaults(handler=cmd_review_note)

    p = sub.add_parser("review", help=_("mark a case reviewed by the lead (in the master)"))
    p.add_argument("file", type=Path, help=_("the master inspection file"))
    p.add_argument("--passphrase-file", type=Path, metavar="F", help=translated(PASSPHRASE_HELP))
    p.add_argument(
        "--case",
        type=_sample_number,
        metavar="N",
        required=True,
        help=_("the case's sample number"),
    )
    p.add_argument("--undo", action="store_true", help=_("mark it not reviewed again"))
    p.set_defaults(handler=cmd_review)


def cmd_review_note(ns: argparse.Namespace) -> int:
    from inspector_app.core.cases import review
    from inspector_app.core.errors import ValidationError

    if ns.list:
        return _list_notes(ns)
    if ns.case is None:
        raise ValidationError(_("review-note: give the case with --case N"))
    note_id = ns.reply or ns.edit or ns.withdraw or ns.addressed or ns.reopen
    needs_text = note_id is None or bool(ns.reply or ns.edit)
    if needs_text and ns.text is None:
        raise ValidationError(_("review-note: give the words with --text"))
    if not needs_text and ns.text is not None:
        raise ValidationError(_("review-note: --text goes with a new note, --edit or --reply"))
    if ns.question is not None and note_id is not None:
        raise ValidationError(_("review-note: --question goes with a new note only"))
    with _open(ns, ns.file) as file:
        case_key = file.case_key_for(ns.case)
        label = file.case_label(case_key)
        if note_id is None:
            new_id, _reply = review.add_note(file, case_key, ns.text, ns.question, ns.as_name)
            print(_("Left review note {new_id} on {label}").format(new_id=new_id, label=label))
        elif ns.reply:
            review.reply(file, case_key, note_id, ns.text, ns.as_name)
            print(
                _("Replied to review note {note_id} on {label}").format(
                    note_id=note_id, label=label
                )
            )
        elif ns.edit:
            review.edit_note(file, case_key, note_id, ns.text, ns.as_name)
            print(
                _("Changed review note {note_id} on {label}").format(note_id=note_id, label=label)
            )
        elif ns.withdraw:
            review.withdraw_note(file, case_key, note_id, ns.as_name)
            print(
                _("Withdrew review note {note_id} on {label}").format(note_id=note_id, label=label)
            )
        else:
            addressed = bool(ns.addressed)
            review.set_addressed(file, case_key, note_id, addressed, ns.as_name)
            state = _("addressed") if addressed else _("open again")
            print(
                _("Marked review note {note_id} on {label} {state}").format(
                    note_id=note_id, label=label, state=state
                )
            )
    return 0


def _list_notes(ns: argparse.Namespace) -> int:
    from inspector_app.cli.main import printable
    from inspector_app.core.cases import review
    from inspector_app.core.cases.case_data import load_cases

    with _open(ns, ns.file, readonly=True) as file:
        if ns.case is not None:
            case_key = file.case_key_for(ns.case)
            by_case = {case_key: review.notes_of_case(file, case_key)}
        else:
            by_case = review.notes_by_case(file)
        cases = load_cases(file, list(by_case))
    if ns.json:
        _print_json(
            [
                {"case": case.sample_no, **note.to_json()}
                for case in cases
                for note in by_case[case.key]
            ]
        )
        return 0
    if not any(by_case.values()):
        print(_("No review notes"))
    for case in cases:
        for note in by_case[case.key]:
            state = (
                _("withdrawn")
                if note.withdrawn
                else _("addressed")
                if note.addressed
                else _("open")
            )
            on = _(" on {question}").format(question=note.question) if note.question else ""
            print(
                _(
                    "{label}  {id}  {state}{on}  by {author}, {written_at:%Y-%m-%d %H:%M} UTC"
                ).format(
                    label=case.label,
                    id=note.id,
                    state=state,
                    on=on,
                    author=printable(note.author),
                    written_at=note.written_at,
                )
            )
            print(f"    {printable(note.text)}")
            for r in note.replies:
                print(
                    _("    reply by {author}: {text}").format(
                        author=printable(r.author), text=printable(r.text)
                    )
                )
    return 0


def cmd_review(ns: argparse.Namespace) -> int:
    from inspector_app.core.cases.review import set_reviewed

    with _open(ns, ns.file) as file:
        case_key = file.case_key_for(ns.case)
        label = file.case_label(case_key)
        changed = set_reviewed(file, case_key, not ns.undo)
    state = _("not reviewed") if ns.undo else _("reviewed")
    print(
        _("{label} marked {state}").format(label=label, state=state)
        if changed.status
        else _("{label} was already {state}").format(label=label, state=state)
    )
    return 0
