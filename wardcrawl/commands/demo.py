"""scrapy demo: the main job on the offline mirror.

Starts the mirror on a free loopback port, runs the nightly job over every mirrored site
with their real URLs (incremental: a second demo into the same data dir exports only
what changed), prints the run report as JSON, and stops the mirror.

Its data dir is its own, ``data/demo/`` (or ``--data-dir``): the mirror's articles carry the
real sites' ids, so a live crawl must never read the demo's state. The data dir is marked as
a mirror run's (``MIRROR``), and so is the run report (``"source": "mirror"``); a live crawl
refuses such a data dir, and the demo refuses a live one. Exit statuses as `scrapy cron`'s.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError
from scrapy.settings import SETTINGS_PRIORITIES, Settings

from wardcrawl.commands.guarded import guarded_run
from wardcrawl.runner import add_run_options, check_since, print_summary, run_sites, spider_args


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False

    def short_desc(self) -> str:
        return "Crawl the offline mirror of every mirrored site (the demo / main job)"

    def add_options(self, parser) -> None:
        super().add_options(parser)
        add_run_options(parser)
        parser.add_argument("--mirror-arg", action="append", default=[],
                            help="extra argument for the mirror server (tests: --break-api, --add-article...)")

    def run(self, args, opts) -> None:
        from mirror.server import running_mirror
        from mirror.sites import MIRRORED_SITES

        sites = opts.sites.split(",") if opts.sites else list(MIRRORED_SITES)
        unknown = [s for s in sites if s not in MIRRORED_SITES]
        if unknown:
            raise UsageError(f"no mirror for {', '.join(unknown)}; mirrored: {', '.join(MIRRORED_SITES)}")
        check_since(opts.since)
        live = Path(self.settings.get("DATA_DIR", "data"))
        data_dir = Path(opts.data_dir or (live if live.name == "demo" else live / "demo"))
        settings = self._settings(data_dir)

        def work(run_id: str) -> dict:
            with running_mirror(data_dir / "mirror" / f"access-{run_id}.log", opts.mirror_arg) as mirror:
                os.environ["WARDCRAWL_MIRROR"] = mirror.address
                settings.set("MIRROR_ADDRESS", mirror.address, priority="cmdline")
                return run_sites(settings, sites, run_id, spider_args(opts))

        self.exitcode, report = guarded_run(settings, sites, "scrapy demo", work)
        if report is None:
            return
        print_summary(report, sys.stderr)
        print(json.dumps(report, ensure_ascii=False, indent=2))

    def _settings(self, data_dir: Path) -> Settings:
        settings = Settings()
        settings.setmodule("wardcrawl.settings.mirror", priority="project")
        for name in self.settings:  # keep `-s NAME=VALUE` given on the command line
            if self.settings.getpriority(name) >= SETTINGS_PRIORITIES["cmdline"]:
                settings.set(name, self.settings[name], priority="cmdline")
        settings.set("DATA_DIR", str(data_dir), priority="cmdline")
        return settings
