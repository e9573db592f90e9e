"""Write each crawl's stats next to its feed: data/<site>/<site>-<run_id>.stats.json."""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path

from scrapy import signals

from wardcrawl.state.guard import fail_write


class StatsFile:
    def __init__(self, crawler):
        self.crawler = crawler
        self.data_dir = Path(crawler.settings.get("DATA_DIR", "data"))

    @classmethod
    def from_crawler(cls, crawler):
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_closed(self, spider, reason):
        run_id = getattr(spider, "run_id", "run")
        path = self.data_dir / spider.name / f"{spider.name}-{run_id}.stats.json"
        # Scrapy's log_count/* count every record of the process, not this crawl's: left out here.
        stats = {k: (v.isoformat() if isinstance(v, datetime) else v)
                 for k, v in self.crawler.stats.get_stats().items() if not k.startswith("log_count/")}
        stats["finish_reason"] = reason
        try:
            write_atomically(path, json.dumps(stats, ensure_ascii=False, indent=1, sort_keys=True))
        except OSError as exc:
            fail_write(self.crawler, "stats", path, exc)


def write_atomically(path: Path, text: str) -> None:
    """``text`` to ``path`` through ``<path>.part`` and a rename; on failure no ``.part`` is left."""
    partial = path.with_name(path.name + ".part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with partial.open("w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, path)
    except OSError:
        partial.unlink(missing_ok=True)
        raise
