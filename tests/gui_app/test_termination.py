"""A stop signal (log-out, shut-down, Ctrl+C in a terminal) closes the open file properly.

The app runs in its own process, as a user starts it, with a master open; the test waits
until the file is marked open, sends the signal and checks the process ended by itself with
the file marked closed, so the next start does not report a crash.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.files.session_marker import read_marker

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


def _marked_open(path: Path) -> bool:
    with InspectionFile.open(path, readonly=True, track_session=False) as file:
        return read_marker(file.db).open


def _start_app(path: Path, home: Path) -> subprocess.Popen[bytes]:
    env = os.environ | {
        "QT_QPA_PLATFORM": "offscreen",
        "INSPECTOR_APP_HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "inspector_app", str(path)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _wait_until_open(process: subprocess.Popen[bytes], path: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
        if _marked_open(path):
            time.sleep(0.5)  # the window settles: cases load in the background
            return
        time.sleep(0.1)
    process.kill()
    pytest.fail("the app never opened the file")


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_a_stop_signal_closes_the_file_properly(
    master: InspectionFile, tmp_path: Path, stop: signal.Signals
) -> None:
    path = master.path
    master.close()
    assert not _marked_open(path)
    process = _start_app(path, tmp_path / "home")
    try:
        _wait_until_open(process, path)
        process.send_signal(stop)
        rc = process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    err = process.stderr.read().decode() if process.stderr else ""
    assert rc == 0, err
    assert "Traceback" not in err
    assert not _marked_open(path)
