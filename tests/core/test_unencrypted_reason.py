"""Why a file is not encrypted: a recorded decision, checked, kept out of the report's words,
and no obstacle to merging."""

from __future__ import annotations

from pathlib import Path

import pytest

from inspector_app.core.cases.answers import set_answer
from inspector_app.core.cases.case_data import load_case
from inspector_app.core.cases.history import value_history
from inspector_app.core.errors import NotFound, ValidationError
from inspector_app.core.files.fieldwork_export import export_fieldwork
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.merge.run import merge_files
from inspector_app.core.merge.validation import narrative_value_problem
from inspector_app.core.narrative import parts as nv
from tests.conftest import INSPECTORS, LEAD

REASON = "the files stay on the service's encrypted laptops"


@pytest.mark.parametrize("reason", ["", "   ", "\t\n"])
def test_an_empty_reason_is_refused(new_master: InspectionFile, reason: str) -> None:
    with pytest.raises(ValidationError, match="needs a reason") as caught:
        nv.record_unencrypted_reason(new_master, reason)
    assert "\n" not in str(caught.value)  # one line
    assert not nv.load_narrative(new_master).has(nv.UNENCRYPTED_REASON)


@pytest.mark.parametrize("reason", ["agreed\x07with IT", "two\nlines", "a\u2028b", "x\x7fy"])
def test_a_reason_with_control_characters_is_refused(
    new_master: InspectionFile, reason: str
) -> None:
    with pytest.raises(ValidationError, match="the reason for not encrypting holds") as caught:
        nv.record_unencrypted_reason(new_master, reason)
    assert "\n" not in str(caught.value)
    assert nv.load_narrative(new_master).unencrypted_reason == ""


def test_the_reason_is_recorded_stripped_as_a_revision_by_the_lead(
    new_master: InspectionFile,
) -> None:
    narrative = nv.record_unencrypted_reason(new_master, f"  {REASON}\t")
    assert narrative.unencrypted_reason == REASON
    assert narrative.has(nv.UNENCRYPTED_REASON)
    (entry,) = value_history(new_master, nv.narrative_key(new_master, nv.UNENCRYPTED_REASON))
    assert (entry.value, entry.author) == (REASON, LEAD)
    nv.record_unencrypted_reason(new_master, REASON)  # the same again records nothing
    assert len(value_history(new_master, nv.narrative_key(new_master, nv.UNENCRYPTED_REASON))) == 1


def test_the_reason_survives_close_and_reopen(new_master: InspectionFile) -> None:
    nv.record_unencrypted_reason(new_master, REASON)
    path = new_master.path
    new_master.close()
    with InspectionFile.open(path, readonly=True) as file:
        assert nv.load_narrative(file).unencrypted_reason == REASON


def test_the_reason_is_no_text_part_of_the_report(new_master: InspectionFile) -> None:
    nv.record_unencrypted_reason(new_master, REASON)
    assert nv.UNENCRYPTED_REASON not in nv.TEXT_PARTS
    with pytest.raises(NotFound):
        nv.set_text(new_master, nv.UNENCRYPTED_REASON, "changed through the report")
    with pytest.raises(NotFound):
        nv.load_narrative(new_master).text(nv.UNENCRYPTED_REASON)


@pytest.mark.parametrize(
    ("value", "wrong"),
    [
        (REASON, None),
        ("", None),
        (["a reason"], "which is not text"),
        (True, "which is not text"),
        (None, "which is not text"),
    ],
)
def test_merge_validation_accepts_the_reason_only_as_text(value: object, wrong: str | None) -> None:
    assert narrative_value_problem(nv.UNENCRYPTED_REASON, value) == wrong


def test_a_master_with_the_reason_still_merges_its_fieldwork_files(
    master: InspectionFile, tmp_path: Path
) -> None:
    nv.record_unencrypted_reason(master, REASON)
    daniel = INSPECTORS[0]
    path = export_fieldwork(master, daniel, tmp_path / "daniel.inspection").path
    code = next(q.code for q in master.framework.questions() if q.scored and q.applies_if is None)
    with InspectionFile.open(path) as fieldwork:
        case_key = next(iter(_cases_of(fieldwork)))
        set_answer(fieldwork, case_key, code, "yes", "Seen on file")
    report = merge_files(master, [path])
    assert [s.new_revisions for s in report.sources] == [1]
    assert load_case(master, case_key).answers[code].value == "yes"
    assert nv.load_narrative(master).unencrypted_reason == REASON


def _cases_of(file: InspectionFile) -> list[str]:
    return [row[0] for row in file.db.raw.execute("SELECT key FROM case_record ORDER BY key")]
