"""The exception hierarchy: one class per error kind of the core's error table.

The table gives each class its code, its parent and its attributes: a class declares only the
attributes it adds to its parent's (an attribute of another kind reads as ``None``, so that code
handling every error alike still can). Every error survives pickling with its class and
attributes, and never holds the secret key.
"""

from __future__ import annotations

import builtins
import json
from typing import TYPE_CHECKING, Any, Dict, FrozenSet, List, Optional, Tuple, Type

from . import _native

if TYPE_CHECKING:
    from ._models import Organization, UndecodableOrganization
    from ._reconcile import ApplyOutcome

__all__ = [
    "APIError",
    "APITimeoutError",
    "AlreadyExistsError",
    "ConfigurationError",
    "ConflictError",
    "CoordinationError",
    "CreateUnconfirmedError",
    "DeniedAuthenticationError",
    "InvalidArgumentsError",
    "ListingChangedError",
    "PermissionsDeniedError",
    "PreconditionFailedError",
    "ProgressStoppedError",
    "QuotasExceededError",
    "RedirectError",
    "RequestCancelledError",
    "ResourceLockedError",
    "ResourceNotFoundError",
    "ScalewayError",
    "ServerError",
    "TooManyRequestsError",
    "TransientStateError",
    "TransportError",
    "UndecodableOrganizationsError",
    "UnexpectedResponseError",
    "ValidationError",
]

# The core's error table, by class name.
_KINDS: Dict[str, Dict[str, Any]] = {k["class_name"]: k for k in json.loads(_native.error_kinds())}
# Every attribute of the table: one a class lacks reads as None.
_ALL_ATTRIBUTES: FrozenSet[str] = frozenset(a for k in _KINDS.values() for a in k["attributes"])


class ScalewayError(Exception):
    """Base class of every error of this package.

    Attributes (each declared by the classes whose kind carries it, in the core's error table;
    ``None`` on the others):
        message: what went wrong (also ``str(error)``).
        code: the kind code (``"not_found"``, ``"timeout"``...).
        status_code: the HTTP status, when the API answered.
        request_id: the answer's ``X-Request-Id``, for Scaleway's support.
        type: the Scaleway error ``type`` of the answer's body.
        body: the raw body of the answer.
        details: for ``invalid_arguments`` a list of ``{argument_name, reason, help_message}``;
            for permission and quota errors the resource dicts.
        field: the argument at fault, for a local :class:`ValidationError`.
        resource, resource_id: the resource concerned (not found, locked, conflicts).
        retry_after: seconds the server asked to wait (429).
        precondition: the precondition that failed (412).
        help_message: the API's help, when it gave one (412, 429).
        customer_id: the ``customer_id`` concerned (unconfirmed create, conflict).
        email: the owner email of an unconfirmed create.
        organization_ids: the organizations in the way of an ``ensure_organization``.
        location_host: the host a refused redirect pointed to.
        attempts, elapsed: for a timeout or a cancelled call, the attempts made and the
            seconds spent in all.
        results: for a bulk call cut short (:class:`RequestCancelledError`,
            :class:`APITimeoutError`), one entry per
            input, in order: the organization (or ensured result), the error, or None for an
            item that was never started.
        outcome: for an apply cut short (:class:`RequestCancelledError`,
            :class:`APITimeoutError`, or the ``__cause__`` of the ``KeyboardInterrupt`` of a
            Ctrl-C), its :class:`~scaleway_partner.ApplyOutcome` so far: each action done,
            failed (those in flight, cut short) or ``not_started``.
        undecodable: the records a listing could not read
            (:class:`~scaleway_partner.UndecodableOrganization`), for
            :class:`UndecodableOrganizationsError`.
        organizations: the organizations that listing did read (``all()``; empty when an
            iterator already yielded them).
        cause: the failure behind an unconfirmed create (itself a ``ScalewayError``).

    >>> try:
    ...     client.get_organization(org_id)
    ... except ScalewayError as err:
    ...     print(err.code, err.status_code, err.request_id)
    """

    _code: str = "scaleway_error"
    # The attributes of the class's kind in the core's table, and its parents'.
    _attributes: Tuple[str, ...] = ()

    message: str
    code: str

    def __init__(self, message: str = "", *, code: Optional[str] = None, **attributes: Any) -> None:
        unknown = sorted(set(attributes) - set(self._attributes))
        if unknown:
            raise TypeError(
                f"{type(self).__name__} has no attribute {unknown[0]!r}"
                f" (its attributes: {', '.join(self._attributes) or 'none'})"
            )
        super().__init__(message)
        self.message = message
        self.code = code if code is not None else self._code
        for name in self._attributes:
            setattr(self, name, attributes.get(name))

    def __getattr__(self, name: str) -> Any:
        # Only for attributes the instance lacks: another kind's reads as None.
        if name in _ALL_ATTRIBUTES:
            return None
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        extra = "".join(
            f", {name}={getattr(self, name)!r}"
            for name in ("status_code", "request_id", "field")
            if getattr(self, name) is not None
        )
        return f"{self.__class__.__name__}({self.message!r}{extra})"

    def __reduce__(self) -> Tuple[Any, ...]:
        attrs = {name: getattr(self, name) for name in self._attributes}
        return (_restore, (self.__class__, self.message, self.code, attrs))


