"""The two PostgreSQL roles of an office store, and the check that refuses a reader early.

- **publisher**: reads everything; adds and replaces its inspections (INSERT and UPDATE on
  `published_inspection`; INSERT and DELETE on the rows a re-publish replaces: cases,
  answers, figures); appends to `publish_event`. It cannot register frameworks, change the
  schema or remove an inspection from the store.
- **reader**: SELECT only, on every table of the store (the analysts, and the comparison in
  each lead's report).

The database administrator creates the login roles (`CREATE ROLE alice LOGIN`, or group roles
that people are members of); the store's owner grants them with
`inspector-app store init ADDRESS --publisher ROLE --reader ROLE` (again after each upgrade of
the store, so new tables are granted too). A store file (SQLite) has no roles: whoever may
write the file may publish.

GRANT takes no parameters, so its statements are built here only, from role names that exist
in the server, quoted by the dialect.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from inspector_app.core.store.errors import ReadOnlyRole, StoreRefused
from inspector_app.core.store.schema import (
    PUBLISHED_TABLES,
    VERSION_TABLE,
    framework_version,
    publish_event,
    published_answer,
    published_inspection,
)

PUBLISHER = "publisher"
READER = "reader"


def grant_roles(
    conn: sa.Connection, shown: str, *, publishers: Sequence[str], readers: Sequence[str]
) -> None:
    """Grant each role its privileges on the store's tables (PostgreSQL only)."""
    if not publishers and not readers:
        return
    if conn.dialect.name != "postgresql":
        raise StoreRefused(f"{shown}: a store file has no database roles to grant")
    for name in (*publishers, *readers):
        _check_role_exists(conn, name, shown)
    schema = conn.execute(sa.text("SELECT current_schema()")).scalar_one()
    sequence = conn.execute(
        sa.text("SELECT pg_get_serial_sequence(:table, 'id')"), {"table": publish_event.name}
    ).scalar_one()
    quote = conn.dialect.identifier_preparer.quote_identifier
    for role in publishers:
        for statement in grant_statements(quote(schema), quote(role), PUBLISHER, sequence):
            conn.exec_driver_sql(statement)
    for role in readers:
        for statement in grant_statements(quote(schema), quote(role), READER, sequence):
            conn.exec_driver_sql(statement)


def grant_statements(schema: str, role: str, kind: str, sequence: str | None) -> list[str]:
    """The GRANTs of one role (`schema` and `role` already quoted; `sequence` as the server
    names it, already qualified and quoted where needed)."""
    every_table = [
        *(t.name for t in PUBLISHED_TABLES),
        framework_version.name,
        publish_event.name,
        VERSION_TABLE,
    ]
    statements = [f"GRANT USAGE ON SCHEMA {schema} TO {role}"]
    statements += [f"GRANT SELECT ON {schema}.{table} TO {role}" for table in every_table]
    if kind == PUBLISHER:
        statements.append(f"GRANT INSERT, UPDATE ON {schema}.{published_inspection.name} TO {role}")
        statements += [
            f"GRANT INSERT, DELETE ON {schema}.{table.name} TO {role}"
            for table in PUBLISHED_TABLES
            if table is not published_inspection
        ]
        statements.append(f"GRANT INSERT ON {schema}.{publish_event.name} TO {role}")
        if sequence:
            statements.append(f"GRANT USAGE ON SEQUENCE {sequence} TO {role}")
    return statements


def check_may_publish(conn: sa.Connection, shown: str) -> None:
    """Refuse, before anything is read or written, a role that may not publish."""
    if conn.dialect.name != "postgresql":
        return
    may = conn.execute(
        sa.text(
            "SELECT current_user, has_table_privilege(:inspection, 'INSERT, UPDATE')"
            " AND has_table_privilege(:answers, 'INSERT, DELETE')"
            " AND has_table_privilege(:events, 'INSERT')"
        ),
        {
            "inspection": published_inspection.name,
            "answers": published_answer.name,
            "events": publish_event.name,
        },
    ).one()
    if not may[1]:
        raise ReadOnlyRole(
            f"{shown}: the database role '{may[0]}' may only read this store; publishing needs "
            "a role the store's owner granted with 'store init --publisher'"
        )


def _check_role_exists(conn: sa.Connection, name: str, shown: str) -> None:
    found = conn.execute(
        sa.text("SELECT 1 FROM pg_roles WHERE rolname = :name"), {"name": name}
    ).first()
    if found is None:
        raise StoreRefused(
            f"{shown}: there is no database role '{name}'; create it first "
            "(CREATE ROLE name LOGIN) or name an existing one"
        )
