"""An open inspection file: its database, what the file is, its framework and its clock.

Use cases (team, sample, answers, export) are functions in their own modules that take an
`InspectionFile`; the GUI and the CLI call those, never the database.
"""

from __future__ import annotations

import contextlib
import socket
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from inspector_app.core.errors import FileRefused, NotFound
from inspector_app.core.files import case_queries, inspection_queries, team_queries
from inspector_app.core.files.leftovers import remove_abandoned
from inspector_app.core.files.session_marker import OpenSituation, mark_closed, mark_open
from inspector_app.core.framework import Framework, load_builtin, load_framework_text
from inspector_app.core.framework.profile import sample_label
from inspector_app.core.revisions import ids
from inspector_app.core.revisions.hlc import HybridClock
from inspector_app.core.revisions.log import latest_stamp
from inspector_app.core.storage.database import Database, create_database, open_database
from inspector_app.core.storage.dbapi import DatabaseError
from inspector_app.core.storage.safe_write import publish_file, temp_path_beside

MASTER = "master"
FIELDWORK = "fieldwork"
DEFAULT_FRAMEWORK = "iaow-2013"
DEFAULT_PROGRAMME = "Inspection of Adult Offending Work"


@dataclass(frozen=True)
class InspectionInfo:
    """What the file is about, as every screen and the report header show it."""

    id: str
    title: str
    organisation: str
    programme: str
    fieldwork_start: str | None
    fieldwork_end: str | None
    framework_id: str
    framework_version: str


@dataclass(frozen=True)
class FileRole:
    role: str  # MASTER or FIELDWORK
    owner_id: str | None
    owner_name: str | None
    replica_id: str


def _stamp(value: object) -> str | None:
    return value if isinstance(value, str) else None


def utc_now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


