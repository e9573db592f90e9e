"""The generated registry: every Hanoi unit, unverified with its source; a hand-written value wins;
re-generating changes nothing."""

from __future__ import annotations

import tomllib

import pytest

from tests.conftest import run_scrapy
from wardcrawl.places import gazetteer
from wardcrawl.places.record import site_unit
from wardcrawl.registry import generate
from wardcrawl.registry.names import host_label, party_section_slug
from wardcrawl.sites import (REGISTRY_PATH, SHIPPED_GENERATED, RegistryError, load_registry, read_entries, registry,
                             site_for_url)


def test_the_shipped_file_is_what_the_generator_writes():
    assert SHIPPED_GENERATED.read_text(encoding="utf-8") == generate.render(REGISTRY_PATH), \
        "wardcrawl/sites.generated.toml is stale: run python -m wardcrawl.registry.generate"


def test_regenerating_changes_nothing(tmp_path):
    out = tmp_path / "sites.generated.toml"
    assert generate.write(out) is True
    first = out.read_bytes()
    assert generate.write(out) is False
    assert out.read_bytes() == first
    assert generate.main(["--check", "--output", str(out)]) == 0
    out.write_text(first.decode("utf-8").replace("phường Ngọc Hà", "phường Ngọc Hà (edited)"), encoding="utf-8")
    assert generate.main(["--check", "--output", str(out)]) == 1


def test_every_new_unit_and_old_district_has_a_site():
    sites = registry()
    by_unit = {}
    for site in sites.values():
        if site.unit:
            by_unit.setdefault(site.unit, []).append(site)
    for unit in gazetteer.new_units():
        (site,) = by_unit[unit.id]
        assert site.family == "hanoicms" and site.level == "ward", site.slug
        assert site.host == f"{host_label(unit.name)}.hanoi.gov.vn"
    districts = gazetteer.old_units("district")
    assert len(districts) == 30
    for unit in districts:
        (site,) = by_unit[unit.id]
        assert site.level == "district", site.slug
    assert len(gazetteer.new_units()) == 126 and len(sites) >= 126 + 30 + 1


def test_generated_entries_are_unverified_and_say_what_is_unknown_and_where_from():
    generated = read_entries(SHIPPED_GENERATED)
    written = read_entries(REGISTRY_PATH)
    for slug, entry in generated.items():
        if slug in written:
            continue
        site = registry()[slug]
        assert not site.verified and site.source and site.unknown, slug
        assert site.skip_reason() is not None
    assert registry()["ngocha"].unknown == ("host", "sections", "api")  # the new CMS's api values: unknown
    assert registry()["ngocha"].api == {}


def test_the_places_tagging_reads_each_generated_site_as_its_unit():
    """A record's site_place comes from the site's name (wardcrawl/places/record.py): it must be the entry's unit."""
    for slug, site in registry().items():
        if site.unit and site.level in ("district", "ward") and site.parent == "hanoi":
            assert site_unit(slug) is not None and site_unit(slug).id == site.unit, slug


def test_the_scrapy_command_checks_the_file():
    result = run_scrapy("registry", "generate", "--check")
    assert result.returncode == 0 and "up to date" in result.stdout, result.stderr[-2000:]
    assert run_scrapy("registry", "regenerate").returncode == 2


def test_hand_written_entries_stand_as_written():
    for slug in ("longbien", "viethung", "caugiay", "duongnoi", "badinh", "haibatrung", "hanoi", "thanhuyhanoi"):
        site = registry()[slug]
        assert site.verified and site.unknown == () and site.source == "sites.toml", slug
    assert registry()["viethung"].api["LanguageId"] == "jM2HDDVEz40="
    # The hand-written `unit` agrees with what the places tagging reads from the site's name.
    for slug, entry in read_entries(REGISTRY_PATH).items():
        if entry.get("unit"):
            assert site_unit(slug).id == entry["unit"], slug


def test_names_two_units_share_get_the_type_word():
    sites = registry()
    assert list(sites)[:12] == list(read_entries(REGISTRY_PATH))[:12]  # the hand-written sites first
    assert site_for_url("http://longbien.hanoi.gov.vn/gioi-thieu").slug == "longbien"  # the confirmed one
    assert site_for_url("https://thanhuyhanoi.vn/tin-tuc/xa-phu-dong/tin-10239001.html").slug == "thanhuyhanoi"
    assert site_for_url("https://ngocha.hanoi.gov.vn/tin-tuc-su-kien/a-2825080100000000011.htm").slug == "ngocha"
    assert sites["longbien"].unit == "old:004"  # hand-written: the district portal
    assert sites["longbien-phuong"].unit == "new:00145" and sites["longbien-phuong"].host == "longbien.hanoi.gov.vn"
    assert sites["hoankiem"].unit == "new:00070" and sites["hoankiem-quan"].unit == "old:002"
    assert sites["sontay-thixa"].name == "Cổng thông tin điện tử thị xã Sơn Tây"


