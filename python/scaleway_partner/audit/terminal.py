"""The report for a terminal (``scaleway-partner audit``): section headings, aligned columns,
the first rows of each problem list. Colour only when asked (the CLI asks on a TTY)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Dict, List, Sequence, Sized, Tuple

from .text import clip, date, days

if TYPE_CHECKING:
    from .report import AuditReport, Finding, SharedValue

__all__ = ["render"]


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


def _columns(
    headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[int]
) -> List[str]:
    """Aligned rows (two spaces between columns); ``right``: indexes of numeric columns."""
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(headers)]

    def line(cells: Sequence[str]) -> str:
        out = [
            c.rjust(widths[i]) if i in right else c.ljust(widths[i]) for i, c in enumerate(cells)
        ]
        return "  " + "  ".join(out).rstrip()

    return [line(headers)] + [line(r) for r in rows]


def _counts(title: str, counts: Dict[str, int], total: int, s: _Style) -> List[str]:
    items = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    rows = [[k, f"{v:,}", f"{100 * v / total:.1f}%" if total else ""] for k, v in items]
    if not rows:
        return [s.heading(title), "  none"]
    return [s.heading(title), *_columns(["", "Count", "Share"], rows, right=[1, 2])[1:]]


def _more(shown: int, total: int, s: _Style) -> List[str]:
    return [s.dim(f"  ... and {total - shown:,} more")] if total > shown else []


def _findings(findings: Sequence[Finding], limit: int, with_days: bool, s: _Style) -> List[str]:
    headers = ["Name", "ID", "Email", "Customer ID", "Created"]
    if with_days:
        headers += ["Reason", "Days"]
    rows = []
    for f in findings[:limit]:
        row = [
            clip(f.name, 28),
            f.id,
            clip(f.email, 32),
            clip(f.customer_id, 16),
            date(f.created_at),
        ]
        if with_days:
            row += [clip(f.lock_reason_message or "", 20), days(f.days)]
        rows.append(row)
    right = [6] if with_days else []
    return _columns(headers, rows, right) + _more(len(rows), len(findings), s)


def _shared(values: Sequence[SharedValue], limit: int, what: str, s: _Style) -> List[str]:
    rows = []
    for v in values[:limit]:
        ids = ", ".join(i[:8] for i in v.organization_ids[:3])
        if len(v.organization_ids) > 3:
            ids += ", ..."
        rows.append([clip(v.value, 36), str(len(v.organization_ids)), ids])
    return _columns([what, "Orgs", "Organization IDs (first 8 chars)"], rows, [1]) + _more(
        len(rows), len(values), s
    )


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


def render(report: AuditReport, *, color: bool = False, limit: int = 10) -> str:
    """The whole report as text; ``limit`` rows per problem list."""
    s = _Style(color)
    r = report
    out = [
        s.heading(f"Account audit: {r.total:,} organizations"),
        f"generated {r.generated_at:%Y-%m-%d %H:%M} UTC",
        "",
        *_counts("Status", r.by_status, r.total, s),
        "",
        *_counts("Locked by", r.by_locked_by, r.total, s),
        "",
        *_counts("Lock reason", r.by_lock_reason, r.total, s),
        "",
        s.heading("Problems"),
    ]
    problems = r.problems()
    width = max(len(t) for t, _ in problems)
    for title, count in problems:
        number = f"{count:>7,}"
        out.append(f"  {title:<{width}}  {s.alert(number) if count else number}")
    sections: List[Tuple[str, Sized, Callable[[], List[str]]]] = [
        (
            problems[0][0],
            r.stuck_in_email_validation,
            lambda: _findings(r.stuck_in_email_validation, limit, True, s),
        ),
        (
            "Locked by the partner (longest first)",
            r.locked_by_partner,
            lambda: _findings(r.locked_by_partner, limit, True, s),
        ),
        (
            "Customer IDs shared by several organizations",
            r.shared_customer_ids,
            lambda: _shared(r.shared_customer_ids, limit, "Customer ID", s),
        ),
        (
            "Owner emails shared by several organizations",
            r.shared_emails,
            lambda: _shared(r.shared_emails, limit, "Email", s),
        ),
        (
            "Empty customer ID",
            r.empty_customer_id,
            lambda: _findings(r.empty_customer_id, limit, False, s),
        ),
        (
            "No phone number",
            r.missing_phone_number,
            lambda: _findings(r.missing_phone_number, limit, False, s),
        ),
        (
            "Unknown API values",
            r.unknown_values,
            lambda: _columns(
                ["Field", "Value", "Orgs"],
                [[u.field, u.value, f"{u.count:,}"] for u in r.unknown_values],
                [2],
            ),
        ),
    ]
    for title, items, body in sections:
        out += ["", s.heading(f"{title} ({len(items):,})")]
        out += body() if items else ["  none"]
    out += ["", *_months(r.created_per_month, s)]
    return "\n".join(out) + "\n"
