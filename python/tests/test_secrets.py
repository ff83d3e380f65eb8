"""The secret key and the admin-role password at the most verbose level (issue 14, item 4):
logging at DEBUG for every logger, every operation (both clients) including
``request_admin_role``, and every error path the emulator can produce. Neither appears in any
log record, ``repr``/``str`` of a client, value or error (and its cause), pickled error, the
audit's outputs (text, JSON, HTML, dict), nor the message of a panic of the Rust side."""

from __future__ import annotations

import asyncio
import logging
import pickle
from typing import Any, List

import pytest

import scaleway_partner as sp
from scaleway_partner.audit.terminal import render
from scaleway_partner.testing import MockServer, internal_error

KEY = "5ec2e7a1-4b1d-4c3e-9f00-0123456789ab"
ORG = "7fbc0d5f-9d3e-48e4-8fef-6a4533c9ab2e"
PASSWORD = "Tr0ub4dor-and-correct-horse"
ADMIN = {"username": "partner.admin", "email": "admin@partner.test", "password": PASSWORD}
FAULTS: List[Any] = [
    {"fault": "server_error"},
    {"fault": "reset_after"},
    {"fault": "truncate"},
    {"fault": "rate_limit", "count": 5},
    {
        "fault": "error",
        "status": 429,
        "count": 5,
        "body": {"type": "too_many_requests", "message": "q"},
    },
    {"fault": "redirect"},
    {"fault": "apply_late", "delay_ms": 50},
    {"fault": "error", "status": 400, "body": {"type": "invalid_arguments", "message": "bad"}},
]


def forms(secret: str) -> List[str]:
    return [secret, secret.upper(), secret.replace("-", "")]


def shown(value: Any) -> str:
    """Everything a value shows: repr, str, and for an error its cause, args and pickle."""
    out = [repr(value), str(value)]
    if isinstance(value, BaseException):
        out += [
            repr(value.args),
            repr(getattr(value, "__notes__", None)),
            repr(pickle.dumps(value)),
        ]
        for attr in ("body", "details", "cause"):
            out.append(repr(getattr(value, attr, None)))
        if value.__cause__ is not None:
            out.append(shown(value.__cause__))
    return "\n".join(out)


def exercise(client: Any, mock: MockServer, printed: List[str]) -> None:
    """Every operation of the blocking client, then every error path."""
    org = client.create_organization(
        email="owner@secrets.test",
        organization_name="Secrets",
        owner_firstname="Jane",
        owner_lastname="Doe",
        customer_id="secrets",
    )
    client.request_admin_role(org.id, **ADMIN)
    client.get_organization(org.id)
    client.update_organization(org.id, comment="observed")
    client.lock_organization(org.id)
    client.unlock_organization(org.id)
    client.list_organizations().all()
    list(client.list_organizations(page_size=1))
    client.lock_organizations([org.id])
    client.get_organizations([org.id])
    client.ensure_organization(
        email="owner@secrets.test",
        organization_name="Secrets",
        owner_firstname="Jane",
        owner_lastname="Doe",
        customer_id="secrets",
    )
    report = client.audit()
    printed += [repr(report), str(report), report.to_json(organizations=True), report.to_html()]
    printed += [repr(report.to_dict(organizations=True)), render(report)]
    printed += [repr(client), str(client), repr(org), str(org)]
    # A 429 is retried until the deadline: 0.9 s is shorter than the 1 s it asks to wait.
    quick = client.with_options(timeout=0.3, max_retries=1, total_timeout=0.9)
    for fault in FAULTS:
        mock.inject_faults({"script": [{**fault, "operation": "request_admin_role"}]})
        with pytest.raises(sp.ScalewayError) as caught:
            quick.request_admin_role(org.id, **ADMIN)
        printed.append(shown(caught.value))
        mock.clear_faults()
    for bad in (
        {**ADMIN, "password": PASSWORD + "x" * 72},
        {**ADMIN, "password": PASSWORD + "\x00"},
        {**ADMIN, "username": PASSWORD.replace("-", " ")},
    ):
        with pytest.raises(sp.ValidationError) as caught:
            client.request_admin_role(org.id, **bad)
        printed.append(shown(caught.value))
    with pytest.raises(TypeError) as type_error:
        client.request_admin_role(
            org.id, username="jane", email="a@b.test", password=PASSWORD.encode()
        )
    printed.append(shown(type_error.value))


def panic_now(asynchronous: bool) -> None:
    """A deliberate panic on the Rust side, through the path of every blocking or async call."""
    if asynchronous:

        async def panics() -> None:
            await internal_error(asynchronous=True)

        asyncio.run(panics())
    else:
        internal_error()


def test_secrets_stay_out_of_everything_at_debug(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    sp.refresh_logging()
    printed: List[str] = []
    partners = [{"secret_key": KEY, "organization_id": ORG}]
    with MockServer(rate_limit=0, partners=partners) as mock:
        printed.append(repr(mock))
        with mock.client(create_settle_timeout=0.1) as client:
            exercise(client, mock, printed)

        async def asynchronously() -> None:
            async with mock.async_client() as aclient:
                printed.append(repr(aclient))
                org = (await aclient.list_organizations().all())[0]
                await aclient.request_admin_role(org.id, **ADMIN)
                mock.inject_faults(
                    {"script": [{"fault": "server_error", "operation": "request_admin_role"}]}
                )
                with pytest.raises(sp.ServerError) as caught:
                    await aclient.request_admin_role(org.id, **ADMIN)
                printed.append(shown(caught.value))

        asyncio.run(asynchronously())
        with sp.Client(
            api_url=mock.url, secret_key="99999999-9999-4999-8999-999999999999"
        ) as wrong:
            with pytest.raises(sp.DeniedAuthenticationError) as denied:
                wrong.get_organization(ORG)
            printed.append(shown(denied.value))
    for bad_key in (KEY + "\r\nX-Evil: 1", KEY + "0", KEY.upper().replace("-", "")):
        with pytest.raises(sp.ConfigurationError) as caught:
            sp.Client(api_url="http://127.0.0.1:9", secret_key=bad_key)
        printed.append(shown(caught.value))
    for asynchronous in (False, True):
        with pytest.raises(RuntimeError) as panicked:
            panic_now(asynchronous)
        printed.append(shown(panicked.value))

    records = caplog.records
    assert any(r.levelno == logging.DEBUG for r in records), "DEBUG records were emitted"
    assert any("request_admin_role" in r.getMessage() for r in records)
    logged = [r.getMessage() + repr(r.args) + repr(r.__dict__) for r in records]
    everything = "\n".join(logged + printed)
    for what, secret in (("secret key", KEY), ("password", PASSWORD)):
        for form in forms(secret):
            leaked = [line for line in everything.splitlines() if form in line]
            assert not leaked, f"the {what} leaked: {leaked[0][:300]}"
    print(f"\nsecrets at DEBUG: {len(records)} records, {len(printed)} values and errors, 0 leaks")


@pytest.mark.parametrize("asynchronous", [False, True])
def test_a_panic_of_the_rust_side_is_an_exception(asynchronous: bool) -> None:
    """The path every call takes turns a panic into a RuntimeError: no crash, no hang."""
    with pytest.raises(RuntimeError, match=r"internal error|stopped without a result"):
        panic_now(asynchronous)
    # The runtime still works after it.
    with MockServer(rate_limit=0) as mock, mock.client() as client:
        assert client.list_organizations().page(1).organizations == []
