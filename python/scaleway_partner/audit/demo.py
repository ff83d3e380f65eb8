"""The demo partner book: the embedded emulator seeded with a realistic book of about 1,500
organizations, keeping the API's rate limit (50 requests/s) so that pacing is real."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..testing import MockServer

__all__ = ["DEMO_ORGANIZATIONS", "DEMO_SEED", "demo_server"]

DEMO_ORGANIZATIONS = 1500
DEMO_SEED = 20240611
"""Fixed, so that every run shows the same book (dates are relative to now)."""


def demo_server(organizations: int = DEMO_ORGANIZATIONS) -> MockServer:
    """A running emulator with the demo book; ``mock.client()`` is a client of it."""
    # Imported here: the command's other uses need neither the emulator nor asyncio.
    from ..testing import MockServer

    return MockServer(seed=DEMO_SEED, seed_organizations=organizations)
