"""Smoke test of bench/crash.py's merge, undo and purge kills: a few kills each, so a change
that breaks the bench (or makes one of these operations tear the master) shows in the suite."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import crash


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_killing_merge_undo_and_purge_leaves_the_master_before_or_after(tmp_path: Path) -> None:
    kinds = ["merge", "undo", "purge"]
    tallies = crash.run_all(kinds, kills=3, seed=5, folder=tmp_path, report=lambda _: None)
    assert list(tallies) == kinds
    for kind, tally in tallies.items():
        assert tally.kills == 3, kind
        assert tally.before_done + tally.after_done == 3, kind
        assert tally.found_old + tally.found_new == 3, (kind, tally.failures)
        assert tally.bad == 0, (kind, tally.failures)
