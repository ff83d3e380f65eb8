"""The official Scaleway Python SDK (PyPI `scaleway`), pointed at the emulator with SCW_API_URL,
drives every Partner API operation and gets typed answers.

The emulator binary comes from SCALEWAY_PARTNER_MOCK_BIN, or is built here with cargo.
"""

import json
import os
import subprocess
import uuid
from pathlib import Path

import pytest
from scaleway import Client
from scaleway.partner.v1 import (
    ListOrganizationsRequestOrderBy,
    OrganizationLockedBy,
    OrganizationStatus,
    PartnerV1API,
)
from scaleway_core.api import ScalewayException

REPO = Path(__file__).resolve().parents[2]


def emulator_binary() -> str:
    given = os.environ.get("SCALEWAY_PARTNER_MOCK_BIN")
    if given:
        return given
    # Ask cargo where it put the binary (honours CARGO_TARGET_DIR).
    out = subprocess.run(
        ["cargo", "build", "-p", "scaleway-partner-mock", "--message-format=json-render-diagnostics"],
        cwd=REPO,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    ).stdout
    for line in out.splitlines():
        message = json.loads(line)
        if (
            message.get("reason") == "compiler-artifact"
            and message.get("executable")
            and message["target"]["name"] == "scaleway-partner-mock"
        ):
            return message["executable"]
    raise RuntimeError("cargo built no scaleway-partner-mock executable")


@pytest.fixture(scope="module")
def emulator():
    process = subprocess.Popen(
        [emulator_binary(), "--rate-limit", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        url = process.stdout.readline().strip()
        assert url.startswith("http://"), url
        values = dict(process.stdout.readline().strip().split("=", 1) for _ in range(2))
        yield url, values["SCW_SECRET_KEY"], values["SCW_DEFAULT_ORGANIZATION_ID"]
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def api(emulator, monkeypatch, tmp_path):
    url, secret_key, organization_id = emulator
    monkeypatch.setenv("SCW_CONFIG_PATH", str(tmp_path / "absent-config.yaml"))
    monkeypatch.setenv("SCW_API_URL", url)
    monkeypatch.setenv("SCW_ACCESS_KEY", "SCWXXXXXXXXXXXXXXXXX")
    monkeypatch.setenv("SCW_SECRET_KEY", secret_key)
    monkeypatch.setenv("SCW_DEFAULT_ORGANIZATION_ID", organization_id)
    client = Client.from_config_file_and_env()
    assert client.api_url == url
    return PartnerV1API(client), organization_id, url


def test_every_operation_through_the_official_sdk(api):
    partner, partner_id, _url = api
    customer = f"sdk-{uuid.uuid4()}"

    created = partner.create_organization(
        partner_id=partner_id,
        email="owner@example.com",
        organization_name="Acme SDK",
        owner_firstname="John",
        owner_lastname="Doe",
        customer_id=customer,
        phone_number="+33123456789",
    )
    assert created.status == OrganizationStatus.LOCKED
    assert created.locked_by == OrganizationLockedBy.SCALEWAY
    assert created.lock_reason_message == "validate_email"
    assert created.created_at.tzinfo is not None and created.locked_at > created.created_at
    assert created.phone_number == "+33123456789"
    assert created.siren_number is None and created.picture_link is None

    listed = partner.list_organizations(
        customer_id=customer,
        order_by=ListOrganizationsRequestOrderBy.CREATED_AT_DESC,
        status=OrganizationStatus.LOCKED,
        page=1,
        page_size=10,
    )
    assert listed.total_count == 1
    assert [o.id for o in listed.organizations] == [created.id]
    assert [o.id for o in partner.list_organizations_all(customer_id=customer)] == [created.id]

    got = partner.get_organization(organization_id=created.id)
    assert got == created

    updated = partner.update_organization(
        organization_id=created.id, name="Acme Renamed", comment="from the official SDK"
    )
    assert updated.name == "Acme Renamed" and updated.comment == "from the official SDK"
    assert updated.customer_id == customer

    locked = partner.lock_organization(organization_id=created.id)
    assert locked.status == OrganizationStatus.LOCKED
    assert locked.locked_by == OrganizationLockedBy.PARTNER
    assert locked.lock_reason_message == "locked_by_reseller"

    unlocked = partner.unlock_organization(organization_id=created.id)
    assert unlocked.locked_by == OrganizationLockedBy.SCALEWAY
    assert unlocked.locked_at == created.locked_at

    assert (
        partner.request_admin_role(
            organization_id=created.id, username="sdk.user", email="admin@example.com", password="pw"
        )
        is None
    )


def test_errors_reach_the_official_sdk_as_its_exceptions(api):
    partner, partner_id, _ = api
    with pytest.raises(ScalewayException) as not_found:
        partner.get_organization(organization_id=str(uuid.uuid4()))
    assert not_found.value.status_code == 404
    assert not_found.value.response.json()["type"] == "not_found"

    with pytest.raises(ScalewayException) as invalid:
        partner.create_organization(
            partner_id=partner_id,
            email="not-an-email",
            organization_name="Acme",
            owner_firstname="John",
            owner_lastname="Doe",
            customer_id="c",
        )
    assert invalid.value.status_code == 400
    assert invalid.value.response.json()["details"][0]["argument_name"] == "email"
