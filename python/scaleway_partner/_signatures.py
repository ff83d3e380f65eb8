"""What ``help()``, ``inspect.signature``, IPython's Tab and ``typing.get_type_hints`` show of
the clients' methods.

The methods are declared once, on ``_ClientBase``, with their keyword arguments typed by the
``TypedDict`` s of ``_arguments`` (``**request: Unpack[...]``): what type checkers read. At
import, each method gets the signature those declarations spell out (one keyword-only parameter
per key, required or not), and each client its own copy of the method, named after the client
(``Client.get_organization`` in a ``TypeError``); ``AsyncClient``'s calls become coroutine
functions, so that ``inspect.iscoroutinefunction`` says so and a forgotten ``await`` names the
method.
"""

from __future__ import annotations

import inspect
import re
from types import CodeType, FunctionType
from typing import Any, Callable, Dict, ForwardRef, List, Mapping, Optional, Tuple

from . import _arguments

_UNPACKED = re.compile(r"^Unpack\[(\w+)\]$")


class _Required:
    """``Required[T]`` where the annotation is evaluated (typing_extensions is not a runtime
    dependency): marks the key as required."""

    def __init__(self, tp: Any) -> None:
        self.tp = tp

    def __class_getitem__(cls, tp: Any) -> _Required:
        return cls(tp)


def _fields(typed_dict: type) -> List[Tuple[str, Any, bool]]:
    """``(name, type, required)`` of each key, in declaration order (inherited ones first)."""
    from ._client import ProgressCallback

    namespace: Dict[str, Any] = {
        **vars(_arguments),
        "Required": _Required,
        "ProgressCallback": ProgressCallback,
    }
    fields = []
    # The call's own keys first, the options every call takes last.
    common = _arguments.CallOptions.__annotations__
    keys = sorted(typed_dict.__annotations__.items(), key=lambda item: item[0] in common)
    for name, annotation in keys:
        text = annotation.__forward_arg__ if isinstance(annotation, ForwardRef) else annotation
        tp = eval(text, namespace) if isinstance(text, str) else text  # our own annotations
        required = isinstance(tp, _Required)
        fields.append((name, tp.tp if required else tp, required))
    return fields


def _evaluated(parameter: inspect.Parameter, function: FunctionType) -> Any:
    """The parameter's annotation as an object (``Optional[str]``, not ``'Optional[str]'``)
    when its names exist at run time."""
    if not isinstance(parameter.annotation, str):
        return parameter.annotation
    try:
        return eval(parameter.annotation, function.__globals__)  # our own annotations
    except NameError:
        return parameter.annotation


def _spelled_out(function: FunctionType) -> None:
    """Sets ``__signature__`` and ``__annotations__`` of ``function`` with the keys of its
    ``**kwargs`` ``TypedDict`` as keyword-only parameters."""
    signature = inspect.signature(function)
    annotations = dict(function.__annotations__)
    parameters = []
    for parameter in signature.parameters.values():
        unpacked = _UNPACKED.match(str(parameter.annotation))
        if parameter.kind is not parameter.VAR_KEYWORD or unpacked is None:
            parameters.append(parameter.replace(annotation=_evaluated(parameter, function)))
            continue
        del annotations[parameter.name]
        for name, tp, required in _fields(getattr(_arguments, unpacked.group(1))):
            default = inspect.Parameter.empty if required else (False if tp is bool else None)
            parameters.append(
                inspect.Parameter(
                    name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=tp
                )
            )
            annotations[name] = tp
    function.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
    function.__annotations__ = annotations


def _renamed(code: CodeType, name: str, qualname: str) -> CodeType:
    """``code`` under these names (``co_qualname``, Python 3.11+, is what argument errors
    print)."""
    if hasattr(code, "co_qualname"):
        return code.replace(co_name=name, co_qualname=qualname)
    return code.replace(co_name=name)


def _named(function: FunctionType, owner: str) -> FunctionType:
    """A copy of ``function`` whose errors name ``owner`` instead of ``_ClientBase``."""
    qualname = f"{owner}.{function.__name__}"
    code = _renamed(function.__code__, function.__name__, qualname)
    copy = FunctionType(code, function.__globals__, function.__name__, function.__defaults__)
    copy.__kwdefaults__ = function.__kwdefaults__
    copy.__dict__.update(function.__dict__)
    copy.__doc__ = function.__doc__
    copy.__annotations__ = function.__annotations__
    copy.__qualname__ = qualname
    copy.__module__ = function.__module__
    return copy


def _coroutine_function(method: Callable[..., Any]) -> Callable[..., Any]:
    """``method`` (which returns a coroutine) as an ``async def``."""

    async def call(*args: Any, **kwargs: Any) -> Any:
        return await method(*args, **kwargs)

    # Its frame in a traceback is the method's.
    call.__code__ = _renamed(call.__code__, method.__name__, method.__qualname__)
    for attribute in ("__name__", "__qualname__", "__doc__", "__module__", "__annotations__"):
        setattr(call, attribute, getattr(method, attribute))
    call.__dict__.update(method.__dict__)
    call.__wrapped__ = method  # type: ignore[attr-defined]
    return call


def _public(cls: type) -> List[FunctionType]:
    """The public functions ``cls`` declares, and its constructor."""
    return [
        member
        for name, member in vars(cls).items()
        if isinstance(member, FunctionType) and (not name.startswith("_") or name == "__init__")
    ]


def present(base: type, clients: Mapping[type, Optional[Tuple[str, ...]]]) -> None:
    """Spells out the signatures of ``base``'s methods and gives each client its copies.
    ``clients`` maps each client to the return annotations of its coroutine methods (None:
    none is)."""
    for client in clients:  # the methods each client declares itself (list_organizations)
        for member in _public(client):
            _spelled_out(member)
    for member in _public(base):
        _spelled_out(member)
        name = member.__name__
        for client, coroutines in clients.items():
            method: Callable[..., Any] = _named(member, client.__name__)
            if coroutines and member.__annotations__.get("return") in coroutines:
                method = _coroutine_function(method)
            setattr(client, name, method)
