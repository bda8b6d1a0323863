"""Merging fieldwork files: union of revisions, conflicts, refusals, preview and undo."""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from inspector_app.cli.main import run_cli
from inspector_app.core.cases.answers import set_answer
from inspector_app.core.cases.case_data import load_case
from inspector_app.core.errors import FileRefused, InspectorError, NotFound
from inspector_app.core.files.fieldwork_export import export_fieldwork
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.files.merge_copy import edits_since_merge, snapshot_path, undo_last_merge
from inspector_app.core.findings.agreement import agreement, cohens_kappa
from inspector_app.core.merge.conflicts import list_conflicts, resolve_conflict
from inspector_app.core.merge.run import MergeCancelled, merge_files
from inspector_app.core.revisions.log import Kind
from inspector_app.core.sample.placement import allocate_case
from inspector_app.core.storage.connection import APPLICATION_ID
from tests.merge_helpers import closed_hash, content, make_conflict

DANIEL, PRIYA, LEAD = "Daniel Okafor", "Priya Raman", "Helen Ashworth"


@pytest.fixture
def team_files(master: InspectionFile, tmp_path: Path) -> dict[str, Path]:
    """Case 1 is double-read (Daniel first, Priya second); both get fieldwork files."""
    allocate_case(master, 1, DANIEL)
    allocate_case(master, 1, PRIYA, second_reader=True)
    return {
        name: export_fieldwork(master, name, tmp_path / f"{name.split()[0]}.inspection").path
        for name in (DANIEL, PRIYA)
    }


def _codes(file: InspectionFile, n: int = 3) -> list[str]:
    return [q.code for q in file.framework.questions() if q.scored and q.applies_if is None][:n]


def _answer(path: Path, sample_no: int, code: str, value: str, note: str = "") -> None:
    with InspectionFile.open(path) as file:
        set_answer(file, file.case_key_for(sample_no), code, value, note)


def test_merge_brings_answers_and_notes_into_the_master(
    master: InspectionFile, team_files: dict[str, Path]
) -> None:
    code = _codes(master)[0]
    _answer(team_files[DANIEL], 1, code, "no", "No evidence on file")
    report = merge_files(master, [team_files[DANIEL]])
    assert [(s.owner, s.new_revisions, s.cases_touched) for s in report.sources] == [(DANIEL, 1, 1)]
    answer = load_case(master, master.case_key_for(1)).answers[code]
    assert (answer.value, answer.note) == ("no", "No evidence on file")
    attached = {row[1] for row in master.db.raw.execute("PRAGMA database_list")}
    assert attached <= {"main", "temp"}  # the checked copy was detached after the merge
    source_before = closed_hash(team_files[DANIEL])
    merge_files(master, [team_files[DANIEL]])
    assert closed_hash(team_files[DANIEL]) == source_before  # the source is never changed


def test_double_reading_disagreement_is_a_conflict_with_both_sides_kept(
    master: InspectionFile, team_files: dict[str, Path]
) -> None:
    first, second, _third = _codes(master)
    _answer(team_files[DANIEL], 1, first, "yes", "Seen on file")
    _answer(team_files[PRIYA], 1, first, "no", "Not on file")
    _answer(team_files[DANIEL], 1, second, "yes")
    _answer(team_files[PRIYA], 1, second, "yes")
    report = merge_files(master, [team_files[DANIEL], team_files[PRIYA]])
    # One conflict, and both files take part in it.
    assert [s.conflicts_raised for s in report.sources] == [1, 1]
    conflicts = list_conflicts(master)
    assert [(c.label, c.field) for c in conflicts] == [("Case 001", first)]
    assert {(h.author, h.value, h.note) for h in conflicts[0].heads} == {
        (DANIEL, "yes", "Seen on file"),
        (PRIYA, "no", "Not on file"),
    }
    case = load_case(master, master.case_key_for(1))
    assert case.answers[first].conflicted and not case.answers[second].conflicted

    resolve_conflict(master, 1, first, take_author=PRIYA, reason="Checked the record together")
    assert list_conflicts(master) == []
    assert load_case(master, master.case_key_for(1)).answers[first].value == "no"
    # Re-merging the old files cannot bring the conflict back.
    merge_files(master, [team_files[DANIEL], team_files[PRIYA]])
    assert list_conflicts(master) == []

    pairs = agreement(master)
    assert [(p.first, p.second, p.compared, p.agreed) for p in pairs] == [(DANIEL, PRIYA, 2, 1)]
    assert pairs[0].rate == 0.5


