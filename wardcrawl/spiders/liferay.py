"""Liferay platform family: walks section listings, follows article links, nothing else.

Navigation only: extraction is wardcrawl.parsers.liferay (pure).
"""

from __future__ import annotations

import scrapy

from wardcrawl import stats
from wardcrawl.parsers import liferay
from wardcrawl.spiders.base import RegistrySpider, register_spiders


class LiferaySpider(RegistrySpider):
    # A listing deeper than this is a trap, not a news archive.
    max_listing_pages = 2000

    async def start(self):
        for url in self.site.section_urls():
            yield scrapy.Request(url, callback=self.parse_listing)

    def article_key(self, url: str) -> str | None:
        return liferay.article_key_from_url(url, self.site.url_shape)

    def parse_listing(self, response):
        links = liferay.page_links(response, self.site)
        yield from self.article_requests(links.articles)
        for url in links.listings:
            if liferay.listing_page_number(url) > self.max_listing_pages:
                self.crawler.stats.inc_value(stats.LISTING_OVER_LIMIT)
                continue
            yield scrapy.Request(url, callback=self.parse_listing)

    def more_article_links(self, response) -> list[str]:
        return liferay.page_links(response, self.site).articles


register_spiders(globals(), "liferay", LiferaySpider)
