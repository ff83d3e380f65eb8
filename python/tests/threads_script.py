"""10,000 concurrent ``AsyncClient`` calls (issue 24, item 7): prints the OS threads of the
process before the calls and the most seen while they ran (``/proc/self/status``), as
``threads <before> <peak> <calls>``. Delivering results must not cost a thread per call.

Usage: ``python threads_script.py [CALLS]``.
"""

from __future__ import annotations

import asyncio
import sys
import threading

from scaleway_partner.testing import MockServer

CALLS = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000


def os_threads() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("Threads:"):
                return int(line.split()[1])
    raise RuntimeError("no Threads: line in /proc/self/status")


async def main() -> None:
    mock = MockServer(rate_limit=0, seed_organizations=3)
    client = mock.async_client(max_retries=0)
    ids = [o.id for o in await client.list_organizations().all()]
    await client.get_organization(ids[0])  # every lazily started thread is running now
    before = os_threads()
    peak = before
    running = True

    def sample() -> None:
        nonlocal peak
        while running:
            peak = max(peak, os_threads())

    sampler = threading.Thread(target=sample)  # one more thread, counted in the peak
    sampler.start()
    try:
        orgs = await asyncio.gather(*(client.get_organization(ids[i % 3]) for i in range(CALLS)))
    finally:
        running = False
        sampler.join()
    assert len(orgs) == CALLS
    print("threads", before, peak, CALLS)


asyncio.run(main())
