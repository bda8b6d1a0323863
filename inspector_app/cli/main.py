"""`inspector-app SUBCOMMAND ...`: the headless interface over the same services as the GUI.

Exit code 0 on success; on any error a one-line message on stderr and a non-zero code.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from inspector_app import __version__
from inspector_app.cli import (
    example_commands,
    export_commands,
    framework_commands,
    report_commands,
    review_commands,
    sample_commands,
    store_commands,
)
from inspector_app.core.errors import InspectorError, ValidationError
from inspector_app.core.i18n import N_, _, translated
from inspector_app.core.plural import counted

if TYPE_CHECKING:
    from inspector_app.core.files.inspection_file import InspectionFile

EXIT_ERROR = 1
EXIT_USAGE = 2

Handler = Callable[[argparse.Namespace], int]


def _iso_date(text: str) -> str:
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            _("'{text}' is not a date (YYYY-MM-DD)").format(text=text)
        ) from exc


def _positive_int(text: str) -> int:
    from inspector_app.core.cases.sample_numbers import parse_sample_number

    number = parse_sample_number(text)
    if number is None:
        raise argparse.ArgumentTypeError(_("'{text}' is not a sample number").format(text=text))
    return number


PASSPHRASE_HELP = N_("read the passphrase of an encrypted file from F (first line)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="inspector-app",
        description=_(
            "Case-assessment fieldwork, merge and reporting for probation inspections. "
            "With no subcommand (or just a file) the desktop app opens."
        ),
    )
    parser.add_argument("--version", action="version", version=f"inspector-app {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("new", help=_("create a master inspection file"))
    p.add_argument("file", type=Path)
    p.add_argument("--passphrase-file", type=Path, metavar="F", help=translated(PASSPHRASE_HELP))
    p.add_argument(
        "--title", required=True, help=_("the inspection's title, as the report prints it")
    )
    p.add_argument(
        "--organisation", required=True, help=_("the service inspected, e.g. 'Merseyside CRC'")
    )
    p.add_argument("--programme", default=None, help=_("the inspection programme, if any"))
    p.add_argument("--framework", default=None, help=_("framework id (default iaow-2013)"))
    p.add_argument("--lead", default=None, help=_("the lead inspector's name"))
    p.add_argument(
        "--fieldwork-start",
        type=_iso_date,
        default=None,
        help=_("first day of fieldwork, YYYY-MM-DD"),
    )
    p.add_argument(
        "--fieldwork-end", type=_iso_date, default=None, help=_("last day of fieldwork, YYYY-MM-DD")
    )
    p.add_argument("--encrypt", action="store_true", help=_("encrypt with --passphrase-file"))
    p.set_defaults(handler=_cmd_new)

    p = sub.add_parser("import-sample", help=_("import the case sample from CSV or XLSX"))
    p.add_argument("file", type=Path)
    p.add_argument("--passphrase-file", type=Path, metavar="F", help=translated(PASSPHRASE_HELP))
    p.add_argument("sample", type=Path, help=_("the trust's case sample, CSV or Excel (.xlsx)"))
    sample_commands.add_import_sample_options(p)
    p.set_defaults(handler=sample_commands.cmd_import_sample)
    sample_commands.add_parsers(sub)

    team = sub.add_parser("team", help=_("add, list, rename or remove team members"))
    team_sub = team.add_subparsers(dest="team_command", metavar="ACTION", required=True)
    p = team_sub.add_parser("add", help=_("add a team member"))
    p.add_argument("file", type=Path)
    p.add_argument("--passphrase-file", type=Path, metavar="F", help=translated(PASSPHRASE_HELP))
    p.add_argument("name")
    p.add_argument(
        "--role",
        choices=("lead", "inspector", "assessor"),
        default="inspector",
        help=_("what they do (default inspector; assessor: a local assessor)"),
    )
    p.set_defaults(handler=_cmd_team_add)
    p = team_sub.add_parser("list", help=_("list the team"))
    p.add_argument("file", type=Path)
    p.add_argument("--passphrase-file", type=Path, metavar="F", help=translated(PASSPHRASE_HELP))
    p.add_argument("--json", action="store_true", help=_("print the team as JSON"))
    p.set_defaults(handler=_cmd_team_list)
    p = team_sub.add_parser("rename", help=_("correct a team member's name"))
    p.add_argument("file", type=Path)
    p.add_argument("--passphrase-file", type=Path, metavar="F", help=translated(PASSPHRASE_HELP))
    p.add_argument("name", help=_("the name as it is now"))
    p.add_argument("new_name", help=_("the name as it should be"))
    p.set_defaults(handler=_cmd_team_rename)
    p = team_sub.add_parser("role", help=_("change what a team member does"))
    p.add_argument("file", type=Path)
    p.add_argument("--passphrase-file", type=Path, metavar="F", help=translated(PASSPHRASE_HELP))
    p.add_argument("name")
    p.add_argument("role", choices=("lead", "inspector", "assessor"), help=_("their new role"))
    p.set_defaults(handler=_cmd_team_role)
    p = team_sub.add_parser(
        "remove", help=_("take someone off the team (nothing allocated, nothing written)")
    )
    p.add_argument("file", type=Path)
    p.add_argument("--passphrase-file", type=Path, metavar="F", help=translated(PASSPHRASE_HELP))
    p.add_argument("name")
    p.set_defaults(handler=_cmd_team_remove)
    sample_commands.add_team_parsers(team_sub)

    p = sub.add_parser("allocate", help=_("allocate cases to the team"))
    p.add_argument("file", type=Path)
    p.add_argument("--passphrase-file", type=Path, metavar="F", help=translated(PASSPHRASE_HELP))
    p.add_argument("--auto", action="store_true", help=_("balance unallocated cases"))
    p.add_argument(
        "--balance",
        type=lambda text: [part.strip() for part in text.split(",") if part.strip()],
        default=["sentence_type", "rosh"],
        help=_("profile fields to balance, the first strictly (default sentence_type,rosh)"),
    )
    p.add_argument(
        "--capacity",
        action="append",
        default=[],
        metavar="NAME=N",
        help=_("most cases a person takes (repeatable)"),
    )
    p.add_argument("--dry-run", action="store_true", help=_("show the plan, write nothing"))
    p.add_argument("--json", action="store_true")
    p.add_argument("--case", type=_positive_int, help=_("sample number"))
    p.add_argument("--to", help=_("team member's name"))
    p.add_argument(
        "--second-reader", action="store_true", help=_("with --case and --to: as second reader")
    )
    p.add_argument(
        "--remove-second-reader",
        action="store_true",
        help=_("with --case: the case has no second reader any more"),
    )
    p.set_defaults(handler=_cmd_allocate)

    p = sub.add_parser("export-fieldwork", help=_("write one assessor's fieldwork file"))
    p.add_argument("file", type=Path)
    p.add_argument(
        "--passphrase-file",
        type=Path,
        metavar="F",
        help=_("encrypt the fieldwork file with the passphrase in F (each assessor their own)"),
    )
    p.add_argument(
        "--master-passphrase-file", type=Path, metavar="F", help=_("the master's passphrase")
    )
    p.add_argument("--inspector", required=True, help=_("whose file: a team member's name"))
    p.add_argument("-o", "--output", type=Path, required=True, help=_("file or folder"))
    p.add_argument(
        "--with-identifiers",
        action="store_true",
        help=_("include names and CRNs (only if needed on site; encrypted file required)"),
    )
    p.set_defaults(handler=_cmd_export_fieldwork)

    p = sub.add_parser(
        "import-answers", help=_("import answers from CSV (case,question,answer,note)")
    )
    p.add_argument("file", type=Path)
    p.add_argument("--passphrase-file", type=Path, metavar="F", help=translated(PASSPHRASE_HELP))
    p.add_argument("answers", type=Path, help=_("CSV with columns case, question, answer, note"))
    p.add_argument(
        "--as",
        dest="as_name",
        default=None,
        help=_("write them as this team member (default: the file's owner)"),
    )
    p.set_defaults(handler=_cmd_import_answers)

    p = sub.add_parser("status", help=_("role, owner and progress per case"))
    p.add_argument("file", type=Path)
    p.add_argument("--passphrase-file", type=Path, metavar="F", help=translated(PASSPHRASE_HELP))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_cmd_status)

    p = sub.add_parser("merge", help=_("merge fieldwork files into the master"))
    p.add_argument("master", type=Path)
    p.add_argument("--passphrase-file", type=Path, metavar="F", help=translated(PASSPHRASE_HELP))
    p.add_argument(
        "sources", type=Path, nargs="*", metavar="FILE", help=_("fieldwork files to merge into it")
    )
    p.add_argument("--dry-run", action="store_true", help=_("preview: change nothing"))
    p.add_argument("--undo", action="store_true", help=_("undo the last merge"))
    p.add_argument(
        "--discard-later-edits",
        action="store_true",
        help=_("with --undo: also lose the edits made in the master after that merge"),
    )
    p.add_argument(
        "--source-passphrase-file",
        type=Path,
        action="append",
        default=[],
        metavar="F",
        help=_("passphrase of an encrypted source; once per encrypted source, in order"),
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_cmd_merge)

    p = sub.add_parser("conflicts", help=_("list or resolve conflicting answers"))
    p.add_argument("master", type=Path)
    p.add_argument("--passphrase-file", type=Path, metavar="F", help=translated(PASSPHRASE_HELP))
    p.add_argument("--json", action="store_true")
    p.add_argument(
        "--resolve",
        nargs=2,
        metavar=("CASE", "QUESTION"),
        help=_("settle one conflict (with --value, or --take an author's answer)"),
    )
    how = p.add_mutually_exclusive_group()
    how.add_argument("--value", help=_("the settled answer"))
    how.add_argument("--take", metavar="AUTHOR", help=_("take this author's answer"))
    p.add_argument(
        "--reason", default="", help=_("why it was settled so (kept with the resolution)")
    )
    p.set_defaults(handler=_cmd_conflicts)

    p = sub.add_parser("agreement", help=_("agreement between double readers (QA)"))
    p.add_argument("master", type=Path)
    p.add_argument("--passphrase-file", type=Path, metavar="F", help=translated(PASSPHRASE_HELP))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_cmd_agreement)

    p = sub.add_parser("findings", help=_("the figures: per question, section and sub-group"))
    p.add_argument("master", type=Path)
    p.add_argument("--passphrase-file", type=Path, metavar="F", help=translated(PASSPHRASE_HELP))
    p.add_argument("--json", action="store_true")
    p.add_argument("--include-in-progress", action="store_true")
    p.add_argument("--subgroup", metavar="NAME", help=_("e.g. high-rosh-or-child-protection"))
    p.set_defaults(handler=_cmd_findings)

    p = sub.add_parser(
        "report", help=_("the report PDF, optionally the Word draft and press release")
    )
    p.add_argument("master", type=Path)
    p.add_argument("--passphrase-file", type=Path, metavar="F", help=translated(PASSPHRASE_HELP))
    p.add_argument(
        "-o", "--output", type=Path, required=True, metavar="OUT.pdf", help=_("the PDF to write")
    )
    p.add_argument("--docx", type=Path, metavar="OUT.docx", help=_("also an editable Word draft"))
    p.add_argument(
        "--press-release", type=Path, metavar="OUT", help=_("also a press release draft")
    )
    p.add_argument(
        "--overwrite",
        action="store_true",
        help=_("replace outputs that already exist (an inspection file is never replaced)"),
    )
    p.add_argument("--include-in-progress", action="store_true")
    p.add_argument(
        "--final",
        action="store_true",
        help=_(
            "mark the report final and write it (refused, listing what to settle, until "
            "it may be published)"
        ),
    )
    p.add_argument(
        "--override",
        metavar="REASON",
        help=_(
            "with --final: publish with cases not complete (the only thing that may be "
            "overridden); the reason is recorded and printed in the report"
        ),
    )
    compared = p.add_mutually_exclusive_group()
    compared.add_argument(
        "--store",
        metavar="ADDRESS",
        help=_(
            "compare the scores with the areas published to this store: "
            "postgresql+psycopg://USER@HOST/DATABASE or a store file (default: the store "
            "named by INSPECTOR_APP_STORE, else the one set up last on this computer; with "
            "neither, no comparison)"
        ),
    )
    compared.add_argument(
        "--no-comparison",
        action="store_true",
        help=_("leave out the comparison with the areas inspected to date"),
    )
    p.set_defaults(handler=_cmd_report)
    report_commands.add_parsers(sub)
    example_commands.add_parsers(sub)
    framework_commands.add_parsers(sub)
    export_commands.add_parsers(sub)
    review_commands.add_parsers(sub)
    store_commands.add_parsers(sub)

    p = sub.add_parser("passphrase", help=_("set, change or remove a file's passphrase"))
    p.add_argument("file", type=Path)
    p.add_argument("--passphrase-file", type=Path, metavar="F", help=_("the current passphrase"))
    change = p.add_mutually_exclusive_group(required=True)
    change.add_argument(
        "--new-passphrase-file",
        type=Path,
        metavar="F",
        help=_("the new passphrase, first line of F"),
    )
    change.add_argument("--remove", action="store_true", help=_("decrypt the file"))
    p.set_defaults(handler=_cmd_passphrase)

    p = sub.add_parser(
        "snapshot", help=_("write a complete single-file copy (to hand over on a USB stick)")
    )
    p.add_argument("file", type=Path)
    p.add_argument("--passphrase-file", type=Path, metavar="F", help=translated(PASSPHRASE_HELP))
    p.add_argument(
        "-o", "--output", type=Path, required=True, help=_("the copy to write (a file or a folder)")
    )
    p.set_defaults(handler=_cmd_snapshot)

    p = sub.add_parser("purge-identifiers", help=_("remove CRNs and names after publication"))
    p.add_argument("file", type=Path)
    p.add_argument("--passphrase-file", type=Path, metavar="F", help=translated(PASSPHRASE_HELP))
    p.add_argument(
        "--yes",
        action="store_true",
        help=_("confirm: the names and CRNs are gone for good (nothing is removed without it)"),
    )
    p.add_argument(
        "--before-final",
        action="store_true",
        help=_("remove them although the report is not marked final yet"),
    )
    p.set_defaults(handler=_cmd_purge_identifiers)

    p = sub.add_parser("demo", help=_("create a realistic synthetic inspection in a folder"))
    p.add_argument("folder", type=Path, help=_("an empty folder (made if missing)"))
    p.add_argument("--cases", type=_positive_int, default=60, help=_("sampled cases (default 60)"))
    p.add_argument("--seed", type=int, default=2013, help=_("the same seed makes the same demo"))
    p.add_argument(
        "--framework",
        dest="framework_id",
        default=None,
        help=_("the framework's id (default iaow-2013; see 'framework list')"),
    )
    state = p.add_mutually_exclusive_group()
    state.add_argument(
        "--merged",
        action="store_true",
        help=_("the lead's week: the team's files merged, two conflicts, the narrative drafted"),
    )
    state.add_argument(
        "--complete",
        action="store_true",
        help=_("every case answered, complete and agreed: ready for a final report"),
    )
    p.set_defaults(handler=_cmd_demo)
    _explain_every_option(parser)
    return parser


# What an argument means when its command says no more: the same words everywhere.
COMMON_HELP = {
    "file": N_("the inspection file (.inspection)"),
    "master": N_("the master inspection file"),
    "json": N_("print JSON instead of text (for scripts)"),
    "include_in_progress": N_("count cases in progress too, not only complete ones"),
    "name": N_("the team member's name (case and spacing do not matter)"),
}


def _explain_every_option(parser: argparse.ArgumentParser) -> None:
    """Gives each argument without help text its common meaning, so `--help` of every command
    says what each argument is for."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                _explain_every_option(sub)
        elif not action.help and action.dest in COMMON_HELP:
            action.help = translated(COMMON_HELP[action.dest])


