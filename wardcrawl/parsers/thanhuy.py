"""thanhuyhanoi.vn (Hanoi Party Committee): pure extraction.

Articles are ``/tin-tuc/<unit-slug>/<slug>-<8-digit id>.html``: one category per party
unit, from the city's standing committee down to commune party committees, so every
record says which unit it belongs to (slug, name, level). Units come from the registry;
a unit the registry does not know is named from the page and flagged.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from scrapy.http import TextResponse

from wardcrawl.items import Article
from wardcrawl.parsers import common
from wardcrawl.parsers.common import ArticlePage, FamilyLinks, body_and_images, encoding_fields, href_hint

if TYPE_CHECKING:
    from wardcrawl.sites import Site

SELECTORS = {
    "container": "div.detail-news",
    "region": "div.detail-news",  # fields are looked up inside the article (common.ArticlePage)
    "title": "h1.title-detail",
    "date": "div.date-detail",
    "lead": "div.sapo-detail",
    "body": "div.content-detail",
    "keywords": "div.tags a::text",
    "unit_name": "ol.breadcrumb li.active a",
    "pager": "ul.pagination a::attr(href)",
    "listing_item": "ul.list-news li.news-item a::attr(href)",
    "listing_date": "ul.list-news li.news-item .date::text",
}
ARTICLE_PATH = re.compile(r"^/tin-tuc/([a-z0-9-]+)/[a-z0-9-]+-(\d{8})\.html$")
# Unit slugs name their level: "xa-hat-mon" is a commune, "huyen-gia-lam" a district.
LEVEL_BY_PREFIX = (("xa-", "ward-commune"), ("phuong-", "ward-commune"), ("thi-tran-", "ward-commune"),
                   ("huyen-", "district"), ("quan-", "district"), ("thi-xa-", "district"))


def selector(site: Site, name: str) -> str:
    return common.selector(site, SELECTORS, name)


def article_key_from_url(url: str) -> str | None:
    match = ARTICLE_PATH.match(urlsplit(url).path)
    return match.group(2) if match else None


def unit_slug_from_url(url: str) -> str | None:
    match = ARTICLE_PATH.match(urlsplit(url).path)
    return match.group(1) if match else None


# The last path segment of an article URL ends "-<8 digits>.html" (ARTICLE_PATH).
_LINKS = FamilyLinks(SELECTORS, article_key_from_url, href_hint(r"\d{8}\.html"))
article_links = _LINKS.article_links  # article links on a page (or an AJAX listing fragment), in order
listing_items = _LINKS.listing_items  # the listing's own items, newest first
item_dates = _LINKS.item_dates  # the dates the listing prints beside its items
listing_links = _LINKS.listing_links  # plain HTML pagination links


def unit_for(slug: str, page_name: str, site: Site) -> tuple[dict, bool]:
    """(unit, known): the registry's unit, else one named from the page, level from the slug."""
    known = site.units.get(slug)
    if known:
        return {"slug": slug, "name": known["name"], "level": known["level"]}, True
    level = next((lvl for prefix, lvl in LEVEL_BY_PREFIX if slug.startswith(prefix)), "city")
    return {"slug": slug, "name": page_name or slug, "level": level}, False


def parse_article(response: TextResponse, site: Site, *, fetched_at: str | None = None) -> Article | None:
    page = ArticlePage(response, site, SELECTORS)
    if page.container is None:
        return None
    key = article_key_from_url(response.url)
    if not key:
        return None
    encoding = encoding_fields(response)
    unit, known = unit_for(unit_slug_from_url(response.url), page.text("unit_name"), site)
    paragraphs, images = body_and_images(page)
    return Article(
        id=f"{site.slug}:{key}",
        site=site.slug,
        url=response.url,
        canonical_url=site.on_primary_host(response.url).split("?", 1)[0],
        title=page.text("title"),
        body="\n\n".join(paragraphs),
        section=unit["name"],
        published_raw=page.text("date") or None,
        lead=page.text("lead") or None,
        images=images,
        keywords=page.strings("keywords"),
        unit=unit,
        fetched_at=fetched_at,
        **{**encoding, "quality": encoding["quality"] + ([] if known else ["unit_not_in_registry"])},
    )
