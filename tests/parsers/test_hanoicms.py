"""The new hanoi.gov.vn CMS parser: article keys, news-items, the listing API's form, JSON-LD fallbacks."""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from datetime import date

import pytest

from mirror.sites import site as mirror_site
from tests.conftest import fixture_pages
from tests.parsers.test_articles import extract_page
from wardcrawl.archive.extract import extract, make_response
from wardcrawl.parsers import hanoicms
from wardcrawl.sites import registry

PAGES = {p.name: p for p in fixture_pages("hanoicms")}
CATEGORIES = [p for p in PAGES.values() if p.name.endswith("-listing")]


@pytest.mark.parametrize("url, key", [
    ("https://hanoi.gov.vn/tin-tuc-su-kien-noi-bat/ha-noi-trien-khai-4250410182811455.htm", "4250410182811455"),
    ("https://viethung.hanoi.gov.vn/tin-tuc-su-kien/phuong-viet-hung-ra-quan-2825071508300000011.htm",
     "2825071508300000011"),
    ("https://soxaydung-demo.hanoi.gov.vn/phat-trien-nha-o/cong-khai-266100018871.htm", "266100018871"),  # 12 digits
    ("https://hanoi.gov.vn/a/b-12345678.htm", "12345678"),  # 8 digits: the shortest seen
    ("https://hanoi.gov.vn/a/b-12345678901234567890.htm", "12345678901234567890"),  # 20
    ("https://hanoi.gov.vn/a/b-1234567.htm", None),
    ("https://hanoi.gov.vn/a/b-123456789012345678901.htm", None),
    ("https://hanoi.gov.vn/tin-tuc-su-kien-noi-bat", None),
    ("https://hanoi.gov.vn/tag/thanh-uy.htm", None),
    ("https://hanoi.gov.vn/a/b/c-4250410182811455.htm", None),
])
def test_article_key_from_url(url, key):
    assert hanoicms.article_key_from_url(url) == key


@pytest.mark.parametrize("page", CATEGORIES, ids=lambda p: p.name)
def test_category_page_items_ids_dates_and_pager(page):
    site, response = registry()[page.meta["site"]], page.response()
    assert hanoicms.listing_items(response, site) == page.expected["article_urls"]
    assert hanoicms.data_ids(response, site) == page.expected["data_ids"]
    assert [d.isoformat() for d in hanoicms.item_dates(response, site)] == page.expected["item_dates"]
    assert hanoicms.listing_links(response, site) == page.expected["listing_pages"]


def test_api_answer_fragment_with_relative_times():
    """Root-relative hrefs made absolute; dates from the title attribute, the text being relative."""
    page, site = PAGES["hanoi-api-page"], registry()["hanoi"]
    response = page.response()
    assert page.expected["relative_times"] > 0 and "giờ trước" in response.text or "ngày trước" in response.text
    assert not hanoicms.is_empty_answer(response)
    assert hanoicms.listing_items(response, site) == page.expected["article_urls"]
    assert [d.isoformat() for d in hanoicms.item_dates(response, site)] == page.expected["item_dates"]
    end = PAGES["hanoi-api-end"]
    assert end.html.read_bytes() == b"" and hanoicms.is_empty_answer(end.response())
    assert hanoicms.listing_items(end.response(), site) == []


def test_listing_api_form_replays_the_registry_values_in_the_portal_order():
    page, site = PAGES["hanoi-listing"], registry()["hanoi"]
    api, missing = hanoicms.listing_api(page.response(), site)
    assert missing == [] and api.url == "https://hanoi.gov.vn/api/NewsZone/NewsZone"
    shown = tuple(page.expected["data_ids"])
    assert api.form(0, shown) == [
        ("PageIndex", "0"), ("PageSize", "TwNsaMrfVrU="), ("Catname", "nMSbbZ2pR0/XHR7JMRKsFGiPETTBu6V1"),
        ("LanguageId", "jM2HDDVEz40="), ("Site", "/CP0MQRJUt0="), *(("DataIds[]", i) for i in shown)]
    # The form the fixture's API answer was captured with is the one the parser builds.
    assert [tuple(f) for f in PAGES["hanoi-api-page"].expected["form"]] == api.form(0, shown)


def test_registry_and_mirror_agree_on_the_opaque_values():
    for slug in ("hanoi", "viethung", "caugiay", "duongnoi"):
        site, mirror = registry()[slug], mirror_site(slug)
        assert site.api == mirror.api_values
        assert {s.path: s.api for s in site.sections} == mirror.section_api


CATEGORY_WITH_VALUES = """<html><body><div class="box-news" data-catname="PAGE-CAT" data-pagesize="PAGE-SIZE">
<input type="hidden" name="Site" value="PAGE-SITE" /><input type="hidden" name="LanguageId" value="PAGE-LANG" />
<div class="news-item" data-id="12345678"><a href="/tin/a-12345678.htm">A</a></div></div></body></html>"""


