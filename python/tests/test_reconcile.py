"""client.plan and client.apply: records from lists, iterables, CSV files and DataFrames, the
plan's displays, apply with a journal, sync and async (the rules themselves are the core's,
tested in Rust)."""

from __future__ import annotations

import _thread
import csv
import json
import signal
import threading
from pathlib import Path
from typing import Any, ClassVar, Dict, Iterator, List, Optional

import pandas
import pytest
from conftest import until

from scaleway_partner import (
    APITimeoutError,
    ApplyOutcome,
    AsyncClient,
    Client,
    Plan,
    RequestCancelledError,
    ScalewayError,
    ValidationError,
)
from scaleway_partner.testing import MockServer


def record(customer: str, n: int, **extra: str) -> Dict[str, Any]:
    return {
        "customer_id": customer,
        "email": f"owner{n}@{customer}.test",
        "organization_name": f"Customer {n}",
        "owner_firstname": "Jane",
        "owner_lastname": "Doe",
        **extra,
    }


def book(client: Client) -> List[Dict[str, Any]]:
    """One organization in line, one drifted, one to lock; the records wanted (one new)."""
    same, drift, unpaid = record("c-same", 1), record("c-drift", 2), record("c-unpaid", 3)
    for r in (same, drift, unpaid):
        client.create_organization(**r)
    return [
        same,
        {**drift, "organization_name": "Customer 2 SAS"},
        {**unpaid, "state": "suspended"},
        record("c-new", 4, comment="annual billing"),
    ]


def test_plan_and_apply_from_a_list(scaleway_client: Client) -> None:
    wanted = book(scaleway_client)
    plan = scaleway_client.plan(wanted, progress=False)
    assert plan.counts == {"create": 1, "update": 1, "lock": 1}
    text = str(plan)
    assert text.startswith("Plan: 1 to create, 1 to update, 1 to lock, 0 to unlock; 1 unchanged")
    assert 'name: "Customer 2" -> "Customer 2 SAS"' in text
    html = plan._repr_html_()
    assert html.startswith('<div class="spa-audit">')
    assert "<b>Plan: 1 to create, 1 to update, 1 to lock, 0 to unlock;" in html
    assert "<h4>create (1)</h4>" in html and "<h4>lock (1)</h4>" in html
    assert "<h4>update (1)</h4>" in html and "<mark>Customer 2 SAS</mark>" in html
    assert "<code>name</code>: <del>Customer 2</del> &rarr; <mark>Customer 2 SAS</mark>" in html
    frame = plan.to_pandas()
    changed = frame[frame["kind"] == "update"]
    assert list(changed["field"]) == ["name"]
    assert list(changed["after"]) == ["Customer 2 SAS"]
    assert Plan.from_json(plan.to_json()).document == plan.document

    outcome = scaleway_client.apply(plan, progress=False)
    assert outcome.complete, outcome.results
    assert outcome._repr_html_() == f"<div><b>{str(outcome).splitlines()[0]}</b></div>"
    assert not scaleway_client.plan(wanted, progress=False).has_changes


def test_plan_display_shows_an_empty_field_as_empty(scaleway_client: Client) -> None:
    scaleway_client.create_organization(**record("c-phone", 1))
    plan = scaleway_client.plan([record("c-phone", 1, phone_number="+33100000000")], progress=False)
    html = plan._repr_html_()
    assert "<del><i>empty</i></del> &rarr; <mark>+33100000000</mark>" in html, html


def test_csv_dataframe_and_iterable_give_one_plan(scaleway_client: Client, tmp_path: Path) -> None:
    wanted = book(scaleway_client)
    fields = sorted({k for r in wanted for k in r})
    path = tmp_path / "customers.csv"
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(
            f, fieldnames=["Client ref", *[k for k in fields if k != "customer_id"]]
        )
        writer.writeheader()
        for r in wanted:
            row = {k: v for k, v in r.items() if k != "customer_id"}
            writer.writerow({"Client ref": r["customer_id"], **row})
    mapping = {"Client ref": "customer_id"}
    from_csv = scaleway_client.plan(path, columns=mapping, progress=False)
    frame = pandas.read_csv(path)  # empty cells read as NaN: not managed
    from_frame = scaleway_client.plan(frame, columns=mapping, progress=False)
    from_iter = scaleway_client.plan(iter(wanted), progress=False)
    for other in (from_frame, from_iter):
        assert other.document["actions"] == from_csv.document["actions"]


