"""Every method of ``AsyncClient`` against the emulator, and what asyncio adds: concurrency,
cancellation, progress on the loop."""

from __future__ import annotations

import asyncio
import threading
import uuid
from typing import Any, List, Optional, Tuple

import pytest
from conftest import CHANGES, acreate, changed_as_asked, new_org_args, until_async

import scaleway_partner as sp
from scaleway_partner import AsyncClient, LockedBy, OrganizationStatus
from scaleway_partner.testing import MockServer, calls_in_flight

pytestmark = pytest.mark.asyncio


async def test_create_get_update(async_scaleway_client: AsyncClient) -> None:
    c = async_scaleway_client
    args = new_org_args(siren_number="552100554")
    org = await c.create_organization(**args)
    assert org.name == args["organization_name"] and org.siren_number == "552100554"
    assert await c.get_organization(org.id) == org
    updated = await c.update_organization(org.id, **CHANGES)
    assert updated.id == org.id and changed_as_asked(updated)


async def test_lock_unlock_and_admin_role(
    async_scaleway_client: AsyncClient, scaleway_mock: MockServer
) -> None:
    c = async_scaleway_client
    org = await acreate(c)
    locked = await c.lock_organization(org.id)
    assert locked.locked_by == LockedBy.PARTNER
    unlocked = await c.unlock_organization(org.id)
    assert unlocked.locked_by == LockedBy.SCALEWAY
    with pytest.raises(sp.PreconditionFailedError):
        await c.unlock_organization(org.id)
    assert (
        await c.request_admin_role(
            org.id, username="jane", email="jane@example.test", password="pw"
        )
        is None
    )
    assert scaleway_mock.stats()["by_status"]["204"] == 1


async def test_default_organization_id(scaleway_mock: MockServer) -> None:
    async with scaleway_mock.async_client() as c:
        org = await acreate(c)
    async with scaleway_mock.async_client(default_organization_id=org.id) as c:
        assert c.default_organization_id == org.id
        assert await c.get_organization() == org
        # Changes never fall back to it: they name the organization, or are refused locally.
        before = scaleway_mock.stats()["requests"]
        writes = [
            c.lock_organization(None),  # type: ignore[arg-type]
            c.unlock_organization(""),
            c.update_organization(None, name="Via default"),  # type: ignore[arg-type]
            c.request_admin_role("", username="admin", email="admin@example.test"),
        ]
        for write in writes:
            with pytest.raises(sp.ValidationError) as info:
                await write
            assert info.value.field == "organization_id"
        assert scaleway_mock.stats()["requests"] == before
        assert (await c.lock_organization(org.id)).is_locked_by_partner
        assert not (await c.unlock_organization(org.id)).is_locked_by_partner
        assert (await c.update_organization(org.id, name="Named")).name == "Named"
        await c.request_admin_role(org.id, username="admin", email="admin@example.test")
    with pytest.raises(sp.RequestCancelledError):
        await c.get_organization()


async def test_bulk(async_scaleway_client: AsyncClient) -> None:
    c = async_scaleway_client
    orgs = [await acreate(c) for _ in range(4)]
    missing = str(uuid.uuid4())
    ids = [missing, *[o.id for o in orgs]]
    loop_thread = threading.get_ident()
    progress: List[Tuple[int, Optional[int]]] = []

    def on_progress(done: int, total: Optional[int]) -> None:
        assert threading.get_ident() == loop_thread
        progress.append((done, total))

    locked = await c.lock_organizations(ids, concurrency=2, on_progress=on_progress)
    assert isinstance(locked[0], sp.ResourceNotFoundError)
    assert [o.id for o in locked[1:] if isinstance(o, sp.Organization)] == [o.id for o in orgs]
    # Every report ran on the loop before the result came back.
    assert progress == [(i, len(ids)) for i in range(1, len(ids) + 1)]
    got = await c.get_organizations(ids)
    assert [g.locked_by for g in got[1:] if isinstance(g, sp.Organization)] == [
        LockedBy.PARTNER
    ] * 4
    unlocked = await c.unlock_organizations(ids[1:])
    assert all(isinstance(u, sp.Organization) and not u.is_locked_by_partner for u in unlocked)
    with pytest.raises(TypeError, match="single str"):
        await c.get_organizations(orgs[0].id)


async def test_progress_errors_are_raised_after_the_work(
    async_scaleway_client: AsyncClient,
) -> None:
    c = async_scaleway_client
    orgs = [await acreate(c) for _ in range(3)]
    calls: List[int] = []

    def fail(done: int, total: Optional[int]) -> None:
        calls.append(done)
        raise RuntimeError(f"stop at {done}")

    with pytest.raises(RuntimeError, match="stop at 1"):
        await c.lock_organizations([o.id for o in orgs], on_progress=fail)
    # The work went on (a report cannot interrupt it); later reports were skipped.
    assert calls == [1]
    locked = await c.get_organizations([o.id for o in orgs])
    assert all(isinstance(o, sp.Organization) and o.is_locked_by_partner for o in locked)
    with pytest.raises(RuntimeError, match="stop at"):
        await c.list_organizations(page_size=1).all(on_progress=fail)


@pytest.mark.scaleway_mock(latency=100)
async def test_fifty_concurrent_gets_run_in_parallel(scaleway_mock: MockServer) -> None:
    async with scaleway_mock.async_client() as c:
        org = await acreate(c)
        results = await asyncio.gather(*(c.get_organization(org.id) for _ in range(50)))
    assert results == [org] * 50
    # Concurrency shown by the emulator, not by a clock: many were served at the same time.
    assert scaleway_mock.stats()["max_in_flight"] >= 25


