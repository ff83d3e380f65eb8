"""A subinterpreter imports the package, then goes away (mod_wsgi runs one per application;
issue 24, item 6): the import there fails with a clear ``ImportError`` and the main
interpreter's calls go on working.

Prints one line: ``refused: <the subinterpreter's error>`` or ``imported``, then ``ok`` once the
main interpreter has made calls again after the subinterpreter was destroyed.
"""

from __future__ import annotations

import asyncio
from typing import Any, Optional

from scaleway_partner.testing import MockServer

CODE = """
import scaleway_partner
from scaleway_partner.testing import MockServer
mock = MockServer(seed_organizations=1)
mock.client().list_organizations().all()
"""


def run_in_subinterpreter(code: str) -> Optional[str]:
    """Runs ``code`` in a new subinterpreter, destroyed after; its error, or None."""
    try:
        import _interpreters as interpreters  # type: ignore[import-not-found]  # 3.13+
    except ImportError:
        import _xxsubinterpreters as interpreters  # type: ignore[import-not-found,no-redef]
    sub = interpreters.create()
    try:
        if hasattr(interpreters, "exec"):
            failure: Any = interpreters.exec(sub, code)
            return None if failure is None else f"{failure.type.__name__}: {failure.msg}"
        try:
            interpreters.run_string(sub, code)
        except Exception as e:  # RunFailedError, carrying the subinterpreter's exception
            return str(e)
        return None
    finally:
        interpreters.destroy(sub)


mock = MockServer(seed_organizations=3)
client = mock.client()
assert len(client.list_organizations().all()) == 3

error = run_in_subinterpreter(CODE)
print("imported" if error is None else f"refused: {error}")

# The main interpreter is not affected, blocking or asynchronous, old client or new.
assert len(client.list_organizations().all()) == 3
assert len(mock.client().list_organizations().all()) == 3


async def main() -> None:
    orgs = await mock.async_client().list_organizations().all()
    assert len(orgs) == 3


asyncio.run(main())
print("ok")
