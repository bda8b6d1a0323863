"""A fieldwork file merged again: only what it added since is checked in full and merged; what
it held when it was last merged must be what it holds now, or it is refused as altered and
the master is left exactly as it was. The master's marks go back with an undone merge."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from inspector_app.core.cases.answers import set_answer
from inspector_app.core.files.fieldwork_export import export_fieldwork
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.files.merge_copy import undo_last_merge
from inspector_app.core.files.passphrase import change_passphrase
from inspector_app.core.merge import checks
from inspector_app.core.merge.run import MergeReport, merge_files
from inspector_app.core.revisions.hlc import decode, encode
from inspector_app.core.sample.placement import allocate_case
from inspector_app.core.storage.connection import read_header
from inspector_app.core.storage.dbapi import Connection
from tests.conftest import INSPECTORS
from tests.core.test_hostile_merge import _stale_index
from tests.merge_helpers import closed_hash, content

DANIEL, PRIYA = INSPECTORS


@pytest.fixture
def daniel(master: InspectionFile, tmp_path: Path) -> Path:
    """Daniel's fieldwork file; cases 1 and 2 are his alone."""
    allocate_case(master, 1, DANIEL)
    allocate_case(master, 2, DANIEL)
    return export_fieldwork(master, DANIEL, tmp_path / "daniel.inspection").path


@pytest.fixture
def checked(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many revisions each file the merges check holds, as the checks see it."""
    counts: list[int] = []
    real = checks.revisions_summary

    def spy(conn: Connection, owner_id: str) -> tuple[int, str | None, int]:
        summary = real(conn, owner_id)
        counts.append(summary[0])
        return summary

    monkeypatch.setattr(checks, "revisions_summary", spy)
    return counts


def _codes(file: InspectionFile) -> list[str]:
    return [q.code for q in file.framework.questions() if q.scored and q.applies_if is None]


def _answer(path: Path, code: str, value: str, sample_no: int = 1, note: str = "") -> None:
    with InspectionFile.open(path) as file:
        set_answer(file, file.case_key_for(sample_no), code, value, note)


def _merge(master_path: Path, *sources: Path) -> MergeReport:
    with InspectionFile.open(master_path) as master:
        return merge_files(master, list(sources))


@contextmanager
def _sql(path: Path) -> Iterator[sqlite3.Connection]:
    """A change made to a closed file behind the app's back, left with no journal beside it."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        yield conn
        conn.execute("PRAGMA journal_mode = DELETE")
    finally:
        conn.close()


def _first_merged(master: InspectionFile, daniel: Path) -> tuple[Path, list[str]]:
    """Daniel answers three questions and his file is merged; the master is closed after."""
    codes = _codes(master)
    for code in codes[:3]:
        _answer(daniel, code, "yes", note="Seen on the case record.")
    path = master.path
    master.close()
    assert _merge(path, daniel).sources[0].new_revisions == 3
    return path, codes


def test_a_file_sent_again_merges_what_it_added_and_ends_as_one_merge_would(
    master: InspectionFile, daniel: Path, tmp_path: Path, checked: list[int]
) -> None:
    master.close()
    reference = tmp_path / "reference" / master.path.name
    reference.parent.mkdir()
    shutil.copy(master.path, reference)
    path, codes = _first_merged(master, daniel)
    _answer(daniel, codes[0], "no", note="Looked again: not on the record.")  # replaces one
    _answer(daniel, codes[3], "yes")
    _answer(daniel, codes[1], "yes", sample_no=2)
    report = _merge(path, daniel)
    assert [(s.new_revisions, s.cases_touched, s.refusal) for s in report.sources] == [(3, 2, None)]
    assert checked == [3, 3]  # the second time, only what the file added was checked
    # One merge of the file as it is now gives the same revisions, links and values.
    assert _merge(reference, daniel).sources[0].new_revisions == 6
    assert content(path) == content(reference)


def test_a_file_sent_again_unchanged_adds_nothing_and_changes_nothing(
    master: InspectionFile, daniel: Path, checked: list[int]
) -> None:
    path, _codes = _first_merged(master, daniel)
    before, marks = content(path), _marks(path)
    for _ in range(2):
        report = _merge(path, daniel)
        assert [(s.new_revisions, s.refusal) for s in report.sources] == [(0, None)]
        assert report.snapshot is None
    assert checked == [3, 0, 0]
    # The answers, their history and the mark are as they were; only the record that the
    # file came back again (the Fieldwork files page's "last merged") is new.
    assert content(path) == before and _marks(path) == marks


def _marks(path: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT * FROM merge_mark ORDER BY replica_id").fetchall()
    finally:
        conn.close()


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (
            "DELETE FROM revision WHERE rowid = (SELECT min(rowid) FROM revision)",
            "1 revision(s) it held when it was last merged are no longer in it",
        ),
        (
            "UPDATE revision SET value = '\"no\"' WHERE rowid = (SELECT min(rowid) FROM revision)",
            "revisions it held when it was last merged have been changed since",
        ),
        (
            "UPDATE revision SET note = 'Seen twice.'"
            " WHERE rowid = (SELECT min(rowid) FROM revision)",
            "revisions it held when it was last merged have been changed since",
        ),
        (
            "INSERT INTO revision SELECT lower(hex(randomblob(16))), record_key, kind, case_key,"
            " field, '\"no\"', note, reason, author, hlc FROM revision"
            " WHERE rowid = (SELECT min(rowid) FROM revision)",
            "it holds 1 revision(s) dated before it was last merged that it did not hold then",
        ),
        (
            "INSERT INTO revision_parent SELECT record_key, lower(hex(randomblob(16))), id"
            " FROM revision WHERE rowid = (SELECT min(rowid) FROM revision)",
            "the links between the revisions it held when it was last merged have changed",
        ),
    ],
    ids=["revision-removed", "value-changed", "note-changed", "backdated-added", "link-added"],
)
def test_a_file_whose_history_changed_before_its_last_merge_is_refused(
    master: InspectionFile, daniel: Path, change: str, problem: str
) -> None:
    path, codes = _first_merged(master, daniel)
    _answer(daniel, codes[5], "yes")  # something new, which would merge
    with _sql(daniel) as conn:
        conn.execute(change)
    before = closed_hash(path)
    (outcome,) = _merge(path, daniel).sources
    assert outcome.refusal == (
        f"daniel.inspection: {problem}; the file has been altered and is refused"
    )
    assert closed_hash(path) == before
    assert _merge(path, daniel).sources[0].refusal == outcome.refusal  # and stays refused