def test_values_the_category_page_carries_are_read_and_the_registry_wins():
    base = registry()["caugiay"]
    bare = replace(base, api={}, sections=tuple(replace(s, api={}) for s in base.sections))
    response = make_response("https://caugiay.hanoi.gov.vn/tin-tuc-su-kien", CATEGORY_WITH_VALUES.encode())
    api, missing = hanoicms.listing_api(response, bare)
    assert missing == [] and dict(api.values) == {"PageSize": "PAGE-SIZE", "Catname": "PAGE-CAT",
                                                  "LanguageId": "PAGE-LANG", "Site": "PAGE-SITE"}
    api, _ = hanoicms.listing_api(response, base)
    assert dict(api.values)["Site"] == base.api["Site"] and dict(api.values)["PageSize"] == "DxZD1w2i+8E="
    plain = make_response("https://caugiay.hanoi.gov.vn/tin-tuc-su-kien", b"<html><body></body></html>")
    assert hanoicms.listing_api(plain, bare) == (None, ["Site", "LanguageId", "Catname", "PageSize"])


def test_json_ld_date_wins_where_the_visible_one_disagrees():
    page = PAGES["hanoi-directive"]
    html = page.html.read_text(encoding="utf-8")
    record = extract_page(page).record
    shown = record["published_raw"]
    assert shown in html and "published_disagrees_jsonld" not in record["quality"]
    moved = html.replace(f'"datePublished": "{record["published_at"]}"', '"datePublished": "2020-01-02T03:04:00+07:00"')
    assert moved != html
    changed = extract(registry()["hanoi"], make_response(page.meta["url"], moved.encode("utf-8"))).record
    assert changed["published_at"] == "2020-01-02T03:04:00+07:00"
    assert "published_disagrees_jsonld" in changed["quality"]


def test_short_and_long_id_of_one_article_are_one_record():
    short, site = PAGES["hanoi-short-id"], registry()["hanoi"]
    record = extract_page(short).record
    assert hanoicms.article_key_from_url(short.meta["url"]) != record["id"].split(":")[1]
    assert record["id"] == f"hanoi:{hanoicms.article_key_from_url(record['canonical_url'])}"
    assert len(record["id"].split(":")[1]) > len(hanoicms.article_key_from_url(short.meta["url"]))
    assert site.on_primary_host("https://cmshn.hanoi.gov.vn/a/b-12345678.htm") == "https://hanoi.gov.vn/a/b-12345678.htm"


def test_keywords_after_a_decomposed_label_with_a_no_break_space():
    page = PAGES["viethung-odd-label"]
    raw = page.html.read_text(encoding="utf-8")
    assert unicodedata.normalize("NFD", "Từ\u00a0khóa") in raw
    record = extract_page(page).record
    assert record["keywords"] == page.expected["keywords"] and record["keywords"]


def test_byline_time_keywords_and_lead():
    page = PAGES["viethung-byline-keywords"]
    record = extract_page(page).record
    assert record["authors"] == page.expected["authors"] and len(record["authors"]) == 1
    assert record["published_raw"] == page.expected["published_raw"]
    assert record["published_at"].endswith("+07:00")
    assert record["keywords"] == page.expected["keywords"] and record["keywords"]
    assert record["lead"] == page.expected["lead"]


def test_both_article_containers_are_read():
    older = PAGES["duongnoi-older-layout"]
    assert b'class="detail-page"' in older.html.read_bytes() and b"news-detail" not in older.html.read_bytes()
    assert extract_page(older).record["title"] == older.expected["title"]
    newer = PAGES["caugiay-plain"]
    assert b'class="news-detail"' in newer.html.read_bytes()
    assert extract_page(newer).record["title"] == newer.expected["title"]


def test_word_wrapped_paragraphs_are_one_paragraph_each():
    page = PAGES["hanoi-word-wrapped"]
    assert b"\r\n" in page.html.read_bytes().split(b"afcbc-body", 1)[1]
    assert extract_page(page).record["body"].split("\n\n") == page.expected["body_paragraphs"]


def test_item_dates_never_come_from_relative_text():
    body = (b'<div class="news-item" data-id="12345678"><a href="/a/b-12345678.htm">x</a>'
            b'<span class="news-time" title="15:28, 28/08/2026">8 gi\xe1\xbb\x9d tr\xc6\xb0\xe1\xbb\x9bc</span></div>'
            b'<div class="news-item" data-id="12345679"><a href="/a/c-12345679.htm">y</a>'
            b'<span class="news-time">21:08 20/07/2025</span></div>')
    response = make_response("https://hanoi.gov.vn/api/NewsZone/NewsZone", body, {"Content-Type": "text/html; charset=utf-8"})
    assert hanoicms.item_dates(response, registry()["hanoi"]) == [date(2026, 8, 28)]
