"""Shared helpers. The emulator fixtures (``scaleway_mock``, ``scaleway_client``,
``async_scaleway_client``) come from the package's own pytest plugin."""

from __future__ import annotations

import socket
import time
import uuid
from typing import Any, Callable, Dict

import anyio
import pytest

from scaleway_partner import AsyncClient, Client, Organization


def new_org_args(**overrides: Any) -> Dict[str, Any]:
    """Valid arguments of ``create_organization``, unique per call."""
    tag = uuid.uuid4().hex[:8]
    args: Dict[str, Any] = {
        "email": f"owner-{tag}@example.test",
        "organization_name": f"Acme {tag}",
        "owner_firstname": "Jane",
        "owner_lastname": "Doe",
        "customer_id": f"customer-{tag}",
    }
    args.update(overrides)
    return args


CHANGES: Dict[str, str] = {
    "email": "new-owner@example.test",
    "name": "Renamed",
    "owner_firstname": "Janet",
    "owner_lastname": "Roe",
    "phone_number": "+33700000000",
    "customer_id": "customer-new",
    "comment": "moved to annual billing",
}
"""Every field ``update_organization`` can change, each to a new value."""


def changed_as_asked(org: Organization) -> bool:
    """Whether ``org`` shows every value of :data:`CHANGES`."""
    return all(getattr(org, field) == value for field, value in CHANGES.items())


def create(client: Client, **overrides: Any) -> Organization:
    return client.create_organization(**new_org_args(**overrides))


async def acreate(client: AsyncClient, **overrides: Any) -> Organization:
    return await client.create_organization(**new_org_args(**overrides))


@pytest.fixture
def dead_url() -> str:
    """The URL of a port nothing listens on (bound then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def random_id() -> str:
    return str(uuid.uuid4())


# How long a condition may take before the test fails as hung: a guard against hanging forever,
# never a speed claim (those live in benchmarks/).
HANG_GUARD = 60.0


def until(condition: Callable[[], bool], what: str) -> None:
    """Waits for ``condition`` (the emulator's statistics, the calls in flight...), polling."""
    deadline = time.monotonic() + HANG_GUARD
    while not condition():
        assert time.monotonic() < deadline, f"still waiting for {what}"
        time.sleep(0.005)


async def until_async(condition: Callable[[], bool], what: str) -> None:
    """:func:`until`, letting the event loop (asyncio's or trio's) run between polls."""
    deadline = time.monotonic() + HANG_GUARD
    while not condition():
        assert time.monotonic() < deadline, f"still waiting for {what}"
        await anyio.sleep(0.005)
