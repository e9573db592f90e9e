"""Memory at scale: peak RSS of wardcrawl's full job as the archive grows.

    .venv/bin/python benchmarks/memory.py        (part of `make bench`)

For each size in BENCH_SIZES (default 10000,50000 articles), a scaled mirror
(mirror/scaled.py, three platform families) served by nginx, crawled by `scrapy cron`
into a fresh data dir: the first, full run of the nightly job (every listing page, every
article, all pipelines, export, state store, run report) at BENCH_CONCURRENCY (default
32). Peak RSS is the process's ru_maxrss (wait4). Targets: <= 250 MB at the largest size,
growing <= 1.3x from the smallest to the largest. Exits 1 when one is missed.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import (Target, build, cleanup, env_ints, fmt, print_targets, say, table,  # noqa: E402
                               wardcrawl_job, work_dir)
from mirror.static_server import StaticServer  # noqa: E402

PEAK_LIMIT_MB = 250
GROWTH_LIMIT = 1.3


def exported(crawl) -> int:
    return sum(site["articles"]["new"] + site["articles"]["updated"] for site in crawl.report["sites"].values())


def run(keep: bool = False) -> dict:
    """Full crawls per size; with ``keep`` their data dirs stay for benchmarks/rerun.py (the caller cleans up)."""
    sizes = env_ints("BENCH_SIZES", (10_000, 50_000))
    full = {}
    for n in sizes:
        mirror = build(n)
        work = work_dir(f"memory-{n}")
        with StaticServer(mirror, work / "server", log=say) as server:
            say(f"memory: full crawl of {mirror.articles:,} articles ({mirror.pages:,} pages), {server.kind}")
            crawl = wardcrawl_job(mirror, server, work / "data", work / "full.log")
            server_kind = server.kind
        say(f"  {n:,}: {crawl.pages:,} pages in {crawl.window:.0f} s ({crawl.pages_per_s:.0f} pages/s), "
            f"peak RSS {crawl.child.maxrss_mb:.0f} MB, exit {crawl.child.exitcode}")
        full[n] = {"mirror": mirror, "crawl": crawl, "work": work}
        if not keep:
            cleanup(work)
    smallest = full[min(sizes)]["crawl"].child.maxrss_mb
    rows = []
    for n, item in full.items():
        c = item["crawl"]
        rows.append([f"{n:,}", f"{exported(c):,}", f"{c.pages:,}", fmt(c.window, 0), fmt(c.pages_per_s),
                     fmt(c.cpu_per_1000, 2), fmt(c.server_cpu / c.pages * 1000, 2), fmt(c.child.maxrss_mb, 0),
                     f"{c.child.maxrss_mb / smallest:.2f}", c.child.exitcode])
    print(table(["articles", "exported", "pages", "crawl s", "pages/s", "CPU s / 1000 pages", "server CPU s / 1000",
                 "peak RSS MB", "x smallest", "exit"], rows,
                f"Memory: wardcrawl's full job (scrapy cron, first run) at {', '.join(f'{n:,}' for n in sizes)} articles; "
                f"server {server_kind}"))
    largest = full[max(sizes)]["crawl"].child.maxrss_mb
    targets = [Target(f"memory: peak RSS at {max(sizes):,} articles", largest, PEAK_LIMIT_MB, "<=", " MB"),
               Target(f"memory: growth {min(sizes):,} -> {max(sizes):,} articles", largest / smallest, GROWTH_LIMIT,
                      "<=", "x")]
    print_targets(targets)
    return {"sizes": list(sizes), "full": full, "targets": targets,
            "peak_rss_mb": {n: item["crawl"].child.maxrss_mb for n, item in full.items()}}


def main() -> int:
    result = run()
    return 0 if all(t.met for t in result["targets"]) else 1


if __name__ == "__main__":
    sys.exit(main())
