"""The Report settings dialog on its own and reached from the Report view (built alone on a
real master; reached, typed into, saved, reopened) and
"Mark as final" going through the publication gate: refused with the list of what to settle,
or marked final anyway with a reason when only cases not complete stand in the way."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel

from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.narrative.parts import Narrative, load_narrative
from inspector_app.core.report.publication_gate import (
    CASES,
    CHIEF_INSPECTOR,
    CONFLICTS,
    Blocker,
    mark_final,
)
from inspector_app.core.report.settings import KEYS, load_report_settings, setting_values
from inspector_app.gui import narrative_editor, report_view
from inspector_app.gui.report_settings_dialog import (
    MAX_HEIGHT,
    MAX_WIDTH,
    PublicationBlockedDialog,
    ReportSettingsDialog,
)
from inspector_app.gui.report_view import ReportView
from tests.core.test_publication_gate import answer_conflict, make_ready, reopen_two_cases
from tests.widgets.conftest import report_on


def stored(path: Path) -> Narrative:
    with InspectionFile.open(path, readonly=True) as file:
        return load_narrative(file)


def chief_inspector(path: Path) -> str:
    with InspectionFile.open(path, readonly=True) as file:
        return load_report_settings(file).chief_inspector


@pytest.fixture
def view(report_view: ReportView) -> ReportView:
    return report_view


def open_dialog(qtbot, view: ReportView) -> ReportSettingsDialog:
    assert view.file is not None
    dialog = ReportSettingsDialog(view, view.file)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_type_a_name_save_and_reopen_shows_it(qtbot, view: ReportView, lead) -> None:
    dialog = open_dialog(qtbot, view)
    name = dialog.fields["chief_inspector"]
    assert dialog.focusWidget() is name  # the first field has the keyboard
    qtbot.keyClicks(name, "Alex Morgan")
    qtbot.keyClick(name, Qt.Key.Key_Tab)
    title = dialog.fields["chief_inspector_title"]
    assert dialog.focusWidget() is title
    title.selectAll()
    qtbot.keyClicks(title, "HM Chief Inspector of Probation")
    qtbot.keyClick(title, Qt.Key.Key_Return)  # Enter saves
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.saved is not None and dialog.saved["chief_inspector"] == "Alex Morgan"
    assert chief_inspector(lead.merged) == "Alex Morgan"

    again = open_dialog(qtbot, view)
    assert again.fields["chief_inspector"].text() == "Alex Morgan"
    assert again.fields["chief_inspector_title"].text() == "HM Chief Inspector of Probation"
    qtbot.keyClick(again.fields["chief_inspector"], Qt.Key.Key_Escape)  # Esc changes nothing
    assert again.result() == QDialog.DialogCode.Rejected


def test_every_setting_has_a_labelled_field_and_the_dialog_fits_1024x768(
    qtbot, view: ReportView
) -> None:
    dialog = open_dialog(qtbot, view)
    # Every setting has a field: one line here, the paragraphs and facts in the Matter tab.
    matter = {"acknowledgements", "inspectorate_role", "context_facts"}
    assert list(dialog.fields) == [k for k in KEYS if k not in matter]
    buddies = {label.buddy() for label in dialog.findChildren(QLabel) if label.buddy() is not None}
    assert set(dialog.fields.values()) <= buddies
    for edit in dialog.fields.values():
        assert edit.accessibleName() and edit.toolTip()
    assert dialog.width() <= MAX_WIDTH <= 1024 and dialog.height() <= MAX_HEIGHT <= 768
    assert dialog.save_button.isDefault()


def test_a_refused_value_keeps_the_dialog_open_and_writes_nothing(
    qtbot, view: ReportView, lead
) -> None:
    dialog = open_dialog(qtbot, view)
    dialog.fields["chief_inspector"].setText("Alex Morgan")
    dialog.fields["press_contact"].setText("the press\x07office")
    assert not dialog.save()
    assert dialog.isVisible() and dialog.problem.isVisible()
    assert "control character" in dialog.problem.text()
    assert dialog.focusWidget() is dialog.fields["press_contact"]
    assert chief_inspector(lead.merged) == ""  # all or none


def test_the_report_view_reaches_the_dialog(
    qtbot, view: ReportView, lead, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[ReportSettingsDialog] = []

    def ask(cls, parent, file):
        dialog = cls(parent, file)
        opened.append(dialog)
        dialog.fields["chief_inspector"].setText("Justin Russell")
        dialog.fields["publication_month"].setText("2027-04")
        assert dialog.save()
        return dialog.saved

    monkeypatch.setattr(report_view.ReportSettingsDialog, "ask", classmethod(ask))
    assert view.settings_button.isEnabled()
    qtbot.mouseClick(view.settings_button, Qt.MouseButton.LeftButton)
    assert len(opened) == 1
    assert view.editor.settings.chief_inspector == "Justin Russell"
    assert view.editor.month_edit.text() == "2027-04"  # the narrative's month, shown at once
    view.settings_button.setFocus()
    qtbot.keyClick(view.settings_button, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    assert len(opened) == 2  # and from the keyboard, as an application's settings
    with InspectionFile.open(lead.merged, readonly=True) as file:
        assert setting_values(file)["publication_month"] == "2027-04"


def test_mark_as_final_is_refused_with_the_list_of_blockers(
    qtbot, view: ReportView, lead, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[list[Blocker]] = []

    def ask(cls, parent, blockers, **_kw):
        shown.append(list(blockers))
        return None  # the lead closes the list

    monkeypatch.setattr(narrative_editor.PublicationBlockedDialog, "ask", classmethod(ask))
    editor = view.editor
    editor.final_box.setChecked(True)
    assert len(shown) == 1
    codes = {b.code for b in shown[0]}
    assert {CASES, CHIEF_INSPECTOR} <= codes
    assert all(b.what and b.where for b in shown[0])
    assert not editor.final_box.isChecked()
    assert editor.final_state.text() == "Draft"
    assert stored(lead.merged).final is False

    dialog = PublicationBlockedDialog(view, shown[0], may_override=False)
    qtbot.addWidget(dialog)
    assert dialog.list.count() == len(shown[0])
    texts = [dialog.list.item(i).text() for i in range(dialog.list.count())]
    assert all("To fix: " in text for text in texts)
    # The app's own words: no command to type, no internal code of a sub-group's figure.
    assert not any("command line" in text or "inspector-app" in text for text in texts)
    assert not any("@" in text for text in texts)
    assert dialog.reason_edit is None  # other blockers than cases: no override offered
    # The command line still says how to do each there.
    assert all("on the command line, inspector-app " in str(b) for b in shown[0])


@pytest.fixture
def cases_only(qtbot, lead, errors: list, tmp_path: Path):
    """The Report view on a master whose only blocker is two cases not complete."""
    path = tmp_path / "ready" / lead.merged.name
    path.parent.mkdir()
    shutil.copyfile(lead.merged, path)
    with InspectionFile.open(path) as file:
        make_ready(file)
        reopen_two_cases(file)
    with InspectionFile.open(path) as file, report_on(qtbot, file) as view:
        yield view, path


def test_mark_as_final_anyway_records_the_reason(
    qtbot, cases_only, monkeypatch: pytest.MonkeyPatch
) -> None:
    view, path = cases_only
    offered: list[bool] = []

    def ask(cls, parent, blockers, **_kw):
        dialog = cls(parent, blockers, may_override=all(b.overridable for b in blockers))
        offered.append(dialog.reason_edit is not None)
        assert not dialog.override_button.isEnabled()  # not without a reason
        dialog.reason_edit.setPlainText("Two cases moved to another area.")
        assert dialog.override_button.isEnabled()
        dialog.deleteLater()
        return dialog.reason()

    monkeypatch.setattr(narrative_editor.PublicationBlockedDialog, "ask", classmethod(ask))
    editor = view.editor
    editor.final_box.setChecked(True)
    assert offered == [True]
    assert editor.final_box.isChecked() and editor.final_state.text() == "Final"
    narrative = stored(path)
    assert narrative.final and narrative.override_reason == "Two cases moved to another area."


def test_a_final_report_blocked_again_is_not_written(
    qtbot, lead, errors: list, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "final" / lead.merged.name
    path.parent.mkdir()
    shutil.copyfile(lead.merged, path)
    with InspectionFile.open(path) as file:
        make_ready(file)
        mark_final(file)
        answer_conflict(file)  # a merge brought a conflict after it was marked final
    shown: list[tuple[str, list[Blocker]]] = []
    monkeypatch.setattr(
        report_view.PublicationBlockedDialog,
        "ask",
        classmethod(lambda cls, parent, blockers, **kw: shown.append((kw["title"], blockers))),
    )
    asked: list[str] = []
    monkeypatch.setattr(
        report_view.SaveReportDialog, "ask", classmethod(lambda cls, *a: asked.append(a[1]))
    )
    with InspectionFile.open(path) as file, report_on(qtbot, file) as view:
        assert not view.generate_pdf()
        assert [(title, [b.code for b in blockers]) for title, blockers in shown] == [
            (report_view.FINAL_BLOCKED_TITLE, [CONFLICTS])
        ]
        assert asked == []  # not even asked where
        view.editor.final_box.setChecked(False)  # a draft may always be written
        assert stored(path).final is False
        assert not view.generate_pdf()  # the save dialog (patched) gave no path
        assert asked == ["pdf"]


def test_points_that_change_while_the_list_is_open_are_listed_again_in_the_apps_words(
    qtbot, cases_only, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A merge elsewhere brings a conflict while the lead writes the reason for the cases not
    complete: the report stays a draft and the list shows again, with the conflict, in the
    app's words (not the command line's, as a failed save)."""
    from tests.core.test_publication_gate import answer_conflict

    view, path = cases_only
    shown: list[list[Blocker]] = []

    def ask(cls, parent, blockers, **_kw):
        shown.append(list(blockers))
        if len(shown) == 1:
            with InspectionFile.open(path, track_session=False) as other:
                answer_conflict(other)
            return "Two cases moved to another area."
        return None  # the lead reads the new list and closes it

    monkeypatch.setattr(narrative_editor.PublicationBlockedDialog, "ask", classmethod(ask))
    failed: list[str] = []
    view.editor.failed.connect(failed.append)
    view.editor.final_box.setChecked(True)
    assert len(shown) == 2 and CONFLICTS in {b.code for b in shown[1]}
    assert failed == []
    assert not view.editor.final_box.isChecked()
    assert stored(path).final is False
