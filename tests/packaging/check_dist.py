"""What scripts/package.sh built, checked: names, contents and metadata of the wheel, the sdist
and the npm tarballs, all at the workspace's version (Cargo.toml, the one place it lives).

Usage: check_dist.py python DIR | npm DIR. The packaging tests import it too.
"""

from __future__ import annotations

import email.parser
import json
import re
import sys
import tarfile
import zipfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
LICENSE = (ROOT / "LICENSE").read_bytes()


def workspace_version() -> str:
    text = (ROOT / "Cargo.toml").read_text()
    section = text.split("[workspace.package]", 1)[1].split("\n[", 1)[0]
    match = re.search(r'^version\s*=\s*"([^"]+)"', section, re.MULTILINE)
    assert match, "no version in [workspace.package]"
    return match.group(1)


def node_platform_packages() -> list[str]:
    """The platform packages' napi-rs suffixes, in the order of package.json's napi.targets."""
    names = {
        "x86_64-unknown-linux-gnu": "linux-x64-gnu",
        "aarch64-unknown-linux-gnu": "linux-arm64-gnu",
        "x86_64-unknown-linux-musl": "linux-x64-musl",
        "aarch64-unknown-linux-musl": "linux-arm64-musl",
        "x86_64-apple-darwin": "darwin-x64",
        "aarch64-apple-darwin": "darwin-arm64",
        "x86_64-pc-windows-msvc": "win32-x64-msvc",
    }
    targets = json.loads((ROOT / "node" / "package.json").read_text())["napi"]["targets"]
    return [names[t] for t in targets]


def one(directory: Path, pattern: str) -> Path:
    found = sorted(directory.glob(pattern))
    assert len(found) == 1, f"expected one {pattern} in {directory}, found {found}"
    return found[0]


def check_python(directory: Path) -> None:
    version = workspace_version()
    wheel = one(directory, "*.whl")
    expected = f"scaleway_partner-{version}-cp39-abi3-manylinux2014_x86_64.manylinux_2_17_x86_64.whl"
    assert wheel.name == expected, f"wheel {wheel.name}, expected {expected}"
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        info = f"scaleway_partner-{version}.dist-info"
        for needed in [
            "scaleway_partner/__init__.py",
            "scaleway_partner/py.typed",
            "scaleway_partner/_native.pyi",
            "scaleway_partner/_native.abi3.so",
            "scaleway_partner/pytest_plugin.py",
            f"{info}/METADATA",
            f"{info}/entry_points.txt",
            f"{info}/licenses/LICENSE",
        ]:
            assert needed in names, f"{needed} missing from {wheel.name}"
        assert z.read(f"{info}/licenses/LICENSE") == LICENSE, "the wheel's LICENSE is not ./LICENSE"
        entry_points = z.read(f"{info}/entry_points.txt").decode()
        assert re.search(
            r"\[pytest11\]\s*\nscaleway_partner\s*=\s*scaleway_partner\.pytest_plugin\s*$", entry_points, re.MULTILINE
        ), entry_points
        assert re.search(r"^scaleway-partner\s*=\s*scaleway_partner\.cli:run\s*$", entry_points, re.MULTILINE), (
            entry_points
        )
        meta = email.parser.HeaderParser().parsestr(z.read(f"{info}/METADATA").decode())
    assert meta["Name"] == "scaleway_partner" and meta["Version"] == version, (meta["Name"], meta["Version"])
    assert meta["Requires-Python"] == ">=3.9", meta["Requires-Python"]
    assert meta["License-Expression"] == "Apache-2.0", meta["License-Expression"]
    assert meta.get_all("License-File") == ["LICENSE"], meta.get_all("License-File")
    urls = {u.split(",", 1)[0] for u in meta.get_all("Project-URL") or []}
    assert {"Homepage", "Documentation", "Repository", "Issues", "Changelog"} <= urls, urls
    classifiers = meta.get_all("Classifier") or []
    for needed in ["Typing :: Typed", "Programming Language :: Python :: 3.9", "Operating System :: POSIX :: Linux"]:
        assert needed in classifiers, f"classifier {needed!r} missing"

    sdist = one(directory, "*.tar.gz")
    assert sdist.name == f"scaleway_partner-{version}.tar.gz", sdist.name
    top = f"scaleway_partner-{version}"
    with tarfile.open(sdist) as t:
        members = {m.name.split("/", 1)[1] for m in t.getmembers() if "/" in m.name}
        for needed in [
            "pyproject.toml",
            "PKG-INFO",
            "LICENSE",
            "Cargo.toml",
            "Cargo.lock",
            "crates/scaleway-partner/Cargo.toml",
            "crates/scaleway-partner-mock/Cargo.toml",
            "bindings/python/Cargo.toml",
            "bindings/python/src/lib.rs",
            "scaleway_partner/py.typed",
            "scaleway_partner/_native.pyi",
        ]:
            assert needed in members, f"{needed} missing from {sdist.name}"
        f = t.extractfile(f"{top}/PKG-INFO")
        assert f is not None
        sdist_meta = email.parser.HeaderParser().parsestr(f.read().decode())
    assert sdist_meta["Version"] == version, sdist_meta["Version"]
    print(f"ok: {wheel.name} and {sdist.name}")


def read_package(tarball: Path) -> tuple[dict[str, Any], set[str], bytes | None]:
    """package.json, the file names and the LICENSE of an npm tarball."""
    with tarfile.open(tarball) as t:
        files = {m.name.removeprefix("package/") for m in t.getmembers() if m.isfile()}
        manifest = t.extractfile("package/package.json")
        assert manifest is not None
        license_file = t.extractfile("package/LICENSE") if "LICENSE" in files else None
        return json.loads(manifest.read()), files, license_file.read() if license_file else None


def check_npm(directory: Path) -> None:
    version = workspace_version()
    main, files, license_text = read_package(one(directory, f"scaleway_partner-{version}.tgz"))
    assert main["name"] == "scaleway_partner" and main["version"] == version
    assert main["license"] == "Apache-2.0"
    assert license_text == LICENSE, "the package's LICENSE is not ./LICENSE"
    assert "scripts" not in main and "devDependencies" not in main, "the published package runs no scripts"
    expected = {f"scaleway_partner-{p}": version for p in node_platform_packages()}
    assert main.get("optionalDependencies") == expected, main.get("optionalDependencies")
    for needed in [
        "index.js",
        "index.mjs",
        "index.d.ts",
        "index.d.mts",
        "testing.js",
        "testing.mjs",
        "native.js",
        "native.d.ts",
        "lib/binding.js",
        "lib/client.js",
        "README.md",
        "LICENSE",
    ]:
        assert needed in files, f"{needed} missing from the main package"
    assert not [f for f in files if f.endswith(".node")], "the main package carries no binary"

    here = "linux-x64-gnu"
    platform, files, license_text = read_package(one(directory, f"scaleway_partner-{here}-{version}.tgz"))
    assert platform["name"] == f"scaleway_partner-{here}" and platform["version"] == version
    assert platform["os"] == ["linux"] and platform["cpu"] == ["x64"] and platform["libc"] == ["glibc"]
    assert platform["license"] == "Apache-2.0"
    assert platform["main"] == f"scaleway_partner.{here}.node" and platform["main"] in files, files
    assert license_text == LICENSE, "the platform package's LICENSE is not ./LICENSE"
    print(f"ok: scaleway_partner-{version}.tgz and scaleway_partner-{here}-{version}.tgz")


if __name__ == "__main__":
    kind, directory = sys.argv[1], Path(sys.argv[2])
    {"python": check_python, "npm": check_npm}[kind](directory)
