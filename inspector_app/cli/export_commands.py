"""Exports for analysts on the command line: `export-answers` and `export-findings` write an
inspection file's answers or figures as a spreadsheet (XLSX or CSV, by the output's ending)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from inspector_app.cli.report_commands import PASSPHRASE_HELP

COMMANDS = ("export-answers", "export-findings")

OUTPUT_HELP = "the spreadsheet to write; its ending chooses the format (.xlsx or .csv)"
OVERWRITE_HELP = "replace the output if it already exists (an inspection file is never replaced)"
CSV_HELP = (
    "Text a spreadsheet would take for a formula (starting =, +, -, @ or a quote) is kept as "
    "text: in a CSV it starts with one extra ' (remove one leading ' to get the text back)."
)


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Adds the export commands."""
    p = sub.add_parser(
        "export-answers",
        help="the answers as a spreadsheet for analysts (XLSX or CSV)",
        description="Write a row per case and answered question: the case's profile, who it "
        "is allocated to, the answer, its evidence note, who answered and when (UTC), "
        "whether the case is complete and whether the answer is in conflict. No CRN or name "
        "unless asked. " + CSV_HELP,
    )
    p.add_argument("master", type=Path, help="the inspection file (a master, or any other)")
    p.add_argument("--passphrase-file", type=Path, metavar="F", help=PASSPHRASE_HELP)
    p.add_argument(
        "-o", "--output", type=Path, required=True, metavar="OUT.xlsx|OUT.csv", help=OUTPUT_HELP
    )
    p.add_argument(
        "--all-questions",
        action="store_true",
        help="a row for every question that applies to a case, blank where not answered "
        "(default: answered questions only)",
    )
    p.add_argument(
        "--include-identifiers",
        action="store_true",
        help="add each case's CRN and name; the output then holds personal data",
    )
    p.add_argument("--overwrite", action="store_true", help=OVERWRITE_HELP)
    p.set_defaults(handler=cmd_export_answers)

    p = sub.add_parser(
        "export-findings",
        help="the figures as a spreadsheet for analysts (XLSX or CSV)",
        description="Write the figures the report prints: per question, per criterion (or "
        "section), per stage and per sub-group, and for all the work. XLSX has a sheet per "
        "level; CSV is one tidy table with a Level column (question, criterion or section, "
        "stage, sub-group, overall), ready for R or pandas. " + CSV_HELP,
    )
    p.add_argument("master", type=Path, help="the inspection file (a master, or any other)")
    p.add_argument("--passphrase-file", type=Path, metavar="F", help=PASSPHRASE_HELP)
    p.add_argument(
        "-o", "--output", type=Path, required=True, metavar="OUT.xlsx|OUT.csv", help=OUTPUT_HELP
    )
    p.add_argument(
        "--include-in-progress",
        action="store_true",
        help="count cases still in progress too (default: complete cases only)",
    )
    p.add_argument("--overwrite", action="store_true", help=OVERWRITE_HELP)
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
        raise TargetExists(f"{exc} (--overwrite replaces it)") from exc
    rows = f"{written.rows} row{'s' if written.rows != 1 else ''}"
    print(f"Wrote {printable(str(written.path))}: {rows}")
    if ns.include_identifiers:
        print(
            f"inspector-app: warning: {printable(written.path.name)} holds case identifiers "
            "(CRNs, names) and is not encrypted; keep it safe and delete it when done",
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
        raise TargetExists(f"{exc} (--overwrite replaces it)") from exc
    rows = f"{written.rows} row{'s' if written.rows != 1 else ''}"
    print(f"Wrote {printable(str(written.path))}: {rows}")
    return 0