SUBCOMMANDS = (
    "new",
    "import-sample",
    "import-long-list",
    "draw-sample",
    "replace-case",
    "withdraw",
    "reinstate",
    "cases",
    "team",
    "allocate",
    "export-fieldwork",
    "import-answers",
    "status",
    *framework_commands.COMMANDS,
    "merge",
    "conflicts",
    "agreement",
    "findings",
    "report",
    *report_commands.COMMANDS,
    *example_commands.COMMANDS,
    *export_commands.COMMANDS,
    *review_commands.COMMANDS,
    *store_commands.COMMANDS,
    "passphrase",
    "snapshot",
    "purge-identifiers",
    "demo",
)


GUI_OPTIONS = ("--open-demo",)


def is_cli_invocation(args: list[str]) -> bool:
    """A subcommand or a top-level option means headless; one file to open (or --open-demo)
    means the GUI. Anything else (a mistyped command, several words) goes to the command line,
    which names the problem, instead of a window that a machine without a display cannot show."""
    if not args or (len(args) == 1 and args[0] in GUI_OPTIONS):
        return False
    if args[0] in SUBCOMMANDS or args[0].startswith("-"):
        return True
    return not _looks_like_a_file(args[0])  # a file first: the window (Qt options may follow)


def _looks_like_a_file(arg: str) -> bool:
    path = Path(arg.strip()).expanduser()
    return path.suffix.lower() == ".inspection" or path.is_file()


