"""The store's tables, declared once with SQLAlchemy Core.

They live in their own `MetaData`, not in SQLModel's: the inspection file's migrations are
checked against SQLModel's metadata, and the store's tables must never appear there (nor the
file's here). The store's migrations (`migrations/`) build exactly these tables; a test runs
Alembic's own comparison on both engines.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

metadata = sa.MetaData(
    naming_convention={
        "pk": "pk_%(table_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s",
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    }
)

# The version table Alembic keeps the store's revision in (its own name, so a database shared
# with other software never confuses the two).
VERSION_TABLE = "store_schema_version"

# A case's profile: a JSON object; JSONB on PostgreSQL, so analysts can query it there.
ProfileJSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

framework_version = sa.Table(
    "framework_version",
    metadata,
    sa.Column("framework_id", sa.String(100), primary_key=True),
    sa.Column("version", sa.String(50), primary_key=True),
    sa.Column("title", sa.Text(), nullable=False),
    sa.Column("registered_at", sa.String(25), nullable=False),
)

published_inspection = sa.Table(
    "published_inspection",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),  # the inspection file's own id
    sa.Column("title", sa.Text(), nullable=False),
    sa.Column("organisation", sa.Text(), nullable=False),  # the area inspected
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
    # Conflicts still open when published: only ever non-zero when the lead allowed it.
    sa.Column("open_conflicts", sa.Integer(), nullable=False),
    sa.Column("conflicts_allowed", sa.Boolean(), nullable=False),
    sa.Column("content_hash", sa.String(64), nullable=False),
    sa.Column("published_at", sa.String(25), nullable=False),
    sa.Column("app_version", sa.String(50), nullable=False),
    sa.ForeignKeyConstraint(
        ["framework_id", "framework_version"],
        ["framework_version.framework_id", "framework_version.version"],
    ),
)
sa.Index(
    "ix_published_inspection_framework",
    published_inspection.c.framework_id,
    published_inspection.c.framework_version,
    published_inspection.c.fieldwork_year,
)

published_case = sa.Table(
    "published_case",
    metadata,
    sa.Column(
        "inspection_id",
        sa.String(64),
        sa.ForeignKey("published_inspection.id"),
        primary_key=True,
    ),
    sa.Column("sample_no", sa.Integer(), primary_key=True),
    sa.Column("complete", sa.Boolean(), nullable=False),
    sa.Column("profile", ProfileJSON, nullable=False),  # never an identifying field
)

published_answer = sa.Table(
    "published_answer",
    metadata,
    sa.Column("inspection_id", sa.String(64), primary_key=True),
    sa.Column("sample_no", sa.Integer(), primary_key=True),
    sa.Column("question", sa.String(50), primary_key=True),
    sa.Column("value", sa.String(50), nullable=False),  # a scale's value, never free text
    sa.ForeignKeyConstraint(
        ["inspection_id", "sample_no"],
        ["published_case.inspection_id", "published_case.sample_no"],
    ),
)

# One figure of the findings: LEVELS in figures.py.
published_figure = sa.Table(
    "published_figure",
    metadata,
    sa.Column(
        "inspection_id",
        sa.String(64),
        sa.ForeignKey("published_inspection.id"),
        primary_key=True,
    ),
    sa.Column("level", sa.String(20), primary_key=True),
    sa.Column("code", sa.String(50), primary_key=True),
    sa.Column("title", sa.Text(), nullable=False),
    sa.Column("stage", sa.String(50), nullable=False),
    sa.Column("position", sa.Integer(), nullable=False),  # report order
    sa.Column("sufficient", sa.Integer(), nullable=False),
    sa.Column("insufficient", sa.Integer(), nullable=False),
    sa.Column("percent", sa.Integer(), nullable=True),  # as printed; NULL: nothing counted
    sa.Column("rating", sa.Text(), nullable=True),  # a standard's rating, as the figures give
    sa.Column("adjusted_rating", sa.Text(), nullable=True),  # the lead's adjustment, if any
)

# Every publish that changed something, kept: who published what, when, and with what
# conflicts allowed (a re-publish replaces the rows above, never these).
publish_event = sa.Table(
    "publish_event",
    metadata,
    sa.Column("id", sa.Integer(), sa.Identity(), primary_key=True),
    sa.Column("inspection_id", sa.String(64), nullable=False, index=True),
    sa.Column("published_at", sa.String(25), nullable=False),
    sa.Column("content_hash", sa.String(64), nullable=False),
    sa.Column("replaced_hash", sa.String(64), nullable=True),
    sa.Column("open_conflicts", sa.Integer(), nullable=False),
    sa.Column("conflicts_allowed", sa.Boolean(), nullable=False),
    sa.Column("published_by", sa.Text(), nullable=False),  # the database role (or OS user)
    sa.Column("app_version", sa.String(50), nullable=False),
)

# An inspection imported from a published report made before the app (`store
# import-published`, imported.py): its id starts with IMPORTED_ID_PREFIX, its app_version is
# IMPORTED_APP_VERSION (no app made it), and it has figures but no cases or answers.
IMPORTED_ID_PREFIX = "imported-"
IMPORTED_APP_VERSION = "imported"

# What a publisher writes and a reader only reads (roles.py grants by these).
PUBLISHED_TABLES = (published_inspection, published_case, published_answer, published_figure)
