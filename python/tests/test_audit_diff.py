"""report.diff(previous) and `scaleway-partner audit --compare`: audit the emulator's book,
change it through the API and the emulator's controls (create, lock, unlock, validate
emails), audit again, and check that the diff tells exactly those changes."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Dict, List, Set, Tuple

import pytest

from scaleway_partner import AuditReport, Client, LockedBy, Organization, OrganizationStatus
from scaleway_partner.audit.cli import main
from scaleway_partner.testing import MockServer

BOOK = pytest.mark.scaleway_mock(seed=17, seed_organizations=300)


def _state(o: Organization) -> Tuple[str, str, object]:
    return (str(o.status), str(o.locked_by), o.lock_reason_message)


def _stuck(o: Organization, now: datetime, days: int) -> bool:
    since = o.locked_at or o.created_at
    waiting = o.locked_by == LockedBy.SCALEWAY and o.lock_reason_message == "validate_email"
    return waiting and since is not None and (now - since).total_seconds() > days * 86400


def _change_the_book(
    mock: MockServer, client: Client, before: List[Organization]
) -> Dict[str, List[str]]:
    """Creates, locks, unlocks and validates; returns the IDs touched by each."""
    opened = [o for o in before if o.status == OrganizationStatus.OPENED]
    partner = [o for o in before if o.locked_by == LockedBy.PARTNER]
    waiting = [
        o
        for o in before
        if o.locked_by == LockedBy.SCALEWAY and o.lock_reason_message == "validate_email"
    ]
    donor = opened[0]
    created = [
        client.create_organization(
            email=f"new{i}@example.test",
            organization_name=f"New customer {i}",
            owner_firstname="Ada",
            owner_lastname="Lovelace",
            customer_id=f"NEW-{i}",
        ).id
        for i in range(2)
    ]
    # A third one reuses an existing customer's ID and email: a new duplicate of each.
    created.append(
        client.create_organization(
            email=donor.email,
            organization_name="Same customer, again",
            owner_firstname="Ada",
            owner_lastname="Lovelace",
            customer_id=donor.customer_id,
        ).id
    )
    locked = [o.id for o in opened[1:4]]
    client.lock_organizations(locked)
    unlocked = [o.id for o in partner[:6]]
    client.unlock_organizations(unlocked)
    validated = [o.id for o in waiting[:3]]
    for org_id in validated:
        assert mock.validate_email(org_id)
    return {"created": created, "locked": locked, "unlocked": unlocked, "validated": validated}


@BOOK
def test_diff_tells_exactly_what_changed(
    scaleway_mock: MockServer,
    scaleway_client: Client,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    now = datetime.now(timezone.utc)
    earlier = scaleway_client.audit(now=now, progress=False)
    saved = tmp_path / "last.json"
    earlier.save(saved)
    before = {o.id: o for o in earlier.organizations}
    touched = _change_the_book(scaleway_mock, scaleway_client, earlier.organizations)
    # The same reference time: only the changes above differ, not the ages.
    later = scaleway_client.audit(now=now, progress=False)
    after = {o.id: o for o in later.organizations}

    diff = later.diff(AuditReport.load(saved))

    assert sorted(f.id for f in diff.new_organizations) == sorted(touched["created"])
    assert diff.removed_organizations == []
    assert (diff.previous_total, diff.total) == (300, 303)
    assert sorted(f.id for f in diff.new_partner_locks) == sorted(touched["locked"])
    assert sorted(f.id for f in diff.lifted_partner_locks) == sorted(touched["unlocked"])
    # Lifted locks say what the organization is now: some are still locked by Scaleway.
    for f in diff.lifted_partner_locks:
        assert (str(f.status), str(f.locked_by)) == _state(after[f.id])[:2]
    still = [f for f in diff.lifted_partner_locks if f.locked_by == LockedBy.SCALEWAY]
    assert still, "the seeded book has partner locks over email validation"
    # Newly stuck: exactly the unlocked ones whose email validation has waited too long.
    stuck_after = {i for i, o in after.items() if _stuck(o, now, 7)}
    stuck_before = {i for i, o in before.items() if _stuck(o, now, 7)}
    assert {f.id for f in diff.newly_stuck} == stuck_after - stuck_before
    assert stuck_after - stuck_before <= set(touched["unlocked"])
    assert stuck_before - stuck_after == {i for i in touched["validated"] if i in stuck_before}, (
        "validated ones leave the list (not a change of its own kind)"
    )
    # Status changes: every organization touched, from its old state to its new one.
    changed = {c.id: c for c in diff.status_changes}
    expected: Set[str] = (
        set(touched["locked"]) | set(touched["unlocked"]) | set(touched["validated"])
    )
    assert set(changed) == expected
    for org_id, c in changed.items():
        assert (c.previous_status, c.previous_locked_by, c.previous_lock_reason_message) == (
            _state(before[org_id])
        )
        assert (c.status, c.locked_by, c.lock_reason_message) == _state(after[org_id])
    # The new duplicates: the donor's customer ID and email, now with the new organization.
    donor = after[touched["created"][2]]
    assert [s.value for s in diff.new_shared_customer_ids] == [donor.customer_id]
    assert [s.value for s in diff.new_shared_emails] == [donor.email.lower()]
    assert touched["created"][2] in diff.new_shared_customer_ids[0].organization_ids
    names = {m.name for m in diff.new_shared_emails[0].organizations}
    assert "Same customer, again" in names
    # Nothing else: a diff of the later audit with itself is empty.
    assert later.diff(later).is_empty and not diff.is_empty

    # The same changes in every view.
    text = later.to_text(changes=diff, max_rows=None, width=200)
    assert diff.heading() in text
    for table in diff.tables():
        assert f"{table.title}" in text
    assert "partner lock lifted; still locked by scaleway (validate_email)" in text
    html = later.to_html(changes=diff, max_rows=None)
    assert '<section id="changes">' in html and '<a href="#lifted_partner_locks">' in html
    assert "partner lock lifted; still locked by scaleway (validate_email)" in html
    monkeypatch.setenv("COLUMNS", "250")
    assert "partner lock lifted; still locked by scaleway" in repr(diff)
    assert "Partner locks lifted" in diff._repr_html_()
    assert diff.to_dict() == json.loads(json.dumps(diff.to_dict()))


@BOOK
def test_cli_compare(
    scaleway_mock: MockServer,
    scaleway_client: Client,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name in ("SCW_PROFILE", "SCW_CONFIG_PATH"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SCW_CONFIG_PATH", str(tmp_path / "none.yaml"))
    monkeypatch.setenv("SCW_SECRET_KEY", scaleway_mock.secret_key)
    monkeypatch.setenv("SCW_API_URL", scaleway_mock.url)
    monkeypatch.setenv("SCW_DEFAULT_ORGANIZATION_ID", scaleway_mock.organization_id)
    saved = tmp_path / "last.json"
    assert (
        main(
            [
                "audit",
                "--no-progress",
                "--format",
                "json",
                "--include-organizations",
                "--output",
                str(saved),
            ]
        )
        == 0
    )
    touched = _change_the_book(
        scaleway_mock, scaleway_client, AuditReport.load(saved).organizations
    )
    capsys.readouterr()
    assert main(["audit", "--no-progress", "--format", "json", "--compare", str(saved)]) == 0
    form = json.loads(capsys.readouterr().out)
    changes = form["changes"]
    assert sorted(f["id"] for f in changes["new_organizations"]) == sorted(touched["created"])
    assert sorted(f["id"] for f in changes["new_partner_locks"]) == sorted(touched["locked"])
    assert sorted(f["id"] for f in changes["lifted_partner_locks"]) == sorted(touched["unlocked"])
    assert {c["id"] for c in changes["status_changes"]} == set(
        touched["locked"] + touched["unlocked"] + touched["validated"]
    )
    assert "organizations" not in form, "only with --include-organizations"
    assert main(["audit", "--no-progress", "--compare", str(saved), "--all"]) == 0
    text = capsys.readouterr().out
    assert "Changes since" in text and "New partner locks (3, longest first)" in text
    assert main(["audit", "--no-progress", "--compare", str(tmp_path / "nope.json")]) == 1
    assert "nope.json" in capsys.readouterr().err


def test_the_diff_and_the_findings_as_data() -> None:
    # For an analyst (issue 25 item 7): the diff as one frame, every finding a column of the
    # organizations frame.
    pytest.importorskip("pandas")
    with MockServer(seed=3, seed_organizations=300, rate_limit=0) as mock, mock.client() as c:
        before = c.audit(progress=False)
        opened = next(o for o in before.organizations if o.status == OrganizationStatus.OPENED)
        c.lock_organization(opened.id)
        after = c.audit(progress=False)
    changes = after.diff(before)
    frame = changes.to_pandas()
    assert frame.columns[0] == "change"
    by_kind = frame.groupby("change")["id"].apply(list).to_dict()
    assert by_kind == {"new_partner_locks": [opened.id], "status_changes": [opened.id]}
    assert list(after.diff(after).to_pandas().columns) == ["change"]
    orgs = after.to_pandas().organizations.set_index("id")
    stuck = {f.id: int(f.days or 0) for f in after.stuck_in_email_validation}
    assert orgs["stuck_days"].dropna().to_dict() == stuck
    locked = orgs["partner_lock_days"].dropna()
    assert set(locked.index) == {f.id for f in after.locked_by_partner}
    shared = {i for v in after.shared_customer_ids for i in v.organization_ids}
    assert set(orgs.index[orgs["shared_customer_id"]]) == shared
    emails = {i for v in after.shared_emails for i in v.organization_ids}
    assert set(orgs.index[orgs["shared_email"]]) == emails
    # Combined as filters: stuck and sharing an email.
    both = orgs[orgs["stuck_days"].notna() & orgs["shared_email"]]
    assert set(both.index) == set(stuck) & emails