def test_resolving_with_a_new_value_and_refusals(master: InspectionFile, team_files) -> None:
    code = _codes(master)[0]
    _answer(team_files[DANIEL], 1, code, "yes")
    _answer(team_files[PRIYA], 1, code, "no")
    merge_files(master, [team_files[DANIEL], team_files[PRIYA]])
    with pytest.raises(InspectorError, match="reason"):
        resolve_conflict(master, 1, code, value="na", reason=" ")
    with pytest.raises(NotFound, match="no answer by 'Tom'"):
        resolve_conflict(master, 1, code, take_author="Tom", reason="x")
    resolve_conflict(master, 1, code, value="N/A", reason="Did not apply after all")
    assert load_case(master, master.case_key_for(1)).answers[code].value == "na"
    with pytest.raises(NotFound, match="no open conflict"):
        resolve_conflict(master, 1, code, value="yes", reason="again")


def test_cohens_kappa_known_values() -> None:
    assert cohens_kappa([("yes", "yes"), ("no", "no")]) == 1.0
    assert cohens_kappa([("yes", "no"), ("no", "yes")]) == -1.0
    assert cohens_kappa([]) is None
    assert cohens_kappa([("yes", "yes"), ("yes", "yes")]) is None
    # 20 items: 15 agree; marginals 10/10 and 10/10 -> p_e = 0.5, kappa = 0.5
    pairs = [("yes", "yes")] * 8 + [("no", "no")] * 7 + [("yes", "no")] * 2 + [("no", "yes")] * 3
    assert cohens_kappa(pairs) == pytest.approx((0.75 - 0.5) / 0.5)


def test_dry_run_previews_without_writing(master: InspectionFile, team_files) -> None:
    code = _codes(master)[0]
    _answer(team_files[DANIEL], 1, code, "yes")
    _answer(team_files[PRIYA], 1, code, "no")
    before = content(master.path)
    report = merge_files(master, [team_files[DANIEL], team_files[PRIYA]], dry_run=True)
    assert report.dry_run and [s.new_revisions for s in report.sources] == [1, 1]
    # One conflict, and both files take part in it.
    assert [s.conflicts_raised for s in report.sources] == [1, 1]
    assert content(master.path) == before
    assert not snapshot_path(master.path).exists()


def test_undo_restores_the_master_as_it_was(master: InspectionFile, team_files) -> None:
    path = master.path
    code = _codes(master)[0]
    _answer(team_files[DANIEL], 1, code, "yes")
    master.close()
    before = content(path)
    with InspectionFile.open(path) as reopened:
        merge_files(reopened, [team_files[DANIEL]])
        assert load_case(reopened, reopened.case_key_for(1)).answers
        with pytest.raises(InspectorError, match="close it first"):
            undo_last_merge(path)
    statement = undo_last_merge(path)
    assert "Daniel Okafor's file (1 new change)" in statement
    assert content(path) == before
    with InspectionFile.open(path) as restored:
        assert not load_case(restored, restored.case_key_for(1)).answers
    with pytest.raises(InspectorError, match="no merge to undo"):
        undo_last_merge(path)


def test_cancelled_merge_leaves_master_unchanged(master: InspectionFile, team_files) -> None:
    _answer(team_files[DANIEL], 1, _codes(master)[0], "yes")
    before = content(master.path)
    state = {"cancel": False}

    def progress(done: int, total: int, message: str) -> None:
        state["cancel"] = message.startswith("Merging")  # the user presses Cancel mid-merge

    with pytest.raises(MergeCancelled):
        merge_files(
            master, [team_files[DANIEL]], progress=progress, is_cancelled=lambda: state["cancel"]
        )
    assert content(master.path) == before
    assert not snapshot_path(master.path).exists()


def test_cancelling_while_the_files_are_copied_and_checked_leaves_nothing_behind(
    master: InspectionFile, team_files, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _answer(team_files[DANIEL], 1, _codes(master)[0], "yes")
    private = tmp_path / "private"
    private.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(private))
    before = content(master.path)
    with pytest.raises(MergeCancelled):
        merge_files(master, list(team_files.values()), is_cancelled=lambda: True)
    assert content(master.path) == before
    assert not snapshot_path(master.path).exists()
    assert list(private.iterdir()) == []  # the private copies are gone
    attached = {row[1] for row in master.db.raw.execute("PRAGMA database_list")}
    assert attached <= {"main", "temp"}  # no source is left attached


