"""The traffic API's types, checked by pyright (strict): the hook's event narrows on its
``event`` key, ``with_raw_response`` keeps each method's value type, per client flavor.
``test_traffic.py`` runs these functions against the emulator."""

from __future__ import annotations

from typing import List, Optional

from typing_extensions import assert_type

from scaleway_partner import (
    APIResponse,
    AsyncClient,
    Client,
    Organization,
    TrafficEvent,
    TrafficHook,
)


def durations(events: List[TrafficEvent]) -> List[float]:
    out: List[float] = []
    for e in events:
        if e["event"] == "response":
            assert_type(e["status"], Optional[int])
            out.append(e["duration"])
        elif e["event"] == "retry":
            out.append(e["delay"])
    return out


def use(client: Client, org_id: str) -> Organization:
    response = client.with_options(timeout=5.0).with_raw_response.get_organization(org_id)
    assert_type(response, APIResponse[Organization])
    assert_type(response.status_code, Optional[int])
    assert_type(response.request_id, Optional[str])
    assert_type(response.headers["x-request-id"], str)
    return response.parse()


def client_with_hook(api_url: str, secret_key: str, seen: List[TrafficEvent]) -> Client:
    hook: TrafficHook = seen.append
    return Client(api_url=api_url, secret_key=secret_key, hook=hook, default_headers={"x-a": "b"})


async def use_async(client: AsyncClient, org_id: str) -> Organization:
    response = await client.with_raw_response.get_organization(org_id)
    assert_type(response, APIResponse[Organization])
    return response.parse()
