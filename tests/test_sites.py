"""The site registry: every entry loads, is a spider, has fixtures; broken entries fail clearly."""

from __future__ import annotations

import pytest

from tests.conftest import fixture_pages, run_scrapy
from tests.parsers.test_articles import ARTICLES, LISTINGS
from wardcrawl.sites import RegistryError, load_registry, registry

GOOD = """
[demo]
name = "Demo"
level = "district"
family = "liferay"
scheme = "http"
host = "demo.hanoi.gov.vn"
sections = [{ path = "/tin", name = "Tin" }]
"""


def test_every_verified_site_has_fixture_pages_and_parser_tests():
    """The parser tests run over every fixture page: a confirmed site needs an article page and a listing
    (a generated entry gets them when a person confirms it: docs/adding-a-site.md)."""
    verified = {slug: site for slug, site in registry().items() if site.verified}
    for slug, site in verified.items():
        pages = fixture_pages(site.family, f"{slug}-")
        articles = [p for p in pages if p.meta["site"] == slug and "title" in p.expected]
        listings = [p for p in pages if p.meta["site"] == slug and "article_urls" in p.expected]
        assert articles, f"site {slug!r} has no article fixture under tests/fixtures/{site.family}/"
        assert listings, f"site {slug!r} has no listing fixture under tests/fixtures/{site.family}/"
    tested = {p.meta["site"] for p in ARTICLES} & {p.meta["site"] for p in LISTINGS}
    assert tested == set(verified)


def test_every_crawled_site_is_a_spider():
    """Generated and hand-written entries alike; a family without a spider ('other') is not one."""
    result = run_scrapy("list")
    assert result.returncode == 0, result.stderr
    assert set(result.stdout.split()) == {slug for slug, site in registry().items() if site.crawled}
    assert len(result.stdout.split()) >= 160


def test_alias_urls_map_to_the_primary_host():
    site = registry()["longbien"]
    assert site.on_primary_host("http://portal.longbien.gov.vn/web/guest/vanhoa?a=1") == \
        "http://longbien.hanoi.gov.vn/vanhoa?a=1"
    assert site.section_name("/web/guest/vanhoa") == "Văn hóa - Xã hội"


def test_good_entry_loads(tmp_path):
    path = tmp_path / "sites.toml"
    path.write_text(GOOD, encoding="utf-8")
    assert load_registry(path)["demo"].section_urls() == ["http://demo.hanoi.gov.vn/tin"]


def test_region_override_may_be_any_compound_selector(tmp_path):
    path = tmp_path / "sites.toml"
    path.write_text(GOOD + '[demo.selectors]\nregion = "section#main.portlet[role=main]"\n', encoding="utf-8")
    assert load_registry(path)["demo"].selectors["region"] == "section#main.portlet[role=main]"


@pytest.mark.parametrize("broken, field", [
    (GOOD.replace('family = "liferay"', 'family = "wordpress"'), "family"),
    (GOOD.replace('host = "demo.hanoi.gov.vn"\n', ""), "host"),
    (GOOD.replace('level = "district"', 'level = "province"'), "level"),
    (GOOD.replace('sections = [{ path = "/tin", name = "Tin" }]', 'sections = [{ path = "/tin" }]'), "sections"),
    (GOOD.replace('scheme = "http"', 'scheme = "ftp"'), "scheme"),
    (GOOD + '[demo.selectors]\nregion = "div.main div.portlet"\n', "region"),
    (GOOD + '[demo.selectors]\nregion = "div.a, div.b"\n', "region"),
    (GOOD + 'api = { Site = "" }\n', "api"),
    (GOOD + 'api = { Catname = "x" }\n', "api"),  # a per-category value on the site
    (GOOD.replace('name = "Tin" }', 'name = "Tin", api = { Catname = 3 } }'), "api"),
])
def test_broken_entry_names_entry_and_field(tmp_path, broken, field):
    path = tmp_path / "sites.toml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(RegistryError, match=rf"site 'demo'.*'{field}'"):
        load_registry(path)
