"""Helpers every family parser shares: selectors with per-site overrides, text, links."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urljoin, urlsplit

from lxml import etree
from cssselect import SelectorError
from cssselect import parse as parse_css
from cssselect.parser import CombinedSelector
from parsel.csstranslator import HTMLTranslator
from scrapy.http import TextResponse

from wardcrawl.text.decoding import encoding_of
from wardcrawl.parsers.html_blocks import element_blocks, split_captions
from wardcrawl.text.dates import parse_date

if TYPE_CHECKING:
    from wardcrawl.sites import Site

ALL_LINKS = "a::attr(href)"


def selector(site: Site, defaults: dict[str, str], name: str) -> str:
    """The family default for ``name``, unless the site's registry entry overrides it."""
    return site.selectors.get(name, defaults[name])


def text_of(nodes: list) -> str:
    """All text of lxml matches (elements' text nodes, as ``::text`` finds them; strings as they
    are), whitespace collapsed (no-break spaces too) and composed (NFC), so that labels and dates
    read alike however the page spelled them ("Lượt xem" decomposed, "Ngày\u00a0đăng")."""
    parts = []
    for node in nodes:
        parts.extend([node] if isinstance(node, str) else node.itertext())
    text = " ".join(" ".join(parts).split())
    return text if text.isascii() or unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


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


def body_and_images(page: ArticlePage) -> tuple[list[str], list[dict]]:
    """Paragraphs and captioned images of the body; images on the site mapped to its canonical host."""
    body = [node for node in page.nodes("body") if not isinstance(node, str)]
    paragraphs, images = split_captions(element_blocks(body[0], page.response.url) if body else [])
    for image in images:  # the same photo whichever host alias served the page
        if on_site(image["url"], page.site):
            image["url"] = page.site.on_primary_host(image["url"])
    return paragraphs, images


class ArticlePage:
    """An article page's container, and the region its fields are looked up in.

    The region is the nearest element around the container (or the container itself)
    matching the ``region`` selector, a single compound selector such as
    ``div.portlet-boundary``; the whole page when none does. Field selectors match inside the
    region only: a sidebar's heading never becomes the title, and no field costs a walk of
    the whole page (a page has ~10x more markup than its article). Selectors are CSS, with
    parsel's ``::text`` and ``::attr(name)``, compiled once to XPath and run on lxml nodes.
    """

    def __init__(self, response: TextResponse, site: Site, defaults: dict[str, str], container=None):
        """``container``: the article's element when the family parser picked it itself (Liferay:
        the one the URL names); else the first match of the ``container`` selector."""
        self.response, self.site, self.defaults = response, site, defaults
        container_css = selector(site, defaults, "container")
        if container is None and container_css:
            container = first_element(response.selector.root, container_css)
        self.container = container
        region_css = selector(site, defaults, "region")
        region = None
        if self.container is not None and region_css == container_css:
            region = self.container
        elif self.container is not None and region_css:
            around = _compiled(region_css, "ancestor-or-self::")(self.container)
            region = around[-1] if around else None  # ancestor-or-self comes in document order: nearest last
        self.region = region if region is not None else response.selector.root

    def nodes(self, name: str) -> list:
        """The field's matches inside the region (elements, or strings for ::text and ::attr);
        nothing when the site sets the selector to ""."""
        css = selector(self.site, self.defaults, name)
        return _compiled(css)(self.region) if css else []

    def text(self, name: str) -> str:
        """All text of the field's matches, whitespace collapsed."""
        return text_of(self.nodes(name))

    def first(self, name: str) -> str:
        """The field's first match as text: a ``::text``/``::attr`` string stripped, an element's text."""
        found = self.nodes(name)
        return text_of(found[:1]) if found else ""

    def strings(self, name: str) -> list[str]:
        return [str(n).strip() for n in self.nodes(name) if isinstance(n, str) and n.strip()]


