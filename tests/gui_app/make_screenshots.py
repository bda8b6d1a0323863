"""Screenshots of the first-run screens for the README and the accessibility checks.

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m tests.gui_app.make_screenshots docs/screenshots

Writes welcome.png, wizard-1-inspection.png … wizard-7-done.png, high-contrast.png and
large-font.png. Works in a temporary folder (files and settings); never touches the user's.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SIZE = (1100, 720)
WIZARD_SIZE = (900, 680)
RECENT = [
    Path("/home/helen/Inspections/Merseyside-master.inspection"),
    Path("/home/helen/Inspections/Cheshire-master.inspection"),
    Path("/home/helen/Downloads/Merseyside-fieldwork-Daniel-Okafor.inspection"),
]


def high_contrast_palette() -> object:
    """White and yellow on black, as the Windows 'High Contrast Black' theme gives."""
    from PySide6.QtGui import QColor, QPalette

    black, white, yellow, cyan = (QColor(c) for c in ("#000000", "#ffffff", "#ffff00", "#00ffff"))
    palette = QPalette()
    role = QPalette.ColorRole
    for r, colour in (
        (role.Window, black),
        (role.WindowText, white),
        (role.Base, black),
        (role.AlternateBase, QColor("#1a1a1a")),
        (role.Text, white),
        (role.Button, black),
        (role.ButtonText, white),
        (role.Highlight, cyan),
        (role.HighlightedText, black),
        (role.ToolTipBase, black),
        (role.ToolTipText, white),
        (role.PlaceholderText, QColor("#c0c0c0")),
        (role.Link, yellow),
        (role.BrightText, yellow),
        (role.Light, white),
        (role.Midlight, QColor("#808080")),
        (role.Mid, QColor("#808080")),
        (role.Dark, white),
        (role.Shadow, white),
    ):
        palette.setColor(r, colour)
    palette.setColor(QPalette.ColorGroup.Disabled, role.WindowText, QColor("#00ff00"))
    palette.setColor(QPalette.ColorGroup.Disabled, role.ButtonText, QColor("#00ff00"))
    palette.setColor(QPalette.ColorGroup.Disabled, role.Text, QColor("#00ff00"))
    return palette


def _wait_until(condition: Callable[[], bool], timeout_ms: int = 30000) -> None:
    from PySide6.QtTest import QTest

    waited = 0
    while not condition():
        if waited > timeout_ms:
            raise TimeoutError("the screen did not get there in time")
        QTest.qWait(20)
        waited += 20


def _shoot(widget: object, path: Path) -> Path:
    from PySide6.QtTest import QTest

    QTest.qWait(60)  # let layouts settle and the frame paint
    widget.grab().save(str(path))  # type: ignore[attr-defined]
    return path


def _welcome(size: tuple[int, int] = SIZE) -> object:
    from PySide6.QtTest import QTest

    from inspector_app.gui.welcome import WelcomePage

    page = WelcomePage()
    page.resize(*size)
    page.set_recent(RECENT)
    page.show()
    QTest.qWaitForWindowExposed(page)
    page.activateWindow()
    page.new_button.setFocus()
    return page


def take(folder: Path) -> list[Path]:
    from PySide6.QtCore import QDate

    from inspector_app.core.demo import write_sample_csv
    from inspector_app.gui.app import create_application
    from inspector_app.gui.wizard import NewInspectionWizard

    folder.mkdir(parents=True, exist_ok=True)
    app = create_application()  # the app's own style, as users see it
    work = Path(tempfile.mkdtemp(prefix="inspections-"))
    shots: list[Path] = []

    page = _welcome()
    shots.append(_shoot(page, folder / "welcome.png"))
    page.close()

    sample = work / "merseyside-sample.csv"
    write_sample_csv(sample, 120, random.Random(1))
    lines = sample.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    for row, (column, value) in ((4, ("rosh", "Extreme")), (9, ("tier", "seven"))):
        cells = lines[row - 1].split(",")
        cells[header.index(column)] = value
        lines[row - 1] = ",".join(cells)
    sample.write_text("\n".join(lines) + "\n", encoding="utf-8")
    usb = work / "USB stick"
    usb.mkdir()

    wizard = NewInspectionWizard()
    wizard.resize(*WIZARD_SIZE)
    wizard.show()
    wizard.activateWindow()
    inspection = wizard.inspection_page
    inspection.organisation.setText("Merseyside")
    inspection.start.setDate(QDate(2026, 11, 2))
    inspection.end.setDate(QDate(2026, 11, 6))
    inspection.encrypt.setChecked(True)
    inspection.passphrase.setText("correct horse battery")
    inspection.repeat.setText("correct horse battery")
    inspection.organisation.setFocus()
    shots.append(_shoot(wizard, folder / "wizard-1-inspection.png"))
    wizard.next()

    team = wizard.team_page
    for name, role in (
        ("Helen Ashworth", "lead"),
        ("Daniel Okafor", "inspector"),
        ("Priya Raman", "inspector"),
        ("Tom Whitfield", "assessor"),
    ):
        team.add(name, role)
    team.name.setFocus()
    shots.append(_shoot(wizard, folder / "wizard-2-team.png"))
    wizard.next()

    sampling = wizard.sample_page
    sampling.path.setText(str(sample))
    sampling.read()
    _wait_until(lambda: sampling.result is not None)
    sampling.accept_valid.setChecked(True)
    shots.append(_shoot(wizard, folder / "wizard-3-sample.png"))
    wizard.next()

    allocation = wizard.allocation_page
    _wait_until(lambda: allocation.allocation is not None)
    shots.append(_shoot(wizard, folder / "wizard-4-allocation.png"))
    wizard.next()

    fieldwork = wizard.fieldwork_page
    fieldwork.folder.setText(str(usb))
    fieldwork.passphrases["Daniel Okafor"].setText("daniel on site")
    fieldwork.passphrases["Tom Whitfield"].setText("tom at wirral")
    shots.append(_shoot(wizard, folder / "wizard-5-fieldwork.png"))
    wizard.next()

    save = wizard.save_page
    save.path.setText(str(work / "Merseyside-master.inspection"))
    shots.append(_shoot(wizard, folder / "wizard-6-save.png"))
    wizard.next()
    _wait_until(lambda: wizard.currentId() == wizard.PAGE_DONE)
    shots.append(_shoot(wizard, folder / "wizard-7-done.png"))
    wizard.close()

    # Accessibility checks: a high-contrast palette, then a large system font.
    original_palette, original_font = app.palette(), app.font()
    app.setPalette(high_contrast_palette())  # type: ignore[arg-type]
    page = _welcome()
    shots.append(_shoot(page, folder / "high-contrast.png"))
    page.close()
    wizard = NewInspectionWizard()
    wizard.resize(*WIZARD_SIZE)
    wizard.show()
    wizard.activateWindow()
    wizard.inspection_page.organisation.setText("Merseyside")
    wizard.inspection_page.encrypt.setChecked(True)
    shots.append(_shoot(wizard, folder / "high-contrast-wizard.png"))
    wizard.close()
    app.setPalette(original_palette)
    large = app.font()
    large.setPointSize(16)
    app.setFont(large)
    page = _welcome((1200, 940))  # a window as large as such a user would have it
    shots.append(_shoot(page, folder / "large-font.png"))
    page.close()
    app.setFont(original_font)
    return shots


def main(argv: list[str]) -> int:
    os.environ.setdefault("INSPECTOR_APP_HOME", tempfile.mkdtemp(prefix="inspector-shots-home-"))
    for path in take(Path(argv[0]) if argv else Path("docs/screenshots")):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
