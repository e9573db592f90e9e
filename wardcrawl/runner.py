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
from wardcrawl.state import StateDamaged, lock_is_free, open_store
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


def partition_sites(slugs: list[str], include_unverified: bool = False, include_gone: bool = False
                    ) -> tuple[list[str], dict[str, str]]:
    """(slugs to crawl, slug -> why it is left out): unverified and gone sites unless asked, and always a
    family without a spider (wardcrawl.sites.Site.skip_reason)."""
    from wardcrawl.sites import registry

    crawl, skipped = [], {}
    for slug in slugs:
        site = registry()[slug]
        reason = site.skip_reason()
        if reason and site.crawled and (include_gone if site.status == "gone" else include_unverified):
            reason = None
        if reason:
            skipped[slug] = reason
        else:
            crawl.append(slug)
    return crawl, skipped


def run_sites(settings, slugs: list[str], run_id: str, spider_args: dict | None = None,
              skipped: dict[str, str] | None = None, spider_classes: dict | None = None) -> dict:
    """Crawl ``slugs`` in one process; returns the run report (also written under data/reports/), which
    lists the ``skipped`` sites (slug -> reason) too. ``spider_classes`` replaces a site's registry
    spider (a recovery: wardcrawl/spiders/recovery.py).

    A site another process is crawling (its lock is held: a `scrapy crawl` by hand, a node's
    job sharing the state store) is reported as locked and left alone. It is found before the
    crawl starts: a spider refused in the first crawler would leave Scrapy without its reactor
    for the others."""
    started = datetime.now(HANOI_TZ)
    clock = time.monotonic()
    held = _held_sites(settings, slugs)
    process = CrawlerProcess(settings)
    crawlers = {}
    for slug in slugs:
        if slug not in held:
            crawlers[slug] = process.create_crawler((spider_classes or {}).get(slug, slug))
            process.crawl(crawlers[slug], run_id=run_id, **(spider_args or {}))
    if crawlers:
        process.start()
    try:
        return report_run(settings, slugs, crawlers, run_id, started, clock, skipped)
    finally:
        close_stores(crawlers.values())


def close_stores(crawlers) -> None:
    """Each crawl's own state store, closed (and its site lock released) once the run report is saved:
    now, not whenever the interpreter's exit would collect it (wardcrawl/commands/guarded.py freezes what
    outlives the run; a store it reaches would then never be closed, a SQLite WAL never checkpointed)."""
    for crawler in crawlers:
        state = getattr(getattr(crawler, "spider", None), "state", None)
        if state is not None:
            state.close()


def _held_sites(settings, slugs: list[str]) -> set[str]:
    store = open_store(settings)
    try:
        return {slug for slug in slugs if not lock_is_free(store, f"site:{slug}")}
    finally:
        store.close()


def _locked_report() -> dict:
    return {**site_report({}, None), "feed": None, "healthy": False,
            "reasons": ["locked: another process is crawling this site; not crawled"]}


def report_run(settings, slugs: list[str], crawlers, run_id: str, started: datetime, clock: float,
               skipped: dict[str, str] | None = None) -> dict:
    """The run report of finished crawls (``crawlers``: slug -> crawler, or a list in ``slugs``' order):
    per site health, saved in the state store and written to data/reports/run-<run>.json. A write that
    fails is in ``failures`` (the run failed, exit 3), never a traceback; the report is still returned
    (and printed by the commands). A site locked by another process gets a "locked" report, not saved:
    that report is the other process's to save."""
    if not isinstance(crawlers, dict):
        crawlers = dict(zip(slugs, crawlers))
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
    for slug in slugs:
        crawler = crawlers.get(slug)
        if crawler is None or getattr(crawler, "site_locked", False):
            sites[slug] = _locked_report()
            continue
        values = crawler.stats.get_stats() or {}
        previous = None
        if store is not None:
            try:
                previous = store.previous_run(slug, run_id)
            except errors as exc:
                failures.append(f"state store ({slug}): {describe(exc)}")
        report = _with_feed(site_report(values, previous, thresholds), data_dir, slug, run_id)
        if store is not None:
            try:
                store.save_run(slug, run_id, report)
            except errors as exc:
                failures.append(f"cannot save the run of {slug} in the state store: {describe(exc)}")
        sites[slug] = report
    if store is not None:
        store.close()
    report = combine_reports(run_id, started, time.monotonic() - clock, sites, skipped)
    # Scrapy counts log records per process, not per crawl: the run's counts, once.
    first = next(iter(crawlers.values()), None)
    report["log_counts"] = {k[len("log_count/"):]: v for k, v in sorted((first.stats.get_stats() if first else {})
                                                                        .items()) if k.startswith("log_count/")}
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


def site_run_report(stats: dict, store, slug: str, run_id: str, settings) -> dict:
    """A site's part of the run report, from its crawl's stats and its previous run's report."""
    report = site_report(stats, store.previous_run(slug, run_id), Thresholds.from_settings(settings))
    return _with_feed(report, Path(settings.get("DATA_DIR", "data")), slug, run_id)


def _with_feed(report: dict, data_dir: Path, slug: str, run_id: str) -> dict:
    feed = data_dir / slug / f"{slug}-{run_id}.jsonl"
    report["feed"] = str(feed) if feed.exists() else None
    return report


def combine_reports(run_id: str, started: datetime, seconds: float, sites: dict[str, dict],
                    skipped: dict[str, str] | None = None) -> dict:
    """The run report: every site's report, and what cron needs at a glance."""
    return {
        "run_id": run_id,
        "started": started.isoformat(timespec="seconds"),
        "seconds": round(seconds, 2),
        "healthy": all(r["healthy"] for r in sites.values()),
        "unhealthy": {slug: r["reasons"] for slug, r in sites.items() if not r["healthy"]},
        # Requests deferred to the next run (docs/faults.md), per site: by this run, and still pending.
        "deferred": {"count": sum(r["deferred"]["count"] for r in sites.values()),
                     "pending": sum(r["deferred"]["pending"] for r in sites.values()),
                     "recovered": sum(r["deferred"]["recovered"] for r in sites.values()),
                     "sites": {slug: r["deferred"] for slug, r in sites.items()
                               if r["deferred"]["count"] or r["deferred"]["pending"] or r["deferred"]["recovered"]}},
        "sites": sites,
        "skipped": dict(skipped or {}),
    }


def write_report(path: Path, report: dict) -> None:
    write_atomically(path, json.dumps(report, ensure_ascii=False, indent=2) + "\n")


def add_run_options(parser) -> None:
    parser.add_argument("--sites", help="comma-separated slugs (all sites when not given)")
    parser.add_argument("--full", action="store_true", help="walk every listing page and fetch every article")
    parser.add_argument("--since", help="YYYY-MM-DD: leave out articles published before this date")
    parser.add_argument("--data-dir", default=None, help="where outputs go (DATA_DIR when not given, 'data')")


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
    skipped = report.get("skipped") or {}
    if skipped:
        by_reason: dict[str, int] = {}
        for reason in skipped.values():
            by_reason[reason.split(" (")[0]] = by_reason.get(reason.split(" (")[0], 0) + 1
        print(f"skipped {len(skipped)} sites (" + ", ".join(f"{k} {v}" for k, v in sorted(by_reason.items()))
              + "): " + ", ".join(skipped), file=out)
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
