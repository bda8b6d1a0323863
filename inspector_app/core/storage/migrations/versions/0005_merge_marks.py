"""How far the master has merged each fieldwork file.

One row per fieldwork file merged (by its replica id): the newest clock stamp it held, how
many revisions and links it held up to there and a digest of them. A file sent again is then
checked in full only for what it added, and refused if what it held before has changed.

Revision ID: 0005
Revises: 0004
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE merge_mark (
            replica_id VARCHAR NOT NULL,
            owner_id VARCHAR NOT NULL,
            stamp VARCHAR NOT NULL,
            revisions INTEGER NOT NULL,
            links INTEGER NOT NULL,
            digest VARCHAR NOT NULL,
            CONSTRAINT pk_merge_mark PRIMARY KEY (replica_id)
        )
        """
    )


def downgrade() -> None:
    raise NotImplementedError("inspection files are only ever upgraded")
