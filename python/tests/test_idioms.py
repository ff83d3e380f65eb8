"""The package as a Python developer expects it: no built-in shadowed, errors under the public
module name, wrong-typed arguments named in a TypeError, trio refused with a pointer to what
works, and an emulator that lives as long as its clients."""

from __future__ import annotations

import gc
import re
import subprocess
import sys
import traceback
import uuid
from typing import Any, Dict, List

import anyio
import pytest
from conftest import new_org_args, until_async

import scaleway_partner as sp
from scaleway_partner import AsyncClient, Client
from scaleway_partner.testing import MockServer, calls_in_flight


def test_star_import_shadows_no_builtin() -> None:
    namespace: Dict[str, Any] = {}
    exec("from scaleway_partner import *", namespace)
    assert namespace.get("TimeoutError", TimeoutError) is TimeoutError
    assert "CancelledError" not in namespace
    assert issubclass(namespace["APITimeoutError"], TimeoutError)


def test_errors_show_the_public_module(scaleway_client: Client, random_id: str) -> None:
    with pytest.raises(sp.ResourceNotFoundError) as info:
        scaleway_client.get_organization(random_id)
    assert type(info.value).__module__ == "scaleway_partner"
    last = traceback.format_exception_only(type(info.value), info.value)[-1]
    assert last.startswith("scaleway_partner.ResourceNotFoundError: ")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda c: c.get_organization(42),
            "get_organization() argument 'organization_id' must be str",
        ),
        (lambda c: c.lock_organization(b"id"), "lock_organization() argument 'organization_id'"),
        (lambda c: c.list_organizations(page_size="10"), "argument 'page_size' must be int"),
        (lambda c: c.list_organizations(status=3), "argument 'status' must be str"),
        (lambda c: c.get_organization("x", timeout="1"), "argument 'timeout' must be float"),
        (lambda c: c.create_organization(email=1), "argument 'email' must be str"),
        (lambda c: c.create_organization(emial="a@b.c"), "unexpected keyword argument 'emial'"),
        (lambda c: c.lock_organizations([], concurrency=1.5), "'concurrency' must be int"),
    ],
)
def test_wrong_types_name_the_argument(scaleway_client: Client, call: Any, message: str) -> None:
    with pytest.raises(TypeError, match=re.escape(message)) as info:
        call(scaleway_client)
    # Python's words, never a Rust type's.
    assert "Py" not in str(info.value) and "rust" not in str(info.value).lower()


def test_client_options_of_the_wrong_type() -> None:
    with pytest.raises(TypeError, match="Client\\(\\) argument 'max_retries' must be int"):
        Client(secret_key="11111111-1111-4111-8111-111111111111", max_retries=1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="unexpected keyword argument 'timout'"):
        Client(secret_key="11111111-1111-4111-8111-111111111111", timout=5)  # type: ignore[call-arg]


def test_async_client_under_trio(scaleway_mock: MockServer) -> None:
    import trio

    async def main() -> List[int]:
        async with scaleway_mock.async_client() as client:
            org = await client.create_organization(**new_org_args())
            seen: List[int] = []
            results = await client.get_organizations(
                [org.id] * 3, on_progress=lambda done, total: seen.append(done)
            )
            assert all(r == org for r in results)
            async with trio.open_nursery() as nursery:
                for _ in range(5):
                    nursery.start_soon(client.get_organization, org.id)
            listed = [o.id async for o in client.list_organizations()]
            assert listed == [org.id]
            return seen

    assert anyio.run(main, backend="trio") == [1, 2, 3]

    async def emulator() -> int:
        async with MockServer() as mock, mock.async_client() as client:
            return (await client.list_organizations().page(1)).total_count

    assert trio.run(emulator) == 0


def test_trio_cancellation_abandons_the_call(scaleway_mock: MockServer) -> None:
    import trio

    scaleway_mock.inject_faults({"script": [{"fault": "slow", "delay_ms": 3000}]})

    async def main() -> None:
        async with scaleway_mock.async_client() as client:
            with trio.CancelScope() as scope:
                async with trio.open_nursery() as nursery:
                    nursery.start_soon(client.get_organization, str(uuid.uuid4()))
                    await until_async(lambda: scaleway_mock.stats()["in_flight"] == 1, "the call")
                    scope.cancel()
            assert scope.cancelled_caught
            await until_async(lambda: calls_in_flight() == 0, "the call to leave")

    trio.run(main)
    assert scaleway_mock.stats()["by_status"] == {}


def test_async_client_without_a_loop_says_what_works(scaleway_mock: MockServer) -> None:
    client = scaleway_mock.async_client()
    call = client.get_organization()
    with pytest.raises(RuntimeError, match="needs a running asyncio or trio event loop"):
        call.send(None)
    call.close()