def _restore(
    cls: Type[ScalewayError], message: str, code: str, attrs: Dict[str, Any]
) -> ScalewayError:
    return cls(message, code=code, **attrs)


class APIError(ScalewayError):
    """The API answered with an error status (base of the HTTP errors).

    >>> try:
    ...     client.lock_organization(org_id)
    ... except APIError as err:
    ...     print(err.status_code, err.type, err.request_id)
    """

    status_code: Optional[int]
    request_id: Optional[str]
    type: Optional[str]
    body: Optional[str]
    retry_after: Optional[float]


class InvalidArgumentsError(APIError):
    """400 ``invalid_arguments``: ``details`` names each argument and why.

    >>> try:
    ...     client.create_organization(**request)
    ... except InvalidArgumentsError as err:
    ...     print([d["argument_name"] for d in err.details or []])
    """

    details: Optional[List[Dict[str, Any]]]


class ResourceNotFoundError(APIError):
    """404 ``not_found``.

    >>> try:
    ...     client.get_organization("6f4049e3-5910-4283-bb02-382ef15aa460")
    ... except ResourceNotFoundError as err:
    ...     print("gone", err.request_id)
    """

    resource: Optional[str]
    resource_id: Optional[str]


class DeniedAuthenticationError(APIError):
    """401 ``denied_authentication``: missing, malformed or unknown secret key.

    >>> try:
    ...     Client(secret_key=revoked_key).get_organization()
    ... except DeniedAuthenticationError as err:
    ...     print("check SCW_SECRET_KEY:", err.status_code)
    """


class PermissionsDeniedError(APIError):
    """403 ``permissions_denied``.

    >>> try:
    ...     client.lock_organization(org_id)
    ... except PermissionsDeniedError as err:
    ...     print(err.details)  # needs ResellerFullAccess
    """

    details: Optional[List[Dict[str, Any]]]


class PreconditionFailedError(APIError):
    """412 ``precondition_failed`` (for example unlocking what the partner did not lock).

    >>> try:
    ...     client.unlock_organization(org_id)
    ... except PreconditionFailedError as err:
    ...     print(err.precondition, err.help_message)
    """

    precondition: Optional[str]
    help_message: Optional[str]


class ResourceLockedError(APIError):
    """423 ``locked``.

    >>> try:
    ...     client.update_organization(org_id, name="Acme SAS")
    ... except ResourceLockedError as err:
    ...     print(err.resource, err.resource_id)
    """

    resource: Optional[str]
    resource_id: Optional[str]


class TransientStateError(APIError):
    """409 ``transient_state``.

    >>> try:
    ...     client.lock_organization(org_id)
    ... except TransientStateError as err:
    ...     print("busy, try later:", err.resource_id)
    """

    resource: Optional[str]
    resource_id: Optional[str]


class AlreadyExistsError(APIError):
    """409 ``already_exists``.

    >>> try:
    ...     client.create_organization(**request)
    ... except AlreadyExistsError as err:
    ...     print(err.resource, err.help_message)
    """

    resource: Optional[str]
    resource_id: Optional[str]


class QuotasExceededError(APIError):
    """403 ``quotas_exceeded``.

    >>> try:
    ...     client.create_organization(**request)
    ... except QuotasExceededError as err:
    ...     print(err.details)
    """

    details: Optional[List[Dict[str, Any]]]


