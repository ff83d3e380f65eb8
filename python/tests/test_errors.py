"""Every error class, each produced for real: by the emulator, injected faults, the core's local
checks, a dead port, a slow emulator, a closed client. Attributes, hierarchy, pickling."""

from __future__ import annotations

import builtins
import json
import pickle
import threading
import typing
import uuid
from typing import Any, Dict, List, Optional

import pytest
from conftest import create, new_org_args, until

import scaleway_partner as sp
from scaleway_partner import Client, _native
from scaleway_partner._errors import _BY_NAME, _from_native
from scaleway_partner.testing import MockServer

# What an error shows: its code and every attribute of the core's error table.
ATTRIBUTES = (
    "code",
    *sorted({a for kind in json.loads(_native.error_kinds()) for a in kind["attributes"]}),
)


def comparable(value: Any) -> Any:
    """An error as its class, message and attributes (exceptions compare by identity)."""
    if isinstance(value, sp.ScalewayError):
        return (type(value), str(value), {n: comparable(getattr(value, n)) for n in ATTRIBUTES})
    return value


def check_common(err: sp.ScalewayError, secret: str) -> None:
    """What every error carries, whatever its class."""
    for name in ATTRIBUTES:
        assert hasattr(err, name), name
    assert str(err) == err.message and err.message
    for text in (str(err), repr(err), str(err.body), str(err.__dict__)):
        assert secret not in text
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is type(err)
    assert str(back) == str(err)
    assert comparable(back) == comparable(err)


def check_api(err: sp.APIError, status: int, type_: str) -> None:
    assert isinstance(err, sp.APIError)
    assert err.status_code == status
    assert err.type == type_
    assert err.request_id is not None and uuid.UUID(err.request_id)
    assert err.body is not None
    assert err.field is None


def inject_error(mock: MockServer, status: int, body: Dict[str, Any]) -> None:
    mock.inject_faults({"script": [{"fault": "error", "status": status, "body": body}]})


@pytest.mark.scaleway_mock(max_body_bytes=400)
def test_invalid_arguments_from_the_api(scaleway_client: Client, scaleway_mock: MockServer) -> None:
    # Valid for the core's checks, but over this emulator's body limit: refused by the API.
    org = create(scaleway_client)
    with pytest.raises(sp.InvalidArgumentsError) as info:
        scaleway_client.update_organization(org.id, comment="x" * 500)
    err = info.value
    check_api(err, 400, "invalid_arguments")
    assert err.code == "invalid_arguments"
    assert err.details is not None
    assert [(d["argument_name"], d["reason"]) for d in err.details] == [("body", "constraint")]
    assert err.details[0]["help_message"]
    check_common(err, scaleway_mock.secret_key)


def test_not_found(scaleway_client: Client, scaleway_mock: MockServer, random_id: str) -> None:
    with pytest.raises(sp.ResourceNotFoundError) as info:
        scaleway_client.get_organization(random_id)
    err = info.value
    check_api(err, 404, "not_found")
    assert (err.code, err.resource, err.resource_id) == ("not_found", "organization", random_id)
    assert err.details is None and err.retry_after is None
    check_common(err, scaleway_mock.secret_key)
    # What a one-line summary cut to its width (pytest's, a log line) shows first.
    summary = f"ResourceNotFoundError: HTTP 404 (not_found, request id {err.request_id}): "
    assert info.exconly().startswith(f"scaleway_partner.{summary}")


def test_denied_authentication(scaleway_mock: MockServer) -> None:
    other_key = str(uuid.uuid4())
    with scaleway_mock.client(secret_key=other_key) as client:
        with pytest.raises(sp.DeniedAuthenticationError) as info:
            client.list_organizations().page(1)
    err = info.value
    check_api(err, 401, "denied_authentication")
    check_common(err, other_key)
    check_common(err, scaleway_mock.secret_key)


def test_permissions_denied(scaleway_client: Client, scaleway_mock: MockServer) -> None:
    with pytest.raises(sp.PermissionsDeniedError) as info:
        scaleway_client.create_organization(**new_org_args(partner_id=str(uuid.uuid4())))
    err = info.value
    check_api(err, 403, "permissions_denied")
    assert err.details == [{"resource": "organization", "action": "create"}]
    check_common(err, scaleway_mock.secret_key)


