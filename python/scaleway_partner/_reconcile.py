"""The customer book as code: the records given to ``client.plan``, the plan it returns and
the outcome of ``client.apply``. Planning, checking and applying happen in the core; this
module reads the records into the core's form and presents its JSON documents.
"""

from __future__ import annotations

import csv
import html
import json
import math
import os
from collections import Counter
from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Mapping, Optional, Union

from . import _native

if TYPE_CHECKING:
    import pandas
    from pandas import DataFrame
else:

    class DataFrame:
        """Stands for ``pandas.DataFrame`` where annotations are read at run time
        (``typing.get_type_hints``, ``help()``) without importing pandas."""

        __module__ = "pandas"


__all__ = ["ApplyOutcome", "Plan", "Records"]

Records = Union[str, "os.PathLike[str]", Iterable[Mapping[str, Any]], DataFrame]
"""What ``plan`` takes: a CSV path, mappings (a list, any iterable) or a pandas DataFrame."""


def _cell(value: Any) -> Any:
    """A DataFrame's missing cell (NaN, None) as None, a NumPy number as Python's; the rest as
    given (the core reads text and whole numbers, and names the field of anything else)."""
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def records_json(records: Records, columns: Optional[Mapping[str, str]]) -> str:
    """The records as the core reads them: a JSON array of mappings keyed by the API's field
    names, ``columns`` renaming the caller's names first (``{"Client ref": "customer_id"}``)."""
    rows: Iterable[Mapping[Any, Any]]
    if isinstance(records, (str, os.PathLike)):
        with open(records, newline="", encoding="utf-8-sig") as f:
            rows = list(csv.DictReader(f))
    elif hasattr(records, "to_dict") and hasattr(records, "columns"):
        frame: Any = records  # a DataFrame, without importing pandas to check
        rows = frame.to_dict("records")
    else:
        rows = records
    rename = dict(columns or {})
    out: List[Dict[str, Any]] = [
        {rename.get(str(k), str(k)): _cell(v) for k, v in row.items()} for row in rows
    ]
    return json.dumps(out)


def _shown(value: Any) -> str:
    """A field's value in HTML: an absent one says so rather than showing ``None``."""
    return "<i>empty</i>" if value in (None, "") else html.escape(str(value))


class Plan:
    """What ``apply`` will do, and what it leaves alone: a value read from the core's versioned
    JSON document (``to_json``/``from_json``, the same document as Node's). ``str(plan)`` is the
    core's text; in Jupyter it shows grouped by kind, with counts and the fields changed.

    >>> plan = client.plan("customers.csv")
    >>> plan.counts, plan.has_changes
    ({'create': 3, 'lock': 2}, True)
    """

    def __init__(self, document: Dict[str, Any]) -> None:
        self.document = document

    @classmethod
    def from_json(cls, text: str) -> Plan:
        """Reads a saved plan (its version checked by the core).

        >>> plan = Plan.from_json(Path("plan.json").read_text())
        """
        _native.plan_text(text)  # refuses another version or a damaged document
        return cls(json.loads(text))

    def to_json(self) -> str:
        """The versioned JSON document (Node's ``client.plan`` gives the same one).

        >>> Path("plan.json").write_text(plan.to_json())
        """
        return json.dumps(self.document, indent=2)

    @property
    def id(self) -> str:
        """The plan's identity (a journal belongs to one plan)."""
        return str(self.document["id"])

    @property
    def actions(self) -> List[Dict[str, Any]]:
        """The actions: ``kind``, ``customer_id``, ``organization_id``, ``changes``, ``lock``."""
        return list(self.document["actions"])

    @property
    def conflicts(self) -> List[Dict[str, Any]]:
        """Customers whose organizations are left alone, and why."""
        return list(self.document["conflicts"])

    @property
    def unclaimed(self) -> List[Dict[str, Any]]:
        """Organizations no record claims."""
        return list(self.document["unclaimed"])

    @property
    def scaleway_locked(self) -> List[Dict[str, Any]]:
        """Claimed organizations under Scaleway's lock (email validation)."""
        return list(self.document["scaleway_locked"])

    @property
    def counts(self) -> Dict[str, int]:
        """Actions per kind."""
        return dict(Counter(a["kind"] for a in self.actions))

    @property
    def has_changes(self) -> bool:
        """True when applying the plan changes something."""
        return bool(self.document["actions"])

    def __str__(self) -> str:
        return _native.plan_text(json.dumps(self.document))

    def __repr__(self) -> str:
        counts = ", ".join(f"{k}={v}" for k, v in sorted(self.counts.items()))
        return f"Plan({counts or 'no changes'}, conflicts={len(self.conflicts)})"

    def to_pandas(self) -> pandas.DataFrame:
        """One row per field an action sets (a lone lock or unlock: one row without field).

        >>> plan.to_pandas().query("kind == 'update'")[["customer_id", "field", "before", "after"]]
        """
        import pandas

        rows: List[Dict[str, Any]] = []
        for a in self.actions:
            base = {
                "kind": a["kind"],
                "customer_id": a["customer_id"],
                "organization_id": a.get("organization_id"),
                "name": a["name"],
                "lock": a.get("lock"),
            }
            changes = a.get("changes") or [{"field": None, "before": None, "after": None}]
            rows.extend({**base, **c} for c in changes)
        columns = ["kind", "customer_id", "organization_id", "name", "lock", "field"]
        return pandas.DataFrame(rows, columns=[*columns, "before", "after"])

    def _repr_html_(self) -> str:
        from .audit.html import SCOPED_CSS  # the audit views' table styles, JupyterLab-proof

        e = html.escape
        head = e(str(self).splitlines()[0])
        parts = [f'<div class="spa-audit"><style>{SCOPED_CSS}</style><b>{head}</b>']
        for kind in ("create", "update", "lock", "unlock"):
            group = [a for a in self.actions if a["kind"] == kind]
            if not group:
                continue
            parts.append(
                f"<h4>{kind} ({len(group)})</h4><table><tr><th>customer</th><th>name</th>"
                "<th>organization</th><th>changes</th></tr>"
            )
            for a in group:
                changes = "".join(
                    f"<div><code>{e(c['field'])}</code>: <del>{_shown(c.get('before'))}</del> "
                    f"&rarr; <mark>{_shown(c.get('after'))}</mark></div>"
                    for c in (a.get("changes") or [])
                    if kind == "update"
                )
                if kind in ("create", "update") and a.get("lock") is not None:
                    changes += f"<div>then <b>{'lock' if a['lock'] else 'unlock'}</b></div>"
                parts.append(
                    f"<tr><td>{e(a['customer_id'])}</td><td>{e(a['name'])}</td>"
                    f'<td class="k">{e(a.get("organization_id") or "new")}</td>'
                    f"<td>{changes}</td></tr>"
                )
            parts.append("</table>")
        for title, items, key in (
            ("Conflicts, left alone", self.conflicts, "reason"),
            ("No record claims them", self.unclaimed, "name"),
            ("Locked by Scaleway (email validation)", self.scaleway_locked, "name"),
        ):
            if items:
                lines = "".join(
                    f"<li>{e(str(i['customer_id']))}: {e(str(i[key]))}</li>" for i in items[:50]
                )
                parts.append(f"<h4>{title} ({len(items)})</h4><ul>{lines}</ul>")
        parts.append("</div>")
        return "".join(parts)


