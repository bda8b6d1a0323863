"""The tables of an inspection file, as SQLModel classes.

The Alembic migrations create exactly these tables (a test compares them), so the models are
the readable statement of the file format and the migrations are its history.

Everything people edit during fieldwork (answers with their evidence notes, profile
corrections, case status, report text) lives in the immutable `revision` log; `current_value`
(the winning head, how many heads, whether they disagree) is materialised from it for fast
reads and can always be recomputed.
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, PrimaryKeyConstraint, String, Text
from sqlmodel import Field, SQLModel

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
SQLModel.metadata.naming_convention = NAMING_CONVENTION


class FileInfo(SQLModel, table=True):
    """One row: what this file is (master or fieldwork), whose it is, and its replica id."""

    __tablename__ = "file_info"

    id: int = Field(default=1, primary_key=True)
    inspection_id: str = Field(
        sa_column=Column(String, ForeignKey("inspection.id"), nullable=False)
    )
    role: str  # "master" or "fieldwork"
    owner_id: str | None = Field(default=None)  # team member whose file this is
    replica_id: str  # stamped on every revision written here, so clocks never tie
    created_at: str
    session_host: str | None = None
    session_path: str | None = None
    session_open: bool = False


class Inspection(SQLModel, table=True):
    """The inspection, with the framework it uses copied in so the file is self-contained."""

    id: str = Field(primary_key=True)
    title: str
    organisation: str
    programme: str
    fieldwork_start: str | None = None  # ISO date
    fieldwork_end: str | None = None
    framework_id: str
    framework_version: str
    framework_source: str = Field(sa_column=Column(Text, nullable=False))
    created_at: str


class TeamMember(SQLModel, table=True):
    """An inspector or local assessor; the id derives from the inspection and the name."""

    __tablename__ = "team_member"

    id: str = Field(primary_key=True)
    name: str = Field(unique=True)
    role: str  # "lead", "inspector" or "assessor"
    capacity: int | None = None  # the cases they can read first this week; None: no limit


class CaseRecord(SQLModel, table=True):
    """A sampled case with its profile as imported (JSON: field -> value, the fields being the
    framework's data) and the export's own spelling of each value that was mapped; corrections
    on site are revisions."""

    __tablename__ = "case_record"

    key: str = Field(primary_key=True)
    sample_no: int = Field(unique=True)
    profile: str = Field(default="{}", sa_column=Column(Text, nullable=False, server_default="{}"))
    raw: str = Field(default="{}", sa_column=Column(Text, nullable=False, server_default="{}"))


class CaseIdentity(SQLModel, table=True):
    """Identifying data (CRN, name), held apart from the profile and never reported."""

    __tablename__ = "case_identity"

    case_key: str = Field(
        sa_column=Column(
            String, ForeignKey("case_record.key", ondelete="CASCADE"), primary_key=True
        )
    )
    crn: str | None = None
    name: str | None = None


class Allocation(SQLModel, table=True):
    """Which assessor reads which case; a second reader double-reads for quality assurance."""

    __table_args__ = (PrimaryKeyConstraint("case_key", "member_id"),)

    case_key: str = Field(
        sa_column=Column(String, ForeignKey("case_record.key", ondelete="CASCADE"), nullable=False)
    )
    member_id: str = Field(
        sa_column=Column(String, ForeignKey("team_member.id", ondelete="CASCADE"), nullable=False)
    )
    reader: str = "first"  # "first" or "second"


class Revision(SQLModel, table=True):
    """One immutable edit: never updated, never deleted; merges copy revisions between files."""

    # Keyed by value then revision: a value's history is one range of the key.
    __table_args__ = (PrimaryKeyConstraint("record_key", "id"),)

    id: str
    record_key: str  # uuid5 of (case key, kind, field) or (inspection, kind, field)
    kind: str  # "answer", "profile", "status" or "narrative"
    case_key: str | None = None
    field: str  # question code, profile field name, status name or narrative part
    value: str | None = None  # canonical JSON; None clears the value
    note: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    reason: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    author: str  # team member id
    hlc: str  # hybrid logical clock: orders revisions even when a laptop's clock is wrong


class RevisionParent(SQLModel, table=True):
    """The revisions an edit replaced; a key's heads are its revisions nobody replaced."""

    __tablename__ = "revision_parent"
    __table_args__ = (
        PrimaryKeyConstraint("record_key", "parent_id", "revision_id"),
        {"sqlite_with_rowid": False},
    )

    record_key: str  # the value both revisions belong to: a link never crosses values
    parent_id: str  # then the parent, for finding heads (revisions nobody names as parent)
    revision_id: str


class CurrentValue(SQLModel, table=True):
    """Materialised current value per key: the deterministic winner among its heads (the
    revisions nobody replaced), how many heads there are and whether their values differ.
    The winner's note, author and time are read from its revision."""

    __tablename__ = "current_value"
    __table_args__ = (
        Index("ix_current_value_case_key", "case_key"),
        {"sqlite_with_rowid": False},
    )

    record_key: str = Field(primary_key=True)
    kind: str
    case_key: str | None = None
    field: str
    value: str | None = None
    revision_id: str
    head_count: int = Field(
        default=1, sa_column=Column(Integer, nullable=False, server_default="1")
    )
    conflicted: bool = False


class SampleSource(SQLModel, table=True):
    """One import of a trust's file: the mapping the lead confirmed (TOML), how many rows were
    read and imported, which rows were left out and why, and how they differed from the rest."""

    __tablename__ = "sample_source"

    id: int | None = Field(default=None, primary_key=True)
    kind: str  # "sample" or "long_list"
    file_name: str
    imported_at: str
    mapping: str = Field(sa_column=Column(Text, nullable=False))
    rows_read: int
    imported: int
    excluded: str = Field(default="[]", sa_column=Column(Text, nullable=False, server_default="[]"))
    exclusion_reason: str = Field(
        default="", sa_column=Column(Text, nullable=False, server_default="")
    )
    comparison: str = Field(
        default="[]", sa_column=Column(Text, nullable=False, server_default="[]")
    )


class LongListEntry(SQLModel, table=True):
    """A case of the trust's long list, before or after a sample is drawn from it."""

    __tablename__ = "long_list_entry"

    entry_no: int = Field(primary_key=True)
    row_number: int  # the export's row, as the trust sees it
    profile: str = Field(default="{}", sa_column=Column(Text, nullable=False, server_default="{}"))
    raw: str = Field(default="{}", sa_column=Column(Text, nullable=False, server_default="{}"))
    status: str = Field(
        default="candidate", sa_column=Column(String, nullable=False, server_default="candidate")
    )  # "candidate", "drawn", "reserve" or "replaced"
    reserve_rank: int | None = None
    sample_no: int | None = None
    reason: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))


