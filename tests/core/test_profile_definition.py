"""The case profile is data: a second definition, with a field and spellings of its own, imports,
stores, reads back and drives applicability with no change to the code; a broken definition is
refused with the entry named."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from inspector_app.cli.main import run_cli
from inspector_app.core.cases.case_data import load_cases
from inspector_app.core.errors import FrameworkError
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.framework import applies, frameworks_dir, load_framework_text
from inspector_app.core.framework.profile import default_profile
from inspector_app.core.framework.profile_toml import parse_profile

SHIPPED = frameworks_dir() / "iaow-2013.toml"

HOUSING_FIELD = """
[[profile.fields]]
id = "housing_need"
label = "Accommodation need"
kind = "flag"
headers = ["housing", "nfa", "accommodation need"]
"""

HOUSING_QUESTION = """
[[sections.questions]]
code = "B1.9"
text = "Was the accommodation need assessed?"
guidance = "Look for an assessment of where the individual lives and whether it is settled."
applies_if = { field = "housing_need", is = true }
"""


def second_framework(folder: Path) -> Path:
    """The shipped framework with one more profile field, a question that depends on it, and
    one more spelling of a gender: edits to the TOML only."""
    text = SHIPPED.read_text(encoding="utf-8")
    text = text.replace('id = "iaow-2013"', 'id = "iaow-2013-housing"', 1)
    text = text.replace('"Woman" = "Female" }', '"Woman" = "Female", "Gents" = "Male" }', 1)
    cut = text.index('[[sections]]\ncode = "C"')
    text = text[:cut] + HOUSING_QUESTION.lstrip() + "\n" + text[cut:]
    text = text.replace("\n[[profile.inputs]]", HOUSING_FIELD + "\n[[profile.inputs]]", 1)
    target = folder / "frameworks" / "iaow-2013-housing.toml"
    target.parent.mkdir(parents=True)
    target.write_text(text, encoding="utf-8")
    shutil.copytree(SHIPPED.parent.parent / "fonts", folder / "fonts")
    return target


def test_a_second_profile_definition_needs_no_code_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    resources = tmp_path / "resources"
    second_framework(resources)
    monkeypatch.setenv("INSPECTOR_APP_RESOURCES", str(resources))
    master = tmp_path / "m.inspection"
    assert (
        run_cli(
            [
                "new",
                str(master),
                "--title",
                "T",
                "--organisation",
                "O",
                "--framework",
                "iaow-2013-housing",
            ]
        )
        == 0
    )
    sample = tmp_path / "sample.csv"
    sample.write_text(
        "Sample,Sentence,RoSH,Gender,NFA\n1,CO,Low,Gents,Y\n2,SSO,High,F,N\n", encoding="utf-8"
    )
    assert run_cli(["import-sample", str(master), str(sample)]) == 0
    capsys.readouterr()
    assert run_cli(["cases", str(master), "--json"]) == 0
    cases = json.loads(capsys.readouterr().out)
    assert [(c["gender"], c["housing_need"]) for c in cases] == [("Male", True), ("Female", False)]
    assert cases[0]["raw"] == {"gender": "Gents", "housing_need": "Y", "sentence_type": "CO"}
    with InspectionFile.open(master, readonly=True) as file:
        question = file.framework.question("B1.9")
        housed, settled = load_cases(file)
        assert applies(question.applies_if, housed.profile, {})
        assert not applies(question.applies_if, settled.profile, {})


def test_the_shipped_file_reads_with_its_own_profile_and_old_files_with_the_shipped_one() -> None:
    text = SHIPPED.read_text(encoding="utf-8")
    framework = load_framework_text(text, "iaow-2013.toml")
    assert "req_accredited_programme" in framework.profile.by_name
    before_profiles = text[: text.index("\n[profile]")]
    old = load_framework_text(before_profiles, "old.toml")
    assert old.profile == default_profile()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"kind": "colour"}, "'kind' must be one of choice, flag, integer, text"),
        ({"aliases": {"M": "Man"}}, "alias 'M' names 'Man', which is not in 'values'"),
        ({"id": "Gender"}, "id 'Gender' must be lower case letters, digits and _"),
        ({"identifying": True}, "only crn and name can be identifying"),
        ({"unknown": 1}, "unknown key 'unknown'"),
    ],
)
def test_a_broken_field_is_refused_with_the_entry_named(change: dict, message: str) -> None:
    field = {"id": "gender", "label": "Gender", "kind": "choice", "values": ["Male", "Female"]}
    sample_no = {"id": "sample_no", "label": "Sample number", "kind": "integer"}
    with pytest.raises(FrameworkError, match=message):
        parse_profile({"fields": [sample_no, {**field, **change}]}, "test.toml")


def test_an_input_must_feed_a_field_that_exists() -> None:
    fields = [{"id": "sample_no", "label": "Sample number", "kind": "integer"}]
    broken = {"id": "dob", "label": "DOB", "rule": "age_from_date", "into": ["age_band"]}
    with pytest.raises(FrameworkError, match="'into' names unknown field 'age_band'"):
        parse_profile({"fields": fields, "inputs": [broken]}, "test.toml")