def run_cli(args: list[str]) -> int:
    parser = build_parser()
    try:
        ns = parser.parse_args(args)
    except SystemExit as exc:
        return int(exc.code or 0)
    if not getattr(ns, "handler", None):
        parser.print_usage(sys.stderr)
        return EXIT_USAGE
    try:
        _refuse_special_inputs(ns)
        handler: Callable[[argparse.Namespace], int] = ns.handler
        return handler(ns)
    except InspectorError as exc:
        _fail(_escape_names(str(exc), ns))
    except BrokenPipeError:
        return 0  # the reader (e.g. `head`) stopped listening
    except OSError as exc:
        name = Path(exc.filename).name if exc.filename else "file"
        _fail(f"{printable(name)}: {exc.strerror or exc}")
    except KeyboardInterrupt:
        _fail(_("interrupted"))
    return EXIT_ERROR


# The arguments that name a file a command reads (or the file it works on). A named pipe
# there would make the command wait forever for a writer, a device may never end: both are
# refused before anything opens them. Passphrase files are left out: `<(...)` is a pipe.
_INPUT_ARGUMENTS = ("file", "master", "sources", "sample", "answers", "long_list")


def _refuse_special_inputs(ns: argparse.Namespace) -> None:
    import os
    import stat

    from inspector_app.core.errors import FileRefused
    from inspector_app.core.storage.safe_write import special_kind

    for attribute in _INPUT_ARGUMENTS:
        value = getattr(ns, attribute, None)
        for path in value if isinstance(value, list) else [value]:
            if not isinstance(path, Path):
                continue
            try:
                mode = os.stat(path).st_mode
            except OSError:
                continue  # missing or unreadable: the command says so in its own words
            if not stat.S_ISREG(mode):
                raise FileRefused(
                    _("{name}: {special_kind}, not a file").format(
                        name=path.name, special_kind=special_kind(mode)
                    )
                )


