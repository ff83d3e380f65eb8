"""``scaleway_partner.testing.MockServer`` and the pytest plugin."""

from __future__ import annotations

import asyncio
import time
import uuid
from pathlib import Path
from typing import Any, Awaitable, List

import pytest
from conftest import acreate, create, until_async

import scaleway_partner as sp
from scaleway_partner.testing import MockServer

pytest_plugins = ["pytester"]


def test_sync_context_manager_and_properties() -> None:
    with MockServer(rate_limit=0) as mock:
        assert mock.url.startswith("http://127.0.0.1:") and not mock.url.endswith("/")
        assert uuid.UUID(mock.secret_key) and uuid.UUID(mock.organization_id)
        assert mock.partners == [
            {"secret_key": mock.secret_key, "organization_id": mock.organization_id}
        ]
        assert mock.secret_key not in repr(mock)
        assert not mock.closed
        with mock.client() as client:
            assert client.api_url == mock.url
            assert client.default_organization_id == mock.organization_id
    assert mock.closed
    mock.close()  # idempotent
    with pytest.raises(RuntimeError, match="closed"):
        mock.stats()


@pytest.mark.asyncio
async def test_async_context_manager() -> None:
    async with MockServer(rate_limit=0) as mock:
        async with mock.async_client() as client:
            org = await client.create_organization(
                email="a@example.test",
                organization_name="Acme",
                owner_firstname="Jo",
                owner_lastname="Doe",
                customer_id="c",
            )
        assert mock.stats()["by_operation"]["create_organization"] == 1
        assert org.status == "locked"
    assert mock.closed


def test_seeding_is_deterministic() -> None:
    def names(seed: int) -> list:
        with MockServer(seed=seed, seed_organizations=5) as mock:
            return [o.name for o in mock.client().list_organizations()]

    first = names(42)
    assert len(first) == 5
    assert names(42) == first
    assert names(43) != first


def test_partners_and_isolation() -> None:
    partners = [
        {"secret_key": str(uuid.uuid4()), "organization_id": str(uuid.uuid4())} for _ in range(2)
    ]
    with MockServer(partners=partners, rate_limit=0) as mock:
        assert mock.partners == partners
        assert mock.secret_key == partners[0]["secret_key"]
        with (
            mock.client() as mine,
            mock.client(
                secret_key=partners[1]["secret_key"],
                default_organization_id=partners[1]["organization_id"],
            ) as theirs,
        ):
            org = create(mine)
            with pytest.raises(sp.ResourceNotFoundError):
                theirs.get_organization(org.id)


def test_latency_settings() -> None:
    # A lower bound is a real property: the emulator waits at least its latency.
    for latency in (150, {"base_ms": 150}):
        with MockServer(latency=latency, rate_limit=0) as mock, mock.client() as client:
            start = time.perf_counter()
            client.list_organizations().page(1)
            assert time.perf_counter() - start >= 0.14
    with MockServer(latency={"base_ms": 0, "create_ms": 300}, rate_limit=0) as mock:
        with mock.client() as client:
            start = time.perf_counter()
            create(client)
            assert time.perf_counter() - start >= 0.29

        # Only creates are slow: a listing sent while a create is being served ends first.
        async def race() -> List[str]:
            ended: List[str] = []
            async with mock.async_client() as c:

                async def run(name: str, call: Awaitable[Any]) -> None:
                    await call
                    ended.append(name)

                creating = asyncio.ensure_future(run("create", acreate(c)))
                await until_async(lambda: mock.stats()["in_flight"] == 1, "the create")
                await run("list", c.list_organizations().page(1))
                await creating
            return ended

        assert asyncio.run(race()) == ["list", "create"]


