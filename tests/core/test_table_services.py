"""The entity tables' owner modules over `Database`: writes through an ORM session or Core
are all-or-nothing and fail with the same words as raw SQL did; reads work on read-only and
untrusted opens; and opening a file never pays for importing the models."""

from __future__ import annotations

import subprocess
import sys

import pytest

from inspector_app.core.cases.team import list_members
from inspector_app.core.errors import FileRefused
from inspector_app.core.files import case_queries, team_queries
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.storage.database import open_database
from inspector_app.core.storage.dbapi import IntegrityError, OperationalError


def _names(file: InspectionFile) -> set[str]:
    return {member.name for member in team_queries.members(file.db)}


def test_opening_a_file_listing_its_cases_and_team_and_finding_authors_import_no_model(
    master: InspectionFile,
) -> None:
    """The models (SQLModel, pydantic) cost a quarter of a second to import: the statements
    a file's opening, case list, dashboard and edits run are compiled ahead instead."""
    master.close()
    master_path = master.path
    code = (
        "import sys\n"
        "from inspector_app.app.case_rows import load_case_rows\n"
        "from inspector_app.core.cases.team import list_members\n"
        "from inspector_app.core.files.inspection_file import InspectionFile\n"
        f"with InspectionFile.open({str(master_path)!r}) as file:\n"
        "    assert load_case_rows(file.path, None) and list_members(file)\n"
        "    file.case_label(file.case_key_for(1)); file.author_id()\n"
        "print(sorted(m for m in ('sqlmodel', 'pydantic') if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.strip() == "[]"


def test_a_session_write_is_committed_with_its_transaction(master: InspectionFile) -> None:
    with master.db.transaction():
        team_queries.add(master.db, "m-1", "Ada Lovelace", "inspector")
        assert "Ada Lovelace" in _names(master)  # a read in the transaction sees it
        team_queries.rename(master.db, "m-1", "Ada King")
    with InspectionFile.open(master.path, readonly=True) as other:
        assert "Ada King" in _names(other)


def test_a_failed_transaction_leaves_nothing_of_its_session_or_core_writes(
    master: InspectionFile,
) -> None:
    before = _names(master)
    with pytest.raises(RuntimeError), master.db.transaction():
        team_queries.add(master.db, "m-1", "Ada Lovelace", "inspector")
        case_queries.delete_identities(master.db)
        raise RuntimeError("stopped half way")
    assert _names(master) == before
    assert case_queries.identities(master.db)
    assert not master.db.raw.in_transaction


def test_a_transaction_inside_another_joins_it(master: InspectionFile) -> None:
    before = _names(master)
    with pytest.raises(IntegrityError), master.db.transaction():
        team_queries.add(master.db, "m-1", "Ada Lovelace", "inspector")
        team_queries.add(master.db, "m-2", "Ada Lovelace", "assessor")  # a name taken
    assert _names(master) == before


def test_a_constraint_broken_by_a_session_is_the_drivers_error(master: InspectionFile) -> None:
    """Callers catch the driver's IntegrityError, as they did with raw SQL."""
    name = next(iter(_names(master)))
    with pytest.raises(IntegrityError):
        team_queries.add(master.db, "m-1", name, "inspector")


def test_a_full_disk_during_a_session_write_is_refused_in_the_usual_words(
    master: InspectionFile,
) -> None:
    raw = master.db.raw
    pages = raw.execute("PRAGMA page_count").fetchone()[0]
    raw.execute(f"PRAGMA max_page_count = {pages}")  # nothing more fits
    with pytest.raises(FileRefused, match="the disk is full; nothing of this change was saved"):
        team_queries.add(master.db, "m-1", "x" * 200_000, "inspector")
    assert not raw.in_transaction


def test_a_read_only_file_during_a_core_write_is_refused_in_the_usual_words(
    master: InspectionFile,
) -> None:
    key = master.case_key_for(1)
    refused = pytest.raises(FileRefused, match="read-only; nothing was saved")
    with refused, master.db.transaction():
        master.db.raw.execute("PRAGMA query_only = ON")
        case_queries.delete_case(master.db, key)
    master.db.raw.execute("PRAGMA query_only = OFF")
    assert master.case_label(key) == "Case 001"


@pytest.mark.parametrize("untrusted", [False, True])
def test_reads_through_core_work_on_a_read_only_open(
    master: InspectionFile, untrusted: bool
) -> None:
    master.close()
    db = open_database(master.path, readonly=True, untrusted=untrusted)
    try:
        assert case_queries.count_cases(db) == 12
        assert len(case_queries.keys_in_sample_order(db)) == 12
        assert team_queries.members_listed(db)[0].role == "lead"
    finally:
        db.close()
    with InspectionFile.open(master.path, readonly=True) as file:
        assert list_members(file)


def test_a_read_inside_a_transaction_begun_in_raw_sql_leaves_it_open(
    master: InspectionFile,
) -> None:
    """A merge begins its transaction on the raw connection: a Core read in it sees what it
    wrote, and neither commits nor rolls it back."""
    raw = master.db.raw
    raw.execute("BEGIN IMMEDIATE")
    try:
        raw.execute("UPDATE case_record SET profile = '{}' WHERE sample_no = 1")
        assert case_queries.keys_by_sample_no(master.db)[1] == master.case_key_for(1)
        assert raw.in_transaction
    finally:
        raw.execute("ROLLBACK")


def test_closing_a_file_twice_raises_nothing(master: InspectionFile) -> None:
    master.close()
    master.close()


def test_a_busy_begin_is_still_the_drivers_error(master: InspectionFile) -> None:
    """As with raw SQL, a write lock held elsewhere at BEGIN is the driver's error."""
    other = open_database(master.path)
    try:
        other.raw.execute("BEGIN IMMEDIATE")
        master.db.raw.execute("PRAGMA busy_timeout = 0")
        with pytest.raises(OperationalError):
            team_queries.rename(master.db, "nobody", "Nobody")
    finally:
        other.raw.execute("ROLLBACK")
        other.close()
