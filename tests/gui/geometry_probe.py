"""Run by test_window_geometry.py in its own process, on an offscreen screen of a given size
(Qt chooses the screens when the application starts, so each screen set-up needs a process),
with the settings of a folder shared between runs, as one user's settings are.

    python -m tests.gui.geometry_probe HOME MASTER WIDTH HEIGHT [X,Y,W,H]

Opens every top-level window (the main window, the Merge and Conflicts windows, a dialog),
prints one JSON object saying where each opened and whether it lies within the screen; with
X,Y,W,H, moves each there before closing it (which is when a window remembers its place).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    home, master, width, height = Path(argv[0]), Path(argv[1]), int(argv[2]), int(argv[3])
    place = [int(v) for v in argv[4].split(",")] if len(argv) > 4 else None
    screen = {"name": f"probe-{width}", "x": 0, "y": 0, "width": width, "height": height}
    screen |= {"logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}
    home.mkdir(parents=True, exist_ok=True)
    config = home / f"screens-{width}x{height}.json"
    config.write_text(json.dumps({"screens": [screen]}), encoding="utf-8")
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"
    os.environ["INSPECTOR_APP_HOME"] = str(home)

    from PySide6.QtCore import QRect
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QWidget

    from inspector_app.core.files.inspection_file import InspectionFile
    from inspector_app.gui.background import wait_for_background
    from inspector_app.gui.conflicts_view import ConflictsView
    from inspector_app.gui.dialogs import HistoryDialog
    from inspector_app.gui.main_window import MainWindow
    from inspector_app.gui.merge_window import MergeWindow
    from inspector_app.gui.report_settings_dialog import ReportSettingsDialog
    from inspector_app.gui.review_notes_panel import ReviewTextDialog

    app = QApplication(sys.argv[:1])
    file = InspectionFile.open(master, readonly=True, track_session=False)
    windows: dict[str, QWidget] = {
        "main": MainWindow(),
        "merge": MergeWindow(master),
        "conflicts": ConflictsView(master),
        "history": HistoryDialog(None, "Question 1.1", [], None),
        "report-settings": ReportSettingsDialog(None, file),
        "review-text": ReviewTextDialog(None, "A review note", "On case 3, for Priya Raman."),
    }
    results = {}
    for name, window in windows.items():
        window.show()
        QTest.qWaitForWindowExposed(window)
        QTest.qWait(50)
        room = window.screen().availableGeometry()
        frame, inner = window.frameGeometry(), window.geometry()
        results[name] = {
            "rect": [inner.x(), inner.y(), inner.width(), inner.height()],
            "on_screen": room.contains(frame),
            "maximised": window.isMaximized(),
        }
    wait_for_background(20000)
    for window in windows.values():
        if place is not None:
            window.showNormal()
            window.setGeometry(QRect(*place))
            QTest.qWait(20)
        window.close()
    wait_for_background(20000)
    file.close()
    print(json.dumps(results))
    app.quit()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
