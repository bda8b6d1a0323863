"""SIGKILL a writer at random moments: no corrupt file, no acknowledged answer lost, no
partial revision (the suite's short version of bench/crash.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import crash


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_killing_the_writer_never_loses_acknowledged_answers(tmp_path: Path) -> None:
    tally = crash.crash_test(kills=10, seed=7, folder=tmp_path, report=lambda _: None)
    assert tally.kills == 10
    assert tally.acknowledged > 0
    assert (tally.corrupt, tally.lost, tally.partial) == (0, 0, 0)
