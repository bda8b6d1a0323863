"""The revision log's tables as SQLAlchemy Core sees them: the declared ones (models.py), the
same tables in an attached file or schema, and the temp tables the log and the merge work in.

Importing this imports the models (SQLModel, pydantic): a quarter of a second. The modules a
file opened for editing runs (log, current, reads, authors, review_records) never import it:
their statements are compiled ahead, in compiled.py (see sql.py).
"""

from __future__ import annotations

from functools import cache
from typing import Any, NamedTuple, cast

from sqlalchemy import (
    Column,
    Integer,
    MetaData,
    Select,
    Table,
    Text,
    column,
    func,
    inspect,
    select,
    table,
)
from sqlalchemy.sql.elements import ColumnClause, ColumnElement, quoted_name
from sqlalchemy.sql.selectable import FromClause
from sqlmodel import SQLModel

from inspector_app.core.revisions.aliases import schema_alias
from inspector_app.core.storage.models import CurrentValue, FileInfo, Revision, RevisionParent
from inspector_app.core.storage.statements import const, param


def declared(model: type[SQLModel]) -> Table:
    """The table a model declares."""
    return cast(Table, inspect(model).local_table)


REVISION = declared(Revision)
PARENT = declared(RevisionParent)
CURRENT = declared(CurrentValue)
CASE_INDEX = next(iter(CURRENT.indexes))  # ix_current_value_case_key
FILE_INFO = declared(FileInfo)

# SQLite's own list of a schema's objects.
SQLITE_MASTER = table(
    "sqlite_master", column("type"), column("name"), column("tbl_name"), column("sql")
)
# SQLite's own name for the temp schema, written as SQLite writes it (Core would quote it).
TEMP = quoted_name("temp", quote=False)
TEMP_MASTER = table("sqlite_master", column("name"), schema=TEMP)

# The keys whose current values a recompute works out, each with the one source (an attached
# copy, by its index in the merge) that holds all its revisions, where one does, else NULL.
TOUCHED = Table(
    "touched_keys",
    MetaData(),
    Column("record_key", Text, primary_key=True),
    Column("source", Integer),
    schema=TEMP,
    prefixes=["TEMPORARY"],
)


def flag(stored: ColumnElement[bool]) -> ColumnClause[int]:
    """A stored flag as SQLite tests it in a WHERE: any value but 0 or NULL is set (as a
    Boolean, Core would test `= 1`)."""
    return column(stored.name, Integer, _selectable=stored.table)


def rowid(source: FromClause) -> ColumnClause[int]:
    """The rowid of a table (or of an alias of one): the order its rows were appended in."""
    return column("rowid", Integer, _selectable=source)


class Schema(NamedTuple):
    """The revision log's three tables in one schema: `main`, or a file attached under an
    alias."""

    revision: Table
    revision_parent: Table
    current_value: Table


@cache
def in_schema(name: str) -> Schema:
    """The log's tables as `name`.revision and so on (one set of objects per name, so a
    statement built on them is compiled once)."""
    metadata = MetaData()
    alias = schema_alias(name)
    return Schema(
        *(source.to_metadata(metadata, schema=alias) for source in (REVISION, PARENT, CURRENT))
    )


def scratch_copy(source: Table, name: str) -> Table:
    """A temp table with `source`'s columns and none of its rules (no key, nothing
    required): rows are staged in it as they are, in the order they come."""
    return Table(
        name,
        MetaData(),
        *(Column(c.name, c.type) for c in source.columns),
        schema=TEMP,
        prefixes=["TEMPORARY"],
    )


def exists_in(source: FromClause, *where: ColumnElement[bool]) -> ColumnElement[bool]:
    """EXISTS (SELECT 1 FROM source WHERE ...): SQLite then reads no column it need not."""
    return select(const(1)).select_from(source).where(*where).exists()


def listed(name: str) -> Select[Any]:
    """The values of a JSON list passed as the parameter `name`: one ? for a list of any
    length, so the statement's text stays fixed."""
    items = func.json_each(param(name)).table_valued("value")
    return select(items.c.value)


def first_row(query: Select[Any]) -> Select[Any]:
    """The query's first row only (SQLite's dialect always writes an OFFSET with a LIMIT)."""
    return query.limit(const(1)).offset(const(0))
