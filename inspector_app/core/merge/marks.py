"""How far the master has merged each fieldwork file: the `merge_mark` table's one owner.

A mark says, for a file (known by its replica id), the newest clock stamp it held when it
was last merged and the history it held up to there (revisions/history.py). Everything a mark
covers is in the master: a merge appends all it checked, nothing removes a revision, and the
marks are written in the merge's own transaction, so undoing a merge (which puts back the
master as it was) puts back its marks with it. When the file comes back, only what it added
after its mark is checked in full; what it held before must digest as it did then.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import MetaData, select
from sqlalchemy.dialects.sqlite import insert as upsert

from inspector_app.core.revisions.history import History
from inspector_app.core.revisions.tables import declared
from inspector_app.core.storage.dbapi import Connection
from inspector_app.core.storage.models import MergeMark
from inspector_app.core.storage.statements import param, sqlite_sql

# The master's own (a fieldwork file attached to it has the table too).
_MARK = declared(MergeMark).to_metadata(MetaData(), schema="main")
_COLUMNS = ("replica_id", "owner_id", "stamp", "revisions", "links", "digest")
_MARKS = sqlite_sql(select(*(_MARK.c[name] for name in _COLUMNS)))
_set = upsert(_MARK).values({name: param(name) for name in _COLUMNS})
_SET_MARK = sqlite_sql(
    _set.on_conflict_do_update(
        index_elements=[_MARK.c.replica_id],
        set_={name: _set.excluded[name] for name in _COLUMNS[1:]},
    ),
    _COLUMNS,
)


@dataclass(frozen=True)
class Mark:
    """How far a file (its replica) was merged, and whose file it was."""

    replica_id: str
    owner_id: str
    history: History


def read_marks(conn: Connection) -> dict[str, Mark]:
    """Every file's mark, by replica id."""
    return {
        replica: Mark(replica, owner, History(stamp, revisions, links, digest))
        for replica, owner, stamp, revisions, links, digest in conn.execute(_MARKS)
    }


def record_marks(conn: Connection, marks: Iterable[Mark]) -> None:
    """Set each file's mark (inside the merge's transaction), replacing the one it had."""
    conn.executemany(
        _SET_MARK,
        [
            (m.replica_id, m.owner_id, m.history.stamp, *m.history[1:])
            for m in marks
            if m.history.stamp is not None
        ],
    )
