"""Item pipelines, thin: Clean -> Normalise -> Places -> Validate -> Alias -> Dedupe -> Export.

Each calls small tested functions (wardcrawl.text: cleaning and the rest; wardcrawl.schema)
and adds what only a pipeline can: stats, logging, the rejects file. Every dropped item
is counted under wardcrawl/dropped/<reason> or wardcrawl/rejected/<field>.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from wardcrawl import stats
from wardcrawl.digest import digest
from wardcrawl.text.cleaning import clean_article, normalise_article
from wardcrawl.items import Article
from wardcrawl.state.journal import Journal, is_live, recover
from wardcrawl.places.record import tag_article
from wardcrawl.schema import validation_errors
from wardcrawl.state.guard import WriteFailed, fail_write, write_failures
from wardcrawl.state.repair import revert
from wardcrawl.text import sanity
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
    """Invalid records are not exported: they go to the run's rejects file, with reasons. Invalid is
    what fails the schema, and what content sanity (wardcrawl/text/sanity.py) finds garbled, or
    lost against the archived version: that version stands."""

    def open_spider(self):
        spider = self.crawler.spider
        data_dir = Path(self.crawler.settings.get("DATA_DIR", "data"))
        run_id = getattr(spider, "run_id", "run")
        self.state = getattr(spider, "state", None)
        self.rejects = Journal(data_dir / spider.name / f"{spider.name}-{run_id}.rejects.jsonl")

    def _archived(self, record: dict):
        """The archived version a record would replace (None for a new article, or for the same text)."""
        if self.state is None or not record.get("id"):
            return None
        try:
            known = self.state.get(record["id"])
        except WriteFailed as exc:
            raise DropItem(str(exc)) from exc
        return known if known and known.sha256 != record.get("content_sha256") else None

    def process_item(self, item):
        record = record_of(item)
        errors = validation_errors(record)
        problems = sanity.problems(record, self._archived(record))
        if not errors and not problems:
            return item
        for field, _ in errors:
            self.stats.inc_value(stats.rejected(field))
        for problem in problems:
            self.stats.inc_value(stats.rejected(f"sanity/{problem}"))
        self.stats.inc_value(stats.REJECTED_RECORDS)
        reasons = [f"{f}: {m}" for f, m in errors] + [f"sanity: {p}" for p in problems]
        try:
            self.rejects.append({"errors": reasons, "record": record})
        except OSError as exc:
            raise DropItem("rejects file not written") from fail_write(self.crawler, "rejects", self.rejects.partial,
                                                                       exc)
        logger.warning("Rejected %s (%s): %s", record.get("id"), record.get("url"), reasons[0])
        raise DropItem(f"rejected: {reasons[0]}")

    def close_spider(self):
        _close_journal(self.crawler, self.rejects, "rejects")


def _close_journal(crawler, journal: Journal, what: str) -> None:
    """Rename a journal into place, unless a write of the run failed: then it stays ``.part`` and the
    next run recovers it (its lines and the state store agree; a finished feed is never half-known)."""
    failed = bool(write_failures(crawler.stats.get_stats()))
    try:
        journal.close(finish=not failed)
    except OSError as exc:
        fail_write(crawler, what, journal.partial, exc)


class AliasPipeline(_CrawlerPipeline):
    """Remember URL keys that differ from the article id (a urlTitle-only Liferay link), so the
    next run knows that URL's article without fetching it."""

    def process_item(self, item):
        article = ItemAdapter(item)
        spider = self.crawler.spider
        for key in spider.url_keys(article["url"]):
            url_key = f"{article['site']}:{key}"
            if url_key != article["id"]:
                try:
                    spider.state.alias(url_key, article["id"])
                except WriteFailed as exc:
                    raise DropItem(str(exc)) from exc
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
        # A recovery's captures of one article are its versions (ExportPipeline keeps those whose text differs).
        once = (article_id, article.get("captured_at") or "")
        if once in self.seen:
            self.stats.inc_value(stats.dropped("duplicate_id"))
            raise DropItem(f"duplicate article id {article_id}")
        self.seen.add(once)
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
    records it, and journals a crashed run left are recovered first (wardcrawl/state/journal.py).
    """

    def open_spider(self):
        spider = self.crawler.spider
        self.state = spider.state
        self.since = getattr(spider, "since", None)
        # An ad-hoc feed (-o/-O) is a copy of what the crawl read: unchanged articles go to it too.
        self.copy = bool(self.crawler.settings.getdict("FEEDS"))
        self.data_dir = Path(self.crawler.settings.get("DATA_DIR", "data"))
        folder = self.data_dir / spider.name
        own = f"{spider.name}-{spider.run_id}.jsonl"
        self.journal = Journal(folder / own)
        self.failed = False
        for partial in sorted(folder.glob(f"{spider.name}-*.jsonl.part")):
            if partial.name == own + ".part" or is_live(partial):
                continue  # this run's, or a live run's: never recovered
            try:
                self._recover(partial)
            except (OSError, WriteFailed) as exc:
                self.failed = True
                fail_write(self.crawler, "journal", partial, exc)
                return

    def _recover(self, partial: Path) -> None:
        if ".rejects." in partial.name:
            recover(partial)
            return
        torn: set[str] = set()
        kept = recover(partial, self._replay, torn.add)
        self.stats.inc_value(f"{stats.PREFIX}/recovered_records", kept)
        logger.warning("Recovered %d records from %s, left by an interrupted run", kept, partial.name)
        if torn:  # their state may claim them archived: reset to what the feeds hold, fetch again
            spider = self.crawler.spider
            revert(self.state, self.data_dir, spider.name, torn)
            for article_id in torn:  # this very run fetches them: a full walk, and not known any more
                spider.known.pop(article_id, None)
            spider.full_walk = True
            self.stats.inc_value(f"{stats.PREFIX}/recovered_torn", len(torn))
            logger.warning("%d torn records in %s: %s will be fetched again", len(torn), partial.name,
                           ", ".join(sorted(torn)))

    def _replay(self, record: dict) -> None:
        self.state.remember(record["id"], record["content_sha256"], record.get("version", 1),
                            record.get("published_at"), record.get("fetched_at") or "", len(record.get("body") or ""))

    def process_item(self, item):
        article = ItemAdapter(item)
        if self.failed:  # a write failed: nothing more is exported or recorded; the next run fetches it
            raise DropItem("not exported: a write of this run failed")
        if self.since and article.get("published_at") and article["published_at"][:10] < self.since:
            self.stats.inc_value(stats.dropped("before_since"))
            raise DropItem(f"published {article['published_at']} before since={self.since}")
        try:
            return self._export(item, article)
        except WriteFailed as exc:
            self.failed = True
            raise DropItem(str(exc)) from exc

    def _export(self, item, article):
        outcome = self.state.classify(article["id"], article["content_sha256"])
        self.stats.inc_value(stats.articles(outcome.kind))
        if outcome.kind == "unchanged":
            self.state.touch(article["id"], article["fetched_at"])
            if self.copy:
                return item  # to the ad-hoc feed only
            self.stats.inc_value(stats.dropped("unchanged"))
            raise DropItem("unchanged since the last capture")
        article["version"], article["previous_sha256"] = outcome.version, outcome.previous_sha256
        self.stats.inc_value(stats.articles_from(article.get("source") or "live"))
        try:
            self.journal.append(record_of(item))
        except OSError as exc:
            raise fail_write(self.crawler, "journal", self.journal.partial, exc) from exc
        self.state.remember(article["id"], article["content_sha256"], outcome.version, article.get("published_at"),
                            article["fetched_at"], len(article["body"] or ""))
        return item

    def close_spider(self):
        _close_journal(self.crawler, self.journal, "journal")
