"""Store addresses and PostgreSQL's connection conventions: the PG* variables, ~/.pgpass
(PGPASSFILE), PGPASSWORD and sslmode are honoured, and a password is never remembered, shown
or logged."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from inspector_app.core.files.paths import data_dir
from inspector_app.core.store.access import init_store, open_store
from inspector_app.core.store.compare import compare
from inspector_app.core.store.configured import (
    ENVIRONMENT_VARIABLE,
    remembered_address,
    resolve_location,
    settings_path,
)
from inspector_app.core.store.errors import StoreRefused
from inspector_app.core.store.location import parse_location
from inspector_app.core.store.publish import publish
from tests.store.helpers import read_publication
from tests.store.pg_cluster import Cluster

SECRET = "s3cret-Pa55"


@pytest.mark.parametrize(
    ("address", "driver"),
    [
        ("postgresql://inspector@db.office/inspections", "postgresql+psycopg"),
        ("postgres://inspector@db.office/inspections", "postgresql+psycopg"),
        ("postgresql+psycopg://inspector@db.office/inspections", "postgresql+psycopg"),
        ("postgresql+psycopg://", "postgresql+psycopg"),
    ],
)
def test_postgresql_addresses_use_psycopg(address: str, driver: str) -> None:
    location = parse_location(address)
    assert location.url.drivername == driver
    assert location.engine == "postgresql"


def test_a_password_is_used_but_never_shown_or_kept() -> None:
    location = parse_location(f"postgresql://inspector:{SECRET}@db.office/insp?sslmode=require")
    assert location.password == SECRET
    assert SECRET not in location.shown and "***" in location.shown
    assert SECRET not in location.without_password
    assert "sslmode=require" in location.without_password
    in_query = parse_location(f"postgresql://inspector@db.office/insp?password={SECRET}")
    assert in_query.password == SECRET
    assert SECRET not in in_query.shown and SECRET not in in_query.without_password


def test_a_path_or_sqlite_address_is_a_store_file(tmp_path: Path) -> None:
    assert parse_location(str(tmp_path / "a.sqlite")).path == tmp_path / "a.sqlite"
    assert parse_location(f"sqlite:///{tmp_path}/b.sqlite").path == tmp_path / "b.sqlite"
    assert parse_location(str(data_dir() / "store.sqlite")).default


@pytest.mark.parametrize(
    ("address", "problem"),
    [
        ("mysql://u@h/d", "is not a store address"),
        ("postgresql+psycopg2://u@h/d", "use the psycopg driver"),
        ("sqlite://", "is not a store address"),
        ("", "no store address"),
    ],
)
def test_other_addresses_are_refused(address: str, problem: str) -> None:
    with pytest.raises(StoreRefused, match=problem):
        parse_location(address)


def test_which_store_is_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert resolve_location().default
    init_store(str(tmp_path / "remembered.sqlite"))
    assert resolve_location().path == tmp_path / "remembered.sqlite"
    monkeypatch.setenv(ENVIRONMENT_VARIABLE, str(tmp_path / "from-env.sqlite"))
    assert resolve_location().path == tmp_path / "from-env.sqlite"
    assert resolve_location(str(tmp_path / "named.sqlite")).path == tmp_path / "named.sqlite"


@pytest.fixture
def login(pg_cluster: Cluster, pg_database: str) -> tuple[str, str]:
    """A role that logs in with a password over TCP, publisher of a store: (role, database)."""
    role = f"lead_{pg_database}"
    pg_cluster.admin(f"CREATE ROLE {role} LOGIN PASSWORD '{SECRET}'")
    init_store(pg_cluster.socket_address(pg_database), publishers=[role], remember_it=False)
    return role, pg_database


def test_pg_variables_fill_in_what_the_address_leaves_out(
    pg_cluster: Cluster, pg_database: str, monkeypatch: pytest.MonkeyPatch, demo_masters: list[Path]
) -> None:
    monkeypatch.setenv("PGHOST", str(pg_cluster.folder))
    monkeypatch.setenv("PGPORT", str(pg_cluster.port))
    monkeypatch.setenv("PGUSER", "store_admin")
    monkeypatch.setenv("PGDATABASE", pg_database)
    init_store("postgresql+psycopg://")
    with open_store() as store:
        assert publish(store, read_publication(demo_masters[0])).status == "published"


def test_the_password_comes_from_pgpass(
    pg_cluster: Cluster,
    login: tuple[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    demo_masters: list[Path],
) -> None:
    role, database = login
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "absent"))
    address = pg_cluster.tcp_address(database, role)
    with pytest.raises(StoreRefused, match=r"~/\.pgpass or PGPASSWORD"):
        init_store(address, remember_it=False)
    pgpass = tmp_path / "pgpass"
    pgpass.write_text(f"127.0.0.1:{pg_cluster.port}:{database}:{role}:{SECRET}\n")
    pgpass.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(pgpass))
    init_store(address)
    with open_store() as store:
        assert publish(store, read_publication(demo_masters[0])).status == "published"


def test_a_password_in_the_address_is_never_kept_shown_or_logged(
    pg_cluster: Cluster,
    login: tuple[str, str],
    caplog: pytest.LogCaptureFixture,
    demo_masters: list[Path],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    role, database = login
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "absent"))
    caplog.set_level(logging.DEBUG)
    outcome = init_store(pg_cluster.tcp_address(database, role, SECRET))
    assert outcome.password_dropped and outcome.remembered
    assert SECRET not in outcome.store and SECRET not in str(outcome.to_json())
    assert SECRET not in settings_path().read_text(encoding="utf-8")
    assert remembered_address() == pg_cluster.tcp_address(database, role)
    with open_store(pg_cluster.tcp_address(database, role, SECRET)) as store:
        compare(store, read_publication(demo_masters[0]))
    wrong = pg_cluster.tcp_address(database, role, "Wrong-" + SECRET)
    with pytest.raises(StoreRefused) as refused:
        init_store(wrong, remember_it=False)
    assert SECRET not in str(refused.value)
    assert SECRET not in caplog.text
    # Remembered without it, the store needs the password from elsewhere: PGPASSWORD here.
    monkeypatch.setenv("PGPASSWORD", SECRET)
    with open_store() as store:
        assert compare(store, read_publication(demo_masters[0])).inspections == 0


def test_sslmode_is_honoured(pg_cluster: Cluster, login: tuple[str, str]) -> None:
    role, database = login
    address = pg_cluster.tcp_address(database, role, SECRET)  # libpq ignores it on a socket
    with pytest.raises(StoreRefused, match="SSL"):
        init_store(f"{address}?sslmode=require", remember_it=False)  # the server has no SSL
    assert init_store(f"{address}?sslmode=disable", remember_it=False).revision == "s0001"
