"""Settings named as a Python caller writes them, and one rule per number: the core says which
setting is wrong and what is wrong, the binding names it; a call's number gets the words of the
client option of the same name."""

from __future__ import annotations

import math
from typing import Any, Callable, Dict

import pytest

import scaleway_partner as sp
from scaleway_partner.testing import MockServer

ORG_ID = "6f4049e3-5910-4283-bb02-382ef15aa460"


def client_error(mock: MockServer, **options: Any) -> str:
    with pytest.raises(sp.ConfigurationError) as info:
        mock.client(**options)
    return str(info.value)


def test_configuration_errors_name_the_keyword_argument(scaleway_mock: MockServer) -> None:
    shown = client_error(scaleway_mock, default_organization_id="nope")
    assert "default_organization_id must be a UUID" in shown, shown
    shown = client_error(scaleway_mock, api_url="http://example.test")
    assert "api_url" in shown and "allow_insecure_http" in shown, shown
    shown = client_error(scaleway_mock, ca_cert="not a certificate")
    assert shown.startswith("configuration error: ca_cert holds no PEM"), shown


def test_a_change_without_target_names_the_option_a_python_caller_sets(
    scaleway_client: sp.Client,
) -> None:
    with pytest.raises(sp.ValidationError) as info:
        scaleway_client.lock_organization("")
    assert "default_organization_id" in str(info.value), info.value


def test_a_missing_default_organization_names_the_variable_and_the_keyword(
    scaleway_mock: MockServer,
) -> None:
    with scaleway_mock.client(default_organization_id=None) as client:
        with pytest.raises(sp.ValidationError) as info:
            client.get_organization()
    shown = str(info.value)
    assert "SCW_DEFAULT_ORGANIZATION_ID" in shown and "default_organization_id" in shown, shown


# (client option, per-call keyword, value): the same value, refused by the same rule.
BAD_NUMBERS = [
    (option, value)
    for option in ("timeout", "total_timeout")
    for value in (0, -1.5, math.nan, math.inf, 1e300)
] + [("max_retries", -1), ("max_retries", -(2**40)), ("max_retries", 2**40)]


@pytest.mark.parametrize(("option", "value"), BAD_NUMBERS)
def test_a_call_number_gets_the_client_options_rule_and_words(
    scaleway_mock: MockServer, scaleway_client: sp.Client, option: str, value: Any
) -> None:
    client_message = client_error(scaleway_mock, **{option: value})
    prefix = f"configuration error: {option} "
    assert client_message.startswith(prefix), client_message
    rule = client_message[len(prefix) :]
    before = scaleway_mock.stats()["requests"]
    calls: Dict[str, Callable[[], Any]] = {
        "call": lambda: scaleway_client.get_organization(ORG_ID, **{option: value}),
        "view": lambda: scaleway_client.with_options(**{option: value}),
    }
    for how, call in calls.items():
        with pytest.raises(sp.ValidationError) as info:
            call()
        assert info.value.field == option, how
        assert str(info.value) == f"invalid {option}: {rule}", how
    assert scaleway_mock.stats()["requests"] == before


@pytest.mark.parametrize("value", [0, -2])
def test_a_call_concurrency_gets_the_bulk_concurrency_rule(
    scaleway_mock: MockServer, scaleway_client: sp.Client, value: int
) -> None:
    rule = client_error(scaleway_mock, bulk_concurrency=value).split("bulk_concurrency ", 1)[1]
    with pytest.raises(sp.ValidationError) as info:
        scaleway_client.lock_organizations([ORG_ID], concurrency=value)
    assert str(info.value) == f"invalid concurrency: {rule}"
    page_rule = client_error(scaleway_mock, page_concurrency=value).split("page_concurrency ", 1)[1]
    with pytest.raises(sp.ValidationError) as info:
        scaleway_client.list_organizations().all(concurrency=value)
    assert str(info.value) == f"invalid concurrency: {page_rule}"
