"""In the master, an answer two readers disagree on says so, in words, on its question."""

from __future__ import annotations

from pathlib import Path

from inspector_app.core.cases.team import add_member
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.sample.placement import allocate_auto, import_sample
from inspector_app.gui.main_window import MainWindow
from tests.merge_helpers import make_conflict


def test_a_disputed_answer_is_marked_on_its_question(
    qtbot, tmp_path: Path, sample_csv: Path
) -> None:
    path = tmp_path / "master.inspection"
    with InspectionFile.create(path, title="T", organisation="O", lead="Helen Ashworth") as master:
        add_member(master, "Daniel Okafor")
        import_sample(master, sample_csv)
        allocate_auto(master)
        case_key = master.case_key_for(1)
        make_conflict(master, case_key, "B1.1")
    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(1280, 800)
    with qtbot.waitSignal(window.casesLoaded, timeout=10000):
        assert window.open_file(path)
    window.open_case(case_key)
    window.review.show_section("B")
    row = window.review.rows["B1.1"]
    assert not row.disputed_label.isHidden()
    assert "Disputed" in row.accessibleDescription()
    other = window.review.rows["B1.2"]
    assert other.disputed_label.isHidden()
