"""A fresh Linux desktop without the libraries Qt's X11 plugin needs hears which packages to
install, instead of Qt's bare "could not load the platform plugin"."""

from __future__ import annotations

import subprocess
import sys

from inspector_app.gui.platform_check import XCB_LIBRARIES, advice, missing_packages, uses_xcb


def test_missing_libraries_are_named_with_their_packages() -> None:
    present = {"EGL", "fontconfig", "dbus-1"}

    def find(name: str) -> str | None:
        return f"lib{name}.so" if name in present else None

    missing = missing_packages({"DISPLAY": ":0"}, find, "linux")
    assert "libxcb-cursor0" in missing and "libxkbcommon-x11-0" in missing
    assert "libegl1" not in missing
    text = advice(missing)
    assert "sudo apt-get install libxcb-cursor0" in text


def test_nothing_is_checked_off_x11() -> None:
    def never(name: str) -> str | None:
        raise AssertionError("not asked")

    assert missing_packages({"QT_QPA_PLATFORM": "offscreen"}, never, "linux") == []
    assert missing_packages({}, never, "win32") == []
    assert missing_packages({"XDG_SESSION_TYPE": "wayland", "WAYLAND_DISPLAY": "w"}, never) == []
    assert uses_xcb({"QT_QPA_PLATFORM": "xcb"}, "linux")
    assert len({package for _lib, package in XCB_LIBRARIES}) == len(XCB_LIBRARIES)


def test_the_app_exits_with_the_advice_instead_of_crashing() -> None:
    code = (
        "import ctypes.util, sys\n"
        "ctypes.util.find_library = lambda name: None\n"
        "from inspector_app.gui.app import run_gui\n"
        "sys.exit(run_gui([]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={"QT_QPA_PLATFORM": "xcb", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert "sudo apt-get install libxcb-cursor0" in done.stderr
