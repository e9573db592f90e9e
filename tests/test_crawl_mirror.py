"""End to end: `scrapy demo` crawls every mirrored site over loopback with the real URLs."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from mirror import corpus
from mirror.hanoicms import PAGE_SIZE, HanoiCmsSite
from mirror.sites import MIRRORED_SITES, site
from wardcrawl.schema import validation_errors
from wardcrawl.sites import registry


def test_demo_crawls_every_verified_site():
    """The demo's sites are the verified ones; generated (unverified) entries wait for a probe and a person."""
    assert set(MIRRORED_SITES) == {slug for slug, site in registry().items() if site.verified}


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
    # every crawl's state store closed at the end of the run (runner.close_stores), its WAL checkpointed
    assert not list(demo_run.data_dir.rglob("*.sqlite3-wal"))


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
    """(host, target) of every listing page a full crawl must request (listing-API pages aside)."""
    if isinstance(mirror_site, HanoiCmsSite):  # the registry has every category's API values: no ?page=N
        return {(mirror_site.host, path) for path in mirror_site.sections}
    stray = getattr(mirror_site, "stray_units", ())
    urls = [urlsplit(mirror_site.listing_url(path, n)) for path in mirror_site.sections
            if path.rsplit("/", 1)[-1] not in stray for n in range(1, mirror_site.last_page(path) + 1)]
    return {(u.hostname, u.path + (f"?{u.query}" if u.query else "")) for u in urls}


@pytest.mark.parametrize("slug", MIRRORED_SITES)
def test_every_listing_page_walked(demo_run, slug):
    requested = {(h, t) for h, _, t, _, _ in demo_run.access}
    assert _listing_pages(site(slug)) <= requested


CMS_SITES = ("hanoi", "viethung", "caugiay", "duongnoi")


def _api_posts(demo_run, host: str) -> list[tuple[dict, int, str]]:
    """(form fields, status, raw body) of every listing-API request to ``host``, in order."""
    return [(parse_qs(body), status, body) for h, m, t, status, body in demo_run.access
            if h == host and m == "POST" and t == "/api/NewsZone/NewsZone"]


@pytest.mark.parametrize("slug", CMS_SITES)
def test_listing_api_posts_replay_the_registry_values_from_page_index_0(demo_run, slug):
    """Every POST body, read from the mirror's access log: the registry's opaque values, PageIndex 0, 1, 2...
    and DataIds[] = the ids the category page showed; the walk ends at the empty answer past the end."""
    mirror_site, entry = site(slug), registry()[slug]
    posts = _api_posts(demo_run, entry.host)
    assert posts
    for section in entry.sections:
        expected = {**entry.api, **section.api}
        mine = [(form, status, body) for form, status, body in posts if form.get("Catname") == [section.api["Catname"]]]
        shown = [str(a.entry_id) for a in mirror_site.page_items(section.path, 1)]
        for form, status, body in mine:
            assert {k: form[k] for k in expected} == {k: [v] for k, v in expected.items()}, body
            assert form["DataIds[]"] == shown, body
            assert list(form)[0] == "PageIndex"
        pages = [int(form["PageIndex"][0]) for form, status, _ in mine if status == 200]
        answered = mirror_site.api_items(section.path, 0, set(shown))
        assert answered, "the mirror's categories have more items than their first page shows"
        remaining = len([a for a in mirror_site.in_section(section.path) if str(a.entry_id) not in shown])
        assert pages == list(range(0, -(-remaining // PAGE_SIZE) + 1)), (section.path, pages)  # + the empty one
    assert demo_run.sites[slug].stats["wardcrawl/listing_end/empty_page"] == len(entry.sections)
    assert not any(k.startswith("wardcrawl/listing_api_") for k in demo_run.sites[slug].stats)
    assert demo_run.summary["sites"][slug]["listing_api"] == {"missing": [], "empty": []}


def test_listing_api_request_headers(demo_run):
    """X-Requested-With, as every known client sends it (the access log keeps bodies, not headers)."""
    from scrapy.utils.test import get_crawler

    from tests.test_listing_walks import mirror_response
    from wardcrawl.spiders.hanoicms import HanoiSpider

    spider = HanoiSpider.from_crawler(get_crawler(HanoiSpider, {"DATA_DIR": str(demo_run.data_dir / "headers")}),
                                      run_id="t")
    spider.crawler.stats.open_spider()
    out = list(spider.parse_category(mirror_response("hanoi", "https://hanoi.gov.vn/tin-tuc-su-kien-noi-bat")))
    post = next(r for r in out if r.method == "POST")
    assert post.headers[b"X-Requested-With"] == b"XMLHttpRequest"
    assert post.headers[b"Content-Type"].startswith(b"application/x-www-form-urlencoded")
    assert b"Cookie" not in post.headers and b"Referer" not in post.headers


def test_transient_listing_error_is_retried(demo_run):
    catname = registry()["hanoi"].sections[0].api["Catname"]
    statuses = [s for form, s, _ in _api_posts(demo_run, "hanoi.gov.vn")
                if form.get("PageIndex") == ["1"] and form.get("Catname") == [catname]]
    assert statuses == [503, 200]
    assert "wardcrawl/listing_error/HttpError" not in demo_run.sites["hanoi"].stats


def test_short_ids_and_alias_hosts_give_one_record(demo_run):
    """Related links name some articles by a short id or on www./cmshn./thudo.gov.vn: one record each."""
    for slug in ("hanoi", "viethung"):
        mirror_site = site(slug)
        short_fetched = {t for h, m, t, s, _ in demo_run.access
                         if any(t.endswith(f"-{short}.htm") for short in mirror_site.short_ids.values())}
        assert short_fetched, slug
        ids = [r["id"] for r in demo_run.sites[slug].records]
        assert len(ids) == len(set(ids)) == len(mirror_site.articles)
    # The alias-host links name articles already asked for by their key: never fetched again.
    aliases = {"www.hanoi.gov.vn", "cmshn.hanoi.gov.vn", "thudo.gov.vn"}
    hanoi = site("hanoi")
    assert all(host.encode() in b"".join(hanoi.render_article(a) for a in hanoi.articles) for host in aliases)
    assert not aliases & {h for h, *_ in demo_run.access}


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
