"""The coroutine every ``AsyncClient`` call returns: the native layer starts the work when it
is first awaited, on the running asyncio loop, as an ``async def`` method would."""

from __future__ import annotations

import asyncio
from typing import Any, Awaitable, Callable

_NOT_ASYNCIO = (
    "AsyncClient runs on asyncio and no asyncio event loop is running here (trio, or anyio's "
    "trio backend?): use the blocking Client from a worker thread instead, e.g. "
    "`await anyio.to_thread.run_sync(client.get_organization, organization_id)`"
)


async def await_started(start: Callable[[], Awaitable[Any]]) -> Any:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        raise RuntimeError(_NOT_ASYNCIO) from None
    return await start()
