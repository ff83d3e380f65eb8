"""What a client shows of its HTTP traffic: the events its ``hook`` receives, and the answer's
status, request ID and headers through ``with_raw_response``.

The HTTP runs in the Rust core, not in ``httpx``/``requests``/``urllib3``: tools that patch
those (``responses``, ``respx``, OpenTelemetry's HTTP instrumentations) see nothing. The hook
is the place for metrics and traces.
"""

from __future__ import annotations

import copy
from collections.abc import Awaitable as _Awaitable
from types import FunctionType
from typing import (
    TYPE_CHECKING,
    Any,
    Awaitable,
    Callable,
    Dict,
    Generic,
    Iterable,
    Iterator,
    List,
    Literal,
    Mapping,
    Optional,
    Tuple,
    TypedDict,
    TypeVar,
    Union,
    overload,
)

if TYPE_CHECKING:
    from . import _native
    from ._client import (
        AsyncClient,
        BulkResult,
        Client,
        EnsureResult,
        _AsyncLister,
        _AuditOut,
        _ClientBase,
        _Co,
        _SyncLister,
    )
    from ._models import EnsuredOrganization, Organization
    from ._reconcile import ApplyOutcome, Plan
    from .audit.report import AuditReport

__all__ = [
    "APIResponse",
    "RequestEvent",
    "ResponseEvent",
    "RetryEvent",
    "TrafficEvent",
    "TrafficHook",
]

_T = TypeVar("_T")


class RequestEvent(TypedDict):
    """An attempt is about to be sent (it may still wait for the client's rate budget).

    >>> def hook(event: TrafficEvent) -> None:
    ...     if event["event"] == "request" and event["attempt"] > 1:
    ...         print("trying again:", event["method"], event["path"])
    """

    event: Literal["request"]
    operation: str
    """The method called: ``"get_organization"``..."""
    method: str
    path: str
    """The path under the API URL, without the query (a filter may hold an email)."""
    attempt: int
    """1 for the first attempt of the call, then 2, 3..."""


class ResponseEvent(TypedDict):
    """An attempt ended: answered (any status), or failed without an answer.

    >>> def hook(event: TrafficEvent) -> None:
    ...     if event["event"] == "response":
    ...         metrics.observe(event["operation"], event["status"], event["duration"])
    """

    event: Literal["response"]
    operation: str
    method: str
    path: str
    attempt: int
    status: Optional[int]
    """The HTTP status, None when there was no answer."""
    request_id: Optional[str]
    """``X-Request-Id`` of the answer, for Scaleway's support."""
    duration: float
    """Seconds from sending to the end of the answer."""
    error: Optional[str]
    """The error's ``code`` (``"not_found"``...) when the attempt failed."""


class RetryEvent(TypedDict):
    """A failed attempt is tried again after ``delay`` seconds.

    >>> def hook(event: TrafficEvent) -> None:
    ...     if event["event"] == "retry":
    ...         print(event["operation"], event["error"], "again in", event["delay"], "s")
    """

    event: Literal["retry"]
    operation: str
    method: str
    path: str
    attempt: int
    """The attempt that failed."""
    delay: float
    error: str
    status: Optional[int]


TrafficEvent = Union[RequestEvent, ResponseEvent, RetryEvent]
"""What the ``hook`` client option receives (``event["event"]`` tells which); never the key, a
body or a query."""

TrafficHook = Callable[[TrafficEvent], Optional[_Awaitable[None]]]
"""The ``hook`` client option: called with every request, answer and retry where the call waits
(the calling thread for ``Client``, the event loop for ``AsyncClient``), without the call waiting
for it; it may call a client itself. An ``async def`` hook runs as a task of the loop
(``AsyncClient``). An exception it raises is logged under ``scaleway_partner`` and the call goes
on."""


class _Headers(Mapping[str, str]):
    """An answer's headers: names looked up case-insensitively, repeated ones joined by
    ``", "`` as HTTP allows."""

    __slots__ = ("_items",)

    def __init__(self, pairs: Iterable[Tuple[str, str]]) -> None:
        items: Dict[str, str] = {}
        for name, value in pairs:
            key = name.lower()
            items[key] = f"{items[key]}, {value}" if key in items else value
        self._items = items

    def __getitem__(self, name: str) -> str:
        return self._items[name.lower()]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"Headers({self._items!r})"


