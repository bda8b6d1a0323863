"""A big file opens at once and is checked for damage beside its first screen: nothing but
the session marker is written to it before the check passes, the app's other readers wait
for it, and a damaged one refuses every write and copy with the damage named, its work
left as it was."""

from __future__ import annotations

import shutil
import sqlite3
import threading
from pathlib import Path

import pytest

from inspector_app.core.cases.answers import set_answer
from inspector_app.core.cases.status import case_summaries
from inspector_app.core.errors import FileRefused
from inspector_app.core.files.fieldwork_export import export_fieldwork
from inspector_app.core.files.identity import purge_identifiers_verified
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.files.merge_copy import snapshot_path
from inspector_app.core.files.passphrase import change_passphrase
from inspector_app.core.files.session_marker import OpenSituation, read_marker
from inspector_app.core.revisions.log import latest_stamp
from inspector_app.core.storage import damage_check, database
from tests.conftest import damage_index, hold_damage_check


@pytest.fixture(autouse=True)
def _every_file_is_big(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(database, "CHECK_BESIDE_BYTES", 0)


@pytest.fixture
def answered(master: InspectionFile) -> tuple[Path, str, str]:
    """A closed master with one answer written: its path, a case key and a question code."""
    case_key = case_summaries(master)[0].key
    code = next(q.code for q in master.framework.questions() if q.scored and not q.applies_if)
    set_answer(master, case_key, code, "yes")
    master.close()
    return master.path, case_key, code


def _work_in(path: Path) -> list[tuple[object, ...]]:
    """Every revision and current value of a file, read by table scan (a damaged index does
    not stand in the way)."""
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT * FROM revision NOT INDEXED ORDER BY rowid").fetchall()
        rows += conn.execute("SELECT * FROM current_value ORDER BY 1").fetchall()
    conn.close()
    return rows


def test_a_big_file_opens_before_its_check_and_writes_wait_for_it(
    answered: tuple[Path, str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path, case_key, code = answered
    release = hold_damage_check(monkeypatch)
    file = InspectionFile.open(path, check_beside=True)
    try:
        check = file.db.damage_check
        assert check is not None and not check.done  # open, the check still running
        assert read_marker(file.db).open  # the marker alone is written at once
        releaser = threading.Timer(0.3, release.set)
        releaser.start()
        set_answer(file, case_key, code, "no")  # waits for the check
        assert release.is_set()
        assert file.db.damage_check is None
        newest = latest_stamp(file.db.raw)
        assert newest is not None
        rows = file.db.raw.execute(
            "SELECT hlc FROM revision WHERE field = ? ORDER BY hlc", (code,)
        ).fetchall()
        assert [hlc for (hlc,) in rows][-1] == newest  # the clock had seen the older stamps
    finally:
        release.set()
        file.close()
    with InspectionFile.open(path) as again:
        assert again.situation is OpenSituation.NORMAL  # closed properly


def test_a_damaged_big_file_refuses_every_write_and_copy_and_is_left_as_it_was(
    answered: tuple[Path, str, str], tmp_path: Path
) -> None:
    path, case_key, code = answered
    damage_index(path, "sqlite_autoindex_case_record_2")  # sample numbers
    before = _work_in(path)
    findings: list[object] = []
    file = InspectionFile.open(path, check_beside=True)
    try:
        check = file.db.damage_check
        assert check is not None
        check.when_done(findings.append)
        with pytest.raises(FileRefused, match=r"master\.inspection: the file is damaged") as e:
            set_answer(file, case_key, code, "no")
        assert "\n" not in str(e.value) and "***" not in str(e.value)  # one line, the fault
        assert "sqlite_autoindex_case_record_2" in str(e.value)
        assert len(findings) == 1 and isinstance(findings[0], FileRefused)
        with pytest.raises(FileRefused, match="damaged"):
            set_answer(file, case_key, code, "no")
        out = tmp_path / "out"
        out.mkdir()
        with pytest.raises(FileRefused, match="damaged"):
            export_fieldwork(file, "Daniel Okafor", out)
        assert list(out.iterdir()) == []  # no fieldwork file copied out of it
        with pytest.raises(FileRefused, match="damaged"):  # the app's other readers
            InspectionFile.open(path, readonly=True, track_session=False, checked=True)
    finally:
        file.close()
    assert _work_in(path) == before


def test_a_file_closed_before_its_check_ends_is_closed_cleanly(
    answered: tuple[Path, str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path, _case_key, _code = answered
    before = _work_in(path)
    release = hold_damage_check(monkeypatch)
    file = InspectionFile.open(path, check_beside=True)
    threading.Timer(0.2, release.set).start()
    file.close()  # stops the check and waits for its connection to close first
    assert sorted(p.name for p in path.parent.glob(path.name + "*")) == [path.name]
    assert _work_in(path) == before
    with InspectionFile.open(path) as again:
        assert again.situation is OpenSituation.NORMAL


def test_the_apps_other_readers_wait_for_the_check(
    answered: tuple[Path, str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path, _case_key, _code = answered
    release = hold_damage_check(monkeypatch)
    with InspectionFile.open(path, check_beside=True):
        threading.Timer(0.3, release.set).start()
        with InspectionFile.open(path, readonly=True, track_session=False, checked=True):
            assert release.is_set()  # opened only once the check had passed


def test_what_waits_for_the_check_is_tried_again_until_it_runs(
    answered: tuple[Path, str, str],
) -> None:
    path, case_key, code = answered
    file = InspectionFile.open(path, check_beside=True)
    try:
        attempts: list[int] = []

        def fails_once() -> None:
            attempts.append(1)
            if len(attempts) == 1:
                raise FileRefused("master.inspection: is busy in another program")

        file.db.when_checked(fails_once)
        with pytest.raises(FileRefused, match="busy"):
            set_answer(file, case_key, code, "no")
        set_answer(file, case_key, code, "no")
        assert len(attempts) == 2 and file.db.damage_check is None
        newest = latest_stamp(file.db.raw)
        assert newest == max(
            hlc for (hlc,) in file.db.raw.execute("SELECT hlc FROM revision").fetchall()
        )
    finally:
        file.close()


def test_a_copy_found_somewhere_new_takes_its_replica_at_once(
    answered: tuple[Path, str, str], tmp_path: Path
) -> None:
    path, case_key, code = answered
    with InspectionFile.open(path) as original:
        replica = original.role.replica_id
    moved = tmp_path / "moved" / "master.inspection"
    moved.parent.mkdir()
    shutil.copy(path, moved)
    with InspectionFile.open(moved, check_beside=True) as copy:
        assert copy.situation is OpenSituation.COPIED_OR_MOVED
        assert copy.role.replica_id != replica
        set_answer(copy, case_key, code, "no")
        (stamp,) = copy.db.raw.execute(
            "SELECT hlc FROM revision WHERE field = ? ORDER BY hlc DESC LIMIT 1", (code,)
        ).fetchone()
        assert stamp.endswith(copy.role.replica_id)  # signed with the copy's own


def test_small_files_and_readers_are_checked_as_they_open(
    answered: tuple[Path, str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path, _case_key, _code = answered
    monkeypatch.setattr(database, "CHECK_BESIDE_BYTES", path.stat().st_size + 1)
    with InspectionFile.open(path, check_beside=True) as small:
        assert small.db.damage_check is None
    monkeypatch.setattr(database, "CHECK_BESIDE_BYTES", 0)
    with InspectionFile.open(path, readonly=True, check_beside=True) as reader:
        assert reader.db.damage_check is None


def test_a_damaged_big_master_keeps_its_copies_and_is_not_written_after_the_finding(
    answered: tuple[Path, str, str],
) -> None:
    path, _case_key, _code = answered
    damage_index(path, "sqlite_autoindex_case_record_2")
    undo_copy = snapshot_path(path)
    undo_copy.write_bytes(b"the master as it was before the last merge")
    file = InspectionFile.open(path, check_beside=True)
    try:
        with pytest.raises(FileRefused, match="damaged"):
            purge_identifiers_verified(file)
    finally:
        file.close()
    assert undo_copy.exists()  # the copy to go back to is still there
    with sqlite3.connect(path) as conn:
        (still_open,) = conn.execute("SELECT session_open FROM file_info").fetchone()
    conn.close()
    assert still_open  # marked open as it opened; nothing written once found damaged


def test_a_check_is_forgotten_once_the_file_is_sound_or_closed(
    answered: tuple[Path, str, str],
) -> None:
    path, _case_key, _code = answered
    with InspectionFile.open(path, check_beside=True) as file:
        check = file.db.damage_check
        assert check is not None
        check.wait()
        assert damage_check.running_for(path) is None  # sound: no reader need wait
        assert check._passphrase is None
    damage_index(path, "sqlite_autoindex_case_record_2")
    with InspectionFile.open(path, check_beside=True) as file:
        with pytest.raises(FileRefused):
            file.db.wait_for_check()
        assert damage_check.running_for(path) is not None  # damaged: readers are refused
    assert damage_check.running_for(path) is None  # closed: forgotten


def test_another_program_tells_a_big_file_open_before_its_check_ends(
    answered: tuple[Path, str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The session marker is written as the file opens, so a passphrase change run elsewhere
    refuses a file open here, even one not yet checked or written to."""
    path, _case_key, _code = answered
    release = hold_damage_check(monkeypatch)
    file = InspectionFile.open(path, check_beside=True)
    try:
        assert file.db.damage_check is not None and not file.db.damage_check.done
        with pytest.raises(FileRefused, match="open in Inspector"):
            change_passphrase(path, current=None, new="a long enough passphrase")
    finally:
        release.set()
        file.close()
