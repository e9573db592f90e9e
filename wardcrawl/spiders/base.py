"""What every registry spider shares: its site, run id, hosts, the state store, and
article requests keyed by the site's own article key. Family spiders add only how to
walk their listings.

Incremental by default (docs/cron.md): known articles are not fetched again unless they
were published in the last REFETCH_DAYS days; a listing walk stops after
INCREMENTAL_KNOWN_STREAK known articles in a row. ``-a full=1`` walks every listing page and
fetches every article; ``-a since=YYYY-MM-DD`` stops a walk at listing pages older than that
date and keeps older articles out of the export. After a run that did not finish cleanly
the next run walks every listing page (it still skips known articles), so nothing an
interrupted run missed stays missed.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

import scrapy
from scrapy import signals

from wardcrawl import stats
from wardcrawl.digest import digest
from wardcrawl.parsers import FAMILY_PARSERS
from wardcrawl.parsers.common import query_page_number
from wardcrawl.sites import Site, registry
from wardcrawl.state.lock import acquire, data_dir_lock, release
from wardcrawl.state.guard import WriteFailed, guarded_store
from wardcrawl.state.repair import check_source
from wardcrawl.text.dates import HANOI_TZ
from wardcrawl.text.sanity import TRUNCATED_PAGE, page_is_cut

logger = logging.getLogger(__name__)


class SiteLocked(RuntimeError):
    """Another crawl (on this machine or another node sharing the state store) holds the site."""


def run_id_now() -> str:
    """A run id: Hanoi time to the microsecond, so two runs never share one (their journals,
    feeds and reports are named by it); ids sort in time order."""
    return datetime.now(HANOI_TZ).strftime("%Y%m%dT%H%M%S-%f")


def _flag(value) -> bool:
    return str(value).strip().lower() in ("1", "true", "yes", "on")


class RegistrySpider(scrapy.Spider):
    site: Site

    def __init__(self, *args, run_id: str | None = None, full=None, since: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.run_id = run_id or run_id_now()
        self.allowed_domains = list(self.site.hosts)
        self.full = _flag(full)
        if since:
            try:
                date.fromisoformat(since)
            except ValueError:
                raise ValueError(f"since must be a date YYYY-MM-DD, not {since!r}") from None
        self.since = since

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        # The data dir's lock before anything is read or written (re-entrant: under `scrapy cron`
        # the process holds it already; none with a shared PostgreSQL store, whose per-site locks
        # guard instead); AlreadyRunning stops this crawl before it starts.
        spider.lock = data_dir_lock(crawler.settings)
        if spider.lock is not None:
            acquire(spider.lock, f"crawl {spider.name} run {spider.run_id}")
        wrong_source = check_source(crawler.settings)
        if wrong_source:
            spider._release_lock()
            raise RuntimeError(wrong_source)
        spider.state = guarded_store(crawler)
        if not spider.state.try_lock(f"site:{spider.site.slug}"):  # one crawl of a site at a time, on any node
            spider.state.close()
            spider._release_lock()
            crawler.site_locked = True  # `scrapy crawl` exits 75 (wardcrawl/commands/crawl.py)
            raise SiteLocked(f"{spider.site.slug} is being crawled by another process; not starting")
        spider.full_walk = spider.full or not spider.state.walk_complete(spider.site.slug)
        spider.state.set_walk_complete(spider.site.slug, False)  # until this run finishes cleanly
        # Read once: callbacks consult memory, not the database.
        spider.known = spider.state.known_articles(spider.site.slug)
        spider.known_streak = crawler.settings.getint("INCREMENTAL_KNOWN_STREAK", 10)
        spider.refetch_after = (datetime.now(HANOI_TZ) - timedelta(days=crawler.settings.getfloat("REFETCH_DAYS", 3))
                                ).date().isoformat()
        # Traps (endless pagination, calendars): a walk goes no deeper than this page number.
        spider.max_listing_pages = crawler.settings.getint("LISTING_MAX_PAGES", 2000)
        # A listing page that fails for good is skipped: the walk goes on at the next, this many in a row at most.
        spider.listing_skip_failed = crawler.settings.getint("LISTING_SKIP_FAILED", 3)
        spider.listing_item_sets = {}  # digest of a listing page's items -> that of the first listing URL showing them
        spider.requested = set()  # article keys this run has requested (article_requests)
        spider.skipped = set()  # known article keys this run did not request (counted once each)
        crawler.signals.connect(spider._on_closed, signal=signals.spider_closed)
        return spider

    def _on_closed(self, spider, reason):
        try:
            if reason == "finished":
                self.state.set_walk_complete(self.site.slug, True)
        except WriteFailed:
            pass  # counted and reported by guarded_store
        finally:
            self._release_lock()

    def _release_lock(self) -> None:
        if self.lock is not None:
            release(self.lock)

    # ---- articles ----------------------------------------------------------------------
    def article_key(self, url: str) -> str | None:
        raise NotImplementedError

    def url_keys(self, url: str) -> list[str]:
        """Every article key an article URL names (its key; Liferay adds the urlTitle beside an id)."""
        key = self.article_key(url)
        return [key] if key else []

    def article_status(self, url: str) -> str:
        """"new", "refetch" (known, but recent enough to check for edits) or "known"."""
        return self._status(self.article_key(url))

    def _status(self, key: str | None) -> str:
        article_id = f"{self.site.slug}:{key}"
        if not key or article_id not in self.known:
            return "new"
        if self.full or (self.known[article_id] or "")[:10] >= self.refetch_after:
            return "refetch"
        return "known"

    def article_requests(self, urls):
        """Requests for the article links ``urls`` that this run has not asked for yet.

        An article key requested once is not requested again (``self.requested``): the same
        test as the dupefilter's, which fingerprints article requests by that key
        (wardcrawl/fingerprint.py), made before a Request and its fingerprint are built for
        every related-article link of every page. Like the dupefilter's set, it is crawl-wide
        state, not state between callbacks."""
        slug = self.site.slug
        for url in urls:
            key = self.article_key(url)
            if not key:
                continue
            article_key = f"{slug}:{key}"
            if article_key in self.requested:
                continue
            if self._status(key) == "known":
                if article_key not in self.skipped:  # articles, not links: one article is linked from many pages
                    self.skipped.add(article_key)
                    self.crawler.stats.inc_value(stats.SKIPPED_KNOWN)
                continue
            self.requested.add(article_key)
            yield scrapy.Request(url, callback=self.parse_article, meta={"article_key": article_key})

    def parse_article(self, response):
        self.crawler.stats.inc_value(stats.ARTICLE_PAGES)
        fetched_at = datetime.now(HANOI_TZ).isoformat(timespec="seconds")
        article = FAMILY_PARSERS[self.site.family](response, self.site, fetched_at=fetched_at)
        if article is None:
            self.crawler.stats.inc_value(stats.layout_miss(self.site.slug))
            logger.warning("No article on %s (layout change?)", response.url)
        else:
            if page_is_cut(response.body):  # content sanity (wardcrawl/text/sanity.py) rejects it
                article.quality = sorted({*article.quality, TRUNCATED_PAGE})
            yield article
        yield from self.article_requests(self.more_article_links(response))

    def more_article_links(self, response) -> list[str]:
        """Article links on an article page ("Tin khác", sidebars): more ways in."""
        return []

    # ---- listings ----------------------------------------------------------------------
    def listing_step(self, article_urls: list[str], streak: int, dates: list[date] = ()) -> tuple[bool, int]:
        """(walk on?, known-in-a-row so far) after a listing page showing ``article_urls``, newest first."""
        self.count_listed(article_urls)
        for url in article_urls:
            streak = 0 if self.article_status(url) == "new" else streak + 1
        if self.since and dates and max(dates).isoformat() < self.since:
            self.crawler.stats.inc_value(stats.listing_end("since"))
            return False, streak
        if not self.full_walk and streak >= self.known_streak:
            self.crawler.stats.inc_value(stats.listing_end("known_streak"))
            return False, streak
        return True, streak

    def count_listed(self, article_urls: list[str]) -> None:
        self.crawler.stats.inc_value(stats.ARTICLES_LISTED, len(article_urls))

    def listing_page_allowed(self, page: int) -> bool:
        """Whether a listing page number is within LISTING_MAX_PAGES; the links past it are counted."""
        if page > self.max_listing_pages:
            self.crawler.stats.inc_value(stats.LISTING_OVER_LIMIT)
            return False
        return True

    def listing_page_number(self, url: str) -> int:
        """The page a listing URL asks for (``?page=N``); 1 when it names none. Families override it."""
        return query_page_number(url)

    def next_listing_pages(self, url: str, pager: list[str]) -> list[str]:
        """The pager links to follow from listing page ``url``, in page order: the smallest page
        number above the current one that the pager offers, then up to LISTING_SKIP_FAILED pages
        after it (asked for only when the one before failed for good); all within
        LISTING_MAX_PAGES. Empty at the end.

        Full walks and incremental ones alike follow one link per page, so a walk is a chain of
        one request per page. A pager may name every page of a section (Liferay's does):
        following all of them from every page asked the dupefilter to drop O(pages²) duplicate
        requests, and reached no page the chain does not. A link without a page number (a
        calendar, a filter: its page number is 1) is never above the current page, so never followed."""
        current = self.listing_page_number(url)
        by_page: dict[int, str] = {}
        for link in pager:
            page = self.listing_page_number(link)
            if page > current:
                by_page.setdefault(page, link)
        pages = sorted(by_page)[: 1 + self.listing_skip_failed]
        if pages and not self.listing_page_allowed(pages[0]):
            return []
        return [by_page[p] for p in pages if p <= self.max_listing_pages]

    def listing_request(self, links: list[str], callback, streak: int):
        """The request for the first of ``links`` (``next_listing_pages``); should it fail for good
        (after the retries; deferred to the next run), ``listing_failed`` asks for the next one."""
        if links:
            yield scrapy.Request(links[0], callback=callback, errback=self.listing_failed,
                                 cb_kwargs={"streak": streak, "ahead": tuple(links[1:])})

    def listing_failed(self, failure):
        """A listing page failed for good: counted, and the walk goes on at the page after it, up to
        LISTING_SKIP_FAILED failed pages in a row (the failed page is deferred: the next run walks
        every listing page)."""
        request = failure.request
        self.crawler.stats.inc_value(stats.listing_error(type(failure.value).__name__))
        ahead = request.cb_kwargs.get("ahead", ())
        if not ahead:
            self.crawler.stats.inc_value(stats.listing_end("failed_page"))
            logger.warning("Listing page %s failed (%s); the walk of this listing ends there this run",
                           request.url, failure.value)
            return
        logger.warning("Listing page %s failed (%s); going on at %s", request.url, failure.value, ahead[0])
        yield from self.listing_request(list(ahead), request.callback, request.cb_kwargs.get("streak", 0))

    def repeated_listing(self, url: str, items: list[str]) -> bool:
        """Whether another listing page of this run already showed exactly these items (a page
        past the end that repeats one, or a trap that cycles): its links lead nowhere new. A page
        showing no items is not judged (a template the item selector misses still walks on)."""
        if not items:
            return False
        # Digests, not the URLs: a 50,000-article walk remembers ~10,000 listing pages.
        first = self.listing_item_sets.setdefault(digest(*sorted(set(items))), digest(url))
        if first != digest(url):
            self.crawler.stats.inc_value(stats.listing_end("repeated_page"))
            return True
        return False


def register_spiders(namespace: dict, family: str, base: type[RegistrySpider]) -> None:
    """One spider class per registry site of ``family``, so `scrapy list` shows each slug."""
    for site in registry().values():
        if site.family == family:
            name = "".join(part.capitalize() for part in site.slug.split("-")) + "Spider"
            namespace[name] = type(name, (base,), {"name": site.slug, "site": site, "__module__": namespace["__name__"],
                                                   "__doc__": f"{site.name} ({site.host})"})