def _escape_names(message: str, ns: argparse.Namespace) -> str:
    """A message naming a file given on the command line, with control characters in the
    name shown escaped (a newline in a name must not split the one-line message)."""
    texts: set[str] = set()
    for value in vars(ns).values():
        for path in value if isinstance(value, list) else [value]:
            if isinstance(path, Path):
                texts.update((str(path), path.name))
    for text in sorted(texts, key=len, reverse=True):
        if text and printable(text) != text:
            message = message.replace(text, printable(text))
    return message


def _fail(message: str) -> None:
    """One line on stderr: the first line of the message, with a count of the rest."""
    lines = message.splitlines() or ["error"]
    print(_("inspector-app: error: {message}").format(message=printable(lines[0])), file=sys.stderr)
    for line in lines[1:]:
        print(f"  {printable(line)}", file=sys.stderr)


def _warn(message: str) -> None:
    print(
        _("inspector-app: warning: {message}").format(message=printable(message)), file=sys.stderr
    )


def _print_json(data: object) -> None:
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


# -- handlers --------------------------------------------------------------------------------


def read_passphrase_file(path: Path | None) -> str | None:
    """A passphrase from the first line of a file (never from the command line itself)."""
    if path is None:
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationError(
            _("{name}: cannot read the passphrase file ({exc})").format(name=path.name, exc=exc)
        ) from exc
    lines = text.splitlines()
    passphrase = lines[0] if lines else ""
    if not passphrase:
        raise ValidationError(_("{name}: the passphrase file is empty").format(name=path.name))
    return passphrase


def _open(ns: argparse.Namespace, path: Path, readonly: bool = False) -> InspectionFile:
    from inspector_app.core.files.inspection_file import InspectionFile

    passphrase = read_passphrase_file(getattr(ns, "passphrase_file", None))
    return InspectionFile.open(path, readonly=readonly, passphrase=passphrase)


def _cmd_new(ns: argparse.Namespace) -> int:
    from inspector_app.app.frameworks import load_installed
    from inspector_app.core.files.inspection_file import DEFAULT_FRAMEWORK, InspectionFile
    from inspector_app.core.files.passphrase import check_new_passphrase

    passphrase = read_passphrase_file(ns.passphrase_file)
    if ns.encrypt != (passphrase is not None):
        _fail(_("--encrypt and --passphrase-file go together"))
        return EXIT_USAGE
    if passphrase is not None:
        check_new_passphrase(passphrase)
    with InspectionFile.create(
        ns.file,
        title=ns.title,
        organisation=ns.organisation,
        programme=ns.programme or None,  # the framework's own, unless given
        framework=load_installed(ns.framework or DEFAULT_FRAMEWORK),
        lead=ns.lead,
        fieldwork_start=ns.fieldwork_start,
        fieldwork_end=ns.fieldwork_end,
        passphrase=passphrase,
    ) as file:
        print(
            _("Created {name}: {title} ({id} {version}, {questions} questions)").format(
                name=printable(file.path.name),
                title=printable(file.inspection.title),
                id=file.framework.id,
                version=file.framework.version,
                questions=len(file.framework.questions()),
            )
        )
    if passphrase is None:
        _warn(
            _(
                "{name} is not encrypted: the case identifiers (CRNs, names) imported "
                "into it will be readable by anyone who gets the file (--encrypt "
                "protects them)"
            ).format(name=ns.file.name)
        )
    return 0


