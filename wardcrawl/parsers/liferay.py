"""Liferay 6.x portals (district portals, ward sub-sites): pure extraction.

Response in, fields out: no network, no state. Selectors are named constants so that a
layout change is fixed in one place; a page without the article container gives None
(the spider counts it as a layout miss).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from scrapy.http import TextResponse

from wardcrawl.items import Article
from wardcrawl.parsers.html_blocks import body_blocks, split_captions
from wardcrawl.sites import Site

# Selectors (Liferay 6.2 asset publisher, full content view, and the district themes).
ARTICLE_CONTAINER = "div.asset-content"
ARTICLE_BODY = "div.asset-content div.journal-content-article"
TITLE = "div.taglib-header h1.header-title"
PAGE_TITLE = "head > title::text"
SECTION_TITLE = "span.portlet-title-text::text"
DATE_LINE = "div.asset-publish-date"
PAGER_LINKS = "div.taglib-page-iterator a::attr(href), .lfr-pagination-buttons a::attr(href)"
ALL_LINKS = "a::attr(href)"

CONTAINER_ID = re.compile(r"_101_(\d+)$")
DATE_LINE_START = re.compile(r"^\s*Ngày đăng\b")
ARTICLE_ACTION = "/asset_publisher/view_content"
CANONICAL_PARAMS = [("p_p_id", "101"), ("p_p_lifecycle", "0"), ("p_p_state", "normal"),
                    ("p_p_mode", "view"), ("_101_struts_action", ARTICLE_ACTION)]


@dataclass(frozen=True)
class PageLinks:
    articles: list[str]
    listings: list[str]


def _params(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))


def is_action_url(url: str) -> bool:
    """Liferay action URLs (p_p_lifecycle=1) may change state: never follow them."""
    return _params(url).get("p_p_lifecycle") == "1"


def article_key_from_url(url: str) -> str | None:
    """The site's own article key from an article URL: assetEntryId, else "t:<urlTitle>"."""
    params = _params(url)
    if params.get("p_p_lifecycle", "0") != "0":
        return None
    entry = params.get("_101_assetEntryId", "")
    if entry.isdigit():
        return entry
    if params.get("_101_urlTitle"):
        return "t:" + params["_101_urlTitle"]
    return None


def listing_page_number(url: str) -> int:
    cur = _params(url).get("_101_cur", "1")
    return int(cur) if cur.isdigit() else 1


def _on_site(url: str, site: Site) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and (parts.hostname or "").lower() in site.hosts


def page_links(response: TextResponse, site: Site) -> PageLinks:
    """Article links anywhere on the page, and pagination links of its listing."""
    articles, listings = [], []
    for href in response.css(ALL_LINKS).getall():
        url = urljoin(response.url, href.strip())
        if _on_site(url, site) and not is_action_url(url) and article_key_from_url(url):
            articles.append(url)
    for href in response.css(PAGER_LINKS).getall():
        url = urljoin(response.url, href.strip())
        if _on_site(url, site) and not is_action_url(url) and not article_key_from_url(url):
            listings.append(url)
    return PageLinks(list(dict.fromkeys(articles)), list(dict.fromkeys(listings)))


def canonical_article_url(url: str, site: Site, entry_id: str) -> str:
    """One URL per article whatever variant led to it: primary host, fixed parameters."""
    base = site.on_primary_host(url).split("?", 1)[0]
    params = [*CANONICAL_PARAMS, ("_101_assetEntryId", entry_id), ("_101_type", "content")]
    return f"{base}?{urlencode(params)}"


def _text(selection) -> str:
    return " ".join(" ".join(selection.css("::text").getall()).split())


def _date_line_parts(line: str, site: Site) -> tuple[str | None, int | None]:
    """("Ngày đăng 29/09/2021 | 22:22", 267) from the page's date/view-count line."""
    labels = "|".join(re.escape(label) for label in site.labels["view_count"])
    views = re.search(rf"(?:{labels})\s*:\s*([\d.,]+)", line)
    raw = line[: views.start()] if views else line
    raw = raw.strip().rstrip("|").strip()
    count = int(re.sub(r"\D", "", views.group(1))) if views else None
    return (raw or None), count


def parse_article(response: TextResponse, site: Site, *, fetched_at: str | None = None) -> Article | None:
    """The article on a Liferay full-content page, or None when the page has none."""
    container = response.css(ARTICLE_CONTAINER)
    if not container:
        return None
    id_match = CONTAINER_ID.search(container.attrib.get("id", ""))
    key = id_match.group(1) if id_match else article_key_from_url(response.url)
    if not key:
        return None
    title = _text(response.css(TITLE)) or response.css(PAGE_TITLE).get("").split(" - ")[0].strip()
    blocks = body_blocks(response.css(ARTICLE_BODY).get(""), response.url)
    paragraphs, images = split_captions(blocks)
    for image in images:  # the same photo whichever host alias served the page
        if _on_site(image["url"], site):
            image["url"] = site.on_primary_host(image["url"])

    date_line = _text(response.css(DATE_LINE))
    if not date_line:  # migrated items print the date line inside the body
        date_line = next((p for p in paragraphs[:3] if DATE_LINE_START.match(p)), "")
    published_raw, view_count = _date_line_parts(date_line, site)

    section = response.css(SECTION_TITLE).get("").strip() or site.section_name(urlsplit(response.url).path)
    return Article(
        id=f"{site.slug}:{key}",
        site=site.slug,
        url=response.url,
        canonical_url=canonical_article_url(response.url, site, key) if key.isdigit() else site.on_primary_host(response.url),
        title=title,
        body="\n\n".join(paragraphs),
        section=section or None,
        published_raw=published_raw,
        images=images,
        view_count=view_count,
        fetched_at=fetched_at,
        encoding=response.encoding,
    )
