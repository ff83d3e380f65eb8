"""Every row of the report, for spreadsheets: CSV (one file per list, in a directory or a
zip) and Excel (one sheet per list, through the ``excel`` extra, openpyxl). Dates are UTC:
ISO text in CSV, dates without a timezone in Excel; ages in whole days."""

from __future__ import annotations

import csv
import io
import os
import zipfile
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, List, Optional, Sequence, Tuple, Union

from ._extras import require
from .frames import naive_utc
from .tables import Table, report_tables, summary_rows

if TYPE_CHECKING:
    from .diff import AuditDiff
    from .report import AuditReport

__all__ = ["to_csv", "to_excel"]

PathLike = Union[str, "os.PathLike[str]"]

_SUMMARY_HEADERS = ("Group", "Item", "Count")


def _summary(report: AuditReport, changes: Optional[AuditDiff]) -> List[Tuple[Any, ...]]:
    rows: List[Tuple[Any, ...]] = [
        (group, label, count) for group, label, count, _ in summary_rows(report)
    ]
    if changes is not None:
        rows += [(changes.heading(), t.title, t.count) for t in changes.tables()]
    return rows


def _tables(report: AuditReport, changes: Optional[AuditDiff]) -> List[Table]:
    return report_tables(report) + ([] if changes is None else changes.tables())


def _csv_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return "" if value is None else value


def _csv_text(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(headers)
    writer.writerows([[_csv_value(v) for v in row] for row in rows])
    return out.getvalue()


def to_csv(report: AuditReport, path: PathLike, changes: Optional[AuditDiff] = None) -> List[str]:
    """``summary.csv`` and one ``<list>.csv`` per list, in the directory ``path`` (created) or
    the zip archive ``path`` when it ends with ``.zip``; returns the file names."""
    files = [("summary.csv", _csv_text(_SUMMARY_HEADERS, _summary(report, changes)))]
    for t in _tables(report, changes):
        files.append((f"{t.key}.csv", _csv_text([c.title for c in t.columns], t.rows)))
    target = os.fspath(path)
    if target.lower().endswith(".zip"):
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, text in files:
                archive.writestr(name, text)
    else:
        os.makedirs(target, exist_ok=True)
        for name, text in files:
            with open(os.path.join(target, name), "w", encoding="utf-8", newline="") as f:
                f.write(text)
    return [name for name, _ in files]


def _sheet(
    book: Any,
    title: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    dates: Sequence[int] = (),
) -> None:
    """A sheet written row by row (openpyxl's write-only mode: fast on large books), bold
    header frozen, a filter, widths from the first rows, dates shown as dates."""
    cells = require("openpyxl.cell", "excel", "AuditReport.to_excel()")
    styles = require("openpyxl.styles", "excel", "AuditReport.to_excel()")
    utils = require("openpyxl.utils", "excel", "AuditReport.to_excel()")
    sheet = book.create_sheet(title=title[:31])
    sheet.freeze_panes = "A2"
    for i, header in enumerate(headers):
        longest = max([len(str(header))] + [len(str(r[i] or "")) for r in rows[:200]])
        width = min(max(longest + 2, 8), 48)
        sheet.column_dimensions[utils.get_column_letter(i + 1)].width = width
    if rows:
        sheet.auto_filter.ref = f"A1:{utils.get_column_letter(len(headers))}{len(rows) + 1}"
    bold = styles.Font(bold=True)
    head = []
    for header in headers:
        cell = cells.WriteOnlyCell(sheet, value=header)
        cell.font = bold
        head.append(cell)
    sheet.append(head)
    for row in rows:
        values: List[Any] = [naive_utc(v) for v in row]
        for i in dates:
            if values[i] is not None:
                cell = cells.WriteOnlyCell(sheet, value=values[i])
                cell.number_format = "yyyy-mm-dd hh:mm"
                values[i] = cell
        sheet.append(values)


def to_excel(report: AuditReport, path: PathLike, changes: Optional[AuditDiff] = None) -> None:
    """A workbook: ``summary``, then one sheet per list with every row."""
    openpyxl = require("openpyxl", "excel", "AuditReport.to_excel()")
    book = openpyxl.Workbook(write_only=True)
    _sheet(book, "summary", _SUMMARY_HEADERS, _summary(report, changes))
    for t in _tables(report, changes):
        dates = [i for i, c in enumerate(t.columns) if c.kind == "date"]
        _sheet(book, t.key, [c.title for c in t.columns], t.rows, dates)
    book.save(os.fspath(path))
