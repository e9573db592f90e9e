"""scrapy demo: the main job on the offline mirror.

Starts the mirror on a free loopback port, crawls every mirrored site with its real URLs,
writes data/<site>/<site>-<run>.jsonl (plus .stats.json and, if any, .rejects.jsonl),
prints a summary, and stops the mirror.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from scrapy.commands import ScrapyCommand
from scrapy.crawler import CrawlerProcess
from scrapy.exceptions import UsageError
from scrapy.settings import SETTINGS_PRIORITIES, Settings

from wardcrawl import stats
from wardcrawl.feeds import FEED_TEMPLATE, feeds_under
from wardcrawl.spiders.base import run_id_now


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False

    def short_desc(self) -> str:
        return "Crawl the offline mirror of every mirrored site (the demo / main job)"

    def add_options(self, parser) -> None:
        super().add_options(parser)
        parser.add_argument("--sites", help="comma-separated slugs (default: every mirrored site)")
        parser.add_argument("--data-dir", default=None, help="where outputs go (default: DATA_DIR, 'data')")

    def run(self, args, opts) -> None:
        from mirror.server import running_mirror
        from mirror.sites import MIRRORED_SITES

        sites = opts.sites.split(",") if opts.sites else list(MIRRORED_SITES)
        unknown = [s for s in sites if s not in MIRRORED_SITES]
        if unknown:
            raise UsageError(f"no mirror for {', '.join(unknown)}; mirrored: {', '.join(MIRRORED_SITES)}")
        data_dir = Path(opts.data_dir or self.settings.get("DATA_DIR", "data"))
        run_id = run_id_now()
        started = time.monotonic()
        with running_mirror(data_dir / "mirror" / f"access-{run_id}.log") as mirror:
            os.environ["WARDCRAWL_MIRROR"] = mirror.address
            settings = Settings()
            settings.setmodule("wardcrawl.settings.mirror", priority="project")
            settings.set("MIRROR_ADDRESS", mirror.address, priority="cmdline")
            settings.set("DATA_DIR", str(data_dir), priority="cmdline")
            settings.set("FEEDS", feeds_under(str(data_dir)), priority="cmdline")
            for name in self.settings:  # keep `-s NAME=VALUE` given on the command line
                if self.settings.getpriority(name) >= SETTINGS_PRIORITIES["cmdline"]:
                    settings.set(name, self.settings[name], priority="cmdline")
            process = CrawlerProcess(settings)
            crawlers = []
            for slug in sites:
                crawler = process.create_crawler(slug)
                crawlers.append(crawler)
                process.crawl(crawler, run_id=run_id)
            process.start()
        seconds = time.monotonic() - started
        summary = self._summary(crawlers, data_dir, run_id, seconds)
        print(json.dumps(summary, ensure_ascii=False, indent=2))
        failed = [s for s, r in summary["sites"].items() if r["finish_reason"] != "finished" or not r["exported"]]
        self.exitcode = 1 if failed else 0

    @staticmethod
    def _summary(crawlers, data_dir: Path, run_id: str, seconds: float) -> dict:
        sites = {}
        for crawler in crawlers:
            name = crawler.spider.name
            values = crawler.stats.get_stats()
            sites[name] = {
                "feed": str(data_dir / (FEED_TEMPLATE % {"name": name, "run_id": run_id})),
                "exported": values.get(stats.EXPORTED, 0),
                "pages": values.get("response_received_count", 0),
                "dropped": {k.split("/", 1)[1]: v for k, v in values.items()
                            if k.startswith((f"{stats.PREFIX}/dropped/", f"{stats.PREFIX}/rejected/",
                                             f"{stats.PREFIX}/layout_miss/"))},
                "finish_reason": values.get("finish_reason"),
            }
        return {"run_id": run_id, "seconds": round(seconds, 2), "sites": sites}
