"""The whole window on a 1024x768 laptop: a hundred-character organisation never widens it
past the screen on any of the lead's screens; a first start never opens wider than the screen,
and the size the user left is kept. (The case review's profile at 1024 is tested on the review alone, in
tests/widgets/test_case_review.py.)"""

from __future__ import annotations

from inspector_app.gui.main_window import MainWindow


def test_a_120_character_organisation_fits_a_1024_screen(qtbot, tmp_path) -> None:
    import random

    from inspector_app.core.cases.team import add_member
    from inspector_app.core.demo import write_sample_csv
    from inspector_app.core.files.inspection_file import InspectionFile
    from inspector_app.core.sample.placement import allocate_auto, import_sample

    organisation = (
        "Durham Tees Valley, Cumbria and Lancashire Community Rehabilitation Company Limited "
        "(Purple Futures), North West Division"
    )
    assert len(organisation) >= 120
    sample = tmp_path / "sample.csv"
    write_sample_csv(sample, 12, random.Random(1))
    path = tmp_path / "master.inspection"
    with InspectionFile.create(
        path,
        title=f"Inspection of Adult Offending Work: {organisation}",
        organisation=organisation,
        lead="Helen Ashworth",
    ) as master:
        add_member(master, "Daniel Okafor", "inspector")
        import_sample(master, sample)
        allocate_auto(master)
    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(1024, 768)
    window.show()
    with qtbot.waitSignal(window.casesLoaded, timeout=15000):
        assert window.open_file(path)
    for show in (window.show_case_list, window.show_report, window.show_overview):
        show()
        qtbot.wait(50)
        assert window.minimumSizeHint().width() <= 1024
        assert window.width() <= 1024
    window.close()


def test_a_first_start_fits_the_screen_and_later_starts_keep_the_size_left(qtbot) -> None:
    first = MainWindow()  # no stored geometry: the tests' settings are their own
    qtbot.addWidget(first)
    room = first.screen().availableGeometry()
    assert first.width() <= room.width() and first.height() <= room.height()
    first.show()
    first.resize(701, 502)  # within the offscreen screen, which restoring clamps to
    qtbot.wait(10)
    first.close()
    second = MainWindow()
    qtbot.addWidget(second)
    assert (second.width(), second.height()) == (701, 502)
