"""The pipelines on a real crawler: invalid records to the rejects file, duplicates counted."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from scrapy import Spider
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from wardcrawl.text.cleaning import normalise_article
from wardcrawl.items import Article
from wardcrawl.pipelines import DedupePipeline, ValidatePipeline
from wardcrawl.text.dates import HANOI_TZ


class _Spider(Spider):
    name = "longbien"
    run_id = "test"


def _crawler(tmp_path):
    crawler = get_crawler(_Spider, {"DATA_DIR": str(tmp_path)})
    crawler.spider = _Spider()
    crawler.stats.open_spider()
    return crawler


def _valid() -> Article:
    now = datetime(2026, 11, 22, 21, 0, tzinfo=HANOI_TZ)
    return normalise_article(Article(
        id="longbien:1", site="longbien", url="http://longbien.hanoi.gov.vn/a", canonical_url="http://longbien.hanoi.gov.vn/a",
        title="Tiêu đề", body="Đoạn.", published_raw="Ngày đăng 29/09/2021 | 22:22", encoding="utf-8",
        fetched_at=now.isoformat()), now)


def test_invalid_record_goes_to_rejects_with_reason(tmp_path):
    crawler = _crawler(tmp_path)
    pipeline = ValidatePipeline.from_crawler(crawler)
    pipeline.open_spider()
    assert pipeline.process_item(_valid()) is not None
    bad = _valid()
    bad.published_at = None
    with pytest.raises(DropItem, match="published_at"):
        pipeline.process_item(bad)
    pipeline.close_spider()
    lines = (tmp_path / "longbien" / "longbien-test.rejects.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1
    reject = json.loads(lines[0])
    assert reject["record"]["id"] == "longbien:1" and reject["errors"][0].startswith("published_at")
    assert crawler.stats.get_value("wardcrawl/rejected/published_at") == 1


def test_duplicate_ids_dropped_and_counted(tmp_path):
    crawler = _crawler(tmp_path)
    pipeline = DedupePipeline.from_crawler(crawler)
    pipeline.open_spider()
    pipeline.process_item(_valid())
    with pytest.raises(DropItem, match="duplicate"):
        pipeline.process_item(_valid())
    assert crawler.stats.get_value("wardcrawl/dropped/duplicate_id") == 1
    assert crawler.stats.get_value("wardcrawl/items_accepted") == 1


def test_same_title_under_another_tone_placement_is_flagged_not_dropped(tmp_path):
    crawler = _crawler(tmp_path)
    pipeline = DedupePipeline.from_crawler(crawler)
    pipeline.open_spider()
    first = _valid()
    first.title = "Phường Gia Thụy ra quân"
    second = _valid()
    second.id, second.title = "longbien:2", "Phường Gia Thuỵ ra quân"
    first, second = (normalise_article(a, datetime(2026, 11, 22, tzinfo=HANOI_TZ)) for a in (first, second))
    assert first.title_match_key == second.title_match_key
    assert "possible_duplicate" not in pipeline.process_item(first).quality
    assert "possible_duplicate" in pipeline.process_item(second).quality


def test_record_of_an_article_equals_the_item_adapters_dict():
    from itemadapter import ItemAdapter

    from wardcrawl.pipelines import record_of

    article = _valid()
    article.images = [{"url": "http://longbien.hanoi.gov.vn/documents/1.jpg", "caption": "Ảnh"}]
    article.unit = {"slug": "xa-hat-mon", "name": "Xã Hát Môn", "level": "ward-commune"}
    article.keywords = ["Long Biên"]
    assert record_of(article) == ItemAdapter(article).asdict()
    assert list(record_of(article)) == list(ItemAdapter(article).asdict())  # same field order in the JSON lines
    assert record_of({"id": "x"}) == {"id": "x"}
