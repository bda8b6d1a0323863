"""The Report view on its own, on the lead's merged master: the narrative saved through core.narrative as the lead edits (typed text
after a pause or on leaving the field, list changes at once), proposals refreshed without
touching edited items, and the PDF generated off the UI thread, previewed, printed and opened;
the Word draft and the press release written the same way."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt, QUrl
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from inspector_app.app.reports import DOCX, PDF, PRESS_RELEASE
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.narrative.parts import (
    CONCERNS,
    RECOMMENDATIONS,
    STRENGTHS,
    Narrative,
    NarrativeItem,
    chapter_part,
    load_narrative,
    set_final,
)
from inspector_app.gui import narrative_editor, pdf_preview, report_view
from inspector_app.gui.narrative_editor import (
    EDITED,
    NarrativeEditor,
    NarrativeListModel,
    source_text,
)
from inspector_app.gui.report_view import ReportView, file_name_for
from inspector_app.gui.session import FAILED, PENDING, SAVED
from tests.widgets.conftest import show


def stored(path: Path) -> Narrative:
    with InspectionFile.open(path, readonly=True) as file:
        return load_narrative(file)


@pytest.fixture
def view(report_view: ReportView) -> ReportView:
    return report_view


@pytest.fixture
def saved_to(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[str, Path]:
    """Where the save dialog answers each output goes (and what it suggested)."""
    folder = tmp_path / "out"
    folder.mkdir()
    targets = {
        PDF: folder / "report.pdf",
        DOCX: folder / "draft.docx",
        PRESS_RELEASE: folder / "press.txt",
    }
    suggested: dict[str, Path] = {}

    def ask(cls, parent, kind, suggestion):
        suggested[kind] = suggestion
        return targets[kind]

    monkeypatch.setattr(report_view.SaveReportDialog, "ask", classmethod(ask))
    targets["suggested"] = suggested  # type: ignore[assignment]
    return targets


def refresh(qtbot, editor: NarrativeEditor) -> None:
    # The lists are drafted by themselves when the view is first shown: that goes first.
    qtbot.waitUntil(lambda: not editor.is_refreshing(), timeout=15000)
    with qtbot.waitSignal(editor.refreshed, timeout=15000):
        assert editor.refresh_proposals()


def test_typed_narrative_is_saved_after_a_pause_and_survives_reopening(
    qtbot, view: ReportView, lead, monkeypatch: pytest.MonkeyPatch
) -> None:
    # "Mark as final" goes through the publication gate (tested in test_report_settings_dialog);
    # here nothing blocks it, so it saves at once like any list change
    monkeypatch.setattr(narrative_editor, "publication_blockers", lambda file: [])
    monkeypatch.setattr(narrative_editor, "mark_final", lambda file: set_final(file, True))
    editor = view.editor
    editor.judgement_edit.setFocus()
    qtbot.keyClicks(editor.judgement_edit, "good")
    assert editor.state == PENDING
    assert stored(lead.merged).judgement != "good"  # still typing
    qtbot.waitUntil(lambda: editor.state == SAVED, timeout=5000)
    assert stored(lead.merged).judgement == "good"

    editor.tabs.setCurrentIndex(editor.tabs.indexOf(editor.foreword_edit.parentWidget()))
    editor.foreword_edit.setFocus()
    qtbot.keyClicks(editor.foreword_edit, "A foreword.")
    editor.tabs.setCurrentIndex(4)  # moving on saves at once, without waiting
    assert not editor.has_pending()
    code = editor.chapter_combo.itemData(1)
    editor.chapter_combo.setCurrentIndex(1)
    editor.chapter_edit.setFocus()
    qtbot.keyClicks(editor.chapter_edit, "Chapter words.")
    editor.final_box.setChecked(True)  # list changes and "final" save at once, after the text
    assert view.flush()  # what closing the master does first
    narrative = stored(lead.merged)
    assert narrative.foreword == "A foreword."
    assert narrative.text(chapter_part(code)) == "Chapter words."
    assert narrative.final is True


def test_refreshing_proposals_keeps_an_edited_item(qtbot, view: ReportView, lead) -> None:
    editor = view.editor
    refresh(qtbot, editor)
    strengths = editor.lists[STRENGTHS]
    items = stored(lead.merged).strengths
    assert items and all(i.source_code and not i.edited for i in items)
    assert strengths.model.rowCount() == len(items)

    # edit the second item in place: select it, F2, type, Enter
    editor.tabs.setCurrentWidget(strengths)
    strengths.table.setFocus()
    strengths.table.setCurrentIndex(strengths.model.index(1, NarrativeListModel.COL_TEXT))
    qtbot.keyClick(strengths.table, Qt.Key.Key_F2)
    field = QApplication.focusWidget()
    assert field is not strengths.table
    field.selectAll()
    qtbot.keyClicks(field, "assessments were thorough and timely")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: strengths.table.state() != strengths.table.State.EditingState)
    edited = stored(lead.merged).strengths[1]
    assert (edited.id, edited.text, edited.edited) == (
        items[1].id,
        "assessments were thorough and timely",
        True,
    )
    source = strengths.model.index(1, NarrativeListModel.COL_SOURCE).data()
    assert source.startswith(EDITED) and items[1].source_code in source

    # move it to the top with the keyboard, then refresh from other figures
    strengths.table.setFocus()
    qtbot.keyClick(strengths.table, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert stored(lead.merged).strengths[0].id == edited.id
    view.in_progress_box.setChecked(True)
    refresh(qtbot, editor)
    after = stored(lead.merged).strengths
    assert after[0] == edited  # kept as written, where it was
    assert strengths.model.index(0, 0).data() == "assessments were thorough and timely"

    # remove an untouched proposal: it stays dismissed and can be restored
    removed = after[1]
    strengths.table.setCurrentIndex(strengths.model.index(1, 0))
    strengths.remove()
    narrative = stored(lead.merged)
    assert removed.id not in [i.id for i in narrative.strengths]
    assert removed.source_code in narrative.dismissed[STRENGTHS]
    assert strengths.restore_button.isEnabled()
    refresh(qtbot, editor)
    assert removed.source_code not in [i.source_code for i in stored(lead.merged).strengths]
    assert editor.restore(STRENGTHS, removed.source_code)
    refresh(qtbot, editor)
    assert removed.source_code in [i.source_code for i in stored(lead.merged).strengths]
    assert stored(lead.merged).concerns == tuple(editor.lists[CONCERNS].model.items())


def test_a_proposal_read_and_kept_as_written_is_reviewed_and_the_next_is_chosen(
    qtbot, view: ReportView, lead
) -> None:
    editor = view.editor
    refresh(qtbot, editor)
    concerns = editor.lists[CONCERNS]
    items = stored(lead.merged).concerns
    assert len(items) >= 2 and not any(i.reviewed for i in items)
    editor.tabs.setCurrentWidget(concerns)
    concerns.table.setFocus()
    concerns.table.setCurrentIndex(concerns.model.index(0, NarrativeListModel.COL_TEXT))
    assert concerns.keep_button is not None and concerns.keep_button.isEnabled()

    qtbot.keyClick(concerns.table, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)

    kept = stored(lead.merged).concerns
    assert (kept[0].id, kept[0].text, kept[0].kept, kept[0].edited) == (
        items[0].id,
        items[0].text,
        True,
        False,
    )
    source = concerns.model.index(0, NarrativeListModel.COL_SOURCE).data()
    assert source.startswith("Kept as written") and items[0].source_code in source
    assert concerns.table.currentIndex().row() == 1  # on to the next one to read
    assert concerns.keep_button.isEnabled()
    concerns.keep_button.click()
    assert stored(lead.merged).concerns[1].kept
    concerns.table.setCurrentIndex(concerns.model.index(0, NarrativeListModel.COL_TEXT))
    assert not concerns.keep_button.isEnabled()  # nothing more to keep there
    assert editor.lists[RECOMMENDATIONS].keep_button is None  # the lead's own list


def test_recommendations_are_added_numbered_and_reordered(qtbot, view: ReportView, lead) -> None:
    editor = view.editor
    recommendations = editor.lists[RECOMMENDATIONS]
    editor.tabs.setCurrentWidget(recommendations)
    for text in ("First recommendation.", "Second recommendation."):
        recommendations.add_edit.setFocus()
        qtbot.keyClicks(recommendations.add_edit, text)
        qtbot.keyClick(recommendations.add_edit, Qt.Key.Key_Return)
    assert recommendations.add_edit.text() == ""
    model = recommendations.model
    assert [model.headerData(r, Qt.Orientation.Vertical) for r in range(2)] == ["1.", "2."]
    assert model.index(0, 1).data() == "Added"
    recommendations.table.setCurrentIndex(model.index(1, 0))
    recommendations.up()
    assert [i.text for i in stored(lead.merged).recommendations] == [
        "Second recommendation.",
        "First recommendation.",
    ]


def test_the_list_model_passes_the_model_tester(qtmodeltester) -> None:
    model = NarrativeListModel(numbered=True)
    model.set_items(
        [
            NarrativeItem("a", "proposed text", "B1.1", False),
            NarrativeItem("b", "edited text", "C2", True),
            NarrativeItem("c", "the lead's own", None, True),
        ]
    )
    qtmodeltester.check(model)
    assert [source_text(i) for i in model.items()] == [
        "Proposed from B1.1",
        "Edited (proposed from C2)",
        "Added",
    ]


def test_generate_pdf_writes_the_file_and_previews_it(
    qtbot, view: ReportView, saved_to, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with qtbot.waitSignal(view.generated, timeout=20000):
        assert view.generate_pdf()
        assert view.is_busy() and view.progress_box.isVisible()
        assert not view.generate_button.isEnabled()
    pdf = saved_to[PDF]
    assert pdf.read_bytes()[:4] == b"%PDF"
    assert saved_to["suggested"][PDF].name == file_name_for(view.editor.file.inspection.title, PDF)
    pages = len(PdfReader(pdf).pages)
    preview = view.preview
    assert preview.page_count() == pages > 5
    assert preview.page_total.text() == f"of {pages}"
    assert not view.progress_box.isVisible() and view.print_button.isEnabled()
    preview.go_to(2)
    assert preview.page_box.value() == 3
    preview.next_button.click()
    assert preview.page_box.value() == 4
    preview.step_zoom(+1)
    assert preview.zoom_combo.currentText().endswith("%")

    # print pages 1-2 through the (patched) print dialog, to a PDF printer, page by page
    printed = tmp_path / "printed.pdf"
    _print_to(monkeypatch, printed, pages, first_last=(1, 2))
    messages: list[str] = []
    view.message.connect(messages.append)
    with qtbot.waitSignal(view.printed, timeout=20000) as sent:
        assert view.print_report()
        assert view.is_busy() and view.progress_box.isVisible()
        assert view.progress_label.text() == "Sending page 1 of 2 to the printer…"
        assert not view.print_button.isEnabled() and not view.generate_button.isEnabled()
    assert sent.args == [2]
    assert messages[-1] == "Sent 2 pages to the printer"
    assert len(PdfReader(printed).pages) == 2
    assert not view.is_busy() and not view.progress_box.isVisible()
    assert view.print_button.isEnabled()

    opened: list[QUrl] = []
    monkeypatch.setattr(
        report_view.QDesktopServices,
        "openUrl",
        staticmethod(lambda url: opened.append(url) or True),
    )
    view.open_button.click()
    assert [Path(u.toLocalFile()) for u in opened] == [pdf]


def _print_to(
    monkeypatch: pytest.MonkeyPatch,
    out: Path,
    pages: int,
    first_last: tuple[int, int] | None = None,
) -> None:
    """The print dialog answers with a PDF printer writing to `out`."""

    def ask(cls, parent, page_count):
        assert page_count == pages
        printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        if first_last:
            printer.setPrintRange(QPrinter.PrintRange.PageRange)
            printer.setFromTo(*first_last)
        return printer

    monkeypatch.setattr(pdf_preview.PrintDialog, "ask", classmethod(ask))
    monkeypatch.setattr(report_view, "PrintDialog", pdf_preview.PrintDialog)


@pytest.fixture
def pages(qtbot, view: ReportView, saved_to) -> int:
    """The report generated and shown in the preview: its page count."""
    with qtbot.waitSignal(view.generated, timeout=20000):
        assert view.generate_pdf()
    return view.preview.page_count()


def test_escape_stops_printing_between_pages_and_the_window_stays_usable(
    qtbot, view: ReportView, pages: int, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _print_to(monkeypatch, tmp_path / "printed.pdf", pages)
    messages: list[str] = []
    view.message.connect(messages.append)
    progress: list[int] = []
    with qtbot.waitSignal(view.printed, timeout=20000) as sent:
        assert view.print_report()
        view.progress.valueChanged.connect(progress.append)
        qtbot.waitUntil(lambda: view.progress.value() >= 2, timeout=20000)
        qtbot.keyClick(view, Qt.Key.Key_Escape)
        assert view.progress_label.text() == "Cancelling… no more pages will be sent"
    assert 2 <= sent.args[0] < pages
    assert progress[:2] == [1, 2]
    # A PDF printer cannot take back pages: the message says what happens to them.
    assert messages[-1] == (
        f"Printing stopped after {sent.args[0]} pages; those already sent will print"
    )
    assert not view.is_busy() and view.generate_button.isEnabled()
    assert view.cancel_button.isEnabled()  # ready for the next job
    assert QApplication.focusWidget() is view.print_button


def test_closing_the_master_while_printing_stops_the_printing(
    qtbot, view: ReportView, pages: int, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _print_to(monkeypatch, tmp_path / "printed.pdf", pages)
    with qtbot.waitSignal(view.printed, timeout=20000) as sent:
        assert view.print_report()
        view.set_file(None)
    assert sent.args[0] < pages
    assert not view.is_busy() and not view.progress_box.isVisible()


def test_cancel_writes_nothing(qtbot, view: ReportView, saved_to) -> None:
    with qtbot.waitSignal(view.finished, timeout=20000):
        assert view.generate_pdf()
        view.cancel()
    assert not saved_to[PDF].exists()
    assert view.preview.page_count() == 0 and view.generate_button.isEnabled()


def test_word_draft_and_press_release(qtbot, view: ReportView, saved_to, lead) -> None:
    view.editor.judgement_edit.setText("good")
    with qtbot.waitSignal(view.written, timeout=20000) as docx:
        assert view.save_docx()
    assert docx.args == [DOCX, str(saved_to[DOCX])]
    assert saved_to[DOCX].read_bytes()[:2] == b"PK"
    with qtbot.waitSignal(view.written, timeout=20000):
        view.press_button.click()
    text = saved_to[PRESS_RELEASE].read_text(encoding="utf-8")
    assert "Notes to editors:" in text  # bullets only from bases the press rule allows
    assert "was of a good standard" in text  # typed text was saved before writing
    assert stored(lead.merged).judgement == "good"


def test_file_names_are_safe_on_every_system() -> None:
    title = "Inspection of Adult Offending Work: Merseyside"
    assert file_name_for(title, PDF) == "Inspection of Adult Offending Work - Merseyside.pdf"
    assert file_name_for("a/b", DOCX) == "a - b (Word draft).docx"


def test_the_proposals_are_drafted_when_first_shown_without_pressing_refresh(
    qtbot, merged_file: InspectionFile, lead
) -> None:
    view = ReportView()
    qtbot.addWidget(view)
    view.set_file(merged_file, None)
    # Opening the master writes nothing (an undo of the last merge stays possible)...
    assert not view.editor.is_refreshing() and not stored(lead.merged).has(STRENGTHS)
    # ... and looking at the report drafts the lists, with nothing pressed.
    show(qtbot, view)
    editor = view.editor
    qtbot.waitUntil(
        lambda: not editor.is_refreshing() and stored(lead.merged).has(STRENGTHS), timeout=15000
    )
    items = stored(lead.merged).strengths
    assert items and all(i.source_code for i in items)
    qtbot.waitUntil(lambda: editor.lists[STRENGTHS].model.rowCount() == len(items), timeout=5000)
    view.set_file(None)


def test_generating_again_writes_the_same_pdf_without_asking(
    qtbot, view: ReportView, saved_to, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with qtbot.waitSignal(view.generated, timeout=20000):
        assert view.generate_pdf()
    first = saved_to[PDF].stat().st_mtime_ns
    asked: list[str] = []

    def must_not_ask(cls, parent, kind, suggestion):
        asked.append(kind)
        return tmp_path / "elsewhere.pdf"

    monkeypatch.setattr(report_view.SaveReportDialog, "ask", classmethod(must_not_ask))
    with qtbot.waitSignal(view.generated, timeout=20000):
        assert view.generate_pdf()
    assert asked == [] and saved_to[PDF].stat().st_mtime_ns >= first
    with qtbot.waitSignal(view.generated, timeout=20000):
        assert view.save_pdf_as()  # Save PDF as… asks, and is remembered from then on
    assert asked == [PDF] and (tmp_path / "elsewhere.pdf").read_bytes()[:4] == b"%PDF"
    assert view.preview.path == tmp_path / "elsewhere.pdf"


def test_narrative_text_that_could_not_be_saved_is_saved_when_the_disk_recovers(
    qtbot, view: ReportView, lead, monkeypatch: pytest.MonkeyPatch
) -> None:
    from inspector_app.core.narrative import parts
    from inspector_app.core.storage.dbapi import OperationalError

    editor = view.editor
    told: list[str] = []
    editor.failed.connect(told.append)  # the window shows each in an error dialog
    editor.text.retry_timer.setInterval(50)
    real_write = parts.write_revision

    def disk_fails(*args: object, **kwargs: object) -> None:
        raise OperationalError("disk I/O error")

    with monkeypatch.context() as patch:
        patch.setattr(parts, "write_revision", disk_fails)
        editor.judgement_edit.setFocus()
        qtbot.keyClicks(editor.judgement_edit, "good")
        qtbot.waitUntil(lambda: editor.state == FAILED, timeout=5000)
        assert editor.has_pending() and len(told) == 1
        qtbot.wait(300)  # tried again, quietly: still failing, told only once
        assert len(told) == 1 and editor.state == FAILED
    assert parts.write_revision is real_write
    # The disk recovers: the text is saved on its own, with nothing pressed.
    qtbot.waitUntil(lambda: editor.state == SAVED, timeout=5000)
    assert not editor.has_pending()
    assert stored(lead.merged).judgement == "good"


def test_a_long_file_name_never_makes_the_window_wider(qtbot, view: ReportView, saved_to) -> None:
    """On a 1024-wide laptop the window must stay on the screen while a report with a long
    name is written and after: the name wraps, its path is in the tooltip."""
    long_name = "Inspection-of-adult-offending-work-Merseyside-draft-for-the-Chief-Inspector"
    saved_to[PDF] = saved_to[PDF].with_name(f"{long_name}.pdf")
    saved_to[DOCX] = saved_to[DOCX].with_name(f"{long_name}.docx")
    before = view.minimumSizeHint().width()
    widths: list[int] = []
    with qtbot.waitSignal(view.generated, timeout=20000):
        assert view.generate_pdf()
        widths.append(view.minimumSizeHint().width())  # while the name is in the progress
    widths.append(view.minimumSizeHint().width())
    assert view.state_label.text().startswith(f"{long_name}.pdf · ")
    assert view.state_label.toolTip() == str(saved_to[PDF])
    with qtbot.waitSignal(view.written, timeout=30000):
        assert view.save_docx()
        widths.append(view.minimumSizeHint().width())
    assert max(widths) <= before, (before, widths)


def test_an_items_text_has_the_width_and_its_source_a_short_note_beside_it(
    qtbot, view: ReportView
) -> None:
    """The strengths at the report view's width on a 1024-wide laptop: the text gets most of
    the table, so an item reads in a few lines, not one word a line."""
    editor = view.editor
    refresh(qtbot, editor)
    strengths = editor.lists[STRENGTHS]
    editor.tabs.setCurrentWidget(strengths)
    view.window().resize(1000, 700)
    QTest.qWait(50)
    header = strengths.table.horizontalHeader()
    text, source = (header.sectionSize(c) for c in (0, 1))
    assert text >= 2 * source, (text, source)


def test_the_matter_typed_is_saved_as_every_other_part_and_never_lost(
    qtbot, view: ReportView, lead
) -> None:
    """Acknowledgements typed on the Matter tab were kept only by its Save button: leaving the
    tab or closing the master lost them while the status bar said all was saved."""
    from inspector_app.core.report.settings import setting_values

    editor = view.editor
    matter = editor.matter_panel
    editor.tabs.setCurrentWidget(matter)
    edit = matter.texts["acknowledgements"]
    edit.setFocus()
    qtbot.keyClicks(edit, "We thank the staff of Merseyside.")
    assert editor.has_pending() and editor.state == PENDING
    assert "We thank the staff of Merseyside." in [text for _name, text in editor.unsaved_text()]
    editor.tabs.setCurrentIndex(0)  # leaving the tab saves it
    with InspectionFile.open(lead.merged, readonly=True) as file:
        assert setting_values(file)["acknowledgements"] == "We thank the staff of Merseyside."
    assert not editor.has_pending() and editor.state == SAVED

    editor.tabs.setCurrentWidget(matter)
    qtbot.keyClicks(edit, " And its managers.")
    qtbot.waitUntil(lambda: editor.state == SAVED, timeout=5000)  # a pause saves it too
    with InspectionFile.open(lead.merged, readonly=True) as file:
        assert setting_values(file)["acknowledgements"].endswith("And its managers.")
