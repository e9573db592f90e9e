"""End to end: `scrapy demo` crawls every mirrored site over loopback with the real URLs."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from mirror import corpus
from mirror.hanoicms import HanoiCmsSite
from mirror.sites import MIRRORED_SITES, site
from wardcrawl.schema import validation_errors
from wardcrawl.sites import registry


def test_demo_crawls_every_registered_site():
    assert set(MIRRORED_SITES) == set(registry())


@pytest.mark.parametrize("slug", MIRRORED_SITES)
def test_every_mirror_article_exported_exactly_once(demo_run, slug):
    run = demo_run.sites[slug]
    ids = [r["id"] for r in run.records]
    assert len(ids) == len(set(ids))
    assert set(ids) == {f"{slug}:{a.entry_id}" for a in site(slug).articles}
    assert len(ids) >= 15
    assert demo_run.summary["sites"][slug]["articles"]["new"] == len(ids)


@pytest.mark.parametrize("slug", MIRRORED_SITES)
def test_every_line_is_schema_valid_utf8_json(demo_run, slug):
    run = demo_run.sites[slug]
    for record in run.records:
        assert validation_errors(record) == []
    assert "\\u" not in run.feed_text  # Vietnamese letters written as UTF-8, not escaped
    assert run.feed_text.endswith("\n")


def test_no_partial_files_left(demo_run):
    assert not list(demo_run.data_dir.rglob("*.part"))


@pytest.mark.parametrize("slug", MIRRORED_SITES)
def test_records_match_the_mirror_ground_truth(demo_run, slug):
    mirror_site = site(slug)
    by_id = {r["id"]: r for r in demo_run.sites[slug].records}
    for article in mirror_site.articles:
        expected = mirror_site.expected_record(article)
        record = by_id[expected["id"]]
        paragraphs = expected.pop("body_paragraphs")
        assert record["body"] == "\n\n".join(paragraphs), expected["id"]
        for field, value in expected.items():
            assert record[field] == value, (expected["id"], field)


def test_seed_004_comes_out_clean(demo_run):
    record = next(r for r in demo_run.sites["hanoi-liferay"].records if r["id"] == f"hanoi-liferay:{corpus.SEED_004_ID}")
    assert record["title"] == "Phó Bí thư Thành ủy Đào Đức Toàn làm việc với Đảng ủy phường Kim Giang"
    assert record["published_at"] == "2019-02-14T15:31:00+07:00"
    assert record["authors"] == ["Huy Kiên"]
    assert record["images"][0]["caption"] == "Phó Bí thư Thành ủy Đào Đức Toàn phát biểu tại buổi làm việc"
    paragraphs = record["body"].split("\n\n")
    assert paragraphs[0].startswith("HNP - Sáng 14/02, Phó Bí thư Thành ủy")
    assert paragraphs[-1].startswith("* Sáng cùng ngày, Phó Bí thư Thành ủy")
    seed = [ln.strip() for ln in (corpus.DATA_DIR / "004_3e7fb49decb3d2c2.txt").read_text("utf-8").splitlines()]
    seed = [ln for ln in seed if ln]
    assert paragraphs == [seed[1], *seed[3:seed.index("Huy Kiên")]]
    for banned in ("Phó Bí thư Thành ủy Đào Đức Toàn phát biểu tại buổi làm việc", "Huy Kiên", "Các bài mới đăng",
                   "Viết bình luận", "Họ tên", "Mã xác nhận", "Lấy lại mã bảo mật", "L?y", "\ufffd"):
        assert banned not in record["body"], banned


def test_variant_urls_lead_to_one_record_and_one_fetch(demo_run):
    run = demo_run.sites["longbien"]
    assert len([r for r in run.records if r["id"] == f"longbien:{corpus.VARIANT_ENTRY_ID}"]) == 1
    slug = site("longbien").by_id[corpus.VARIANT_ENTRY_ID].url_title
    params = [parse_qs(urlsplit(t).query) for h, _, t, _, _ in demo_run.access if h.endswith("longbien.gov.vn")
              or h == "longbien.hanoi.gov.vn"]
    fetched = [p for p in params if p.get("_101_assetEntryId") == [str(corpus.VARIANT_ENTRY_ID)]
               or ("_101_assetEntryId" not in p and p.get("_101_urlTitle") == [slug])]
    # Entry-id variants (order, p_p_state, alias host) share a key; the urlTitle-only variant's
    # key is tied to the entry id by the links that carry both (assetEntryId + urlTitle).
    assert len(fetched) == 1
    assert "wardcrawl/dropped/duplicate_id" not in run.stats


def test_instanced_publisher_with_friendly_urls_and_a_sidebar_publisher_first(demo_run):
    """soyte: a publisher of abstracts (each with its own div.asset-content) stands before the
    section's own on every page; every article still comes out with its own title and body."""
    mirror_site = site("soyte")
    page = mirror_site.render_article(mirror_site.articles[0]).decode("utf-8")
    assert page.index('class="asset-abstract') < page.index('id="_101_INSTANCE_4IVkx5Jltnbg_')
    by_id = {r["id"]: r for r in demo_run.sites["soyte"].records}
    for article in mirror_site.articles:
        record = by_id[f"soyte:{article.entry_id}"]
        assert (record["title"], record["body"].split("\n\n")) == (article.title, article.paragraphs)
    targets = [t for h, _, t, _, _ in demo_run.access if h == "soyte.hanoi.gov.vn"]
    assert any("/-/asset_publisher/4IVkx5Jltnbg/content/" in t for t in targets)
    assert not any(t.endswith("/rss") or "p_p_lifecycle=2" in t for t in targets)
    # Each article fetched once, whichever of its URL forms (friendly urlTitle, _101_ related link) came first.
    assert len([t for t in targets if "/-/" in t or "assetEntryId" in t]) == len(mirror_site.articles)


