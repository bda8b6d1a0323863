"""The `inspection` and `file_info` tables: what a file is about, and what the file is (its
role, owner, replica id and session marker); each file holds one row of each. The one module
that reads and writes them (tests/project/test_table_owners.py).

Every statement is declared here in SQLAlchemy Core over the models. Those a file's opening
and closing run are compiled ahead (`fixed_statements`, into compiled_queries.py): importing
the models (SQLModel, pydantic) costs a quarter of a second that opening must not pay. The
others run through the file's SQLAlchemy connection and import the models when first called.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from inspector_app.core.files import compiled_queries
from inspector_app.core.storage.database import Database

if TYPE_CHECKING:
    from inspector_app.core.storage.statements import Fixed


class InspectionRow(NamedTuple):
    id: str
    title: str
    organisation: str
    programme: str
    fieldwork_start: str | None
    fieldwork_end: str | None
    framework_id: str
    framework_version: str
    framework_source: str


class FileInfoRow(NamedTuple):
    role: str
    owner_id: str | None
    replica_id: str
    session_host: str | None
    session_path: str | None
    session_open: bool


def read_inspection(db: Database) -> InspectionRow | None:
    """The inspection with its framework's text, or None in a file that holds none."""
    row = db.raw.execute(compiled_queries.INSPECTION).fetchone()
    return None if row is None else InspectionRow(*row)


def read_file_info(db: Database) -> FileInfoRow | None:
    """The file's description, or None in a file that holds none."""
    row = db.raw.execute(compiled_queries.FILE_INFO).fetchone()
    if row is None:
        return None
    role, owner_id, replica_id, host, path, is_open = row
    return FileInfoRow(role, owner_id, replica_id, host, path, bool(is_open))


def set_replica_id(db: Database, replica_id: str) -> None:
    """A copy found somewhere new signs its edits with a replica id of its own."""
    with db.write() as raw:
        raw.execute(compiled_queries.SET_REPLICA_ID, (replica_id,))


def mark_open(db: Database, host: str, path: str) -> None:
    """The file is open on `host` at `path` (see session_marker)."""
    with db.write() as raw:
        raw.execute(compiled_queries.MARK_OPEN, (host, path))


def mark_closed(db: Database) -> None:
    with db.write() as raw:
        raw.execute(compiled_queries.MARK_CLOSED)


def add_inspection(
    db: Database,
    *,
    inspection_id: str,
    title: str,
    organisation: str,
    programme: str,
    fieldwork_start: str | None,
    fieldwork_end: str | None,
    framework_id: str,
    framework_version: str,
    framework_source: str,
    created_at: str,
) -> None:
    from inspector_app.core.storage.models import Inspection

    inspection = Inspection(
        id=inspection_id,
        title=title,
        organisation=organisation,
        programme=programme,
        fieldwork_start=fieldwork_start,
        fieldwork_end=fieldwork_end,
        framework_id=framework_id,
        framework_version=framework_version,
        framework_source=framework_source,
        created_at=created_at,
    )
    with db.session() as session:
        session.add(inspection)


def add_file_info(
    db: Database,
    *,
    inspection_id: str,
    role: str,
    owner_id: str | None,
    replica_id: str,
    created_at: str,
    host: str,
) -> None:
    """Describe a new file, written on `host` and never opened yet."""
    from inspector_app.core.storage.models import FileInfo

    info = FileInfo(
        id=1,
        inspection_id=inspection_id,
        role=role,
        owner_id=owner_id,
        replica_id=replica_id,
        created_at=created_at,
        session_host=host,
        session_path=None,
        session_open=False,
    )
    with db.session() as session:
        session.add(info)


def fixed_statements() -> dict[str, Fixed]:
    """The statements compiled ahead, with the names of their ?s in order."""
    from sqlalchemy import false, true, update
    from sqlmodel import select

    from inspector_app.core.storage.models import FileInfo, Inspection
    from inspector_app.core.storage.statements import param

    return {
        "INSPECTION": (select(*(getattr(Inspection, name) for name in InspectionRow._fields)), ()),
        "FILE_INFO": (select(*(getattr(FileInfo, name) for name in FileInfoRow._fields)), ()),
        "SET_REPLICA_ID": (
            update(FileInfo).values(replica_id=param("replica_id")),
            ("replica_id",),
        ),
        "MARK_OPEN": (
            update(FileInfo).values(
                session_host=param("host"), session_path=param("path"), session_open=true()
            ),
            ("host", "path"),
        ),
        "MARK_CLOSED": (update(FileInfo).values(session_open=false()), ()),
    }
