"""Bulk results that say what each organization is now: after an unlock, ``partner lock
lifted; still locked by scaleway (validate_email)`` rather than a bare "unlocked"."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING, Any, Iterable, List, Sequence

from .._errors import ScalewayError, ValidationError
from .._models import Organization
from ._extras import require
from .html import SCOPED_CSS
from .tables import lifted, state
from .terminal import columns, terminal_width

if TYPE_CHECKING:
    import pandas as pd

    from .._client import BulkResult

__all__ = ["BulkOutcome", "BulkOutcomes", "bulk_outcomes"]

_ACTIONS = ("lock", "unlock", "get")


@dataclass(frozen=True)
class BulkOutcome:
    """One ID's result: ``ok``, and ``outcome`` in words (the error's class and message when
    not ok)."""

    id: str
    """The organization ID asked for."""
    name: str
    """Its name, when the call returned it."""
    ok: bool
    """True when the call succeeded for this ID."""
    outcome: str
    """What the organization is now, or what went wrong."""


def _outcome(org_id: str, result: BulkResult, action: str) -> BulkOutcome:
    if isinstance(result, ScalewayError):
        return BulkOutcome(org_id, "", False, f"{type(result).__name__}: {result}")
    org: Organization = result
    words = state(org.status, org.locked_by, org.lock_reason_message)
    if action == "unlock":
        words = lifted(org.status, org.locked_by, org.lock_reason_message)
    return BulkOutcome(org_id, org.name, True, words)


class BulkOutcomes(List[BulkOutcome]):
    """The outcomes, in input order; prints as a table, shows as one in Jupyter.

    >>> bulk_outcomes(ids, client.unlock_organizations(ids), action="unlock")
    """

    HEADERS = ("ID", "Name", "Result", "Outcome")

    def _rows(self) -> List[List[str]]:
        return [[o.id, o.name, "ok" if o.ok else "error", o.outcome] for o in self]

    def _html_row(self, row: List[str]) -> str:
        id_, *rest = (escape(c) for c in row)
        return f'<tr><td class="k">{id_}</td>{"".join(f"<td>{c}</td>" for c in rest)}</tr>'

    def __repr__(self) -> str:
        ok = sum(o.ok for o in self)
        lines = columns(self.HEADERS, self._rows(), ["id", "text", "id", "note"], terminal_width())
        return "\n".join([f"{len(self)} results, {ok} ok, {len(self) - ok} errors", *lines])

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{escape(h)}</th>" for h in self.HEADERS)
        body = "".join(self._html_row(row) for row in self._rows())
        return (
            f'<div class="spa-audit"><style>{SCOPED_CSS}</style>'
            f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
        )

    def to_pandas(self) -> pd.DataFrame:
        """``id``, ``name``, ``ok``, ``outcome`` (needs the ``pandas`` extra)."""
        pandas: Any = require("pandas", "pandas", "BulkOutcomes.to_pandas()")
        df: pd.DataFrame = pandas.DataFrame.from_records(
            [o.__dict__ for o in self], columns=["id", "name", "ok", "outcome"]
        )
        return df


def bulk_outcomes(
    ids: Iterable[str], results: Sequence[BulkResult], action: str = "get"
) -> BulkOutcomes:
    """Pairs the IDs of a bulk call with its results, saying what each organization is now
    (``action``: ``lock``, ``unlock`` or ``get``).

    >>> bulk_outcomes(selection, client.unlock_organizations(selection), action="unlock")
    """
    if action not in _ACTIONS:
        raise ValidationError(
            f"invalid action: one of {', '.join(_ACTIONS)}, not {action!r}", field="action"
        )
    ids = list(ids)
    if len(ids) != len(results):
        raise ValidationError(
            f"invalid results: {len(results)} for {len(ids)} IDs", field="results"
        )
    return BulkOutcomes(_outcome(i, r, action) for i, r in zip(ids, results))
