"""pytest plugin (registered by entry point): fixtures with a running emulator of the API.

- ``scaleway_mock``: a :class:`~scaleway_partner.testing.MockServer`, rate limit off, no
  latency; mark a test ``@pytest.mark.scaleway_mock(seed_organizations=5, latency=100)`` to
  change its settings.
- ``scaleway_client``: a :class:`~scaleway_partner.Client` bound to it.
- ``async_scaleway_client``: an :class:`~scaleway_partner.AsyncClient` bound to it.
- ``scaleway_env``: the ``SCW_*`` environment of that emulator, for application code that
  builds its own client (``Client()`` with no argument).

Each test gets its own emulator (starting one takes about a millisecond).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, Iterator

import pytest

if TYPE_CHECKING:
    from scaleway_partner import AsyncClient, Client
    from scaleway_partner.testing import MockServer


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "scaleway_mock(**settings): MockServer settings of the scaleway_mock fixture",
    )


@pytest.fixture
def scaleway_mock(request: pytest.FixtureRequest) -> Iterator[MockServer]:
    """A running emulator of the Partner API (rate limit off, no latency by default)."""
    from scaleway_partner.testing import MockServer

    settings: Dict[str, Any] = {"rate_limit": 0}
    marker = request.node.get_closest_marker("scaleway_mock")
    if marker is not None:
        settings.update(marker.kwargs)
    with MockServer(**settings) as server:
        yield server


@pytest.fixture
def scaleway_env(scaleway_mock: MockServer, monkeypatch: pytest.MonkeyPatch) -> Dict[str, str]:
    """Sets the ``SCW_*`` variables so that ``Client()`` / ``AsyncClient()`` built by the code
    under test reach the ``scaleway_mock`` emulator; restored after the test."""
    env = scaleway_mock.environment()
    for name in ("SCW_PROFILE", "SCW_ACCESS_KEY"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return env


@pytest.fixture
def scaleway_client(scaleway_mock: MockServer) -> Iterator[Client]:
    """A blocking client of the ``scaleway_mock`` emulator."""
    with scaleway_mock.client() as client:
        yield client


@pytest.fixture
def async_scaleway_client(scaleway_mock: MockServer) -> Iterator[AsyncClient]:
    """An asynchronous client of the ``scaleway_mock`` emulator (usable from any asyncio loop)."""
    client = scaleway_mock.async_client()
    yield client
    client._native.close()
