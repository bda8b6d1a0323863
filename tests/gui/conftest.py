"""GUI fixtures: real inspection files on disk (the demo generator, copied per test) and a
main window driven offscreen."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from inspector_app.core.demo import DemoOutcome, create_demo
from inspector_app.gui.background import wait_for_background
from inspector_app.gui.main_window import MainWindow


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoOutcome:
    """One 60-case demo inspection for the whole run; tests work on copies of its files."""
    return create_demo(tmp_path_factory.mktemp("demo") / "demo", cases=60)


@pytest.fixture
def fieldwork(demo: DemoOutcome, tmp_path: Path) -> Path:
    """A private copy of an inspector's partly answered fieldwork file."""
    source = demo.fieldwork[0]
    target = tmp_path / source.name
    shutil.copy(source, target)
    return target


@pytest.fixture
def window(qtbot, fieldwork: Path) -> Iterator[MainWindow]:
    """The main window with the fieldwork file open and its case list loaded."""
    win = MainWindow()
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    with qtbot.waitSignal(win.casesLoaded, timeout=10000):
        assert win.open_file(fieldwork)
    yield win
    win.close()
    wait_for_background()


def press(key: str | Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier):
    """A key press where the keyboard focus is, as a user's key would land."""
    target = QApplication.focusWidget()
    assert target is not None, "nothing has the keyboard focus"
    QTest.keyClick(target, key, modifier)


def type_text(text: str) -> None:
    target = QApplication.focusWidget()
    assert target is not None, "nothing has the keyboard focus"
    QTest.keyClicks(target, text)


def focused() -> QWidget | None:
    return QApplication.focusWidget()
