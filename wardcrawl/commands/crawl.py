"""scrapy crawl, with the agreed exit status when the site is locked.

Scrapy's own command exits 1 whenever a crawler fails to start; a site another process is
crawling (``wardcrawl.spiders.base.SiteLocked``, on this machine or another node sharing the
state store) exits 75 instead, "try again later", as `scrapy cron` does for its lock. That is
what lets `scrapy cron --scrapyd` tell a refused job from a broken one.
"""

from __future__ import annotations

from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.exceptions import UsageError

from wardcrawl.runner import EX_TEMPFAIL


class Command(ScrapyCrawl):
    def run(self, args, opts) -> None:
        if len(args) != 1:
            raise UsageError("give one spider: scrapy crawl <site>")
        crawler = self._create_crawler(args[0])
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        if getattr(crawler, "site_locked", False):
            self.exitcode = EX_TEMPFAIL
        elif self.crawler_process.bootstrap_failed:
            self.exitcode = 1
