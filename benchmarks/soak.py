"""Fault soak from Python: creations and lock/unlock cycles through an emulator injecting every
fault it knows, then the emulator's own state checked (issue 14, item 1).

    .venv/bin/python benchmarks/soak.py                      # 200 creations, 1,300 lock/unlocks
    .venv/bin/python benchmarks/soak.py --creates 500 --cycles 5 --seed 7

Faults, with a fixed seed (the emulator's draws are reproducible; the client's jitter and the
interleaving of concurrent calls are not, so figures vary a little from run to run):

- 429s: bare gateway ones (the emulator's limiter in ``gateway`` style, and scripted
  ``rate_limit`` faults) and JSON ones (scripted ``error`` faults, status 429, Scaleway's body);
- 502/503 HTML pages (``server_error``), connections reset before and after the write is
  applied, truncated bodies, slow answers;
- late-applied writes (``apply_late``: a 504 at once, the write lands later).

Two phases, because a late write must not make the intended state ambiguous:

1. Creations (each request through ``create_organization``; a ``CreateUnconfirmedError`` is
   followed by ``ensure_organization``, as a provisioning script would). Here ``apply_late`` and
   slow answers longer than the client's timeout (the write lands after the client gave up)
   are injected; both land well within the client's settle window, so a create either finds
   its organization or reports it unconfirmed after the write could have landed.
2. Lock/unlock cycles. No ``apply_late`` here and slow answers stay under the timeout: a lock
   landing late, after the unlock that followed it, legitimately leaves the organization
   locked (the API has no ordering guarantee across a gateway timeout), so the final state
   would no longer be defined by the script. Resets after the write and truncated answers
   (applied, answer lost) are injected, and the client must reconcile them.

Then, with faults cleared, the emulator's own state (``GET /_mock/organizations``) must show one
organization per customer ID (no duplicate, none missing), even ones locked by the partner and
odd ones back under Scaleway's ``validate_email`` lock, and every error that reached the caller
must be a ``ScalewayError`` the caller can act on (only ``CreateUnconfirmedError`` is expected).
Figures are printed, never asserted; ``python/tests/test_soak.py`` runs a short version.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from scaleway_partner import AsyncClient, CreateUnconfirmedError, ScalewayError
from scaleway_partner.testing import MockServer

# The client's per-attempt timeout, and the slow answers of each phase around it.
TIMEOUT_S = 1.0
SETTLE_S = 2.0
CREATE_PHASE = {
    "server_error": 0.06,
    "reset_before": 0.05,
    "reset_after": 0.05,
    "truncate": 0.04,
    "slow": 0.03,
    "slow_ms": 1500,  # past the timeout: the write lands 0.5 s after the client gave up
    "apply_late": 0.06,
    "apply_late_ms": 400,  # well within the settle window
}
CYCLE_PHASE = {
    "server_error": 0.06,
    "reset_before": 0.05,
    "reset_after": 0.05,
    "truncate": 0.04,
    "slow": 0.04,
    "slow_ms": 300,  # under the timeout: slow, never late
}
JSON_429 = {
    "type": "too_many_requests",
    "message": "quota exceeded",
    "help_message": "slow down",
}


def scripted_429s(count: int) -> list[dict[str, Any]]:
    """Bare gateway 429s and Scaleway JSON 429s for the next requests of any operation."""
    return [
        {"fault": "rate_limit", "count": count},
        {"fault": "error", "status": 429, "body": JSON_429, "count": count},
    ]


class LogCounter(logging.Handler):
    """Counts the core's log records by their first words (retries, reconciliations)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.counts: Counter[str] = Counter()

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        for key in (
            "retrying",
            "the lost create attempt was applied",
            "an earlier unlock attempt was applied",
        ):
            if message.startswith(key):
                self.counts[key] += 1


