"""Arguments of the wrong Python type give a TypeError, missing or invalid ones a
ValidationError naming the field: never a crash, and nothing is sent."""

from __future__ import annotations

from typing import Any, Callable, Dict

import pytest
from conftest import new_org_args

import scaleway_partner as sp
from scaleway_partner import AsyncClient, Client
from scaleway_partner.testing import MockServer

ORG = "6f4049e3-5910-4283-bb02-382ef15aa460"

WRONG_TYPES: Dict[str, Callable[[Client], Any]] = {
    "create email int": lambda c: c.create_organization(**new_org_args(email=42)),
    "create name bytes": lambda c: c.create_organization(**new_org_args(organization_name=b"x")),
    "create partner_id list": lambda c: c.create_organization(**new_org_args(partner_id=[ORG])),
    "get id int": lambda c: c.get_organization(123),  # type: ignore[arg-type]
    "get id uuid object": lambda c: c.get_organization(object()),  # type: ignore[arg-type]
    "update comment int": lambda c: c.update_organization(ORG, comment=1),  # type: ignore[arg-type]
    "lock id float": lambda c: c.lock_organization(1.5),  # type: ignore[arg-type]
    "unlock id dict": lambda c: c.unlock_organization({}),  # type: ignore[arg-type]
    "admin password int": lambda c: c.request_admin_role(
        ORG,
        username="jane",
        email="j@example.test",
        password=123,  # type: ignore[arg-type]
    ),
    "list status int": lambda c: c.list_organizations(status=1),  # type: ignore[arg-type]
    "list page_size str": lambda c: c.list_organizations(page_size="10"),  # type: ignore[arg-type]
    "list page_size float": lambda c: c.list_organizations(page_size=1.5),  # type: ignore[arg-type]
    "page number str": lambda c: c.list_organizations().page("1"),  # type: ignore[arg-type]
    "timeout str": lambda c: c.get_organization(ORG, timeout="5"),  # type: ignore[arg-type]
    "max_retries float": lambda c: c.get_organization(ORG, max_retries=1.5),  # type: ignore[arg-type]
    "bulk ids str": lambda c: c.lock_organizations(ORG),
    "bulk ids int items": lambda c: c.get_organizations([ORG, 5]),  # type: ignore[list-item]
    "bulk ids not iterable": lambda c: c.get_organizations(5),  # type: ignore[arg-type]
    "bulk progress not callable": lambda c: c.get_organizations([ORG], on_progress="x"),  # type: ignore[arg-type]
    "all concurrency str": lambda c: c.list_organizations().all(concurrency="2"),  # type: ignore[arg-type]
    "unknown keyword": lambda c: c.get_organization(ORG, colour="red"),  # type: ignore[call-arg]
}


@pytest.mark.parametrize("case", sorted(WRONG_TYPES))
def test_wrong_types_raise_type_error(
    case: str, scaleway_client: Client, scaleway_mock: MockServer
) -> None:
    with pytest.raises(TypeError):
        WRONG_TYPES[case](scaleway_client)
    assert scaleway_mock.stats()["requests"] == 0


INVALID: Dict[str, Callable[[Client], Any]] = {
    "email": lambda c: c.create_organization(**new_org_args(email=None)),
    "organization_name": lambda c: c.create_organization(**new_org_args(organization_name=None)),
    "owner_firstname": lambda c: c.create_organization(**new_org_args(owner_firstname="J")),
    "owner_lastname": lambda c: c.create_organization(**new_org_args(owner_lastname=None)),
    "customer_id": lambda c: c.create_organization(**new_org_args(customer_id="")),
    "siren_number": lambda c: c.create_organization(**new_org_args(siren_number="12345678a")),
    "partner_id": lambda c: c.create_organization(**new_org_args(partner_id="nope")),
    "organization_id": lambda c: c.lock_organization("not-a-uuid"),
    "comment": lambda c: c.update_organization(ORG, comment=""),
    "username": lambda c: c.request_admin_role(ORG, username=None, email="j@example.test"),  # type: ignore[arg-type]
    "timeout": lambda c: c.get_organization(ORG, timeout=-1.0),
    "total_timeout": lambda c: c.lock_organization(ORG, total_timeout=0),
    "max_retries": lambda c: c.get_organization(ORG, max_retries=-1),
    "concurrency": lambda c: c.get_organizations([ORG], concurrency=-2),
    "page": lambda c: c.list_organizations().page(2**40),
}


