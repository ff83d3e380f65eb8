"""A pending ``on_progress`` holds no thread: the core awaits the answer of the callback (run on
the event loop) instead of parking a runtime thread on it, so many calls waiting on their
callbacks cost no thread each."""

from __future__ import annotations

import asyncio
import re
import sys
from pathlib import Path

import pytest

from scaleway_partner.testing import MockServer

UNKNOWN_ID = "6f4049e3-5910-4283-bb02-382ef15aa460"


def threads() -> int:
    """The threads of this process, as Linux counts them."""
    status = Path("/proc/self/status").read_text()
    found = re.search(r"^Threads:\s+(\d+)$", status, re.MULTILINE)
    assert found is not None
    return int(found.group(1))


@pytest.mark.skipif(sys.platform != "linux", reason="/proc/self/status")
def test_calls_waiting_on_their_async_on_progress_hold_no_thread_each(
    scaleway_mock: MockServer,
) -> None:
    calls = 48

    async def main() -> None:
        async with scaleway_mock.async_client() as client:
            # Warm the runtime up: its worker threads exist before counting.
            await client.get_organizations([UNKNOWN_ID], on_progress=lambda done, total: None)
            before = threads()
            entered = 0
            everyone_waits = asyncio.Event()
            gate = asyncio.Event()

            async def on_progress(done: int, total: int | None) -> None:
                nonlocal entered
                entered += 1
                if entered == calls:
                    everyone_waits.set()
                await gate.wait()

            running = [
                asyncio.ensure_future(
                    client.get_organizations([UNKNOWN_ID], on_progress=on_progress)
                )
                for _ in range(calls)
            ]
            await everyone_waits.wait()
            during = threads()
            gate.set()
            results = await asyncio.gather(*running)
            assert len(results) == calls
            assert during - before < calls / 4, (
                f"{during - before} more threads while {calls} callbacks were pending"
            )

    asyncio.run(main())
