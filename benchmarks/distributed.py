"""Distributed runs (docs/distributed.md): one scrapyd node against two, and the state store's cost.

1. Nights over scrapyd: `scrapy cron --scrapyd` over the mirror's sites (every registry site
   the mirror serves, one job per site) with one node, then two nodes, each ``max_proc = 1``,
   against one PostgreSQL database: the wall time and total pages/s of a full night (fresh
   database and data dir) and of the unchanged night after it. Target: two nodes >= 1.7x one
   node's pages/s on the full night.
2. PostgreSQL against SQLite: what the export pipeline asks of the store per article:
   ``classify`` + ``remember`` for a new article, ``classify`` + ``touch`` for an unchanged one,
   µs per article on each store (PostgreSQL on a unix socket, fsync on, as the store sets its
   session: synchronous_commit off, like SQLite's synchronous=NORMAL).

Real parts, as in tests/test_distributed.py: Debian's PostgreSQL, PyPI's scrapyd, the egg
scrapyd-deploy builds, the mirror server. Run: ``.venv/bin/python benchmarks/distributed.py``
(``--articles N`` for part 2, ``--sites a,b`` for part 1, ``--delay S``: a per-host download
delay, the politeness-bound regime of live crawls; 0, CPU-bound, by default). Prints the
tables; exits 1 when the target is missed.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from mirror.server import running_mirror  # noqa: E402
from mirror.sites import MIRRORED_SITES  # noqa: E402
from tests.services import deploy, node_environment, postgres_server, scrapyd_node  # noqa: E402

TARGET_SPEEDUP = 1.7


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def night(data_dir: Path, state_url: str, nodes, sites: list[str], delay: float) -> dict:
    """One `scrapy cron --scrapyd` run; its wall time and the run report's figures."""
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "wardcrawl.settings.mirror"}
    command = [sys.executable, "-m", "scrapy", "cron", "--scrapyd", ",".join(n.url for n in nodes),
               "--sites", ",".join(sites), "--data-dir", str(data_dir), "-s", f"STATE_URL={state_url}",
               "-s", "SCRAPYD_POLL=0.3", "-s", f"DOWNLOAD_DELAY={delay}"]
    clock = time.monotonic()
    result = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=1800)
    wall = time.monotonic() - clock
    if result.returncode != 0:
        raise RuntimeError(f"the night failed ({result.returncode}): {result.stdout[-3000:]}")
    report = json.loads(sorted((data_dir / "reports").glob("run-*.json"))[-1].read_text(encoding="utf-8"))
    sites_report = report["sites"].values()
    pages = sum(s["pages"] for s in sites_report)
    return {"wall": wall, "pages": pages, "pages_s": pages / wall, "new": sum(s["articles"]["new"] for s in sites_report),
            "crawl_s": sum(s["duration_s"] for s in sites_report), "jobs": {u: n["jobs"] for u, n in report["nodes"].items()}}


def nights(server, work: Path, sites: list[str], count: int, delay: float) -> dict:
    """A full night then an unchanged one, on ``count`` fresh nodes against a fresh database."""
    url = server.create_database(f"bench_{count}_nodes")
    data = work / f"data-{count}"
    with running_mirror(work / f"access-{count}.log") as mirror, contextlib.ExitStack() as stack:
        env = node_environment(mirror.address, work)
        nodes = [stack.enter_context(scrapyd_node(work / f"nodes-{count}", f"n{i + 1}", env)) for i in range(count)]
        deploy(nodes, work / f"deploy-{count}")
        say(f"{count} node(s): full night")
        full = night(data, url, nodes, sites, delay)
        say(f"{count} node(s): unchanged night")
        unchanged = night(data, url, nodes, sites, delay)
    return {"full": full, "unchanged": unchanged}


def store_cost(store, articles: int) -> dict[str, float]:
    """µs per article: a new one (classify + remember), then the same ones unchanged (classify + touch)."""
    ids = [f"bench:{i}" for i in range(articles)]
    clock = time.perf_counter()
    for article_id in ids:
        store.classify(article_id, "a" * 64)
        store.remember(article_id, "a" * 64, 1, "2025-10-01T08:00:00+07:00", "2025-10-02T02:17:00+07:00")
    new = time.perf_counter() - clock
    clock = time.perf_counter()
    for article_id in ids:
        store.classify(article_id, "a" * 64)
        store.touch(article_id, "2025-10-03T02:17:00+07:00")
    unchanged = time.perf_counter() - clock
    return {"new": new / articles * 1e6, "unchanged": unchanged / articles * 1e6}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sites", default=",".join(MIRRORED_SITES))
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--delay", type=float, default=0.0,
                        help="DOWNLOAD_DELAY per host (s): 0 is CPU-bound; live crawls wait 1 s per host")
    opts = parser.parse_args(argv)
    sites = opts.sites.split(",")
    from wardcrawl.state.postgres import PostgresStateStore
    from wardcrawl.state.sqlite import SqliteStateStore

    with tempfile.TemporaryDirectory(prefix="wardcrawl-bench-dist-") as tmp, postgres_server(durable=True) as server:
        work = Path(tmp)
        say(f"state store cost, {opts.articles} articles per store")
        sqlite = SqliteStateStore(work / "state.sqlite3")
        postgres = PostgresStateStore(server.create_database("bench_store"))
        costs = {"SQLite": store_cost(sqlite, opts.articles), "PostgreSQL": store_cost(postgres, opts.articles)}
        sqlite.close()
        postgres.close()
        runs = {count: nights(server, work, sites, count, opts.delay) for count in (1, 2)}

    print(f"\n## Nights over scrapyd nodes ({len(sites)} sites, one job each, max_proc = 1 per node, "
          f"DOWNLOAD_DELAY {opts.delay} s)\n")
    print("| nodes | night | wall s | pages | pages/s | new articles | crawl s (sum of jobs) | jobs per node |")
    print("|---|---|---|---|---|---|---|---|")
    for count, run in runs.items():
        for kind, r in run.items():
            print(f"| {count} | {kind} | {r['wall']:.1f} | {r['pages']} | {r['pages_s']:.1f} | {r['new']} | "
                  f"{r['crawl_s']:.1f} | {', '.join(str(j) for j in r['jobs'].values())} |")
    speedup = runs[2]["full"]["pages_s"] / runs[1]["full"]["pages_s"]
    unchanged_speedup = runs[1]["unchanged"]["wall"] / runs[2]["unchanged"]["wall"]
    print(f"\ntwo nodes / one node, full night pages/s: {speedup:.2f}x (target >= {TARGET_SPEEDUP}x); "
          f"unchanged night wall time: {unchanged_speedup:.2f}x shorter")
    print(f"\n## State store cost per article ({opts.articles} articles)\n")
    print("| store | new article (classify + remember) µs | unchanged article (classify + touch) µs |")
    print("|---|---|---|")
    for name, cost in costs.items():
        print(f"| {name} | {cost['new']:.0f} | {cost['unchanged']:.0f} |")
    extra = costs["PostgreSQL"]["new"] - costs["SQLite"]["new"]
    print(f"\nPostgreSQL - SQLite per new article: {extra:+.0f} µs")
    met = speedup >= TARGET_SPEEDUP
    print(f"target: two nodes >= {TARGET_SPEEDUP}x one node's pages/s: {'met' if met else 'MISSED'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
