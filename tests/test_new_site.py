"""A new site on a known platform is a registry entry plus fixtures: no Python change.

The test writes a registry with a site wardcrawl has never heard of (a Long Biên ward,
Thạch Bàn, on the same Liferay theme), points WARDCRAWL_REGISTRY at it, and uses the
stock commands: the site is a spider, and its saved page extracts into a valid record.
"""

from __future__ import annotations

import json

from tests.conftest import fixture_pages, run_scrapy
from wardcrawl.sites import REGISTRY_PATH

NEW_SITE = """
[thachban]
name = "Cổng thông tin điện tử phường Thạch Bàn"
level = "ward"
parent = "longbien"
family = "liferay"
scheme = "http"
host = "thachban.longbien.hanoi.gov.vn"
sections = [{ path = "/hoat-dong-khoi-chinh-quyen", name = "Hoạt động khối chính quyền" }]
"""


def test_a_new_liferay_site_needs_only_a_registry_entry(tmp_path):
    registry = tmp_path / "sites.toml"
    registry.write_text(REGISTRY_PATH.read_text(encoding="utf-8") + NEW_SITE, encoding="utf-8")
    env = {"WARDCRAWL_REGISTRY": str(registry)}

    listed = run_scrapy("list", env=env)
    assert listed.returncode == 0, listed.stderr
    assert "thachban" in listed.stdout.split()

    # A page of the new site: same theme as its sister ward sites, under its own host.
    page = next(p for p in fixture_pages("liferay", "thuongthanh-") if "title" in p.expected)
    html = page.html.read_bytes().replace(b"thuongthanh.longbien", b"thachban.longbien")
    saved = tmp_path / "page.html"
    saved.write_bytes(html)
    url = page.meta["url"].replace("thuongthanh.longbien", "thachban.longbien")
    result = run_scrapy("extract", "thachban", str(saved), "--url", url, env=env)
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["id"] == page.expected["id"].replace("thuongthanh:", "thachban:")
    assert record["site"] == "thachban"
    assert record["title"] == page.expected["title"]
    assert record["canonical_url"].startswith("http://thachban.longbien.hanoi.gov.vn/")


def test_a_broken_registry_entry_stops_with_the_entry_and_field_named(tmp_path):
    registry = tmp_path / "sites.toml"
    registry.write_text(NEW_SITE.replace('family = "liferay"', 'family = "drupal"'), encoding="utf-8")
    result = run_scrapy("list", env={"WARDCRAWL_REGISTRY": str(registry)})
    assert result.returncode != 0
    assert "site 'thachban': field 'family'" in result.stderr
