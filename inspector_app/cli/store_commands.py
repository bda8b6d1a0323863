"""The central store on the command line: `store init` sets a store up (and makes it the app's),
`publish` sends a master's anonymised figures to it, `compare` sets a master's scores beside
those of every published inspection of the same framework version; `store import-published`
loads other areas' scores from reports published before the app.

The store is named with --store (an address: postgresql+psycopg://USER@HOST/DATABASE or a
store file); without it, the one `store init` set up last, else the store file in the data
folder. A password is never taken from, written to or printed in anything of the app's: libpq
reads it from ~/.pgpass or PGPASSWORD."""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from inspector_app.cli.report_commands import PASSPHRASE_HELP, _open, _print_json
from inspector_app.core.i18n import N_, _, translated
from inspector_app.core.plural import counted

if TYPE_CHECKING:
    from inspector_app.core.store.access import InitOutcome
    from inspector_app.core.store.compare import Comparison
    from inspector_app.core.store.imported import ImportOutcome
    from inspector_app.core.store.publish import PublishOutcome

COMMANDS = ("store", "publish", "compare")

STORE_HELP = N_(
    "the store: postgresql+psycopg://USER@HOST/DATABASE[?sslmode=require] or a store file "
    "(default: the store set up last on this computer, else the store file in your data folder)"
)
_TITLE_WIDTH = 44


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Adds `store init`, `publish` and `compare`."""
    store = sub.add_parser("store", help=_("set up the central store of published inspections"))
    actions = store.add_subparsers(dest="store_command", metavar="ACTION", required=True)
    p = actions.add_parser(
        "init",
        help=_("create or upgrade a store and make it this app's store"),
        description=_(
            "Create the store's tables (or upgrade them), register the frameworks this "
            "version of the app ships, grant the named PostgreSQL roles, and remember the "
            "store (without its password) for publish and compare. Running it again on a "
            "store that is set up changes nothing there: it only points this app at it."
        ),
    )
    p.add_argument(
        "address",
        metavar="ADDRESS",
        help=_("postgresql+psycopg://USER@HOST/DATABASE[?sslmode=require] or a store file"),
    )
    p.add_argument(
        "--publisher",
        action="append",
        default=[],
        metavar="ROLE",
        help=_("grant this PostgreSQL role the right to publish (repeatable)"),
    )
    p.add_argument(
        "--reader",
        action="append",
        default=[],
        metavar="ROLE",
        help=_("grant this PostgreSQL role the right to read only (repeatable)"),
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_store_init)
    p = actions.add_parser(
        "import-published",
        help=_("load other areas' scores from reports published before the app"),
        description=_(
            "Load published scores from a CSV or Excel workbook with the columns area, "
            "organisation, fieldwork_start, fieldwork_end, framework_id, framework_version, "
            "criterion, score and base (one score a row), so that compare sets them beside "
            "the app's inspections. A file with any problem is refused whole, naming its "
            "rows; importing the same file again changes nothing; a changed score replaces "
            "that area's imported scores."
        ),
    )
    p.add_argument("file", type=Path, metavar="FILE", help=_("the scores (.csv or .xlsx)"))
    p.add_argument("--store", metavar="ADDRESS", help=translated(STORE_HELP))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_store_import_published)

    p = sub.add_parser(
        "publish",
        help=_("send a master's figures (never a name or a CRN) to the central store"),
        description=_(
            "Publish the master's inspection: its area, fieldwork dates and framework; per "
            "case the sample number, the profile and the answers (never a CRN, a name or an "
            "evidence note); the figures and ratings the report prints. Publishing the same "
            "master again changes nothing; after more merges it replaces the inspection's "
            "rows in one transaction."
        ),
    )
    p.add_argument("master", type=Path)
    p.add_argument("--passphrase-file", type=Path, metavar="F", help=translated(PASSPHRASE_HELP))
    p.add_argument("--store", metavar="ADDRESS", help=translated(STORE_HELP))
    p.add_argument(
        "--allow-conflicts",
        action="store_true",
        help=_("publish although conflicts are still open (the store records it)"),
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_publish)

    p = sub.add_parser(
        "compare",
        help=_("the master's scores beside the published inspections'"),
        description=_(
            "For the whole, each stage, each criterion and each scored question: the "
            "master's score beside the lowest, highest and average score (and their count) "
            "of the published inspections made with the same framework version."
        ),
    )
    p.add_argument("master", type=Path)
    p.add_argument("--passphrase-file", type=Path, metavar="F", help=translated(PASSPHRASE_HELP))
    p.add_argument("--store", metavar="ADDRESS", help=translated(STORE_HELP))
    p.add_argument(
        "--year", type=int, metavar="N", help=_("only inspections with fieldwork in year N")
    )
    output = p.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true")
    output.add_argument("--csv", action="store_true", help=_("print CSV (for spreadsheets)"))
    p.set_defaults(handler=cmd_compare)


# --- store init -----------------------------------------------------------------------------


def cmd_store_init(ns: argparse.Namespace) -> int:
    from inspector_app.core.store.access import init_store

    outcome = init_store(ns.address, publishers=ns.publisher, readers=ns.reader)
    if ns.json:
        _print_json(outcome.to_json())
    else:
        _print_init(outcome)
    if outcome.password_dropped:
        _warn(
            _(
                "the password in the address was used but not saved; keep it in ~/.pgpass "
                "so the app finds it next time"
            )
        )
    return 0


def _print_init(outcome: InitOutcome) -> None:
    if outcome.revision_before is None:
        state = _("created")
    elif outcome.revision_before != outcome.revision:
        state = _("upgraded")
    else:
        state = _("already set up")
    print(
        _("Store {store}: {state} (schema {revision})").format(
            store=_printable(outcome.store), state=state, revision=outcome.revision
        )
    )
    known = ", ".join(f"{f.framework_id} {f.version}" for f in outcome.frameworks_known)
    print(_("Frameworks it knows: {known}").format(known=known or "-"))
    if outcome.frameworks_added:
        added = ", ".join(f"{f.framework_id} {f.version}" for f in outcome.frameworks_added)
        print(_("Registered now: {added}").format(added=added))
    for role in outcome.publishers:
        print(_("Granted publishing to role {role}").format(role=_printable(role)))
    for role in outcome.readers:
        print(_("Granted reading to role {role}").format(role=_printable(role)))
    if outcome.remembered:
        print(_("This is now the app's store: publish and compare use it without --store."))


# --- store import-published -----------------------------------------------------------------


def cmd_store_import_published(ns: argparse.Namespace) -> int:
    from inspector_app.core.store.access import open_store
    from inspector_app.core.store.imported import ImportRefused, import_published

    try:
        with open_store(ns.store) as store:
            outcome = import_published(store, ns.file)
    except ImportRefused as refused:
        print(
            _("inspector-app: error: {name}: not imported, nothing was written:").format(
                name=_printable(refused.path.name)
            ),
            file=sys.stderr,
        )
        for line in refused.lines:
            print(f"  {_printable(line)}", file=sys.stderr)
        return 1
    if ns.json:
        _print_json(outcome.to_json())
    else:
        _print_import(outcome)
    return 0


def _print_import(outcome: ImportOutcome) -> None:
    print(
        _("{file}: {rows} and {inspections} read into {store}").format(
            file=_printable(outcome.file),
            rows=counted(outcome.rows, "{n} score", "{n} scores"),
            inspections=counted(outcome.inspections, "{n} inspection", "{n} inspections"),
            store=_printable(outcome.store),
        )
    )
    for areas, message in (
        (outcome.added, _("Added: {areas}")),
        (outcome.replaced, _("Replaced (their scores changed): {areas}")),
        (outcome.unchanged, _("Already held, nothing written: {areas}")),
    ):
        if areas:
            print(message.format(areas=_printable(", ".join(areas))))


# --- publish --------------------------------------------------------------------------------


def cmd_publish(ns: argparse.Namespace) -> int:
    from inspector_app.core.store.access import open_store
    from inspector_app.core.store.publication import publication_from_file
    from inspector_app.core.store.publish import publish

    with _open(ns, ns.master, readonly=True) as master:
        publication = publication_from_file(master)
    with open_store(ns.store) as store:
        outcome = publish(store, publication, allow_conflicts=ns.allow_conflicts)
    if ns.json:
        _print_json(outcome.to_json())
    else:
        _print_publish(outcome)
    if outcome.open_conflicts:
        _warn(
            counted(
                outcome.open_conflicts,
                "published with {n} conflict still open; the store records it",
                "published with {n} conflicts still open; the store records it",
            )
        )
    return 0


def _print_publish(outcome: PublishOutcome) -> None:
    from inspector_app.core.store.publish import REPLACED, UNCHANGED

    where = _printable(outcome.store)
    area = _printable(outcome.organisation)
    if outcome.status == UNCHANGED:
        print(
            _("{area}: the store {store} already holds this version; nothing written").format(
                area=area, store=where
            )
        )
        return
    what = (
        counted(outcome.cases, "{n} case", "{n} cases")
        + ", "
        + counted(outcome.answers, "{n} answer", "{n} answers")
        + ", "
        + counted(outcome.figures, "{n} figure", "{n} figures")
    )
    if outcome.status == REPLACED:
        message = _("{area}: replaced the published version in {store} ({what})")
    else:
        message = _("{area}: published to {store} ({what})")
    print(message.format(area=area, store=where, what=what))


# --- compare --------------------------------------------------------------------------------


def cmd_compare(ns: argparse.Namespace) -> int:
    from inspector_app.core.store.access import open_store
    from inspector_app.core.store.compare import compare
    from inspector_app.core.store.publication import publication_from_file

    with _open(ns, ns.master, readonly=True) as master:
        publication = publication_from_file(master)
    with open_store(ns.store) as store:
        comparison = compare(store, publication, year=ns.year)
    if ns.json:
        _print_json(comparison.to_json())
    elif ns.csv:
        _print_csv(comparison)
    else:
        _print_comparison(comparison)
    return 0


def _print_csv(comparison: Comparison) -> None:
    """The rows as CSV; text a spreadsheet would take for a formula is escaped."""
    from inspector_app.core.exports.spreadsheet import csv_cell
    from inspector_app.core.store.compare import COLUMNS

    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in comparison.rows:
        writer.writerow([csv_cell(value) for value in row.values()])


def _print_comparison(comparison: Comparison) -> None:
    group = counted(comparison.inspections, "{n} published inspection", "{n} published inspections")
    scope = f"{comparison.framework_id} {comparison.framework_version}"
    if comparison.year is not None:
        scope += _(", fieldwork in {year}").format(year=comparison.year)
    print(
        _("{area} compared with {group} ({scope})").format(
            area=_printable(comparison.organisation), group=group, scope=scope
        )
    )
    if comparison.includes_this and not comparison.published_is_current:
        print(_("The master has changed since it was published: publish it again to update."))
    elif not comparison.includes_this:
        print(_("This inspection is not published yet: it is not counted in the group."))
    if comparison.imported:
        print(
            counted(
                comparison.imported,
                "{n} of these inspections was imported from published reports.",
                "{n} of these inspections were imported from published reports.",
            )
        )
    header = (_("Code"), _("Title"), _("This"), _("Lowest"), _("Highest"), _("Average"), _("Count"))
    imported_title = _("Imported")
    imported_header = f" {imported_title:>8}" if comparison.imported else ""
    print(
        f"\n{header[0]:<12} {header[1]:<{_TITLE_WIDTH}} {header[2]:>5} {header[3]:>7}"
        f" {header[4]:>8} {header[5]:>8} {header[6]:>6}{imported_header}"
    )
    for row in comparison.rows:
        indent = {"overall": 0, "stage": 0, "criterion": 2, "question": 4}.get(row.level, 0)
        code = (" " * indent + row.code)[:12]
        title = _printable(row.title)
        if len(title) > _TITLE_WIDTH:
            title = title[: _TITLE_WIDTH - 1] + "…"
        average = "-" if row.average is None else f"{row.average:.1f}"
        print(
            f"{code:<12} {title:<{_TITLE_WIDTH}} {_percent(row.percent):>5}"
            f" {_percent(row.lowest):>7} {_percent(row.highest):>8} {average:>8} {row.count:>6}"
            + (f" {row.imported:>8}" if comparison.imported else "")
        )


def _percent(value: int | None) -> str:
    return "-" if value is None else f"{value}%"


def _printable(text: str) -> str:
    from inspector_app.cli.main import printable

    return printable(text)


def _warn(message: str) -> None:
    print(
        _("inspector-app: warning: {message}").format(message=_printable(message)), file=sys.stderr
    )
