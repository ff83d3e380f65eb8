"""Every method of the blocking ``Client`` against the emulator."""

from __future__ import annotations

import uuid
from typing import Any, Dict, List, Optional, Tuple

import pytest
from conftest import CHANGES, changed_as_asked, create, new_org_args

import scaleway_partner as sp
from scaleway_partner import Client, LockedBy, OrganizationStatus
from scaleway_partner.testing import MockServer


def test_create_and_get(scaleway_client: Client, scaleway_mock: MockServer) -> None:
    args = new_org_args(phone_number="+33612345678", siren_number="552100554")
    org = scaleway_client.create_organization(**args)
    assert org.name == args["organization_name"] and org.email == args["email"]
    assert (org.owner_firstname, org.owner_lastname) == ("Jane", "Doe")
    assert org.customer_id == args["customer_id"]
    assert scaleway_client.get_organization(org.id) == org
    stats = scaleway_mock.stats()
    assert stats["by_operation"]["create_organization"] == 1
    assert stats["by_operation"]["get_organization"] == 1


def test_create_with_explicit_partner_id(
    scaleway_client: Client, scaleway_mock: MockServer
) -> None:
    org = create(scaleway_client, partner_id=scaleway_mock.organization_id)
    assert org.status == OrganizationStatus.LOCKED


def test_create_without_any_partner_id(scaleway_mock: MockServer) -> None:
    with scaleway_mock.client(default_organization_id=None) as client:
        assert client.default_organization_id is None
        with pytest.raises(sp.ValidationError) as info:
            create(client)
    assert info.value.field == "partner_id"


def test_get_defaults_to_the_default_organization_id(scaleway_mock: MockServer) -> None:
    org = create(scaleway_mock.client())
    with scaleway_mock.client(default_organization_id=org.id) as client:
        assert client.get_organization() == org
        # Changes never fall back to it: they name the organization, or are refused locally.
        before = scaleway_mock.stats()["requests"]
        calls: List[Tuple[Any, Dict[str, str]]] = [
            (client.lock_organization, {}),
            (client.unlock_organization, {}),
            (client.update_organization, {"comment": "x"}),
            (client.request_admin_role, {"username": "admin", "email": "admin@example.test"}),
        ]
        for organization_id in (None, ""):
            for method, kwargs in calls:
                with pytest.raises(sp.ValidationError) as info:
                    method(organization_id, **kwargs)
                assert info.value.field == "organization_id"
        assert scaleway_mock.stats()["requests"] == before
        assert client.lock_organization(org.id).locked_by == LockedBy.PARTNER
        assert client.unlock_organization(org.id).locked_by == LockedBy.SCALEWAY
        assert client.update_organization(org.id, comment="named").comment == "named"
        client.request_admin_role(org.id, username="admin", email="admin@example.test")


def test_update(scaleway_client: Client) -> None:
    org = create(scaleway_client)
    updated = scaleway_client.update_organization(org.id, **CHANGES)
    assert updated.id == org.id and changed_as_asked(updated)
    # Only what is given changes.
    again = scaleway_client.update_organization(org.id, comment="second")
    assert (again.name, again.comment) == ("Renamed", "second")
    with pytest.raises(sp.ValidationError) as info:
        scaleway_client.update_organization(org.id, name="A")
    assert info.value.field == "name"


def test_lock_and_unlock_stack(scaleway_client: Client, scaleway_mock: MockServer) -> None:
    org = create(scaleway_client)
    locked = scaleway_client.lock_organization(org.id)
    assert (locked.status, locked.locked_by) == (OrganizationStatus.LOCKED, LockedBy.PARTNER)
    assert locked.is_locked_by_partner
    relocked = scaleway_client.lock_organization(org.id)
    assert relocked.locked_at is not None and locked.locked_at is not None
    assert relocked.locked_at >= locked.locked_at
    unlocked = scaleway_client.unlock_organization(org.id)
    # Scaleway's validate_email lock shows again, with its own date.
    assert unlocked.locked_by == LockedBy.SCALEWAY and unlocked.locked_at == org.locked_at
    scaleway_mock.validate_email(org.id)
    assert scaleway_client.get_organization(org.id).status == OrganizationStatus.OPENED


def test_request_admin_role(scaleway_client: Client, scaleway_mock: MockServer) -> None:
    org = create(scaleway_client)
    result = scaleway_client.request_admin_role(  # type: ignore[func-returns-value]
        org.id, username="jane.doe", email="jane@example.test", password="s3cret-Passw0rd"
    )
    assert result is None
    scaleway_client.request_admin_role(org.id, username="bob", email="bob@example.test")
    assert scaleway_mock.stats()["by_status"]["204"] == 2
    with pytest.raises(sp.ValidationError) as info:
        scaleway_client.request_admin_role(org.id, username="jane doe", email="j@example.test")
    assert info.value.field == "username"
    with pytest.raises(sp.ValidationError) as info:
        scaleway_client.request_admin_role(
            org.id, username="jane", email="j@example.test", password="x" * 73
        )
    assert info.value.field == "password"


