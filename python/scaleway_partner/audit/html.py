"""HTML views of the report: the view Jupyter shows (scoped styles, ``max_rows`` rows per
list) and a self-contained page (``to_html()``: a table of contents, sortable tables, a
search box, dark mode and print styles; inline CSS, JS and SVG, nothing to fetch). Every
value is escaped."""

from __future__ import annotations

from datetime import datetime
from html import escape
from typing import TYPE_CHECKING, List, Optional

from . import svg
from .tables import Table, lock_ages, report_tables, status_split, summary_rows
from .terminal import cell_text

if TYPE_CHECKING:
    from .diff import AuditDiff
    from .report import AuditReport
    from .tables import Cell

__all__ = ["View", "changes_fragment", "page"]

# Scoped to the view's own class: a notebook's styles neither leak in nor out. The table rules
# name the class twice: JupyterLab's `:not(.jp-RenderedMarkdown).jp-RenderedHTMLCommon td` (two
# classes: right-aligned, wrapping, fixed layout) outranks a rule with one.
SCOPED_CSS = """
.spa-audit { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
.spa-audit.spa-audit table { border-collapse: collapse; margin: .4rem 0; font-size: .85rem;
  table-layout: auto; }
.spa-audit.spa-audit th, .spa-audit.spa-audit td { padding: .25rem .6rem; text-align: left;
  vertical-align: top; border-bottom: 1px solid rgba(127, 127, 127, .25); }
.spa-audit thead th { font-weight: 600; }
.spa-audit.spa-audit td.n, .spa-audit.spa-audit th.n { text-align: right;
  font-variant-numeric: tabular-nums; }
.spa-audit.spa-audit td.k { white-space: nowrap;
  font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .8rem; }
.spa-audit tr.problem td.n { color: #c62828; font-weight: 600; }
.spa-audit .more { opacity: .7; font-style: italic; }
.spa-audit h3, .spa-audit h4 { margin: 1rem 0 .3rem; }
"""

_PAGE_CSS = """
:root { color-scheme: light dark; --fg: #1d2433; --muted: #5b6478; --bg: #fff;
  --line: #e6e9f0; --head: #f3f5f9; --alert: #b3261e; --link: #1a56c4; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e3e6ee; --muted: #9aa3b5; --bg: #14171f; --line: #2b3140;
    --head: #1d2230; --alert: #ff8a80; --link: #8ab4ff; }
  svg text { fill: var(--fg); }
}
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 2rem auto;
  max-width: 1200px; padding: 0 1rem; color: var(--fg); background: var(--bg); }
a { color: var(--link); }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
h2 { font-size: 1.15rem; margin: 2rem 0 .5rem; border-bottom: 1px solid var(--line); }
.meta, .more, .matches { color: var(--muted); }
.more, .matches { font-style: italic; }
table { border-collapse: collapse; margin: .5rem 0; font-size: .9rem; }
th, td { padding: .3rem .7rem; border-bottom: 1px solid var(--line); text-align: left;
  vertical-align: top; }
th { background: var(--head); }
table.list th { cursor: pointer; user-select: none; white-space: nowrap; }
th[aria-sort="ascending"]::after { content: " ▲"; }
th[aria-sort="descending"]::after { content: " ▼"; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
td.k { white-space: nowrap; }
tr.problem td.n { color: var(--alert); font-weight: 600; }
.charts { display: flex; flex-wrap: wrap; gap: 2rem; }
.charts figure { margin: 0; }
figcaption { font-weight: 600; margin-bottom: .3rem; }
code { font-size: .85em; }
.scroll { overflow-x: auto; }
#search { font: inherit; padding: .35rem .6rem; width: min(28rem, 100%); margin: .5rem 0;
  color: var(--fg); background: var(--bg); border: 1px solid var(--muted); border-radius: 4px; }
@media print {
  #search, .matches { display: none; }
  body { margin: 0; max-width: none; color: #000; background: #fff; }
  h2 { break-after: avoid; }
  tr { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
  .scroll { overflow: visible; }
}
"""

