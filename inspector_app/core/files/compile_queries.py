"""Writes compiled_queries.py: the SQL of the statements that the tables' owner modules
compile ahead, from the SQLAlchemy Core declarations in their `fixed_statements()`.

    .venv/bin/python -m inspector_app.core.files.compile_queries

Run it after changing a declaration; tests/core/test_compiled_queries.py fails while
compiled_queries.py is not current. Importing this imports the models: the app never does.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from inspector_app.core.files import (
    allocation_queries,
    case_queries,
    inspection_queries,
    team_queries,
)
from inspector_app.core.storage.statements import Fixed, compiled_module

OWNERS: tuple[ModuleType, ...] = (
    inspection_queries,
    team_queries,
    case_queries,
    allocation_queries,
)
TARGET = Path(__file__).with_name("compiled_queries.py")
_DOC = """The SQL of the statements the tables' owner modules (inspection_queries, team_queries,
case_queries, allocation_queries) declare in `fixed_statements()`, compiled ahead: generated
by `python -m inspector_app.core.files.compile_queries`, never edited by hand
(tests/core/test_compiled_queries.py fails when it is not current). Each constant is run by
the module that declares it, with its ?s in the order declared there.
"""


def declared_by(owner: ModuleType) -> dict[str, Fixed]:
    statements: dict[str, Fixed] = owner.fixed_statements()
    return statements


def declared() -> dict[str, Fixed]:
    """Every owner's statements by constant name (a name declared twice is refused)."""
    found: dict[str, Fixed] = {}
    for owner in OWNERS:
        for name, fixed in declared_by(owner).items():
            if name in found:
                raise ValueError(f"{name} is declared by two owners")
            found[name] = fixed
    return found


def source() -> str:
    return compiled_module(_DOC, declared())


def main() -> None:
    TARGET.write_text(source(), encoding="utf-8")
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
