"""The new hanoi.gov.vn CMS parser: article keys, the AJAX box, plain pagination, byline and time."""

from __future__ import annotations

import pytest

from tests.conftest import fixture_pages
from tests.parsers.test_articles import extract_page
from wardcrawl.parsers import hanoicms
from wardcrawl.sites import registry

LISTINGS = {p.meta["site"]: p for p in fixture_pages("hanoicms") if "article_urls" in p.expected}


@pytest.mark.parametrize("url, key", [
    ("https://hanoi.gov.vn/tin-tuc-su-kien-noi-bat/ha-noi-trien-khai-4250410182811455.htm", "4250410182811455"),
    ("https://viethung.hanoi.gov.vn/tin-tuc-su-kien/phuong-viet-hung-ra-quan-2025071508300000011.htm",
     "2025071508300000011"),
    ("https://hanoi.gov.vn/tin-tuc-su-kien-noi-bat", None),
    ("https://hanoi.gov.vn/tag/thanh-uy.htm", None),
    ("https://hanoi.gov.vn/a/b/c-4250410182811455.htm", None),
])
def test_article_key_from_url(url, key):
    assert hanoicms.article_key_from_url(url) == key


@pytest.mark.parametrize("slug", ["hanoi", "viethung", "caugiay"])
def test_category_page_carries_the_ajax_listing(slug):
    page = LISTINGS[slug]
    site = registry()[slug]
    api = hanoicms.zone_api(page.response(), site)
    assert (api.zone, api.size, api.site_id) == tuple(page.expected["zone_api"].values())
    assert api.url == f"https://{site.host}/api/NewsZone/NewsZone"
    assert api.form(3) == {"ZoneId": api.zone, "PageIndex": "3", "PageSize": api.size, "SiteId": api.site_id}
    assert hanoicms.article_links(page.response(), site)[: len(page.expected["article_urls"])] == \
        page.expected["article_urls"]


def test_plain_html_listing_pages():
    page = LISTINGS["duongnoi"]
    site = registry()["duongnoi"]
    assert hanoicms.zone_api(page.response(), site) is None
    assert hanoicms.listing_links(page.response(), site) == page.expected["listing_pages"]


def test_byline_time_keywords_and_lead():
    page = next(p for p in fixture_pages("hanoicms") if p.name == "viethung-byline-keywords")
    record = extract_page(page).record
    assert record["authors"] == page.expected["authors"] and len(record["authors"]) == 1
    assert record["published_raw"] == page.expected["published_raw"]
    assert record["published_at"].endswith("+07:00")
    assert record["keywords"] == page.expected["keywords"] and record["keywords"]
    assert record["lead"] == page.expected["lead"]
