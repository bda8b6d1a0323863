"""Regenerate overview.png, allocation-board.png, team.png and review-note.png from the lead's
demo inspection (offscreen), at a 1024x768 laptop's size (with --wide, at 1920x1080, as
overview-1920.png and so on):

QT_QPA_PLATFORM=offscreen .venv/bin/python docs/screenshots/make_lead_screenshots.py [--wide]
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from inspector_app.core.cases.case_data import load_case  # noqa: E402
from inspector_app.core.cases.review import notes_by_case  # noqa: E402
from inspector_app.core.demo import create_lead_demo  # noqa: E402
from inspector_app.core.files.fieldwork_export import export_fieldwork  # noqa: E402
from inspector_app.core.files.inspection_file import InspectionFile  # noqa: E402
from inspector_app.gui.background import wait_for_background  # noqa: E402
from inspector_app.gui.main_window import MainWindow  # noqa: E402

OUT = Path(__file__).resolve().parent


def wait_until(condition, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the window did not get there in time")
        QTest.qWait(20)


def screen_of(size: tuple[int, int]) -> None:
    """An offscreen screen of `size` (the default one is 800x800, and windows keep within
    their screen), with settings of its own, so no remembered place moves the window."""
    import json

    folder = Path(tempfile.mkdtemp(prefix="inspector-shots-"))
    config = folder / "screens.json"
    screen = {"name": "shots", "x": 0, "y": 0, "width": size[0], "height": size[1]}
    config.write_text(json.dumps({"screens": [{**screen, "logicalDpi": 96}]}), "utf-8")
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"
    os.environ.setdefault("INSPECTOR_APP_HOME", str(folder / "home"))


def main() -> None:
    wide = "--wide" in sys.argv
    size = (1920, 1080) if wide else (1024, 768)
    suffix = "-1920" if wide else ""
    out = OUT
    screen_of(size)
    app = QApplication.instance() or QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as tmp:
        demo = create_lead_demo(Path(tmp) / "demo")
        window = MainWindow()
        window.resize(*size)
        window.show()
        loaded: list[bool] = []
        window.casesLoaded.connect(lambda: loaded.append(True))
        window.open_file(demo.master)
        wait_until(lambda: bool(loaded))
        view = window.dashboard_view
        wait_until(lambda: view is not None and not view.is_computing())
        QTest.qWait(200)
        window.grab().save(str(out / f"overview{suffix}.png"))
        window.show_setup()
        setup = window.setup_view
        setup.tabs.setCurrentWidget(setup.board_page)
        QTest.qWait(200)
        window.grab().save(str(out / f"allocation-board{suffix}.png"))
        setup.tabs.setCurrentWidget(setup.team_page)
        QTest.qWait(100)
        window.grab().save(str(out / f"team{suffix}.png"))
        # A review note as the inspector sees it: their file written again after the review.
        with InspectionFile.open(demo.master) as master:
            notes = notes_by_case(master)
            key = next(k for k, listed in notes.items() if any(n.replies for n in listed))
            reader = load_case(master, key).first_reader
            again = Path(tmp) / "again"
            again.mkdir()
            exported = export_fieldwork(master, reader, again).path
        loaded.clear()
        window.open_file(exported)
        wait_until(lambda: bool(loaded))
        window.open_case(key)
        QTest.qWait(200)
        window.grab().save(str(out / f"review-note{suffix}.png"))
        window.close()
        wait_for_background()
    app.quit()


if __name__ == "__main__":
    main()
