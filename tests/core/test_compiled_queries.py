"""compiled_queries.py holds exactly what the table owners declare in Core, compiled now."""

from __future__ import annotations

from inspector_app.core.files import compiled_queries
from inspector_app.core.files.compile_queries import declared
from inspector_app.core.storage.statements import sqlite_sql

REGENERATE = "run: .venv/bin/python -m inspector_app.core.files.compile_queries"


def _constants() -> set[str]:
    return {name for name in vars(compiled_queries) if name.isupper()}


def test_every_compiled_statement_is_its_declaration_compiled_now() -> None:
    stale = [
        name
        for name, (statement, params) in declared().items()
        if getattr(compiled_queries, name, None) != sqlite_sql(statement, params)
    ]
    assert stale == [], f"compiled_queries.py is out of date ({', '.join(stale)}); {REGENERATE}"


def test_compiled_queries_holds_no_statement_nobody_declares() -> None:
    assert _constants() == set(declared()), REGENERATE
