"""Removing names and CRNs is for good: the command line asks for --yes, and refuses before
the report is final unless told --before-final; nothing is removed when it refuses."""

from __future__ import annotations

import pytest

from inspector_app.cli.main import run_cli
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.narrative.parts import set_final


def identities(path: str) -> int:
    with InspectionFile.open(path, readonly=True) as file:
        count: int = file.db.raw.execute("SELECT count(*) FROM case_identity").fetchone()[0]
    return count


def test_purge_needs_yes_and_a_final_report(
    master: InspectionFile, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(master.path)
    master.close()
    before = identities(path)
    assert before > 0

    assert run_cli(["purge-identifiers", path]) != 0
    err = capsys.readouterr().err
    assert "for good" in err and "--yes" in err and "not marked final" in err
    assert identities(path) == before

    assert run_cli(["purge-identifiers", path, "--yes"]) != 0
    assert "not marked final" in capsys.readouterr().err
    assert identities(path) == before

    with InspectionFile.open(path) as file:
        set_final(file, True)
    assert run_cli(["purge-identifiers", path, "--yes"]) == 0
    assert f"Removed the identifiers of {before} cases" in capsys.readouterr().out
    assert identities(path) == 0


def test_purge_before_final_when_told(master: InspectionFile) -> None:
    path = str(master.path)
    master.close()
    assert run_cli(["purge-identifiers", path, "--yes", "--before-final"]) == 0
    assert identities(path) == 0
