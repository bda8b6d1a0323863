"""The compiling of statements declared in SQLAlchemy Core into the SQLite text the DB-API
connection runs (the statements the app writes as text itself are sql_text.py's)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any, cast

from sqlalchemy import bindparam
from sqlalchemy import literal as core_literal
from sqlalchemy.dialects import sqlite
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import BindParameter, ClauseElement, ColumnElement
from sqlalchemy.sql.selectable import FromClause, Join

from inspector_app.core.storage.sql_text import identifier

# Everything the app runs, but sql_text.py's few statements, is declared in Core over the
# tables of models.py and compiled here into the text the DB-API connection runs: once, ahead
# of time (a module of constants) or at import, never per call on a hot path.

_DIALECT = sqlite.dialect(paramstyle="qmark")
# A fixed statement is compiled with its constants written into the text (see `const`).
_RENDER = {"render_postcompile": True}

# One fixed statement: its Core form and the names of its ?s, in order.
Fixed = tuple[ClauseElement, tuple[str, ...]]


def param(name: str) -> BindParameter[Any]:
    """A value the caller passes when running the statement: a ? in the SQL."""
    return bindparam(name, required=False)


def const(value: str | int) -> BindParameter[Any]:
    """A constant written into the SQL text itself, as SQLite sees a literal when planning."""
    return core_literal(value, literal_execute=True)


def sqlite_sql(statement: ClauseElement, params: Sequence[str] = ()) -> str:
    """The SQL of a Core statement for SQLite, its ?s standing for `params` in that order
    (checked, so a caller's tuple of values lines up with them)."""
    compiled = statement.compile(dialect=_DIALECT, compile_kwargs=_RENDER)
    if getattr(compiled, "effective_returning", None):
        raise ValueError("the statement returns rows Core added (make it inline())")
    order = tuple(getattr(compiled, "positiontup", None) or ())
    if order != tuple(params):
        raise ValueError(f"the statement's parameters are {order}, not {tuple(params)}")
    return str(compiled).strip()


def sqlite_call(statement: ClauseElement) -> tuple[str, tuple[object, ...]]:
    """The SQL and values of a Core statement that carries its values (a list becomes
    IN (?, ?, ...)): for a statement whose shape depends on what it is given."""
    compiled = statement.compile(dialect=_DIALECT, compile_kwargs=_RENDER)
    values = compiled.params
    order = getattr(compiled, "positiontup", None) or ()
    return str(compiled).strip(), tuple(values[name] for name in order)


class CrossJoin(Join):
    """A join SQLite keeps in the order written (CROSS JOIN): the left side is the outer loop,
    whatever the planner would guess."""

    inherit_cache = True


def cross_join(left: FromClause, right: FromClause, on: ColumnElement[bool]) -> CrossJoin:
    return CrossJoin(left, right, on)


@compiles(CrossJoin, "sqlite")
def _cross_join(join: CrossJoin, compiler: SQLCompiler, **kw: Any) -> str:
    kw["asfrom"] = True
    left, right = compiler.process(join.left, **kw), compiler.process(join.right, **kw)
    on = compiler.process(cast(ColumnElement[bool], join.onclause), **kw)
    return f"{left} CROSS JOIN {right} ON {on}"


def compiled_module(doc: str, fixed: Mapping[str, Fixed]) -> str:
    """The source of a module holding each fixed statement's SQL as a constant, formatted as
    `ruff format` leaves it: what a package whose modules must import quickly runs."""
    lines = [f'"""{doc}"""']
    for name, (statement, params) in fixed.items():
        lines += ["", *_constant(identifier(name), sqlite_sql(statement, params))]
    return "\n".join(lines) + "\n"


def _constant(name: str, sql: str) -> list[str]:
    whole = f"{name} = {_quoted(sql)}"
    if len(whole) <= _LINE:
        return [whole]
    if len(_quoted(sql)) <= _LINE - 4:
        return [f"{name} = (", f"    {_quoted(sql)}", ")"]
    return [f"{name} = (", *(f"    {_quoted(chunk)}" for chunk in _chunks(sql)), ")"]


_LINE = 100


def _quoted(text: str) -> str:
    """A Python string literal of `text` in the quotes `ruff format` picks (double, unless
    single ones need fewer escapes)."""
    body = json.dumps(text)[1:-1]
    if text.count('"') > text.count("'"):
        return "'" + body.replace('\\"', '"').replace("'", "\\'") + "'"
    return f'"{body}"'


def _chunks(sql: str) -> list[str]:
    """The SQL cut after its line breaks and, within a long line, after spaces, into pieces
    that fit a line of source once quoted."""
    chunks: list[str] = []
    for line in sql.splitlines(keepends=True):
        piece = ""
        for word in re.split(r"(?<= )", line):
            if piece and len(_quoted(piece + word)) > _LINE - 4:
                chunks.append(piece)
                piece = ""
            piece += word
        chunks.append(piece)
    return [chunk for chunk in chunks if chunk]
