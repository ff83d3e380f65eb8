"""Values survive the round trips a program puts them through (issue 17 item 5): every
organization recorded from the real API comes back equal from its wire form (``to_dict`` /
``from_dict``), its JSON text (``to_json`` / ``from_json``), ``dataclasses.asdict`` and pickle,
with the fields a newer API adds; "not locked" is falsy."""

from __future__ import annotations

import dataclasses
import gc
import json
import pickle
from typing import Any, Dict, List

import pytest
from test_recorded import recorded_bodies

from scaleway_partner import Client, LockedBy, Organization, ValidationError

# A field no version of the API has: what a newer API would add.
A_FUTURE_FIELD = {"a_future_field": {"nested": [1, "two", None], "n": 1.5}}

# The optional text the API sends absent, null or "" alike: written back as null.
OPTIONAL_TEXT = ("lock_reason_message", "phone_number", "picture_link", "siren_number")


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
    raw = {**raw, **A_FUTURE_FIELD}
    org = Organization.from_dict(raw)
    assert org.extra == A_FUTURE_FIELD
    assert Organization.from_dict(org.to_dict()) == org
    assert Organization.from_json(org.to_json()) == org
    assert Organization.from_dict(dataclasses.asdict(org)) == org
    assert json.loads(org.to_json()) == org.to_dict()
    back = pickle.loads(pickle.dumps(org))
    assert back == org and hash(back) == hash(org) and back.extra == A_FUTURE_FIELD


@pytest.mark.parametrize("raw", recorded_organizations())
def test_every_recorded_organization_is_written_back_as_it_came(raw: Dict[str, Any]) -> None:
    raw = {**raw, **A_FUTURE_FIELD}
    as_it_came = {**raw, **{k: raw.get(k) or None for k in OPTIONAL_TEXT}}
    assert json.loads(Organization.from_dict(raw).to_json()) == as_it_came


def test_unknown_fields_change_equality_not_the_hash() -> None:
    raw = {"id": "6f4049e3-5910-4283-bb02-382ef15aa460", "name": "Acme"}
    plain, newer = Organization.from_dict(raw), Organization.from_dict({**raw, **A_FUTURE_FIELD})
    assert plain.extra == {} and newer != plain and hash(newer) == hash(plain)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"id": "x", "created_at": "yesterday"}, "created_at"),
        ({"id": "x", "customer_id": 42}, "customer_id"),
        ({"name": "no id"}, "id"),
        ({"id": "x", "extra": {"name": "a documented field"}}, "extra"),
    ],
)
def test_from_dict_names_the_field_at_fault(data: Dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Organization.from_dict(data)
    assert caught.value.field == field


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
