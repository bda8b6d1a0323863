"""Shared fixtures: real inspection files on disk, built through the services."""

from __future__ import annotations

import csv
import hashlib
import os
import random
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from inspector_app.core.cases.team import add_member
from inspector_app.core.demo import write_sample_csv
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.sample.placement import allocate_auto, import_sample

LEAD = "Helen Ashworth"
INSPECTORS = ("Daniel Okafor", "Priya Raman")


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_csv(path: Path, rows: list[list[object]]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


@pytest.fixture(autouse=True)
def _private_user_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tests never touch a real user's data or settings folders."""
    home = tmp_path_factory.mktemp("user-home")
    monkeypatch.setenv("INSPECTOR_APP_HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))


@pytest.fixture
def sample_csv(tmp_path: Path) -> Path:
    path = tmp_path / "sample.csv"
    write_sample_csv(path, 12, random.Random(7))
    return path


@pytest.fixture
def new_master(tmp_path: Path) -> Iterator[InspectionFile]:
    """An empty master with a lead, no team and no sample."""
    with InspectionFile.create(
        tmp_path / "master.inspection",
        title="Inspection of Adult Offending Work: Merseyside",
        organisation="Merseyside",
        lead=LEAD,
        fieldwork_start="2026-11-02",
        fieldwork_end="2026-11-06",
    ) as master:
        yield master


@pytest.fixture
def master(new_master: InspectionFile, sample_csv: Path) -> InspectionFile:
    """A master with a lead, two inspectors and 12 cases allocated between them."""
    for name in INSPECTORS:
        add_member(new_master, name, "inspector")
    import_sample(new_master, sample_csv)
    allocate_auto(new_master)
    return new_master


def damage_index(path: Path, index: str) -> None:
    """Break the page type of an index's root page: the file still opens and reads what does
    not go through that index, but SQLite's quick check finds the fault."""
    with sqlite3.connect(path) as conn:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        (root,) = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = ?", (index,)
        ).fetchone()
    conn.close()
    with path.open("r+b") as file:
        file.seek((root - 1) * page_size)
        file.write(b"\xff")


def hold_damage_check(monkeypatch: pytest.MonkeyPatch, fail: Exception | None = None) -> Any:
    """Every file counts as big (opened beside its damage check), and the check waits until
    the event returned is set; then it fails with `fail`, if given, or runs."""
    import threading

    from inspector_app.core.storage import damage_check, database

    monkeypatch.setattr(database, "CHECK_BESIDE_BYTES", 0)
    release = threading.Event()
    real = damage_check.quick_check

    def held(raw: object, path: Path) -> None:
        assert release.wait(30)
        if fail is not None:
            raise fail
        real(raw, path)  # type: ignore[arg-type]

    monkeypatch.setattr(damage_check, "quick_check", held)
    return release
