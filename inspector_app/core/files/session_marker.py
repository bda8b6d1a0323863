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

from inspector_app.core.revisions import ids
from inspector_app.core.storage.dbapi import Connection


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


def read_marker(conn: Connection) -> SessionMarker:
    host, path, is_open = conn.execute(
        "SELECT session_host, session_path, session_open FROM file_info"
    ).fetchone()
    return SessionMarker(host, path, bool(is_open))


def situation_of(marker: SessionMarker, here_host: str, here_path: str) -> OpenSituation:
    if marker.path is None:  # never opened for editing since it was written
        return OpenSituation.NORMAL
    same_place = marker.host == here_host and marker.path == here_path
    if same_place:
        return OpenSituation.RECOVERED if marker.open else OpenSituation.NORMAL
    return OpenSituation.COPIED_WHILE_OPEN if marker.open else OpenSituation.COPIED_OR_MOVED


def mark_open(conn: Connection, path: Path) -> tuple[OpenSituation, str | None]:
    """Record that the file is open here; returns the situation found and, for a file found
    somewhere new, its new replica id. Call inside a write transaction."""
    here_host, here_path = socket.gethostname(), str(path.resolve())
    marker = read_marker(conn)
    situation = situation_of(marker, here_host, here_path)
    new_replica = None
    if situation in (OpenSituation.COPIED_WHILE_OPEN, OpenSituation.COPIED_OR_MOVED):
        new_replica = ids.new_id()
        conn.execute("UPDATE file_info SET replica_id = ?", (new_replica,))
    conn.execute(
        "UPDATE file_info SET session_host = ?, session_path = ?, session_open = 1",
        (here_host, here_path),
    )
    return situation, new_replica


def mark_closed(conn: Connection) -> None:
    conn.execute("UPDATE file_info SET session_open = 0")
