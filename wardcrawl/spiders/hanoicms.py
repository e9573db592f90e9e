"""The new hanoi.gov.vn CMS: category pages, then the listing API page by page to its end.

The listing API (``POST /api/NewsZone/NewsZone``, docs/sites/hanoicms.md) is asked for
``PageIndex`` 0, 1, 2... with the category's opaque values (registry first, then the page) and
the ids the category page showed (``DataIds[]``), as the portal's own script does. The walk ends
at an empty answer (what the portal sends past the last page, and to wrong values) or at a page
with no item the walk has not seen. A page that fails after the retries is counted and skipped,
and the walk goes on (up to ``max_api_errors`` failures in a row).

A category without a complete set of values is walked through its HTML pager where it has one,
and counted under ``listing_api_missing/<path>``: the run report names it among the health reasons.
An empty answer to the very first API page is counted under ``listing_api_empty/<path>`` (the
values are probably wrong or outdated).
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

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
        api, missing = hanoicms.listing_api(response, self.site)
        if api is None and self.listing_page_number(response.url) == 1:
            self.crawler.stats.inc_value(stats.listing_api_missing(self.section_path(response.url)))
            logger.warning("No listing-API values (%s) for %s: walking its HTML pager, if any "
                           "(capture them: docs/sites/hanoicms.md)", ", ".join(missing), response.url)
        if not walk_on:
            return
        if api is not None:
            shown = tuple(hanoicms.data_ids(response, self.site))
            yield self._api_request(api, 0, shown, seen=frozenset(items), errors=0, streak=streak)
        elif not self.repeated_listing(response.url, items):
            pages = self.next_listing_pages(response.url, hanoicms.listing_links(response, self.site))
            yield from self.listing_request(pages, self.parse_category, streak)

    def section_path(self, url: str) -> str:
        return urlsplit(self.site.on_primary_host(url)).path

    def _api_request(self, api, page: int, shown: tuple, seen: frozenset, errors: int, streak: int):
        return scrapy.FormRequest(api.url, formdata=api.form(page, shown), headers={"X-Requested-With": "XMLHttpRequest"},
                                  callback=self.parse_api, errback=self.api_failed,
                                  cb_kwargs={"api": api, "page": page, "shown": shown, "seen": seen, "errors": errors,
                                             "streak": streak})

    def parse_api(self, response, api, page: int, shown: tuple, seen: frozenset, errors: int, streak: int):
        items = [] if hanoicms.is_empty_answer(response) else hanoicms.listing_items(response, self.site)
        if not items:
            self.crawler.stats.inc_value(stats.listing_end("empty_page"))
            if page == 0:
                self.crawler.stats.inc_value(stats.listing_api_empty(api.section))
                logger.warning("The listing API answered nothing for the first page of %s: its values may be "
                               "wrong or outdated (docs/sites/hanoicms.md)", api.section)
            return
        if seen.issuperset(items):
            self.crawler.stats.inc_value(stats.listing_end("no_new_item"))
            return
        walk_on, streak = self.listing_step(items, streak, hanoicms.item_dates(response, self.site))
        yield from self.article_requests(items)
        if walk_on and self.listing_page_allowed(page + 2):  # the category page is listing page 1
            yield self._api_request(api, page + 1, shown, seen | frozenset(items), errors=0, streak=streak)

    def api_failed(self, failure):
        kwargs = failure.request.cb_kwargs
        errors = kwargs["errors"] + 1
        self.crawler.stats.inc_value(stats.listing_error(type(failure.value).__name__))
        logger.warning("Listing page %s of %s failed (%s); %s", kwargs["page"], kwargs["api"].section,
                       failure.value, "skipping it" if errors < self.max_api_errors else "giving up this category")
        if errors < self.max_api_errors:
            yield self._api_request(kwargs["api"], kwargs["page"] + 1, kwargs["shown"], kwargs["seen"], errors,
                                    kwargs["streak"])
        else:
            self.crawler.stats.inc_value(stats.listing_end("too_many_errors"))


register_spiders(globals(), "hanoicms", HanoiCmsSpider)
