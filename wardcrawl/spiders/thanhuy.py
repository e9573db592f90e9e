"""thanhuyhanoi.vn: one listing per party unit, walked through its pagination."""

from __future__ import annotations

import scrapy

from wardcrawl.parsers import thanhuy
from wardcrawl.spiders.base import RegistrySpider, register_spiders


class ThanhUySpider(RegistrySpider):
    async def start(self):
        for url in self.site.section_urls():
            yield scrapy.Request(url, callback=self.parse_listing)

    def article_key(self, url: str) -> str | None:
        return thanhuy.article_key_from_url(url)

    def parse_listing(self, response):
        yield from self.article_requests(thanhuy.article_links(response, self.site))
        for url in thanhuy.listing_links(response, self.site):
            yield scrapy.Request(url, callback=self.parse_listing)

    def more_article_links(self, response) -> list[str]:
        return thanhuy.article_links(response, self.site)


register_spiders(globals(), "thanhuy", ThanhUySpider)
