"""Re-run cost: what a nightly re-run spends when nothing changed, and what it picks up when
articles were added.

    .venv/bin/python benchmarks/rerun.py        (part of `make bench`, after memory.py's crawls)

Over a scaled mirror (mirror/scaled.py) served by nginx, into one data dir:

1. a full crawl (`scrapy cron`, first run: every listing page and article);
2. an unchanged re-run: the same site, the same data dir;
3. BENCH_NEW (default 100) newer articles added to the site (``build(n, new=k)``: the same
   articles and ids plus k newer ones at the top of the listings, a burst of 16 in each
   site's first section and the rest spread over the sections), then another re-run.

Requests are what the server answered (nginx's access log), robots.txt included. In
`make bench` the full crawls are memory.py's, at each of its sizes (the new-articles step
on the smallest); run alone it crawls BENCH_RERUN_N (default 10000) articles itself.
Targets: an unchanged re-run <= 1 % of a full crawl's requests, and 100 % of the new
articles exported by the next run. Exits 1 when one is missed.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import (Target, build, cleanup, env_int, exported_ids, print_targets, say, table,  # noqa: E402
                               wardcrawl_job, work_dir)
from mirror.static_server import StaticServer  # noqa: E402

UNCHANGED_LIMIT = 0.01
PICKED_UP = 1.0


def _articles(crawl, key: str) -> int:
    return sum(site["articles"][key] for site in crawl.report["sites"].values())


def _row(n: int, label: str, crawl, full_requests: int, picked: str = "-") -> list:
    return [f"{n:,}", label, f"{crawl.requests:,}", f"{crawl.requests / full_requests:.2%}",
            f"{_articles(crawl, 'fetched'):,}", f"{_articles(crawl, 'new') + _articles(crawl, 'updated'):,}",
            f"{crawl.child.wall:.1f}", picked, crawl.child.exitcode]


def run(full: dict | None = None) -> dict:
    """``full``: {n: {"mirror", "crawl", "work"}} from memory.run(keep=True); None crawls BENCH_RERUN_N itself."""
    own = full is None
    if own:
        n = env_int("BENCH_RERUN_N", 10_000)
        mirror = build(n)
        work = work_dir(f"rerun-{n}")
        with StaticServer(mirror, work / "server", log=say) as server:
            say(f"rerun: full crawl of {mirror.articles:,} articles")
            full = {n: {"mirror": mirror, "crawl": wardcrawl_job(mirror, server, work / "data", work / "full.log"),
                        "work": work}}
    k = env_int("BENCH_NEW", 100)
    rows, targets, results = [], [], {}
    try:
        for n, item in sorted(full.items()):
            mirror, first, work = item["mirror"], item["crawl"], item["work"]
            rows.append(_row(n, "full crawl (first run)", first, first.requests))
            with StaticServer(mirror, work / "server-rerun", log=say) as server:
                unchanged = wardcrawl_job(mirror, server, first.data_dir, work / "unchanged.log")
            say(f"rerun {n:,}: unchanged re-run {unchanged.requests} requests "
                f"({unchanged.requests / first.requests:.2%} of {first.requests:,})")
            rows.append(_row(n, "unchanged re-run", unchanged, first.requests))
            targets.append(Target(f"re-run: unchanged re-run at {n:,} articles, share of a full crawl's requests",
                                  unchanged.requests / first.requests * 100, UNCHANGED_LIMIT * 100, "<=", " %"))
            results[n] = {"full_requests": first.requests, "unchanged_requests": unchanged.requests}
            if n != min(full):
                continue
            grown = build(n, new=k)
            expected = set(grown.new_ids())
            with StaticServer(grown, work / "server-new", log=say) as server:
                added = wardcrawl_job(grown, server, first.data_dir, work / "added.log")
            picked = exported_ids(added) & expected
            share = len(picked) / len(expected) if expected else 1.0
            say(f"rerun {n:,}: after {len(expected)} new articles, {added.requests} requests, picked up {len(picked)}")
            rows.append(_row(n, f"re-run after {len(expected)} new articles", added, first.requests,
                             f"{len(picked)}/{len(expected)} ({share:.0%})"))
            targets.append(Target(f"re-run: new articles picked up at {n:,} articles", share * 100, PICKED_UP * 100,
                                  ">=", " %"))
            results[n].update({"new": len(expected), "picked_up": len(picked), "new_run_requests": added.requests})
    finally:
        if own:
            for item in full.values():
                cleanup(item["work"])
    print(table(["articles", "run", "requests", "vs full crawl", "article pages fetched", "exported", "process s",
                 "new articles picked up", "exit"], rows, "Re-run cost: wardcrawl's nightly job over an unchanged and a "
                                                         "grown site (requests answered by the server)"))
    print_targets(targets)
    return {"runs": results, "targets": targets}


def main() -> int:
    result = run()
    return 0 if all(t.met for t in result["targets"]) else 1


if __name__ == "__main__":
    sys.exit(main())
