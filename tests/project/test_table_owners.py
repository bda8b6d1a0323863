"""Each entity table is read and written by one query module, its owner: a query on it (or its
model class) anywhere else fails here. Modelled on the revision tables' check in
test_architecture.py."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Mapping
from pathlib import Path

from tests.project.test_architecture import PACKAGE, _strings_outside_docstrings

# Each entity table: the model class that declares it, and the one module that names it.
OWNERS: dict[str, tuple[str, str]] = {
    "inspection": ("Inspection", "core/files/inspection_queries.py"),
    "file_info": ("FileInfo", "core/files/inspection_queries.py"),
    "team_member": ("TeamMember", "core/files/team_queries.py"),
    "allocation": ("Allocation", "core/files/allocation_queries.py"),
    "case_record": ("CaseRecord", "core/files/case_queries.py"),
    "case_identity": ("CaseIdentity", "core/files/case_queries.py"),
    "case_withdrawal": ("CaseWithdrawal", "core/files/withdrawal_queries.py"),
    "fieldwork_file_record": ("FieldworkFileRecord", "core/files/fieldwork_records.py"),
    "merge_mark": ("MergeMark", "core/merge/marks.py"),
}
# Where any of them may be named besides its owner, and why.
EXCEPTIONS: dict[str, str] = {
    "core/storage/": "declares every table (models.py) and migrates them",
    "core/files/compiled_queries.py": (
        "the owners' statements compiled ahead, generated from their Core declarations; each "
        "constant is run by its owner only (checked below)"
    ),
    "core/merge/": (
        "copies whole tables between attached files, and checks an untrusted attached file "
        "before anything of it is copied"
    ),
    "core/files/merge_copy.py": (
        "digests the whole set-up tables of a master, to tell an edit made after a merge"
    ),
    "core/files/fieldwork_export.py": (
        "copies the assessor's share of whole tables from the attached master into a new file"
    ),
    "core/revisions/": (
        "the revision log's package, converted by its own change; it reads file_info for the "
        "file's owner"
    ),
}
GENERATED = "core/files/compiled_queries.py"


def _pattern(table: str) -> re.Pattern[str]:
    """How SQL names a table. "inspection" is also the files' suffix and "allocation" a word
    of the screens, so a plain word counts after an SQL keyword only ("FROM allocation",
    "INTO main.inspection"); a name with an underscore counts anywhere in a string."""
    if "_" in table:
        return re.compile(rf"\b{table}\b", re.IGNORECASE)
    return re.compile(
        rf"\b(FROM|INTO|JOIN|UPDATE|TABLE|REINDEX|EXISTS)\s+(\w+\.)?[\"`\[]?{table}\b",
        re.IGNORECASE,
    )


_PATTERNS = {table: _pattern(table) for table in OWNERS}


def _models_imported(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """The model classes a module takes from models.py (`from ...models import X`, or
    `models.X`), with their lines."""
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").endswith("storage.models"):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "models"
        ):
            yield node.lineno, node.attr


def _modules(package: Path) -> Iterator[tuple[str, ast.AST]]:
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package).as_posix()
        yield relative, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def entity_tables_named_outside_their_owners(package: Path) -> list[str]:
    """Where a module other than a table's owner (and the exceptions) names the table in SQL
    or imports its model class, as "path:line: table: text"."""
    sites = []
    for relative, tree in _modules(package):
        if relative.startswith(tuple(EXCEPTIONS)):
            continue
        strings = _strings_outside_docstrings(tree)
        imported = list(_models_imported(tree))
        for table, (model, owner) in OWNERS.items():
            if relative == owner:
                continue
            sites += [
                f"{relative}:{line}: {table}: {text.strip()[:80]}"
                for line, text in strings
                if _PATTERNS[table].search(text)
            ]
            sites += [
                f"{relative}:{line}: {table}: {model}" for line, name in imported if name == model
            ]
    return sorted(sites)


def compiled_statements_run_outside_their_owners(
    package: Path, declared_in: Mapping[str, str]
) -> list[str]:
    """Where a module runs a constant of compiled_queries.py that another module declared
    (`declared_in`: constant -> the declaring module's path), as "path:line: constant"."""
    sites = []
    for relative, tree in _modules(package):
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "compiled_queries"
                and declared_in.get(node.attr) != relative
            ):
                sites.append(f"{relative}:{node.lineno}: {node.attr}")
            elif isinstance(node, ast.ImportFrom) and (node.module or "").endswith(
                "compiled_queries"
            ):
                sites += [f"{relative}:{node.lineno}: {alias.name}" for alias in node.names]
    return sorted(sites)


