"""The core and the CLI never import Qt: they must run without a display."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "inspector_app"


def _modules_under(folder: str) -> list[str]:
    names = []
    for path in sorted((PACKAGE / folder).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        relative = path.relative_to(PACKAGE.parent).with_suffix("")
        parts = list(relative.parts)
        if parts[-1] == "__init__":
            parts.pop()
        names.append(".".join(parts))
    return names


@pytest.mark.parametrize("layer", ["core", "app", "cli"])
def test_layer_imports_no_qt(layer: str) -> None:
    modules = _modules_under(layer)
    assert modules, f"no modules found under {layer}"
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "qt_roots = ('PySide6', 'shiboken6', 'PyQt5', 'PyQt6')\n"
        "qt = sorted(m for m in sys.modules if m.split('.')[0] in qt_roots)\n"
        "print(','.join(qt))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.strip() == "", f"{layer} pulled in Qt: {result.stdout.strip()}"


def test_cli_commands_run_without_qt(tmp_path: Path) -> None:
    """Running a real command headless leaves Qt unloaded."""
    code = (
        "import sys\n"
        "from inspector_app.cli.main import run_cli\n"
        f"rc = run_cli(['demo', {str(tmp_path)!r}, '--cases', '8'])\n"
        "assert rc == 0, rc\n"
        "print(any(m.startswith('PySide6') for m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.strip().splitlines()[-1] == "False"


def test_every_package_of_core_is_in_the_architecture_drawing() -> None:
    """docs/architecture.md draws the packages and the arrows between them; a package added
    to core without a place in the drawing fails here."""
    doc = (PACKAGE.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    drawing = doc.split("```text", 1)[1].split("```", 1)[0]
    packages = sorted(path.parent.name for path in (PACKAGE / "core").glob("*/__init__.py"))
    assert packages
    missing = [name for name in packages if f"core/{name}" not in drawing]
    assert missing == [], f"not in docs/architecture.md's drawing: {missing}"
    for layer in (
        "inspector_app/gui",
        "inspector_app/cli",
        "inspector_app/app",
        "inspector_app/core",
    ):
        assert layer in drawing
