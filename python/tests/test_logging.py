"""Records of the Rust core reach Python's ``logging`` under ``scaleway_partner``; with DEBUG
on, neither the secret key nor a password ever shows in any record."""

from __future__ import annotations

import logging

import pytest
from conftest import create, until

import scaleway_partner as sp
from scaleway_partner.testing import MockServer

PASSWORD = "Hunter2-very-secret-passw0rd"


def test_records_and_secrets(scaleway_mock: MockServer, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    sp.refresh_logging()
    with scaleway_mock.client() as client:
        org = create(client)
        client.request_admin_role(
            org.id, username="jane", email="jane@example.test", password=PASSWORD
        )
        scaleway_mock.inject_faults({"script": [{"fault": "server_error"}]})
        client.get_organization(org.id)  # retried once: a warning
        with pytest.raises(sp.ResourceNotFoundError):
            client.get_organization("00000000-0000-4000-8000-000000000000")
    # The emulator's records come from its own tasks, handed to `logging` by a background thread.
    until(
        lambda: any(r.name.startswith("scaleway_partner.mock") for r in caplog.records),
        "the emulator's records",
    )
    records = caplog.records
    names = {r.name for r in records}
    assert names, "no record at all"
    # Only our loggers: the HTTP stack's records are not forwarded.
    assert all(n == "scaleway_partner" or n.startswith("scaleway_partner.") for n in names), names
    assert any(n.startswith("scaleway_partner.client") for n in names), names
    assert any(n.startswith("scaleway_partner.mock") for n in names), names
    messages = [r.getMessage() for r in records]
    assert any("get_organization" in m and "answered" in m for m in messages)
    retries = [r for r in records if r.levelno == logging.WARNING and "retrying" in r.getMessage()]
    assert retries, messages
    for record in records:
        text = record.getMessage() + repr(record.args) + repr(record.__dict__)
        assert scaleway_mock.secret_key not in text, record
        assert PASSWORD not in text, record


def test_levels_are_honoured(scaleway_mock: MockServer, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    caplog.set_level(logging.WARNING, logger="scaleway_partner")
    sp.refresh_logging()
    with scaleway_mock.client() as client:
        create(client)
    assert [r for r in caplog.records if r.name.startswith("scaleway_partner")] == []
    caplog.set_level(logging.DEBUG, logger="scaleway_partner")
    sp.refresh_logging()
    with scaleway_mock.client() as client:
        create(client)
    assert [r for r in caplog.records if r.levelno == logging.DEBUG]
