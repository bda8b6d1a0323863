"""The whole window on real screens: a 1024x768 laptop, a 1366x768 one at 200% scaling and a
1920x1080 desktop, each an offscreen screen of that size in its own process. On each, the
window opens within the screen and stays there on every one of the lead's screens and in a
case, for both shipped frameworks, and the report's parts show every name whole (no "Chap",
no scroll arrows)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from inspector_app.core.demo import create_lead_demo

ROOT = Path(__file__).resolve().parents[2]
SCREENS = [
    ("iaow-2013", 1024, 768, 1),
    ("iaow-2013", 1366, 768, 2),
    ("iaow-2013", 1920, 1080, 1),
    ("case-supervision-2018", 1024, 768, 1),
    ("case-supervision-2018", 1366, 768, 2),
]


@pytest.fixture(scope="module")
def masters(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("screens")
    return {
        framework: create_lead_demo(folder / framework, cases=20, framework_id=framework).master
        for framework in ("iaow-2013", "case-supervision-2018")
    }


@pytest.mark.parametrize(("framework", "width", "height", "scale"), SCREENS)
def test_the_window_stays_on_the_screen_everywhere(
    masters: dict[str, Path], framework: str, width: int, height: int, scale: int
) -> None:
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    size = [str(width), str(height), str(scale)]
    done = subprocess.run(
        [sys.executable, "-m", "tests.gui.screen_probe", str(masters[framework]), *size],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    results = json.loads(done.stdout.strip().splitlines()[-1])
    assert results.pop("scale") == scale
    pixels = results.pop("pixels")
    for name, seen in results.items():
        assert seen["on_screen"], f"{name}: the window left the {width}x{height} screen"
        assert seen["minimum_width"] <= width, f"{name}: needs {seen['minimum_width']} px"
        assert seen["width"] <= width
        assert not seen.get("parts_cut"), f"{name}: parts cut {seen['parts_cut']}"
        assert not seen.get("sideways"), f"{name}: scrolls sideways at {width}x{height}"
    # At 200% the window is drawn with twice the pixels, not stretched.
    assert pixels["width"] == results["case list"]["width"] * scale
