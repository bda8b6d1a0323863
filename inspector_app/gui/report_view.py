"""The lead's Report view: the narrative editor beside the report's outputs. Generate PDF
writes the report (off the UI thread, with progress and cancel) to a file the user picks and
shows it in the preview; from there it prints through the system print dialog or opens in the
system viewer. The Word draft and the press release are written the same way.

`ReportView` is the controller of the outputs; the narrative has its own (`NarrativeEditor`).
Every output is built from the file as saved, so pending typed text is saved first.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QKeyEvent, QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from inspector_app.app.reports import DOCX, PDF, PRESS_RELEASE, Written, write_report
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.narrative.parts import load_narrative
from inspector_app.core.plural import counted
from inspector_app.core.report.publication_gate import final_report_blockers
from inspector_app.core.report.settings import load_report_settings
from inspector_app.gui.background import run_in_background
from inspector_app.gui.dialogs import ErrorDialog
from inspector_app.gui.narrative_editor import NarrativeEditor
from inspector_app.gui.pdf_preview import PdfPreview, PrintDialog, PrintJob
from inspector_app.gui.report_settings_dialog import (
    PublicationBlockedDialog,
    ReportSettingsDialog,
)
from inspector_app.gui.style import char_width, css_color, heading_font, muted_text
from inspector_app.gui.translation import QT_TRANSLATE_NOOP

# Each output's save dialog, and what the messages call it (translated where shown).
FILTERS = {
    PDF: QT_TRANSLATE_NOOP("report_view", "PDF documents (*.pdf)"),
    DOCX: QT_TRANSLATE_NOOP("report_view", "Word documents (*.docx)"),
    PRESS_RELEASE: QT_TRANSLATE_NOOP("report_view", "Text files (*.txt)"),
}
SUFFIXES = {PDF: ".pdf", DOCX: ".docx", PRESS_RELEASE: ".txt"}
CAPTIONS = {
    PDF: QT_TRANSLATE_NOOP("report_view", "Save the report as PDF"),
    DOCX: QT_TRANSLATE_NOOP("report_view", "Save the Word draft of the report"),
    PRESS_RELEASE: QT_TRANSLATE_NOOP("report_view", "Save the press release draft"),
}
WHAT = {
    PDF: QT_TRANSLATE_NOOP("report_view", "the report"),
    DOCX: QT_TRANSLATE_NOOP("report_view", "the Word draft"),
    PRESS_RELEASE: QT_TRANSLATE_NOOP("report_view", "the press release"),
}
SETTINGS_SHORTCUT = "Ctrl+,"  # as an application's settings; Ctrl+Shift+P is the profile's
FINAL_BLOCKED_TITLE = QT_TRANSLATE_NOOP("report_view", "The final report cannot be written")
PRINTING = "printing"  # what the view is busy with while pages go to the printer

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def _what(kind: str) -> str:
    """'the report', 'the Word draft': what the messages call an output."""
    return QCoreApplication.translate("report_view", WHAT[kind])


def file_name_for(title: str, kind: str) -> str:
    """A file name from the inspection's title, safe on every system: "Inspection of Adult
    Offending Work: Merseyside" gives "Inspection of Adult Offending Work - Merseyside.pdf"."""
    stem = _UNSAFE.sub(" - ", title).strip(" .-") or "Report"
    stem = re.sub(r"\s+", " ", stem).replace(" -  - ", " - ")
    if kind == DOCX:
        stem += " (Word draft)"
    elif kind == PRESS_RELEASE:
        stem += " - press release"
    return stem + SUFFIXES[kind]


class SaveReportDialog:
    """Where to write an output; the path (with its suffix), or None if cancelled."""

    @classmethod
    def ask(cls, parent: QWidget | None, kind: str, suggested: Path) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(
            parent,
            QCoreApplication.translate("report_view", CAPTIONS[kind]),
            str(suggested),
            QCoreApplication.translate("report_view", FILTERS[kind]),
        )
        if not name:
            return None
        path = Path(name)
        return (
            path
            if path.suffix.lower() == SUFFIXES[kind]
            else path.with_name(path.name + SUFFIXES[kind])
        )


