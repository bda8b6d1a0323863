"""Regenerate findings.png and report.png from real demo data (offscreen):

QT_QPA_PLATFORM=offscreen .venv/bin/python docs/screenshots/make_report_screenshots.py

Works on a fresh demo inspection, merged, in a temporary folder; never touches the user's files
or settings.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("INSPECTOR_APP_HOME", tempfile.mkdtemp(prefix="inspector-shots-home-"))
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from inspector_app.core.demo import create_demo  # noqa: E402
from inspector_app.core.files.inspection_file import InspectionFile  # noqa: E402
from inspector_app.core.merge.run import merge_files  # noqa: E402
from inspector_app.gui import report_view  # noqa: E402
from inspector_app.gui.background import wait_for_background  # noqa: E402
from inspector_app.gui.main_window import MainWindow  # noqa: E402

OUT = Path(__file__).resolve().parent
SIZE = (1280, 800)


def wait_until(condition, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the window did not get there in time")
        QTest.qWait(20)


def main() -> None:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as tmp:
        outcome = create_demo(Path(tmp) / "Merseyside", cases=60)
        with InspectionFile.open(outcome.master) as master:
            merge_files(master, list(outcome.fieldwork))

        window = MainWindow()
        window.resize(*SIZE)
        window.show()
        QTest.qWaitForWindowExposed(window)
        loaded = []
        window.casesLoaded.connect(lambda: loaded.append(True))
        window.open_file(outcome.master)
        wait_until(lambda: bool(loaded))

        findings = window.findings_view
        done = []
        findings.loaded.connect(lambda: done.append(True))
        window.show_findings()
        wait_until(lambda: bool(done))
        findings.select_code("B2.5")
        QTest.qWait(100)
        window.grab().save(str(OUT / "findings.png"))

        view = window.report_view
        editor = view.editor
        window.show_report()
        editor.refresh_proposals()
        wait_until(lambda: not editor.is_refreshing())
        editor.judgement_edit.setText("reasonable")
        editor.foreword_edit.setPlainText(
            "This inspection found committed staff doing much good work with the individuals "
            "they supervise. Assessments and plans were mostly sound; the management of risk "
            "of harm now needs the same attention."
        )
        editor.flush()
        first = editor.narrative.strengths[0]
        editor.edit_item(
            "strengths",
            first.id,
            "pre-sentence reports were well informed and clear about the individual",
        )
        editor.add_item("recommendations", "Assessments of risk of harm are completed on time.")
        editor.tabs.setCurrentWidget(editor.lists["strengths"])
        pdf = Path(tmp) / "report.pdf"
        report_view.SaveReportDialog.ask = classmethod(lambda cls, parent, kind, suggested: pdf)
        view.generate_pdf()
        wait_until(lambda: view.preview.page_count() > 0)
        view.preview.go_to(3)
        QTest.qWait(800)
        window.grab().save(str(OUT / "report.png"))
        window.close()
        wait_for_background()
    app.quit()


if __name__ == "__main__":
    main()
