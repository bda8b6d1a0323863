"""The file format: creation, pragmas, schema, refusal of foreign or newer files, upgrades."""

from __future__ import annotations

import sqlite3
import struct
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel

import inspector_app.core.storage.models  # noqa: F401  (registers the tables)
from inspector_app.core.cases.answers import set_answer
from inspector_app.core.errors import FileRefused
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.storage.connection import APPLICATION_ID, connect, read_header
from inspector_app.core.storage.database import (
    CURRENT_GENERATION,
    backup_before_upgrade,
    create_database,
    open_database,
)
from tests.conftest import file_hash
from tests.generation_one import downgrade_to_generation_one


def test_new_file_is_marked_as_ours_with_current_schema(tmp_path: Path) -> None:
    db = create_database(tmp_path / "a.inspection")
    db.close()
    header = read_header(tmp_path / "a.inspection")
    assert header.is_sqlite
    assert header.application_id == APPLICATION_ID
    assert header.user_version == CURRENT_GENERATION


def test_migrations_create_exactly_the_models(tmp_path: Path) -> None:
    db = create_database(tmp_path / "a.inspection")
    try:
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(context, SQLModel.metadata)
    finally:
        db.close()
    assert [d for d in diff if d[0] != "remove_table" or d[1].name != "alembic_version"] == []


def test_every_connection_gets_the_pragmas(tmp_path: Path) -> None:
    db = create_database(tmp_path / "a.inspection")
    db.close()
    conn = connect(tmp_path / "a.inspection")
    try:
        assert conn.execute("PRAGMA foreign_keys").fetchone() == (1,)
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert conn.execute("PRAGMA synchronous").fetchone() == (2,)  # FULL
        assert conn.execute("PRAGMA secure_delete").fetchone() == (1,)
        assert conn.execute("PRAGMA trusted_schema").fetchone() == (0,)
    finally:
        conn.close()


def _sqlite_file(path: Path, application_id: int = 0, user_version: int = 0) -> Path:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.execute(f"PRAGMA application_id = {application_id}")
    conn.execute(f"PRAGMA user_version = {user_version}")
    conn.commit()
    conn.close()
    return path


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda p: p.write_bytes(b""), "empty"),
        (
            lambda p: p.write_bytes(b"\x00\x01garbage" * 200),
            "not an inspection file, or an encrypted one",
        ),
        (
            lambda p: p.write_text("sample_no,crn\n1,A1\n"),
            "not an inspection file, or an encrypted one",
        ),
        (lambda p: _sqlite_file(p), "another application"),
        (lambda p: p.mkdir(), "is a folder"),
    ],
    ids=["empty", "random-bytes", "csv", "other-app", "directory"],
)
def test_foreign_files_are_refused_by_name(tmp_path: Path, make, expected: str) -> None:
    path = tmp_path / "suspect.inspection"
    make(path)
    before = file_hash(path) if path.is_file() else None
    with pytest.raises(FileRefused, match=expected) as info:
        InspectionFile.open(path)
    assert "suspect.inspection" in str(info.value)
    if before is not None:
        assert file_hash(path) == before


def test_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FileRefused, match="no such file"):
        InspectionFile.open(tmp_path / "nowhere.inspection")


def test_newer_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = _sqlite_file(tmp_path / "future.inspection", APPLICATION_ID, CURRENT_GENERATION + 1)
    before = file_hash(path)
    with pytest.raises(FileRefused, match="newer version") as info:
        InspectionFile.open(path)
    assert f"file format {CURRENT_GENERATION + 1}" in str(info.value)
    assert file_hash(path) == before


