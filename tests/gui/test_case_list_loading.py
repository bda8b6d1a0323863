"""Opening a file in the window: its case list shows the first rows at once, read from the
open file, fetches more as the user scrolls down, and holds every row once the worker has
read them all. (The worker is held back here, so each step can be seen.)"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from inspector_app.app import case_rows
from inspector_app.app.case_rows import CaseRow, build_case_rows
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.gui.background import wait_for_background
from inspector_app.gui.main_window import MainWindow

PAGE = 5


def _shown_window(qtbot) -> MainWindow:
    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.fixture
def held_back(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """Pages of PAGE rows, and a worker that reads every row only once the event is set."""
    release = threading.Event()
    read_every_row = case_rows.load_case_rows

    def held(path: Path, passphrase: str | None = None) -> list[CaseRow]:
        release.wait(30)
        return read_every_row(path, passphrase)

    monkeypatch.setattr(case_rows, "FIRST_ROWS", PAGE)
    monkeypatch.setattr(case_rows, "load_case_rows", held)
    yield release
    release.set()


def test_the_first_rows_show_at_once_and_more_follow_as_the_user_scrolls(
    qtbot, fieldwork: Path, held_back: threading.Event
) -> None:
    with InspectionFile.open(fieldwork, readonly=True) as file:
        every_row = build_case_rows(file)
    assert len(every_row) > 3 * PAGE
    window = _shown_window(qtbot)
    assert window.open_file(fieldwork)
    model, page = window.case_model, window.case_list
    assert model is not None and page is not None
    assert model.visible_keys() == [row.key for row in every_row[:PAGE]]
    assert model.is_loading() and page.counts.text() == "Loading cases…"

    window.show_case_list()
    page.table.scrollToBottom()  # the view asks for the next page at the end of the list
    qtbot.waitUntil(lambda: model.rowCount() > PAGE, timeout=5000)
    shown = model.visible_keys()
    assert shown == [row.key for row in every_row[: len(shown)]]

    with qtbot.waitSignal(window.casesLoaded, timeout=20000):
        held_back.set()
    assert not model.is_loading() and not model.canFetchMore()
    assert model.visible_keys() == [row.key for row in every_row]
    assert page.counts.text().startswith(f"{len(every_row)} cases")
    window.close()
    wait_for_background()


def test_a_file_whose_cases_fit_on_the_first_page_is_listed_whole_at_once(
    qtbot, fieldwork: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An inspector's fieldwork file (a few dozen cases) is read once, on opening: no worker
    opens it again (for an encrypted file, a second passphrase derivation) to list it."""
    with InspectionFile.open(fieldwork, readonly=True) as file:
        every_row = build_case_rows(file)
    read_again: list[Path] = []
    read_every_row = case_rows.load_case_rows

    def counted(path: Path, passphrase: str | None = None) -> list[CaseRow]:
        read_again.append(path)
        return read_every_row(path, passphrase)

    monkeypatch.setattr(case_rows, "FIRST_ROWS", len(every_row) + 1)
    monkeypatch.setattr(case_rows, "load_case_rows", counted)
    window = _shown_window(qtbot)
    with qtbot.waitSignal(window.casesLoaded, timeout=1000):
        assert window.open_file(fieldwork)
    model, page = window.case_model, window.case_list
    assert model is not None and page is not None
    assert not model.is_loading() and not model.canFetchMore()
    assert model.visible_keys() == [row.key for row in every_row]
    assert page.counts.text().startswith(f"{len(every_row)} cases")
    assert read_again == []
    window.close()
    wait_for_background()


def test_a_file_with_more_cases_than_the_first_page_is_read_whole_by_the_worker(
    qtbot, fieldwork: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with InspectionFile.open(fieldwork, readonly=True) as file:
        cases = len(build_case_rows(file))
    monkeypatch.setattr(case_rows, "FIRST_ROWS", cases)  # a full page: there may be more
    window = _shown_window(qtbot)
    with qtbot.waitSignal(window.casesLoaded, timeout=20000):
        assert window.open_file(fieldwork)
        assert window.case_model is not None and window.case_model.is_loading()
    assert window.case_model.rowCount() == cases
    window.close()
    wait_for_background()


def test_the_case_review_is_built_once_the_list_is_on_screen(qtbot, fieldwork: Path) -> None:
    """The list comes first; the review follows before anyone could open a case."""
    window = _shown_window(qtbot)
    assert window.open_file(fieldwork)
    assert window.review is None  # not yet: nothing has been painted since the file opened
    qtbot.waitUntil(lambda: window.review is not None, timeout=5000)
    assert window.stack.currentWidget() is window.case_list  # built behind the list
    assert window.review is not None and window.review.session is window.session
    window.close()
    wait_for_background()


def test_a_case_opened_before_the_review_is_built_opens(qtbot, fieldwork: Path) -> None:
    window = _shown_window(qtbot)
    assert window.open_file(fieldwork)
    model = window.case_model
    assert model is not None and window.review is None
    key = model.visible_keys()[0]
    window.open_case(key)
    assert window.review is not None and window.stack.currentWidget() is window.review
    assert window.review.case_key == key
    built = window.review
    qtbot.wait(50)  # the list's paint, and what waited for it
    assert window.review is built
    window.close()
    wait_for_background()


def test_the_review_waits_on_one_paint_however_often_the_list_is_read(
    qtbot, fieldwork: Path
) -> None:
    """A master opens on its overview, its list unpainted while every merge reads it again:
    one wait for the list's paint, not one more each time."""
    from inspector_app.gui.after_paint import _NextPaint

    window = MainWindow()
    qtbot.addWidget(window)  # never shown: nothing is painted
    assert window.open_file(fieldwork)
    for _ in range(3):
        with qtbot.waitSignal(window.casesLoaded, timeout=20000):
            window.files._load_cases()
    assert window.case_list is not None and window.review is None
    assert len(window.case_list.table.viewport().findChildren(_NextPaint)) == 1
    window.close()
    wait_for_background()
