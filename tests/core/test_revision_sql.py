"""The revision log's SQL is declared in SQLAlchemy Core and compiled ahead: compiled.py must be
what its declarations compile to today, every statement must prepare on a real file, and the
modules a file opened for editing runs must not load the models (a quarter of a second at
every start)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from inspector_app.core.revisions import compiled, sql
from inspector_app.core.revisions.tables import REVISION, TOUCHED
from inspector_app.core.storage import statements
from inspector_app.core.storage.database import create_database
from inspector_app.core.storage.statements import const, param, sqlite_call, sqlite_sql


def _constants(module: object) -> dict[str, str]:
    return {name: value for name, value in vars(module).items() if name.isupper()}


def test_compiled_sql_is_what_the_core_declarations_compile_to() -> None:
    """Fails when a declaration or a model changed: run
    `python -m inspector_app.core.revisions.sql` (then `ruff format`) and commit the result."""
    fresh = {name: sqlite_sql(*fixed) for name, fixed in sql.FIXED.items()}
    assert _constants(compiled) == fresh


def test_compiled_py_is_the_generators_output_untouched() -> None:
    assert sql.COMPILED.read_text(encoding="utf-8") == statements.compiled_module(
        sql.DOC, sql.FIXED
    )


def test_every_fixed_statement_prepares_on_a_new_file(tmp_path: Path) -> None:
    db = create_database(tmp_path / "new.inspection")
    try:
        db.raw.execute(compiled.CREATE_TOUCHED)
        for name, (_statement, params) in sql.FIXED.items():
            explain = "EXPLAIN " + getattr(compiled, name)
            db.raw.execute(explain, (None,) * len(params)).fetchall()
    finally:
        db.close()


def test_the_editing_path_never_imports_the_models() -> None:
    modules = [
        "inspector_app.core.revisions.log",
        "inspector_app.core.revisions.current",
        "inspector_app.core.revisions.reads",
        "inspector_app.core.revisions.authors",
        "inspector_app.core.revisions.review_records",
        "inspector_app.core.merge.conflicts",
    ]
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m == 'sqlmodel'"
        " or m.endswith(('.revisions.sql', '.merge.sql', '.storage.models'))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.strip() == "[]"


def test_a_statement_whose_values_are_not_in_the_order_named_is_refused() -> None:
    statement = select(REVISION.c.id).where(
        REVISION.c.author == param("author"), REVISION.c.kind == param("kind")
    )
    assert sqlite_sql(statement, ("author", "kind")).endswith(
        "revision.author = ? AND revision.kind = ?"
    )
    with pytest.raises(ValueError, match="parameters"):
        sqlite_sql(statement, ("kind", "author"))


def test_constants_are_written_into_the_text_and_values_passed_apart() -> None:
    text, values = sqlite_call(
        select(REVISION.c.id).where(
            REVISION.c.reason == const("it's"), REVISION.c.kind.in_(["answer", "status"])
        )
    )
    assert "revision.reason = 'it''s'" in text
    assert "revision.kind IN (?, ?)" in text
    assert values == ("answer", "status")


def test_the_touched_keys_drive_the_recompute_join() -> None:
    """SQLite must not reorder it: the touched keys are few, the revisions many."""
    assert f"FROM temp.{TOUCHED.name} AS t CROSS JOIN revision AS r" in (
        compiled.INSERT_WINNERS_OF_TOUCHED
    )
