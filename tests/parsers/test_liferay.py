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
    assert {"soyte-friendly-sidebar-first", "soyte-friendly-by-id", "soyte-related-link-101", "soyte-other-scheme",
            "thuongthanh-instanced-sidebar-first"} <= names
    listings = {p.name: p.html.read_text(encoding="utf-8") for p in LISTINGS}
    assert 'class="asset-abstract' in listings["soyte-listing"]  # the three 6.2 display styles
    assert '<ul class="title-list">' in listings["giangbien-listing"]
    assert '<tbody class="table-data">' in listings["thuongthanh-listing"]
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
    heading = raw[raw.index('<h3 class="header-title">'):raw.index("</h3>", raw.index('<h3 class="header-title">'))]
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
    assert links.items == page.expected["article_urls"]  # the section's own listing, never a sidebar's
    assert len(links.dates) == len(links.items)
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


# ---- the article the URL names, every URL form ------------------------------------------------
ENTRY_ID_FORMS = [  # one article (entry 42, urlTitle "bai-x") in every form that carries its entry id
    "http://longbien.hanoi.gov.vn/vanhoa?p_p_id=101&p_p_lifecycle=0&_101_struts_action=%2Fasset_publisher%2Fview_content"
    "&_101_assetEntryId=42&_101_type=content&_101_urlTitle=bai-x",
    "https://longbien.hanoi.gov.vn/vanhoa?_101_urlTitle=bai-x&p_p_state=maximized&_101_assetEntryId=42&p_p_id=101",
    "http://portal.longbien.gov.vn/web/guest/vanhoa?p_p_id=101&_101_assetEntryId=42",
    "http://longbien.hanoi.gov.vn/vanhoa?p_p_id=101_INSTANCE_4IVkx5Jltnbg&p_p_lifecycle=0"
    "&_101_INSTANCE_4IVkx5Jltnbg_assetEntryId=42&_101_INSTANCE_4IVkx5Jltnbg_urlTitle=bai-x",
    "http://longbien.hanoi.gov.vn/vanhoa?p_p_id=101&p_p_state=maximized&_101_redirect=http%3A%2F%2Flongbien.hanoi.gov.vn"
    "%2Fvanhoa%3F_101_assetEntryId%3D7&_101_assetEntryId=42&_101_urlTitle=bai-x&inheritRedirect=true",
    "https://longbien.hanoi.gov.vn/vanhoa/-/asset_publisher/4IVkx5Jltnbg/content/id/42",
    "http://longbien.hanoi.gov.vn/vanhoa/-/asset_publisher/4IVkx5Jltnbg/content/id/42/maximized",
    "http://longbien.hanoi.gov.vn/vanhoa/-/view_content/42-bai-x.html",
    "https://longbien.hanoi.gov.vn/vanhoa/-/hn/hn9dsr/4/42/1/bai-x.html",
]
URL_TITLE_FORMS = [  # the forms that name only the urlTitle: keyed "t:<urlTitle>" until the page names the id
    "http://longbien.hanoi.gov.vn/vanhoa?p_p_id=101&_101_viewMode=view&_101_urlTitle=bai-x",
    "http://longbien.hanoi.gov.vn/vanhoa?p_p_id=101_INSTANCE_ab12&_101_INSTANCE_ab12_urlTitle=bai-x",
    "https://longbien.hanoi.gov.vn/vanhoa/-/asset_publisher/4IVkx5Jltnbg/content/bai-x",
    "http://longbien.hanoi.gov.vn/vanhoa/-/asset_publisher/4IVkx5Jltnbg/content/bai-x/10180",
    "http://longbien.hanoi.gov.vn/vanhoa/-/asset_publisher/4IVkx5Jltnbg/content/bai-x/maximized",
    "http://longbien.hanoi.gov.vn/vanhoa/-/asset_publisher/4IVkx5Jltnbg/content/bai-x?inheritRedirect=false"
    "&redirect=http%3A%2F%2Flongbien.hanoi.gov.vn%2Fvanhoa",
]
NOT_ARTICLES = [
    "http://longbien.hanoi.gov.vn/vanhoa/-/asset_publisher/4IVkx5Jltnbg/rss",
    "http://longbien.hanoi.gov.vn/vanhoa?p_p_id=101_INSTANCE_x&p_p_lifecycle=2&_101_INSTANCE_x_struts_action=%2Fasset_publisher%2Frss",
    "http://longbien.hanoi.gov.vn/vanhoa?p_p_id=101_INSTANCE_x&p_p_lifecycle=1&_101_INSTANCE_x_assetEntryId=42",
    "http://longbien.hanoi.gov.vn/vanhoa?p_p_id=101_INSTANCE_x&_101_INSTANCE_x_resetCur=false&_101_INSTANCE_x_cur=2",
    "http://longbien.hanoi.gov.vn/vanhoa/-/asset_publisher/4IVkx5Jltnbg/document/id/42",
]


