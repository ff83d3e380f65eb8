"""What ``on_progress`` raises is what the call raises: that very exception object, not a copy nor
a wrapper (the core carries it back), for every call that reports progress, blocking or async."""

from __future__ import annotations

import asyncio
import itertools
from typing import Any, Awaitable, Callable, Dict, List, Optional

import pytest
from conftest import acreate, create

import scaleway_partner as sp
from scaleway_partner.testing import MockServer

BOOK = pytest.mark.scaleway_mock(seed=3, seed_organizations=250)
_numbers = itertools.count()


def _records() -> List[Dict[str, Any]]:
    return [
        {
            "customer_id": f"raise-{n}",
            "email": f"owner{n}@raise.test",
            "organization_name": f"Customer {n}",
            "owner_firstname": "Jane",
            "owner_lastname": "Doe",
        }
        for n in (next(_numbers), next(_numbers))
    ]


Progress = Callable[[int, Optional[int]], Any]

CALLS: Dict[str, Callable[[sp.Client, List[str], Progress], Any]] = {
    "listing": lambda c, ids, cb: c.list_organizations(page_size=100).all(
        concurrency=1, on_progress=cb
    ),
    "bulk": lambda c, ids, cb: c.get_organizations(ids, concurrency=1, on_progress=cb),
    "audit": lambda c, ids, cb: c.audit(on_progress=cb, progress=False),
    "apply": lambda c, ids, cb: c.apply(
        c.plan(_records(), progress=False), concurrency=1, on_progress=cb, progress=False
    ),
}


async def _plan_and_apply(c: sp.AsyncClient, cb: Progress) -> Any:
    plan = await c.plan(_records(), progress=False)
    return await c.apply(plan, concurrency=1, on_progress=cb, progress=False)


ACALLS: Dict[str, Callable[[sp.AsyncClient, List[str], Progress], Awaitable[Any]]] = {
    "listing": lambda c, ids, cb: c.list_organizations(page_size=100).all(
        concurrency=1, on_progress=cb
    ),
    "bulk": lambda c, ids, cb: c.get_organizations(ids, concurrency=1, on_progress=cb),
    "audit": lambda c, ids, cb: c.audit(on_progress=cb, progress=False),
    "apply": lambda c, ids, cb: _plan_and_apply(c, cb),
}


class Stop(Exception):
    pass


@BOOK
@pytest.mark.parametrize("call", CALLS)
def test_the_blocking_call_raises_the_callbacks_own_exception(
    scaleway_client: sp.Client, call: str
) -> None:
    ids = [create(scaleway_client).id for _ in range(3)]
    stop, seen = Stop("stop here"), []

    def on_progress(done: int, total: Optional[int]) -> None:
        seen.append(done)
        raise stop

    with pytest.raises(Stop) as raised:
        CALLS[call](scaleway_client, ids, on_progress)
    assert raised.value is stop
    assert len(seen) == 1, "the first report stopped the call: never called again"


@BOOK
@pytest.mark.asyncio
@pytest.mark.parametrize("call", ACALLS)
@pytest.mark.parametrize("flavor", ["def", "async def"])
async def test_the_async_call_raises_the_callbacks_own_exception(
    scaleway_mock: MockServer, call: str, flavor: str
) -> None:
    stop, seen = Stop("stop here"), []

    def plain(done: int, total: Optional[int]) -> None:
        seen.append(done)
        raise stop

    async def awaited(done: int, total: Optional[int]) -> None:
        seen.append(done)
        await asyncio.sleep(0)
        raise stop

    async with scaleway_mock.async_client() as client:
        ids = [(await acreate(client)).id for _ in range(3)]
        with pytest.raises(Stop) as raised:
            await ACALLS[call](client, ids, plain if flavor == "def" else awaited)
    assert raised.value is stop
    assert len(seen) == 1, "the first report stopped the call: never called again"
