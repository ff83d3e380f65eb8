"""Listing edges, in both clients: empty, exact pages, past the end, filters, orders, ``all()``
with progress and concurrency, and lazy iteration."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any, Dict, Iterator, List, Optional, Tuple

import pytest
from conftest import acreate, create

import scaleway_partner as sp
from scaleway_partner import AsyncClient, Client, LockedBy, OrderBy, OrganizationStatus
from scaleway_partner.testing import MockServer


def test_empty_listing(scaleway_client: Client, scaleway_mock: MockServer) -> None:
    pager = scaleway_client.list_organizations()
    assert list(pager) == []
    assert list(pager.pages()) == []
    assert pager.all() == []
    page = pager.page(1)
    assert (page.organizations, page.total_count, page.page, page.page_size) == ([], 0, 1, 100)
    # Lazy: one request for iteration, one for pages(), one for all(), one for page(1).
    assert scaleway_mock.stats()["by_operation"]["list_organizations"] == 4


def test_nothing_is_fetched_before_iteration(
    scaleway_client: Client, scaleway_mock: MockServer
) -> None:
    pager = scaleway_client.list_organizations(page_size=2)
    assert scaleway_mock.stats()["requests"] == 0
    iterator = iter(pager)
    assert scaleway_mock.stats()["requests"] == 0
    next(iterator, None)
    assert scaleway_mock.stats()["requests"] == 1


@pytest.mark.scaleway_mock(seed_organizations=6, seed=7)
def test_exact_pages_and_past_the_end(scaleway_client: Client, scaleway_mock: MockServer) -> None:
    pager = scaleway_client.list_organizations(page_size=3)
    pages = list(pager.pages())
    assert [len(p) for p in pages] == [3, 3]
    # The second page overlaps the first (what proves that nothing slipped between them): it is
    # asked as page 1 of 6, and brings the 3 organizations not yielded yet.
    assert [(p.page, p.page_size) for p in pages] == [(1, 3), (1, 6)]
    assert all(p.total_count == 6 for p in pages)
    # A full page is not the end even when it reaches the total (a total may lie low): a third
    # request, overlapping the second, finds nothing more and is no page of its own.
    assert scaleway_mock.stats()["by_operation"]["list_organizations"] == 3
    everything = [o for p in pages for o in p]
    assert list(pager) == everything == pager.all()
    assert len({o.id for o in everything}) == 6
    past = pager.page(3)
    assert (past.organizations, past.total_count, past.page) == ([], 6, 3)
    with pytest.raises(sp.ValidationError) as info:
        pager.page(0)
    assert info.value.field == "page"
    with pytest.raises(sp.ValidationError):
        pager.page(-1)


@pytest.mark.scaleway_mock(seed_organizations=7, seed=3)
def test_short_last_page(scaleway_client: Client) -> None:
    pages = list(scaleway_client.list_organizations(page_size=3).pages())
    assert [len(p) for p in pages] == [3, 3, 1]


def test_orders(scaleway_client: Client) -> None:
    orgs = [create(scaleway_client) for _ in range(5)]
    asc = list(scaleway_client.list_organizations(order_by=OrderBy.CREATED_AT_ASC, page_size=2))
    desc = list(scaleway_client.list_organizations(order_by="created_at_desc", page_size=2))
    default = scaleway_client.list_organizations(page_size=2).all(concurrency=3)
    assert [o.id for o in asc] == [o.id for o in orgs] == [o.id for o in default]
    assert [o.id for o in desc] == [o.id for o in reversed(orgs)]


def test_filters_combined(scaleway_client: Client, scaleway_mock: MockServer) -> None:
    a = create(scaleway_client, customer_id="shared", email="same@example.test")
    b = create(scaleway_client, customer_id="shared")
    c = create(scaleway_client, customer_id="other", email="same@example.test")
    scaleway_client.lock_organization(a.id)
    scaleway_mock.validate_email(c.id)

    def ids(**filters: Any) -> List[str]:
        return [o.id for o in scaleway_client.list_organizations(**filters)]

    assert ids(customer_id="shared") == [a.id, b.id]
    assert ids(email="SAME@example.test") == [a.id, c.id]
    assert ids(customer_id="shared", email="same@example.test") == [a.id]
    assert ids(status="opened") == [c.id]
    assert ids(status=OrganizationStatus.LOCKED, locked_by=LockedBy.PARTNER) == [a.id]
    assert ids(status="locked", locked_by="scaleway") == [b.id]
    assert ids(status="locked", locked_by="scaleway", customer_id="other") == []
    assert ids(locked_by="unknown_locked_by", order_by="created_at_desc") == [c.id, b.id, a.id]
    page = scaleway_client.list_organizations(customer_id="shared", page_size=1).page(2)
    assert (page.total_count, [o.id for o in page]) == (2, [b.id])


def test_bad_filters_are_refused_at_once(
    scaleway_client: Client, scaleway_mock: MockServer
) -> None:
    cases: List[Tuple[Dict[str, Any], str]] = [
        ({"status": "opend"}, "status"),
        ({"locked_by": "nobody"}, "locked_by"),
        ({"order_by": "name"}, "order_by"),
        ({"page_size": 0}, "page_size"),
        ({"page_size": 101}, "page_size"),
        ({"page_size": -5}, "page_size"),
        ({"customer_id": ""}, "customer_id"),
    ]
    for filters, field in cases:
        with pytest.raises(sp.ValidationError) as info:
            scaleway_client.list_organizations(**filters)
        assert info.value.field == field, filters
    assert scaleway_mock.stats()["requests"] == 0


@pytest.mark.scaleway_mock(seed_organizations=25, seed=11)
def test_all_reports_progress_and_uses_concurrency(
    scaleway_client: Client, scaleway_mock: MockServer
) -> None:
    progress: List[Tuple[int, Optional[int]]] = []
    orgs = scaleway_client.list_organizations(page_size=5).all(
        concurrency=5, on_progress=lambda done, total: progress.append((done, total))
    )
    assert len(orgs) == 25
    assert progress[-1] == (25, 25)
    assert [d for d, _ in progress] == sorted(d for d, _ in progress)
    assert all(t == 25 for _, t in progress)
    # Overlapping pages of up to 10 after the first (5, 10, 9, 8, then the short last one): as
    # many requests as pages of 5 without overlap.
    assert scaleway_mock.stats()["by_operation"]["list_organizations"] == 5
    with pytest.raises(TypeError, match="callable"):
        scaleway_client.list_organizations().all(on_progress=42)  # type: ignore[arg-type]


@pytest.mark.asyncio
@pytest.mark.scaleway_mock(seed_organizations=9, seed=5)
async def test_async_iteration(
    async_scaleway_client: AsyncClient, scaleway_mock: MockServer
) -> None:
    pager = async_scaleway_client.list_organizations(page_size=4)
    lazy = [o async for o in pager]
    pages = [p async for p in pager.pages()]
    assert [len(p) for p in pages] == [4, 4, 1]
    assert lazy == [o for p in pages for o in p] == await pager.all(concurrency=2)
    progress: List[Tuple[int, Optional[int]]] = []
    await pager.all(on_progress=lambda d, t: progress.append((d, t)))
    assert progress[-1] == (9, 9)
    page = await pager.page(3)
    assert (len(page), page.total_count, page.page) == (1, 9, 3)
    assert (await pager.page(4)).organizations == []
    desc = [
        o.id async for o in async_scaleway_client.list_organizations(order_by="created_at_desc")
    ]
    assert desc == [o.id for o in reversed(lazy)]


@pytest.mark.asyncio
async def test_async_empty_and_early_stop(
    async_scaleway_client: AsyncClient, scaleway_mock: MockServer
) -> None:
    c = async_scaleway_client
    assert [o async for o in c.list_organizations()] == []
    assert await c.list_organizations().all() == []
    for _ in range(3):
        await acreate(c)
    scaleway_mock.reset_stats()
    async for org in c.list_organizations(page_size=1):
        assert org.customer_id
        break
    # Stopping after the first item fetched only the first page.
    assert scaleway_mock.stats()["by_operation"]["list_organizations"] == 1


def lock_many(client: Client, mock: MockServer) -> List[str]:
    """Locks every organization of the seeded book that can be locked; their IDs."""
    ids = [o.id for o in client.list_organizations().all()]
    results = client.lock_organizations(ids)
    locked = [r.id for r in results if isinstance(r, sp.Organization)]
    assert len(locked) >= 161, len(locked)
    return locked


@pytest.mark.scaleway_mock(seed_organizations=240, seed=5)
def test_unlocking_while_iterating_leaves_none_behind(
    scaleway_client: Client, scaleway_mock: MockServer
) -> None:
    # Each unlock makes the organization leave the listing: the offset pages shift under the
    # iterator, which reads the listing again for the ones it shifted past.
    locked = lock_many(scaleway_client, scaleway_mock)
    seen: List[str] = []
    for org in scaleway_client.list_organizations(locked_by="partner"):
        seen.append(org.id)
        scaleway_client.unlock_organization(org.id)
    assert sorted(seen) == sorted(locked)  # each once
    assert scaleway_client.list_organizations(locked_by="partner").page(1).total_count == 0


@pytest.mark.asyncio
@pytest.mark.scaleway_mock(seed_organizations=240, seed=6)
async def test_unlocking_while_iterating_async(scaleway_mock: MockServer) -> None:
    with scaleway_mock.client() as setup:
        locked = lock_many(setup, scaleway_mock)
    async with scaleway_mock.async_client() as client:
        seen: List[str] = []
        async for org in client.list_organizations(locked_by="partner"):
            seen.append(org.id)
            await client.unlock_organization(org.id)
        assert sorted(seen) == sorted(locked)
        assert (await client.list_organizations(locked_by="partner").page(1)).total_count == 0


@pytest.fixture
def page_ignoring_server(scaleway_mock: MockServer) -> Iterator[str]:
    """A server (a misbehaving proxy) that answers the same full page whatever ``page`` asks."""
    with scaleway_mock.client() as client:
        orgs = [create(client).to_dict() for _ in range(2)]
    body = json.dumps({"organizations": orgs, "total_count": 10}).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_server_ignoring_page_is_a_listing_changed_error(
    scaleway_mock: MockServer, page_ignoring_server: str
) -> None:
    with scaleway_mock.client(api_url=page_ignoring_server, max_retries=0) as client:
        organizations = iter(client.list_organizations(page_size=2))
        first_page = [next(organizations).id, next(organizations).id]
        with pytest.raises(sp.ListingChangedError) as info:
            next(organizations)
    assert len(set(first_page)) == 2  # the first page, once
    assert info.value.code == "listing_changed" and "page" in str(info.value)


@pytest.mark.asyncio
async def test_a_server_ignoring_page_async(
    scaleway_mock: MockServer, page_ignoring_server: str
) -> None:
    async with scaleway_mock.async_client(api_url=page_ignoring_server) as client:
        with pytest.raises(sp.ListingChangedError):
            _ = [o async for o in client.list_organizations(page_size=2)]