def _declared_in() -> dict[str, str]:
    from inspector_app.core.files.compile_queries import OWNERS as OWNER_MODULES
    from inspector_app.core.files.compile_queries import declared_by

    return {
        name: Path(str(owner.__file__)).relative_to(PACKAGE).as_posix()
        for owner in OWNER_MODULES
        for name in declared_by(owner)
    }


def test_each_entity_table_is_named_by_its_owner_only() -> None:
    """inspection, file_info, team_member, allocation, case_record and case_identity are read
    and written through their owner's functions: a query (or a model class) anywhere else,
    outside the listed exceptions, fails here."""
    assert entity_tables_named_outside_their_owners(PACKAGE) == []


def test_each_compiled_statement_is_run_by_the_owner_that_declares_it() -> None:
    declared_in = _declared_in()
    assert set(declared_in.values()) <= {owner for _, owner in OWNERS.values()}
    assert compiled_statements_run_outside_their_owners(PACKAGE, declared_in) == []


def test_every_owner_names_its_table_and_every_exception_exists() -> None:
    """The check above stays meaningful: each owner exists and declares statements on its
    model, and no exception outlives the module it excuses."""
    for table, (model, owner) in OWNERS.items():
        tree = ast.parse((PACKAGE / owner).read_text(encoding="utf-8"))
        assert model in {name for _, name in _models_imported(tree)}, f"{owner} owns {table}"
    for where in EXCEPTIONS:
        assert (PACKAGE / where).exists(), f"the exception {where} names nothing"


def test_the_owner_check_finds_queries_planted_outside_the_owners(tmp_path: Path) -> None:
    """The checks above see each way a module can name a table or run an owner's compiled
    statement (and leave prose, file names, owners and exceptions alone)."""
    package = tmp_path / "inspector_app"
    for folder in ("core/cases", "core/files", "core/merge"):
        (package / folder).mkdir(parents=True)
    (package / "core" / "files" / "team_queries.py").write_text(
        'SQL = "SELECT id FROM team_member"\n'
        "from inspector_app.core.storage.models import TeamMember\n"
        "rows = compiled_queries.MEMBERS\n"
    )
    (package / "core" / "merge" / "copy.py").write_text(
        'SQL = "INSERT INTO allocation SELECT * FROM source.allocation"\n'
    )
    planted = [
        'a = "SELECT id, name FROM team_member WHERE role = ?"\n',
        'b = ("UPDATE file_info"\n     " SET session_open = 0")\n',
        'c = f"INSERT INTO main.case_record SELECT * FROM {alias}.case_record"\n',
        'd = "delete from allocation where 0"\n',
        'e = "SELECT title FROM main.inspection"\n',
        'f = "case_identity"\n',
        "from inspector_app.core.storage.models import Allocation\n",
        "from inspector_app.core.storage import models\nx = models.Inspection\n",
        "from inspector_app.core.files import compiled_queries\ny = compiled_queries.MEMBERS\n",
    ]
    for i, text in enumerate(planted):
        (package / "core" / "cases" / f"planted_{i}.py").write_text(text)
    (package / "core" / "cases" / "prose.py").write_text(
        '"""Every allocation of an inspection, read from the case records."""\n'
        'MESSAGE = "the inspection file and its allocation were saved"\n'
        'SUFFIX = ".inspection"\n'
        'NAME = "Merseyside-master.inspection"\n'
        'HEADING = "Team and allocation"\n'
    )
    found = [
        *entity_tables_named_outside_their_owners(package),
        *compiled_statements_run_outside_their_owners(
            package, {"MEMBERS": "core/files/team_queries.py"}
        ),
    ]
    assert sorted({site.split(":", 1)[0] for site in found}) == [
        f"core/cases/planted_{i}.py" for i in range(len(planted))
    ]
