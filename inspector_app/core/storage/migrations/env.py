"""Alembic environment: migrations always run on a connection the app opened and began.

The caller (storage.schema.upgrade) owns the transaction, so a failed migration rolls back
the whole upgrade and the file is left as it was.
"""

from alembic import context

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=None,
    render_as_batch=True,
    transaction_per_migration=False,
)
context.run_migrations()
