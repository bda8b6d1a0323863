"""Revisions and their parent links keyed by the value they belong to.

A value's history is found by its record key and a merge checks for a revision it already
holds by the same pair, so revisions are keyed by (record_key, id): one index instead of the
two on id and on record_key. A parent link carries its value's key too, so a link can only
ever replace a revision of the same value, and finding a value's heads reads one range.
Every revision and link is copied as it is.

Revision ID: 0002
Revises: 0001
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Links first, while revisions can still be found by id alone.
    op.execute(
        """
        CREATE TABLE revision_parent_keyed (
            record_key VARCHAR NOT NULL,
            parent_id VARCHAR NOT NULL,
            revision_id VARCHAR NOT NULL,
            CONSTRAINT pk_revision_parent PRIMARY KEY (record_key, parent_id, revision_id)
        ) WITHOUT ROWID
        """
    )
    op.execute(
        "INSERT INTO revision_parent_keyed"
        " SELECT r.record_key, p.parent_id, p.revision_id FROM revision_parent p"
        " JOIN revision r ON r.id = p.revision_id"
    )
    op.execute("DROP TABLE revision_parent")
    op.execute("ALTER TABLE revision_parent_keyed RENAME TO revision_parent")
    op.execute(
        """
        CREATE TABLE revision_keyed (
            id VARCHAR NOT NULL,
            record_key VARCHAR NOT NULL,
            kind VARCHAR NOT NULL,
            case_key VARCHAR,
            field VARCHAR NOT NULL,
            value VARCHAR,
            note TEXT DEFAULT '' NOT NULL,
            reason TEXT DEFAULT '' NOT NULL,
            author VARCHAR NOT NULL,
            hlc VARCHAR NOT NULL,
            CONSTRAINT pk_revision PRIMARY KEY (record_key, id)
        )
        """
    )
    op.execute("INSERT INTO revision_keyed SELECT * FROM revision ORDER BY rowid")
    op.execute("DROP INDEX ix_revision_record_key")
    op.execute("DROP TABLE revision")
    op.execute("ALTER TABLE revision_keyed RENAME TO revision")


def downgrade() -> None:
    raise NotImplementedError("inspection files are only ever upgraded")
