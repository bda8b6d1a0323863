"""The Conflicts view: open conflicts listed, the answers side by side, settled from the
keyboard with a reason; and the agreement table between readers."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog

from inspector_app.core.cases.case_data import load_case
from inspector_app.core.cases.history import answer_history
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.findings.agreement import PairAgreement, agreement
from inspector_app.core.merge.conflicts import list_conflicts
from inspector_app.gui.agreement_view import AgreementModel, AgreementView
from inspector_app.gui.conflicts_view import (
    ConflictListModel,
    ConflictsView,
    Resolution,
    ResolveDialog,
)
from tests.gui_merge.team_data import DANIEL, FIRST_NOTES, LEAD_NOTES, PRIYA, TeamDemo

LEAD = "Helen Ashworth"
C = ConflictListModel
A = AgreementModel
TIMEOUT = 20000


def rows(view: ConflictsView) -> list[tuple[str, ...]]:
    model = view.model
    return [
        tuple(model.index(r, c).data() for c in range(model.columnCount()))
        for r in range(model.rowCount())
    ]


def when_dialog(act: Callable[[ResolveDialog], None], tries: int = 250) -> None:
    """Run `act` on the reason dialog once it is up and has the keyboard focus (it runs its
    own event loop). A dialog still open a while later is closed, so a test fails, not hangs."""

    def focused_in(dialog: ResolveDialog) -> bool:
        widget = QApplication.focusWidget()
        return widget is not None and (widget is dialog or dialog.isAncestorOf(widget))

    def attempt(left: int) -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, ResolveDialog) and focused_in(dialog):
            act(dialog)
            QTimer.singleShot(3000, dialog, dialog.reject)
        elif left:
            QTimer.singleShot(20, lambda: attempt(left - 1))

    QTimer.singleShot(0, lambda: attempt(tries))


def current_answer(team: TeamDemo, sample_no: int, code: str) -> tuple[str | None, str]:
    with InspectionFile.open(team.master, readonly=True) as file:
        answer = load_case(file, file.case_key_for(sample_no)).answers[code]
        return answer.value, answer.note


# -- models ----------------------------------------------------------------------------------


def test_conflict_list_model_passes_the_model_tester(qtmodeltester, merged: TeamDemo) -> None:
    with InspectionFile.open(merged.master, readonly=True) as file:
        conflicts = list_conflicts(file)
    model = ConflictListModel()
    qtmodeltester.check(model)
    model.set_conflicts(conflicts)
    qtmodeltester.check(model)
    assert model.index(1, 0).data(C.ConflictRole) is conflicts[1]
    model.remove(conflicts[1].record_key)
    model.remove("no such key")
    assert model.rowCount() == 2
    qtmodeltester.check(model)


def test_agreement_model_passes_the_model_tester(qtmodeltester) -> None:
    model = AgreementModel()
    model.set_pairs(
        [
            PairAgreement("Daniel Okafor", "Helen Ashworth", 1, 4, 2, 0.5, 0.25),
            PairAgreement("Helen Ashworth", "Priya Raman", 2, 3, 3, 1.0, None),
            PairAgreement("A", "B", 1, 0, 0, None, None),
        ]
    )
    qtmodeltester.check(model)
    assert [model.index(r, A.COL_RATE).data() for r in range(3)] == ["50%", "100%", "–"]
    assert [model.index(r, A.COL_KAPPA).data() for r in range(3)] == [
        "0.25",
        "not defined",
        "not defined",
    ]
    assert "not defined" in model.index(1, A.COL_KAPPA).data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(0, A.COL_RATE).data(A.SortRole) == 0.5
    model.set_pairs([])
    qtmodeltester.check(model)


def test_agreement_table_shows_the_figures_of_the_core(qtbot, merged: TeamDemo) -> None:
    with InspectionFile.open(merged.master, readonly=True) as file:
        pairs = agreement(file)
    view = AgreementView()
    qtbot.addWidget(view)
    view.set_pairs(pairs)
    model = view.model
    shown = [
        tuple(model.index(r, c).data() for c in range(model.columnCount()))
        for r in range(model.rowCount())
    ]
    assert shown == [
        (f"{DANIEL} / {LEAD}", "1", "4", "2", "50%", f"{pairs[0].kappa:.2f}"),
        (f"{LEAD} / {PRIYA}", "1", "4", "3", "75%", f"{pairs[1].kappa:.2f}"),
    ]
    view.set_pairs([])
    assert view.explanation.text() == "No case has answers from two readers yet."


# -- the view --------------------------------------------------------------------------------


def test_conflicts_are_listed_with_the_answers_side_by_side(
    conflicts_view: ConflictsView, merged: TeamDemo
) -> None:
    first, second = merged.codes[:2]
    with InspectionFile.open(merged.master, readonly=True) as file:
        titles = {code: file.framework.question(code).text for code in merged.codes}
        yes_label = file.framework.scale_of(first).label_of("yes")
        no_label = file.framework.scale_of(first).label_of("no")
    assert rows(conflicts_view) == [
        ("Case 003", first, titles[first], f"{DANIEL} / {LEAD}"),
        ("Case 003", second, titles[second], f"{DANIEL} / {LEAD}"),
        ("Case 018", first, titles[first], f"{LEAD} / {PRIYA}"),
    ]
    assert conflicts_view.count_label.text() == "3 open"
    detail = conflicts_view.detail
    assert detail.heading.text() == f"Case 003 · question {first}"
    assert detail.question.text() == titles[first]
    cards = detail.cards
    heads = conflicts_view.current_conflict().heads  # newest first, as the core orders them
    assert [c.author_label.text() for c in cards] == [
        f"{i}. {h.author}" for i, h in enumerate(heads, 1)
    ]
    shown = {
        h.author: (c.value_label.text(), c.note_label.text())
        for h, c in zip(heads, cards, strict=True)
    }
    assert shown == {LEAD: (no_label, LEAD_NOTES[0]), DANIEL: (yes_label, FIRST_NOTES[0])}
    assert all(c.when_label.text().startswith("Answered ") for c in cards)
    assert [c.take_button.accessibleName() for c in cards] == [
        f"Take {h.author}'s answer" for h in heads
    ]
    assert cards[1].take_button.text().endswith("(Alt+2)")
    # The agreement between readers is shown below the list.
    assert conflicts_view.agreement.model.rowCount() == 2


def test_arrow_keys_move_through_the_conflicts(conflicts_view: ConflictsView, merged) -> None:
    table = conflicts_view.table
    QTest.keyClick(table, Qt.Key.Key_Down)
    assert conflicts_view.detail.heading.text() == f"Case 003 · question {merged.codes[1]}"
    QTest.keyClick(table, Qt.Key.Key_Down)
    assert conflicts_view.detail.heading.text() == f"Case 018 · question {merged.codes[0]}"
    authors = [c.author_label.text()[3:] for c in conflicts_view.detail.cards]
    assert sorted(authors) == [LEAD, PRIYA]
    QTest.keyClick(table, Qt.Key.Key_Up)
    assert conflicts_view.current_conflict().field == merged.codes[1]


def test_alt_2_takes_the_second_answer_with_a_reason_from_the_keyboard(
    qtbot, conflicts_view: ConflictsView, merged: TeamDemo
) -> None:
    code = merged.codes[0]
    seen: dict[str, object] = {}

    def give_reason(dialog: ResolveDialog) -> None:
        seen["title"] = dialog.windowTitle()
        seen["ok before"] = dialog.ok_button.isEnabled()
        QTest.keyClick(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        seen["still open"] = dialog.isVisible()  # no reason yet: Ctrl+Enter does nothing
        QTest.keyClicks(QApplication.focusWidget(), "Checked the case record with both readers")
        QTest.keyClick(
            QApplication.focusWidget(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier
        )

    second = conflicts_view.current_conflict().heads[1]
    changes = []
    conflicts_view.changed.connect(changes.append)
    when_dialog(give_reason)
    with qtbot.waitSignal(conflicts_view.loaded, timeout=TIMEOUT):
        QTest.keyClick(conflicts_view.table, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    assert seen == {
        "title": f"Take {second.author}'s answer",
        "ok before": False,
        "still open": True,
    }
    assert len(changes) == 1 and changes[0].answers
    assert current_answer(merged, 3, code) == (second.value, second.note)
    with InspectionFile.open(merged.master, readonly=True) as file:
        history = answer_history(file, file.case_key_for(3), code)
        assert [(c.sample_no, c.field) for c in list_conflicts(file)] == [
            (3, merged.codes[1]),
            (18, code),
        ]
    assert "Checked the case record with both readers" in [e.reason for e in history]
    # The list follows: two left, the next one selected, focus back on the list.
    assert [r[:2] for r in rows(conflicts_view)] == [
        ("Case 003", merged.codes[1]),
        ("Case 018", code),
    ]
    assert conflicts_view.current_conflict().field == merged.codes[1]
    # (offscreen, the window is not re-activated when the dialog closes; its focus is the list)
    assert conflicts_view.focusWidget() is conflicts_view.table
    assert conflicts_view.count_label.text() == "2 open"


def test_alt_1_then_escape_changes_nothing(
    qtbot, conflicts_view: ConflictsView, merged: TeamDemo
) -> None:
    before = current_answer(merged, 3, merged.codes[0])
    closed = []
    when_dialog(lambda d: (QTest.keyClick(d, Qt.Key.Key_Escape), closed.append(True)))
    QTest.keyClick(conflicts_view.table, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    assert closed
    assert len(rows(conflicts_view)) == 3
    assert current_answer(merged, 3, merged.codes[0]) == before


def test_entering_another_answer_offers_the_scale(
    qtbot, conflicts_view: ConflictsView, merged: TeamDemo
) -> None:
    code = merged.codes[0]
    with InspectionFile.open(merged.master, readonly=True) as file:
        scale = file.framework.scale_of(code)
    chosen = scale.options[-1]

    def choose(dialog: ResolveDialog) -> None:
        assert dialog.value_combo is not None and dialog.value_combo.hasFocus()
        labels = [dialog.value_combo.itemText(i) for i in range(dialog.value_combo.count())]
        assert labels == [o.label for o in scale.options]
        for _ in scale.options:
            QTest.keyClick(dialog.value_combo, Qt.Key.Key_Down)
        QTest.keyClick(dialog.value_combo, Qt.Key.Key_Tab)
        QTest.keyClicks(QApplication.focusWidget(), "Neither reader saw the whole record")
        QTest.keyClick(
            QApplication.focusWidget(), Qt.Key.Key_Enter, Qt.KeyboardModifier.ControlModifier
        )

    when_dialog(choose)
    with qtbot.waitSignal(conflicts_view.loaded, timeout=TIMEOUT):
        QTest.keyClick(conflicts_view, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    assert current_answer(merged, 3, code)[0] == chosen.value
    assert len(rows(conflicts_view)) == 2


def test_settling_every_conflict_empties_the_list(
    qtbot, conflicts_view: ConflictsView, merged: TeamDemo, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        ResolveDialog, "ask", classmethod(lambda cls, parent, **kw: Resolution("Agreed at QA"))
    )
    for _ in range(3):
        assert conflicts_view.take_head(0)
    qtbot.waitUntil(lambda: conflicts_view.count_label.text() == "None open", timeout=TIMEOUT)
    assert rows(conflicts_view) == []
    assert conflicts_view.detail.heading.text().startswith("No open conflicts")
    assert not conflicts_view.take_head(0)
    with InspectionFile.open(merged.master, readonly=True) as file:
        assert list_conflicts(file) == []


def test_the_reason_dialog_needs_a_reason_and_an_answer(qtbot) -> None:
    dialog = ResolveDialog(
        None,
        title="Enter another answer",
        context="Case 003, question B1.1",
        choices=[("Yes", "yes"), ("No", "no")],
    )
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=TIMEOUT)
    assert not dialog.ok_button.isEnabled()
    dialog.reason_edit.setPlainText("   ")
    dialog.value_combo.setCurrentIndex(1)
    assert not dialog.ok_button.isEnabled()  # a blank reason is no reason
    dialog.reason_edit.setPlainText("Seen on the record")
    assert dialog.ok_button.isEnabled()
    QTest.keyClick(dialog.reason_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.resolution() == Resolution("Seen on the record", "no")


def test_a_change_made_after_a_resolution_is_listed_for_review_and_settled_by_taking_it(
    qtbot, merged: TeamDemo, monkeypatch: pytest.MonkeyPatch
) -> None:
    from inspector_app.core.cases.answers import set_answer
    from inspector_app.core.files.fieldwork_export import export_fieldwork
    from inspector_app.core.merge.conflicts import resolve_conflict
    from inspector_app.core.merge.run import merge_files
    from tests.gui_merge.conftest import finish_background

    code = merged.codes[0]
    with InspectionFile.open(merged.master) as master:
        heads = next(c for c in list_conflicts(master) if c.sample_no == 3).heads
        first = next(h for h in heads if h.author != LEAD)  # the lead settles against them
        settled = next(h for h in heads if h.author == LEAD)
        resolve_conflict(master, 3, code, take_revision=settled.revision_id, reason="Agreed")
        reissued = export_fieldwork(master, first.author, merged.folder / "again.inspection").path
        with InspectionFile.open(reissued) as fieldwork:
            set_answer(fieldwork, fieldwork.case_key_for(3), code, first.value, "Looked again")
        merge_files(master, [reissued])

    view = ConflictsView(merged.master)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded, timeout=TIMEOUT):
        view.show()
    try:
        row = view.model.row_of(next(c.record_key for c in view.conflicts() if c.after_resolution))
        assert rows(view)[row] == (
            "Case 003",
            code,
            view.model.index(row, C.COL_TEXT).data(),
            f"Changed after resolution: {first.author}",
        )
        view.table.selectRow(row)
        assert view.detail.explanation.text().startswith(
            f"{first.author} changed this after {LEAD} settled it."
        )
        monkeypatch.setattr(
            ResolveDialog, "ask", classmethod(lambda cls, parent, **kw: Resolution("Confirmed"))
        )
        with qtbot.waitSignal(view.loaded, timeout=TIMEOUT):
            assert view.take_head(0)
        assert not any(c.after_resolution for c in view.conflicts())
        assert current_answer(merged, 3, code) == (first.value, "Looked again")
    finally:
        finish_background()
        view.close()
        finish_background()


def test_the_window_closes_by_its_button_esc_or_ctrl_w_and_fits_a_small_screen(
    qtbot, merged: TeamDemo
) -> None:
    from tests.gui_merge.conftest import finish_background

    for close in (
        lambda v: v.close_button.click(),
        lambda v: QTest.keyClick(v.table, Qt.Key.Key_Escape),
        lambda v: QTest.keyClick(v.table, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier),
    ):
        view = ConflictsView(merged.master)
        qtbot.addWidget(view)
        with qtbot.waitSignal(view.loaded, timeout=TIMEOUT):
            view.show()
        view.activateWindow()
        view.table.setFocus()
        screen = view.screen().availableGeometry()
        assert view.height() <= screen.height() and view.width() <= screen.width()
        close(view)
        qtbot.waitUntil(lambda v=view: not v.isVisible(), timeout=5000)
        finish_background()


def test_every_button_shows_whole_in_a_window_on_a_small_laptop(
    qtbot, conflicts_view: ConflictsView
) -> None:
    """On a 1024x768 laptop the window is at most the screen's room (about 970x690): each
    card's take button shows its whole text, and the row to enter another answer stays in
    view below the cards, however tall they are."""
    from PySide6.QtWidgets import QPushButton

    conflicts_view.resize(970, 690)
    qtbot.waitUntil(lambda: len(conflicts_view.detail.cards) == 2)
    QTest.qWait(50)
    window = conflicts_view.window()
    for button in window.findChildren(QPushButton):
        if not button.isVisible():
            continue
        shown = button.visibleRegion().boundingRect().size()
        assert shown == button.size(), f"{button.text()!r} is cut to {shown}"
        assert button.width() >= button.sizeHint().width(), f"{button.text()!r} is squeezed"
    assert conflicts_view.detail.another_button.isVisible()
    take = conflicts_view.detail.cards[0].take_button
    assert (
        take.accessibleName()
        == f"Take {conflicts_view.current_conflict().heads[0].author}'s answer"
    )
