"""scrapy cron: the nightly job. Every registry site (or --sites), one process, one lock.

Exit status (wardcrawl/commands/exitcodes.py): 0 when every site is healthy, 1 when any is not
(the report says why), 2 on bad arguments, 3 when the run failed (a write failed, the state
store is damaged or missing: the message names the recovery command), 75 when another run
holds the lock. The run report goes to data/reports/run-<run>.json, the log to data/logs/<run>.log.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from wardcrawl.commands.guarded import guarded_run
from wardcrawl.runner import add_run_options, check_since, print_summary, run_sites, spider_args
from wardcrawl.sites import registry


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False

    def short_desc(self) -> str:
        return "Crawl every registry site (or --sites) incrementally, with a lock, a run report and an exit status"

    def add_options(self, parser) -> None:
        super().add_options(parser)
        add_run_options(parser)
        parser.add_argument("--report-stdout", action="store_true", help="also print the full JSON report")

    def run(self, args, opts) -> None:
        slugs = opts.sites.split(",") if opts.sites else list(registry())
        unknown = [s for s in slugs if s not in registry()]
        if unknown:
            raise UsageError(f"unknown sites: {', '.join(unknown)}; known: {', '.join(registry())}")
        check_since(opts.since)
        settings = self.settings
        data_dir = Path(opts.data_dir or settings.get("DATA_DIR", "data"))
        settings.set("DATA_DIR", str(data_dir), priority="cmdline")

        def work(run_id: str) -> dict:
            if settings.getpriority("LOG_FILE") is None or settings.getpriority("LOG_FILE") < 40:
                settings.set("LOG_FILE", str(data_dir / "logs" / f"{run_id}.log"), priority="cmdline")
            (data_dir / "logs").mkdir(parents=True, exist_ok=True)
            return run_sites(settings, slugs, run_id, spider_args(opts))

        self.exitcode, report = guarded_run(settings, slugs, "scrapy cron", work)
        if report is None:
            return
        print_summary(report, sys.stdout)
        path = data_dir / "reports" / f"run-{report['run_id']}.json"
        if path.exists():
            print(f"report: {path}", file=sys.stdout)
        if opts.report_stdout:
            print(json.dumps(report, ensure_ascii=False, indent=2))
