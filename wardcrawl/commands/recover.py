"""scrapy recover <site> [--from wayback|commoncrawl] [--since YYYY-MM-DD]: a vanished site's
articles from a web archive, through the crawl's own parsers and pipelines (docs/recover.md).

The site's captures are listed in the archive's index and the newest capture of each
article is fetched as archived; no request goes to the site. Records carry their
provenance (``source``, ``captured_at``, ``archive_url``) and land where a crawl's do
(``data/<site>/<site>-<run>.jsonl``, the state store, the run report).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from wardcrawl.sites import registry


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False

    def syntax(self) -> str:
        return "<site> [--from wayback|commoncrawl] [--since YYYY-MM-DD]"

    def short_desc(self) -> str:
        return "Recover a vanished site's articles from a web archive (the Wayback Machine, Common Crawl)"

    # No ':' in help texts (Scrapy's formatter would take a wrapped one for a heading).
    def add_options(self, parser) -> None:
        super().add_options(parser)
        parser.add_argument("--from", dest="source", default="wayback", choices=["wayback", "commoncrawl"],
                            help="the web archive to recover from, the Wayback Machine (WAYBACK_URL, WAYBACK_CDX_URL) "
                                 "or Common Crawl (COMMONCRAWL_CRAWLS, COMMONCRAWL_INDEX_URL, COMMONCRAWL_DATA_URL)")
        parser.add_argument("--since", help="YYYY-MM-DD, leave out articles captured or published before this date")
        parser.add_argument("--data-dir", help="where outputs go, DATA_DIR ('data') when not given")

    def run(self, args, opts) -> None:
        from wardcrawl.report.console import output_paths, summary_lines
        from wardcrawl.runner import run_sites
        from wardcrawl.spiders.base import run_id_now
        from wardcrawl.spiders.recovery import recovery_spider

        if len(args) != 1:
            raise UsageError("expected one site")
        slug = args[0]
        if opts.source == "commoncrawl" and not self.settings.getlist("COMMONCRAWL_CRAWLS"):
            raise UsageError("Common Crawl needs COMMONCRAWL_CRAWLS, e.g. -s COMMONCRAWL_CRAWLS=CC-MAIN-2024-10")
        if slug not in registry():
            raise UsageError(f"unknown site {slug!r}; known: {', '.join(sorted(registry()))}")
        settings = self.settings
        if opts.data_dir:
            settings.set("DATA_DIR", opts.data_dir, priority="cmdline")
        # Gentler with an archive than with a live site: its own delay, one connection.
        settings.set("DOWNLOAD_DELAY", settings.getfloat("RECOVERY_DOWNLOAD_DELAY", 3.0), priority="cmdline")
        settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", 1, priority="cmdline")
        # Not the live crawl's deferrals: their requests go to the vanished site, and a recovery
        # resumes by the state store (articles exported are not fetched again), not by them.
        settings.set("DEFER_FAILED", False, priority="cmdline")
        spider_args = {"since": opts.since} if opts.since else {}
        report = run_sites(settings, [slug], run_id_now(), spider_args,
                           spider_classes={slug: recovery_spider(slug, opts.source)})
        print(json.dumps(report, ensure_ascii=False, indent=2))
        paths = output_paths(report, Path(settings.get("DATA_DIR", "data")), None, None, None)
        print("\n".join(summary_lines(report, paths)), file=sys.stderr)  # the human summary, per source
        self.exitcode = 0 if report["healthy"] else 1