@pytest.mark.parametrize("field", sorted(INVALID))
def test_invalid_values_name_the_field(
    field: str, scaleway_client: Client, scaleway_mock: MockServer
) -> None:
    with pytest.raises(sp.ValidationError) as info:
        INVALID[field](scaleway_client)
    assert info.value.field == field
    assert field in str(info.value)
    assert scaleway_mock.stats()["requests"] == 0


def test_constructor_types(scaleway_mock: MockServer) -> None:
    with pytest.raises(TypeError):
        Client(secret_key=123)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        AsyncClient(timeout="soon")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Client("positional")  # type: ignore[misc]
    with pytest.raises(sp.ConfigurationError, match="max_retries"):
        scaleway_mock.client(max_retries=-1)
    with pytest.raises(sp.ConfigurationError, match="rate_limit"):
        scaleway_mock.client(rate_limit=-3.0)
    for bad in (0, -1.0, float("nan")):
        with pytest.raises(sp.ConfigurationError, match="total_timeout"):
            scaleway_mock.client(total_timeout=bad)
    for bad in (-1.0, float("nan"), float("inf")):
        with pytest.raises(sp.ConfigurationError, match="create_settle_timeout"):
            scaleway_mock.client(create_settle_timeout=bad)
    # A settle window of zero looks once, at once.
    scaleway_mock.client(create_settle_timeout=0, total_timeout=0.5).close()
    with pytest.raises(TypeError):
        MockServer(seed="x")  # type: ignore[arg-type]


@pytest.mark.asyncio
async def test_async_wrong_types(async_scaleway_client: AsyncClient) -> None:
    with pytest.raises(TypeError):
        await async_scaleway_client.lock_organizations([1, 2])  # type: ignore[list-item]
    with pytest.raises(sp.ValidationError):
        await async_scaleway_client.get_organization(ORG, timeout=float("nan"))


WRITES: Dict[str, Callable[[Client, Any], Any]] = {
    "update": lambda c, i: c.update_organization(i, comment="x"),
    "lock": lambda c, i: c.lock_organization(i),
    "unlock": lambda c, i: c.unlock_organization(i),
    "request_admin_role": lambda c, i: c.request_admin_role(
        i, username="jane", email="j@example.test"
    ),
}


@pytest.mark.parametrize("organization_id", [None, "", "  "])
@pytest.mark.parametrize("write", sorted(WRITES))
def test_writes_need_a_named_organization(
    write: str, organization_id: Any, scaleway_mock: MockServer
) -> None:
    # A default organization ID is configured: a change never falls back to it.
    with scaleway_mock.client() as client:
        assert client.default_organization_id is not None
        with pytest.raises(sp.ValidationError) as info:
            WRITES[write](client, organization_id)
    assert info.value.field == "organization_id"
    assert scaleway_mock.stats()["requests"] == 0


@pytest.mark.asyncio
async def test_async_writes_need_a_named_organization(scaleway_mock: MockServer) -> None:
    async with scaleway_mock.async_client() as c:
        for organization_id in (None, ""):
            for write in (
                c.lock_organization(organization_id),  # type: ignore[arg-type]
                c.unlock_organization(organization_id),  # type: ignore[arg-type]
                c.update_organization(organization_id, name="Renamed"),  # type: ignore[arg-type]
                c.request_admin_role(
                    organization_id,  # type: ignore[arg-type]
                    username="jane",
                    email="j@example.test",
                ),
            ):
                with pytest.raises(sp.ValidationError) as info:
                    await write
                assert info.value.field == "organization_id"
        for bulk in (c.lock_organizations, c.unlock_organizations):
            results = await bulk([""])
            assert isinstance(results[0], sp.ValidationError)
            assert results[0].field == "organization_id"
    assert scaleway_mock.stats()["requests"] == 0
