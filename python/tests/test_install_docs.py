"""The install instructions are true (issue 25): until the first release nothing is on PyPI or
npm, so no README tells a reader to install from there, and every extra is documented where the
reader looks (the top README and the wheel's long description)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import List

import pytest

ROOT = Path(__file__).resolve().parents[2]
READMES = [ROOT / "README.md", ROOT / "python" / "README.md", ROOT / "node" / "README.md"]


def _released() -> bool:
    """Whether the changelog has a released version (a heading other than Unreleased)."""
    headings = re.findall(r"^## \[([^\]]+)\]", (ROOT / "CHANGELOG.md").read_text(), flags=re.M)
    return any(h != "Unreleased" for h in headings)


def _commands(readme: Path) -> List[str]:
    blocks = re.findall(r"```(?:sh|bash|console)\n(.*?)```", readme.read_text(), flags=re.S)
    return [line.strip() for block in blocks for line in block.splitlines()]


@pytest.mark.parametrize("readme", READMES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_registry_install_before_the_first_release(readme: Path) -> None:
    if _released():
        pytest.skip("released: the registries have the package")
    registry = re.compile(r"^(pip install|npm install|npm i) ['\"]?scaleway_partner\b")
    assert not [c for c in _commands(readme) if registry.match(c)]


def _extras() -> List[str]:
    text = (ROOT / "python" / "pyproject.toml").read_text()
    section = text.split("[project.optional-dependencies]", 1)[1].split("\n[", 1)[0]
    names = re.findall(r"^(\w+) = ", section, flags=re.M)
    return [n for n in names if n != "test"]


@pytest.mark.parametrize("readme", READMES[:2], ids=lambda p: str(p.relative_to(ROOT)))
def test_every_extra_is_documented(readme: Path) -> None:
    text = readme.read_text()
    extras = _extras()
    assert {"pandas", "plot", "excel", "progress", "notebook"} <= set(extras)
    assert not [e for e in extras if f"`{e}`" not in text and f"`[{e}]`" not in text]
