"""Values survive the round trips a program puts them through (issue 17 item 5): every
organization recorded from the real API comes back equal from its wire form (``to_dict`` /
``from_dict``), its JSON text (``to_json`` / ``from_json``) and pickle; "not locked" is falsy."""

from __future__ import annotations

import gc
import json
import pickle
from typing import Any, Dict, List

import pytest
from test_recorded import recorded_bodies

from scaleway_partner import Client, LockedBy, Organization


def recorded_organizations() -> List[Any]:
    params = []
    for where, body in recorded_bodies():
        data = json.loads(body) if body else {}
        records: List[Dict[str, Any]] = data.get("organizations", [data] if "id" in data else [])
        params += [pytest.param(raw, id=f"{where} {i}") for i, raw in enumerate(records)]
    assert params, "the recordings hold organizations"
    return params


@pytest.mark.parametrize("raw", recorded_organizations())
def test_every_recorded_organization_round_trips(raw: Dict[str, Any]) -> None:
    org = Organization.from_dict(raw)
    assert Organization.from_dict(org.to_dict()) == org
    assert Organization.from_json(org.to_json()) == org
    assert json.loads(org.to_json()) == org.to_dict()
    back = pickle.loads(pickle.dumps(org))
    assert back == org and hash(back) == hash(org)


def test_not_locked_is_falsy() -> None:
    assert not LockedBy.UNKNOWN_LOCKED_BY
    assert LockedBy.PARTNER and LockedBy.SCALEWAY and LockedBy("a_future_locker")
    org = Organization.from_dict(
        {"id": "6f4049e3-5910-4283-bb02-382ef15aa460", "locked_by": "unknown_locked_by"}
    )
    assert not org.locked_by and org.locked_at is None
    assert org.locked_by == "unknown_locked_by"  # still the API's value


@pytest.mark.scaleway_mock(seed_organizations=150, seed=13)
def test_listed_organizations_stay_out_of_the_cyclic_gc(scaleway_client: Client) -> None:
    # They can hold no cycle (strings, datetimes, enum members, None): the GC need not walk
    # every organization already read each time it runs during a long listing.
    organizations = scaleway_client.list_organizations().all()
    assert len(organizations) == 150
    assert not any(gc.is_tracked(o) for o in organizations)
