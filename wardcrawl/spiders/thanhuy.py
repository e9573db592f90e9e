"""thanhuyhanoi.vn: one listing per party unit, walked page by page (``?page=N``)."""

from __future__ import annotations

import scrapy

from wardcrawl.parsers import thanhuy
from wardcrawl.spiders.base import RegistrySpider, register_spiders


class ThanhUySpider(RegistrySpider):
    # A listing deeper than LISTING_MAX_PAGES (self.max_listing_pages) is a trap.

    async def start(self):
        for url in self.site.section_urls():
            yield scrapy.Request(url, callback=self.parse_listing)

    def article_key(self, url: str) -> str | None:
        return thanhuy.article_key_from_url(url)

    def parse_listing(self, response, streak: int = 0, ahead: tuple = ()):
        items = thanhuy.listing_items(response, self.site)
        walk_on, streak = self.listing_step(items, streak, thanhuy.item_dates(response, self.site))
        yield from self.article_requests(thanhuy.article_links(response, self.site))
        if not walk_on or self.repeated_listing(response.url, items):
            return
        pages = self.next_listing_pages(response.url, thanhuy.listing_links(response, self.site))
        yield from self.listing_request(pages, self.parse_listing, streak)

    def more_article_links(self, response) -> list[str]:
        return thanhuy.article_links(response, self.site)


register_spiders(globals(), "thanhuy", ThanhUySpider)
