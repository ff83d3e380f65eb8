"""The blocking client where notebooks and services use it: inside a running event loop, from
many threads at once (GIL released), and interrupted by Ctrl-C."""

from __future__ import annotations

import _thread
import asyncio
import signal
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Iterator

import pytest
from conftest import create, until

from scaleway_partner import Client, Organization
from scaleway_partner.testing import MockServer


def test_sync_client_inside_a_running_loop(scaleway_mock: MockServer) -> None:
    """As in a Jupyter cell: a loop is running on this thread and the code calls ``Client``."""

    async def cell() -> Organization:
        asyncio.get_running_loop()  # there is a running loop, as in Jupyter
        with scaleway_mock.client() as client:
            org = create(client)
            client.lock_organization(org.id)
            assert [o.id for o in client.list_organizations()] == [org.id]
            assert client.list_organizations().all() == [client.get_organization(org.id)]
            return client.get_organization(org.id)

    org = asyncio.run(cell())
    assert org.is_locked_by_partner


def test_sync_client_from_a_loop_thread_with_progress(scaleway_mock: MockServer) -> None:
    async def cell() -> int:
        with scaleway_mock.client() as client:
            ids = [create(client).id for _ in range(3)]
            seen = []
            client.get_organizations(ids, on_progress=lambda d, t: seen.append(d))
            return len(seen)

    assert asyncio.run(cell()) == 3


@pytest.mark.scaleway_mock(latency=1000)
def test_threads_run_in_parallel(scaleway_mock: MockServer) -> None:
    with scaleway_mock.client() as client:
        org = create(client, max_retries=0)
        scaleway_mock.reset_stats()
        with ThreadPoolExecutor(max_workers=10) as pool:
            results = list(pool.map(lambda _: client.get_organization(org.id), range(10)))
    assert results == [org] * 10
    # The GIL is released while waiting: the emulator served several calls at the same time
    # (one at a time, its peak would be 1).
    assert scaleway_mock.stats()["max_in_flight"] >= 5


@pytest.mark.scaleway_mock(latency=200)
def test_python_threads_keep_running_during_a_call(scaleway_mock: MockServer) -> None:
    counter = 0
    stop = threading.Event()

    def spin() -> None:
        nonlocal counter
        while not stop.is_set():
            counter += 1

    spinner = threading.Thread(target=spin)
    spinner.start()
    try:
        with scaleway_mock.client() as client:
            before = counter
            client.list_organizations().page(1)
            during = counter - before
    finally:
        stop.set()
        spinner.join()
    assert during > 1000, during


@pytest.fixture
def sigint_handled() -> Iterator[None]:
    """Python's own Ctrl-C handler, even when the runner started us with SIGINT ignored (as a
    shell does for a background job): without it ``interrupt_main`` does nothing."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


@pytest.mark.usefixtures("sigint_handled")
def test_ctrl_c_stops_a_blocking_call(scaleway_mock: MockServer) -> None:
    scaleway_mock.inject_faults({"script": [{"fault": "slow", "delay_ms": 5000}]})

    def interrupt_once_sent() -> None:
        until(lambda: scaleway_mock.stats()["in_flight"] == 1, "the request")
        _thread.interrupt_main()

    with scaleway_mock.client() as client:
        interrupter = threading.Thread(target=interrupt_once_sent)
        interrupter.start()
        with pytest.raises(KeyboardInterrupt):
            client.get_organization(str(uuid.uuid4()))
        interrupter.join()
        # Stopped while the answer was still to come: the emulator is still serving it.
        assert scaleway_mock.stats()["by_operation"]["get_organization"] == 1
        assert scaleway_mock.stats()["by_status"].get("200", 0) == 0
        # The client still works afterwards.
        assert client.with_options(timeout=10).list_organizations().page(1).organizations == []


def test_clients_are_independent(scaleway_mock: MockServer) -> None:
    a = scaleway_mock.client()
    b: Client = scaleway_mock.client()
    org = create(a)
    a.close()
    assert b.get_organization(org.id) == org
    b.close()
