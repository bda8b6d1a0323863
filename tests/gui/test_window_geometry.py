"""Every top-level window opens within the screen and where the user left it on the same
screens: a place left on a 1920x1080 monitor never puts a window off a 1024x768 laptop, and
each screen set-up keeps its own places (gui/window_geometry.py).

The screen set-ups are real offscreen screens, one process each (tests/gui/geometry_probe.py),
sharing one settings folder as a user's runs do; the rest runs on the tests' own screen."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, QSize

from inspector_app.core.demo import create_lead_demo
from inspector_app.gui import settings, window_geometry
from inspector_app.gui.merge_window import MergeWindow
from inspector_app.gui.window_geometry import clamped, configuration

ROOT = Path(__file__).resolve().parents[2]
WINDOWS = ("main", "merge", "conflicts", "history", "report-settings", "review-text")


@pytest.fixture(scope="module")
def master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return create_lead_demo(tmp_path_factory.mktemp("geometry") / "Merseyside", cases=12).master


def run_probe(home: Path, master: Path, width: int, height: int, place: str = "") -> dict:
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    args = [str(home), str(master), str(width), str(height), *([place] if place else [])]
    done = subprocess.run(
        [sys.executable, "-m", "tests.gui.geometry_probe", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    results: dict = json.loads(done.stdout.strip().splitlines()[-1])
    assert set(results) == set(WINDOWS)
    return results


def test_places_are_kept_per_screen_and_never_off_it(tmp_path: Path, master: Path) -> None:
    home = tmp_path / "home"
    # On the desktop monitor: each window made large and put to the right, then closed.
    run_probe(home, master, 1920, 1080, "700,60,1200,980")
    # On the laptop: every window opens within the 1024x768 screen.
    laptop = run_probe(home, master, 1024, 768, "40,30,900,640")
    for name, seen in laptop.items():
        assert seen["on_screen"], f"{name} opened off the 1024x768 screen at {seen['rect']}"
    # Back at the monitor, and at the laptop again: each kept its own place.
    for name, seen in run_probe(home, master, 1920, 1080).items():
        assert seen["rect"] == [700, 60, 1200, 980], name
        assert seen["on_screen"]
    for name, seen in run_probe(home, master, 1024, 768).items():
        assert seen["rect"] == [40, 30, 900, 640], name
        assert seen["on_screen"] and not seen["maximised"]


def test_the_main_window_opens_maximised_on_a_screen_smaller_than_it_wants(
    tmp_path: Path, master: Path
) -> None:
    laptop = run_probe(tmp_path / "home", master, 1024, 768)
    assert laptop["main"]["maximised"] and laptop["main"]["on_screen"]
    assert not laptop["merge"]["maximised"]


# -- on the tests' own screen -------------------------------------------------------------------


@dataclass
class FakeScreen:
    """What `configuration` reads of a screen."""

    label: str
    width: int
    height: int

    def name(self) -> str:
        return self.label

    def size(self) -> QSize:
        return QSize(self.width, self.height)


def test_a_docked_laptop_is_another_set_up() -> None:
    laptop = [FakeScreen("eDP-1", 1920, 1080)]
    docked = [FakeScreen("eDP-1", 1920, 1080), FakeScreen("DP-1", 2560, 1440)]
    assert configuration(laptop) == "eDP-1_1920x1080"  # type: ignore[arg-type]
    assert configuration(docked) == configuration(reversed(docked))  # type: ignore[arg-type]
    assert configuration(docked) != configuration(laptop)  # type: ignore[arg-type]
    # The same name at another resolution is another set-up too; odd names stay one key.
    assert configuration([FakeScreen("eDP-1", 1280, 720)]) != configuration(laptop)  # type: ignore[list-item]
    assert "/" not in configuration([FakeScreen("HDMI/1 \\ x", 800, 600)])  # type: ignore[list-item]


def test_a_place_is_moved_and_shrunk_into_the_room() -> None:
    room = QRect(0, 0, 1024, 740)
    assert clamped(QRect(10, 10, 400, 300), room) == QRect(10, 10, 400, 300)
    assert clamped(QRect(900, 600, 400, 300), room) == QRect(624, 440, 400, 300)
    assert clamped(QRect(-50, -20, 400, 300), room) == QRect(0, 0, 400, 300)
    assert clamped(QRect(2000, 1000, 1800, 1000), room) == QRect(0, 0, 1024, 740)
    assert clamped(QRect(30, 40, 400, 300), QRect(1920, 0, 1024, 768)).x() == 1920


def test_a_remembered_place_off_this_screen_is_brought_onto_it(qtbot, master: Path) -> None:
    store = settings.app_settings()
    key = f"{window_geometry.GROUP}/merge/{configuration()}/rect"
    store.setValue(key, [3000, 2500, 5000, 4000])  # beyond the tests' 800x800 screen
    store.sync()
    window = MergeWindow(master)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    room = window.screen().availableGeometry()
    qtbot.waitUntil(lambda: room.contains(window.frameGeometry()), timeout=2000)
    assert window.width() <= room.width() and window.height() <= room.height()
    window.close()


def test_each_window_reopens_where_it_was_closed(qtbot, master: Path) -> None:
    first = MergeWindow(master)
    qtbot.addWidget(first)
    first.show()
    qtbot.waitExposed(first)
    first.setGeometry(QRect(60, 70, 500, 400))
    first.close()  # Close, Esc and the title bar all end here
    second = MergeWindow(master)
    qtbot.addWidget(second)
    assert second.geometry() == QRect(60, 70, 500, 400)
    second.close()
