"""The case profile held as data, and where the sample came from.

The profile's fields are declared by the framework, so a case keeps them as one JSON object
(`profile`) beside the export's own spelling of any value that was mapped (`raw`), instead of
a column per field. The import and its mapping, the trust's long list, and each sample drawn
from it are recorded, so a draw can be repeated and the report can say what was left out.

Revision ID: 0003
Revises: 0002
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_TEXT = ("gender", "ethnicity", "age_band", "sentence_type", "offence_group", "rosh")
_NUMBERS = ("tier", "mappa_category", "mappa_level")
_FLAGS = ("child_protection", "domestic_abuse", "alcohol_misuse", "drug_misuse", "statutory_victim")
_LAST = ("om_grade", "office")


def _flag(column: str) -> str:
    return (
        f"CASE WHEN {column} IS NULL THEN NULL WHEN {column} THEN json('true')"
        f" ELSE json('false') END"
    )


def upgrade() -> None:
    op.execute("ALTER TABLE case_record ADD COLUMN profile TEXT DEFAULT '{}' NOT NULL")
    op.execute("ALTER TABLE case_record ADD COLUMN raw TEXT DEFAULT '{}' NOT NULL")
    pairs = [
        *(f"'{c}', {c}" for c in (*_TEXT, *_NUMBERS)),
        *(f"'{c}', {_flag(c)}" for c in _FLAGS),
        *(f"'{c}', {c}" for c in _LAST),
    ]
    # json_patch onto an empty object drops the fields a case has no value for.
    op.execute(
        f"UPDATE case_record SET profile = json_patch('{{}}', json_object({', '.join(pairs)}))"
    )
    for column in (*_TEXT, *_NUMBERS, *_FLAGS, *_LAST):
        op.execute(f"ALTER TABLE case_record DROP COLUMN {column}")
    op.execute(
        """
        CREATE TABLE sample_source (
            id INTEGER NOT NULL,
            kind VARCHAR NOT NULL,
            file_name VARCHAR NOT NULL,
            imported_at VARCHAR NOT NULL,
            mapping TEXT NOT NULL,
            rows_read INTEGER NOT NULL,
            imported INTEGER NOT NULL,
            excluded TEXT DEFAULT '[]' NOT NULL,
            exclusion_reason TEXT DEFAULT '' NOT NULL,
            comparison TEXT DEFAULT '[]' NOT NULL,
            CONSTRAINT pk_sample_source PRIMARY KEY (id)
        )
        """
    )
    op.execute(
        """
        CREATE TABLE long_list_entry (
            entry_no INTEGER NOT NULL,
            row_number INTEGER NOT NULL,
            profile TEXT DEFAULT '{}' NOT NULL,
            raw TEXT DEFAULT '{}' NOT NULL,
            status VARCHAR DEFAULT 'candidate' NOT NULL,
            reserve_rank INTEGER,
            sample_no INTEGER,
            reason TEXT DEFAULT '' NOT NULL,
            CONSTRAINT pk_long_list_entry PRIMARY KEY (entry_no)
        )
        """
    )
    op.execute(
        """
        CREATE TABLE long_list_identity (
            entry_no INTEGER NOT NULL,
            crn VARCHAR,
            name VARCHAR,
            CONSTRAINT pk_long_list_identity PRIMARY KEY (entry_no),
            CONSTRAINT fk_long_list_identity_entry_no_long_list_entry FOREIGN KEY(entry_no)
                REFERENCES long_list_entry (entry_no) ON DELETE CASCADE
        )
        """
    )
    op.execute(
        """
        CREATE TABLE sample_draw (
            id INTEGER NOT NULL,
            drawn_at VARCHAR NOT NULL,
            size INTEGER NOT NULL,
            seed VARCHAR NOT NULL,
            strata TEXT NOT NULL,
            minimum INTEGER NOT NULL,
            reserves INTEGER NOT NULL,
            plan TEXT NOT NULL,
            long_list_totals TEXT NOT NULL,
            CONSTRAINT pk_sample_draw PRIMARY KEY (id)
        )
        """
    )


def downgrade() -> None:
    raise NotImplementedError("inspection files are only ever upgraded")
