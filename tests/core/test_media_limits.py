"""Write-protected media and a full disk, on real small filesystems (needs permission to
mount a tmpfs: root on Linux, as in CI; skipped elsewhere)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from inspector_app.core.cases.answers import set_answer
from inspector_app.core.cases.status import case_summaries
from inspector_app.core.errors import FileRefused
from inspector_app.core.files.inspection_file import InspectionFile


def _mount(folder: Path, options: str) -> bool:
    if not sys.platform.startswith("linux") or shutil.which("mount") is None:
        return False
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    return result.returncode == 0


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "disk"
    folder.mkdir()
    if not _mount(folder, "size=2m"):
        pytest.skip("cannot mount a tmpfs here")
    yield folder
    subprocess.run(["umount", "-l", str(folder)], check=False)


def test_a_clean_file_on_write_protected_media_opens_read_only(
    master: InspectionFile, small_disk: Path
) -> None:
    master.close()
    shutil.copy(master.path, small_disk / "copy.inspection")
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    with InspectionFile.open(small_disk / "copy.inspection", readonly=True) as file:
        assert len(case_summaries(file)) == 12
    with pytest.raises(FileRefused, match="cannot be opened here"):
        InspectionFile.open(small_disk / "copy.inspection")


def test_a_full_disk_is_named_and_nothing_half_written(
    master: InspectionFile, small_disk: Path
) -> None:
    master.close()
    path = small_disk / "m.inspection"
    shutil.copy(master.path, path)
    with InspectionFile.open(path) as file:
        key = file.case_key_for(1)
        code = next(q.code for q in file.framework.questions() if q.scored and not q.applies_if)
        filler = small_disk / "filler"
        with open(filler, "wb", buffering=0) as handle:  # leave almost no room
            try:
                while True:
                    handle.write(b"\0" * 65536)
                    handle.flush()
            except OSError:
                pass
        with pytest.raises(FileRefused, match="disk is full"):
            set_answer(file, key, code, "no", "x" * 90_000)
        filler.unlink()
        set_answer(file, key, code, "yes", "fits now")
    with InspectionFile.open(path) as file:
        assert file.db.raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)
