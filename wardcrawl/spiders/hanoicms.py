"""The new hanoi.gov.vn CMS: category pages, then the AJAX listing page by page to its end.

The listing API (``POST /api/NewsZone/NewsZone``) ends with an empty page on some portals
and repeats its last page on others; both end the walk. A page that fails after the
retries is counted and skipped, and the walk goes on, so one bad page does not cost the
pages after it (up to ``max_api_errors`` failures in a row). Categories served without
the AJAX box are walked through their plain HTML pagination.
"""

from __future__ import annotations

import logging

import scrapy

from wardcrawl import stats
from wardcrawl.parsers import hanoicms
from wardcrawl.spiders.base import RegistrySpider, register_spiders

logger = logging.getLogger(__name__)


class HanoiCmsSpider(RegistrySpider):
    # A listing deeper than LISTING_MAX_PAGES (self.max_listing_pages) is a trap.
    max_api_errors = 3  # failed pages in a row before a category's walk gives up

    async def start(self):
        for url in self.site.section_urls():
            yield scrapy.Request(url, callback=self.parse_category)

    def article_key(self, url: str) -> str | None:
        return hanoicms.article_key_from_url(url)

    def more_article_links(self, response) -> list[str]:
        return hanoicms.article_links(response, self.site)

    def parse_category(self, response, streak: int = 0, ahead: tuple = ()):
        items = hanoicms.listing_items(response, self.site)
        walk_on, streak = self.listing_step(items, streak, hanoicms.item_dates(response, self.site))
        yield from self.article_requests(hanoicms.article_links(response, self.site))
        if not walk_on:
            return
        api = hanoicms.zone_api(response, self.site)
        if api is not None:
            yield self._api_request(api, page=2, previous=frozenset(items), errors=0, streak=streak)
        elif not self.repeated_listing(response.url, items):
            pages = self.next_listing_pages(response.url, hanoicms.listing_links(response, self.site))
            yield from self.listing_request(pages, self.parse_category, streak)

    def _api_request(self, api, page: int, previous: frozenset, errors: int, streak: int):
        return scrapy.FormRequest(api.url, formdata=api.form(page), callback=self.parse_api, errback=self.api_failed,
                                  cb_kwargs={"api": api, "page": page, "previous": previous, "errors": errors,
                                             "streak": streak})

    def parse_api(self, response, api, page: int, previous: frozenset, errors: int, streak: int):
        items = hanoicms.listing_items(response, self.site)
        if not items:
            self.crawler.stats.inc_value(stats.listing_end("empty_page"))
            return
        if frozenset(items) == previous:
            self.crawler.stats.inc_value(stats.listing_end("repeated_page"))
            return
        walk_on, streak = self.listing_step(items, streak, hanoicms.item_dates(response, self.site))
        yield from self.article_requests(items)
        if not walk_on or self.repeated_listing(f"{api.url}#{api.zone}:{page}", items):
            return
        if self.listing_page_allowed(page + 1):
            yield self._api_request(api, page + 1, frozenset(items), errors=0, streak=streak)

    def api_failed(self, failure):
        kwargs = failure.request.cb_kwargs
        errors = kwargs["errors"] + 1
        self.crawler.stats.inc_value(stats.listing_error(type(failure.value).__name__))
        logger.warning("Listing page %s of zone %s failed (%s); %s", kwargs["page"], kwargs["api"].zone,
                       failure.value, "skipping it" if errors < self.max_api_errors else "giving up this category")
        if errors < self.max_api_errors:
            yield self._api_request(kwargs["api"], kwargs["page"] + 1, kwargs["previous"], errors, kwargs["streak"])
        else:
            self.crawler.stats.inc_value(stats.listing_end("too_many_errors"))


register_spiders(globals(), "hanoicms", HanoiCmsSpider)
