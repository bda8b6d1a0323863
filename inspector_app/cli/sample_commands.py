"""The case list on the command line: import a trust's export through a mapping (again, in
place of the cases, before fieldwork begins), import the whole long list and draw the sample
from it, replace, withdraw or reinstate a case, each reader's capacity, list the cases."""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from inspector_app.core.errors import ValidationError
from inspector_app.core.i18n import N_, _, translated
from inspector_app.core.plural import counted
from inspector_app.core.sample.table import hidden_rows_note
from inspector_app.core.storage.safe_write import write_file_atomically

if TYPE_CHECKING:
    from inspector_app.core.files.inspection_file import InspectionFile
    from inspector_app.core.sample.importing import SampleReadResult
    from inspector_app.core.sample.mapping import SampleMapping

PASSPHRASE_HELP = N_("read the passphrase of an encrypted file from F (first line)")
COMMANDS = ("import-long-list", "draw-sample", "replace-case", "withdraw", "reinstate", "cases")


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("'{text}' is not a whole number").format(text=text)
        ) from None
    if value < 1 or value > 1_000_000:
        raise argparse.ArgumentTypeError(
            _("'{text}' is not between 1 and 1,000,000").format(text=text)
        )
    return value


def _field_list(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _mapping_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--sheet", help=_("the workbook's sheet to read (default: the case table)"))
    p.add_argument("--header-row", type=_positive, metavar="N", help=_("the header's row number"))
    p.add_argument("--map", type=Path, metavar="MAP.toml", help=_("columns and values to map"))
    p.add_argument(
        "--show-values",
        action="store_true",
        help=_("list each column's values and how they map; import nothing"),
    )
    p.add_argument("--save-map", type=Path, metavar="MAP.toml", help=_("write the mapping to edit"))
    p.add_argument(
        "--problems-csv",
        type=Path,
        metavar="OUT",
        help=_("write every problem (row, column, value)"),
    )
    p.add_argument(
        "--accept-valid-rows", action="store_true", help=_("leave out rows with problems")
    )
    p.add_argument(
        "--confirm-exclusion",
        action="store_true",
        help=_("confirm leaving out rows that differ from the rest"),
    )
    p.add_argument("--exclusion-reason", default="", help=_("why rows are left out (recorded)"))


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Registers the long-list commands and `cases`."""
    p = sub.add_parser("import-long-list", help=_("import the trust's whole long list"))
    p.add_argument("file", type=Path)
    p.add_argument("--passphrase-file", type=Path, metavar="F", help=translated(PASSPHRASE_HELP))
    p.add_argument("long_list", type=Path, help=_("the trust's whole long list, CSV or Excel"))
    _mapping_options(p)
    p.set_defaults(handler=cmd_import_long_list)

    p = sub.add_parser("draw-sample", help=_("draw a stratified random sample from the long list"))
    p.add_argument("file", type=Path)
    p.add_argument("--passphrase-file", type=Path, metavar="F", help=translated(PASSPHRASE_HELP))
    p.add_argument("--size", type=_positive, required=True, help=_("how many cases to draw"))
    p.add_argument(
        "--strata", type=_field_list, default=["sentence_type"], help=_("fields, comma separated")
    )
    p.add_argument("--seed", required=True, help=_("any text; the same seed gives the same draw"))
    p.add_argument("--minimum", type=int, default=1, help=_("cases per stratum at least"))
    p.add_argument("--reserves", type=int, default=2, help=_("reserve cases per stratum"))
    p.add_argument("--dry-run", action="store_true", help=_("show the draw, write nothing"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_draw_sample)

    p = sub.add_parser(
        "replace-case", help=_("replace an unsuitable case by its stratum's reserve")
    )
    p.add_argument("file", type=Path)
    p.add_argument("--passphrase-file", type=Path, metavar="F", help=translated(PASSPHRASE_HELP))
    p.add_argument("case", type=_positive, help=_("the sample number of the case to replace"))
    p.add_argument(
        "--reason", required=True, help=_("why the case cannot be inspected (kept with the draw)")
    )
    p.set_defaults(handler=cmd_replace_case)

    p = sub.add_parser(
        "withdraw",
        help=_("take a case out of the inspection without a replacement (the reason is kept)"),
    )
    p.add_argument("file", type=Path)
    p.add_argument("--passphrase-file", type=Path, metavar="F", help=translated(PASSPHRASE_HELP))
    p.add_argument("case", type=_positive, help=_("the sample number of the case to withdraw"))
    p.add_argument(
        "--reason", required=True, help=_("why the case is withdrawn (the report states it)")
    )
    p.set_defaults(handler=cmd_withdraw)

    p = sub.add_parser("reinstate", help=_("bring a withdrawn case back into the inspection"))
    p.add_argument("file", type=Path)
    p.add_argument("--passphrase-file", type=Path, metavar="F", help=translated(PASSPHRASE_HELP))
    p.add_argument("case", type=_positive, help=_("the sample number of the withdrawn case"))
    p.set_defaults(handler=cmd_reinstate)

    p = sub.add_parser("cases", help=_("list the cases with their profile"))
    p.add_argument("file", type=Path)
    p.add_argument("--passphrase-file", type=Path, metavar="F", help=translated(PASSPHRASE_HELP))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_cases)


def add_import_sample_options(p: argparse.ArgumentParser) -> None:
    _mapping_options(p)
    p.add_argument(
        "--replace",
        action="store_true",
        help=_("replace the cases in the master (only before anyone has written on a case)"),
    )


def add_team_parsers(team_sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Registers `team capacity`."""
    p = team_sub.add_parser(
        "capacity", help=_("how many cases a reader can take this week (none: no limit)")
    )
    p.add_argument("file", type=Path)
    p.add_argument("--passphrase-file", type=Path, metavar="F", help=translated(PASSPHRASE_HELP))
    p.add_argument("name")
    p.add_argument("capacity", metavar="N", help=_("a number of cases, or none for no limit"))
    p.set_defaults(handler=cmd_team_capacity)


def _open(ns: argparse.Namespace, path: Path) -> InspectionFile:
    from inspector_app.cli.main import read_passphrase_file
    from inspector_app.core.files.inspection_file import InspectionFile

    return InspectionFile.open(path, passphrase=read_passphrase_file(ns.passphrase_file))


def _mapping(ns: argparse.Namespace, file: InspectionFile) -> SampleMapping | None:
    from inspector_app.core.sample.mapping import SampleMapping, load_mapping

    mapping = load_mapping(ns.map, file.framework.profile) if ns.map else None
    if ns.sheet is not None or ns.header_row is not None:
        mapping = mapping or SampleMapping()
        mapping.sheet = ns.sheet if ns.sheet is not None else mapping.sheet
        mapping.header_row = ns.header_row if ns.header_row is not None else mapping.header_row
    return mapping


def _show_and_save(
    ns: argparse.Namespace, file: InspectionFile, result: SampleReadResult, path: Path
) -> bool:
    """--show-values, --save-map and --problems-csv; True when the command stops here."""
    from inspector_app.cli.main import printable
    from inspector_app.core.sample.mapping import column_values

    definition = file.framework.profile
    assert result.table is not None
    reports = column_values(definition, result.table, result.mapping)
    if ns.problems_csv:
        # The rows quote the export's values (names, CRNs): owner-only, like every output.
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer)
        writer.writerow(["row", "column", "value", "problem"])
        for problem in result.problems:
            writer.writerow(
                [problem.row or "", problem.column or "", problem.value or "", problem.message]
            )
        write_file_atomically(ns.problems_csv, buffer.getvalue().encode("utf-8"))
    if ns.save_map:
        pending = {
            c.target: {v.spelling: v.suggestion for v in c.unmapped} for c in reports if c.unmapped
        }
        write_file_atomically(ns.save_map, result.mapping.to_toml(pending).encode("utf-8"))
        print(
            _("Mapping written to {save_map} (values still to map are commented out)").format(
                save_map=ns.save_map
            )
        )
    if not ns.show_values:
        return bool(ns.save_map) and not ns.map
    table = result.table
    sheet = _(", sheet '{sheet}'").format(sheet=table.sheet) if table.sheet else ""
    print(
        _("{name}{sheet}: header row {header_row}, {counted}").format(
            name=path.name,
            sheet=sheet,
            header_row=table.header_row,
            counted=counted(len(table.rows), "{n} row", "{n} rows"),
        )
    )
    if table.footer_rows:
        print(
            _("  left out as totals or notes: row(s) {join}").format(
                join=", ".join(map(str, table.footer_rows))
            )
        )
    if table.hidden_rows:
        print(hidden_rows_note(len(table.hidden_rows)))
    print(_("Columns:"))
    mapped = {heading: name for name, heading in result.mapping.columns.items() if heading}
    for heading in table.header:
        if heading:
            print(f"  {printable(heading):40} -> {mapped.get(heading, '(not used)')}")
    for column in reports:
        print(
            _("{label} (column '{heading}'):").format(
                label=column.label, heading=printable(column.heading)
            )
        )
        for value in column.values:
            spelling = printable(value.spelling) or "(blank)"
            if value.state == "unmapped":
                hint = (
                    _("  suggested: {suggestion}").format(suggestion=value.suggestion)
                    if value.suggestion
                    else ""
                )
                print(
                    _("  {spelling:45} {count:6}  NOT MAPPED{hint}").format(
                        spelling=spelling, count=value.count, hint=hint
                    )
                )
            else:
                print(f"  {spelling:45} {value.count:6}  -> {value.maps_to} ({value.state})")
    unmapped = sum(len(c.unmapped) for c in reports)
    print(
        _("{unmapped} value(s) to map; {problems} problem(s) in all").format(
            unmapped=unmapped, problems=len(result.problems)
        )
    )
    return True


