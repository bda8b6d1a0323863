"""`framework check`: a framework file with a mistake is refused naming the line to fix, and
one that loads can be installed into the user's data folder and chosen like a shipped one."""

from __future__ import annotations

from pathlib import Path

import pytest

from inspector_app.app import frameworks
from inspector_app.core.errors import FrameworkError
from inspector_app.core.framework import builtin_frameworks

SHIPPED = builtin_frameworks()["case-supervision-2018"]


def edited(tmp_path: Path, old: str, new: str, *, nth: int = 1) -> tuple[Path, int]:
    """The shipped 2018 file with the `nth` `old` replaced by `new`, and the line of the edit."""
    text = SHIPPED.read_text(encoding="utf-8")
    at = -1
    for _ in range(nth):
        at = text.index(old, at + 1)
    changed = text[:at] + new + text[at + len(old) :]
    path = tmp_path / "edited.toml"
    path.write_text(changed.replace('id = "case-supervision-2018"', 'id = "edited"'), "utf-8")
    return path, text.count("\n", 0, at) + 1


def refusal(path: Path) -> FrameworkError:
    with pytest.raises(FrameworkError) as refused:
        frameworks.check_framework_file(path)
    return refused.value


def test_an_unknown_scale_is_refused_at_its_line(tmp_path: Path) -> None:
    path, line = edited(tmp_path, 'scale = "sufficiency"', 'scale = "sufficency"', nth=2)
    error = refusal(path)
    assert "question 2.1.2: unknown scale 'sufficency'" in str(error)
    assert error.line == line


def test_a_question_code_used_twice_is_refused_at_the_second(tmp_path: Path) -> None:
    path, line = edited(tmp_path, 'code = "2.1.2a"', 'code = "2.1.1a"')
    error = refusal(path)
    assert "question code used twice" in str(error)
    assert error.line == line


def test_a_rule_naming_a_missing_question_is_refused_at_its_table(tmp_path: Path) -> None:
    path, line = edited(
        tmp_path, 'questions = ["2.2.1", "2.2.2", "2.2.3"]', 'questions = ["2.2.1", "2.2.9"]'
    )
    error = refusal(path)
    assert "criterion 2.2: '2.2.9' is not a scored question" in str(error)
    assert error.line == line


def test_an_applicability_rule_naming_a_missing_question_is_refused(tmp_path: Path) -> None:
    path, line = edited(
        tmp_path,
        'applies_if = { answer = "0.2", is = "yes" }',
        'applies_if = { answer = "0.9", is = "yes" }',
    )
    error = refusal(path)
    assert "question 0.3" in str(error)
    assert "0.9" in str(error)
    # The message names the question: its table's first line (its code) is where to look.
    assert error.line is not None and line - 6 <= error.line <= line


def test_rating_bands_that_overlap_are_refused_at_the_band(tmp_path: Path) -> None:
    path, line = edited(tmp_path, "from = 65\nto = 79", "from = 60\nto = 79")
    error = refusal(path)
    assert "overlaps the band below it at 60 to 64" in str(error)
    assert error.line is not None and line - 3 <= error.line <= line


def test_rating_bands_that_leave_a_gap_are_refused(tmp_path: Path) -> None:
    path, _line = edited(tmp_path, "from = 65\nto = 79", "from = 66\nto = 79")
    error = refusal(path)
    assert "no band holds 65 to 65" in str(error)
    assert error.line is not None


def test_an_unknown_key_points_at_the_key(tmp_path: Path) -> None:
    # The first occurrence is in the file's comments.
    path, line = edited(tmp_path, 'standard_rule = "lowest"', 'standard_rul = "lowest"', nth=2)
    error = refusal(path)
    assert "unknown key 'standard_rul'" in str(error)
    assert error.line == line


def test_a_toml_syntax_error_carries_its_line(tmp_path: Path) -> None:
    path, line = edited(tmp_path, 'title = "Planning"', 'title = "Planning')
    error = refusal(path)
    assert "invalid TOML" in str(error)
    assert error.line == line


def test_a_framework_that_loads_is_installed_and_listed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INSPECTOR_APP_HOME", str(tmp_path / "home"))
    path, _ = edited(tmp_path, 'version = "1.0"', 'version = "1.1"')
    entry = frameworks.install_framework(path)
    assert entry.id == "edited"
    assert entry.path == frameworks.user_frameworks_dir() / "edited.toml"
    listed = {e.id: e.origin for e in frameworks.installed_frameworks()}
    assert listed == {
        "case-supervision-2018": frameworks.SHIPPED,
        "iaow-2013": frameworks.SHIPPED,
        "edited": frameworks.INSTALLED,
    }
    assert frameworks.load_installed("edited").version == "1.1"
    with pytest.raises(FrameworkError, match="already installed"):
        frameworks.install_framework(path)
    assert frameworks.install_framework(path, replace=True).id == "edited"


def test_a_shipped_id_or_a_broken_file_is_never_installed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INSPECTOR_APP_HOME", str(tmp_path / "home"))
    with pytest.raises(FrameworkError, match="shipped with the app"):
        frameworks.install_framework(SHIPPED)
    broken, _ = edited(tmp_path, "from = 65\nto = 79", "from = 66\nto = 79")
    with pytest.raises(FrameworkError, match="no band holds"):
        frameworks.install_framework(broken)
    assert not any(frameworks.user_frameworks_dir().glob("*.toml"))
