"""Coordination through Redis from Python (issue 23 item 3): the core's backend, chosen by the
``coordination`` option or ``SCW_PARTNER_COORDINATION``, against a real ``redis-server``
started on a free loopback port (skipped when none is installed, except under ``CI=true``,
where that fails)."""

from __future__ import annotations

import multiprocessing
import os
import shutil
from typing import Iterator

import pytest
from redis_server import free_port, running
from test_coordination import CUSTOMERS, ensure_in_process, one_organization_each, request

from scaleway_partner import ConfigurationError, CoordinationError
from scaleway_partner.testing import MockServer


@pytest.fixture
def redis_url() -> Iterator[str]:
    binary = os.environ.get("REDIS_SERVER") or shutil.which("redis-server")
    if binary is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("redis-server is not installed (apt-get install redis-server)")
        pytest.skip("redis-server is not installed")
    with running(binary) as url:
        yield url


@pytest.fixture
def mock() -> Iterator[MockServer]:
    with MockServer(rate_limit=0, latency={"create_ms": 400}) as server:
        yield server


def test_5_processes_pointed_at_one_redis(
    mock: MockServer, redis_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The processes read the variable: machine coordination is off, Redis alone excludes.
    monkeypatch.setenv("SCW_PARTNER_COORDINATION", redis_url)
    with multiprocessing.get_context("spawn").Pool(5) as pool:
        runs = pool.starmap(
            ensure_in_process, [(mock.url, mock.secret_key, mock.organization_id)] * 5
        )
    one_organization_each(mock, [item for run in runs for item in run])


def test_threads_and_clients_share_one_redis(mock: MockServer, redis_url: str) -> None:
    clients = [mock.client(coordination=redis_url) for _ in range(5)]
    from concurrent.futures import ThreadPoolExecutor

    def one(i: int) -> tuple[str, str, bool]:
        customer = CUSTOMERS[i % len(CUSTOMERS)]
        e = clients[i // len(CUSTOMERS)].ensure_organization(**request(customer))
        return (customer, e.organization.id, e.created)

    with ThreadPoolExecutor(25) as pool:
        got = list(pool.map(one, range(25)))
    one_organization_each(mock, got)


def test_redis_down_nothing_is_sent_for_a_create_or_an_ensure(mock: MockServer) -> None:
    client = mock.client(coordination=f"redis://127.0.0.1:{free_port()}/0", rate_limit=50)
    with pytest.raises(CoordinationError, match=r"Redis at redis://127\.0\.0\.1"):
        client.ensure_organization(**request("cust-down"))
    with pytest.raises(CoordinationError):
        client.create_organization(**request("cust-down"))
    assert mock.stats()["requests"] == 0
    # Reads are paced by the process alone (with a warning), not failed.
    client.list_organizations().page(1)
    assert mock.stats()["requests"] == 1


def test_a_redis_url_is_checked_and_its_password_never_shown(mock: MockServer) -> None:
    for bad in ("redis://:s3cret@127.0.0.1/not-a-db", "redis://:s3cret@127.0.0.1/0?lease=1"):
        with pytest.raises(ConfigurationError, match="coordination") as info:
            mock.client(coordination=bad)
        assert "s3cret" not in str(info.value)
        assert "redis://:***@127.0.0.1" in str(info.value)
    client = mock.client(coordination="redis://:s3cret@127.0.0.1:6379/0")
    assert "s3cret" not in repr(client)
