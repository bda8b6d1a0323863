"""Producing an assessor's fieldwork file from the master.

The file holds the inspection, its framework, the team and only the assessor's allocated
cases (withdrawn ones left out) with their current revisions (identifying fields only when
asked). The master records each file written, for the lead's list of files. For a case the
assessor double-reads as second reader, the first reader's answers are left out so the second
reading is independent; both readings meet again at merge as agreements or conflicts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from inspector_app.core.errors import FileRefused, ValidationError
from inspector_app.core.files import allocation_queries, case_queries, fieldwork_records
from inspector_app.core.files.inspection_file import FIELDWORK, InspectionFile, write_file_info
from inspector_app.core.revisions.export import copy_revisions_of_cases
from inspector_app.core.storage import sql_text
from inspector_app.core.storage.database import Database, create_database, open_database
from inspector_app.core.storage.dbapi import DatabaseError
from inspector_app.core.storage.safe_write import journal_fits, publish_file, temp_path_beside

FILE_SUFFIX = ".inspection"


@dataclass(frozen=True)
class ExportOutcome:
    path: Path
    inspector: str
    cases: int
    revisions: int
    with_identifiers: bool


def default_file_name(file: InspectionFile, inspector: str) -> str:
    stem = re.sub(r"[^\w\- ]+", "", f"{file.inspection.organisation} fieldwork {inspector}")
    return "-".join(stem.split()) + FILE_SUFFIX


def export_fieldwork(
    file: InspectionFile,
    inspector: str,
    out: Path,
    *,
    with_identifiers: bool = False,
    passphrase: str | None = None,
) -> ExportOutcome:
    """Write `inspector`'s fieldwork file to `out` (a file path, or a folder to put it in),
    encrypted with its own `passphrase` when given. From an encrypted master, identifiers
    travel only in an encrypted file (the file is created owner-only either way)."""
    if not file.is_master:
        raise ValidationError(f"{file.path.name}: fieldwork files are exported from the master")
    file.db.wait_for_check()  # nothing is copied out of a master not yet found sound
    member_id, member_name, _ = file.member_by_name(inspector)
    out = Path(out)
    target = out / default_file_name(file, member_name) if out.is_dir() else out
    if target.exists():
        raise FileRefused(
            f"{target.name}: already exists; merge it into the master first, then remove it or "
            "choose another name"
        )
    if not target.parent.is_dir():
        raise FileRefused(f"{target.parent}: no such folder")
    if file.encrypted and passphrase is None and with_identifiers:
        raise FileRefused(
            f"{target.name}: not written: the master is encrypted, so a fieldwork file with "
            "identifiers must be encrypted too; give it its own passphrase"
        )
    case_count = allocation_queries.count_of(file.db, member_id)
    if case_count == 0:
        raise ValidationError(f"{member_name} has no cases allocated; allocate cases first")

    tmp = temp_path_beside(target)
    try:
        db = create_database(tmp, passphrase=passphrase)
    except OSError as exc:
        raise FileRefused(f"{target.parent}: cannot write here ({exc.strerror or exc})") from exc
    try:
        db.raw.execute(sql_text.attach("master", file.db.passphrase or ""), (str(file.path),))
        with db.transaction():
            revisions = _copy_from_master(db, member_id, with_identifiers)
            write_file_info(db, file.inspection.id, FIELDWORK, member_id)
        db.raw.execute("DETACH DATABASE master")
        if journal_fits(target):
            db.raw.execute("PRAGMA journal_mode = DELETE")
        # else the file stays in WAL mode: switching to it when opened would need a journal
        # whose name (NAME-journal) is too long for the filesystem.
        db.close()
        _check_export(tmp, case_count, passphrase)
        publish_file(tmp, target)
    except (DatabaseError, OSError) as exc:
        db.close()
        _remove(tmp)
        reason = getattr(exc, "strerror", None) or exc
        raise FileRefused(
            f"{target.name}: could not be written ({reason}); nothing was saved"
        ) from exc
    except BaseException:
        db.close()
        _remove(tmp)
        raise
    if not file.db.readonly:
        fieldwork_records.record_written(file.db, member_id, target.name, file.role.owner_id)
    return ExportOutcome(target, member_name, case_count, revisions, with_identifiers)


def _copy_from_master(db: Database, member_id: str, with_identifiers: bool) -> int:
    """Copy the assessor's share of the attached master, inside the caller's transaction.
    Whole rows go from file to file in SQL on the raw connection (the tables' owners read
    and write one file at a time)."""
    out = db.raw
    out.execute("INSERT INTO inspection SELECT * FROM master.inspection")
    out.execute("INSERT INTO team_member SELECT * FROM master.team_member")
    # A withdrawn case stays out of every file written after it was withdrawn.
    out.execute(
        "INSERT INTO case_record SELECT c.* FROM master.case_record c"
        " WHERE c.key IN (SELECT case_key FROM master.allocation WHERE member_id = ?)"
        " AND c.key NOT IN (SELECT case_key FROM master.case_withdrawal)",
        (member_id,),
    )
    # Every reader of the file's cases, so a second reader sees whose case it is; what the
    # file carries of each case below still follows this reader's own allocation.
    out.execute(
        "INSERT INTO allocation SELECT * FROM master.allocation"
        " WHERE case_key IN (SELECT key FROM main.case_record)"
    )
    if with_identifiers:
        out.execute(
            "INSERT INTO case_identity SELECT i.* FROM master.case_identity i"
            " WHERE i.case_key IN (SELECT case_key FROM allocation)"
        )
    # First readers get every revision of their cases; second readers get the profile
    # and their own revisions only, so their reading stays independent.
    readers = allocation_queries.readings_of(db, member_id)
    return copy_revisions_of_cases(
        out,
        "master",
        whole_cases=[case_key for case_key, reader in readers if reader == "first"],
        own_cases=[case_key for case_key, reader in readers if reader != "first"],
        author=member_id,
    )


def _check_export(path: Path, expected_cases: int, passphrase: str | None) -> None:
    """Open the finished file as a stranger would and make sure it holds what it should."""
    db = open_database(path, readonly=True, passphrase=passphrase)
    try:
        cases = case_queries.count_cases(db)
        if cases != expected_cases:
            raise FileRefused(f"{path.name}: check failed ({cases} of {expected_cases} cases)")
    finally:
        db.close()


def _remove(tmp: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        tmp.with_name(tmp.name + suffix).unlink(missing_ok=True)
