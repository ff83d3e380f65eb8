"""Acting on a finding with a preview (issue 25, item 7): rows of the organizations frame
picked by a finding, locked or unlocked in bulk. The preview (``report.plan_lock`` /
``plan_unlock``, the core's plan) sends nothing, and lists exactly the organizations that
``client.apply`` then changes: not the picked rows that the change would leave as they are
(already locked by the partner, closed, locked by Scaleway only, picked twice)."""

from __future__ import annotations

from typing import Dict, Iterator, Tuple

import pytest

from scaleway_partner import AuditReport, Client, ValidationError
from scaleway_partner.audit.demo import demo_server
from scaleway_partner.testing import MockServer

pd = pytest.importorskip("pandas")


@pytest.fixture
def audited() -> Iterator[Tuple[MockServer, Client, AuditReport]]:
    with demo_server(300) as mock, mock.client(rate_limit=0) as client:
        yield mock, client, client.audit(progress=False)


def _book(client: Client) -> Dict[str, Dict[str, object]]:
    return {o.id: o.to_dict() for o in client.list_organizations()}


def _changed(before: Dict[str, Dict[str, object]], after: Dict[str, Dict[str, object]]) -> set:
    assert before.keys() == after.keys()
    return {i for i in before if before[i] != after[i]}


def test_lock_preview_sends_nothing_and_is_what_apply_changes(
    audited: Tuple[MockServer, Client, AuditReport],
) -> None:
    mock, client, report = audited
    orgs = report.to_pandas().organizations
    # A finding's rows, with rows the lock leaves alone mixed in: already locked by the
    # partner, closed, and one row picked twice.
    picked = pd.concat(
        [
            orgs[orgs.shared_email.notna() | orgs.shared_customer_id.notna()],
            orgs[orgs.locked_by == "partner"].head(3),
            orgs[orgs.status == "closed"].head(3),
        ]
    )
    picked = pd.concat([picked, picked.head(1)])
    before = _book(client)

    mock.reset_stats()
    preview = report.plan_lock(picked)
    assert mock.stats()["requests"] == 0, "the preview sends nothing"
    would = {a["organization_id"] for a in preview.actions}
    assert {a["kind"] for a in preview.actions} == {"lock"}
    assert would and len(would) < len(set(picked["id"])), "some picked rows need no lock"

    outcome = client.apply(preview, progress=False)
    assert outcome.complete
    assert _changed(before, _book(client)) == would


def test_unlock_preview_sends_nothing_and_is_what_apply_changes(
    audited: Tuple[MockServer, Client, AuditReport],
) -> None:
    mock, client, report = audited
    # Partner locks, and organizations locked by Scaleway only (waiting for the owner's email
    # validation): the partner's unlock cannot lift those.
    picked = [*report.locked_by_partner[:5], *report.stuck_in_email_validation[:5]]
    assert any(str(f.locked_by) == "scaleway" for f in picked)
    before = _book(client)

    mock.reset_stats()
    preview = report.plan_unlock(picked)
    assert mock.stats()["requests"] == 0
    would = {a["organization_id"] for a in preview.actions}
    assert would == {f.id for f in report.locked_by_partner[:5]}
    assert "to unlock" in str(preview)

    client.apply(preview, progress=False)
    assert _changed(before, _book(client)) == would


def test_a_selection_outside_the_audit_is_refused_before_anything(
    audited: Tuple[MockServer, Client, AuditReport],
) -> None:
    mock, _, report = audited
    mock.reset_stats()
    with pytest.raises(ValidationError) as err:
        report.plan_lock(["6f4049e3-5910-4283-bb02-382ef15aa460"])
    assert err.value.field == "selection"
    with pytest.raises(ValidationError, match="column 'id'"):
        report.plan_lock(pd.DataFrame({"name": ["x"]}))
    assert mock.stats()["requests"] == 0
