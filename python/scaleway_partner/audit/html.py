"""HTML views of the report: the fragment Jupyter shows (``_repr_html_``) and a self-contained
page (``to_html()``: inline CSS and SVG, nothing to fetch). Every value is escaped."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Callable, List, Sequence, Tuple, TypeVar

from . import svg
from .text import date, days

if TYPE_CHECKING:
    from .report import AuditReport, Finding, SharedValue, UnknownValue

__all__ = ["fragment", "page"]

_T = TypeVar("_T")

_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 2rem auto;
  max-width: 1200px; padding: 0 1rem; color: #1d2433; background: #fff; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
h2 { font-size: 1.15rem; margin: 2rem 0 .5rem; border-bottom: 1px solid #d8dce6; }
.meta { color: #5b6478; margin-top: 0; }
table { border-collapse: collapse; margin: .5rem 0; font-size: .9rem; }
th, td { padding: .3rem .7rem; border-bottom: 1px solid #e6e9f0; text-align: left;
  vertical-align: top; }
th { background: #f3f5f9; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
tr.problem td.n { color: #b3261e; font-weight: 600; }
.more { color: #5b6478; font-style: italic; }
.charts { display: flex; flex-wrap: wrap; gap: 2rem; }
.charts figure { margin: 0; }
figcaption { font-weight: 600; margin-bottom: .3rem; }
code { font-size: .85em; }
td.k { white-space: nowrap; }
.scroll { overflow-x: auto; }
"""


def _cell(value: object, numeric: bool = False, key: bool = False) -> str:
    """A cell; ``key`` cells (IDs, dates) never wrap, so that each row stays on one line."""
    cls = ' class="n"' if numeric else ' class="k"' if key else ""
    return f"<td{cls}>{escape(str(value))}</td>"


def _table(headers: Sequence[str], rows: Sequence[str], numeric_from: int = 99) -> str:
    head = "".join(
        f'<th class="n">{escape(h)}</th>' if i >= numeric_from else f"<th>{escape(h)}</th>"
        for i, h in enumerate(headers)
    )
    body = "".join(rows)
    table = f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    return f'<div class="scroll">{table}</div>'


def _more(shown: int, total: int) -> str:
    if total <= shown:
        return ""
    return f'<p class="more">… and {total - shown:,} more</p>'


