"""Write each crawl's stats next to its feed: data/<site>/<site>-<run_id>.stats.json."""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path

from scrapy import signals


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
        path.parent.mkdir(parents=True, exist_ok=True)
        stats = {k: (v.isoformat() if isinstance(v, datetime) else v)
                 for k, v in self.crawler.stats.get_stats().items()}
        stats["finish_reason"] = reason
        partial = path.with_name(path.name + ".part")
        partial.write_text(json.dumps(stats, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(partial, path)
