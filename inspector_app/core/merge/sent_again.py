"""A fieldwork file sent again: what it added since its last merge, in a file of its own.

The master keeps a mark for each file it merged (merge/marks.py). When the file comes back,
its revisions stamped after the mark, with their links, are copied out of its private copy
into a new, empty file with our schema, beside it, together with the rows the checks read
besides revisions (the inspection, the file's owner and its cases). That file is checked in
full, exactly as a file merged for the first time, and it is what the merge attaches. What
the sent file holds up to its mark must be what it held then (revisions/history.py); if it is
not, the file has been altered. So a file sent again costs one read of what it held, and the
checks of only what is new.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import NamedTuple

from sqlalchemy import MetaData, insert, select
from sqlmodel import SQLModel

from inspector_app.core.limits import MAX_REVISIONS_PER_CASE
from inspector_app.core.merge.marks import Mark
from inspector_app.core.revisions.aliases import schema_alias
from inspector_app.core.revisions.history import (
    ADDED,
    SentAgain,
    copy_sent_after,
    sent_case_revisions_over,
)
from inspector_app.core.revisions.tables import declared
from inspector_app.core.storage import connection as sqlite_connection
from inspector_app.core.storage import sql_text
from inspector_app.core.storage.connection import deny_trigger_and_view_actions
from inspector_app.core.storage.database import Database
from inspector_app.core.storage.models import CaseRecord, FileInfo, Inspection
from inspector_app.core.storage.statements import sqlite_sql


class NewRevisions(NamedTuple):
    """The file of what a sent file added (open), what the sent file holds, and how many
    revisions it holds on a case over the limit (None: none is)."""

    db: Database
    sent: SentAgain
    crowded: int | None


def _copied_to_added(model: type[SQLModel]) -> str:
    """INSERT INTO added.<table> SELECT <its columns> FROM main.<table>."""
    main = declared(model).to_metadata(MetaData(), schema="main")
    added = declared(model).to_metadata(MetaData(), schema=ADDED)
    names = [column.name for column in main.columns]
    return sqlite_sql(insert(added).from_select(names, select(*(main.c[n] for n in names))))


# The rows the checks read besides revisions, in the order their keys need them.
_COPY_SETUP = tuple(_copied_to_added(model) for model in (Inspection, FileInfo, CaseRecord))


def new_revisions(
    sent: Database, passphrase: str | None, mark: Mark, definitions: tuple[str, ...]
) -> NewRevisions:
    """Make the file of what a sent file (its private copy, open as `sent` and checked for
    its integrity and schema) added after `mark`: a new file beside the copy, encrypted like
    it, made from `definitions` (our schema), attached to the copy's connection while the
    copy's rows are read, so they are read once, through the pages its integrity check has
    just read (nothing of the copy is run)."""
    path = sent.path.with_name(f"{sent.path.stem}-new{sent.path.suffix}")
    _scratch_file(path, passphrase, definitions).close()
    conn = sent.raw
    conn.execute(sql_text.attach(schema_alias(ADDED), passphrase or ""), (path.resolve().as_uri(),))
    conn.set_authorizer(deny_trigger_and_view_actions)
    try:
        with sent.write():
            for statement in _COPY_SETUP:
                conn.execute(statement)
            assert mark.history.stamp is not None  # a mark is kept only with a stamp
            held = copy_sent_after(conn, mark.history.stamp)
            crowded = (
                sent_case_revisions_over(conn, MAX_REVISIONS_PER_CASE)
                if held.on_new_cases > MAX_REVISIONS_PER_CASE
                else None  # fewer on all those cases together than the limit on one
            )
    finally:
        conn.set_authorizer(None)
        conn.execute(sql_text.detach(schema_alias(ADDED)))
    return NewRevisions(_scratch_file(path, passphrase), held, crowded)


def _scratch_file(
    path: Path, passphrase: str | None, definitions: tuple[str, ...] = ()
) -> Database:
    """A file, written without waiting for the disk (it is scratch, removed with the private
    folder): made new with `definitions`, or opened again."""
    raw = sqlite_connection.connect(path, untrusted=True, passphrase=passphrase)
    try:
        for pragma in _SCRATCH:
            raw.execute(pragma)
        if definitions:
            raw.execute("BEGIN")
            for definition in definitions:
                raw.execute(definition)
            raw.execute("COMMIT")
    except BaseException:
        raw.close()
        raise
    return Database(path, raw, readonly=False, passphrase=passphrase)


_SCRATCH = (
    sql_text.set_pragma("synchronous", "OFF"),
    sql_text.set_pragma("journal_mode", "MEMORY"),
)


def changed_since(mark: Mark, sent: SentAgain) -> str | None:
    """What differs between what a file held when it was last merged (its mark) and what it
    holds up to the same stamp now, in words; None if nothing does."""
    then, before = mark.history, sent.before
    if sent.repeated:
        return (
            f"{sent.repeated} revision(s) it held when it was last merged are repeated, "
            "stamped anew, among those it added since"
        )
    if before.revisions < then.revisions:
        return (
            f"{then.revisions - before.revisions} revision(s) it held when it was last merged "
            "are no longer in it"
        )
    if before.revisions > then.revisions:
        return (
            f"it holds {before.revisions - then.revisions} revision(s) dated before it was last "
            "merged that it did not hold then"
        )
    if before.links != then.links:
        return "the links between the revisions it held when it was last merged have changed"
    if before.digest != then.digest:
        return "revisions it held when it was last merged have been changed since"
    return None


@cache
def definitions_of(schema: frozenset[tuple[str, str, str, str]]) -> tuple[str, ...]:
    """The CREATE statements of a schema (as `checks.expected_schema` lists it): tables
    first, then their indexes; SQLite's own objects are made by SQLite."""
    ours = [(kind, sql) for kind, name, _t, sql in schema if sql and not name.startswith("sqlite_")]
    tables = sorted(sql for kind, sql in ours if kind == "table")
    return (*tables, *sorted(sql for kind, sql in ours if kind != "table"))
