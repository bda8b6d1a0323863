"""The statements SQLite takes no parameters for: a hostile name is refused, and any
passphrase reaches SQLite as exactly the text typed."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inspector_app.core.storage import sql_text


@pytest.mark.parametrize(
    "name", ["main; DROP TABLE revision", "a b", "x'--", "", "1abc", "ü", "a" * 64]
)
def test_a_name_that_is_not_a_plain_word_is_refused(name: str) -> None:
    with pytest.raises(ValueError, match="not a plain SQL name"):
        sql_text.identifier(name)
    with pytest.raises(ValueError):
        sql_text.attach(name)
    with pytest.raises(ValueError):
        sql_text.detach(name)


@pytest.mark.parametrize("value", ["WAL; DROP TABLE x", "'x'", "1.5", True, None, 2.0])
def test_a_pragma_value_outside_integers_and_known_words_is_refused(value: object) -> None:
    with pytest.raises(ValueError, match="not a pragma value"):
        sql_text.set_pragma("journal_mode", value)  # type: ignore[arg-type]


def test_statements_read_as_written() -> None:
    assert sql_text.attach("src_1") == "ATTACH DATABASE ? AS src_1"
    assert sql_text.attach("src_1", "it's") == "ATTACH DATABASE ? AS src_1 KEY 'it''s'"
    assert sql_text.set_pragma("user_version", 3, "export_target") == (
        "PRAGMA export_target.user_version = 3"
    )
    assert sql_text.set_pragma("journal_mode", "wal") == "PRAGMA journal_mode = WAL"


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\0")))
def test_any_passphrase_reaches_sqlite_as_typed(text: str) -> None:
    with sqlite3.connect(":memory:") as conn:
        (value,) = conn.execute(f"SELECT {sql_text.literal(text)}").fetchone()
    assert value == text
