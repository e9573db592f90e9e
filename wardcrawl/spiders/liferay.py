"""Liferay platform family: walks section listings, follows article links, nothing else.

Navigation only: extraction is wardcrawl.parsers.liferay (pure). One spider class per
registry site is generated below, so `scrapy list` shows every Liferay site by its slug.
"""

from __future__ import annotations

import logging
from datetime import datetime

import scrapy

from wardcrawl import stats
from wardcrawl.parsers import liferay
from wardcrawl.sites import Site, registry
from wardcrawl.text.dates import HANOI_TZ

logger = logging.getLogger(__name__)


def run_id_now() -> str:
    return datetime.now(HANOI_TZ).strftime("%Y%m%dT%H%M%S")


class LiferaySpider(scrapy.Spider):
    site: Site
    # A listing deeper than this is a trap, not a news archive.
    max_listing_pages = 2000

    def __init__(self, *args, run_id: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.run_id = run_id or run_id_now()
        self.allowed_domains = list(self.site.hosts)

    async def start(self):
        for url in self.site.section_urls():
            yield scrapy.Request(url, callback=self.parse_listing)

    def parse_listing(self, response):
        links = liferay.page_links(response, self.site)
        yield from self._article_requests(links.articles)
        for url in links.listings:
            if liferay.listing_page_number(url) > self.max_listing_pages:
                self.crawler.stats.inc_value(stats.LISTING_OVER_LIMIT)
                continue
            yield scrapy.Request(url, callback=self.parse_listing)

    def parse_article(self, response):
        fetched_at = datetime.now(HANOI_TZ).isoformat(timespec="seconds")
        article = liferay.parse_article(response, self.site, fetched_at=fetched_at)
        if article is None:
            self.crawler.stats.inc_value(stats.layout_miss(self.site.slug))
            logger.warning("No article container on %s (layout change?)", response.url)
        else:
            yield article
        yield from self._article_requests(liferay.page_links(response, self.site).articles)

    def _article_requests(self, urls):
        for url in urls:
            key = liferay.article_key_from_url(url, self.site.url_shape)
            yield scrapy.Request(url, callback=self.parse_article,
                                 meta={"article_key": f"{self.site.slug}:{key}"})


def _spider_class(site: Site) -> type[LiferaySpider]:
    name = "".join(part.capitalize() for part in site.slug.split("-")) + "Spider"
    return type(name, (LiferaySpider,), {"name": site.slug, "site": site, "__doc__": f"{site.name} ({site.host})"})


def _register_spiders() -> None:
    for site in registry().values():
        if site.family == "liferay":
            cls = _spider_class(site)
            globals()[cls.__name__] = cls


_register_spiders()
