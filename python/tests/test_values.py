"""Organization, pages and enums: typed attributes, wire form, decoding, reprs, pickling."""

from __future__ import annotations

import copy
import dataclasses
import json
import pickle
from datetime import datetime, timezone

import pytest
from conftest import create

from scaleway_partner import (
    Client,
    LockedBy,
    OrderBy,
    Organization,
    OrganizationPage,
    OrganizationStatus,
    ValidationError,
    _native,
)
from scaleway_partner.testing import MockServer

WIRE = {
    "comment": "",
    "created_at": "2026-09-11T14:56:46.665888Z",
    "customer_id": "customer-123",
    "email": "owner@example.test",
    "id": "db7ec892-78ac-4a28-b71d-566b647993c3",
    "lock_reason_message": "validate_email",
    "locked_at": "2026-09-11T14:56:46.785548Z",
    "locked_by": "scaleway",
    "name": "Acme",
    "owner_firstname": "John",
    "owner_lastname": "Doe",
    "phone_number": None,
    "picture_link": None,
    "siren_number": None,
    "status": "locked",
}


def test_created_organization_has_typed_attributes(scaleway_client: Client) -> None:
    before = datetime.now(timezone.utc)
    org = create(scaleway_client, phone_number="+33123456789", siren_number="123456789")
    assert isinstance(org.status, OrganizationStatus)
    assert org.status is OrganizationStatus.LOCKED
    assert org.locked_by is LockedBy.SCALEWAY
    assert org.lock_reason_message == "validate_email"
    assert org.created_at is not None and org.locked_at is not None
    assert org.created_at.tzinfo is not None
    assert org.created_at.utcoffset() is not None
    assert abs((org.created_at - before).total_seconds()) < 60
    assert org.locked_at >= org.created_at
    assert org.phone_number == "+33123456789"
    assert org.siren_number == "123456789"
    assert org.picture_link is None
    assert org.comment == ""
    assert not org.is_locked_by_partner


def test_unset_optional_values_are_none(scaleway_client: Client, scaleway_mock: MockServer) -> None:
    org = create(scaleway_client)
    assert org.phone_number is None and org.siren_number is None
    scaleway_mock.validate_email(org.id)
    opened = scaleway_client.get_organization(org.id)
    assert opened.status == OrganizationStatus.OPENED
    assert opened.locked_by == LockedBy.UNKNOWN_LOCKED_BY
    assert opened.locked_at is None
    # The API sends "" here; it reads as None like every empty optional text.
    assert opened.lock_reason_message is None


def test_unknown_enum_values_are_kept(scaleway_client: Client, scaleway_mock: MockServer) -> None:
    org = create(scaleway_client)
    assert scaleway_mock.patch_raw(org.id, set={"status": "suspended", "locked_by": "auditor"})
    got = scaleway_client.get_organization(org.id)
    assert isinstance(got.status, OrganizationStatus)
    assert got.status == "suspended" and str(got.status) == "suspended"
    assert got.status.is_unknown and not OrganizationStatus.LOCKED.is_unknown
    assert got.locked_by == "auditor" and got.locked_by.is_unknown
    # The same unknown value gives the same member, and survives pickling.
    assert OrganizationStatus("suspended") is got.status
    assert pickle.loads(pickle.dumps(got.status)) is got.status
    assert got.to_dict()["status"] == "suspended"


def test_enums_are_str() -> None:
    for enum in (OrganizationStatus, LockedBy, OrderBy):
        for member in enum:
            assert isinstance(member, str)
            assert member == member.value
            assert str(member) == member.value
            assert f"{member}" == member.value
            assert json.dumps(member) == json.dumps(member.value)
    assert OrderBy("created_at_desc") is OrderBy.CREATED_AT_DESC
    with pytest.raises(ValueError, match="is not a valid"):
        OrderBy(3)  # type: ignore[arg-type]


