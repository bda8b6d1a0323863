"""The `case_withdrawal` table: the cases taken out of the inspection without a replacement,
each with its reason. The one module that reads and writes it
(tests/project/test_table_owners.py); the rules for withdrawing are core/sample/withdrawal.py's.

`withdrawn_keys` runs whenever the cases are read, so it is plain SQL on the raw connection;
the writes go through the file's SQLAlchemy connection and import the model when first called.
"""

from __future__ import annotations

from typing import NamedTuple

from inspector_app.core.storage.database import Database


class WithdrawalRow(NamedTuple):
    case_key: str
    reason: str
    withdrawn_at: str  # UTC, ISO 8601
    withdrawn_by: str | None  # member id


def withdrawn_keys(db: Database) -> frozenset[str]:
    """The keys of every withdrawn case (left out wherever cases are listed or counted)."""
    return frozenset(key for (key,) in db.raw.execute("SELECT case_key FROM case_withdrawal"))


def withdrawals(db: Database) -> list[WithdrawalRow]:
    """Every withdrawal, oldest first."""
    rows = db.raw.execute(
        "SELECT case_key, reason, withdrawn_at, withdrawn_by FROM case_withdrawal"
        " ORDER BY withdrawn_at, case_key"
    )
    return [WithdrawalRow(*row) for row in rows]


def add(db: Database, row: WithdrawalRow) -> None:
    from sqlalchemy import insert

    from inspector_app.core.storage.models import CaseWithdrawal

    with db.transaction() as conn:
        conn.execute(insert(CaseWithdrawal), row._asdict())


def remove(db: Database, case_key: str) -> int:
    """Reinstate a case; returns how many withdrawals went (0 or 1)."""
    from sqlalchemy import delete
    from sqlmodel import col

    from inspector_app.core.storage.models import CaseWithdrawal

    query = delete(CaseWithdrawal).where(col(CaseWithdrawal.case_key) == case_key)
    with db.transaction() as conn:
        return int(conn.execute(query).rowcount)