def test_rate_limit_and_pacing() -> None:
    with MockServer(rate_limit=5, rate_limit_style="json") as mock:
        assert mock.rate_limit == 5
        # The client paces itself at the emulator's limit: slower, but never refused.
        with mock.client(max_retries=0) as client:
            start = time.perf_counter()
            for _ in range(8):
                client.list_organizations().page(1)
            elapsed = time.perf_counter() - start
        stats = mock.stats()
        assert (stats["rate_limited"], stats["by_status"]["200"]) == (0, 8)
        assert elapsed > 0.4, elapsed
    with MockServer(rate_limit=0) as mock:
        assert mock.rate_limit == 0


def test_fault_injection_and_probabilities() -> None:
    with MockServer(rate_limit=0, seed=1, faults={"server_error": 1.0}) as mock:
        with mock.client(max_retries=0) as client:
            with pytest.raises(sp.ServerError):
                client.list_organizations().page(1)
            mock.clear_faults()
            assert client.list_organizations().page(1).total_count == 0
            mock.inject_faults(
                {"script": [{"fault": "server_error", "count": 2, "operation": "get_organization"}]}
            )
            # Only the named operation is affected.
            assert client.list_organizations().page(1).total_count == 0
            for _ in range(2):
                with pytest.raises(sp.ServerError):
                    client.get_organization(str(uuid.uuid4()))
            with pytest.raises(sp.ResourceNotFoundError):
                client.get_organization(str(uuid.uuid4()))
            assert mock.stats()["faults_injected"] == 3
    with pytest.raises(ValueError, match="fault plan"):
        with MockServer() as mock:
            mock.inject_faults({"script": [{"fault": "earthquake"}]})
    with pytest.raises(ValueError, match="emulator settings"):
        MockServer(rate_limit_style="smoke-signals")
    with pytest.raises(TypeError):
        MockServer().inject_faults({"script": [object()]})


def test_patch_raw_validate_email_and_reset() -> None:
    with MockServer(rate_limit=0, seed_organizations=2, seed=9) as mock:
        with mock.client() as client:
            seeded = client.list_organizations().all()
            org = create(client, siren_number="123456789")
            assert mock.patch_raw(org.id, set={"phone_number": ""}, remove=["siren_number"])
            patched = client.get_organization(org.id)
            assert patched.siren_number is None and patched.phone_number is None
            assert not mock.patch_raw(str(uuid.uuid4()), set={"name": "x"})
            assert mock.validate_email(org.id)
            assert client.get_organization(org.id).status == sp.OrganizationStatus.OPENED
            assert not mock.validate_email(str(uuid.uuid4()))
            mock.reset()
            assert mock.stats()["requests"] == 0
            assert client.list_organizations().all() == seeded


def test_unset_siren_style() -> None:
    with MockServer(rate_limit=0, unset_siren_number="absent") as mock, mock.client() as client:
        assert create(client).siren_number is None


def test_state_file(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    partner = {"secret_key": str(uuid.uuid4()), "organization_id": str(uuid.uuid4())}
    with MockServer(rate_limit=0, state_file=state, partners=[partner]) as mock:
        org = create(mock.client())
    assert state.exists()
    with MockServer(rate_limit=0, state_file=state, partners=[partner]) as mock:
        assert mock.client().get_organization(org.id) == org


def test_pytest_plugin_is_registered(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import asyncio
        import pytest
        from scaleway_partner import AsyncClient, Client
        from scaleway_partner.testing import MockServer

        def test_fixtures(scaleway_mock, scaleway_client):
            assert isinstance(scaleway_mock, MockServer) and isinstance(scaleway_client, Client)
            assert scaleway_mock.rate_limit == 0
            assert scaleway_client.list_organizations().page(1).total_count == 0

        @pytest.mark.scaleway_mock(seed_organizations=4)
        def test_marker(scaleway_client):
            assert len(scaleway_client.list_organizations().all()) == 4

        def test_async(async_scaleway_client):
            assert isinstance(async_scaleway_client, AsyncClient)
            page = asyncio.run(async_scaleway_client.list_organizations().page(1))
            assert page.total_count == 0
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=3)
