"""The welcome screen and the About dialog, with the keyboard only; names for screen readers."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QCalendarWidget,
    QComboBox,
    QLineEdit,
    QWidget,
)

from inspector_app import __version__
from inspector_app.gui import wizard as wizard_module
from inspector_app.gui.about_dialog import AboutDialog, app_icon, details_text
from inspector_app.gui.app import create_application
from inspector_app.gui.welcome import WelcomePage
from inspector_app.gui.wizard import NewInspectionWizard, run_wizard
from tests.gui_app.conftest import alt, focused, press

Key = Qt.Key
RECENT = [Path("/data/Merseyside-master.inspection"), Path("/data/Cheshire-master.inspection")]


@pytest.fixture
def welcome(qtbot) -> WelcomePage:
    page = WelcomePage()
    qtbot.addWidget(page)
    page.resize(1000, 700)
    page.set_recent(RECENT)
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    page.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    return page


def record(page: WelcomePage) -> list[str]:
    events: list[str] = []
    page.newRequested.connect(lambda: events.append("new"))
    page.openRequested.connect(lambda: events.append("open"))
    page.demoRequested.connect(lambda: events.append("demo"))
    page.recentChosen.connect(lambda path: events.append(f"recent {path}"))
    return events


def _inside(widget: QWidget, kinds: tuple[type, ...]) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, kinds):
            return True
        parent = parent.parentWidget()
    return False


def unnamed_controls(root: QWidget) -> list[str]:
    """Controls a keyboard reaches that a screen reader could not name."""
    kinds = (QAbstractButton, QLineEdit, QComboBox, QAbstractItemView, QAbstractSpinBox)
    missing = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, kinds) or not widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            continue
        if _inside(widget, (QAbstractSpinBox, QComboBox, QCalendarWidget)):
            continue  # the editor or pop-up list of a date or combo box: that box is named
        if not widget.accessibleName().strip():
            missing.append(f"{type(widget).__name__} {widget.objectName() or ''}".strip())
    return missing


def test_welcome_choices_with_the_keyboard(welcome: WelcomePage) -> None:
    events = record(welcome)
    assert focused() is welcome.new_button  # the first choice has the focus
    press(Key.Key_Return)
    press(Key.Key_Tab)
    assert focused() is welcome.open_button
    press(Key.Key_Space)
    press(Key.Key_Tab)
    assert focused() is welcome.demo_button
    press(Key.Key_Enter)
    press(Key.Key_Tab)
    assert focused() is welcome.recent
    press(Key.Key_Down)
    press(Key.Key_Return)
    assert events == ["new", "open", "demo", f"recent {RECENT[1]}"]


def test_welcome_mnemonics(welcome: WelcomePage) -> None:
    events = record(welcome)
    alt("d")
    alt("o")
    alt("n")
    alt("r")
    assert focused() is welcome.recent
    press(Key.Key_Return)
    assert events == ["demo", "open", "new", f"recent {RECENT[0]}"]


def test_welcome_busy_and_empty_states(welcome: WelcomePage) -> None:
    welcome.set_busy("Opening the demo inspection…")
    assert welcome.busy_label.isVisible() and welcome.busy_label.text().startswith("Opening")
    assert not welcome.new_button.isEnabled() and not welcome.recent.isEnabled()
    welcome.set_busy(None)
    assert not welcome.busy_label.isVisible() and welcome.new_button.isEnabled()
    welcome.set_recent([])
    assert not welcome.recent.isVisible()
    assert welcome.no_recent.isVisible()


def test_welcome_names_every_control(welcome: WelcomePage) -> None:
    assert unnamed_controls(welcome) == []
    assert [
        b.accessibleName() for b in (welcome.new_button, welcome.open_button, welcome.demo_button)
    ] == [
        "New inspection",
        "Open a file",
        "Try the demo inspection",
    ]
    item = welcome.recent.item(0)
    assert item.data(Qt.ItemDataRole.AccessibleTextRole) == "Merseyside-master.inspection, in /data"


def test_welcome_follows_a_large_system_font(qtbot) -> None:
    app = QApplication.instance()
    original = app.font()
    try:
        large = app.font()
        large.setPointSize(16)
        app.setFont(large)
        page = WelcomePage()
        qtbot.addWidget(page)
        page.resize(1000, 700)
        page.show()
        title = page.new_button.title_label
        assert title.font().pointSizeF() >= 16  # not a fixed small size
        # Nothing clipped: each choice is as tall as its wrapped text needs.
        button = page.new_button
        assert button.height() >= button.heightForWidth(button.width())
    finally:
        app.setFont(original)


def test_every_wizard_page_names_every_control(qtbot) -> None:
    wiz = NewInspectionWizard()
    qtbot.addWidget(wiz)
    for page_id in wiz.pageIds():
        assert unnamed_controls(wiz.page(page_id)) == [], page_id
    for which in (
        wiz.WizardButton.NextButton,
        wiz.WizardButton.BackButton,
        wiz.WizardButton.CancelButton,
    ):
        assert wiz.button(which).accessibleName()


def test_run_wizard_opens_what_it_created(monkeypatch, tmp_path: Path) -> None:
    made = tmp_path / "m.inspection"
    opened: list[Path] = []
    monkeypatch.setattr(NewInspectionWizard, "ask", classmethod(lambda cls, parent: made))
    run_wizard(None, opened.append)
    monkeypatch.setattr(NewInspectionWizard, "ask", classmethod(lambda cls, parent: None))
    run_wizard(None, opened.append)
    assert opened == [made]
    assert wizard_module.NewInspectionWizard is NewInspectionWizard


def test_about_shows_version_licence_and_locations(qtbot) -> None:
    dialog = AboutDialog(None)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    assert dialog.version.text() == f"Version {__version__}"
    assert dialog.values["Licence"].text() == "MIT"
    from inspector_app.core.files.paths import data_dir, log_dir

    assert dialog.values["Data folder"].text() == str(data_dir())
    assert dialog.values["Log folder"].text() == str(log_dir())
    assert dialog.values["Settings"].text().endswith("settings.ini")
    for label in ("Python", "Qt", "SQLite"):
        assert dialog.values[label].text()
    assert not dialog.icon.pixmap().isNull()
    assert unnamed_controls(dialog) == []
    alt("c")  # Copy details
    copied = QApplication.clipboard().text()
    assert copied == details_text()
    assert f"Version: {__version__}" in copied and "Log folder:" in copied
    press(Key.Key_Escape)
    assert not dialog.isVisible()


def test_the_application_has_its_icon(qtbot) -> None:
    app = create_application()
    assert not app_icon().isNull()
    assert not app.windowIcon().isNull()
    assert 128 in [s.width() for s in app.windowIcon().availableSizes()]
