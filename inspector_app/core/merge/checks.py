"""Checking a fieldwork file from outside before anything of it is read into the master.

A file from a USB stick is untrusted: it is copied to a private folder first (the original is
never opened for writing), its header, integrity and schema are checked, it must belong to
the same inspection and framework version, and its revisions must be well formed
(merge/validation.py). Each refusal is one line naming the file and the reason.

The checks read what the merge copies. Every object in the file's schema is compared, by
exact name and whole definition, with what our migrations create, so nothing the file adds
(a table, an index, a trigger, a view) can stand between a check and the rows. And SQLite's
integrity check does not compare an index with its table: a file could carry an index whose
entries say one thing (an owner, a key) while its table rows, which the merge copies, say
another. So every index of the private copy is rebuilt from its table's rows before anything
is checked: whatever a check reads, through an index or not, is the rows themselves.

A file the master merged before (it keeps a mark of it: merge/marks.py) is checked in full
only for what it added since: those revisions are copied into a file of their own, which
goes through every check above, and what the file held before must be what it held then
(merge/sent_again.py).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from inspector_app.core.errors import FileRefused, InspectorError
from inspector_app.core.files.inspection_file import FIELDWORK, InspectionFile
from inspector_app.core.files.leftovers import MERGE_FOLDER_PREFIX
from inspector_app.core.framework import Framework
from inspector_app.core.limits import (
    MAX_FIELDWORK_FILE_BYTES,
    MAX_NOTE_CHARS,
    MAX_REVISIONS_PER_CASE,
    MAX_VALUE_CHARS,
    size_text,
)
from inspector_app.core.merge import compiled
from inspector_app.core.merge.marks import Mark, read_marks
from inspector_app.core.merge.sent_again import changed_since, definitions_of, new_revisions
from inspector_app.core.merge.validation import (
    MAX_AHEAD_MS,
    ClockLimit,
    key_problem,
    revisions_problem,
)
from inspector_app.core.revisions.checks import (
    REBUILT_FROM_REVISIONS,
    case_keys_with_values,
    case_revisions_over,
    first_oversized,
    held_revisions,
    revisions_summary,
)
from inspector_app.core.revisions.history import History, read_alike, whole_history
from inspector_app.core.revisions.log import recompute_all
from inspector_app.core.storage import connection as sqlite_connection
from inspector_app.core.storage import sql_text
from inspector_app.core.storage.database import (
    Database,
    check_header,
    create_database,
    open_database,
)
from inspector_app.core.storage.dbapi import Connection, DatabaseError, IntegrityError


@dataclass(frozen=True)
class CheckedSource:
    """A source that passed every check, as a private copy ready to ATTACH read-only, with
    what the merge needs to know of its revisions (gathered while checking, side by side
    with the other files, so the master's transaction has less to read). The copy's
    current values are worked out afresh from its revisions (`recompute_all`)."""

    original: Path
    copy: Path
    owner_id: str
    owner_name: str
    passphrase: str | None = None
    revisions: int = 0
    newest_stamp: str | None = None
    foreign_revisions: int = 0  # signed by someone other than the owner
    case_keys: frozenset[str | None] = frozenset()
    replica_id: str = ""  # the file's own, which its clock stamps carry
    history: History | None = None  # all the file holds, for its mark once merged


@dataclass(frozen=True)
class MasterFacts:
    """What checking a source needs from the master, read once on the master's thread so
    that sources can be checked side by side, each on its own connection."""

    path: Path
    inspection_id: str
    title: str
    framework_id: str
    framework_version: str
    framework: Framework
    team: Mapping[str, str]  # member id -> name
    clock_ms: int = 0  # where the master's clock stands (its newest stamp, or later)
    passphrase: str | None = field(default=None, repr=False)  # to read it again, if need be
    marks: Mapping[str, Mark] = field(default_factory=dict)  # by replica id

    @classmethod
    def of(cls, master: InspectionFile) -> MasterFacts:
        team = dict(master.db.raw.execute(compiled.TEAM).fetchall())
        inspection = master.inspection
        return cls(
            master.path,
            inspection.id,
            inspection.title,
            inspection.framework_id,
            inspection.framework_version,
            master.framework,
            team,
            master.clock.last_ms,
            master.db.passphrase,
            read_marks(master.db.raw),
        )

    def clock_limit(self) -> ClockLimit:
        """How far ahead a new revision may be stamped: MAX_AHEAD_MS beyond now, or beyond
        the master's clock if that is further on (its own edits are never too far ahead)."""
        now = time.time_ns() // 1_000_000
        return ClockLimit(max(now, self.clock_ms) + MAX_AHEAD_MS, self.held_revisions)

    def held_revisions(self, keys: Sequence[tuple[str, str]]) -> set[tuple[str, str]]:
        """Which of these revisions (record key, id) the master holds, as last committed: read
        on a connection of its own (the master's is on another thread, perhaps in the merge's
        transaction). Asked only about revisions stamped too far ahead, which are rare."""
        if not keys:
            return set()
        try:
            conn = sqlite_connection.connect(self.path, readonly=True, passphrase=self.passphrase)
        except InspectorError:
            return set()  # none, as far as can be told: the stamps are then refused
        try:
            return held_revisions(conn, keys)
        finally:
            conn.close()


def private_folder() -> Path:
    """A temporary folder only this user can read (the copies hold offenders' data). Its name
    carries the process id, so one left by a killed merge is found and removed later (see
    core.leftovers)."""
    return Path(tempfile.mkdtemp(prefix=f"{MERGE_FOLDER_PREFIX}{os.getpid()}-"))


def copy_source(
    master: MasterFacts, source: Path, copy: Path, passphrase: str | None = None
) -> None:
    """The part that reads the original (often on a USB stick): refuse it if it is the
    master, was not closed cleanly or is not one of our files, else copy it into the private
    folder. An encrypted source stays encrypted in the copy: nothing decrypted touches the
    disk."""
    source = Path(source)
    name = source.name
    if source.resolve() == master.path.resolve():
        raise FileRefused(f"{name}: is the master itself")
    for suffix in ("-wal", "-journal"):
        side = source.with_name(source.name + suffix)
        try:
            unclean = side.exists() and side.stat().st_size > 0
        except OSError:  # a name at the file system's limit has no room for a side file
            unclean = False
        if unclean:
            raise FileRefused(
                f"{name}: was not closed cleanly (a {suffix[1:]} file lies beside it); open it "
                "in Inspector on the laptop it came from, close it, then copy it again"
            )
    check_header(source, encrypted_ok=passphrase is not None)
    size = source.stat().st_size
    if size > MAX_FIELDWORK_FILE_BYTES:
        raise FileRefused(
            f"{name}: is {size_text(size)}; a fieldwork file is at most "
            f"{size_text(MAX_FIELDWORK_FILE_BYTES)} (one inspector's cases take a few MB), so "
            "it is not copied"
        )
    try:
        shutil.copyfile(source, copy)
    except OSError as exc:
        raise FileRefused(f"{name}: cannot be read ({exc.strerror or exc})") from exc


def _size_problem(conn: Connection, crowded: int | None) -> str | None:
    """The limits of core.limits on what one file may hold, before anything is merged
    (`crowded`: how many revisions the file holds on a case over the limit, if one does)."""
    long = first_oversized(conn, MAX_NOTE_CHARS, MAX_VALUE_CHARS)
    if long:
        field, note, reason, value = long
        what, size, limit = next(
            (w, n, limit)
            for w, n, limit in (
                ("an evidence note", note, MAX_NOTE_CHARS),
                ("a reason", reason, MAX_NOTE_CHARS),
                ("a value", value, MAX_VALUE_CHARS),
            )
            if n is not None and n > limit
        )
        return f"{what} of {field} is {size:,} characters long; the limit is {limit:,}"
    if crowded is not None:
        return (
            f"one case holds {crowded:,} revisions; the limit is {MAX_REVISIONS_PER_CASE:,} "
            "(about 150 questions each changed a hundred times)"
        )
    return None


def check_copy(
    master: MasterFacts, source: Path, copy: Path, passphrase: str | None = None
) -> CheckedSource:
    """Check the private copy of `source`: integrity, schema, whose file it is and for which
    inspection, and every revision it holds (merge/validation.py); or, for a file merged
    before, what it held then and every revision it added since."""
    name = Path(source).name
    try:
        # Upgrades an older format in the copy, never in the original.
        db = open_database(copy, untrusted=True, passphrase=passphrase)
    except FileRefused as exc:
        raise FileRefused(str(exc).replace(copy.name, name)) from exc
    try:
        _check_schema(db.raw, name)
        _as_scratch(db)
        replica_id, mark = _replica_and_mark(db.raw, master)
        if mark is not None:
            checked = _check_sent_again(master, Path(source), db, passphrase, replica_id, mark)
            if checked is not None:
                return checked
        _rebuild_indexes(db, name)  # before anything is read through them
        owner_id, owner_name = _check_identity(db.raw, master, name)
        crowded = case_revisions_over(db.raw, MAX_REVISIONS_PER_CASE)
        history = whole_history(db.raw)  # as it is stored, before a check repairs a stamp
        found = _check_revisions(db, master, name, crowded, owner_id)
    except DatabaseError as exc:
        raise FileRefused(f"{name}: the file is damaged ({exc})") from exc
    finally:
        db.close()
    return CheckedSource(
        Path(source), copy, owner_id, owner_name, passphrase, *found, replica_id, history
    )


def _check_revisions(
    db: Database, master: MasterFacts, name: str, crowded: int | None, owner_id: str
) -> tuple[int, str | None, int, frozenset[str | None]]:
    """Every check of a file's revisions; then how many it holds, its newest stamp, how many
    are signed by someone other than `owner_id`, and the cases they are on."""
    too_big = _size_problem(db.raw, crowded)
    if too_big:
        raise FileRefused(f"{name}: {too_big}")
    problem = revisions_problem(db.raw, master.framework, master.clock_limit())
    if problem and problem.altered:
        raise FileRefused(f"{name}: {problem.text}; the file has been altered and is refused")
    if problem:
        raise FileRefused(f"{name}: {problem.text}")
    _settle_current_values(db, name)
    wrong_key = key_problem(db.raw)
    if wrong_key:
        raise FileRefused(f"{name}: {wrong_key}; the file has been altered and is refused")
    revisions, newest, foreign = revisions_summary(db.raw, owner_id)
    # One key, one case (the key checks proved it): the case index lists them all.
    return revisions, newest, foreign, case_keys_with_values(db.raw)


def _replica_and_mark(conn: Connection, master: MasterFacts) -> tuple[str, Mark | None]:
    """The file's replica id, and the master's mark to check it against, if any: the mark of
    the file itself if it was merged before as the same person's (a file claiming another
    owner is checked in full); else, for a copy of a file merged before (a copy opened
    somewhere new takes a replica id of its own), that person's newest mark."""
    info = conn.execute(compiled.FILE_ROLE).fetchall()
    if len(info) != 1 or not isinstance(info[0][2], str):
        return "", None  # the identity check says what is wrong
    _role, owner_id, replica_id = info[0]
    own = master.marks.get(replica_id)
    if own is not None:
        return replica_id, own if own.owner_id == owner_id else None
    theirs = [mark for mark in master.marks.values() if mark.owner_id == owner_id]
    return replica_id, max(theirs, key=lambda mark: str(mark.history.stamp), default=None)


def _check_sent_again(
    master: MasterFacts,
    source: Path,
    db: Database,
    passphrase: str | None,
    replica_id: str,
    mark: Mark,
) -> CheckedSource | None:
    """A file merged before: what it holds up to its mark must digest as it did then, and
    what it added since is checked in full in a file of its own, which the merge attaches.
    A file that does not match another file's mark (`replica_id` is not the mark's) is no
    copy of it, and a digest another SQLite took may differ for no change of the rows: None,
    and the file is checked in full. Nothing here reads the copy through an index (see
    revisions/history.py), so its indexes are not rebuilt."""
    name = source.name
    owner_id, owner_name = _check_identity(db.raw, master, name)
    added = new_revisions(db, passphrase, mark, definitions_of(expected_schema()))
    try:
        changed = changed_since(mark, added.sent)
        if changed and (replica_id != mark.replica_id or not read_alike(mark.history.digest)):
            return None
        if changed:
            raise FileRefused(f"{name}: {changed}; the file has been altered and is refused")
        found = _check_revisions(added.db, master, name, added.crowded, owner_id)
    finally:
        added.db.close()
    return CheckedSource(
        source,
        added.db.path,
        owner_id,
        owner_name,
        passphrase,
        *found,
        replica_id,
        added.sent.now,
    )


def _as_scratch(db: Database) -> None:
    """The private copy is scratch: it is not kept, so it is written without waiting for the
    disk."""
    for name, value in (
        ("synchronous", "OFF"),
        ("journal_mode", "MEMORY"),
        ("secure_delete", "OFF"),
    ):
        db.raw.execute(sql_text.set_pragma(name, value))


def _rebuild_indexes(db: Database, name: str) -> None:
    """Build every index of the copy afresh from its table's rows (the schema is ours by now,
    so these are exactly the indexes our migrations make). The current values are left out:
    they are deleted and worked out afresh from the revisions (`_settle_current_values`),
    their index with them, before anything reads them."""
    tables = sorted(obj for kind, obj, _table, _sql in expected_schema() if kind == "table")
    try:
        with db.write() as conn:
            for table in tables:
                if table not in REBUILT_FROM_REVISIONS:
                    conn.execute(sql_text.reindex(table))
    except IntegrityError as exc:
        raise FileRefused(
            f"{name}: its rows break a rule its indexes hid ({exc}); the file has been altered "
            "and is refused"
        ) from exc


def _settle_current_values(db: Database, name: str) -> None:
    """Work out the copy's current values from its revisions alone, so that a value only
    this file holds needs no working out in the master's transaction."""
    with db.write() as conn:
        written, keys = recompute_all(conn)
        if written < keys:
            raise FileRefused(
                f"{name}: revisions replace one another in a loop, which would leave an answer "
                "with no value; the file has been altered and is refused"
            )


def _check_schema(conn: Connection, name: str) -> None:
    """Every object of the file, SQLite's own included, must be one our migrations create,
    under its exact name and with its whole definition; and none of those may be missing."""
    found = _schema_of(conn)
    expected = expected_schema()
    extra = sorted(found - expected)
    missing = sorted(expected - found)
    if extra:
        kind, obj = extra[0][0], extra[0][1]
        known = any(e[0] == kind and e[1] == obj for e in expected)
        obj = ascii(str(obj))[1:-1][:60]  # a name from outside, shown on one line
        if known:
            raise FileRefused(
                f"{name}: its {kind} '{obj}' is not as Inspector makes it; "
                "it has been altered and is refused"
            )
        article = "an" if kind[0] in "aeiou" else "a"
        raise FileRefused(
            f"{name}: contains {article} {kind} '{obj}' that inspection files never have; "
            "it has been altered and is refused"
        )
    if missing:
        raise FileRefused(f"{name}: is missing the {missing[0][0]} '{missing[0][1]}'")


def _schema_of(conn: Connection) -> frozenset[tuple[str, str, str, str]]:
    """Every row of the schema table, nothing left out by name (a LIKE pattern would let
    'sqliteXdata' pass for one of SQLite's own), with its definition as written."""
    rows = conn.execute(compiled.SCHEMA_OBJECTS)
    return frozenset((t, n, tb, _normalised(sql)) for t, n, tb, sql in rows)


# A quoted string or name (kept exactly as written), or a run of whitespace (one space).
_SQL_PIECES = re.compile(r"""('(?:[^']|'')*'|"(?:[^"]|"")*"|`(?:[^`]|``)*`|\[[^\]]*\])|\s+""")


def _normalised(sql: object) -> str:
    """A definition as written, its layout aside: runs of whitespace outside quotes count as
    one space (SQL text may be laid out differently), everything else must be the same.
    SQLite's own indexes have none (NULL)."""
    if sql is None:
        return ""
    return _SQL_PIECES.sub(lambda m: m[1] or " ", str(sql)).strip()


@cache
def expected_schema() -> frozenset[tuple[str, str, str, str]]:
    """Exactly the objects our migrations create, read from a freshly made file."""
    folder = Path(tempfile.mkdtemp(prefix="inspector-schema-"))
    try:
        db = create_database(folder / "reference.inspection")
        try:
            return _schema_of(db.raw)
        finally:
            db.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _check_identity(conn: Connection, master: MasterFacts, name: str) -> tuple[str, str]:
    inspection = conn.execute(compiled.INSPECTION_IDENTITY).fetchall()
    if len(inspection) != 1:
        raise FileRefused(f"{name}: does not hold exactly one inspection")
    inspection_id, framework_id, framework_version = inspection[0]
    if inspection_id != master.inspection_id:
        raise FileRefused(f"{name}: belongs to another inspection, not '{master.title}'")
    if (framework_id, framework_version) != (master.framework_id, master.framework_version):
        raise FileRefused(
            f"{name}: uses framework {framework_id} {framework_version}, but the master uses "
            f"{master.framework_id} {master.framework_version}"
        )
    info = conn.execute(compiled.FILE_ROLE).fetchall()
    if len(info) != 1 or info[0][0] != FIELDWORK or not info[0][1]:
        raise FileRefused(f"{name}: is not a fieldwork file (only fieldwork files are merged)")
    owner_id = info[0][1]
    owner = master.team.get(owner_id)
    if owner is None:
        raise FileRefused(f"{name}: belongs to someone who is not in the master's team")
    return owner_id, owner


def refusal_message(exc: Exception, source: Path) -> str:
    """A one-line reason for any failure while checking a source."""
    if isinstance(exc, InspectorError):
        return str(exc).splitlines()[0]
    return f"{source.name}: cannot be merged ({exc})"
