"""Publish on both engines: first publish, the same master again (nothing written), a
re-publish after a change (the inspection's rows replaced whole), an interrupted publish (a
forced failure, and a process killed between two statements) that leaves the previous version
whole, and the refusals that write nothing."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from inspector_app.core.cases.answers import set_answer
from inspector_app.core.cases.case_data import load_cases
from inspector_app.core.errors import FileRefused
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.store import publish as publish_module
from inspector_app.core.store.access import open_store
from inspector_app.core.store.engine import Store
from inspector_app.core.store.errors import StoreRefused
from inspector_app.core.store.publish import PUBLISHED, REPLACED, UNCHANGED, publish
from tests.merge_helpers import make_conflict
from tests.store.helpers import counts, read_publication, stored


def change_one_answer(path: Path) -> tuple[int, str, str]:
    """Turn one scored answer of a complete case the other way: (sample no, code, new value)."""
    with InspectionFile.open(path) as master:
        case = next(c for c in load_cases(master) if c.marked_complete)
        for code, answer in case.answers.items():
            question = master.framework.question(code)
            if question.scored and answer.value == question.sufficient_value:
                new = question.insufficient_value
                assert new is not None
                set_answer(master, case.key, code, new, "Read again: not good enough.")
                return case.sample_no, code, new
    raise AssertionError("no scored answer to change")


def test_publish_then_the_same_master_again_writes_nothing(
    store: Store, demo_masters: list[Path]
) -> None:
    publication = read_publication(demo_masters[0])
    first = publish(store, publication)
    assert first.status == PUBLISHED
    assert (first.cases, first.answers) == (len(publication.cases), publication.answer_count)
    rows = stored(store, publication.inspection_id)
    before = counts(store)
    assert before["published_case"] == len(publication.cases) == 12
    assert before["published_answer"] == publication.answer_count > 0
    assert before["published_figure"] == len(publication.figures)

    again = publish(store, read_publication(demo_masters[0]))

    assert again.status == UNCHANGED
    assert stored(store, publication.inspection_id) == rows  # the publish time too
    assert counts(store) == before  # not even a publish event


def test_the_rows_hold_what_the_master_publishes(store: Store, demo_masters: list[Path]) -> None:
    publication = read_publication(demo_masters[1])
    publish(store, publication)
    rows = stored(store, publication.inspection_id)
    inspection = rows["published_inspection"][0]
    assert inspection["organisation"] == "Merseyside"
    assert inspection["framework_id"] == "iaow-2013"
    assert inspection["fieldwork_year"] == 2026
    assert inspection["content_hash"] == publication.content_hash
    answers = {(r["sample_no"], r["question"]): r["value"] for r in rows["published_answer"]}
    expected = {(c.sample_no, code): v for c in publication.cases for code, v in c.answers}
    assert answers == expected
    profiles = {r["sample_no"]: r["profile"] for r in rows["published_case"]}
    assert profiles == {c.sample_no: dict(c.profile) for c in publication.cases}
    figures = {(r["level"], r["code"]): r["percent"] for r in rows["published_figure"]}
    assert figures == {(f.level, f.code): f.percent for f in publication.figures}


def test_a_republish_after_a_change_replaces_the_rows_in_one_go(
    store: Store, master_copy: Path
) -> None:
    publish(store, read_publication(master_copy))
    sample_no, code, value = change_one_answer(master_copy)
    changed = read_publication(master_copy)

    outcome = publish(store, changed)

    assert outcome.status == REPLACED
    rows = stored(store, changed.inspection_id)
    answers = {(r["sample_no"], r["question"]): r["value"] for r in rows["published_answer"]}
    assert answers[(sample_no, code)] == value
    assert len(answers) == changed.answer_count  # nothing of the old version left over
    after = counts(store)
    assert after["published_inspection"] == 1
    assert after["published_figure"] == len(changed.figures)
    assert after["publish_event"] == 2
    assert publish(store, read_publication(master_copy)).status == UNCHANGED


def test_a_publish_that_fails_half_way_leaves_the_previous_version_whole(
    store: Store, master_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    publish(store, read_publication(master_copy))
    before = stored(store, read_publication(master_copy).inspection_id)
    change_one_answer(master_copy)
    changed = read_publication(master_copy)

    def fail(*_args: object) -> None:  # after the old rows were deleted and the new written
        raise RuntimeError("the connection dropped")

    monkeypatch.setattr(publish_module, "_insert_figures", fail)
    with pytest.raises(RuntimeError):
        publish(store, changed)

    assert stored(store, changed.inspection_id) == before
    monkeypatch.undo()
    assert publish(store, changed).status == REPLACED


def test_a_publish_killed_between_two_statements_leaves_the_previous_version_whole(
    store: Store, store_address: str, master_copy: Path, tmp_path: Path
) -> None:
    publish(store, read_publication(master_copy))
    inspection_id = read_publication(master_copy).inspection_id
    before = stored(store, inspection_id)
    change_one_answer(master_copy)
    script = textwrap.dedent(
        f"""
        import os, signal
        from inspector_app.core.store import publish as module
        from inspector_app.core.store.access import open_store
        from tests.store.helpers import read_publication

        def killed(*args):  # the answers are written, the figures not yet
            os.kill(os.getpid(), signal.SIGKILL)

        module._insert_figures = killed
        with open_store({store_address!r}) as store:
            module.publish(store, read_publication({str(master_copy)!r}))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=Path(__file__).resolve().parents[2],
        env={**os.environ, "INSPECTOR_APP_HOME": str(tmp_path / "home")},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == -9, done.stderr

    assert stored(store, inspection_id) == before
    assert publish(store, read_publication(master_copy)).status == REPLACED


