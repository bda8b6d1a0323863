"""The Sample tab: a case that cannot be inspected is replaced by the next reserve of its
stratum from the window, for the same reader, with the reason kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from inspector_app.cli.main import run_cli
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.sample.long_list import long_list_summary
from inspector_app.gui.sample_tab import ReasonDialog
from tests.core.test_long_list import MAP, write_long_list
from tests.gui_report.conftest import finish_background, open_window


def drawn_master(folder: Path) -> Path:
    """A master whose 20 cases were drawn from a 200-case long list, allocated."""
    master = folder / "trust.inspection"
    assert run_cli(
        [
            "new", str(master), "--title", "Inspection of Adult Offending Work: Example",
            "--organisation", "Example Probation Trust", "--lead", "Helen Ashworth",
        ]
    ) == 0  # fmt: skip
    for name in ("Ann Inspector", "Ben Inspector"):
        assert run_cli(["team", "add", str(master), name]) == 0
    export = write_long_list(folder / "extract.xlsx")
    mapping = folder / "map.toml"
    mapping.write_text(MAP, encoding="utf-8")
    assert run_cli(["import-long-list", str(master), str(export), "--map", str(mapping)]) == 0
    draw = ["draw-sample", str(master), "--size", "20", "--strata", "sentence_type", "--seed", "1"]
    assert run_cli(draw) == 0
    assert run_cli(["allocate", str(master), "--auto"]) == 0
    return master


def test_a_case_is_replaced_from_the_reserves(
    qtbot, tmp_path: Path, errors, monkeypatch: pytest.MonkeyPatch
) -> None:
    lead_master = drawn_master(tmp_path)
    window = open_window(qtbot, lead_master)
    window.show_setup()
    tab = window.setup_view.sample_tab
    window.setup_view.tabs.setCurrentWidget(tab)
    assert "20 cases drawn from a long list of 200" in tab.summary.text()
    tab.table.selectRow(6)
    case = tab.cases[6]
    monkeypatch.setattr(ReasonDialog, "ask", classmethod(lambda cls, p, label: "Transferred out"))
    tab.replace_button.click()
    assert errors == []
    with InspectionFile.open(lead_master, readonly=True) as file:
        summary = long_list_summary(file)
    assert summary is not None and summary.replaced == ((case.sample_no, "Transferred out"),)
    assert case.sample_no not in [c.sample_no for c in tab.cases]
    new = max(c.sample_no for c in tab.cases)
    assert next(c for c in tab.cases if c.sample_no == new).first_reader == case.first_reader
    assert "Transferred out" in tab.summary.text()

    def listed() -> set[int]:
        return {row.summary.sample_no for row in window.case_model._rows}

    # the case list follows (read again in the background)
    qtbot.waitUntil(lambda: case.sample_no not in listed() and new in listed(), timeout=10000)
    finish_background()
    window.close()
    finish_background()
