"""Entry point: `inspector-app` with a subcommand runs headless; otherwise the GUI opens."""

from __future__ import annotations

import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    from inspector_app.cli.main import is_cli_invocation, run_cli

    if is_cli_invocation(args):
        return run_cli(args)
    files = [Path(a.strip()).expanduser() for a in args if not a.startswith("-")]
    if files and not files[0].exists():
        print(f"inspector-app: {files[0]}: no such file", file=sys.stderr)
        return 2
    from inspector_app.gui.app import run_gui

    return run_gui(args)


if __name__ == "__main__":
    sys.exit(main())