def _stamp_after_everything(path: Path) -> str:
    """A valid clock stamp of the file's own, later than any it holds."""
    with _sql(path) as conn:
        newest = conn.execute("SELECT max(hlc) FROM revision").fetchone()[0]
        replica = conn.execute("SELECT replica_id FROM file_info").fetchone()[0]
    ms, _counter, _replica = decode(newest)
    return encode(ms + 1, 0, replica)


def test_a_revision_added_under_the_key_of_one_held_before_is_refused(
    master: InspectionFile, daniel: Path
) -> None:
    """Under a key index that no longer knows the table (which SQLite's quick check does not
    see), a new revision takes the key of one the file held: a revision's key is unique, so
    the file has been altered, as a file merged for the first time is found to be."""
    path, codes = _first_merged(master, daniel)
    _answer(daniel, codes[5], "yes")
    first, last = "(SELECT min(rowid) FROM revision)", "(SELECT max(rowid) FROM revision)"
    _stale_index(
        daniel,
        "sqlite_autoindex_revision_1",
        f"UPDATE revision SET (record_key, id) = (SELECT record_key, id FROM revision"
        f" WHERE rowid = {first}) WHERE rowid = {last}",
    )
    before = closed_hash(path)
    (outcome,) = _merge(path, daniel).sources
    assert outcome.refusal == (
        "daniel.inspection: 1 revision(s) it held when it was last merged are repeated, stamped"
        " anew, among those it added since; the file has been altered and is refused"
    )
    assert closed_hash(path) == before


@pytest.mark.parametrize(
    ("column", "value", "problem"),
    [
        ("value", '"maybe"', "which its scale does not allow; the file has been altered"),
        ("author", "someone", "signed by someone other than the file's owner"),
    ],
    ids=["value-outside-its-scale", "signed-by-another"],
)
def test_what_a_file_added_since_its_last_merge_gets_every_check(
    master: InspectionFile, daniel: Path, column: str, value: str, problem: str
) -> None:
    path, codes = _first_merged(master, daniel)
    _answer(daniel, codes[5], "yes")
    stamp = _stamp_after_everything(daniel)
    with _sql(daniel) as conn:
        conn.execute(
            f"UPDATE revision SET {column} = ?, hlc = ? WHERE rowid = (SELECT max(rowid) FROM"
            " revision)",
            (value, stamp),
        )
    before = closed_hash(path)
    (outcome,) = _merge(path, daniel).sources
    assert outcome.refusal is not None and problem in outcome.refusal
    assert closed_hash(path) == before


