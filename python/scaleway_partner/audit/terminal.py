"""The report for a terminal (``scaleway-partner audit``): section headings, aligned columns
fitted to the terminal's width, ``max_rows`` rows per list. Colour only when asked (the CLI
asks on a TTY)."""

from __future__ import annotations

import os
import shutil
import sys
from datetime import datetime
from typing import TYPE_CHECKING, Dict, List, Optional, Sequence

from .tables import Table, lock_ages, report_tables, shown
from .text import clip

if TYPE_CHECKING:
    from .diff import AuditDiff
    from .report import AuditReport
    from .tables import Cell

__all__ = ["changes_text", "render", "terminal_width"]

_MIN_WIDTH = {"text": 6, "id": 6, "note": 12}
_UNLIMITED = sys.maxsize
"""The width off a terminal: lines are not cut (bars take 100 columns)."""


def terminal_width() -> int:
    """The terminal's width (``COLUMNS``, then the terminal itself); off a terminal (a pipe, a
    file, ``print(report)`` in Jupyter) no limit: nothing is cut that no screen narrows."""
    if "COLUMNS" in os.environ or sys.stdout.isatty():
        return shutil.get_terminal_size((100, 24)).columns
    return _UNLIMITED


class _Style:
    def __init__(self, color: bool) -> None:
        self.color = color

    def _wrap(self, code: str, text: str) -> str:
        return f"\033[{code}m{text}\033[0m" if self.color else text

    def heading(self, text: str) -> str:
        return self._wrap("1", text)

    def alert(self, text: str) -> str:
        return self._wrap("1;31", text)

    def dim(self, text: str) -> str:
        return self._wrap("2", text)


def cell_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, int):
        return f"{value:,}"
    return value


def _fit(widths: List[int], kinds: Sequence[str], room: int) -> List[int]:
    """Narrows the widest of the text and ID columns (a name is not cut to a few characters
    while a 36-character UUID stays whole), then notes (what a row says happened, clipped last)
    until the line fits ``room``."""
    widths = list(widths)
    for wanted in (("text", "id"), ("note",)):
        while sum(widths) + 2 * (len(widths) - 1) + 2 > room:
            candidates = [
                i for i, k in enumerate(kinds) if k in wanted and widths[i] > _MIN_WIDTH[k]
            ]
            if not candidates:
                break
            widest = max(candidates, key=lambda i: widths[i])
            widths[widest] -= 1
    return widths


def columns(
    headers: Sequence[str], rows: Sequence[Sequence[str]], kinds: Sequence[str], room: int
) -> List[str]:
    """Aligned lines (two spaces between columns), numbers right-aligned, fitted to ``room``."""
    natural = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(headers)]
    widths = _fit(natural, kinds, room)

    def line(cells: Sequence[str]) -> str:
        out = []
        for i, c in enumerate(cells):
            c = clip(c, widths[i])
            out.append(c.rjust(widths[i]) if kinds[i] == "number" else c.ljust(widths[i]))
        return "  " + "  ".join(out).rstrip()

    return [line(headers)] + [line(r) for r in rows]


def table_lines(table: Table, max_rows: Optional[int], room: int, s: _Style) -> List[str]:
    lines = ["", s.heading(table.heading)]
    if not table.rows:
        return [*lines, "  none"]
    shown_rows = table.rows if max_rows is None else table.rows[:max_rows]
    lines += columns(
        [c.title for c in table.columns],
        [[cell_text(v) for v in row] for row in shown_rows],
        [c.kind for c in table.columns],
        room,
    )
    hidden = len(table.rows) - len(shown_rows)
    if hidden:
        lines.append(s.dim(f"  ... and {hidden:,} more rows (--max-rows N, or --all)"))
    return lines


def _counts(title: str, counts: Dict[str, int], total: int, s: _Style, room: int) -> List[str]:
    items = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    rows = [
        [shown(k) or "(not given)", f"{v:,}", f"{100 * v / total:.1f}%" if total else ""]
        for k, v in items
    ]
    if not rows:
        return [s.heading(title), "  none"]
    return [
        s.heading(title),
        *columns(["", "Count", "Share"], rows, ["text", "number", "number"], room)[1:],
    ]


