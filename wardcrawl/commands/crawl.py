"""scrapy crawl <site>: Scrapy's command, made safe for the archive.

Like `scrapy cron` for one site: the data dir's lock (a second run refuses, exit 75), the
state store checked first, a run id no run used, a run report (data/reports/run-<run>.json)
and an exit status that says how the run went (wardcrawl/commands/exitcodes.py): a crawl
that could reach nothing is unhealthy (1), not 0. A site another process is crawling
(``wardcrawl.spiders.base.SiteLocked``: on this machine, or another node sharing a PostgreSQL
state store) exits 75, "try again later": that is how `scrapy cron --scrapyd` tells a refused
job from a broken one. ``-o/-O`` ad-hoc feeds get every article
the crawl read, unchanged ones included (``-a full=1`` reads them all: a full copy).
"""

from __future__ import annotations

import sys
import time
from datetime import datetime

from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.exceptions import UsageError

from wardcrawl.commands.exitcodes import FAILED, LOCKED
from wardcrawl.commands.guarded import guarded_run
from wardcrawl.runner import check_since, close_stores, print_summary, report_run
from wardcrawl.text.dates import HANOI_TZ


class Command(ScrapyCrawl):
    def short_desc(self) -> str:
        return "Crawl one registry site (with the data dir's lock, a run report and an exit status)"

    def run(self, args, opts) -> None:
        if len(args) != 1:
            raise UsageError("expected one site: scrapy crawl <site>")
        check_since(opts.spargs.get("since"))
        slug = args[0]
        if slug not in self.crawler_process.spider_loader.list():
            raise UsageError(f"no spider {slug!r}; `scrapy list` names them")
        process = self.crawler_process
        crawlers = []

        def work(run_id: str) -> dict:
            run_id = opts.spargs.get("run_id") or run_id  # `-a run_id=...`: the caller's choice
            started, clock = datetime.now(HANOI_TZ), time.monotonic()
            crawler = process.create_crawler(slug)
            crawlers.append(crawler)
            process.crawl(crawler, **{**opts.spargs, "run_id": run_id})
            process.start()
            try:
                if getattr(crawler, "site_locked", False):
                    return {}
                if process.bootstrap_failed:
                    raise RuntimeError(f"the crawl of {slug} could not start (see the log)")
                return report_run(self.settings, [slug], [crawler], run_id, started, clock)
            finally:
                close_stores([crawler])

        try:
            self.exitcode, report = guarded_run(self.settings, [slug], f"scrapy crawl {slug}", work)
        except RuntimeError as exc:
            print(f"wardcrawl: {exc}", file=sys.stderr)
            self.exitcode = FAILED
            return
        if any(getattr(crawler, "site_locked", False) for crawler in crawlers):
            print(f"wardcrawl: another process is crawling {slug}; nothing was done (try again later)", file=sys.stderr)
            self.exitcode = LOCKED
            return
        if report is not None:
            print_summary(report, sys.stderr)
