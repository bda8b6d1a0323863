"""Practice examples on the command line: `practice-example` lists, adds, changes and removes
the examples printed in the report's chapters (the same use cases as the Report view's tab)."""

from __future__ import annotations

import argparse
from pathlib import Path

from inspector_app.cli.report_commands import PASSPHRASE_HELP, _open, _print_json
from inspector_app.core.i18n import _, translated

COMMANDS = ("practice-example",)


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("practice-example", help=_("list, add, change or remove practice examples"))
    p.add_argument("master", type=Path)
    p.add_argument("--passphrase-file", type=Path, metavar="F", help=translated(PASSPHRASE_HELP))
    what = p.add_mutually_exclusive_group()
    what.add_argument(
        "--add",
        nargs=2,
        metavar=("CASE", "QUESTION"),
        help=_(
            "draw an example from this case's answer (with --chapter, --title and "
            "--text, or --from-note to start from its evidence note)"
        ),
    )
    what.add_argument("--edit", metavar="ID", help=_("change an example (its id from the list)"))
    what.add_argument("--remove", metavar="ID", help=_("remove an example"))
    p.add_argument("--chapter", help=_("the criterion code of the chapter, e.g. 1.3"))
    p.add_argument("--title", help=_("the example's heading, as printed in its box"))
    p.add_argument("--text", help=_("the example's account of the work, as printed"))
    p.add_argument("--from-note", action="store_true", help=_("use the answer's evidence note"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_practice_example)


def cmd_practice_example(ns: argparse.Namespace) -> int:
    from inspector_app.cli.main import printable
    from inspector_app.core.errors import ValidationError
    from inspector_app.core.narrative.practice_examples import (
        add_example,
        edit_example,
        load_examples,
        remove_example,
        starting_text,
    )

    if ns.add:
        case_text, question = ns.add
        if not case_text.isdigit():
            raise ValidationError(
                _("'{case_text}' is not a case number").format(case_text=case_text)
            )
        with _open(ns, ns.master) as master:
            text = ns.text
            if ns.from_note:
                text = starting_text(master, int(case_text), question)
            add_example(
                master,
                chapter=ns.chapter or "",
                sample_no=int(case_text),
                question=question,
                title=ns.title or "",
                text=text or "",
            )
        print(_("Placed the example in chapter {chapter}").format(chapter=ns.chapter))
        return 0
    if ns.edit or ns.remove:
        with _open(ns, ns.master) as master:
            if ns.remove:
                remove_example(master, ns.remove)
            else:
                edit_example(master, ns.edit, chapter=ns.chapter, title=ns.title, text=ns.text)
        print(_("Removed the example") if ns.remove else _("Changed the example"))
        return 0
    with _open(ns, ns.master, readonly=True) as master:
        examples = load_examples(master)
    if ns.json:
        _print_json([e.to_json() for e in examples])
        return 0
    if not examples:
        print(_("No practice examples"))
    for e in examples:
        print(
            _("{id}  chapter {chapter}  {case_label}  {title}").format(
                id=e.id, chapter=e.chapter, case_label=e.case_label, title=printable(e.title)
            )
        )
        print(f"    {printable(e.text)}")
    return 0