def test_invalid_records_name_row_and_field(scaleway_client: Client) -> None:
    with pytest.raises(ValidationError) as e:
        scaleway_client.plan([record("c-1", 1), record("c-2", 2, email="nope")], progress=False)
    assert e.value.field == "email"
    assert "row 2" in str(e.value)
    with pytest.raises(ValidationError) as e:
        scaleway_client.plan([record("c-1", 1), record("c-1", 3)], progress=False)
    assert e.value.field == "customer_id"


def test_journal_resumes_and_is_exclusive(scaleway_client: Client, tmp_path: Path) -> None:
    wanted = book(scaleway_client)
    plan = scaleway_client.plan(wanted, progress=False)
    journal = tmp_path / "apply.journal"
    seen: List[int] = []
    first = scaleway_client.apply(plan, journal=journal, on_progress=lambda d, t: seen.append(d))
    assert first.complete and seen[-1] == len(plan.actions)
    again = scaleway_client.apply(plan, journal=str(journal), progress=False)
    assert again.counts == {"already_done": len(plan.actions)}
    lines = [json.loads(line) for line in journal.read_text().splitlines()]
    assert lines[0]["plan_id"] == plan.id
    import fcntl

    with open(journal) as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(ScalewayError) as e:
            scaleway_client.apply(plan, journal=journal, progress=False)
        assert e.value.code == "coordination"


@pytest.mark.asyncio
async def test_async_plan_and_apply(async_scaleway_client: AsyncClient) -> None:
    client = async_scaleway_client
    await client.create_organization(**record("c-a", 1))
    wanted = [record("c-a", 1, state="suspended"), record("c-b", 2)]
    plan = await client.plan(wanted, progress=False)
    assert plan.counts == {"create": 1, "lock": 1}
    outcome = await client.apply(plan, progress=False)
    assert outcome.complete
    assert not (await client.plan(wanted, progress=False)).has_changes


# An interrupted apply: one update done, then locks, the first of which the emulator holds
# (slow) until the interruption; one action at a time, so the others never start.
def _held_apply(mock: MockServer, client: Client) -> Plan:
    wanted = []
    for n, customer in enumerate(("i-a", "i-b", "i-c", "i-d")):
        r = record(customer, n)
        client.create_organization(**r)
        wanted.append({**r, "state": "suspended"} if n else {**r, "organization_name": "Renamed"})
    plan = client.plan(wanted, progress=False)
    assert plan.counts == {"update": 1, "lock": 3}
    mock.inject_faults(
        {"script": [{"fault": "slow", "delay_ms": 60_000, "operation": "lock_organization"}]}
    )
    return plan


def _check_interrupted(outcome: Optional[ApplyOutcome], cut: str) -> None:
    """What an interrupted apply says it did: the update done, the lock in flight cut short
    (its error the interruption's), the two others not started."""
    assert isinstance(outcome, ApplyOutcome), outcome
    statuses = [(r["kind"], r["status"]) for r in outcome.results]
    assert statuses == [
        ("update", "done"),
        ("lock", "failed"),
        ("lock", "not_started"),
        ("lock", "not_started"),
    ], outcome
    assert outcome.results[1]["error"]["code"] == cut
    assert outcome.counts == {"done": 1, "failed": 1, "not_started": 2}
    assert not outcome.complete
    html = outcome._repr_html_()
    assert "<b>Apply: 1 done, 0 already done, 0 stale, 1 failed, 2 not started</b>" in html
    assert html.count("<td>not_started</td>") == 2 and html.count("<td>failed</td>") == 1


def _lock_held(mock: MockServer) -> None:
    until(
        lambda: (
            mock.stats()["in_flight"] == 1
            and mock.stats()["by_operation"].get("lock_organization") == 1
        ),
        "the first lock to be held",
    )


def test_apply_cancelled_by_close_raises_with_its_outcome(
    scaleway_mock: MockServer, tmp_path: Path
) -> None:
    client = scaleway_mock.client()
    plan = _held_apply(scaleway_mock, client)
    closer = threading.Thread(target=lambda: (_lock_held(scaleway_mock), client.close()))
    closer.start()
    with pytest.raises(RequestCancelledError) as e:
        client.apply(plan, journal=tmp_path / "j", concurrency=1, progress=False)
    closer.join()
    _check_interrupted(e.value.outcome, "cancelled")