class ApplyOutcome:
    """What ``apply`` did: one result per action (``status``: done, already_done, stale,
    failed, not_started; ``changed`` for a stale one, ``error`` for a failed one). An
    interrupted apply raises, its outcome so far in the error's ``outcome``.

    >>> outcome = client.apply(plan, journal="apply.journal")
    >>> [r["customer_id"] for r in outcome.results if r["status"] == "stale"]
    ['c-42']
    """

    def __init__(self, document: Dict[str, Any]) -> None:
        self.document = document

    @property
    def results(self) -> List[Dict[str, Any]]:
        """One result per action of the plan, in plan order."""
        return list(self.document["results"])

    @property
    def counts(self) -> Dict[str, int]:
        """Results per status."""
        return dict(Counter(r["status"] for r in self.results))

    @property
    def complete(self) -> bool:
        """True when every action is done (now or by an earlier apply on the journal)."""
        return all(r["status"] in ("done", "already_done") for r in self.results)

    def __str__(self) -> str:
        return str(self.document["text"])

    def _repr_html_(self) -> str:
        e = html.escape
        parts = [f"<div><b>{e(str(self).splitlines()[0])}</b>"]
        left = [r for r in self.results if r["status"] not in ("done", "already_done")]
        if left:
            parts.append(
                "<table><tr><th>status</th><th>kind</th><th>customer</th>"
                "<th>organization</th><th>why</th></tr>"
            )
            for r in left:
                why = "; ".join(
                    f"{c['field']} is now {c.get('after')!s}" for c in r.get("changed") or []
                )
                if r.get("error"):
                    why = (
                        f"{r['done_before_error']}; then " if r.get("done_before_error") else ""
                    ) + str(r["error"]["message"])
                parts.append(
                    f"<tr><td>{e(r['status'])}</td><td>{e(r['kind'])}</td>"
                    f"<td>{e(r['customer_id'])}</td><td>{e(r.get('organization_id') or 'new')}</td>"
                    f"<td>{e(why)}</td></tr>"
                )
            parts.append("</table>")
        parts.append("</div>")
        return "".join(parts)

    def __repr__(self) -> str:
        counts = ", ".join(f"{k}={v}" for k, v in sorted(self.counts.items()))
        return f"ApplyOutcome({counts})"
