#!/usr/bin/env python3
"""Audit of a large emulated book from Python: wall time and peak memory.

    .venv/bin/python benchmarks/python-audit.py --organizations 100000 --rate-limit 0
    .venv/bin/python benchmarks/python-audit.py --organizations 100000 --rate-limit 50

The emulator runs in the same process (its organizations count in the memory figures: the
"after seeding" line is the baseline). Not a test: it prints figures, it asserts nothing but
the count. Peak RSS is the process's high-water mark (getrusage).
"""

from __future__ import annotations

import argparse
import json
import resource
import time

from scaleway_partner.testing import MockServer


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def current_rss_mib() -> float:
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * resource.getpagesize() / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--organizations", type=int, default=100_000)
    parser.add_argument("--rate-limit", type=int, default=0, help="requests/s (0: off)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    started = time.perf_counter()
    with MockServer(
        seed=args.seed, seed_organizations=args.organizations, rate_limit=args.rate_limit
    ) as mock:
        seeded = time.perf_counter() - started
        baseline = current_rss_mib()
        pages = []
        with mock.client() as client:
            t0 = time.perf_counter()
            report = client.audit(
                progress=False, on_progress=lambda done, total: pages.append(time.perf_counter())
            )
            audited = time.perf_counter() - t0
        assert report.total == args.organizations, report.total
        listing = pages[-1] - t0
        held = current_rss_mib()
        t0 = time.perf_counter()
        frames = report.to_pandas()
        to_pandas = time.perf_counter() - t0
        t0 = time.perf_counter()
        page = report.to_html()
        to_html = time.perf_counter() - t0
        stats = mock.stats()
    figures = {
        "organizations": report.total,
        "rate_limit": args.rate_limit,
        "list_requests": stats["by_operation"]["list_organizations"],
        "rate_limited_429": stats["rate_limited"],
        "seed_s": round(seeded, 2),
        "audit_s": round(audited, 2),
        "of_which_listing_s": round(listing, 2),
        "after_listing_s (audit + conversion)": round(audited - listing, 2),
        "to_pandas_s": round(to_pandas, 2),
        "to_html_s": round(to_html, 3),
        "html_kib": len(page) // 1024,
        "rss_after_seeding_mib": round(baseline),
        "rss_holding_report_mib": round(held),
        "peak_rss_mib": round(rss_mib()),
        "frames_rows": len(frames.organizations),
    }
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
