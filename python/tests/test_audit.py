"""client.audit(): the report against the listing of a seeded emulator, both clients, the
reference time, errors, and the JSON form."""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Dict, List

import pytest

from scaleway_partner import (
    AsyncClient,
    AuditReport,
    Client,
    LockedBy,
    Organization,
    OrganizationStatus,
    ValidationError,
    _native,
)
from scaleway_partner.audit import AuditDiff, Finding, SharedMember, SharedValue
from scaleway_partner.testing import MockServer

BOOK = pytest.mark.scaleway_mock(seed=11, seed_organizations=450)


def _shared(orgs: List[Organization], key: str) -> Dict[str, List[str]]:
    groups: Dict[str, List[str]] = {}
    for o in sorted(_open(orgs), key=lambda o: (o.created_at, o.id)):
        value = getattr(o, key)
        value = value.lower() if key == "email" else value
        if value.strip():
            groups.setdefault(value, []).append(o.id)
    return {k: v for k, v in groups.items() if len(v) > 1}


def _open(orgs: List[Organization]) -> List[Organization]:
    """Closed organizations are set apart: in no problem list."""
    return [o for o in orgs if o.status != OrganizationStatus.CLOSED]


@BOOK
def test_report_matches_the_listing(scaleway_client: Client) -> None:
    listed = scaleway_client.list_organizations().all()
    report = scaleway_client.audit(progress=False)
    assert report.total == len(listed) == 450
    assert sorted(report.organizations, key=lambda o: o.id) == sorted(listed, key=lambda o: o.id)
    assert report.by_status == dict(Counter(str(o.status) for o in listed))
    assert report.by_locked_by == dict(
        Counter(str(o.locked_by) for o in listed if o.locked_by != LockedBy.UNKNOWN_LOCKED_BY)
    )
    assert report.by_lock_reason == dict(
        Counter(o.lock_reason_message for o in listed if o.lock_reason_message)
    )
    partner = {o.id for o in listed if o.locked_by == LockedBy.PARTNER}
    assert {f.id for f in report.locked_by_partner} == partner and partner
    ages = [f.days for f in report.locked_by_partner]
    assert ages == sorted(ages, reverse=True), "longest-locked first"
    by_id = {o.id: o for o in listed}
    for f in report.locked_by_partner:
        locked_at = by_id[f.id].locked_at
        assert locked_at is not None and f.locked_at == locked_at
        expected = (report.generated_at - locked_at).total_seconds() / 86400
        assert f.days == pytest.approx(expected, abs=1 / 86400 + 1e-9)
    assert {f.id for f in report.missing_phone_number} == {
        o.id for o in _open(listed) if o.phone_number is None
    }
    assert {f.id for f in report.empty_customer_id} == {
        o.id for o in _open(listed) if not o.customer_id.strip()
    }
    closed = [o.id for o in listed if o.status == OrganizationStatus.CLOSED]
    assert sorted(f.id for f in report.closed) == sorted(closed) and closed
    assert any(o.phone_number is None for o in listed if o.id in closed), "set apart, not lost"
    for shared in report.shared_emails + report.shared_customer_ids:
        assert [m.id for m in shared.organizations] == list(shared.organization_ids)
        for m in shared.organizations:
            assert (m.name, m.status) == (by_id[m.id].name, by_id[m.id].status)
    shared_customers = {s.value: list(s.organization_ids) for s in report.shared_customer_ids}
    assert shared_customers == _shared(listed, "customer_id") and shared_customers
    assert {s.value: list(s.organization_ids) for s in report.shared_emails} == _shared(
        listed, "email"
    )
    assert sum(report.created_per_month.values()) == report.total
    first = min(o.created_at for o in listed if o.created_at)
    assert next(iter(report.created_per_month)) == f"{first:%Y-%m}"