def test_precondition_failed(scaleway_client: Client, scaleway_mock: MockServer) -> None:
    org = create(scaleway_client)
    with pytest.raises(sp.PreconditionFailedError) as info:
        scaleway_client.unlock_organization(org.id)
    check_api(info.value, 412, "precondition_failed")
    assert "organization_locked_by_partner" in str(info.value)
    assert info.value.precondition == "organization_locked_by_partner"
    assert info.value.help_message
    check_common(info.value, scaleway_mock.secret_key)


@pytest.mark.parametrize(
    ("cls", "status", "body", "resource_id"),
    [
        (
            sp.ResourceLockedError,
            423,
            {"type": "locked", "message": "resource is locked", "resource": "organization"},
            True,
        ),
        (
            sp.TransientStateError,
            409,
            {
                "type": "transient_state",
                "message": "resource is in a transient state",
                "resource": "organization",
                "current_state": "locking",
            },
            True,
        ),
        (
            sp.AlreadyExistsError,
            409,
            {"type": "already_exists", "message": "resource already exists"},
            True,
        ),
        (
            sp.QuotasExceededError,
            403,
            {
                "type": "quotas_exceeded",
                "message": "quota(s) exceeded for this resource",
                "details": [{"resource": "organizations", "quota": 10, "current": 10}],
            },
            False,
        ),
        (
            sp.APIError,
            409,
            {"type": "some_future_error", "message": "something new"},
            False,
        ),
    ],
)
def test_injected_api_errors(
    scaleway_client: Client,
    scaleway_mock: MockServer,
    cls: type,
    status: int,
    body: Dict[str, Any],
    resource_id: bool,
) -> None:
    org_id = str(uuid.uuid4())
    if resource_id:
        body = dict(body, resource="organization", resource_id=org_id)
    inject_error(scaleway_mock, status, body)
    with pytest.raises(sp.APIError) as info:
        scaleway_client.get_organization(org_id, max_retries=0)
    err = info.value
    assert type(err) is cls
    check_api(err, status, body["type"])
    assert f"): {body['message']}" in err.message, (
        "the API's message after status, type and request ID"
    )
    if resource_id:
        assert (err.resource, err.resource_id) == ("organization", org_id)
    if cls is sp.QuotasExceededError:
        assert err.details == [{"resource": "organizations", "quota": 10, "current": 10}]
    assert (
        err.code
        == {
            sp.ResourceLockedError: "resource_locked",
            sp.TransientStateError: "transient_state",
            sp.AlreadyExistsError: "already_exists",
            sp.QuotasExceededError: "quotas_exceeded",
            sp.APIError: "api_error",
        }[cls]
    )
    check_common(err, scaleway_mock.secret_key)


@pytest.mark.scaleway_mock(rate_limit_style="json")
def test_too_many_requests(scaleway_client: Client, scaleway_mock: MockServer) -> None:
    scaleway_mock.inject_faults({"script": [{"fault": "rate_limit"}]})
    with pytest.raises(sp.TooManyRequestsError) as info:
        # A 429 is retried until the deadline: 0.9 s is shorter than the 1 s it asks to wait.
        scaleway_client.list_organizations(max_retries=0, total_timeout=0.9).page(1)
    err = info.value
    assert err.status_code == 429 and err.code == "too_many_requests"
    assert isinstance(err.retry_after, float) and err.retry_after > 0
    assert err.help_message
    assert err.precondition is None
    check_common(err, scaleway_mock.secret_key)


def test_too_many_requests_gateway_style(scaleway_mock: MockServer) -> None:
    scaleway_mock.inject_faults({"script": [{"fault": "rate_limit"}]})
    # A bare 429 waits out the gateway's 1 s window, past this deadline: it surfaces.
    with scaleway_mock.client(max_retries=0, total_timeout=0.9) as client:
        with pytest.raises(sp.TooManyRequestsError) as info:
            client.list_organizations().page(1)
    assert info.value.status_code == 429
    assert info.value.body == ""
    assert info.value.type is None


