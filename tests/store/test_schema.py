"""The store's own schema: its migrations build exactly the tables schema.py declares (on both
engines), apart from the inspection file's; `store init` is idempotent; a store of another
schema is refused with what to do."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlmodel import SQLModel

import inspector_app.core.storage.models  # noqa: F401  (registers the file's tables)
from inspector_app.core.framework import load_builtin
from inspector_app.core.store.access import init_store, open_store
from inspector_app.core.store.compare import compare
from inspector_app.core.store.engine import Store
from inspector_app.core.store.errors import StoreRefused
from inspector_app.core.store.frameworks import shipped_frameworks
from inspector_app.core.store.migrate import REVISIONS, SCRIPT_LOCATION
from inspector_app.core.store.publication import Publication
from inspector_app.core.store.schema import VERSION_TABLE, metadata
from tests.store.helpers import read_publication
from tests.store.synthetic import synthetic_publication


def test_the_migrations_build_exactly_the_declared_tables(store: Store) -> None:
    with store.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "version_table": VERSION_TABLE}
        )
        diff = compare_metadata(context, metadata)
    assert diff == []


def test_the_revisions_listed_are_the_migrations_folders() -> None:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    scripts = ScriptDirectory.from_config(config)
    in_order = [script.revision for script in reversed(list(scripts.walk_revisions()))]
    assert in_order == list(REVISIONS)


def test_the_store_and_the_inspection_file_keep_their_tables_apart() -> None:
    assert not set(metadata.tables) & set(SQLModel.metadata.tables)
    assert VERSION_TABLE != "alembic_version"


def test_init_again_changes_nothing(store_address: str) -> None:
    again = init_store(store_address, remember_it=False)
    assert again.revision_before == again.revision == REVISIONS[-1]
    assert again.frameworks_added == ()
    known = {(f.framework_id, f.version) for f in again.frameworks_known}
    assert known == {(f.framework_id, f.version) for f in shipped_frameworks()}


def set_revision(store: Store, revision: str) -> None:
    with store.begin(write=True) as conn:
        conn.execute(sa.text(f"UPDATE {VERSION_TABLE} SET version_num = :r"), {"r": revision})


def test_a_store_of_a_newer_app_is_refused(store: Store, demo_masters: list[Path]) -> None:
    set_revision(store, "s9999")
    with pytest.raises(StoreRefused, match="newer version of Inspector"):
        compare(store, read_publication(demo_masters[0]))
    with pytest.raises(StoreRefused, match="newer version of Inspector"):
        init_store(store.location.without_password, remember_it=False)


def test_a_store_file_of_an_app_that_is_not_ours_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite"
    engine = sa.create_engine(f"sqlite:///{other}")
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE notes (id INTEGER)"))
    engine.dispose()
    with open_store(str(other)) as store, pytest.raises(StoreRefused, match="not an Inspector"):
        compare(store, _any_publication())


def _any_publication() -> Publication:
    return synthetic_publication(load_builtin("iaow-2013"), 1, cases=3)
