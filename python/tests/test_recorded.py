"""Every response body recorded from the real API (tests/recorded, the project's copy, or
SCALEWAY_PARTNER_RECORDED) decodes through the package, with the values it carries."""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import pytest
import yaml

from scaleway_partner import LockedBy, Organization, OrganizationStatus

CASSETTES = Path(
    os.environ.get("SCALEWAY_PARTNER_RECORDED")
    or Path(__file__).resolve().parents[2] / "tests" / "recorded"
)


def recorded_bodies() -> List[Tuple[str, str]]:
    """(where, body) of every interaction of every cassette."""
    assert CASSETTES.is_dir(), f"the recorded traffic must be at {CASSETTES}"
    bodies = []
    for path in sorted(CASSETTES.glob("*.cassette.yaml")):
        for interaction in yaml.safe_load(path.read_text())["interactions"]:
            where = f"{path.name} #{interaction['id']}"
            bodies.append((where, interaction["response"].get("body") or ""))
    return bodies


def optional(raw: Dict[str, Any], key: str) -> Optional[str]:
    """The API sends absent, null and "" alike for an unset value."""
    return raw.get(key) or None


def instant(raw: Dict[str, Any], key: str) -> Optional[datetime]:
    value = optional(raw, key)
    return None if value is None else datetime.fromisoformat(value.replace("Z", "+00:00"))


def check(org: Organization, raw: Dict[str, Any], where: str) -> None:
    plain = ("id", "name", "email", "customer_id", "owner_firstname", "owner_lastname", "comment")
    for key in plain:
        assert getattr(org, key) == raw[key], where
    for key in ("lock_reason_message", "phone_number", "siren_number", "picture_link"):
        assert getattr(org, key) == optional(raw, key), (where, key)
    assert org.status == OrganizationStatus(raw["status"]) and not org.status.is_unknown, where
    assert org.locked_by == LockedBy(raw["locked_by"]) and not org.locked_by.is_unknown, where
    assert org.created_at == instant(raw, "created_at"), where
    assert org.locked_at == instant(raw, "locked_at"), where
    assert org.created_at is not None and org.created_at.tzinfo is not None, where


def test_every_recorded_response_decodes_with_its_values() -> None:
    bodies = recorded_bodies()
    assert len(bodies) == 38, "the recordings hold 38 interactions"
    counts = {"organization": 0, "list": 0, "empty": 0}
    for where, body in bodies:
        if not body:
            counts["empty"] += 1
            continue
        raw = json.loads(body)
        if "organizations" in raw:
            items = raw["organizations"]
            assert raw["total_count"] == len(items), where
            for item in items:
                check(Organization.from_dict(item), item, where)
            counts["list"] += 1
        else:
            check(Organization.from_json(body), raw, where)
            counts["organization"] += 1
    assert counts == {"organization": 35, "list": 2, "empty": 1}


def test_the_recordings_still_hold_the_shapes_this_check_relies_on() -> None:
    """Absent, null and empty values must stay covered, or the check above proves less."""
    items = []
    for _, body in recorded_bodies():
        if body:
            raw = json.loads(body)
            items.extend(raw.get("organizations", [raw]))

    def shape(item: Dict[str, Any], key: str) -> str:
        if key not in item:
            return "absent"
        return {None: "null", "": "empty"}.get(item[key], "set")

    assert {shape(i, "phone_number") for i in items} == {"null", "empty", "set"}
    assert {shape(i, "siren_number") for i in items} == {"absent", "null"}


@pytest.mark.parametrize("bad", ["", "{", "[]", '{"id": 1}', '{"name": "no id"}'])
def test_what_is_not_an_organization_is_refused(bad: str) -> None:
    from scaleway_partner import ValidationError

    with pytest.raises(ValidationError):
        Organization.from_json(bad)
