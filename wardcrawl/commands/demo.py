"""scrapy demo: the main job on the offline mirror.

Starts the mirror on a free loopback port, runs the nightly job over every mirrored site
with their real URLs (incremental: a second demo into the same data dir exports only
what changed), stops the mirror, rewrites the HTML report and the SQLite database, and ends
with a short summary (``--json``: the run report as JSON on stdout instead). Scrapy's log
goes to the run's log file; warnings and errors still show.

Its data dir is its own, ``data/demo/`` (or ``--data-dir``): the mirror's articles carry the
real sites' ids, so a live crawl must never read the demo's state. The data dir is marked as
a mirror run's (``MIRROR``), and so is the run report (``"source": "mirror"``); a live crawl
refuses such a data dir, and the demo refuses a live one. Exit statuses as `scrapy cron`'s.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from pathlib import Path

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError
from scrapy.settings import SETTINGS_PRIORITIES, Settings

from wardcrawl.commands.exitcodes import FAILED
from wardcrawl.commands.guarded import guarded_run
from wardcrawl.report.console import log_to_file, output_paths, summary_lines
from wardcrawl.runner import add_run_options, check_since, partition_sites, run_sites, spider_args


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False

    def short_desc(self) -> str:
        return "Crawl the offline mirror of every mirrored site (the demo / main job)"

    def add_options(self, parser) -> None:
        super().add_options(parser)
        add_run_options(parser)
        parser.add_argument("--mirror-arg", action="append", default=[],
                            help="extra argument for the mirror server, as tests use --break-api, --add-article...")
        parser.add_argument("--json", action="store_true",
                            help="print the run report as JSON on stdout (the summary goes to stderr)")
        parser.add_argument("--no-publish", action="store_true",
                            help="leave the HTML report and the database as they are (tests of the crawl alone)")

    def run(self, args, opts) -> None:
        from mirror.server import running_mirror
        from mirror.sites import MIRRORED_SITES

        # By default the verified sites only (every demo site is); a generated one only when named.
        sites = opts.sites.split(",") if opts.sites else partition_sites(list(MIRRORED_SITES))[0]
        unknown = [s for s in sites if s not in MIRRORED_SITES]
        if unknown:
            raise UsageError(f"no mirror for {', '.join(unknown)}; mirrored: {', '.join(MIRRORED_SITES)}")
        check_since(opts.since)
        live = Path(self.settings.get("DATA_DIR", "data"))
        data_dir = Path(opts.data_dir or (live if live.name == "demo" else live / "demo"))
        settings = mirror_settings(self.settings, None, data_dir)

        def work(run_id: str) -> dict:
            with running_mirror(data_dir / "mirror" / f"access-{run_id}.log", opts.mirror_arg) as mirror:
                os.environ["WARDCRAWL_MIRROR"] = mirror.address
                settings.set("MIRROR_ADDRESS", mirror.address, priority="cmdline")
                log_to_file(settings, data_dir / "logs" / f"{run_id}.log")
                return run_sites(settings, sites, run_id, spider_args(opts))

        self.exitcode, report = guarded_run(settings, sites, "scrapy demo", work)
        if report is None:
            return
        self._finish(settings, report, opts.json, not opts.no_publish)

    def _finish(self, settings: Settings, report: dict, as_json: bool, publishing: bool) -> None:
        """The HTML report, the database, and the closing screen."""
        from wardcrawl.report import publish

        html = database = None
        try:
            if publishing:
                published = publish(settings)
                html, database = published.report, published.database
        except (OSError, sqlite3.Error) as exc:
            print(f"wardcrawl: the HTML report or the database could not be written: {exc}", file=sys.stderr)
            self.exitcode = FAILED
        paths = output_paths(report, Path(settings["DATA_DIR"]), settings.get("LOG_FILE"), html, database)
        print("\n".join(summary_lines(report, paths)), file=sys.stderr if as_json else sys.stdout)
        if as_json:
            print(json.dumps(report, ensure_ascii=False, indent=2))


def mirror_settings(given: Settings, address: str | None, data_dir: Path) -> Settings:
    """The mirror profile for a mirror at ``address`` (set later when None), keeping the `-s NAME=VALUE`
    given on the command line."""
    settings = Settings()
    settings.setmodule("wardcrawl.settings.mirror", priority="project")
    if address:
        settings.set("MIRROR_ADDRESS", address, priority="cmdline")
    for name in given:
        if given.getpriority(name) >= SETTINGS_PRIORITIES["cmdline"]:
            settings.set(name, given[name], priority="cmdline")
    settings.set("DATA_DIR", str(data_dir), priority="cmdline")  # the mirror's own, whatever `-s` said
    return settings
