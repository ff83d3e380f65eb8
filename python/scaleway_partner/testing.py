"""Testing support: the API's emulator, embedded and running in-process.

>>> from scaleway_partner.testing import MockServer
>>> with MockServer(seed_organizations=3, rate_limit=0) as mock:  # doctest: +SKIP
...     client = mock.client()
...     print(client.list_organizations().page(1).total_count)
3

The emulator is an independent implementation of the API's wire format (the crate
``scaleway-partner-mock``); the pytest plugin of this package provides it as fixtures
(``scaleway_mock``, ``scaleway_client``, ``async_scaleway_client``).
"""

from __future__ import annotations

import json
import os
from typing import (
    TYPE_CHECKING,
    Any,
    Dict,
    List,
    Mapping,
    Optional,
    Sequence,
    TypedDict,
    TypeVar,
    Union,
)

from . import _native
from ._aio import in_thread
from ._client import AsyncClient, AsyncClosing, Client, Closing

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from ._arguments import ClientOptions

__all__ = ["MockServer", "MockStats", "calls_in_flight", "internal_error"]

_T = TypeVar("_T")


def calls_in_flight() -> int:
    """How many asynchronous calls of this process are still running in the Rust core. A
    cancelled call (its task cancelled, its client closed) leaves promptly: a test can wait for
    this to come back to 0 rather than sleep.

    >>> task.cancel()
    >>> calls_in_flight()
    0
    """
    return _native.in_flight()


def internal_error(asynchronous: bool = False) -> Any:
    """Makes the Rust core fail as a bug would (a panic), through the path every call takes:
    for checking how an application reports one. It raises ``RuntimeError("internal error in
    scaleway_partner ...")``, never crashes or hangs; with ``asynchronous=True`` it returns a
    coroutine that raises it when awaited.

    >>> try:
    ...     internal_error()
    ... except RuntimeError as err:
    ...     print(str(err).split(":")[0])
    internal error in scaleway_partner (a bug
    """
    if asynchronous:
        return _internal_error()
    return _native.internal_error(False)


async def _internal_error() -> Any:
    # The native call starts at once: an async def delays it until awaited (on the loop).
    return await _native.internal_error(True)


class MockStats(TypedDict):
    """What :meth:`MockServer.stats` returns: counts since the start or the last reset.

    >>> stats: MockStats = mock.stats()
    >>> stats["by_operation"]["get_organization"], stats["rate_limited"]
    (1, 0)
    """

    requests: int
    """Requests received, refused ones included."""
    in_flight: int
    """Requests being handled right now."""
    max_in_flight: int
    """The most requests handled at once."""
    rate_limited: int
    """Requests answered 429, by the rate limit or a ``rate_limit`` fault."""
    faults_injected: int
    """Requests that got an injected fault."""
    late_applied: int
    """Writes of ``apply_late`` faults that have landed."""
    connections: int
    """TCP connections accepted."""
    open_connections: int
    """Connections open right now."""
    max_open_connections: int
    """The most connections open at once."""
    connections_refused: int
    """Connections cut before a request: slow headers or a failed TLS handshake."""
    by_operation: Dict[str, int]
    """Requests per operation (``"get_organization"``...), all seven always present."""
    by_status: Dict[str, int]
    """Answers per HTTP status (``"200"``...), only the statuses seen."""