def test_async_client_under_anyio_asyncio_works(scaleway_mock: MockServer) -> None:
    async def main() -> int:
        async with scaleway_mock.async_client() as client:
            return (await client.list_organizations().page(1)).total_count

    assert anyio.run(main, backend="asyncio") == 0


def test_blocking_client_from_trio_through_a_worker_thread(scaleway_mock: MockServer) -> None:
    async def main() -> int:
        with scaleway_mock.client() as client:
            page = await anyio.to_thread.run_sync(client.list_organizations().page)
            return page.total_count

    assert anyio.run(main, backend="trio") == 0


def test_a_blocking_call_in_a_worker_thread_can_be_abandoned(scaleway_mock: MockServer) -> None:
    """Cancelling the task that waits on a worker thread gives control back while the request
    is still held (anyio abandons the thread), and closing the client ends that request too: no
    thread stays blocked on it."""
    scaleway_mock.inject_faults({"script": [{"fault": "slow", "delay_ms": 30_000}]})
    outcome: List[BaseException] = []

    def blocking_get(client: Client) -> None:
        try:
            client.get_organization(str(uuid.uuid4()))
        except BaseException as err:  # what the abandoned thread saw
            outcome.append(err)

    async def main() -> None:
        client = scaleway_mock.client(max_retries=0)
        with anyio.CancelScope() as scope:
            async with anyio.create_task_group() as tasks:
                tasks.start_soon(
                    lambda: anyio.to_thread.run_sync(blocking_get, client, abandon_on_cancel=True)
                )
                await until_async(lambda: scaleway_mock.stats()["in_flight"] == 1, "the call")
                scope.cancel()
        assert scope.cancelled_caught
        assert scaleway_mock.stats()["in_flight"] == 1, "control came back first"
        client.close()
        await until_async(lambda: bool(outcome), "the abandoned call to end")

    anyio.run(main, backend="asyncio")
    assert isinstance(outcome[0], sp.RequestCancelledError), outcome


def _client_only() -> Client:
    # A helper that returns the client and drops its emulator.
    return MockServer(seed_organizations=2).client(max_retries=0)


def test_emulator_lives_as_long_as_its_client() -> None:
    client = _client_only()
    gc.collect()
    assert client.list_organizations().page(1).total_count == 2
    view = client.with_options(timeout=5)
    del client
    gc.collect()
    assert view.list_organizations().page(1).total_count == 2


def test_scaleway_env_reaches_the_emulator(
    scaleway_env: Dict[str, str], scaleway_mock: MockServer
) -> None:
    with Client() as client:  # what application code does
        assert client.api_url == scaleway_mock.url == scaleway_env["SCW_API_URL"]
        assert client.list_organizations().page(1).total_count == 0

    async def from_async() -> str:
        async with AsyncClient() as client:
            return (await client.get_organization()).id  # the partner's own organization

    assert anyio.run(from_async) == scaleway_mock.organization_id


def test_tracebacks_show_one_frame_of_the_package(
    scaleway_mock: MockServer, random_id: str
) -> None:
    def ours(err: BaseException) -> list[str]:
        frames = traceback.extract_tb(err.__traceback__)
        return [f.name for f in frames if "scaleway_partner" in f.filename]

    with scaleway_mock.client() as client:
        with pytest.raises(sp.ResourceNotFoundError) as info:
            client.get_organization(random_id)
    assert ours(info.value) == ["get_organization"]

    async def main() -> None:
        async with scaleway_mock.async_client() as client:
            await client.get_organization(random_id)

    with pytest.raises(sp.ResourceNotFoundError) as info:
        anyio.run(main)
    # The method's coroutine (AsyncClient's calls are coroutine functions) awaits the native
    # call's future directly.
    assert ours(info.value) == ["get_organization"]


def test_import_defers_logging_and_the_audit() -> None:
    # What a plain import does not need is loaded on first use (a structural check, not a
    # timing: benchmarks/ measures the import time).
    code = (
        "import sys, scaleway_partner; "
        "print(sorted(m for m in ('logging', 'scaleway_partner.audit') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_closing_a_view_leaves_its_client_open(scaleway_client: Client) -> None:
    with scaleway_client.with_options(timeout=5) as view:
        assert view.list_organizations().page(1).total_count == 0
    assert view.closed and not scaleway_client.closed
    assert scaleway_client.list_organizations().page(1).total_count == 0
    with pytest.raises(sp.RequestCancelledError, match="the client is closed"):
        view.list_organizations().page(1)
    other = scaleway_client.with_options(max_retries=1)
    scaleway_client.close()
    assert other.closed
