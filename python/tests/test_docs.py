"""Every public item of the package is documented, and every public callable has an example.

The API reference (pdoc, built by ``scripts/lang/packaging.sh lint``) is made of these
docstrings: this walks what ``scaleway_partner.__all__`` and ``scaleway_partner.testing``
export, the public methods and properties of those classes (the clients, pagers, MockServer,
errors, values), and the fields of the value classes, so that none can lose its documentation.
An example is a doctest (``>>>``) in the docstring.
"""

from __future__ import annotations

import ast
import dataclasses
import enum
import inspect
import sys
import textwrap
from typing import Any, Dict, Iterator, List, Optional, Tuple

import pytest

import scaleway_partner
import scaleway_partner.testing

MODULES = [scaleway_partner, scaleway_partner.testing]


def _ours(obj: Any) -> bool:
    return str(getattr(obj, "__module__", "")).startswith("scaleway_partner")


def _attribute_docs(node: ast.AST) -> Dict[str, str]:
    """Docstrings of the assignments in a module or class body (the string right after)."""
    docs: Dict[str, str] = {}
    body = list(getattr(node, "body", []))
    for stmt, after in zip(body, body[1:]):
        if not (isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant)):
            continue
        if not isinstance(after.value.value, str):
            continue
        target: Optional[ast.expr] = None
        if isinstance(stmt, ast.AnnAssign):
            target = stmt.target
        elif isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            target = stmt.targets[0]
        if isinstance(target, ast.Name):
            docs[target.id] = after.value.value
    return docs


def _module_attribute_docs(name: str) -> Dict[str, str]:
    """Attribute docstrings of every module of the package that defines ``name``."""
    docs: Dict[str, str] = {}
    for module in list(sys.modules.values()):
        if not str(getattr(module, "__name__", "")).startswith("scaleway_partner"):
            continue
        try:
            source = inspect.getsource(module)
        except (OSError, TypeError):
            continue
        docs.update(_attribute_docs(ast.parse(source)))
    return docs


def _class_attribute_docs(cls: type) -> Dict[str, str]:
    docs: Dict[str, str] = {}
    for klass in reversed(cls.__mro__):
        if not _ours(klass):
            continue
        try:
            tree = ast.parse(textwrap.dedent(inspect.getsource(klass)))
        except (OSError, TypeError):
            continue
        docs.update(_attribute_docs(tree.body[0]))
    return docs


def _members(cls: type) -> Iterator[Tuple[str, Any]]:
    """Public methods and properties that the package defines on ``cls`` or its bases."""
    seen = set()
    for klass in cls.__mro__:
        if not _ours(klass):
            continue
        for name, value in vars(klass).items():
            if name.startswith("_") or name in seen:
                continue
            seen.add(name)
            if isinstance(value, (staticmethod, classmethod)):
                value = value.__func__
            if isinstance(value, property) or inspect.isfunction(value):
                yield name, value


def _items() -> List[Tuple[str, Any, str]]:
    """``(qualified name, object, kind)`` for every public item: kind is ``callable`` (a doc
    and an example), ``attribute`` (a doc) or ``field`` (a doc, from the class source)."""
    items: List[Tuple[str, Any, str]] = []
    for module in MODULES:
        for name in module.__all__:
            obj = getattr(module, name)
            qualified = f"{module.__name__}.{name}"
            if inspect.isclass(obj) and _ours(obj):
                items.append((qualified, obj, "callable"))
                for member, value in _members(obj):
                    kind = "attribute" if isinstance(value, property) else "callable"
                    items.append((f"{qualified}.{member}", value, kind))
                if issubclass(obj, enum.Enum):
                    fields = [m for m in obj.__members__]
                elif dataclasses.is_dataclass(obj):
                    fields = [f.name for f in dataclasses.fields(obj)]
                else:
                    fields = []
                for field in fields:
                    items.append((f"{qualified}.{field}", obj, "field"))
            elif callable(obj) and not inspect.isclass(obj) and getattr(obj, "__module__", None):
                items.append((qualified, obj, "callable" if inspect.isroutine(obj) else "alias"))
            else:
                items.append((qualified, obj, "alias"))
    return items


def _doc(qualified: str, obj: Any, kind: str) -> Optional[str]:
    name = qualified.rsplit(".", 1)[-1]
    if kind == "field":
        return _class_attribute_docs(obj).get(name)
    if kind == "alias" or (kind == "callable" and inspect.isbuiltin(obj)):
        # What the reference shows: the docstring after the assignment in the package's source.
        return _module_attribute_docs(name).get(name)
    doc = obj.__doc__
    if inspect.isclass(obj) and doc is not None and doc == getattr(obj.__base__, "__doc__", None):
        return None  # inherited, not its own
    return doc


ITEMS = _items()


@pytest.mark.parametrize(("qualified", "obj", "kind"), ITEMS, ids=[i[0] for i in ITEMS])
def test_documented(qualified: str, obj: Any, kind: str) -> None:
    doc = _doc(qualified, obj, kind)
    assert doc and doc.strip(), f"{qualified} has no docstring"
    if kind == "callable":
        assert ">>>" in doc, f"{qualified}: its docstring has no example (a `>>>` doctest)"


def test_walks_the_whole_api() -> None:
    """The walk itself did not lose the package's surface (a guard on this test)."""
    names = {q for q, _, _ in ITEMS}
    for expected in (
        "scaleway_partner.Client.create_organization",
        "scaleway_partner.AsyncClient.audit",
        "scaleway_partner.OrganizationPager.all",
        "scaleway_partner.testing.MockServer.client",
        "scaleway_partner.Organization.customer_id",
        "scaleway_partner.ScalewayError",
        "scaleway_partner.refresh_logging",
    ):
        assert expected in names
    assert len(ITEMS) > 200
