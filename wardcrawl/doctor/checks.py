"""What doctor checks on a fetched page: pure functions of a response and the site.

Selectors come from the family parser's named constants (``FAMILY_SELECTORS``) with the
site's registry overrides on top, so the tables follow the parsers when they change.
Listing selectors are ``pager``, ``api`` and the ``listing_*`` ones, looked up on the whole
page as the spiders do; the others are article fields, looked up as the parser looks them
up (``ArticlePage``: inside the region around the container).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from scrapy.http import TextResponse

from wardcrawl.text.decoding import encoding_of
from wardcrawl.parsers import FAMILY_SELECTORS
from wardcrawl.parsers.common import ArticlePage, listing_dates, text_of
from wardcrawl.sites import Site

# A page of that kind is unusable without these; the others may be absent on a healthy page
# (a last listing page has no pager, many articles have no lead or keywords).
REQUIRED_ARTICLE = ("container", "title", "body")
REQUIRED_LISTING = ("listing_item",)
SAMPLE_CHARS = 70


@dataclass
class Row:
    name: str
    css: str
    source: str  # "family" or "site" (a registry override)
    required: bool
    count: int | None  # matches; None when the site sets the selector to "" (not used)
    sample: str = ""

    @property
    def verdict(self) -> str:
        if self.count is None:
            return "not used by this site"
        if self.count:
            return f"found {self.count}"
        return "MISSING" if self.required else "missing (optional)"


@dataclass
class PageCheck:
    kind: str  # robots, listing, api, article
    url: str
    status: int | None = None
    saved: str | None = None  # file name of the saved page
    encoding: str = ""
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what else was found: dates, links, the walk
    misses: list[str] = field(default_factory=list)  # what makes doctor exit 1
    error: str | None = None  # a network failure in words (exit 2)
    group: int = 0  # the section the page belongs to (its number in the registry); 0: robots.txt


def is_listing_selector(name: str) -> bool:
    return name in ("pager", "api") or name.startswith("listing_")


def selectors_of(site: Site, listing: bool) -> list[tuple[str, str, str]]:
    """(name, css, source) of the family's selectors for a listing or an article page."""
    defaults = FAMILY_SELECTORS[site.family]
    return [(name, site.selectors.get(name, css), "site" if name in site.selectors else "family")
            for name, css in defaults.items() if is_listing_selector(name) == listing]


def _short(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= SAMPLE_CHARS else text[: SAMPLE_CHARS - 1] + "…"


def _describe(node) -> str:
    """A match as text: a string as it is, an element's text, or its tag and attributes."""
    if isinstance(node, str):
        return _short(node)
    text = text_of([node])
    if text:
        return _short(text)
    attrs = " ".join(f'{k}="{v}"' for k, v in node.attrib.items())
    return _short(f"<{node.tag} {attrs}>")


def encoding_line(response: TextResponse) -> str:
    info = encoding_of(response)
    declared = info.get("declared") or "none"
    return f"{info.get('used')} (declared: {declared}; decided by: {info.get('reason') or 'scrapy'})"


def listing_rows(response: TextResponse, site: Site) -> list[Row]:
    rows = []
    for name, css, source in selectors_of(site, listing=True):
        if not css:
            rows.append(Row(name, css, source, name in REQUIRED_LISTING, None))
            continue
        found = response.css(css)
        sample = _describe(found[0].root) if found else ""
        rows.append(Row(name, css, source, name in REQUIRED_LISTING, len(found), sample))
    return rows


def article_rows(response: TextResponse, site: Site) -> list[Row]:
    page = ArticlePage(response, site, FAMILY_SELECTORS[site.family])
    rows = []
    for name, css, source in selectors_of(site, listing=False):
        required = name in REQUIRED_ARTICLE
        if not css:
            rows.append(Row(name, css, source, required, None))
        elif name == "container":
            found = page.container is not None
            rows.append(Row(name, css, source, required, int(found), _describe(page.container) if found else ""))
        elif name == "region":
            found = page.region is not response.selector.root
            tag = f"<{page.region.tag} class=\"{page.region.get('class', '')}\">" if found else ""
            rows.append(Row(name, css, source, required, int(found), _short(tag)))
        else:
            nodes = page.nodes(name) if page.container is not None else []
            sample = _short(text_of(nodes)) if nodes else ""
            rows.append(Row(name, css, source, required, len(nodes), sample))
    return rows


def listing_date_note(response: TextResponse, site: Site) -> str:
    css = site.selectors.get("listing_date", FAMILY_SELECTORS[site.family].get("listing_date", ""))
    dates = listing_dates(response, css) if css else []
    if not dates:
        return "dates: none parsed beside the items"
    return f"dates: {len(dates)} parsed, newest {max(dates).isoformat()}, oldest {min(dates).isoformat()}"


def missing_required(rows: list[Row]) -> list[str]:
    return [f"selector {r.name} ({r.css!r}, {r.source}) matched nothing" for r in rows
            if r.required and r.count == 0]
