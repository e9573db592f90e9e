"""The Liferay parser and cleaning on saved pages: exact metadata, every paragraph, no furniture."""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit
from datetime import datetime

import pytest

from tests.conftest import REPO_ROOT, fixture_pages
from wardcrawl.archive.extract import extract
from wardcrawl.parsers import liferay
from wardcrawl.sites import registry

ARTICLES = [p for p in fixture_pages("liferay") if "title" in p.expected]
LISTINGS = [p for p in fixture_pages("liferay") if "article_urls" in p.expected]


def _extract(page):
    captured = datetime.fromisoformat(page.meta["captured_at"])
    return extract(registry()[page.meta["site"]], page.response(), captured)


def test_fixture_set_covers_the_odd_shapes():
    names = {p.name for p in ARTICLES}
    assert {"longbien-seed-000", "longbien-nfd-gallery", "longbien-midnight-date-in-body",
            "longbien-no-view-count", "longbien-alias-host", "longbien-viewmode-url",
            "hanoi-liferay-seed-004", "badinh-friendly-midnight", "giangbien-br-paragraphs"} <= names


def test_seed_000_matches_the_seed_text_exactly():
    page = next(p for p in ARTICLES if p.name == "longbien-seed-000")
    record = _extract(page).record
    seed = (REPO_ROOT / "mirror" / "data" / "000_54ed4307d0d659f7.txt").read_text(encoding="utf-8").splitlines()
    assert record["title"] == ("Đồng chí Vũ Thị Thân – UVTV, Trưởng ban Tổ chức Quận ủy làm việc với Đảng ủy phường "
                               "Thượng Thanh về kết quả công tác 9 tháng đầu năm 2021")
    assert record["published_at"] == "2021-09-29T22:22:00+07:00"
    assert record["published_raw"] == "Ngày đăng 29/09/2021 | 22:22"
    assert record["section"] == "Hoạt động các phường"
    assert record["view_count"] == 267
    seed_paragraphs = [line.strip().replace("\u00a0", " ") for line in seed[4:] if line.strip()]
    assert seed_paragraphs[-1] == "Hình ảnh buổi làm việc :"
    assert record["body"].split("\n\n") == seed_paragraphs[:-1]
    assert record["gallery_title"] == "Hình ảnh buổi làm việc :"
    assert len(record["images"]) == 3


def test_nfd_page_comes_out_nfc():
    page = next(p for p in ARTICLES if p.name == "longbien-nfd-gallery")
    raw = page.html.read_bytes().decode("utf-8")
    heading = raw[raw.index('<h1 class="header-title">'):raw.index("</h1>", raw.index('<h1 class="header-title">'))]
    assert "Ngọc Thụy" not in heading and unicodedata.normalize("NFD", "Ngọc Thụy") in heading  # really NFD
    record = _extract(page).record
    assert "Ngọc Thụy" in record["title"] and "Ngọc Thụy" in record["body"]


def test_url_variants_give_one_id_and_one_canonical_url():
    variants = [p for p in ARTICLES if p.name in ("longbien-alias-host", "longbien-viewmode-url")]
    records = [_extract(p).record for p in variants]
    assert {r["id"] for r in records} == {"longbien:15239407"}
    assert len({r["canonical_url"] for r in records}) == 1
    assert records[0]["url"].startswith("http://portal.longbien.gov.vn/web/guest/")


@pytest.mark.parametrize("page", LISTINGS, ids=lambda p: p.name)
def test_listing_links(page):
    site = registry()[page.meta["site"]]
    links = liferay.page_links(page.response(), site)
    assert set(page.expected["article_urls"]) <= set(links.articles)
    assert sorted(links.listings) == sorted(page.expected["listing_pages"])
    for url in links.articles + links.listings:
        assert urlsplit(url).hostname in site.hosts
        assert not liferay.is_action_url(url)
    assert [liferay.listing_page_number(u) for u in links.listings] == \
        [liferay.listing_page_number(u) for u in page.expected["listing_pages"]]


@pytest.mark.parametrize("url, key", [
    ("http://longbien.hanoi.gov.vn/vanhoa?p_p_id=101&p_p_lifecycle=0&_101_assetEntryId=42&_101_urlTitle=x", "42"),
    ("http://longbien.hanoi.gov.vn/vanhoa?_101_urlTitle=x&p_p_state=maximized&_101_assetEntryId=42", "42"),
    ("http://portal.longbien.gov.vn/web/guest/vanhoa?p_p_id=101&_101_assetEntryId=42", "42"),
    ("http://longbien.hanoi.gov.vn/vanhoa?p_p_id=101&_101_viewMode=view&_101_urlTitle=mung-ang", "t:mung-ang"),
    ("http://longbien.hanoi.gov.vn/vanhoa?p_p_id=101&p_p_lifecycle=1&_101_assetEntryId=42", None),
    ("http://longbien.hanoi.gov.vn/vanhoa?p_p_id=101&_101_cur=3", None),
    ("http://longbien.hanoi.gov.vn/vanhoa", None),
])
def test_article_key_from_url(url, key):
    assert liferay.article_key_from_url(url) == key


