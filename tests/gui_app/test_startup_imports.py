"""The window shows before anything it does not need is imported.

A cold start is mostly imports: the report's PDF and Word writers, the spreadsheet reader, the
database layer and the lead's screens would each add more to it than a bare Qt window takes to
show. The app is started here as a user starts it (`inspector-app FILE`, in a process of its
own), and at the window's first paint the modules loaded so far are compared with those that
must wait until a file opens or a screen is first used. bench/startup.py measures the time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from inspector_app.__main__ import surely_the_window
from inspector_app.cli.main import is_cli_invocation
from inspector_app.core.files.fieldwork_export import export_fieldwork
from inspector_app.core.files.inspection_file import InspectionFile

# Each of these costs a noticeable share of a bare window's start (`python -X importtime`).
NOT_BEFORE_THE_WINDOW = (
    # documents, spreadsheets, PDF preview
    "reportlab",
    "docx",
    "openpyxl",
    "PIL",
    "lxml",
    "PySide6.QtPdf",
    "PySide6.QtPdfWidgets",
    # the database: SQLAlchemy, the models, migrations, the SQLCipher driver
    "sqlalchemy",
    "sqlmodel",
    "pydantic",
    "alembic",
    "sqlcipher3",
    "importlib.metadata",
    # the command line, the core and the application layer below the screens
    "inspector_app.cli",
    "inspector_app.app",
    "inspector_app.core.framework",
    "inspector_app.core.storage",
    "inspector_app.core.files.inspection_file",  # (files.paths, for the log, may come first)
    "inspector_app.core.revisions",
    "inspector_app.core.cases",
    "inspector_app.core.sample",
    "inspector_app.core.merge",
    "inspector_app.core.findings",
    "inspector_app.core.narrative",
    "inspector_app.core.report",
    "inspector_app.core.exports",
    "inspector_app.core.store",
    # screens shown only once a file is open, dialogs, and the dark-palette frames
    "inspector_app.gui.visible_frames",
    "inspector_app.gui.dialogs",
    "inspector_app.gui.session",
    "inspector_app.gui.models",
    "inspector_app.gui.case_list",
    "inspector_app.gui.case_review",
    "inspector_app.gui.dashboard_view",
    "inspector_app.gui.setup_view",
    "inspector_app.gui.findings_view",
    "inspector_app.gui.narrative_editor",
    "inspector_app.gui.ratings_panel",
    "inspector_app.gui.report_view",
    "inspector_app.gui.pdf_preview",
    "inspector_app.gui.merge_window",
    "inspector_app.gui.conflicts_view",
    "inspector_app.gui.wizard",
)

# Started through the real entry point; at the main window's first paint it prints the names
# of the modules loaded and ends at once (the file would open just after).
_CHILD = """
import json, os, sys
from PySide6.QtCore import QEvent, QObject
from inspector_app.gui import main_window

class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            print(json.dumps(sorted(sys.modules)), flush=True)
            os._exit(0)
        return False

probe = FirstPaint()
made = main_window.MainWindow.__init__
def init(self):
    made(self)
    self.installEventFilter(probe)
main_window.MainWindow.__init__ = init
from inspector_app.__main__ import main
sys.exit(main(sys.argv[1:]))
"""


# The same, at the moment the case list is filled: opening a file, reading its cases and
# showing them run raw SQL, so the database toolkit waits for the first set-up change.
_CHILD_USABLE = _CHILD.replace(
    "self.installEventFilter(probe)",
    "self.casesLoaded.connect(lambda *a: (print(json.dumps(sorted(sys.modules)), flush=True),"
    " os._exit(0)))",
)
# The case review (and its spell check) is built once the list is on screen.
NOT_BEFORE_THE_CASES = (
    *("sqlalchemy", "sqlmodel", "pydantic", "alembic", "openpyxl", "reportlab"),
    *("inspector_app.gui.case_review", "inspector_app.core.spelling"),
)


def _modules_when_shown(args: list[str], home: Path, child: str = _CHILD) -> list[str]:
    env = os.environ | {
        "QT_QPA_PLATFORM": "offscreen",
        "INSPECTOR_APP_HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
    }
    result = subprocess.run(
        [sys.executable, "-c", child, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith("[")]
    assert result.returncode == 0 and lines, result.stderr
    names: list[str] = json.loads(lines[-1])
    return names


def _too_early(modules: list[str]) -> list[str]:
    """The listed packages and modules among `modules`, each named once (not its parts)."""
    early = [
        name
        for name in modules
        if any(name == heavy or name.startswith(heavy + ".") for heavy in NOT_BEFORE_THE_WINDOW)
    ]
    return [name for name in early if not any(name.startswith(e + ".") for e in early)]


@pytest.mark.parametrize("with_file", [True, False], ids=["a file named", "no file"])
def test_nothing_heavy_is_imported_before_the_window_shows(tmp_path: Path, with_file: bool) -> None:
    args = []
    if with_file:
        path = tmp_path / "Wirral-master.inspection"
        InspectionFile.create(
            path,
            title="Inspection of Adult Offending Work: Wirral",
            organisation="Wirral",
            lead="A Lead",
        ).close()
        args = [str(path)]
    modules = _modules_when_shown(args, tmp_path / "home")
    assert "inspector_app.gui.welcome" in modules  # the probe saw our window, not another
    early = _too_early(modules)
    assert early == [], (
        f"imported before the window showed: {', '.join(early)} "
        "(`python -X importtime -m inspector_app FILE` shows who imports them)"
    )


def test_a_file_opens_to_its_cases_without_the_database_toolkit_or_the_case_review(
    master: InspectionFile, tmp_path: Path
) -> None:
    """An inspector's day starts by opening their fieldwork file: SQLAlchemy alone would add
    half again to the start (bench/startup.py's usable ratio), building the case review a
    tenth of a bare window's."""
    fieldwork = export_fieldwork(master, "Daniel Okafor", tmp_path / "fieldwork.inspection").path
    modules = _modules_when_shown([str(fieldwork)], tmp_path / "home", _CHILD_USABLE)
    assert "inspector_app.gui.case_list" in modules  # the probe saw the cases listed
    early = [
        name
        for name in modules
        if any(name == heavy or name.startswith(heavy + ".") for heavy in NOT_BEFORE_THE_CASES)
    ]
    assert early == [], f"imported before the cases showed: {', '.join(sorted(early)[:5])}"


@pytest.mark.parametrize(
    "args",
    [[], ["--open-demo"], ["Wirral.inspection"], ["~/my files/W.INSPECTION", "-style", "fusion"]],
)
def test_the_usual_starts_open_the_window_without_asking_the_command_line(
    args: list[str],
) -> None:
    assert surely_the_window(args)
    assert not is_cli_invocation(args)


@pytest.mark.parametrize(
    "args",
    [["status"], ["report", "W.inspection"], ["--help"], ["-x.inspection"], ["notes.txt"]],
)
def test_anything_else_is_left_to_the_command_line_to_decide(args: list[str]) -> None:
    assert not surely_the_window(args)
