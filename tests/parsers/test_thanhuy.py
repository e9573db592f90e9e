"""thanhuyhanoi.vn: every record names its party unit, from the registry or, failing that, the page."""

from __future__ import annotations

import pytest

from tests.conftest import fixture_pages
from tests.parsers.test_articles import extract_page
from wardcrawl.parsers import thanhuy
from wardcrawl.sites import registry

PAGES = {p.name: p for p in fixture_pages("thanhuy")}


@pytest.mark.parametrize("name, unit", [
    ("thanhuyhanoi-commune-unit", {"slug": "xa-hat-mon", "name": "Đảng ủy xã Hát Môn", "level": "ward-commune"}),
    ("thanhuyhanoi-district-unit", {"slug": "huyen-gia-lam", "name": "Huyện ủy Gia Lâm", "level": "district"}),
    ("thanhuyhanoi-city-unit", {"slug": "thuong-truc-thanh-uy", "name": "Thường trực Thành ủy", "level": "city"}),
])
def test_unit_from_the_registry(name, unit):
    record = extract_page(PAGES[name]).record
    assert record["unit"] == unit
    assert record["section"] == unit["name"]
    assert "unit_not_in_registry" not in record["quality"]


def test_unit_missing_from_the_registry_is_named_from_the_page_and_flagged():
    record = extract_page(PAGES["thanhuyhanoi-unit-not-in-registry"]).record
    assert record["unit"] == {"slug": "xa-phu-dong", "name": "Đảng ủy xã Phù Đổng", "level": "ward-commune"}
    assert record["quality"] == ["unit_not_in_registry"]


@pytest.mark.parametrize("slug, level", [("xa-son-da", "ward-commune"), ("phuong-kim-lien", "ward-commune"),
                                         ("thi-tran-tram-troi", "ward-commune"), ("huyen-soc-son", "district"),
                                         ("quan-tay-ho", "district"), ("thi-xa-son-tay", "district"),
                                         ("ban-tuyen-giao", "city")])
def test_level_from_an_unknown_unit_slug(slug, level):
    unit, known = thanhuy.unit_for(slug, "Tên đơn vị", registry()["thanhuyhanoi"])
    assert (unit["level"], known) == (level, False)


@pytest.mark.parametrize("url, key, unit", [
    ("https://thanhuyhanoi.vn/tin-tuc/xa-hat-mon/ket-nap-dang-vien-moi-10237001.html", "10237001", "xa-hat-mon"),
    ("https://thanhuyhanoi.vn/tin-tuc/xa-hat-mon", None, None),
    ("https://thanhuyhanoi.vn/tin-tuc/xa-hat-mon/bai-123.html", None, None),
])
def test_article_key_and_unit_from_url(url, key, unit):
    assert thanhuy.article_key_from_url(url) == key
    assert thanhuy.unit_slug_from_url(url) == unit


def test_listing_links():
    page = PAGES["thanhuyhanoi-listing"]
    site = registry()["thanhuyhanoi"]
    assert set(page.expected["article_urls"]) <= set(thanhuy.article_links(page.response(), site))
    links = set(thanhuy.listing_links(page.response(), site)) - {page.meta["url"]}  # the pager links itself too
    assert links == set(page.expected["listing_pages"])