def _cmd_team_add(ns: argparse.Namespace) -> int:
    from inspector_app.core.cases.team import add_member

    with _open(ns, ns.file) as file:
        member = add_member(file, ns.name, ns.role)
    print(_("Added {name} ({role})").format(name=member.name, role=member.role))
    return 0


def _cmd_team_rename(ns: argparse.Namespace) -> int:
    from inspector_app.core.cases.team import rename_member

    with _open(ns, ns.file) as file:
        rename_member(file, ns.name, ns.new_name)
    print(
        _("Renamed {old} to {new}").format(
            old=" ".join(ns.name.split()), new=" ".join(ns.new_name.split())
        )
    )
    return 0


def _cmd_team_role(ns: argparse.Namespace) -> int:
    from inspector_app.core.cases.team import set_role

    with _open(ns, ns.file) as file:
        set_role(file, ns.name, ns.role)
    print(_("{name} is now {role}").format(name=" ".join(ns.name.split()), role=ns.role))
    return 0


def _cmd_team_remove(ns: argparse.Namespace) -> int:
    from inspector_app.core.cases.team import remove_member

    with _open(ns, ns.file) as file:
        remove_member(file, ns.name)
    print(_("Removed {name} from the team").format(name=" ".join(ns.name.split())))
    return 0


def _cmd_team_list(ns: argparse.Namespace) -> int:
    from inspector_app.core.cases.team import list_members

    with _open(ns, ns.file, readonly=True) as file:
        members = list_members(file)
    if ns.json:
        _print_json(
            [
                {"name": m.name, "role": m.role, "cases": m.cases, "second_reads": m.second_reads}
                for m in members
            ]
        )
        return 0
    if not members:
        print(_("No team members yet"))
    for m in members:
        second = (
            ", " + counted(m.second_reads, "{n} second read", "{n} second reads")
            if m.second_reads
            else ""
        )
        print(
            _("{name:30} {role:10} {cases}{second}").format(
                name=m.name,
                role=m.role,
                cases=counted(m.cases, "{n} case", "{n} cases"),
                second=second,
            )
        )
    return 0


def _cmd_allocate(ns: argparse.Namespace) -> int:
    from inspector_app.core.sample.placement import allocate_case, remove_second_reader

    if ns.remove_second_reader:
        if not ns.case or ns.to or ns.auto:
            _fail(_("allocate --remove-second-reader needs --case SAMPLE_NO only"))
            return EXIT_USAGE
        with _open(ns, ns.file) as file:
            remove_second_reader(file, ns.case)
        print(_("Case {case:03d} has no second reader now").format(case=ns.case))
        return 0
    if ns.auto == bool(ns.case or ns.to):
        _fail(_("allocate needs either --auto, or --case SAMPLE_NO --to NAME"))
        return EXIT_USAGE
    with _open(ns, ns.file) as file:
        if ns.auto:
            return _allocate_auto(ns, file)
        if not (ns.case and ns.to):
            _fail(_("allocate --case needs --to NAME (and --to needs --case)"))
            return EXIT_USAGE
        allocate_case(file, ns.case, ns.to, second_reader=ns.second_reader)
    role = _("second reader") if ns.second_reader else _("first reader")
    print(
        _("Case {case:03d} allocated to {to} as {role}").format(case=ns.case, to=ns.to, role=role)
    )
    return 0


def _allocate_auto(ns: argparse.Namespace, file: InspectionFile) -> int:
    """A balanced plan, printed with each person's mix; written unless --dry-run."""
    from inspector_app.core.sample.placement import apply_allocation, plan_auto_allocation

    capacities: dict[str, int] = {}
    for item in ns.capacity:
        name, _equals, number = item.rpartition("=")
        if not name or not number.strip().isdigit():
            raise ValidationError(
                _("--capacity {item!r}: write NAME=N, e.g. 'Tom Gallagher=8'").format(item=item)
            )
        capacities[name.strip()] = int(number)
    preview = plan_auto_allocation(file, balance=ns.balance, capacities=capacities)
    if not ns.dry_run:
        apply_allocation(file, preview)
    plan = preview.plan
    if ns.json:
        print(
            json.dumps(
                {
                    "written": not ns.dry_run,
                    "people": [
                        {"name": preview.names[m], "cases": plan.totals[m], "mix": plan.mix[m]}
                        for m in plan.totals
                    ],
                    "assignments": {
                        str(preview.sample_numbers[k]): preview.names[m]
                        for k, m in sorted(plan.assignments.items())
                    },
                },
                indent=2,
            )
        )
        return 0
    first = preview.balance[0] if preview.balance else None
    for member_id, total in plan.totals.items():
        mix = plan.mix.get(member_id, {}).get(first or "", {})
        shown = ", ".join(f"{value or _('not recorded')} {n}" for value, n in mix.items() if n)
        print(
            _("{names:30} {total:>10}  {shown}").format(
                names=preview.names[member_id],
                total=counted(total, "{n} case", "{n} cases"),
                shown=shown,
            )
        )
    if ns.dry_run:
        print(_("Nothing written (--dry-run)"))
    return 0


def printable(text: str) -> str:
    """Text from a file as it may be shown on a terminal: control characters escaped."""
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)


