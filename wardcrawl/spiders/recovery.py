"""Recovery of a vanished site from a web archive: its registry spider, fed from the archive.

``recovery_spider(slug)`` is the site's own spider class with its navigation replaced: it
lists the site's captures in the Wayback Machine's CDX API (page by page, ``resumeKey``),
takes the newest capture of every article URL (the family's article key, as the crawl
decides), fetches each as archived (``id_``) and parses it with the crawl's own parser under
its original URL. The items go through the same pipelines as a live crawl's, and carry their
provenance: ``source`` ("wayback"), ``captured_at`` (the capture's time) and ``archive_url``.
No request goes to the site itself.
"""

from __future__ import annotations

import scrapy

from wardcrawl import stats
from wardcrawl.items import Article
from wardcrawl.sources import wayback
from wardcrawl.text.dates import HANOI_TZ

SOURCE_WAYBACK = "wayback"
CAPTURES_LISTED = f"{stats.PREFIX}/recovery/captures_listed"
ARTICLE_CAPTURES = f"{stats.PREFIX}/recovery/article_captures"
CAPPED = f"{stats.PREFIX}/recovery/capped"


class WaybackRecovery:
    """Mixin placed before a registry spider class: navigation through the archive."""

    source = SOURCE_WAYBACK

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.wayback_url = settings.get("WAYBACK_URL", wayback.DEFAULT_WAYBACK_URL)
        spider.cdx_url = settings.get("WAYBACK_CDX_URL", wayback.DEFAULT_CDX_URL)
        spider.max_captures = settings.getint("RECOVERY_MAX_CAPTURES", 5000)
        spider.captures = []
        # The archive's host is the only one this spider asks (wardcrawl.safety.allowed_hosts,
        # Scrapy's offsite filter, robots.txt).
        spider.archive_hosts = tuple({h for h in (_host(spider.wayback_url), _host(spider.cdx_url)) if h})
        spider.allowed_domains = [*spider.allowed_domains, *spider.archive_hosts]
        return spider

    async def start(self):
        for host in self.site.hosts:
            yield scrapy.Request(wayback.cdx_query(self.cdx_url, host), callback=self.parse_cdx,
                                 cb_kwargs={"host": host})

    def parse_cdx(self, response, host: str):
        captures, resume = wayback.parse_cdx(response.body)
        self.crawler.stats.inc_value(CAPTURES_LISTED, len(captures))
        self.captures.extend(captures)
        if resume:
            yield scrapy.Request(wayback.cdx_query(self.cdx_url, host, resume), callback=self.parse_cdx,
                                 cb_kwargs={"host": host})
            return
        yield from self.capture_requests()

    def capture_requests(self):
        """Once the last CDX page of a host is in: the article captures not fetched yet."""
        chosen = wayback.article_captures(self.captures, self.article_key, self.site.hosts)
        self.captures = []
        self.crawler.stats.inc_value(stats.ARTICLES_LISTED, len(chosen))  # the archive's index is the listing
        for key, capture in chosen:
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
            yield scrapy.Request(wayback.replay_url(self.wayback_url, capture), callback=self.parse_capture,
                                 cb_kwargs={"capture": capture},
                                 dont_filter=True)

    def parse_capture(self, response, capture: wayback.ArchivedCapture):
        original = response.replace(url=capture.original)  # the page under its own URL, as the parser expects
        for result in self.parse_article(original):
            if isinstance(result, Article):
                result.source = self.source
                result.captured_at = capture.captured_at.astimezone(HANOI_TZ).isoformat(timespec="seconds")
                result.archive_url = response.url
                yield result
            # links to more articles point at the vanished site: the CDX listing has them all


def recovery_spider(slug: str, source: str = SOURCE_WAYBACK) -> type:
    """The site's registry spider class, fed from a web archive."""
    from scrapy.utils.misc import walk_modules_iter
    from scrapy.utils.spider import iter_spider_classes

    if source != SOURCE_WAYBACK:
        raise ValueError(f"unknown source {source!r}")
    for module in walk_modules_iter("wardcrawl.spiders"):
        for cls in iter_spider_classes(module):
            if cls.name == slug and not issubclass(cls, WaybackRecovery):
                return type(f"{cls.__name__}WaybackRecovery", (WaybackRecovery, cls),
                            {"__doc__": f"{cls.__doc__}, recovered from the Wayback Machine"})
    raise KeyError(slug)


def _host(url: str) -> str | None:
    from urllib.parse import urlsplit

    return (urlsplit(url).hostname or "").lower() or None
