"""Before the first window on Linux: are the system libraries Qt's X11 plugin loads there?

Without them Qt stops the process with "Could not load the Qt platform plugin xcb", naming
none of them. A fresh desktop often lacks a few; this names them and the command that installs
them, and the app exits cleanly instead.

`make run` asks first (`python -m inspector_app.gui.platform_check`, standard library only, so
it runs before the app is installed): on Debian or Ubuntu, as root it installs what is missing;
otherwise it prints the one command to run and stops. With no window to open (Qt told to draw
offscreen, as in CI, or no display at all) there is nothing to check.
"""

from __future__ import annotations

import ctypes.util
import functools
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TextIO

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
    ("X11-xcb", "libx11-xcb1"),
    ("GL", "libgl1"),
    ("EGL", "libegl1"),
    ("fontconfig", "libfontconfig1"),
    ("dbus-1", "libdbus-1-3"),
)


# Spell check as you type (core/spelling.py): Enchant, and a British English dictionary for it.
# Optional: without them the app runs and its editors are simply not checked.
SPELLING_LIBRARY = ("enchant-2", "libenchant-2-2")
SPELLING_DICTIONARY = "hunspell-en-gb"
_EN_GB_DICTIONARIES = (
    Path("/usr/share/hunspell/en_GB.dic"),
    Path("/usr/share/myspell/en_GB.dic"),
    Path("/usr/share/myspell/dicts/en_GB.dic"),
)


def find_library(name: str) -> str | None:
    """Where the shared library `name` ("xcb-cursor") is, as ctypes.util.find_library says,
    but from one reading of the loader's cache: find_library runs `ldconfig -p` on every call,
    about 5 ms each, and start-up asks for a dozen."""
    cache = _loader_cache()
    if cache is None:  # no ldconfig here: ask ctypes
        return ctypes.util.find_library(name)
    return cache.get(name)


