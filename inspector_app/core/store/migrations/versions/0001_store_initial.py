"""The store's first schema: frameworks it knows, published inspections, their cases, answers
and figures, and the log of every publish.

Revision ID: s0001
Revises:
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "s0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "framework_version",
        sa.Column("framework_id", sa.String(100), nullable=False),
        sa.Column("version", sa.String(50), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("registered_at", sa.String(25), nullable=False),
        sa.PrimaryKeyConstraint("framework_id", "version", name="pk_framework_version"),
    )
    op.create_table(
        "published_inspection",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("organisation", sa.Text(), nullable=False),
        sa.Column("programme", sa.Text(), nullable=False),
        sa.Column("fieldwork_start", sa.String(10), nullable=True),
        sa.Column("fieldwork_end", sa.String(10), nullable=True),
        sa.Column("fieldwork_year", sa.Integer(), nullable=True),
        sa.Column("framework_id", sa.String(100), nullable=False),
        sa.Column("framework_version", sa.String(50), nullable=False),
        sa.Column("cases_counted", sa.Integer(), nullable=False),
        sa.Column("report_final", sa.Boolean(), nullable=False),
        sa.Column("overall_rating", sa.Text(), nullable=True),
        sa.Column("overall_score", sa.Integer(), nullable=True),
        sa.Column("open_conflicts", sa.Integer(), nullable=False),
        sa.Column("conflicts_allowed", sa.Boolean(), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("published_at", sa.String(25), nullable=False),
        sa.Column("app_version", sa.String(50), nullable=False),
        sa.ForeignKeyConstraint(
            ["framework_id", "framework_version"],
            ["framework_version.framework_id", "framework_version.version"],
            name="fk_published_inspection_framework_id",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_published_inspection"),
    )
    op.create_index(
        "ix_published_inspection_framework",
        "published_inspection",
        ["framework_id", "framework_version", "fieldwork_year"],
    )
    op.create_table(
        "published_case",
        sa.Column("inspection_id", sa.String(64), nullable=False),
        sa.Column("sample_no", sa.Integer(), nullable=False),
        sa.Column("complete", sa.Boolean(), nullable=False),
        sa.Column(
            "profile", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["inspection_id"],
            ["published_inspection.id"],
            name="fk_published_case_inspection_id",
        ),
        sa.PrimaryKeyConstraint("inspection_id", "sample_no", name="pk_published_case"),
    )
    op.create_table(
        "published_answer",
        sa.Column("inspection_id", sa.String(64), nullable=False),
        sa.Column("sample_no", sa.Integer(), nullable=False),
        sa.Column("question", sa.String(50), nullable=False),
        sa.Column("value", sa.String(50), nullable=False),
        sa.ForeignKeyConstraint(
            ["inspection_id", "sample_no"],
            ["published_case.inspection_id", "published_case.sample_no"],
            name="fk_published_answer_inspection_id",
        ),
        sa.PrimaryKeyConstraint(
            "inspection_id", "sample_no", "question", name="pk_published_answer"
        ),
    )
    op.create_table(
        "published_figure",
        sa.Column("inspection_id", sa.String(64), nullable=False),
        sa.Column("level", sa.String(20), nullable=False),
        sa.Column("code", sa.String(50), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("stage", sa.String(50), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("sufficient", sa.Integer(), nullable=False),
        sa.Column("insufficient", sa.Integer(), nullable=False),
        sa.Column("percent", sa.Integer(), nullable=True),
        sa.Column("rating", sa.Text(), nullable=True),
        sa.Column("adjusted_rating", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["inspection_id"],
            ["published_inspection.id"],
            name="fk_published_figure_inspection_id",
        ),
        sa.PrimaryKeyConstraint("inspection_id", "level", "code", name="pk_published_figure"),
    )
    op.create_table(
        "publish_event",
        sa.Column("id", sa.Integer(), sa.Identity(), nullable=False),
        sa.Column("inspection_id", sa.String(64), nullable=False),
        sa.Column("published_at", sa.String(25), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("replaced_hash", sa.String(64), nullable=True),
        sa.Column("open_conflicts", sa.Integer(), nullable=False),
        sa.Column("conflicts_allowed", sa.Boolean(), nullable=False),
        sa.Column("published_by", sa.Text(), nullable=False),
        sa.Column("app_version", sa.String(50), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_publish_event"),
    )
    op.create_index("ix_publish_event_inspection_id", "publish_event", ["inspection_id"])


def downgrade() -> None:
    raise NotImplementedError("the store is only ever upgraded")
