"""Liferay platform family: walks section listings, follows article links, nothing else.

Navigation only: extraction is wardcrawl.parsers.liferay (pure).
"""

from __future__ import annotations

import scrapy

from wardcrawl.items import Article
from wardcrawl.parsers import liferay
from wardcrawl.spiders.base import RegistrySpider, register_spiders


class LiferaySpider(RegistrySpider):
    # A listing deeper than LISTING_MAX_PAGES (self.max_listing_pages) is a trap, not a news archive.

    async def start(self):
        for url in self.site.section_urls():
            yield scrapy.Request(url, callback=self.parse_listing)

    def article_key(self, url: str) -> str | None:
        return liferay.article_key_from_url(url, self.site.url_shape)

    def url_keys(self, url: str) -> list[str]:
        """The entry id and, beside it, "t:<urlTitle>": a later urlTitle-only link is then known."""
        keys, title = super().url_keys(url), liferay.url_title_from_url(url)
        return [*keys, f"t:{title}"] if title and f"t:{title}" not in keys else keys

    def listing_page_number(self, url: str) -> int:
        return liferay.listing_page_number(url)

    def parse_listing(self, response, streak: int = 0, ahead: tuple = ()):
        links = liferay.page_links(response, self.site)
        walk_on, streak = self.listing_step(links.items, streak, links.dates)
        yield from self.article_requests(links.articles)
        if not walk_on or self.repeated_listing(response.url, links.items):
            return
        # Newest first, one page at a time (full walks too), so a known streak can stop the walk:
        # the pager's next numbered page only (never a calendar or filter link without a number).
        pages = self.next_listing_pages(response.url, links.listings)
        yield from self.listing_request(pages, self.parse_listing, streak)

    def article_requests(self, urls):
        """As every family, and: a URL naming both an entry id and a urlTitle (related assets) is
        the article of either key, so it is not asked for when the other key already was. A key
        is marked only once its request is made (callbacks' outputs interleave)."""
        slug = self.site.slug
        for url in urls:
            key, title = self.article_key(url), liferay.url_title_from_url(url)
            by_title = f"{slug}:t:{title}" if title and key and key.isdigit() else None
            if by_title in self.requested:
                self.requested.add(f"{slug}:{key}")
                continue
            for request in super().article_requests([url]):
                if by_title:
                    self.requested.add(by_title)
                yield request

    def parse_article(self, response):
        """As every family, and: an article fetched under a urlTitle-only URL ("t:<urlTitle>" key)
        names its entry id in the page; links keyed by that id (related assets, "Tin khác") need
        no second fetch."""
        for result in super().parse_article(response):
            if isinstance(result, Article):
                self.requested.add(result.id)
            yield result

    def more_article_links(self, response) -> list[str]:
        return liferay.article_links(response, self.site)


register_spiders(globals(), "liferay", LiferaySpider)
