"""User code that calls the client from inside the client (issue 24, item 4): a traffic hook, a
progress callback or a ``logging`` handler making a call of its own, blocking or asynchronous.

Usage: ``python reentrant_script.py MODE`` with MODE one of ``hook``, ``progress``, ``log``,
``log-other-thread``, ``async-hook``, ``async-progress``, ``async-log``, ``hook-async-call``.
Prints ``ok`` when the outer call and every nested call ended (a result or an error); a
regression deadlocks, which the test's subprocess timeout turns into a failure.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import threading
from typing import Any, List

import scaleway_partner as sp
from scaleway_partner.testing import MockServer

MODE = sys.argv[1]
# Short enough that a call stuck behind user code would show as a timeout, not a hang.
OPTIONS: Any = {"total_timeout": 20.0}

mock = MockServer(rate_limit=0, seed_organizations=4)
client = mock.client(**OPTIONS)
ids = [o.id for o in client.list_organizations()]
nested: List[Any] = []


def nested_call() -> None:
    """The call user code makes from inside the client, once."""
    if not nested:
        nested.append(None)
        nested[0] = client.get_organization(ids[0])


class CallingHandler(logging.Handler):
    """A log handler that calls the blocking client (a handler that enriches records by asking
    the API, or one that ships them with the same client)."""

    def emit(self, record: logging.LogRecord) -> None:
        nested_call()


def sync_main() -> None:
    if MODE == "hook":
        hooked = mock.client(hook=lambda e: nested_call(), **OPTIONS)
        hooked.get_organization(ids[1])
    elif MODE == "progress":
        client.get_organizations(ids, on_progress=lambda done, total: nested_call())
    elif MODE in ("log", "log-other-thread"):
        logging.getLogger().setLevel(logging.DEBUG)
        logging.getLogger().addHandler(CallingHandler())
        client.get_organization(ids[1])
        if MODE == "log-other-thread":
            # Every later call, from any thread, still works.
            done: List[Any] = []
            worker = threading.Thread(target=lambda: done.append(client.get_organization(ids[2])))
            worker.start()
            worker.join()
            assert done, "the other thread's call did not end"
    assert isinstance(nested[0], sp.Organization), nested


async def async_main() -> None:
    aclient = mock.async_client(**OPTIONS)
    if MODE == "async-hook":
        hooked = mock.async_client(hook=lambda e: nested_call(), **OPTIONS)
        await hooked.get_organization(ids[1])
    elif MODE == "async-progress":
        await aclient.get_organizations(ids, on_progress=lambda done, total: nested_call())
    elif MODE == "async-log":
        logging.getLogger().setLevel(logging.DEBUG)
        logging.getLogger().addHandler(CallingHandler())
        await aclient.get_organization(ids[1])
    elif MODE == "hook-async-call":
        # A hook of the async client starting an async call of its own on the loop.
        tasks: List[Any] = []

        def hook(event: Any) -> None:
            if not tasks:
                tasks.append(asyncio.ensure_future(aclient.get_organization(ids[0])))

        hooked = mock.async_client(hook=hook, **OPTIONS)
        await hooked.get_organization(ids[1])
        nested.append(await tasks[0])
    assert isinstance(nested[0], sp.Organization), nested


if MODE.startswith("async-") or MODE == "hook-async-call":
    asyncio.run(async_main())
else:
    sync_main()
print("ok")
