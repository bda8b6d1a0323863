"""Entry point: `inspector-app` with a subcommand runs headless; otherwise the GUI opens."""

from __future__ import annotations

import sys
from pathlib import Path

OPEN_DEMO = "--open-demo"  # the one option that means the window (cli/main.py's GUI_OPTIONS)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not surely_the_window(args):
        from inspector_app.cli.main import is_cli_invocation, run_cli

        if is_cli_invocation(args):
            return run_cli(args)
    files = [Path(a.strip()).expanduser() for a in args if not a.startswith("-")]
    if files and not files[0].exists():
        print(f"inspector-app: {files[0]}: no such file", file=sys.stderr)
        return 2
    from inspector_app.gui.app import run_gui

    return run_gui(args)


def surely_the_window(args: list[str]) -> bool:
    """The usual starts, told apart without importing the command line (its parser and
    commands take longer to import than a bare window takes to show): nothing, --open-demo,
    or an .inspection file first. `is_cli_invocation` decides every other case."""
    if not args or args == [OPEN_DEMO]:
        return True
    first = args[0]
    if first.startswith("-"):
        return False
    return Path(first.strip()).expanduser().suffix.lower() == ".inspection"


if __name__ == "__main__":
    sys.exit(main())
