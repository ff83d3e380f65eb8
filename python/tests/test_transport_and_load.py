"""Transport security against a real TLS server, records a listing cannot read, and a thousand
calls at once on one client. Figures (connections under load) are printed: ``pytest -s``."""

from __future__ import annotations

import asyncio
import pickle
from typing import List

import pytest

from scaleway_partner import (
    AsyncClient,
    Client,
    ConfigurationError,
    TransportError,
    UndecodableOrganization,
    UndecodableOrganizationsError,
    UnexpectedResponseError,
)
from scaleway_partner.testing import MockServer


def client_of(mock: MockServer, **options: object) -> Client:
    args = {
        "secret_key": mock.secret_key,
        "api_url": mock.url,
        "default_organization_id": mock.organization_id,
        "rate_limit": 0.0,
        "max_retries": 0,
    }
    args.update(options)
    return Client(**args)  # type: ignore[arg-type]


def test_tls_is_verified_by_default_and_trusted_with_ca_cert() -> None:
    with MockServer(tls=True, seed_organizations=3, rate_limit=0) as mock:
        assert mock.url.startswith("https://127.0.0.1:")
        ca = mock.ca_certificate_pem
        assert ca is not None and "BEGIN CERTIFICATE" in ca
        with client_of(mock) as client, pytest.raises(TransportError) as refused:
            client.list_organizations().page(1)
        assert "certificate is not trusted" in str(refused.value)
        assert "ca_certificate_pem" in str(refused.value)
        assert mock.stats()["requests"] == 0
        with client_of(mock, ca_cert=ca) as client:
            assert len(client.list_organizations().all()) == 3
        # The emulator's own client() trusts its authority.
        with mock.client() as client:
            assert client.list_organizations().page(1).total_count == 3
        with pytest.raises(ConfigurationError, match="no PEM certificate"):
            client_of(mock, ca_cert="not a certificate")
        print(f"\nTLS: default refused ({refused.value}); ca_cert accepted")


def test_a_listing_with_an_undecodable_record_loses_none_of_the_others() -> None:
    with MockServer(seed_organizations=5, rate_limit=0) as mock, mock.client() as client:
        ids = [o.id for o in client.list_organizations().all()]
        assert mock.patch_raw(ids[2], set={"created_at": "not a time"})
        page = client.list_organizations().page(1)
        assert len(page.organizations) == 4
        assert page.undecodable == [
            UndecodableOrganization(page=1, index=2, id=ids[2], message=page.undecodable[0].message)
        ]
        assert "invalid timestamp" in page.undecodable[0].message

        seen: List[str] = []

        def iterate() -> None:
            for org in client.list_organizations():
                seen.append(org.id)  # the ones yielded before the error

        with pytest.raises(UndecodableOrganizationsError) as raised:
            iterate()
        assert seen == [i for i in ids if i != ids[2]]
        assert raised.value.organizations == []
        assert [u.id for u in raised.value.undecodable] == [ids[2]]

        with pytest.raises(UnexpectedResponseError) as raised_all:
            client.list_organizations().all()
        err = raised_all.value
        assert isinstance(err, UndecodableOrganizationsError)
        assert err.code == "undecodable_organizations"
        assert [o.id for o in err.organizations] == seen
        assert ids[2] in str(err)
        again = pickle.loads(pickle.dumps(err))
        assert again.undecodable == err.undecodable and len(again.organizations) == 4


async def _thousand_calls(client: AsyncClient, org_id: str) -> int:
    results = await asyncio.gather(
        *(client.get_organization(org_id) for _ in range(1000)), return_exceptions=True
    )
    return sum(1 for r in results if isinstance(r, BaseException))


def test_a_thousand_concurrent_calls_stay_within_the_connection_pool() -> None:
    with MockServer(seed_organizations=1, rate_limit=0, latency={"base_ms": 2}) as mock:
        with mock.client() as sync_client:
            org_id = sync_client.list_organizations().page(1).organizations[0].id
        mock.reset_stats()

        async def run() -> int:
            async with mock.async_client() as client:
                return await _thousand_calls(client, org_id)

        failed = asyncio.run(run())
        stats = mock.stats()
        print(
            f"\nPython, 1000 concurrent calls on one AsyncClient (max_connections 32): {failed} "
            f"failed, {stats['connections']} connections opened, "
            f"{stats['max_open_connections']} open at most, "
            f"{stats['max_in_flight']} requests in flight at most"
        )
        assert failed == 0
        assert stats["by_operation"]["get_organization"] == 1000
        assert stats["max_in_flight"] <= 32
        # A connection goes back to the pool a moment after its request slot is freed: a few
        # more may open meanwhile, never one per call.
        assert stats["max_open_connections"] <= 64
