"""Deferred requests: what still failed after the retries is asked for first by the next run.

A request that failed for good with transient trouble (5xx, 429, resets, timeouts,
truncated bodies, a Retry-After beyond RETRY_AFTER_MAX, an unreadable robots.txt) is
recorded in the state store (table ``deferred``), with its reason and the number of runs
in a row it failed in. The next run of the site

- requests deferred article pages before anything else (``DeferredRequestsMiddleware``);
- walks every listing page when a listing page was deferred (as after an interrupted run),
  so the articles it would have shown are found.

A deferred request answered in a later run (200, or 404/410: gone) is forgotten at the end
of that run; deferred listing pages are forgotten when a complete walk finishes. What stays
deferred for ``HEALTH_MAX_DEFERRED_RUNS`` runs in a row makes the site unhealthy
(wardcrawl/report/health.py), so nothing fails quietly forever. The counts are kept in the stats as
they change: ``wardcrawl/deferred/<reason>`` (deferred by this run), ``wardcrawl/deferred_recovered``,
``wardcrawl/deferred_pending`` and ``wardcrawl/deferred_stuck``.
"""

from __future__ import annotations

import logging
import weakref

import scrapy
from scrapy import signals
from scrapy.http.request import NO_CALLBACK

from wardcrawl import stats as keys
from wardcrawl.state import DeferredRequest

logger = logging.getLogger(__name__)

PREFIX = keys.PREFIX
DEFERRED_RECOVERED = f"{PREFIX}/deferred_recovered"  # deferred by an earlier run, answered by this one
DEFERRED_PENDING = f"{PREFIX}/deferred_pending"  # still deferred after this run
DEFERRED_STUCK = f"{PREFIX}/deferred_stuck"  # ... and failing for HEALTH_MAX_DEFERRED_RUNS runs or more
DEFERRED_PRIORITY = 100  # deferred requests go before the run's own
DEFERRED_META = "wardcrawl_deferred"


def deferred(reason: str) -> str:
    return f"{PREFIX}/deferred/{reason}"


def is_robots_request(request) -> bool:
    return request.callback is NO_CALLBACK or bool(request.meta.get("dont_obey_robotstxt"))


def _body(request) -> str:
    return request.body.decode("utf-8", "replace") if request.body else ""


class Deferrals:
    """One crawl's deferred requests: those the store held at the start, those this run deferred
    and those it answered. Shared by the middlewares of a crawler (``Deferrals.of(crawler)``)."""

    _by_crawler: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.enabled = crawler.settings.getbool("DEFER_FAILED", True)
        self.max_runs = crawler.settings.getint("HEALTH_MAX_DEFERRED_RUNS", 3)
        self.pending: dict[tuple[str, str, str], DeferredRequest] = {}
        self.answered_keys: set[tuple[str, str, str]] = set()
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def of(cls, crawler) -> Deferrals:
        found = cls._by_crawler.get(crawler)
        if found is None:
            found = cls._by_crawler[crawler] = cls(crawler)
        return found

    # ---- where we are --------------------------------------------------------------------
    @property
    def spider(self):
        return self.crawler.spider

    @property
    def active(self) -> bool:
        spider = self.spider
        return self.enabled and getattr(spider, "site", None) is not None and getattr(spider, "state", None) is not None

    @staticmethod
    def key(request) -> tuple[str, str, str]:
        return request.method, request.url, _body(request)

    def _keys(self, request) -> list[tuple[str, str, str]]:
        """The request's key, and those of the URLs it was redirected from."""
        found = [self.key(request)]
        for url in request.meta.get("redirect_urls", ()):
            found.append((request.method, url, _body(request)))
        return found

    # ---- changes -------------------------------------------------------------------------
    def load(self) -> list[DeferredRequest]:
        """The site's deferred requests, as the store holds them at the start of the run."""
        if not self.active:
            return []
        rows = self.spider.state.deferred(self.spider.site.slug)
        self.pending = {(r.method, r.url, r.body): r for r in rows}
        self._update_stats()
        return rows

    def defer(self, request, reason: str) -> None:
        if not self.active or is_robots_request(request):
            return
        spider = self.spider
        article_id = request.meta.get("article_key")
        row = spider.state.defer(DeferredRequest(
            site=spider.site.slug, method=request.method, url=request.url, body=_body(request),
            kind="article" if article_id else "listing", article_id=article_id, reason=reason,
            last_run=spider.run_id))
        key = (row.method, row.url, row.body)
        self.pending[key] = row
        self.answered_keys.discard(key)
        self.stats.inc_value(deferred(reason))
        logger.warning("Deferred to the next run (%s, failing for %d run(s)): %s %s", reason, row.runs,
                       request.method, request.url)
        self._update_stats()

    def answered(self, request, recovered: bool = True) -> None:
        """A final answer for a request: a page or gone (it is recovered), or a failure that no
        later run can cure (``recovered=False``: counted under its failure, no longer pending)."""
        if not self.active or not self.pending:
            return
        for key in self._keys(request):
            row = self.pending.get(key)
            if row is not None and key not in self.answered_keys:
                self.answered_keys.add(key)
                if recovered and row.last_run != self.spider.run_id:
                    self.stats.inc_value(DEFERRED_RECOVERED)
                self._update_stats()

    def gone(self, request, status: int) -> None:
        if not self.active:
            return
        spider = self.spider
        spider.state.mark_gone(spider.site.slug, request.url, status, spider.run_id, request.meta.get("article_key"))
        logger.warning("Gone (%d): %s", status, request.url)
        self.answered(request)

    def _still_pending(self) -> list[DeferredRequest]:
        return [row for key, row in self.pending.items() if key not in self.answered_keys]

    def _update_stats(self) -> None:
        rows = self._still_pending()
        self.stats.set_value(DEFERRED_PENDING, len(rows))
        self.stats.set_value(DEFERRED_STUCK, sum(1 for row in rows if row.runs >= self.max_runs))

    def spider_closed(self, spider, reason) -> None:
        if not self.active:
            return
        site = spider.site.slug
        spider.state.resolve_deferred(site, sorted(self.answered_keys))
        if reason == "finished" and getattr(spider, "full_walk", False):
            # A complete walk re-read the listing pages deferred by earlier runs.
            spider.state.resolve_deferred_listings(site, spider.run_id)
            for key, row in self.pending.items():
                if row.kind == "listing" and row.last_run < spider.run_id:
                    self.answered_keys.add(key)
        self._update_stats()


class DeferredRequestsMiddleware:
    """Spider middleware: a run asks first for what the previous runs deferred."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.deferrals = Deferrals.of(crawler)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def process_start(self, start):
        spider = self.crawler.spider
        rows = self.deferrals.load()
        listings = [r for r in rows if r.kind == "listing"]
        if listings:
            spider.full_walk = True  # the pages a failed listing page would have led to are found again
            logger.info("%d listing page(s) deferred by earlier runs: walking every listing page", len(listings))
        for row in rows:
            if row.kind != "article":
                continue
            if hasattr(spider, "article_status") and spider.article_status(row.url) == "known":
                self.deferrals.answered(scrapy.Request(row.url, method=row.method))  # archived since
                continue
            logger.info("Asking first for %s (deferred %d run(s) ago: %s)", row.url, row.runs, row.reason)
            yield scrapy.Request(row.url, callback=spider.parse_article, priority=DEFERRED_PRIORITY,
                                 meta={"article_key": row.article_id, DEFERRED_META: True})
        async for item in start:
            yield item