@pytest.mark.parametrize("shape", ["asset_publisher", "friendly", "hn_portal"])
def test_every_url_form_gives_one_key(shape):
    assert {liferay.article_key_from_url(u, shape) for u in ENTRY_ID_FORMS} == {"42"}
    assert {liferay.article_key_from_url(u, shape) for u in URL_TITLE_FORMS} == {"t:bai-x"}
    assert {liferay.url_title_from_url(u) for u in URL_TITLE_FORMS} == {"bai-x"}
    assert [liferay.article_key_from_url(u, shape) for u in NOT_ARTICLES] == [None] * len(NOT_ARTICLES)


def test_every_url_form_of_one_article_gives_one_record():
    """One soyte article served under each of its URL forms: one id, one canonical URL, its own text."""
    from mirror.sites import site
    from wardcrawl.archive.extract import make_response

    mirror_site, registered = site("soyte"), registry()["soyte"]
    article = mirror_site.articles[6]
    records = []
    for variant in ("standard", "redirect", "by-id", "maximized", "related", "http"):
        url = mirror_site.article_url(article, variant)
        parts = urlsplit(url)
        page = mirror_site.handle(parts.hostname, parts.path, parts.query)
        assert page.status == 200, url
        records.append(liferay.parse_article(make_response(url, page.body, {"Content-Type": "text/html; charset=utf-8"}),
                                             registered))
    assert {(r.id, r.canonical_url, r.title) for r in records} == \
        {(f"soyte:{article.entry_id}", mirror_site.canonical_url(article), article.title)}
    assert {r.body.split("\n\n")[0] for r in records} == {article.paragraphs[0]}


ABSTRACT = """<div class="asset-abstract "><h3 class="asset-title"><a href="{url}">Tin bên lề {n}</a></h3>
<div class="asset-content"><div class="asset-summary">Tóm tắt {n}</div></div></div>"""


def _page(sidebar: str, main: str) -> str:
    return f"""<html><head><title>Trang</title></head><body>
<div class="portlet-boundary" id="p_p_id_101_INSTANCE_side_"><span class="portlet-title-text">Tin mới</span>{sidebar}</div>
<div class="portlet-boundary" id="p_p_id_101_INSTANCE_main_"><span class="portlet-title-text">Tin hoạt động</span>{main}</div>
</body></html>"""


FULL = """<div class="taglib-header "><h3 class="header-title"><span>Tiêu đề bài chính</span></h3></div>
<div class="asset-full-content show-asset-title"><div class="asset-content" id="_101_INSTANCE_main_{id}">
<div class="journal-content-article"><p>Đoạn của bài {id}.</p></div></div></div>"""
SIDEBAR = "".join(ABSTRACT.format(url=f"/vanhoa?p_p_id=101&_101_assetEntryId={n}", n=n) for n in (5, 6, 7))


@pytest.mark.parametrize("url, expected", [
    ("http://longbien.hanoi.gov.vn/vanhoa?p_p_id=101_INSTANCE_main&_101_INSTANCE_main_assetEntryId=777", "777"),
    ("http://longbien.hanoi.gov.vn/vanhoa/-/asset_publisher/main/content/bai-chinh", "777"),
    ("http://longbien.hanoi.gov.vn/vanhoa/-/asset_publisher/main/content/id/777", "777"),
])
def test_the_article_the_url_names_not_a_sidebar_abstract_before_it(url, expected):
    from wardcrawl.archive.extract import make_response

    html = _page(SIDEBAR, FULL.format(id=777))
    article = liferay.parse_article(make_response(url, html.encode(), {"Content-Type": "text/html; charset=utf-8"}),
                                    registry()["longbien"])
    assert (article.id, article.title, article.body, article.section) == \
        (f"longbien:{expected}", "Tiêu đề bài chính", "Đoạn của bài 777.", "Tin hoạt động")


def test_two_full_contents_the_one_whose_id_the_url_names():
    from wardcrawl.archive.extract import make_response

    html = _page(FULL.format(id=5).replace("main", "side").replace("bài chính", "bên lề"), FULL.format(id=777))
    url = "http://longbien.hanoi.gov.vn/vanhoa?p_p_id=101_INSTANCE_main&_101_INSTANCE_main_assetEntryId=777"
    article = liferay.parse_article(make_response(url, html.encode(), {"Content-Type": "text/html; charset=utf-8"}),
                                    registry()["longbien"])
    assert (article.id, article.title, article.body) == ("longbien:777", "Tiêu đề bài chính", "Đoạn của bài 777.")


def test_only_abstracts_on_the_page_is_no_article():
    from wardcrawl.archive.extract import make_response

    url = "http://longbien.hanoi.gov.vn/vanhoa?p_p_id=101&_101_assetEntryId=5"
    html = _page(SIDEBAR, "<p>Nội dung không tồn tại.</p>")
    assert liferay.parse_article(make_response(url, html.encode(), {"Content-Type": "text/html; charset=utf-8"}),
                                 registry()["longbien"]) is None
