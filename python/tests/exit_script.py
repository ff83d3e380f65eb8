"""Runs 50 concurrent calls on asyncio and exits at once (pyo3-async-runtimes issue 40).

Usage: ``python exit_script.py [await|abandon|thread] [debug] [slow-finalize]``. ``await``
waits for every call then exits; ``abandon`` leaves them running when ``asyncio.run`` returns;
``thread`` also has a daemon thread making blocking calls while the interpreter exits.
``debug`` turns DEBUG logging on, so that Rust threads also enter Python to log.
``slow-finalize`` makes the interpreter let go of the GIL again and again while it finalizes
(garbage whose ``__del__`` sleeps), and adds a log handler that lets go of it too: a thread
handling a record then is where CPython ends a thread taking the GIL during finalization
(``pthread_exit``). The emulator runs in the same process and is never closed: everything is
torn down by the exit itself.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import sys
import threading
import time
from typing import Callable

from scaleway_partner.testing import MockServer

MODE = sys.argv[1] if len(sys.argv) > 1 else "await"
if "debug" in sys.argv[2:]:
    logging.basicConfig(level=logging.DEBUG, stream=open("/dev/null", "w"))  # noqa: SIM115


class SlowFinalizer:
    """Garbage in a cycle, collected by the interpreter's last collection, after it started
    finalizing: its ``__del__`` lets go of the GIL again and again."""

    def __del__(self, sleep: Callable[[float], None] = time.sleep) -> None:
        for _ in range(20):
            sleep(0.01)


class SlowHandler(logging.Handler):
    """A handler letting go of the GIL as it emits (as one writing to a slow file would): a
    thread handling records is then often in the middle of one when the interpreter exits."""

    def emit(self, record: logging.LogRecord) -> None:
        time.sleep(0.05)


if "slow-finalize" in sys.argv[2:]:
    logging.getLogger().addHandler(SlowHandler())
    gc.disable()
    garbage = SlowFinalizer()
    garbage.cycle = garbage  # type: ignore[attr-defined]
    del garbage

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
