"""Capture fixture pages from the mirror over real HTTP, with the expected record beside each.

    python -m mirror.capture            # rewrites tests/fixtures/<family>/

Each fixture is three files: ``<site>-<name>.html`` (raw bytes as served),
``.meta.json`` (site, url, status, headers, frozen capture time) and ``.expected.json``.
The expected record comes from the mirror's ground truth (``expected_record``), never
from the parser under test.
"""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from pathlib import Path

from mirror import corpus
from mirror.server import REPO_ROOT, running_mirror
from mirror.hanoicms import HanoiCmsSite
from mirror.sites import build_sites, site
from wardcrawl.sites import registry

FIXTURES = REPO_ROOT / "tests" / "fixtures"
CAPTURED_AT = "2026-11-22T21:00:00+07:00"  # frozen: fixtures do not depend on the clock

# Which article shows a shape: a fixed entry id, or the first article matching a predicate.
SHAPES = {
    "gallery": lambda a: bool(a.gallery_intro),
    "inline-photo": lambda a: bool(a.images) and not a.gallery_intro,
    "br": lambda a: a.br_paragraphs,
    "gallery+print": lambda a: bool(a.gallery_intro) and a.print_links_in_body,
    "byline+caption": lambda a: bool(a.byline) and any(c for _, c in a.images),
    "any": lambda a: True,
}
# site -> [(fixture name, entry id or shape, URL variant)]
ARTICLES = {
    "longbien": [
        ("seed-000", corpus.SEED_000_ID, "standard"),
        ("nfd-gallery", corpus.NFD_ENTRY_ID, "standard"),
        ("midnight-date-in-body", corpus.MIDNIGHT_ENTRY_ID, "standard"),
        ("no-view-count", corpus.NO_VIEWS_ENTRY_ID, "standard"),
        ("alias-host", corpus.VARIANT_ENTRY_ID, "alias"),
        ("viewmode-url", corpus.VARIANT_ENTRY_ID, "viewmode"),
        ("gallery-print-links", "gallery+print", "standard"),
        ("inline-photo", "inline-photo", "maximized"),
    ],
    "giangbien": [("viewmode-listing-link", "any", "viewmode"), ("br-paragraphs", "br", "standard")],
    "thuongthanh": [("gallery", "gallery", "standard")],
    "phucdong": [("inline-photo", "inline-photo", "standard")],
    "haibatrung": [("friendly-view-count", "any", "standard"), ("gallery", "gallery", "standard")],
    "badinh": [("friendly-midnight", "inline-photo", "standard")],
    "hanoi-liferay": [("seed-004", corpus.SEED_004_ID, "standard"), ("byline-caption", "byline+caption", "standard")],
    "hanoi": [("hnp-lead-gallery", "gallery", "standard"), ("inline-photo", "inline-photo", "standard"),
              ("directive", "nth:12", "standard"), ("jsonld-time", "variant:jsonld_time", "standard"),
              ("jsonld-title", "variant:jsonld_title", "standard"), ("word-wrapped", "variant:wrapped", "standard"),
              ("short-id", "short-id", "short"), ("www-host", "nth:5", "host:www.hanoi.gov.vn"),
              ("thudo-host", "nth:6", "host:thudo.gov.vn")],
    "viethung": [("byline-keywords", "any", "standard"), ("announcement", "nth:10", "standard"),
                 ("odd-label", "variant:odd_label", "standard")],
    "caugiay": [("gallery", "gallery", "standard"), ("plain", "nth:7", "standard")],
    # The older layout (div.detail-page).
    "duongnoi": [("older-layout-photo", "inline-photo", "standard"), ("older-layout", "nth:12", "standard")],
    "thanhuyhanoi": [("commune-unit", "xa-hat-mon", "standard"), ("district-unit", "huyen-gia-lam", "standard"),
                     ("city-unit", "thuong-truc-thanh-uy", "standard"), ("unit-not-in-registry", "xa-phu-dong", "standard"),
                     ("ward-unit", "phuong-viet-hung", "standard"), ("district-unit-2", "quan-long-bien", "standard"),
                     ("gallery", "gallery", "standard")],
}


def _pick(mirror_site, which: int | str):
    """By entry id, by shape, or (thanhuyhanoi.vn) the first article of a unit."""
    if isinstance(which, int):
        return mirror_site.by_id[which]
    if which.startswith("nth:"):
        return mirror_site.articles[int(which[4:])]
    if which.startswith("variant:"):  # a new-CMS page shape (mirror/hanoicms.py HanoiCmsSite.variant)
        return [a for a in mirror_site.articles if mirror_site.variant(a, which[8:])][-1]
    if which == "short-id":
        return mirror_site.by_id[list(mirror_site.short_ids)[-1]]
    if which not in SHAPES:
        return next(a for a in mirror_site.articles if a.section_path.endswith("/" + which))
    return next(a for a in mirror_site.articles if SHAPES[which](a) and a.entry_id != corpus.SEED_004_ID)