def test_server_error(scaleway_client: Client, scaleway_mock: MockServer, random_id: str) -> None:
    scaleway_mock.inject_faults({"script": [{"fault": "server_error"}]})
    with pytest.raises(sp.ServerError) as info:
        scaleway_client.get_organization(random_id, max_retries=0)
    err = info.value
    assert err.status_code in (502, 503) and err.code == "server_error"
    assert err.body is not None and "<html" in err.body.lower()
    check_common(err, scaleway_mock.secret_key)


def test_server_errors_are_retried(scaleway_mock: MockServer) -> None:
    scaleway_mock.inject_faults({"script": [{"fault": "server_error", "count": 2}]})
    with scaleway_mock.client(max_retries=3) as client:
        page = client.list_organizations().page(1)
    assert page.total_count == 0
    stats = scaleway_mock.stats()
    assert (stats["faults_injected"], stats["requests"]) == (2, 3)


def test_validation_error_is_a_value_error(scaleway_mock: MockServer) -> None:
    with scaleway_mock.client() as client:
        with pytest.raises(sp.ValidationError) as info:
            client.create_organization(**new_org_args(email=None))
        err = info.value
        assert isinstance(err, ValueError) and isinstance(err, sp.ScalewayError)
        assert not isinstance(err, sp.APIError)
        assert (err.code, err.field) == ("validation", "email")
        assert err.status_code is None and err.request_id is None and err.body is None
        check_common(err, scaleway_mock.secret_key)
        with pytest.raises(sp.ValidationError, match="organization_id") as info:
            client.get_organization("not-a-uuid")
        assert info.value.field == "organization_id"
    # Refused locally: nothing reached the emulator.
    assert scaleway_mock.stats()["requests"] == 0


def test_configuration_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    monkeypatch.setenv("SCW_CONFIG_PATH", str(tmp_path / "none.yaml"))
    monkeypatch.delenv("SCW_SECRET_KEY", raising=False)
    with pytest.raises(sp.ConfigurationError, match="SCW_SECRET_KEY") as info:
        Client()
    assert info.value.code == "configuration"
    secret = "not-a-uuid-but-secret"
    with pytest.raises(sp.ConfigurationError) as info:
        Client(secret_key=secret)
    check_common(info.value, secret)
    with pytest.raises(sp.ConfigurationError, match="api_url"):
        Client(secret_key=str(uuid.uuid4()), api_url="ftp://x")
    with pytest.raises(sp.ConfigurationError, match="timeout"):
        Client(secret_key=str(uuid.uuid4()), timeout=-1)
    with pytest.raises(sp.ConfigurationError, match="page_concurrency"):
        Client(secret_key=str(uuid.uuid4()), page_concurrency=0)


@pytest.mark.scaleway_mock(latency=2000)
def test_timeout_is_also_the_builtin(scaleway_mock: MockServer, random_id: str) -> None:
    with scaleway_mock.client(timeout=0.2, max_retries=0) as client:
        with pytest.raises(builtins.TimeoutError) as info:
            client.get_organization(random_id)
    err = info.value
    assert isinstance(err, sp.APITimeoutError) and isinstance(err, sp.ScalewayError)
    assert isinstance(err, OSError)
    assert err.code == "timeout" and err.status_code is None
    # Raised before the answer: the emulator had not answered anything yet.
    assert scaleway_mock.stats()["by_status"] == {}
    assert err.attempts == 1 and err.elapsed is not None
    assert "1 attempt" in str(err)
    check_common(err, scaleway_mock.secret_key)


def test_transport_error(dead_url: str, random_id: str) -> None:
    secret = str(uuid.uuid4())
    with Client(secret_key=secret, api_url=dead_url, max_retries=0) as client:
        with pytest.raises(sp.TransportError) as info:
            client.get_organization(random_id)
    assert info.value.code == "transport" and info.value.status_code is None
    check_common(info.value, secret)


def test_unexpected_response(scaleway_client: Client, scaleway_mock: MockServer) -> None:
    org = create(scaleway_client)
    scaleway_mock.patch_raw(org.id, set={"created_at": "not a date"})
    with pytest.raises(sp.UnexpectedResponseError) as info:
        scaleway_client.get_organization(org.id, max_retries=0)
    err = info.value
    assert err.status_code == 200 and err.code == "unexpected_response"
    assert err.request_id is not None
    assert err.body is not None and "not a date" in err.body
    check_common(err, scaleway_mock.secret_key)


