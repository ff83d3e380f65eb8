"""Small inline SVG charts for the HTML page: no plotting library, so the page needs no extra
and renders anywhere (browsers, mail clients that allow SVG, printouts)."""

from __future__ import annotations

from html import escape
from typing import Dict

__all__ = ["COLORS", "DEFAULT_COLOR", "bar_chart", "month_chart"]

# One colour per status (locks by holder) in every chart, the page's and matplotlib's.
COLORS = {
    "opened": "#2e7d32",
    "locked": "#c62828",
    "locked by the partner": "#c62828",
    "locked by scaleway": "#ef6c00",
    "closed": "#616161",
}
DEFAULT_COLOR = "#1565c0"
_FONT = 'font-family="system-ui, sans-serif" font-size="12"'


def _empty(width: int, height: int) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'role="img"><text x="10" y="20" {_FONT}>No data</text></svg>'
    )


def bar_chart(
    counts: Dict[str, int], width: int = 440, label: str = "", ordered: bool = False
) -> str:
    """Horizontal bars, largest first (or in the given order), each labelled with its key and
    count."""
    if not counts:
        return _empty(width, 40)
    items = list(counts.items())
    if not ordered:
        items.sort(key=lambda kv: (-kv[1], kv[0]))
    label_w, count_w, bar_h, gap = 150, 60, 22, 8
    height = len(items) * (bar_h + gap) + gap
    top = max(v for _, v in items) or 1
    room = width - label_w - count_w
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}">'
    ]
    for i, (key, value) in enumerate(items):
        y = gap + i * (bar_h + gap)
        w = max(round(room * value / top), 1 if value else 0)
        color = COLORS.get(key, DEFAULT_COLOR)
        parts.append(
            f'<text x="{label_w - 8}" y="{y + bar_h * 0.7:.1f}" text-anchor="end" {_FONT}>'
            f"{escape(key)}</text>"
            f'<rect x="{label_w}" y="{y}" width="{w}" height="{bar_h}" fill="{color}" rx="2">'
            f"<title>{escape(key)}: {value:,}</title></rect>"
            f'<text x="{label_w + w + 6}" y="{y + bar_h * 0.7:.1f}" {_FONT}>{value:,}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def month_chart(per_month: Dict[str, int], width: int = 680, height: int = 220) -> str:
    """One column per month, the year written under each January."""
    if not per_month:
        return _empty(width, 40)
    months = list(per_month.items())
    left, right, top_pad, bottom = 44, 10, 12, 34
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    top = max(v for _, v in months) or 1
    step = plot_w / len(months)
    bar_w = max(step * 0.8, 1.0)
    base = top_pad + plot_h
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="Organizations created per month">',
        f'<line x1="{left}" y1="{base}" x2="{width - right}" y2="{base}" stroke="#9aa3b5"/>',
        f'<line x1="{left}" y1="{top_pad}" x2="{left}" y2="{base}" stroke="#9aa3b5"/>',
        f'<text x="{left - 6}" y="{top_pad + 10}" text-anchor="end" {_FONT}>{top:,}</text>',
        f'<text x="{left - 6}" y="{base}" text-anchor="end" {_FONT}>0</text>',
    ]
    for i, (month, value) in enumerate(months):
        x = left + i * step + (step - bar_w) / 2
        h = plot_h * value / top
        parts.append(
            f'<rect x="{x:.1f}" y="{base - h:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
            f'fill="{DEFAULT_COLOR}"><title>{escape(month)}: {value:,}</title></rect>'
        )
        # Under each January, and under the first month unless a January follows too closely.
        if month.endswith("-01") or (i == 0 and int(month[5:]) <= 9):
            parts.append(
                f'<line x1="{x:.1f}" y1="{base}" x2="{x:.1f}" y2="{base + 5}" stroke="#9aa3b5"/>'
                f'<text x="{x:.1f}" y="{base + 18}" {_FONT}>{escape(month[:4])}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)
