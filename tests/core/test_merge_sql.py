"""The merge's own SQL is declared in SQLAlchemy Core and compiled ahead: compiled.py must be
what its declarations compile to today, and every statement must prepare on a real file."""

from __future__ import annotations

from pathlib import Path

from inspector_app.core.merge import compiled, sql
from inspector_app.core.storage import statements
from inspector_app.core.storage.database import create_database
from inspector_app.core.storage.statements import sqlite_sql


def test_compiled_sql_is_what_the_core_declarations_compile_to() -> None:
    """Fails when a declaration or a model changed: run
    `python -m inspector_app.core.merge.sql` and commit the result."""
    constants = {name: value for name, value in vars(compiled).items() if name.isupper()}
    assert constants == {name: sqlite_sql(*fixed) for name, fixed in sql.FIXED.items()}
    assert sql.COMPILED.read_text(encoding="utf-8") == statements.compiled_module(
        sql.DOC, sql.FIXED
    )


def test_every_fixed_statement_prepares_on_a_new_file(tmp_path: Path) -> None:
    db = create_database(tmp_path / "new.inspection")
    try:
        for name, (_statement, params) in sql.FIXED.items():
            explain = "EXPLAIN " + getattr(compiled, name)
            db.raw.execute(explain, (None,) * len(params)).fetchall()
    finally:
        db.close()
