"""What a killed merge leaves behind (its private copies, a half-taken undo copy) is removed
the next time the master is opened for editing, and purge-identifiers removes it and says so;
what a running process is writing is left alone."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from inspector_app.core.cases.answers import set_answer
from inspector_app.core.errors import FileRefused
from inspector_app.core.files.fieldwork_export import export_fieldwork
from inspector_app.core.files.identity import purge_identifiers_verified
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.files.leftovers import MERGE_FOLDER_PREFIX, leftovers_of
from inspector_app.core.sample.placement import allocate_case
from inspector_app.core.storage.database import open_database
from inspector_app.core.storage.safe_write import temp_path_beside

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")

# Runs a merge that stops for good once its undo copy is taken (inside the write lock, after
# the fieldwork file is copied into the private folder), so the parent can kill it there.
_STALLED_MERGE = r"""
import sys, time
from inspector_app.core.merge import run as merge
from inspector_app.core.files.inspection_file import InspectionFile

real = merge.take_snapshot
def stall(file):
    real(file)
    print("STALLED", flush=True)
    time.sleep(600)
merge.take_snapshot = stall
with InspectionFile.open(sys.argv[1], track_session=False) as master:
    merge.merge_files(master, [sys.argv[2]])
"""


def _killed_merge(master: Path, source: Path) -> int:
    proc = subprocess.Popen(
        [sys.executable, "-c", _STALLED_MERGE, str(master), str(source)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "STALLED"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    return proc.pid


def _temps_of(pid: int, master: Path) -> list[Path]:
    beside = [p for p in master.parent.iterdir() if f".{pid}-" in p.name]
    folders = [
        p for p in Path(tempfile.gettempdir()).glob(f"{MERGE_FOLDER_PREFIX}{pid}-*") if p.is_dir()
    ]
    return beside + folders


@pytest.fixture
def killed(master: InspectionFile, tmp_path: Path) -> tuple[Path, int]:
    """A master whose merge was killed half way; the master itself is closed."""
    allocate_case(master, 1, "Daniel Okafor")
    source = export_fieldwork(master, "Daniel Okafor", tmp_path / "daniel.inspection").path
    with InspectionFile.open(source) as fieldwork:
        code = next(
            q.code for q in fieldwork.framework.questions() if q.scored and q.applies_if is None
        )
        set_answer(fieldwork, fieldwork.case_key_for(1), code, "yes", "")
    path = master.path
    master.close()
    pid = _killed_merge(path, source)
    return path, pid


def test_a_killed_merge_leaves_copies_that_the_next_open_removes(
    killed: tuple[Path, int],
) -> None:
    path, pid = killed
    left = _temps_of(pid, path)
    assert any(p.is_dir() for p in left), left  # the private folder with the copy
    assert any(".before-merge." in p.name for p in left), left  # the half-taken undo copy
    with InspectionFile.open(path, readonly=True):
        assert _temps_of(pid, path) == left  # reading changes nothing on disk
    with InspectionFile.open(path):
        assert _temps_of(pid, path) == []


def test_purge_removes_what_a_killed_merge_left_and_names_it(killed: tuple[Path, int]) -> None:
    path, pid = killed
    left = _temps_of(pid, path)
    # Opened without the clean-up an ordinary open does, so the purge itself meets them.
    file = InspectionFile(open_database(path), track_session=False)
    try:
        outcome = purge_identifiers_verified(file)
    finally:
        file.close()
    assert set(left) <= set(outcome.removed_files)
    assert _temps_of(pid, path) == []


def test_a_copy_a_running_process_is_writing_is_left_alone_and_purge_waits(
    master: InspectionFile,
) -> None:
    writing = temp_path_beside(master.path.with_name(master.path.name + ".before-merge"))
    writing.write_bytes(b"being written")
    assert leftovers_of(master.path) == ([], [writing])
    with pytest.raises(FileRefused, match="another window or program is merging or copying"):
        purge_identifiers_verified(master)
    assert writing.exists()
    writing.unlink()
