"""Helpers every family parser shares: selectors with per-site overrides, text, links."""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urljoin, urlsplit

from lxml import etree
from scrapy.http import TextResponse

from wardcrawl.decoding import encoding_of
from wardcrawl.parsers.html_blocks import element_blocks, split_captions
from wardcrawl.text.dates import parse_date

if TYPE_CHECKING:
    from wardcrawl.sites import Site

ALL_LINKS = "a::attr(href)"


def selector(site: Site, defaults: dict[str, str], name: str) -> str:
    """The family default for ``name``, unless the site's registry entry overrides it."""
    return site.selectors.get(name, defaults[name])


def text_of(selection) -> str:
    """All text under a selection, whitespace collapsed."""
    return " ".join(" ".join(selection.css("::text").getall()).split())


def on_site(url: str, site: Site) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and (parts.hostname or "").lower() in site.hosts


def site_links(response: TextResponse, site: Site, css: str = ALL_LINKS, hint: re.Pattern | None = None) -> list[str]:
    """Absolute http(s) links on the site's own hosts, in page order, without repeats.

    ``hint``, when given, is a pattern that every href which could resolve to a wanted link
    contains (see ``could_be``): the other hrefs are dropped before any URL parsing. On an
    article page that is most of its ~150 links (menus, footers, service boxes)."""
    hrefs = all_hrefs(response) if css == ALL_LINKS else response.css(css).getall()
    if hint is not None:
        hrefs = could_be(hrefs, hint, response.url)
    urls = (urljoin(response.url, href.strip()) for href in hrefs)
    return list(dict.fromkeys(url.split("#", 1)[0] for url in urls if on_site(url, site)))


_ALL_HREFS = etree.XPath("//a/@href", smart_strings=False)  # = ALL_LINKS, without a Selector per link


def all_hrefs(response: TextResponse) -> list[str]:
    """Every link's raw href on the page, in page order (what ``response.css(ALL_LINKS).getall()`` gives)."""
    return _ALL_HREFS(response.selector.root)


# Characters urlsplit() removes or strips wherever they are (tabs, newlines) or at the start
# (C0 controls): an href holding one may not read as it looks, so it always goes the slow way.
_CONTROL = r"[\x00-\x1f]"


def href_hint(pattern: str) -> re.Pattern:
    """A prefilter for ``site_links``: ``pattern`` must be found in the raw href of every link it
    may keep. Write it from what the *last path segment* or the *query* of such a link must hold:
    a relative href takes the directories (and, with no path of its own, the path and query) from
    the page URL, never the last segment of a path it has, nor a query it has."""
    return re.compile(f"{pattern}|{_CONTROL}")


def could_be(hrefs: list[str], hint: re.Pattern, base: str) -> list[str]:
    """The hrefs that may resolve to a link ``hint`` was written for, in order: those that contain
    it, and those with no path of their own (``""``, ``?…``, ``#…``: the page's own path) when the
    page URL contains it."""
    search = hint.search
    own_path = search(base) is not None
    return [h for h in hrefs if search(h) or (own_path and h.strip()[:1] in ("", "?", "#"))]


def body_and_images(response: TextResponse, site: Site, body_css: str) -> tuple[list[str], list[dict]]:
    """Paragraphs and captioned images of the body; images on the site mapped to its canonical host."""
    body = response.css(body_css)
    paragraphs, images = split_captions(element_blocks(body[0].root, response.url) if body else [])
    for image in images:  # the same photo whichever host alias served the page
        if on_site(image["url"], site):
            image["url"] = site.on_primary_host(image["url"])
    return paragraphs, images


def listing_dates(response: TextResponse, css: str) -> list[date]:
    """Dates a listing prints beside its items (bounds `-a since=` walks); empty when it prints none."""
    found = (parse_date(text) for text in response.css(css).getall())
    return [date.fromisoformat(d.iso[:10]) for d in found if d]


def query_page_number(url: str, name: str = "page") -> int:
    """The page a ``?page=N`` listing URL asks for; 1 when it names none."""
    value = dict(parse_qsl(urlsplit(url).query)).get(name, "1")
    return int(value) if value.isdigit() else 1


def encoding_fields(response: TextResponse) -> dict:
    """The record's encoding fields, and quality flags when the bytes contradicted the declaration."""
    info = encoding_of(response)
    reason = info.get("reason") or ""
    quality = []
    if reason.startswith("legacy-font-"):
        quality.append("legacy_font_converted")
    elif info.get("declared") and reason in ("utf8-despite-header", "detected") and info["declared"] != info["used"]:
        quality.append("encoding_corrected")
    return {"encoding": info.get("used"), "encoding_declared": info.get("declared"), "quality": quality}


class FamilyLinks:
    """The link-finding functions a family's parser exports, from its selectors and its
    article-key function: article links anywhere, the listing's own items and dates, and
    plain pagination links."""

    def __init__(self, defaults: dict[str, str], article_key, hint: re.Pattern | None = None):
        """``hint``: what the raw href of every article link contains (``href_hint``)."""
        self.defaults, self.article_key, self.hint = defaults, article_key, hint

    def article_links(self, response: TextResponse, site: Site) -> list[str]:
        return [u for u in site_links(response, site, hint=self.hint) if self.article_key(u)]

    def listing_items(self, response: TextResponse, site: Site) -> list[str]:
        """The listing's own items, newest first (what incremental walks count)."""
        css = selector(site, self.defaults, "listing_item")
        return [u for u in site_links(response, site, css) if self.article_key(u)]

    def item_dates(self, response: TextResponse, site: Site) -> list[date]:
        return listing_dates(response, selector(site, self.defaults, "listing_date"))

    def listing_links(self, response: TextResponse, site: Site) -> list[str]:
        css = selector(site, self.defaults, "pager")
        return [u for u in site_links(response, site, css) if not self.article_key(u)]
