"""The type parameters of both clients: what each kind of call returns, the value itself for
``Client`` and a coroutine of it for ``AsyncClient``. Shared by the native stub and the
clients, so that each method is typed once for both."""

from typing import TypeVar

Org = TypeVar("Org")
"""An organization (create, get, update, lock, unlock)."""
Ensured = TypeVar("Ensured")
"""What ``ensure_organization`` returns."""
Nothing = TypeVar("Nothing")
"""A call with no value (``request_admin_role``)."""
Bulk = TypeVar("Bulk")
"""The list of a bulk call."""
Ensures = TypeVar("Ensures")
"""The list of ``ensure_organizations``."""
Lister = TypeVar("Lister")
"""The native lister."""
Audit = TypeVar("Audit")
"""The native audit's output."""
