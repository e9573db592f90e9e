"""`scrapy probe`: each kind of answer classified on the mirror, the family and sections read from pages,
and a proposed patch that is never applied by itself."""

from __future__ import annotations

import hashlib
import tomllib

import pytest

from mirror import units
from mirror.server import read_access_log
from tests.conftest import fixture_pages, run_scrapy
from wardcrawl.registry.probe import (Finding, classify_error, classify_page, detect_family, is_parked, menu_sections,
                                      proposal, render_patch)
from wardcrawl.sites import REGISTRY_PATH, SHIPPED_GENERATED, registry

WARDS = ["ngocha", "giangvo", "cuanam"]  # generated entries the mirror serves small portals for
CASES = {"moved": units.MOVED[0], "gone_dns": units.GONE_DNS[0], "parked": units.PARKED[0],
         "blocked": units.BLOCKED[0], "other_unit": "hoankiem-quan", "verified": "viethung", "shared": "hanoi-liferay",
         "thanhuy": "thanhuyhanoi-units"}


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def probed(tmp_path_factory):
    data = tmp_path_factory.mktemp("probe")
    before = (_digest(REGISTRY_PATH), _digest(SHIPPED_GENERATED))
    patch = data / "patch.toml"
    result = run_scrapy("probe", "--mirror", "--sites", ",".join([*WARDS, *CASES.values()]), "--output", str(patch),
                        "-s", f"DATA_DIR={data}")
    assert result.returncode == 0, result.stderr[-3000:]
    assert (_digest(REGISTRY_PATH), _digest(SHIPPED_GENERATED)) == before  # never applied by itself
    lines = {line.split()[0]: line for line in result.stdout.splitlines() if line and not line.startswith("proposed")}
    access = read_access_log(next((data / "mirror").glob("probe-access-*.log")))
    return tomllib.loads(patch.read_text(encoding="utf-8")), access, lines


def test_a_generated_ward_portal_is_alive_on_the_new_cms_with_its_menu_sections(probed):
    patch, _, lines = probed
    assert set(WARDS) <= set(patch) and all(slug in registry() for slug in WARDS)
    for slug in WARDS:
        entry = patch[slug]
        assert entry["status"] == "alive" and entry["checked"], slug
        assert [s["path"] for s in entry["sections"]] == ["/tin-tuc-su-kien", "/thong-bao"]
        assert "family" not in entry  # hanoicms, as generated
        assert entry["verified"] is False and entry["unknown"] == ["api"]  # the api values stay unknown
        assert "page family hanoicms" in entry["note"]


def test_an_old_district_redirecting_to_its_cu_host_is_moved(probed):
    patch, access, lines = probed
    entry = patch[CASES["moved"]]
    assert entry["status"] == "moved" and entry["host"] == units.MOVED[2]
    assert f"moved (redirect to http://{units.MOVED[2]}/)" in lines[CASES["moved"]]
    assert entry["sections"] == [{"path": "/tin-tuc-su-kien", "name": "Tin tức - Sự kiện"}]
    assert "page family liferay" in entry["note"]
    # The other host's robots.txt before its page; per host only robots.txt and / are asked for.
    on_target = [target for host, _, target, *_ in access if host == units.MOVED[2]]
    assert on_target == ["/robots.txt", "/"]
    assert {target for _, _, target, *_ in access} <= {"/robots.txt", "/"}


def test_gone_parked_and_blocked(probed):
    patch, _, lines = probed
    assert patch[CASES["gone_dns"]]["status"] == "gone" and "gone (DNS)" in lines[CASES["gone_dns"]]
    assert patch[CASES["parked"]]["status"] == "gone" and "gone (parked)" in lines[CASES["parked"]]
    assert patch[CASES["blocked"]]["status"] == "blocked" and "blocked (connection dropped)" in lines[CASES["blocked"]]
    for case in ("gone_dns", "parked", "blocked"):
        assert "sections" not in patch[CASES[case]] and "verified" not in patch[CASES[case]]