def _import(ns: argparse.Namespace, path: Path, long_list: bool) -> int:
    from inspector_app.cli.main import printable
    from inspector_app.core.sample.placement import import_sample, read_for_import

    with _open(ns, ns.file) as file:
        mapping = _mapping(ns, file)
        if ns.show_values or ns.save_map or ns.problems_csv:
            result = read_for_import(file, path, mapping, long_list=long_list)
            if _show_and_save(ns, file, result, path):
                return 0
        options = {
            "mapping": mapping,
            "accept_valid_rows": ns.accept_valid_rows,
            "confirm_exclusion": ns.confirm_exclusion,
            "exclusion_reason": ns.exclusion_reason,
        }
        if long_list:
            from inspector_app.core.sample.long_list import import_long_list

            outcome = import_long_list(file, path, **options)
            print(
                _("Imported {counted} of the long list from {name}").format(
                    counted=counted(outcome.imported, "{n} case", "{n} cases"), name=path.name
                )
            )
            left_out = outcome.excluded
        else:
            if getattr(ns, "replace", False):
                from inspector_app.core.sample.reimport import import_sample_again

                sample = import_sample_again(file, path, **options)
            else:
                sample = import_sample(file, path, **options)
            print(
                _("Imported {counted} from {name}").format(
                    counted=counted(sample.imported, "{n} case", "{n} cases"), name=path.name
                )
            )
            left_out = sample.excluded
            if sample.problems:
                print(
                    _("Skipped {counted} with problems:").format(
                        counted=counted(sample.skipped, "{n} row", "{n} rows")
                    )
                )
                for problem in sample.problems:
                    print(f"  {printable(problem.message)}")
            for difference in sample.differences:
                if difference.notable:
                    print(
                        _("  left out rows differ: {sentence}").format(
                            sentence=difference.sentence
                        ),
                        file=sys.stderr,
                    )
        if left_out:
            print(
                _("Left out {left_out} row(s); the reason is recorded in the file").format(
                    left_out=left_out
                )
            )
    return 0