def test_crawler_stays_on_site_and_never_follows_actions(demo_run):
    hosts = {host for s in registry().values() for host in s.hosts}
    for host, method, target, status, _ in demo_run.access:
        assert host in hosts
        assert method == "GET" or (method == "POST" and target == "/api/NewsZone/NewsZone"), (method, target)
        assert parse_qs(urlsplit(target).query).get("p_p_lifecycle") != ["1"], target
        assert not urlsplit(target).path.startswith(("/c/", "/tim-kiem")), target  # robots.txt disallows
        assert status == 200 or (status == 503 and method == "POST"), target  # one planned transient 503
    for slug in MIRRORED_SITES:
        assert (registry()[slug].host, "GET", "/robots.txt", 200, "") in demo_run.access


def _listing_pages(mirror_site) -> set[tuple[str, str]]:
    """(host, target) of every listing page a full crawl must request (AJAX pages aside)."""
    if isinstance(mirror_site, HanoiCmsSite):
        pages = {(mirror_site.host, path) for path in mirror_site.sections}
        if not mirror_site.api:
            pages |= {(mirror_site.host, f"{path}?page={n}") for path in mirror_site.sections
                      for n in range(2, mirror_site.last_page(path) + 1)}
        return pages
    stray = getattr(mirror_site, "stray_units", ())
    urls = [urlsplit(mirror_site.listing_url(path, n)) for path in mirror_site.sections
            if path.rsplit("/", 1)[-1] not in stray for n in range(1, mirror_site.last_page(path) + 1)]
    return {(u.hostname, u.path + (f"?{u.query}" if u.query else "")) for u in urls}


@pytest.mark.parametrize("slug", MIRRORED_SITES)
def test_every_listing_page_walked(demo_run, slug):
    requested = {(h, t) for h, _, t, _, _ in demo_run.access}
    assert _listing_pages(site(slug)) <= requested


@pytest.mark.parametrize("slug, end", [("hanoi", "empty_page"), ("viethung", "empty_page"),
                                       ("caugiay", "repeated_page")])
def test_ajax_listing_walked_to_its_end(demo_run, slug, end):
    mirror_site = site(slug)
    asked = [parse_qs(body) for h, m, t, status, body in demo_run.access if h == mirror_site.host and m == "POST"]
    for path, zone in mirror_site.zones.items():
        pages = sorted(int(q["PageIndex"][0]) for q in asked if q["ZoneId"] == [zone])
        last = mirror_site.last_page(path)
        # Pages 2..last, then one more that ends the walk (empty, or the last page again).
        assert sorted(set(pages)) == list(range(2, last + 2)), (path, pages)
    assert demo_run.sites[slug].stats[f"wardcrawl/listing_end/{end}"] == len(mirror_site.zones)


def test_transient_listing_error_is_retried(demo_run):
    statuses = [s for h, m, t, s, body in demo_run.access if h == "hanoi.gov.vn" and m == "POST"
                and parse_qs(body).get("PageIndex") == ["2"] and parse_qs(body).get("ZoneId") == ["184"]]
    assert statuses == [503, 200]
    assert "wardcrawl/listing_error/HttpError" not in demo_run.sites["hanoi"].stats


@pytest.mark.parametrize("slug", MIRRORED_SITES)
def test_nothing_dropped_without_a_reason(demo_run, slug):
    stats = demo_run.sites[slug].stats
    dropped = stats.get("item_dropped_count", 0)
    reasons = sum(v for k, v in stats.items() if k.startswith(("wardcrawl/dropped/", "wardcrawl/rejected/")))
    assert dropped == reasons
    assert stats["item_scraped_count"] == len(demo_run.sites[slug].records)
    assert stats["finish_reason"] == "finished"
    assert not any(k.startswith("wardcrawl/layout_miss/") for k in stats)


def test_boilerplate_removals_counted_by_rule(demo_run):
    old_portal = demo_run.sites["hanoi-liferay"].stats
    for rule in ("post_lists", "byline"):
        assert old_portal[f"wardcrawl/boilerplate/{rule}"] >= 17, rule
    longbien = demo_run.sites["longbien"].stats
    for rule in ("date_line", "gallery_intro", "print_back_links"):
        assert longbien[f"wardcrawl/boilerplate/{rule}"] >= 1, rule
