"""The Findings screen's Ratings and Comparison tabs, and Inspection > Publish to the central
store, at a 1024x768 laptop's size, over 2018 case supervision masters made by the demo's code:
the ratings shown are those `compute_findings` gives; an adjustment needs its justification
and is saved through the use case the command line uses; the comparison shows the published
inspections' figures (or one sentence saying why not); publishing refuses while conflicts are
open unless the lead confirms twice."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from inspector_app.app.ratings import adjust_standard_rating
from inspector_app.app.store import COMPARED, NOTHING_COMPARABLE, UNREACHABLE, publish_master
from inspector_app.core.demo import create_lead_demo
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.findings.figures import compute_findings
from inspector_app.core.findings.ratings import NO_RELEVANT_CASES, Ratings
from inspector_app.core.narrative.rating_overrides import adjusted_ratings, load_overrides
from inspector_app.core.store.access import init_store, open_store
from inspector_app.core.store.compare import compare
from inspector_app.core.store.publication import publication_from_file
from inspector_app.gui.background import deliver_outcomes, wait_for_background
from inspector_app.gui.findings_view import FindingsView
from inspector_app.gui.main_window import MainWindow
from inspector_app.gui.publish_action import ConfirmPublishDialog, OpenConflictsDialog
from inspector_app.gui.ratings_panel import AdjustRatingDialog, ConfirmRemoveAdjustmentDialog
from tests.widgets.conftest import show, unnamed_widgets, when_modal

FRAMEWORK = "case-supervision-2018"
WIDTH, HEIGHT = 1024, 768


@dataclass(frozen=True)
class RatedMasters:
    first: Path  # every case complete, no conflict
    second: Path  # another area's week (another seed), complete
    conflicted: Path  # fieldwork under way: two open conflicts


@pytest.fixture(scope="session")
def rated_source(tmp_path_factory: pytest.TempPathFactory) -> RatedMasters:
    folder = tmp_path_factory.mktemp("rated")
    first = create_lead_demo(folder / "first", cases=40, complete=True, framework_id=FRAMEWORK)
    second = create_lead_demo(
        folder / "second", cases=40, seed=7, complete=True, framework_id=FRAMEWORK
    )
    conflicted = create_lead_demo(folder / "conflicted", cases=40, framework_id=FRAMEWORK)
    return RatedMasters(first.master, second.master, conflicted.master)


@pytest.fixture
def rated(rated_source: RatedMasters, tmp_path: Path) -> RatedMasters:
    """Private copies of the masters."""
    copies = []
    for name, path in (
        ("first", rated_source.first),
        ("second", rated_source.second),
        ("conflicted", rated_source.conflicted),
    ):
        (tmp_path / name).mkdir()
        copies.append(tmp_path / name / path.name)
        shutil.copyfile(path, copies[-1])
    return RatedMasters(*copies)


@pytest.fixture
def store_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty store file in a temporary folder, the app's store for this test."""
    path = tmp_path / "office-store.sqlite"
    init_store(str(path), remember_it=False)
    monkeypatch.setenv("INSPECTOR_APP_STORE", str(path))
    return path


def finish_background() -> None:
    assert wait_for_background(30000)
    deliver_outcomes()


def figures_ratings(path: Path) -> Ratings:
    with InspectionFile.open(path, readonly=True) as file:
        ratings = compute_findings(file).ratings
    assert ratings is not None
    return ratings


def texts(widget: QWidget) -> list[str]:
    return [label.text() for label in widget.findChildren(QLabel) if label.text()]


def findings_view(qtbot, path: Path) -> FindingsView:
    view = FindingsView()
    view.set_file(path, None)
    with qtbot.waitSignal(view.loaded, timeout=15000):
        show(qtbot, view, WIDTH, HEIGHT)
    assert (view.width(), view.height()) == (WIDTH, HEIGHT)
    return view


@pytest.fixture
def view(qtbot, rated: RatedMasters) -> Iterator[FindingsView]:
    """The Findings view alone on the first master, its figures and ratings read."""
    findings = findings_view(qtbot, rated.first)
    yield findings
    finish_background()


# -- the ratings ------------------------------------------------------------------------------


