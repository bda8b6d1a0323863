"""Regenerate merge.png and conflicts.png from real demo data (offscreen):

QT_QPA_PLATFORM=offscreen .venv/bin/python docs/screenshots/make_merge_screenshots.py
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

# A 1920x1080 offscreen screen (the default one is 800x600, smaller than any laptop), and a
# settings folder of its own, so no remembered window size shapes the pictures.
_SCREEN = Path(tempfile.mkdtemp()) / "screen.json"
_SCREEN.write_text(
    '{"screens": [{"name": "s", "x": 0, "y": 0, "width": 1920, "height": 1080, '
    '"logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}',
    encoding="utf-8",
)
os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={_SCREEN}"
os.environ["INSPECTOR_APP_HOME"] = str(_SCREEN.parent / "home")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from inspector_app.core.files.inspection_file import InspectionFile  # noqa: E402
from inspector_app.core.merge.run import merge_files  # noqa: E402
from inspector_app.gui.background import wait_for_background  # noqa: E402
from inspector_app.gui.conflicts_view import ConflictsView  # noqa: E402
from inspector_app.gui.merge_window import MergeWindow  # noqa: E402
from tests.gui_merge.team_data import build_team_demo  # noqa: E402

OUT = Path(__file__).resolve().parent


def wait_until(condition, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the window did not get there in time")
        QTest.qWait(20)


def main() -> None:
    app = QApplication.instance() or QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as tmp:
        demo = build_team_demo(Path(tmp) / "Merseyside")
        stick = Path(tmp) / "USB stick"
        stick.mkdir()
        junk = stick / "Merseyside-fieldwork-copy.inspection"
        junk.write_bytes(b"PK\x03\x04 not an inspection file" * 40)

        window = MergeWindow(demo.master)
        window.resize(1180, 560)
        window.show()
        window.add_files([*demo.all_files, junk])
        wait_until(lambda: window.can_merge())
        window.table.selectRow(3)
        QTest.qWait(100)
        window.grab().save(str(OUT / "merge.png"))
        window.close()
        with InspectionFile.open(demo.master) as master:  # the merge the preview showed
            merge_files(master, list(demo.all_files))

        view = ConflictsView(demo.master)
        view.resize(1280, 800)
        view.show()
        loaded = []
        view.loaded.connect(lambda: loaded.append(True))
        wait_until(lambda: bool(loaded))
        QTest.qWait(100)
        view.grab().save(str(OUT / "conflicts.png"))
        view.close()
        wait_for_background()
    app.quit()


if __name__ == "__main__":
    main()
