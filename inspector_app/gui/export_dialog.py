"""File > Export: the answers or the findings as a spreadsheet for analysts.

`export_answers` asks what to include (every applicable question; names and CRNs, off unless
ticked, with a warning that the file then holds personal data) and where to write; the
findings need only the target. Each is written off the UI thread, through a connection of
its own, by the core's exports; success shows in the status bar, a failure in an error
dialog. Every question to the user is a classmethod `ask`, so tests replace it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from inspector_app.core.exports.answers import write_answers
from inspector_app.core.exports.findings import write_findings
from inspector_app.core.exports.spreadsheet import CSV, XLSX, Written
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.plural import counted
from inspector_app.gui.background import run_in_background
from inspector_app.gui.dialogs import ErrorDialog
from inspector_app.gui.style import attention, char_width, css_color
from inspector_app.gui.translation import QT_TRANSLATE_NOOP

log = logging.getLogger(__name__)

# The two exports (codes), what the messages call them, and their save dialogs' words; each
# translated where it is shown.
ANSWERS = "answers"
FINDINGS = "findings"
KINDS = {
    ANSWERS: QT_TRANSLATE_NOOP("export_dialog", "answers"),
    FINDINGS: QT_TRANSLATE_NOOP("export_dialog", "findings"),
}
CAPTIONS = {
    ANSWERS: QT_TRANSLATE_NOOP("export_dialog", "Export the answers"),
    FINDINGS: QT_TRANSLATE_NOOP("export_dialog", "Export the findings"),
}
FILTERS = {
    XLSX: QT_TRANSLATE_NOOP("export_dialog", "Excel workbooks (*.xlsx)"),
    CSV: QT_TRANSLATE_NOOP("export_dialog", "CSV files (*.csv)"),
}
IDENTIFIERS_WARNING = QT_TRANSLATE_NOOP(
    "export_dialog",
    "The spreadsheet will then hold personal data. It is not encrypted: keep it as safe as "
    "the master and delete it when it is no longer needed.",
)
STATUS_MS = 10000


@dataclass(frozen=True)
class AnswerOptions:
    """What an answers export includes besides the answered questions."""

    all_questions: bool = False
    include_identifiers: bool = False


class AnswerOptionsDialog(QDialog):
    """What to put in the answers spreadsheet: names and CRNs only when ticked."""

    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_caption(ANSWERS))
        self.setAccessibleName(self.windowTitle())
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "A row per case and answered question, with the case's profile, the "
                "evidence note, who answered and when."
            )
        )
        intro.setWordWrap(True)
        intro.setAccessibleName(intro.text())
        self.all_questions = QCheckBox(
            self.tr("Include every question that applies, answered or not")
        )
        self.all_questions.setAccessibleName(self.all_questions.text())
        self.identifiers = QCheckBox(self.tr("Include names and CRNs"))
        self.identifiers.setAccessibleName(self.identifiers.text())
        self.warning = QLabel(QCoreApplication.translate("export_dialog", IDENTIFIERS_WARNING))
        self.warning.setWordWrap(True)
        self.warning.setAccessibleName(self.warning.text())
        self.warning.setStyleSheet(f"color: {css_color(attention(self))};")
        self.warning.setVisible(False)
        self.identifiers.toggled.connect(self.warning.setVisible)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Choose the file…"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        for widget in (intro, self.all_questions, self.identifiers, self.warning, buttons):
            layout.addWidget(widget)
        self.resize(round(char_width(self) * 70), self.sizeHint().height())

    def options(self) -> AnswerOptions:
        return AnswerOptions(self.all_questions.isChecked(), self.identifiers.isChecked())

    @classmethod
    def ask(cls, parent: QWidget | None) -> AnswerOptions | None:
        """The options chosen, or None if the user cancelled."""
        dialog = cls(parent)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            return dialog.options()
        return None


class SaveExportDialog:
    """Where to write an export: a path ending .xlsx or .csv, or None if cancelled. The
    system dialog asks before replacing a file; a name given without an ending gets the
    chosen type's, and is asked about here if that file exists."""

    @classmethod
    def ask(cls, parent: QWidget | None, kind: str, suggested: Path) -> Path | None:
        shown = {
            suffix: QCoreApplication.translate("export_dialog", text)
            for suffix, text in FILTERS.items()
        }
        chosen = shown[XLSX] if suggested.suffix.lower() != CSV else shown[CSV]
        name, used = QFileDialog.getSaveFileName(
            parent, _caption(kind), str(suggested), ";;".join(shown.values()), chosen
        )
        if not name:
            return None
        path = Path(name)
        if path.suffix.lower() in FILTERS:
            return path
        suffix = CSV if used == shown[CSV] else XLSX
        path = path.with_name(path.name + suffix)
        if path.exists() and not _replace(parent, path):
            return None
        return path


