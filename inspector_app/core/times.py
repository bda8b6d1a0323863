"""Times as every screen prints them, in the user's local time: one way, so the overview, the
fieldwork files, a conflict and an answer's history read alike ("Mon 7 Dec 14:05").

The year shows only when it is not this one; seconds only where two revisions a moment apart
must be told apart (an answer's history).
"""

from __future__ import annotations

from datetime import datetime


def local_time(when: datetime, *, seconds: bool = False, now: datetime | None = None) -> str:
    """ "Mon 7 Dec 14:05"; "Mon 7 Dec 2025 14:05" in another year; with `seconds`,
    "Mon 7 Dec 14:05:09"."""
    local = when.astimezone()
    current = (now or datetime.now().astimezone()).astimezone()
    year = "" if local.year == current.year else f" {local.year}"
    clock = f"{local:%H:%M:%S}" if seconds else f"{local:%H:%M}"
    return f"{local:%a} {local.day} {local:%b}{year} {clock}"


def local_date(when: datetime, *, now: datetime | None = None) -> str:
    """ "7 Dec"; "7 Dec 2025" in another year."""
    local = when.astimezone()
    current = (now or datetime.now().astimezone()).astimezone()
    year = "" if local.year == current.year else f" {local.year}"
    return f"{local.day} {local:%b}{year}"
