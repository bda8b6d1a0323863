"""Whether a file lies on a removable drive (USB stick, SD card): asked of every file the
window opens, so it imports nothing of the file layer (files/handover.py works on the copy).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def is_removable(path: Path) -> bool:
    """True when `path` lies on a removable drive (USB stick, SD card)."""
    try:
        path = Path(path).resolve()
        if sys.platform == "win32":
            return _windows_removable(path)
        if sys.platform == "darwin":
            return path.parts[:2] == ("/", "Volumes")
        return _linux_removable(path)
    except OSError:
        return False


def _linux_removable(path: Path) -> bool:
    device = os.stat(path).st_dev
    block = Path(f"/sys/dev/block/{os.major(device)}:{os.minor(device)}")
    if not block.exists():
        return False
    real = block.resolve()
    if "/usb" in str(real):
        return True
    for folder in (real, *real.parents):
        flag = folder / "removable"
        if flag.exists():
            return flag.read_text().strip() == "1"
    return False


def _windows_removable(path: Path) -> bool:
    import ctypes

    drive_removable = 2
    root = path.anchor or str(path)
    # ctypes.windll exists on Windows only: type-checked for Linux it is missing
    kind: int = ctypes.windll.kernel32.GetDriveTypeW(root)  # type: ignore[attr-defined]
    return kind == drive_removable