# Sorting by a column (click its heading; again to reverse) and filtering every list's rows
# by the search box. Cells carry a data-v sort key where their text would sort wrongly.
_PAGE_JS = """
(function () {
  function key(cell, numeric) {
    var v = cell.getAttribute('data-v');
    if (v === null) v = cell.textContent;
    return numeric ? (v === '' ? -Infinity : parseFloat(v)) : v.toLowerCase();
  }
  document.querySelectorAll('table.list').forEach(function (table) {
    table.querySelectorAll('thead th').forEach(function (th, col) {
      th.addEventListener('click', function () {
        var numeric = th.classList.contains('n');
        var asc = th.getAttribute('aria-sort') !== 'ascending';
        table.querySelectorAll('thead th').forEach(function (h) {
          h.removeAttribute('aria-sort');
        });
        th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = key(a.cells[col], numeric), y = key(b.cells[col], numeric);
          return (x < y ? -1 : x > y ? 1 : 0) * (asc ? 1 : -1);
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
  var search = document.getElementById('search');
  if (!search) return;
  search.addEventListener('input', function () {
    var q = search.value.trim().toLowerCase();
    document.querySelectorAll('table.list').forEach(function (table) {
      var shown = 0;
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        var hit = !q || row.textContent.toLowerCase().indexOf(q) >= 0;
        row.hidden = !hit;
        if (hit) shown++;
      });
      var note = table.parentNode.parentNode.querySelector('.matches');
      var all = table.tBodies[0].rows.length;
      if (note) note.textContent = q ? shown + ' of ' + all + ' rows match' : '';
    });
  });
})();
"""


def _cell(value: Cell, kind: str) -> str:
    text = escape(cell_text(value))
    if kind == "number":
        sort = "" if value is None else f' data-v="{value}"'
        return f'<td class="n"{sort}>{text}</td>'
    if isinstance(value, datetime):
        return f'<td class="k" data-v="{value.isoformat()}">{text}</td>'
    return f'<td class="k">{text}</td>' if kind in ("id", "date") else f"<td>{text}</td>"


def _table(table: Table, max_rows: Optional[int]) -> str:
    if not table.rows:
        return '<p class="more">None.</p>'
    rows = table.rows if max_rows is None else table.rows[:max_rows]
    head = "".join(
        f'<th class="n">{escape(c.title)}</th>'
        if c.kind == "number"
        else f"<th>{escape(c.title)}</th>"
        for c in table.columns
    )
    body = "".join(
        "<tr>" + "".join(_cell(v, c.kind) for v, c in zip(row, table.columns)) + "</tr>"
        for row in rows
    )
    out = (
        f'<div class="scroll"><table class="list"><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table></div>"
    )
    hidden = len(table.rows) - len(rows)
    if hidden:
        out += f'<p class="more">… and {hidden:,} more rows (max_rows={max_rows})</p>'
    return out


def _sections(tables: List[Table], max_rows: Optional[int], heading: str) -> str:
    return "".join(
        f'<section id="{t.key}"><{heading}>{escape(t.heading)}</{heading}>'
        f'<p class="matches"></p>{_table(t, max_rows)}</section>'
        for t in tables
    )


