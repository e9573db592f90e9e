"""Every family's parser and cleaning on saved pages: exact metadata, every paragraph, no furniture.

Runs over every fixture page under tests/fixtures/<family>/, so a new site's fixtures are
its parser tests.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.conftest import fixture_pages
from wardcrawl.archive.extract import extract
from wardcrawl.sites import FAMILIES, registry

PAGES = [p for family in FAMILIES for p in fixture_pages(family)]
ARTICLES = [p for p in PAGES if "title" in p.expected]
LISTINGS = [p for p in PAGES if "article_urls" in p.expected]
FURNITURE = ["Ngày đăng", "Lượt xem", "View count", "In bài viết", "Quay lại", "Tin khác", "Xem với cỡ chữ",
             "Tin nổi bật", "Đánh giá", "Liên kết website", "Cơ quan chủ quản", "Về đầu trang", "Lên đầu trang",
             "Powered By", "Xem thêm", "Từ khóa", "Chia sẻ", "Tin liên quan", "Tin cùng chuyên mục",
             "Bản quyền", "Các bài mới đăng", "Viết bình luận", "Mã xác nhận", "\ufffd"]
META_FIELDS = ["id", "site", "url", "canonical_url", "section", "title", "published_at", "published_precision",
               "published_raw", "view_count", "images", "gallery_title", "quality", "encoding", "encoding_declared", "language",
               "authors", "lead", "keywords", "unit"]


def extract_page(page):
    captured = datetime.fromisoformat(page.meta["captured_at"])
    return extract(registry()[page.meta["site"]], page.response(), captured)


def test_every_family_has_fixtures():
    assert {p.family for p in ARTICLES} == set(FAMILIES)


@pytest.mark.parametrize("page", ARTICLES, ids=lambda p: p.name)
def test_article_metadata_is_exact(page):
    result = extract_page(page)
    assert result.errors == []
    for field in META_FIELDS:
        assert result.record[field] == page.expected[field], field
    assert result.record["fetched_at"] == page.meta["captured_at"]


@pytest.mark.parametrize("page", ARTICLES, ids=lambda p: p.name)
def test_article_body_has_every_paragraph_in_order_and_no_furniture(page):
    record = extract_page(page).record
    assert record["body"].split("\n\n") == page.expected["body_paragraphs"]
    lossy = "lossy_mojibake" in page.expected["quality"]  # garbled content is kept (and flagged)
    for text in FURNITURE:
        assert text not in record["body"] or (lossy and text == "\ufffd"), text
    for image in page.expected["images"]:
        if image["caption"]:
            assert image["caption"] not in record["body"]
    for author in page.expected["authors"]:
        assert author not in record["body"].split("\n\n")
    if page.expected["lead"]:
        assert page.expected["lead"] not in record["body"]


def test_page_without_article_container_gives_nothing():
    for page in LISTINGS:
        result = extract(registry()[page.meta["site"]], page.response())
        assert result.record is None and "layout miss" in result.errors[0], page.name
