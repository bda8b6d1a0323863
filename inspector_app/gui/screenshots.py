"""Screenshots for the README, taken from the running app offscreen.

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m inspector_app.gui.screenshots docs/screenshots

Works on a fresh demo inspection in a temporary folder; never touches the user's files or
settings.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path


def take(folder: Path, size: tuple[int, int] = (1280, 800)) -> list[Path]:
    from PySide6.QtCore import QEventLoop, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QPlainTextEdit

    from inspector_app.core.cases.case_data import load_cases
    from inspector_app.core.demo import create_demo
    from inspector_app.core.files.inspection_file import InspectionFile
    from inspector_app.gui.main_window import MainWindow

    folder.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    work = Path(tempfile.mkdtemp(prefix="inspector-shots-"))
    fieldwork = sorted(create_demo(work / "demo", cases=60).fieldwork)[0]
    with InspectionFile.open(fieldwork, readonly=True) as file:
        case = next(
            c
            for c in load_cases(file)
            if not c.marked_complete
            and not c.profile["alcohol_misuse"]
            and c.profile["rosh"] in ("High", "Very high")
        )

    window = MainWindow()
    window.resize(*size)
    window.show()
    QTest.qWaitForWindowExposed(window)
    window.activateWindow()
    loop = QEventLoop()
    window.casesLoaded.connect(loop.quit)
    window.open_file(fieldwork)
    if window.case_model is not None and window.case_model.is_loading():
        loop.exec()  # a file whose cases fit on the list's first page is listed at once
    window.case_list.select_key(case.key)
    QTest.qWait(50)
    shots = [folder / "case-list.png", folder / "case-review.png"]
    window.grab().save(str(shots[0]))

    # A review under way: section B, a No waiting for its note, guidance open on one question.
    window.open_case(case.key)
    review = window.review
    review.focus_question("B1.1")
    for key in "YNY":
        QTest.keyClick(app.focusWidget(), key)
        note = QApplication.focusWidget()
        if isinstance(note, QPlainTextEdit):  # a No took the keyboard to its note
            QTest.keyClick(note, Qt.Key.Key_Escape)  # left for later
            QTest.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_Down)
    review.focus_question("B1.1")
    review.rows["B1.1"].set_guidance_visible(True)
    QTest.keyClick(app.focusWidget(), Qt.Key.Key_Return)
    QTest.keyClicks(
        app.focusWidget(), "OASys completed 12 working days after sentence; within timescale."
    )
    review.session.flush()
    review.focus_question("B1.5")
    review.scroll.verticalScrollBar().setValue(0)
    QTest.qWait(50)
    window.grab().save(str(shots[1]))
    window.close()
    return shots


def main(argv: list[str]) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("INSPECTOR_APP_HOME", tempfile.mkdtemp(prefix="inspector-shots-home-"))
    folder = Path(argv[0]) if argv else Path("docs/screenshots")
    for path in take(folder):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
