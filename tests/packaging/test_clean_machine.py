"""The built artifacts on a clean machine: a fresh virtualenv and a fresh npm project in a fresh
directory, with a PATH that holds no Rust toolchain (and traps for every compiler a build from
source would run), install the wheel and the tarballs that scripts/package.sh left in dist/,
then use them: import and require (CommonJS and ESM), a call against the embedded emulator, the
`scaleway-partner audit --demo` command. Anything that tries to compile fails the test.

Run by `scripts/lang/packaging.sh test` after the setup stages built dist/ (DIST names another).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from check_dist import ROOT, workspace_version

DIST = Path(os.environ.get("DIST", ROOT / "dist"))
VERSION = workspace_version()
# What a build from source would run; each is a trap that logs its call and fails.
COMPILERS = ["cargo", "rustc", "rustup", "maturin", "zig", "cc", "gcc", "c++", "g++", "clang", "ld", "make", "node-gyp"]


def artifact(pattern: str) -> Path:
    found = sorted(DIST.glob(pattern))
    if len(found) != 1:
        pytest.fail(f"expected one {pattern} in {DIST} (run scripts/package.sh): {found}")
    return found[0]


@pytest.fixture(scope="module")
def machine(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    home = tmp_path_factory.mktemp("clean-machine")
    traps = home / "traps"
    traps.mkdir()
    log = home / "compiler-calls.log"
    for name in COMPILERS:
        trap = traps / name
        # A version probe is no build (pip asks `rustc --version` for its User-Agent): it just
        # finds no toolchain. Anything else is logged and fails.
        trap.write_text(
            f'#!/bin/sh\ncase "$1" in --version|-V|-vV|version) exit 127 ;; esac\necho "{name} $*" >> "{log}"\nexit 1\n'
        )
        trap.chmod(0o755)
    # PATH keeps the system's directories (python3, node, npm, sh) minus any holding a Rust tool.
    kept = [
        d
        for d in os.environ["PATH"].split(os.pathsep)
        if d and not any((Path(d) / tool).exists() for tool in ("cargo", "rustc", "rustup"))
    ]
    env = {
        "PATH": os.pathsep.join([str(traps), *kept]),
        "HOME": str(home / "home"),
        "CARGO_HOME": str(home / "no-cargo"),
        "RUSTUP_HOME": str(home / "no-rustup"),
        "npm_config_cache": str(home / "npm-cache"),
        "PIP_NO_CACHE_DIR": "1",
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "LANG": "C.UTF-8",
    }
    for name in ("SSL_CERT_FILE", "PIP_CERT", "NODE_EXTRA_CA_CERTS", "TMPDIR", "SYSTEMROOT"):
        if name in os.environ:
            env[name] = os.environ[name]
    (home / "home").mkdir()
    assert shutil.which("cargo", path=env["PATH"]) == str(traps / "cargo")
    assert shutil.which("rustc", path=env["PATH"]) == str(traps / "rustc")
    return {"home": home, "env": env, "log": log, "timings": {}}


def run(machine: dict[str, Any], *args: str, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    r = subprocess.run(
        list(args), check=False, cwd=cwd, env=machine["env"], capture_output=True, text=True, timeout=timeout
    )
    assert r.returncode == 0, f"{args} failed ({r.returncode})\n{r.stdout}\n{r.stderr}"
    return r


def no_compiler_ran(machine: dict[str, Any]) -> None:
    log = machine["log"]
    assert isinstance(log, Path)
    calls = log.read_text() if log.exists() else ""
    assert calls == "", f"something tried to compile:\n{calls}"


def base_python() -> str:
    """The interpreter under this venv: a user's plain python3."""
    return getattr(sys, "_base_executable", None) or sys.executable


def test_python_wheel_on_a_clean_machine(machine: dict[str, Any]) -> None:
    home = machine["home"]
    assert isinstance(home, Path)
    wheel = artifact("python/*.whl")
    venv = home / "venv"
    run(machine, base_python(), "-m", "venv", str(venv), cwd=home)
    python = venv / "bin" / "python"
    start = time.monotonic()
    run(machine, str(python), "-m", "pip", "install", "--no-index", "--only-binary", ":all:", str(wheel), cwd=home)
    print(f"pip install of the wheel: {time.monotonic() - start:.2f}s")
    work = home / "py-project"
    work.mkdir()
    script = textwrap.dedent(
        f"""
        import importlib.metadata as md
        import scaleway_partner
        from scaleway_partner.testing import MockServer

        assert scaleway_partner.__version__ == {VERSION!r}, scaleway_partner.__version__
        assert scaleway_partner.__file__.startswith({str(venv)!r}), scaleway_partner.__file__
        assert any(ep.value == "scaleway_partner.pytest_plugin" for ep in md.entry_points(group="pytest11"))
        with MockServer(seed_organizations=3, rate_limit=0) as mock:
            with mock.client() as client:
                page = client.list_organizations().page(1)
                assert len(page.organizations) >= 3, page
                org = client.get_organization(page.organizations[0].id)
                print("python ok", org.id)
        """
    )
    r = run(machine, str(python), "-c", script, cwd=work)
    assert "python ok" in r.stdout
    r = run(machine, str(venv / "bin" / "scaleway-partner"), "audit", "--demo", cwd=work)
    assert "organizations" in r.stdout.lower(), r.stdout[-2000:]
    no_compiler_ran(machine)


