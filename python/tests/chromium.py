"""Headless Chromium for the browser tests: Debian's `chromium` (`scripts/lang/python.sh setup`
installs it as root through `install_chromium` in scripts/lib.sh); under CI its absence is a
failure, elsewhere a skip. No network: only file:// pages are opened."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import List

import pytest

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        message = "chromium is not installed (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


def browse(tmp_path: Path, args: List[str]) -> subprocess.CompletedProcess[str]:
    """Runs Chromium once with a fresh profile under ``tmp_path``."""
    profile = tmp_path / f"profile-{len(list(tmp_path.iterdir()))}"
    return subprocess.run(
        [chromium(), *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )
