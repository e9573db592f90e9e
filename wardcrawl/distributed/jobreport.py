"""Each crawl job saves its site report in the state store, where `scrapy cron --scrapyd` reads it.

On one machine `scrapy cron` builds the reports from its crawlers' stats in process; a job on
a scrapyd node is another process on another machine, so it writes its own report (the same
``runner.site_run_report``) under its run id. On only with ``STATE_SITE_REPORT`` (the
coordinator sets it on its jobs). Written at ``engine_stopped``: after the spider closed, with
the final stats (finish reason included). A job killed before that leaves no report, which is
how the coordinator knows to run the site again.
"""

from __future__ import annotations

import logging

from scrapy import signals
from scrapy.exceptions import NotConfigured

from wardcrawl.runner import site_run_report

logger = logging.getLogger(__name__)


class SiteReportToState:
    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("STATE_SITE_REPORT"):
            raise NotConfigured
        ext = cls(crawler)
        crawler.signals.connect(ext.engine_stopped, signal=signals.engine_stopped)
        return ext

    def engine_stopped(self):
        spider = self.crawler.spider
        state = getattr(spider, "state", None)
        if state is None or getattr(spider, "site", None) is None:
            return
        slug, run_id = spider.site.slug, spider.run_id
        report = site_run_report(self.crawler.stats.get_stats() or {}, state, slug, run_id, self.crawler.settings)
        state.save_run(slug, run_id, report)
        logger.info("Saved the report of %s, run %s, in the state store (healthy: %s)", slug, run_id,
                    report["healthy"])