@dataclass
class Figures:
    creates: int = 0
    lock_unlock_operations: int = 0
    unconfirmed_creates: int = 0
    ensured_found: int = 0
    ensured_created: int = 0
    surfaced: Counter[str] = field(default_factory=Counter)
    untyped: list[str] = field(default_factory=list)
    duplicates: int = 0
    missing: int = 0
    wrong_states: list[str] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)
    logs: Counter[str] = field(default_factory=Counter)
    wall_s: float = 0.0

    def lines(self) -> list[str]:
        s = self.stats
        return [
            f"creations: {self.creates} (distinct customer IDs), lock/unlock operations: {self.lock_unlock_operations}",
            (
                f"requests: {s['requests']}, faults injected: {s['faults_injected']}, "
                f"429s: {s['by_status'].get('429', 0)} ({s['rate_limited']} bare, the rest JSON), "
                f"late writes landed: {s['late_applied']}"
            ),
            f"answers by status: {json.dumps(s['by_status'], sort_keys=True)}",
            (
                f"retries (logged): {self.logs['retrying']}, reconciliations (logged): lost creates "
                f"found {self.logs['the lost create attempt was applied']}, unlocks found applied "
                f"{self.logs['an earlier unlock attempt was applied']}"
            ),
            (
                f"unconfirmed creates: {self.unconfirmed_creates} (then ensure_organization: "
                f"{self.ensured_found} found, {self.ensured_created} created)"
            ),
            f"errors surfaced to the caller: {dict(self.surfaced) or 0}, not a ScalewayError: {len(self.untyped)}",
            f"duplicates: {self.duplicates}, missing: {self.missing}, wrong lock states: {len(self.wrong_states)}",
            f"wall time: {self.wall_s:.1f} s",
        ]


def emulator_state(mock: MockServer) -> list[dict[str, Any]]:
    """Every organization as the emulator holds it (its control endpoint, not the API)."""
    with urllib.request.urlopen(
        f"{mock.url}/_mock/organizations", timeout=30
    ) as answer:
        return list(json.load(answer)["organizations"])


async def create_or_ensure(client: AsyncClient, i: int, figures: Figures) -> str:
    """Creates customer ``i``; after an unconfirmed create (or any other error a script would
    re-run), ensures it, as often as needed (bounded). Returns the organization ID."""
    request = {
        "email": f"owner-{i}@soak.example.test",
        "organization_name": f"Soak customer {i}",
        "owner_firstname": "Jane",
        "owner_lastname": "Doe",
        "customer_id": f"soak-{i:05d}",
    }
    try:
        return (await client.create_organization(**request)).id
    except CreateUnconfirmedError:
        figures.unconfirmed_creates += 1
        figures.surfaced["CreateUnconfirmedError"] += 1
    except ScalewayError as e:
        figures.surfaced[type(e).__name__] += 1
    for _ in range(5):
        try:
            ensured = await client.ensure_organization(**request)
        except ScalewayError as e:
            figures.surfaced[type(e).__name__] += 1
            if isinstance(e, CreateUnconfirmedError):
                figures.unconfirmed_creates += 1
            continue
        if ensured.created:
            figures.ensured_created += 1
        else:
            figures.ensured_found += 1
        return ensured.organization.id
    raise RuntimeError(f"customer {i}: still not ensured after 5 attempts")


async def cycle(
    client: AsyncClient, i: int, organization_id: str, cycles: int, figures: Figures
) -> None:
    """``cycles`` lock/unlock pairs, then a last lock for even customers. An operation that
    fails (a typed error, counted) is done again: the script wants its intended state."""
    operations = ["lock", "unlock"] * cycles + (["lock"] if i % 2 == 0 else [])
    for op in operations:
        method = (
            client.lock_organization if op == "lock" else client.unlock_organization
        )
        for _ in range(3):
            figures.lock_unlock_operations += 1
            try:
                await method(organization_id)
                break
            except ScalewayError as e:
                figures.surfaced[type(e).__name__] += 1


