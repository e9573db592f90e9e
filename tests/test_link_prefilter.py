"""The href prefilter of the article-link functions drops only hrefs that cannot be article links:
on every fixture page, every page of the mirror and a page of awkward hrefs, the families'
``article_links`` give exactly what the plain path gives (every href joined, parsed and keyed)."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from mirror.sites import build_sites
from wardcrawl.text.decoding import decoded_response
from wardcrawl.archive.extract import make_response
from wardcrawl.parsers import common, hanoicms, liferay, thanhuy
from wardcrawl.sites import registry, site_for_url
from tests.conftest import FIXTURES

KEYS = {"hanoicms": lambda url, site: hanoicms.article_key_from_url(url),
        "thanhuy": lambda url, site: thanhuy.article_key_from_url(url),
        "liferay": lambda url, site: not liferay.is_action_url(url) and liferay.article_key_from_url(url, site.url_shape)}
ARTICLE_LINKS = {"hanoicms": hanoicms.article_links, "thanhuy": thanhuy.article_links, "liferay": liferay.article_links}


def plain_article_links(response, site) -> list[str]:
    """The reference: every href of the page through urljoin, the host test and the article key."""
    found = []
    for href in response.css("a::attr(href)").getall():
        url = urljoin(response.url, href.strip())
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or (parts.hostname or "").lower() not in site.hosts:
            continue
        url = url.split("#", 1)[0]
        if url not in found and KEYS[site.family](url, site):
            found.append(url)
    return found


def response_for(url: str, body: bytes, content_type: str = "text/html; charset=utf-8"):
    return decoded_response(make_response(url, body, {"Content-Type": content_type}))


def fixture_responses():
    for meta_path in sorted(FIXTURES.glob("*/*.meta.json")):
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        html = Path(str(meta_path).removesuffix(".meta.json") + ".html")
        if meta.get("url") and html.exists():
            headers = {k: v for k, v in meta.get("headers", {}).items() if k.lower() == "content-type"}
            yield html.name, decoded_response(make_response(meta["url"], html.read_bytes(), headers))


FIXTURE_RESPONSES = list(fixture_responses())


def test_fixture_pages_cover_every_family_and_url_shape():
    shapes = {(site_for_url(r.url).family, site_for_url(r.url).url_shape) for _, r in FIXTURE_RESPONSES}
    assert shapes == {("liferay", "asset_publisher"), ("liferay", "friendly"), ("liferay", "hn_portal"),
                      ("hanoicms", "default"), ("thanhuy", "default")}


@pytest.mark.parametrize("name, response", FIXTURE_RESPONSES, ids=[n for n, _ in FIXTURE_RESPONSES])
def test_fixture_page_article_links_equal_the_plain_path(name, response):
    site = site_for_url(response.url)
    assert ARTICLE_LINKS[site.family](response, site) == plain_article_links(response, site)


def mirror_pages():
    """Every listing page and every article page of the mirror, as its server renders them."""
    for mirror in build_sites():
        slug = mirror.slug
        urls = [mirror.article_url(a) for a in mirror.articles]
        for path in mirror.sections:
            urls.append(mirror.base + path)
            if hasattr(mirror, "listing_url"):
                urls += [mirror.listing_url(path, n) for n in range(2, mirror.last_page(path) + 1)]
        for url in urls:
            parts = urlsplit(url)
            page = mirror.handle(parts.hostname, parts.path, parts.query)
            if page.status == 200 and page.content_type.startswith("text/html"):
                yield slug, url, page.body


def test_mirror_page_article_links_equal_the_plain_path():
    checked = found = 0
    for slug, url, body in mirror_pages():
        site = registry()[slug]
        response = response_for(url, body)
        fast = ARTICLE_LINKS[site.family](response, site)
        assert fast == plain_article_links(response, site), url
        checked += 1
        found += len(fast)
    assert checked > 250 and found > checked  # every article page, and links on them


# Awkward hrefs: relative ones that take their directories (or their whole path and query) from
# the page, alias hosts, protocol-relative, percent-encoded parameter names, tabs and newlines
# that urlsplit removes, control characters it strips, fragments, and furniture.
AWKWARD = [
    "", "#", "#top", "?", "?page=2", "javascript:;", "mailto:a@b.vn", "/", ".", "./", "..", "../",
    "//{host}/", "http://{alias}/", "https://{host}/tin-tuc",
    # Liferay asset publisher
    "?p_p_id=101&_101_assetEntryId=123456", "/tintuc?p_p_id=101&_101_struts_action=%2Fasset_publisher%2Fview_content"
    "&_101_assetEntryId=777", "http://{alias}/web/guest/tintuc?p_p_id=101&_101_assetEntryId=888",
    "/tintuc?p_p_id=101&_101_viewMode=view&_101_urlTitle=mot-bai", "/tintuc?p_p_id=101&_101%5FassetEntryId=999",
    "/tintuc?p_p_id=101&%5F101_urlTitle=hai-bai", "/tintuc?p_p_lifecycle=1&_101_assetEntryId=5",
    "/tintuc?_101_asset\tEntryId=55",
    # Liferay friendly and hn portal
    "123-bai-viet.html", "./124-bai-viet.html", "../view_content/125-bai.html", "/p/-/view_content/126-x.html",
    "/p/-/view_content/12\n7-x.html", "\x01/p/-/view_content/128-x.html",
    "/p/-/hn/abc/12/345/1/bai.html", "bai.html", "../../345/1/bai-khac.html",
    # new CMS and thanhuy
    "/tin-tuc/bai-viet-1234567890123.htm", "bai-2234567890123.htm", "/tin-tuc/bai-33456789012\n34.htm",
    "/tin-tuc/xa-phu-dong/bai-12345678.html", "bai-22345678.html", "../xa-ninh-hiep/bai-32345678.html?x=1#c",
    "http://evil.example/tin-tuc/xa-phu-dong/bai-42345678.html", " /tin-tuc/bai-4234567890123.htm ",
]
PAGE_URLS = {  # an article page and a listing page of each URL shape
    "longbien": ["http://longbien.hanoi.gov.vn/tintuc?p_p_id=101&p_p_lifecycle=0&_101_assetEntryId=42",
                 "http://portal.longbien.gov.vn/web/guest/tintuc"],
    "haibatrung": ["http://haibatrung.hanoi.gov.vn/p/-/view_content/42-bai.html", "http://haibatrung.hanoi.gov.vn/p"],
    "hanoi-liferay": ["https://hanoi.gov.vn/chi-dao/-/hn/abc/12/42/1/bai.html", "https://hanoi.gov.vn/chi-dao"],
    "hanoi": ["https://hanoi.gov.vn/tin-tuc/bai-1034567890123.htm", "https://hanoi.gov.vn/tin-tuc"],
    "thanhuyhanoi": ["https://thanhuyhanoi.vn/tin-tuc/xa-hat-mon/bai-10345678.html",
                     "https://thanhuyhanoi.vn/tin-tuc/xa-hat-mon"],
}


@pytest.mark.parametrize("slug, url", [(s, u) for s, urls in PAGE_URLS.items() for u in urls])
def test_awkward_hrefs_give_what_the_plain_path_gives(slug, url):
    site = registry()[slug]
    alias = site.aliases[0].host if site.aliases else site.host
    links = "".join(f'<a href="{h.format(host=site.host, alias=alias)}">x</a>' for h in AWKWARD)
    response = response_for(url, f"<html><body>{links}</body></html>".encode())
    expected = plain_article_links(response, site)
    assert ARTICLE_LINKS[site.family](response, site) == expected
    assert expected  # the page has links of the site's shape


def test_could_be_drops_furniture_but_keeps_own_path_links_on_an_article_page():
    hint = common.href_hint(r"\d{8}\.html")
    hrefs = ["/gioi-thieu", "#", "?print=1", "https://dichvucong.gov.vn/", "bai-12345678.html"]
    assert common.could_be(hrefs, hint, "https://thanhuyhanoi.vn/tin-tuc/u/bai-10345678.html") == \
        ["#", "?print=1", "bai-12345678.html"]
    assert common.could_be(hrefs, hint, "https://thanhuyhanoi.vn/tin-tuc/u") == ["bai-12345678.html"]
