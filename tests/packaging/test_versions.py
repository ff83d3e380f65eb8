"""One version for everything shipped, the workspace's (Cargo.toml [workspace.package]): the
crates inherit it, maturin gives it to the Python package, and these tests hold the npm
package, napi-rs's generated loader and the changelog to it. One license, too: ./LICENSE."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from check_dist import ROOT, workspace_version

VERSION = workspace_version()


def test_the_crates_inherit_the_workspace_version_and_license() -> None:
    for manifest in ["crates/scaleway-partner", "crates/scaleway-partner-mock", "bindings/python", "bindings/node"]:
        text = (ROOT / manifest / "Cargo.toml").read_text()
        assert "version.workspace = true" in text, manifest
        assert "license.workspace = true" in text, manifest
    workspace = (ROOT / "Cargo.toml").read_text()
    assert 'license = "Apache-2.0"' in workspace
    assert f'scaleway-partner = {{ path = "crates/scaleway-partner", version = "{VERSION}" }}' in workspace
    assert f'scaleway-partner-mock = {{ path = "crates/scaleway-partner-mock", version = "{VERSION}" }}' in workspace


def test_the_python_package_takes_its_version_from_cargo() -> None:
    pyproject = (ROOT / "python" / "pyproject.toml").read_text()
    project = pyproject.split("[project]", 1)[1].split("\n[", 1)[0]
    assert re.search(r'^dynamic = \[.*"version".*\]', project, re.MULTILINE), (
        "the version must stay dynamic (from Cargo)"
    )
    assert not re.search(r"^version\s*=", project, re.MULTILINE), "no second version in pyproject.toml"
    assert 'license = "Apache-2.0"' in project and 'license-files = ["LICENSE"]' in project
    assert (ROOT / "python" / "LICENSE").resolve() == (ROOT / "LICENSE").resolve()


def test_the_npm_package_is_at_the_workspace_version() -> None:
    pkg = json.loads((ROOT / "node" / "package.json").read_text())
    assert pkg["version"] == VERSION, f"node/package.json is at {pkg['version']}, the workspace at {VERSION}"
    assert pkg["license"] == "Apache-2.0"
    lock = json.loads((ROOT / "node" / "package-lock.json").read_text())
    assert lock["version"] == VERSION and lock["packages"][""]["version"] == VERSION
    # napi-rs's loader checks the platform package's version against the one it was built for.
    loader = (ROOT / "node" / "native.js").read_text()
    expected = set(re.findall(r"bindingPackageVersion !== '([^']+)'", loader))
    assert expected == {VERSION}, f"native.js was generated for {expected}: rebuild it (npm run build)"


def test_the_changelog_has_this_version_or_an_unreleased_section() -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text()
    assert "Keep a Changelog" in changelog
    assert re.search(rf"^## \[({re.escape(VERSION)}|Unreleased)\]", changelog, re.MULTILINE)


def test_the_license_is_apache_2() -> None:
    text = (ROOT / "LICENSE").read_text()
    assert "Apache License" in text and "Version 2.0, January 2004" in text