def test_open_conflicts_are_refused_unless_allowed_and_then_recorded(
    store: Store, master_copy: Path
) -> None:
    with InspectionFile.open(master_copy) as master:
        case = load_cases(master)[0]
        code = next(iter(case.answers))
        make_conflict(master, case.key, code)
    publication = read_publication(master_copy)
    assert publication.open_conflicts == 1

    with pytest.raises(StoreRefused, match=r"1 conflict is still open.*--allow-conflicts"):
        publish(store, publication)
    assert counts(store)["published_inspection"] == 0

    outcome = publish(store, publication, allow_conflicts=True)
    assert outcome.status == PUBLISHED and outcome.open_conflicts == 1
    row = stored(store, publication.inspection_id)["published_inspection"][0]
    assert (row["open_conflicts"], row["conflicts_allowed"]) == (1, True)


def test_a_framework_version_the_store_does_not_know_is_refused(
    store: Store, demo_masters: list[Path]
) -> None:
    publication = dataclasses.replace(read_publication(demo_masters[0]), framework_version="9.9")
    with pytest.raises(StoreRefused, match=r"does not know framework iaow-2013 version 9\.9"):
        publish(store, publication)
    assert counts(store)["published_inspection"] == 0


def test_a_fieldwork_file_is_not_published(demo_masters: list[Path]) -> None:
    fieldwork = next(
        p for p in demo_masters[0].parent.glob("*.inspection") if "master" not in p.name
    )
    with pytest.raises(FileRefused, match="fieldwork file; publish the lead's master"):
        read_publication(fieldwork)


def test_a_missing_store_file_is_not_created_by_a_publish(tmp_path: Path) -> None:
    missing = tmp_path / "typo.sqlite"
    with pytest.raises(StoreRefused, match="no store file there; create one with"):
        open_store(str(missing))
    assert not missing.exists()


def test_a_database_that_is_not_a_store_is_refused(
    pg_cluster: object, pg_database: str, demo_masters: list[Path]
) -> None:
    from tests.store.pg_cluster import Cluster

    assert isinstance(pg_cluster, Cluster)
    with (
        open_store(pg_cluster.socket_address(pg_database)) as empty,
        pytest.raises(StoreRefused, match=r"is not an Inspector store yet.*store init"),
    ):
        publish(empty, read_publication(demo_masters[0]))


def test_the_default_store_needs_no_set_up(demo_masters: list[Path]) -> None:
    from inspector_app.core.files.paths import data_dir

    with open_store() as default:
        assert default.location.default
        assert publish(default, read_publication(demo_masters[2])).status == PUBLISHED
    assert (data_dir() / "store.sqlite").is_file()
