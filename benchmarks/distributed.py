"""Distributed runs (docs/distributed.md): one scrapyd node against two, and the state store's cost.

1. Nights over scrapyd: `scrapy cron --scrapyd` over the sites of the scaled mirror
   (mirror/scaled.py: ``--sites`` sites of real page weight, ``--per-site`` articles each,
   served by nginx), one job per site, with one node, then two nodes, each ``max_proc = 1``,
   against one PostgreSQL database: the wall time and total pages/s of a full night (fresh
   database and data dir) and of the unchanged night after it. Target: two nodes >= 1.7x one
   node's pages/s on the full night. The premise of issue 20 is that a night is
   politeness-bound per host, so every host waits ``--delay`` s between requests (1 s: the
   live profiles' DOWNLOAD_DELAY, wardcrawl/settings/base.py, the floor robots.txt and the
   registry can only raise; Scrapy spreads it 0.5-1.5x at random). ``--delay 0`` measures the
   CPU-bound case instead.
   Each node's jobs are timed from scrapyd's own listjobs.json (start to end of each process),
   so a night's wall time splits into the crawls (their reports' ``duration_s``), the per-job
   process overhead (start-up and exit: benchmarks/startup.py) and the gaps between jobs.
2. PostgreSQL against SQLite: what the export pipeline asks of the store per article:
   ``classify`` + ``remember`` for a new article, ``classify`` + ``touch`` for an unchanged one,
   µs per article on each store (PostgreSQL on a unix socket, fsync on, as the store sets its
   session: synchronous_commit off, like SQLite's synchronous=NORMAL).

Real parts, as in tests/test_distributed.py: Debian's PostgreSQL, PyPI's scrapyd (node
``poll_interval`` and coordinator poll 1 s, as deploy/scrapyd.conf and the coordinator's
default), the egg scrapyd-deploy builds, nginx serving the scaled mirror. About 14 minutes with
the defaults. Run: ``.venv/bin/python benchmarks/distributed.py``. Prints the tables; exits 1
when the target is missed.
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
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.common import PAGER_ONLY_REASON, BrokenRun, say, table  # noqa: E402
from mirror import scaled  # noqa: E402
from mirror.scaled import StaticServer  # noqa: E402
from tests.services import deploy, node_environment, postgres_server, scrapyd_node  # noqa: E402

TARGET_SPEEDUP = 1.7
POLL = 1.0  # s: the coordinator's default SCRAPYD_POLL and deploy/scrapyd.conf's poll_interval


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def check_night(result: subprocess.CompletedProcess, report: dict, expected_new: int | None) -> None:
    """A night whose figures would mean nothing is an error: every site reported, no failure, the only
    unhealthy reason the scaled new-CMS sites' expected one (no listing-API values), and a full night
    exported every article the tree holds (an unchanged one none)."""
    unexpected = {slug: [r for r in reasons if not r.startswith(PAGER_ONLY_REASON)]
                  for slug, reasons in (report.get("unhealthy") or {}).items()}
    if result.returncode not in (0, 1) or any(unexpected.values()) or report.get("failures") \
            or report.get("failed_sites"):
        raise BrokenRun(f"the night exited {result.returncode}: unhealthy {report.get('unhealthy')}, failures "
                        f"{report.get('failures')}, failed sites {report.get('failed_sites')}\n{result.stdout[-3000:]}")
    new = sum(s["articles"]["new"] for s in report["sites"].values())
    if expected_new is not None and new != expected_new:
        raise BrokenRun(f"the night exported {new} new articles, not {expected_new}")


def job_times(nodes, run_id: str) -> dict[str, list[tuple[float, float]]]:
    """node url -> (start, end) epoch s of each job of the run, from scrapyd's listjobs.json, once every
    job has ended (the coordinator is done when the last report is in the store, before its process exits)."""
    deadline = time.monotonic() + 120
    while any(node.call("daemonstatus.json")["running"] for node in nodes) and time.monotonic() < deadline:
        time.sleep(0.5)
    out = {}
    for node in nodes:
        finished = node.call("listjobs.json?project=wardcrawl").get("finished", [])
        spans = [(_epoch(j["start_time"]), _epoch(j["end_time"])) for j in finished
                 if j["id"].endswith(f"-{run_id}") or f"-{run_id}." in j["id"]]
        out[node.url] = sorted(spans)
    return out


def _epoch(value: str) -> float:
    return datetime.fromisoformat(value).timestamp()


def night(data_dir: Path, state_url: str, nodes, sites: list[str], delay: float, env: dict,
          expected_new: int | None) -> dict:
    """One `scrapy cron --scrapyd` run; its wall time, the run report's figures and the jobs' own times."""
    command = [sys.executable, "-m", "scrapy", "cron", "--scrapyd", ",".join(n.url for n in nodes),
               "--sites", ",".join(sites), "--data-dir", str(data_dir), "-s", f"STATE_URL={state_url}",
               "-s", f"SCRAPYD_POLL={POLL}", "-s", f"DOWNLOAD_DELAY={delay}"]
    load_before = load()
    clock = time.monotonic()
    result = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=3600)
    wall = time.monotonic() - clock
    reports = sorted((data_dir / "reports").glob("run-*.json"))
    if not reports:
        raise BrokenRun(f"the night wrote no run report ({result.returncode}): {result.stdout[-3000:]}")
    report = json.loads(reports[-1].read_text(encoding="utf-8"))
    check_night(result, report, expected_new)
    sites_report = report["sites"].values()
    pages = sum(s["pages"] for s in sites_report)
    spans = job_times(nodes, report["run_id"])
    job_wall = sum(end - start for node_spans in spans.values() for start, end in node_spans)
    jobs = sum(len(s) for s in spans.values())
    crawl = sum(s["duration_s"] for s in sites_report)
    gaps = [later[0] - earlier[1] for node_spans in spans.values()
            for earlier, later in zip(node_spans, node_spans[1:])]
    return {"wall": wall, "pages": pages, "pages_s": pages / wall, "new": sum(s["articles"]["new"] for s in sites_report),
            "crawl_s": crawl, "jobs": [len(s) for s in spans.values()], "job_wall": job_wall,
            "overhead": (job_wall - crawl) / jobs if jobs else float("nan"),
            "gap": sum(gaps) / len(gaps) if gaps else 0.0,
            "busy": job_wall / (len(nodes) * wall), "load": f"{load_before} / {load()}"}


def nights(server, mirror, work: Path, sites: list[str], count: int, delay: float) -> dict:
    """A full night then an unchanged one, on ``count`` fresh nodes against a fresh database."""
    url = server.create_database(f"bench_{count}_nodes")
    data = work / f"data-{count}"
    with StaticServer(mirror, work / f"nginx-{count}") as site_server, contextlib.ExitStack() as stack:
        node_env = {**node_environment(site_server.address, work), "WARDCRAWL_REGISTRY": str(mirror.registry)}
        env = {**node_env, "SCRAPY_SETTINGS_MODULE": "wardcrawl.settings.mirror", "PYTHONPATH": str(REPO)}
        nodes = [stack.enter_context(scrapyd_node(work / f"nodes-{count}", f"n{i + 1}", node_env, poll=POLL))
                 for i in range(count)]
        deploy(nodes, work / f"deploy-{count}")
        expected = sum(mirror.manifest["sites"][s]["article_pages"] for s in sites)
        say(f"{count} node(s): full night (load {load()})")
        full = night(data, url, nodes, sites, delay, env, expected)
        say(f"{count} node(s): unchanged night (load {load()})")
        unchanged = night(data, url, nodes, sites, delay, env, 0)
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
    parser.add_argument("--sites", type=int, default=8, help="sites of the scaled mirror (3 to 19)")
    parser.add_argument("--per-site", type=int, default=35, help="articles per site")
    parser.add_argument("--articles", type=int, default=3000, help="articles per store for the store cost")
    parser.add_argument("--delay", type=float, default=1.0,
                        help="DOWNLOAD_DELAY per host (s): 1 as live crawls; 0 is CPU-bound")
    opts = parser.parse_args(argv)
    from wardcrawl.state.postgres import PostgresStateStore
    from wardcrawl.state.sqlite import SqliteStateStore

    mirror = scaled.build(opts.sites * opts.per_site, sites=opts.sites, log=say)
    sites = mirror.slugs
    say(f"scaled mirror: {len(sites)} sites, {mirror.articles} articles, {mirror.pages} pages at {mirror.root}")
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="wardcrawl-bench-dist-") as tmp, postgres_server(durable=True) as server:
        work = Path(tmp)
        say(f"state store cost, {opts.articles} articles per store")
        sqlite = SqliteStateStore(work / "state.sqlite3")
        postgres = PostgresStateStore(server.create_database("bench_store"))
        costs = {"SQLite": store_cost(sqlite, opts.articles), "PostgreSQL": store_cost(postgres, opts.articles)}
        sqlite.close()
        postgres.close()
        runs = {count: nights(server, mirror, work, sites, count, opts.delay) for count in (1, 2)}

    rows = [[count, kind, f"{r['wall']:.1f}", r["pages"], f"{r['pages_s']:.2f}", r["new"], f"{r['crawl_s']:.1f}",
             f"{r['overhead']:.1f}", f"{r['gap']:.1f}", f"{100 * r['busy']:.0f}", ", ".join(map(str, r["jobs"])),
             r["load"]]
            for count, run in runs.items() for kind, r in run.items()]
    print(table(["nodes", "night", "wall s", "pages", "pages/s", "new articles", "crawl s (sum of jobs)",
                 "process overhead s / job", "gap s between jobs", "nodes busy %", "jobs per node",
                 "load avg before / after"], rows,
                f"Nights over scrapyd nodes ({len(sites)} sites, {mirror.pages} pages, one job per site, "
                f"max_proc = 1 per node, DOWNLOAD_DELAY {opts.delay} s)"))
    speedup = runs[2]["full"]["pages_s"] / runs[1]["full"]["pages_s"]
    unchanged_speedup = runs[1]["unchanged"]["wall"] / runs[2]["unchanged"]["wall"]
    print(f"\ntwo nodes / one node, full night pages/s: {speedup:.2f}x (target >= {TARGET_SPEEDUP}x); "
          f"unchanged night wall time: {unchanged_speedup:.2f}x shorter")
    print(table(["store", "new article (classify + remember) µs", "unchanged article (classify + touch) µs"],
                [[name, f"{c['new']:.0f}", f"{c['unchanged']:.0f}"] for name, c in costs.items()],
                f"State store cost per article ({opts.articles} articles)"))
    extra = costs["PostgreSQL"]["new"] - costs["SQLite"]["new"]
    print(f"\nPostgreSQL - SQLite per new article: {extra:+.0f} µs; benchmark wall {time.monotonic() - started:.0f} s")
    met = speedup >= TARGET_SPEEDUP
    print(f"target: two nodes >= {TARGET_SPEEDUP}x one node's pages/s: {'met' if met else 'MISSED'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
