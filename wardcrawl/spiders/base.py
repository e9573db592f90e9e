"""What every registry spider shares: its site, run id, hosts, and article requests keyed by
the site's own article key. Family spiders add only how to walk their listings."""

from __future__ import annotations

import logging
from datetime import datetime

import scrapy

from wardcrawl import stats
from wardcrawl.parsers import FAMILY_PARSERS
from wardcrawl.sites import Site, registry
from wardcrawl.text.dates import HANOI_TZ

logger = logging.getLogger(__name__)


def run_id_now() -> str:
    return datetime.now(HANOI_TZ).strftime("%Y%m%dT%H%M%S")


class RegistrySpider(scrapy.Spider):
    site: Site

    def __init__(self, *args, run_id: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.run_id = run_id or run_id_now()
        self.allowed_domains = list(self.site.hosts)

    def article_key(self, url: str) -> str | None:
        raise NotImplementedError

    def article_requests(self, urls):
        for url in urls:
            key = self.article_key(url)
            if key:
                yield scrapy.Request(url, callback=self.parse_article, meta={"article_key": f"{self.site.slug}:{key}"})

    def parse_article(self, response):
        fetched_at = datetime.now(HANOI_TZ).isoformat(timespec="seconds")
        article = FAMILY_PARSERS[self.site.family](response, self.site, fetched_at=fetched_at)
        if article is None:
            self.crawler.stats.inc_value(stats.layout_miss(self.site.slug))
            logger.warning("No article on %s (layout change?)", response.url)
        else:
            yield article
        yield from self.article_requests(self.more_article_links(response))

    def more_article_links(self, response) -> list[str]:
        """Article links on an article page ("Tin khác", sidebars): more ways in."""
        return []


def register_spiders(namespace: dict, family: str, base: type[RegistrySpider]) -> None:
    """One spider class per registry site of ``family``, so `scrapy list` shows each slug."""
    for site in registry().values():
        if site.family == family:
            name = "".join(part.capitalize() for part in site.slug.split("-")) + "Spider"
            namespace[name] = type(name, (base,), {"name": site.slug, "site": site, "__module__": namespace["__name__"],
                                                   "__doc__": f"{site.name} ({site.host})"})