def test_the_ratings_shown_are_those_compute_findings_gives(qtbot, view, rated) -> None:
    expected = figures_ratings(rated.first)
    assert view.tabs.isTabVisible(view.ratings_tab)
    view.show_tab(view.ratings_tab)
    panel = view.ratings_panel
    qtbot.waitUntil(lambda: panel.isVisible())
    assert view.ratings is not None and view.ratings.ratings == expected
    assert panel.badges[""].text() == expected.overall_rating
    for standard in expected.standards:
        assert standard.rating is not None and standard.justification is None
        assert panel.badges[standard.code].text() == standard.rating
        shown = texts(panel.cards[standard.code])
        deciding = f"lowest key question, {standard.decided_by} "
        assert any(deciding in text for text in shown), shown
        for key in standard.key_questions:
            assert f"{key.percent}%" in shown
            assert f"{key.sufficient} of {key.relevant} relevant cases" in shown
            assert key.rating in shown  # its band, in words
        assert panel.adjust_buttons[standard.code].isVisible()
    overall = texts(panel.cards[""])
    assert f"add up to {expected.overall_score} of a possible 12" in " ".join(overall)
    assert not unnamed_widgets(view)  # a screen reader names everything on the tab


def test_a_standard_without_relevant_cases_says_so(qtbot, view) -> None:
    overview = view.ratings
    assert overview is not None
    first = overview.ratings.standards[0]
    unrated = replace(
        first,
        rating=None,
        score=None,
        decided_by=None,
        not_rated_because=NO_RELEVANT_CASES,
        key_questions=tuple(
            replace(k, sufficient=0, relevant=0, percent=None, rating=None)
            for k in first.key_questions
        ),
    )
    ratings = replace(
        overview.ratings,
        standards=(unrated, *overview.ratings.standards[1:]),
        overall_rating=None,
        overall_score=None,
        overall_not_rated_because=f"not every standard is rated ({first.code})",
    )
    view.ratings_panel.set_overview(replace(overview, ratings=ratings), None)
    view.show_tab(view.ratings_tab)
    shown = texts(view.ratings_panel.cards[first.code])
    assert "Not rated: no relevant cases" in shown
    assert view.ratings_panel.badges[first.code].text() == "Not rated"
    assert view.ratings_panel.badges[""].text() == "Not rated"


def test_a_framework_without_ratings_has_no_ratings_tab(qtbot, lead) -> None:
    view = findings_view(qtbot, lead.merged)
    assert view.ratings is None
    assert not view.tabs.isTabVisible(view.ratings_tab)
    assert view.tabs.isTabVisible(view.comparison_tab)
    finish_background()


def test_the_adjust_dialog_needs_a_justification_and_saves_one(
    qtbot, view, rated, monkeypatch
) -> None:
    code = "2.2"
    figures = figures_ratings(rated.first).standard(code)
    other = next(r for r in view.ratings.scale if r != figures.rating)
    seen: dict[str, object] = {}

    def answer(dialog: QWidget) -> None:
        assert isinstance(dialog, AdjustRatingDialog)
        seen["figures"] = dialog.figures_label.text()
        seen["why"] = dialog.why.text()
        assert not dialog.ok_button.isEnabled()  # the figures' rating, no justification
        dialog.rating_combo.setCurrentIndex(dialog.rating_combo.findData(other))
        assert not dialog.ok_button.isEnabled()
        seen["problem"] = dialog.problem.text()
        dialog.accept()  # Enter while OK is unavailable: refused
        assert dialog.isVisible()
        dialog.justification.setPlainText("Too short")
        assert not dialog.ok_button.isEnabled()
        dialog.justification.setPlainText(
            "Plans were reviewed with the person in every case we discussed with managers."
        )
        assert dialog.ok_button.isEnabled()
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    view.show_tab(view.ratings_tab)
    with qtbot.waitSignal(view.loaded, timeout=15000):
        when_modal(qtbot, answer)
        qtbot.mouseClick(view.ratings_panel.adjust_buttons[code], Qt.MouseButton.LeftButton)
    assert figures.rating in str(seen["figures"])  # the dialog shows the figures' rating
    assert "justification" in str(seen["why"])  # and says why one is needed
    assert "justification" in str(seen["problem"]).lower()
    # On disk, through core: the adjustment, with its justification.
    with InspectionFile.open(rated.first, readonly=True) as file:
        override = load_overrides(file)[code]
        adjusted = adjusted_ratings(file, compute_findings(file).ratings).standard(code)
    assert (override.rating, adjusted.rating, adjusted.adjusted_from) == (
        other,
        other,
        figures.rating,
    )
    assert override.justification.startswith("Plans were reviewed")
    # On screen: the adjusted rating, who adjusted it, and why.
    panel = view.ratings_panel
    assert panel.badges[code].text() == other
    shown = texts(panel.cards[code])
    assert "Adjusted by the lead inspector" in shown
    assert override.justification in shown
    assert any(figures.rating in text and "figures give" in text for text in shown)

    # Removing it returns the standard to the figures' rating, once confirmed.
    monkeypatch.setattr(
        ConfirmRemoveAdjustmentDialog, "ask", classmethod(lambda cls, parent, standard: True)
    )
    with qtbot.waitSignal(view.loaded, timeout=15000):
        qtbot.mouseClick(panel.remove_buttons[code], Qt.MouseButton.LeftButton)
    with InspectionFile.open(rated.first, readonly=True) as file:
        assert code not in load_overrides(file)
    assert view.ratings_panel.badges[code].text() == figures.rating
    assert code not in view.ratings_panel.remove_buttons


