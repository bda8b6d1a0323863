"""Frameworks and ratings on the command line: `framework` lists, shows, checks and installs
question frameworks; `rating` adjusts a standard's rating with the lead's justification (the
same use cases as the screens)."""

from __future__ import annotations

import argparse
from pathlib import Path

from inspector_app.cli.report_commands import PASSPHRASE_HELP, _open, _print_json
from inspector_app.core.i18n import _, translated

COMMANDS = ("framework", "rating")
ACTIONS = ("list", "show", "check", "install")


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "framework",
        help=_("list, show, check or install question frameworks"),
        description=_(
            "framework list: the frameworks a new inspection can use. "
            "framework show FILE (or --id ID): a framework's sections and questions. "
            "framework check FRAMEWORK.toml: the first problem in a framework file, with its "
            "line. framework install FRAMEWORK.toml: copy a framework that loads into your "
            "data folder, where the wizard and 'new --framework' find it."
        ),
    )
    p.add_argument(
        "words",
        nargs="*",
        metavar="ACTION [FILE]",
        help=_(
            "list, show FILE, check FRAMEWORK.toml or install FRAMEWORK.toml (FILE alone: show)"
        ),
    )
    p.add_argument("--passphrase-file", type=Path, metavar="F", help=translated(PASSPHRASE_HELP))
    p.add_argument(
        "--id", dest="framework_id", help=_("a shipped or installed framework, by its id")
    )
    p.add_argument(
        "--replace", action="store_true", help=_("install over a framework of the same id")
    )
    p.add_argument(
        "--json", action="store_true", help=_("print JSON instead of text (for scripts)")
    )
    p.set_defaults(handler=cmd_framework)

    p = sub.add_parser(
        "rating",
        help=_("list the standards' ratings, or adjust one with a written justification"),
    )
    p.add_argument("master", type=Path, help=_("the master inspection file"))
    p.add_argument("--passphrase-file", type=Path, metavar="F", help=translated(PASSPHRASE_HELP))
    what = p.add_mutually_exclusive_group()
    what.add_argument(
        "--adjust",
        nargs=2,
        metavar=("STANDARD", "RATING"),
        help=_("set a standard's rating by your judgement (with --justification)"),
    )
    what.add_argument(
        "--remove-adjustment",
        metavar="STANDARD",
        help=_("return a standard to the rating its figures give"),
    )
    p.add_argument("--justification", help=_("why the rating differs from the figures' (printed)"))
    p.add_argument(
        "--include-in-progress", action="store_true", help=_("count cases in progress too")
    )
    p.add_argument(
        "--json", action="store_true", help=_("print JSON instead of text (for scripts)")
    )
    p.set_defaults(handler=cmd_rating)


def cmd_framework(ns: argparse.Namespace) -> int:
    from inspector_app.cli.main import EXIT_USAGE, _fail

    words = list(ns.words)
    action = words.pop(0) if words and words[0] in ACTIONS else "show"
    wanted = {"list": 0, "show": 0 if ns.framework_id else 1, "check": 1, "install": 1}[action]
    if len(words) != wanted:
        _fail(
            _("framework {action}: expected {usage}").format(
                action=action,
                usage={
                    "list": _("no file"),
                    "show": _("an inspection file, or --id ID"),
                    "check": _("one framework file (.toml)"),
                    "install": _("one framework file (.toml)"),
                }[action],
            )
        )
        return EXIT_USAGE
    if action == "list":
        return _list(ns)
    if action == "show":
        return _show(ns, Path(words[0]) if words else None)
    if action == "check":
        return _check(ns, Path(words[0]))
    return _install(ns, Path(words[0]))


def _list(ns: argparse.Namespace) -> int:
    from inspector_app.app.frameworks import SHIPPED, installed_frameworks

    entries = installed_frameworks()
    if ns.json:
        _print_json([entry.to_json() for entry in entries])
        return 0
    for entry in entries:
        origin = _("shipped") if entry.origin == SHIPPED else _("installed")
        print(f"{entry.id:24} {entry.version:6} {origin:10} {entry.title}")
    return 0


