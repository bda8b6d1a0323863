"""Hostile fieldwork files (issue 16, items 1, 2 and 5): each is refused with one line naming
the file, and the master is byte-for-byte as it was (`_refusal`). Files that are odd but not
altered (an earlier version's over-wide clock counter, a carried revision restamped) merge.

1. The checks read what the merge copies: every object of the schema is compared by exact
   name, and no index can say one thing while the table rows, which the merge copies, say
   another.
2. The clock cannot be poisoned: a counter never grows past its six digits, a stamp far
   ahead of the master's clock is refused, and an over-wide counter an earlier version wrote
   is read as the stamp it stands for.
5. Every value is checked against what its kind allows: answers against their scale, profile
   values against the case profile, case status as true or false, narrative parts as
   narrative.py writes them.
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
import time
from pathlib import Path

import pytest

from inspector_app.core.cases.answers import set_answer, set_profile_value
from inspector_app.core.cases.case_data import STATUS_FIELD, load_case
from inspector_app.core.files.fieldwork_export import export_fieldwork
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.files.merge_copy import snapshot_path
from inspector_app.core.merge.run import merge_files
from inspector_app.core.merge.validation import MAX_AHEAD_MS, narrative_value_problem
from inspector_app.core.revisions import ids
from inspector_app.core.revisions.hlc import MAX_COUNTER, HybridClock, normalise
from inspector_app.core.revisions.log import Kind, write_revision
from inspector_app.core.sample.placement import allocate_case
from inspector_app.core.storage.dbapi import driver
from tests.conftest import INSPECTORS, LEAD
from tests.merge_helpers import closed_hash

DANIEL, PRIYA = INSPECTORS
# What the app's own check calls a valid stamp: 13-digit milliseconds, 6-digit counter, hex.
VALID_STAMP = re.compile(r"\d{13}\.\d{6}\.[0-9a-f]+")
HOUR_MS = 3600 * 1000


@pytest.fixture
def daniel(master: InspectionFile, tmp_path: Path) -> Path:
    """Daniel's fieldwork file; case 1 is his alone."""
    allocate_case(master, 1, DANIEL)
    return export_fieldwork(master, DANIEL, tmp_path / "daniel.inspection").path


def _code(file: InspectionFile, n: int = 0) -> str:
    return [q.code for q in file.framework.questions() if q.scored and q.applies_if is None][n]


def _text_question(file: InspectionFile) -> str:
    """A free-text question (the framework's applies after a 'yes' to another)."""
    return next(
        q.code for q in file.framework.questions() if file.framework.scale_of(q).kind == "text"
    )


def _answer_in_words(path: Path, master: InspectionFile) -> None:
    question = master.framework.question(_text_question(master))
    condition = question.applies_if
    if condition is not None:
        _answer(path, condition.question, condition.value)
    _answer(path, question.code, "Seen at the office.")


def _answer(path: Path, code: str, value: object, sample_no: int = 1) -> None:
    with InspectionFile.open(path) as file:
        set_answer(file, file.case_key_for(sample_no), code, value)


def _sql(path: Path, *statements: str, params: tuple = ()) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        for statement in statements:
            conn.execute(statement, params)
        conn.execute("PRAGMA journal_mode = DELETE")
    finally:
        conn.close()


def _refusal(master: InspectionFile, source: Path) -> str:
    """Merge `source` into the master (closed and reopened, so its bytes can be compared):
    it must be refused in one line naming the file, leaving the master as it was."""
    path = master.path
    master.close()
    before = closed_hash(path)
    with InspectionFile.open(path) as reopened:
        clock_before = (reopened.clock.last_ms, reopened.clock.counter)
        report = merge_files(reopened, [source])
        assert (reopened.clock.last_ms, reopened.clock.counter) == clock_before
    (outcome,) = report.sources
    assert outcome.refusal is not None, "merged"
    assert outcome.refusal.startswith(source.name + ": ")
    assert len(outcome.refusal.splitlines()) == 1
    assert closed_hash(path) == before
    assert not snapshot_path(path).exists()
    return outcome.refusal