class TooManyRequestsError(APIError):
    """429: the rate limit was hit and retries did not get through; see ``retry_after``.

    >>> try:
    ...     client.with_options(max_retries=0).get_organization(org_id)
    ... except TooManyRequestsError as err:
    ...     print("retry in", err.retry_after, "s")
    """

    help_message: Optional[str]


class ServerError(APIError):
    """A 5xx answer.

    >>> try:
    ...     client.get_organization(org_id)
    ... except ServerError as err:
    ...     print(err.status_code, err.request_id)
    """


class ValidationError(ScalewayError, ValueError):
    """An argument was refused locally, before anything was sent; ``field`` names it.

    >>> try:
    ...     client.lock_organization("")
    ... except ValidationError as err:
    ...     print(err.field)
    """

    field: str


class ConfigurationError(ScalewayError):
    """The client cannot be configured (no or malformed secret key, bad URL, bad profile...).

    >>> try:
    ...     Client(secret_key="not-a-uuid")
    ... except ConfigurationError as err:
    ...     print(err)
    """


class APITimeoutError(ScalewayError, builtins.TimeoutError):
    """An attempt did not complete within its ``timeout``, or the whole call within its
    ``total_timeout`` (also a builtin ``TimeoutError``, which it does not shadow). The
    message and ``attempts`` / ``elapsed`` say how many attempts were made and how long it
    took in all. A bulk call past its ``total_timeout`` has its items in ``results``, as a
    cancelled one does (``None`` for the items never started), and an apply its
    ``outcome``. A call that the key's
    rate-limit pause would hold past its deadline fails at once with ``attempts`` 0.

    >>> try:
    ...     client.get_organization(org_id, timeout=0.5, max_retries=0)
    ... except APITimeoutError as err:
    ...     print(err.attempts, err.elapsed)
    """

    attempts: Optional[int]
    elapsed: Optional[float]
    results: Optional[List[Any]]
    outcome: Optional[ApplyOutcome]


class TransportError(ScalewayError):
    """The connection failed: refused, reset, closed mid-answer...

    >>> try:
    ...     Client(api_url="http://127.0.0.1:9").get_organization()
    ... except TransportError as err:
    ...     print(err)
    """


class UnexpectedResponseError(ScalewayError):
    """The API answered with a success status but a body that cannot be decoded.

    >>> try:
    ...     client.get_organization(org_id)
    ... except UnexpectedResponseError as err:
    ...     print(err.body)
    """

    status_code: Optional[int]
    request_id: Optional[str]
    body: Optional[str]


class UndecodableOrganizationsError(UnexpectedResponseError):
    """A listing was read to its end, but some of its records could not be read as
    organizations. Nothing else was lost: ``undecodable`` names each bad record (page, index,
    ID, why); ``all()`` puts every organization it did read in ``organizations``, and an
    iterator has yielded them before raising this.

    >>> try:
    ...     orgs = client.list_organizations().all()
    ... except UndecodableOrganizationsError as err:
    ...     orgs = err.organizations  # every one it could read
    ...     print([u.id for u in err.undecodable])
    """

    undecodable: List[UndecodableOrganization]
    organizations: List[Organization]


class RequestCancelledError(ScalewayError):
    """The call was cancelled because its client was closed.

    Cancelling an asyncio task raises ``asyncio.CancelledError`` as usual, not this. A bulk
    call cut short has its items in ``results``, an apply its ``outcome``.

    >>> try:
    ...     client.get_organization(org_id)  # another thread closed the client
    ... except RequestCancelledError as err:
    ...     print(err.code)
    """

    attempts: Optional[int]
    elapsed: Optional[float]
    results: Optional[List[Any]]
    outcome: Optional[ApplyOutcome]


class CreateUnconfirmedError(ScalewayError):
    """A create failed in a way that may have applied it (a gateway 5xx, a timeout, a reset
    after sending...) and the organization did not appear within ``create_settle_timeout``.

    It may still appear later. Do not create it again blindly (there is no delete: a duplicate
    stays): call ``ensure_organization`` with the same arguments later, which returns it if it
    appeared (``created=False``) and creates it otherwise, or list by ``customer_id``.

    ``customer_id`` and ``email`` are the create's; ``cause`` is the failure that left the
    outcome unknown, and ``status_code``, ``request_id``, ``type`` and ``body`` are its.

    >>> try:
    ...     client.create_organization(**request)
    ... except CreateUnconfirmedError as err:
    ...     print(err.customer_id, err.cause)  # later: client.ensure_organization(**request)
    """

    status_code: Optional[int]
    request_id: Optional[str]
    type: Optional[str]
    body: Optional[str]

    customer_id: str
    email: str
    cause: ScalewayError


