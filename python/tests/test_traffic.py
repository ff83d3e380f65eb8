"""What a client shows and shapes of its HTTP traffic: the hook's events, log records with
``extra`` fields at the level Python's logger has now, default headers, proxies (the
environment's never for this machine, an explicit one always), and ``with_raw_response``."""

from __future__ import annotations

import asyncio
import http.client
import http.server
import importlib.util
import logging
import threading
import urllib.parse
from pathlib import Path
from types import ModuleType
from typing import Iterator, List, Tuple

import pytest
from conftest import acreate, create

import scaleway_partner as sp
from scaleway_partner.testing import MockServer

MISSING = "00000000-0000-4000-8000-000000000000"


class CountingProxy(http.server.ThreadingHTTPServer):
    """A forward proxy for plain http:// that records each request line and its headers."""

    def __init__(self) -> None:
        self.seen: List[Tuple[str, http.client.HTTPMessage]] = []
        super().__init__(("127.0.0.1", 0), _Forward)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Forward(http.server.BaseHTTPRequestHandler):
    server: CountingProxy

    def _forward(self) -> None:
        self.server.seen.append((f"{self.command} {self.path}", self.headers))
        target = urllib.parse.urlsplit(self.path)
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {k: v for k, v in self.headers.items() if k.lower() != "proxy-connection"}
        upstream = http.client.HTTPConnection(target.netloc)
        upstream.request(self.command, f"{target.path}?{target.query}", body, headers)
        answer = upstream.getresponse()
        data = answer.read()
        self.send_response(answer.status)
        for k, v in answer.getheaders():
            if k.lower() not in ("transfer-encoding", "connection", "content-length"):
                self.send_header(k, v)
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        upstream.close()

    do_GET = do_POST = do_PATCH = _forward

    def log_message(self, fmt: str, *args: object) -> None:
        pass


@pytest.fixture
def proxy() -> Iterator[CountingProxy]:
    server = CountingProxy()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_the_hook_sees_each_attempt_and_retry_never_the_key(scaleway_mock: MockServer) -> None:
    events: List[sp.TrafficEvent] = []
    with scaleway_mock.client(hook=events.append) as client:
        org = create(client)
        events.clear()
        fault = {"fault": "error", "status": 503, "count": 1, "body": {"message": "later"}}
        scaleway_mock.inject_faults({"script": [fault]})
        client.get_organization(org.id)
    seen = [(e["event"], e["attempt"], e.get("status")) for e in events]
    assert seen == [
        ("request", 1, None),
        ("response", 1, 503),
        ("retry", 1, 503),
        ("request", 2, None),
        ("response", 2, 200),
    ], events
    for e in events:
        assert e["operation"] == "get_organization"
        assert (e["method"], e["path"]) == ("GET", f"/partner/v1/organizations/{org.id}")
    last = events[-1]
    assert last["event"] == "response"
    assert last["request_id"] and last["error"] is None and last["duration"] >= 0
    retry = events[2]
    assert retry["event"] == "retry" and retry["error"] == "server_error" and retry["delay"] > 0
    assert scaleway_mock.secret_key not in repr(events)


def test_a_hook_that_raises_is_logged_and_the_call_goes_on(
    scaleway_mock: MockServer, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(event: sp.TrafficEvent) -> None:
        raise RuntimeError(f"hook bug on {event['event']}")

    with scaleway_mock.client(hook=broken) as client:
        org = create(client)
    assert org.id
    failures = [r for r in caplog.records if "hook" in r.getMessage() and r.exc_info]
    assert failures, caplog.records
    assert failures[0].levelno == logging.WARNING and failures[0].name == "scaleway_partner"
    assert isinstance(failures[0].exc_info[1], RuntimeError)  # type: ignore[index]


@pytest.mark.asyncio
async def test_the_async_client_has_the_same_hook(scaleway_mock: MockServer) -> None:
    events: List[sp.TrafficEvent] = []
    async with scaleway_mock.async_client(hook=events.append) as client:
        with pytest.raises(sp.ResourceNotFoundError):
            await client.get_organization(MISSING)
    assert [(e["event"], e.get("status"), e.get("error")) for e in events] == [
        ("request", None, None),
        ("response", 404, "not_found"),
    ]


def test_records_carry_extra_fields_at_the_level_set_after_the_client_exists(
    scaleway_mock: MockServer, caplog: pytest.LogCaptureFixture
) -> None:
    logger = logging.getLogger("scaleway_partner")
    caplog.set_level(logging.DEBUG, logger="scaleway_partner")  # the handler's; restored after
    logger.setLevel(logging.INFO)
    with scaleway_mock.client() as client:
        org = create(client)
        assert not [r for r in caplog.records if r.levelno == logging.DEBUG]
        # Only the logger's level changes: no refresh call.
        logger.setLevel(logging.DEBUG)
        client.get_organization(org.id)
        logger.setLevel(logging.INFO)
        client.get_organization(org.id)
    answered = [r for r in caplog.records if getattr(r, "event", None) == "response"]
    assert len(answered) == 1, [r.getMessage() for r in caplog.records]
    record = answered[0]
    assert record.levelno == logging.DEBUG
    assert record.name == "scaleway_partner.client.call"
    assert (record.method, record.path) == ("GET", f"/partner/v1/organizations/{org.id}")  # type: ignore[attr-defined]
    assert (record.status, record.attempt) == (200, 1)  # type: ignore[attr-defined]
    assert record.request_id and record.request_id in record.getMessage()  # type: ignore[attr-defined]
    assert isinstance(record.duration, float)  # type: ignore[attr-defined]


def test_default_headers_go_with_every_request_and_cannot_replace_the_clients_own(
    scaleway_mock: MockServer, proxy: CountingProxy
) -> None:
    headers = {"X-Trace-Id": "trace-42", "x-tenant": "blue"}
    with scaleway_mock.client(default_headers=headers, proxy=proxy.url) as client:
        create(client)
    (_, head), *_ = proxy.seen
    assert (head["x-trace-id"], head["x-tenant"]) == ("trace-42", "blue")
    for bad in ({"User-Agent": "mine"}, {"X-Auth-Token": scaleway_mock.secret_key}, {"a b": "x"}):
        with pytest.raises(sp.ConfigurationError, match="default_headers"):
            scaleway_mock.client(default_headers=bad)
    with pytest.raises(TypeError, match="str to str; 'X-Count' maps to int"):
        scaleway_mock.client(default_headers={"X-Count": 1})  # type: ignore[dict-item]
    with pytest.raises(TypeError, match="str to str, not list"):
        scaleway_mock.client(default_headers=[("X-Count", "1")])  # type: ignore[arg-type]


def test_proxies_from_the_environment_never_apply_to_this_machine(
    scaleway_mock: MockServer, monkeypatch: pytest.MonkeyPatch, dead_url: str
) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "all_proxy"):
        monkeypatch.setenv(name, dead_url)
    with scaleway_mock.client(max_retries=0) as client:
        assert create(client).id