@BOOK
def test_stuck_in_email_validation_follows_the_threshold(scaleway_client: Client) -> None:
    now = datetime.now(timezone.utc)
    week = scaleway_client.audit(stuck_after_days=7, now=now, progress=False)
    year = scaleway_client.audit(stuck_after_days=365, now=now, progress=False)
    assert week.generated_at == now and week.stuck_after_days == 7
    waiting = [
        o
        for o in week.organizations
        if o.locked_by == LockedBy.SCALEWAY and o.lock_reason_message == "validate_email"
    ]
    expected = {
        o.id
        for o in waiting
        if now - (o.locked_at or o.created_at or now) > timedelta(days=7, seconds=1)
    }
    assert {f.id for f in week.stuck_in_email_validation} == expected and expected
    assert {f.id for f in year.stuck_in_email_validation} < expected
    assert all(f.days is not None and f.days > 365 for f in year.stuck_in_email_validation)


@pytest.mark.asyncio
@BOOK
async def test_async_audit_is_the_same_report(
    async_scaleway_client: AsyncClient, scaleway_client: Client
) -> None:
    now = datetime.now(timezone.utc)
    reports = [
        await async_scaleway_client.audit(now=now, progress=False),
        scaleway_client.audit(now=now, progress=False),
    ]
    assert reports[0] == reports[1]
    assert reports[0].organizations == reports[1].organizations


