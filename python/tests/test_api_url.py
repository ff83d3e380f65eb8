"""The API URL is parsed once, by the core: user information (``user:password@host``) is
refused with a ConfigurationError naming the setting, before anything is sent. The check used
to read the host before the '@' while the key went, with a Basic header, to the host after it."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

import scaleway_partner as sp
from scaleway_partner import Client

SECRET_KEY = "11111111-1111-4111-8111-111111111111"


def test_userinfo_is_refused_naming_the_setting_before_anything_is_sent(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("SCW_API_URL", raising=False)
    monkeypatch.setenv("SCW_CONFIG_PATH", str(tmp_path / "config.yaml"))
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.setblocking(False)
        port = listener.getsockname()[1]
        disguised = f"http://localhost:x@127.0.0.1:{port}"
        with pytest.raises(sp.ConfigurationError) as explicit:
            Client(api_url=disguised, secret_key=SECRET_KEY)
        assert "api_url must not contain user information" in str(explicit.value)
        assert "localhost:x" not in str(explicit.value)
        monkeypatch.setenv("SCW_API_URL", disguised)
        with pytest.raises(sp.ConfigurationError, match="SCW_API_URL must not contain user"):
            Client(secret_key=SECRET_KEY)
        monkeypatch.delenv("SCW_API_URL")
        (tmp_path / "config.yaml").write_text(f'api_url: "{disguised}"\n')
        with pytest.raises(sp.ConfigurationError, match=r"config\.yaml must not contain user"):
            Client(secret_key=SECRET_KEY)
        with pytest.raises(BlockingIOError):
            listener.accept()  # nobody connected
