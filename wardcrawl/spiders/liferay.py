"""Liferay platform family: walks section listings, follows article links, nothing else.

Navigation only: extraction is wardcrawl.parsers.liferay (pure).
"""

from __future__ import annotations

import scrapy

from wardcrawl.parsers import liferay
from wardcrawl.spiders.base import RegistrySpider, register_spiders


class LiferaySpider(RegistrySpider):
    # A listing deeper than LISTING_MAX_PAGES (self.max_listing_pages) is a trap, not a news archive.

    async def start(self):
        for url in self.site.section_urls():
            yield scrapy.Request(url, callback=self.parse_listing)

    def article_key(self, url: str) -> str | None:
        return liferay.article_key_from_url(url, self.site.url_shape)

    def parse_listing(self, response, streak: int = 0):
        links = liferay.page_links(response, self.site)
        walk_on, streak = self.listing_step(links.items, streak, links.dates)
        yield from self.article_requests(links.articles)
        if not walk_on or self.repeated_listing(response.url, links.items):
            return
        # Only numbered pages (2..) of the walk: a pager link without a page number (a calendar,
        # a filter) is not a page of this listing, and following it could go on forever.
        pages = [u for u in links.listings if liferay.listing_page_number(u) >= 2]
        if not self.full_walk:  # newest first, one page at a time, so a known streak can stop the walk
            following = liferay.listing_page_number(response.url) + 1
            pages = [u for u in pages if liferay.listing_page_number(u) == following][:1]
        for url in pages:
            if self.listing_page_allowed(liferay.listing_page_number(url)):
                yield scrapy.Request(url, callback=self.parse_listing, cb_kwargs={"streak": streak})

    def more_article_links(self, response) -> list[str]:
        return liferay.article_links(response, self.site)


register_spiders(globals(), "liferay", LiferaySpider)