@functools.cache
def _loader_cache() -> dict[str, str] | None:
    """Library name ("xcb-cursor") to its file, for this machine's architecture."""
    ldconfig = shutil.which("ldconfig") or next(
        (p for p in ("/sbin/ldconfig", "/usr/sbin/ldconfig") if os.path.exists(p)), None
    )
    if ldconfig is None or not sys.platform.startswith("linux"):
        return None
    try:
        listing = subprocess.run(
            [ldconfig, "-p"], capture_output=True, text=True, check=True, env={"LC_ALL": "C"}
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    machine = {"x86_64": "x86-64", "aarch64": "AArch64"}.get(os.uname().machine, "")
    found: dict[str, str] = {}
    for line in listing.splitlines()[1:]:
        soname, _, rest = line.strip().partition(" (")
        flags, _, path = rest.partition(") => ")
        if not soname.startswith("lib") or ".so" not in soname:
            continue
        if machine and "64" in machine and machine not in flags:
            continue  # a 32-bit copy the 64-bit app cannot load
        found.setdefault(soname[3 : soname.index(".so")], path)
    return found


def missing_spelling_packages(
    environ: Mapping[str, str],
    find_library: Callable[[str], str | None] = find_library,
    dictionaries: Sequence[Path] = _EN_GB_DICTIONARIES,
    platform: str = sys.platform,
) -> list[str]:
    """The Debian/Ubuntu packages spell check needs, on a Linux desktop (none headless)."""
    if not platform.startswith("linux") or not has_display(environ):
        return []
    missing = []
    library, package = SPELLING_LIBRARY
    if find_library(library) is None:
        missing.append(package)
    if not any(path.is_file() for path in dictionaries):
        missing.append(SPELLING_DICTIONARY)
    return missing


def has_display(environ: Mapping[str, str]) -> bool:
    """A window will open on a screen (not offscreen, as tests and CI draw)."""
    chosen = environ.get("QT_QPA_PLATFORM", "").split(";")[0].split(":")[0]
    if chosen in ("offscreen", "minimal", "vnc"):
        return False
    return bool(environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"))


def uses_xcb(environ: Mapping[str, str], platform: str = sys.platform) -> bool:
    """Qt will try its X11 plugin: Linux, no other platform asked for, and a display to
    open the window on (without one, Qt's own message says so)."""
    if not platform.startswith("linux"):
        return False
    chosen = environ.get("QT_QPA_PLATFORM", "")
    if chosen:
        return chosen.split(";")[0].split(":")[0] == "xcb"
    if not environ.get("DISPLAY") and not environ.get("WAYLAND_DISPLAY"):
        return False
    return environ.get("XDG_SESSION_TYPE") != "wayland" or not environ.get("WAYLAND_DISPLAY")


def missing_packages(
    environ: Mapping[str, str],
    find_library: Callable[[str], str | None] = find_library,
    platform: str = sys.platform,
) -> list[str]:
    """The packages to install before the window can open (none when all is well)."""
    if not uses_xcb(environ, platform):
        return []
    return [package for library, package in XCB_LIBRARIES if find_library(library) is None]


def install_line(packages: Sequence[str]) -> str:
    """The one command a user types on Debian or Ubuntu."""
    return "sudo apt-get install " + " ".join(packages)


def advice(packages: list[str]) -> str:
    listed = " ".join(packages)
    return (
        "Inspector cannot open its window: this computer lacks system libraries the window "
        f"needs ({listed}).\n"
        f"On Debian or Ubuntu install them with:  {install_line(packages)}\n"
        "(On other distributions, install the packages with the same libraries.)"
    )


def is_debian_like(os_release: Path = Path("/etc/os-release")) -> bool:
    """Debian, Ubuntu or a distribution built on them (whose packages the advice names)."""
    try:
        text = os_release.read_text(encoding="utf-8")
    except OSError:
        return False
    family: set[str] = set()
    for line in text.splitlines():
        key, _, value = line.partition("=")
        if key in ("ID", "ID_LIKE"):
            family.update(value.strip().strip('"').split())
    return bool(family & {"debian", "ubuntu"})


def is_root() -> bool:
    geteuid = getattr(os, "geteuid", None)
    return geteuid is not None and geteuid() == 0


Runner = Callable[[list[str], dict[str, str]], int]


def _run(command: list[str], env: dict[str, str]) -> int:
    return subprocess.run(command, env=env, check=False).returncode


def prepare(
    environ: Mapping[str, str],
    *,
    debian: bool,
    root: bool,
    run: Runner = _run,
    find_library: Callable[[str], str | None] = find_library,
    platform: str = sys.platform,
    out: TextIO | None = None,
    spelling: Callable[[], list[str]] | None = None,
) -> int:
    """Make the window's libraries present before `make run` starts the app: 0 when they
    are (already, or once installed as root on Debian/Ubuntu); else 1, after printing what
    to do (on Debian/Ubuntu without root: the one `sudo apt-get install` line)."""
    missing = missing_packages(environ, find_library, platform)
    optional = spelling() if spelling is not None else []
    if not missing and not optional:
        return 0
    out = out or sys.stderr
    listed = " ".join(missing)
    if not missing and not (debian and root):  # the app runs without them: say so, go on
        how = (
            f"Install them with:  {install_line(optional)}"
            if debian
            else f"On Debian or Ubuntu they are {' '.join(optional)}."
        )
        print(
            f"Spell check needs packages this computer lacks, so notes go unchecked. {how}",
            file=out,
        )
        return 0
    if not debian:
        print(advice(missing), file=out)
        return 1
    if not root:
        print(
            f"Inspector's window needs system libraries this computer lacks ({listed}). "
            "Install them with this command, then run make run again:\n\n"
            f"    {install_line(missing + optional)}\n",
            file=out,
        )
        return 1
    wanted = missing + optional
    print(
        f"Installing the system packages Inspector's window and spell check need: "
        f"{' '.join(wanted)}",
        file=out,
    )
    env = {**environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update"], ["apt-get", "install", "-y", *wanted]):
        if run(command, env) != 0:
            print(f"Could not install them: {' '.join(command)} failed.", file=out)
            return 1
    still = missing_packages(environ, find_library, platform)
    if still:
        print(advice(still), file=out)
        return 1
    return 0


def main() -> int:
    return prepare(
        os.environ,
        debian=is_debian_like() and shutil.which("apt-get") is not None,
        root=is_root(),
        spelling=lambda: missing_spelling_packages(os.environ),
    )


if __name__ == "__main__":
    raise SystemExit(main())
