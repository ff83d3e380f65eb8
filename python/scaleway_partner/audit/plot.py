"""The report as a matplotlib figure (the ``plot`` extra): status breakdown (locks split
between the partner and Scaleway), partner locks by age and creations per month. A bare
``Figure`` (no pyplot): no global state, no GUI backend needed, safe in scripts and threads;
Jupyter shows it once ``%matplotlib inline`` is on (the default in most setups)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._extras import require
from .svg import COLORS, DEFAULT_COLOR
from .tables import lock_ages, status_split

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from .report import AuditReport

__all__ = ["figure"]


def figure(report: AuditReport) -> Figure:
    mpl_figure = require("matplotlib.figure", "plot", "AuditReport.plot()")
    fig: Figure = mpl_figure.Figure(figsize=(14, 4.2), layout="constrained")
    status_ax, age_ax, month_ax = fig.subplots(1, 3, width_ratios=[1.2, 1, 2])

    items = sorted(status_split(report).items(), key=lambda kv: (kv[1], kv[0]))
    labels = [k for k, _ in items]
    values = [v for _, v in items]
    bars = status_ax.barh(labels, values, color=[COLORS.get(k, DEFAULT_COLOR) for k in labels])
    status_ax.bar_label(bars, labels=[f"{v:,}" for v in values], padding=3)
    status_ax.set_title("Organizations by status")
    status_ax.set_xlabel("organizations")
    status_ax.margins(x=0.2)
    # Few ticks, with thousands separators: at 20,000 organizations eight labels run together.
    ticker = require("matplotlib.ticker", "plot", "AuditReport.plot()")
    status_ax.xaxis.set_major_locator(ticker.MaxNLocator(nbins=4, integer=True))
    status_ax.xaxis.set_major_formatter(ticker.StrMethodFormatter("{x:,.0f}"))
    status_ax.spines[["top", "right"]].set_visible(False)

    ages = lock_ages(report)
    age_bars = age_ax.bar([k for k, _ in ages], [v for _, v in ages], color=COLORS["locked"])
    age_ax.bar_label(age_bars, labels=[f"{v:,}" for _, v in ages], padding=2)
    age_ax.set_title("Partner locks by age")
    age_ax.set_ylabel("organizations")
    age_ax.tick_params(axis="x", labelrotation=30)
    age_ax.spines[["top", "right"]].set_visible(False)

    months = list(report.created_per_month)
    counts = list(report.created_per_month.values())
    month_ax.bar(range(len(months)), counts, color=DEFAULT_COLOR, width=0.8)
    ticks = [i for i, m in enumerate(months) if m.endswith("-01")]
    if months and not ticks:
        ticks = [0]
    month_ax.set_xticks(ticks, [months[i][:4] for i in ticks])
    month_ax.set_title("Organizations created per month")
    month_ax.set_ylabel("organizations")
    month_ax.spines[["top", "right"]].set_visible(False)
    fig.suptitle(f"Account audit — {report.total:,} organizations")
    return fig
