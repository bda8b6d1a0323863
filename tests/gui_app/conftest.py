"""Fixtures for the first-run screens: real files in tmp_path, keys sent where the focus is."""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from inspector_app.core.demo import write_sample_csv
from inspector_app.gui.background import deliver_outcomes, wait_for_background


@pytest.fixture
def good_sample(tmp_path: Path) -> Path:
    path = tmp_path / "sample.csv"
    write_sample_csv(path, 30, random.Random(1))
    return path


@pytest.fixture
def bad_sample(tmp_path: Path) -> Path:
    """30 rows of which 3 have a problem (an unknown RoSH level, a repeated sample number and
    an unknown tier)."""
    path = tmp_path / "bad-sample.csv"
    write_sample_csv(path, 30, random.Random(1))
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    rows[3][header.index("rosh")] = "Extreme"
    rows[5][header.index("sample_no")] = "2"
    rows[7][header.index("tier")] = "seven"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


@pytest.fixture
def out_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "usb"
    folder.mkdir()
    return folder


@pytest.fixture(autouse=True)
def _finish_background_work() -> Iterator[None]:
    """Work a test started finishes, and its callbacks run, before the next test begins
    (they find their widgets gone, as after closing a window)."""
    yield
    wait_for_background()
    deliver_outcomes()


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def press(key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """A key press where the keyboard focus is, as a user's key would land."""
    QTest.keyClick(focused(), key, modifier)


def alt(letter: str) -> None:
    """A mnemonic (Alt+letter), as a user reaches a labelled field or presses a button (a
    button's mnemonic clicks it after a short animation, hence the wait)."""
    key = getattr(Qt.Key, f"Key_{letter.upper()}")
    QTest.keyClick(focused(), key, Qt.KeyboardModifier.AltModifier)
    QTest.qWait(150)


def type_text(text: str) -> None:
    QTest.keyClicks(focused(), text)


@pytest.fixture
def wizard(qtbot):  # -> NewInspectionWizard (imported late: conftest loads before Qt is set)
    """The New Inspection wizard, shown with the keyboard in it."""
    from inspector_app.gui.wizard import NewInspectionWizard

    wiz = NewInspectionWizard()
    qtbot.addWidget(wiz)
    wiz.show()
    qtbot.waitExposed(wiz)
    wiz.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    return wiz
