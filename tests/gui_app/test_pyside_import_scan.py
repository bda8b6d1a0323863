"""PySide6's look at each newly imported module, made quicker, gives PySide6's own answer."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

from inspector_app.gui import pyside_import_scan


def _own_look():  # type: ignore[no-untyped-def]
    feature = sys.modules["shibokensupport.feature"]
    look = feature._mod_uses_pyside
    return getattr(look, "__wrapped__", None) or look


@pytest.mark.parametrize(
    "name",
    [
        "inspector_app.gui.main_window",  # uses PySide6
        "inspector_app.core.limits",  # does not
        "inspector_app.gui",  # a package: its __init__.py
        "math",  # no source file: PySide6's own look answers
    ],
)
def test_the_quicker_look_answers_as_pyside6_does(name: str) -> None:
    import PySide6.QtCore  # noqa: F401  # loads the hook

    own = _own_look()
    module = importlib.import_module(name)
    assert pyside_import_scan._quicker(own)(module) == own(module)


def test_a_module_new_to_the_process_is_looked_at_quickly(tmp_path: Path, monkeypatch) -> None:
    import PySide6.QtCore  # noqa: F401

    assert pyside_import_scan.install()
    assert pyside_import_scan.install()  # once is enough; again changes nothing
    feature = sys.modules["shibokensupport.feature"]
    assert getattr(feature._mod_uses_pyside, "_quick", False)
    (tmp_path / "uses_qt_here.py").write_text("from PySide6.QtCore import QObject\n")
    (tmp_path / "plain_here.py").write_text("VALUE = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    __import__("uses_qt_here")  # as an import statement does: PySide6 watches __import__
    __import__("plain_here")
    assert feature.pyside_feature_dict["uses_qt_here"] == 0
    assert feature.pyside_feature_dict["plain_here"] == -1
