"""Configuration the way every Scaleway tool reads it: explicit arguments, ``SCW_*``, the scw
``config.yaml`` and its profiles (resolved by the core)."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

import scaleway_partner as sp
from scaleway_partner import AsyncClient, Client
from scaleway_partner.testing import MockServer


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No SCW_* variable, and a config file path that the test may fill."""
    for name in (
        "SCW_SECRET_KEY",
        "SCW_ACCESS_KEY",
        "SCW_API_URL",
        "SCW_DEFAULT_ORGANIZATION_ID",
        "SCW_PROFILE",
    ):
        monkeypatch.delenv(name, raising=False)
    path = tmp_path / "config.yaml"
    monkeypatch.setenv("SCW_CONFIG_PATH", str(path))
    return path


def test_environment(
    scaleway_mock: MockServer, clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SCW_SECRET_KEY", scaleway_mock.secret_key)
    monkeypatch.setenv("SCW_API_URL", scaleway_mock.url)
    monkeypatch.setenv("SCW_DEFAULT_ORGANIZATION_ID", scaleway_mock.organization_id)
    with Client(rate_limit=0) as client:
        assert client.api_url == scaleway_mock.url
        assert client.default_organization_id == scaleway_mock.organization_id
        assert client.list_organizations().page(1).total_count == 0
    # Explicit arguments win over the environment.
    with Client(api_url="http://127.0.0.1:9") as client:
        assert client.api_url == "http://127.0.0.1:9"


def test_config_file_and_profiles(
    scaleway_mock: MockServer, clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other_key = str(uuid.uuid4())
    clean_env.write_text(
        f"secret_key: {other_key}\n"
        f"api_url: {scaleway_mock.url}\n"
        f"default_organization_id: {scaleway_mock.organization_id}\n"
        "profiles:\n"
        "  emulator:\n"
        f"    secret_key: {scaleway_mock.secret_key}\n"
    )
    with Client() as top:
        with pytest.raises(sp.DeniedAuthenticationError):
            top.list_organizations().page(1)
    with Client(profile="emulator") as client:
        assert client.default_organization_id == scaleway_mock.organization_id
        assert client.list_organizations().page(1).total_count == 0
    monkeypatch.setenv("SCW_PROFILE", "emulator")
    with Client() as client:
        assert client.list_organizations().page(1).total_count == 0
    with pytest.raises(sp.ConfigurationError, match="missing"):
        Client(profile="missing")


def test_repr_never_shows_the_key(clean_env: Path) -> None:
    key = str(uuid.uuid4())
    for cls in (Client, AsyncClient):
        client = cls(secret_key=key)
        text = repr(client) + str(client.__dict__)
        assert key not in text
        assert key[-4:] in text
        assert "https://api.scaleway.com" in text
