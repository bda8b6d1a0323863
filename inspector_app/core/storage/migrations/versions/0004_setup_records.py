"""The lead's set-up records: each reader's capacity, cases withdrawn without a replacement,
and when fieldwork files were written and merged.

A capacity is a column of the team (empty: no limit). A withdrawn case keeps its record, its
identifiers and whatever was written on it; a row of `case_withdrawal` takes it out of every
list and count until it is reinstated. `fieldwork_file_record` is a log, one row per file
written or merged, read for "written 3 Dec 14:02, last merged 5 Dec 09:10".

Revision ID: 0004
Revises: 0003
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE team_member ADD COLUMN capacity INTEGER")
    op.execute(
        """
        CREATE TABLE case_withdrawal (
            case_key VARCHAR NOT NULL,
            reason TEXT NOT NULL,
            withdrawn_at VARCHAR NOT NULL,
            withdrawn_by VARCHAR,
            CONSTRAINT pk_case_withdrawal PRIMARY KEY (case_key),
            CONSTRAINT fk_case_withdrawal_case_key_case_record FOREIGN KEY(case_key)
                REFERENCES case_record (key) ON DELETE CASCADE
        )
        """
    )
    op.execute(
        """
        CREATE TABLE fieldwork_file_record (
            id INTEGER NOT NULL,
            event VARCHAR NOT NULL,
            member_id VARCHAR NOT NULL,
            recorded_at VARCHAR NOT NULL,
            file_name VARCHAR NOT NULL,
            recorded_by VARCHAR,
            revisions INTEGER,
            CONSTRAINT pk_fieldwork_file_record PRIMARY KEY (id)
        )
        """
    )


def downgrade() -> None:
    raise NotImplementedError("inspection files are only ever upgraded")