@pytest.mark.parametrize("url, shape, key", [
    ("http://haibatrung.hanoi.gov.vn/phong-y-te/-/view_content/4564130-kiem-tra-an-toan.html", "friendly", "4564130"),
    ("http://badinh.hanoi.gov.vn/khoi-phuong/-/view_content/155546--9-40.html", "friendly", "155546"),
    ("http://badinh.hanoi.gov.vn/khoi-phuong?p_p_id=101_INSTANCE_Bd7Lm2&_101_INSTANCE_Bd7Lm2_cur=2", "friendly", None),
    ("http://hanoi.gov.vn/tintuc_sukien/-/hn/hn9dsr/4/2280981/1/pho-bi-thu.html", "hn_portal", "2280981"),
    ("http://hanoi.gov.vn/tintuc_sukien?p_p_id=hnportal_WAR_hnportalportlet&_hnportal_WAR_hnportalportlet_cur=3",
     "hn_portal", None),
])
def test_article_key_from_url_by_shape(url, shape, key):
    assert liferay.article_key_from_url(url, shape) == key


@pytest.mark.parametrize("url, page", [
    ("http://x.vn/a?_101_cur=3", 3),
    ("http://x.vn/a?p_p_id=101_INSTANCE_Bd7Lm2&_101_INSTANCE_Bd7Lm2_cur=4", 4),
    ("http://x.vn/a?_hnportal_WAR_hnportalportlet_cur=2", 2),
    ("http://x.vn/a", 1),
    ("http://x.vn/a?_101_cur=abc", 1),
    ("http://x.vn/a?_101_curious=7", 1),
])
def test_listing_page_number(url, page):
    assert liferay.listing_page_number(url) == page


def test_links_never_leave_the_site_or_use_other_schemes():
    html = b"""<html><body>
    <a href="http://hanoi.gov.vn/vanhoa?_101_assetEntryId=1">offsite</a>
    <a href="mailto:x@longbien.hanoi.gov.vn">mail</a><a href="javascript:void(0)">js</a>
    <a href="file:///C:/a.doc?_101_assetEntryId=2">file</a>
    <a href="http://192.168.1.10/x?_101_assetEntryId=3">private</a>
    <a href="/vanhoa?p_p_lifecycle=1&_101_assetEntryId=4">action</a>
    <a href="/vanhoa?p_p_lifecycle=0&_101_assetEntryId=5">ok</a></body></html>"""
    from wardcrawl.archive.extract import make_response
    response = make_response("http://longbien.hanoi.gov.vn/vanhoa", html, {"Content-Type": "text/html; charset=utf-8"})
    links = liferay.page_links(response, registry()["longbien"])
    assert links.articles == ["http://longbien.hanoi.gov.vn/vanhoa?p_p_lifecycle=0&_101_assetEntryId=5"]


SIDEBAR_BEFORE_ARTICLE = """<html><head><title>Trang</title></head><body>
<div class="portlet-boundary" id="left"><section class="portlet"><h1 class="portlet-title">
<span class="portlet-title-text">Tin nổi bật</span></h1>
<div class="taglib-header"><h1 class="header-title">Tiêu đề của tin bên lề</h1></div>
<div class="asset-publish-date">Ngày đăng 01/01/2020 | 08:00</div></section></div>
<div class="portlet-boundary" id="main"><section class="portlet"><h1 class="portlet-title">
<span class="portlet-title-text">Tin hoạt động</span></h1>
<div class="taglib-header"><h1 class="header-title">Tiêu đề bài chính</h1></div>
<div class="asset-full-content"><div class="asset-publish-date">Ngày đăng 02/03/2021 | 09:15</div>
<div class="asset-content" id="_101_INSTANCE_x_777"><div class="journal-content-article">
<p>Đoạn thứ nhất của bài.</p></div></div></div></section></div></body></html>"""


def _article_from(html: str, **selectors):
    from dataclasses import replace

    from wardcrawl.archive.extract import make_response

    site = registry()["longbien"]
    site = replace(site, selectors={**site.selectors, **selectors})
    response = make_response("http://longbien.hanoi.gov.vn/vanhoa", html.encode("utf-8"),
                             {"Content-Type": "text/html; charset=utf-8"})
    return liferay.parse_article(response, site)


def test_fields_come_from_the_article_portlet_not_an_earlier_sidebar():
    article = _article_from(SIDEBAR_BEFORE_ARTICLE)
    assert (article.title, article.section, article.published_raw) == \
        ("Tiêu đề bài chính", "Tin hoạt động", "Ngày đăng 02/03/2021 | 09:15")
    assert article.body == "Đoạn thứ nhất của bài."


def test_region_override_widens_or_narrows_where_fields_are_found():
    whole_page = _article_from(SIDEBAR_BEFORE_ARTICLE, region="body")
    assert whole_page.title == "Tiêu đề của tin bên lề Tiêu đề bài chính"  # the sidebar bleeds in, as asked
    only_article = _article_from(SIDEBAR_BEFORE_ARTICLE, region="div.asset-full-content")
    assert only_article.title == "Trang"  # no header inside: the page's <title>, by the documented fallback
    assert only_article.published_raw == "Ngày đăng 02/03/2021 | 09:15"


def test_no_region_around_the_container_means_the_whole_page():
    html = SIDEBAR_BEFORE_ARTICLE.replace('class="portlet-boundary"', 'class="column"')
    assert _article_from(html).title == "Tiêu đề của tin bên lề Tiêu đề bài chính"