@pytest.mark.scaleway_mock(latency=1000)
def test_closing_a_client_cancels_its_calls(scaleway_mock: MockServer, random_id: str) -> None:
    client = scaleway_mock.client()
    view = client.with_options(timeout=30)
    errors: List[BaseException] = []

    def call() -> None:
        try:
            view.get_organization(random_id)
        except BaseException as e:
            errors.append(e)

    thread = threading.Thread(target=call)
    thread.start()
    until(lambda: scaleway_mock.stats()["in_flight"] == 1, "the request")
    client.close()
    thread.join()
    # Cancelled before the answer came (the emulator answers after a second).
    assert scaleway_mock.stats()["by_status"] == {}
    assert len(errors) == 1 and isinstance(errors[0], sp.RequestCancelledError)
    assert errors[0].code == "cancelled"
    check_common(errors[0], scaleway_mock.secret_key)  # type: ignore[arg-type]
    assert client.closed and view.closed
    with pytest.raises(sp.RequestCancelledError):
        client.get_organization(random_id)


def test_classes_are_the_core_table() -> None:
    """Every kind of the core's error table has its class, under the parent the table names,
    declaring the attributes its kind adds to its parent's, and only those; and no other class
    (the map equals the table)."""
    table = json.loads(_native.error_kinds())
    assert set(_BY_NAME) == {k["class_name"] for k in table} | {"ScalewayError"}
    by_code = {k["code"]: k for k in table}
    for kind in table:
        cls = _BY_NAME[kind["class_name"]]
        assert cls._code == kind["code"]
        assert set(kind["attributes"]) <= set(cls._attributes)
        assert cls.__bases__[0].__name__ == kind["parent_class"]
        assert getattr(sp, cls.__name__) is cls and cls.__name__ in sp.__all__
        assert cls.__module__ == "scaleway_partner"
        inherited = by_code[kind["parent"]]["attributes"] if kind["parent"] else []
        own = [a for a in kind["attributes"] if a not in inherited]
        assert list(vars(cls).get("__annotations__", {})) == own, cls.__name__
        public = {n: h for n, h in typing.get_type_hints(cls).items() if not n.startswith("_")}
        for name, hint in public.items():
            assert name in ("message", "code", *cls._attributes), f"{cls.__name__}.{name}"
            assert hint is not None
    assert typing.get_type_hints(sp.APIError)["status_code"] == Optional[int]
    root = typing.get_type_hints(sp.ScalewayError)
    assert {n for n in root if not n.startswith("_")} == {"message", "code"}
    # Subclasses of a built-in where Python expects one, without shadowing its name.
    assert issubclass(sp.ValidationError, ValueError)
    assert issubclass(sp.APITimeoutError, builtins.TimeoutError)
    assert not {"TimeoutError", "CancelledError"} & set(sp.__all__)


def test_a_class_carries_its_own_attributes_only() -> None:
    # Another kind's attribute reads as None (code handling every error alike), but is neither
    # held nor accepted.
    err = sp.ValidationError("invalid email: bad", field="email")
    assert (err.field, err.status_code, err.location_host) == ("email", None, None)
    assert "status_code" not in vars(err)
    with pytest.raises(TypeError, match="status_code"):
        sp.ValidationError("x", field="email", status_code=400)
    with pytest.raises(AttributeError):
        err.no_such_attribute  # noqa: B018 - the lookup is the test


@pytest.mark.parametrize(
    ("class_name", "code", "status", "expected"),
    [
        ("ResourceNotFoundError", "not_found", 404, sp.ResourceNotFoundError),
        # What the core names for a code it does not know (its one fallback rule).
        ("APIError", "from_a_newer_core", 418, sp.APIError),
        ("ScalewayError", "from_a_newer_core", None, sp.ScalewayError),
    ],
)
def test_errors_take_the_class_the_core_names(
    class_name: str, code: str, status: Optional[int], expected: type
) -> None:
    attrs = {} if status is None else {"status_code": status}
    err = _from_native(class_name, code, "m", attrs)
    assert type(err) is expected and err.code == code and err.status_code == status


