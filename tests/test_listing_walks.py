"""Listing walks, callback by callback on the mirror's pages (no network): a walk is a chain of
one request per listing page, in full walks too, and it reaches the last page."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlsplit

import pytest
from scrapy.utils.test import get_crawler

from mirror.sites import site as mirror_site
from wardcrawl import stats
from wardcrawl.text.decoding import decoded_response
from wardcrawl.archive.extract import make_response
from wardcrawl.spiders.hanoicms import DuongnoiSpider
from wardcrawl.spiders.liferay import LongbienSpider
from wardcrawl.spiders.thanhuy import ThanhuyhanoiSpider



class PagerOnlyDuongnoiSpider(DuongnoiSpider):
    """Dương Nội without its listing-API values in the registry: walked through its ?page=N pager."""

    site = replace(DuongnoiSpider.site, api={}, sections=tuple(replace(s, api={}) for s in DuongnoiSpider.site.sections))


SPIDERS = {"longbien": LongbienSpider, "thanhuyhanoi": ThanhuyhanoiSpider, "duongnoi": PagerOnlyDuongnoiSpider}


def open_spider(cls, tmp_path, **settings):
    crawler = get_crawler(cls, {"DATA_DIR": str(tmp_path), **settings})
    crawler.stats.open_spider()
    spider = cls.from_crawler(crawler, run_id="t")
    crawler.spider = spider
    return spider


def mirror_response(slug: str, url: str):
    parts = urlsplit(url)
    page = mirror_site(slug).handle(parts.hostname, parts.path, parts.query)
    assert page.status == 200, url
    return decoded_response(make_response(url, page.body, {"Content-Type": page.content_type}))


def listing_callback(spider):
    return spider.parse_category if isinstance(spider, DuongnoiSpider) else spider.parse_listing


def walk(spider, slug: str, start: str) -> list[tuple[str, list[str]]]:
    """Each listing page the walk asks for from ``start`` on, with the listing requests it yielded."""
    walked, url, kwargs = [], start, {}
    while url and len(walked) < 100:
        out = list(listing_callback(spider)(mirror_response(slug, url), **kwargs))
        following = [r for r in out if getattr(r, "callback", None) == listing_callback(spider)]
        walked.append((url, [r.url for r in following]))
        url, kwargs = (following[0].url, following[0].cb_kwargs) if following else (None, {})
    return walked


@pytest.fixture(autouse=True)
def small_pages(monkeypatch):
    """Two items per listing page, so the mirror's sections have several pages; its pagers name
    every page of a section (as Liferay's does), not just the next."""
    for module in ("mirror.liferay", "mirror.thanhuy", "mirror.hanoicms"):
        monkeypatch.setattr(f"{module}.PAGE_SIZE", 2)


def deepest_section(slug: str) -> str:
    mirror = mirror_site(slug)
    return max(mirror.sections, key=mirror.last_page)


@pytest.mark.parametrize("slug", SPIDERS)
def test_full_walk_follows_only_the_next_page_to_the_last(tmp_path, slug):
    spider = open_spider(SPIDERS[slug], tmp_path)
    assert spider.full_walk  # a first run
    section = deepest_section(slug)
    last = mirror_site(slug).last_page(section)
    assert last >= 3, "a section with a few pages, so that the pager offers more than the next one"
    walked = walk(spider, slug, f"{spider.site.scheme}://{spider.site.host}{section}")
    assert [len(following) for _, following in walked] == [1] * (last - 1) + [0]  # one request per page, none at the end
    numbers = [spider.listing_page_number(url) for url, _ in walked]
    assert numbers == list(range(1, last + 1))
    if slug == "duongnoi":  # walked without API values: counted once, for the report's health reasons
        assert spider.crawler.stats.get_value(stats.listing_api_missing(section)) == 1


def test_api_walk_ends_at_a_page_with_no_new_item(tmp_path):
    """PageIndex 0 with the category page's ids, then 1...; a page showing only items seen before ends the walk."""
    spider = open_spider(DuongnoiSpider, tmp_path)
    section = deepest_section("duongnoi")
    out = list(spider.parse_category(mirror_response("duongnoi", f"https://duongnoi.hanoi.gov.vn{section}")))
    post = next(r for r in out if r.method == "POST")
    assert post.cb_kwargs["page"] == 0 and post.cb_kwargs["shown"]
    fragment = mirror_site("duongnoi").page_items(section, 1)
    same = decoded_response(make_response(post.url, mirror_site("duongnoi")._list(fragment).encode(),
                                          {"Content-Type": "text/html; charset=utf-8"}))
    assert list(spider.parse_api(same, **{**post.cb_kwargs, "page": 3})) == []
    assert spider.crawler.stats.get_value(stats.listing_end("no_new_item")) == 1
    assert spider.crawler.stats.get_value(stats.listing_api_missing(section)) is None


@pytest.mark.parametrize("slug", SPIDERS)
def test_walk_stops_at_listing_max_pages_and_counts_it(tmp_path, slug):
    spider = open_spider(SPIDERS[slug], tmp_path, LISTING_MAX_PAGES=2)
    section = deepest_section(slug)
    walked = walk(spider, slug, f"{spider.site.scheme}://{spider.site.host}{section}")
    assert len(walked) == 2
    assert spider.crawler.stats.get_value(stats.LISTING_OVER_LIMIT) == 1


def test_next_listing_pages_start_at_the_smallest_page_above_the_current_one(tmp_path):
    spider = open_spider(ThanhuyhanoiSpider, tmp_path, LISTING_SKIP_FAILED=2)
    base = "https://thanhuyhanoi.vn/tin-tuc/x"
    pager = [f"{base}?page=1", f"{base}?page=9", f"{base}?page=5", f"{base}?ngay=2025-01-02", f"{base}?page=4",
             f"{base}?page=6", f"{base}?page=5&x=1"]
    # the next page, then the two a failure of it (and of the next) would skip to
    assert spider.next_listing_pages(f"{base}?page=3", pager) == [f"{base}?page=4", f"{base}?page=5", f"{base}?page=6"]
    assert spider.next_listing_pages(f"{base}?page=6", pager) == [f"{base}?page=9"]  # the next the pager offers
    assert spider.next_listing_pages(f"{base}?page=9", pager) == []
    assert spider.next_listing_pages(base, [f"{base}?ngay=2025-01-02"]) == []  # a calendar: page 1, never next


def test_article_requests_ask_once_per_article_key_and_count_known_skips(tmp_path):
    spider = open_spider(LongbienSpider, tmp_path)
    mirror = mirror_site("longbien")
    first, second, known = mirror.articles[:3]
    spider.known = {f"longbien:{known.entry_id}": "2000-01-01"}  # archived long ago: not fetched again
    urls = [mirror.article_url(first), mirror.article_url(first, "maximized"), mirror.article_url(first, "alias"),
            mirror.article_url(second, "viewmode"), mirror.article_url(known), mirror.article_url(known, "alias"),
            f"{mirror.base}/tintucsukien"]
    asked = list(spider.article_requests(urls))
    assert [r.meta["article_key"] for r in asked] == [f"longbien:{first.entry_id}", f"longbien:t:{second.url_title}"]
    assert asked[0].url == urls[0]
    assert spider.crawler.stats.get_value(stats.SKIPPED_KNOWN) == 1  # one known article, linked twice
    # Later pages linking the same articles (any variant) ask for nothing new.
    assert list(spider.article_requests([mirror.article_url(first, "alias"), mirror.article_url(second, "viewmode")])) == []


def test_liferay_urltitle_and_entry_id_of_one_article_are_asked_for_once(tmp_path):
    """A link with both an entry id and a urlTitle ties the two keys; either way round, one request."""
    spider = open_spider(LongbienSpider, tmp_path)
    mirror = mirror_site("longbien")
    first, second = mirror.articles[:2]
    asked = list(spider.article_requests([mirror.article_url(first, "viewmode"), mirror.article_url(first),
                                          mirror.article_url(second), mirror.article_url(second, "viewmode")]))
    assert [r.meta["article_key"] for r in asked] == [f"longbien:t:{first.url_title}", f"longbien:{second.entry_id}"]
    # The record's URL names both keys, so the next run knows the urlTitle link too (AliasPipeline).
    assert spider.url_keys(mirror.article_url(second)) == [str(second.entry_id), f"t:{second.url_title}"]
    assert spider.url_keys(f"{mirror.base}/vanhoa") == []


def test_a_failed_listing_page_is_skipped_and_counted(tmp_path):
    from scrapy.spidermiddlewares.httperror import HttpError
    from twisted.python.failure import Failure

    spider = open_spider(ThanhuyhanoiSpider, tmp_path, LISTING_SKIP_FAILED=1)
    base = "https://thanhuyhanoi.vn/tin-tuc/x"
    first = next(spider.listing_request([f"{base}?page=2", f"{base}?page=3"], spider.parse_listing, 4))
    assert first.errback == spider.listing_failed and first.cb_kwargs == {"streak": 4, "ahead": (f"{base}?page=3",)}
    from scrapy.http import HtmlResponse

    failure = Failure(HttpError(HtmlResponse(f"{base}?page=2", status=500, body=b"")))
    failure.request = first
    skipped = list(spider.listing_failed(failure))
    assert [(r.url, r.cb_kwargs) for r in skipped] == [(f"{base}?page=3", {"streak": 4, "ahead": ()})]
    failure.request = skipped[0]
    assert list(spider.listing_failed(failure)) == []  # nothing left to skip to: the walk ends this run
    assert spider.crawler.stats.get_value(stats.listing_error("HttpError")) == 2
    assert spider.crawler.stats.get_value(stats.listing_end("failed_page")) == 1