def _stale_index(path: Path, index: str, change: str, params: tuple = ()) -> None:
    """Run `change` on the table rows while SQLite does not know of `index`, so the index
    keeps saying what the rows said before: a file whose index disagrees with its table, and
    which SQLite's quick check still calls sound. For one of SQLite's own indexes (a primary
    key's), the table's definition loses its key while the rows change, and gets it back."""
    conn = sqlite3.connect(path, isolation_level=None)
    with contextlib.closing(conn):
        row = conn.execute(
            "SELECT type, name, tbl_name, rootpage, sql FROM sqlite_master WHERE name = ?",
            (index,),
        ).fetchone()
        table = conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (row[2],)
        ).fetchone()[0]
        keyless = re.sub(r",\s*CONSTRAINT pk_\w+ PRIMARY KEY \([^)]*\)", "", table)
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute("DELETE FROM sqlite_master WHERE name = ?", (index,))
        if row[4] is None:
            conn.execute("UPDATE sqlite_master SET sql = ? WHERE name = ?", (keyless, row[2]))
    conn = sqlite3.connect(path, isolation_level=None)
    with contextlib.closing(conn):
        conn.execute(change, params)
    conn = sqlite3.connect(path, isolation_level=None)
    with contextlib.closing(conn):
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute("INSERT INTO sqlite_master VALUES (?, ?, ?, ?, ?)", row)
        conn.execute("UPDATE sqlite_master SET sql = ? WHERE name = ?", (table, row[2]))
        conn.execute("PRAGMA journal_mode = DELETE")
    conn = driver.connect(path)  # the SQLite the app runs
    with contextlib.closing(conn):
        assert conn.execute("PRAGMA quick_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA integrity_check").fetchall() != [("ok",)]


# -- 1. the checks read what the merge copies -------------------------------------------------

SCHEMA_OBJECTS = {
    "table": ("CREATE TABLE sqliteXdata (x)", "contains a table 'sqliteXdata'"),
    "index": ("CREATE INDEX sqliteXidx ON revision (author)", "contains an index 'sqliteXidx'"),
    "trigger": (
        "CREATE TRIGGER sqliteXtrg AFTER INSERT ON revision BEGIN SELECT 1; END",
        "contains a trigger 'sqliteXtrg'",
    ),
    "view": ("CREATE VIEW sqliteXview AS SELECT * FROM revision", "contains a view 'sqliteXview'"),
    "statistics": ("ANALYZE", "contains a table 'sqlite_stat1'"),
    "redefined-index": (
        "DROP INDEX ix_current_value_case_key; CREATE INDEX ix_current_value_case_key"
        " ON current_value (case_key, value)",
        "its index 'ix_current_value_case_key' is not as Inspector makes it",
    ),
}


@pytest.mark.parametrize("kind", list(SCHEMA_OBJECTS))
def test_every_object_of_the_schema_is_compared_by_its_exact_name(
    master: InspectionFile, daniel: Path, kind: str
) -> None:
    """'_' is a LIKE wildcard: 'sqlite_%' also matched 'sqliteXdata', which went unchecked."""
    statement, expected = SCHEMA_OBJECTS[kind]
    _answer(daniel, _code(master), "yes")
    conn = sqlite3.connect(daniel, isolation_level=None)
    with contextlib.closing(conn):
        conn.executescript(statement)
        conn.execute("PRAGMA journal_mode = DELETE")
    assert expected in _refusal(master, daniel)


def test_an_index_disagreeing_with_the_rows_cannot_vouch_for_their_author(
    master: InspectionFile, daniel: Path
) -> None:
    """A covering index, named to pass for one of SQLite's own, says every revision is
    Daniel's; the rows the merge copies say the lead wrote them."""
    _answer(daniel, _code(master), "yes")
    _sql(daniel, "CREATE INDEX sqliteXowner ON revision (author, hlc)")
    lead = master.member_by_name(LEAD)[0]
    _stale_index(daniel, "sqliteXowner", "UPDATE revision SET author = ?", (lead,))
    assert "contains an index 'sqliteXowner'" in _refusal(master, daniel)


def test_a_stale_primary_key_index_cannot_hide_a_key_taken_from_another_case(
    master: InspectionFile, daniel: Path
) -> None:
    """Daniel's answer on his own case, re-keyed in the table rows to Priya's answer on her
    case, while the table's own (primary key) index still lists the key it had. The key check
    must see the rows the merge copies; so every index of the private copy is rebuilt."""
    code = _code(master)
    _answer(daniel, code, "yes")
    priyas_case = next(
        master.case_key_for(n)
        for n in range(2, 13)
        if load_case(master, master.case_key_for(n)).first_reader == PRIYA
    )
    forged = ids.record_key(priyas_case, Kind.ANSWER, code)
    _stale_index(
        daniel,
        "sqlite_autoindex_revision_1",
        "UPDATE revision SET record_key = ? WHERE kind = 'answer'",
        (forged,),
    )
    refusal = _refusal(master, daniel)
    assert f"a revision of '{code}' carries the key of another value" in refusal


