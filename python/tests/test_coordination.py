"""Exactly one organization per customer however many callers at once (issue 23): 25 ensures
for 5 customers give 5 organizations from ``asyncio.gather`` on one AsyncClient, 25 threads on
one Client, and 5 processes of this machine, against an emulator whose create takes 400 ms.
Before the core excluded creates per customer, each of these made 25."""

from __future__ import annotations

import asyncio
import multiprocessing
import threading
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from typing import Dict, Iterator, List, Tuple

import pytest

from scaleway_partner import ConfigurationError, CoordinationError, ScalewayError
from scaleway_partner.testing import MockServer

CUSTOMERS = [f"cust-{c}" for c in range(5)]


def request(customer: str) -> Dict[str, str]:
    return {
        "email": f"owner@{customer}.test",
        "organization_name": f"Org {customer}",
        "owner_firstname": "Jane",
        "owner_lastname": "Doe",
        "customer_id": customer,
    }


@pytest.fixture
def mock() -> Iterator[MockServer]:
    with MockServer(rate_limit=0, latency={"create_ms": 400}) as server:
        yield server


def one_organization_each(mock: MockServer, got: List[Tuple[str, str, bool]]) -> None:
    """Every caller of a customer got the one organization the customer has."""
    orgs = mock.client().list_organizations().all()
    by_customer: Dict[str, List[str]] = defaultdict(list)
    for org in orgs:
        by_customer[org.customer_id].append(org.id)
    assert len(orgs) == len(CUSTOMERS), dict(by_customer)
    for customer, org_id, _ in got:
        assert by_customer[customer] == [org_id], customer
    assert sum(created for _, _, created in got) == len(CUSTOMERS)


def test_asyncio_gather_on_one_async_client(mock: MockServer) -> None:
    async def main() -> List[Tuple[str, str, bool]]:
        async with mock.async_client() as client:
            ensured = await asyncio.gather(
                *(client.ensure_organization(**request(c)) for _ in range(5) for c in CUSTOMERS)
            )
        return [(e.organization.customer_id, e.organization.id, e.created) for e in ensured]

    one_organization_each(mock, asyncio.run(main()))


def test_25_threads_on_one_client(mock: MockServer) -> None:
    client = mock.client()
    start = threading.Barrier(25)

    def one(customer: str) -> Tuple[str, str, bool]:
        start.wait()
        e = client.ensure_organization(**request(customer))
        return (customer, e.organization.id, e.created)

    with ThreadPoolExecutor(25) as pool:
        got = list(pool.map(one, [c for _ in range(5) for c in CUSTOMERS]))
    one_organization_each(mock, got)


def ensure_in_process(
    url: str, secret_key: str, organization_id: str
) -> List[Tuple[str, str, bool]]:
    """In a process of its own: every customer ensured at once (machine coordination, the
    default)."""

    async def main() -> List[Tuple[str, str, bool]]:
        from scaleway_partner import AsyncClient

        async with AsyncClient(
            api_url=url,
            secret_key=secret_key,
            default_organization_id=organization_id,
            rate_limit=0,
        ) as client:
            ensured = await asyncio.gather(
                *(client.ensure_organization(**request(c)) for c in CUSTOMERS)
            )
        return [(e.organization.customer_id, e.organization.id, e.created) for e in ensured]

    return asyncio.run(main())


def test_5_processes_of_one_machine(mock: MockServer) -> None:
    with multiprocessing.get_context("spawn").Pool(5) as pool:
        runs = pool.starmap(
            ensure_in_process, [(mock.url, mock.secret_key, mock.organization_id)] * 5
        )
    one_organization_each(mock, [item for run in runs for item in run])


def test_the_coordination_option_is_checked_by_the_core(mock: MockServer) -> None:
    with pytest.raises(ConfigurationError, match="coordination"):
        mock.client(coordination="cluster")
    for value in ("machine", "process"):
        mock.client(coordination=value).close()
    with pytest.raises(TypeError, match="coordination"):
        mock.client(coordination=1)  # type: ignore[arg-type]


def test_coordination_error_is_a_scaleway_error() -> None:
    assert issubclass(CoordinationError, ScalewayError)
    assert CoordinationError("lost").code == "coordination"
