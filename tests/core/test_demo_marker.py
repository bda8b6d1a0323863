"""The demo inspection's edition marker: written only once the demo is whole, so a demo whose
making was interrupted (or made by an older version) is made again on the next use rather than
opened half-built."""

from __future__ import annotations

from pathlib import Path

import pytest

from inspector_app.core import demo
from inspector_app.core.cases.case_data import load_cases
from inspector_app.core.demo import DEMO_EDITION, ensure_demo
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.files.paths import demo_dir


def marker() -> Path:
    return demo_dir() / "demo-edition.txt"


class Interrupted(Exception):
    """The making of the demo stopped part-way (a crash, a full disk, the app closed)."""


def interrupt_after_the_master(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The next making of the demo writes the master, then stops before the rest."""
    started: list[Path] = []

    def half(folder: Path, **options: object) -> demo.DemoOutcome:
        started.append(folder)
        outcome = demo.create_demo(folder, cases=12)  # the team's files, nothing merged
        assert outcome.master.exists()
        raise Interrupted

    monkeypatch.setattr(demo, "create_lead_demo", half)
    return started


def is_whole(master: Path) -> bool:
    """The lead's merged master: its 60 cases and the team's answers in it."""
    with InspectionFile.open(master, readonly=True) as file:
        cases = load_cases(file)
        return len(cases) == 60 and sum(1 for c in cases if c.answers) > 0


def test_the_first_use_makes_the_demo_then_writes_the_marker() -> None:
    assert not marker().exists()
    master = ensure_demo()
    assert master.parent == demo_dir() and is_whole(master)
    assert marker().read_text(encoding="utf-8").strip() == DEMO_EDITION
    assert ensure_demo() == master  # made once: the next use opens it as it is


def test_an_interrupted_making_leaves_no_marker_and_is_made_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with monkeypatch.context() as patch:
        started = interrupt_after_the_master(patch)
        with pytest.raises(Interrupted):
            ensure_demo()
    assert started == [demo_dir()]
    assert list(demo_dir().glob("*-master.inspection"))  # a master is there, half-built...
    assert not marker().exists()  # ... and not marked whole
    master = ensure_demo()  # so the next use makes it again, whole
    assert is_whole(master)
    assert marker().read_text(encoding="utf-8").strip() == DEMO_EDITION


def test_an_older_edition_is_unmarked_before_it_is_made_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ensure_demo()
    marker().write_text("1: an older demo\n", encoding="utf-8")
    with monkeypatch.context() as patch:
        interrupt_after_the_master(patch)
        with pytest.raises(Interrupted):
            ensure_demo()
    assert not marker().exists()  # neither the old edition's marker nor the new one's
    assert is_whole(ensure_demo())
    assert marker().read_text(encoding="utf-8").strip() == DEMO_EDITION
