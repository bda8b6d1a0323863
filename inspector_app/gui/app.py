"""Starting the desktop app: `inspector-app [FILE]`.

With no file the welcome page offers a new inspection, opening a file or the demo;
`--open-demo` (what `make run` passes) goes straight to the demo inspection, so a newcomer
sees a working app at once.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path

log = logging.getLogger(__name__)
DESKTOP_FILE = "uk.gov.inspector.InspectorApp"  # packaging/linux/<this>.desktop
_CONFIGURED = "inspectorConfigured"  # set once the app's names, translators and icon are in


def create_application(*, frames_later: bool = False) -> object:
    """The QApplication, named so QSettings and the desktop know the app.

    With `frames_later` the caller installs the visible-frames style itself (`install_frames`)
    once the first window is painted: the style's module costs a tenth of a bare window's
    start, and the welcome page draws none of the fields it changes."""
    from PySide6.QtWidgets import QApplication

    from inspector_app.gui import pyside_import_scan

    pyside_import_scan.install()  # before the modules the window and the file import
    from inspector_app import __version__
    from inspector_app.gui.settings import APPLICATION, ORGANISATION

    existing = QApplication.instance()
    if existing is not None and existing.property(_CONFIGURED):
        return existing  # run_gui made it already; start() asks again
    app = existing or QApplication(sys.argv[:1])
    app.setProperty(_CONFIGURED, True)
    app.setApplicationName(APPLICATION)
    app.setOrganizationName(ORGANISATION)
    app.setApplicationDisplayName(APPLICATION)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(DESKTOP_FILE)  # so the desktop matches the window to its icon
    from inspector_app.gui import close_keys

    close_keys.install(app)  # Ctrl+W closes every dialog, as Esc does
    install_translators(app)
    if not frames_later:
        install_frames(app)
    from inspector_app.gui.about_dialog import app_icon

    icon = app_icon()
    if not icon.isNull():
        app.setWindowIcon(icon)
    return app


def install_frames(app: object) -> None:
    """Field outlines that stay visible on a dark high-contrast palette (gui/visible_frames)."""
    from inspector_app.gui import visible_frames

    visible_frames.install(app)


def install_translators(app: object, language: str | None = None) -> list[object]:
    """The screens' words in the chosen language (INSPECTOR_LANGUAGE): the app's own
    `inspector_<lang>.qm` from resources/locale, and Qt's for its standard buttons, each only
    when one exists, so English (the source text) needs none. Returns those installed."""
    from PySide6.QtCore import QLibraryInfo, QTranslator

    from inspector_app.core.i18n import chosen_language, locale_folder

    language = language or chosen_language()
    qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    installed: list[object] = []
    for name, folder in (
        (f"inspector_{language}", str(locale_folder())),
        (f"qtbase_{language}", qt_folder),
    ):
        translator = QTranslator(app)  # type: ignore[arg-type]  # parented: kept alive
        if translator.load(name, folder):
            app.installTranslator(translator)  # type: ignore[attr-defined]
            installed.append(translator)
    return installed


OPEN_DEMO = "--open-demo"


def start(args: list[str]) -> tuple[object, object]:
    """Create the app and show the main window at once; the file named in `args` (or the demo,
    with --open-demo) opens on the first turn of the event loop, after the window is shown.

    Only what the first paint needs comes before it: the main window's modules import the
    rest when it is first used (tests/gui_app/test_startup_imports.py holds them to that)."""
    from PySide6.QtCore import QCoreApplication

    from inspector_app.gui.after_paint import after_next_paint
    from inspector_app.gui.style import is_dark

    app = create_application(frames_later=True)  # first: it speeds up the imports below
    from inspector_app.gui.main_window import MainWindow

    window = MainWindow()

    def frames() -> None:
        install_frames(app)

    def frames_once_painted() -> None:
        after_next_paint(window.stack.currentWidget() or window, frames)

    opening: Callable[[], object] | None = None
    files = [a for a in args if not a.startswith("-")]
    if files:
        window.welcome.set_busy(
            QCoreApplication.translate("app", "Opening {name}…").format(name=Path(files[0]).name)
        )
        opening = partial(window.open_file, Path(files[0]))
    elif OPEN_DEMO in args:
        window.welcome.set_busy(QCoreApplication.translate("app", "Opening the demo inspection…"))
        opening = window.open_demo
    then: list[Callable[[], object]]
    if opening is None:
        then = [frames]
    elif not is_dark(app.palette()):  # type: ignore[attr-defined]
        # The frames change nothing on a light palette: they wait until the screen the file
        # opened on has been painted. On a dark one they come before any field is drawn.
        then = [opening, frames_once_painted]
    else:
        then = [frames, opening]
    window.after_first_paint(lambda: [step() for step in then])
    window.show()
    return app, window


def run_gui(args: list[str]) -> int:
    import os

    from inspector_app.gui import error_reporting
    from inspector_app.gui.platform_check import advice, missing_packages

    missing = missing_packages(os.environ)
    if missing:
        print(advice(missing), file=sys.stderr)
        return 1

    log_path = error_reporting.set_up_logging()
    app = create_application(frames_later=True)  # start() installs them after the first paint
    error_reporting.install()  # a bug shows a dialog and is logged; the app keeps running
    log.info("%s", _startup_line(log_path))
    app, _window = start(args)
    from inspector_app.gui import termination

    watch = termination.install(app)  # type: ignore[arg-type]
    try:
        return app.exec()  # type: ignore[attr-defined]
    finally:
        if watch is not None:
            watch.uninstall()
        error_reporting.uninstall()


def _startup_line(log_path: Path | None) -> str:
    import platform

    from PySide6.QtCore import qVersion

    from inspector_app import __version__

    return (
        f"Inspector {__version__} starting (Python {platform.python_version()}, "
        f"Qt {qVersion()}, {platform.system()}); log file {log_path}"
    )
