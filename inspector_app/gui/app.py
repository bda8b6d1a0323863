"""Starting the desktop app: `inspector-app [FILE]` (no file: the demo inspection)."""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path
from types import TracebackType

log = logging.getLogger(__name__)
_reporting = False


def create_application() -> object:
    """The QApplication, named so QSettings and the desktop know the app."""
    from PySide6.QtWidgets import QApplication

    from inspector_app import __version__
    from inspector_app.gui.settings import APPLICATION, ORGANISATION

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APPLICATION)
    app.setOrganizationName(ORGANISATION)
    app.setApplicationDisplayName(APPLICATION)
    app.setApplicationVersion(__version__)
    return app


def start(args: list[str]) -> tuple[object, object]:
    """Create the app and show the main window at once; the file (the one named in `args`,
    else the demo) opens on the first turn of the event loop, after the window is shown."""
    from inspector_app.gui.main_window import MainWindow

    app = create_application()
    window = MainWindow()
    files = [a for a in args if not a.startswith("-")]
    if files:
        window.welcome.set_busy(f"Opening {Path(files[0]).name}…")
        window.after_first_paint(lambda: window.open_file(Path(files[0])))
    else:
        window.welcome.set_busy("Opening the demo inspection…")
        window.after_first_paint(window.open_demo)
    window.show()
    return app, window


def run_gui(args: list[str]) -> int:
    _set_up_logging()
    app, _window = start(args)
    sys.excepthook = _report_unexpected
    return app.exec()  # type: ignore[attr-defined]


def _set_up_logging() -> None:
    try:
        from inspector_app.core.paths import log_dir

        handler: logging.Handler = logging.FileHandler(
            log_dir() / "inspector.log", encoding="utf-8"
        )
    except OSError:
        handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    logging.getLogger("alembic").setLevel(logging.WARNING)


def _report_unexpected(
    kind: type[BaseException], exc: BaseException, tb: TracebackType | None
) -> None:
    """A bug must not end the day's work: log it, tell the user, keep running."""
    global _reporting
    log.error("unexpected error\n%s", "".join(traceback.format_exception(kind, exc, tb)))
    if _reporting:  # an error while the dialog is up (e.g. in painting): the log has it
        return
    _reporting = True
    try:
        from inspector_app.gui.dialogs import ErrorDialog

        ErrorDialog.ask(
            None,
            "Something went wrong",
            f"{exc}\n\nYour saved work is safe. Details are in the log folder.",
        )
    except Exception:  # pragma: no cover - last resort
        traceback.print_exception(kind, exc, tb)
    finally:
        _reporting = False
