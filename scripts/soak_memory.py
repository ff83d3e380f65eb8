#!/usr/bin/env python3
"""Memory soak (not in CI): one client process drives the emulator for a long time; the RSS of
both is sampled, and the drift printed. Flat memory means no leak per call.

    .venv/bin/python scripts/soak_memory.py                  # 10 minutes (the documented run)
    .venv/bin/python scripts/soak_memory.py --duration 60    # a short look

The emulator runs as its own process (the `scaleway-partner-mock` binary, built in release
mode if absent; `--mock PATH` to use another), seeded with a fixed book so that its state does
not grow: the load is gets, listings and lock/unlock pairs from one AsyncClient with
`--concurrency` calls at once (no pacing; the emulator's rate limit off). Every `--every`
seconds it prints the client's RSS (this process, /proc/self) and the emulator's, and at the
end the drift of each: the mean of the last quarter of the samples minus the mean of the first
quarter after the warm-up (the first 10 %). Linux only (it reads /proc).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import List, Tuple

ROOT = Path(__file__).resolve().parent.parent


def rss_mib(pid: str = "self") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def start_emulator(binary: Path, organizations: int) -> Tuple[subprocess.Popen[str], str, str, str]:
    proc = subprocess.Popen(
        [
            str(binary),
            "--seed",
            "7",
            "--seed-organizations",
            str(organizations),
            "--rate-limit",
            "0",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None
    url = proc.stdout.readline().strip()
    env = dict(
        line.strip().split("=", 1) for line in (proc.stdout.readline(), proc.stdout.readline())
    )
    return proc, url, env["SCW_SECRET_KEY"], env["SCW_DEFAULT_ORGANIZATION_ID"]


async def soak(args: argparse.Namespace, url: str, key: str, org: str, emulator_pid: int) -> int:
    from scaleway_partner import AsyncClient

    samples: List[Tuple[float, float, float]] = []
    calls = 0
    errors = 0
    async with AsyncClient(
        secret_key=key, api_url=url, default_organization_id=org, rate_limit=0
    ) as client:
        ids = [o.id async for o in client.list_organizations()]
        start = time.monotonic()
        next_sample = start

        async def worker(n: int) -> None:
            nonlocal calls, errors
            # Each worker acts on its own organizations: no two lock the same one at once.
            mine = ids[n :: args.concurrency] or ids[:1]
            i = 0
            while time.monotonic() - start < args.duration:
                target = mine[i % len(mine)]
                i += 1
                try:
                    step = i % 4
                    if step == 0:
                        await client.get_organization(target)
                    elif step == 1:
                        await client.list_organizations(page_size=20).page(1 + i % 5)
                    else:
                        org_now = await client.get_organization(target)
                        if org_now.locked_by == "partner":
                            await client.unlock_organization(target)
                        elif org_now.status == "opened":
                            await client.lock_organization(target)
                    calls += 1
                except Exception as e:  # counted; the soak goes on
                    errors += 1
                    if errors <= 3:
                        print(f"error: {type(e).__name__}: {e}", flush=True)

        tasks = [asyncio.create_task(worker(n)) for n in range(args.concurrency)]
        print(f"{'t (s)':>7} {'calls':>9} {'client RSS MiB':>15} {'emulator RSS MiB':>17}")
        while any(not t.done() for t in tasks):
            now = time.monotonic()
            if now >= next_sample:
                sample = (now - start, rss_mib(), rss_mib(str(emulator_pid)))
                samples.append(sample)
                print(
                    f"{sample[0]:7.0f} {calls:9d} {sample[1]:15.1f} {sample[2]:17.1f}", flush=True
                )
                next_sample += args.every
            await asyncio.sleep(0.2)
        await asyncio.gather(*tasks)
    n = len(samples)
    warm = max(1, n // 10)
    steady = samples[warm:]
    q = max(1, len(steady) // 4)

    def drift(i: int) -> float:
        first = sum(s[i] for s in steady[:q]) / q
        last = sum(s[i] for s in steady[-q:]) / q
        return last - first

    print(
        f"\n{calls} calls, {errors} errors in {args.duration:.0f} s "
        f"({calls / args.duration:.0f}/s, {args.concurrency} at once), {n} samples"
    )
    print(f"client RSS drift:   {drift(1):+.1f} MiB (first vs last quarter after warm-up)")
    print(f"emulator RSS drift: {drift(2):+.1f} MiB")
    return 0 if errors == 0 else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=600.0, help="seconds (600)")
    parser.add_argument("--every", type=float, default=10.0, help="seconds between samples (10)")
    parser.add_argument("--concurrency", type=int, default=32, help="calls at once (32)")
    parser.add_argument("--organizations", type=int, default=200, help="seeded book (200)")
    parser.add_argument("--mock", type=Path, help="the emulator binary (built if absent)")
    args = parser.parse_args()
    binary = args.mock or ROOT / "target" / "release" / "scaleway-partner-mock"
    if not binary.exists():
        subprocess.run(
            ["cargo", "build", "--release", "-p", "scaleway-partner-mock"], cwd=ROOT, check=True
        )
    proc, url, key, org = start_emulator(binary, args.organizations)
    print(f"emulator {url} (pid {proc.pid}), client pid {os.getpid()}")
    try:
        return asyncio.run(soak(args, url, key, org, proc.pid))
    finally:
        proc.terminate()
        proc.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())
