"""A fresh Linux desktop without the libraries Qt's X11 plugin needs hears which packages to
install, instead of Qt's bare "could not load the platform plugin"."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from inspector_app.gui.platform_check import (
    XCB_LIBRARIES,
    advice,
    install_line,
    is_debian_like,
    missing_packages,
    missing_spelling_packages,
    prepare,
    uses_xcb,
)


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
        "import sys\n"
        "import inspector_app.gui.platform_check as check\n"
        "check._loader_cache = lambda: {}  # a machine without a single library\n"
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


# -- `make run` on a fresh machine ------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]
DESKTOP = {"DISPLAY": ":0", "PATH": "/usr/bin:/bin"}


def lacking(*absent: str) -> Callable[[str], str | None]:
    """A computer where every library the window needs is present but `absent`."""
    return lambda name: None if name in absent else f"lib{name}.so"


def test_as_root_on_debian_the_missing_packages_are_installed() -> None:
    installed: set[str] = set()
    commands: list[list[str]] = []

    def run(command: list[str], env: dict[str, str]) -> int:
        assert env["DEBIAN_FRONTEND"] == "noninteractive"  # no question to answer
        commands.append(command)
        if command[:2] == ["apt-get", "install"]:
            installed.update({"xcb-cursor", "xcb-icccm"})
        return 0

    def find(name: str) -> str | None:
        return f"lib{name}.so" if name in installed else lacking("xcb-cursor", "xcb-icccm")(name)

    out = io.StringIO()
    assert prepare(DESKTOP, debian=True, root=True, run=run, find_library=find, out=out) == 0
    assert commands == [
        ["apt-get", "update"],
        ["apt-get", "install", "-y", "libxcb-cursor0", "libxcb-icccm4"],
    ]
    assert "libxcb-cursor0 libxcb-icccm4" in out.getvalue()


def test_without_root_the_one_command_is_printed_and_nothing_runs() -> None:
    def run(command: list[str], env: dict[str, str]) -> int:
        raise AssertionError(f"ran {command}")

    out = io.StringIO()
    find = lacking("xcb-cursor", "GL")
    assert prepare(DESKTOP, debian=True, root=False, run=run, find_library=find, out=out) == 1
    lines = [line.strip() for line in out.getvalue().splitlines() if "apt-get" in line]
    assert lines == ["sudo apt-get install libxcb-cursor0 libgl1"]


def test_a_failed_install_stops_with_the_command_that_failed() -> None:
    out = io.StringIO()
    code = prepare(
        DESKTOP,
        debian=True,
        root=True,
        run=lambda command, env: 100 if command[1] == "update" else 0,
        find_library=lacking("xcb-cursor"),
        out=out,
    )
    assert code == 1 and "apt-get update failed" in out.getvalue()


def test_elsewhere_the_libraries_are_named_without_apt() -> None:
    out = io.StringIO()
    code = prepare(DESKTOP, debian=False, root=True, find_library=lacking("EGL"), out=out)
    assert code == 1 and "libegl1" in out.getvalue()


def test_headless_and_complete_machines_go_straight_on() -> None:
    def never(command: list[str], env: dict[str, str]) -> int:
        raise AssertionError(f"ran {command}")

    for environ in ({"QT_QPA_PLATFORM": "offscreen", "DISPLAY": ":0"}, {"PATH": "/usr/bin"}):
        assert prepare(environ, debian=True, root=True, run=never, find_library=lacking()) == 0
    assert prepare(DESKTOP, debian=True, root=True, run=never, find_library=lacking()) == 0


def test_debian_and_ubuntu_are_told_from_their_os_release(tmp_path: Path) -> None:
    release = tmp_path / "os-release"
    for text, expected in (
        ('ID=debian\nVERSION_ID="12"\n', True),
        ("ID=ubuntu\nID_LIKE=debian\n", True),
        ('ID=linuxmint\nID_LIKE="ubuntu debian"\n', True),
        ("ID=fedora\n", False),
    ):
        release.write_text(text, encoding="utf-8")
        assert is_debian_like(release) is expected, text
    assert not is_debian_like(tmp_path / "absent")


def test_make_run_checks_the_system_before_starting_the_app() -> None:
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    env = {k: v for k, v in os.environ.items() if k != "DISPLAY"} | {"QT_QPA_PLATFORM": "offscreen"}
    plan = subprocess.run(
        ["make", "-n", "-B", "run"], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    check = next(i for i, line in enumerate(plan) if "platform_check" in line)
    start = next(i for i, line in enumerate(plan) if "inspector-app" in line)
    venv = next(i for i, line in enumerate(plan) if "-m venv" in line)
    assert check < venv < start  # before anything is set up
    # Headless, as in CI: the check itself passes without looking for a display.
    done = subprocess.run(
        ["make", "--no-print-directory", "system-check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def test_the_readme_lists_every_package_make_run_installs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    line = next(row for row in readme.splitlines() if row.startswith("| Debian, Ubuntu |"))
    assert install_line([package for _library, package in XCB_LIBRARIES]) in line


def test_spell_check_packages_are_found_missing_on_a_desktop_only(tmp_path: Path) -> None:
    dictionary = tmp_path / "en_GB.dic"
    absent = lacking("enchant-2")
    assert missing_spelling_packages(DESKTOP, absent, [dictionary], "linux") == [
        "libenchant-2-2",
        "hunspell-en-gb",
    ]
    dictionary.write_text("1\ncolour\n", encoding="utf-8")
    assert missing_spelling_packages(DESKTOP, lacking(), [dictionary], "linux") == []
    headless = {"QT_QPA_PLATFORM": "offscreen", "DISPLAY": ":0"}
    assert missing_spelling_packages(headless, absent, [tmp_path / "x.dic"], "linux") == []
    assert missing_spelling_packages(DESKTOP, absent, [tmp_path / "x.dic"], "darwin") == []


def test_as_root_the_spell_check_packages_are_installed_with_the_windows() -> None:
    commands: list[list[str]] = []

    def run(command: list[str], env: dict[str, str]) -> int:
        commands.append(command)
        return 0

    out = io.StringIO()
    code = prepare(
        DESKTOP,
        debian=True,
        root=True,
        run=run,
        find_library=lacking(),
        out=out,
        spelling=lambda: ["hunspell-en-gb"],
    )
    assert code == 0
    assert commands[-1] == ["apt-get", "install", "-y", "hunspell-en-gb"]


def test_without_root_missing_spell_check_is_a_note_and_the_app_still_starts() -> None:
    def never(command: list[str], env: dict[str, str]) -> int:
        raise AssertionError(f"ran {command}")

    out = io.StringIO()
    code = prepare(
        DESKTOP,
        debian=True,
        root=False,
        run=never,
        find_library=lacking(),
        out=out,
        spelling=lambda: ["libenchant-2-2", "hunspell-en-gb"],
    )
    assert code == 0
    assert "sudo apt-get install libenchant-2-2 hunspell-en-gb" in out.getvalue()
    # With window libraries missing too, the one command installs everything.
    out = io.StringIO()
    code = prepare(
        DESKTOP,
        debian=True,
        root=False,
        run=never,
        find_library=lacking("EGL"),
        out=out,
        spelling=lambda: ["hunspell-en-gb"],
    )
    assert code == 1
    assert "sudo apt-get install libegl1 hunspell-en-gb" in out.getvalue()


def test_the_readme_lists_the_spell_check_packages() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    line = next(row for row in readme.splitlines() if row.startswith("| Debian, Ubuntu |"))
    assert "libenchant-2-2 hunspell-en-gb" in line


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the loader cache is Linux's")
def test_one_reading_of_the_loader_cache_finds_what_ctypes_finds() -> None:
    import ctypes.util

    from inspector_app.gui.platform_check import find_library

    names = [library for library, _package in XCB_LIBRARIES] + ["enchant-2", "c", "m", "nosuch"]
    for name in names:
        assert (find_library(name) is None) == (ctypes.util.find_library(name) is None), name
