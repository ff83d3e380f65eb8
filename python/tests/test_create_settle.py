"""The issue's headline: a gateway answers 504 at once while the service still creates the
organization, seconds later (the emulator's ``apply_late`` fault). A create never posts again
while its fate is unknown: it waits for the organization to appear and returns it, or reports
:class:`CreateUnconfirmedError`, after which ``ensure_organization`` finds it. Never a
duplicate. The tests wait for conditions (the emulator's counters), never for a time."""

from __future__ import annotations

import asyncio
import pickle
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Dict, List, Tuple

import pytest
from conftest import new_org_args, until

import scaleway_partner as sp
from scaleway_partner import AsyncClient, Client, EnsuredOrganization, Organization
from scaleway_partner.testing import MockServer

CREATES = 10


def apply_late(mock: MockServer, delay_ms: int) -> None:
    """The next ``CREATES`` creations answer 504 at once and land ``delay_ms`` later."""
    fault = {
        "fault": "apply_late",
        "operation": "create_organization",
        "count": CREATES,
        "delay_ms": delay_ms,
        "status": 504,
    }
    mock.inject_faults({"script": [fault]})


def requests_of_batch() -> List[Dict[str, Any]]:
    return [
        new_org_args(customer_id=f"late-{i}-{new_org_args()['customer_id']}")
        for i in range(CREATES)
    ]


def listed(mock: MockServer) -> List[Organization]:
    with mock.client() as client:
        return client.list_organizations().all()


def report(capsys: pytest.CaptureFixture[str], text: str) -> None:
    with capsys.disabled():
        print(f"\n{text}")


async def create_all_async(client: AsyncClient, batch: List[Dict[str, Any]]) -> List[Any]:
    calls = (client.create_organization(**args) for args in batch)
    return list(await asyncio.gather(*calls, return_exceptions=True))


def create_all_threads(client: Client, batch: List[Dict[str, Any]]) -> List[Any]:
    def one(args: Dict[str, Any]) -> Any:
        try:
            return client.create_organization(**args)
        except sp.ScalewayError as e:
            return e

    with ThreadPoolExecutor(CREATES) as pool:
        return list(pool.map(one, batch))


@pytest.mark.parametrize("kind", ["async", "threads"])
def test_late_creates_are_found_not_duplicated(
    kind: str, scaleway_mock: MockServer, capsys: pytest.CaptureFixture[str]
) -> None:
    apply_late(scaleway_mock, 2500)
    batch = requests_of_batch()
    start = time.perf_counter()
    if kind == "async":

        async def run() -> List[Any]:
            async with scaleway_mock.async_client() as client:
                return await create_all_async(client, batch)

        results = asyncio.run(run())
    else:
        with scaleway_mock.client() as client:
            results = create_all_threads(client, batch)
    elapsed = time.perf_counter() - start
    stats = scaleway_mock.stats()
    # Each caller gets its own organization back.
    assert all(isinstance(r, Organization) for r in results), results
    assert [r.customer_id for r in results] == [a["customer_id"] for a in batch]
    assert len({r.id for r in results}) == CREATES
    orgs = listed(scaleway_mock)
    assert sorted(o.id for o in orgs) == sorted(r.id for r in results)
    assert stats["late_applied"] == CREATES
    assert stats["by_operation"]["create_organization"] == CREATES  # never posted again
    report(
        capsys,
        f"apply_late 2.5 s, {CREATES} concurrent creates ({kind}): {len(results)} organizations "
        f"returned, {len(orgs)} listed, {stats['requests']} requests "
        f"({stats['by_operation']['create_organization']} creates), {elapsed:.2f} s",
    )


def unconfirmed_creates(
    scaleway_mock: MockServer, batch: List[Dict[str, Any]], settle: float
) -> Tuple[List[Any], float]:
    """Creates ``batch`` at once with a settle window of ``settle`` seconds, each expected to
    end unconfirmed: the results, and the seconds it took."""

    async def run() -> List[Any]:
        async with scaleway_mock.async_client(create_settle_timeout=settle) as client:
            return await create_all_async(client, batch)

    start = time.perf_counter()
    results = asyncio.run(run())
    elapsed = time.perf_counter() - start
    assert all(isinstance(r, sp.CreateUnconfirmedError) for r in results), results
    return results, elapsed


def test_creates_landing_after_the_settle_window_are_unconfirmed(
    scaleway_mock: MockServer, capsys: pytest.CaptureFixture[str]
) -> None:
    apply_late(scaleway_mock, 60000)
    results, elapsed = unconfirmed_creates(scaleway_mock, requests_of_batch(), settle=1)
    stats = scaleway_mock.stats()
    orgs = listed(scaleway_mock)
    assert orgs == []
    assert stats["by_operation"]["create_organization"] == CREATES
    report(
        capsys,
        f"apply_late 60 s, settle 1 s: {len(results)} CreateUnconfirmedError, {len(orgs)} "
        f"organizations right after, {stats['requests']} requests, {elapsed:.2f} s",
    )


