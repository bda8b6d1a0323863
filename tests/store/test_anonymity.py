"""Nothing that identifies a person reaches the store: every text column of every table (found
by asking the database, not the schema module) is searched for each case's CRN and name, the
team's names, the evidence notes and the case keys of the masters published."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlalchemy as sa

from inspector_app.core.cases.case_data import load_cases
from inspector_app.core.files.inspection_file import InspectionFile
from inspector_app.core.store.engine import Store
from inspector_app.core.store.publish import publish
from tests.store.helpers import read_publication


def secrets_of(master: Path) -> set[str]:
    """What must never leave the master: CRNs, names, the team, evidence notes, free-text
    answers, case keys."""
    conn = sqlite3.connect(f"{master.resolve().as_uri()}?mode=ro", uri=True)
    try:
        found = {str(v) for row in conn.execute("SELECT crn, name FROM case_identity") for v in row}
        found |= {str(row[0]) for row in conn.execute("SELECT name FROM team_member")}
        found |= {str(row[0]) for row in conn.execute("SELECT key FROM case_record")}
    finally:
        conn.close()
    with InspectionFile.open(master, readonly=True) as file:
        for case in load_cases(file):
            for code, answer in case.answers.items():
                found.add(answer.note)
                if file.framework.scale_of(code).kind == "text":  # free text, as a note is
                    found.add(answer.value or "")
    return {value for value in found if value and value != "None"}


def every_text_in(store: Store) -> list[tuple[str, str, str]]:
    """(table, column, value) for every non-empty value of every column, as text."""
    found = []
    inspector = sa.inspect(store.engine)
    with store.engine.connect() as conn:
        for table in inspector.get_table_names():
            for column in inspector.get_columns(table):
                name = column["name"]
                query = sa.select(sa.cast(sa.column(name), sa.Text)).select_from(sa.table(table))
                for (value,) in conn.execute(query):
                    if value:
                        found.append((table, name, str(value)))
    return found


def test_no_crn_name_or_note_anywhere_in_the_store(store: Store, demo_masters: list[Path]) -> None:
    secrets: set[str] = set()
    for master in demo_masters:
        publish(store, read_publication(master))
        secrets |= secrets_of(master)
    assert any(len(s) == 7 and s[0].isalpha() and s[1:].isdigit() for s in secrets)  # CRNs
    assert "Helen Ashworth" in secrets

    texts = every_text_in(store)

    assert {table for table, _, _ in texts} >= {
        "published_inspection",
        "published_case",
        "published_answer",
        "published_figure",
        "publish_event",
    }
    leaks = [
        (table, column, secret)
        for table, column, value in texts
        for secret in secrets
        if secret.casefold() in value.casefold()
    ]
    assert leaks == []


def test_the_check_finds_a_name_planted_in_the_store(
    store: Store, demo_masters: list[Path]
) -> None:
    publish(store, read_publication(demo_masters[0]))
    name = next(s for s in secrets_of(demo_masters[0]) if " " in s and len(s) < 30)
    with store.begin(write=True) as conn:
        conn.execute(sa.text("UPDATE published_inspection SET programme = :name"), {"name": name})
    assert any(name in value for _, _, value in every_text_in(store))
