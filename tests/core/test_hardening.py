"""Hardening (issue 16): an encrypted master's data stays encrypted, every file the app writes
is owner-only, outputs never overwrite what they must not, autosave never says "saved" after
a failure, and odd inputs (pipes, devices, folders, control characters, long names) get one
clear line. Each refusal names the file and changes nothing."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from inspector_app.cli.main import run_cli
from inspector_app.core.cases import answers as answers_module
from inspector_app.core.cases.answers import set_answer
from inspector_app.core.cases.status import case_summaries
from inspector_app.core.cases.team import add_member
from inspector_app.core.errors import FileRefused
from inspector_app.core.files.fieldwork_export import export_fieldwork
from inspector_app.core.files.handover import make_working_copy, write_snapshot
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.files.merge_copy import snapshot_path
from inspector_app.core.files.passphrase import change_passphrase
from inspector_app.core.merge.run import merge_files
from inspector_app.core.sample.placement import allocate_auto, import_sample
from inspector_app.core.storage import safe_write
from inspector_app.core.storage.connection import SQLITE_MAGIC, read_header
from inspector_app.core.storage.database import open_database
from inspector_app.core.storage.dbapi import OperationalError
from tests.conftest import INSPECTORS, LEAD, file_hash
from tests.generation_one import downgrade_to_generation_one

DANIEL, PRIYA = INSPECTORS
PASSPHRASE = "the lead's long passphrase"
DANIEL_PASSPHRASE = "daniel's own passphrase"
CONTROL = "\x1b[2J\x1b]0;owned\x07\r\n"


def cli(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    code = run_cli([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def listing(folder: Path) -> dict[str, str]:
    return {p.name: file_hash(p) for p in sorted(folder.iterdir()) if p.is_file()}


def secret(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text + "\n", encoding="utf-8")
    return path


def a_question(file: InspectionFile) -> str:
    return next(q.code for q in file.framework.questions() if q.scored and not q.applies_if)


@pytest.fixture
def encrypted_master(tmp_path: Path, sample_csv: Path) -> Path:
    path = tmp_path / "secret.inspection"
    with InspectionFile.create(
        path, title="T", organisation="Merseyside", lead=LEAD, passphrase=PASSPHRASE
    ) as master:
        for name in INSPECTORS:
            add_member(master, name)
        import_sample(master, sample_csv)
        allocate_auto(master)
    return path


@pytest.fixture
def master_path(master: InspectionFile) -> Path:
    """The conftest master (12 cases, two inspectors), closed."""
    master.close()
    return Path(master.path)


# --- 1. an encrypted master's data stays encrypted -------------------------------------------


@pytest.mark.parametrize("identifiers", [True, False], ids=["with-identifiers", "without"])
def test_export_from_an_encrypted_master_without_a_passphrase_is_refused(
    encrypted_master: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], identifiers: bool
) -> None:
    key = secret(tmp_path, "lead.key", PASSPHRASE)
    out = tmp_path / "out"
    out.mkdir()
    before = file_hash(encrypted_master)
    extra = ["--with-identifiers"] if identifiers else []
    code, stdout, err = cli(
        capsys,
        "export-fieldwork",
        encrypted_master,
        "--master-passphrase-file",
        key,
        "--inspector",
        DANIEL,
        "-o",
        out / "daniel.inspection",
        *extra,
    )
    assert code == 1 and stdout == ""
    assert len(err.splitlines()) == 1
    assert "daniel.inspection" in err and "encrypted" in err and "--passphrase-file" in err
    assert list(out.iterdir()) == []
    assert file_hash(encrypted_master) == before


def test_core_export_of_identifiers_from_an_encrypted_master_needs_a_passphrase(
    encrypted_master: Path, tmp_path: Path
) -> None:
    with InspectionFile.open(encrypted_master, passphrase=PASSPHRASE) as master:
        with pytest.raises(FileRefused, match=r"daniel\.inspection: not written: .*encrypted"):
            export_fieldwork(master, DANIEL, tmp_path / "daniel.inspection", with_identifiers=True)
        written = export_fieldwork(
            master,
            DANIEL,
            tmp_path / "daniel.inspection",
            with_identifiers=True,
            passphrase=DANIEL_PASSPHRASE,
        ).path
    assert not read_header(written).is_sqlite
    assert b"Merseyside" not in written.read_bytes()


def test_a_plain_export_with_identifiers_warns_in_one_line(
    master_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "daniel.inspection"
    code, out, err = cli(
        capsys,
        "export-fieldwork",
        master_path,
        "--inspector",
        DANIEL,
        "-o",
        target,
        "--with-identifiers",
    )
    assert code == 0 and "with identifiers" in out
    assert err.startswith("inspector-app: warning: daniel.inspection is not encrypted")
    assert len(err.splitlines()) == 1
    key = secret(tmp_path, "daniel.key", DANIEL_PASSPHRASE)
    code, out, err = cli(
        capsys,
        "export-fieldwork",
        master_path,
        "--inspector",
        PRIYA,
        "-o",
        tmp_path / "priya.inspection",
        "--with-identifiers",
        "--passphrase-file",
        key,
    )
    assert code == 0 and err == ""


def test_new_without_encrypt_warns_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = cli(
        capsys, "new", tmp_path / "plain.inspection", "--title", "T", "--organisation", "O"
    )
    assert code == 0
    assert err.startswith("inspector-app: warning: plain.inspection is not encrypted")
    assert len(err.splitlines()) == 1
    key = secret(tmp_path, "lead.key", PASSPHRASE)
    code, _, err = cli(
        capsys,
        "new",
        tmp_path / "secret.inspection",
        "--title",
        "T",
        "--organisation",
        "O",
        "--encrypt",
        "--passphrase-file",
        key,
    )
    assert code == 0 and err == ""


def test_snapshots_and_working_copies_of_an_encrypted_file_stay_encrypted(
    encrypted_master: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stick = tmp_path / "stick"
    stick.mkdir()
    copy = write_snapshot(encrypted_master, stick / "copy.inspection", passphrase=PASSPHRASE)
    assert not read_header(copy).is_sqlite and b"Merseyside" not in copy.read_bytes()
    working = make_working_copy(copy, passphrase=PASSPHRASE)
    assert not read_header(working).is_sqlite
    code, _, err = cli(capsys, "snapshot", encrypted_master, "-o", stick / "again.inspection")
    assert code == 1 and "needs its passphrase" in err and len(err.splitlines()) == 1
    assert not (stick / "again.inspection").exists()


# --- 2. owner-only files, whatever the umask --------------------------------------------------


@pytest.fixture(params=[0o000, 0o022], ids=["umask-000", "umask-022"])
def open_umask(request: pytest.FixtureRequest) -> Iterator[int]:
    old = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(old)


def test_every_file_holding_personal_data_is_owner_only(
    open_umask: int, tmp_path: Path, sample_csv: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    master_path = tmp_path / "master.inspection"
    assert (
        cli(capsys, "new", master_path, "--title", "T", "--organisation", "O", "--lead", LEAD)[0]
        == 0
    )
    with InspectionFile.open(master_path) as master:
        add_member(master, DANIEL)
        import_sample(master, sample_csv)
        allocate_auto(master)
        for side in ("-wal", "-shm"):  # what SQLite keeps beside the open file
            assert mode_of(master_path.with_name(master_path.name + side)) == 0o600
    written = [master_path]

    key = secret(tmp_path, "daniel.key", DANIEL_PASSPHRASE)
    plain, encrypted = tmp_path / "plain.inspection", tmp_path / "encrypted.inspection"
    assert cli(capsys, "export-fieldwork", master_path, "--inspector", DANIEL, "-o", plain)[0] == 0
    assert (
        cli(
            capsys,
            "export-fieldwork",
            master_path,
            "--inspector",
            DANIEL,
            "-o",
            encrypted,
            "--passphrase-file",
            key,
            "--with-identifiers",
        )[0]
        == 0
    )
    written += [plain, encrypted]
    with InspectionFile.open(plain) as fieldwork:
        set_answer(fieldwork, case_summaries(fieldwork)[0].key, a_question(fieldwork), "yes")

    stick = tmp_path / "stick"
    stick.mkdir()
    assert cli(capsys, "snapshot", plain, "-o", stick)[0] == 0
    written += [stick / plain.name, make_working_copy(stick / plain.name)]

    assert cli(capsys, "merge", master_path, plain)[0] == 0
    undo = snapshot_path(master_path)
    written += [undo, undo.with_name(undo.name + ".json")]  # the undo copy and its note

    # What the sample import writes on request quotes the export's rows (names, CRNs).
    export = tmp_path / "export.csv"
    export.write_text("crn,name,sentence\nX1,Ann Example,community order\nX2,,nonsense\n")
    problems, mapping = tmp_path / "problems.csv", tmp_path / "map.toml"
    cli(
        capsys,
        "import-sample",
        master_path,
        export,
        "--problems-csv",
        problems,
        "--save-map",
        mapping,
    )
    written += [problems, mapping]

    out = tmp_path / "report"
    out.mkdir()
    pdf, docx, press = out / "r.pdf", out / "r.docx", out / "r.txt"
    code, _, err = cli(
        capsys, "report", master_path, "-o", pdf, "--docx", docx, "--press-release", press
    )
    assert code == 0, err
    written += [pdf, docx, press]

    rekeyed = tmp_path / "rekeyed.inspection"
    rekeyed.write_bytes(plain.read_bytes())
    os.chmod(rekeyed, 0o644)
    change_passphrase(rekeyed, current=None, new=PASSPHRASE)
    written.append(rekeyed)

    old = downgrade_to_generation_one(master_path, tmp_path / "old" / "old.inspection")
    with InspectionFile.open(old):
        pass
    backups = [p for p in old.parent.iterdir() if "backup" in p.name]
    assert backups
    written += backups

    for path in written:
        assert mode_of(path) == 0o600, f"{path.name}: {oct(mode_of(path))}"


def test_temporary_files_are_owner_only_before_anything_is_written(
    open_umask: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    modes: list[int] = []
    real_write = os.write

    def spy(fd: int, data: bytes) -> int:
        info = os.fstat(fd)
        if stat.S_ISREG(info.st_mode):
            modes.append(stat.S_IMODE(info.st_mode))
        return real_write(fd, data)

    monkeypatch.setattr(safe_write.os, "write", spy)
    target = tmp_path / "report.pdf"
    safe_write.write_file_atomically(target, b"%PDF- offenders' data")
    assert modes and set(modes) == {0o600}
    assert mode_of(target) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["report.pdf"]


# --- 3. outputs never overwrite what they must not ----------------------------------------------


def test_report_refuses_an_existing_output_unless_overwrite(
    master_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for option in ("-o", "--docx", "--press-release"):
        existing = tmp_path / f"existing-{option.strip('-')}"
        existing.write_bytes(b"the lead's own notes")
        args = ["-o", tmp_path / "fresh.pdf"] if option != "-o" else []
        code, out, err = cli(capsys, "report", master_path, *args, option, existing)
        assert code == 1 and out == ""
        assert len(err.splitlines()) == 1 and existing.name in err and "--overwrite" in err
        assert existing.read_bytes() == b"the lead's own notes"
        assert not (tmp_path / "fresh.pdf").exists()  # nothing written at all
    pdf = tmp_path / "existing-o"
    code, _, err = cli(capsys, "report", master_path, "-o", pdf, "--overwrite")
    assert code == 0, err
    assert pdf.read_bytes().startswith(b"%PDF")


def test_report_never_writes_over_an_inspection_file(
    master_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with InspectionFile.open(master_path) as master:
        fieldwork = export_fieldwork(master, DANIEL, tmp_path / "daniel.inspection").path
    renamed_db = tmp_path / "daniel-copy.dat"  # an inspection file by its header alone
    renamed_db.write_bytes(fieldwork.read_bytes())
    encrypted = tmp_path / "secret.inspection"  # ours by its name (its header is ciphertext)
    encrypted.write_bytes(os.urandom(4096))
    same_by_another_name = tmp_path / "link-to-master.pdf"
    same_by_another_name.symlink_to(master_path)
    hashes = listing(tmp_path)
    cases = [
        ("-o", master_path),
        ("--docx", master_path),
        ("--press-release", master_path),
        ("-o", same_by_another_name),
        ("-o", fieldwork),
        ("--docx", renamed_db),
        ("--press-release", encrypted),
    ]
    for option, target in cases:
        args = ["-o", tmp_path / "fresh.pdf"] if option != "-o" else []
        for overwrite in ([], ["--overwrite"]):
            code, out, err = cli(
                capsys, "report", master_path, *args, option, target, "--final", *overwrite
            )
            assert code == 1 and out == "", (option, target)
            assert len(err.splitlines()) == 1 and target.name in err, err
            assert listing(tmp_path) == hashes, (option, target)
    if hasattr(os, "mkfifo"):
        pipe = tmp_path / "pipe.pdf"
        os.mkfifo(pipe)
        code, _, err = cli(capsys, "report", master_path, "-o", pipe, "--overwrite")
        assert code == 1 and "pipe.pdf: is a named pipe, not a file" in err
        with pytest.raises(FileRefused, match="is a named pipe"):
            safe_write.write_file_atomically(pipe, b"a report")
        pipe.unlink()
    with pytest.raises(FileRefused, match=r"daniel\.inspection: is an inspection file"):
        safe_write.write_file_atomically(fieldwork, b"a report")  # the GUI's report path
    assert listing(tmp_path) == hashes


def test_report_refuses_one_name_for_two_outputs(
    master_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "report"
    code, _, err = cli(capsys, "report", master_path, "-o", target, "--docx", target)
    assert code == 1 and len(err.splitlines()) == 1 and "report: given for two outputs" in err
    assert not target.exists()


# --- 4. autosave never says "saved" after a failure -------------------------------------------


@pytest.fixture
def window(qtbot, master_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from inspector_app.gui.background import wait_for_background
    from inspector_app.gui.dialogs import ErrorDialog
    from inspector_app.gui.main_window import MainWindow

    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        ErrorDialog,
        "ask",
        classmethod(lambda cls, parent, title, message, detail="": shown.append((title, message))),
    )
    with InspectionFile.open(master_path) as master:
        path = export_fieldwork(master, DANIEL, tmp_path / "daniel.inspection").path
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    with qtbot.waitSignal(win.casesLoaded, timeout=10000):
        assert win.open_file(path)
    win.errors_shown = shown
    yield win
    win.close()
    wait_for_background()


def _disk_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise OperationalError("disk I/O error")

    monkeypatch.setattr(answers_module, "write_revision", fail)


def test_a_disk_error_in_autosave_shows_not_saved_until_a_save_succeeds(
    window, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from inspector_app.gui.main_window import FAILED_TEXT, SAVED_TEXT

    session = window.session
    with InspectionFile.open(window.file.path, readonly=True) as file:
        case, code = case_summaries(file)[0].key, a_question(file)
    assert window.save_label.text() == SAVED_TEXT

    with monkeypatch.context() as patch:
        _disk_fails(patch)
        assert session.answer(case, code, "yes") is False
        assert window.save_label.text() == FAILED_TEXT
        assert session.state == "failed" and "disk I/O error" in session.last_error
        assert window.errors_shown and "was not saved" in window.errors_shown[-1][0]
    assert session.answer(case, code, "yes") is True
    assert window.save_label.text() == SAVED_TEXT

    # Typed text saved after a pause: the same promise.
    with monkeypatch.context() as patch:
        _disk_fails(patch)
        session.edit_text(case, code, "note", "Seen on the case record.")
        qtbot.waitUntil(lambda: window.save_label.text() == FAILED_TEXT, timeout=5000)
        assert session.has_pending()  # kept, to be saved again
        told = len(window.errors_shown)
        session.text.retry_timer.setInterval(50)
        qtbot.wait(300)  # tried again, quietly: still failing, told only once
        assert window.save_label.text() == FAILED_TEXT and len(window.errors_shown) == told
    # The disk recovers: the pending text is saved on its own, with nothing pressed.
    qtbot.waitUntil(lambda: window.save_label.text() == SAVED_TEXT, timeout=5000)
    assert not session.has_pending()
    with InspectionFile.open(window.file.path, readonly=True) as file:
        from inspector_app.core.cases.case_data import load_case

        stored = load_case(file, case).answers[code]
    assert (stored.value, stored.note) == ("yes", "Seen on the case record.")


# --- 5. pipes, devices, folders, control characters, long names -----------------------------


def run_cli_in_a_process(*args: object, timeout: float = 60) -> subprocess.CompletedProcess:
    """The CLI in its own process, so that a command waiting forever on a pipe fails the
    test instead of hanging it."""
    code = "import sys\nfrom inspector_app.cli.main import run_cli\nsys.exit(run_cli(sys.argv[1:]))"
    return subprocess.run(
        [sys.executable, "-c", code, *(str(a) for a in args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=Path(__file__).resolve().parents[2],
        check=False,
    )


@pytest.fixture
def specials(tmp_path: Path) -> dict[str, Path]:
    fifo = tmp_path / "pipe.inspection"
    os.mkfifo(fifo)
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    return {"pipe": fifo, "device": Path(os.devnull), "folder": folder}


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
@pytest.mark.parametrize("kind", ["pipe", "device", "folder"])
@pytest.mark.parametrize(
    "command", ["merge", "import-sample", "import-answers", "import-long-list"]
)
def test_a_pipe_device_or_folder_as_input_is_refused_in_one_line(
    master_path: Path, specials: dict[str, Path], kind: str, command: str
) -> None:
    special = specials[kind]
    before = file_hash(master_path)
    result = run_cli_in_a_process(command, master_path, special)
    assert result.returncode == 1, result.stderr
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert special.name in result.stderr
    assert file_hash(master_path) == before


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_opening_a_pipe_or_device_as_an_inspection_file_does_not_wait(
    specials: dict[str, Path],
) -> None:
    for kind in ("pipe", "device"):
        with pytest.raises(
            FileRefused, match=f"is a {'named pipe' if kind == 'pipe' else 'device'}"
        ):
            open_database(specials[kind])
        with pytest.raises(FileRefused):
            read_header(specials[kind])


def test_control_characters_in_names_and_notes_are_shown_escaped(
    master_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    odd = tmp_path / f"daniel{CONTROL}.inspection"
    with InspectionFile.open(master_path) as master:
        export_fieldwork(master, DANIEL, odd)
        case = next(c.key for c in case_summaries(master) if c.assessor == DANIEL)
        code = a_question(master)
    with InspectionFile.open(odd) as fieldwork:
        set_answer(fieldwork, case, code, "yes", f"seen{CONTROL}it")
    with InspectionFile.open(master_path) as master:
        set_answer(master, case, code, "no", f"lead's{CONTROL}note")

    code_, out, err = cli(capsys, "merge", master_path, odd)
    assert code_ == 0, err
    assert "Merged daniel\\x1b[2J\\x1b]0;owned\\x07\\r\\n.inspection" in out
    code_, out, err = cli(capsys, "conflicts", master_path)
    assert code_ == 0 and "seen\\x1b[2J" in out and "lead's\\x1b[2J" in out
    code_, out, err = cli(capsys, "status", odd)
    assert code_ == 0
    for text in (out, err):
        assert not any(ch in text for ch in "\x1b\x07\r")

    titled = tmp_path / "titled.inspection"
    with InspectionFile.create(titled, title=f"Title{CONTROL}", organisation=f"Org{CONTROL}"):
        pass
    code_, out, _ = cli(capsys, "status", titled)
    assert code_ == 0 and "Title\\x1b[2J" in out and not any(ch in out for ch in "\x1b\x07\r")

    code_, out, err = cli(capsys, "status", tmp_path / f"gone{CONTROL}.inspection")
    assert code_ == 1 and len(err.splitlines()) == 1 and "gone\\x1b[2J" in err
    assert not any(ch in err for ch in "\x1b\x07\r")
    not_ours = tmp_path / f"notes{CONTROL}.inspection"
    not_ours.write_text("not an inspection file\n" * 10)
    code_, out, err = cli(capsys, "merge", master_path, not_ours)
    assert code_ == 1 and len(err.splitlines()) == 1 and "notes\\x1b[2J" in err
    assert not any(ch in out + err for ch in "\x1b\x07\r")


LONG_NAME = "d" * (250 - len(".inspection")) + ".inspection"


def test_a_250_character_file_name_can_be_exported(
    master_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / LONG_NAME
    assert len(target.name) == 250
    code, _, err = cli(capsys, "export-fieldwork", master_path, "--inspector", DANIEL, "-o", target)
    assert code == 0, err
    assert target.is_file() and mode_of(target) == 0o600
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temp left
    with InspectionFile.open(target) as file:  # the inspector can work on it
        assert file.role.owner_name == DANIEL
        set_answer(file, case_summaries(file)[0].key, a_question(file), "yes", "seen")
    # A file in rollback-journal mode (as exported under a short name), renamed long: there
    # is no room for its journal, and the message says so.
    with InspectionFile.open(master_path) as master:
        short = export_fieldwork(master, PRIYA, tmp_path / "priya.inspection").path
    renamed = tmp_path / ("e" * 250)
    short.rename(renamed)
    with pytest.raises(FileRefused, match=r"e+: the name is too long .* give it a shorter name"):
        InspectionFile.open(renamed)
    stick = tmp_path / "stick"
    stick.mkdir()
    assert write_snapshot(target, stick / LONG_NAME).is_file()
    safe_write.write_file_atomically(tmp_path / ("r" * 246 + ".pdf"), b"%PDF-")


def test_a_250_character_file_name_can_be_merged(master_path: Path, tmp_path: Path) -> None:
    with InspectionFile.open(master_path) as master:
        source = export_fieldwork(master, DANIEL, tmp_path / LONG_NAME).path
        report = merge_files(master, [source])
    assert [s.refusal for s in report.sources] == [None]


def test_sqlite_magic_is_what_the_header_check_reads(tmp_path: Path) -> None:
    """The report guard's header check and connection.read_header agree on what a database
    looks like."""
    path = tmp_path / "x.pdf"
    path.write_bytes(SQLITE_MAGIC + b"\0" * 200)
    assert safe_write.looks_like_inspection_file(path)
    path.write_bytes(b"%PDF-1.7" + b"\0" * 200)
    assert not safe_write.looks_like_inspection_file(path)