def _cmd_export_fieldwork(ns: argparse.Namespace) -> int:
    from inspector_app.core.files.fieldwork_export import export_fieldwork
    from inspector_app.core.files.inspection_file import InspectionFile
    from inspector_app.core.files.passphrase import check_new_passphrase
    from inspector_app.core.storage.connection import read_header

    new_passphrase = read_passphrase_file(ns.passphrase_file)
    if new_passphrase is not None:
        check_new_passphrase(new_passphrase)
    master_passphrase = read_passphrase_file(ns.master_passphrase_file)
    if (
        new_passphrase is None
        and master_passphrase is not None
        and ns.file.is_file()
        and not read_header(ns.file).is_sqlite
    ):
        # An encrypted master's data stays encrypted: no plaintext copy of it is written.
        # Refused before the master is opened, so nothing changes.
        name = _("the fieldwork file") if ns.output.is_dir() else ns.output.name
        raise ValidationError(
            _(
                "{name}: not written: {name2} is encrypted, so its fieldwork files must "
                "be too; give this one its own passphrase with --passphrase-file F"
            ).format(name=name, name2=ns.file.name)
        )
    with InspectionFile.open(ns.file, passphrase=master_passphrase) as file:
        outcome = export_fieldwork(
            file,
            ns.inspector,
            ns.output,
            with_identifiers=ns.with_identifiers,
            passphrase=new_passphrase,
        )
    ident = _(" with identifiers") if outcome.with_identifiers else ""
    ident += _(", encrypted") if new_passphrase else ""
    print(
        _("Wrote {path} for {inspector}: {cases}, {revisions}{ident}").format(
            path=printable(str(outcome.path)),
            inspector=printable(outcome.inspector),
            cases=counted(outcome.cases, "{n} case", "{n} cases"),
            revisions=counted(outcome.revisions, "{n} revision", "{n} revisions"),
            ident=ident,
        )
    )
    if outcome.with_identifiers and new_passphrase is None:
        _warn(
            _(
                "{name} is not encrypted and holds case identifiers (CRNs, names); give "
                "it a passphrase with --passphrase-file F to protect them"
            ).format(name=outcome.path.name)
        )
    return 0


def _cmd_import_answers(ns: argparse.Namespace) -> int:
    from inspector_app.core.cases.answers import import_answers

    with _open(ns, ns.file) as file:
        count = import_answers(file, ns.answers, ns.as_name)
    print(
        _("Imported {answers} from {name}").format(
            answers=counted(count, "{n} answer", "{n} answers"), name=ns.answers.name
        )
    )
    return 0


def _cmd_status(ns: argparse.Namespace) -> int:
    from inspector_app.core.cases.status import file_status

    with _open(ns, ns.file, readonly=True) as file:
        status = file_status(file)
    if ns.json:
        _print_json(status.to_json())
        return 0
    owner = _(" of {owner}").format(owner=printable(status.owner)) if status.owner else ""
    print(f"{printable(status.title)} ({printable(status.organisation)})")
    print(
        _("{role} file{owner}; framework {framework}").format(
            role=status.role.capitalize(), owner=owner, framework=printable(status.framework)
        )
    )
    counts = status.counts
    print(
        _(
            "{cases}: {complete} complete, {in_progress} in progress, {not_started} not started"
        ).format(
            cases=counted(len(status.cases), "{n} case", "{n} cases"),
            complete=counts.get("complete", 0),
            in_progress=counts.get("in progress", 0),
            not_started=counts.get("not started", 0),
        )
    )
    for c in status.cases:
        extra = (
            _(", {notes_missing} notes missing").format(notes_missing=c.notes_missing)
            if c.notes_missing
            else ""
        )
        extra += _(", {conflicts} conflicts").format(conflicts=c.conflicts) if c.conflicts else ""
        assessor = printable(c.assessor) if c.assessor else "(unallocated)"
        print(
            _(
                "  {label}  {assessor:20} {status:12} {answered}/{applicable} answered{extra}"
            ).format(
                label=printable(c.label),
                assessor=assessor,
                status=c.status,
                answered=c.answered,
                applicable=c.applicable,
                extra=extra,
            )
        )
    return 0


def _cmd_demo(ns: argparse.Namespace) -> int:
    from inspector_app.core.demo import create_demo, create_lead_demo

    framework = {"framework_id": ns.framework_id} if ns.framework_id else {}

    if ns.merged or ns.complete:
        outcome = create_lead_demo(
            ns.folder, cases=ns.cases, seed=ns.seed, complete=ns.complete, **framework
        )
    else:
        outcome = create_demo(ns.folder, cases=ns.cases, seed=ns.seed, **framework)
    state = (
        _(" (merged)")
        if ns.merged
        else _(" (complete: ready for a final report)")
        if ns.complete
        else ""
    )
    print(_("Master: {master}{state}").format(master=outcome.master, state=state))
    for path in outcome.fieldwork:
        print(_("Fieldwork: {path}").format(path=path))
    return 0


def _cmd_merge(ns: argparse.Namespace) -> int:
    from inspector_app.core.files.merge_copy import undo_last_merge
    from inspector_app.core.merge.run import merge_files

    if ns.undo:
        if ns.sources or ns.dry_run:
            _fail(_("merge --undo takes only the master file"))
            return EXIT_USAGE
        print(
            undo_last_merge(
                ns.master,
                passphrase=read_passphrase_file(ns.passphrase_file),
                discard_later_edits=ns.discard_later_edits,
            )
        )
        return 0
    if not ns.sources:
        _fail(_("merge needs at least one fieldwork file (or --undo)"))
        return EXIT_USAGE
    passphrases = _source_passphrases(ns.sources, ns.source_passphrase_file)
    with _open(ns, ns.master) as master:
        report = merge_files(master, ns.sources, dry_run=ns.dry_run, passphrases=passphrases)
    if ns.json:
        _print_json(report.to_json())
    else:
        verb = _("Would merge") if report.dry_run else _("Merged")
        master_name = printable(str(ns.master))
        for s in report.sources:
            name = printable(Path(s.path).name)
            if not s.refusal:
                print(
                    _(
                        "{verb} {name} ({owner}): {new_revisions} on {cases_touched}, "
                        "part of {conflicts_raised}"
                    ).format(
                        verb=verb,
                        name=name,
                        owner=printable(str(s.owner)),
                        new_revisions=counted(
                            s.new_revisions, "{n} new revision", "{n} new revisions"
                        ),
                        cases_touched=counted(s.cases_touched, "{n} case", "{n} cases"),
                        conflicts_raised=counted(
                            s.conflicts_raised, "{n} new conflict", "{n} new conflicts"
                        ),
                    )
                )
        if report.new_conflicts:
            print(
                _(
                    "{new_conflicts} new conflict(s) to settle: inspector-app conflicts "
                    "{master_name}"
                ).format(new_conflicts=report.new_conflicts, master_name=master_name)
            )
        if report.changed_after_resolution:
            print(
                _(
                    "{changed_after_resolution} answer(s) changed after your resolution, "
                    "to review: inspector-app conflicts {master_name}"
                ).format(
                    changed_after_resolution=report.changed_after_resolution,
                    master_name=master_name,
                )
            )
        if report.snapshot:
            print(
                _("Undo with: inspector-app merge {master_name} --undo").format(
                    master_name=master_name
                )
            )
    if report.refused:
        for s in report.refused:
            print(
                _("inspector-app: error: {value}").format(value=printable(s.refusal or "")),
                file=sys.stderr,
            )
        return EXIT_ERROR
    return 0


