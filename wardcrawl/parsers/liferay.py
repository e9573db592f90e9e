"""Liferay 6.x portals (district portals, ward sub-sites, the old city portal): pure extraction.

Response in, fields out: no network, no state. Selectors are named defaults that a
registry entry may override one by one; a page without the article container gives None
(the spider counts it as a layout miss). Three URL shapes carry the article key:

- ``asset_publisher``: ``<page>?p_p_id=101&..._101_assetEntryId=<id>&_101_urlTitle=<slug>``
  (or ``_101_viewMode=view&_101_urlTitle=<slug>`` with no id);
- ``friendly``: ``<page>/-/view_content/<id>-<slug>.html``;
- ``hn_portal``: ``<page>/-/hn/<code>/<category-id>/<article-id>/<n>/<slug>.html``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlencode, urlsplit

from scrapy.http import TextResponse

from wardcrawl.items import Article
from wardcrawl.parsers import common
from wardcrawl.parsers.common import ArticlePage, body_and_images, encoding_fields, href_hint, listing_dates, site_links

if TYPE_CHECKING:
    from wardcrawl.sites import Site

# Default selectors (Liferay 6.2 asset publisher full content + district themes).
SELECTORS = {
    "container": "div.asset-content",
    # Fields are looked up inside the portlet showing the article (common.ArticlePage).
    "region": "div.portlet-boundary",
    "body": "div.asset-content div.journal-content-article",
    "title": "div.taglib-header h1.header-title",
    "date_line": "div.asset-publish-date",
    "section": "span.portlet-title-text::text",
    "pager": "div.taglib-page-iterator a::attr(href), .lfr-pagination-buttons a::attr(href)",
    "listing_item": "div.asset-publisher-list .asset-title a::attr(href), .news-list .news-item a.title::attr(href)",
    "listing_date": ".asset-publisher-list .metadata-publish-date::text, .news-list .news-item .time::text",
}
PAGE_TITLE = "head > title::text"

CONTAINER_ID = re.compile(r"(\d+)$")
DATE_LINE_START = re.compile(r"^\s*Ngày đăng\b")
# Old city portal: "<title> (15:31 14/02/2019)".
TITLE_DATE = re.compile(r"\s*\((\d{1,2}:\d{2}\s+\d{1,2}/\d{1,2}/\d{4})\)\s*$")
FRIENDLY_KEY = re.compile(r"/-/view_content/(\d+)-[^/]*$")
HN_PORTAL_KEY = re.compile(r"/-/hn/[^/]+/\d+/(\d+)/\d+/[^/]+\.html$")
PAGE_PARAM = re.compile(r"(?:^|_)cur$")
ARTICLE_ACTION = "/asset_publisher/view_content"
CANONICAL_PARAMS = [("p_p_id", "101"), ("p_p_lifecycle", "0"), ("p_p_state", "normal"),
                    ("p_p_mode", "view"), ("_101_struts_action", ARTICLE_ACTION)]


@dataclass(frozen=True)
class PageLinks:
    articles: list[str]  # every article link on the page (listing, sidebars, "Tin khác")
    listings: list[str]  # pagination links
    items: list[str]  # the listing's own items, newest first (what incremental walks count)
    dates: list  # the dates the listing prints beside its items


def selector(site: Site, name: str) -> str:
    return common.selector(site, SELECTORS, name)


def _params(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))


def is_action_url(url: str) -> bool:
    """Liferay action URLs (p_p_lifecycle=1) may change state: never follow them."""
    return _params(url).get("p_p_lifecycle") == "1"


def article_key_from_url(url: str, shape: str = "asset_publisher") -> str | None:
    """The site's own article key carried by an article URL, or None for other URLs."""
    params = _params(url)
    if params.get("p_p_lifecycle", "0") != "0":
        return None
    if shape == "friendly":
        match = FRIENDLY_KEY.search(urlsplit(url).path)
        return match.group(1) if match else None
    if shape == "hn_portal":
        match = HN_PORTAL_KEY.search(urlsplit(url).path)
        return match.group(1) if match else None
    entry = params.get("_101_assetEntryId", "")
    if entry.isdigit():
        return entry
    if params.get("_101_urlTitle"):
        return "t:" + params["_101_urlTitle"]
    return None