@pytest.mark.scaleway_mock(seed=3, seed_organizations=250)
def test_on_progress_reports_every_page(scaleway_client: Client) -> None:
    seen: List[tuple[int, object]] = []
    scaleway_client.audit(on_progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (250, 250)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


@pytest.mark.asyncio
@pytest.mark.scaleway_mock(seed=3, seed_organizations=250)
async def test_async_on_progress_error_is_raised_after_the_audit(
    async_scaleway_client: AsyncClient,
) -> None:
    def boom(done: int, total: object) -> None:
        raise RuntimeError("stop")

    with pytest.raises(RuntimeError, match="stop"):
        await async_scaleway_client.audit(on_progress=boom, progress=False)


def test_bad_arguments(scaleway_client: Client) -> None:
    with pytest.raises(ValidationError) as e:
        scaleway_client.audit(stuck_after_days=-1)
    assert e.value.field == "stuck_after_days"
    with pytest.raises(TypeError):
        scaleway_client.audit(on_progress=42)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        scaleway_client.audit(now=datetime(2026, 1, 1))  # naive: no time zone


def test_empty_book(scaleway_client: Client) -> None:
    report = scaleway_client.audit(progress=False)
    assert report.total == 0 and report.created_per_month == {} and report.by_status == {}
    assert "0 organizations" in repr(report) and "None." in report._repr_html_()


@pytest.mark.scaleway_mock(seed=5, seed_organizations=120)
def test_unknown_values_the_api_may_send(
    scaleway_mock: MockServer, scaleway_client: Client
) -> None:
    target = scaleway_client.list_organizations().page(1).organizations[0]
    scaleway_mock.patch_raw(
        target.id, set={"status": "suspended", "locked_by": "compliance", "customer_id": ""}
    )
    report = scaleway_client.audit(progress=False)
    unknown = {(u.field, u.value): u.count for u in report.unknown_values}
    assert unknown[("status", "suspended")] == 1
    assert unknown[("locked_by", "compliance")] == 1
    assert report.by_status["suspended"] == 1
    assert target.id in {f.id for f in report.empty_customer_id}


@BOOK
def test_the_report_crosses_as_values_not_text(scaleway_client: Client) -> None:
    """The native audit hands over the core's values (dicts keyed by its field names,
    ``datetime``s), and takes them back for a diff: no JSON text to parse on either side."""
    summary, organizations = scaleway_client._native.audit()
    assert isinstance(summary, dict) and "organizations" not in summary
    assert isinstance(summary["generated_at"], datetime)
    assert summary["generated_at"].tzinfo is not None
    finding = summary["locked_by_partner"][0]
    assert isinstance(finding["created_at"], datetime) and isinstance(finding["days"], float)
    assert isinstance(organizations[0], Organization)
    report = scaleway_client.audit(progress=False)
    diff = _native.audit_diff(
        report.to_dict(organizations=True), report.to_dict(organizations=True)
    )
    assert isinstance(diff, dict) and isinstance(diff["generated_at"], datetime)


@BOOK
def test_every_field_of_the_core_is_declared_once(scaleway_client: Client) -> None:
    """Each key the core sends is a field of its class (and back in the JSON form): a field the
    core adds fails here until the class declares it, and needs nothing else."""
    summary, _ = scaleway_client._native.audit()
    report = scaleway_client.audit(progress=False)
    diff = _native.audit_diff(
        report.to_dict(organizations=True), report.to_dict(organizations=True)
    )
    shared = summary["shared_emails"][0]
    for cls, native in [
        (AuditReport, summary),
        (Finding, summary["locked_by_partner"][0]),
        (SharedValue, shared),
        (SharedMember, shared["organizations"][0]),
        (AuditDiff, diff),
    ]:
        declared = {f.name for f in dataclasses.fields(cls)} - {"organizations"}
        assert set(native) - {"version", "organizations"} == declared, cls
    with pytest.raises(TypeError, match="'new_field'"):
        AuditReport._from_native(({**summary, "new_field": 1}, report.organizations))

    @dataclasses.dataclass(frozen=True)
    class Newer(AuditReport):
        new_field: int = 0

    newer = Newer._from_native(({**summary, "new_field": 3}, report.organizations))
    assert newer.new_field == 3 and newer.to_dict()["new_field"] == 3


@BOOK
def test_json_form_round_trips(scaleway_client: Client) -> None:
    report = scaleway_client.audit(progress=False)
    native, _ = scaleway_client._native.audit()
    form = report.to_dict()
    # The form is the core's: the same keys and values as the core hands over.
    assert set(form) == set(native) and "organizations" not in form
    for key in ("total", "by_status", "by_locked_by", "by_lock_reason", "created_per_month"):
        assert form[key] == native[key], key
    assert [f["id"] for f in form["locked_by_partner"]] == [
        f["id"] for f in native["locked_by_partner"]
    ]
    assert form["shared_emails"] == native["shared_emails"]
    assert form["version"] == native["version"] == 1
    assert list(form) == ["version", *(f.name for f in dataclasses.fields(AuditReport))][:-1]
    assert form["version"] == 1 and isinstance(form["generated_at"], str)
    assert AuditReport.from_json(json.dumps(form)) == report
    full = AuditReport.from_dict(json.loads(report.to_json(organizations=True)))
    assert full == report and full.organizations == report.organizations
    finding = report.locked_by_partner[0]
    assert Finding.from_dict(json.loads(json.dumps(finding.to_dict()))) == finding


def _same(a: AuditReport, b: AuditReport) -> None:
    """Equal but for the last bit of the ages (the core reads floats to the nearest ULP)."""
    da, db = a.to_dict(organizations=True), b.to_dict(organizations=True)
    for key in ("stuck_in_email_validation", "locked_by_partner"):
        for fa, fb in zip(da[key], db[key]):
            assert fa.pop("days") == pytest.approx(fb.pop("days"), rel=1e-12)
    assert da == db


@BOOK
def test_save_and_load(scaleway_client: Client, tmp_path: Path) -> None:
    report = scaleway_client.audit(progress=False)
    path = tmp_path / "audit.json"
    report.save(path)
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved["version"] == 1 and len(saved["organizations"]) == report.total
    loaded = AuditReport.load(path)
    _same(loaded, report)
    assert loaded.organizations == report.organizations
    assert report.diff(loaded).is_empty
    # Another version of the form, or a summary without organizations, is refused by name.
    path.write_text(json.dumps({**saved, "version": 2}), encoding="utf-8")
    with pytest.raises(ValidationError) as e:
        AuditReport.load(path)
    assert e.value.field == "version"
    summary = tmp_path / "summary.json"
    summary.write_text(report.to_json(), encoding="utf-8")
    with pytest.raises(ValidationError) as e:
        report.diff(AuditReport.load(summary))
    assert e.value.field == "previous" and "save the report with its organizations" in str(e.value)
