"""The site registry: every entry loads, is a spider, has fixtures; broken entries fail clearly."""

from __future__ import annotations

import pytest

from tests.conftest import FIXTURES, run_scrapy
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


def test_every_registered_site_has_fixture_pages():
    for slug, site in registry().items():
        pages = list((FIXTURES / site.family).glob(f"{slug}-*.html"))
        assert pages, f"site {slug!r} has no fixtures under tests/fixtures/{site.family}/"
        for page in pages:
            assert page.with_suffix(".meta.json").exists() and page.with_suffix(".expected.json").exists()


def test_every_registered_site_is_a_spider():
    result = run_scrapy("list")
    assert result.returncode == 0, result.stderr
    assert set(result.stdout.split()) == set(registry())


def test_alias_urls_map_to_the_primary_host():
    site = registry()["longbien"]
    assert site.on_primary_host("http://portal.longbien.gov.vn/web/guest/vanhoa?a=1") == \
        "http://longbien.hanoi.gov.vn/vanhoa?a=1"
    assert site.section_name("/web/guest/vanhoa") == "Văn hóa - Xã hội"


def test_good_entry_loads(tmp_path):
    path = tmp_path / "sites.toml"
    path.write_text(GOOD, encoding="utf-8")
    assert load_registry(path)["demo"].section_urls() == ["http://demo.hanoi.gov.vn/tin"]


@pytest.mark.parametrize("broken, field", [
    (GOOD.replace('family = "liferay"', 'family = "wordpress"'), "family"),
    (GOOD.replace('host = "demo.hanoi.gov.vn"\n', ""), "host"),
    (GOOD.replace('level = "district"', 'level = "province"'), "level"),
    (GOOD.replace('sections = [{ path = "/tin", name = "Tin" }]', 'sections = [{ path = "/tin" }]'), "sections"),
    (GOOD.replace('scheme = "http"', 'scheme = "ftp"'), "scheme"),
])
def test_broken_entry_names_entry_and_field(tmp_path, broken, field):
    path = tmp_path / "sites.toml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(RegistryError, match=rf"site 'demo'.*'{field}'"):
        load_registry(path)
