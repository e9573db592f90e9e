"""Run several registry sites in one process and report on each: what `scrapy cron` and
`scrapy demo` share."""

from __future__ import annotations

import json
import os
import time
from datetime import datetime
from pathlib import Path

from scrapy.crawler import CrawlerProcess

from wardcrawl.health import Thresholds, site_report
from wardcrawl.state import open_store
from wardcrawl.text.dates import HANOI_TZ

EX_TEMPFAIL = 75  # sysexits: try again later (another run holds the lock)


def run_sites(settings, slugs: list[str], run_id: str, spider_args: dict | None = None,
              spider_classes: dict | None = None) -> dict:
    """Crawl ``slugs`` in one process; returns the run report (also written under data/reports/).
    ``spider_classes`` replaces a site's registry spider (a recovery: wardcrawl/spiders/recovery.py)."""
    started = datetime.now(HANOI_TZ)
    clock = time.monotonic()
    process = CrawlerProcess(settings)
    crawlers = []
    for slug in slugs:
        crawler = process.create_crawler((spider_classes or {}).get(slug, slug))
        crawlers.append(crawler)
        process.crawl(crawler, run_id=run_id, **(spider_args or {}))
    process.start()
    data_dir = Path(settings.get("DATA_DIR", "data"))
    thresholds = Thresholds.from_settings(settings)
    store = open_store(settings)
    sites = {}
    try:
        for slug, crawler in zip(slugs, crawlers):
            values = crawler.stats.get_stats() or {}
            report = site_report(values, store.previous_run(slug, run_id), thresholds)
            feed = data_dir / slug / f"{slug}-{run_id}.jsonl"
            report["feed"] = str(feed) if feed.exists() else None
            store.save_run(slug, run_id, report)
            sites[slug] = report
    finally:
        store.close()
    report = {
        "run_id": run_id,
        "started": started.isoformat(timespec="seconds"),
        "seconds": round(time.monotonic() - clock, 2),
        "healthy": all(r["healthy"] for r in sites.values()),
        "unhealthy": {slug: r["reasons"] for slug, r in sites.items() if not r["healthy"]},
        # Requests deferred to the next run (docs/faults.md), per site: by this run, and still pending.
        "deferred": {"count": sum(r["deferred"]["count"] for r in sites.values()),
                     "pending": sum(r["deferred"]["pending"] for r in sites.values()),
                     "recovered": sum(r["deferred"]["recovered"] for r in sites.values()),
                     "sites": {slug: r["deferred"] for slug, r in sites.items()
                               if r["deferred"]["count"] or r["deferred"]["pending"] or r["deferred"]["recovered"]}},
        "sites": sites,
    }
    write_report(data_dir / "reports" / f"run-{run_id}.json", report)
    return report


def write_report(path: Path, report: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    partial.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(partial, path)


def add_run_options(parser) -> None:
    parser.add_argument("--sites", help="comma-separated slugs (all sites when not given)")
    parser.add_argument("--full", action="store_true", help="walk every listing page and fetch every article")
    parser.add_argument("--since", help="YYYY-MM-DD: leave out articles published before this date")
    parser.add_argument("--data-dir", default=None, help="where outputs go (DATA_DIR when not given, 'data')")


def spider_args(opts) -> dict:
    args = {}
    if opts.full:
        args["full"] = "1"
    if opts.since:
        args["since"] = opts.since
    return args


def print_summary(report: dict, out) -> None:
    """A short human summary; the full report is the JSON file."""
    for slug, site in report["sites"].items():
        articles = site["articles"]
        state = "ok" if site["healthy"] else "UNHEALTHY: " + "; ".join(site["reasons"])
        faults = ""
        failed, deferred = sum(site.get("failed", {}).values()), site.get("deferred", {}).get("count", 0)
        if failed or deferred:
            faults = f"  failed {failed:3}  deferred {deferred:3}"
        print(f"{slug:14} new {articles['new']:4}  updated {articles['updated']:3}  unchanged {articles['unchanged']:4}"
              f"  pages {site['pages']:4}  {site['duration_s']:6.1f}s{faults}  {state}", file=out)
