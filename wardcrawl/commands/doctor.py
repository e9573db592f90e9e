"""scrapy doctor <site>: first contact with a site, page by page (wardcrawl/doctor/, docs/live.md).

Fetches robots.txt, each section's first listing page (and an AJAX listing's first API page)
and the first article of each section, with the crawl's own spider and middlewares; prints
what robots.txt allows and asks, a table per page of every selector of the family and the
site's overrides (found or missing, with the text it got), the parsed date, the encoding
decision and whether the listing walk would go on; saves every page as a fixture candidate.

Live by default; ``--mirror`` starts the offline mirror and checks the site there (or run it
under the mirror profile: ``SCRAPY_SETTINGS_MODULE=wardcrawl.settings.mirror WARDCRAWL_MIRROR=…``).

Exit status: 0 everything found, 1 anything missing, 2 unreachable (the network error in
words) or a usage error.
"""

from __future__ import annotations

import contextlib
import shutil
import sys
import tempfile
from pathlib import Path

from scrapy.commands import ScrapyCommand
from scrapy.crawler import CrawlerProcess
from scrapy.exceptions import UsageError
from scrapy.settings import SETTINGS_PRIORITIES
from scrapy.spiderloader import get_spider_loader

from wardcrawl.sites import registry
from wardcrawl.spiders.base import run_id_now

# The doctor looks; it leaves no trace in the archive: no export, no state, no stats file, no
# WARC, nothing deferred. One retry per page, then the failure is named.
DOCTOR_SETTINGS = {
    "ITEM_PIPELINES": {},
    "WARC_ENABLED": False,
    "DEFER_FAILED": False,
    "RETRY_TIMES": 1,
    "RETRY_BACKOFF_BASE": 1.0,
}


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False

    def syntax(self) -> str:
        return "<site> [--mirror] [--out DIR]"

    def short_desc(self) -> str:
        return "Check a site page by page (robots.txt, listings, articles, selectors); save the pages as fixtures"

    def add_options(self, parser) -> None:
        super().add_options(parser)
        parser.add_argument("--out", help="where to save the fetched pages (default DATA_DIR/doctor/<site>-<run>)")
        parser.add_argument("--mirror", action="store_true", help="start the offline mirror and check the site there")
        parser.add_argument("--mirror-arg", action="append", default=[],
                            help="an argument for the mirror server, with --mirror (e.g. --layout-change=SLUG)")

    def run(self, args, opts) -> None:
        if len(args) != 1:
            raise UsageError("expected one site slug")
        slug = args[0]
        if slug not in registry():
            raise UsageError(f"unknown site {slug!r}; known: {', '.join(sorted(registry()))}")
        # imported here, not at the top: Scrapy imports every command module at each start (`scrapy crawl` too)
        from wardcrawl.doctor.report import render

        run_id = run_id_now()
        folder = Path(opts.out or Path(self.settings.get("DATA_DIR", "data")) / "doctor" / f"{slug}-{run_id}")
        with self._profile(opts, folder) as (settings, profile):
            doctor = self._crawl(settings, slug, folder, run_id)
        print(render(slug, doctor.pages, folder, doctor.exit_code, profile))
        self.exitcode = doctor.exit_code

    @contextlib.contextmanager
    def _profile(self, opts, folder: Path):
        """(settings, description): the command's own profile, or the mirror started for the run."""
        if not opts.mirror:
            address = self.settings.get("MIRROR_ADDRESS")
            yield self.settings, (f"offline mirror at {address}" if address else "live")
            return
        from mirror.server import running_mirror

        from wardcrawl.commands.demo import mirror_settings

        with running_mirror(folder / "mirror-access.log", opts.mirror_arg) as mirror:
            # the data dir is replaced by a throwaway one in _crawl
            settings = mirror_settings(self.settings, mirror.address, Path(self.settings.get("DATA_DIR", "data")))
            yield settings, f"offline mirror at {mirror.address}"

    @staticmethod
    def _crawl(settings, slug: str, folder: Path, run_id: str):
        settings = settings.copy()
        state_dir = Path(tempfile.mkdtemp(prefix="wardcrawl-doctor-"))
        try:
            # A throwaway data dir and state: the doctor never reads or locks the archive's.
            for name, value in {**DOCTOR_SETTINGS, "DATA_DIR": str(state_dir),
                                "STATE_PATH": str(state_dir / "state.sqlite3")}.items():
                settings.set(name, value, priority="cmdline")
            if settings.getpriority("LOG_LEVEL") < SETTINGS_PRIORITIES["cmdline"]:
                settings.set("LOG_LEVEL", "WARNING", priority="cmdline")  # the report is the output
            settings.set("EXTENSIONS", {**settings.getdict("EXTENSIONS"), "wardcrawl.extensions.StatsFile": None},
                         priority="cmdline")
            settings.set("DOWNLOADER_MIDDLEWARES", {**settings.getdict("DOWNLOADER_MIDDLEWARES"),
                                                    "wardcrawl.doctor.spider.KeepRawBody": 584}, priority="cmdline")
            from wardcrawl.doctor.spider import doctor_spider

            spider_class = doctor_spider(get_spider_loader(settings).load(slug))
            process = CrawlerProcess(settings)
            crawler = process.create_crawler(spider_class)
            process.crawl(crawler, run_id=run_id, out_dir=str(folder))
            process.start()
            sys.stdout.flush()
            return crawler.spider.doctor
        finally:
            shutil.rmtree(state_dir, ignore_errors=True)
