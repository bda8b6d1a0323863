"""Merge invariants over random edit histories on several replicas (hypothesis).

Two assessors double-read one case offline, each in their own fieldwork file; the master
merges their files in every order and grouping. Whatever they did: the result is the same,
nothing is lost, re-merging changes nothing, disagreements are conflicts and agreements are
not, and an assessor editing on top of a re-issued file never raises a conflict.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inspector_app.core.cases.answers import set_answer
from inspector_app.core.cases.case_data import load_case
from inspector_app.core.cases.team import add_member
from inspector_app.core.files.fieldwork_export import export_fieldwork
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.merge.run import merge_files
from inspector_app.core.revisions.log import recompute
from inspector_app.core.sample.placement import allocate_case, import_sample
from tests.merge_helpers import content

A, B = "Daniel Okafor", "Priya Raman"
VALUES = ("yes", "no", "na")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """A master whose case 1 is read by A (first) and B (second), with both fieldwork files."""
    import random

    from inspector_app.core.demo import write_sample_csv

    folder = tmp_path_factory.mktemp("template")
    write_sample_csv(folder / "sample.csv", 3, random.Random(1))
    with InspectionFile.create(
        folder / "master.inspection", title="T", organisation="O", lead="Helen Ashworth"
    ) as master:
        add_member(master, A)
        add_member(master, B)
        import_sample(master, folder / "sample.csv")
        allocate_case(master, 1, A)
        allocate_case(master, 1, B, second_reader=True)
        codes = [q.code for q in master.framework.questions() if q.scored and q.applies_if is None]
        export_fieldwork(master, A, folder / "a.inspection")
        export_fieldwork(master, B, folder / "b.inspection")
    return folder, codes[:4]


def _apply(path: Path, edits: list[tuple[str, str]]) -> dict[str, str]:
    """Apply (code, value) edits to case 1 of a file; return each code's final value."""
    final: dict[str, str] = {}
    with InspectionFile.open(path) as file:
        key = file.case_key_for(1)
        for code, value in edits:
            set_answer(file, key, code, value)
            final[code] = value
    return final


def _merged(folder: Path, name: str, groups: list[list[str]]) -> Path:
    path = folder / f"{name}.inspection"
    shutil.copy(folder / "master.inspection", path)
    with InspectionFile.open(path) as master:
        for group in groups:
            report = merge_files(master, [folder / f"{g}.inspection" for g in group])
            assert not report.refused, report.refused
    return path


def _revision_ids(path: Path) -> set[str]:
    return {row[0] for row in content(path)[0]}


def _assert_current_values_equal_a_full_recompute(master: InspectionFile) -> None:
    """What the merges left agrees with recomputing every key of every revision from scratch."""
    conn = master.db.raw
    conn.execute("BEGIN")
    merged = conn.execute("SELECT * FROM current_value ORDER BY record_key").fetchall()
    recompute(conn, [row[0] for row in conn.execute("SELECT DISTINCT record_key FROM revision")])
    full = conn.execute("SELECT * FROM current_value ORDER BY record_key").fetchall()
    conn.execute("ROLLBACK")
    assert full == merged


edit_lists = st.lists(st.tuples(st.integers(0, 3), st.sampled_from(VALUES)), max_size=8)


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(a_edits=edit_lists, b_edits=edit_lists, later=edit_lists)
def test_merge_invariants(
    template: tuple[Path, list[str]],
    tmp_path_factory: pytest.TempPathFactory,
    a_edits: list[tuple[int, str]],
    b_edits: list[tuple[int, str]],
    later: list[tuple[int, str]],
) -> None:
    source, codes = template
    folder = tmp_path_factory.mktemp("example")
    for name in ("master", "a", "b"):
        shutil.copy(source / f"{name}.inspection", folder / f"{name}.inspection")
    final_a = _apply(folder / "a.inspection", [(codes[i], v) for i, v in a_edits])
    final_b = _apply(folder / "b.inspection", [(codes[i], v) for i, v in b_edits])

    together = _merged(folder, "m1", [["a", "b"]])
    reversed_order = _merged(folder, "m2", [["b", "a"]])
    one_by_one_twice = _merged(folder, "m3", [["a"], ["b"], ["a"], ["b", "a"]])
    # Commutative, associative (grouping), idempotent.
    assert content(together) == content(reversed_order) == content(one_by_one_twice)
    # No revision lost.
    assert _revision_ids(folder / "a.inspection") | _revision_ids(
        folder / "b.inspection"
    ) <= _revision_ids(together)

    with InspectionFile.open(together) as master:
        _assert_current_values_equal_a_full_recompute(master)
        answers = load_case(master, master.case_key_for(1)).answers
        for code in set(final_a) | set(final_b):
            answer = answers[code]
            if code in final_a and code in final_b:
                # Concurrent edits: a conflict exactly when the final values differ.
                assert answer.conflicted == (final_a[code] != final_b[code])
            else:
                assert not answer.conflicted
                assert answer.value == final_a.get(code, final_b.get(code))
        # Sequential edits on a re-issued file never raise a conflict, and settle old ones.
        reissued = export_fieldwork(master, A, folder / "a2.inspection").path
    final_later = _apply(reissued, [(codes[i], v) for i, v in later])
    with InspectionFile.open(together) as master:
        # Merged in one batch with a file the master already holds in full (nothing new).
        report = merge_files(master, [folder / "b.inspection", reissued])
        assert [s.refusal for s in report.sources] == [None, None]
        assert report.sources[0].new_revisions == 0
        assert report.sources[1].conflicts_raised == 0
        _assert_current_values_equal_a_full_recompute(master)
        answers = load_case(master, master.case_key_for(1)).answers
        for code, value in final_later.items():
            assert (answers[code].value, answers[code].conflicted) == (value, False)