def _listing_fixture(mirror_site) -> tuple[str, dict]:
    """A listing page's URL and what a parser must find on it."""
    path = next(iter(mirror_site.sections))
    if isinstance(mirror_site, HanoiCmsSite):  # the category page: news-items, ?page=N links where printed
        url = f"{mirror_site.base}{path}"
        shown = mirror_site.page_items(path, 1)
        expected = {"article_urls": [mirror_site.article_url(a) for a in shown],
                    "data_ids": [str(a.entry_id) for a in shown],
                    "item_dates": [a.day.isoformat() for a in shown],
                    "listing_pages": [f"{url}?page={n}" for n in range(1, mirror_site.last_page(path) + 1)]
                    if mirror_site.html_pager else []}
        return url, expected
    url = mirror_site.listing_url(path, 2)
    shown = mirror_site.in_section(path)[5:10]
    variant = getattr(mirror_site, "listing_variant", "standard")
    return url, {"article_urls": [mirror_site.article_url(a, variant) for a in shown],
                 "listing_pages": [mirror_site.listing_url(path, n)
                                   for n in range(1, mirror_site.last_page(path) + 1) if n != 2]}


def _fetch(address: str, url: str) -> tuple[int, dict, bytes]:
    host, _, rest = url.split("://", 1)[1].partition("/")
    request = urllib.request.Request(f"http://{address}/{rest}", headers={"Host": host})
    with urllib.request.urlopen(request) as response:
        return response.status, dict(response.headers.items()), response.read()


def _post(address: str, url: str, form: list[tuple[str, str]]) -> tuple[int, dict, bytes]:
    host, _, rest = url.split("://", 1)[1].partition("/")
    request = urllib.request.Request(f"http://{address}/{rest}", data=urllib.parse.urlencode(form).encode(),
                                     headers={"Host": host, "X-Requested-With": "XMLHttpRequest"})
    with urllib.request.urlopen(request) as response:
        return response.status, dict(response.headers.items()), response.read()


def _api_fixtures(address: str, folder: Path) -> None:
    """Listing-API answers (POST /api/NewsZone/NewsZone): a page of news-items (absolute and relative
    times), and the empty body past the end."""
    from mirror.hanoicms import API_PATH

    mirror_site = site("hanoi")
    path = next(iter(mirror_site.sections))
    shown = [str(a.entry_id) for a in mirror_site.page_items(path, 1)]
    fields = {**mirror_site.section_api[path], **mirror_site.api_values}
    values = [(name, fields[name]) for name in ("PageSize", "Catname", "LanguageId", "Site")]  # the portal's order
    url = f"{mirror_site.base}{API_PATH}"
    for name, page in (("api-page", 0), ("api-end", 9)):
        form = [("PageIndex", str(page)), *values, *(("DataIds[]", i) for i in shown)]
        items = mirror_site.api_items(path, page, set(shown))
        _save(folder, "hanoi", name, url, _post(address, url, form),
              {"form": form, "article_urls": [mirror_site.article_url(a) for a in items],
               "data_ids": [str(a.entry_id) for a in items], "item_dates": [a.day.isoformat() for a in items],
               "relative_times": sum(mirror_site.variant(a, "relative_time") for a in items), "listing_pages": []})


def _save(folder: Path, slug: str, name: str, url: str, fetched: tuple[int, dict, bytes], expected: dict) -> None:
    status, headers, body = fetched
    stem = folder / f"{slug}-{name}"
    stem.with_suffix(".html").write_bytes(body)
    meta = {"site": slug, "url": url, "status": status, "headers": headers, "captured_at": CAPTURED_AT}
    for suffix, data in (("meta", meta), ("expected", expected)):
        stem.with_suffix(f".{suffix}.json").write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n",
                                                        encoding="utf-8")


def main() -> None:
    for family in {s.family for s in registry().values()}:
        folder = FIXTURES / family
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*"):
            if "-gold-" not in old.name:  # the gold pages are mirror/gold.py's
                old.unlink()
    with running_mirror(Path("/tmp/wardcrawl-capture-access.log")) as mirror:
        for slug, wanted in ARTICLES.items():
            mirror_site, folder = site(slug), FIXTURES / registry()[slug].family
            for name, which, variant in wanted:
                article = _pick(mirror_site, which)
                url = mirror_site.article_url(article, variant)
                _save(folder, slug, name, url, _fetch(mirror.address, url),
                      {"url": url, **mirror_site.expected_record(article)})
        _api_fixtures(mirror.address, FIXTURES / "hanoicms")
        for mirror_site in build_sites():
            url, expected = _listing_fixture(mirror_site)
            folder = FIXTURES / registry()[mirror_site.slug].family
            _save(folder, mirror_site.slug, "listing", url, _fetch(mirror.address, url), expected)


if __name__ == "__main__":
    main()
