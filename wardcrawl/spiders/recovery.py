"""Recovery of a vanished site from a web archive: its registry spider, fed from the archive.

``recovery_spider(slug, source)`` is the site's own spider class with its requests sent to the
archive instead of the site (docs/recover.md):

- **Index**: the site's captures are listed in the archive's index, page by page; each page
  read is kept in the state store with the key of the next, so a killed recovery resumes
  its paging where it stopped (the store forgets them when a recovery finishes).
- **Articles from the index**: every article key the index holds (the family's article key,
  as the crawl decides) gets its captures fetched oldest first, each parsed with the crawl's
  own parser under its original URL. A later capture whose text differs is the article's
  next version (the state store's versions, as a live re-crawl's); identical text makes none.
- **Listings walked**: the site's listing pages are fetched from the archive (their newest
  capture) and handed to the family's own listing callbacks; the article and pager links they
  give are followed through the archive too (an article link: its captures in the index, else
  the archive's newest capture of that URL, redirects followed), so an article only an archived
  listing leads to is recovered as well. One article key is fetched once per run.
- **Provenance**: ``source``, ``captured_at`` (the capture's time), ``archive_url``.
- **Resume**: every capture done with (exported, or holding no article) is remembered; a
  later recovery fetches only captures it has not had.

No request goes to the site itself. Sources: ``wayback`` (CDX API, ``id_`` replay) and
``commoncrawl`` (index server, WARC records by range request): wardcrawl/spiders/archives.py.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import scrapy
from itemadapter import ItemAdapter
from scrapy import signals

from wardcrawl import stats
from wardcrawl.items import Article
from wardcrawl.sources import wayback
from wardcrawl.sources.captures import CaptureIndex, from_rows, to_rows, version_chain
from wardcrawl.state.guard import write_failures
from wardcrawl.text.dates import HANOI_TZ

CAPTURES_LISTED = f"{stats.PREFIX}/recovery/captures_listed"
INDEX_PAGES = f"{stats.PREFIX}/recovery/index_pages"  # index pages asked of the archive
INDEX_PAGES_RESUMED = f"{stats.PREFIX}/recovery/index_pages_resumed"  # read by a killed run, not asked again
ARTICLE_CAPTURES = f"{stats.PREFIX}/recovery/article_captures"
LISTING_CAPTURES = f"{stats.PREFIX}/recovery/listing_captures"
FROM_LISTINGS = f"{stats.PREFIX}/recovery/from_listings"  # article keys only an archived page led to
NOT_ARCHIVED = f"{stats.PREFIX}/recovery/not_archived"  # a link whose page the archive cannot give
REDIRECTS = f"{stats.PREFIX}/recovery/redirects"
BAD_RECORDS = f"{stats.PREFIX}/recovery/bad_records"
CAPPED = f"{stats.PREFIX}/recovery/capped"
NOT_ARTICLE = f"{stats.PREFIX}/recovery/not_article"  # a capture with no article (parked, error page)
MAX_REDIRECTS = 3


def trusted_bases(settings, names) -> tuple[tuple[str, int | None], ...]:
    """(host, port) of each archive base URL the user set (not a default): the host guard lets
    those be private addresses on any port (wardcrawl.safety.hosts.host_verdict); the archive the user
    named is trusted, nothing else is."""
    trusted = []
    for name in names:
        if settings.get(name):
            parts = urlsplit(settings.get(name))
            if parts.hostname:
                trusted.append((parts.hostname.lower(), parts.port))
    return tuple(trusted)


class ArchiveRecovery:
    """Mixin placed before a registry spider class: navigation through a web archive.

    A source names its index queries (``listing_queries``), reads an index page (``read_page``),
    builds the request for a capture (``fetch``) and turns the answer into the page as it was
    (``page_of``); ``unlisted`` asks for a URL the index does not hold, where the archive can."""

    source = ""

    def archive_urls(self, settings) -> tuple[str, ...]:
        raise NotImplementedError

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.max_captures = settings.getint("RECOVERY_MAX_CAPTURES", 5000)
        spider.per_article = settings.getint("RECOVERY_CAPTURES_PER_ARTICLE", 5)
        spider.captures, spider.listings_pending, spider.index = [], 0, CaptureIndex(())
        spider.sections, spider.counted, spider.fetched = [], set(), 0
        spider.done = spider.state.captures_done(spider.site.slug, spider.source)
        spider.exporting = {}  # (article id, captured_at) -> its capture, until the item is exported
        # The archive's hosts are the only ones this spider asks (wardcrawl.safety.hosts.allowed_hosts,
        # Scrapy's offsite filter, robots.txt).
        spider.archive_hosts = tuple(sorted({(urlsplit(u).hostname or "").lower()
                                             for u in spider.archive_urls(settings)} - {""}))
        spider.allowed_domains = [*spider.allowed_domains, *spider.archive_hosts]
        spider.trusted_archives = trusted_bases(settings, spider.archive_setting_names)
        crawler.signals.connect(spider._item_exported, signal=signals.item_scraped)
        crawler.signals.connect(spider._item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(spider._recovery_closed, signal=signals.spider_closed)
        return spider

    # ---- the index, resumable --------------------------------------------------------------
    async def start(self):
        async for request in super().start():  # the family's first listing pages: walked once the index is in
            self.sections.append(request)
        saved: dict[str, list] = {}
        for query, page, next_key, rows in self.state.archive_pages(self.site.slug, self.source):
            saved.setdefault(query, []).append((page, next_key, rows))
        requests = []
        for query in self.listing_queries():
            pages = saved.get(query, [])
            for _, _, rows in pages:
                self.captures.extend(from_rows(rows))
            self.crawler.stats.inc_value(INDEX_PAGES_RESUMED, len(pages))
            if pages and pages[-1][1] is None:
                continue  # listed to its end by a run that was killed later
            requests.append(self.index_request(query, pages[-1][0] + 1 if pages else 0, pages[-1][1] if pages else None))
        self.crawler.stats.inc_value(CAPTURES_LISTED, len(self.captures))
        if not requests:
            for request in self.all_listed():
                yield request
        for request in requests:
            yield request

    def index_request(self, query: str, page: int, key: str | None) -> scrapy.Request:
        self.listings_pending += 1
        return scrapy.Request(self.page_url(query, key), callback=self.parse_index_page, errback=self.index_failed,
                              cb_kwargs={"query": query, "page": page}, dont_filter=True)

    def parse_index_page(self, response, query: str, page: int):
        captures, next_key = self.read_page(response)
        self.crawler.stats.inc_value(INDEX_PAGES)
        self.state.save_archive_page(self.site.slug, self.source, query, page, next_key, to_rows(captures))
        if next_key:  # the next page first: this one stays counted as pending until it is in
            yield self.index_request(query, page + 1, next_key)
        yield from self.index_done(captures)

    def index_failed(self, failure):
        self.crawler.stats.inc_value(stats.listing_error(type(failure.value).__name__))
        yield from self.index_done([])

    def index_done(self, captures: list):
        self.crawler.stats.inc_value(CAPTURES_LISTED, len(captures))
        self.captures.extend(captures)
        self.listings_pending -= 1
        if self.listings_pending <= 0:
            yield from self.all_listed()

    def all_listed(self):
        """Every index page is in: each article's captures, then the archived listings walked."""
        self.index = CaptureIndex(self.captures)
        chosen = wayback.article_captures(self.captures, self.article_key, self.site.hosts)
        self.captures = []
        for key, captures in chosen:
            self.count_keys([key])
            request = self.article_chain(f"{self.site.slug}:{key}", captures)
            if request is not None:
                yield request
        for request in self.sections:
            yield from self.through_archive([request])

    def article_chain(self, article_id: str, newest_first: list):
        """The request for the first capture of an article not done with yet (None: nothing to fetch)."""
        if article_id in self.requested:
            return None
        self.requested.add(article_id)  # handled here, whatever link leads to it later
        chain = version_chain(newest_first, self.done, self.since, self.per_article)
        if not chain:
            return None
        if self.fetched >= self.max_captures:
            self.crawler.stats.inc_value(CAPPED)
            return None
        self.fetched += 1
        self.crawler.stats.inc_value(ARTICLE_CAPTURES)
        return self.fetch(chain[0], self.parse_capture, newer=tuple(chain[1:]), hops=0)

    def count_keys(self, keys) -> None:
        """Article keys the index or an archived listing showed, each once (articles/listed)."""
        new = [k for k in keys if k and k not in self.counted]
        self.counted.update(new)
        self.crawler.stats.inc_value(stats.ARTICLES_LISTED, len(new))

    def count_listed(self, article_urls) -> None:
        self.count_keys([self.article_key(u) for u in article_urls])

    # ---- the family's requests, through the archive -------------------------------------
    def on_site(self, url: str) -> bool:
        return (urlsplit(url).hostname or "").lower() in self.site.hosts

    def through_archive(self, results):
        """A family callback's output with its requests to the vanished site sent to the archive."""
        for result in results or ():
            if not isinstance(result, scrapy.Request) or not self.on_site(result.url):
                yield result
            elif result.method != "GET":  # a listing API's POST: an archive replays GETs
                self.crawler.stats.inc_value(NOT_ARCHIVED)
            elif result.meta.get("article_key"):  # base.article_requests marked it requested already
                request = self.linked_article(result.meta["article_key"], result.url)
                if request is not None:
                    yield request
            else:
                request = self.listing_capture(result)
                if request is not None:
                    yield request

    def linked_article(self, article_id: str, url: str):
        self.requested.discard(article_id)
        captures = self.index.captures_of(url)
        before = self.crawler.stats.get_value(ARTICLE_CAPTURES, 0)
        request = (self.article_chain(article_id, captures) if captures
                   else self.unlisted_article(article_id, url))
        if request is not None and self.crawler.stats.get_value(ARTICLE_CAPTURES, 0) > before:
            self.crawler.stats.inc_value(FROM_LISTINGS)
        return request

    def unlisted_article(self, article_id: str, url: str):
        self.requested.add(article_id)
        if self.fetched >= self.max_captures:
            self.crawler.stats.inc_value(CAPPED)
            return None
        request = self.unlisted(url, self.parse_capture, newer=(), hops=0)
        if request is None:
            self.crawler.stats.inc_value(NOT_ARCHIVED)
            return None
        self.fetched += 1
        self.crawler.stats.inc_value(ARTICLE_CAPTURES)
        return request

    def listing_capture(self, request: scrapy.Request):
        """A listing page's newest capture, for the family callback that asked for it."""
        captures = self.index.captures_of(request.url)
        kwargs = {"walk": request.callback.__name__, "walk_kwargs": dict(request.cb_kwargs)}
        archived = (self.fetch(captures[0], self.parse_archived_listing, **kwargs) if captures
                    else self.unlisted(request.url, self.parse_archived_listing, **kwargs))
        if archived is None:
            self.crawler.stats.inc_value(NOT_ARCHIVED)
            return None
        self.crawler.stats.inc_value(LISTING_CAPTURES)
        return archived.replace(errback=self.archived_listing_failed)

    def archived_listing_failed(self, failure):
        self.crawler.stats.inc_value(stats.listing_error(type(failure.value).__name__))

    def parse_archived_listing(self, response, capture, walk: str, walk_kwargs: dict):
        found = self.page_of(response, capture)
        if found is not None:
            page, _, _ = found
            yield from self.through_archive(getattr(self, walk)(page, **walk_kwargs))

    # ---- captures ------------------------------------------------------------------------
    def parse_capture(self, response, capture, newer: tuple, hops: int):
        """The article a capture holds (the next capture of its chain then asked), or a redirect followed."""
        redirect = self.redirected(response, capture, hops) if 300 <= response.status < 400 else None
        if redirect is not None:
            self.crawler.stats.inc_value(REDIRECTS)
            yield redirect
            return
        found = self.page_of(response, capture)
        if found is None:
            self.crawler.stats.inc_value(BAD_RECORDS)
            self.logger.warning("Not a capture of a page: %s (%s)", response.url, capture.original)
            self._done(capture)
        else:
            yield from self.recovered(*found)
        if newer:
            self.crawler.stats.inc_value(ARTICLE_CAPTURES)
            yield self.fetch(newer[0], self.parse_capture, newer=newer[1:], hops=0)

    def redirected(self, response, capture, hops: int):
        return None

    def recovered(self, page, capture, archive_url: str):
        """The article parsed from a capture (under its original URL) with its provenance."""
        found = False
        for result in self.parse_article(page):
            if isinstance(result, Article):
                result.source = self.source
                result.captured_at = capture.captured_at.astimezone(HANOI_TZ).isoformat(timespec="seconds")
                result.archive_url = archive_url
                self.exporting[(result.id, result.captured_at)] = capture
                found = True
                yield result
            else:  # "Tin khác", sidebars: more articles, through the archive
                yield from self.through_archive([result])
        if not found:
            self.crawler.stats.inc_value(NOT_ARTICLE)
            self._done(capture)

    def _done(self, capture) -> None:
        self.state.capture_done(self.site.slug, self.source, capture.original, capture.timestamp)

    def _exported_capture(self, item):
        article = ItemAdapter(item)
        return self.exporting.pop((article.get("id"), article.get("captured_at")), None)

    def _item_exported(self, item, response, spider):
        capture = self._exported_capture(item)
        if capture is not None:
            self._done(capture)

    def _item_dropped(self, item, response, exception, spider):
        capture = self._exported_capture(item)
        # dropped with a reason (unchanged text, a duplicate, before --since): done; not when a write failed
        if capture is not None and not write_failures(self.crawler.stats.get_stats()):
            self._done(capture)

    def _recovery_closed(self, spider, reason):
        if reason == "finished":  # the next recovery lists the archive afresh
            self.state.clear_archive_pages(self.site.slug, self.source)


def recovery_spider(slug: str, source: str = "wayback") -> type:
    """The site's registry spider class, fed from a web archive (``wayback`` or ``commoncrawl``)."""
    from scrapy.utils.misc import walk_modules_iter
    from scrapy.utils.spider import iter_spider_classes

    from wardcrawl.spiders.archives import SOURCES

    mixin = SOURCES[source]
    for module in walk_modules_iter("wardcrawl.spiders"):
        for cls in iter_spider_classes(module):
            if cls.name == slug and not issubclass(cls, ArchiveRecovery):
                return type(f"{cls.__name__}{mixin.__name__}", (mixin, cls),
                            {"__doc__": f"{cls.__doc__}, recovered from {source}"})
    raise KeyError(slug)
