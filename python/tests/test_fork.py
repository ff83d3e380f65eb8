"""A forked child (Gunicorn --preload, Celery prefork, multiprocessing's fork) gets a runtime of
its own: clients made before the fork and after it both work there, blocking and asyncio.
Before this, every client in the child hung forever once the parent had made a call."""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import signal
import sys
from concurrent.futures import ProcessPoolExecutor
from typing import Callable, Iterator, List

import pytest

from scaleway_partner import AsyncClient, Client
from scaleway_partner.testing import MockServer

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")

# A child that hangs (the bug) is killed by SIGALRM after this long: the test then fails; it
# never passes or fails by how long anything took.
CHILD_LIMIT = 60


def in_child(work: Callable[[], int]) -> int:
    """Runs ``work`` in a forked child and returns its exit code (what ``work`` returned)."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        signal.alarm(CHILD_LIMIT)
        code = 99
        try:
            code = work()
        finally:
            sys.stdout.flush()
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def total(client: Client) -> int:
    return client.list_organizations().page(1).total_count


@pytest.fixture
def mock() -> Iterator[MockServer]:
    with MockServer(seed_organizations=4, rate_limit=0) as server:
        yield server


def test_client_made_before_the_fork_works_in_the_child(mock: MockServer) -> None:
    client = mock.client(max_retries=0)
    assert total(client) == 4  # the parent has made calls: its runtime and pool are busy
    assert in_child(lambda: 0 if total(client) == 4 else 1) == 0
    assert total(client) == 4  # and the parent's client still works


def test_client_made_after_the_fork_works_in_the_child(mock: MockServer) -> None:
    assert total(mock.client()) == 4

    def work() -> int:
        with Client(
            secret_key=mock.secret_key,
            api_url=mock.url,
            default_organization_id=mock.organization_id,
            max_retries=0,
        ) as client:
            return 0 if total(client) == 4 else 1

    assert in_child(work) == 0


def test_async_client_in_the_child(mock: MockServer) -> None:
    before = mock.async_client(max_retries=0)

    async def count() -> int:
        page = await before.list_organizations().page(1)
        fresh = AsyncClient(
            secret_key=mock.secret_key,
            api_url=mock.url,
            default_organization_id=mock.organization_id,
        )
        other = await fresh.list_organizations().page(1)
        return page.total_count + other.total_count

    assert asyncio.run(count()) == 8
    assert in_child(lambda: 0 if asyncio.run(count()) == 8 else 1) == 0


def _count(api_url: str, secret_key: str, organization_id: str) -> int:
    with Client(
        api_url=api_url, secret_key=secret_key, default_organization_id=organization_id
    ) as c:
        return total(c)


def test_process_pool_with_fork(mock: MockServer) -> None:
    assert total(mock.client()) == 4
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=2, mp_context=context) as pool:
        futures = [
            pool.submit(_count, mock.url, mock.secret_key, mock.organization_id) for _ in range(4)
        ]
        assert [f.result(timeout=CHILD_LIMIT) for f in futures] == [4, 4, 4, 4]


def test_a_log_handler_may_call_the_client_the_child_is_rebuilding(
    mock: MockServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Rebuilding a client in the child logs the warning of SCW_INSECURE; a handler calling that
    # client then must not find it locked (it deadlocked: the lock was held while building).
    monkeypatch.setenv("SCW_INSECURE", "true")
    client = mock.client(max_retries=0)
    assert total(client) == 4

    def work() -> int:
        nested: List[int] = []

        class Calling(logging.Handler):
            def emit(self, record: logging.LogRecord) -> None:
                if "TLS certificate checks are off" in record.getMessage() and not nested:
                    nested.append(0)  # first, so that the nested call's own warning passes
                    nested[0] = total(client)

        logging.getLogger("scaleway_partner").addHandler(Calling())
        return 0 if total(client) == 4 and nested == [4] else 1

    assert in_child(work) == 0
