"""Plain-text helpers shared by the repr and the terminal report."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Dict, Iterable, Optional

if TYPE_CHECKING:
    from .report import AuditReport

__all__ = ["clip", "counts_line", "date", "days", "summary"]


def clip(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters, with an ellipsis when cut."""
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def date(t: Optional[datetime]) -> str:
    return "" if t is None else t.strftime("%Y-%m-%d")


def days(d: Optional[float]) -> str:
    return "" if d is None else f"{d:,.0f}"


def counts_line(counts: Dict[str, int]) -> str:
    """``opened 854 · locked 569`` (largest first)."""
    items = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return " · ".join(f"{k} {v:,}" for k, v in items) or "none"


def _months(per_month: Dict[str, int]) -> str:
    if not per_month:
        return "none"
    months = list(per_month)
    peak = max(per_month.items(), key=lambda kv: kv[1])
    return f"{len(months)} months, {months[0]} .. {months[-1]} (peak {peak[1]:,} in {peak[0]})"


def _longest(values: Iterable[Optional[float]]) -> str:
    known = [v for v in values if v is not None]
    return f" (longest {max(known):,.0f} days)" if known else ""


def summary(report: AuditReport) -> str:
    """The report on one screen (its ``repr``)."""
    r = report
    shared_max = max((len(s.organization_ids) for s in r.shared_customer_ids), default=0)
    problems = r.problems()
    width = max(len(title) for title, _ in problems)
    extra = {
        0: _longest(f.days for f in r.stuck_in_email_validation),
        1: _longest(f.days for f in r.locked_by_partner),
        2: f" (up to {shared_max} organizations each)" if shared_max else "",
    }
    lines = [
        f"AuditReport({r.total:,} organizations, generated {r.generated_at:%Y-%m-%d %H:%M} UTC)",
        f"  status:      {counts_line(r.by_status)}",
        f"  locked by:   {counts_line(r.by_locked_by)}",
        f"  lock reason: {counts_line(r.by_lock_reason)}",
        "  problems:",
    ]
    for i, (title, count) in enumerate(problems):
        lines.append(f"    {title:<{width}}  {count:>7,}{extra.get(i, '')}")
    lines.append(f"  closed:      {len(r.closed):,} (set apart, in no problem list)")
    lines.append(f"  created:     {_months(r.created_per_month)}")
    if r.unknown_values:
        unknown = ", ".join(f"{u.field}={u.value} ({u.count:,})" for u in r.unknown_values)
        lines.append(f"  unknown:     {clip(unknown, 200)}")
    return "\n".join(lines)