def test_undoing_a_merge_puts_its_mark_back_and_the_file_merges_again(
    master: InspectionFile, daniel: Path, checked: list[int]
) -> None:
    path, codes = _first_merged(master, daniel)
    undo_last_merge(path)  # back to before the file's first merge: no mark of it
    assert _merge(path, daniel).sources[0].new_revisions == 3
    _answer(daniel, codes[3], "no")
    _answer(daniel, codes[4], "yes")
    assert _merge(path, daniel).sources[0].new_revisions == 2
    merged = content(path)
    assert "2 new changes" in undo_last_merge(path)
    assert content(path) != merged
    report = _merge(path, daniel)  # checked from the mark of the merge before, as then
    assert [(s.new_revisions, s.refusal) for s in report.sources] == [(2, None)]
    assert content(path) == merged
    assert checked == [3, 3, 2, 2]


def test_a_copy_opened_somewhere_new_is_checked_from_the_mark_of_the_file_it_copies(
    master: InspectionFile, daniel: Path, tmp_path: Path, checked: list[int]
) -> None:
    """Opened elsewhere, a copy signs its edits with a replica id of its own; what it holds
    from the file it copies still matches that file's mark."""
    path, codes = _first_merged(master, daniel)
    elsewhere = tmp_path / "usb" / daniel.name
    elsewhere.parent.mkdir()
    shutil.copy(daniel, elsewhere)
    _answer(elsewhere, codes[4], "yes")
    assert _merge(path, elsewhere).sources[0].new_revisions == 1
    assert checked == [3, 1]


def test_a_file_issued_again_with_another_history_is_checked_whole_not_refused(
    master: InspectionFile, daniel: Path, tmp_path: Path, checked: list[int]
) -> None:
    """A new fieldwork file for the same person holds the master's revisions on their cases:
    here also the lead's, from before the first file was merged. It does not match the mark
    of their first file, so it is checked in full, and merges."""
    codes = _codes(master)
    set_answer(master, master.case_key_for(2), codes[7], "no", "The lead's own reading.")
    path, codes = _first_merged(master, daniel)
    (tmp_path / "again").mkdir()
    with InspectionFile.open(path) as reopened:
        again = export_fieldwork(reopened, DANIEL, tmp_path / "again" / "daniel.inspection")
    _answer(again.path, codes[6], "yes")
    report = _merge(path, again.path)
    assert [(s.new_revisions, s.refusal) for s in report.sources] == [(1, None)]
    assert checked == [3, 5]


def test_an_encrypted_file_sent_again_stays_encrypted_while_checked(
    master: InspectionFile, daniel: Path, checked: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    path, codes = _first_merged(master, daniel)
    change_passphrase(daniel, current=None, new="daniel's long passphrase")
    with InspectionFile.open(daniel, passphrase="daniel's long passphrase") as file:
        set_answer(file, file.case_key_for(1), codes[4], "yes")
    copies: list[Path] = []
    real = checks.check_copy

    def spy(
        facts: checks.MasterFacts, source: Path, copy: Path, passphrase: str | None = None
    ) -> checks.CheckedSource:
        found = real(facts, source, copy, passphrase)
        copies.append(found.copy)
        assert not read_header(found.copy).is_sqlite  # nothing decrypted on the disk
        return found

    monkeypatch.setattr("inspector_app.core.merge.run.check_copy", spy)
    with InspectionFile.open(path) as reopened:
        report = merge_files(reopened, [daniel], passphrases={daniel: "daniel's long passphrase"})
    assert [(s.new_revisions, s.refusal) for s in report.sources] == [(1, None)]
    assert checked == [3, 1] and len(copies) == 1


def test_a_mark_another_sqlite_took_is_checked_against_in_full_not_refused(
    master: InspectionFile, daniel: Path, checked: list[int]
) -> None:
    """A newer SQLite might write a value's text differently: a digest it did not take is
    no proof of a change, so the file is checked whole, as if it had no mark."""
    path, codes = _first_merged(master, daniel)
    with _sql(path) as conn:
        conn.execute("UPDATE merge_mark SET digest = 'sqlite-3.0.0:' || substr(digest, -64)")
    _answer(daniel, codes[4], "yes")
    report = _merge(path, daniel)
    assert [(s.new_revisions, s.refusal) for s in report.sources] == [(1, None)]
    assert checked == [3, 4]
    _answer(daniel, codes[5], "yes")
    assert _merge(path, daniel).sources[0].new_revisions == 1
    assert checked == [3, 4, 1]  # the mark is this SQLite's again
