"""Typos fail the type check (mypy --strict): filters are Literals of the API's values, each
method's keywords are declared (TypedDicts), context managers return the subclass."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Dict

SNIPPET = textwrap.dedent(
    """\
    from scaleway_partner import AsyncClient, Client, OrganizationStatus
    from scaleway_partner.testing import MockServer


    class MyClient(Client):
        def mine(self) -> int:
            return 1


    def calls(c: Client) -> None:
        c.list_organizations(status="locked", locked_by="partner", order_by="created_at_desc")
        c.list_organizations(status=OrganizationStatus.OPENED)
        c.list_organizations(status="lockd")  # BAD status
        c.list_organizations(order_by="newest")  # BAD order_by
        c.create_organization(  # BAD missing customer_id
            email="a", organization_name="b", owner_firstname="c", owner_lastname="d"
        )
        c.get_organization("x", timout=1)  # BAD keyword
        c.lock_organizations(["x"], concurency=2)  # BAD bulk keyword
        with MyClient() as mine:
            mine.mine()
        with MockServer() as mock:
            mock.client(max_retris=1)  # BAD option
            mock.stats()["requestz"]  # BAD stat


    async def acalls(c: AsyncClient) -> None:
        org = await c.get_organization("x")
        org.name
        c.get_organization("x").name  # BAD not awaited
    """
)


def bad_lines() -> Dict[int, str]:
    return {
        i: line.split("# BAD ")[1]
        for i, line in enumerate(SNIPPET.splitlines(), start=1)
        if "# BAD " in line
    }


def test_typos_fail_mypy_strict(tmp_path: Path) -> None:
    (tmp_path / "snippet.py").write_text(SNIPPET)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--cache-dir",
            str(tmp_path / "cache"),
            "snippet.py",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
    )
    flagged = {
        int(m.group(1)) for m in re.finditer(r"^snippet\.py:(\d+): error", done.stdout, re.M)
    }
    assert flagged == set(bad_lines()), done.stdout