async def test_calls_do_not_block_the_loop(scaleway_mock: MockServer) -> None:
    scaleway_mock.inject_faults({"script": [{"fault": "slow", "delay_ms": 3000}]})
    async with scaleway_mock.async_client() as c:
        call = asyncio.ensure_future(c.list_organizations().page(1))
        # The loop keeps running this coroutine while the request is being served.
        await until_async(lambda: scaleway_mock.stats()["in_flight"] == 1, "the request")
        assert not call.done()
        call.cancel()
        with pytest.raises(asyncio.CancelledError):
            await call


async def test_cancelling_a_task_cancels_the_request(scaleway_mock: MockServer) -> None:
    scaleway_mock.inject_faults({"script": [{"fault": "slow", "delay_ms": 3000}]})
    async with scaleway_mock.async_client() as c:
        task = asyncio.ensure_future(c.get_organization(str(uuid.uuid4())))
        await until_async(lambda: scaleway_mock.stats()["in_flight"] == 1, "the request")
        assert calls_in_flight() == 1
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        # The Rust future is dropped (the call leaves before the slow answer comes).
        await until_async(lambda: calls_in_flight() == 0, "the call to leave")
        assert scaleway_mock.stats()["by_status"].get("200", 0) == 0
        # The client is still usable.
        assert (await c.list_organizations(timeout=10).page(1)).total_count == 0


async def test_a_native_call_returns_the_loops_future_already_started(
    scaleway_mock: MockServer,
) -> None:
    # One crossing in: the native call starts the work and hands back the loop's future (the
    # laziness is AsyncClient's async def), not a coroutine that calls back in when awaited.
    scaleway_mock.inject_faults({"script": [{"fault": "slow", "delay_ms": 3000}]})
    async with scaleway_mock.async_client() as c:
        native: Any = c._native
        future = native.get_organization(str(uuid.uuid4()))
        assert asyncio.isfuture(future)
        await until_async(lambda: scaleway_mock.stats()["in_flight"] == 1, "the request")
        # Cancelling the future (its done callback) cancels the Rust call.
        future.cancel()
        await until_async(lambda: calls_in_flight() == 0, "the call to leave")


@pytest.mark.scaleway_mock(latency=300)
async def test_wait_for_timeout_cancels(scaleway_mock: MockServer) -> None:
    async with scaleway_mock.async_client() as c:
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(c.list_organizations().page(1), 0.05)
        page = await asyncio.wait_for(c.list_organizations().page(1), 5)
        assert page.total_count == 0


@pytest.mark.scaleway_mock(latency=1000)
async def test_closing_cancels_running_calls(scaleway_mock: MockServer) -> None:
    c = scaleway_mock.async_client()
    task = asyncio.ensure_future(c.get_organization(str(uuid.uuid4())))
    await until_async(lambda: scaleway_mock.stats()["in_flight"] == 1, "the request")
    await c.close()
    with pytest.raises(sp.RequestCancelledError):
        await task
    assert c.closed


async def test_with_options(async_scaleway_client: AsyncClient, scaleway_mock: MockServer) -> None:
    quick = async_scaleway_client.with_options(max_retries=0, timeout=5)
    assert isinstance(quick, AsyncClient)
    assert repr(quick) == repr(async_scaleway_client)
    assert repr(quick).startswith("AsyncClient(api_url=")
    scaleway_mock.inject_faults({"script": [{"fault": "server_error"}]})
    with pytest.raises(sp.ServerError):
        await quick.list_organizations().page(1)
    scaleway_mock.inject_faults({"script": [{"fault": "server_error"}]})
    assert (await async_scaleway_client.list_organizations().page(1)).total_count == 0


async def test_arguments_are_checked_before_anything_is_sent(
    async_scaleway_client: AsyncClient, scaleway_mock: MockServer
) -> None:
    c = async_scaleway_client
    with pytest.raises(sp.ValidationError) as info:
        await c.create_organization(**new_org_args(customer_id=None))
    assert info.value.field == "customer_id"
    with pytest.raises(TypeError):
        await c.get_organization(123)  # type: ignore[arg-type]
    with pytest.raises(sp.ValidationError):
        c.list_organizations(status="opend")
    assert scaleway_mock.stats()["requests"] == 0


async def test_status_values(async_scaleway_client: AsyncClient, scaleway_mock: MockServer) -> None:
    org = await acreate(async_scaleway_client)
    scaleway_mock.validate_email(org.id)
    assert (
        await async_scaleway_client.get_organization(org.id)
    ).status == OrganizationStatus.OPENED


async def test_result_crosses_back_once(async_scaleway_client: AsyncClient) -> None:
    """A call with no progress, hook or record to deliver hands the loop its outcome as one
    call of a plain Python function: no native code runs on the loop to settle it."""
    from scaleway_partner import _aio

    c = async_scaleway_client
    org = await acreate(c)
    loop = asyncio.get_running_loop()
    scheduled: List[Any] = []
    original = loop.call_soon_threadsafe

    def record(callback: Any, *args: Any, **kwargs: Any) -> Any:
        scheduled.append(callback)
        return original(callback, *args, **kwargs)

    loop.call_soon_threadsafe = record  # type: ignore[method-assign]
    try:
        results = await c.lock_organizations([org.id])
        await c.unlock_organization(org.id)
        with pytest.raises(sp.PreconditionFailedError):
            await c.unlock_organization(org.id)
    finally:
        del loop.call_soon_threadsafe  # type: ignore[attr-defined]
    assert [o.id for o in results if isinstance(o, sp.Organization)] == [org.id]
    assert scheduled == [_aio.settle] * 3