# -- 2. a clock that cannot be poisoned -------------------------------------------------------


def test_the_counter_never_grows_past_six_digits() -> None:
    """Behind a stamp received at the counter's limit, the clock moves to the next
    millisecond: every stamp it issues is valid and sorts after the one before."""
    now = 1_800_000_000_000
    clock = HybridClock("ab12", now=lambda: now)
    clock.observe(f"{now + HOUR_MS:013d}.{MAX_COUNTER:06d}.cd34")
    stamps = [clock.tick() for _ in range(3)]
    assert all(VALID_STAMP.fullmatch(s) for s in stamps), stamps
    assert stamps == sorted(stamps)
    assert stamps[0] == f"{now + HOUR_MS + 1:013d}.000000.ab12"
    assert stamps[0] > f"{now + HOUR_MS:013d}.{MAX_COUNTER:06d}.cd34"


def test_the_clock_never_adopts_an_invalid_stamp() -> None:
    clock = HybridClock("ab12", now=lambda: 5)
    for junk in ("x", "", None, "12.3.ab", "99999999999999.000000.ab", "1800000000000.x.ab"):
        clock.observe(junk)
    assert (clock.last_ms, clock.counter) == (0, 0)
    # An over-wide counter (an earlier version's) stands for the millisecond it reached.
    clock.observe("1800000000000.1000002.cd34")
    assert (clock.last_ms, clock.counter) == (1_800_000_000_001, 2)
    assert normalise("1800000000000.1000002.cd34") == (1_800_000_000_001, 2, "cd34")
    assert VALID_STAMP.fullmatch(clock.tick())


def _restamp(path: Path, ms: int, counter: int) -> None:
    """Stamp the file's answers at `ms` with `counter` (keeping each stamp's replica)."""
    _sql(
        path,
        "UPDATE revision SET hlc = printf('%013d.%06d.', ?1, ?2) || substr(hlc, 22)"
        " WHERE kind = 'answer'",
        params=(ms, counter),
    )


