"""Run several registry sites in one process and report on each: what `scrapy cron`,
`scrapy demo` and `scrapy crawl` share."""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from scrapy.crawler import CrawlerProcess
from scrapy.exceptions import UsageError

from wardcrawl.extensions import write_atomically
from wardcrawl.report.health import Thresholds, site_report
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
    """Crawl ``slugs`` in one process, at most ``CONCURRENT_SITES`` at once (0: all at once; the
    peak memory of a night grows with the sites crawling together, docs/cron.md); returns the run
    report (also written under data/reports/), which lists the ``skipped`` sites (slug -> reason)
    too. ``spider_classes`` replaces a site's registry spider (a recovery: wardcrawl/spiders/recovery.py).

    A site another process is crawling (its lock is held: a `scrapy crawl` by hand, a node's
    job sharing the state store) is reported as locked and left alone. It is found before the
    crawl starts: a spider refused in the first crawler would leave Scrapy without its reactor
    for the others."""
    started = datetime.now(HANOI_TZ)
    clock = time.monotonic()
    held = _held_sites(settings, slugs)
    process = CrawlerProcess(settings)
    pool = SitePool(process, [slug for slug in slugs if slug not in held], settings.getint("CONCURRENT_SITES"),
                    spider_classes or {}, {"run_id": run_id, **(spider_args or {})})
    # Scrapy counts log records per crawl while it runs; the pool's crawls do not all overlap.
    counter = LevelCounter(settings.get("LOG_LEVEL"))
    logging.root.addHandler(counter)
    try:
        if pool.start():
            process.start()
    finally:
        logging.root.removeHandler(counter)
    try:
        return report_run(settings, slugs, pool.finished, run_id, started, clock, skipped,
                          not_started=set(pool.waiting), log_counts=counter.counts)
    finally:
        close_stores(pool.finished.values())


def close_stores(crawls) -> None:
    """Each crawl's own state store (of a crawler, or kept by a ``FinishedCrawl``), closed (and its
    site lock released) once the run report is saved: now, not whenever the interpreter's exit would
    collect it (wardcrawl/commands/guarded.py freezes what outlives the run; a store it reaches would
    then never be closed, a SQLite WAL never checkpointed)."""
    for crawl in crawls:
        state = getattr(crawl, "state", None) or getattr(getattr(crawl, "spider", None), "state", None)
        if state is not None:
            state.close()


class SitePool:
    """Starts the sites' crawls in ``slugs`` order, ``limit`` at a time (0: all at once): a site
    starts when another finishes. A finished crawl is kept as its stats only (``finished``: slug ->
    FinishedCrawl), so its spider, engine and queues can be freed. After a shutdown (Ctrl-C,
    SIGTERM) no further site starts; those left are in ``waiting``."""

    def __init__(self, process, slugs: list[str], limit: int, spider_classes: dict, spider_kwargs: dict):
        self.process, self.spider_kwargs = process, spider_kwargs
        # Every spider class found now: a missing one fails the run before any crawl, as it did
        # when every crawler was made up front.
        self.spider_classes = {slug: spider_classes.get(slug) or process.spider_loader.load(slug) for slug in slugs}
        self.waiting = list(slugs)
        self.limit = limit if limit > 0 else len(slugs)
        self.running: set[str] = set()
        self.finished: dict[str, FinishedCrawl] = {}
        self.stopping = False

    def start(self) -> bool:
        """Start the first ``limit`` crawls; False when there is nothing to crawl."""
        for _ in range(min(self.limit, len(self.waiting))):
            self._next()
        return bool(self.running)

    def _next(self) -> None:
        if self.stopping or not self.waiting:
            return
        slug = self.waiting.pop(0)
        crawler = self.process.create_crawler(self.spider_classes[slug])
        self.running.add(slug)
        done = self.process.crawl(crawler, **self.spider_kwargs)
        done.addBoth(self._done, slug, crawler)

    def _done(self, result, slug: str, crawler):
        self.running.discard(slug)
        self.finished[slug] = FinishedCrawl.of(crawler)
        if self.finished[slug].stats.get("finish_reason") == "shutdown":
            self.stopping = True
        self._next()
        return result