class MockServer(Closing, AsyncClosing):
    """A running emulator of the Partner API on ``127.0.0.1`` (a free port by default).

    Settings (all optional; the emulator's defaults otherwise):
        seed: RNG seed for seeding and probabilistic faults.
        seed_organizations: realistic organizations created for the first partner.
        latency: simulated service time in milliseconds, either the base time (a number) or
            ``{"base_ms": ..., "jitter_ms": ..., "create_ms": ...}``.
        rate_limit: requests per second per secret key (default 50; 0 turns it off).
        rate_limit_style: ``"gateway"`` (bare 429, as the real gateway) or ``"json"``.
        faults: per-request probabilities, e.g. ``{"server_error": 0.1}``.
        partners: ``[{"secret_key": ..., "organization_id": ...}, ...]``; one is generated if
            none is given.
        unset_siren_number: ``"null"`` or ``"absent"``.
        max_body_bytes: request body limit.
        state_file: persist the state in this file.
        listen: ``"127.0.0.1:PORT"``.
        max_connections: connections served at once (1024).
        header_read_timeout_ms: time a client gets to send request headers (10000).
        tls: serve ``https://`` with a certificate signed by an authority generated at start
            (:attr:`ca_certificate_pem`; :meth:`client` trusts it).

    >>> from scaleway_partner.testing import MockServer
    >>> with MockServer(seed_organizations=3, rate_limit=0) as mock:
    ...     client = mock.client()
    ...     print(client.list_organizations().page(1).total_count)
    3
    """

    def __init__(
        self,
        *,
        seed: Optional[int] = None,
        seed_organizations: Optional[int] = None,
        latency: Union[int, float, Mapping[str, int], None] = None,
        rate_limit: Optional[int] = None,
        rate_limit_style: Optional[str] = None,
        faults: Optional[Mapping[str, float]] = None,
        partners: Optional[Sequence[Mapping[str, str]]] = None,
        unset_siren_number: Optional[str] = None,
        max_body_bytes: Optional[int] = None,
        state_file: Union[str, os.PathLike[str], None] = None,
        listen: Optional[str] = None,
        max_connections: Optional[int] = None,
        header_read_timeout_ms: Optional[int] = None,
        tls: bool = False,
    ) -> None:
        config: Dict[str, Any] = {}
        if isinstance(latency, Mapping):
            config["latency"] = dict(latency)
        elif latency is not None:
            config["latency"] = {"base_ms": int(latency)}
        given = {
            "seed": seed,
            "seed_organizations": seed_organizations,
            "rate_limit": rate_limit,
            "rate_limit_style": rate_limit_style,
            "faults": None if faults is None else dict(faults),
            "partners": None if partners is None else [dict(p) for p in partners],
            "unset_siren_number": unset_siren_number,
            "max_body_bytes": max_body_bytes,
            "state_file": None if state_file is None else os.fspath(state_file),
            "listen": listen,
            "max_connections": max_connections,
            "header_read_timeout_ms": header_read_timeout_ms,
            "tls": tls or None,
        }
        config.update({k: v for k, v in given.items() if v is not None})
        _native.start_logging()
        self._native = _native.MockServer(json.dumps(config))

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT``, the ``api_url`` of a client of this emulator."""
        return self._native.url

    @property
    def secret_key(self) -> str:
        """The first partner's secret key."""
        return self._native.partners[0][0]

    @property
    def organization_id(self) -> str:
        """The first partner's organization ID (the clients' default organization ID)."""
        return self._native.partners[0][1]

    @property
    def partners(self) -> List[Dict[str, str]]:
        """Every partner as ``{"secret_key", "organization_id"}``, the first being the default."""
        return [{"secret_key": key, "organization_id": org} for key, org in self._native.partners]

    @property
    def ca_certificate_pem(self) -> Optional[str]:
        """With ``tls=True``, the PEM certificate of the authority that signed the server's
        certificate (what a client passes as ``ca_cert``); otherwise None."""
        return self._native.ca_certificate_pem

    @property
    def rate_limit(self) -> int:
        """Requests per second per secret key (0: no limit)."""
        return self._native.rate_limit

    @property
    def closed(self) -> bool:
        """True once :meth:`close` has been called.

        >>> mock.close()
        >>> mock.closed
        True
        """
        return self._native.closed

    def stats(self) -> MockStats:
        """The emulator's counts (:class:`MockStats`): requests, in flight, rate limited,
        faults, connections, by operation and by status.

        >>> mock.reset_stats()
        >>> org = client.get_organization(org_id)
        >>> mock.stats()["by_operation"]["get_organization"]
        1
        """
        stats: MockStats = json.loads(self._native.stats())
        return stats

    def reset_stats(self) -> None:
        """Sets the statistics of :meth:`stats` back to zero.

        >>> mock.reset_stats()
        >>> mock.stats()["requests"]
        0
        """
        self._native.reset_stats()

    def inject_faults(self, plan: Mapping[str, Any]) -> None:
        """Applies a fault plan: ``{"script": [{"fault": "server_error", "count": 1,
        "operation": "get_organization"}], "probabilities": {...}, "seed": 42}``. Among the
        scripted faults, ``{"fault": "apply_late", "operation": "create_organization",
        "delay_ms": 2500, "status": 504}`` answers a gateway error at once and applies the
        write later, ``{"fault": "redirect"}`` answers a 307 to another host name, and
        ``{"fault": "success_body", "body": {"total_count": 1}}`` answers a 200 with that body
        in place of the answer, and ``{"fault": "rate_limit_headers", "rate_limit_headers":
        {"remaining": "0", "reset": "1700000000"}}`` handles the request and answers with
        exactly those ``X-Ratelimit-*`` values (text, sent as given; those left out are not
        sent).

        >>> mock.inject_faults({"script": [{"fault": "server_error", "count": 2}]})
        >>> client.get_organization(org_id).id == org_id  # retried past both faults
        True
        """
        self._native.inject_faults(json.dumps(dict(plan)))

    def clear_faults(self) -> None:
        """Removes the injected fault plan: requests are answered normally again.

        >>> mock.clear_faults()
        """
        self._native.clear_faults()

    def validate_email(self, organization_id: str) -> bool:
        """Validates the owner's email (lifts Scaleway's ``validate_email`` lock).

        >>> org = client.create_organization(**request)
        >>> mock.validate_email(org.id)
        True
        """
        return self._native.validate_email(organization_id)

    def patch_raw(
        self,
        organization_id: str,
        *,
        set: Optional[Mapping[str, Any]] = None,  # noqa: A002 - the emulator's own name
        remove: Optional[Sequence[str]] = None,
    ) -> bool:
        """Overrides fields of the organization's JSON in every answer (``set``), or removes
        them (``remove``), to test clients against values the API may send.

        >>> mock.patch_raw(org.id, set={"status": "suspended"})
        True
        >>> client.get_organization(org.id).status.is_unknown
        True
        """
        patch = {"set": dict(set or {}), "remove": list(remove or [])}
        return self._native.patch_raw(organization_id, json.dumps(patch))

    def reset(self) -> None:
        """Back to the initial (seeded) state; statistics and faults cleared.

        >>> mock.reset()
        >>> mock.stats()["requests"]
        0
        """
        self._native.reset()

    def close(self) -> None:
        """Stops the emulator (idempotent).

        >>> mock = MockServer()
        >>> mock.close()
        """
        self._native.close()

    def client(self, **options: Unpack[ClientOptions]) -> Client:
        """A :class:`~scaleway_partner.Client` of this emulator, as its first partner, pacing
        at the emulator's rate limit; ``options`` override any constructor argument. The
        emulator runs at least as long as the client (and its ``with_options`` views).

        >>> client = mock.client(max_retries=0)
        >>> client.api_url == mock.url
        True
        """
        return self._keeps_running(Client(**self._client_options(options)))

    def async_client(self, **options: Unpack[ClientOptions]) -> AsyncClient:
        """An :class:`~scaleway_partner.AsyncClient` of this emulator (see :meth:`client`).

        >>> async with mock.async_client() as client:
        ...     org = await client.get_organization(org_id)
        """
        return self._keeps_running(AsyncClient(**self._client_options(options)))

    def environment(self) -> Dict[str, str]:
        """The ``SCW_*`` variables that make a client built with no argument (by application
        code) a client of this emulator; ``SCW_CONFIG_PATH`` points nowhere, so that no
        ``config.yaml`` of the machine interferes. The ``scaleway_env`` fixture sets them.

        >>> env = mock.environment()
        >>> env["SCW_API_URL"] == mock.url
        True
        """
        return {
            "SCW_SECRET_KEY": self.secret_key,
            "SCW_DEFAULT_ORGANIZATION_ID": self.organization_id,
            "SCW_API_URL": self.url,
            "SCW_CONFIG_PATH": os.devnull,
        }

    def _keeps_running(self, client: _T) -> _T:
        # The client holds the emulator: dropping every other reference does not stop it.
        vars(client)["_emulator"] = self
        return client

    def _client_options(self, options: Mapping[str, Any]) -> Dict[str, Any]:
        if self.closed:  # its port refuses connections: say why now, not at the first call
            raise RuntimeError(f"this emulator is closed ({self.url}): start a new MockServer")
        merged: Dict[str, Any] = {
            "secret_key": self.secret_key,
            "api_url": self.url,
            "default_organization_id": self.organization_id,
            "rate_limit": float(self.rate_limit),
        }
        if self.ca_certificate_pem is not None:
            merged["ca_cert"] = self.ca_certificate_pem
        merged.update(options)
        return merged

    async def aclose(self) -> None:
        """:meth:`close` without blocking the event loop (a graceful stop waits for the
        requests in progress); what ``async with`` calls on the way out.

        >>> await mock.aclose()
        >>> mock.closed
        True
        """
        await in_thread(self.close)

    def __repr__(self) -> str:
        return f"MockServer(url={self.url!r})"
