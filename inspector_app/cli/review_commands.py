"""Review notes and sign-off on the command line: `review-note` leaves, answers, marks
addressed and lists the lead's notes on a case; `review` marks a case reviewed (the same use
cases as the case review screen's notes panel)."""

from __future__ import annotations

import argparse
from pathlib import Path

from inspector_app.cli.report_commands import PASSPHRASE_HELP, _open, _print_json

COMMANDS = ("review-note", "review")

AS_HELP = "who writes, a team member's name (default: the file's owner, or the master's lead)"


def _sample_number(text: str) -> int:
    from inspector_app.core.cases.sample_numbers import parse_sample_number

    number = parse_sample_number(text)
    if number is None:
        raise argparse.ArgumentTypeError(f"'{text}' is not a sample number")
    return number


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "review-note",
        help="leave, answer, mark addressed or list review notes on a case",
        description="With --case and --text (and no other action): leave a note on the case, "
        "or with --question on one of its answers. Notes travel in the next fieldwork file "
        "and come back with the next merge; they never appear in the report or the exports.",
    )
    p.add_argument("file", type=Path, help="the inspection file (master or fieldwork)")
    p.add_argument("--passphrase-file", type=Path, metavar="F", help=PASSPHRASE_HELP)
    p.add_argument("--case", type=_sample_number, metavar="N", help="the case's sample number")
    p.add_argument("--question", metavar="CODE", help="with a new note: the question it is on")
    p.add_argument("--text", help="the words of a new note, a changed note or a reply")
    p.add_argument("--as", dest="as_name", metavar="NAME", help=AS_HELP)
    what = p.add_mutually_exclusive_group()
    what.add_argument("--reply", metavar="NOTE_ID", help="reply to a note (with --text)")
    what.add_argument("--edit", metavar="NOTE_ID", help="change your note's text (with --text)")
    what.add_argument("--withdraw", metavar="NOTE_ID", help="take your note back")
    what.add_argument("--addressed", metavar="NOTE_ID", help="mark a note addressed")
    what.add_argument("--reopen", metavar="NOTE_ID", help="mark a note not addressed again")
    what.add_argument(
        "--list", action="store_true", help="list the notes of the case (or of every case)"
    )
    p.add_argument("--json", action="store_true", help="with --list: print JSON (for scripts)")
    p.set_defaults(handler=cmd_review_note)

    p = sub.add_parser("review", help="mark a case reviewed by the lead (in the master)")
    p.add_argument("file", type=Path, help="the master inspection file")
    p.add_argument("--passphrase-file", type=Path, metavar="F", help=PASSPHRASE_HELP)
    p.add_argument(
        "--case", type=_sample_number, metavar="N", required=True, help="the case's sample number"
    )
    p.add_argument("--undo", action="store_true", help="mark it not reviewed again")
    p.set_defaults(handler=cmd_review)


def cmd_review_note(ns: argparse.Namespace) -> int:
    from inspector_app.core.cases import review
    from inspector_app.core.errors import ValidationError

    if ns.list:
        return _list_notes(ns)
    if ns.case is None:
        raise ValidationError("review-note: give the case with --case N")
    note_id = ns.reply or ns.edit or ns.withdraw or ns.addressed or ns.reopen
    needs_text = note_id is None or bool(ns.reply or ns.edit)
    if needs_text and ns.text is None:
        raise ValidationError("review-note: give the words with --text")
    if not needs_text and ns.text is not None:
        raise ValidationError("review-note: --text goes with a new note, --edit or --reply")
    if ns.question is not None and note_id is not None:
        raise ValidationError("review-note: --question goes with a new note only")
    with _open(ns, ns.file) as file:
        case_key = file.case_key_for(ns.case)
        label = file.case_label(case_key)
        if note_id is None:
            new_id, _ = review.add_note(file, case_key, ns.text, ns.question, ns.as_name)
            print(f"Left review note {new_id} on {label}")
        elif ns.reply:
            review.reply(file, case_key, note_id, ns.text, ns.as_name)
            print(f"Replied to review note {note_id} on {label}")
        elif ns.edit:
            review.edit_note(file, case_key, note_id, ns.text, ns.as_name)
            print(f"Changed review note {note_id} on {label}")
        elif ns.withdraw:
            review.withdraw_note(file, case_key, note_id, ns.as_name)
            print(f"Withdrew review note {note_id} on {label}")
        else:
            addressed = bool(ns.addressed)
            review.set_addressed(file, case_key, note_id, addressed, ns.as_name)
            state = "addressed" if addressed else "open again"
            print(f"Marked review note {note_id} on {label} {state}")
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
        print("No review notes")
    for case in cases:
        for note in by_case[case.key]:
            state = "withdrawn" if note.withdrawn else "addressed" if note.addressed else "open"
            on = f" on {note.question}" if note.question else ""
            print(
                f"{case.label}  {note.id}  {state}{on}  by {printable(note.author)},"
                f" {note.written_at:%Y-%m-%d %H:%M} UTC"
            )
            print(f"    {printable(note.text)}")
            for r in note.replies:
                print(f"    reply by {printable(r.author)}: {printable(r.text)}")
    return 0


def cmd_review(ns: argparse.Namespace) -> int:
    from inspector_app.core.cases.review import set_reviewed

    with _open(ns, ns.file) as file:
        case_key = file.case_key_for(ns.case)
        label = file.case_label(case_key)
        changed = set_reviewed(file, case_key, not ns.undo)
    state = "not reviewed" if ns.undo else "reviewed"
    print(f"{label} marked {state}" if changed.status else f"{label} was already {state}")
    return 0