class LongListIdentity(SQLModel, table=True):
    """A long-list case's identifiers, held apart like a sampled case's."""

    __tablename__ = "long_list_identity"

    entry_no: int = Field(
        sa_column=Column(
            Integer,
            ForeignKey("long_list_entry.entry_no", ondelete="CASCADE"),
            primary_key=True,
        )
    )
    crn: str | None = None
    name: str | None = None


class SampleDraw(SQLModel, table=True):
    """A stratified draw: enough to repeat it (seed, size, strata, minimum, reserves) and to
    compare the sample with the long list (the plan and the long list's totals)."""

    __tablename__ = "sample_draw"

    id: int | None = Field(default=None, primary_key=True)
    drawn_at: str
    size: int
    seed: str
    strata: str = Field(sa_column=Column(Text, nullable=False))
    minimum: int
    reserves: int
    plan: str = Field(sa_column=Column(Text, nullable=False))
    long_list_totals: str = Field(sa_column=Column(Text, nullable=False))


class MergeMark(SQLModel, table=True):
    """How far the master has merged a fieldwork file (known by its replica id): the newest
    clock stamp the file held then, and how many revisions and links it held up to there with
    a digest of them. A file sent again is checked in full only for what it added since; what
    it held before must match the digest (core/merge/marks.py)."""

    __tablename__ = "merge_mark"

    replica_id: str = Field(primary_key=True)
    owner_id: str  # whose file it was
    stamp: str  # its newest clock stamp when merged: everything it writes later is newer
    revisions: int  # the revisions it held then
    links: int  # and their parent links
    digest: str  # SHA-256 of those revisions and links (core/revisions/history.py)


class CaseWithdrawal(SQLModel, table=True):
    """A case taken out of the inspection without a replacement (its stratum has no reserve
    left, or the lead wants none). The case stays in the file with the reason, out of every
    list and count; reinstating it removes this row."""

    __tablename__ = "case_withdrawal"

    case_key: str = Field(
        sa_column=Column(
            String, ForeignKey("case_record.key", ondelete="CASCADE"), primary_key=True
        )
    )
    reason: str = Field(sa_column=Column(Text, nullable=False))
    withdrawn_at: str
    withdrawn_by: str | None = None  # the team member who withdrew it


class FieldworkFileRecord(SQLModel, table=True):
    """A fieldwork file written from the master, or a person's file merged back into it: so
    the lead can see when each person's file went out and when it last came back."""

    __tablename__ = "fieldwork_file_record"

    id: int | None = Field(default=None, primary_key=True)
    event: str  # "written" or "merged"
    member_id: str  # whose file
    recorded_at: str
    file_name: str
    recorded_by: str | None = None  # who wrote the file (written only)
    revisions: int | None = None  # the new revisions it brought (merged only)