def test_a_stamp_an_hour_ahead_at_the_counters_limit_is_refused(
    master: InspectionFile, daniel: Path
) -> None:
    _answer(daniel, _code(master), "yes")
    _restamp(daniel, time.time_ns() // 1_000_000 + HOUR_MS, MAX_COUNTER)
    refusal = _refusal(master, daniel)
    assert "1 revision(s) are dated in the future" in refusal
    assert f"more than {MAX_AHEAD_MS // 60_000} minutes" in refusal
    assert "merge it after" in refusal


def test_a_stamp_slightly_ahead_at_the_counters_limit_leaves_the_lead_valid_stamps(
    master: InspectionFile, daniel: Path
) -> None:
    """Within the tolerance the stamp merges; the lead's next edits, made while the wall
    clock is behind it, get valid stamps that sort after it."""
    _answer(daniel, _code(master), "yes")
    ahead = time.time_ns() // 1_000_000 + 5 * 60 * 1000
    _restamp(daniel, ahead, MAX_COUNTER)
    assert not merge_files(master, [daniel]).refused
    for n in range(2, 5):
        set_answer(master, master.case_key_for(n), _code(master, 1), "no")
    stamps = [r[0] for r in master.db.raw.execute("SELECT hlc FROM revision")]
    assert all(VALID_STAMP.fullmatch(s) for s in stamps), stamps
    lead_stamps = sorted(
        r[0]
        for r in master.db.raw.execute(
            "SELECT hlc FROM revision WHERE author = ?", (master.member_by_name(LEAD)[0],)
        )
    )
    assert lead_stamps[0] > f"{ahead:013d}.{MAX_COUNTER:06d}."


def test_a_source_with_over_wide_counters_from_an_earlier_version_is_repaired(
    master: InspectionFile, daniel: Path
) -> None:
    """An earlier version let a counter grow to seven digits; such a file is not altered,
    and merges with each stamp read as the valid stamp it stands for."""
    _answer(daniel, _code(master), "yes")
    now = time.time_ns() // 1_000_000 - 1000
    _restamp(daniel, now, MAX_COUNTER + 3)  # printf pads to six: this one has seven digits
    report = merge_files(master, [daniel])
    assert not report.refused, report.refused
    (stamp,) = [
        r[0] for r in master.db.raw.execute("SELECT hlc FROM revision WHERE kind = 'answer'")
    ]
    assert stamp.startswith(f"{now + 1:013d}.000002.")
    assert VALID_STAMP.fullmatch(stamp)


def test_a_master_holding_over_wide_counters_issues_valid_stamps_after_them(
    master: InspectionFile,
) -> None:
    """A master poisoned by an earlier version: the clock moves past every stamp it holds,
    the over-wide ones included, and never issues a seventh digit."""
    code = _code(master)
    set_answer(master, master.case_key_for(1), code, "yes")
    poison = time.time_ns() // 1_000_000 + HOUR_MS
    with master.db.write() as conn:
        conn.execute(
            "UPDATE revision SET hlc = printf('%013d.%06d.', ?, ?) || substr(hlc, 22)",
            (poison, MAX_COUNTER),
        )
    set_answer(master, master.case_key_for(2), code, "yes")  # by the old clock: 1000000
    with master.db.write() as conn:
        conn.execute(
            "UPDATE revision SET hlc = printf('%013d.1000000.', ?) || substr(hlc, 22)"
            " WHERE case_key = ?",
            (poison, master.case_key_for(2)),
        )
    path = master.path
    master.close()
    with InspectionFile.open(path) as reopened:
        set_answer(reopened, reopened.case_key_for(3), code, "no")
        newest = reopened.db.raw.execute(
            "SELECT hlc FROM revision WHERE case_key = ?", (reopened.case_key_for(3),)
        ).fetchone()[0]
        others = [r[0] for r in reopened.db.raw.execute("SELECT hlc FROM revision")]
    assert VALID_STAMP.fullmatch(newest), newest
    assert newest == max(others)


# -- 5. every value is checked against what its kind allows ------------------------------------


def _profile_edit(path: Path, field: str, value: object) -> None:
    with InspectionFile.open(path) as file:
        set_profile_value(file, file.case_key_for(1), field, value)


VALUES = {
    "profile-rosh-as-a-list": (
        lambda p, m: _profile_edit(p, "rosh", "High"),
        "UPDATE revision SET value = '[\"High\"]' WHERE kind = 'profile'",
        "Case 001: the profile field 'rosh' is [\"High\"], which the case profile does not allow",
    ),
    "profile-rosh-off-the-list": (
        lambda p, m: _profile_edit(p, "rosh", "High"),
        "UPDATE revision SET value = '\"Extreme\"' WHERE kind = 'profile'",
        "Case 001: the profile field 'rosh' is \"Extreme\"",
    ),
    "profile-flag-as-text": (
        lambda p, m: _profile_edit(p, "alcohol_misuse", True),
        "UPDATE revision SET value = '\"yes\"' WHERE kind = 'profile'",
        "Case 001: the profile field 'alcohol_misuse' is \"yes\"",
    ),
    "status-as-text": (
        lambda p, m: _status(p),
        "UPDATE revision SET value = '\"done\"' WHERE kind = 'status'",
        "Case 001: the case status 'complete' is \"done\", which is neither complete",
    ),
    "status-empty": (
        lambda p, m: _status(p),
        "UPDATE revision SET value = NULL WHERE kind = 'status'",
        "Case 001: the case status 'complete' is empty",
    ),
    "status-of-another-field": (
        lambda p, m: _status(p),
        "UPDATE revision SET field = 'signed_off' WHERE kind = 'status'",
        "holds a status revision for 'signed_off'",
    ),
    "free-text-answer-as-a-list": (
        _answer_in_words,
        "UPDATE revision SET value = '[1, 2]' WHERE kind = 'answer' AND field = '{text}'",
        "Case 001: the answer to {text} is [1, 2], which its scale does not allow",
    ),
    "choice-answer-as-a-number": (
        lambda p, m: _answer(p, _code(m), "yes"),
        "UPDATE revision SET value = '1' WHERE kind = 'answer'",
        "Case 001: the answer to {code} is 1, which its scale does not allow",
    ),
}


def _status(path: Path) -> None:
    """A status revision on case 1: reopened (marking it complete needs every answer)."""
    with InspectionFile.open(path) as file, file.db.write() as conn:
        case_key = file.case_key_for(1)
        write_revision(
            conn,
            record_key=ids.record_key(case_key, Kind.STATUS, STATUS_FIELD),
            kind=Kind.STATUS,
            case_key=case_key,
            field=STATUS_FIELD,
            value=False,
            note="",
            author=file.author_id(),
            hlc=file.clock.tick(),
        )


@pytest.mark.parametrize("kind", list(VALUES))
def test_a_value_its_kind_does_not_allow_is_refused_naming_case_and_field(
    master: InspectionFile, daniel: Path, kind: str
) -> None:
    make, tamper, expected = VALUES[kind]
    make(daniel, master)
    if "signed_off" in tamper:
        # A well-formed key for the renamed field, so only the field itself is wrong.
        conn = sqlite3.connect(daniel, isolation_level=None)
        with contextlib.closing(conn):
            conn.create_function("record_key", 3, ids.record_key)
            conn.execute(tamper)
            conn.execute(
                "UPDATE revision SET record_key = record_key(case_key, kind, field)"
                " WHERE kind = 'status'"
            )
            conn.execute("PRAGMA journal_mode = DELETE")
    else:
        _sql(daniel, tamper.format(text=_text_question(master)))
    refusal = _refusal(master, daniel)
    assert expected.format(text=_text_question(master), code=_code(master)) in refusal, refusal


@pytest.mark.parametrize(
    ("part", "value", "wrong"),
    [
        ("foreword", "Text.", None),
        ("foreword", ["Text."], "which is not text"),
        ("chapter:A1", "Commentary.", None),
        ("setting.chief_inspector", 3, "which is not text"),
        ("final", True, None),
        ("final", "yes", "which is neither true nor false"),
        (
            "strengths",
            [{"id": "a1", "text": "Good.", "source_code": None, "edited": True}],
            None,
        ),
        ("strengths", ["Good."], "which is not a list of items"),
        ("strengths", [{"id": "a1", "text": ["Good."]}], "which is not a list of items"),
        ("strengths.dismissed", ["A1.1"], None),
        ("strengths.dismissed", [1], "which is not a list of question codes"),
        ("no-such-part", "x", "which is no part of a report"),
    ],
)
def test_narrative_values_are_checked_as_narrative_writes_them(
    part: str, value: object, wrong: str | None
) -> None:
    """A fieldwork file holds no narrative (the kind alone refuses it); its values are
    checked all the same, so no kind of revision reaches the master unchecked."""
    assert narrative_value_problem(part, value) == wrong


def test_a_narrative_revision_in_a_fieldwork_file_is_refused(
    master: InspectionFile, daniel: Path
) -> None:
    _answer(daniel, _code(master), "yes")
    _sql(
        daniel,
        "UPDATE revision SET kind = 'narrative', case_key = NULL, field = 'foreword'",
    )
    assert "holds a narrative revision for 'foreword'" in _refusal(master, daniel)


def test_a_carried_revision_stamped_ahead_in_a_file_from_an_encrypted_master_merges(
    tmp_path: Path, sample_csv: Path
) -> None:
    """A re-issued file carries revisions the master holds; one restamped an hour ahead is
    not the file's to answer for. Asking the master means reading it again: with its key."""
    from inspector_app.core.cases.team import add_member
    from inspector_app.core.sample.placement import allocate_auto, import_sample

    with InspectionFile.create(
        tmp_path / "secret.inspection",
        title="T",
        organisation="O",
        lead=LEAD,
        passphrase="a long passphrase",
    ) as master:
        add_member(master, DANIEL)
        import_sample(master, sample_csv)
        allocate_auto(master)
        first, second = _code(master), _code(master, 1)
        path = export_fieldwork(master, DANIEL, tmp_path / "d1.inspection").path
        _answer(path, first, "yes")
        assert not merge_files(master, [path]).refused
        again = export_fieldwork(master, DANIEL, tmp_path / "d2.inspection").path
        _answer(again, second, "no")
        ahead = time.time_ns() // 1_000_000 + HOUR_MS
        _sql(
            again,
            "UPDATE revision SET hlc = printf('%013d', ?) || substr(hlc, 14) WHERE field = ?",
            params=(ahead, first),
        )
        report = merge_files(master, [again])
        assert not report.refused, report.refused
        assert [s.new_revisions for s in report.sources] == [1]
        assert master.clock.last_ms < ahead