def test_ensure_finds_what_an_unconfirmed_create_made(
    scaleway_mock: MockServer, capsys: pytest.CaptureFixture[str]
) -> None:
    apply_late(scaleway_mock, 4000)
    batch = requests_of_batch()
    start = time.perf_counter()
    results, unconfirmed_after = unconfirmed_creates(scaleway_mock, batch, settle=0.5)
    for err, args in zip(results, batch):
        assert (err.code, err.customer_id, err.email) == (
            "create_unconfirmed",
            args["customer_id"],
            args["email"],
        )
        assert isinstance(err.cause, sp.ServerError) and err.cause.status_code == 504
        assert err.status_code == 504  # the cause's
        assert "ensure_organization" in str(err)
        back = pickle.loads(pickle.dumps(err))
        assert type(back) is sp.CreateUnconfirmedError and back.customer_id == err.customer_id
        assert type(back.cause) is sp.ServerError and back.cause.status_code == 504
    assert listed(scaleway_mock) == []

    until(lambda: scaleway_mock.stats()["late_applied"] == CREATES, "the late writes")

    async def ensure() -> List[EnsuredOrganization]:
        async with scaleway_mock.async_client() as client:
            return list(await asyncio.gather(*(client.ensure_organization(**a) for a in batch)))

    ensured = asyncio.run(ensure())
    elapsed = time.perf_counter() - start
    assert [e.created for e in ensured] == [False] * CREATES
    assert [e.organization.customer_id for e in ensured] == [a["customer_id"] for a in batch]
    orgs = listed(scaleway_mock)
    assert sorted(o.id for o in orgs) == sorted(e.organization.id for e in ensured)
    stats = scaleway_mock.stats()
    assert stats["by_operation"]["create_organization"] == CREATES
    report(
        capsys,
        f"apply_late 4 s, settle 0.5 s: {len(results)} CreateUnconfirmedError after "
        f"{unconfirmed_after:.2f} s; once the {stats['late_applied']} late writes landed, "
        f"ensure_organization found {sum(not e.created for e in ensured)} (created=False), "
        f"{len(orgs)} listed, {stats['requests']} requests, {elapsed:.2f} s",
    )


def test_ensure_created_existing_conflict(
    scaleway_client: Client, scaleway_mock: MockServer
) -> None:
    args = new_org_args()
    first = scaleway_client.ensure_organization(**args)
    assert first.created and first.organization.customer_id == args["customer_id"]
    assert repr(first).startswith("EnsuredOrganization(organization=Organization(id=")
    assert first.to_dict() == {"organization": first.organization.to_dict(), "created": True}
    again = scaleway_client.ensure_organization(**dict(args, email=args["email"].upper()))
    assert again == EnsuredOrganization(organization=first.organization, created=False)
    with pytest.raises(AttributeError):
        again.created = True  # type: ignore[misc]
    before = scaleway_mock.stats()["by_operation"]["create_organization"]
    with pytest.raises(sp.ConflictError) as info:
        scaleway_client.ensure_organization(**dict(args, email="someone.else@example.test"))
    err = info.value
    assert (err.code, err.customer_id, err.organization_ids) == (
        "conflict",
        args["customer_id"],
        [first.organization.id],
    )
    assert pickle.loads(pickle.dumps(err)).organization_ids == [first.organization.id]
    twin = scaleway_client.create_organization(**args)
    with pytest.raises(sp.ConflictError) as info:
        scaleway_client.ensure_organization(**args)
    assert sorted(info.value.organization_ids) == sorted([first.organization.id, twin.id])
    # Nothing was created by the conflicting calls (the twin is the plain create's).
    assert scaleway_mock.stats()["by_operation"]["create_organization"] == before + 1


@pytest.mark.asyncio
async def test_ensure_organizations_async(async_scaleway_client: AsyncClient) -> None:
    a, b = new_org_args(), new_org_args()
    progress: List[Any] = []
    results = await async_scaleway_client.ensure_organizations(
        [a, b, a, dict(a, email="nope")],
        concurrency=2,
        on_progress=lambda done, total: progress.append((done, total)),
    )
    assert isinstance(results[0], EnsuredOrganization) and results[0].created
    assert isinstance(results[1], EnsuredOrganization) and results[1].created
    assert isinstance(results[2], EnsuredOrganization) and not results[2].created
    assert results[2].organization == results[0].organization
    assert isinstance(results[3], sp.ValidationError) and results[3].field == "email"
    assert progress[-1] == (4, 4)
    single = await async_scaleway_client.ensure_organization(**b)
    assert single == EnsuredOrganization(organization=results[1].organization, created=False)


def test_ensure_organizations_refuses_unknown_keys(
    scaleway_client: Client, scaleway_mock: MockServer
) -> None:
    with pytest.raises(TypeError, match="colour"):
        scaleway_client.ensure_organizations([dict(new_org_args(), colour="red")])
    with pytest.raises(TypeError, match="email"):
        scaleway_client.ensure_organizations([dict(new_org_args(), email=42)])
    with pytest.raises(TypeError):
        scaleway_client.ensure_organizations(new_org_args())  # a single mapping
    with pytest.raises(TypeError):
        scaleway_client.ensure_organizations(["not a mapping"])  # type: ignore[list-item]
    assert scaleway_mock.stats()["requests"] == 0