@dataclass
class FinishedCrawl:
    """What the run report reads of a finished crawler: its stats and whether its site was locked."""

    stats: dict
    site_locked: bool = False
    state: object | None = None  # the crawl's state store, closed after the run report (close_stores)

    @classmethod
    def of(cls, crawler) -> FinishedCrawl:
        try:
            values = dict(crawler.stats.get_stats())
        except RuntimeError:  # Scrapy sets the stats when the crawl starts: this one failed before
            values = {}
        state = getattr(getattr(crawler, "spider", None), "state", None)
        return cls(values, getattr(crawler, "site_locked", False), state)


class LevelCounter(logging.Handler):
    """Counts the process's log records by level (at ``level`` and above), for the run report."""

    def __init__(self, level):
        super().__init__(level or logging.NOTSET)
        self.counts: dict[str, int] = {}

    def emit(self, record: logging.LogRecord) -> None:
        self.counts[record.levelname] = self.counts.get(record.levelname, 0) + 1


def _held_sites(settings, slugs: list[str]) -> set[str]:
    store = open_store(settings)
    try:
        return {slug for slug in slugs if not lock_is_free(store, f"site:{slug}")}
    finally:
        store.close()


LOCKED = "locked: another process is crawling this site; not crawled"
NOT_STARTED = "not crawled: the run was stopped before this site's turn"


def _uncrawled_report(reason: str) -> dict:
    return {**site_report({}, None), "feed": None, "healthy": False, "reasons": [reason]}


def run_report_path(settings, data_dir: Path, run_id: str, slugs: list[str]) -> Path:
    """reports/run-<run>.json; a job of a run over scrapyd nodes (``STATE_SITE_REPORT``) writes
    its own under reports/jobs/: the jobs share the coordinator's run id and data dir, and a job
    ending last would otherwise overwrite the run's report the coordinator wrote."""
    if settings.getbool("STATE_SITE_REPORT"):
        return data_dir / "reports" / "jobs" / f"run-{run_id}-{'-'.join(slugs)}.json"
    return data_dir / "reports" / f"run-{run_id}.json"


def report_run(settings, slugs: list[str], crawlers, run_id: str, started: datetime, clock: float,
               skipped: dict[str, str] | None = None, not_started: set[str] = frozenset(),
               log_counts: dict[str, int] | None = None) -> dict:
    """The run report of finished crawls (``crawlers``: slug -> crawler or FinishedCrawl, or a list in
    ``slugs``' order; ``not_started``: sites a stopped run never began):
    per site health, saved in the state store and written to data/reports/run-<run>.json. A write that
    fails is in ``failures`` (the run failed, exit 3), never a traceback; the report is still returned
    (and printed by the commands). A site locked by another process gets a "locked" report, not saved:
    that report is the other process's to save. ``log_counts`` (level -> records) defaults to the
    first crawler's count."""
    if not isinstance(crawlers, dict):
        crawlers = dict(zip(slugs, crawlers))
    crawlers = {slug: c if isinstance(c, FinishedCrawl) else FinishedCrawl.of(c) for slug, c in crawlers.items()}
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
        if crawler is None or crawler.site_locked:
            sites[slug] = _uncrawled_report(NOT_STARTED if slug in not_started else LOCKED)
            continue
        values = crawler.stats
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
    if log_counts is None:  # Scrapy counts the process's log records in each crawl: the run's counts, once
        first = next(iter(crawlers.values()), None)
        log_counts = {k[len("log_count/"):]: v for k, v in (first.stats if first else {}).items()
                      if k.startswith("log_count/")}
    report["log_counts"] = dict(sorted(log_counts.items()))
    if settings.getbool("WARDCRAWL_MIRROR_RUN"):
        report["source"] = "mirror"  # provenance: the offline mirror, not the live sites
    failures += [f"{slug}: {message}" for slug, r in sites.items() for message in r.get("write_failed", {}).values()]
    path = run_report_path(settings, data_dir, run_id, slugs)
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
