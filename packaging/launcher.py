"""Entry script for the packaged app (PyInstaller needs a script, not a module)."""

import sys

from inspector_app.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