def npm_project(machine: dict[str, Any], name: str) -> Path:
    home = machine["home"]
    assert isinstance(home, Path)
    project = home / name
    project.mkdir()
    (project / "package.json").write_text(json.dumps({"name": name, "version": "1.0.0", "private": True}))
    return project


def test_npm_packages_on_a_clean_machine(machine: dict[str, Any]) -> None:
    main = artifact(f"npm/scaleway_partner-{VERSION}.tgz")
    platform = artifact(f"npm/scaleway_partner-linux-x64-gnu-{VERSION}.tgz")
    project = npm_project(machine, "app")
    start = time.monotonic()
    # The platform tarball stands in for the registry's copy of the optional dependency; the
    # other platforms' packages are skipped by npm (wrong os/cpu, or not published yet).
    run(machine, "npm", "install", "--no-audit", "--no-fund", str(platform), str(main), cwd=project)
    print(f"npm install of the tarballs: {time.monotonic() - start:.2f}s")
    installed = project / "node_modules" / "scaleway_partner"
    assert not list(installed.glob("*.node")), "the main package carries no binary"
    assert (
        project / "node_modules" / "scaleway_partner-linux-x64-gnu" / "scaleway_partner.linux-x64-gnu.node"
    ).exists()

    (project / "check.cjs").write_text(
        textwrap.dedent(
            f"""
            const assert = require('node:assert/strict')
            const sp = require('scaleway_partner')
            const {{ MockServer }} = require('scaleway_partner/testing')
            assert.equal(require('scaleway_partner/package.json').version, {json.dumps(VERSION)})
            assert.ok(require.resolve('scaleway_partner').startsWith(__dirname))
            ;(async () => {{
              const mock = await MockServer.start({{ seedOrganizations: 3, rateLimit: 0 }})
              try {{
                const page = await mock.client().listOrganizations().page(1)
                assert.ok(page.organizations.length >= 3)
                const org = await mock.client().getOrganization(page.organizations[0].id)
                assert.ok(org instanceof Object && org.id === page.organizations[0].id)
                assert.equal(typeof sp.Client, 'function')
                console.log('cjs ok', org.id)
              }} finally {{
                await mock.close()
              }}
            }})().catch((err) => {{ console.error(err); process.exit(1) }})
            """
        )
    )
    (project / "check.mjs").write_text(
        textwrap.dedent(
            """
            import assert from 'node:assert/strict'
            import { Client, ResourceNotFoundError } from 'scaleway_partner'
            import { MockServer } from 'scaleway_partner/testing'
            import { createRequire } from 'node:module'

            // One set of classes for both module systems: instanceof agrees across them.
            assert.equal(Client, createRequire(import.meta.url)('scaleway_partner').Client)
            const mock = await MockServer.start({ seedOrganizations: 2, rateLimit: 0 })
            try {
              await assert.rejects(
                mock.client().getOrganization('00000000-0000-4000-8000-000000000000'),
                ResourceNotFoundError,
              )
              console.log('esm ok')
            } finally {
              await mock.close()
            }
            """
        )
    )
    assert "cjs ok" in run(machine, "node", "check.cjs", cwd=project).stdout
    assert "esm ok" in run(machine, "node", "check.mjs", cwd=project).stdout
    no_compiler_ran(machine)


def test_npm_without_the_platform_package_names_it(machine: dict[str, Any]) -> None:
    main = artifact(f"npm/scaleway_partner-{VERSION}.tgz")
    project = npm_project(machine, "no-binary")
    run(machine, "npm", "install", "--no-audit", "--no-fund", "--omit=optional", str(main), cwd=project)
    r = subprocess.run(
        [
            "node",
            "-e",
            "try { require('scaleway_partner') } catch (e) { console.log(e.code); console.log(e.message); process.exit(3) }",
        ],
        check=False,
        cwd=project,
        env=machine["env"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 3, (r.stdout, r.stderr)
    code, message = r.stdout.split("\n", 1)
    assert code == "ERR_SCALEWAY_PARTNER_NO_BINARY"
    assert "linux-x64" in message and "scaleway_partner-linux-x64-gnu" in message, message
    no_compiler_ran(machine)
