"""The registry at the scale of every Hanoi unit: load time, command start-up, a 160-site night.

    .venv/bin/python benchmarks/registry.py

- registry load: ``load_registry()`` (both files parsed, merged, validated) in a warm process, median of
  20; and a cold process importing the loader and loading it;
- ``scrapy list`` (with and without the generated entries), ``scrapy demo`` and
  ``scrapy cron --sites longbien`` (on the mirror): wall time, as a person runs them;
- a night over every crawlable registry site on the mirror (``--all-units``: a small new-CMS portal for
  every new unit) in one process, ``scrapy cron --include-unverified``: a first night (empty state),
  then the incremental night, each measured: wall, CPU, peak RSS (wait4), and every site in the report.
  ``--concurrent-sites N`` crawls at most N sites at once (``-s CONCURRENT_SITES=N``; 0: all at once;
  default: the setting's default).

Not part of ``make bench`` (it needs no scaled mirror); exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import REPO, Target, fmt, print_targets, run_child, say, table  # noqa: E402
from mirror.server import running_mirror  # noqa: E402
from wardcrawl.settings import base as base_settings  # noqa: E402
from wardcrawl.sites import load_registry, registry  # noqa: E402

LOAD_TARGET_S = 0.5  # "well under a second"
RSS_TARGET_MB = 250.0  # the crawl's memory target (docs/benchmarks.md)


def load_times(repeats: int = 20) -> list[float]:
    load_registry()  # imports (parsers, selectors) out of the timing
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        load_registry()
        times.append(time.perf_counter() - started)
    return times


def scrapy(*args: str) -> list[str]:
    return [sys.executable, "-m", "scrapy", *args]


def night(data: Path, env: dict, log: Path, settings: list[str]):
    child = run_child(scrapy("cron", "--include-unverified", "--data-dir", str(data), *settings), env, log)
    report = json.loads(sorted((data / "reports").glob("run-*.json"))[-1].read_text(encoding="utf-8"))
    return child, report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--concurrent-sites", type=int, default=None,
                        help="sites crawled at once in the nights (CONCURRENT_SITES; 0: all at once)")
    args = parser.parse_args(argv)
    settings = [] if args.concurrent_sites is None else ["-s", f"CONCURRENT_SITES={args.concurrent_sites}"]
    limit = base_settings.CONCURRENT_SITES if args.concurrent_sites is None else args.concurrent_sites
    sites = registry()
    crawlable = [s for s in sites.values() if s.crawled]
    times = load_times()
    cold = run_child([sys.executable, "-c", "from wardcrawl.sites import registry; registry()"])
    say(f"registry: {len(sites)} sites ({len(crawlable)} crawlable), load median {statistics.median(times) * 1000:.0f} ms")
    listed = run_child(scrapy("list"))
    hand_only = run_child(scrapy("list"), {**os.environ, "WARDCRAWL_REGISTRY_GENERATED": ""})
    rows = [["load_registry() (warm, median of 20)", fmt(statistics.median(times) * 1000), "-", "-"],
            ["load_registry() (warm, slowest of 20)", fmt(max(times) * 1000), "-", "-"],
            ["import + load (cold process)", fmt(cold.wall * 1000), fmt(cold.cpu * 1000), fmt(cold.maxrss_mb)],
            ["scrapy list", fmt(listed.wall * 1000), fmt(listed.cpu * 1000), fmt(listed.maxrss_mb)],
            ["scrapy list, hand-written sites only", fmt(hand_only.wall * 1000), fmt(hand_only.cpu * 1000),
             fmt(hand_only.maxrss_mb)]]
    with tempfile.TemporaryDirectory(prefix="registry-bench-") as tmp:
        work = Path(tmp)
        demo = run_child(scrapy("demo", "--data-dir", str(work / "demo")), None, work / "demo.log")
        rows.append(["scrapy demo (12 verified sites, first run)", fmt(demo.wall * 1000), fmt(demo.cpu * 1000),
                     fmt(demo.maxrss_mb)])
        with running_mirror(work / "access.log", ["--all-units"]) as mirror:
            env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "wardcrawl.settings.mirror",
                   "WARDCRAWL_MIRROR": mirror.address, "PYTHONPATH": str(REPO)}
            one = run_child(scrapy("cron", "--sites", "longbien", "--data-dir", str(work / "one")), env,
                            work / "one.log")
            rows.append(["scrapy cron --sites longbien (mirror, first night)", fmt(one.wall * 1000),
                         fmt(one.cpu * 1000), fmt(one.maxrss_mb)])
            say("first night over every crawlable site (fills the state)")
            first, first_report = night(work / "night", env, work / "night1.log", settings)
            say(f"first night: {first.wall:.1f} s, exit {first.exitcode}; the incremental night")
            second, report = night(work / "night", env, work / "night2.log", settings)
    print(table(["what", "wall ms", "CPU ms", "peak RSS MB"], rows,
                f"Registry: {len(sites)} sites, {len(crawlable)} crawlable"))
    nights = []
    for name, child, rep in (("first (empty state)", first, first_report), ("incremental", second, report)):
        articles = sum(s["articles"]["new"] + s["articles"]["updated"] for s in rep["sites"].values())
        requests = sum(s["requests"] for s in rep["sites"].values())
        nights.append([name, len(rep["sites"]), len(rep["skipped"]), requests, articles, fmt(child.wall),
                       fmt(child.cpu), fmt(child.maxrss_mb), child.exitcode])
    print(table(["night", "sites in report", "skipped", "requests", "articles exported", "wall s", "CPU s",
                 "peak RSS MB", "exit"], nights, "A night over every crawlable registry site on the mirror, one process, "
                 + (f"at most {limit} sites at once" if limit > 0 else "every site at once")))
    in_report = set(report["sites"]) | set(report["skipped"])
    targets = [Target("registry load (warm, median)", statistics.median(times), LOAD_TARGET_S, "<=", " s"),
               Target("sites of the registry in the night's report", len(in_report), len(sites), ">="),
               Target("first night over every crawlable site: peak RSS", first.maxrss_mb, RSS_TARGET_MB, "<=", " MB"),
               Target("incremental night over every crawlable site: peak RSS", second.maxrss_mb, RSS_TARGET_MB, "<=",
                      " MB")]
    print_targets(targets)
    return 0 if all(t.met for t in targets) else 1


if __name__ == "__main__":
    sys.exit(main())
