"""The core and the CLI never import Qt: they must run without a display."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "inspector_app"


def _modules_under(folder: str) -> list[str]:
    names = []
    for path in sorted((PACKAGE / folder).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        relative = path.relative_to(PACKAGE.parent).with_suffix("")
        parts = list(relative.parts)
        if parts[-1] == "__init__":
            parts.pop()
        names.append(".".join(parts))
    return names


@pytest.mark.parametrize("layer", ["core", "app", "cli"])
def test_layer_imports_no_qt(layer: str) -> None:
    modules = _modules_under(layer)
    assert modules, f"no modules found under {layer}"
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "qt_roots = ('PySide6', 'shiboken6', 'PyQt5', 'PyQt6')\n"
        "qt = sorted(m for m in sys.modules if m.split('.')[0] in qt_roots)\n"
        "print(','.join(qt))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.strip() == "", f"{layer} pulled in Qt: {result.stdout.strip()}"


def test_cli_commands_run_without_qt(tmp_path: Path) -> None:
    """Running a real command headless leaves Qt unloaded."""
    code = (
        "import sys\n"
        "from inspector_app.cli.main import run_cli\n"
        f"rc = run_cli(['demo', {str(tmp_path)!r}, '--cases', '8'])\n"
        "assert rc == 0, rc\n"
        "print(any(m.startswith('PySide6') for m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.strip().splitlines()[-1] == "False"


def test_every_package_of_core_is_in_the_architecture_drawing() -> None:
    """docs/architecture.md draws the packages and the arrows between them; a package added
    to core without a place in the drawing fails here."""
    doc = (PACKAGE.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    drawing = doc.split("```text", 1)[1].split("```", 1)[0]
    packages = sorted(path.parent.name for path in (PACKAGE / "core").glob("*/__init__.py"))
    assert packages
    missing = [name for name in packages if f"core/{name}" not in drawing]
    assert missing == [], f"not in docs/architecture.md's drawing: {missing}"
    for layer in (
        "inspector_app/gui",
        "inspector_app/cli",
        "inspector_app/app",
        "inspector_app/core",
    ):
        assert layer in drawing


# The revision log's tables, as SQL names them: the link and current-value tables anywhere in
# a string (also alone, as a table name passed around to build SQL from), and the log after
# a keyword or a schema ("FROM revision", "master.revision", f"{alias}.revision"). The word
# "revision" alone is left to the screens' words ("3 revisions").
_REVISION_TABLES_IN_SQL = re.compile(
    r"\b(revision_parent|current_value)\b"
    r"|\b(FROM|INTO|JOIN|UPDATE|TABLE|REINDEX|EXISTS)\s+(\w+\.)?[\"`\[]?revision\b"
    r"|\.\"?revision\b",
    re.IGNORECASE,
)
# Where the three tables may be named in SQL: the package that owns the revision log, and
# the storage layer that declares and migrates every table.
_REVISION_TABLE_OWNERS = ("core/revisions/", "core/storage/")


def _strings_outside_docstrings(tree: ast.AST) -> list[tuple[int, str]]:
    """Every string literal of a module with its line, docstrings aside; an f-string's
    replacement fields read as "{}" (so f"{alias}.revision" reads "{}.revision")."""
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
    found = []
    inside_fstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            parts = []
            for part in node.values:
                inside_fstrings.add(id(part))
                if isinstance(part, ast.Constant) and isinstance(part.value, str):
                    parts.append(part.value)
                else:
                    parts.append("{}")
            found.append((node.lineno, "".join(parts)))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
            and id(node) not in inside_fstrings
        ):
            found.append((node.lineno, node.value))
    return found


def revision_tables_named_outside_their_owners(package: Path) -> list[str]:
    """Where a module outside the revision log's owners names one of its tables in SQL, as
    "path:line: text"."""
    sites = []
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package).as_posix()
        if relative.startswith(_REVISION_TABLE_OWNERS):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for line, text in _strings_outside_docstrings(tree):
            if _REVISION_TABLES_IN_SQL.search(text):
                sites.append(f"{relative}:{line}: {text.strip()[:80]}")
    return sorted(sites)


def test_only_the_revisions_package_names_the_revision_tables_in_sql() -> None:
    """`revision`, `revision_parent` and `current_value` are read and written through
    core/revisions (core/storage declares them): a query on them anywhere else fails here."""
    assert revision_tables_named_outside_their_owners(PACKAGE) == []


def test_the_revision_table_check_finds_a_query_planted_outside_the_package(
    tmp_path: Path,
) -> None:
    """The check above sees each way SQL can name the tables (and leaves prose alone)."""
    package = tmp_path / "inspector_app"
    (package / "core" / "cases").mkdir(parents=True)
    (package / "core" / "revisions").mkdir(parents=True)
    (package / "core" / "revisions" / "log.py").write_text(
        'SQL = "SELECT * FROM revision JOIN current_value USING (record_key)"\n'
    )
    planted = [
        'a = "SELECT value FROM current_value WHERE record_key = ?"\n',
        'b = ("SELECT 1 FROM revision"\n     " WHERE case_key = ?")\n',
        'c = f"INSERT INTO main.revision SELECT * FROM {alias}.revision_parent"\n',
        'd = f"SELECT count(*) FROM {alias}.revision"\n',
        'e = "delete from revision where 0"\n',
        'f = "revision_parent"\n',
    ]
    for i, line in enumerate(planted):
        (package / "core" / "cases" / f"planted_{i}.py").write_text(line)
    (package / "core" / "cases" / "prose.py").write_text(
        '"""Every revision of an answer, its current value first."""\n'
        'MESSAGE = "a revision of this answer was saved from the revision history"\n'
        'UNIT = "revision"\n'
    )
    found = revision_tables_named_outside_their_owners(package)
    assert [site.split(":", 1)[0] for site in found] == [
        f"core/cases/planted_{i}.py" for i in range(len(planted))
    ]


def test_no_statement_is_assembled_at_the_call() -> None:
    """SQL goes to execute() as a constant or from core/storage/statements.py, never as an
    f-string or a concatenation written at the call (migrations aside: they run our own DDL)."""
    import re

    assembled = re.compile(r"execute(?:many|script)?\(\s*(?:f[\"']|[\"'][^\"']*[\"']\s*\+)")
    found = [
        f"{path.relative_to(PACKAGE.parent)}:{number}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if "migrations" not in path.parts
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if assembled.search(line)
    ]
    assert found == []
