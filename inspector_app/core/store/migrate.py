"""The store's schema, created and upgraded by its own Alembic migrations (`migrations/`),
never the inspection file's; and the check every use makes that the schema is this app's."""

from __future__ import annotations

import threading

import sqlalchemy as sa

from inspector_app.core.store.engine import Store
from inspector_app.core.store.errors import StoreRefused
from inspector_app.core.store.schema import VERSION_TABLE

# Every revision of the store's schema, oldest first. Append, never edit (a test compares this
# with the migrations folder).
REVISIONS: tuple[str, ...] = ("s0001",)
HEAD = REVISIONS[-1]
SCRIPT_LOCATION = "inspector_app.core.store:migrations"
# Alembic's `op` and `context` are process-wide: one migration runs at a time.
_MIGRATION_LOCK = threading.Lock()


def schema_revision(conn: sa.Connection) -> str | None:
    """The store's revision, or None when it has no schema of ours."""
    from alembic.runtime.migration import MigrationContext

    context = MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE})
    return context.get_current_revision()


def upgrade_store(store: Store) -> tuple[str | None, str]:
    """Create or upgrade the schema in one transaction: (revision before, revision after).
    Alembic is imported here only: every other use just reads the revision."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    with _MIGRATION_LOCK, store.begin(write=True) as conn:
        before = schema_revision(conn)
        check_not_newer(before, store.shown)
        if before != HEAD:
            config.attributes["connection"] = conn
            command.upgrade(config, HEAD)
        return before, HEAD


def check_schema(conn: sa.Connection, shown: str) -> None:
    """Refuse a database that is not a store of this app's schema, saying what to do."""
    revision = schema_revision(conn)
    if revision is None:
        raise StoreRefused(
            f"{shown}: is not an Inspector store yet; create it with "
            "'inspector-app store init ADDRESS'"
        )
    check_not_newer(revision, shown)
    if revision != HEAD:
        raise StoreRefused(
            f"{shown}: the store's schema is older than this version of Inspector; upgrade "
            "it with 'inspector-app store init ADDRESS' (as the store's owner)"
        )


def check_not_newer(revision: str | None, shown: str) -> None:
    if revision is not None and revision not in REVISIONS:
        raise StoreRefused(
            f"{shown}: made by a newer version of Inspector (schema {revision}); install the "
            "latest version to use it"
        )
