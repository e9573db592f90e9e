"""Recovery of a vanished site from a web archive: its registry spider, fed from the archive.

``recovery_spider(slug, source)`` is the site's own spider class with its navigation replaced:
it lists the site's captures in the archive's index, takes the newest capture of every
article URL (the family's article key, as the crawl decides), fetches each as archived and
parses it with the crawl's own parser under its original URL. The items go through the same
pipelines as a live crawl's and carry their provenance: ``source``, ``captured_at`` (the
capture's time) and ``archive_url``. No request goes to the site itself.

- ``wayback``: the CDX API (paged by ``resumeKey``), then ``<wayback>/<ts>id_/<url>``.
- ``commoncrawl``: the index server of each crawl in ``COMMONCRAWL_CRAWLS``, then one WARC
  record per capture by an HTTP range request on the data host, read with warcio.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import scrapy

from wardcrawl import stats
from wardcrawl.archive.read import to_scrapy_response
from wardcrawl.text.decoding import decoded_response
from wardcrawl.items import Article
from wardcrawl.safety.pages import ARCHIVE_RECORD
from wardcrawl.sources import commoncrawl, wayback
from wardcrawl.text.dates import HANOI_TZ

CAPTURES_LISTED = f"{stats.PREFIX}/recovery/captures_listed"
ARTICLE_CAPTURES = f"{stats.PREFIX}/recovery/article_captures"
BAD_RECORDS = f"{stats.PREFIX}/recovery/bad_records"
CAPPED = f"{stats.PREFIX}/recovery/capped"
NOT_ARTICLE = f"{stats.PREFIX}/recovery/not_article"  # a capture with no article (parked, error page)


class ArchiveRecovery:
    """Mixin placed before a registry spider class: navigation through a web archive."""

    source = ""

    def archive_urls(self, settings) -> tuple[str, ...]:
        raise NotImplementedError

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.max_captures = crawler.settings.getint("RECOVERY_MAX_CAPTURES", 5000)
        spider.captures = []
        spider.listings_pending = 0
        # The archive's hosts are the only ones this spider asks (wardcrawl.safety.hosts.allowed_hosts,
        # Scrapy's offsite filter, robots.txt).
        spider.archive_hosts = tuple(sorted({(urlsplit(u).hostname or "").lower()
                                             for u in spider.archive_urls(crawler.settings)} - {""}))
        spider.allowed_domains = [*spider.allowed_domains, *spider.archive_hosts]
        return spider

    def listing_request(self, url: str, callback, **cb_kwargs) -> scrapy.Request:
        self.listings_pending += 1
        return scrapy.Request(url, callback=callback, cb_kwargs=cb_kwargs, errback=self.listing_failed)

    def listing_failed(self, failure):
        self.crawler.stats.inc_value(stats.listing_error(type(failure.value).__name__))
        yield from self.listing_done([])

    def listing_done(self, captures: list):
        """An index page is in: once every one is, the article captures not fetched yet."""
        self.crawler.stats.inc_value(CAPTURES_LISTED, len(captures))
        self.captures.extend(captures)
        self.listings_pending -= 1
        if self.listings_pending > 0:
            return
        chosen = wayback.article_captures(self.captures, self.article_key, self.site.hosts)
        self.captures = []
        self.crawler.stats.inc_value(stats.ARTICLES_LISTED, len(chosen))  # the archive's index is the listing
        for key, captures in chosen:
            capture, older = captures[0], tuple(captures[1:])
            article_id = f"{self.site.slug}:{key}"
            if article_id in self.requested or article_id in self.known:
                continue  # known: exported by an earlier (perhaps killed) run, not fetched again
            if len(self.requested) >= self.max_captures:
                self.crawler.stats.inc_value(CAPPED)
                continue
            if self.since and capture.timestamp[:8] < self.since.replace("-", ""):
                continue  # captured before --since: not published after it either
            self.requested.add(article_id)
            self.crawler.stats.inc_value(ARTICLE_CAPTURES)
            yield self.capture_request(capture, older)

    def capture_request(self, capture, older: tuple) -> scrapy.Request:
        """The request for ``capture``; ``older`` are the key's older captures, tried in turn
        while a capture holds no article."""
        raise NotImplementedError

    def recovered(self, response, capture, older: tuple, archive_url: str):
        """The article parsed from a capture's response (under its original URL), with provenance;
        else the request for the key's next older capture."""
        found = False
        for result in self.parse_article(response):
            if isinstance(result, Article):
                result.source = self.source
                result.captured_at = capture.captured_at.astimezone(HANOI_TZ).isoformat(timespec="seconds")
                result.archive_url = archive_url
                found = True
                yield result
            # links to more articles point at the vanished site: the index has the archive's copies
        if not found:
            self.crawler.stats.inc_value(NOT_ARTICLE)
            if older:
                self.crawler.stats.inc_value(ARTICLE_CAPTURES)
                yield self.capture_request(older[0], older[1:])