def test_what_is_known_of_old_district_portals():
    sites = registry()
    assert sites["thanhxuan-quan"].host == "thanhxuancu.hanoi.gov.vn" and "host" not in sites["thanhxuan-quan"].unknown
    assert sites["hadong-quan"].family == "other" and not sites["hadong-quan"].crawled
    assert sites["hadong-quan"].skip_reason().startswith("not crawled")


def test_thanhuy_unit_categories():
    units = registry()["thanhuyhanoi-units"]
    hand = {s.path for s in registry()["thanhuyhanoi"].sections}
    paths = {s.path for s in units.sections}
    assert not paths & hand  # the hand-written categories stay in the hand-written entry
    assert len(paths) == 30 + 126 - len(hand - {"/tin-tuc/thuong-truc-thanh-uy"})
    assert f"/tin-tuc/{party_section_slug('huyện', 'Sóc Sơn')}" == "/tin-tuc/huyen-soc-son"
    assert "/tin-tuc/huyen-soc-son" in paths and "/tin-tuc/thi-xa-son-tay" in paths
    assert all(s.level in ("district", "ward-commune") for s in units.sections)


WRITTEN = """
[ngocha]
host = "ngocha-moi.hanoi.gov.vn"
sections = [{ path = "/tin-tuc", name = "Tin tức" }]

[giangvo]
name = "Cổng thông tin điện tử phường Giảng Võ"
level = "ward"
parent = "hanoi"
family = "hanoicms"
scheme = "https"
host = "giangvo.hanoi.gov.vn"
sections = [{ path = "/tin-tuc-su-kien", name = "Tin tức - Sự kiện" }]

[mysite]
name = "A site of our own"
level = "district"
family = "liferay"
scheme = "http"
host = "mysite.example"
sections = [{ path = "/tin", name = "Tin" }]
"""


def test_a_hand_written_value_wins(tmp_path):
    written = tmp_path / "sites.toml"
    written.write_text(WRITTEN, encoding="utf-8")
    sites = load_registry(written, SHIPPED_GENERATED)
    partial = sites["ngocha"]
    assert partial.host == "ngocha-moi.hanoi.gov.vn" and [s.path for s in partial.sections] == ["/tin-tuc"]
    assert partial.name == "Cổng thông tin điện tử phường Ngọc Hà" and partial.unit == "new:00008"  # generated
    assert not partial.verified and partial.unknown == ("api",)  # what it gives is no longer unknown
    assert "generated" in partial.source
    whole = sites["giangvo"]
    assert whole.verified and whole.unknown == () and whole.note == "" and whole.unit == "new:00025"
    assert sites["mysite"].verified and len(sites) == len(read_entries(SHIPPED_GENERATED)) + 1
    # Without the generated file, only the hand-written entries (a partial one then fails clearly).
    with pytest.raises(RegistryError, match="'ngocha': missing field"):
        load_registry(written, None)


def test_the_generator_keeps_a_hand_written_slug_for_its_unit(tmp_path):
    written = tmp_path / "sites.toml"
    written.write_text(REGISTRY_PATH.read_text(encoding="utf-8")
                       + '\n[ngoc-ha]\nunit = "new:00008"\nverified = true\n', encoding="utf-8")
    entries = tomllib.loads(generate.render(written))
    assert "ngoc-ha" in entries and "ngocha" not in entries
    assert entries["ngoc-ha"]["host"] == "ngocha.hanoi.gov.vn"


def test_only_an_unverified_entry_may_leave_its_sections_unknown(tmp_path):
    written = tmp_path / "sites.toml"
    entry = '[x]\nname = "X"\nlevel = "district"\nfamily = "liferay"\nscheme = "http"\nhost = "x.example"\nsections = []\n'
    written.write_text(entry + "verified = false\n", encoding="utf-8")
    assert load_registry(written, None)["x"].sections == ()
    written.write_text(entry, encoding="utf-8")
    with pytest.raises(RegistryError, match="only an unverified entry may leave them unknown"):
        load_registry(written, None)
    written.write_text(entry + 'verified = false\nstatus = "dead"\n', encoding="utf-8")
    with pytest.raises(RegistryError, match="field 'status' is 'dead'"):
        load_registry(written, None)