def test_an_explicit_proxy_carries_every_call_unless_no_proxy_says_otherwise(
    scaleway_mock: MockServer, proxy: CountingProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    with scaleway_mock.client(proxy=proxy.url) as client:
        org = create(client)
        client.get_organization(org.id)
    assert [line for line, _ in proxy.seen] == [
        f"POST {scaleway_mock.url}/partner/v1/organizations",
        f"GET {scaleway_mock.url}/partner/v1/organizations/{org.id}",
    ]
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    with scaleway_mock.client(proxy=proxy.url) as client:
        client.get_organization(org.id)
    assert len(proxy.seen) == 2
    with pytest.raises(sp.ConfigurationError, match="proxy") as bad:
        scaleway_mock.client(proxy="not a url :user:secret@")
    assert "secret" not in str(bad.value)


def test_with_raw_response_gives_the_value_with_its_status_request_id_and_headers(
    scaleway_mock: MockServer,
) -> None:
    events: List[sp.TrafficEvent] = []
    with scaleway_mock.client(hook=events.append) as client:
        org = create(client)
        response = client.with_raw_response.get_organization(org.id)
        assert response.parse() == org
        assert response.status_code == 200
        assert response.request_id == events[-1].get("request_id")
        assert response.headers["X-Request-Id"] == response.request_id
        assert "json" in response.headers["content-type"]
        # Another method, through a view: the same generic wrapper.
        locked = client.with_raw_response.with_options(timeout=5.0).lock_organization(org.id)
        assert locked.parse().locked_by == sp.LockedBy.PARTNER
        assert locked.request_id != response.request_id
        assert client.with_raw_response.api_url == client.api_url
        # A batch gives its last answer's; an empty one sent nothing.
        assert client.with_raw_response.get_organizations([org.id]).status_code == 200
        empty = client.with_raw_response.get_organizations([])
        assert (empty.parse(), empty.status_code, dict(empty.headers)) == ([], None, {})
        with pytest.raises(sp.ResourceNotFoundError):
            client.with_raw_response.get_organization(MISSING)
        with pytest.raises(AttributeError):
            client.with_raw_response.list_organizations  # type: ignore[attr-defined]  # noqa: B018


@pytest.mark.asyncio
async def test_with_raw_response_on_the_async_client_keeps_concurrent_calls_apart(
    scaleway_mock: MockServer,
) -> None:
    async with scaleway_mock.async_client() as client:
        a, b = await acreate(client), await acreate(client)
        ra, rb = await asyncio.gather(
            client.with_raw_response.get_organization(a.id),
            client.with_raw_response.get_organization(b.id),
        )
    assert (ra.parse().id, rb.parse().id) == (a.id, b.id)
    assert ra.status_code == rb.status_code == 200
    assert ra.request_id and rb.request_id and ra.request_id != rb.request_id
    assert ra.headers["x-request-id"] == ra.request_id


def _typed_usage() -> ModuleType:
    path = Path(__file__).parent / "typing" / "traffic_types.py"
    spec = importlib.util.spec_from_file_location("traffic_types", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.asyncio
async def test_the_type_checked_usage_runs(scaleway_mock: MockServer) -> None:
    typed = _typed_usage()
    seen: List[sp.TrafficEvent] = []
    client = typed.client_with_hook(scaleway_mock.url, scaleway_mock.secret_key, seen)
    with client:
        org = create(client, partner_id=scaleway_mock.partners[0]["organization_id"])
        assert typed.use(client, org.id) == org
    assert typed.durations(seen) and all(d >= 0 for d in typed.durations(seen))
    async with scaleway_mock.async_client() as aclient:
        assert await typed.use_async(aclient, org.id) == org
