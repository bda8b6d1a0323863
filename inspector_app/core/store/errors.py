"""What the store says when it refuses: one line a user can act on, never a password.

The server's errors are told apart by their SQLSTATE, not by their wording, which changes
between versions and languages; only libpq's own "no password supplied", which comes before
any reply of the server and so has no SQLSTATE, is recognised by its words.
"""

from __future__ import annotations

import sqlalchemy.exc

from inspector_app.core.errors import InspectorError

# PostgreSQL's SQLSTATE codes the store tells apart.
INSUFFICIENT_PRIVILEGE = "42501"
UNDEFINED_TABLE = "42P01"
INVALID_CATALOG_NAME = "3D000"  # no such database
INVALID_PASSWORD = "28P01"
INVALID_AUTHORIZATION = "28000"
SERIALIZATION_FAILURE = "40001"
UNIQUE_VIOLATION = "23505"


class StoreRefused(InspectorError):
    """The store cannot do what was asked; the message says why and what to do."""


class ReadOnlyRole(StoreRefused):
    """The database role may read the store but not publish to it."""


def sqlstate(exc: BaseException) -> str | None:
    """The SQLSTATE of a PostgreSQL error (wrapped by SQLAlchemy or not), else None."""
    orig = exc.orig if isinstance(exc, sqlalchemy.exc.DBAPIError) else exc
    code = getattr(orig, "sqlstate", None)
    return code if isinstance(code, str) else None


def first_line(exc: BaseException, *, secret: str | None = None) -> str:
    """The driver's own message, first line only, with the password (if any) blotted out."""
    orig = exc.orig if isinstance(exc, sqlalchemy.exc.DBAPIError) else exc
    lines = str(orig).strip().splitlines()
    text = lines[0].strip() if lines else type(orig).__name__
    if secret:
        text = text.replace(secret, "***")
    return text


def refusal(exc: sqlalchemy.exc.DBAPIError, shown: str, *, secret: str | None = None) -> Exception:
    """A user-fit error for what the database said (`shown` is the store's address without
    its password)."""
    code = sqlstate(exc)
    detail = first_line(exc, secret=secret)
    if code == INSUFFICIENT_PRIVILEGE:
        return ReadOnlyRole(
            f"{shown}: your database role may not do this ({detail}); publishing needs the "
            "store's publisher role, setting it up its owner's"
        )
    if code == UNDEFINED_TABLE:
        return StoreRefused(
            f"{shown}: is not an Inspector store yet; create it with 'inspector-app store init'"
        )
    if code == INVALID_CATALOG_NAME:
        return StoreRefused(
            f"{shown}: {detail}; ask the database administrator to create it (createdb)"
        )
    if code in (INVALID_PASSWORD, INVALID_AUTHORIZATION):
        return StoreRefused(
            f"{shown}: the server refused the login ({detail}); put the password in "
            "~/.pgpass or PGPASSWORD, never in the app's settings"
        )
    if code in (SERIALIZATION_FAILURE, UNIQUE_VIOLATION):
        return StoreRefused(
            f"{shown}: someone published the same inspection at the same moment; nothing "
            "was written, try again"
        )
    if isinstance(exc, sqlalchemy.exc.OperationalError) and code is None:
        if "no password supplied" in detail:  # libpq's own, before any server reply
            return StoreRefused(
                f"{shown}: the server asks for a password and none was found; put it in "
                "~/.pgpass or PGPASSWORD, never in the app's settings"
            )
        return StoreRefused(f"{shown}: cannot use the store ({detail})")
    return StoreRefused(f"{shown}: the store refused ({detail})")