class ConflictError(ScalewayError):
    """``ensure_organization`` found organizations with the ``customer_id`` that it cannot take
    for the one asked for: several of them, or one with another owner email. Nothing was
    created; ``organization_ids`` lists them.

    >>> try:
    ...     client.ensure_organization(**request)
    ... except ConflictError as err:
    ...     print(err.customer_id, err.organization_ids)
    """

    customer_id: str
    organization_ids: List[str]


class ListingChangedError(ScalewayError):
    """A listing kept changing while it was read (organizations kept leaving it, past the
    number of passes allowed), or the server answered pages that cannot be a listing.

    Collect the IDs first (or use the bulk methods), then act on them.

    >>> try:
    ...     ids = [o.id for o in client.list_organizations(status="locked")]
    ... except ListingChangedError as err:
    ...     print("the listing kept changing; try again")
    """


class RedirectError(ScalewayError):
    """The API answered with a redirect, which is never followed so that the secret key cannot
    reach another host: a wrong ``api_url`` or a hostile server. ``status_code`` is the
    redirect's, ``location_host`` the host it pointed to (empty when none).

    >>> try:
    ...     Client(api_url=wrong_url).get_organization()
    ... except RedirectError as err:
    ...     print(err.status_code, err.location_host)
    """

    status_code: int
    location_host: str


class ProgressStoppedError(ScalewayError):
    """A progress callback stopped the call. Never raised as such: the call raises the
    callback's own exception instead (kept so that every kind of the core has its class).

    >>> isinstance(ProgressStoppedError("stopped"), ScalewayError)
    True
    """


class CoordinationError(ScalewayError):
    """The engine coordinating this client with other processes or hosts (the machine's lock
    files, Redis) could not be used, or a lease on a customer was lost: nothing was sent for
    the create or ensure it guarded. Try again, or choose another ``coordination``.

    >>> try:
    ...     client.ensure_organization(**request)
    ... except CoordinationError as err:
    ...     print("nothing was created:", err)
    """


def _from_native(class_name: str, code: str, message: str, attrs: Dict[str, Any]) -> ScalewayError:
    """Called by the native module: the error of the class the core chose for it (by its one
    fallback rule for a code it does not know)."""
    return _BY_NAME[class_name](message, code=code, **attrs)


def _under_public_name(cls: Type[ScalewayError]) -> None:
    """Shows, prints and pickles ``cls`` under the package's public name. Its annotations are
    resolved here first: tools (``typing.get_type_hints``, pdoc) read them in the namespace of
    the module ``__module__`` names, where ``Optional`` and the like are not defined."""
    from ._models import Organization, UndecodableOrganization
    from ._reconcile import ApplyOutcome

    namespace = {
        **globals(),
        "ApplyOutcome": ApplyOutcome,
        "Organization": Organization,
        "UndecodableOrganization": UndecodableOrganization,
    }
    # Its own annotations only (strings, postponed by `from __future__`), not its parent's.
    own: Dict[str, Any] = vars(cls).get("__annotations__", {})
    for name, annotation in own.items():
        own[name] = eval(annotation, namespace) if isinstance(annotation, str) else annotation
    cls.__module__ = "scaleway_partner"


def _from_table() -> Dict[str, Type[ScalewayError]]:
    """The classes by name, each given its code and attributes by the core's table; a class
    the table lacks, or one under another parent, fails the import."""
    by_name = {
        name: obj
        for name, obj in globals().items()
        if isinstance(obj, type) and issubclass(obj, ScalewayError)
    }
    if set(by_name) != {*_KINDS, "ScalewayError"}:
        raise ImportError(f"the error classes differ from the core's table: {sorted(by_name)}")
    for name, kind in _KINDS.items():
        cls = by_name[name]
        parent = by_name.get(cls.__bases__[0].__name__)
        if parent is None or parent.__name__ != kind["parent_class"]:
            raise ImportError(f"{name} must derive from {kind['parent_class']}")
        cls._code = kind["code"]
        # Its parent's and its kind's (the table lists parents first).
        cls._attributes = tuple(dict.fromkeys((*parent._attributes, *kind["attributes"])))
    for cls in by_name.values():
        _under_public_name(cls)
    return by_name


_BY_NAME = _from_table()
