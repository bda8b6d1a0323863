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

from inspector_app import __version__
from inspector_app.core.errors import InspectorError

EXIT_ERROR = 1
EXIT_USAGE = 2

Handler = Callable[[argparse.Namespace], int]


def _iso_date(text: str) -> str:
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date (YYYY-MM-DD)") from exc


def _positive_int(text: str) -> int:
    from inspector_app.core.sample_numbers import parse_sample_number

    number = parse_sample_number(text)
    if number is None:
        raise argparse.ArgumentTypeError(f"'{text}' is not a sample number")
    return number


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="inspector-app",
        description="Case-assessment fieldwork, merge and reporting for probation inspections. "
        "With no subcommand (or just a file) the desktop app opens.",
    )
    parser.add_argument("--version", action="version", version=f"inspector-app {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("new", help="create a master inspection file")
    p.add_argument("file", type=Path)
    p.add_argument("--title", required=True)
    p.add_argument("--organisation", required=True)
    p.add_argument("--programme", default=None)
    p.add_argument("--framework", default=None, help="framework id (default iaow-2013)")
    p.add_argument("--lead", default=None, help="the lead inspector's name")
    p.add_argument("--fieldwork-start", type=_iso_date, default=None)
    p.add_argument("--fieldwork-end", type=_iso_date, default=None)
    p.set_defaults(handler=_cmd_new)

    p = sub.add_parser("import-sample", help="import the case sample from CSV or XLSX")
    p.add_argument("file", type=Path)
    p.add_argument("sample", type=Path)
    p.add_argument("--accept-valid-rows", action="store_true")
    p.set_defaults(handler=_cmd_import_sample)

    team = sub.add_parser("team", help="add or list team members")
    team_sub = team.add_subparsers(dest="team_command", metavar="ACTION", required=True)
    p = team_sub.add_parser("add", help="add a team member")
    p.add_argument("file", type=Path)
    p.add_argument("name")
    p.add_argument("--role", choices=("lead", "inspector", "assessor"), default="inspector")
    p.set_defaults(handler=_cmd_team_add)
    p = team_sub.add_parser("list", help="list the team")
    p.add_argument("file", type=Path)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_cmd_team_list)

    p = sub.add_parser("allocate", help="allocate cases to the team")
    p.add_argument("file", type=Path)
    p.add_argument("--auto", action="store_true", help="balance unallocated cases")
    p.add_argument("--case", type=_positive_int, help="sample number")
    p.add_argument("--to", help="team member's name")
    p.add_argument("--second-reader", action="store_true")
    p.set_defaults(handler=_cmd_allocate)

    p = sub.add_parser("export-fieldwork", help="write one assessor's fieldwork file")
    p.add_argument("file", type=Path)
    p.add_argument("--inspector", required=True)
    p.add_argument("-o", "--output", type=Path, required=True, help="file or folder")
    p.add_argument("--with-identifiers", action="store_true")
    p.set_defaults(handler=_cmd_export_fieldwork)

    p = sub.add_parser("import-answers", help="import answers from CSV (case,question,answer,note)")
    p.add_argument("file", type=Path)
    p.add_argument("answers", type=Path)
    p.add_argument("--as", dest="as_name", default=None)
    p.set_defaults(handler=_cmd_import_answers)

    p = sub.add_parser("status", help="role, owner and progress per case")
    p.add_argument("file", type=Path)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_cmd_status)

    p = sub.add_parser("framework", help="show a framework's sections and questions")
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument("file", type=Path, nargs="?")
    group.add_argument("--id", dest="framework_id")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_cmd_framework)

    p = sub.add_parser("demo", help="create a realistic synthetic inspection in a folder")
    p.add_argument("folder", type=Path)
    p.add_argument("--cases", type=int, default=60)
    p.add_argument("--seed", type=int, default=2013)
    p.set_defaults(handler=_cmd_demo)
    return parser


SUBCOMMANDS = (
    "new",
    "import-sample",
    "team",
    "allocate",
    "export-fieldwork",
    "import-answers",
    "status",
    "framework",
    "demo",
)


def is_cli_invocation(args: list[str]) -> bool:
    """A subcommand or a top-level option means headless; a bare file path means the GUI."""
    return bool(args) and (args[0] in SUBCOMMANDS or args[0].startswith("-"))


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
        return ns.handler(ns)
    except InspectorError as exc:
        _fail(str(exc))
    except BrokenPipeError:
        return 0  # the reader (e.g. `head`) stopped listening
    except OSError as exc:
        name = Path(exc.filename).name if exc.filename else "file"
        _fail(f"{name}: {exc.strerror or exc}")
    except KeyboardInterrupt:
        _fail("interrupted")
    return EXIT_ERROR


def _fail(message: str) -> None:
    """One line on stderr: the first line of the message, with a count of the rest."""
    lines = message.splitlines() or ["error"]
    print(f"inspector-app: error: {lines[0]}", file=sys.stderr)
    for line in lines[1:]:
        print(f"  {line}", file=sys.stderr)


def _print_json(data: object) -> None:
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


# -- handlers --------------------------------------------------------------------------------


def _open(path: Path, readonly: bool = False):
    from inspector_app.core.inspection_file import InspectionFile

    return InspectionFile.open(path, readonly=readonly)