def _cmd_conflicts(ns: argparse.Namespace) -> int:
    from inspector_app.core.merge.conflicts import list_conflicts, resolve_conflict

    if ns.resolve:
        case, question = ns.resolve
        if ns.value is None and ns.take is None:
            _fail(_("--resolve needs --value V or --take AUTHOR, and --reason TEXT"))
            return EXIT_USAGE
        with _open(ns, ns.master) as master:
            resolve_conflict(
                master,
                _positive_int(case),
                question,
                value=ns.value,
                take_author=ns.take,
                reason=ns.reason,
            )
        print(_("Resolved case {case} {question}").format(case=case, question=question))
        return 0
    with _open(ns, ns.master, readonly=True) as master:
        conflicts = list_conflicts(master)
    if ns.json:
        _print_json([c.to_json() for c in conflicts])
        return 0
    if not conflicts:
        print(_("No open conflicts"))
    heading = None
    for c in conflicts:
        if c.after_resolution and heading is None:
            heading = _("Changed after a resolution, to review:")
            print(heading)
        print(f"{printable(c.label)} {printable(c.field)}: {printable(c.title)}")
        for h in c.heads:
            note = f" - {printable(h.note)}" if h.note else ""
            value = printable(str(h.value)) if h.value is not None else "None"
            print(f"    {printable(h.author):20} {h.when:%d %b %H:%M}  {value}{note}")
    return 0


def _cmd_agreement(ns: argparse.Namespace) -> int:
    from inspector_app.core.findings.agreement import agreement

    with _open(ns, ns.master, readonly=True) as master:
        pairs = agreement(master)
    if ns.json:
        _print_json([p.to_json() for p in pairs])
        return 0
    from inspector_app.core.findings.percentages import share_text

    if not pairs:
        print(_("No double-read answers yet"))
    for p in pairs:
        rate = share_text(p.agreed, p.compared)
        kappa = f"{p.kappa:.2f}" if p.kappa is not None else "-"
        print(
            _("{first} / {second}: {agreement} ({rate}), kappa {kappa}, {cases}").format(
                first=p.first,
                second=p.second,
                agreement=counted(
                    p.compared,
                    "{agreed} of {n} answer agrees",
                    "{agreed} of {n} answers agree",
                    agreed=p.agreed,
                ),
                rate=rate,
                kappa=kappa,
                cases=counted(p.cases, "{n} case", "{n} cases"),
            )
        )
    return 0


def _source_passphrases(sources: list[Path], files: list[Path]) -> dict[Path, str]:
    """The k-th --source-passphrase-file belongs to the k-th encrypted source (one whose
    header is not plain SQLite), in the order the sources are given."""
    from inspector_app.core.storage.connection import read_header

    encrypted = []
    for source in sources:
        try:
            if source.is_file() and source.stat().st_size and not read_header(source).is_sqlite:
                encrypted.append(source)
        except OSError:
            continue
    passphrases = [read_passphrase_file(f) for f in files]
    if len(passphrases) > len(encrypted):
        raise ValidationError(
            _("{passphrases} source passphrase files for {encrypted} encrypted sources").format(
                passphrases=len(passphrases), encrypted=len(encrypted)
            )
        )
    return {source: key for source, key in zip(encrypted, passphrases, strict=False) if key}


def _cmd_passphrase(ns: argparse.Namespace) -> int:
    from inspector_app.core.files.passphrase import change_passphrase

    current = read_passphrase_file(ns.passphrase_file)
    new = None if ns.remove else read_passphrase_file(ns.new_passphrase_file)
    print(change_passphrase(ns.file, current=current, new=new))
    return 0


def _cmd_snapshot(ns: argparse.Namespace) -> int:
    from inspector_app.core.files.handover import write_snapshot

    target = ns.output / ns.file.name if ns.output.is_dir() else ns.output
    passphrase = read_passphrase_file(ns.passphrase_file)
    written = write_snapshot(ns.file, target, passphrase=passphrase)
    print(_("Wrote {written}").format(written=printable(str(written))))
    return 0


def _cmd_purge_identifiers(ns: argparse.Namespace) -> int:
    from inspector_app.app.identifiers import purge_after_publication, report_is_final

    with _open(ns, ns.file) as file:
        if not ns.yes:
            draft = "" if report_is_final(file) else _(" (the report is not marked final yet)")
            _fail(
                _(
                    "{name}: this removes every case's name and CRN for good{draft}; run "
                    "again with --yes to do it"
                ).format(name=file.path.name, draft=draft)
            )
            return EXIT_USAGE
        outcome = purge_after_publication(file, before_final=ns.before_final)
    print(
        _("Removed the identifiers of {cases}").format(
            cases=counted(outcome.cases, "{n} case", "{n} cases")
        )
    )
    return 0


