"""The console command `scaleway-partner audit` (installed with the package) and
`python -m scaleway_partner`: formats, files, --demo, exit codes, one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, List

import pytest

from scaleway_partner.audit.cli import main
from scaleway_partner.testing import MockServer

COMMAND = Path(sys.executable).parent / "scaleway-partner"


def _env(tmp_path: Path, **extra: str) -> Dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCW_")}
    env.update(SCW_CONFIG_PATH=str(tmp_path / "none.yaml"), NO_COLOR="", **extra)
    return env


def _run(args: List[str], env: Dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, env=env, timeout=120)


def test_demo_prints_the_report_in_a_few_seconds(tmp_path: Path) -> None:
    started = time.monotonic()
    done = _run([str(COMMAND), "audit", "--demo"], _env(tmp_path))
    elapsed = time.monotonic() - started
    print(f"scaleway-partner audit --demo: {elapsed:.2f}s")
    assert done.returncode == 0, done.stderr
    assert elapsed < 10
    out = done.stdout
    assert out.startswith("Account audit: 1,500 organizations")
    for heading in (
        "Status",
        "Locked by",
        "Problems",
        "Locked by the partner",
        "Created per month",
    ):
        assert f"\n{heading}" in out
    assert "... and " in out and "\033[" not in out, "no colour when not on a TTY"
    assert "demo: embedded emulator" in done.stderr
    assert "Listing organizations" not in done.stderr, "no progress bar when not on a TTY"


def test_module_json_and_html_files(tmp_path: Path) -> None:
    env = _env(tmp_path)
    done = _run(
        [
            sys.executable,
            "-m",
            "scaleway_partner",
            "audit",
            "--demo",
            "--format",
            "json",
            "--days",
            "30",
        ],
        env,
    )
    assert done.returncode == 0, done.stderr
    form = json.loads(done.stdout)
    assert form["total"] == 1500 and form["stuck_after_days"] == 30
    assert sum(form["by_status"].values()) == 1500
    page = tmp_path / "audit.html"
    done = _run([str(COMMAND), "audit", "--demo", "--format", "html", "--output", str(page)], env)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "" and f"wrote {page}" in done.stderr
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_missing_credentials_is_one_line_and_exit_1(tmp_path: Path) -> None:
    done = _run([str(COMMAND), "audit"], _env(tmp_path))
    assert done.returncode == 1
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("scaleway-partner: ConfigurationError:")
    assert "SCW_SECRET_KEY" in lines[0], "the hint says how to give the key"


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    env = _env(tmp_path)
    assert _run([str(COMMAND)], env).returncode == 2
    assert _run([str(COMMAND), "audit", "--format", "xml"], env).returncode == 2
    bad = _run([str(COMMAND), "audit", "--demo", "--profile", "prod"], env)
    assert bad.returncode == 2 and "--profile" in bad.stderr


@pytest.mark.scaleway_mock(seed=8, seed_organizations=140)
def test_against_credentials_from_the_environment(
    scaleway_mock: MockServer,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for k, v in _env(tmp_path).items():
        if k.startswith("SCW_"):
            monkeypatch.setenv(k, v)
    monkeypatch.setenv("SCW_SECRET_KEY", scaleway_mock.secret_key)
    monkeypatch.setenv("SCW_API_URL", scaleway_mock.url)
    monkeypatch.setenv("SCW_DEFAULT_ORGANIZATION_ID", scaleway_mock.organization_id)
    assert main(["audit", "--no-progress", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["total"] == 140
    assert scaleway_mock.stats()["by_operation"]["list_organizations"] == 2
    out = tmp_path / "report.txt"
    assert main(["audit", "--output", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("Account audit: 140 organizations")


def test_unwritable_output_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "missing-dir" / "audit.json"
    assert main(["audit", "--demo", "--format", "json", "--output", str(target)]) == 1
    assert "missing-dir" in capsys.readouterr().err