# "div.asset-content", ".detail-page.afcbc": a tag and/or classes, nothing else.
XPATH_SPACE = re.compile(r"[ \t\r\n]+")  # what XPath's normalize-space() (cssselect's class test) splits on
TAG_AND_CLASSES = re.compile(r"^([a-zA-Z][a-zA-Z0-9]*)?((?:\.-?[_a-zA-Z][_a-zA-Z0-9-]*)+)$")


@lru_cache(maxsize=256)
def _simple_group(css: str) -> tuple[tuple[str | None, tuple[str, ...]], ...] | None:
    """``css`` as (tag or None, classes) per comma-separated part when every part is a plain
    ``tag.class`` selector; None when any part is something else (it goes through XPath)."""
    parts = []
    for part in css.split(","):
        simple = TAG_AND_CLASSES.match(part.strip())
        if simple is None:
            return None
        parts.append(((simple.group(1) or "").lower() or None, tuple(simple.group(2)[1:].split("."))))
    return tuple(parts)


def _walk_matches(root, group: tuple[tuple[str | None, tuple[str, ...]], ...]):
    """Elements under ``root`` (or ``root`` itself) matching any (tag, classes) of ``group``, in document order.

    lxml filters the tags in C; a substring test comes first, since most elements' classes do not
    even contain the name. The same test XPath makes, without building a string per element."""
    tags = {tag for tag, _ in group}
    walk = root.iter(etree.Element) if None in tags else root.iter(*tags)
    for element in walk:
        names = element.get("class")
        if not names:
            continue
        for tag, classes in group:
            if (tag is None or element.tag == tag) and classes[0] in names and \
                    all(name in XPATH_SPACE.split(names) for name in classes):
                yield element
                break


def first_element(root, css: str):
    """The first element under ``root`` (or ``root`` itself) matching ``css``, in document order; None if none.

    Plain ``tag.class`` selectors and groups of them (what container selectors are) are matched while
    walking the tree, and the walk stops at the first match: the article container sits mid-page, and
    an XPath evaluation visits every node and builds a string per element. Other selectors go through XPath."""
    return next(iter_elements(root, css), None)


def elements(root, css: str) -> list:
    """Every element under ``root`` (or ``root`` itself) matching ``css``, in document order."""
    return list(iter_elements(root, css))


def iter_elements(root, css: str):
    """``elements``, lazily: a plain ``tag.class`` selector (or group of them) walks no further than
    the caller reads."""
    group = _simple_group(css)
    if group is not None:
        return _walk_matches(root, group)
    return (node for node in _compiled(css)(root) if not isinstance(node, str))


def matches(root, css: str) -> list:
    """What ``css`` matches under ``root`` (elements, or strings for ``::text``/``::attr``), in document order."""
    return _compiled(css)(root)


def in_head(root, css: str) -> list:
    """What ``css`` matches in the page's <head> (nothing when it has none).

    Links and metadata (canonical, JSON-LD) are in the head of most pages: looking there first
    spares a walk of the whole document; callers look at the whole page
    (``matches``) only when the head gives nothing. The head comes first in document order, so the
    first match is the same either way."""
    head = root.find("head")
    return _compiled(css)(head) if head is not None else []


@lru_cache(maxsize=256)
def _compiled(css: str, prefix: str = "descendant-or-self::") -> etree.XPath:
    """A CSS selector as compiled XPath (parsel's translation: ``::text``, ``::attr()``); ``prefix``
    "ancestor-or-self::" gives the ancestors matching a compound selector."""
    return etree.XPath(HTMLTranslator().css_to_xpath(css, prefix=prefix), smart_strings=False)


def is_compound_selector(css: str) -> bool:
    """Whether ``css`` names one element by its own tag, classes, id or attributes."""
    try:
        parsed = parse_css(css)
    except SelectorError:
        return False
    return len(parsed) == 1 and not isinstance(parsed[0].parsed_tree, CombinedSelector) and not parsed[0].pseudo_element


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