def summary_table(report: AuditReport) -> str:
    """Totals, the breakdowns and the count of every problem list."""
    rows = [f'<tr><th>Organizations</th><td class="n">{report.total:,}</td></tr>']
    for title, counts in (
        ("Status", report.by_status),
        ("Locked by", report.by_locked_by),
        ("Lock reason", report.by_lock_reason),
    ):
        for key, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            rows.append(
                f"<tr><td>{escape(title)}: <code>{escape(key)}</code></td>"
                f'<td class="n">{count:,}</td></tr>'
            )
    for title, count in report.problems():
        cls = ' class="problem"' if count else ""
        rows.append(f'<tr{cls}><td>{escape(title)}</td><td class="n">{count:,}</td></tr>')
    return (
        '<table class="summary"><thead><tr><th>Audit summary</th><th class="n">Count</th>'
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _finding_rows(findings: Sequence[Finding], with_days: bool) -> List[str]:
    rows = []
    for f in findings:
        cells = [
            _cell(f.name),
            f'<td class="k"><code>{escape(f.id)}</code></td>',
            _cell(f.email),
            _cell(f.customer_id, key=True),
        ]
        if with_days:
            # The section says who locked and why; the lock's date and age are what differ.
            cells += [
                _cell(date(f.created_at), key=True),
                _cell(date(f.locked_at), key=True),
                _cell(days(f.days), numeric=True),
            ]
        else:
            cells += [
                _cell(f.status),
                _cell(f.locked_by),
                _cell(date(f.created_at), key=True),
            ]
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return rows


def _findings(findings: Sequence[Finding], limit: int, with_days: bool) -> str:
    headers = ["Name", "ID", "Email", "Customer ID"]
    if with_days:
        headers += ["Created", "Locked", "Days"]
    else:
        headers += ["Status", "Locked by", "Created"]
    rows = _finding_rows(findings[:limit], with_days)
    table = _table(headers, rows, numeric_from=6 if with_days else 99)
    return table + _more(min(limit, len(findings)), len(findings))


def _shared(values: Sequence[SharedValue], limit: int, what: str) -> str:
    rows = []
    for s in values[:limit]:
        ids = ", ".join(s.organization_ids[:4]) + (" …" if len(s.organization_ids) > 4 else "")
        rows.append(
            f"<tr>{_cell(s.value)}{_cell(len(s.organization_ids), numeric=True)}"
            f"<td><code>{escape(ids)}</code></td></tr>"
        )
    table = _table([what, "Organizations", "Organization IDs"], rows, numeric_from=1)
    return table + _more(min(limit, len(values)), len(values))


def _unknown(values: Sequence[UnknownValue]) -> str:
    rows = [
        f"<tr>{_cell(u.field)}<td><code>{escape(u.value)}</code></td>"
        f"{_cell(f'{u.count:,}', numeric=True)}</tr>"
        for u in values
    ]
    return _table(["Field", "Value", "Organizations"], rows, numeric_from=2)


def _section(
    title: str, items: Sequence[_T], render: Callable[[Sequence[_T]], str], heading: str
) -> Tuple[str, str]:
    body = render(items) if items else '<p class="more">None.</p>'
    return f"<{heading}>{escape(title)} ({len(items):,})</{heading}>", body


def sections(report: AuditReport, limit: int, heading: str) -> str:
    """Every problem list as a heading and a table of its first ``limit`` rows."""
    parts = [
        _section(
            report.problems()[0][0],
            report.stuck_in_email_validation,
            lambda f: _findings(f, limit, with_days=True),
            heading,
        ),
        _section(
            "Locked by the partner",
            report.locked_by_partner,
            lambda f: _findings(f, limit, with_days=True),
            heading,
        ),
        _section(
            "Customer IDs shared by several organizations",
            report.shared_customer_ids,
            lambda s: _shared(s, limit, "Customer ID"),
            heading,
        ),
        _section(
            "Owner emails shared by several organizations",
            report.shared_emails,
            lambda s: _shared(s, limit, "Email"),
            heading,
        ),
        _section(
            "Empty customer ID",
            report.empty_customer_id,
            lambda f: _findings(f, limit, with_days=False),
            heading,
        ),
        _section(
            "No phone number",
            report.missing_phone_number,
            lambda f: _findings(f, limit, with_days=False),
            heading,
        ),
        _section("Unknown API values", report.unknown_values, _unknown, heading),
    ]
    return "".join(h + b for h, b in parts)


def _generated(report: AuditReport) -> str:
    return f"{report.total:,} organizations, generated {report.generated_at:%Y-%m-%d %H:%M} UTC"


def fragment(report: AuditReport, limit: int = 10) -> str:
    """What Jupyter shows: the summary, then the problem lists (``limit`` rows each)."""
    return (
        '<div class="scaleway-partner-audit">'
        f"<h3>Account audit</h3><p>{escape(_generated(report))}</p>"
        f"{summary_table(report)}{sections(report, limit, 'h4')}</div>"
    )


def page(report: AuditReport, max_rows: int = 100) -> str:
    """A complete HTML document, readable offline and printable."""
    charts = (
        '<div class="charts">'
        f"<figure><figcaption>Organizations by status</figcaption>"
        f"{svg.bar_chart(report.by_status)}</figure>"
        f"<figure><figcaption>Organizations created per month</figcaption>"
        f"{svg.month_chart(report.created_per_month)}</figure></div>"
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Account audit — {report.total:,} organizations</title>"
        f"<style>{_CSS}</style></head><body>"
        f'<h1>Account audit</h1><p class="meta">{escape(_generated(report))}</p>'
        f"<h2>Summary</h2>{summary_table(report)}<h2>Charts</h2>{charts}"
        f"{sections(report, max_rows, 'h2')}</body></html>\n"
    )
