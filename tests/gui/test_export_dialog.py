"""File > Export in the window: the answers and the findings written off the UI thread to the
file the user picks, names and CRNs only when ticked, success in the status bar, failure in
an error dialog, and nothing written when the user cancels."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox

from inspector_app.core.cases.answers import set_answer
from inspector_app.core.exports.answers import identities_of
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.findings.figures import compute_findings
from inspector_app.gui import export_dialog
from inspector_app.gui.background import deliver_outcomes, wait_for_background
from inspector_app.gui.dialogs import ErrorDialog
from inspector_app.gui.export_dialog import (
    FILTERS,
    AnswerOptions,
    AnswerOptionsDialog,
    SaveExportDialog,
    export_answers,
    export_findings,
)
from tests.conftest import file_hash


@pytest.fixture
def window(qtbot) -> QMainWindow:
    win = QMainWindow()
    qtbot.addWidget(win)
    return win


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        ErrorDialog,
        "ask",
        classmethod(lambda cls, parent, title, message, detail="": shown.append((title, message))),
    )
    return shown


def choose(monkeypatch: pytest.MonkeyPatch, target: Path | None, options: AnswerOptions | None):
    monkeypatch.setattr(AnswerOptionsDialog, "ask", classmethod(lambda cls, parent: options))
    monkeypatch.setattr(
        SaveExportDialog, "ask", classmethod(lambda cls, parent, kind, suggested: target)
    )


def finish() -> None:
    assert wait_for_background()
    deliver_outcomes()


def cells(path: Path) -> list[str]:
    book = openpyxl.load_workbook(path)
    return [str(c) for sheet in book for row in sheet.iter_rows(values_only=True) for c in row]


def test_the_answers_are_written_without_identifiers_unless_ticked(
    window: QMainWindow, master: InspectionFile, tmp_path: Path, monkeypatch, errors
) -> None:
    key = master.case_key_for(1)
    set_answer(master, key, "0.1", "yes", '=HYPERLINK("http://example.invalid")')
    identifiers = {t for pair in identities_of(master).values() for t in pair if t}
    target = tmp_path / "answers.xlsx"
    choose(monkeypatch, target, AnswerOptions())
    assert export_answers(window, master, None)
    finish()
    assert errors == []
    texts = cells(target)
    assert '=HYPERLINK("http://example.invalid")' in texts
    assert not [t for t in texts for i in identifiers if i in t]
    assert "Exported the answers" in window.statusBar().currentMessage()

    with_ids = tmp_path / "with-identifiers.xlsx"
    choose(monkeypatch, with_ids, AnswerOptions(all_questions=True, include_identifiers=True))
    assert export_answers(window, Path(master.path), None)
    finish()
    texts = cells(with_ids)
    assert identifiers <= set(texts)
    assert "names and CRNs" in window.statusBar().currentMessage()


def test_the_findings_are_written_as_one_tidy_csv(
    window: QMainWindow, master: InspectionFile, tmp_path: Path, monkeypatch, errors
) -> None:
    target = tmp_path / "findings.csv"
    choose(monkeypatch, target, None)
    assert export_findings(window, master, None, True)
    finish()
    assert errors == []
    text = target.read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    findings = compute_findings(master, include_in_progress=True)
    assert rows[0][:3] == ["Level", "Code", "Title"]
    assert [r[1] for r in rows[1:] if r[0] == "question"] == [q.code for q in findings.questions]
    assert "Exported the findings" in window.statusBar().currentMessage()


def test_cancelling_writes_nothing(
    window: QMainWindow, master: InspectionFile, tmp_path: Path, monkeypatch, errors
) -> None:
    target = tmp_path / "answers.xlsx"
    choose(monkeypatch, target, None)  # the options dialog cancelled
    assert not export_answers(window, master, None)
    choose(monkeypatch, None, AnswerOptions())  # the save dialog cancelled
    assert not export_answers(window, master, None)
    assert not export_findings(window, master, None, False)
    finish()
    assert not target.exists() and errors == []


def test_a_failure_is_shown_and_the_file_left_alone(
    window: QMainWindow, master: InspectionFile, tmp_path: Path, monkeypatch, errors
) -> None:
    other = tmp_path / "other.xlsx"
    shutil.copy(master.path, other)  # an inspection file under a spreadsheet's name
    before = file_hash(other)
    choose(monkeypatch, other, AnswerOptions())
    assert export_findings(window, master, None, False)
    finish()
    assert len(errors) == 1
    title, message = errors[0]
    assert title == "Cannot export the findings"
    assert "is an inspection file" in message
    assert file_hash(other) == before
    assert "not exported" in window.statusBar().currentMessage()


def test_names_and_crns_are_off_by_default_and_warned_about(qtbot) -> None:
    dialog = AnswerOptionsDialog(None)
    qtbot.addWidget(dialog)
    assert dialog.options() == AnswerOptions(all_questions=False, include_identifiers=False)
    assert dialog.warning.isHidden()
    dialog.identifiers.setChecked(True)
    assert not dialog.warning.isHidden()
    assert "personal data" in dialog.warning.text()
    assert dialog.options().include_identifiers


@pytest.mark.parametrize(
    ("name", "chosen", "expected"),
    [
        ("out", FILTERS[".csv"], "out.csv"),
        ("out", FILTERS[".xlsx"], "out.xlsx"),
        ("out.CSV", FILTERS[".xlsx"], "out.CSV"),
        ("", FILTERS[".xlsx"], None),
    ],
)
def test_the_save_dialog_gives_a_spreadsheet_name(
    tmp_path: Path, monkeypatch, name: str, chosen: str, expected: str | None
) -> None:
    picked = str(tmp_path / name) if name else ""
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (picked, chosen))
    path = SaveExportDialog.ask(None, export_dialog.ANSWERS, tmp_path / "x.xlsx")
    assert (path.name if path else None) == expected


@pytest.mark.parametrize("replace", [False, True])
def test_a_name_given_without_an_ending_is_checked_before_replacing(
    tmp_path: Path, monkeypatch, replace: bool
) -> None:
    (tmp_path / "out.xlsx").write_bytes(b"old")
    asked: list[str] = []
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "out"), FILTERS[".xlsx"])
    )
    button = QMessageBox.StandardButton.Yes if replace else QMessageBox.StandardButton.No
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or button)
    path = SaveExportDialog.ask(None, export_dialog.FINDINGS, tmp_path / "x.xlsx")
    assert asked == ["out.xlsx already exists. Replace it?"]
    assert path == (tmp_path / "out.xlsx" if replace else None)