def _bars(title: str, items: Sequence[tuple[str, int]], s: _Style, room: int) -> List[str]:
    """A horizontal bar per item (for the lock-age histogram)."""
    label_w = max((len(k) for k, _ in items), default=0)
    top = max((v for _, v in items), default=0) or 1
    bar_room = max((100 if room == _UNLIMITED else room) - label_w - 14, 10)
    lines = [s.heading(title)]
    for label, value in items:
        bar = "█" * round(bar_room * value / top)
        lines.append(f"  {label:<{label_w}}  {value:>6,}  {bar}".rstrip())
    return lines


def _months(per_month: Dict[str, int], s: _Style) -> List[str]:
    """One row per year: the total and a bar per month (height by count)."""
    if not per_month:
        return [s.heading("Created per month"), "  none"]
    top = max(per_month.values()) or 1
    blocks = " ▁▂▃▄▅▆▇█"
    years: Dict[str, List[str]] = {}
    totals: Dict[str, int] = {}
    for month, count in per_month.items():
        year, m = month[:4], int(month[5:])
        row = years.setdefault(year, [" "] * 12)
        row[m - 1] = blocks[min(round(8 * count / top), 8)] if count else "·"
        totals[year] = totals.get(year, 0) + count
    lines = [s.heading(f"Created per month (one column per month, tallest = {top:,})")]
    lines.append("  year  JFMAMJJASOND   total")
    for year, row in years.items():
        lines.append(f"  {year}  {''.join(row)}  {totals[year]:>6,}")
    return lines


def _changes(diff: AuditDiff, max_rows: Optional[int], room: int, s: _Style) -> List[str]:
    out = [s.heading(diff.heading())]
    tables = diff.tables()
    width = max(len(t.title) for t in tables)
    for t in tables:
        out.append(f"  {t.title:<{width}}  {t.count:>7,}")
    for t in tables:
        if t.rows:
            out += table_lines(t, max_rows, room, s)
    return out


def changes_text(
    diff: AuditDiff, *, max_rows: Optional[int], width: Optional[int], color: bool
) -> str:
    """The changes alone (``print(report.diff(previous))``)."""
    room = terminal_width() if width is None else width
    return "\n".join(_changes(diff, max_rows, room, _Style(color))) + "\n"


def render(
    report: AuditReport,
    *,
    max_rows: Optional[int] = 10,
    changes: Optional[AuditDiff] = None,
    width: Optional[int] = None,
    color: bool = False,
) -> str:
    """The whole report as text: ``max_rows`` rows per list (None: all), ``width`` columns
    (the terminal's by default), the changes first when given."""
    s = _Style(color)
    r = report
    room = terminal_width() if width is None else width
    out = [
        s.heading(f"Account audit: {r.total:,} organizations"),
        f"generated {r.generated_at:%Y-%m-%d %H:%M} UTC",
        "",
    ]
    if changes is not None:
        out += [*_changes(changes, max_rows, room, s), ""]
    out += [
        *_counts("Status", r.by_status, r.total, s, room),
        "",
        *_counts("Locked by", r.by_locked_by, r.total, s, room),
        "",
        *_counts("Lock reason", r.by_lock_reason, r.total, s, room),
        "",
        s.heading("Problems"),
    ]
    tables = report_tables(r)
    width_titles = max(len(t.title) for t in tables)
    for t in tables:
        if not t.problem:
            out.append(s.heading("Set apart"))
        number = f"{t.count:>7,}"
        out.append(
            f"  {t.title:<{width_titles}}  {s.alert(number) if t.count and t.problem else number}"
        )
    for t in tables:
        out += table_lines(t, max_rows, room, s)
    out += ["", *_bars("Partner locks by age", lock_ages(r), s, room)]
    out += ["", *_months(r.created_per_month, s)]
    return "\n".join(out) + "\n"
