"""The revision log: sequential edits chain, concurrent edits conflict, nothing is lost."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspector_app.core.revisions import log as revisions
from inspector_app.core.revisions.hlc import HybridClock, decode
from inspector_app.core.revisions.log import (
    current_heads,
    head_revisions,
    history,
    recompute,
    write_revision,
)
from inspector_app.core.storage.database import create_database

KEY = "k1"


def _write(conn: sqlite3.Connection, clock: HybridClock, value: object, parents=None, note=""):
    return write_revision(
        conn,
        record_key=KEY,
        kind="answer",
        case_key="c1",
        field="B1",
        value=value,
        note=note,
        author="a",
        hlc=clock.tick(),
        parents=parents,
    )


def _current(conn: sqlite3.Connection) -> tuple:
    return conn.execute(
        "SELECT value, head_count, conflicted FROM current_value WHERE record_key = ?", (KEY,)
    ).fetchone()


def test_sequential_edits_keep_one_head_and_full_history(tmp_path: Path) -> None:
    db = create_database(tmp_path / "r.inspection")
    clock = HybridClock("r1")
    with db.write() as conn:
        first = _write(conn, clock, "yes", note="seen")
        second = _write(conn, clock, "no", note="not seen after all")
    assert current_heads(db.raw, KEY) == [second]
    assert _current(db.raw) == ('"no"', 1, 0)
    revisions = history(db.raw, KEY)
    assert [r.value for r in revisions] == ["yes", "no"]
    assert revisions[1].parents == (first,)
    assert revisions[0].note == "seen"
    db.close()


def test_two_edits_from_the_same_start_conflict_when_values_differ(tmp_path: Path) -> None:
    db = create_database(tmp_path / "r.inspection")
    a, b = HybridClock("a"), HybridClock("b")
    with db.write() as conn:
        base = _write(conn, a, "yes")
        _write(conn, a, "no", parents=[base])
        _write(conn, b, "yes", parents=[base])
    _value, heads, conflicted = _current(db.raw)
    assert heads == 2 and conflicted == 1
    assert len(head_revisions(db.raw, KEY)) == 2
    db.close()


def test_identical_values_from_two_people_are_not_a_conflict(tmp_path: Path) -> None:
    db = create_database(tmp_path / "r.inspection")
    a, b = HybridClock("a"), HybridClock("b")
    with db.write() as conn:
        _write(conn, a, "yes", parents=[], note="note by a")
        _write(conn, b, "yes", parents=[], note="note by b")
    assert _current(db.raw) == ('"yes"', 2, 0)
    notes = sorted(r.note for r in head_revisions(db.raw, KEY))
    assert notes == ["note by a", "note by b"]  # both evidence notes are kept
    db.close()


def test_an_edit_that_saw_both_heads_resolves_the_conflict(tmp_path: Path) -> None:
    db = create_database(tmp_path / "r.inspection")
    a, b = HybridClock("a"), HybridClock("b")
    with db.write() as conn:
        _write(conn, a, "yes", parents=[])
        _write(conn, b, "no", parents=[])
        resolution = _write(conn, a, "no")  # default parents: every head
    assert current_heads(db.raw, KEY) == [resolution]
    assert _current(db.raw) == ('"no"', 1, 0)
    assert len(history(db.raw, KEY)) == 3
    db.close()


def test_recompute_matches_incremental_maintenance(tmp_path: Path) -> None:
    db = create_database(tmp_path / "r.inspection")
    a, b = HybridClock("a"), HybridClock("b")
    with db.write() as conn:
        base = _write(conn, a, "yes")
        _write(conn, a, "no", parents=[base])
        _write(conn, b, "na", parents=[base])
        before = conn.execute("SELECT * FROM current_value").fetchall()
        recompute(conn, [KEY])
        after = conn.execute("SELECT * FROM current_value").fetchall()
    assert before == after
    db.close()


def test_bulk_recompute_rebuilds_the_case_index_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Writing more values than the file holds rebuilds the case index once: the values and
    the index are the same as when the index is kept and updated entry by entry."""
    db = create_database(tmp_path / "r.inspection")
    clocks = [HybridClock(name) for name in "abc"]
    keys = [f"k{i}" for i in range(40)]
    index_sql = "SELECT sql FROM sqlite_master WHERE name = 'ix_current_value_case_key'"

    statements: list[str] = []

    def values_and_index(threshold: int) -> tuple:
        monkeypatch.setattr(revisions, "BULK_MIN_VALUES", threshold)
        statements.clear()
        with db.write() as conn:
            conn.set_trace_callback(statements.append)
            recompute(conn, keys)
            conn.set_trace_callback(None)
            return (
                conn.execute("SELECT * FROM current_value ORDER BY record_key").fetchall(),
                conn.execute(
                    "SELECT case_key, record_key FROM current_value INDEXED BY"
                    " ix_current_value_case_key WHERE case_key > '' ORDER BY case_key, record_key"
                ).fetchall(),
                conn.execute(index_sql).fetchall(),
            )

    with db.write() as conn:
        for i, key in enumerate(keys):
            for clock in clocks[: 1 + i % 3]:  # some values with one head, some with several
                write_revision(
                    conn,
                    record_key=key,
                    kind="answer",
                    case_key=f"c{i % 7}",
                    field="B1",
                    value=("yes", "no")[i % 2] if clock.replica != "c" else "na",
                    note="",
                    author=clock.replica,
                    hlc=clock.tick(),
                    parents=[],
                )
    kept = values_and_index(threshold=10_000)
    assert not any(s.startswith("DROP INDEX") for s in statements)
    rebuilt = values_and_index(threshold=0)
    assert "DROP INDEX ix_current_value_case_key" in statements
    assert rebuilt == kept
    assert kept[2] and len(kept[0]) == len(keys)
    assert {row[6] for row in kept[0]} == {1, 2, 3}  # head counts
    with db.write() as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    db.close()


def test_clock_is_strictly_increasing_even_when_wall_time_goes_back() -> None:
    times = iter([1000, 1000, 900, 1200])
    clock = HybridClock("r", now=lambda: next(times))
    stamps = [clock.tick() for _ in range(4)]
    assert stamps == sorted(stamps) and len(set(stamps)) == 4
    assert decode(stamps[2])[:2] == (1000, 2)


def test_clock_moves_past_what_it_observes() -> None:
    clock = HybridClock("r", now=lambda: 10)
    clock.observe("0000000099999.000005.other")
    assert clock.tick() > "0000000099999.000005.other"


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["yes", "no", "na", None]), st.text(max_size=20)),
        min_size=1,
        max_size=15,
    )
)
def test_single_writer_current_value_is_always_the_last_edit(
    tmp_path_factory, edits: list[tuple[str | None, str]]
) -> None:
    db = create_database(tmp_path_factory.mktemp("h") / "r.inspection")
    clock = HybridClock("r")
    with db.write() as conn:
        for value, note in edits:
            _write(conn, clock, value, note=note)
    last_value, last_note = edits[-1]
    row = db.raw.execute(
        "SELECT c.value, r.note, c.head_count FROM current_value c"
        " JOIN revision r ON r.id = c.revision_id"
    ).fetchone()
    assert row[1] == last_note and row[2] == 1
    assert history(db.raw, KEY)[-1].value == last_value
    assert len(history(db.raw, KEY)) == len(edits)
    db.close()