def listing_page_number(url: str) -> int:
    """The page a listing URL asks for (``_101_cur``, ``_101_INSTANCE_x_cur``...); 1 if none."""
    value = next((v for k, v in _params(url).items() if PAGE_PARAM.search(k)), "1")
    return int(value) if value.isdigit() else 1


# What the raw href of an article link of each URL shape contains (common.href_hint): the key
# parameters (or a percent sign: parse_qsl decodes the names), or the last path segment's form.
HREF_HINTS = {
    "asset_publisher": href_hint(r"assetEntryId|urlTitle|%"),
    "friendly": href_hint(r"(?:^|/)\d+-"),  # the last segment is "<id>-<slug>" (FRIENDLY_KEY)
    "hn_portal": href_hint(r"\.html"),  # the last segment is "<slug>.html" (HN_PORTAL_KEY)
}


def article_links(response: TextResponse, site: Site) -> list[str]:
    """Article links anywhere on the page (listing, sidebars, "Tin khác"), never action URLs."""
    return [u for u in site_links(response, site, hint=HREF_HINTS[site.url_shape])
            if not is_action_url(u) and article_key_from_url(u, site.url_shape)]


def page_links(response: TextResponse, site: Site) -> PageLinks:
    """Article links anywhere on the page, and pagination links of its listing."""
    articles = article_links(response, site)
    listings = [u for u in site_links(response, site, selector(site, "pager"))
                if not is_action_url(u) and not article_key_from_url(u, site.url_shape)]
    items = [u for u in site_links(response, site, selector(site, "listing_item")) if u in articles]
    return PageLinks(articles, listings, items, listing_dates(response, selector(site, "listing_date")))


def canonical_article_url(url: str, site: Site, key: str) -> str:
    """One URL per article whatever variant led to it: canonical host, fixed parameters."""
    base = site.on_primary_host(url).split("?", 1)[0]
    if site.url_shape != "asset_publisher":
        return base
    if not key.isdigit():
        return site.on_primary_host(url)
    params = [*CANONICAL_PARAMS, ("_101_assetEntryId", key), ("_101_type", "content")]
    return f"{base}?{urlencode(params)}"


def _date_line_parts(line: str, site: Site) -> tuple[str | None, int | None]:
    """("Ngày đăng 29/09/2021 | 22:22", 267) from the page's date/view-count line."""
    labels = "|".join(re.escape(label) for label in site.labels["view_count"])
    views = re.search(rf"(?:{labels})\s*:\s*([\d.,]+)", line)
    raw = line[: views.start()] if views else line
    raw = raw.strip().rstrip("|").strip()
    count = int(re.sub(r"\D", "", views.group(1))) if views else None
    return (raw or None), count


def _title_and_date(page: ArticlePage) -> tuple[str, str | None]:
    title = page.text("title") or page.response.css(PAGE_TITLE).get("").split(" - ")[0].strip()
    match = TITLE_DATE.search(title)
    if match:
        return title[: match.start()].strip(), match.group(1)
    return title, None


def parse_article(response: TextResponse, site: Site, *, fetched_at: str | None = None) -> Article | None:
    """The article on a Liferay full-content page, or None when the page has none."""
    page = ArticlePage(response, site, SELECTORS)
    if page.container is None:
        return None
    id_match = CONTAINER_ID.search(page.container.get("id", ""))
    key = id_match.group(1) if id_match else article_key_from_url(response.url, site.url_shape)
    if not key:
        return None
    title, title_date = _title_and_date(page)
    paragraphs, images = body_and_images(page)

    date_line = page.text("date_line")
    if not date_line:  # migrated items print the date line inside the body
        date_line = next((p for p in paragraphs[:3] if DATE_LINE_START.match(p)), "")
    published_raw, view_count = _date_line_parts(date_line, site)

    section = page.first("section") or site.section_name(urlsplit(response.url).path)
    return Article(
        id=f"{site.slug}:{key}",
        site=site.slug,
        url=response.url,
        canonical_url=canonical_article_url(response.url, site, key),
        title=title,
        body="\n\n".join(paragraphs),
        section=section or None,
        published_raw=published_raw or title_date,
        images=images,
        view_count=view_count,
        fetched_at=fetched_at,
        **encoding_fields(response),
    )
