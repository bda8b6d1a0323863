"""Alembic environment of the store: migrations always run on a connection the app opened and
began, so a failed migration rolls the whole upgrade back (migrate.py owns the transaction)."""

from alembic import context

from inspector_app.core.store.schema import VERSION_TABLE, metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    # schema.py is the one declaration of the store's tables; the migrations must build
    # exactly them (tests/store/test_schema.py runs Alembic's own comparison).
    target_metadata=metadata,
    version_table=VERSION_TABLE,
    render_as_batch=True,
    transaction_per_migration=False,
)
context.run_migrations()
