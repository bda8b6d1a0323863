"""`store init`, `publish` and `compare` on the command line: text, --json and --csv, and a
refusal in one line. The commands are run through their own parsers (as cli/main.py adds
them) and, once main.py lists them, through `run_cli` itself."""

from __future__ import annotations

import argparse
import csv
import io
import json
from pathlib import Path

import pytest

from inspector_app.cli import store_commands
from inspector_app.core.errors import InspectorError
from inspector_app.core.store.compare import COLUMNS
from tests.store.pg_cluster import Cluster


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of a store command, errors as the command line shows them."""
    from inspector_app.cli import main

    if "publish" in main.SUBCOMMANDS:
        code = main.run_cli(args)
    else:
        parser = argparse.ArgumentParser(prog="inspector-app")
        store_commands.add_parsers(parser.add_subparsers(dest="command"))
        ns = parser.parse_args(args)
        try:
            code = ns.handler(ns)
        except InspectorError as exc:
            print(f"inspector-app: error: {exc}", file=__import__("sys").stderr)
            code = 1
    out, err = capsys.readouterr()
    return code, out, err


def test_init_publish_and_compare_as_text(
    tmp_path: Path, demo_masters: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    store = str(tmp_path / "office.sqlite")
    code, out, _ = run(["store", "init", store], capsys)
    assert code == 0
    assert "created (schema s0001)" in out and "iaow-2013 1.2" in out
    assert "This is now the app's store" in out

    code, out, _ = run(["publish", str(demo_masters[0])], capsys)
    assert code == 0 and "Merseyside: published to" in out and "12 cases" in out
    code, out, _ = run(["publish", str(demo_masters[0])], capsys)
    assert "already holds this version; nothing written" in out
    run(["publish", str(demo_masters[1]), "--store", store], capsys)

    code, out, _ = run(["compare", str(demo_masters[0])], capsys)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Merseyside compared with 2 published inspections (iaow-2013 1.2)"
    assert any(line.startswith("overall") and line.rstrip().endswith("2") for line in lines)


def test_compare_as_json_and_csv(
    tmp_path: Path, demo_masters: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    store = str(tmp_path / "office.sqlite")
    run(["store", "init", store], capsys)
    for master in demo_masters:
        run(["publish", str(master)], capsys)

    _, out, _ = run(["compare", str(demo_masters[2]), "--json"], capsys)
    data = json.loads(out)
    assert data["inspections"] == 3 and data["includes_this"] is True
    assert data["rows"][0]["count"] == 3

    _, out, _ = run(["compare", str(demo_masters[2]), "--csv", "--year", "2026"], capsys)
    rows = list(csv.reader(io.StringIO(out)))
    assert tuple(rows[0]) == COLUMNS
    assert len(rows) - 1 == len(data["rows"])
    assert rows[1][COLUMNS.index("count")] == "3"

    _, out, _ = run(["compare", str(demo_masters[2]), "--json", "--year", "2019"], capsys)
    assert json.loads(out)["inspections"] == 0


def test_a_reader_publishing_gets_one_line(
    pg_cluster: Cluster,
    pg_database: str,
    demo_masters: list[Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    pg_cluster.admin(f"CREATE ROLE cli_reader_{pg_database} LOGIN")
    owner = pg_cluster.socket_address(pg_database)
    assert run(["store", "init", owner, "--reader", f"cli_reader_{pg_database}"], capsys)[0] == 0
    reader = pg_cluster.socket_address(pg_database, user=f"cli_reader_{pg_database}")

    code, out, err = run(["publish", str(demo_masters[0]), "--store", reader], capsys)

    assert code == 1 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert "may only read this store" in err


def test_a_password_in_the_address_is_not_printed(
    pg_cluster: Cluster, pg_database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = "Not-Printed-42"
    role = f"cli_owner_{pg_database}"
    pg_cluster.admin(f"CREATE ROLE {role} LOGIN SUPERUSER PASSWORD '{secret}'")
    code, out, err = run(
        ["store", "init", pg_cluster.tcp_address(pg_database, role, secret)], capsys
    )
    assert code == 0
    assert secret not in out + err
    assert "was used but not saved" in err


def test_every_argument_says_what_it_is_for() -> None:
    """As main.py's own test asks of every command (its COMMON_HELP fills in `master` and
    `--json`)."""
    from inspector_app.cli.main import COMMON_HELP

    parser = argparse.ArgumentParser(prog="inspector-app")
    store_commands.add_parsers(parser.add_subparsers(dest="command"))
    missing: list[str] = []

    def walk(parser: argparse.ArgumentParser, path: str) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    walk(sub, f"{path} {name}".strip())
            elif isinstance(action, argparse._HelpAction) or action.dest == "command":
                continue
            elif not action.help and action.dest not in COMMON_HELP:
                missing.append(f"{path}: {action.option_strings or action.dest}")

    walk(parser, "")
    assert missing == []