class WaybackRecovery(ArchiveRecovery):
    source = "wayback"

    def archive_urls(self, settings) -> tuple[str, ...]:
        self.wayback_url = settings.get("WAYBACK_URL", wayback.DEFAULT_WAYBACK_URL)
        self.cdx_url = settings.get("WAYBACK_CDX_URL", wayback.DEFAULT_CDX_URL)
        return self.wayback_url, self.cdx_url

    async def start(self):
        for host in self.site.hosts:
            yield self.listing_request(wayback.cdx_query(self.cdx_url, host), self.parse_cdx, host=host)

    def parse_cdx(self, response, host: str):
        captures, resume = wayback.parse_cdx(response.body)
        if resume:  # the next page first: this one stays counted as pending until it is in
            yield self.listing_request(wayback.cdx_query(self.cdx_url, host, resume), self.parse_cdx, host=host)
        yield from self.listing_done(captures)

    def capture_request(self, capture, older: tuple) -> scrapy.Request:
        return scrapy.Request(wayback.replay_url(self.wayback_url, capture), callback=self.parse_capture,
                              cb_kwargs={"capture": capture, "older": older}, dont_filter=True)

    def parse_capture(self, response, capture, older: tuple):
        yield from self.recovered(response.replace(url=capture.original), capture, older, response.url)


class CommonCrawlRecovery(ArchiveRecovery):
    source = "commoncrawl"

    def archive_urls(self, settings) -> tuple[str, ...]:
        self.index_url = settings.get("COMMONCRAWL_INDEX_URL", commoncrawl.DEFAULT_INDEX_URL)
        self.data_url = settings.get("COMMONCRAWL_DATA_URL", commoncrawl.DEFAULT_DATA_URL)
        self.crawls = settings.getlist("COMMONCRAWL_CRAWLS")
        if not self.crawls:
            raise ValueError("COMMONCRAWL_CRAWLS names no crawl (e.g. CC-MAIN-2024-10)")
        return self.index_url, self.data_url

    async def start(self):
        for crawl in self.crawls:
            for host in self.site.hosts:
                yield self.listing_request(commoncrawl.index_query(self.index_url, crawl, host), self.parse_index)

    def parse_index(self, response):
        yield from self.listing_done(commoncrawl.parse_index(response.body) if response.status == 200 else [])

    def capture_request(self, capture, older: tuple) -> scrapy.Request:
        return scrapy.Request(commoncrawl.record_url(self.data_url, capture), callback=self.parse_record,
                              headers={"Range": capture.range_header()}, cb_kwargs={"capture": capture, "older": older},
                              meta={ARCHIVE_RECORD: True}, dont_filter=True)

    def parse_record(self, response, capture, older: tuple):
        record = commoncrawl.read_record(response.body) if response.status in (200, 206) else None
        if record is None:
            self.crawler.stats.inc_value(BAD_RECORDS)
            self.logger.warning("Not one WARC response record: %s %s", response.url, capture.range_header())
            if older:
                yield self.capture_request(older[0], older[1:])
            return
        http, payload = record
        page = decoded_response(to_scrapy_response(capture.original, http, payload))  # as DecodingMiddleware does
        archive_url = f"{response.url}#offset={capture.offset}&length={capture.length}"
        yield from self.recovered(page, capture, older, archive_url)


SOURCES = {"wayback": WaybackRecovery, "commoncrawl": CommonCrawlRecovery}


def recovery_spider(slug: str, source: str = "wayback") -> type:
    """The site's registry spider class, fed from a web archive (``wayback`` or ``commoncrawl``)."""
    from scrapy.utils.misc import walk_modules_iter
    from scrapy.utils.spider import iter_spider_classes

    mixin = SOURCES[source]
    for module in walk_modules_iter("wardcrawl.spiders"):
        for cls in iter_spider_classes(module):
            if cls.name == slug and not issubclass(cls, ArchiveRecovery):
                return type(f"{cls.__name__}{mixin.__name__}", (mixin, cls),
                            {"__doc__": f"{cls.__doc__}, recovered from {source}"})
    raise KeyError(slug)