def test_truncated_file_is_refused_as_damaged(new_master: InspectionFile, tmp_path: Path) -> None:
    new_master.close()
    data = new_master.path.read_bytes()
    truncated = tmp_path / "truncated.inspection"
    truncated.write_bytes(data[: len(data) // 2])
    with pytest.raises(FileRefused, match=r"damaged|no inspection|not a readable"):
        InspectionFile.open(truncated)


def test_failed_migration_leaves_the_file_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A migration that fails half-way rolls back: no table of it remains, no version stamp."""
    path = tmp_path / "half.inspection"

    def failing_upgrade(config, revision):
        conn = config.attributes["connection"]
        conn.exec_driver_sql("CREATE TABLE half_done (x)")
        raise RuntimeError("migration failed")

    import alembic.command

    monkeypatch.setattr(alembic.command, "upgrade", failing_upgrade)
    with pytest.raises(RuntimeError):
        create_database(path)
    conn = sqlite3.connect(path)
    try:
        tables = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
        assert tables == []
        assert conn.execute("PRAGMA user_version").fetchone() == (0,)
    finally:
        conn.close()


def test_older_file_is_backed_up_then_upgraded(master: InspectionFile, tmp_path: Path) -> None:
    """A generation-1 file (revisions keyed by id, with a separate record_key index) opens
    upgraded: backed up beside itself first, every revision and current value kept as they
    were, and the schema exactly that of a new file."""
    first, second = master.case_key_for(1), master.case_key_for(2)
    set_answer(master, first, "A1", "yes", "Seen on the case record")
    set_answer(master, first, "A1", "no", "Looked again")
    set_answer(master, second, "A1", "no")
    current = master.path
    master.close()
    path = downgrade_to_generation_one(current, tmp_path / "old" / "master.inspection")
    before = _revision_content(path)
    assert before[0], "the old file holds revisions"
    db = open_database(path)
    db.close()
    backups = list(path.parent.glob("master.format1-backup*.inspection"))
    assert len(backups) == 1
    assert read_header(backups[0]).user_version == 1
    assert read_header(path).user_version == CURRENT_GENERATION == 5
    assert _revision_content(path) == before
    assert _schema(path) == _schema(create_database(tmp_path / "fresh.inspection").path)


def test_an_upgraded_file_still_open_elsewhere_reads_as_upgraded(
    master: InspectionFile, tmp_path: Path
) -> None:
    """Right after an upgrade the new format is in the WAL, not yet in the header on disk:
    a second, read-only opening (the GUI's background readers) must see the new format."""
    current = master.path
    master.close()
    path = downgrade_to_generation_one(current, tmp_path / "old" / "master.inspection")
    writer = open_database(path)  # upgrades, and stays open
    try:
        assert read_header(path).user_version == 1  # the disk lags behind the WAL
        reader = open_database(path, readonly=True)
        assert reader.raw.execute("PRAGMA user_version").fetchone()[0] == CURRENT_GENERATION
        reader.close()
    finally:
        writer.close()
    assert read_header(path).user_version == CURRENT_GENERATION


def _revision_content(path: Path) -> tuple:
    conn = sqlite3.connect(path)
    try:
        return (
            conn.execute("SELECT * FROM revision ORDER BY id").fetchall(),
            conn.execute(
                "SELECT p.parent_id, p.revision_id, r.record_key FROM revision_parent p"
                " JOIN revision r ON r.id = p.revision_id ORDER BY 1, 2"
            ).fetchall(),
            conn.execute("SELECT * FROM current_value ORDER BY record_key").fetchall(),
        )
    finally:
        conn.close()


def _schema(path: Path) -> set[tuple]:
    conn = sqlite3.connect(path)
    try:
        return set(
            conn.execute(
                "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
            )
        )
    finally:
        conn.close()


def test_backup_names_never_overwrite(new_master: InspectionFile) -> None:
    first = backup_before_upgrade(new_master.db, 1)
    second = backup_before_upgrade(new_master.db, 1)
    assert first != second and first.exists() and second.exists()


def test_header_parsing_reads_big_endian_fields(tmp_path: Path) -> None:
    path = _sqlite_file(tmp_path / "x.db", application_id=0x01020304, user_version=7)
    header = read_header(path)
    assert header.application_id == 0x01020304
    assert header.user_version == 7
    raw = path.read_bytes()
    assert struct.unpack(">I", raw[68:72])[0] == 0x01020304


def test_an_upgrade_keeps_every_case_profile(master: InspectionFile, tmp_path: Path) -> None:
    """Format 3 holds the profile as JSON: a generation-1 file (a column per field) opens with
    every case's profile as it was, flags as flags and numbers as numbers."""
    from inspector_app.core.cases.case_data import load_cases

    before = {c.sample_no: c.profile for c in load_cases(master)}
    current = master.path
    master.close()
    path = downgrade_to_generation_one(current, tmp_path / "old" / "master.inspection")
    conn = sqlite3.connect(path)
    try:
        columns = {row[1] for row in conn.execute("PRAGMA table_info(case_record)")}
    finally:
        conn.close()
    assert {"rosh", "child_protection", "tier"} <= columns and "profile" not in columns
    with InspectionFile.open(path) as upgraded:
        after = {c.sample_no: c.profile for c in load_cases(upgraded)}
    assert after == before
    assert any(p["child_protection"] is True for p in after.values())
    assert all(isinstance(p["tier"], int) for p in after.values() if p["tier"] is not None)


def test_a_busy_file_is_told_by_sqlites_result_code_not_its_wording(tmp_path: Path) -> None:
    from inspector_app.core.storage.database import storage_error
    from inspector_app.core.storage.dbapi import SQLITE_BUSY, OperationalError, error_code

    path = tmp_path / "a.inspection"
    holder = create_database(path)
    other = connect(path)
    try:
        holder.raw.execute("BEGIN IMMEDIATE")
        other.execute("PRAGMA busy_timeout = 0")
        with pytest.raises(OperationalError) as caught:
            other.execute("BEGIN IMMEDIATE")
        assert error_code(caught.value) == SQLITE_BUSY
        refused = storage_error(path, caught.value)
        assert isinstance(refused, FileRefused) and "is busy in another program" in str(refused)
        # The same words without the code are not taken for it.
        assert not isinstance(
            storage_error(path, OperationalError("database is locked")), FileRefused
        )
    finally:
        holder.raw.execute("ROLLBACK")
        other.close()
        holder.close()


def test_a_second_reader_of_a_checked_file_skips_the_damage_check(
    new_master: InspectionFile, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The damage check reads the whole file (seconds for a large master); the window's
    background readers of the file it has just opened and checked pass checked=True."""
    from inspector_app.core.storage import database

    path = new_master.path
    checks: list[Path] = []
    monkeypatch.setattr(database, "quick_check", lambda raw, where: checks.append(where))
    with InspectionFile.open(path, readonly=True, track_session=False):
        pass
    assert checks == [path]
    with InspectionFile.open(path, readonly=True, track_session=False, checked=True):
        pass
    assert checks == [path]
