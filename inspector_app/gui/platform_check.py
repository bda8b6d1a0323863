"""Before the first window on Linux: are the system libraries Qt's X11 plugin loads there?

Without them Qt stops the process with "Could not load the Qt platform plugin xcb", naming
none of them. A fresh desktop often lacks a few; this names them and the command that installs
them, and the app exits cleanly instead.
"""

from __future__ import annotations

import ctypes.util
import sys
from collections.abc import Callable, Mapping

# The library (as ctypes.util.find_library names it) and the Debian/Ubuntu package with it.
XCB_LIBRARIES: tuple[tuple[str, str], ...] = (
    ("xcb-cursor", "libxcb-cursor0"),
    ("xkbcommon-x11", "libxkbcommon-x11-0"),
    ("xcb-icccm", "libxcb-icccm4"),
    ("xcb-image", "libxcb-image0"),
    ("xcb-keysyms", "libxcb-keysyms1"),
    ("xcb-randr", "libxcb-randr0"),
    ("xcb-render-util", "libxcb-render-util0"),
    ("xcb-shape", "libxcb-shape0"),
    ("xcb-xkb", "libxcb-xkb1"),
    ("EGL", "libegl1"),
    ("fontconfig", "libfontconfig1"),
    ("dbus-1", "libdbus-1-3"),
)


def uses_xcb(environ: Mapping[str, str], platform: str = sys.platform) -> bool:
    """Qt will try its X11 plugin: Linux, and no other platform asked for."""
    if not platform.startswith("linux"):
        return False
    chosen = environ.get("QT_QPA_PLATFORM", "")
    if chosen:
        return chosen.split(";")[0].split(":")[0] == "xcb"
    return environ.get("XDG_SESSION_TYPE") != "wayland" or not environ.get("WAYLAND_DISPLAY")


def missing_packages(
    environ: Mapping[str, str],
    find_library: Callable[[str], str | None] = ctypes.util.find_library,
    platform: str = sys.platform,
) -> list[str]:
    """The packages to install before the window can open (none when all is well)."""
    if not uses_xcb(environ, platform):
        return []
    return [package for library, package in XCB_LIBRARIES if find_library(library) is None]


def advice(packages: list[str]) -> str:
    listed = " ".join(packages)
    return (
        "Inspector cannot open its window: this computer lacks system libraries the window "
        f"needs ({listed}).\n"
        f"On Debian or Ubuntu install them with:  sudo apt-get install {listed}\n"
        "(On other distributions, install the packages with the same libraries.)"
    )