def _caption(kind: str) -> str:
    return QCoreApplication.translate("export_dialog", CAPTIONS[kind])


def _kind_words(kind: str) -> str:
    """'answers', 'findings': what the messages call an export."""
    return QCoreApplication.translate("export_dialog", KINDS[kind])


def _replace(parent: QWidget | None, path: Path) -> bool:
    answer = QMessageBox.question(
        parent,
        QCoreApplication.translate("export_dialog", "Replace the file?"),
        QCoreApplication.translate("export_dialog", "{name} already exists. Replace it?").format(
            name=path.name
        ),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def export_answers(
    parent: QWidget | None, file: InspectionFile | Path, passphrase: str | None
) -> bool:
    """Ask what to include and where, then write the answers of `file` (the open inspection
    file, or its path) off the UI thread. False if the user cancelled."""
    source = _path_of(file)
    options = AnswerOptionsDialog.ask(parent)
    if options is None:
        return False
    target = SaveExportDialog.ask(parent, ANSWERS, _suggested(source, ANSWERS))
    if target is None:
        return False
    note = (
        QCoreApplication.translate("export_dialog", " (with names and CRNs: keep it safe)")
        if options.include_identifiers
        else ""
    )
    _start(
        parent,
        ANSWERS,
        target,
        lambda: write_answers(
            source,
            target,
            passphrase=passphrase,
            all_questions=options.all_questions,
            include_identifiers=options.include_identifiers,
            overwrite=True,  # the save dialog asked before replacing a file
        ),
        note,
    )
    return True


def export_findings(
    parent: QWidget | None,
    file: InspectionFile | Path,
    passphrase: str | None,
    include_in_progress: bool,
) -> bool:
    """Ask where, then write the findings of `file` (complete cases, and in-progress ones
    when `include_in_progress`) off the UI thread. False if the user cancelled."""
    source = _path_of(file)
    target = SaveExportDialog.ask(parent, FINDINGS, _suggested(source, FINDINGS))
    if target is None:
        return False
    _start(
        parent,
        FINDINGS,
        target,
        lambda: write_findings(
            source,
            target,
            passphrase=passphrase,
            include_in_progress=include_in_progress,
            overwrite=True,  # the save dialog asked before replacing a file
        ),
    )
    return True


def _start(
    parent: QWidget | None,
    kind: str,
    target: Path,
    work: Callable[[], Written],
    note: str = "",
) -> None:
    words = _kind_words(kind)
    show_status(
        parent,
        QCoreApplication.translate("export_dialog", "Exporting the {kind} to {name}…").format(
            kind=words, name=target.name
        ),
    )

    def done(written: Written) -> None:
        rows = counted(written.rows, "{n} row", "{n} rows")
        show_status(
            parent,
            QCoreApplication.translate(
                "export_dialog", "Exported the {kind} to {path} ({rows}){note}"
            ).format(kind=words, path=written.path, rows=rows, note=note),
        )

    def failed(exc: BaseException) -> None:
        show_status(
            parent,
            QCoreApplication.translate("export_dialog", "The {kind} were not exported").format(
                kind=words
            ),
        )
        owner = parent if parent is not None and isValid(parent) else None
        ErrorDialog.ask(
            owner,
            QCoreApplication.translate("export_dialog", "Cannot export the {kind}").format(
                kind=words
            ),
            str(exc),
            str(target),
        )

    run_in_background(work, done, failed)


def show_status(parent: QWidget | None, text: str) -> None:
    """A message in the main window's status bar (logged when there is none, or the window
    closed while the export was being written)."""
    window = parent.window() if parent is not None and isValid(parent) else None
    if isinstance(window, QMainWindow):
        window.statusBar().showMessage(text, STATUS_MS)
    else:
        log.info("%s", text)


def _path_of(file: InspectionFile | Path) -> Path:
    return Path(file.path) if isinstance(file, InspectionFile) else Path(file)


def _suggested(source: Path, kind: str) -> Path:
    """Beside the inspection file: "Merseyside-master - answers.xlsx"."""
    return source.with_name(f"{source.stem} - {kind}{XLSX}")