class APIResponse(Generic[_T]):
    """A successful call's value with its answer (for a call that sent several requests, a
    listing's pages or a batch: the last answer's). ``status_code`` is None only for a call
    that sent none (an empty batch).

    >>> response = client.with_raw_response.get_organization(org_id)
    >>> response.status_code, response.request_id, response.headers["content-type"]
    (200, '0f1e...', 'application/json')
    >>> org = response.parse()
    """

    __slots__ = ("_value", "headers", "request_id", "status_code")

    def __init__(self, value: _T, capture: _native.ResponseCapture) -> None:
        meta = capture.last()
        status, request_id, headers = meta if meta is not None else (None, None, [])
        self._value = value
        self.status_code: Optional[int] = status
        self.request_id: Optional[str] = request_id
        self.headers: Mapping[str, str] = _Headers(headers)

    def parse(self) -> _T:
        """The call's value, as the method returns it without ``with_raw_response``.

        >>> org = client.with_raw_response.get_organization(org_id).parse()
        """
        return self._value

    def __repr__(self) -> str:
        return f"<APIResponse [{self.status_code}] request_id={self.request_id!r}>"


if TYPE_CHECKING:
    _RawClient = _ClientBase[
        APIResponse[Organization],
        APIResponse[EnsuredOrganization],
        APIResponse[None],
        APIResponse[List[BulkResult]],
        APIResponse[List[EnsureResult]],
        _SyncLister,
        _AuditOut,
        APIResponse[AuditReport],
        APIResponse[Plan],
        APIResponse[ApplyOutcome],
    ]
    _AsyncRawClient = _ClientBase[
        _Co[APIResponse[Organization]],
        _Co[APIResponse[EnsuredOrganization]],
        _Co[APIResponse[None]],
        _Co[APIResponse[List[BulkResult]]],
        _Co[APIResponse[List[EnsureResult]]],
        _AsyncLister,
        _Co[_AuditOut],
        _Co[APIResponse[AuditReport]],
        _Co[APIResponse[Plan]],
        _Co[APIResponse[ApplyOutcome]],
    ]


class RawResponses:
    """``client.with_raw_response``: the client's methods (those every client has: not the
    listing, whose pages are read later), each returning an :class:`APIResponse` (a coroutine
    of one on :class:`AsyncClient`) instead of the bare value; openai-python's idiom. Each call
    gets its own capture, so concurrent calls do not mix their answers.

    >>> response = client.with_raw_response.lock_organization(org_id)
    >>> response.request_id
    '0f1e...'
    """

    @overload
    def __get__(self, client: Client, owner: Any) -> _RawClient: ...
    @overload
    def __get__(self, client: AsyncClient, owner: Any) -> _AsyncRawClient: ...
    @overload
    def __get__(self, client: None, owner: Any) -> RawResponses: ...
    def __get__(self, client: Any, owner: Any) -> Any:
        return self if client is None else _Raw(client)


class _Raw:
    __slots__ = ("_client",)

    def __init__(self, client: Any) -> None:
        self._client = client

    def __getattr__(self, name: str) -> Any:
        from ._client import _ClientBase

        declared = vars(_ClientBase).get(name)
        if isinstance(declared, property):
            return getattr(self._client, name)
        if name.startswith("_") or not isinstance(declared, FunctionType):
            raise AttributeError(f"with_raw_response has no method {name!r}")
        if name == "with_options":
            return lambda **options: _Raw(self._client.with_options(**options))
        return self._method(name)

    def _method(self, name: str) -> Callable[..., Any]:
        client = self._client

        def call(*args: Any, **kwargs: Any) -> Any:
            view = copy.copy(client)
            view._native, capture = client._native.with_response_capture()
            value = getattr(view, name)(*args, **kwargs)
            if isinstance(value, _Awaitable):
                return _answered(value, capture)
            return APIResponse(value, capture)

        call.__name__ = name
        return call


async def _answered(value: Awaitable[_T], capture: _native.ResponseCapture) -> APIResponse[_T]:
    return APIResponse(await value, capture)
