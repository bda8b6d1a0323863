"""What a killed process leaves behind, found and removed.

Every temporary file the app writes beside a file (a copy being made, the undo copy of a
merge before it is kept) and every private folder a merge copies fieldwork files into
carries the id of the process writing it. Each holds offenders' data, so one left by a
process that no longer runs (killed, or the computer stopped) is removed the next time the
master is opened for editing, and before `purge-identifiers` checks the disk. One whose
process still runs is another window at work, and is left alone.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

MERGE_FOLDER_PREFIX = "inspector-merge-"
_TEMP_NAME = re.compile(
    r"^\.(?P<stem>.+)\.(?P<pid>\d+)-[0-9a-f]{8}\.tmp(?P<side>-wal|-shm|-journal)?$"
)
_MERGE_FOLDER = re.compile(rf"^{re.escape(MERGE_FOLDER_PREFIX)}(?P<pid>\d+)-")
# Where a process cannot be asked whether it runs (Windows), a leftover this old is taken as
# abandoned: no merge or copy takes a day.
_ABANDONED_AFTER_S = 24 * 3600


def leftovers_of(master: Path) -> tuple[list[Path], list[Path]]:
    """(abandoned, in use): the temporary files beside `master` made from it (its own name or
    a name derived from it, such as its undo copy) and the merge's private folders, split by
    whether the process that made them still runs."""
    abandoned: list[Path] = []
    in_use: list[Path] = []
    for path in _temp_files_beside(master):
        match = _TEMP_NAME.match(path.name)
        assert match is not None
        (in_use if _alive(int(match["pid"]), path) else abandoned).append(path)
    for folder in _merge_folders():
        match = _MERGE_FOLDER.match(folder.name)
        assert match is not None
        (in_use if _alive(int(match["pid"]), folder) else abandoned).append(folder)
    return abandoned, in_use


def remove_abandoned(master: Path) -> list[Path]:
    """Remove what killed processes left behind (see the module docstring); returns what was
    removed. A leftover that cannot be removed is left for the next time."""
    abandoned, _ = leftovers_of(master)
    removed = []
    for path in abandoned:
        try:
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()
        except OSError:
            continue
        removed.append(path)
    return removed


def _temp_files_beside(master: Path) -> list[Path]:
    try:
        entries = list(master.parent.iterdir())
    except OSError:
        return []
    found = []
    for path in entries:
        match = _TEMP_NAME.match(path.name)
        # A long name is shortened in its temporary name: compare on what both have.
        if match and _same_stem(match["stem"], master.name) and not path.is_dir():
            found.append(path)
    return found


def _same_stem(stem: str, name: str) -> bool:
    return stem.startswith(name) or (len(stem) >= 16 and name.startswith(stem))


def _merge_folders() -> list[Path]:
    root = Path(tempfile.gettempdir())
    try:
        entries = list(root.iterdir())
    except OSError:
        return []
    mine = getattr(os, "getuid", lambda: None)()
    found = []
    for path in entries:
        if not _MERGE_FOLDER.match(path.name):
            continue
        try:
            if not path.is_dir() or (mine is not None and path.stat().st_uid != mine):
                continue
        except OSError:
            continue
        found.append(path)
    return found


def _alive(pid: int, path: Path) -> bool:
    if pid == os.getpid():
        return True
    if sys.platform == "win32":
        try:
            return time.time() - path.stat().st_mtime < _ABANDONED_AFTER_S
        except OSError:
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process by that id: not ours to judge
    return True