def test_a_cancelled_adjustment_writes_nothing(qtbot, view, rated) -> None:
    when_modal(qtbot, lambda dialog: dialog.reject())
    assert not view.adjust_rating("2.1")
    with InspectionFile.open(rated.first, readonly=True) as file:
        assert load_overrides(file) == {}


# -- the comparison ---------------------------------------------------------------------------


def compared(qtbot, view: FindingsView) -> None:
    panel = view.comparison
    if not panel.isVisible():
        with qtbot.waitSignal(panel.loaded, timeout=15000):
            view.show_tab(view.comparison_tab)
    else:
        with qtbot.waitSignal(panel.loaded, timeout=15000):
            panel.reload()


def test_the_comparison_shows_the_published_inspections_figures(
    qtbot, view, rated, store_file
) -> None:
    compared(qtbot, view)
    panel = view.comparison
    assert panel.result is not None and panel.result.status == NOTHING_COMPARABLE
    # The framework by its name, the store's address in the tooltip, not in the sentence.
    assert str(store_file) in panel.summary.toolTip()
    assert str(store_file) not in panel.summary.text()
    assert "of Case supervision standards (version 1.0) yet" in panel.summary.text()
    assert "nothing to compare with" in panel.summary.text()
    assert not panel.table.isVisible()

    for path in (rated.first, rated.second):
        assert publish_master(path, None).status == "published"
    compared(qtbot, view)
    assert panel.result.status == COMPARED
    with InspectionFile.open(rated.first, readonly=True) as file:
        publication = publication_from_file(file)
    with open_store(str(store_file)) as store:
        expected = compare(store, publication)
    assert expected.inspections == 2 and panel.result.comparison == expected
    assert panel.table.isVisible()
    model = panel.model
    assert model.rowCount() == len(expected.rows)
    for number, row in enumerate(expected.rows):
        cells = [model.index(number, c).data() for c in range(model.columnCount())]
        assert cells[2] == f"{row.percent}%"
        assert (cells[3], cells[4]) == (f"{row.lowest}%", f"{row.highest}%")
        assert cells[5] == f"{row.average:.1f}%"
        assert cells[7] == "2"
    assert "2 published inspections" in panel.summary.text()
    assert not unnamed_widgets(view)


def test_a_store_that_cannot_be_reached_is_one_sentence(qtbot, view, monkeypatch) -> None:
    monkeypatch.setenv("INSPECTOR_APP_STORE", "postgresql+psycopg://reader:s3cret@127.0.0.1:1/x")
    compared(qtbot, view)
    panel = view.comparison
    assert panel.result is not None and panel.result.status == UNREACHABLE
    text = panel.summary.text()
    assert text.startswith("The central store at postgresql+psycopg://reader:***@127.0.0.1:1/x")
    assert "cannot be used" in text and "s3cret" not in text
    assert not panel.table.isVisible()


# -- publishing -------------------------------------------------------------------------------


@pytest.fixture
def window_on(qtbot, errors) -> Iterator:
    """Opens a master in the main window at 1024x768."""
    windows: list[MainWindow] = []

    def open_master(path: Path) -> MainWindow:
        win = MainWindow()
        qtbot.addWidget(win)
        win.setWindowState(Qt.WindowState.WindowNoState)  # not maximised on a small screen
        win.resize(WIDTH, HEIGHT)
        win.show()
        qtbot.waitExposed(win)
        assert (win.width(), win.height()) == (WIDTH, HEIGHT)
        with qtbot.waitSignal(win.casesLoaded, timeout=15000):
            assert win.open_file(path)
        windows.append(win)
        return win

    yield open_master
    finish_background()
    for win in windows:
        win.close()
    finish_background()


def publish(qtbot, window: MainWindow) -> None:
    """Inspection > Publish to the central store…, until the action is over."""
    action = window.menus.publish_action
    assert action.isEnabled()
    action.trigger()
    publisher = window.lead.publisher
    assert publisher is not None
    qtbot.waitUntil(lambda: not publisher.busy, timeout=30000)
    finish_background()