def _show(ns: argparse.Namespace, path: Path | None) -> int:
    from inspector_app.app.frameworks import load_installed
    from inspector_app.core.framework.json_form import framework_to_json

    if path is None:
        framework = load_installed(ns.framework_id)
    else:
        with _open(ns, path, readonly=True) as file:
            framework = file.framework
    if ns.json:
        _print_json(framework_to_json(framework))
        return 0
    print(f"{framework.title} ({framework.id} {framework.version})")
    for section in framework.sections:
        print(f"\n{section.code} {section.title}")
        for q in section.questions:
            flags = _("scored") if q.scored else _("not scored")
            cond = _(" [conditional]") if q.applies_if is not None else ""
            print(f"  {q.code:6} {q.text} ({q.scale}, {flags}){cond}")
    if framework.ratings is not None:
        print("\n" + _("Ratings (a standard takes the band of its lowest key question):"))
        for band in framework.ratings.bands:
            span = f"{band.low}-{band.high}%"
            print(f"  {span:>8}  {band.rating}")
    return 0


def _check(ns: argparse.Namespace, path: Path) -> int:
    from inspector_app.app.frameworks import check_framework_file
    from inspector_app.cli.main import printable
    from inspector_app.core.errors import FrameworkError

    try:
        framework = check_framework_file(path)
    except FrameworkError as exc:
        where = f"{path}:{exc.line}" if exc.line else str(path)
        message = str(exc).removeprefix(f"{path.name}: ")
        print(f"{printable(where)}: {printable(message)}")
        return 1
    print(
        _("{path}: loads ({id} {version}, {questions} questions)").format(
            path=printable(str(path)),
            id=framework.id,
            version=framework.version,
            questions=len(framework.questions()),
        )
    )
    return 0


def _install(ns: argparse.Namespace, path: Path) -> int:
    from inspector_app.app.frameworks import install_framework
    from inspector_app.cli.main import printable

    entry = install_framework(path, replace=ns.replace)
    print(
        _("Installed {id} {version} ({title}) in {path}").format(
            id=entry.id,
            version=entry.version,
            title=printable(entry.title),
            path=printable(str(entry.path)),
        )
    )
    return 0


def cmd_rating(ns: argparse.Namespace) -> int:
    from inspector_app.core.errors import ValidationError
    from inspector_app.core.findings.figures import compute_findings
    from inspector_app.core.narrative.rating_overrides import (
        adjust_rating,
        adjusted_ratings,
        remove_adjustment,
    )

    with _open(ns, ns.master) as master:
        if ns.adjust:
            standard, rating = ns.adjust
            adjust_rating(master, standard, rating, ns.justification or "")
        elif ns.remove_adjustment:
            remove_adjustment(master, ns.remove_adjustment)
        elif ns.justification:
            raise ValidationError(_("--justification goes with --adjust"))
        findings = compute_findings(master, include_in_progress=ns.include_in_progress)
        if findings.ratings is None:
            raise ValidationError(_("{title} has no ratings").format(title=master.framework.title))
        ratings = adjusted_ratings(master, findings.ratings)
    if ns.json:
        _print_json(ratings.to_json())
        return 0
    print_ratings(ratings)
    return 0


def print_ratings(ratings: object) -> None:
    """The standards' ratings and the overall one, as `findings` and `rating` print them."""
    from inspector_app.core.findings.ratings import Ratings

    assert isinstance(ratings, Ratings)
    for standard in ratings.standards:
        rating = standard.rating or _("Not rated: {reason}").format(
            reason=standard.not_rated_because or ""
        )
        print(f"{standard.code} {standard.title}: {rating}")
        for key in standard.key_questions:
            shown = "–" if key.percent is None else f"{key.percent}%"
            lowest = _("  (lowest)") if key.code == standard.decided_by else ""
            print(
                f"  {key.code:8} {shown:>5}  {key.sufficient}/{key.relevant}  "
                f"{key.rating or ''}{lowest}"
            )
        if standard.justification is not None:
            print(
                "  "
                + _("Adjusted by the lead inspector from {before}: {why}").format(
                    before=standard.adjusted_from or _("not rated"), why=standard.justification
                )
            )
    overall = ratings.overall_rating or _("not rated ({reason})").format(
        reason=ratings.overall_not_rated_because or ""
    )
    print(_("Overall: {rating}").format(rating=overall))
