"""The narrative editor in the Report view after a merge: words the merge brought are shown in
place, and a merge that brought none leaves what the lead is writing exactly as it was (the
chapter, the cursor and the undo history of the text being typed)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QTextCursor

from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.merge.run import merge_files
from inspector_app.core.narrative.parts import FOREWORD, load_narrative, set_text
from inspector_app.gui.report_view import ReportView
from tests.widgets.conftest import report_on


@pytest.fixture
def master_file(lead) -> Iterator[InspectionFile]:
    """The lead's master before anything was merged, open for editing."""
    with InspectionFile.open(lead.master) as file:
        yield file


@pytest.fixture
def writing(qtbot, master_file: InspectionFile) -> Iterator[ReportView]:
    """The lead on the second chapter, words typed and saved, the cursor inside them."""
    with report_on(qtbot, master_file) as view:
        editor = view.editor
        qtbot.waitUntil(lambda: not editor.is_refreshing(), timeout=15000)
        editor.tabs.setCurrentWidget(editor.chapter_edit.parentWidget())
        editor.chapter_combo.setCurrentIndex(1)
        editor.chapter_edit.setFocus()
        qtbot.keyClicks(editor.chapter_edit, "Supervision was regular.")
        assert view.flush()
        editor.chapter_edit.moveCursor(QTextCursor.MoveOperation.Left)
        yield view


def merge_through_another_connection(target: InspectionFile, sources) -> None:
    """What the Merge window does: its own connection writes; the window's catches up."""
    with InspectionFile.open(target.path) as other:
        report = merge_files(other, list(sources))
        assert not report.refused, report.refused
    target.catch_up()


def test_a_merge_that_brings_no_words_leaves_the_narrative_editor_alone(
    writing: ReportView, master_file: InspectionFile, lead
) -> None:
    editor = writing.editor
    cursor = editor.chapter_edit.textCursor().position()
    assert cursor == len("Supervision was regular.") - 1
    assert editor.chapter_edit.document().isUndoAvailable()
    before = load_narrative(master_file)
    merge_through_another_connection(master_file, lead.fieldwork)  # answers, no words
    assert load_narrative(master_file) == before
    writing.reload_text()  # what the window does after every merge
    assert editor.chapter_combo.currentIndex() == 1
    assert editor.chapter_edit.toPlainText() == "Supervision was regular."
    assert editor.chapter_edit.textCursor().position() == cursor
    assert editor.chapter_edit.document().isUndoAvailable()


def test_words_written_through_another_connection_are_shown_in_place(
    writing: ReportView, master_file: InspectionFile
) -> None:
    editor = writing.editor
    with InspectionFile.open(master_file.path) as other:  # as a merge writes them
        set_text(other, FOREWORD, "A foreword from the other laptop.")
    master_file.catch_up()
    writing.reload_text()
    assert editor.foreword_edit.toPlainText() == "A foreword from the other laptop."
    assert editor.chapter_combo.currentIndex() == 1  # still on the chapter being written
    assert editor.chapter_edit.toPlainText() == "Supervision was regular."


def test_the_judgement_is_asked_for_only_where_the_framework_does_not_rate(
    qtbot, master_file: InspectionFile, tmp_path
) -> None:
    """A rated report states its overall rating as the verdict, so the free-text judgement
    row is not offered for a rated framework's master; an unrated one keeps it."""
    from inspector_app.core.demo import create_lead_demo

    with report_on(qtbot, master_file) as view:
        assert view.editor.judgement_edit.isVisible()
    rated = create_lead_demo(tmp_path / "rated", cases=12, framework_id="case-supervision-2018")
    with InspectionFile.open(rated.master) as file, report_on(qtbot, file) as view:
        editor = view.editor
        editor.tabs.setCurrentIndex(0)
        assert editor.headline_edit.isVisible()
        assert not editor.judgement_edit.isVisible()