def test_apply_past_its_total_timeout_raises_with_its_outcome(
    scaleway_mock: MockServer,
) -> None:
    with scaleway_mock.client() as client:
        plan = _held_apply(scaleway_mock, client)
        quick = client.with_options(total_timeout=2)
        with pytest.raises(APITimeoutError) as e:
            quick.apply(plan, concurrency=1, progress=False)
        _check_interrupted(e.value.outcome, "timeout")


@pytest.fixture
def sigint_handled() -> Iterator[None]:
    """Python's own Ctrl-C handler, even when the runner started us with SIGINT ignored."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


@pytest.mark.usefixtures("sigint_handled")
def test_ctrl_c_stops_an_apply_which_says_what_it_did(
    scaleway_mock: MockServer, tmp_path: Path
) -> None:
    with scaleway_mock.client() as client:
        plan = _held_apply(scaleway_mock, client)
        interrupter = threading.Thread(
            target=lambda: (_lock_held(scaleway_mock), _thread.interrupt_main())
        )
        interrupter.start()
        journal = tmp_path / "apply.journal"
        with pytest.raises(KeyboardInterrupt) as e:
            client.apply(plan, journal=journal, concurrency=1, progress=False)
        interrupter.join()
        cause = e.value.__cause__
        assert isinstance(cause, RequestCancelledError), repr(cause)
        _check_interrupted(cause.outcome, "cancelled")
        # Run again with its journal, the apply does what is left and nothing twice.
        scaleway_mock.clear_faults()
        again = client.apply(plan, journal=journal, progress=False)
        assert again.counts == {"already_done": 1, "done": 3}, again


class _RecordingTqdm:
    """tqdm as the progress bar uses it, recording every count it is shown."""

    made: ClassVar[List[_RecordingTqdm]] = []

    def __init__(self, **kw: Any) -> None:
        self.total = kw["total"]
        self.desc = kw["desc"]
        self.n = kw.get("initial", 0)
        self.shown: List[int] = []
        self.closed = False
        _RecordingTqdm.made.append(self)

    def refresh(self) -> None:
        self.shown.append(self.n)

    def close(self) -> None:
        self.closed = True


def _fake_tqdm(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys
    import types

    fake = types.ModuleType("tqdm.auto")
    fake.tqdm = _RecordingTqdm  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "tqdm.auto", fake)
    monkeypatch.delitem(sys.modules, "IPython", raising=False)
    _RecordingTqdm.made = []


def _many(client: Client, n: int) -> Plan:
    """A plan of ``n`` creates (a bar with that many steps)."""
    return client.plan([record(f"p-{i}", i) for i in range(n)], progress=False)


def test_apply_shows_a_bar_counting_up_to_every_action(
    scaleway_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fake_tqdm(monkeypatch)
    plan = _many(scaleway_client, 12)
    assert scaleway_client.apply(plan, concurrency=3, progress=True).complete
    (bar,) = [b for b in _RecordingTqdm.made if b.desc == "Applying"]
    assert bar.total == 12 and bar.closed
    assert bar.shown == sorted(bar.shown) and bar.shown[-1] == 12, bar.shown


def test_apply_bar_on_a_terminal_without_tqdm(
    scaleway_client: Client, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import sys

    for name in ("tqdm", "tqdm.auto"):
        monkeypatch.setitem(sys.modules, name, None)  # type: ignore[arg-type]
    plan = _many(scaleway_client, 5)
    seen: List[int] = []
    scaleway_client.apply(plan, progress=True, on_progress=lambda d, t: seen.append(d))
    err = capsys.readouterr().err
    assert err.startswith("\rApplying [") and err.endswith("5/5 100%\n"), err
    assert seen == sorted(seen) and seen[-1] == 5, "on_progress still called"


def test_apply_shows_no_bar_unless_watched(
    scaleway_client: Client, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _fake_tqdm(monkeypatch)
    scaleway_client.apply(_many(scaleway_client, 3))  # stderr captured: not a terminal
    assert _RecordingTqdm.made == [] and capsys.readouterr().err == ""


@pytest.mark.asyncio
async def test_async_apply_bar(
    async_scaleway_client: AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fake_tqdm(monkeypatch)
    client = async_scaleway_client
    plan = await client.plan([record(f"q-{i}", i) for i in range(7)], progress=False)
    assert (await client.apply(plan, concurrency=2, progress=True)).complete
    (bar,) = _RecordingTqdm.made
    assert bar.shown == sorted(bar.shown) and bar.shown[-1] == 7 and bar.closed