def test_publishing_refuses_while_conflicts_are_open(
    qtbot, window_on, rated, store_file, monkeypatch
) -> None:
    window = window_on(rated.conflicted)
    asked: list = []
    monkeypatch.setattr(
        OpenConflictsDialog, "ask", classmethod(lambda cls, parent, plan: asked.append(plan))
    )
    monkeypatch.setattr(
        ConfirmPublishDialog,
        "ask",
        classmethod(lambda cls, *args: pytest.fail("asked to confirm despite open conflicts")),
    )
    publish(qtbot, window)
    assert [plan.open_conflicts for plan in asked] == [2]
    assert asked[0].store == str(store_file)
    assert window.statusBar().currentMessage() == "Not published: 2 conflicts are still open"
    with open_store(str(store_file)) as store, InspectionFile.open(rated.conflicted) as file:
        assert compare(store, publication_from_file(file)).inspections == 0


def test_publishing_with_open_conflicts_takes_a_second_confirmation(
    qtbot, window_on, rated, store_file, monkeypatch
) -> None:
    window = window_on(rated.conflicted)
    monkeypatch.setattr(
        OpenConflictsDialog, "ask", classmethod(lambda cls, parent, plan: cls.ANYWAY)
    )
    seen: dict[str, object] = {}

    def confirm(dialog: QWidget) -> None:
        assert isinstance(dialog, ConfirmPublishDialog)
        seen["text"] = " ".join(texts(dialog))
        assert dialog.conflicts_box is not None
        assert not dialog.publish_button.isEnabled()  # until the lead ticks the box
        dialog.accept()
        assert dialog.isVisible()
        dialog.conflicts_box.setChecked(True)
        qtbot.mouseClick(dialog.publish_button, Qt.MouseButton.LeftButton)

    when_modal(qtbot, confirm)
    publish(qtbot, window)
    text = str(seen["text"])
    assert str(store_file) in text and "never leaves" in text and "CRN" in text
    assert "2 conflicts are still open" in text
    message = window.statusBar().currentMessage()
    assert message.startswith(f"Published to the central store at {store_file}")
    assert "with 2 conflicts open, which the store records" in message


def test_publishing_says_what_it_did_and_compares_again(
    qtbot, window_on, rated, store_file, monkeypatch
) -> None:
    window = window_on(rated.first)
    monkeypatch.setattr(ConfirmPublishDialog, "ask", classmethod(lambda cls, *args: True))
    window.show_findings()
    view = window.findings_view
    qtbot.waitUntil(lambda: view.findings is not None, timeout=15000)
    compared(qtbot, view)
    assert view.comparison.result.status == NOTHING_COMPARABLE
    with qtbot.waitSignal(view.comparison.loaded, timeout=30000):
        publish(qtbot, window)  # the comparison on screen is made again
    assert (
        window.statusBar()
        .currentMessage()
        .startswith(f"Published to the central store at {store_file} (40 cases, ")
    )
    finish_background()
    assert view.comparison.result.status == COMPARED
    assert view.comparison.result.comparison.includes_this
    publish(qtbot, window)
    assert window.statusBar().currentMessage().startswith("Unchanged: the central store at ")
    # After more work on the master, publishing replaces the published version.
    assert window.file is not None
    adjust_standard_rating(
        window.file, "2.1", "Inadequate", "Assessments rarely involved the person on probation."
    )
    publish(qtbot, window)
    assert (
        window.statusBar()
        .currentMessage()
        .startswith("Replaced the published version in the central store at ")
    )


def test_in_the_window_an_adjustment_goes_through_the_open_master_and_the_bus(
    qtbot, window_on, rated, monkeypatch
) -> None:
    window = window_on(rated.first)
    window.show_findings()
    view = window.findings_view
    qtbot.waitUntil(lambda: view.ratings is not None, timeout=15000)
    view.show_tab(view.ratings_tab)
    why = "Assessments rarely involved the person on probation in any real way."
    monkeypatch.setattr(
        AdjustRatingDialog, "ask", classmethod(lambda cls, parent, s, o: ("Inadequate", why))
    )
    announced: list = []
    window.operations.executed.connect(lambda changes, by: announced.append((changes, by)))
    with qtbot.waitSignal(view.loaded, timeout=15000):
        qtbot.mouseClick(view.ratings_panel.adjust_buttons["2.1"], Qt.MouseButton.LeftButton)
    assert [(c.narrative, by) for c, by in announced] == [(True, view)]
    assert window.statusBar().currentMessage() == "Rating of 2.1 adjusted to Inadequate"
    assert view.ratings_panel.badges["2.1"].text() == "Inadequate"
    with InspectionFile.open(rated.first, readonly=True) as file:
        assert load_overrides(file)["2.1"].justification == why