def cmd_import_sample(ns: argparse.Namespace) -> int:
    return _import(ns, ns.sample, long_list=False)


def cmd_import_long_list(ns: argparse.Namespace) -> int:
    return _import(ns, ns.long_list, long_list=True)


def cmd_draw_sample(ns: argparse.Namespace) -> int:
    from inspector_app.core.sample.long_list import draw_sample

    if ns.minimum < 0 or ns.reserves < 0:
        raise ValidationError(_("--minimum and --reserves must be 0 or more"))
    with _open(ns, ns.file) as file:
        outcome = draw_sample(
            file,
            size=ns.size,
            strata=ns.strata,
            seed=ns.seed,
            minimum=ns.minimum,
            reserves=ns.reserves,
            dry_run=ns.dry_run,
        )
    if ns.json:
        print(json.dumps(outcome.as_json(), indent=2))
        return 0
    verb = _("Would draw") if ns.dry_run else _("Drew")
    print(
        _("{verb} {drawn} cases (seed {seed!r}, strata {join}):").format(
            verb=verb, drawn=len(outcome.drawn), seed=outcome.seed, join=", ".join(outcome.strata)
        )
    )
    for stratum, population, drawn in outcome.plan:
        reserves = len(outcome.reserves.get(stratum, ()))
        print(
            _("  {stratum:45} {drawn:4} of {population:5}  ({reserves} reserves)").format(
                stratum=stratum, drawn=drawn, population=population, reserves=reserves
            )
        )
    return 0


