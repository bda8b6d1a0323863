"""Alembic environment: migrations always run on a connection the app opened and began.

The caller (storage.schema.upgrade) owns the transaction, so a failed migration rolls back
the whole upgrade and the file is left as it was.
"""

from alembic import context
from sqlmodel import SQLModel

from inspector_app.core.storage import models  # noqa: F401  (declares every table)

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    # The SQLModel classes are the one declaration of every table; the migrations must build
    # exactly them (tests/core/test_storage.py runs Alembic's own comparison).
    target_metadata=SQLModel.metadata,
    render_as_batch=True,
    transaction_per_migration=False,
)
context.run_migrations()
