"""The benchmark suite of issue 13: one command, one table, one JSON file.

    python3 benchmarks/run.py                  # builds what it needs (release), 3 runs a figure
    python3 benchmarks/run.py --no-build       # reuses the built emulator, addon and venv
    python3 benchmarks/run.py --python /path/to/venv/bin/python --runs 5

It builds (release) the emulator, the Rust benchmark example, the Node addon, and a venv
(``benchmarks/.venv``) holding this tree's Python package and the official SDK
(``scaleway==2.12.0``); then starts the emulator once per profile (latency, rate limit, with or
without rate-limit headers) and runs each figure ``--runs`` times, each in a fresh process, in
the order the issue lists them. It prints one table (median, spread, target, ratio) and writes
``benchmarks/results.json``. Figures are printed, never asserted: this is not a test. See
``benchmarks/README.md`` for what each figure measures.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
WORKERS = ROOT / "benchmarks" / "workers"
OFFICIAL_SDK = "scaleway==2.12.0"
NODE_ADDON = ROOT / "benchmarks" / ".node" / "scaleway_partner.node"
PAGE_SIZE = 100
BUDGET = 50  # requests per second, the API's (and the emulator's) default


def proven_listing_requests(count: int, overlap: int = 2) -> int:
    """The fewest requests that read `count` records with every page boundary proven: each page
    after the first overlaps the records already read by `overlap` (the client's proof needs 2:
    records created at one instant may come in another order in each answer), an offset page
    starts at a multiple of its size (at most PAGE_SIZE), and only a short page ends the
    listing. A shortest path over the records read so far, independent of the client's code:
    the bound its listings are measured against, since no listing that proves itself complete
    can send fewer."""
    if count < PAGE_SIZE:
        return 1  # the first page is short: the end
    best = {PAGE_SIZE: 1}  # the first page: records [0, PAGE_SIZE)
    fewest = count  # more than enough
    for read in range(PAGE_SIZE, count + 1):
        if read not in best:
            continue
        for size in range(2, PAGE_SIZE + 1):
            end = (read - overlap) // size * size + size
            if end > count:  # a short page: the end, proven
                fewest = min(fewest, best[read] + 1)
            elif end > read and best.get(end, count) > best[read] + 1:
                best[end] = best[read] + 1
    return fewest


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def run(cmd: list[str], **kwargs: Any) -> str:
    return subprocess.run(
        cmd, check=True, stdout=subprocess.PIPE, text=True, **kwargs
    ).stdout


# ---------------------------------------------------------------------------------------------
# Builds


@dataclass
class Tools:
    emulator: Path
    rust_bench: Path
    python: str
    # The suite's own copy of the release addon, loaded through NAPI_RS_NATIVE_LIBRARY_PATH:
    # node/ holds whatever build was made last (often a debug one, several times slower).
    node_addon: Path
    node: str = "node"

    @property
    def node_env(self) -> dict[str, str]:
        return {"NAPI_RS_NATIVE_LIBRARY_PATH": str(self.node_addon)}


def cargo_target_dir() -> Path:
    meta = run(["cargo", "metadata", "--format-version", "1", "--no-deps"], cwd=ROOT)
    return Path(json.loads(meta)["target_directory"])


def prepare(args: argparse.Namespace) -> Tools:
    release = cargo_target_dir() / "release"
    if not args.no_build:
        log("building the emulator and the Rust benchmark (release)")
        subprocess.run(
            ["cargo", "build", "--release", "-p", "scaleway-partner-mock"],
            check=True,
            cwd=ROOT,
        )
        subprocess.run(
            [
                "cargo",
                "build",
                "--release",
                "-p",
                "scaleway-partner",
                "--example",
                "bench_listing",
            ],
            check=True,
            cwd=ROOT,
        )
        node_dir = ROOT / "node"
        if not (node_dir / "node_modules").exists():
            subprocess.run(["npm", "ci", "--ignore-scripts"], check=True, cwd=node_dir)
        log("building the Node addon (npm run build, release)")
        subprocess.run(["npm", "run", "build"], check=True, cwd=node_dir)
        NODE_ADDON.parent.mkdir(exist_ok=True)
        built = max(node_dir.glob("*.node"), key=lambda p: p.stat().st_mtime)
        shutil.copyfile(built, NODE_ADDON)
    # The `processes` and `cli` profiles run Python only.
    needs_node = bool(set(args.only or ["node"]) - {"processes", "cli"})
    if needs_node and not NODE_ADDON.exists():
        raise SystemExit(f"{NODE_ADDON} is missing: run once without --no-build")
    python = args.python
    if python is None:
        venv = ROOT / "benchmarks" / ".venv"
        python = str(venv / "bin" / "python")
        if not args.no_build or not Path(python).exists():
            log(f"installing ./python (release wheel) and {OFFICIAL_SDK} into {venv}")
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
            subprocess.run(
                [python, "-m", "pip", "install", "-q", "--upgrade", "pip"], check=True
            )
            subprocess.run(
                [
                    python,
                    "-m",
                    "pip",
                    "install",
                    "-q",
                    str(ROOT / "python"),
                    OFFICIAL_SDK,
                ],
                check=True,
            )
    return Tools(
        emulator=release / "scaleway-partner-mock",
        rust_bench=release / "examples" / "bench_listing",
        python=python,
        node_addon=NODE_ADDON,
    )


# ---------------------------------------------------------------------------------------------
# The emulator


@dataclass
class Emulator:
    url: str
    env: dict[str, str]

    def control(self, path: str, method: str = "GET") -> Any:
        request = urllib.request.Request(f"{self.url}{path}", method=method)
        with urllib.request.urlopen(request) as response:
            body = response.read()
        return json.loads(body) if body else None

    def opened_ids(self) -> list[str]:
        ids: list[str] = []
        page = 1
        while True:
            request = urllib.request.Request(
                f"{self.url}/partner/v1/organizations?status=opened&page={page}"
                f"&page_size={PAGE_SIZE}",
                headers={"X-Auth-Token": self.env["SCW_SECRET_KEY"]},
            )
            with urllib.request.urlopen(request) as response:
                batch = json.load(response)["organizations"]
            ids.extend(o["id"] for o in batch)
            if len(batch) < PAGE_SIZE:
                return ids
            page += 1
            time.sleep(
                1 / BUDGET
            )  # this setup must not eat the budget of the run it prepares


@contextlib.contextmanager
def emulator(
    tools: Tools, *, organizations: int, latency_ms: int, rate_limit: int
) -> Iterator[Emulator]:
    process = subprocess.Popen(
        [
            str(tools.emulator),
            "--seed",
            "13",
            "--seed-organizations",
            str(organizations),
            "--latency-ms",
            str(latency_ms),
            "--rate-limit",
            str(rate_limit),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "RUST_LOG": "error"},
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        values = dict(process.stdout.readline().strip().split("=", 1) for _ in range(2))
        env = {"SCW_API_URL": url, **values}
        yield Emulator(url, env)
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextlib.contextmanager
def redis_server() -> Iterator[str]:
    """A throwaway real redis-server (the Python tests' helper, ``python/tests/redis_server.py``);
    yields its URL."""
    sys.path.insert(0, str(ROOT / "python" / "tests"))
    from redis_server import running

    with running(os.environ.get("REDIS_SERVER", "redis-server")) as url:
        yield url


def redis_flush(url: str) -> None:
    """Forgets every lease and budget: each run starts from a fresh server state."""
    import socket

    host, port = url.removeprefix("redis://").split("/")[0].split(":")
    with socket.create_connection((host, int(port)), timeout=5) as c:
        c.sendall(b"FLUSHALL\r\n")
        assert c.recv(16).startswith(b"+OK")


# ---------------------------------------------------------------------------------------------
# Figures


@dataclass
class Figure:
    name: str
    impl: str
    unit: str
    values: list[float] = field(default_factory=list)
    # The target, as a ratio: `ratio` is the median divided by `reference` (the bound, the
    # baseline's median, the raw JSON size...), met when `ratio <= target` (or `>=` when
    # `at_least`). None: shown for comparison only.
    target: float | None = None
    at_least: bool = False
    reference: float | None = None
    reference_label: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def median(self) -> float:
        return statistics.median(self.values) if self.values else float("nan")

    @property
    def ratio(self) -> float | None:
        if self.reference in (None, 0) or not self.values:
            return None
        return self.median / self.reference  # type: ignore[operator]

    @property
    def met(self) -> bool | None:
        ratio = self.ratio
        if self.target is None or ratio is None:
            return None
        return ratio >= self.target if self.at_least else ratio <= self.target

    def as_json(self) -> dict[str, Any]:
        return {
            "figure": self.name,
            "impl": self.impl,
            "unit": self.unit,
            "runs": self.values,
            "median": self.median,
            "min": min(self.values, default=None),
            "max": max(self.values, default=None),
            "reference": self.reference,
            "reference_label": self.reference_label,
            "ratio": self.ratio,
            "target": self.target,
            "target_is_minimum": self.at_least,
            "met": self.met,
            **self.extra,
        }


class Suite:
    def __init__(self, tools: Tools, runs: int, ids_file: Path) -> None:
        self.tools = tools
        self.runs = runs
        self.ids_file = ids_file
        self.figures: list[Figure] = []

    def add(self, figure: Figure) -> Figure:
        self.figures.append(figure)
        return figure

    def worker(
        self, impl: str, operation: str, n: int, env: dict[str, str]
    ) -> dict[str, Any]:
        lang, _, which = impl.partition("-")
        if lang == "python":
            cmd = [self.tools.python, str(WORKERS / "py.py"), which, operation, str(n)]
        elif lang == "node":
            cmd = [self.tools.node, str(WORKERS / "node.mjs"), which, operation, str(n)]
        else:
            cmd = [str(self.tools.rust_bench)]
        env = {
            **os.environ,
            **env,
            **self.tools.node_env,
            "BENCH_IDS": str(self.ids_file),
        }
        out = run(cmd, env=env)
        return json.loads(out.strip().splitlines()[-1])

    def repeat(
        self,
        figure: Figure,
        operation: str,
        env: dict[str, str],
        pick: Callable[[dict[str, Any]], float],
        n: int = 0,
        runs: int | None = None,
    ) -> list[dict[str, Any]]:
        """Runs a worker `runs` times, adding `pick(result)` to the figure; the results."""
        results = []
        for _ in range(runs or self.runs):
            results.append(self.worker(figure.impl, operation, n, env))
            figure.values.append(pick(results[-1]))
            log(
                f"  {figure.name} [{figure.impl}]: {figure.values[-1]:.4g} {figure.unit}"
            )
        return results

    def rate_limited(
        self,
        figure: Figure,
        emu: Emulator,
        operation: str,
        runs: int,
        batches: Iterator[list[str]] | None = None,
    ) -> None:
        """Timed runs, each in a fresh rate-limit window, with the emulator's 429s counted;
        each run locks the next batch of IDs when `batches` is given."""
        limited = []
        for _ in range(runs):
            if batches is not None:
                self.ids_file.write_text("\n".join(next(batches)))
            time.sleep(1.1)  # no run inherits the window of the one before
            emu.control("/_mock/stats/reset", "POST")
            self.repeat(figure, operation, emu.env, wall, runs=1)
            limited.append(emu.control("/_mock/stats")["rate_limited"])
        figure.extra["rate_limited_429"] = limited

    # --- one method per profile -------------------------------------------------------------

    def imports(self) -> None:
        log("import/require time over a bare interpreter")
        python, node = self.tools.python, self.tools.node
        cases = [
            (
                "python-partner",
                [python, "-c", "import scaleway_partner"],
                [python, "-c", "pass"],
            ),
            (
                "python-sdk",
                [python, "-c", "from scaleway.partner.v1 import PartnerV1API"],
                [python, "-c", "pass"],
            ),
            (
                "node-partner",
                [node, "-e", f"require({str(ROOT / 'node')!r})"],
                [node, "-e", ""],
            ),
        ]
        for impl, cmd, bare in cases:
            figure = self.add(Figure("import time over a bare interpreter", impl, "ms"))
            if impl == "python-partner":
                figure.target, figure.reference, figure.reference_label = (
                    20.0,
                    1.0,
                    "ms",
                )
            for _ in range(max(self.runs, 5)):
                # Interleaved, so that a busy moment weighs on both.
                costs = []
                for c in (cmd, bare):
                    started = time.perf_counter()
                    subprocess.run(
                        c,
                        check=True,
                        stdout=subprocess.DEVNULL,
                        env={**os.environ, **self.tools.node_env},
                    )
                    costs.append(time.perf_counter() - started)
                figure.values.append((costs[0] - costs[1]) * 1000)
            log(f"  {impl}: {figure.median:.1f} ms")

    def listing(
        self, impls: tuple[str, ...] = ("python-partner", "node-partner", "python-sdk")
    ) -> None:
        count, latency = 10_000, 20
        bound = count / PAGE_SIZE / BUDGET
        log(
            f"list {count:,} orgs at {latency} ms latency, {BUDGET} req/s (bound {bound:.1f} s)"
        )
        with emulator(
            self.tools, organizations=count, latency_ms=latency, rate_limit=BUDGET
        ) as emu:
            for impl in impls:
                name = f"list {count:,} orgs, {latency} ms, {BUDGET} req/s"
                figure = self.add(Figure(name, impl, "s", reference=bound))
                figure.reference_label = "rate bound"
                if impl != "python-sdk":
                    figure.target = 1.1
                self.rate_limited(figure, emu, "list", self.runs)
            self.cli_listing(emu, count, bound)

    def cli(self) -> None:
        """Issue 27 alone, without Node: the CLI's listing beside Python's `all()`."""
        self.listing(("python-partner",))

    def cli_listing(self, emu: Emulator, count: int, bound: float) -> None:
        """`scaleway-partner orgs ls -o ndjson` (issue 27), a process per run: the whole
        listing against the rate bound and against its own requests at the budget (what the
        proof of completeness costs), and when its first line comes against a run of the same
        command that reads one page only (`--limit 1`, start-up included in both)."""
        command = str(Path(self.tools.python).parent / "scaleway-partner")
        env = {**os.environ, **emu.env, "SCW_CONFIG_PATH": os.devnull}
        whole = self.add(Figure(f"CLI: list {count:,} orgs to NDJSON", "python-cli", "s"))
        whole.reference, whole.reference_label, whole.target = bound, "rate bound", 1.1
        own = self.add(Figure(f"CLI: list {count:,} orgs to NDJSON", "python-cli", "s"))
        proven = proven_listing_requests(count)
        own.reference = proven / BUDGET
        own.reference_label = f"a proven listing's {proven} requests at the budget"
        own.target = 1.1
        first = self.add(Figure("CLI: first NDJSON line of that listing", "python-cli", "s"))
        first.reference_label, first.target = "a run of 1 page", 1.1
        one_page, limited, requests = [], [], []
        for _ in range(self.runs):
            time.sleep(1.1)  # a fresh rate-limit window
            started = time.perf_counter()
            subprocess.run(
                [command, "orgs", "ls", "--limit", "1", "-o", "ndjson"],
                check=True,
                capture_output=True,
                env=env,
            )
            one_page.append(time.perf_counter() - started)
            time.sleep(1.1)
            emu.control("/_mock/stats/reset", "POST")
            started = time.perf_counter()
            process = subprocess.Popen(
                [command, "orgs", "ls", "-o", "ndjson"],
                stdout=subprocess.PIPE,
                env=env,
                text=True,
            )
            assert process.stdout is not None
            process.stdout.readline()
            first.values.append(time.perf_counter() - started)
            lines = 1 + sum(1 for _ in process.stdout)
            if process.wait() != 0 or lines != count:
                raise SystemExit(f"the CLI listed {lines} organizations, not {count}")
            whole.values.append(whole_time := time.perf_counter() - started)
            own.values.append(whole_time)
            stats = emu.control("/_mock/stats")
            limited.append(stats["rate_limited"])
            requests.append(stats["requests"])
            log(
                f"  CLI: {whole.values[-1]:.3f} s, first line {first.values[-1]:.3f} s "
                f"(one page: {one_page[-1]:.3f} s)"
            )
        first.reference = statistics.median(one_page)
        whole.extra["rate_limited_429"] = limited
        whole.extra["requests"] = own.extra["requests"] = requests
        first.extra["one_page_runs"] = one_page

    def bulk_lock(self) -> None:
        count, latency = 250, 80
        sdk_runs = 1  # 20 s a run: once is enough for a baseline
        for headers in (True, False):
            profile = "with" if headers else "without"
            log(
                f"lock {count} orgs at {latency} ms, {BUDGET} req/s, {profile} rate-limit headers"
            )
            runs = {"python-partner": self.runs, "node-partner": self.runs}
            if headers:
                runs["python-sdk"] = sdk_runs
            needed = count * sum(runs.values())
            with emulator(
                self.tools,
                organizations=needed * 2 + 100,
                latency_ms=latency,
                # Without headers the emulator has no limit either: the client's pacer alone.
                rate_limit=BUDGET if headers else 0,
            ) as emu:
                opened = emu.opened_ids()
                if len(opened) < needed:
                    raise SystemExit(
                        f"the emulator seeded {len(opened)} opened orgs, {needed} needed"
                    )
                batches = (opened[i : i + count] for i in range(0, needed, count))
                for impl, impl_runs in runs.items():
                    name = f"lock {count} orgs, {latency} ms, {BUDGET} req/s, {profile} headers"
                    figure = self.add(Figure(name, impl, "s", reference=count / BUDGET))
                    figure.reference_label = "rate bound"
                    if impl != "python-sdk":
                        figure.target = 1.1
                    operation = "lock" if headers else "lock_no_headers"
                    self.rate_limited(figure, emu, operation, impl_runs, batches)

    def processes(self) -> None:
        """Issue 23: N processes of one machine sharing a key, with machine coordination (the
        default), with each process on its own (`process`), and through Redis with machine
        coordination off (standing for N hosts)."""
        count, latency, processes, gets = 500, 20, 12, 75
        with (
            emulator(
                self.tools, organizations=count, latency_ms=latency, rate_limit=BUDGET
            ) as emu,
            redis_server() as redis,
        ):
            organization = emu.opened_ids()[0]
            requests = processes * (count // PAGE_SIZE + gets)
            bound = requests / BUDGET
            log(
                f"{processes} processes, one key: each lists {count} orgs then gets {gets} "
                f"times, {latency} ms latency, {BUDGET} req/s ({requests} requests: bound "
                f"{bound:.1f} s)"
            )
            for mode in ("machine", "process", redis):
                impl = "python-redis" if mode == redis else f"python-{mode}"
                name = f"{processes} processes sharing a key: wall"
                wall_figure = self.add(
                    Figure(name, impl, "s", reference=bound, target=1.1)
                )
                wall_figure.reference_label = "rate bound"
                share = self.add(
                    Figure(
                        f"{processes} processes sharing a key: answered 429",
                        impl,
                        "%",
                        reference=1.0,
                        target=1.0,
                        reference_label="1%",
                    )
                )
                failed = self.add(
                    Figure(
                        f"{processes} processes sharing a key: failed calls",
                        impl,
                        "calls",
                    )
                )
                env = {
                    **os.environ,
                    **emu.env,
                    **self.tools.node_env,
                    "BENCH_ORGANIZATION": organization,
                    "SCW_PARTNER_COORDINATION": mode,
                }
                cmd = [
                    self.tools.python,
                    str(WORKERS / "py.py"),
                    "partner",
                    "share",
                    str(gets),
                ]
                for _ in range(self.runs):
                    time.sleep(1.1)  # a fresh rate-limit window, and no pause left over
                    if mode == redis:
                        redis_flush(redis)
                    emu.control("/_mock/stats/reset", "POST")
                    workers = [
                        subprocess.Popen(
                            cmd,
                            env=env,
                            stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE,
                            text=True,
                        )
                        for _ in range(processes)
                    ]
                    # Timed from the go given to all, once every interpreter has started.
                    for w in workers:
                        assert w.stdout is not None and w.stdout.readline() == "ready\n"
                    started = time.perf_counter()
                    for w in workers:
                        assert w.stdin is not None
                        w.stdin.write("go\n")
                        w.stdin.close()
                    outs = [w.stdout.read() for w in workers if w.stdout is not None]
                    for w in workers:
                        w.wait()
                    wall_figure.values.append(time.perf_counter() - started)
                    results = [json.loads(o.strip().splitlines()[-1]) for o in outs]
                    stats = emu.control("/_mock/stats")
                    share.values.append(
                        100 * stats["rate_limited"] / max(stats["requests"], 1)
                    )
                    failed.values.append(sum(r["errors"] for r in results))
                    # The work itself, without starting the interpreters.
                    slowest = max(r["wall_s"] for r in results)
                    wall_figure.extra.setdefault("slowest_worker_s", []).append(slowest)
                    share.extra.setdefault("requests", []).append(stats["requests"])
                    share.extra.setdefault("rate_limited_429", []).append(
                        stats["rate_limited"]
                    )
                    log(
                        f"  [{impl}] {wall_figure.values[-1]:.2f} s (slowest worker's own "
                        f"{slowest:.2f} s), {stats['requests']} "
                        f"requests, {stats['rate_limited']} answered 429, "
                        f"{failed.values[-1]:.0f} failed calls"
                    )
        # The price of the machine-wide lock and of the Redis lease: one ensure of an existing
        # customer (its lookup included), against one coordinated in the process only.
        with (
            emulator(self.tools, organizations=0, latency_ms=0, rate_limit=0) as emu,
            redis_server() as redis,
        ):
            baseline = None
            for mode in ("process", "machine", redis):
                figure = self.add(
                    Figure(
                        "ensure_organization of an existing customer, coordination="
                        + ("redis" if mode == redis else mode),
                        "python-partner",
                        "ms",
                    )
                )
                if baseline is not None:
                    figure.reference = baseline.median
                    figure.reference_label = "coordination=process"
                env = {**emu.env, "SCW_PARTNER_COORDINATION": mode}
                self.repeat(figure, "ensure", env, lambda r: r["median_ms"], n=300)
                baseline = baseline or figure

    def cpu_and_memory(self) -> None:
        impls = [
            "python-partner",
            "node-partner",
            "rust-partner",
            "python-sdk",
            "python-plain",
        ]
        for count in (10_000, 100_000):
            log(
                f"client CPU (and memory) listing {count:,} orgs, no latency, no pacing"
            )
            with emulator(
                self.tools, organizations=count, latency_ms=0, rate_limit=0
            ) as emu:
                cpu: dict[str, Figure] = {}
                memory: dict[str, Figure] = {}
                raw = []
                for impl in impls:
                    cpu[impl] = self.add(
                        Figure(f"client CPU, list {count:,} orgs", impl, "s")
                    )
                    results = self.repeat(
                        cpu[impl], "cpu", emu.env, lambda r: r["cpu_s"]
                    )
                    assert all(r["count"] == count for r in results), results
                    cpu[impl].extra["per_org_us"] = cpu[impl].median / count * 1e6
                    raw += [r["raw_json_mib"] for r in results if "raw_json_mib" in r]
                    if count == 100_000:
                        memory[impl] = self.add(
                            Figure(f"peak RSS growth, list {count:,} orgs", impl, "MiB")
                        )
                        memory[impl].values = [
                            r["peak_rss_mib"] - r["rss_before_mib"] for r in results
                        ]
                        memory[impl].extra["peak_rss_mib"] = [
                            r["peak_rss_mib"] for r in results
                        ]
                if count == 10_000:
                    python = cpu["python-partner"]
                    python.target, python.reference = 0.2, cpu["python-sdk"].median
                    python.reference_label = "official SDK"
                else:
                    for impl, target in (
                        ("python-partner", 0.4),
                        ("node-partner", 0.5),
                    ):
                        cpu[impl].target, cpu[impl].reference = target, 1.0
                        cpu[impl].reference_label = "s"
                raw_mib = statistics.median(raw)
                for impl, figure in memory.items():
                    figure.reference = raw_mib
                    figure.reference_label = f"raw JSON ({raw_mib:.1f} MiB)"
                    if impl in ("python-partner", "node-partner"):
                        figure.target = 2.0

    def per_call(self) -> None:
        gets, concurrent = 3_000, 1_000
        log(
            f"{gets:,} sequential gets and {concurrent:,} concurrent ones, no latency, no pacing"
        )
        with emulator(self.tools, organizations=10, latency_ms=0, rate_limit=0) as emu:
            emu.env["BENCH_ORGANIZATION"] = emu.opened_ids()[0]
            per_s: Callable[[dict[str, Any]], float] = lambda r: r["per_s"]
            for lang in ("python", "node"):
                name = f"sequential gets/s ({gets:,})"
                plain = self.add(Figure(name, f"{lang}-plain", "req/s"))
                ours = self.add(Figure(name, f"{lang}-partner", "req/s", target=0.8))
                for _ in range(self.runs):  # interleaved: a busy moment weighs on both
                    self.repeat(plain, "gets", emu.env, per_s, n=gets, runs=1)
                    self.repeat(ours, "gets", emu.env, per_s, n=gets, runs=1)
                ours.at_least, ours.reference = True, plain.median
                ours.reference_label = f"{lang}-plain loop"
            for lang in ("python", "node"):
                name = f"{concurrent:,} concurrent gets"
                figure = self.add(Figure(name, f"{lang}-partner", "s"))
                results = self.repeat(figure, "concurrent", emu.env, wall, n=concurrent)
                figure.extra["errors"] = [r["errors"] for r in results]


def wall(result: dict[str, Any]) -> float:
    return float(result["wall_s"])


# ---------------------------------------------------------------------------------------------
# Report


def machine(tools: Tools) -> dict[str, str]:
    def out(cmd: list[str]) -> str:
        try:
            return run(cmd, stderr=subprocess.DEVNULL).strip()
        except (OSError, subprocess.CalledProcessError):
            return "?"

    cpu = "?"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {
        "uname": " ".join(platform.uname()),
        "cpu": cpu,
        "cpus": str(os.cpu_count()),
        "load_average_at_start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "python": out(
            [tools.python, "-c", "import sys; print(sys.version.split()[0])"]
        ),
        "scaleway_partner": out(
            [tools.python, "-c", "import scaleway_partner as s; print(s.__version__)"]
        ),
        "official_sdk": out(
            [
                tools.python,
                "-c",
                "import importlib.metadata as m; print(m.version('scaleway'))",
            ]
        ),
        "node": out([tools.node, "--version"]),
        # A debug build is several times larger: a figure taken with one is worthless.
        "node_addon_bytes": str(
            tools.node_addon.stat().st_size if tools.node_addon.exists() else "none"
        ),
        "python_native": out(
            [
                tools.python,
                "-c",
                "import scaleway_partner._native as n; print(n.__file__)",
            ]
        ),
        "rustc": out(["rustc", "--version"]),
        "commit": out(["git", "-C", str(ROOT), "describe", "--always", "--dirty"]),
    }


def fmt(value: float | None) -> str:
    if value is None:
        return "-"
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def table(figures: list[Figure]) -> str:
    header = [
        "figure",
        "impl",
        "median",
        "spread (min-max)",
        "runs",
        "vs",
        "ratio",
        "target",
        "met",
    ]
    rows = []
    for f in figures:
        spread = f"{fmt(min(f.values))}-{fmt(max(f.values))}" if f.values else "-"
        target = (
            "-" if f.target is None else ("≥ " if f.at_least else "≤ ") + fmt(f.target)
        )
        met = {None: "", True: "yes", False: "NO"}[f.met]
        extra = ""
        if "rate_limited_429" in f.extra:
            extra = f" (429: {sum(f.extra['rate_limited_429'])})"
        if "errors" in f.extra:
            extra = f" (errors: {sum(f.extra['errors'])})"
        rows.append(
            [
                f.name + extra,
                f.impl,
                f"{fmt(f.median)} {f.unit}",
                spread,
                str(len(f.values)),
                f.reference_label,
                fmt(f.ratio),
                target,
                met,
            ]
        )
    widths = [max(len(r[i]) for r in [header] + rows) for i in range(len(header))]
    line = lambda r: "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |"
    return "\n".join(
        [line(header), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
        + [line(r) for r in rows]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--runs", type=int, default=3, help="runs per figure (median reported)"
    )
    parser.add_argument(
        "--no-build", action="store_true", help="reuse what is built/installed"
    )
    parser.add_argument(
        "--python", help="a Python with scaleway_partner and scaleway installed"
    )
    parser.add_argument(
        "--only",
        nargs="*",
        choices=[
            "imports",
            "listing",
            "cli",
            "bulk_lock",
            "cpu_and_memory",
            "per_call",
            "processes",
        ],
        help="run only these profiles",
    )
    parser.add_argument("--json", default=str(ROOT / "benchmarks" / "results.json"))
    args = parser.parse_args()
    started = time.perf_counter()
    tools = prepare(args)
    built = time.perf_counter()
    ids_file = Path(tempfile.mkdtemp()) / "ids"
    suite = Suite(tools, args.runs, ids_file)
    info = machine(tools)
    for profile in args.only or [
        "imports",
        "listing",
        "bulk_lock",
        "cpu_and_memory",
        "per_call",
        "processes",
    ]:
        getattr(suite, profile)()
    ids_file.unlink(missing_ok=True)
    ids_file.parent.rmdir()
    elapsed = time.perf_counter() - built
    info["suite_seconds"] = f"{elapsed:.0f}"
    info["build_seconds"] = f"{built - started:.0f}"
    print("\n".join(f"{k}: {v}" for k, v in info.items()))
    print(table(suite.figures))
    Path(args.json).write_text(
        json.dumps(
            {"machine": info, "figures": [f.as_json() for f in suite.figures]}, indent=2
        )
        + "\n"
    )
    log(f"wrote {args.json}; {elapsed:.0f} s (builds: {built - started:.0f} s)")


if __name__ == "__main__":
    main()