def test_wire_form_round_trip() -> None:
    org = Organization.from_dict(WIRE)
    assert org.to_dict() == WIRE
    assert Organization.from_dict(org.to_dict()) == org
    assert Organization.from_json(json.dumps(WIRE)) == org
    assert Organization.from_json(json.dumps(WIRE).encode()) == org
    assert org.created_at == datetime(2026, 9, 11, 14, 56, 46, 665888, tzinfo=timezone.utc)
    assert json.loads(json.dumps(org.to_dict())) == WIRE


def test_decoding_is_lenient_like_the_client() -> None:
    loose = dict(WIRE, phone_number="", siren_number=None, a_future_field=[1, 2])
    del loose["picture_link"]
    org = Organization.from_dict(loose)
    assert org.phone_number is None and org.picture_link is None
    assert Organization.from_dict({"id": "x"}).status == OrganizationStatus.UNKNOWN_STATUS


def test_decoding_garbage_is_a_validation_error() -> None:
    with pytest.raises(ValidationError) as info:
        Organization.from_dict({"name": "no id"})
    assert info.value.field == "id"  # the field at fault
    assert "id" in str(info.value)
    with pytest.raises(ValidationError):
        Organization.from_json("[1, 2")
    with pytest.raises(ValidationError):
        Organization.from_dict(dict(WIRE, created_at="yesterday"))


def test_equality_and_hash() -> None:
    a = Organization.from_dict(WIRE)
    b = Organization.from_dict(WIRE)
    c = Organization.from_dict(dict(WIRE, name="Other"))
    assert a == b and hash(a) == hash(b)
    assert a != c
    assert len({a, b, c}) == 2
    with pytest.raises(AttributeError):
        a.name = "changed"  # type: ignore[misc]


def test_repr_fits_on_a_line() -> None:
    org = Organization.from_dict(WIRE)
    text = repr(org)
    assert "\n" not in text
    assert text.startswith(
        "Organization(id='db7ec892-78ac-4a28-b71d-566b647993c3', name='Acme', "
        "status='locked', locked_by='scaleway'"
    )
    assert text.endswith(")")
    # Open: nothing about a lock, not the API's placeholder (what printed bulk results show).
    opened = Organization.from_dict(
        dict(WIRE, status="opened", locked_by="unknown_locked_by", lock_reason_message="")
    )
    assert repr(opened) == (
        "Organization(id='db7ec892-78ac-4a28-b71d-566b647993c3', name='Acme', status='opened')"
    )


def test_repr_html_is_a_small_escaped_table() -> None:
    org = Organization.from_dict(dict(WIRE, name="<b>Acme & Co</b>"))
    html = org._repr_html_()
    assert html.startswith("<table>") and html.endswith("</table>")
    assert "&lt;b&gt;Acme &amp; Co&lt;/b&gt;" in html
    assert "<b>" not in html
    assert html.count("<tr>") == len(WIRE)


def test_pickling_and_copying(scaleway_client: Client) -> None:
    org = create(scaleway_client)
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        back = pickle.loads(pickle.dumps(org, protocol=protocol))
        assert back == org
        assert type(back.status) is OrganizationStatus
    assert copy.deepcopy(org) == org
    page = scaleway_client.list_organizations().page(1)
    assert pickle.loads(pickle.dumps(page)) == page


def test_page_value(scaleway_client: Client) -> None:
    orgs = [create(scaleway_client) for _ in range(3)]
    page = scaleway_client.list_organizations(page_size=2).page(1)
    assert isinstance(page, OrganizationPage)
    assert (page.total_count, page.page, page.page_size) == (3, 1, 2)
    assert len(page) == 2
    assert list(page) == page.organizations == orgs[:2]


def test_organization_declares_every_field_of_the_core() -> None:
    # The one declaration of the fields in Python: a field the core gained and the class lacks
    # fails here (and the first conversion says which); the binding names none of them.
    declared = tuple(f.name for f in dataclasses.fields(Organization))
    assert declared == (*_native.ORGANIZATION_FIELDS, "extra")
    org = Organization.from_json('{"id": "o-1", "siren_number": "123456789", "new": 1}')
    wire = org.to_dict()
    assert set(wire) == {*_native.ORGANIZATION_FIELDS, "new"}
    assert Organization.from_dict(wire) == org
