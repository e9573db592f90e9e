"""The new hanoi.gov.vn CMS (city portal since ~2018, the new ward/commune portals since 2025):
pure extraction. Every shape below is named with its public source in docs/sites/hanoicms.md.

Articles are ``/<category>/<slug>-<8 to 20 digits>.htm``, in ``div.news-detail`` (or the older
layout's container), title in its ``h1``, body ``div.detail-content.afcbc-body``, time in
``.news-info .time`` / ``.detail-time``, tags after "Từ khóa:", a canonical link and JSON-LD
(``headline``, ``datePublished``) in the head. Listings are ``div.news-item[data-id]`` items, on
category pages and in the answers of the listing API (``POST /api/NewsZone/NewsZone``), whose
``span.news-time`` carries the time in its ``title`` attribute (its text may be relative).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from scrapy.http import TextResponse

from wardcrawl.items import Article
from wardcrawl.parsers import common
from wardcrawl.parsers.common import ArticlePage, FamilyLinks, body_and_images, encoding_fields, href_hint, on_site
from wardcrawl.sites import SECTION_API_FIELDS, SITE_API_FIELDS
from wardcrawl.text.dates import parse_date
from wardcrawl.text.unicode import label_key

if TYPE_CHECKING:
    from wardcrawl.sites import Site

SELECTORS = {
    # div.news-detail: the sister host's detail pages; div.detail-page: the older layout (our mirror's guess).
    "container": "div.news-detail, div.detail-page",
    "region": "div.news-detail, div.detail-page",  # = container: fields are looked up inside the article
    "title": "h1",
    "author": "div.news-info .author",
    "time": "div.news-info .time, .detail-time",
    "lead": ".detail-sapo",
    "body": "div.detail-content.afcbc-body",
    "keywords": "div.detail-tags a::text",  # when no "Từ khóa:" label is found
    "section": "div.breadcrumb a.active::text",
    "canonical": "link[rel=canonical]::attr(href)",
    "json_ld": "script[type='application/ld+json']::text",
    "pager": "div.paging a::attr(href)",
    "listing_item": "div.news-item a::attr(href)",
    "listing_date": "div.news-item span.news-time::attr(title)",  # never the text: it may be "8 giờ trước"
    "data_ids": "div.news-item::attr(data-id)",
}
ARTICLE_PATH = re.compile(r"^/[a-z0-9-]+/[a-z0-9-]+-(\d{8,20})\.htm$")
API_PATH = "/api/NewsZone/NewsZone"
KEYWORDS_LABEL = label_key("Từ khóa")


def selector(site: Site, name: str) -> str:
    return common.selector(site, SELECTORS, name)


def article_key_from_url(url: str) -> str | None:
    match = ARTICLE_PATH.match(urlsplit(url).path)
    return match.group(1) if match else None


# The last path segment of an article URL ends "-<8 to 20 digits>.htm" (ARTICLE_PATH).
_LINKS = FamilyLinks(SELECTORS, article_key_from_url, href_hint(r"\d{8}\.htm"))
article_links = _LINKS.article_links  # article links on a page (or an API answer), in order
listing_items = _LINKS.listing_items  # the listing's own items (news-items), newest first
listing_links = _LINKS.listing_links  # plain HTML pagination links


def item_dates(response: TextResponse, site: Site) -> list[date]:
    """The dates of a listing's items, from ``span.news-time``'s title attribute only."""
    return common.listing_dates(response, selector(site, "listing_date"))


def data_ids(response: TextResponse, site: Site) -> list[str]:
    """The ids of the items a category page shows (sent as ``DataIds[]``, left out of the API's answers)."""
    return list(dict.fromkeys(v.strip() for v in response.css(selector(site, "data_ids")).getall() if v.strip()))


def is_empty_answer(response) -> bool:
    """The API's end (or its answer to wrong values): an empty body."""
    return not response.body.strip()


# ---- the listing API -----------------------------------------------------------------------
@dataclass(frozen=True)
class ListingApi:
    """One category's listing API: where to post, and the opaque values to replay."""

    url: str
    section: str  # the category's path
    values: tuple[tuple[str, str], ...]  # (field, value) in the order the portal's script sends them

    def form(self, page_index: int, shown: tuple[str, ...] = ()) -> list[tuple[str, str]]:
        """The form body: ``PageIndex`` (0-based), the opaque values, and the ids the category page showed."""
        return [("PageIndex", str(page_index)), *self.values, *(("DataIds[]", i) for i in shown)]


API_FIELDS = ("PageSize", "Catname", "LanguageId", "Site")  # Legal-Crawler's and the sister host's order


def page_api_values(response: TextResponse) -> dict[str, str]:
    """Listing-API values the category page itself carries, as hidden inputs or ``data-<field>``
    attributes. No public page shows either (unverified): read so that a portal that does works."""
    found = {}
    for name in API_FIELDS:
        value = (response.css(f"input[name='{name}']::attr(value)").get()
                 or response.css(f"[data-{name.lower()}]::attr(data-{name.lower()})").get())
        if value and value.strip():
            found[name] = value.strip()
    return found


def listing_api(response: TextResponse, site: Site) -> tuple[ListingApi | None, list[str]]:
    """The category's listing API (registry values winning over the page's), or None and the names of
    the missing values."""
    path = urlsplit(site.on_primary_host(response.url)).path
    section = site.section(path)
    values = {**page_api_values(response), **site.api, **(section.api if section else {})}
    missing = [name for name in (*SITE_API_FIELDS, *SECTION_API_FIELDS) if name not in values]
    if missing:
        return None, missing
    root = f"{site.scheme}://{site.host}"
    return ListingApi(root + API_PATH, path, tuple((k, values[k]) for k in API_FIELDS)), []


# ---- article pages ---------------------------------------------------------------------------
def json_ld(response: TextResponse, site: Site) -> dict:
    """The page's JSON-LD article object (``headline``, ``datePublished``...); empty when none parses."""
    root, css = response.selector.root, selector(site, "json_ld")
    return _article_object(common.in_head(root, css)) or _article_object(common.matches(root, css)) or {}


def _article_object(found: list) -> dict | None:
    """The first JSON-LD object of an article among the scripts' texts (or elements) found."""
    for text in found:
        try:
            data = json.loads(text if isinstance(text, str) else "".join(text.itertext()))
        except ValueError:
            continue
        candidates = data if isinstance(data, list) else [data, *(data.get("@graph") or [])] if isinstance(data, dict) else []
        for item in candidates:
            if isinstance(item, dict) and ("headline" in item or "datePublished" in item):
                return item
    return None


def keywords(page: ArticlePage) -> list[str]:
    """The links after the "Từ khóa:" label (matched on normalised text), else the ``keywords`` selector."""
    for element in page.region.iter("span", "strong", "b", "label", "div", "p"):
        own = (element.text or "").strip()
        if own and len(own) < 20 and label_key(own) == KEYWORDS_LABEL:
            holder = element.getparent() if not len(element) else element
            tags = [common.text_of([a]) for a in holder.iter("a")]
            return [t for t in tags if t]
    return page.strings("keywords")


def canonical_url(response: TextResponse, site: Site) -> str | None:
    """The page's canonical link when it names an article of this site (on its primary host)."""
    root, css = response.selector.root, selector(site, "canonical")
    found = common.in_head(root, css) or common.matches(root, css)
    href = found[0] if found else None
    if not isinstance(href, str) or not href.strip():
        return None
    url = urljoin(response.url, href.strip())
    return site.on_primary_host(url) if on_site(url, site) and article_key_from_url(url) else None


def parse_article(response: TextResponse, site: Site, *, fetched_at: str | None = None) -> Article | None:
    page = ArticlePage(response, site, SELECTORS)
    if page.container is None:
        return None
    canonical = canonical_url(response, site)
    # One article can answer under a short and a long id: the canonical link names the one it keeps.
    key = article_key_from_url(canonical or response.url)
    if not key:
        return None
    paragraphs, images = body_and_images(page)
    encoding = encoding_fields(response)
    quality = encoding.pop("quality")
    ld = json_ld(response, site)
    title = page.first("title")
    if not title and isinstance(ld.get("headline"), str) and ld["headline"].strip():
        title = ld["headline"].strip()
        quality.append("title_from_jsonld")
    published_raw = _published_raw(page.text("time"), ld.get("datePublished"), quality)
    author = page.text("author")
    return Article(
        id=f"{site.slug}:{key}",
        site=site.slug,
        url=response.url,
        canonical_url=canonical or site.on_primary_host(response.url).split("?", 1)[0],
        title=title,
        body="\n\n".join(paragraphs),
        section=page.first("section")
        or site.section_name(urlsplit(response.url).path.rsplit("/", 1)[0]),
        published_raw=published_raw,
        authors=[author] if author else [],
        lead=page.text("lead") or None,
        images=images,
        keywords=keywords(page),
        fetched_at=fetched_at,
        quality=quality,
        **encoding,
    )


def _published_raw(visible: str, from_ld, quality: list[str]) -> str | None:
    """The visible time; JSON-LD's ``datePublished`` where the visible one is missing or unreadable
    (``published_from_jsonld``) or names another moment (``published_disagrees_jsonld``: JSON-LD kept,
    being the machine-readable record; the visible text is often a relative or update time)."""
    shown = parse_date(visible) if visible else None
    ld = parse_date(from_ld) if isinstance(from_ld, str) else None
    if ld is None:
        return shown.raw if shown else (visible or None)
    if shown is None:
        quality.append("published_from_jsonld")
        return ld.raw
    width = 10 if "day" in (shown.precision, ld.precision) else 16  # compared to the minute, or the day
    if shown.iso[:width] != ld.iso[:width]:
        quality.append("published_disagrees_jsonld")
        return ld.raw
    return shown.raw
