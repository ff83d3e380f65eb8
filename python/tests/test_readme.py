"""The README's examples run as written: the blocking and async ones against an emulator named
by SCW_* variables (as a user's environment would), the pytest one with the plugin."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import List

import pytest

from scaleway_partner.testing import MockServer

pytest_plugins = ["pytester"]

README = Path(__file__).resolve().parents[1] / "README.md"


def examples() -> List[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)


def test_readme_has_the_examples() -> None:
    found = examples()
    assert len(found) == 9
    assert "Client()" in found[0] and "AsyncClient(" in found[1]
    assert "ensure_organization(" in found[2] and "CreateUnconfirmedError" in found[2]
    assert "unlock_organization(org.id)" in found[3]
    assert "client.audit(" in found[4] and "scaleway_mock" in found[5]
    assert "scaleway_env" in found[6] and "ProcessPoolExecutor" in found[7]
    assert "with_raw_response" in found[8]


@pytest.mark.parametrize("index", [0, 1, 2, 3, 4, 7, 8])
def test_client_examples_run(index: int, tmp_path: Path) -> None:
    script = tmp_path / "example.py"
    script.write_text(examples()[index])
    with MockServer(seed_organizations=3) as mock:
        env = {
            "SCW_SECRET_KEY": mock.secret_key,
            "SCW_API_URL": mock.url,
            "SCW_DEFAULT_ORGANIZATION_ID": mock.organization_id,
            "SCW_CONFIG_PATH": str(tmp_path / "no-config.yaml"),
            "PATH": "/usr/bin:/bin",
        }
        done = subprocess.run(
            [sys.executable, str(script)],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            cwd=tmp_path,
        )
        assert done.returncode == 0, done.stderr
        assert mock.stats()["requests"] >= 1


@pytest.mark.parametrize("index", [5, 6])
def test_pytest_example_runs(pytester: pytest.Pytester, index: int) -> None:
    pytester.makepyfile(test_readme_example=examples()[index])
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
