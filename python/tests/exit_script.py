"""Runs 50 concurrent calls on asyncio and exits at once (pyo3-async-runtimes issue 40).

Usage: ``python exit_script.py [await|abandon|thread] [debug]``. ``await`` waits for every call
then exits; ``abandon`` leaves them running when ``asyncio.run`` returns; ``thread`` also has a
daemon thread making blocking calls while the interpreter exits. ``debug`` turns DEBUG logging
on, so that Rust threads also enter Python to log. The emulator runs in the same process and is
never closed: everything is torn down by the exit itself.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import threading

from scaleway_partner.testing import MockServer

MODE = sys.argv[1] if len(sys.argv) > 1 else "await"
if "debug" in sys.argv[2:]:
    logging.basicConfig(level=logging.DEBUG, stream=open("/dev/null", "w"))  # noqa: SIM115

mock = MockServer(rate_limit=0, seed_organizations=3, latency={"jitter_ms": 5})
ids = [o.id for o in mock.client().list_organizations()]


def blocking_calls() -> None:
    client = mock.client()
    while True:
        client.get_organizations(ids)


async def main() -> None:
    client = mock.async_client()
    calls = [asyncio.ensure_future(client.get_organization(ids[i % 3])) for i in range(50)]
    if MODE == "abandon":
        await asyncio.sleep(0.002)
        return
    results = await asyncio.gather(*calls)
    assert len(results) == 50


if MODE == "thread":
    threading.Thread(target=blocking_calls, daemon=True).start()
asyncio.run(main())
print("ok")
