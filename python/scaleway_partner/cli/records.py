"""The inputs of the bulk commands: IDs (arguments, ``-`` for stdin, a file) and customer
records (CSV or NDJSON), each checked by the core, as the call itself would check it, before
anything is sent. Each input keeps where it came from, so that an error names the argument,
the line and the column."""

from __future__ import annotations

import csv
import io
import json
import sys
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence, TextIO

from .._client import Client
from .._errors import ValidationError

__all__ = ["BadInput", "Item", "check", "read_ids", "read_records", "validate"]


class BadInput(Exception):
    """Input refused before anything was sent (exit status 2); one line per problem."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = list(problems)


@dataclass
class Item:
    """One input: where it comes from (``argument 2``, ``customers.csv line 3``), the names
    its fields have there (``column email``, ``argument --email``), and the value."""

    where: str
    value: Any
    names: Dict[str, str] = field(default_factory=dict)
    checked: Dict[str, Any] = field(default_factory=dict)
    """What the core says would be sent (filled by :func:`validate`)."""

    def label(self) -> str:
        """How the result table names this item: the ID, or the customer ID of a record."""
        if isinstance(self.value, dict):
            return str(self.value.get("customer_id") or self.where)
        return str(self.value)


def check(
    client: Client, operation: str, organization_id: Optional[str] = None, **request: Any
) -> Dict[str, Any]:
    """What ``operation`` would send, checked by the core with the call's own rules; raises
    the same :class:`ValidationError` the call would, and sends nothing."""
    checked: Dict[str, Any] = json.loads(
        client._native.check(operation, organization_id, **request)
    )
    return checked


def _lines(stream: TextIO, where: str) -> List[Item]:
    items = []
    for number, line in enumerate(stream, start=1):
        text = line.strip()
        if text and not text.startswith("#"):
            items.append(Item(f"{where} line {number}", text))
    return items


def _open(path: str, stdin: TextIO) -> TextIO:
    if path == "-":
        return stdin
    try:
        return open(path, encoding="utf-8", newline="")
    except OSError as e:
        raise BadInput([f"{path}: {e.strerror}"]) from None


def read_ids(args: Sequence[str], path: Optional[str], stdin: TextIO = sys.stdin) -> List[Item]:
    """The IDs of the arguments (``-``: one a line from stdin) and of the file ``path`` (one a
    line; blank lines and ``#`` comments skipped)."""
    items: List[Item] = []
    for index, value in enumerate(args, start=1):
        if value == "-":
            items.extend(_lines(stdin, "stdin"))
        else:
            items.append(Item(f"argument {index}", value))
    if path is not None:
        stream = _open(path, stdin)
        try:
            items.extend(_lines(stream, "stdin" if path == "-" else path))
        finally:
            if stream is not stdin:
                stream.close()
    return items


def read_records(path: str, stdin: TextIO = sys.stdin) -> List[Item]:
    """The records of a CSV file (a header line naming the fields) or an NDJSON file (one
    object a line), told apart by their first character. Empty cells are absent fields."""
    name = "stdin" if path == "-" else path
    stream = _open(path, stdin)
    try:
        text = stream.read()
    finally:
        if stream is not stdin:
            stream.close()
    if text.lstrip().startswith("{"):
        return _ndjson(text, name)
    return _csv(text, name)


def _ndjson(text: str, name: str) -> List[Item]:
    items, problems = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{name} line {number}"
        try:
            record = json.loads(line)
        except ValueError as e:
            problems.append(f"{where}: not JSON ({e})")
            continue
        if not isinstance(record, dict):
            problems.append(f"{where}: not a JSON object")
            continue
        fields = {}
        for key, value in record.items():
            if value is None or value == "":
                continue
            if not isinstance(value, str):
                problems.append(f"{where}, field {key}: must be a string")
            fields[key] = value
        items.append(Item(where, fields, {k: f"field {k}" for k in fields}))
    if problems:
        raise BadInput(problems)
    if not items:
        raise BadInput([f"{name}: no records"])
    return items


def _csv(text: str, name: str) -> List[Item]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in reader.fieldnames or []]
    if not header:
        raise BadInput([f"{name}: empty (a CSV needs a header line naming the columns)"])
    reader.fieldnames = header
    items = []
    for row in reader:
        where = f"{name} line {reader.line_num}"
        if None in row:
            raise BadInput([f"{where}: more cells than the header has columns"])
        fields = {k: v.strip() for k, v in row.items() if k and v is not None and v.strip()}
        items.append(Item(where, fields, {k: f"column {k}" for k in header}))
    if not items:
        raise BadInput([f"{name}: a header and no records"])
    return items


def validate(client: Client, operation: str, items: Sequence[Item], limit: int = 20) -> None:
    """Checks every item with the core's rules; raises :class:`BadInput` naming each bad one
    (where, field, reason). A field missing from every record of a file is one problem: the
    missing column."""
    problems: List[str] = []
    missing: Dict[str, str] = {}
    for item in items:
        try:
            if isinstance(item.value, dict):
                item.checked = check(client, operation, **item.value)
            else:
                item.checked = check(client, operation, item.value)
        except ValidationError as e:
            name = e.field or ""
            shown = item.names.get(name)
            if isinstance(item.value, dict) and name not in item.value and shown is None:
                source = item.where.rsplit(" line ", 1)[0]
                missing.setdefault(name, f"{source}: no {name} (a column or field required: {e})")
                continue
            where = item.where if shown is None else f"{item.where}, {shown}"
            problems.append(f"{where}: {e}")
        except TypeError as e:
            # A key the request does not have (a typo in a header): the binding names it.
            problems.append(f"{item.where}: {e}")
    problems = list(missing.values()) + problems
    if problems:
        listed = problems[:limit]
        if len(problems) > limit:
            listed.append(f"... and {len(problems) - limit} more")
        raise BadInput(listed)
