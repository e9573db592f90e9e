"""The new hanoi.gov.vn CMS (city portal since ~2018, the new ward/commune portals since
2025): pure extraction.

Articles are ``/<category>/<slug>-<digits>.htm``; the byline and time share one line
("Phương Anh 09:04 16/02/2018"); the standfirst ("HNP - …") stands apart from the body;
tags follow "Từ khóa:"; photos live on a media CDN. Category pages show the first items
and carry the parameters of the AJAX listing (``POST /api/NewsZone/NewsZone``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from scrapy.http import TextResponse

from wardcrawl.items import Article
from wardcrawl.parsers import common
from wardcrawl.parsers.common import ArticlePage, FamilyLinks, body_and_images, encoding_fields, href_hint
from wardcrawl.text.dates import parse_date

if TYPE_CHECKING:
    from wardcrawl.sites import Site

SELECTORS = {
    "container": "div.detail-page",
    "region": "div.detail-page",  # fields are looked up inside the article (common.ArticlePage)
    "title": "h1.detail-title",
    "author": "div.news-info .author",
    "time": "div.news-info .time, .detail-time",
    "lead": ".detail-sapo",
    "body": "div.detail-content.afcbc-body",
    "keywords": "div.detail-tags a::text",
    "section": "div.breadcrumb a.active::text",
    "api": "div#box-news-zone",
    "pager": "div.paging a::attr(href)",
    "listing_item": ".box-stream-item a.box-stream-link-title::attr(href)",
    "listing_date": ".box-stream-item .time::text",
}
ARTICLE_PATH = re.compile(r"^/[a-z0-9-]+/[a-z0-9-]+-(\d{10,20})\.htm$")
API_PATH = "/api/NewsZone/NewsZone"


@dataclass(frozen=True)
class ZoneApi:
    """The AJAX listing's parameters, as the category page carries them."""

    url: str
    zone: str
    size: str
    site_id: str

    def form(self, page: int) -> dict[str, str]:
        return {"ZoneId": self.zone, "PageIndex": str(page), "PageSize": self.size, "SiteId": self.site_id}


def selector(site: Site, name: str) -> str:
    return common.selector(site, SELECTORS, name)


def article_key_from_url(url: str) -> str | None:
    match = ARTICLE_PATH.match(urlsplit(url).path)
    return match.group(1) if match else None


# The last path segment of an article URL ends "-<10 to 20 digits>.htm" (ARTICLE_PATH).
_LINKS = FamilyLinks(SELECTORS, article_key_from_url, href_hint(r"\d{10}\.htm"))
article_links = _LINKS.article_links  # article links on a page (or an AJAX listing fragment), in order
listing_items = _LINKS.listing_items  # the listing's own items, newest first
item_dates = _LINKS.item_dates  # the dates the listing prints beside its items
listing_links = _LINKS.listing_links  # plain HTML pagination links


def zone_api(response: TextResponse, site: Site) -> ZoneApi | None:
    box = response.css(selector(site, "api"))
    if not box or not box.attrib.get("data-zone"):
        return None
    base = site.on_primary_host(response.url).split("?", 1)[0]
    root = base[: base.index("/", base.index("//") + 2)]
    return ZoneApi(url=root + API_PATH, zone=box.attrib["data-zone"], size=box.attrib.get("data-size", "10"),
                   site_id=box.attrib.get("data-site", ""))


def parse_article(response: TextResponse, site: Site, *, fetched_at: str | None = None) -> Article | None:
    page = ArticlePage(response, site, SELECTORS)
    if page.container is None:
        return None
    key = article_key_from_url(response.url)
    if not key:
        return None
    paragraphs, images = body_and_images(page)
    time_text = page.text("time")
    author = page.text("author")
    published = parse_date(time_text)
    return Article(
        id=f"{site.slug}:{key}",
        site=site.slug,
        url=response.url,
        canonical_url=site.on_primary_host(response.url).split("?", 1)[0],
        title=page.text("title"),
        body="\n\n".join(paragraphs),
        section=page.first("section")
        or site.section_name(urlsplit(response.url).path.rsplit("/", 1)[0]),
        published_raw=published.raw if published else (time_text or None),
        authors=[author] if author else [],
        lead=page.text("lead") or None,
        images=images,
        keywords=page.strings("keywords"),
        fetched_at=fetched_at,
        **encoding_fields(response),
    )
