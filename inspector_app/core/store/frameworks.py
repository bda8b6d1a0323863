"""The frameworks a store knows: only inspections made with one of them are published.

`store init` registers every framework this version of the app ships (id and version), and
only the store's owner can (a publisher may not add rows here). So the figures of a framework
version enter the store only once someone set the store up for it, and a master made with a
framework nobody registered (a hand-made one, or one a newer app ships) is refused with what
to do, instead of starting a comparison group of one by accident.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa

from inspector_app.core.files.inspection_file import utc_now_iso
from inspector_app.core.framework.loader import builtin_frameworks, load_builtin
from inspector_app.core.store.errors import StoreRefused
from inspector_app.core.store.schema import framework_version


@dataclass(frozen=True)
class KnownFramework:
    framework_id: str
    version: str
    title: str


@functools.cache
def shipped_frameworks() -> tuple[KnownFramework, ...]:
    """Every framework this version of the app ships, in id order."""
    found = []
    for framework_id in sorted(builtin_frameworks()):
        framework = load_builtin(framework_id)
        found.append(KnownFramework(framework.id, framework.version, framework.title))
    return tuple(found)


def known_frameworks(conn: sa.Connection) -> list[KnownFramework]:
    table = framework_version
    rows = conn.execute(
        sa.select(table.c.framework_id, table.c.version, table.c.title).order_by(
            table.c.framework_id, table.c.version
        )
    )
    return [KnownFramework(*row) for row in rows]


def missing_shipped(conn: sa.Connection) -> list[KnownFramework]:
    """The shipped frameworks the store does not know yet."""
    known = {(f.framework_id, f.version) for f in known_frameworks(conn)}
    return [f for f in shipped_frameworks() if (f.framework_id, f.version) not in known]


def register(conn: sa.Connection, frameworks: Sequence[KnownFramework]) -> None:
    if frameworks:
        conn.execute(
            framework_version.insert(),
            [
                {
                    "framework_id": f.framework_id,
                    "version": f.version,
                    "title": f.title,
                    "registered_at": utc_now_iso(),
                }
                for f in frameworks
            ],
        )


def check_known(conn: sa.Connection, framework_id: str, version: str, shown: str) -> None:
    """Refuse an inspection made with a framework version the store was not set up for."""
    table = framework_version
    found = conn.execute(
        sa.select(sa.literal(1)).where(
            table.c.framework_id == framework_id, table.c.version == version
        )
    ).first()
    if found is None:
        raise StoreRefused(
            f"{shown}: does not know framework {framework_id} version {version}; the store's "
            "owner registers it by running 'inspector-app store init ADDRESS' with a version "
            "of Inspector that ships it"
        )
