"""Item pipelines, thin: Clean -> Normalise -> Validate -> Dedupe.

Each calls small tested functions (wardcrawl.cleaning, wardcrawl.text, wardcrawl.schema)
and adds what only a pipeline can: stats, logging, the rejects file. Every dropped item
is counted under wardcrawl/dropped/<reason> or wardcrawl/rejected/<field>.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from pathlib import Path

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from wardcrawl import stats
from wardcrawl.cleaning import clean_article, normalise_article
from wardcrawl.feeds import AtomicJsonLines
from wardcrawl.schema import validation_errors
from wardcrawl.text.dates import HANOI_TZ

logger = logging.getLogger(__name__)


class _CrawlerPipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)


class CleanPipeline(_CrawlerPipeline):
    def process_item(self, item):
        cleaned, removed = clean_article(item)
        for rule, count in removed.items():
            self.stats.inc_value(stats.boilerplate(rule), count)
        return cleaned


class NormalisePipeline(_CrawlerPipeline):
    def process_item(self, item):
        article = normalise_article(item, datetime.now(HANOI_TZ))
        for flag in article.quality:
            self.stats.inc_value(stats.quality(flag))
        return article


class ValidatePipeline(_CrawlerPipeline):
    """Invalid records are not exported: they go to the run's rejects file, with reasons."""

    def open_spider(self):
        spider = self.crawler.spider
        data_dir = Path(self.crawler.settings.get("DATA_DIR", "data"))
        run_id = getattr(spider, "run_id", "run")
        self.rejects = AtomicJsonLines(data_dir / spider.name / f"{spider.name}-{run_id}.rejects.jsonl")

    def process_item(self, item):
        record = ItemAdapter(item).asdict()
        errors = validation_errors(record)
        if not errors:
            return item
        for field, _ in errors:
            self.stats.inc_value(stats.rejected(field))
        self.rejects.write(json.dumps({"errors": [f"{f}: {m}" for f, m in errors], "record": record},
                                      ensure_ascii=False))
        logger.warning("Rejected %s (%s): %s", record.get("id"), record.get("url"), errors[0][1])
        raise DropItem(f"schema: {errors[0][0]}: {errors[0][1]}")

    def close_spider(self):
        self.rejects.close()


class DedupePipeline(_CrawlerPipeline):
    """One record per article id per run (the same article under several URLs)."""

    def open_spider(self):
        self.seen: set[str] = set()

    def process_item(self, item):
        article_id = ItemAdapter(item)["id"]
        if article_id in self.seen:
            self.stats.inc_value(stats.dropped("duplicate_id"))
            raise DropItem(f"duplicate article id {article_id}")
        self.seen.add(article_id)
        self.stats.inc_value(stats.EXPORTED)
        return item
