"""The case review on a 1024x768 laptop: the profile starts hidden so the questions have the
room, Ctrl+Shift+P shows it (and the choice is remembered); nothing scrolls sideways."""

from __future__ import annotations

from PySide6.QtCore import Qt

from inspector_app.gui import settings
from inspector_app.gui.case_review import PROFILE_SHOWN_KEY
from inspector_app.gui.main_window import MainWindow


def open_a_case(qtbot, window: MainWindow) -> None:
    window.open_case(window.case_model.visible_keys()[0])
    qtbot.waitUntil(lambda: window.review.isVisible())


def test_at_1024_the_profile_starts_hidden_and_the_keyboard_shows_it(
    qtbot, window: MainWindow
) -> None:
    settings.app_settings().remove(PROFILE_SHOWN_KEY)
    window.review._profile_decided = False
    window.resize(1024, 768)
    open_a_case(qtbot, window)
    review = window.review
    assert not review.right_pane.isVisible()
    assert review.profile_button.text() == "Show the case profile"
    centre = review.splitter.widget(1)
    assert centre.width() >= 600  # the questions have the room
    assert not review.scroll.horizontalScrollBar().isVisible()

    qtbot.keyClick(
        window,
        Qt.Key.Key_P,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert review.right_pane.isVisible()
    assert str(settings.app_settings().value(PROFILE_SHOWN_KEY)).lower() == "true"
    qtbot.keyClick(
        window,
        Qt.Key.Key_P,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert not review.right_pane.isVisible()


def test_on_a_wide_screen_the_profile_is_beside_the_questions(qtbot, window: MainWindow) -> None:
    settings.app_settings().remove(PROFILE_SHOWN_KEY)
    window.review._profile_decided = False
    window.resize(1600, 900)
    open_a_case(qtbot, window)
    assert window.review.right_pane.isVisible()


def test_a_hundred_character_organisation_fits_a_1024_screen(qtbot, tmp_path) -> None:
    import random

    from inspector_app.core.cases.team import add_member
    from inspector_app.core.demo import write_sample_csv
    from inspector_app.core.files.inspection_file import InspectionFile
    from inspector_app.core.sample.placement import allocate_auto, import_sample

    organisation = (
        "Durham Tees Valley, Cumbria and Lancashire Community Rehabilitation Company Limited "
        "(Purple Futures)"
    )
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


def test_a_first_start_never_opens_wider_than_the_screen(qtbot) -> None:
    window = MainWindow()  # no stored geometry: the tests' settings are their own
    qtbot.addWidget(window)
    room = window.screen().availableGeometry()
    assert window.width() <= room.width() and window.height() <= room.height()