async def soak(
    creates: int = 200, cycles: int = 3, seed: int = 14, concurrency: int = 16
) -> Figures:
    figures = Figures(creates=creates)
    counter = LogCounter()
    logger = logging.getLogger("scaleway_partner")
    logger.addHandler(counter)
    previous = logger.level, logger.propagate
    logger.setLevel(logging.INFO)
    logger.propagate = False  # counted, not printed
    start = time.monotonic()
    try:
        # The limiter answers bare gateway 429s when the client goes faster than 100/s.
        with MockServer(seed=seed, rate_limit=100, rate_limit_style="gateway") as mock:
            client = AsyncClient(
                api_url=mock.url,
                secret_key=mock.secret_key,
                default_organization_id=mock.organization_id,
                rate_limit=200,
                max_retries=10,
                timeout=TIMEOUT_S,
                create_settle_timeout=SETTLE_S,
                total_timeout=120,
            )
            gate = asyncio.Semaphore(concurrency)

            async def bounded(coro: Any) -> Any:
                async with gate:
                    return await coro

            async def guarded(coro: Any) -> Any:
                try:
                    return await bounded(coro)
                except ScalewayError:
                    raise
                except Exception as e:  # noqa: BLE001 - what the soak must never see
                    figures.untyped.append(f"{type(e).__name__}: {e}")
                    return None

            scripted = max(2, creates // 40)
            mock.inject_faults(
                {
                    "seed": seed,
                    "probabilities": CREATE_PHASE,
                    "script": scripted_429s(scripted),
                }
            )
            ids = await asyncio.gather(
                *(guarded(create_or_ensure(client, i, figures)) for i in range(creates))
            )
            mock.inject_faults(
                {
                    "seed": seed + 1,
                    "probabilities": CYCLE_PHASE,
                    "script": scripted_429s(scripted * cycles),
                }
            )
            await asyncio.gather(
                *(
                    guarded(cycle(client, i, oid, cycles, figures))
                    for i, oid in enumerate(ids)
                    if oid is not None
                )
            )
            mock.clear_faults()
            await client.close()
            figures.stats = mock.stats()
            check_state(emulator_state(mock), ids, figures)
    finally:
        logger.removeHandler(counter)
        logger.setLevel(previous[0])
        logger.propagate = previous[1]
    figures.logs = counter.counts
    figures.wall_s = time.monotonic() - start
    return figures


def check_state(state: list[dict[str, Any]], ids: list[Any], figures: Figures) -> None:
    """One organization per customer ID, each in its intended lock state."""
    by_customer: dict[str, list[dict[str, Any]]] = {}
    for org in state:
        by_customer.setdefault(org["customer_id"], []).append(org)
    figures.duplicates = sum(len(orgs) - 1 for orgs in by_customer.values())
    for i, oid in enumerate(ids):
        orgs = by_customer.get(f"soak-{i:05d}", [])
        if not orgs or oid is None:
            figures.missing += 1
            continue
        org = orgs[0]
        # The emulator's lock stack: Scaleway's validate_email lock, and the partner's on top.
        want = [["scaleway", "validate_email"]] + (
            [["partner", "locked_by_reseller"]] if i % 2 == 0 else []
        )
        got = [[lock["by"], lock["reason"]] for lock in org["locks"]]
        if org["id"] != oid or got != want:
            figures.wrong_states.append(
                f"customer {i}: {org['id']} is {got}, intended {want} for {oid}"
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--creates", type=int, default=200, help="organizations created (default 200)"
    )
    parser.add_argument(
        "--cycles",
        type=int,
        default=3,
        help="lock/unlock pairs per organization (default 3)",
    )
    parser.add_argument(
        "--seed", type=int, default=14, help="the emulator's fault seed (default 14)"
    )
    parser.add_argument(
        "--concurrency", type=int, default=16, help="calls at once (default 16)"
    )
    options = parser.parse_args(argv)
    figures = asyncio.run(
        soak(options.creates, options.cycles, options.seed, options.concurrency)
    )
    print(f"python soak (seed {options.seed}):")
    for line in figures.lines():
        print(f"  {line}")
    unexpected = sum(
        n for name, n in figures.surfaced.items() if name != "CreateUnconfirmedError"
    )
    broken = (
        figures.duplicates
        or figures.missing
        or figures.wrong_states
        or figures.untyped
        or unexpected
    )
    for problem in figures.wrong_states + figures.untyped:
        print(f"  PROBLEM {problem}")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