def test_bulk_operations_keep_input_order(scaleway_client: Client) -> None:
    orgs = [create(scaleway_client) for _ in range(5)]
    missing = str(uuid.uuid4())
    ids = [orgs[0].id, missing, *[o.id for o in orgs[1:]], "not-a-uuid"]
    progress: List[Tuple[int, Optional[int]]] = []
    locked = scaleway_client.lock_organizations(
        ids, concurrency=3, on_progress=lambda done, total: progress.append((done, total))
    )
    assert len(locked) == len(ids)
    assert [o.id for o in locked if isinstance(o, sp.Organization)] == [o.id for o in orgs]
    assert all(o.locked_by == LockedBy.PARTNER for o in locked if isinstance(o, sp.Organization))
    assert isinstance(locked[1], sp.ResourceNotFoundError) and locked[1].resource_id == missing
    assert isinstance(locked[-1], sp.ValidationError)
    # Progress comes on this thread, in order, once per ID.
    assert progress == [(i, len(ids)) for i in range(1, len(ids) + 1)]

    got = scaleway_client.get_organizations(iter(ids[:2]))
    assert isinstance(got[0], sp.Organization) and got[0].is_locked_by_partner
    assert isinstance(got[1], sp.ResourceNotFoundError)

    unlocked = scaleway_client.unlock_organizations((o.id for o in orgs), concurrency=1)
    assert [o.locked_by for o in unlocked if isinstance(o, sp.Organization)] == [
        LockedBy.SCALEWAY
    ] * len(orgs)
    again = scaleway_client.unlock_organizations([orgs[0].id])
    assert isinstance(again[0], sp.PreconditionFailedError)
    assert scaleway_client.get_organizations([]) == []


def test_the_bulk_methods_share_one_native_entry(scaleway_client: Client) -> None:
    # One native entry, told which call by a typed value: a name is not matched.
    native: Any = scaleway_client._native
    assert native.bulk(sp._native.BulkMethod.GET_ORGANIZATIONS, []) == []
    with pytest.raises(TypeError):
        native.bulk("get_organizations", [])


def test_progress_callback_errors_propagate(scaleway_client: Client) -> None:
    orgs = [create(scaleway_client) for _ in range(3)]

    def fail(done: int, total: Optional[int]) -> None:
        raise RuntimeError(f"stop at {done}")

    with pytest.raises(RuntimeError, match="stop at 1"):
        scaleway_client.get_organizations([o.id for o in orgs], on_progress=fail)
    with pytest.raises(RuntimeError, match="stop at"):
        scaleway_client.list_organizations(page_size=1).all(on_progress=fail)


def test_with_options_and_per_call_overrides(scaleway_mock: MockServer) -> None:
    client = scaleway_mock.client()
    org = create(client)
    quick = client.with_options(max_retries=0)
    assert isinstance(quick, Client) and repr(quick) == repr(client)
    scaleway_mock.inject_faults({"script": [{"fault": "server_error"}]})
    with pytest.raises(sp.ServerError):
        quick.get_organization(org.id)
    # The original keeps its retries; the per-call override wins over both.
    scaleway_mock.inject_faults({"script": [{"fault": "server_error"}]})
    assert client.get_organization(org.id) == org
    scaleway_mock.inject_faults({"script": [{"fault": "server_error"}]})
    with pytest.raises(sp.ServerError):
        client.get_organization(org.id, max_retries=0)
    scaleway_mock.inject_faults({"script": [{"fault": "server_error"}]})
    assert quick.get_organization(org.id, max_retries=2) == org
    with pytest.raises(sp.ValidationError) as info:
        client.get_organization(org.id, timeout=0)
    assert info.value.field == "timeout"
    client.close()
    assert quick.closed


def test_context_manager_and_repr(scaleway_mock: MockServer) -> None:
    with scaleway_mock.client() as client:
        text = repr(client)
        assert text == (
            f"Client(api_url={scaleway_mock.url!r}, "
            f"secret_key='xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxx{scaleway_mock.secret_key[-4:]}')"
        )
        assert scaleway_mock.secret_key not in text
        assert client.api_url == scaleway_mock.url
        assert not client.closed
    assert client.closed
    with pytest.raises(sp.RequestCancelledError):
        client.list_organizations().page(1)
