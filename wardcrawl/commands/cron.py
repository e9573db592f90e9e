"""scrapy cron: the nightly job. Every registry site (or --sites), one process, one lock.

Unverified sites (generated entries nobody has confirmed), sites marked gone and sites of a family
without a spider are left out unless asked (--include-unverified, --include-gone); the report lists
each with the reason.

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
from wardcrawl.runner import add_run_options, check_since, partition_sites, print_summary, run_sites, spider_args
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
        parser.add_argument("--scrapyd", metavar="URL[,URL…]",
                            help="run each site as a job on these scrapyd nodes (docs/distributed.md)")
        parser.add_argument("--attempts", type=int, default=3, help="tries per site with --scrapyd (default 3)")
        parser.add_argument("--include-unverified", action="store_true",
                            help="also crawl unverified (generated) sites; left out and listed in the report otherwise")
        parser.add_argument("--include-gone", action="store_true",
                            help="also crawl sites the registry marks gone; left out and listed in the report otherwise")

    def run(self, args, opts) -> None:
        slugs = opts.sites.split(",") if opts.sites else list(registry())
        unknown = [s for s in slugs if s not in registry()]
        if unknown:
            raise UsageError(f"unknown sites: {', '.join(unknown)}; known: {', '.join(registry())}")
        check_since(opts.since)
        slugs, skipped = partition_sites(slugs, opts.include_unverified, opts.include_gone)
        settings = self.settings
        data_dir = Path(opts.data_dir or settings.get("DATA_DIR", "data"))
        settings.set("DATA_DIR", str(data_dir), priority="cmdline")
        if opts.scrapyd:
            self._run_on_nodes(settings, slugs, data_dir, opts)
            return

        def work(run_id: str) -> dict:
            if settings.getpriority("LOG_FILE") is None or settings.getpriority("LOG_FILE") < 40:
                settings.set("LOG_FILE", str(data_dir / "logs" / f"{run_id}.log"), priority="cmdline")
            (data_dir / "logs").mkdir(parents=True, exist_ok=True)
            return run_sites(settings, slugs, run_id, spider_args(opts), skipped=skipped)

        self.exitcode, report = guarded_run(settings, slugs, "scrapy cron", work)
        if report is None:
            return
        print_summary(report, sys.stdout)
        path = data_dir / "reports" / f"run-{report['run_id']}.json"
        if path.exists():
            print(f"report: {path}", file=sys.stdout)
        if opts.report_stdout:
            print(json.dumps(report, ensure_ascii=False, indent=2))

    def _run_on_nodes(self, settings, slugs, data_dir, opts) -> None:
        from wardcrawl.distributed.coordinator import run_distributed

        urls = [url.strip() for url in opts.scrapyd.split(",") if url.strip()]
        code, report, message = run_distributed(settings, slugs, urls, data_dir, spider_args(opts), opts.attempts,
                                                sys.stdout)
        print(f"wardcrawl: {message}", file=sys.stdout if report else sys.stderr)
        if report:
            print_summary(report, sys.stdout)
            if opts.report_stdout:
                print(json.dumps(report, ensure_ascii=False, indent=2))
        self.exitcode = code
