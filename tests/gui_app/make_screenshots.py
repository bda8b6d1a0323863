"""Screenshots of the first-run screens for the README and the accessibility checks.

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m tests.gui_app.make_screenshots docs/screenshots

Writes welcome.png, wizard-1-inspection.png … wizard-7-done.png, wizard-mapping.png,
wizard-exclusion.png, wizard-allocation.png, wizard-draw.png (at 1024x768, from a trust-style workbook built
here), high-contrast.png and large-font.png. Works in a temporary folder (files and settings);
never touches the user's.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SIZE = (1100, 720)
WIZARD_SIZE = (900, 680)
SMALL_SCREEN = (1024, 768)  # the mapping must fit a small laptop's screen
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


ONS_ETHNICITY = (
    ("White: English/Welsh/Scottish/Northern Irish/British", 40),
    ("White: Irish", 2),
    ("White: Roma", 2),  # not a spelling the profile knows: suggested, to confirm
    ("Black/African/Caribbean/Black British: Caribbean", 4),
    ("Black/African/Caribbean/Black British: African", 3),
    ("Asian/Asian British: Pakistani", 3),
    ("Asian/Asian British: Indian", 2),
    ("Mixed/Multiple ethnic groups: White and Black Caribbean", 3),
    ("Other ethnic group: Arab", 1),
    ("Not Stated", 2),
)
ORDER_TYPES = (
    ("ORA Community Order", 26),
    ("ORA Suspended Sentence Order", 17),
    ("CJA - Std Determinate Custody (Licence)", 13),
    ("Deferred Sentence", 6),  # out of scope: the lead excludes these rows
)


def write_trust_workbook(path: Path, rng: random.Random) -> Path:
    """A case sample as a trust's system exports it: a title block above the header, its own
    column names, full ONS ethnicity labels, order types in the system's wording, 'Tier 3',
    MAPPA in one column, a totals line under the data and a second sheet of notes. Made up."""
    import datetime as dt

    from openpyxl import Workbook
    from openpyxl.styles import Font

    ethnicities = [label for label, n in ONS_ETHNICITY for _ in range(n)]
    orders = [label for label, n in ORDER_TYPES for _ in range(n)]
    rng.shuffle(ethnicities)
    rng.shuffle(orders)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Caseload sample"
    sheet.append(["Merseyside Probation Trust - case sample for HMI Probation"])
    sheet.append(["Extracted from the case management system on 02/10/2026. OFFICIAL - SENSITIVE"])
    sheet.append([])
    headings = [
        "Sample No",
        "CRN",
        "Surname",
        "Forename",
        "DOB",
        "Gender",
        "Ethnicity",
        "Sentence / Order Type",
        "NOMS Tier",
        "RoSH Level",
        "MAPPA",
        "DV Flag",
        "Requirements",
        "Team",
    ]
    sheet.append(headings)
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    surnames = ("MITCHELL", "MURPHY", "HARRISON", "WOOD", "BENNETT", "PALMER", "KELLY", "SHAW")
    forenames = ("Michelle", "Joanne", "Robert", "Ryan", "David", "Wei", "Aisha", "Tom")
    for number, (ethnicity, order) in enumerate(zip(ethnicities, orders, strict=True), start=1):
        deferred = order == "Deferred Sentence"
        sheet.append(
            [
                number,
                f"{rng.choice('ABCDEX')}{rng.randrange(100000, 999999)}",
                rng.choice(surnames),
                rng.choice(forenames),
                dt.datetime(rng.randrange(1955, 2004), rng.randrange(1, 13), rng.randrange(1, 29)),
                rng.choices(("Male", "Female"), (0.85, 0.15))[0],
                ethnicity,
                order,
                f"Tier {rng.choice((1, 2, 2, 3, 3, 3, 4))}",
                "High"
                if deferred
                else rng.choice(("Low", "Medium", "Medium", "High", "Very High")),
                "Cat 2 / Level 1" if rng.random() < 0.1 else None,
                rng.choice(("Y", "N", "N")),
                None if "Licence" in order else rng.choice(("UPW", "RAR", "UPW; RAR", "RAR; ATR")),
                rng.choice(("Wirral", "Sefton", "St Helens", "Liverpool North")),
            ]
        )
    sheet.append([])
    sheet.append([f"Total cases: {len(orders)}"])
    notes = workbook.create_sheet("Notes")
    notes.append(["Field", "Meaning"])
    notes.append(["NOMS Tier", "Resourcing tier 1-4"])
    notes.append(["MAPPA", "Category / Level where the case is MAPPA eligible"])
    workbook.save(path)
    return path


def _wizard_past_the_inspection() -> Any:
    """The New Inspection wizard at 1024x768, its first step filled in, on the team step."""
    from PySide6.QtCore import QDate

    from inspector_app.gui.wizard import NewInspectionWizard

    wizard = NewInspectionWizard()
    wizard.resize(*SMALL_SCREEN)
    wizard.show()
    wizard.activateWindow()
    inspection = wizard.inspection_page
    inspection.organisation.setText("Merseyside")
    inspection.start.setDate(QDate(2026, 11, 2))
    inspection.end.setDate(QDate(2026, 11, 6))
    inspection.encrypt.setChecked(False)
    inspection.reason.setText("Demonstration data only")
    wizard.next()
    return wizard


def _mapping_shots(folder: Path, work: Path) -> list[Path]:
    """The sample's mapping, the rows left out and the allocation preview, at 1024x768."""

    from inspector_app.core.framework.profile import EXCLUDE
    from inspector_app.gui.mapping_panel import MappingPanel

    workbook = write_trust_workbook(work / "Merseyside case sample.xlsx", random.Random(4))
    shots: list[Path] = []
    wizard = _wizard_past_the_inspection()
    for name, role in (
        ("Helen Ashworth", "lead"),
        ("Daniel Okafor", "inspector"),
        ("Priya Raman", "inspector"),
        ("Tom Whitfield", "assessor"),
    ):
        wizard.team_page.add(name, role)
    wizard.next()

    page = wizard.sample_page
    page.path.setText(str(workbook))
    page.read()
    _wait_until(lambda: page.session is not None and page.review is not None)
    session = page.session
    assert session is not None
    # The lead has confirmed the order types so far; the other suggestions still wait.
    for index, row in enumerate(session.values):
        if row.target == "sentence_type" and row.suggestion and "Community" in row.spelling:
            page.panel.valueChosen.emit(index, row.suggestion)
    _wait_until(lambda: not page._reviewing)
    page.panel.show_tab(MappingPanel.TAB_VALUES)
    combo = page.panel.first_undecided_combo()
    (combo or page.panel.values).setFocus()
    shots.append(_shoot(wizard, folder / "wizard-mapping.png"))

    # Every suggestion confirmed, the deferred sentences left out: the comparison asks for a
    # confirmation and a reason.
    page.panel.acceptSuggestions.emit()
    _wait_until(lambda: not page._reviewing)
    for index, row in enumerate(session.values):
        if row.undecided and row.spelling == "Deferred Sentence":
            page.panel.valueChosen.emit(index, EXCLUDE)
        elif row.undecided and row.target == "requirements":
            page.panel.valueChosen.emit(index, "(ignore)")
    _wait_until(lambda: not page._reviewing)
    page.panel.show_tab(MappingPanel.TAB_PREVIEW)
    page.exclusion.confirm.setChecked(True)
    page.exclusion.reason.setText("deferred sentences are not in the inspection's scope")
    page.exclusion.reason.setFocus()
    shots.append(_shoot(wizard, folder / "wizard-exclusion.png"))

    wizard.next()
    allocation = wizard.allocation_page
    _wait_until(lambda: allocation.allocation is not None)
    shots.append(_shoot(wizard, folder / "wizard-allocation.png"))
    wizard.close()
    shots.append(_draw_shot(folder, work))
    return shots


