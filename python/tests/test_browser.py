"""The audit's HTML page in a real browser: headless Chromium renders it (DOM with the summary
table) and its screenshot is a real picture, not a blank page. Chromium is Debian's
(`scripts/lang/python.sh setup` installs it as root); in CI its absence is a failure."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import List

import pytest

from scaleway_partner import AuditReport
from scaleway_partner.audit.demo import demo_server

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


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        message = "chromium is not installed (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


def _browse(tmp_path: Path, args: List[str]) -> subprocess.CompletedProcess[str]:
    profile = tmp_path / f"profile-{len(list(tmp_path.iterdir()))}"
    return subprocess.run(
        [_chromium(), *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def report() -> AuditReport:
    with demo_server() as mock, mock.client(rate_limit=0) as client:
        return client.audit(progress=False)


def test_page_renders_with_the_summary_table(report: AuditReport, tmp_path: Path) -> None:
    page = tmp_path / "audit.html"
    page.write_text(report.to_html(), encoding="utf-8")
    url = page.as_uri()

    dom = _browse(tmp_path, ["--dump-dom", url])
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert '<table class="summary">' in dom.stdout
    assert f'<td class="n">{report.total:,}</td>' in dom.stdout
    assert "<svg" in dom.stdout

    shot = tmp_path / "audit.png"
    done = _browse(tmp_path, [f"--screenshot={shot}", "--window-size=1280,2000", url])
    assert done.returncode == 0, done.stderr[-2000:]
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 20_000

    from matplotlib.image import imread

    pixels = imread(str(shot))
    assert pixels.shape[:2] == (2000, 1280)
    colours = {tuple(p) for p in pixels[::7, ::7].reshape(-1, pixels.shape[2]).tolist()}
    assert len(colours) > 10, "not a blank page"
    inked = (pixels[..., :3].mean(axis=2) < 0.9).mean()
    assert inked > 0.02, f"only {inked:.1%} of the page has ink"
    keep = os.environ.get("AUDIT_SCREENSHOT")
    if keep:  # to look at it: AUDIT_SCREENSHOT=/tmp/audit.png pytest -k browser
        shutil.copy(shot, keep)
