"""`npm install /path/to/checkout/node` from another project (issue 25): the source package's
install hook builds the addon in a checkout that has never been built, without the package's
dev dependencies (the napi-rs CLI is fetched for that one build), and the package then loads and
answers in that project.

A copy of the checkout's sources (no node_modules, no built addon, no target/) in a fresh
directory stands for the user's clone; the cargo target directory is this checkout's, so that
only the workspace's own crates compile again.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from check_dist import ROOT

# What the build reads: the workspace and the node package's sources.
SOURCES = ["Cargo.toml", "Cargo.lock", "crates", "bindings", "node"]
LEFT_OUT = shutil.ignore_patterns(
    "node_modules", "target", "*.node", "native.js", "native.d.ts", ".readme-*", "__pycache__"
)


def test_npm_install_of_the_source_folder_from_another_project(tmp_path: Path) -> None:
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, checkout / name, ignore=LEFT_OUT)
        else:
            shutil.copy2(source, checkout / name)
    assert not (checkout / "node" / "node_modules").exists()
    project = tmp_path / "service"
    project.mkdir()
    (project / "package.json").write_text(json.dumps({"name": "service", "version": "1.0.0", "private": True}))
    env = {
        **os.environ,
        "CARGO_TARGET_DIR": os.environ.get("CARGO_TARGET_DIR", str(ROOT / "target")),
        "npm_config_cache": str(tmp_path / "npm-cache"),
    }
    install = subprocess.run(
        ["npm", "install", "--no-audit", "--no-fund", "--foreground-scripts", str(checkout / "node")],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=3600,
        check=False,
    )
    assert install.returncode == 0, f"{install.stdout}\n{install.stderr}"
    (project / "check.mjs").write_text(
        textwrap.dedent(
            """
            import { MockServer } from 'scaleway_partner/testing'
            const mock = await MockServer.start({ seedOrganizations: 2 })
            try {
              const page = await mock.client().listOrganizations().page(1)
              console.log(`from source ok ${page.totalCount}`)
            } finally {
              await mock.close()
            }
            """
        )
    )
    run = subprocess.run(
        ["node", "check.mjs"], cwd=project, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert run.returncode == 0, run.stderr
    assert "from source ok 2" in run.stdout
