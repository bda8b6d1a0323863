"""Opening the store to use, and setting one up (`store init`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from inspector_app.core.store.configured import remember, resolve_location
from inspector_app.core.store.engine import Store
from inspector_app.core.store.errors import StoreRefused
from inspector_app.core.store.frameworks import (
    KnownFramework,
    known_frameworks,
    missing_shipped,
    register,
)
from inspector_app.core.store.migrate import HEAD, schema_revision, upgrade_store
from inspector_app.core.store.roles import grant_roles


@dataclass(frozen=True)
class InitOutcome:
    """What `store init` did."""

    store: str  # the address, without its password
    engine: str
    revision_before: str | None
    revision: str
    frameworks_added: tuple[KnownFramework, ...]
    frameworks_known: tuple[KnownFramework, ...]
    publishers: tuple[str, ...] = ()
    readers: tuple[str, ...] = ()
    remembered: bool = False
    password_dropped: bool = False  # the address had a password, which was not remembered

    def to_json(self) -> dict[str, object]:
        return {
            "store": self.store,
            "engine": self.engine,
            "revision_before": self.revision_before,
            "revision": self.revision,
            "frameworks_added": [f"{f.framework_id} {f.version}" for f in self.frameworks_added],
            "frameworks_known": [f"{f.framework_id} {f.version}" for f in self.frameworks_known],
            "publishers": list(self.publishers),
            "readers": list(self.readers),
            "remembered": self.remembered,
        }


def open_store(address: str | None = None) -> Store:
    """The store at `address`, or the configured one. The default store file is created (or
    upgraded) on first use: it needs no set-up. Every other store is set up by `store init`,
    and each use checks its schema."""
    location = resolve_location(address)
    if location.path is not None and not location.default and not location.path.exists():
        # Opening would create an empty file: a mistyped name must not look like a store.
        raise StoreRefused(
            f"{location.shown}: no store file there; create one with "
            "'inspector-app store init PATH'"
        )
    store = Store(location)
    if store.location.default:
        try:
            prepare(store)
        except BaseException:
            store.close()
            raise
    return store


def init_store(
    address: str | None,
    *,
    publishers: Sequence[str] = (),
    readers: Sequence[str] = (),
    remember_it: bool = True,
) -> InitOutcome:
    """Create or upgrade the store's schema, register the frameworks this app ships, grant
    the roles, and (by default) make it the app's store. Running it again changes nothing
    that is already in place, so a publisher or a reader may run it too, to point their own
    app at an office store the owner set up."""
    location = resolve_location(address)
    if (publishers or readers) and location.engine != "postgresql":
        raise StoreRefused(f"{location.shown}: a store file has no database roles to grant")
    with Store(location) as store:
        before, after, added = prepare(store)
        with store.begin(write=bool(publishers or readers)) as conn:
            grant_roles(conn, store.shown, publishers=publishers, readers=readers)
            known = tuple(known_frameworks(conn))
    if remember_it:
        remember(location)
    return InitOutcome(
        store=location.shown,
        engine=location.engine,
        revision_before=before,
        revision=after,
        frameworks_added=tuple(added),
        frameworks_known=known,
        publishers=tuple(publishers),
        readers=tuple(readers),
        remembered=remember_it,
        password_dropped=remember_it and location.password is not None,
    )


def prepare(store: Store) -> tuple[str | None, str, list[KnownFramework]]:
    """Bring the schema to this app's and register the shipped frameworks, writing only what
    is missing: (revision before, revision now, frameworks added)."""
    with store.begin() as conn:
        current = schema_revision(conn)
    before, after = (current, HEAD) if current == HEAD else upgrade_store(store)
    with store.begin() as conn:
        if not missing_shipped(conn):
            return before, after, []
    with store.begin(write=True) as conn:
        added = missing_shipped(conn)
        register(conn, added)
    return before, after, added
