"""Crawl throughput: wardcrawl's full job vs a naive-parsel Scrapy spider and a fetch-only spider.

    .venv/bin/python benchmarks/throughput.py        (part of `make bench`)

The same scaled sites (mirror/scaled.py: BENCH_THROUGHPUT_N articles, default 1,700: ~2,000 pages, in
three platform families) served by nginx on loopback, crawled by three spiders, each in
its own process, alternating, BENCH_ROUNDS rounds (default 3); medians:

- wardcrawl: `scrapy cron` over the three sites into a fresh data dir: the whole nightly
  job, every pipeline, the export journal, the state store and the run report;
- naive parsel: benchmarks/peers.py's minimal spider (listings, article links, CSS
  extraction of title/date/lead/body, a JSON-lines feed);
- fetch only: the same pages fetched and dropped.

Same concurrency for all (BENCH_CONCURRENCY, default 32, per site), robots.txt obeyed by
all, no delays, no AutoThrottle. pages/s is responses received over the crawl's own
window (first crawler's start to last crawler's finish, Scrapy's clock); CPU is the whole
process's user + system time (wait4), start-up included, per 1,000 responses. Exits 1 when
wardcrawl's pages/s is below 0.8x the naive spider's.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import (Target, build, cleanup, env_int, fmt, median, peer_crawl, print_targets, say,  # noqa: E402
                               table, wardcrawl_job, work_dir)
from mirror.static_server import StaticServer  # noqa: E402

SPIDERS = ("wardcrawl", "naive parsel", "fetch only")
TARGET_RATIO = 0.8


def run() -> dict:
    n = env_int("BENCH_THROUGHPUT_N", 1700)
    rounds = env_int("BENCH_ROUNDS", 3)
    mirror = build(n)
    work = work_dir("throughput")
    runs: dict[str, list] = {s: [] for s in SPIDERS}
    try:
        with StaticServer(mirror, work / "server", log=say) as server:
            say(f"throughput: {server.kind} on {server.address}; {rounds} rounds of {', '.join(SPIDERS)}")
            for r in range(rounds):
                order = SPIDERS[r % 3:] + SPIDERS[:r % 3]  # each spider first once: no position favoured
                for spider in order:
                    out = work / f"{spider.replace(' ', '-')}-{r}"
                    if spider == "wardcrawl":
                        crawl = wardcrawl_job(mirror, server, out / "data", work / f"{out.name}.log")
                    else:
                        crawl = peer_crawl("parsel" if spider == "naive parsel" else "fetch", mirror, server, out,
                                           work / f"{out.name}.log")
                    runs[spider].append(crawl)
                    say(f"  round {r + 1} {spider:12}: {crawl.pages} pages in {crawl.window:.1f} s = "
                        f"{crawl.pages_per_s:.1f} pages/s, CPU {crawl.child.cpu:.1f} s, exit {crawl.child.exitcode}")
                    cleanup(out)
            server_kind = server.kind
    finally:
        cleanup(work)
    rows = []
    summary = {}
    for spider in SPIDERS:
        crawls = runs[spider]
        summary[spider] = {
            "pages": int(median(c.pages for c in crawls)),
            "pages_per_s": median(c.pages_per_s for c in crawls),
            "cpu_s_per_1000": median(c.cpu_per_1000 for c in crawls),
            "wall_s": median(c.window for c in crawls),
            "server_cpu_s_per_1000": median(c.server_cpu / c.pages * 1000 for c in crawls),
            "maxrss_mb": median(c.child.maxrss_mb for c in crawls),
            "runs_pages_per_s": [round(c.pages_per_s, 1) for c in crawls],
            "exit": [c.child.exitcode for c in crawls],
        }
    parsel = summary["naive parsel"]["pages_per_s"]
    for spider in SPIDERS:
        s = summary[spider]
        rows.append([spider, s["pages"], fmt(s["wall_s"]), fmt(s["pages_per_s"]), fmt(s["cpu_s_per_1000"], 2), f"{s['pages_per_s'] / parsel:.2f}", fmt(s["server_cpu_s_per_1000"], 2),
                     fmt(s["maxrss_mb"], 0), " ".join(map(str, s["runs_pages_per_s"]))])
    title = (f"Crawl throughput: {mirror.articles:,} articles, {mirror.pages:,} pages "
             f"(~{mirror.manifest['bytes']['article']['mean'] / 1024:.0f} KB article pages), medians of {rounds}; "
             f"server {server_kind}")
    print(table(["spider", "pages", "crawl s", "pages/s", "CPU s / 1000 pages", "x naive parsel",
                 "server CPU s / 1000", "peak RSS MB", "pages/s per run"], rows, title))
    ratio = summary["wardcrawl"]["pages_per_s"] / parsel
    targets = [Target("crawl: wardcrawl pages/s vs naive parsel", ratio, TARGET_RATIO, ">=", "x")]
    print_targets(targets)
    return {"n": n, "rounds": rounds, "server": server_kind, "spiders": summary, "targets": targets}


def main() -> int:
    result = run()
    return 0 if all(t.met for t in result["targets"]) else 1


if __name__ == "__main__":
    sys.exit(main())
