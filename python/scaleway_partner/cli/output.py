"""How the command prints organizations and per-item results: a table fitted to the terminal,
JSON, NDJSON, CSV or bare IDs. Organizations are written page by page as they arrive."""

from __future__ import annotations

import csv
import json
import shutil
import sys
from typing import Any, Callable, Dict, List, Optional, Sequence, TextIO, Tuple

from .._models import ORGANIZATION_COLUMNS, Organization
from ..audit.text import clip, date

__all__ = [
    "FORMATS",
    "OrganizationWriter",
    "default_format",
    "table_lines",
    "terminal_width",
]

FORMATS = ("table", "json", "ndjson", "csv", "ids")


def terminal_width() -> int:
    """``COLUMNS``, then the terminal's width, else 100."""
    return shutil.get_terminal_size((100, 24)).columns


def default_format(stream: TextIO) -> str:
    """``table`` for a person at a terminal, ``json`` for a pipe or a file."""
    try:
        return "table" if stream.isatty() else "json"
    except (AttributeError, ValueError):
        return "json"


# A column: heading, value, narrowest width before it is dropped, and whether it may be clipped
# (an ID never is: it is what one copies into the next command).
_Column = Tuple[str, Callable[[Organization], str], int, bool]

_ORG_COLUMNS: Sequence[_Column] = (
    ("NAME", lambda o: o.name, 24, True),
    ("EMAIL", lambda o: o.email, 24, True),
    ("ID", lambda o: o.id, 36, False),
    ("STATUS", lambda o: str(o.status), 6, False),
    ("LOCKED BY", lambda o: str(o.locked_by) if o.locked_by else "", 9, False),
    ("CUSTOMER ID", lambda o: o.customer_id, 11, True),
    ("CREATED", lambda o: date(o.created_at), 10, False),
)
_GAP = 2


def _fit(
    rows: List[List[str]], minimums: Sequence[int], clippable: Sequence[bool], room: int
) -> List[int]:
    """Column widths for ``rows`` (the heading first) within ``room`` characters: columns are
    dropped from the right (width 0) until each kept one has its minimum (the first three, the
    identity, always stay), then the clippable ones share what is left, a character at a time,
    up to their natural widths (or give back what is missing, down to 4)."""
    natural = [max(len(r[i]) for r in rows) for i in range(len(minimums))]
    count = len(minimums)
    while count > 3:
        floor = sum(min(natural[i], minimums[i]) for i in range(count)) + _GAP * (count - 1)
        if floor <= room:
            break
        count -= 1
    widths = [min(natural[i], minimums[i]) if clippable[i] else natural[i] for i in range(count)]
    spare = room - sum(widths) - _GAP * (count - 1)
    while spare != 0:
        grow = spare > 0
        movable = [
            i
            for i in range(count)
            if clippable[i] and (widths[i] < natural[i] if grow else widths[i] > 4)
        ]
        if not movable:
            break
        for i in movable[: abs(spare)]:
            widths[i] += 1 if grow else -1
            spare += -1 if grow else 1
    return widths + [0] * (len(minimums) - count)


def table_lines(
    headings: Sequence[str],
    rows: List[List[str]],
    minimums: Sequence[int],
    clippable: Sequence[bool],
    widths: Optional[List[int]] = None,
) -> Tuple[List[str], List[int]]:
    """The lines of a table (heading line included when ``widths`` is None, that is for the
    first block) and the widths used, to keep the next blocks aligned."""
    lines = []
    if widths is None:
        widths = _fit([list(headings), *rows], minimums, clippable, terminal_width())
        rows = [list(headings), *rows]
    for row in rows:
        cells = [clip(cell, w).ljust(w) for cell, w in zip(row, widths) if w > 0]
        lines.append((" " * _GAP).join(cells).rstrip())
    return lines, widths


class OrganizationWriter:
    """Writes organizations in one format, a page at a time (``write``), flushing each page so
    that a pipe sees it at once; ``close`` ends the document (JSON's closing bracket)."""

    def __init__(self, fmt: str, out: TextIO = sys.stdout, single: bool = False) -> None:
        self.fmt = fmt
        self.out = out
        self.single = single  # JSON: one object, not an array (``get ID``)
        self.count = 0
        self._widths: Optional[List[int]] = None
        self._csv: Any = None

    def write(self, orgs: Sequence[Organization]) -> None:
        if not orgs and self.count:
            return
        out = self.out
        if self.fmt == "ndjson":
            out.writelines(f"{json.dumps(o.to_dict())}\n" for o in orgs)
        elif self.fmt == "ids":
            out.writelines(f"{o.id}\n" for o in orgs)
        elif self.fmt == "json":
            if self.single:
                out.writelines(json.dumps(o.to_dict(), indent=2) + "\n" for o in orgs)
            else:
                for o in orgs:
                    out.write(("[\n  " if self.count == 0 else ",\n  ") + json.dumps(o.to_dict()))
                    self.count += 1
        elif self.fmt == "csv":
            if self._csv is None:
                self._csv = csv.writer(out, lineterminator="\n")
                self._csv.writerow(ORGANIZATION_COLUMNS)
            for o in orgs:
                d = o.to_dict()
                self._csv.writerow(["" if d.get(f) is None else d[f] for f in ORGANIZATION_COLUMNS])
        else:
            rows = [[c[1](o) for c in _ORG_COLUMNS] for o in orgs]
            if rows or self._widths is None:
                lines, self._widths = table_lines(
                    [c[0] for c in _ORG_COLUMNS],
                    rows,
                    [c[2] for c in _ORG_COLUMNS],
                    [c[3] for c in _ORG_COLUMNS],
                    self._widths,
                )
                out.writelines(line + "\n" for line in lines)
        if self.fmt != "json":
            self.count += len(orgs)
        out.flush()

    def close(self) -> None:
        if self.fmt == "json" and not self.single:
            self.out.write("[]\n" if self.count == 0 else "\n]\n")
            self.out.flush()


def error_dict(error: BaseException) -> Dict[str, Any]:
    """An error as JSON: its class, its kind code and its message (and the field at fault)."""
    out: Dict[str, Any] = {"type": type(error).__name__, "message": str(error)}
    code = getattr(error, "code", None)
    if code is not None:
        out["code"] = code
    field = getattr(error, "field", None)
    if field is not None:
        out["field"] = field
    return out