def test_a_host_serving_another_unit_or_another_registry_site_proposes_nothing_of_it(probed):
    patch, _, lines = probed
    entry = patch[CASES["other_unit"]]  # the old district's candidate host now serves phường Hoàn Kiếm
    assert entry["status"] == "alive" and "serves another unit" in entry["note"]
    assert "family" not in entry and "sections" not in entry and "verified" not in entry
    shared = patch[CASES["shared"]]  # the old Liferay city portal shares hanoi.gov.vn with the new CMS
    assert "family" not in shared and "the home page is hanoi's" in shared["note"]
    units_entry = patch[CASES["thanhuy"]]  # the menu's categories are the hand-written entry's
    assert "sections" not in units_entry and "verified" not in units_entry


def test_a_verified_site_keeps_its_state(probed):
    patch, _, _ = probed
    entry = patch[CASES["verified"]]
    assert entry["status"] == "alive" and "verified" not in entry
    assert [s["path"] for s in entry["sections"]] == [s.path for s in registry()["viethung"].sections]


# ---- the pure parts --------------------------------------------------------------------------------
@pytest.mark.parametrize("family", ["liferay", "hanoicms", "thanhuy"])
def test_every_fixture_page_shows_its_family(family):
    # Whole pages as served (not the listing API's fragments, not the gold set's edited variants).
    pages = [p for p in fixture_pages(family) if "-gold-" not in p.name and "/api/" not in p.meta["url"]]
    assert pages
    for page in pages:
        assert detect_family(page.html.read_bytes().decode("utf-8", "replace")) == family, page.name


def test_pages_without_markers_and_parking_pages():
    assert detect_family("<html><body><p>Xin chào</p></body></html>") == "other"
    assert detect_family('<a href="/portal/Pages/TinTuc.aspx">x</a><script src="/_layouts/init.js">') == "sharepoint"
    assert is_parked(units.PARKED_PAGE.format(host="x.vn"))
    assert not is_parked("<html><title>Cổng thông tin điện tử phường Ngọc Hà</title></html>")


def _finding(slug: str) -> Finding:
    return Finding(slug, registry()[slug].host, "2026-11-30")


def test_status_codes_and_errors():
    site = registry()["ngocha"]
    assert classify_page(_finding("ngocha"), site, 404, "https://ngocha.hanoi.gov.vn/", "").summary == "gone (404)"
    assert classify_page(_finding("ngocha"), site, 410, "https://ngocha.hanoi.gov.vn/", "").status == "gone"
    assert classify_page(_finding("ngocha"), site, 503, "https://ngocha.hanoi.gov.vn/", "").summary == "blocked (HTTP 503)"
    assert classify_page(_finding("ngocha"), site, 429, "https://ngocha.hanoi.gov.vn/", "").summary == "blocked (HTTP 429)"
    assert classify_page(_finding("ngocha"), site, 302, "https://ngocha.hanoi.gov.vn/", "").status == "moved"
    assert classify_error(_finding("ngocha"), "dns", "").summary == "gone (DNS)"
    assert classify_error(_finding("ngocha"), "refused", "").summary == "blocked (connection refused)"
    assert classify_error(_finding("ngocha"), "timeout", "").summary == "blocked (timeout)"
    moved = _finding("ngocha")
    moved.redirects = ["https://other.example/"]
    assert classify_error(moved, "dns", "").summary == "gone (DNS; after a redirect to https://other.example/)"


def test_menu_sections_keep_the_sites_own_news_pages():
    html = """<nav class="menu"><ul><li><a href="/">Trang chủ</a></li><li><a href="/tin-tuc">Tin tức</a></li>
    <li><a href="https://ngocha.hanoi.gov.vn/thong-bao/">Thông báo</a></li><li><a href="https://chinhphu.vn/x">CP</a></li>
    <li><a href="/tin-tuc/bai-viet-2825071508300000011.htm">Bài</a></li><li><a href="javascript:;">JS</a></li>
    <li><a href="/gioi-thieu">Giới thiệu</a></li></ul></nav><div><a href="/khac">Ngoài menu</a></div>"""
    assert menu_sections(html, "https://ngocha.hanoi.gov.vn/", ("ngocha.hanoi.gov.vn",)) == [
        {"path": "/tin-tuc", "name": "Tin tức"}, {"path": "/thong-bao", "name": "Thông báo"}]


def test_a_patch_names_each_finding_and_parses():
    finding = classify_error(_finding("namtuliem"), "dns", "")
    text = render_patch([finding], registry(), "test")
    assert "nothing here is applied by itself" in text
    assert tomllib.loads(text)["namtuliem"] == proposal(finding, registry()["namtuliem"])