def test_user_raised_errors_pickle() -> None:
    # A user can raise them too (in tests of their own code), with the same attributes.
    err = sp.ResourceNotFoundError("gone", status_code=404, resource_id="x")
    assert (err.code, err.status_code, err.resource_id, err.details) == (
        "not_found",
        404,
        "x",
        None,
    )
    assert pickle.loads(pickle.dumps(err)).resource_id == "x"


def test_redirects_are_never_followed(
    scaleway_client: Client, scaleway_mock: MockServer, random_id: str
) -> None:
    scaleway_mock.inject_faults({"script": [{"fault": "redirect"}]})
    with pytest.raises(sp.RedirectError) as info:
        scaleway_client.get_organization(random_id)
    err = info.value
    assert (err.code, err.status_code, err.location_host) == ("redirect", 307, "localhost")
    assert "api_url" in str(err)
    # One request: not followed, not retried.
    assert scaleway_mock.stats()["requests"] == 1
    check_common(err, scaleway_mock.secret_key)
    elsewhere = "https://collector.example.test/steal"
    scaleway_mock.inject_faults(
        {"script": [{"fault": "redirect", "status": 308, "location": elsewhere}]}
    )
    with pytest.raises(sp.RedirectError) as info:
        scaleway_client.lock_organization(random_id)
    assert (info.value.status_code, info.value.location_host) == (308, "collector.example.test")
    assert scaleway_mock.stats()["requests"] == 2


@pytest.mark.parametrize("cls", [Client, sp.AsyncClient])
def test_plain_http_to_another_machine_is_refused(cls: Any) -> None:
    secret = str(uuid.uuid4())
    url = "http://partner-api.example.test"
    # Refused when the client is built: nothing is resolved or connected.
    with pytest.raises(sp.ConfigurationError, match="clear text") as info:
        cls(secret_key=secret, api_url=url)
    check_common(info.value, secret)
    client = cls(secret_key=secret, api_url=url, allow_insecure_http=True)
    assert client.api_url.startswith(url)
    client._native.close()
    # This machine is always allowed, and https anywhere.
    cls(secret_key=secret, api_url="http://127.0.0.1:9")._native.close()
    cls(secret_key=secret, api_url="https://partner-api.example.test")._native.close()


@pytest.mark.parametrize(
    ("code", "cls", "attrs"),
    [
        (
            "create_unconfirmed",
            sp.CreateUnconfirmedError,
            {
                "customer_id": "c-1",
                "email": "o@example.test",
                "status_code": 504,
                "cause": sp.ServerError("gateway timeout", status_code=504, request_id="r"),
            },
        ),
        ("conflict", sp.ConflictError, {"customer_id": "c-1", "organization_ids": ["a", "b"]}),
        ("listing_changed", sp.ListingChangedError, {}),
        ("redirect", sp.RedirectError, {"status_code": 307, "location_host": "elsewhere"}),
    ],
)
def test_new_kinds_map_to_their_class(code: str, cls: type, attrs: Dict[str, Any]) -> None:
    from scaleway_partner._errors import _from_native

    err = _from_native(cls.__name__, code, "what happened", attrs)
    assert type(err) is cls and err.code == code
    for name in ATTRIBUTES:
        if name != "code":
            assert getattr(err, name) == attrs.get(name), name
    check_common(err, "no secret here")


def test_total_timeout_ends_the_whole_call(scaleway_mock: MockServer, random_id: str) -> None:
    # Every attempt fails fast and retries are left: only the total timeout ends the call.
    faults = {"script": [{"fault": "server_error", "count": 50, "operation": "get_organization"}]}
    scaleway_mock.inject_faults(faults)
    with scaleway_mock.client(max_retries=40) as client:
        with pytest.raises(sp.APITimeoutError) as info:
            client.get_organization(random_id, total_timeout=0.5)
        assert info.value.code == "timeout" and info.value.status_code is None
        assert "total timeout" in str(info.value)
        with pytest.raises(sp.APITimeoutError):
            client.with_options(total_timeout=0.3).get_organization(random_id)
    with scaleway_mock.client(max_retries=40, total_timeout=0.3) as client:
        with pytest.raises(sp.APITimeoutError):
            client.get_organization(random_id)
    check_common(info.value, scaleway_mock.secret_key)
