"""Starting the desktop app."""

from __future__ import annotations

import sys
from pathlib import Path


def run_gui(args: list[str]) -> int:
    from PySide6.QtWidgets import QApplication

    from inspector_app import __version__
    from inspector_app.gui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Inspector")
    app.setOrganizationName("Inspector")
    app.setApplicationVersion(__version__)
    window = MainWindow()
    if args:
        window.open_file(Path(args[0]))
    window.show()
    return app.exec()