# -- refusals ---------------------------------------------------------------------------------


def _tamper(sql: str) -> Callable[[Path, InspectionFile, Path], Path]:
    def make(source: Path, master: InspectionFile, tmp: Path) -> Path:
        conn = sqlite3.connect(source, isolation_level=None)
        conn.executescript(sql)
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.close()
        return source

    return make


def _bytes(data: bytes) -> Callable[[Path, InspectionFile, Path], Path]:
    def make(source: Path, master: InspectionFile, tmp: Path) -> Path:
        source.write_bytes(data)
        return source

    return make


def _truncated(source: Path, master: InspectionFile, tmp: Path) -> Path:
    data = source.read_bytes()
    source.write_bytes(data[: len(data) // 3])
    return source


def _other_app(source: Path, master: InspectionFile, tmp: Path) -> Path:
    source.unlink()
    conn = sqlite3.connect(source)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.commit()
    conn.close()
    return source


def _newer(source: Path, master: InspectionFile, tmp: Path) -> Path:
    return _tamper("PRAGMA user_version = 99;")(source, master, tmp)


def _other_inspection(source: Path, master: InspectionFile, tmp: Path) -> Path:
    source.unlink()
    from inspector_app.core.cases.team import add_member
    from inspector_app.core.sample.placement import allocate_auto, import_sample

    with InspectionFile.create(
        tmp / "other.inspection", title="Other", organisation="Elsewhere"
    ) as other:
        add_member(other, DANIEL)
        shutil.copy(master.path.parent / "sample.csv", tmp / "s2.csv")
        import_sample(other, tmp / "s2.csv")
        allocate_auto(other)
        return export_fieldwork(other, DANIEL, source).path


def _foreign_author(source: Path, master: InspectionFile, tmp: Path) -> Path:
    lead_id = master.member_by_name(LEAD)[0]
    return _tamper(f"UPDATE revision SET author = '{lead_id}';")(source, master, tmp)


def _unallocated(source: Path, master: InspectionFile, tmp: Path) -> Path:
    """Well-formed revisions (keys that match) on a case allocated to someone else."""
    from inspector_app.core.revisions import ids

    other_case = next(
        master.case_key_for(n)
        for n in range(2, 13)
        if load_case(master, master.case_key_for(n)).first_reader == PRIYA
    )
    conn = sqlite3.connect(source, isolation_level=None)
    conn.create_function("record_key", 3, ids.record_key)
    conn.execute(
        "UPDATE revision SET case_key = ?1, record_key = record_key(?1, kind, field)",
        (other_case,),
    )
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    return source


def _leftover_wal(source: Path, master: InspectionFile, tmp: Path) -> Path:
    Path(str(source) + "-wal").write_bytes(b"\x37\x7f\x06\x82" + b"\x00" * 28)
    return source


def _forged_key(source: Path, master: InspectionFile, tmp: Path) -> Path:
    """Point a revision on Daniel's own case at the key of another case's answer."""
    from inspector_app.core.revisions import ids
    from inspector_app.core.revisions.log import Kind

    other = next(
        master.case_key_for(n)
        for n in range(2, 13)
        if load_case(master, master.case_key_for(n)).first_reader == PRIYA
    )
    code = _codes(master)[0]
    forged = ids.record_key(other, Kind.ANSWER, code)
    return _tamper(f"UPDATE revision SET record_key = '{forged}' WHERE kind = 'answer';")(
        source, master, tmp
    )


REFUSALS = {
    "random-bytes": (
        _bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 500),
        "not an inspection file, or an encrypted one",
    ),
    "empty": (_bytes(b""), "empty"),
    "truncated": (_truncated, "damaged"),
    "other-application": (_other_app, "another application"),
    "newer-schema": (_newer, "newer version"),
    "other-inspection": (_other_inspection, "another inspection"),
    "other-framework-version": (
        _tamper("UPDATE inspection SET framework_version = '9.9';"),
        "framework iaow-2013 9.9",
    ),
    "injected-trigger": (
        _tamper("CREATE TRIGGER wipe AFTER INSERT ON revision BEGIN DELETE FROM case_record; END;"),
        "trigger 'wipe'",
    ),
    "injected-view": (_tamper("CREATE VIEW peek AS SELECT * FROM case_identity;"), "view 'peek'"),
    "extra-table": (_tamper("CREATE TABLE payload (x);"), "table 'payload'"),
    "foreign-author": (_foreign_author, "someone other than the file's owner"),
    "unallocated-case": (_unallocated, "not allocated to Daniel Okafor"),
    "leftover-journal": (_leftover_wal, "not closed cleanly"),
    "forged-record-key": (_forged_key, "carries the key of another value"),
    "invalid-stamp": (_tamper("UPDATE revision SET hlc = 'x';"), "invalid time stamp"),
    "stamp-far-in-future": (
        _tamper("UPDATE revision SET hlc = '9999999999999.000000.' || substr(hlc, 22);"),
        "in the future",
    ),
    "stamp-of-no-replica": (
        _tamper("UPDATE revision SET hlc = substr(hlc, 1, 21) || 'not-hex';"),
        "invalid time stamp",
    ),
    "stamp-in-capitals": (
        _tamper("UPDATE revision SET hlc = substr(hlc, 1, 21) || upper(substr(hlc, 22));"),
        "invalid time stamp",
    ),
    "value-off-the-scale": (
        _tamper("UPDATE revision SET value = '\"Tom was here\"' WHERE kind = 'answer';"),
        "its scale does not allow",
    ),
    "self-replacing-revision": (
        _tamper(
            "INSERT INTO revision_parent (record_key, parent_id, revision_id)"
            " SELECT record_key, id, id FROM revision WHERE kind = 'answer';"
        ),
        "name themselves",
    ),
    "link-of-no-revision": (
        _tamper(
            "INSERT INTO revision_parent (record_key, parent_id, revision_id)"
            " SELECT record_key, id, 'not-a-revision' FROM revision WHERE kind = 'answer';"
        ),
        "belong to no revision",
    ),
    "unreadable-value": (
        _tamper("UPDATE revision SET value = '{not json' WHERE kind = 'answer';"),
        "not readable",
    ),
}


@pytest.mark.parametrize("kind", list(REFUSALS))
def test_refused_sources_leave_the_master_byte_for_byte_unchanged(
    master: InspectionFile, team_files: dict[str, Path], tmp_path: Path, kind: str
) -> None:
    make, expected = REFUSALS[kind]
    _answer(team_files[DANIEL], 1, _codes(master)[0], "yes")
    source = make(team_files[DANIEL], master, tmp_path)
    path = master.path
    master.close()
    before = closed_hash(path)
    with InspectionFile.open(path) as reopened:
        report = merge_files(reopened, [source])
    (outcome,) = report.sources
    assert outcome.refusal is not None
    assert outcome.refusal.startswith(source.name + ":")
    assert expected in outcome.refusal
    assert "\n" not in outcome.refusal
    assert closed_hash(path) == before
    assert not snapshot_path(path).exists()


def test_one_refused_source_does_not_stop_the_others(
    master: InspectionFile, team_files, tmp_path
) -> None:
    _answer(team_files[PRIYA], 1, _codes(master)[0], "no")
    junk = tmp_path / "junk.inspection"
    junk.write_bytes(b"junk" * 100)
    report = merge_files(master, [junk, team_files[PRIYA]])
    assert [s.merged for s in report.sources] == [False, True]
    assert report.sources[1].new_revisions == 1


def test_merging_into_a_fieldwork_file_is_refused(team_files) -> None:
    with (
        InspectionFile.open(team_files[DANIEL]) as fieldwork,
        pytest.raises(InspectorError, match="master"),
    ):
        merge_files(fieldwork, [team_files[PRIYA]])


def test_application_id_constant_is_ours() -> None:
    assert APPLICATION_ID.to_bytes(4, "big") == b"IAPP"


def test_the_same_file_given_twice_is_merged_once_and_undo_kept(
    master: InspectionFile, team_files
) -> None:
    _answer(team_files[DANIEL], 1, _codes(master)[0], "yes")
    report = merge_files(master, [team_files[DANIEL], team_files[DANIEL]])
    assert [s.new_revisions for s in report.sources] == [1]
    assert report.snapshot is not None and snapshot_path(master.path).exists()


def test_many_files_are_one_transaction_so_a_late_cancel_changes_nothing(
    master: InspectionFile, team_files, tmp_path: Path
) -> None:
    _answer(team_files[DANIEL], 1, _codes(master)[0], "yes")
    _answer(team_files[PRIYA], 1, _codes(master)[1], "no")
    copies = [team_files[DANIEL], team_files[PRIYA]]
    for i in range(10):  # more files than SQLite can attach at once
        copy = tmp_path / f"copy-{i}.inspection"
        shutil.copy(team_files[PRIYA if i % 2 else DANIEL], copy)
        copies.append(copy)
    before = content(master.path)
    state = {"cancel": False}

    def progress(done: int, total: int, message: str) -> None:
        state["cancel"] = message == "Merging copy-9.inspection"

    with pytest.raises(MergeCancelled):
        merge_files(master, copies, progress=progress, is_cancelled=lambda: state["cancel"])
    assert content(master.path) == before
    assert not snapshot_path(master.path).exists()
    report = merge_files(master, copies, dry_run=True)
    assert sum(s.new_revisions for s in report.sources) == 2


def test_a_conflict_on_case_status_can_be_settled(master: InspectionFile) -> None:
    make_conflict(master, master.case_key_for(1), "complete", (True, False), Kind.STATUS)
    assert [c.kind for c in list_conflicts(master)] == ["status"]
    resolve_conflict(master, 1, "complete", value="open", reason="Reopened for QA")
    assert list_conflicts(master) == []


def test_taking_an_answer_by_revision_when_one_author_wrote_both(master: InspectionFile) -> None:
    key, code = master.case_key_for(1), _codes(master)[0]
    make_conflict(master, key, code, ("no", "na"))
    (conflict,) = list_conflicts(master)
    older = next(h for h in conflict.heads if h.value == "no")
    with pytest.raises(InspectorError, match="different answers"):
        resolve_conflict(master, 1, code, take_author=LEAD, reason="ambiguous")
    resolve_conflict(
        master, 1, code, take_revision=older.revision_id, reason="the second row is right"
    )
    assert load_case(master, key).answers[code].value == "no"


def test_undo_refuses_to_lose_edits_made_after_the_merge(
    master: InspectionFile, team_files
) -> None:
    path = master.path
    _answer(team_files[DANIEL], 1, _codes(master)[0], "yes")
    merge_files(master, [team_files[DANIEL]])
    set_answer(master, master.case_key_for(2), _codes(master)[1], "no", "the lead's own check")
    master.close()
    with pytest.raises(InspectorError, match="1 edit"):
        undo_last_merge(path)
    assert "Undid" in undo_last_merge(path, discard_later_edits=True)


@pytest.mark.parametrize("change", ["team", "allocation"])
def test_undo_refuses_to_lose_a_team_or_allocation_change_made_after_the_merge(
    master: InspectionFile, team_files, change: str
) -> None:
    """Not only revisions: a member added or a case moved after the merge would vanish too."""
    from inspector_app.core.cases.team import add_member
    from inspector_app.core.sample.placement import allocate_case

    path = master.path
    _answer(team_files[DANIEL], 1, _codes(master)[0], "yes")
    merge_files(master, [team_files[DANIEL]])
    if change == "team":
        add_member(master, "Sam Newcomer", "inspector")
    else:
        allocate_case(master, 2, "Helen Ashworth", second_reader=True)
    master.close()
    with pytest.raises(InspectorError, match="the team, allocations or the sample"):
        undo_last_merge(path)
    assert "Undid" in undo_last_merge(path, discard_later_edits=True)


def test_changing_the_passphrase_drops_the_plain_undo_copy(
    master: InspectionFile, team_files
) -> None:
    from inspector_app.core.files.passphrase import change_passphrase

    path = master.path
    _answer(team_files[DANIEL], 1, _codes(master)[0], "yes")
    merge_files(master, [team_files[DANIEL]])
    master.close()
    assert snapshot_path(path).exists()
    change_passphrase(path, current=None, new="a long passphrase")
    assert not snapshot_path(path).exists()


def test_a_batch_too_big_to_attach_is_staged_in_memory_with_the_same_result(
    master: InspectionFile, team_files, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Up to SQLite's attach limit, files are read where they are; beyond it they are copied
    into memory first. Both ways give the same master, report and conflicts."""
    from inspector_app.core.merge import run as merge_module

    first, second, _third = _codes(master)
    _answer(team_files[DANIEL], 1, first, "yes", "Seen on file")
    _answer(team_files[PRIYA], 1, first, "no", "Not on file")
    _answer(team_files[DANIEL], 1, second, "yes")
    master.close()
    copy = tmp_path / "copy" / master.path.name
    copy.parent.mkdir()
    shutil.copy(master.path, copy)
    files = [team_files[DANIEL], team_files[PRIYA]]

    def merged(path: Path, limit: int) -> tuple:
        monkeypatch.setattr(merge_module, "_ATTACH_LIMIT", limit)
        statements: list[str] = []
        with InspectionFile.open(path) as file:
            file.db.raw.set_trace_callback(statements.append)
            report = merge_files(file, files)
            file.db.raw.set_trace_callback(None)
        staged = any("INTO temp.staged_revision" in s for s in statements)
        outcomes = [
            (s.owner, s.new_revisions, s.cases_touched, s.conflicts_raised) for s in report.sources
        ]
        return staged, outcomes, report.new_conflicts, content(path)

    attached = merged(master.path, limit=10)
    staged = merged(copy, limit=1)
    assert (attached[0], staged[0]) == (False, True)
    assert attached[1:] == staged[1:]
    assert attached[2] == 1


def test_a_second_readers_file_whose_edit_replaced_the_first_readers_merges(
    master: InspectionFile, tmp_path: Path
) -> None:
    """A second reader's file leaves out the first reader's revisions, also one that the
    second reader's own edit once replaced: the link to it stays, its parent is not in the
    file, and the file is genuine."""
    code = _codes(master)[0]
    allocate_case(master, 1, DANIEL)
    daniel = export_fieldwork(master, DANIEL, tmp_path / "d1.inspection").path
    _answer(daniel, 1, code, "yes")
    merge_files(master, [daniel])
    allocate_case(master, 1, PRIYA)  # Priya takes the case over and corrects Daniel
    priya = export_fieldwork(master, PRIYA, tmp_path / "p1.inspection").path
    _answer(priya, 1, code, "no", "Not on file")
    assert not merge_files(master, [priya]).refused
    allocate_case(master, 1, DANIEL)  # Daniel first again, Priya double-reads
    allocate_case(master, 1, PRIYA, second_reader=True)
    priya_again = export_fieldwork(master, PRIYA, tmp_path / "p2.inspection").path
    _answer(priya_again, 1, _codes(master)[1], "yes")
    report = merge_files(master, [priya_again])
    assert not report.refused, report.refused
    assert report.sources[0].new_revisions == 1


def test_an_edit_saved_in_the_master_while_files_are_copied_survives_an_undo(
    master: InspectionFile, team_files, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The lead may go on working while a merge copies the files: the undo copy is taken
    after that, so undoing the merge keeps the lead's edit."""
    from inspector_app.core.merge import run as merge_module

    _answer(team_files[DANIEL], 1, _codes(master)[0], "yes")
    real_copy = merge_module.copy_source
    edited = threading.Event()

    def copy_then_edit(*args, **kwargs):
        real_copy(*args, **kwargs)
        if not edited.is_set():
            edited.set()
            with InspectionFile.open(master.path, track_session=False) as other:
                set_answer(other, other.case_key_for(5), _codes(master)[2], "no", "Lead's edit")

    monkeypatch.setattr(merge_module, "copy_source", copy_then_edit)
    merge_files(master, [team_files[DANIEL]])
    assert edited.is_set()
    path = master.path
    master.close()
    undo_last_merge(path)
    with InspectionFile.open(path, readonly=True) as file:
        answer = load_case(file, file.case_key_for(5)).answers[_codes(master)[2]]
    assert (answer.value, answer.note) == ("no", "Lead's edit")


def test_an_edit_tried_just_after_the_undo_copy_is_taken_is_never_lost_by_undo(
    master: InspectionFile, team_files, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worst moment for the lead to save: right after the undo copy is taken. The copy is
    taken inside the merge's write lock, so the save waits (here: fails at once, busy) rather
    than landing between the copy and the merge, where undo would silently drop it."""
    from inspector_app.core.merge import run as merge_module
    from inspector_app.core.storage.dbapi import DatabaseError

    _answer(team_files[DANIEL], 1, _codes(master)[0], "yes")
    real_snapshot = merge_module.take_snapshot
    saved: list[bool] = []

    def snapshot_then_edit(file: InspectionFile) -> Path:
        taken = real_snapshot(file)
        with InspectionFile.open(master.path, track_session=False) as other:
            other.db.raw.execute("PRAGMA busy_timeout = 0")
            try:
                set_answer(other, other.case_key_for(5), _codes(master)[2], "no", "Lead's edit")
                saved.append(True)
            except (DatabaseError, InspectorError):
                saved.append(False)
        return taken

    monkeypatch.setattr(merge_module, "take_snapshot", snapshot_then_edit)
    merge_files(master, [team_files[DANIEL]])
    assert saved == [False]  # the merge held the lock: the save was refused, not lost later
    path = master.path
    master.close()
    undo_last_merge(path)
    with InspectionFile.open(path, readonly=True) as file:
        assert _codes(master)[2] not in load_case(file, file.case_key_for(5)).answers


def test_a_carried_revision_restamped_in_a_reissued_file_moves_neither_clock_nor_undo(
    master: InspectionFile, team_files, tmp_path: Path
) -> None:
    """A re-issued file carries revisions the master already holds; one of them restamped
    days ahead is skipped by the merge, and its stamp must not count as merged."""
    first, second = _codes(master)[:2]
    _answer(team_files[DANIEL], 1, first, "yes")
    merge_files(master, [team_files[DANIEL]])
    reissued = export_fieldwork(master, DANIEL, tmp_path / "again.inspection").path
    _answer(reissued, 1, second, "no")
    days_ahead = time.time_ns() // 1_000_000 + 3 * 24 * 3600 * 1000
    conn = sqlite3.connect(reissued, isolation_level=None)
    conn.execute(
        "UPDATE revision SET hlc = printf('%013d', ?) || substr(hlc, 14) WHERE field = ?",
        (days_ahead, first),
    )
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    clock_before = master.clock.last_ms
    report = merge_files(master, [reissued])
    assert [s.new_revisions for s in report.sources] == [1]
    assert master.clock.last_ms < days_ahead - 24 * 3600 * 1000
    assert master.clock.last_ms >= clock_before
    path = master.path
    master.close()
    assert edits_since_merge(path) == 0  # undo sees nothing done after the merge


def test_a_file_whose_revisions_replace_each_other_in_a_loop_is_refused(
    master: InspectionFile, team_files, tmp_path: Path
) -> None:
    code = _codes(master)[0]
    _answer(team_files[DANIEL], 1, code, "yes")
    _answer(team_files[DANIEL], 1, code, "no")
    source = _tamper(
        "INSERT INTO revision_parent (record_key, parent_id, revision_id)"
        " SELECT record_key, revision_id, parent_id FROM revision_parent;"
    )(team_files[DANIEL], master, tmp_path)
    path = master.path
    master.close()
    before = closed_hash(path)
    with InspectionFile.open(path) as reopened:
        report = merge_files(reopened, [source])
    assert [s.refusal for s in report.sources] == [
        f"{source.name}: revisions replace one another in a loop, which would leave an answer"
        " with no value; the file has been altered and is refused"
    ]
    assert closed_hash(path) == before


def test_two_files_whose_revisions_replace_each_other_in_a_loop_are_refused(
    master: InspectionFile, team_files
) -> None:
    """Each file alone is well formed (a link's parent may be missing from a file); together
    they would leave the answer with no value, so nothing of the batch is merged."""
    code = _codes(master)[0]
    _answer(team_files[DANIEL], 1, code, "yes")
    _answer(team_files[PRIYA], 1, code, "no")
    ids = {}
    for name, path in team_files.items():
        with contextlib.closing(sqlite3.connect(path)) as conn:
            ids[name] = conn.execute(
                "SELECT record_key, id FROM revision WHERE field = ?", (code,)
            ).fetchone()
    for name, other in ((DANIEL, PRIYA), (PRIYA, DANIEL)):
        conn = sqlite3.connect(team_files[name], isolation_level=None)
        record_key, revision_id = ids[name]
        conn.execute(
            "INSERT INTO revision_parent (record_key, parent_id, revision_id) VALUES (?, ?, ?)",
            (record_key, ids[other][1], revision_id),
        )
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.close()
    path = master.path
    master.close()
    before = closed_hash(path)
    with InspectionFile.open(path) as reopened, pytest.raises(FileRefused) as refused:
        merge_files(reopened, [team_files[DANIEL], team_files[PRIYA]])
    assert str(refused.value).startswith("Daniel.inspection, Priya.inspection: revisions replace")
    assert closed_hash(path) == before


def test_a_change_made_on_top_of_the_leads_resolution_merges_but_waits_for_review(
    master: InspectionFile,
    team_files: dict[str, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Daniel's file is re-issued after the lead settled his disagreement with Priya; he
    changes the answer again. The change merges (it is the newer work) but is listed for the
    lead beside the resolution it replaced, until the lead settles it again."""
    code = _codes(master)[0]
    _answer(team_files[DANIEL], 1, code, "yes", "Seen in the plan")
    _answer(team_files[PRIYA], 1, code, "no", "Not on file")
    merge_files(master, [team_files[DANIEL], team_files[PRIYA]])
    resolve_conflict(master, 1, code, take_author=PRIYA, reason="Plan not on file")
    assert list_conflicts(master) == []

    reissued = export_fieldwork(master, DANIEL, tmp_path / "daniel-2.inspection").path
    _answer(reissued, 1, code, "yes", "Found the plan in the archive")
    assert merge_files(master, [reissued]).changed_after_resolution == 1
    assert load_case(master, master.case_key_for(1)).answers[code].value == "yes"

    [review] = list_conflicts(master)
    assert review.after_resolution and (review.sample_no, review.field) == (1, code)
    assert [(h.author, h.value) for h in review.heads] == [(DANIEL, "yes"), (LEAD, "no")]
    assert review.to_json()["changed_after_resolution"] is True
    assert run_cli(["conflicts", str(master.path)]) == 0
    assert capsys.readouterr().out.startswith("Changed after a resolution, to review:\nCase 001")

    resolve_conflict(master, 1, code, take_author=DANIEL, reason="Archive checked")
    assert list_conflicts(master) == []
    assert load_case(master, master.case_key_for(1)).answers[code].value == "yes"


def test_the_leads_own_edit_after_a_resolution_or_an_old_file_raises_no_review(
    master: InspectionFile, team_files: dict[str, Path]
) -> None:
    code = _codes(master)[0]
    _answer(team_files[DANIEL], 1, code, "yes")
    _answer(team_files[PRIYA], 1, code, "no")
    merge_files(master, [team_files[DANIEL], team_files[PRIYA]])
    resolve_conflict(master, 1, code, take_author=PRIYA, reason="Plan not on file")
    # The files issued before the resolution merge again: nothing new, nothing to review.
    merge_files(master, [team_files[DANIEL], team_files[PRIYA]])
    set_answer(master, master.case_key_for(1), code, "yes", "Lead looked again")
    assert list_conflicts(master) == []


def test_an_undo_copy_found_without_its_record_is_undone_only_when_told(
    master: InspectionFile, team_files
) -> None:
    """The app stopped between keeping the undo copy and writing what the merge changed:
    later edits cannot be counted, so undo asks to be told."""
    _answer(team_files[DANIEL], 1, _codes(master)[0], "yes")
    merge_files(master, [team_files[DANIEL]])
    path = master.path
    master.close()
    snapshot = snapshot_path(path)
    snapshot.with_name(snapshot.name + ".json").unlink()
    with pytest.raises(
        InspectorError, match="the record of what the last merge changed is missing"
    ):
        undo_last_merge(path)
    assert snapshot.exists()
    undo_last_merge(path, discard_later_edits=True)
    with InspectionFile.open(path, readonly=True) as file:
        assert not load_case(file, file.case_key_for(1)).answers


def test_a_second_readers_file_knows_the_first_reader_but_not_their_answers(
    master: InspectionFile, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = _codes(master)[0]
    allocate_case(master, 1, DANIEL)
    daniel = export_fieldwork(master, DANIEL, tmp_path / "d.inspection").path
    _answer(daniel, 1, code, "yes", "Daniel's view")
    merge_files(master, [daniel])
    allocate_case(master, 1, PRIYA, second_reader=True)
    priya = export_fieldwork(master, PRIYA, tmp_path / "p.inspection").path
    with InspectionFile.open(priya, readonly=True) as file:
        case = load_case(file, file.case_key_for(1))
        assert (case.first_reader, case.second_reader) == (DANIEL, PRIYA)
        assert code not in case.answers  # the second reading stays independent
    assert run_cli(["status", str(priya)]) == 0
    out = capsys.readouterr().out
    assert "(unallocated)" not in out and DANIEL in out
    _answer(priya, 1, code, "no", "Priya's view")
    report = merge_files(master, [priya])
    assert not report.refused and report.sources[0].new_revisions == 1
