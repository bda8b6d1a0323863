"""Opening a file, on its own (the dialogs around it, for any window): files that cannot be
opened named in a dialog with the reason, passphrases asked for and asked again, an older file
upgraded, a file on a removable drive opened from a local copy, and a hand-over copy written."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget

from inspector_app.app.case_rows import load_case_rows
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.gui.background import deliver_outcomes, wait_for_background
from inspector_app.gui.dialogs import PassphraseDialog, RemovableMediaDialog, SaveCopyDialog
from inspector_app.gui.file_opener import FileOpener
from tests.generation_one import downgrade_to_generation_one


class Opener:
    """A FileOpener for a plain window, with what it put in the status bar."""

    def __init__(self, qtbot) -> None:
        self.window = QWidget()
        qtbot.addWidget(self.window)
        self.status: list[str] = []
        self.opener = FileOpener(self.window, lambda text, _ms: self.status.append(text))
        self.opened: list[InspectionFile] = []

    def open(self, path: Path, passphrase: str | None = None) -> InspectionFile | None:
        result = self.opener.open(path, passphrase)
        if result is None:
            return None
        self.opened.append(result[0])
        return result[0]


@pytest.fixture
def opener(qtbot) -> Iterator[Opener]:
    made = Opener(qtbot)
    yield made
    for file in made.opened:
        file.close()


@pytest.fixture
def passphrases(monkeypatch: pytest.MonkeyPatch) -> tuple[list[str | None], list[str]]:
    """What the passphrase dialog answers, in turn (the last answer again when they run out),
    and the problem it was shown with each time."""
    answers: list[str | None] = ["a guess"]
    problems: list[str] = []

    def ask(cls, parent, file_name, problem=""):
        problems.append(problem)
        return answers.pop(0) if len(answers) > 1 else answers[0]

    monkeypatch.setattr(PassphraseDialog, "ask", classmethod(ask))
    return answers, problems


def bad_files(folder: Path) -> dict[str, Path]:
    text = folder / "notes.inspection"
    text.write_text("these are not the droids you are looking for\n" * 10)
    empty = folder / "empty.inspection"
    empty.write_bytes(b"")
    foreign = folder / "foreign.inspection"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    return {
        "not sqlite": text,
        "empty": empty,
        "another application's database": foreign,
        "missing": folder / "gone.inspection",
        "a folder": folder,
    }


def test_files_that_cannot_be_opened_are_named_in_a_dialog_with_the_reason(
    opener: Opener, errors: list, passphrases, fieldwork: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    for what, path in bad_files(folder).items():
        errors.clear()
        assert opener.open(path) is None, what
        assert len(errors) == 1, what
        title, message = errors[0]
        assert path.name in title and path.name in message
        assert len(message) > len(path.name) + 10  # and a reason
    assert opener.open(fieldwork) is not None  # and a good file opens after them


def test_an_encrypted_file_opens_with_its_passphrase_asked_again_when_wrong(
    opener: Opener, errors: list, passphrases, tmp_path: Path
) -> None:
    answers, problems = passphrases
    path = tmp_path / "secret.inspection"
    InspectionFile.create(
        path, title="Encrypted inspection", organisation="Wirral", lead="A Lead", passphrase="pw 1"
    ).close()
    answers[:] = [None]  # cancelled: nothing opens, no error either
    assert opener.open(path) is None and not errors
    answers[:] = ["wrong", None]  # a wrong one asks again, saying so; then cancelled
    problems.clear()
    assert opener.open(path) is None and not errors
    assert problems == ["", "That passphrase does not open the file. Try again, or Cancel."]
    answers[:] = ["wrong", "pw 1"]  # ... and the right one, the second time, opens it
    file, passphrase = opener.opener.open(path, None)
    opener.opened.append(file)
    assert passphrase == "pw 1" and file.inspection.title == "Encrypted inspection"
    assert load_case_rows(path, passphrase) == []  # what the window's reader opens it with


def test_three_wrong_passphrases_end_in_the_reason(
    opener: Opener, errors: list, passphrases, tmp_path: Path
) -> None:
    answers, problems = passphrases
    path = tmp_path / "secret.inspection"
    InspectionFile.create(path, title="T", organisation="O", passphrase="pw 1").close()
    answers[:] = ["first guess", "second guess", "third guess"]
    assert opener.open(path) is None
    assert problems == ["", *["That passphrase does not open the file. Try again, or Cancel."] * 2]
    assert len(errors) == 1 and path.name in errors[0][0]


def test_a_case_sample_opened_as_a_file_is_named_as_one(
    opener: Opener, errors: list, passphrases, tmp_path: Path
) -> None:
    _answers, problems = passphrases
    sample = tmp_path / "sample.csv"
    sample.write_text("sample_no,sentence_type\n1,Licence\n", encoding="utf-8")
    assert opener.open(sample) is None
    assert "looks like a case sample or long list" in errors[0][1]
    assert problems == []  # and no passphrase was asked for


def test_a_newer_file_is_refused_with_a_reason(
    opener: Opener, errors: list, fieldwork: Path
) -> None:
    conn = sqlite3.connect(fieldwork)
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    assert opener.open(fieldwork) is None
    assert "newer version" in errors[0][1]


def test_a_file_in_the_older_format_opens_upgraded_and_its_readers_see_the_new_format(
    opener: Opener, errors: list, fieldwork: Path, tmp_path: Path
) -> None:
    """The opener upgrades the file; a background reader, opening it read-only while the
    upgrade is still in the WAL, sees the new format too."""
    old = downgrade_to_generation_one(fieldwork, tmp_path / "old" / fieldwork.name)
    assert opener.open(old) is not None
    assert errors == []
    assert len(load_case_rows(old)) > 0
    assert list(old.parent.glob("*.format1-backup*.inspection"))


@pytest.fixture
def stick_file(tmp_path: Path) -> Path:
    path = tmp_path / "stick" / "daniel.inspection"
    path.parent.mkdir()
    InspectionFile.create(
        path,
        title="Inspection of Adult Offending Work: Wirral",
        organisation="Wirral",
        lead="A Lead",
    ).close()
    return path


def open_from_drive(opener: Opener, path: Path) -> InspectionFile | None:
    """What the window does with a file on a removable drive: offer a local copy, open it."""
    offered = opener.opener.offer_local_copy(path)
    if offered is None:
        return None
    return opener.open(*offered)


def test_a_file_on_a_removable_drive_is_opened_from_a_local_copy(
    opener: Opener, stick_file: Path, monkeypatch
) -> None:
    monkeypatch.setattr(
        RemovableMediaDialog, "ask", classmethod(lambda cls, parent, name: cls.LOCAL_COPY)
    )
    before = stick_file.read_bytes()
    file = open_from_drive(opener, stick_file)
    opened = Path(file.path)
    assert opened != stick_file and opened.parent.name == "working"
    assert file.situation == "copied or moved"  # so it has its own replica id
    assert stick_file.read_bytes() == before
    assert opener.status == [f"Working on a local copy: {opened}"]


def test_declining_the_copy_opens_nothing_or_the_original(
    opener: Opener, stick_file: Path, monkeypatch
) -> None:
    answers = iter([None, RemovableMediaDialog.HERE])
    monkeypatch.setattr(
        RemovableMediaDialog, "ask", classmethod(lambda cls, parent, name: next(answers))
    )
    assert open_from_drive(opener, stick_file) is None
    assert Path(open_from_drive(opener, stick_file).path) == stick_file


def test_a_copy_taken_while_open_is_found_so(opener: Opener, stick_file: Path, tmp_path) -> None:
    holder = InspectionFile.open(stick_file)  # open elsewhere, then copied without its WAL
    holder.db.raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    copy = tmp_path / "copy.inspection"
    shutil.copy(stick_file, copy)
    try:
        assert opener.open(copy).situation == "copied while open"  # the window explains it
    finally:
        holder.close()


def test_save_a_copy_for_hand_over_writes_a_complete_file(
    qtbot, opener: Opener, stick_file: Path, tmp_path: Path, monkeypatch, errors
) -> None:
    target = tmp_path / "handover.inspection"
    offered: list[Path] = []
    monkeypatch.setattr(
        SaveCopyDialog,
        "ask",
        classmethod(lambda cls, parent, suggested: offered.append(suggested) or target),
    )
    with InspectionFile.open(stick_file):
        opener.opener.save_handover_copy(stick_file, None)
        assert wait_for_background(10000)
        deliver_outcomes()
    assert offered == [stick_file.with_name("daniel (hand-over).inspection")]
    assert errors == []
    assert opener.status[-1].startswith("Saved a complete copy to")
    with InspectionFile.open(target, readonly=True) as copy:
        assert copy.inspection.organisation == "Wirral"
    opener.opener.save_handover_copy(stick_file, None)  # the same name again is refused
    assert errors == [
        ("Cannot save the copy", "handover.inspection: already exists; choose another name")
    ]