def _cmd_new(ns: argparse.Namespace) -> int:
    from inspector_app.core.inspection_file import (
        DEFAULT_FRAMEWORK,
        DEFAULT_PROGRAMME,
        InspectionFile,
    )

    with InspectionFile.create(
        ns.file,
        title=ns.title,
        organisation=ns.organisation,
        programme=ns.programme or DEFAULT_PROGRAMME,
        framework_id=ns.framework or DEFAULT_FRAMEWORK,
        lead=ns.lead,
        fieldwork_start=ns.fieldwork_start,
        fieldwork_end=ns.fieldwork_end,
    ) as file:
        print(
            f"Created {file.path.name}: {file.inspection.title} "
            f"({file.framework.id} {file.framework.version}, "
            f"{len(file.framework.questions())} questions)"
        )
    return 0


def _cmd_import_sample(ns: argparse.Namespace) -> int:
    from inspector_app.core.sample import import_sample

    with _open(ns.file) as file:
        outcome = import_sample(file, ns.sample, accept_valid_rows=ns.accept_valid_rows)
    print(f"Imported {outcome.imported} cases from {ns.sample.name}")
    if outcome.problems:
        print(f"Skipped {outcome.skipped} rows with problems:")
        for problem in outcome.problems:
            print(f"  {problem.message}")
    return 0


def _cmd_team_add(ns: argparse.Namespace) -> int:
    from inspector_app.core.team import add_member

    with _open(ns.file) as file:
        member = add_member(file, ns.name, ns.role)
    print(f"Added {member.name} ({member.role})")
    return 0


def _cmd_team_list(ns: argparse.Namespace) -> int:
    from inspector_app.core.team import list_members

    with _open(ns.file, readonly=True) as file:
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
        print("No team members yet")
    for m in members:
        second = f", {m.second_reads} second reads" if m.second_reads else ""
        print(f"{m.name:30} {m.role:10} {m.cases} cases{second}")
    return 0


def _cmd_allocate(ns: argparse.Namespace) -> int:
    from inspector_app.core.sample import allocate_auto, allocate_case

    if ns.auto == bool(ns.case or ns.to):
        _fail("allocate needs either --auto, or --case SAMPLE_NO --to NAME")
        return EXIT_USAGE
    with _open(ns.file) as file:
        if ns.auto:
            counts = allocate_auto(file)
            for name, count in counts.items():
                print(f"{name:30} {count} cases")
            return 0
        if not (ns.case and ns.to):
            _fail("allocate --case needs --to NAME (and --to needs --case)")
            return EXIT_USAGE
        allocate_case(file, ns.case, ns.to, second_reader=ns.second_reader)
    role = "second reader" if ns.second_reader else "first reader"
    print(f"Case {ns.case:03d} allocated to {ns.to} as {role}")
    return 0


def _cmd_export_fieldwork(ns: argparse.Namespace) -> int:
    from inspector_app.core.fieldwork_export import export_fieldwork

    with _open(ns.file) as file:
        outcome = export_fieldwork(
            file, ns.inspector, ns.output, with_identifiers=ns.with_identifiers
        )
    ident = " with identifiers" if outcome.with_identifiers else ""
    print(
        f"Wrote {outcome.path} for {outcome.inspector}: {outcome.cases} cases, "
        f"{outcome.revisions} revisions{ident}"
    )
    return 0


def _cmd_import_answers(ns: argparse.Namespace) -> int:
    from inspector_app.core.answers import import_answers

    with _open(ns.file) as file:
        count = import_answers(file, ns.answers, ns.as_name)
    print(f"Imported {count} answers from {ns.answers.name}")
    return 0


def _cmd_status(ns: argparse.Namespace) -> int:
    from inspector_app.core.status import file_status

    with _open(ns.file, readonly=True) as file:
        status = file_status(file)
    if ns.json:
        _print_json(status.to_json())
        return 0
    owner = f" of {status.owner}" if status.owner else ""
    print(f"{status.title} ({status.organisation})")
    print(f"{status.role.capitalize()} file{owner}; framework {status.framework}")
    counts = status.counts
    print(
        f"{len(status.cases)} cases: {counts.get('complete', 0)} complete, "
        f"{counts.get('in progress', 0)} in progress, {counts.get('not started', 0)} not started"
    )
    for c in status.cases:
        extra = f", {c.notes_missing} notes missing" if c.notes_missing else ""
        extra += f", {c.conflicts} conflicts" if c.conflicts else ""
        print(
            f"  {c.label}  {c.assessor or '(unallocated)':20} {c.status:12} "
            f"{c.answered}/{c.applicable} answered{extra}"
        )
    return 0


def _cmd_framework(ns: argparse.Namespace) -> int:
    from inspector_app.core.framework import load_builtin
    from inspector_app.core.framework_json import framework_to_json

    if ns.framework_id:
        framework = load_builtin(ns.framework_id)
    else:
        with _open(ns.file, readonly=True) as file:
            framework = file.framework
    data = framework_to_json(framework)
    if ns.json:
        _print_json(data)
        return 0
    print(f"{framework.title} ({framework.id} {framework.version})")
    for section in data["sections"]:
        print(f"\n{section['code']} {section['title']}")
        for q in section["questions"]:
            flags = "scored" if q["scored"] else "not scored"
            cond = " [conditional]" if q["applies_if"] else ""
            print(f"  {q['code']:6} {q['text']} ({q['scale']}, {flags}){cond}")
    return 0


def _cmd_demo(ns: argparse.Namespace) -> int:
    from inspector_app.core.demo import create_demo

    outcome = create_demo(ns.folder, cases=ns.cases, seed=ns.seed)
    print(f"Master: {outcome.master}")
    for path in outcome.fieldwork:
        print(f"Fieldwork: {path}")
    return 0
