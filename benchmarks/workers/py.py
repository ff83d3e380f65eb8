"""One measurement from Python, as one JSON line on stdout (run by ``benchmarks/run.py``).

    python py.py IMPL OPERATION [N]

IMPL is ``partner`` (this project's package), ``sdk`` (the official ``scaleway`` SDK) or
``plain`` (a keep-alive ``http.client`` loop decoding with ``json``). The emulator comes from
``SCW_API_URL`` and ``SCW_SECRET_KEY``; the organization to get from ``BENCH_ORGANIZATION``,
IDs to lock, one per line, from ``BENCH_IDS``; the coordination from
``SCW_PARTNER_COORDINATION`` (the client reads it). CPU is the process's (every thread), memory the peak RSS.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from collections.abc import Callable
from typing import Any

URL = os.environ["SCW_API_URL"]
KEY = os.environ["SCW_SECRET_KEY"]
ORGANIZATION = os.environ.get("BENCH_ORGANIZATION", "")


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def rss_mib() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measured(run: Callable[[], Any]) -> dict[str, Any]:
    """Runs ``run`` once; its wall and CPU time, RSS before and peak, and what it returned."""
    rss_before = rss_mib()
    cpu_before = cpu()
    started = time.perf_counter()
    value = run()
    wall = time.perf_counter() - started
    return {
        "wall_s": wall,
        "cpu_s": cpu() - cpu_before,
        "rss_before_mib": rss_before,
        "peak_rss_mib": peak_rss_mib(),
        "value": value,
    }


def ids() -> list[str]:
    with open(os.environ["BENCH_IDS"]) as f:
        return [line.strip() for line in f if line.strip()]


def partner(operation: str, n: int) -> dict[str, Any]:
    import asyncio

    from scaleway_partner import AsyncClient, Client, ScalewayError

    paced = operation in ("list", "lock", "lock_no_headers", "share")
    options: dict[str, Any] = {"api_url": URL, "secret_key": KEY}
    if not paced:
        options["rate_limit"] = 0
    if operation == "concurrent":

        async def gather() -> int:
            async with AsyncClient(**options) as client:
                results = await asyncio.gather(
                    *(client.get_organization(ORGANIZATION) for _ in range(n)),
                    return_exceptions=True,
                )
                return sum(isinstance(r, BaseException) for r in results)

        result = measured(lambda: asyncio.run(gather()))
        result["errors"] = result.pop("value")
        return result
    client = Client(**options)
    if operation in ("list", "cpu"):
        result = measured(lambda: client.list_organizations().all())
        result["count"] = len(result.pop("value"))
    elif operation in ("lock", "lock_no_headers"):
        wanted = ids()
        result = measured(lambda: client.lock_organizations(wanted))
        result["errors"] = sum(isinstance(r, Exception) for r in result.pop("value"))
    elif operation == "gets":
        client.get_organization(ORGANIZATION)  # the connection is open
        result = measured(
            lambda: [client.get_organization(ORGANIZATION) for _ in range(n)]
        )
        result["per_s"] = n / result["wall_s"]
        del result["value"]
    elif operation == "share":
        # One of the processes sharing a key: list everything, then N gets; failed calls
        # counted, not raised.
        def share() -> int:
            failed = 0
            try:
                client.list_organizations(page_size=100).all()
            except ScalewayError:
                failed += 1
            for _ in range(n):
                try:
                    client.get_organization(ORGANIZATION)
                except ScalewayError:
                    failed += 1
            return failed

        # Interpreters start at different times: each says it is ready and waits for the go.
        print("ready", flush=True)
        sys.stdin.readline()
        result = measured(share)
        result["errors"] = result.pop("value")
    elif operation == "ensure":
        # N sequential ensures of one existing customer: each takes the customer's exclusion
        # (and, coordinated, its lock file), lists, and finds it. Per-call times in seconds.
        request = {
            "email": "owner@bench.test",
            "organization_name": "Bench",
            "owner_firstname": "Jane",
            "owner_lastname": "Doe",
            "customer_id": "bench-ensure",
        }
        client.ensure_organization(**request)  # exists, and the connection is open

        def ensures() -> list[float]:
            times = []
            for _ in range(n):
                started = time.perf_counter()
                client.ensure_organization(**request)
                times.append(time.perf_counter() - started)
            return times

        result = measured(ensures)
        times = sorted(result.pop("value"))
        result["median_ms"] = times[len(times) // 2] * 1000
    else:
        raise SystemExit(f"partner: unknown operation {operation}")
    return result


def sdk(operation: str, n: int) -> dict[str, Any]:
    os.environ.update(
        SCW_CONFIG_PATH="/nonexistent/scaleway-config.yaml",
        SCW_ACCESS_KEY="SCWXXXXXXXXXXXXXXXXX",
    )
    from scaleway import Client
    from scaleway.partner.v1 import PartnerV1API

    api = PartnerV1API(Client.from_config_file_and_env())
    # list_organizations_all recurses once per page (1,000 pages for 100,000 orgs).
    sys.setrecursionlimit(20_000)
    if operation in ("list", "cpu"):
        result = measured(lambda: api.list_organizations_all(page_size=100))
        result["count"] = len(result.pop("value"))
    elif operation in ("lock", "lock_no_headers"):
        wanted = ids()
        result = measured(
            lambda: [api.lock_organization(organization_id=i) for i in wanted]
        )
        result["errors"] = 0  # the SDK raises on the first failure
        del result["value"]
    else:
        raise SystemExit(f"sdk: unknown operation {operation}")
    return result


def plain(operation: str, n: int) -> dict[str, Any]:
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(URL)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port)
    headers = {"X-Auth-Token": KEY}

    def get(path: str) -> bytes:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        body = response.read()
        if response.status != 200:
            raise SystemExit(f"plain: {path} answered {response.status}")
        return body

    if operation == "gets":
        path = f"/partner/v1/organizations/{ORGANIZATION}"
        get(path)
        result = measured(lambda: [json.loads(get(path)) for _ in range(n)])
        result["per_s"] = n / result["wall_s"]
        del result["value"]
    elif operation == "cpu":
        # The hand-written listing: every page decoded into dicts; also the raw JSON's size.
        def listing() -> Any:
            organizations: list[Any] = []
            raw = 0
            page = 1
            while True:
                body = get(f"/partner/v1/organizations?page={page}&page_size=100")
                raw += len(body)
                batch = json.loads(body)["organizations"]
                organizations.extend(batch)
                if len(batch) < 100:
                    return organizations, raw
                page += 1

        result = measured(listing)
        organizations, raw = result.pop("value")
        result["count"] = len(organizations)
        result["raw_json_mib"] = raw / 2**20
    else:
        raise SystemExit(f"plain: unknown operation {operation}")
    return result


def main() -> None:
    impl, operation = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    run = {"partner": partner, "sdk": sdk, "plain": plain}[impl]
    print(json.dumps(run(operation, n)))


if __name__ == "__main__":
    main()
