"""Exports for analysts on the command line: `export-answers` and `export-findings` write an
inspection file's answers or figures as a spreadsheet (XLSX or CSV, by the output's ending)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from inspector_app.cli.report_commands import PASSPHRASE_HELP
from inspector_app.core.i18n import N_, _, translated
from inspector_app.core.plural import counted

COMMANDS = ("export-answers", "export-findings")

OUTPUT_HELP = N_("the spreadsheet to write; its ending chooses the format (.xlsx or .csv)")
OVERWRITE_HELP = N_(
    "replace the output if it already exists (an inspection file is never replaced)"
)
CSV_HELP = N_(
    "Text a spreadsheet would take for a formula (starting =, +, -, @ or a quote) is "
    "kept as text: in a CSV it starts with one extra ' (remove one leading ' to get "
    "the text back)."
)


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Adds the export commands."""
    p = sub.add_parser(
        "export-answers",
        help=_("the answers as a spreadsheet for analysts (XLSX or CSV)"),
        description=_(
            "Write a row per case and answered question: the case's profile, who it is "
            "allocated to, the answer, its evidence note, who answered and when (UTC), "
            "whether the case is complete and whether the answer is in conflict. No CRN "
            "or name unless asked. "
        )
        + translated(CSV_HELP),
    )
    p.add_argument("master", type=Path, help=_("the inspection file (a master, or any other)"))
    p.add_argument("--passphrase-file", type=Path, metavar="F", help=translated(PASSPHRASE_HELP))
    p.add_argument(
        "-o",
        "--output",
        type=Path,
        required=True,
        metavar="OUT.xlsx|OUT.csv",
        help=translated(OUTPUT_HELP),
    )
    p.add_argument(
        "--all-questions",
        action="store_true",
        help=_(
            "a row for every question that applies to a case, blank where not answered "
            "(default: answered questions only)"
        ),
    )
    p.add_argument(
        "--include-identifiers",
        action="store_true",
        help=_("add each case's CRN and name; the output then holds personal data"),
    )
    p.add_argument("--overwrite", action="store_true", help=translated(OVERWRITE_HELP))
    p.set_defaults(handler=cmd_export_answers)

    p = sub.add_parser(
        "export-findings",
        help=_("the figures as a spreadsheet for analysts (XLSX or CSV)"),
        description=_(
            "Write the figures the report prints: per question, per criterion (or "
            "section), per stage and per sub-group, and for all the work. XLSX has a "
            "sheet per level; CSV is one tidy table with a Level column (question, "
            "criterion or section, stage, sub-group, overall), ready for R or pandas. "
        )
        + translated(CSV_HELP),
    )
    p.add_argument("master", type=Path, help=_("the inspection file (a master, or any other)"))
    p.add_argument("--passphrase-file", type=Path, metavar="F", help=translated(PASSPHRASE_HELP))
    p.add_argument(
        "-o",
        "--output",
        type=Path,
        required=True,
        metavar="OUT.xlsx|OUT.csv",
        help=translated(OUTPUT_HELP),
    )
    p.add_argument(
        "--include-in-progress",
        action="store_true",
        help=_("count cases still in progress too (default: complete cases only)"),
    )
    p.add_argument("--overwrite", action="store_true", help=translated(OVERWRITE_HELP))
    p.set_defaults(handler=cmd_export_findings)


def cmd_export_answers(ns: argparse.Namespace) -> int:
    from inspector_app.cli.main import printable, read_passphrase_file
    from inspector_app.core.exports.answers import write_answers
    from inspector_app.core.exports.spreadsheet import TargetExists

    passphrase = read_passphrase_file(ns.passphrase_file)
    try:
        written = write_answers(
            ns.master,
            ns.output,
            passphrase=passphrase,
            all_questions=ns.all_questions,
            include_identifiers=ns.include_identifiers,
            overwrite=ns.overwrite,
        )
    except TargetExists as exc:
        raise TargetExists(_("{exc} (--overwrite replaces it)").format(exc=exc)) from exc
    rows = counted(written.rows, "{n} row", "{n} rows")
    print(_("Wrote {path}: {rows}").format(path=printable(str(written.path)), rows=rows))
    if ns.include_identifiers:
        print(
            _(
                "inspector-app: warning: {name} holds case identifiers (CRNs, names) and "
                "is not encrypted; keep it safe and delete it when done"
            ).format(name=printable(written.path.name)),
            file=sys.stderr,
        )
    return 0


def cmd_export_findings(ns: argparse.Namespace) -> int:
    from inspector_app.cli.main import printable, read_passphrase_file
    from inspector_app.core.exports.findings import write_findings
    from inspector_app.core.exports.spreadsheet import TargetExists

    passphrase = read_passphrase_file(ns.passphrase_file)
    try:
        written = write_findings(
            ns.master,
            ns.output,
            passphrase=passphrase,
            include_in_progress=ns.include_in_progress,
            overwrite=ns.overwrite,
        )
    except TargetExists as exc:
        raise TargetExists(_("{exc} (--overwrite replaces it)").format(exc=exc)) from exc
    rows = counted(written.rows, "{n} row", "{n} rows")
    print(_("Wrote {path}: {rows}").format(path=printable(str(written.path)), rows=rows))
    return 0