def _cmd_findings(ns: argparse.Namespace) -> int:
    from inspector_app.core.findings.figures import compute_findings, subgroup_named

    subgroup = subgroup_named(ns.subgroup) if ns.subgroup else None
    with _open(ns, ns.master, readonly=True) as master:
        findings = compute_findings(
            master, include_in_progress=ns.include_in_progress, subgroup=subgroup
        )
        if findings.ratings is not None:
            # The ratings as the report states them: with the lead's adjustments.
            from dataclasses import replace

            from inspector_app.core.narrative.rating_overrides import adjusted_ratings

            findings = replace(findings, ratings=adjusted_ratings(master, findings.ratings))
    if ns.json:
        _print_json(findings.to_json())
        return 0
    scope = _("complete and in-progress") if ns.include_in_progress else _("complete")
    group = f", {findings.subgroup_label}" if findings.subgroup_label else ""
    print(
        _("{cases_counted} counted{group}").format(
            cases_counted=counted(
                findings.cases_counted, "{n} {scope} case", "{n} {scope} cases", scope=scope
            ),
            group=group,
        )
    )
    stages = dict(findings.stages)
    stage = None
    for pooled in findings.criteria:
        if pooled.stage and pooled.stage != stage:
            stage = pooled.stage
            print(f"\n{stage}. {stages.get(stage, '')}")
        percent = f"{pooled.percent}%" if pooled.percent is not None else "-"
        figures = _("{sufficient} of {denominator}").format(
            sufficient=pooled.sufficient, denominator=pooled.denominator
        )
        print(f"\n{pooled.code} {pooled.title}: {percent} ({figures})")
        for code in pooled.question_codes:
            q = findings.question(code)
            percent = f"{q.percent:3d}%" if q.percent is not None else "   -"
            disputed = "  [disputed]" if q.disputed else ""
            counts = f"{q.sufficient:>3}/{q.denominator:<3}"
            print(f"  {q.code:6} {percent}  {counts} {q.words or ''}{disputed}")
    if findings.ratings is not None:
        print("\n" + _("Ratings"))
        framework_commands.print_ratings(findings.ratings)
    return 0


def _cmd_report(ns: argparse.Namespace) -> int:
    from inspector_app.app.reports import DOCX, PDF, PRESS_RELEASE, build_report, render
    from inspector_app.core.files.disk import save_output

    if ns.override is not None and not ns.final:
        _fail(_("--override goes with --final"))
        return EXIT_USAGE
    targets = [ns.output, *(p for p in (ns.docx, ns.press_release) if p)]
    _check_report_targets(ns.master, targets, overwrite=ns.overwrite)
    if ns.final:  # refused (nothing changed, nothing written) until it may be published
        report_commands.mark_final_for_report(ns, targets)
    with _open(ns, ns.master, readonly=True) as master:
        data = build_report(
            master,
            include_in_progress=ns.include_in_progress,
            final=report_commands.final_for_report(master, ns.final),
            comparison=not ns.no_comparison,
            address=ns.store,
        )
    compared = data.area_comparison
    if compared is not None and not compared.reachable:
        # Never the address as given: it may hold a password (`store` is without it).
        _warn(
            _(
                "the store {store} could not be read ({problem}); the report says so in "
                "place of the comparison"
            ).format(store=compared.store, problem=compared.problem)
            if compared.store
            else _(
                "the store could not be read ({problem}); the report says so in place of "
                "the comparison"
            ).format(problem=compared.problem)
        )
    kinds = [(PDF, ns.output), (DOCX, ns.docx), (PRESS_RELEASE, ns.press_release)]
    outputs = [(path, render(kind, data)) for kind, path in kinds if path]
    for path, payload in outputs:
        save_output(path, payload)
        print(_("Wrote {path}").format(path=printable(str(path))))
    if data.disputed:
        print(_("Note: some figures are affected by unresolved conflicts"), file=sys.stderr)
    return 0


def _check_report_targets(master: Path, targets: list[Path], *, overwrite: bool) -> None:
    """Before anything is read or marked final: an output never replaces the inspection file
    it is made from, any other inspection file or another output of the same run, and
    replaces an existing file only with --overwrite."""
    from inspector_app.core.errors import FileRefused
    from inspector_app.core.storage.safe_write import looks_like_inspection_file, special_kind

    seen: set[Path] = set()
    for target in targets:
        resolved = target.resolve()
        if resolved in seen:
            raise ValidationError(
                _("{name}: given for two outputs; give each its own name").format(name=target.name)
            )
        seen.add(resolved)
        if resolved == master.resolve() or (
            target.exists() and master.exists() and target.samefile(master)
        ):
            raise FileRefused(
                _(
                    "{name}: is the inspection file the report is made from; it is never "
                    "written over"
                ).format(name=target.name)
            )
        if not target.exists():
            continue
        if target.is_dir():
            raise FileRefused(_("{name}: is a folder; give a file name").format(name=target.name))
        if not target.is_file():
            raise FileRefused(
                _("{name}: {special_kind}, not a file").format(
                    name=target.name, special_kind=special_kind(target.stat().st_mode)
                )
            )
        if looks_like_inspection_file(target):
            raise FileRefused(
                _(
                    "{name}: is an inspection file (or another database); it is never "
                    "written over, choose another name"
                ).format(name=target.name)
            )
        if not overwrite:
            raise FileRefused(
                _("{name}: already exists; nothing was written (--overwrite replaces it)").format(
                    name=target.name
                )
            )
