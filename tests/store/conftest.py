"""The store on both engines: a store file, and a real PostgreSQL server started for the session
in a temporary folder (skipped, with the reason, only where no server binary is installed).

The masters are made once per session with the demo's code (a lead's master, the team's files
merged, every case complete) and only ever opened read-only; a test that changes one copies
it first.
"""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from inspector_app.core.demo import create_lead_demo
from inspector_app.core.store.access import init_store, open_store
from inspector_app.core.store.engine import Store
from tests.store.pg_cluster import Cluster, server_binaries, start_cluster

ENGINES = ("sqlite", "postgresql")
_databases = itertools.count(1)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    bindir = server_binaries()
    if bindir is None:
        pytest.skip("no PostgreSQL server binary (initdb) found; apt-get install postgresql")
    cluster = start_cluster(bindir)
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def pg_database(pg_cluster: Cluster) -> str:
    """A new, empty database on the session's server; its name."""
    name = f"store_{next(_databases)}"
    pg_cluster.admin(f"CREATE DATABASE {name}")
    return name


@pytest.fixture(params=ENGINES)
def store_address(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty store's address, on each engine in turn (set up by `store init`)."""
    if request.param == "sqlite":
        address = str(tmp_path / "office-store.sqlite")
    else:
        cluster: Cluster = request.getfixturevalue("pg_cluster")
        address = cluster.socket_address(request.getfixturevalue("pg_database"))
    init_store(address, remember_it=False)
    return address


@pytest.fixture
def store(store_address: str) -> Iterator[Store]:
    with open_store(store_address) as opened:
        yield opened


@pytest.fixture(scope="session")
def demo_masters(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Three complete masters of three areas (demo seeds), merged and ready to publish."""
    home = tmp_path_factory.mktemp("demo-home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("INSPECTOR_APP_HOME", str(home))  # nothing of the user's is touched
        return [
            create_lead_demo(
                tmp_path_factory.mktemp(f"demo-{seed}"), cases=12, seed=seed, complete=True
            ).master
            for seed in (11, 12, 13)
        ]


@pytest.fixture
def master_copy(demo_masters: list[Path], tmp_path: Path) -> Path:
    """A copy of the first master, free to change."""
    target = tmp_path / "copy" / demo_masters[0].name
    target.parent.mkdir()
    shutil.copy2(demo_masters[0], target)
    return target
