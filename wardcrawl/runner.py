"""Run several registry sites in one process and report on each: what `scrapy cron`,
`scrapy demo` and `scrapy crawl` share."""

from __future__ import annotations

import json
import logging
import time
from datetime import date, datetime
from pathlib import Path

from scrapy.crawler import CrawlerProcess
from scrapy.exceptions import UsageError

from wardcrawl.commands.exitcodes import LOCKED as EX_TEMPFAIL  # noqa: F401 (the name older code imports)
from wardcrawl.extensions import write_atomically
from wardcrawl.health import Thresholds, site_report
from wardcrawl.spiders.base import run_id_now
from wardcrawl.state import StateDamaged, open_store
from wardcrawl.state.guard import STORE_ERRORS, describe
from wardcrawl.text.dates import HANOI_TZ

logger = logging.getLogger(__name__)


def new_run_id(data_dir: Path) -> str:
    """A run id no earlier run of this data dir used (call it under the data dir's lock)."""
    while True:
        run_id = run_id_now()
        if not (data_dir / "reports" / f"run-{run_id}.json").exists():
            return run_id
        time.sleep(0.001)


def run_sites(settings, slugs: list[str], run_id: str, spider_args: dict | None = None) -> dict:
    """Crawl ``slugs`` in one process; returns the run report (also written under data/reports/)."""
    started = datetime.now(HANOI_TZ)
    clock = time.monotonic()
    process = CrawlerProcess(settings)
    crawlers = []
    for slug in slugs:
        crawler = process.create_crawler(slug)
        crawlers.append(crawler)
        process.crawl(crawler, run_id=run_id, **(spider_args or {}))
    process.start()
    return report_run(settings, slugs, crawlers, run_id, started, clock)


def report_run(settings, slugs: list[str], crawlers: list, run_id: str, started: datetime, clock: float) -> dict:
    """The run report of finished crawls: per site health, saved in the state store and written to
    data/reports/run-<run>.json. A write that fails is in ``failures`` (the run failed, exit 3),
    never a traceback; the report is still returned (and printed by the commands)."""
    data_dir = Path(settings.get("DATA_DIR", "data"))
    thresholds = Thresholds.from_settings(settings)
    failures: list[str] = []
    sites = {}
    try:
        store = open_store(settings)
    except (StateDamaged, *STORE_ERRORS) as exc:
        store = None
        failures.append(f"state store: {describe(exc)}")
    errors = (OSError, *getattr(store, "errors", STORE_ERRORS))
    for slug, crawler in zip(slugs, crawlers):
        values = crawler.stats.get_stats() or {}
        previous = None
        if store is not None:
            try:
                previous = store.previous_run(slug, run_id)
            except errors as exc:
                failures.append(f"state store ({slug}): {describe(exc)}")
        report = site_report(values, previous, thresholds)
        feed = data_dir / slug / f"{slug}-{run_id}.jsonl"
        report["feed"] = str(feed) if feed.exists() else None
        if store is not None:
            try:
                store.save_run(slug, run_id, report)
            except errors as exc:
                failures.append(f"cannot save the run of {slug} in the state store: {describe(exc)}")
        sites[slug] = report
    if store is not None:
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
        # Scrapy counts log records per process, not per crawl: the run's counts, once.
        "log_counts": {k[len("log_count/"):]: v for k, v in sorted((crawlers[0].stats.get_stats() if crawlers else {})
                                                                   .items()) if k.startswith("log_count/")},
    }
    if settings.getbool("WARDCRAWL_MIRROR_RUN"):
        report["source"] = "mirror"  # provenance: the offline mirror, not the live sites
    failures += [f"{slug}: {message}" for slug, r in sites.items() for message in r.get("write_failed", {}).values()]
    path = data_dir / "reports" / f"run-{run_id}.json"
    try:
        write_report(path, {**report, "run_failed": bool(failures), "failures": failures})
    except OSError as exc:
        failures.append(f"cannot write the run report ({path}): {describe(exc)}")
    report["run_failed"], report["failures"] = bool(failures), failures
    return report


def write_report(path: Path, report: dict) -> None:
    write_atomically(path, json.dumps(report, ensure_ascii=False, indent=2) + "\n")


def add_run_options(parser) -> None:
    parser.add_argument("--sites", help="comma-separated slugs (default: all)")
    parser.add_argument("--full", action="store_true", help="walk every listing page and fetch every article")
    parser.add_argument("--since", help="YYYY-MM-DD: leave out articles published before this date")
    parser.add_argument("--data-dir", default=None, help="where outputs go (default: DATA_DIR, 'data')")


def check_since(since: str | None) -> None:
    """A bad --since is a usage error, found before anything is created."""
    if since:
        try:
            date.fromisoformat(since)
        except ValueError:
            raise UsageError(f"--since must be a date YYYY-MM-DD, not {since!r}") from None


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
    for failure in report.get("failures", ()):
        print(f"wardcrawl: FAILED: {failure}", file=out)