def summary_table(report: AuditReport, links: bool) -> str:
    """Totals, breakdowns and every list's count; with ``links``, each list's row links to its
    section (the page's table of contents)."""
    rows = []
    for group, label, count, anchor in summary_rows(report):
        text = escape(label)
        if links and anchor:
            text = f'<a href="#{anchor}">{text}</a>'
        if group in ("Status", "Locked by", "Lock reason"):
            text = f"{escape(group)}: <code>{text}</code>"
        elif group == "Set apart":
            text = f"{text} <small>(set apart)</small>"
        problem = group == "Problems" and count
        cls = ' class="problem"' if problem else ""
        rows.append(f'<tr{cls}><td>{text}</td><td class="n">{count:,}</td></tr>')
    return (
        '<table class="summary"><thead><tr><th>Audit summary</th><th class="n">Count</th>'
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _changes_summary(diff: AuditDiff, links: bool) -> str:
    rows = []
    for t in diff.tables():
        text = escape(t.title)
        if links:
            text = f'<a href="#{t.key}">{text}</a>'
        cls = ' class="problem"' if t.count else ""
        rows.append(f'<tr{cls}><td>{text}</td><td class="n">{t.count:,}</td></tr>')
    return (
        '<table class="changes"><thead><tr><th>Change</th><th class="n">Count</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _changes_block(diff: AuditDiff, max_rows: Optional[int], heading: str, sub: str) -> str:
    tables = [t for t in diff.tables() if t.rows]
    return (
        f'<section id="changes"><{heading}>{escape(diff.heading())}</{heading}>'
        f"{_changes_summary(diff, links=True)}</section>{_sections(tables, max_rows, sub)}"
    )


def _generated(report: AuditReport) -> str:
    return f"{report.total:,} organizations, generated {report.generated_at:%Y-%m-%d %H:%M} UTC"


def changes_fragment(diff: AuditDiff, max_rows: Optional[int]) -> str:
    """What Jupyter shows for ``report.diff(previous)``."""
    return (
        f'<div class="spa-audit"><style>{SCOPED_CSS}</style>'
        f"{_changes_block(diff, max_rows, 'h3', 'h4')}</div>"
    )


class View:
    """The report as Jupyter shows it (``report.view(max_rows=...)``)."""

    def __init__(
        self, report: AuditReport, max_rows: Optional[int], changes: Optional[AuditDiff]
    ) -> None:
        self.report = report
        self.max_rows = max_rows
        self.changes = changes

    def __repr__(self) -> str:
        # Off Jupyter (a console, print()): the report's text, with the changes when given.
        return self.report.to_text(max_rows=self.max_rows, changes=self.changes)

    def _repr_html_(self) -> str:
        r = self.report
        changes = (
            "" if self.changes is None else _changes_block(self.changes, self.max_rows, "h4", "h4")
        )
        return (
            f'<div class="spa-audit"><style>{SCOPED_CSS}</style>'
            f"<h3>Account audit</h3><p>{escape(_generated(r))}</p>{changes}"
            f"{summary_table(r, links=False)}"
            f"{_sections(report_tables(r), self.max_rows, 'h4')}</div>"
        )


def page(
    report: AuditReport, max_rows: Optional[int] = 100, changes: Optional[AuditDiff] = None
) -> str:
    """A complete HTML document, readable offline and printable."""
    charts = (
        '<div class="charts">'
        "<figure><figcaption>Organizations by status</figcaption>"
        f"{svg.bar_chart(status_split(report), label='Organizations by status')}</figure>"
        "<figure><figcaption>Partner locks by age</figcaption>"
        f"{svg.bar_chart(dict(lock_ages(report)), label='Partner locks by age', ordered=True)}"
        "</figure>"
        "<figure><figcaption>Organizations created per month</figcaption>"
        f"{svg.month_chart(report.created_per_month)}</figure></div>"
    )
    changed = "" if changes is None else _changes_block(changes, max_rows, "h2", "h2")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Account audit — {report.total:,} organizations</title>"
        f"<style>{_PAGE_CSS}</style></head><body>"
        f'<h1>Account audit</h1><p class="meta">{escape(_generated(report))}</p>'
        '<input id="search" type="search" placeholder="Search every list (name, ID, email…)" '
        'aria-label="Search every list">'
        f'<h2 id="summary">Summary</h2>{summary_table(report, links=True)}{changed}'
        f"<h2>Charts</h2>{charts}"
        f"{_sections(report_tables(report), max_rows, 'h2')}"
        f"<script>{_PAGE_JS}</script></body></html>\n"
    )
