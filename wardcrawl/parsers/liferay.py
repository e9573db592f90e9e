"""Liferay 6.x portals (district portals, ward sub-sites, the old city portal): pure extraction.

Response in, fields out: no network, no state. Selectors are named defaults that a
registry entry may override one by one; a page without the article container gives None
(the spider counts it as a layout miss). Markup and URL forms follow Liferay 6.2's own
templates and what is seen on Hanoi's hosts: docs/sites/liferay.md names the source of each.

The article is the one the URL names: the ``asset-content`` whose id is the portlet
namespace + the URL's asset entry id, or (URL with a urlTitle only) the one in the page's
full-content block; never merely the first on the page, since a sidebar publisher's
abstracts (each with its own ``asset-content``) may come before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlencode, urljoin, urlsplit

from scrapy.http import TextResponse

from wardcrawl.items import Article
from wardcrawl.parsers import common
from wardcrawl.parsers.common import (ArticlePage, body_and_images, encoding_fields, first_element, listing_dates,
                                      site_links)
from wardcrawl.parsers.liferay_urls import (ARTICLE_HREF_HINT, article_key_from_url, is_action_url,
                                            listing_page_number, page_path, url_title_from_url)

if TYPE_CHECKING:
    from wardcrawl.sites import Site

__all__ = ["SELECTORS", "article_key_from_url", "is_action_url", "listing_page_number", "url_title_from_url", "article_links",
           "page_links", "parse_article", "canonical_article_url"]

# Default selectors: Liferay 6.2 asset publisher templates + the district themes (docs/sites/liferay.md).
SELECTORS = {
    "container": "div.asset-content",
    # Where a urlTitle-only URL's article is: full_content.jsp's wrapper ("" = the first container).
    "full_content": "div.asset-full-content",
    # Fields are looked up inside the portlet showing the article (common.ArticlePage).
    "region": "div.portlet-boundary",
    "body": "div.asset-content div.journal-content-article",
    # liferay-ui:header prints h3.header-title (6.2 taglib); h1 as the Hanoi themes are reported to.
    "title": "div.taglib-header .header-title",
    "date_line": "div.asset-publish-date",
    "section": "span.portlet-title-text::text",
    "pager": "div.taglib-page-iterator a::attr(href), .lfr-pagination-buttons a::attr(href)",
    # abstracts.jsp, title_list.jsp, table.jsp; the old city portal's news list.
    "listing_item": ("div.asset-abstract h3.asset-title a::attr(href), li.title-list a::attr(href), "
                     "table.table tbody.table-data td.table-cell:first-child a::attr(href), "
                     ".news-list .news-item a.title::attr(href)"),
    "listing_date": ("div.asset-abstract .metadata-publish-date::text, li.title-list .metadata-publish-date::text, "
                     "table.table tbody.table-data td.table-cell:not(:first-child)::text, "
                     ".news-list .news-item .time::text"),
}
PAGE_TITLE = "head > title::text"

CONTAINER_ID = re.compile(r"(\d+)$")
DATE_LINE_START = re.compile(r"^\s*Ngày đăng\b")
# Old city portal: "<title> (15:31 14/02/2019)".
TITLE_DATE = re.compile(r"\s*\((\d{1,2}:\d{2}\s+\d{1,2}/\d{1,2}/\d{4})\)\s*$")
ARTICLE_ACTION = "/asset_publisher/view_content"
# The default asset publisher's namespace: what Liferay's own related-asset links use (asset_links/page.jsp).
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


def article_links(response: TextResponse, site: Site) -> list[str]:
    """Article links anywhere on the page (listing, sidebars, "Tin khác"), never action URLs."""
    return [u for u in site_links(response, site, hint=ARTICLE_HREF_HINT)
            if not is_action_url(u) and article_key_from_url(u, site.url_shape)]


def _listing_portlet(response: TextResponse, site: Site):
    """The portlet holding the section's own listing: the one with the pager (the innermost, if
    portlets nest), else the one listing the most items; the whole page when there are no
    portlets. A sidebar publisher of abstracts shows items too, but never pages."""
    region_css, item_css, pager_css = (selector(site, n) for n in ("region", "listing_item", "pager"))
    listing = [(region, len(region.css(item_css))) for region in (response.css(region_css) if region_css else [])]
    listing = [(region, count) for region, count in listing if count]
    if not listing:
        return response
    paged = [region for region, _ in listing if region.css(pager_css)]
    if paged:
        return paged[-1]
    return max(reversed(listing), key=lambda pair: pair[1])[0]


def page_links(response: TextResponse, site: Site) -> PageLinks:
    """Article links anywhere on the page, pagination links of its listing, and the items and
    dates of the section's own listing (abstracts, title list or table alike)."""
    articles = article_links(response, site)
    listings = [u for u in site_links(response, site, selector(site, "pager"))
                if not is_action_url(u) and not article_key_from_url(u, site.url_shape)]
    scope = _listing_portlet(response, site)
    own = dict.fromkeys(urljoin(response.url, href.strip()).split("#", 1)[0]
                        for href in scope.css(selector(site, "listing_item")).getall())
    known = set(articles)
    items = [u for u in own if u in known]  # in the listing's own order
    return PageLinks(articles, listings, items, listing_dates(scope, selector(site, "listing_date")))


def canonical_article_url(url: str, site: Site, key: str) -> str:
    """One URL per article whatever variant led to it: canonical host, fixed parameters."""
    base = site.on_primary_host(url).split("?", 1)[0]
    if site.url_shape != "asset_publisher":
        return base
    if not key.isdigit():
        return site.on_primary_host(url)
    parts = urlsplit(base)
    params = [*CANONICAL_PARAMS, ("_101_assetEntryId", key), ("_101_type", "content")]
    return f"{parts.scheme}://{parts.netloc}{page_path(parts.path)}?{urlencode(params)}"


def article_container(response: TextResponse, site: Site, url_key: str | None):
    """The container of the article the URL names (module docstring), or None."""
    css = selector(site, "container")
    root = response.selector.root
    if url_key and url_key.isdigit():
        own_id = re.compile(rf"(?<!\d){url_key}$")
        for element in common.iter_elements(root, css):
            if own_id.search(element.get("id", "")):
                return element
    block_css = selector(site, "full_content")
    if not block_css:
        return first_element(root, css)
    block = first_element(root, block_css)
    return first_element(block, css) if block is not None else None


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
    url_key = article_key_from_url(response.url, site.url_shape)
    container = article_container(response, site, url_key)
    if container is None:
        return None
    page = ArticlePage(response, site, SELECTORS, container=container)
    id_match = CONTAINER_ID.search(container.get("id", ""))
    key = id_match.group(1) if id_match else url_key
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