class ReportView(QWidget):
    """The narrative of one master and the report made from it."""

    generated = Signal(str)  # path of the PDF now in the preview
    written = Signal(str, str)  # kind, path: the Word draft or press release was written
    finished = Signal()  # an output job ended (written, cancelled or failed)
    printed = Signal(int)  # printing ended: the pages sent (0 if it failed)
    message = Signal(str)  # a short note for the status bar

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Report"))
        self.file: InspectionFile | None = None
        self.path: Path | None = None
        self._passphrase: str | None = None
        self._title = ""
        self._busy: str | None = None  # the kind being written
        self._cancel: threading.Event | None = None
        self._print_job: PrintJob | None = None
        self._token = 0
        self._out_of_date = False
        self.last_folder: Path | None = None
        self._targets: dict[str, Path] = {}  # where each output of this master was written
        self.last_pdf: Path | None = None
        self._preview_for: Path | None = None  # the master the preview was generated from
        self.editor = NarrativeEditor()
        self.preview = PdfPreview()
        self._build()
        self.editor.changed.connect(self._narrative_changed)
        self.editor.message.connect(self.message)
        self._update_controls()

    # -- layout ----------------------------------------------------------------------------

    def _build(self) -> None:
        muted = f"color: {css_color(muted_text(self))};"
        self.generate_button = self._button(
            self.tr("&Generate PDF…"),
            self.tr(
                "Write the report as a PDF and show it here (again to the same file once chosen)"
            ),
            self.generate_pdf,
        )
        self.save_as_button = self._button(
            self.tr("Save PDF &as…"),
            self.tr("Write the report as a PDF to a file you choose"),
            self.save_pdf_as,
        )
        self.print_button = self._button(
            self.tr("&Print…"),
            self.tr("Print the report shown through the system print dialog"),
            self.print_report,
        )
        self.open_button = self._button(
            self.tr("&Open in system viewer"),
            self.tr("Open the report shown in the computer's PDF viewer"),
            self.open_in_viewer,
        )
        self.docx_button = self._button(
            self.tr("Also save &Word draft…"),
            self.tr("Write the same report as an editable Word document (for the editing round)"),
            self.save_docx,
        )
        self.press_button = self._button(
            self.tr("Press re&lease…"),
            self.tr("Write a press release draft from the summary"),
            self.save_press_release,
        )
        self.settings_button = self._button(
            self.tr("Report settings…"),
            self.tr(
                "The Chief Inspector's name, the organisation, the press office, the "
                "markings and the copyright line ({SETTINGS_SHORTCUT})"
            ).format(SETTINGS_SHORTCUT=SETTINGS_SHORTCUT),
            self.edit_settings,
        )
        self.settings_button.setAccessibleName(self.tr("Report settings"))
        settings_shortcut = QShortcut(QKeySequence(SETTINGS_SHORTCUT), self)
        settings_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        settings_shortcut.activated.connect(self.edit_settings)
        self.in_progress_box = QCheckBox(self.tr("Count cases in progre&ss"))
        self.in_progress_box.setAccessibleName(self.tr("Count cases in progress in the report"))
        self.in_progress_box.setToolTip(
            self.tr(
                "Include cases still being assessed in the report's figures and "
                "proposals (normally only complete cases count)"
            )
        )
        self.in_progress_box.toggled.connect(self._in_progress_toggled)

        heading = QLabel(self.tr("Report document"))
        heading.setFont(heading_font(self.font(), 1.25))
        heading.setAccessibleName(heading.text())
        row1 = QHBoxLayout()
        row1.addWidget(heading)
        row1.addStretch(1)
        row1.addWidget(self.in_progress_box)
        row2 = QHBoxLayout()
        row2.addWidget(self.generate_button)
        row2.addWidget(self.save_as_button)
        row2.addWidget(self.print_button)
        row2.addWidget(self.open_button)
        row2.addStretch(1)
        row3 = QHBoxLayout()
        row3.addWidget(self.docx_button)
        row3.addWidget(self.press_button)
        row3.addStretch(1)
        row3.addWidget(self.settings_button)

        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # indeterminate: the renderer reports no steps
        self.progress.setAccessibleName(self.tr("Writing the report"))
        self.progress.setTextVisible(False)
        self.progress_label = QLabel()
        self.progress_label.setAccessibleName(self.tr("Progress"))
        _never_wider_than_given(self.progress_label)
        self.cancel_button = self._button(
            self.tr("Cancel"), self.tr("Stop: nothing is written (Esc)"), self.cancel
        )
        progress_row = QHBoxLayout()
        progress_row.setContentsMargins(0, 0, 0, 0)
        progress_row.addWidget(self.progress_label, 2)
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.cancel_button)
        self.progress_box = QWidget()
        self.progress_box.setLayout(progress_row)
        self.progress_box.hide()

        self.state_label = QLabel(self.tr("No report generated yet."))
        self.state_label.setWordWrap(True)
        self.state_label.setStyleSheet(muted)
        self.state_label.setAccessibleName(self.tr("Report file"))
        self.state_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        _never_wider_than_given(self.state_label)

        right = QFrame()
        right.setFrameShape(QFrame.Shape.NoFrame)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(8, 0, 0, 0)
        right_layout.addLayout(row1)
        right_layout.addLayout(row2)
        right_layout.addLayout(row3)
        right_layout.addWidget(self.progress_box)
        right_layout.addWidget(self.state_label)
        right_layout.addWidget(self.preview, 1)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.editor)
        self.splitter.addWidget(right)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        cw = char_width(self)
        self.splitter.setSizes([round(cw * 85), round(cw * 85)])
        self._split_done = False

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 8)
        layout.addWidget(self.splitter, 1)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if not self._split_done and self.isVisible() and self.width() > 0:
            # The first real size: the narrative gets room for its parts' names in one row
            # when the screen allows, the document the rest, never less than a page's
            # preview needs (on a 1024-wide laptop the names wrap onto a second row).
            self._split_done = True
            total = self.splitter.width()
            tabs = self.editor.parts.sizeHint().width() + round(char_width(self) * 4)
            document = max(total - tabs, round(char_width(self) * 55))
            self.splitter.setSizes([total - document, document])

    def _button(self, text: str, tip: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(text.replace("&", "").rstrip("…"))
        button.setToolTip(tip)
        button.setAutoDefault(False)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    # -- the file --------------------------------------------------------------------------

    def set_file(self, file: InspectionFile | None, passphrase: str | None = None) -> None:
        """Work on this master (None: nothing). Pending text must have been flushed."""
        self._token += 1  # answers of work in flight are about the old file
        if self._cancel is not None:
            self._cancel.set()
        if self._print_job is None:
            self._busy = None
            self._cancel = None
            self.progress_box.hide()
        elif file is None or Path(file.path) != self._preview_for:
            self.cancel()  # its document is about to close: it stops before the next page
        if file is None or self.path != Path(file.path):
            self._targets = {}
        self.file = file
        self.path = Path(file.path) if file is not None else None
        self._passphrase = passphrase
        self.editor.set_file(file, passphrase)
        if file is not None and self.path != self._preview_for:
            # another master: forget the last one's report (the same master reopened after
            # a merge or an undo keeps its preview: the PDF on disk is what it was)
            self._preview_for = self.path
            self._title = file.inspection.title
            self.preview.close_document()
            self.last_pdf = None
            self._out_of_date = False
            self.last_folder = self.path.parent if self.path else None
            self.state_label.setText(self.tr("No report generated yet."))
        self._update_controls()

    def flush(self) -> bool:
        return self.editor.flush()

    def unsaved_text(self) -> list[tuple[str, str]]:
        return self.editor.unsaved_text()

    # -- writing outputs -------------------------------------------------------------------

    def suggested_path(self, kind: str) -> Path:
        folder = self.last_folder or (self.path.parent if self.path else Path.home())
        return folder / file_name_for(self._title or "Report", kind)

    def generate_pdf(self) -> bool:
        """Write the PDF off the UI thread and preview it: to the file chosen the first time
        (asked then), again to the same file after that. False if it did not start."""
        return self._write(PDF)

    def save_pdf_as(self) -> bool:
        """Ask where, whatever was chosen before, then write the PDF there."""
        return self._write(PDF, choose=True)

    def save_docx(self) -> bool:
        return self._write(DOCX)

    def save_press_release(self) -> bool:
        return self._write(PRESS_RELEASE)

    def _write(self, kind: str, *, choose: bool = False) -> bool:
        if self.file is None or self.path is None or self._busy is not None:
            return False
        if not self.editor.flush():
            return False  # the narrative as typed could not be saved; the editor said why
        if not self._final_may_be_written():
            return False
        out = None if choose else self._targets.get(kind)
        if out is None:
            out = SaveReportDialog.ask(self, kind, self.suggested_path(kind))
        if out is None:
            return False
        self._targets[kind] = out  # written there again without asking
        self.last_folder = out.parent
        if kind == PDF and self.preview.path is not None:
            self.preview.close_document()  # let go of the old file before it is replaced
        self._token += 1
        token = self._token
        cancel = threading.Event()
        self._cancel = cancel
        self._busy = kind
        path, passphrase = self.path, self._passphrase
        include = self.in_progress_box.isChecked()
        self.progress_label.setText(
            self.tr("Writing {WHAT} to {name}…").format(WHAT=_what(kind), name=out.name)
        )
        self.progress_box.show()
        self._update_controls()
        self.cancel_button.setFocus()
        run_in_background(
            lambda: write_report(
                path,
                passphrase,
                kind,
                out,
                include_in_progress=include,
                is_cancelled=cancel.is_set,
            ),
            lambda result: self._written(token, result),
            lambda exc: self._failed(token, kind, out, exc),
        )
        return True

    def _final_may_be_written(self) -> bool:
        """A report marked final is written only while nothing blocks its publication (a
        merge or an edit since it was marked may have brought something); else the blockers
        are listed and nothing is written."""
        if self.file is None or not load_narrative(self.file).final:
            return True
        blockers = final_report_blockers(self.file)
        if not blockers:
            return True
        PublicationBlockedDialog.ask(
            self,
            blockers,
            title=QCoreApplication.translate("report_view", FINAL_BLOCKED_TITLE),
            allow_override=False,
        )
        self.message.emit(
            self.tr(
                "Nothing written: settle the points listed, or untick Mark as final for a draft."
            )
        )
        return False

    # -- the settings ----------------------------------------------------------------------

    def edit_settings(self) -> bool:
        """The report settings dialog; True if settings were saved."""
        if self.file is None or self._busy is not None or not self.editor.flush():
            return False
        saved = ReportSettingsDialog.ask(self, self.file)
        if saved is None:
            return False
        self.editor.settings = load_report_settings(self.file)
        self.editor.reload()  # the month of publication is also the narrative's
        self._narrative_changed()
        self.message.emit(self.tr("Report settings saved"))
        return True

    def cancel(self) -> None:
        if self._print_job is not None:
            self._print_job.cancel()
            self.progress_label.setText(self.tr("Cancelling… no more pages will be sent"))
            self.cancel_button.setEnabled(False)
        if self._cancel is not None:
            self._cancel.set()
            self.progress_label.setText(self.tr("Cancelling… nothing will be written"))
            self.cancel_button.setEnabled(False)

    def is_busy(self) -> bool:
        return self._busy is not None

    def _end_job(self) -> None:
        self._busy = None
        self._cancel = None
        self.progress_box.hide()
        self.cancel_button.setEnabled(True)
        self._update_controls()

    def _written(self, token: int, result: Written) -> None:
        if token != self._token:
            return
        self._end_job()
        if result.cancelled or result.path is None:
            self.message.emit(self.tr("Cancelled: nothing was written."))
            if self.last_pdf is not None and result.kind == PDF:
                self._show_pdf(self.last_pdf, regenerated=False)
            self.finished.emit()
            return
        if result.kind == PDF:
            self._show_pdf(result.path, regenerated=True)
            self.generate_button.setFocus()
        else:
            self.message.emit(
                self.tr("Saved {WHAT} as {path}").format(WHAT=_what(result.kind), path=result.path)
            )
            self.written.emit(result.kind, str(result.path))
        self.finished.emit()

    def _show_pdf(self, path: Path, *, regenerated: bool) -> None:
        pages = self.preview.load(path)
        if not pages:
            ErrorDialog.ask(
                self,
                self.tr("Cannot show the report"),
                self.tr("{name}: could not be read").format(name=path.name),
            )
            return
        self.last_pdf = path
        if regenerated:
            self._out_of_date = False
            when = datetime.now().strftime("%H:%M")
            self.state_label.setText(
                self.tr("{name} · {pages} pages · generated at {when}").format(
                    name=path.name, pages=pages, when=when
                )
            )
            self.state_label.setToolTip(str(path))
            self.state_label.setAccessibleDescription(
                self.tr("{path} · {pages} pages · generated at {when}").format(
                    path=path, pages=pages, when=when
                )
            )
            self.message.emit(
                self.tr("Saved the report as {path} ({pages} pages)").format(path=path, pages=pages)
            )
            self.generated.emit(str(path))
        self._update_controls()

    def _failed(self, token: int, kind: str, out: Path, exc: BaseException) -> None:
        if token != self._token:
            return
        self._end_job()
        if kind == PDF and self.last_pdf is not None and self.last_pdf.exists():
            self._show_pdf(self.last_pdf, regenerated=False)
        ErrorDialog.ask(
            self,
            self.tr("Cannot write {WHAT}").format(WHAT=_what(kind)),
            f"{out.name}: {exc}",
            str(out),
        )
        self.finished.emit()

    # -- the generated PDF -----------------------------------------------------------------

    def print_report(self) -> bool:
        """Print the report shown, through the system print dialog; the pages are sent one
        at a time, with progress and Cancel, and `printed` tells when it ends. False if
        printing did not start."""
        count = self.preview.page_count()
        if not count or self._busy is not None:
            return False
        printer = PrintDialog.ask(self, count)
        if printer is None:
            return False
        job = PrintJob(self.preview.document, printer, self)
        try:
            job.start()
        except OSError as exc:
            ErrorDialog.ask(self, self.tr("Cannot print the report"), str(exc))
            return False
        self._print_job = job
        self._busy = PRINTING
        job.progressed.connect(self._print_progressed)
        job.finished.connect(self._print_finished)
        job.failed.connect(self._print_failed)
        self.progress.setRange(0, len(job.pages))
        self.progress.setValue(0)
        self.progress.setAccessibleName(self.tr("Printing the report"))
        self.progress_label.setText(
            self.tr("Sending page 1 of {pages} to the printer…").format(pages=len(job.pages))
        )
        self.cancel_button.setToolTip(self.tr("Stop sending pages to the printer (Esc)"))
        self.progress_box.show()
        self._update_controls()
        self.cancel_button.setFocus()
        return True

    def _print_progressed(self, sent: int, total: int) -> None:
        self.progress.setValue(sent)
        if sent < total:
            self.progress_label.setText(
                self.tr("Sending page {value} of {total} to the printer…").format(
                    value=sent + 1, total=total
                )
            )

    def _print_finished(self, sent: int, cancelled: bool) -> None:
        job = self._print_job
        self._end_print_job()
        self.print_button.setFocus()  # Cancel, which had the focus, is gone
        pages = counted(sent, "{n} page", "{n} pages")
        if not cancelled:
            self.message.emit(self.tr("Sent {pages} to the printer").format(pages=pages))
        elif job is not None and job.aborted:
            self.message.emit(self.tr("Printing cancelled: the printer drops what it was sent"))
        else:
            self.message.emit(
                self.tr("Printing stopped after {pages}; those already sent will print").format(
                    pages=pages
                )
            )
        self.printed.emit(sent)

    def _print_failed(self, reason: str) -> None:
        self._end_print_job()
        ErrorDialog.ask(self, self.tr("Cannot print the report"), reason)
        self.printed.emit(0)

    def _end_print_job(self) -> None:
        if self._print_job is not None:
            self._print_job.deleteLater()
        self._print_job = None
        self.progress.setRange(0, 0)
        self.progress.setAccessibleName(self.tr("Writing the report"))
        self.cancel_button.setToolTip(self.tr("Stop: nothing is written (Esc)"))
        self._end_job()

    def open_in_viewer(self) -> bool:
        path = self.preview.path
        if path is None:
            return False
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            ErrorDialog.ask(
                self,
                self.tr("Cannot open the report"),
                self.tr("No program to show PDF files was found for {name}.").format(
                    name=path.name
                ),
                str(path),
            )
            return False
        return True

    def reload_text(self) -> None:
        """The report's words changed through another connection (a merge): read them again
        in place, keeping the preview, and say the PDF no longer shows them."""
        if self.file is None or not self.editor.flush():
            return
        if load_narrative(self.file) == self.editor.narrative:
            return  # nothing new: the cursor and the editor's undo stay where they are
        chapter = self.editor.chapter_combo.currentIndex()
        tab = self.editor.tabs.currentIndex()
        self.editor.set_file(self.file, self._passphrase)
        self.editor.chapter_combo.setCurrentIndex(max(chapter, 0))
        self.editor.tabs.setCurrentIndex(tab)
        self._narrative_changed()
        self._update_controls()

    # -- state -----------------------------------------------------------------------------

    def _narrative_changed(self) -> None:
        if self.last_pdf is not None and not self._out_of_date:
            self._out_of_date = True
            self.state_label.setText(
                self.tr(
                    "{text} · the narrative has changed since: generate the PDF again to "
                    "see the changes"
                ).format(text=self.state_label.text())
            )

    def _in_progress_toggled(self, checked: bool) -> None:
        self.editor.include_in_progress = checked

    def _update_controls(self) -> None:
        has_file = self.file is not None
        idle = self._busy is None
        has_pdf = self.preview.page_count() > 0
        for button in (
            self.generate_button,
            self.save_as_button,
            self.docx_button,
            self.press_button,
            self.settings_button,
        ):
            button.setEnabled(has_file and idle)
        self.in_progress_box.setEnabled(has_file and idle)
        self.print_button.setEnabled(has_pdf and idle)
        self.open_button.setEnabled(has_pdf)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self._busy is not None:
            self.cancel()
            return
        super().keyPressEvent(event)


def _never_wider_than_given(label: QLabel) -> None:
    """A label of a file's name or path wraps to the width it is given: a long name (one
    word to the layout) must never make the window wider than the screen."""
    label.setWordWrap(True)
    label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    label.setMinimumWidth(1)