def cmd_replace_case(ns: argparse.Namespace) -> int:
    from inspector_app.core.sample.long_list import replace_case

    with _open(ns, ns.file) as file:
        outcome = replace_case(file, ns.case, ns.reason)
    print(
        _(
            "Case {replaced:03d} replaced by case {sample_no:03d} (the next reserve of its stratum)"
        ).format(replaced=outcome.replaced, sample_no=outcome.sample_no)
    )
    return 0


def cmd_withdraw(ns: argparse.Namespace) -> int:
    from inspector_app.core.sample.withdrawal import withdraw_case

    with _open(ns, ns.file) as file:
        withdraw_case(file, ns.case, ns.reason)
    print(
        _("Case {case:03d} withdrawn without a replacement; reinstate it with 'reinstate'").format(
            case=ns.case
        )
    )
    return 0


def cmd_reinstate(ns: argparse.Namespace) -> int:
    from inspector_app.core.sample.withdrawal import reinstate_case

    with _open(ns, ns.file) as file:
        reinstate_case(file, ns.case)
    print(_("Case {case:03d} is back in the inspection").format(case=ns.case))
    return 0


def cmd_team_capacity(ns: argparse.Namespace) -> int:
    from inspector_app.core.sample.capacity import parse_capacity, set_capacity

    capacity = parse_capacity(ns.capacity)
    with _open(ns, ns.file) as file:
        set_capacity(file, ns.name, capacity)
        name = file.member_by_name(ns.name)[1]
    if capacity is None:
        print(_("{name} has no limit on cases").format(name=name))
    else:
        print(
            _("{name} can take {counted}").format(
                name=name, counted=counted(capacity, "{n} case", "{n} cases")
            )
        )
    return 0


def cmd_cases(ns: argparse.Namespace) -> int:
    from inspector_app.cli.main import printable
    from inspector_app.core.cases.case_data import load_cases
    from inspector_app.core.framework.profile import sample_label

    with _open(ns, ns.file) as file:
        cases = load_cases(file)
        fields = [f.name for f in file.framework.profile.profile_fields]
    if ns.json:
        print(
            json.dumps(
                [
                    {
                        "sample_no": c.sample_no,
                        **{f: c.profile.get(f) for f in fields},
                        "raw": c.raw,
                    }
                    for c in cases
                ],
                indent=2,
                ensure_ascii=False,
            )
        )
        return 0
    for c in cases:
        shown = ", ".join(
            f"{name}={printable(str(value))}"
            for name in fields
            if (value := c.profile.get(name)) is not None
        )
        print(f"{sample_label(c.sample_no)}  {shown}")
    return 0
