"""The case profile form on its own: it shows a case's profile, reports each correction the user
makes from the keyboard once (a tick, a choice, text when left), nothing for a value shown
again, and takes none while the case is locked."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QSignalSpy
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit

from inspector_app.gui.profile_panel import UNKNOWN, ProfilePanel
from tests.gui.conftest import press, type_text
from tests.widgets.conftest import find_case, show


@pytest.fixture
def profile(fieldwork: Path) -> dict[str, object]:
    return dict(find_case(fieldwork, lambda c: not c.profile["alcohol_misuse"]).profile)


@pytest.fixture
def panel(qtbot, profile: dict[str, object]) -> ProfilePanel:
    form = ProfilePanel()
    form.set_profile(profile, locked=False)
    show(qtbot, form, 500, 800)
    return form


def reported(spy: QSignalSpy) -> list[list[object]]:
    return [spy.at(i) for i in range(spy.count())]


def test_the_form_shows_the_profile(panel: ProfilePanel, profile: dict[str, object]) -> None:
    rosh = panel.editors["rosh"]
    assert isinstance(rosh, QComboBox) and rosh.currentData() == profile["rosh"]
    alcohol = panel.editors["alcohol_misuse"]
    assert isinstance(alcohol, QCheckBox) and not alcohol.isChecked()
    office = panel.editors["office"]
    assert isinstance(office, QLineEdit) and office.text() == str(profile["office"] or "")
    assert all(editor.accessibleName() for editor in panel.editors.values())


def test_a_tick_from_the_keyboard_is_reported_once(panel: ProfilePanel) -> None:
    edits = QSignalSpy(panel.edited)
    panel.editors["alcohol_misuse"].setFocus()
    press(Qt.Key.Key_Space)
    assert reported(edits) == [["alcohol_misuse", True]]


def test_a_choice_is_reported_and_not_recorded_means_none(
    qtbot, panel: ProfilePanel, profile: dict[str, object]
) -> None:
    edits = QSignalSpy(panel.edited)
    mappa = panel.editors["mappa_category"]
    assert isinstance(mappa, QComboBox) and mappa.findText(UNKNOWN) >= 0
    other = next(v for v in (1, 2, 3) if v != profile.get("mappa_category"))
    mappa.setCurrentIndex(mappa.findData(other))
    mappa.activated.emit(mappa.currentIndex())  # what choosing it from the list sends
    mappa.setCurrentIndex(mappa.findText(UNKNOWN))
    mappa.activated.emit(mappa.currentIndex())
    assert reported(edits) == [["mappa_category", other], ["mappa_category", None]]


def test_text_is_reported_when_left_or_on_enter_and_blank_is_none(panel: ProfilePanel) -> None:
    edits = QSignalSpy(panel.edited)
    office = panel.editors["office"]
    office.setFocus()
    office.selectAll()
    type_text("  Birkenhead  ")
    assert reported(edits) == []  # not while typing
    press(Qt.Key.Key_Return)
    office.selectAll()
    press(Qt.Key.Key_Delete)
    press(Qt.Key.Key_Tab)  # leaving the field
    assert reported(edits) == [["office", "Birkenhead"], ["office", None]]


def test_a_value_shown_again_is_no_edit(panel: ProfilePanel, profile: dict[str, object]) -> None:
    edits = QSignalSpy(panel.edited)
    profile["alcohol_misuse"] = True  # corrected elsewhere (an undo, a merge) and shown
    panel.set_profile(profile, locked=False)
    assert panel.editors["alcohol_misuse"].isChecked()
    assert reported(edits) == []


def test_a_locked_case_takes_no_correction(panel: ProfilePanel, profile: dict[str, object]) -> None:
    panel.set_profile(profile, locked=True)
    assert not any(editor.isEnabled() for editor in panel.editors.values())
    panel.set_profile(profile, locked=False)
    assert all(editor.isEnabled() for editor in panel.editors.values())
