"""Initial file format: inspection, team, cases, allocation and the revision log.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "inspection",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("organisation", sa.String(), nullable=False),
        sa.Column("programme", sa.String(), nullable=False),
        sa.Column("fieldwork_start", sa.String(), nullable=True),
        sa.Column("fieldwork_end", sa.String(), nullable=True),
        sa.Column("framework_id", sa.String(), nullable=False),
        sa.Column("framework_version", sa.String(), nullable=False),
        sa.Column("framework_source", sa.Text(), nullable=False),
        sa.Column("created_at", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_inspection"),
    )
    op.create_table(
        "file_info",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inspection_id", sa.String(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("owner_id", sa.String(), nullable=True),
        sa.Column("replica_id", sa.String(), nullable=False),
        sa.Column("created_at", sa.String(), nullable=False),
        sa.Column("session_host", sa.String(), nullable=True),
        sa.Column("session_path", sa.String(), nullable=True),
        sa.Column("session_open", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["inspection_id"], ["inspection.id"], name="fk_file_info_inspection_id_inspection"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_file_info"),
    )
    op.create_table(
        "team_member",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_team_member"),
        sa.UniqueConstraint("name", name="uq_team_member_name"),
    )
    op.create_table(
        "case_record",
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("sample_no", sa.Integer(), nullable=False),
        sa.Column("gender", sa.String(), nullable=True),
        sa.Column("ethnicity", sa.String(), nullable=True),
        sa.Column("age_band", sa.String(), nullable=True),
        sa.Column("sentence_type", sa.String(), nullable=True),
        sa.Column("offence_group", sa.String(), nullable=True),
        sa.Column("rosh", sa.String(), nullable=True),
        sa.Column("tier", sa.Integer(), nullable=True),
        sa.Column("mappa_category", sa.Integer(), nullable=True),
        sa.Column("mappa_level", sa.Integer(), nullable=True),
        sa.Column("child_protection", sa.Boolean(), nullable=True),
        sa.Column("domestic_abuse", sa.Boolean(), nullable=True),
        sa.Column("alcohol_misuse", sa.Boolean(), nullable=True),
        sa.Column("drug_misuse", sa.Boolean(), nullable=True),
        sa.Column("statutory_victim", sa.Boolean(), nullable=True),
        sa.Column("om_grade", sa.String(), nullable=True),
        sa.Column("office", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("key", name="pk_case_record"),
        sa.UniqueConstraint("sample_no", name="uq_case_record_sample_no"),
    )
    op.create_table(
        "case_identity",
        sa.Column("case_key", sa.String(), nullable=False),
        sa.Column("crn", sa.String(), nullable=True),
        sa.Column("name", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_key"],
            ["case_record.key"],
            name="fk_case_identity_case_key_case_record",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("case_key", name="pk_case_identity"),
    )
    op.create_table(
        "allocation",
        sa.Column("case_key", sa.String(), nullable=False),
        sa.Column("member_id", sa.String(), nullable=False),
        sa.Column("reader", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_key"],
            ["case_record.key"],
            name="fk_allocation_case_key_case_record",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["team_member.id"],
            name="fk_allocation_member_id_team_member",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("case_key", "member_id", name="pk_allocation"),
    )
    op.create_table(
        "revision",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("record_key", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("case_key", sa.String(), nullable=True),
        sa.Column("field", sa.String(), nullable=False),
        sa.Column("value", sa.String(), nullable=True),
        sa.Column("note", sa.Text(), server_default="", nullable=False),
        sa.Column("reason", sa.Text(), server_default="", nullable=False),
        sa.Column("author", sa.String(), nullable=False),
        sa.Column("hlc", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_revision"),
    )
    op.create_index("ix_revision_record_key", "revision", ["record_key"])
    op.create_table(
        "revision_parent",
        # Columns in key order: SQLite 3.40's quick_check misreports NULLs otherwise.
        sa.Column("parent_id", sa.String(), nullable=False),
        sa.Column("revision_id", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("parent_id", "revision_id", name="pk_revision_parent"),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "current_value",
        sa.Column("record_key", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("case_key", sa.String(), nullable=True),
        sa.Column("field", sa.String(), nullable=False),
        sa.Column("value", sa.String(), nullable=True),
        sa.Column("revision_id", sa.String(), nullable=False),
        sa.Column("head_count", sa.Integer(), server_default="1", nullable=False),
        sa.Column("conflicted", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("record_key", name="pk_current_value"),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_current_value_case_key", "current_value", ["case_key"])


def downgrade() -> None:
    raise NotImplementedError("inspection files are only ever upgraded")
