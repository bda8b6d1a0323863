"""Hand-over and session markers: snapshots, working copies, copies taken while open,
and purging identifiers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from inspector_app.core.errors import FileRefused
from inspector_app.core.files.handover import make_working_copy, write_snapshot
from inspector_app.core.files.identity import purge_identifiers
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.files.removable import is_removable
from inspector_app.core.files.session_marker import OpenSituation
from inspector_app.core.storage.connection import SQLITE_MAGIC


def test_snapshot_is_a_complete_single_file(master: InspectionFile, tmp_path: Path) -> None:
    stick = tmp_path / "stick"
    stick.mkdir()
    target = write_snapshot(master.path, stick / "handover.inspection")
    assert sorted(p.name for p in stick.iterdir()) == ["handover.inspection"]
    with InspectionFile.open(target, readonly=True) as copy:
        assert copy.inspection == master.inspection
    with pytest.raises(FileRefused, match="already exists"):
        write_snapshot(master.path, target)


def test_reopening_in_the_same_place_is_normal_and_a_crash_is_recognised(
    master: InspectionFile,
) -> None:
    path = master.path
    replica = master.role.replica_id
    master.close()
    with InspectionFile.open(path) as again:
        assert again.situation is OpenSituation.NORMAL
        assert again.role.replica_id == replica
        crashed = InspectionFile.open(path)  # second open while the first is still open
        assert crashed.situation is OpenSituation.RECOVERED
        crashed.db.close()  # no proper close


def test_a_copy_taken_while_open_is_recognised_and_gets_a_new_replica(
    master: InspectionFile, tmp_path: Path
) -> None:
    master.db.raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copy(master.path, elsewhere / "copy.inspection")  # only the .inspection file
    with InspectionFile.open(elsewhere / "copy.inspection") as copy:
        assert copy.situation is OpenSituation.COPIED_WHILE_OPEN
        assert copy.role.replica_id != master.role.replica_id


def test_a_closed_file_moved_elsewhere_gets_a_new_replica(
    master: InspectionFile, tmp_path: Path
) -> None:
    path, replica = master.path, master.role.replica_id
    master.close()
    moved = tmp_path / "moved.inspection"
    shutil.move(path, moved)
    with InspectionFile.open(moved) as file:
        assert file.situation is OpenSituation.COPIED_OR_MOVED
        assert file.role.replica_id != replica
    with InspectionFile.open(moved) as file:
        assert file.situation is OpenSituation.NORMAL


def test_working_copy_of_an_encrypted_file_stays_encrypted(tmp_path: Path) -> None:
    with InspectionFile.create(
        tmp_path / "m.inspection", title="T", organisation="O", passphrase="a long passphrase"
    ):
        pass
    copy = make_working_copy(tmp_path / "m.inspection", passphrase="a long passphrase")
    assert copy.read_bytes()[:16] != SQLITE_MAGIC
    with InspectionFile.open(copy, passphrase="a long passphrase") as file:
        assert file.situation is OpenSituation.COPIED_OR_MOVED


def test_local_temp_folder_is_not_removable(tmp_path: Path) -> None:
    assert is_removable(tmp_path) is False


def test_purge_identifiers_removes_every_crn_and_name(
    master: InspectionFile, sample_csv: Path
) -> None:
    import csv

    with open(sample_csv, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert purge_identifiers(master) == len(rows)
    path = master.path
    master.close()
    data = path.read_bytes()
    for row in rows:
        assert row["crn"].encode() not in data
        assert row["name"].encode() not in data


def test_a_second_connection_does_not_mark_the_file_closed(master: InspectionFile) -> None:
    """The merge window's own connection closing must not hide a later crash of the main one."""
    with InspectionFile.open(master.path, track_session=False):
        pass
    crashed = InspectionFile.open(master.path)  # the main window's connection is still open
    assert crashed.situation is OpenSituation.RECOVERED
    crashed.db.close()


def test_purge_removes_the_backups_written_before_a_format_upgrade(
    master: InspectionFile, sample_csv: Path
) -> None:
    import csv
    import shutil

    from inspector_app.core.files.identity import purge_identifiers_verified

    backup = master.path.with_name(f"{master.path.stem}.format2-backup{master.path.suffix}")
    master.db.raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copyfile(master.path, backup)
    outcome = purge_identifiers_verified(master)
    assert backup in outcome.removed_files and not backup.exists()
    master.close()
    data = master.path.read_bytes()
    with open(sample_csv, encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            assert row["crn"].encode() not in data


def test_purge_refuses_to_say_done_while_an_identifier_remains_in_the_bytes(
    master: InspectionFile, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The purge's last step reads the file's bytes; if an identifier survived anywhere (a
    page another connection kept in the WAL, say), the purge is not reported done."""
    from inspector_app.core.errors import FileRefused
    from inspector_app.core.files import identity

    crn = master.db.raw.execute("SELECT crn FROM case_identity LIMIT 1").fetchone()[0]
    real_verify = identity._verify_gone

    def leftover(path: Path, identifiers: set[str]) -> None:
        wal = path.with_name(path.name + "-wal")
        wal.write_bytes(wal.read_bytes() + crn.encode() if wal.exists() else crn.encode())
        real_verify(path, identifiers)

    monkeypatch.setattr(identity, "_verify_gone", leftover)
    with pytest.raises(FileRefused, match="an identifier is still in the file's bytes"):
        identity.purge_identifiers(master)
