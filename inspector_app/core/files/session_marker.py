"""The session marker: where and on which computer a file was last opened, and whether it
was closed. It tells a crash (same place, not closed) from a copy taken while the file was
open (elsewhere, not closed) and from a copy or move of a closed file (elsewhere, closed).
A file found somewhere new gets a new replica id, so edits made in a copy can never pass
for the original's.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from inspector_app.core.errors import FileRefused
from inspector_app.core.files import inspection_queries
from inspector_app.core.revisions import ids
from inspector_app.core.storage.database import Database


class OpenSituation(StrEnum):
    NORMAL = "normal"  # same place, closed properly last time
    RECOVERED = "recovered"  # same place, not closed: the app or computer stopped
    COPIED_WHILE_OPEN = "copied while open"  # elsewhere and not closed: a risky copy
    COPIED_OR_MOVED = "copied or moved"  # elsewhere, closed properly


@dataclass(frozen=True)
class SessionMarker:
    host: str | None
    path: str | None
    open: bool


def read_marker(db: Database) -> SessionMarker:
    info = inspection_queries.read_file_info(db)
    if info is None:
        raise FileRefused(f"{db.path.name}: holds no file description")
    return SessionMarker(info.session_host, info.session_path, bool(info.session_open))


def situation_of(marker: SessionMarker, here_host: str, here_path: str) -> OpenSituation:
    if marker.path is None:  # never opened for editing since it was written
        return OpenSituation.NORMAL
    same_place = marker.host == here_host and marker.path == here_path
    if same_place:
        return OpenSituation.RECOVERED if marker.open else OpenSituation.NORMAL
    return OpenSituation.COPIED_WHILE_OPEN if marker.open else OpenSituation.COPIED_OR_MOVED


def needs_new_replica(situation: OpenSituation) -> bool:
    """A file found somewhere new signs its edits with a replica id of its own."""
    return situation in (OpenSituation.COPIED_WHILE_OPEN, OpenSituation.COPIED_OR_MOVED)


def mark_open(db: Database, path: Path) -> tuple[OpenSituation, str | None]:
    """Record that the file is open here; returns the situation found and, for a file found
    somewhere new, its new replica id. Written in one transaction (joining an open one), and
    at once, even in a big file whose damage check is still running (the one write that does
    not wait for it): a crash is told by this marker, and another program tells a file open
    here by the log this write starts beside it."""
    here_host, here_path = socket.gethostname(), str(path.resolve())
    with db.write(before_check=True):
        situation = situation_of(read_marker(db), here_host, here_path)
        new_replica = None
        if needs_new_replica(situation):
            new_replica = ids.new_id()
            inspection_queries.set_replica_id(db, new_replica)
        inspection_queries.mark_open(db, here_host, here_path)
    return situation, new_replica


def mark_closed(db: Database) -> None:
    with db.write(before_check=True):  # as it was marked open (a damaged file included)
        inspection_queries.mark_closed(db)