class InspectionFile:
    """One open inspection file (master or fieldwork)."""

    def __init__(self, db: Database, *, track_session: bool = True) -> None:
        self.db = db
        self._tracks_session = track_session and not db.readonly
        self.path = db.path
        inspection = inspection_queries.read_inspection(db)
        if inspection is None:
            raise FileRefused(f"{self.path.name}: holds no inspection")
        self.inspection = InspectionInfo(
            inspection.id,
            inspection.title,
            inspection.organisation,
            inspection.programme,
            inspection.fieldwork_start,
            inspection.fieldwork_end,
            inspection.framework_id,
            inspection.framework_version,
        )
        self.framework: Framework = load_framework_text(
            inspection.framework_source, f"{self.path.name} (framework)"
        )
        self.situation = OpenSituation.NORMAL
        if self._tracks_session:
            self.situation, _ = mark_open(db, self.path)
        self.role = _file_role(db)
        self.clock = HybridClock(self.role.replica_id)
        check = db.damage_check
        if check is None:
            self.clock.observe(latest_stamp(db.raw))
        else:  # read by the check, which scans the file anyway; the clock waits for writes
            db.when_checked(lambda: self.clock.observe(_stamp(check.result)))

    # -- opening and creating ---------------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: Path | str,
        *,
        readonly: bool = False,
        passphrase: str | None = None,
        track_session: bool = True,
        checked: bool = False,
        check_beside: bool = False,
    ) -> InspectionFile:
        """Open a file; an encrypted one needs its passphrase (PassphraseNeeded without it,
        WrongPassphrase with the wrong one). A second connection of the same app to a file the
        user already has open (a merge worker, the conflicts window) passes
        track_session=False, so closing it does not mark the file closed; a reader of a file
        the app has just opened may pass checked=True (see `open_database`), and a window
        check_beside=True: a big file then opens at once, checked beside its first screen,
        and nothing is written to it before it is found sound."""
        db = open_database(
            Path(path),
            readonly=readonly,
            passphrase=passphrase,
            checked=checked,
            check_beside=check_beside,
            read_when_sound=latest_stamp,
        )
        if not readonly:
            # Copies a killed merge or copy left beside the file hold its data: they go (a
            # big file's once it is found sound: they may be all that is left of a damaged one).
            db.when_checked(lambda: remove_abandoned(db.path))
        try:
            return cls(db, track_session=track_session)
        except BaseException:
            db.close()
            raise

    @classmethod
    def create(
        cls,
        path: Path | str,
        *,
        title: str,
        organisation: str,
        programme: str | None = None,
        framework_id: str = DEFAULT_FRAMEWORK,
        lead: str | None = None,
        fieldwork_start: str | None = None,
        fieldwork_end: str | None = None,
        passphrase: str | None = None,
        framework: Framework | None = None,
    ) -> InspectionFile:
        """Create a master file (encrypted with `passphrase` if given); it appears at `path`
        only once complete. `framework` is one already loaded (an installed one), else the
        shipped `framework_id`; the programme defaults to the framework's."""
        path = Path(path)
        if path.exists():
            raise FileRefused(f"{path.name}: already exists; choose another name")
        if not title.strip() or not organisation.strip():
            raise FileRefused("an inspection needs a title and the organisation inspected")
        if framework is None:
            framework = load_builtin(framework_id)
        if programme is None:
            programme = framework.programme or DEFAULT_PROGRAMME
        inspection_id = ids.new_id()
        tmp = temp_path_beside(path)
        db = create_database(tmp, passphrase=passphrase)
        try:
            with db.transaction():
                inspection_queries.add_inspection(
                    db,
                    inspection_id=inspection_id,
                    title=title.strip(),
                    organisation=organisation.strip(),
                    programme=programme.strip(),
                    fieldwork_start=fieldwork_start,
                    fieldwork_end=fieldwork_end,
                    framework_id=framework.id,
                    framework_version=framework.version,
                    framework_source=framework.source,
                    created_at=utc_now_iso(),
                )
                owner = None
                if lead:
                    owner = ids.member_id(inspection_id, lead)
                    team_queries.add(db, owner, " ".join(lead.split()), "lead")
                write_file_info(db, inspection_id, MASTER, owner)
            db.close()
            publish_file(tmp, path)
        except BaseException:
            db.close()
            tmp.unlink(missing_ok=True)
            raise
        return cls.open(path, passphrase=passphrase)

    # -- lifetime ---------------------------------------------------------------------------

    def close(self) -> None:
        """Close the file, marking it closed properly (see session_marker); a file found
        damaged is left as it is, and the file closes whatever the marker's write says."""
        check = self.db.damage_check
        damaged = check is not None and check.finding is not None
        try:
            if self._tracks_session and not damaged:
                with contextlib.suppress(DatabaseError, FileRefused):
                    mark_closed(self.db)
        finally:
            self.db.close()

    def __enter__(self) -> InspectionFile:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- small shared look-ups --------------------------------------------------------------

    @property
    def encrypted(self) -> bool:
        return self.db.encrypted

    @property
    def is_master(self) -> bool:
        return self.role.role == MASTER

    def catch_up(self) -> None:
        """Another connection wrote to this file (a merge): move this connection's clock past
        every stamp it wrote, so an edit made here next is ordered after what came in."""
        self.clock.observe(latest_stamp(self.db.raw))

    def member_by_name(self, name: str) -> tuple[str, str, str]:
        """(id, name, role) of a team member, matched ignoring case and extra spaces."""
        wanted = " ".join(name.split()).casefold()
        for member in team_queries.members(self.db):
            if member.name.casefold() == wanted:
                return member.id, member.name, member.role
        raise NotFound(f"{self.path.name}: no team member called '{name}'")

    def author_id(self, as_name: str | None = None) -> str:
        """Who edits: the named member, or the file's owner (a fieldwork file's assessor or
        the master's lead)."""
        if as_name:
            return self.member_by_name(as_name)[0]
        if self.role.owner_id:
            return self.role.owner_id
        lead = team_queries.first_lead(self.db)
        if lead is None:
            raise NotFound(
                f"{self.path.name}: the file has no owner and no lead; add a lead with "
                "'team add FILE NAME --role lead' or name the author with --as"
            )
        return lead

    def case_label(self, case_key: str) -> str:
        """'Case 017' for a case key; NotFound if the file has no such case."""
        sample_no = case_queries.sample_no_of(self.db, case_key)
        if sample_no is None:
            raise NotFound(f"{self.path.name}: no such case")
        return sample_label(sample_no)

    def case_key_for(self, sample_no: int) -> str:
        key = case_queries.key_of(self.db, int(sample_no))
        if key is None:
            raise NotFound(f"{self.path.name}: no case with sample number {sample_no}")
        return key


def _file_role(db: Database) -> FileRole:
    """What the file is, with its owner's name (None when the owner is not in the team)."""
    info = inspection_queries.read_file_info(db)
    if info is None:
        raise FileRefused(f"{db.path.name}: holds no file description")
    owner_name = None if info.owner_id is None else team_queries.name_of(db, info.owner_id)
    return FileRole(info.role, info.owner_id, owner_name, info.replica_id)


def write_file_info(db: Database, inspection_id: str, role: str, owner_id: str | None) -> None:
    """Describe a new file; each file gets its own replica id for its clock stamps."""
    inspection_queries.add_file_info(
        db,
        inspection_id=inspection_id,
        role=role,
        owner_id=owner_id,
        replica_id=ids.new_id(),
        created_at=utc_now_iso(),
        host=socket.gethostname(),
    )
