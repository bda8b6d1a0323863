"""The two PostgreSQL roles of an office store, on a real server: a publisher publishes and
re-publishes but cannot register frameworks; a reader reads and compares, and a reader that
publishes gets one clear line and nothing is written."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from inspector_app.core.store.access import init_store, open_store
from inspector_app.core.store.compare import compare
from inspector_app.core.store.errors import ReadOnlyRole, StoreRefused
from inspector_app.core.store.publish import PUBLISHED, REPLACED, publish
from tests.store.helpers import counts, read_publication
from tests.store.pg_cluster import Cluster
from tests.store.test_publish import change_one_answer

_roles = itertools.count(1)


@pytest.fixture
def office(pg_cluster: Cluster, pg_database: str) -> tuple[str, str, str]:
    """A store set up by its owner with a publisher and a reader: (owner's, publisher's and
    reader's addresses)."""
    number = next(_roles)
    publisher, reader = f"publisher_{number}", f"reader_{number}"
    pg_cluster.admin(f"CREATE ROLE {publisher} LOGIN", f"CREATE ROLE {reader} LOGIN")
    owner = pg_cluster.socket_address(pg_database)
    init_store(owner, publishers=[publisher], readers=[reader], remember_it=False)
    return (
        owner,
        pg_cluster.socket_address(pg_database, user=publisher),
        pg_cluster.socket_address(pg_database, user=reader),
    )


def test_a_reader_that_publishes_is_refused_in_one_line_and_nothing_is_written(
    office: tuple[str, str, str], demo_masters: list[Path]
) -> None:
    owner, publisher, reader = office
    with open_store(publisher) as store:
        publish(store, read_publication(demo_masters[0]))
    with open_store(owner) as store:
        before = counts(store)

    with open_store(reader) as store, pytest.raises(ReadOnlyRole) as refused:
        publish(store, read_publication(demo_masters[1]))

    message = str(refused.value)
    assert "\n" not in message
    assert "'reader_" in message and "may only read this store" in message
    with open_store(owner) as store:
        assert counts(store) == before


def test_a_reader_cannot_write_even_past_the_check(
    office: tuple[str, str, str], demo_masters: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the early check, the server itself refuses the first write: the same error,
    and the transaction is rolled back."""
    from inspector_app.core.store import publish as publish_module

    owner, _, reader = office
    monkeypatch.setattr(publish_module, "check_may_publish", lambda *args: None)
    with open_store(reader) as store, pytest.raises(ReadOnlyRole, match="may not do this"):
        publish(store, read_publication(demo_masters[1]))
    with open_store(owner) as store:
        assert counts(store)["published_inspection"] == 0


def test_a_reader_compares(office: tuple[str, str, str], demo_masters: list[Path]) -> None:
    _, publisher, reader = office
    with open_store(publisher) as store:
        for master in demo_masters:
            publish(store, read_publication(master))
    with open_store(reader) as store:
        comparison = compare(store, read_publication(demo_masters[0]))
    assert comparison.inspections == 3
    assert comparison.rows[0].count == 3


def test_a_publisher_publishes_and_replaces_its_inspection(
    office: tuple[str, str, str], master_copy: Path
) -> None:
    _, publisher, _ = office
    with open_store(publisher) as store:
        assert publish(store, read_publication(master_copy)).status == PUBLISHED
        change_one_answer(master_copy)
        assert publish(store, read_publication(master_copy)).status == REPLACED
        assert counts(store)["publish_event"] == 2


def test_only_the_owner_registers_frameworks(
    office: tuple[str, str, str], pg_cluster: Cluster, pg_database: str
) -> None:
    owner, publisher, reader = office
    pg_cluster.admin(
        "DELETE FROM framework_version WHERE framework_id = 'case-supervision-2018'",
        database=pg_database,
    )
    for address in (publisher, reader):
        with pytest.raises(StoreRefused, match="may not do this"):
            init_store(address, remember_it=False)
    assert init_store(owner, remember_it=False).frameworks_added


def test_a_publisher_or_reader_points_its_app_at_a_store_that_is_set_up(
    office: tuple[str, str, str],
) -> None:
    _, publisher, reader = office
    for address in (publisher, reader):
        outcome = init_store(address)
        assert outcome.revision_before == outcome.revision
        assert outcome.frameworks_added == ()
        with open_store() as store:  # the remembered one
            assert store.location.url.username == outcome.store.split("://")[1].split("@")[0]


def test_granting_a_role_that_does_not_exist_is_refused(
    pg_cluster: Cluster, pg_database: str
) -> None:
    with pytest.raises(StoreRefused, match="no database role 'nobody_here'"):
        init_store(
            pg_cluster.socket_address(pg_database), publishers=["nobody_here"], remember_it=False
        )


def test_a_store_file_has_no_roles(tmp_path: Path) -> None:
    with pytest.raises(StoreRefused, match="a store file has no database roles"):
        init_store(str(tmp_path / "s.sqlite"), readers=["analysts"], remember_it=False)
    assert not (tmp_path / "s.sqlite").exists()