def _draw_shot(folder: Path, work: Path) -> Path:
    """The draw from a trust's long list of 640 cases, by sentence type and RoSH, at
    1024x768."""
    from PySide6.QtCore import Qt

    from tests.core.test_long_list import write_long_list
    from tests.gui_app.test_wizard_long_list import CHOSEN

    long_list = write_long_list(work / "Merseyside long list.xlsx", cases=640)
    wizard = _wizard_past_the_inspection()
    for name, role in (("Helen Ashworth", "lead"), ("Daniel Okafor", "inspector")):
        wizard.team_page.add(name, role)
    wizard.next()
    page = wizard.sample_page
    page.path.setText(str(long_list))
    page.read()
    _wait_until(lambda: page.session is not None and page.review is not None)
    page.panel.acceptSuggestions.emit()
    _wait_until(lambda: not page._reviewing)
    session = page.session
    assert session is not None
    for index, row in enumerate(session.values):
        if row.undecided:
            page.panel.valueChosen.emit(index, CHOSEN[row.spelling])
    _wait_until(lambda: not page._reviewing and not page.blockers())
    wizard.next()
    draw = wizard.draw_page
    for index in range(draw.strata.count()):
        item = draw.strata.item(index)
        if item.text() == "RoSH level":
            item.setCheckState(Qt.CheckState.Checked)
    draw.seed.setText("2026")
    draw.how_many.setValue(80)
    draw.draw()
    draw.how_many.setFocus()
    shot = _shoot(wizard, folder / "wizard-draw.png")
    wizard.close()
    return shot


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
    sampling.exclusion.confirm.setChecked(True)
    sampling.exclusion.reason.setText("values the trust could not explain")
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
    for name, edit in fieldwork.passphrases.items():  # the master is encrypted: every file
        if not edit.text():
            edit.setText(f"{name.split()[0].lower()} in the field")
    shots.append(_shoot(wizard, folder / "wizard-5-fieldwork.png"))
    wizard.next()

    save = wizard.save_page
    save.path.setText(str(work / "Merseyside-master.inspection"))
    shots.append(_shoot(wizard, folder / "wizard-6-save.png"))
    wizard.next()
    _wait_until(lambda: wizard.currentId() == wizard.PAGE_DONE)
    shots.append(_shoot(wizard, folder / "wizard-7-done.png"))
    wizard.close()
    shots += _mapping_shots(folder, work)

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
