"""Run by test_screen_sizes.py in its own process, on an offscreen screen of a given size and
scale (Qt chooses the screen when the application starts, so each size needs a process).

    python -m tests.gui.screen_probe MASTER WIDTH HEIGHT DPR

Opens the master in the main window as a first start would, shows each of the lead's screens
and a case, and prints one JSON object: per screen, whether the window stayed on the screen
and how wide the window must at least be; for the report, the names of its parts that are
not shown whole.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path


def main(argv: list[str]) -> int:
    master, width, height, dpr = Path(argv[0]), int(argv[1]), int(argv[2]), int(argv[3])
    # A physical screen of WIDTH x DPR pixels shown at DPR x 100%: WIDTH logical pixels, each
    # drawn with DPR x DPR device pixels (as a 2732x1536 laptop at 200% is a 1366x768 one).
    screen = {"name": "probe", "x": 0, "y": 0, "width": width * dpr, "height": height * dpr}
    screen |= {"logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}
    config = Path(tempfile.mkdtemp()) / "screens.json"
    config.write_text(json.dumps({"screens": [screen]}), encoding="utf-8")
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"
    os.environ["QT_SCALE_FACTOR"] = str(dpr)
    os.environ["INSPECTOR_APP_HOME"] = str(config.parent / "home")

    from PySide6.QtCore import QEventLoop
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from inspector_app.gui.main_window import MainWindow

    app = QApplication(sys.argv[:1])
    window = MainWindow()
    window.show()
    QTest.qWaitForWindowExposed(window)
    loop = QEventLoop()
    window.casesLoaded.connect(loop.quit)
    window.open_file(master)
    if window.case_model is not None and window.case_model.is_loading():
        loop.exec()  # a file whose cases fit on the list's first page is listed at once
    room = window.screen().availableGeometry()
    results = {}
    screens = {
        "case list": window.show_case_list,
        "overview": window.show_overview,
        "set-up": window.show_setup,
        "findings": window.show_findings,
        "report": window.show_report,
    }
    for name, show in screens.items():
        show()
        QTest.qWait(300)
        results[name] = _measure(window, room)
    assert window.report_view is not None
    window.show_report()
    QTest.qWait(100)
    results["report"]["parts_cut"] = cut_tabs(window.report_view.editor.parts)
    assert window.case_model is not None
    first = window.case_model.index(0, 0)
    key = window.case_model.key_at(first.row())
    assert key is not None
    window.open_case(key)
    QTest.qWait(200)
    results["case review"] = _measure(window, room)
    # The questions wrap to the width there is: never a sideways scroll.
    results["case review"]["sideways"] = window.review.scroll.horizontalScrollBar().isVisible()
    image = window.grab()
    results["pixels"] = {"width": image.width(), "height": image.height()}
    results["scale"] = window.devicePixelRatio()
    print(json.dumps(results))
    window.close()
    app.quit()
    return 0


def cut_tabs(bar: object) -> list[str]:
    """The names a wrapping tab bar does not show whole: outside its area, narrower than
    their text, or left to a tab bar with scroll arrows."""
    from inspector_app.gui.wrapping_tabs import WrappingTabBar

    assert isinstance(bar, WrappingTabBar)
    bar.doItemsLayout()
    room = bar.viewport().rect()
    metrics = bar.fontMetrics()
    cut = []
    for row in range(bar.count()):
        item = bar.item(row)
        if item.isHidden():
            continue
        box = bar.visualRect(bar.model().index(row, 0))
        if not room.contains(box) or box.width() < metrics.horizontalAdvance(item.text()):
            cut.append(item.text())
    if bar.tabs.tabBar().isVisible():
        cut.append("(the tab bar itself)")
    return cut


def _measure(window: object, room: object) -> dict[str, object]:
    from PySide6.QtCore import QRect
    from PySide6.QtWidgets import QMainWindow

    assert isinstance(window, QMainWindow) and isinstance(room, QRect)
    frame = window.frameGeometry()
    return {
        "on_screen": room.contains(frame) or room.contains(window.geometry()),
        "minimum_width": window.minimumSizeHint().width(),
        "room_width": room.width(),
        "width": window.width(),
    }


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
