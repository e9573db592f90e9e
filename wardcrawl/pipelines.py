"""Item pipelines, thin: Clean -> Normalise -> Places -> Validate -> Alias -> Dedupe -> Export.

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
from wardcrawl.digest import digest
from wardcrawl.cleaning import clean_article, normalise_article
from wardcrawl.items import Article
from wardcrawl.journal import Journal, recover
from wardcrawl.places.record import tag_article
from wardcrawl.schema import validation_errors
from wardcrawl.text.dates import HANOI_TZ

logger = logging.getLogger(__name__)


def record_of(item) -> dict:
    """The item as the dict that is validated and exported: ``Article.to_record`` (plain data
    without ``ItemAdapter.asdict``'s deep copy of every string) for an Article."""
    return item.to_record() if isinstance(item, Article) else ItemAdapter(item).asdict()


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
        for field in ("title", "body", "published_at"):  # health: a layout change shows here first
            if getattr(article, field):
                self.stats.inc_value(stats.coverage(field))
        return article


class PlacesPipeline(_CrawlerPipeline):
    """``places`` and ``site_place`` (wardcrawl.places); an ambiguous name is counted, not guessed."""

    def process_item(self, item):
        article = tag_article(item)
        if any(place["id"] is None for place in article.places):
            self.stats.inc_value(stats.PLACES_AMBIGUOUS)
        return article


class ValidatePipeline(_CrawlerPipeline):
    """Invalid records are not exported: they go to the run's rejects file, with reasons."""

    def open_spider(self):
        spider = self.crawler.spider
        data_dir = Path(self.crawler.settings.get("DATA_DIR", "data"))
        run_id = getattr(spider, "run_id", "run")
        self.rejects = Journal(data_dir / spider.name / f"{spider.name}-{run_id}.rejects.jsonl")

    def process_item(self, item):
        record = record_of(item)
        errors = validation_errors(record)
        if not errors:
            return item
        for field, _ in errors:
            self.stats.inc_value(stats.rejected(field))
        self.rejects.append({"errors": [f"{f}: {m}" for f, m in errors], "record": record})
        logger.warning("Rejected %s (%s): %s", record.get("id"), record.get("url"), errors[0][1])
        raise DropItem(f"schema: {errors[0][0]}: {errors[0][1]}")

    def close_spider(self):
        self.rejects.close()


class AliasPipeline(_CrawlerPipeline):
    """Remember URL keys that differ from the article id (a urlTitle-only Liferay link), so the
    next run knows that URL's article without fetching it."""

    def process_item(self, item):
        article = ItemAdapter(item)
        spider = self.crawler.spider
        for key in spider.url_keys(article["url"]):
            url_key = f"{article['site']}:{key}"
            if url_key != article["id"]:
                spider.state.alias(url_key, article["id"])
        return item


class DedupePipeline(_CrawlerPipeline):
    """One record per article id per run (the same article under several URLs).

    Two different ids with the same title key (tone placement aside) on the same day are
    kept, both flagged ``possible_duplicate``: a republished item, or two legitimately alike.
    """

    def open_spider(self):
        self.seen: set[str] = set()
        self.titles: dict[bytes, str] = {}

    def process_item(self, item):
        article = ItemAdapter(item)
        article_id = article["id"]
        if article_id in self.seen:
            self.stats.inc_value(stats.dropped("duplicate_id"))
            raise DropItem(f"duplicate article id {article_id}")
        self.seen.add(article_id)
        # A digest of the title key and day, not the strings: the run keeps one per article.
        same_day_title = digest(article.get("title_match_key") or "", (article.get("published_at") or "")[:10])
        other = self.titles.setdefault(same_day_title, article_id)
        if other != article_id:
            article["quality"] = sorted({*article["quality"], "possible_duplicate"})
            self.stats.inc_value(stats.quality("possible_duplicate"))
            logger.info("%s has the same title and day as %s", article_id, other)
        self.stats.inc_value(stats.EXPORTED)
        return item


class ExportPipeline(_CrawlerPipeline):
    """Exactly-once export to data/<site>/<site>-<run>.jsonl, versioned against the state store.

    A new article is exported as version 1; a known one whose normalised text changed as the
    next version, with ``previous_sha256``; an unchanged one is not exported again (counted
    under wardcrawl/dropped/unchanged). The journal line is written before the state store
    records it, and journals a crashed run left are recovered first (wardcrawl/journal.py).
    """

    def open_spider(self):
        spider = self.crawler.spider
        self.state = spider.state
        self.since = getattr(spider, "since", None)
        folder = Path(self.crawler.settings.get("DATA_DIR", "data")) / spider.name
        own = f"{spider.name}-{spider.run_id}.jsonl"
        for partial in sorted(folder.glob(f"{spider.name}-*.jsonl.part")):
            if partial.name != own + ".part":
                kept = recover(partial, None if ".rejects." in partial.name else self._replay)
                self.stats.inc_value(f"{stats.PREFIX}/recovered_records", kept)
                logger.warning("Recovered %d records from %s, left by an interrupted run", kept, partial.name)
        self.journal = Journal(folder / own)

    def _replay(self, record: dict) -> None:
        self.state.remember(record["id"], record["content_sha256"], record.get("version", 1),
                            record.get("published_at"), record.get("fetched_at") or "")

    def process_item(self, item):
        article = ItemAdapter(item)
        if self.since and article.get("published_at") and article["published_at"][:10] < self.since:
            self.stats.inc_value(stats.dropped("before_since"))
            raise DropItem(f"published {article['published_at']} before since={self.since}")
        outcome = self.state.classify(article["id"], article["content_sha256"])
        self.stats.inc_value(stats.articles(outcome.kind))
        if outcome.kind == "unchanged":
            self.state.touch(article["id"], article["fetched_at"])
            self.stats.inc_value(stats.dropped("unchanged"))
            raise DropItem("unchanged since the last capture")
        article["version"], article["previous_sha256"] = outcome.version, outcome.previous_sha256
        self.journal.append(record_of(item))
        self.state.remember(article["id"], article["content_sha256"], outcome.version, article.get("published_at"),
                            article["fetched_at"])
        return item

    def close_spider(self):
        self.journal.close()
